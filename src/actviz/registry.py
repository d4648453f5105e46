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

import difflib
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
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

__all__ = [
    "Activation",
    "BoundActivation",
    "Interval",
    "Param",
    "Properties",
    "Reference",
    "TorchCounterpart",
    "get",
    "get_definition",
    "names",
    "parse_spec",
    "register",
    "unregister",
]

ParamValue = float | str
Params = Mapping[str, ParamValue]


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class Param:
    """One parameter of an activation.

    ``low``/``high`` bound numeric values (``low_open``/``high_open`` exclude the
    bound itself); ``choices`` makes the parameter a string chosen from a list.
    ``sweep`` lists values that show the parameter's effect (used by sweeps,
    the explorer's sliders and the property tests); it always includes the
    default.  ``symbol`` is the parameter's LaTeX symbol in the formulas.
    """

    name: str
    default: ParamValue
    description: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    choices: tuple[str, ...] | None = None
    sweep: tuple[ParamValue, ...] = ()
    symbol: str | None = None

    def __post_init__(self) -> None:
        if self.choices is None and not isinstance(self.default, (int, float)):
            raise TypeError(f"parameter {self.name!r}: numeric default expected")
        values = tuple(self.sweep) or (self.default,)
        if self.default not in values:
            values = tuple(sorted((*values, self.default))) if self.choices is None else (
                self.default, *values)
        object.__setattr__(self, "sweep", values)

    @property
    def is_numeric(self) -> bool:
        return self.choices is None

    def allowed(self) -> str:
        """The allowed values in words, e.g. ``'> 0'``, ``'[0, 1]'``, ``"'none' or 'tanh'"``."""
        if self.choices is not None:
            return " or ".join(repr(c) for c in self.choices)
        if self.low is None and self.high is None:
            return "any finite number"
        if self.high is None:
            return f"{'>' if self.low_open else '>='} {_fmt(self.low)}"
        if self.low is None:
            return f"{'<' if self.high_open else '<='} {_fmt(self.high)}"
        left = "(" if self.low_open else "["
        right = ")" if self.high_open else "]"
        return f"{left}{_fmt(self.low)}, {_fmt(self.high)}{right}"

    def validate(self, value: Any, owner: str = "") -> ParamValue:
        """Return ``value`` converted and checked, or raise :class:`ParameterError`."""
        where = f"{owner}: " if owner else ""
        if self.choices is not None:
            text = str(value).strip().lower()
            for choice in self.choices:
                if text == choice.lower():
                    return choice
            hint = _closest(text, self.choices)
            raise ParameterError(
                f"{where}{self.name}={value!r} is not allowed; choose {self.allowed()}{hint}")
        number = _to_float(value)
        if number is None:
            raise ParameterError(
                f"{where}{self.name}={value!r} is not a number; allowed: {self.allowed()}")
        if not math.isfinite(number):
            raise ParameterError(f"{where}{self.name}={value!r} must be finite")
        too_low = self.low is not None and (
            number < self.low or (self.low_open and number == self.low))
        too_high = self.high is not None and (
            number > self.high or (self.high_open and number == self.high))
        if too_low or too_high:
            raise ParameterError(
                f"{where}{self.name}={_fmt(number)} is out of range; allowed: {self.allowed()}")
        return number


def _to_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return float(text)
        except ValueError:
            pass
        try:  # fractions such as 1/8, as PyTorch writes rrelu's defaults
            return float(Fraction(text))
        except (ValueError, ZeroDivisionError):
            return None
    return None


def _fmt(value: Any) -> str:
    """Format a parameter value compactly: 0.1, 1e-06, 0.3333333333333333 -> 0.333333."""
    if isinstance(value, str):
        return value
    value = float(value)
    if value == int(value) and abs(value) < 1e15:
        return f"{value:.1f}" if abs(value) < 1e4 else f"{int(value)}"
    return f"{value:.6g}"


def _closest(text: str, candidates: Iterable[str]) -> str:
    match = difflib.get_close_matches(text, list(candidates), n=3, cutoff=0.5)
    if not match:
        return ""
    return "; did you mean " + " or ".join(repr(m) for m in match) + "?"


# --------------------------------------------------------------------------- metadata


@dataclass(frozen=True)
class Interval:
    """A real interval such as ``(0, 1)`` or ``[0, inf)``, used for ranges."""

    low: float
    high: float
    low_closed: bool = False
    high_closed: bool = False

    def __str__(self) -> str:
        left = "[" if self.low_closed and math.isfinite(self.low) else "("
        right = "]" if self.high_closed and math.isfinite(self.high) else ")"
        return f"{left}{_bound(self.low)}, {_bound(self.high)}{right}"

    def as_tuple(self) -> tuple[float, float]:
        return (self.low, self.high)


def _bound(value: float) -> str:
    if value == math.inf:
        return "∞"
    if value == -math.inf:
        return "-∞"
    return f"{value:.6g}"


SIDES = ("none", "left", "right", "both")


@dataclass(frozen=True)
class Properties:
    """Properties of an activation at given parameters.

    - ``range``: the set of values f takes over the real line.
    - ``smoothness``: order of continuity: ``-1`` f jumps, ``0`` f continuous but f'
      jumps (a kink), ``1`` f' continuous but f'' jumps, ``math.inf`` smooth.
    - ``monotonic`` / ``derivative_monotonic``: f, resp. f', never decreases or
      never increases.
    - ``zero_centered``: f(0) = 0 and f takes both signs.
    - ``identity_near_origin``: f(0) = 0, f'(0) = 1 and f' continuous at 0.
    - ``saturates``: the side(s) where f' -> 0 as x -> -inf / +inf
      (|f'| < 1e-3 for |x| >= 1e3): ``'none'``, ``'left'``, ``'right'``, ``'both'``.
    - ``dead_region``: f' = 0 exactly on some interval (units there get no gradient).
    - ``periodic``: f oscillates forever, so f(+-inf) is undefined (nan).
    """

    range: Interval
    smoothness: float
    monotonic: bool
    derivative_monotonic: bool
    zero_centered: bool
    identity_near_origin: bool
    saturates: str
    dead_region: bool
    periodic: bool = False

    def __post_init__(self) -> None:
        if self.saturates not in SIDES:
            raise ValueError(f"saturates must be one of {SIDES}, not {self.saturates!r}")

    @property
    def continuity(self) -> str:
        """Order of continuity in words: 'discontinuous', 'C0', 'C1', 'C∞'."""
        return continuity_label(self.smoothness)

    def as_dict(self) -> dict[str, Any]:
        return {
            "range": str(self.range),
            "range_bounds": [_json_float(self.range.low), _json_float(self.range.high)],
            "continuity": self.continuity,
            "smoothness": _json_float(self.smoothness),
            "monotonic": self.monotonic,
            "derivative_monotonic": self.derivative_monotonic,
            "zero_centered": self.zero_centered,
            "identity_near_origin": self.identity_near_origin,
            "saturates": self.saturates,
            "dead_region": self.dead_region,
            "periodic": self.periodic,
        }


def continuity_label(smoothness: float) -> str:
    if smoothness < 0:
        return "discontinuous"
    if math.isinf(smoothness):
        return "C∞"
    return f"C{int(smoothness)}"


def _json_float(value: float) -> float | str:
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


@dataclass(frozen=True)
class Reference:
    """A paper or documentation page that introduced or defines an activation."""

    text: str
    year: int | None = None
    url: str | None = None

    def __str__(self) -> str:
        return self.text if self.year is None or str(self.year) in self.text else (
            f"{self.text} ({self.year})")


@dataclass(frozen=True)
class TorchCounterpart:
    """How to build the PyTorch version of an activation.

    ``name`` is the dotted name of PyTorch's function (for tables), ``build``
    takes the ``torch.nn`` module and the parameters and returns an
    ``nn.Module``.  PyTorch is imported only when :meth:`BoundActivation.torch_module`
    is called.
    """

    name: str
    build: Callable[[Any, Params], Any]


Function = Callable[..., np.ndarray]
PropertiesSpec = Properties | Callable[[Params], Properties] | None
PointsSpec = Sequence[float] | Callable[[Params], Sequence[float]]


@dataclass(frozen=True, eq=False)
class Activation:
    """The definition of one activation function.

    ``function(x, **params)`` and ``derivative(x, **params)`` receive a float
    ndarray and the parameters by keyword.  ``breakpoints`` lists the x where
    the formula changes piece (kinks and jumps are among them); plots put these
    points on the sample grid exactly.  ``properties`` and ``breakpoints`` may be
    callables of the parameters.  A missing ``derivative`` is computed
    numerically (five-point central differences) and marked as numerical.
    """

    name: str
    function: Function
    derivative: Function | None = None
    params: tuple[Param, ...] = ()
    display_name: str = ""
    aliases: tuple[str, ...] = ()
    family: str = "user"
    latex: str = ""
    latex_derivative: str = ""
    properties: PropertiesSpec = None
    breakpoints: PointsSpec = ()
    references: tuple[Reference, ...] = ()
    torch: TorchCounterpart | None = None
    explanation: Mapping[str, str] = field(default_factory=dict)
    derivative_note: str = ""
    constraint: Callable[[Params], str | None] | None = None

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", self.name):
            raise ValueError(f"activation name {self.name!r} must be snake_case")
        if not self.display_name:
            object.__setattr__(self, "display_name", self.name)
        names = [p.name for p in self.params]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: duplicate parameter names {names}")

    @property
    def numerical_derivative(self) -> bool:
        """True when f' is computed by finite differences, not analytically."""
        return self.derivative is None

    @property
    def defaults(self) -> dict[str, ParamValue]:
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        valid = ", ".join(p.name for p in self.params) or "none"
        raise ParameterError(
            f"{self.name} has no parameter {name!r}; valid parameters: {valid}"
            f"{_closest(name, [p.name for p in self.params])}")

    def bind(self, params: Mapping[str, Any] | None = None, /, **kwargs: Any) -> BoundActivation:
        """Check ``params`` against the definition and return a BoundActivation."""
        given = {**(params or {}), **kwargs}
        values = self.defaults
        for key, value in given.items():
            values[self.param(key).name] = self.param(key).validate(value, self.name)
        if self.constraint is not None:
            problem = self.constraint(values)
            if problem:
                raise ParameterError(f"{self.name}: {problem}")
        return BoundActivation(self, values)


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
        return self.definition.bind({**self.params, **params})

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
    global _BUILTINS_LOADED
    if not _BUILTINS_LOADED:
        _BUILTINS_LOADED = True
        from . import activations  # noqa: F401  (defines and registers the built-ins)


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
        return spec.bind(params)
    try:
        name, raw = parse_spec(spec)
        definition = get_definition(name)
    except (SpecSyntaxError, UnknownActivationError) as error:
        # not a registered name: a formula, a py: object or a plugin's name (else `error`)
        from .extensions import resolve

        return resolve(spec, error, params)
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
    return definition.bind(given)


def iter_activations() -> list[BoundActivation]:
    """Every registered activation at its default parameters, in registry order."""
    return [get(n) for n in names()]


def define(activation: Activation) -> Activation:
    """Register a built-in definition (used by :mod:`actviz.activations`)."""
    return _add(activation, overwrite=False)


def with_fields(activation: Activation, **changes: Any) -> Activation:
    """A copy of a definition with some fields changed (not registered)."""
    return replace(activation, **changes)
