"""The registry: every activation defined once, and the objects that use it.

An :class:`Activation` is a *definition*: the NumPy function and its analytic
first derivative, parameters with defaults and checks, LaTeX, declared
properties, references, the PyTorch counterpart and explanations.  Calling
:func:`get` binds a definition to parameter values and returns a
:class:`BoundActivation`, which is what plots, the atlas, the HTML page and the
lab use::

    >>> import actviz
    >>> act = actviz.get("leaky_relu:negative_slope=0.1")
    >>> act([-2.0, 3.0])
    array([-0.2,  3. ])
    >>> act.grad([-2.0, 3.0])
    array([0.1, 1. ])

Spec strings read ``name`` or ``name:key=value[,key=value]``; names are
case-insensitive, ``-`` equals ``_``, aliases are accepted, and a value without
a key fills the parameters in their declared order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import Any

import numpy as np

from ._text import latex_to_text
from .errors import (
    ActvizError,
    OptionalDependencyError,
    ParameterError,
    SpecSyntaxError,
    UnknownActivationError,
)

# The shared types live in actviz.types (which imports nothing of the package); they are
# re-exported here so that ``from actviz.registry import Param`` keeps working.
from .types import (
    SATURATION_EPS,
    SIDES,
    Activation,
    Definitions,
    Function,
    Interval,
    Param,
    Params,
    ParamValue,
    Properties,
    Reference,
    TorchCounterpart,
    _closest,
    _fmt,
    continuity_label,
)

__all__ = [
    "SATURATION_EPS",
    "SIDES",
    "Activation",
    "BoundActivation",
    "Definitions",
    "Interval",
    "Param",
    "ParamValue",
    "Params",
    "Properties",
    "Reference",
    "TorchCounterpart",
    "bind",
    "continuity_label",
    "get",
    "get_definition",
    "names",
    "parse_spec",
    "register",
    "unregister",
]


# --------------------------------------------------------------------------- bound activation


def _as_float_array(x: Any) -> np.ndarray:
    arr = np.asarray(x)
    if arr.dtype.kind in "biu":
        return arr.astype(np.float64)
    if arr.dtype.kind != "f":
        raise ActvizError(f"expected real numbers, got an array of dtype {arr.dtype}")
    return arr


def _numerical_derivative(function: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> np.ndarray:
    """Five-point central difference in float64 with a step scaled to |x|."""
    x64 = x.astype(np.float64)
    finite = np.isfinite(x64)
    xs = np.where(finite, x64, 0.0)
    h = np.finfo(np.float64).eps ** 0.2 * np.maximum(1.0, np.abs(xs))
    with np.errstate(all="ignore"):
        d = (-function(xs + 2 * h) + 8 * function(xs + h) - 8 * function(xs - h)
             + function(xs - 2 * h)) / (12 * h)
    d = np.where(finite, d, np.nan)
    return d.astype(x.dtype, copy=False)


class BoundActivation:
    """An activation bound to parameter values: callable on arrays, with ``grad``.

    Output has the dtype (float32 or float64; integers become float64) and
    shape of the input.  Attributes: ``name``, ``params`` (read-only mapping),
    ``definition`` (the :class:`Activation`), ``label``, ``spec``,
    ``properties``, ``breakpoints``, ``latex``, ``latex_derivative``.
    """

    __slots__ = ("_properties", "definition", "params")

    def __init__(self, definition: Activation, params: Mapping[str, ParamValue]):
        self.definition = definition
        self.params: Mapping[str, ParamValue] = MappingProxyType(dict(params))
        self._properties: Properties | None = None

    # identity -----------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def display_name(self) -> str:
        return self.definition.display_name

    @property
    def label(self) -> str:
        """``name(key=value, ...)`` with every parameter, e.g. ``leaky_relu(negative_slope=0.01)``."""
        inner = ", ".join(f"{k}={_fmt(v)}" for k, v in self.params.items())
        return f"{self.name}({inner})" if inner else self.name

    @property
    def short_label(self) -> str:
        """The display name, with only the parameters that differ from the defaults."""
        changed = {k: v for k, v in self.params.items() if v != self.definition.defaults[k]}
        inner = ", ".join(f"{k}={_fmt(v)}" for k, v in changed.items())
        return f"{self.display_name} ({inner})" if inner else self.display_name

    @property
    def spec(self) -> str:
        """A spec string that :func:`get` turns back into exactly this activation.

        Every parameter is written, each with the shortest text that reads back as
        the same float (``repr``): ``rrelu:lower=0.125,upper=0.3333333333333333``.
        """
        inner = ",".join(f"{k}={v if isinstance(v, str) else repr(float(v))}"
                         for k, v in self.params.items())
        return f"{self.name}:{inner}" if inner else self.name

    def __repr__(self) -> str:
        return f"<activation {self.label}>"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, BoundActivation) and other.definition is self.definition
                and dict(other.params) == dict(self.params))

    def __hash__(self) -> int:
        return hash((self.name, tuple(self.params.items())))

    def with_params(self, **params: Any) -> BoundActivation:
        """A copy with some parameters changed (checked like :func:`get`)."""
        return bind(self.definition, {**self.params, **params})

    # math -----------------------------------------------------------------------
    def __call__(self, x: Any) -> np.ndarray:
        arr = _as_float_array(x)
        out = np.asarray(self.definition.function(arr, **self.params), dtype=arr.dtype)
        return out.reshape(arr.shape)[()]

    def grad(self, x: Any) -> np.ndarray:
        """The first derivative f'(x), analytic unless the definition has none."""
        arr = _as_float_array(x)
        if self.definition.derivative is None:
            out = _numerical_derivative(
                lambda z: np.asarray(self.definition.function(z, **self.params), dtype=z.dtype),
                arr)
        else:
            out = np.asarray(self.definition.derivative(arr, **self.params), dtype=arr.dtype)
        return out.reshape(arr.shape)[()]

    derivative = grad

    @property
    def numerical_derivative(self) -> bool:
        return self.definition.numerical_derivative

    # metadata ---------------------------------------------------------------------
    @property
    def breakpoints(self) -> tuple[float, ...]:
        """Sorted x where the formula changes piece (kinks and jumps among them)."""
        points = self.definition.breakpoints
        values = points(self.params) if callable(points) else points
        return tuple(sorted({float(v) for v in values}))

    @property
    def declared_properties(self) -> Properties | None:
        spec = self.definition.properties
        return spec(self.params) if callable(spec) else spec

    @property
    def properties(self) -> Properties:
        """Declared properties; for user activations without any, computed numerically."""
        if self._properties is None:
            declared = self.declared_properties
            if declared is None:
                from .properties import compute_properties

                declared = compute_properties(self)
            self._properties = declared
        return self._properties

    @property
    def latex(self) -> str:
        return self.definition.latex

    @property
    def latex_derivative(self) -> str:
        return self.definition.latex_derivative

    def param_description(self, name: str, lang: str = "en") -> str:
        """What parameter ``name`` means, in ``lang`` (English when no translation exists)."""
        from . import _locales

        english = self.definition.param(name).description
        if lang == "en":
            return english
        return _locales.definition_text(self.name, lang, "params", name) or english

    def derivative_note(self, lang: str = "en") -> str:
        """The derivative's convention at kinks, in ``lang`` (English when not translated)."""
        from . import _locales

        english = self.definition.derivative_note
        if lang == "en" or not english:
            return english
        return _locales.definition_text(self.name, lang, "derivative_note") or english

    def explanation(self, lang: str = "en") -> str:
        """A short explanation in ``lang`` ('en' or 'ja'), from the definition or the locales."""
        from . import _locales

        own = self.definition.explanation
        return own.get(lang) or _locales.explanation(self.name, lang) or own.get("en", "")

    @property
    def torch_name(self) -> str | None:
        return self.definition.torch.name if self.definition.torch else None

    def torch_module(self) -> Any:
        """Build the PyTorch ``nn.Module`` counterpart (imports torch here, lazily)."""
        if self.definition.torch is None:
            raise ActvizError(f"{self.name} has no PyTorch counterpart")
        try:
            from torch import nn
        except ImportError:
            raise OptionalDependencyError(
                "PyTorch is not installed; install it with: pip install 'actviz[lab]'") from None
        return self.definition.torch.build(nn, self.params)

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        """Everything known about this activation, JSON-ready."""
        d = self.definition
        return {
            "name": self.name,
            "display_name": self.display_name,
            "aliases": list(d.aliases),
            "family": d.family,
            "label": self.label,
            "spec": self.spec,
            "params": [
                {
                    "name": p.name,
                    "value": self.params[p.name],
                    "default": p.default,
                    "allowed": p.allowed(),
                    "description": self.param_description(p.name, lang),
                    **({"choices": list(p.choices)} if p.choices else {}),
                }
                for p in d.params
            ],
            "latex": d.latex,
            "latex_derivative": d.latex_derivative,
            "formula": latex_to_text(d.latex),
            "formula_derivative": latex_to_text(d.latex_derivative),
            "derivative": "numerical" if d.numerical_derivative else "analytic",
            "derivative_note": self.derivative_note(lang),
            "breakpoints": list(self.breakpoints),
            "properties": self.properties.as_dict(),
            "torch": self.torch_name,
            "references": [
                {"text": r.text, "year": r.year, "url": r.url} for r in d.references],
            "explanation": self.explanation(lang),
            "lang": lang,
        }


# --------------------------------------------------------------------------- the registry

_REGISTRY: dict[str, Activation] = {}
_LOOKUP: dict[str, str] = {}  # normalised name or alias -> canonical name
_BUILTINS_LOADED = False


def _key(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def _squash(name: str) -> str:
    return _key(name).replace("_", "")


def _ensure_builtins() -> None:
    """Register the built-ins once, all or nothing.

    The definitions are plain data (:mod:`actviz.activations` imports only
    :mod:`actviz.types`); they are imported here, lazily, and added in family
    order.  The flag is set only after every one is in: a failed import or a
    clash leaves the registry as it was, and the next call tries again.
    """
    global _BUILTINS_LOADED
    if _BUILTINS_LOADED:
        return
    from . import activations

    definitions = activations.definitions()
    saved = dict(_REGISTRY), dict(_LOOKUP)
    try:
        for definition in definitions:
            _add(definition, overwrite=False)
    except BaseException:
        _REGISTRY.clear()
        _REGISTRY.update(saved[0])
        _LOOKUP.clear()
        _LOOKUP.update(saved[1])
        raise
    _BUILTINS_LOADED = True


def _add(activation: Activation, *, overwrite: bool) -> Activation:
    keys = [_key(activation.name), *(_key(a) for a in activation.aliases)]
    for key in keys:
        owner = _LOOKUP.get(key)
        if owner is not None and not (overwrite and owner == activation.name):
            raise ActvizError(f"cannot register {activation.name!r}: the name {key!r} is already "
                              f"used by {owner!r} (pass overwrite=True to replace it)")
    if overwrite and activation.name in _REGISTRY:
        unregister(activation.name)
    _REGISTRY[activation.name] = activation
    for key in keys:
        _LOOKUP[key] = activation.name
    return activation


def register(
    activation: Activation | str,
    function: Function | None = None,
    derivative: Function | None = None,
    *,
    params: Mapping[str, float] | Sequence[Param] = (),
    overwrite: bool = False,
    **metadata: Any,
) -> Activation:
    """Add an activation to the registry and return its definition.

    Either pass an :class:`Activation`, or a name, a NumPy function
    ``f(x, **params)`` and optionally its derivative; ``params`` may map names to
    default values.  Without a derivative, f' is computed numerically.  Other
    keywords (``latex``, ``display_name``, ``properties``, ``breakpoints``,
    ``explanation``, ...) fill the definition's fields.
    """
    _ensure_builtins()
    if isinstance(activation, Activation):
        if function is not None or derivative is not None or metadata or params:
            raise TypeError("pass either an Activation or name, function and fields")
        return _add(activation, overwrite=overwrite)
    if function is None or not callable(function):
        raise ActvizError(f"register({activation!r}): a callable NumPy function is required")
    if isinstance(params, Mapping):
        params = tuple(Param(k, float(v), k) for k, v in params.items())
    definition = Activation(name=_key(activation), function=function, derivative=derivative,
                            params=tuple(params), **metadata)
    return _add(definition, overwrite=overwrite)


def unregister(name: str) -> None:
    """Remove an activation (by name or alias) from the registry."""
    definition = get_definition(name)
    del _REGISTRY[definition.name]
    for key in [k for k, v in _LOOKUP.items() if v == definition.name]:
        del _LOOKUP[key]


def names(*, aliases: bool = False, family: str | None = None) -> list[str]:
    """Canonical names in registry order (grouped by family); with aliases if asked."""
    _ensure_builtins()
    result = [n for n, a in _REGISTRY.items() if family is None or a.family == family]
    if aliases:
        result += [a for n in list(result) for a in _REGISTRY[n].aliases]
    return result


def families() -> list[str]:
    _ensure_builtins()
    return list(dict.fromkeys(a.family for a in _REGISTRY.values()))


def get_definition(name: str) -> Activation:
    """The :class:`Activation` for a name or alias (no parameters)."""
    _ensure_builtins()
    if not isinstance(name, str):
        raise UnknownActivationError(f"activation name must be a string, not {name!r}")
    key = _key(name)
    canonical = _LOOKUP.get(key)
    if canonical is None:
        squashed = _squash(name)
        matches = {v for k, v in _LOOKUP.items() if k.replace("_", "") == squashed}
        if len(matches) == 1:
            canonical = matches.pop()
    if canonical is None:
        hint = _closest(key, _LOOKUP)
        if not hint:
            hint = "; see 'actviz list' for all names"
        raise UnknownActivationError(f"unknown activation {name.strip()!r}{hint}")
    return _REGISTRY[canonical]


_SPEC = re.compile(r"^\s*([A-Za-z][\w\- ]*?)\s*(?::(.*))?$")


def parse_spec(spec: str) -> tuple[str, dict[str, str]]:
    """Split ``name:key=value,...`` into the name and a dict of raw values.

    Values without a key get the keys ``'#0'``, ``'#1'``, ... (positional).
    """
    if not isinstance(spec, str) or not spec.strip():
        raise SpecSyntaxError(f"empty activation spec {spec!r}")
    match = _SPEC.match(spec)
    if match is None:
        raise SpecSyntaxError(
            f"cannot read spec {spec!r}; write name or name:key=value[,key=value]")
    name, rest = match.group(1), match.group(2)
    values: dict[str, str] = {}
    if rest is not None:
        if not rest.strip():
            raise SpecSyntaxError(f"spec {spec!r} has ':' but no parameters after it")
        for position, item in enumerate(rest.split(",")):
            if "=" in item:
                key, _, value = item.partition("=")
                key = key.strip().replace("-", "_").lower()
                if not key or not value.strip():
                    raise SpecSyntaxError(f"cannot read {item.strip()!r} in spec {spec!r}; "
                                          "write key=value")
            else:
                key, value = f"#{position}", item
                if not value.strip():
                    raise SpecSyntaxError(f"empty value in spec {spec!r}")
            if key in values:
                raise SpecSyntaxError(f"parameter {key!r} given twice in spec {spec!r}")
            values[key] = value.strip()
    return name, values


def get(spec: str | BoundActivation | Activation, /, **params: Any) -> BoundActivation:
    """Return the activation named by ``spec`` bound to its parameters.

    ``spec`` is a name (``"relu"``), a spec string
    (``"leaky_relu:negative_slope=0.1"``), a definition or a bound activation;
    keyword arguments set or override parameters.  Raises
    :class:`~actviz.errors.UnknownActivationError` (with the closest names) or
    :class:`~actviz.errors.ParameterError`, both ValueErrors.
    """
    if isinstance(spec, BoundActivation):
        return spec.with_params(**params) if params else spec
    if isinstance(spec, Activation):
        return bind(spec, params)
    name, raw = parse_spec(spec)
    definition = get_definition(name)
    given: dict[str, Any] = {}
    for key, value in raw.items():
        if key.startswith("#"):
            index = int(key[1:])
            if index >= len(definition.params):
                raise ParameterError(
                    f"{definition.name} takes {len(definition.params)} parameter(s), "
                    f"but spec {spec!r} gives a value at position {index + 1}")
            key = definition.params[index].name
        else:
            key = definition.param(key).name
        if key in given:
            raise SpecSyntaxError(f"parameter {key!r} given twice in spec {spec!r}")
        given[key] = value
    for key, value in params.items():
        given[definition.param(key).name] = value
    return bind(definition, given)


def bind(definition: Activation, params: Mapping[str, Any] | None = None, /,
         **kwargs: Any) -> BoundActivation:
    """``definition`` bound to ``params`` (checked by :meth:`Activation.check`)."""
    return BoundActivation(definition, definition.check(params, **kwargs))


def iter_activations() -> list[BoundActivation]:
    """Every registered activation at its default parameters, in registry order."""
    return [get(n) for n in names()]


def with_fields(activation: Activation, **changes: Any) -> Activation:
    """A copy of a definition with some fields changed (not registered)."""
    return replace(activation, **changes)
