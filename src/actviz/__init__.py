"""actviz: draw neural-network activation functions, and measure why they behave as they do.

The registry is the single source of truth::

    >>> import actviz
    >>> actviz.names()[:4]
    ['sigmoid', 'tanh', 'hardsigmoid', 'hardtanh']
    >>> relu = actviz.get("relu")
    >>> relu([-1.0, 2.0]), relu.grad([-1.0, 2.0])
    (array([0., 2.]), array([0., 1.]))

In a notebook::

    >>> actviz.plot(["relu", "gelu"], derivative=True, color=["k", "tab:red"])  # doctest: +SKIP
    >>> actviz.get("gelu")            # name, formula, a small plot, properties  # doctest: +SKIP
    >>> actviz.explore(["leaky_relu"], lang="ja")  # the interactive page, inline  # doctest: +SKIP
    >>> with actviz.japanese():        # your own Japanese text gets the glyphs  # doctest: +SKIP
    ...     fig.suptitle("活性化関数の比較")

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
    **dict.fromkeys(["plot", "figure", "save"], "actviz.plotting.figures"),
    "japanese": "actviz.plotting.style",
    "explore": "actviz.notebook",
    **dict.fromkeys(["define", "load_plugins", "load_pyproject"], "actviz.extensions"),
    "compute_properties": "actviz.properties",
    "ValueSet": "actviz.registry",
    "animate": "actviz.plotting.animate",
    "post": "actviz.article",
}

if TYPE_CHECKING:  # pragma: no cover
    from .article import post
    from .errors import ActvizError, ParameterError, SpecSyntaxError, UnknownActivationError
    from .extensions import define, load_plugins, load_pyproject
    from .notebook import explore
    from .plotting.animate import animate
    from .plotting.figures import figure, plot, save
    from .plotting.style import japanese
    from .properties import compute_properties
    from .registry import (
        Activation,
        BoundActivation,
        Interval,
        Param,
        Properties,
        Reference,
        TorchCounterpart,
        ValueSet,
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
    "ValueSet",
    "__version__",
    "animate",
    "compute_properties",
    "define",
    "explore",
    "families",
    "figure",
    "get",
    "get_definition",
    "iter_activations",
    "japanese",
    "load_plugins",
    "load_pyproject",
    "names",
    "parse_spec",
    "plot",
    "post",
    "register",
    "save",
    "unregister",
]


def _show_as_html(obj: Any) -> str:
    """HTML of an activation or a definition for IPython (see :func:`_register_rich_display`)."""
    return import_module("actviz.notebook").activation_html(obj)


def _register_rich_display() -> None:
    """In IPython (Jupyter), show activations and definitions as HTML.

    The formatter is registered by type *name*, so neither the registry nor this
    module imports the notebook code (matplotlib) until an activation is shown, and
    the registry stays below everything that draws (no import cycle).  Outside
    IPython this does nothing.
    """
    import sys

    ipython = sys.modules.get("IPython")
    shell = getattr(ipython, "get_ipython", lambda: None)() if ipython is not None else None
    formatters = getattr(getattr(shell, "display_formatter", None), "formatters", None)
    if not formatters or "text/html" not in formatters:
        return
    html = formatters["text/html"]
    html.for_type_by_name("actviz.registry", "BoundActivation", _show_as_html)
    html.for_type_by_name("actviz.types", "Activation", _show_as_html)


_register_rich_display()


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'actviz' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
