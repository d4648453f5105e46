"""actviz: draw neural-network activation functions, and measure why they behave as they do.

The registry is the single source of truth::

    >>> import actviz
    >>> actviz.names()[:4]
    ['sigmoid', 'tanh', 'hardsigmoid', 'hardtanh']
    >>> relu = actviz.get("relu")
    >>> relu([-1.0, 2.0]), relu.grad([-1.0, 2.0])
    (array([0., 2.]), array([0., 1.]))

Plotting (matplotlib) and the lab (PyTorch) are imported only when used.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public names and the modules that define them, imported on first access (PEP 562):
# `import actviz` and `actviz --help` load neither numpy nor matplotlib.
_LAZY = {
    **dict.fromkeys(
        ["Activation", "BoundActivation", "Interval", "Param", "Properties", "Reference",
         "TorchCounterpart", "families", "get", "get_definition", "iter_activations", "names",
         "parse_spec", "register", "unregister"], "actviz.registry"),
    **dict.fromkeys(["ActvizError", "ParameterError", "SpecSyntaxError",
                     "UnknownActivationError"], "actviz.errors"),
    **dict.fromkeys(["define", "load_plugins", "load_pyproject"], "actviz.extensions"),
    "plot": "actviz.plotting.figures",
    "figure": "actviz.plotting.figures",
    "compute_properties": "actviz.properties",
}

if TYPE_CHECKING:  # pragma: no cover
    from .errors import ActvizError, ParameterError, SpecSyntaxError, UnknownActivationError
    from .extensions import define, load_plugins, load_pyproject
    from .properties import compute_properties
    from .registry import (
        Activation,
        BoundActivation,
        Interval,
        Param,
        Properties,
        Reference,
        TorchCounterpart,
        families,
        get,
        get_definition,
        iter_activations,
        names,
        parse_spec,
        register,
        unregister,
    )

__all__ = [
    "Activation",
    "ActvizError",
    "BoundActivation",
    "Interval",
    "Param",
    "ParameterError",
    "Properties",
    "Reference",
    "SpecSyntaxError",
    "TorchCounterpart",
    "UnknownActivationError",
    "__version__",
    "compute_properties",
    "define",
    "families",
    "figure",
    "get",
    "get_definition",
    "iter_activations",
    "load_plugins",
    "load_pyproject",
    "names",
    "parse_spec",
    "plot",
    "register",
    "unregister",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'actviz' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
