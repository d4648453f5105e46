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
from .measure import Measurement, measure

__all__ = [
    "Activation",
    "BoundActivation",
    "Interval",
    "Param",
    "Properties",
    "Reference",
    "TorchCounterpart",
    "ValueSet",
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


@dataclass(frozen=True)
class ValueSet:
    """A range that is not one interval: disjoint intervals and points, in increasing order.

    ``str`` writes it as a set, e.g. ``{0, 1}`` or ``(-∞, -0.5) ∪ {0} ∪ (0.5, ∞)``; a point
    is the closed interval ``[v, v]`` (a constant's range is the one point ``{c}``).
    ``low``, ``high``, ``low_closed``, ``high_closed`` and :meth:`as_tuple` describe the
    smallest interval around the set, as on :class:`Interval`.  Build one with :meth:`of`,
    which returns a plain :class:`Interval` when the union is one interval.
    """

    parts: tuple[Interval, ...]

    def __post_init__(self) -> None:
        if len(self.parts) < 2 and not (self.parts and self.parts[0].low == self.parts[0].high):
            raise ValueError("a ValueSet has two parts or more, or one point; use Interval")
        for a, b in zip(self.parts, self.parts[1:], strict=False):
            if not (a.high < b.low or (a.high == b.low and not (a.high_closed or b.low_closed))):
                raise ValueError(f"parts {a} and {b} of a ValueSet must be disjoint and sorted")

    @classmethod
    def of(cls, *parts: Interval | float) -> Interval | ValueSet:
        """The union of intervals and points (numbers), merged; an Interval when it is one."""
        items = sorted((Interval(p.low + 0.0, p.high + 0.0, p.low_closed, p.high_closed)
                        if isinstance(p, Interval) else Interval(p + 0.0, p + 0.0, True, True)
                        for p in parts), key=lambda p: (p.low, not p.low_closed))  # no -0
        if not items:
            raise ValueError("ValueSet.of needs at least one part")
        merged = [items[0]]
        for part in items[1:]:
            last = merged[-1]
            if part.low < last.high or (part.low == last.high
                                        and (part.low_closed or last.high_closed)):
                high, high_closed = max((last.high, last.high_closed),
                                        (part.high, part.high_closed))
                merged[-1] = Interval(last.low, high, last.low_closed, high_closed)
            else:
                merged.append(part)
        one = len(merged) == 1 and merged[0].low != merged[0].high
        return merged[0] if one else cls(tuple(merged))

    @property
    def low(self) -> float:
        return self.parts[0].low

    @property
    def high(self) -> float:
        return self.parts[-1].high

    @property
    def low_closed(self) -> bool:
        return self.parts[0].low_closed

    @property
    def high_closed(self) -> bool:
        return self.parts[-1].high_closed

    def as_tuple(self) -> tuple[float, float]:
        return (self.low, self.high)

    def __contains__(self, value: float) -> bool:
        return any(_in_interval(value, p) for p in self.parts)

    def __str__(self) -> str:
        pieces: list[str] = []
        points: list[str] = []
        for part in (*self.parts, None):
            if part is not None and part.low == part.high:
                points.append(_bound(part.low))
                continue
            if points:
                pieces.append("{" + ", ".join(points) + "}")
                points = []
            if part is not None:
                pieces.append(str(part))
        return " ∪ ".join(pieces)


def _in_interval(value: float, part: Interval) -> bool:
    return ((part.low < value or (part.low_closed and value == part.low))
            and (value < part.high or (part.high_closed and value == part.high)))


def range_parts(value_range: Interval | ValueSet) -> list[dict[str, Any]]:
    """JSON form of a range: one entry per part, ``{"value": v}`` for a point, else
    ``{"low", "high", "low_closed", "high_closed"}`` (infinite bounds as "inf"/"-inf")."""
    parts = value_range.parts if isinstance(value_range, ValueSet) else (value_range,)
    return [{"value": _json_float(p.low)} if p.low == p.high else
            {"low": _json_float(p.low), "high": _json_float(p.high),
             "low_closed": p.low_closed and math.isfinite(p.low),
             "high_closed": p.high_closed and math.isfinite(p.high)} for p in parts]


def _bound(value: float) -> str:
    if value == math.inf:
        return "∞"
    if value == -math.inf:
        return "-∞"
    return f"{value:.6g}"


SIDES = ("none", "left", "right", "both")


@dataclass(frozen=True, kw_only=True)
class Properties:
    """Properties of an activation at given parameters.

    - ``range``: the set of values f takes over the real line: an :class:`Interval`, or a
      :class:`ValueSet` where f jumps over values (``{0, 1}``).
    - ``smoothness``: order of continuity: ``-1`` f jumps, ``0`` f continuous but f'
      jumps (a kink), ``1`` f' continuous but f'' jumps, ``math.inf`` smooth.
    - ``monotonic`` / ``derivative_monotonic``: f, resp. f', never decreases or
      never increases.
    - ``zero_centered``: f(0) = 0 and f takes both signs.
    - ``identity_near_origin``: f(0) = 0, f'(0) = 1 and f' continuous at 0.
    - ``saturates``: the side(s) where f' -> 0 as x -> -inf / +inf
      (|f'| < 1e-3 for |x| >= 1e3): ``'none'``, ``'left'``, ``'right'``, ``'both'``.
    - ``dead_region``: f' = 0 exactly on some interval (units there get no gradient).
    - ``periodic``: f or f' oscillates forever (sin, x + sin²(x)), so f(+-inf) has no value.
    """

    range: Interval | ValueSet
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
            "range_parts": range_parts(self.range),
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
        """Every parameter's default value, by name."""
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> Param:
        """The :class:`Param` called ``name``; ParameterError (with suggestions) if there is none."""
        for p in self.params:
            if p.name == name:
                return p
        valid = ", ".join(p.name for p in self.params) or "none"
        raise ParameterError(
            f"{self.name} has no parameter {name!r}; valid parameters: {valid}"
            f"{_closest(name, [p.name for p in self.params])}")

    def __repr__(self) -> str:
        shown = ", ".join(f"{p.name}={_fmt(p.default)}" for p in self.params)
        return f"<activation definition {self.name}({shown}), family {self.family!r}>"

    def _repr_html_(self) -> str:
        """Jupyter's view: the activation at its default parameters (see actviz.notebook)."""
        return self.bind()._repr_html_()

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


def measured_properties(act: BoundActivation) -> Properties:
    """The properties of ``act`` measured numerically by :func:`actviz.measure.measure`."""
    return properties_from(measure(act, act.grad, act.breakpoints))


def properties_from(found: Measurement) -> Properties:
    """The :class:`Properties` that a :class:`~actviz.measure.Measurement` found."""
    return Properties(range=ValueSet.of(*(Interval(*part) for part in found.range_parts)),
                      **found.property_fields())


_STEP = np.finfo(np.float64).eps ** 0.2  # the step of the difference quotients, relative to |x|


def _numerical_derivative(function: Callable[[np.ndarray], np.ndarray], x: np.ndarray,
                          breakpoints: Sequence[float] = ()) -> np.ndarray:
    """Five-point differences in float64 with a step scaled to |x|.

    Central where the stencil fits between ``breakpoints``; beside one (and at it)
    one-sided, on the side away from it, so a kink or jump is not smeared over the
    stencil (at a breakpoint itself, the right-hand derivative).  At +-inf, the limit
    read from f far out (tanh: 0, relu: 1), nan where f keeps changing (sin).
    """
    x64 = x.astype(np.float64)
    finite = np.isfinite(x64)
    xs = np.where(finite, x64, 0.0)
    h = _STEP * np.maximum(1.0, np.abs(xs))
    with np.errstate(all="ignore"):
        d = _central_difference(function, xs, h)
        if len(breakpoints):
            d = _beside_breakpoints(function, xs, h, d, np.sort(np.asarray(breakpoints, float)))
        d = np.where(finite, d, np.nan)
        for sign in (-1.0, 1.0):
            at = x64 == sign * math.inf
            if at.any():
                d = np.where(at, _derivative_at_infinity(function, sign), d)
    return d.astype(x.dtype, copy=False)


def _central_difference(function, xs, h):
    return (-function(xs + 2 * h) + 8 * function(xs + h) - 8 * function(xs - h)
            + function(xs - 2 * h)) / (12 * h)


def _forward_difference(function, xs, h):
    """Five-point one-sided difference towards +x (towards -x for negative h), O(h^4)."""
    return (-25 * function(xs) + 48 * function(xs + h) - 36 * function(xs + 2 * h)
            + 16 * function(xs + 3 * h) - 3 * function(xs + 4 * h)) / (12 * h)


def _beside_breakpoints(function, xs, h, d, points):
    """Replace central differences whose stencil crosses a breakpoint by one-sided ones."""
    k = np.searchsorted(points, xs, side="right")  # points[k-1] <= x < points[k]
    room_left = xs - np.where(k > 0, points[np.maximum(k - 1, 0)], -np.inf)
    room_right = np.where(k < len(points), points[np.minimum(k, len(points) - 1)], np.inf) - xs
    crossing = (room_left <= 2 * h) | (room_right <= 2 * h)
    if not crossing.any():
        return d
    forward = room_right >= room_left
    step = np.where(forward, np.minimum(h, room_right / 4.5), -np.minimum(h, room_left / 4.5))
    one_sided = _forward_difference(function, xs[crossing], step[crossing])
    out = d.copy()
    out[crossing] = one_sided
    return out


def _derivative_at_infinity(function, sign: float) -> float:
    """lim f'(x) as x -> sign * inf, read from f far out (at 2^900 and 2^1000).

    0 where f settles on a value (tanh, x / (1 + |x|) whose f(inf) is nan); the slope of
    the secants where they agree (relu: 1, leaky relu at -inf: its slope); else nan (sin).
    """
    far = sign * np.array([2.0 ** 900, 2.0 ** 1000])
    values = function(far)
    if np.all(np.isfinite(values)) and abs(values[0] - values[1]) <= 1e-9 * max(
            1.0, *np.abs(values)):
        return 0.0
    slopes = (function(2 * far) - values) / far
    if np.all(np.isfinite(slopes)) and abs(slopes[0] - slopes[1]) <= 1e-6 * max(
            np.abs(slopes)):
        return float(slopes[1])
    return math.nan
def _is_torch(x: Any) -> bool:
    """True for a torch tensor; looks at the type's module first, so torch is never imported here."""
    if type(x).__module__.split(".")[0] != "torch":
        return False
    import torch

    return isinstance(x, torch.Tensor)


def _torch_apply(act: BoundActivation, x: Any, *, derivative: bool) -> Any:
    """f(x) (or f'(x)) of a torch tensor as a torch tensor, computed by the registry's NumPy code."""
    import torch

    def compute(t: Any, want_derivative: bool) -> Any:
        host = t.detach().cpu()
        if not host.is_floating_point() or host.dtype in (torch.bfloat16, torch.float16):
            host = host.to(torch.float32 if host.is_floating_point()
                           else torch.get_default_dtype())
        values = host.numpy()
        out = act.grad(values) if want_derivative else act(values)
        dtype = t.dtype if t.is_floating_point() else torch.get_default_dtype()
        return torch.from_numpy(np.array(out, dtype=values.dtype, ndmin=0)).reshape(
            t.shape).to(device=t.device, dtype=dtype)

    if derivative or not (x.requires_grad and torch.is_grad_enabled()):
        return compute(x, derivative)
    return _torch_function(torch).apply(x, compute)


_TORCH_FUNCTION: list = []


def _torch_function(torch: Any) -> Any:
    """A torch.autograd.Function whose backward multiplies by f'(x) (made once, lazily)."""
    if not _TORCH_FUNCTION:
        class _Apply(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x, compute):
                ctx.save_for_backward(x)
                ctx.compute = compute
                return compute(x, False)

            @staticmethod
            def backward(ctx, grad_output):
                (x,) = ctx.saved_tensors
                return grad_output * ctx.compute(x, True), None

        _TORCH_FUNCTION.append(_Apply)
    return _TORCH_FUNCTION[0]


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
        """The canonical (snake_case) name, e.g. ``'leaky_relu'``."""
        return self.definition.name

    @property
    def display_name(self) -> str:
        """The name as written in figures, e.g. ``'Leaky ReLU'``."""
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
        return f"actviz.get({self.spec!r})"

    def _repr_html_(self) -> str:
        """Jupyter's view: name, spec, formulas, a small plot of f and f', properties."""
        from .notebook import activation_html

        return activation_html(self)

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
        """f(x) for a number, an array-like or a PyTorch tensor (same shape and dtype).

        A torch tensor in gives a torch tensor out, on the same device and of the
        same dtype (bfloat16 and float16 are computed in float32); when it
        requires grad, the result does too and backpropagates f'(x) from the
        registry.  torch is imported only when ``x`` is a torch tensor.
        """
        if _is_torch(x):
            return _torch_apply(self, x, derivative=False)
        arr = _as_float_array(x)
        out = np.asarray(self.definition.function(arr, **self.params), dtype=arr.dtype)
        return out.reshape(arr.shape)[()]

    def grad(self, x: Any) -> np.ndarray:
        """The first derivative f'(x), analytic unless the definition has none.

        Takes what ``act(x)`` takes; a torch tensor gives a torch tensor (no graph).
        """
        if _is_torch(x):
            return _torch_apply(self, x, derivative=True)
        arr = _as_float_array(x)
        if self.definition.derivative is None:
            out = _numerical_derivative(
                lambda z: np.asarray(self.definition.function(z, **self.params), dtype=z.dtype),
                arr, self.breakpoints)
        else:
            out = np.asarray(self.definition.derivative(arr, **self.params), dtype=arr.dtype)
        return out.reshape(arr.shape)[()]

    derivative = grad

    @property
    def numerical_derivative(self) -> bool:
        """True when f' is computed by finite differences, not analytically."""
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
        """The properties the definition declares at these parameters (None if it declares none)."""
        spec = self.definition.properties
        return spec(self.params) if callable(spec) else spec

    @property
    def properties(self) -> Properties:
        """Declared properties; for user activations without any, computed numerically."""
        if self._properties is None:
            declared = self.declared_properties
            if declared is None:
                declared = measured_properties(self)
            self._properties = declared
        return self._properties

    @property
    def latex(self) -> str:
        """f's formula in LaTeX (mathtext), '' when the definition has none."""
        return self.definition.latex

    @property
    def latex_derivative(self) -> str:
        """f''s formula in LaTeX (mathtext), '' when the definition has none."""
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
        """A short explanation in ``lang`` ('en' or 'ja', any case), from the definition or the locales."""
        from . import _locales

        lang = _locales.check_lang(lang.strip().lower() if isinstance(lang, str) else lang)
        own = self.definition.explanation
        return own.get(lang) or _locales.explanation(self.name, lang) or own.get("en", "")

    @property
    def torch_name(self) -> str | None:
        """The dotted name of PyTorch's counterpart (e.g. ``'torch.nn.ReLU'``), None if none."""
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
    default values (``params={"k": 2.0}`` for ``lambda x, k=2.0: ...``): every
    parameter of the function after ``x`` must be declared, or an ActvizError
    says so.  Without a derivative, f' is computed numerically.  Other
    keywords (``latex``, ``display_name``, ``properties``, ``breakpoints``,
    ``explanation``, ...) fill the definition's fields.

    Registering a name again that was registered with :func:`register` replaces
    that activation (re-running a notebook cell works); a built-in name, or a
    name or alias that another activation uses, needs ``overwrite=True``.
    """
    _ensure_builtins()
    if isinstance(activation, Activation):
        if function is not None or derivative is not None or metadata or params:
            raise TypeError("pass either an Activation or name, function and fields")
        definition = activation
    else:
        if function is None or not callable(function):
            raise ActvizError(f"register({activation!r}): a callable NumPy function is required")
        if isinstance(params, Mapping):
            params = tuple(Param(k, float(v), k) for k, v in params.items())
        if not isinstance(activation, str):
            raise ActvizError(f"register(): the name must be a string, got {activation!r}")
        definition = Activation(name=_key(activation), function=function, derivative=derivative,
                                params=tuple(params), **metadata)
    _check_hidden_params(definition)
    if not overwrite and _USER_NAMES.get(definition.name) is _REGISTRY.get(definition.name) \
            and definition.name in _REGISTRY:
        # the same user name again (a re-run cell): replace it, keeping aliases' checks
        overwrite = True
    added = _add(definition, overwrite=overwrite)
    _USER_NAMES[added.name] = added
    return added


# definitions added by register() (not the built-ins), by name: re-registering one replaces it
_USER_NAMES: dict[str, Activation] = {}


def _check_hidden_params(definition: Activation) -> None:
    """Raise ActvizError when the function (or derivative) takes parameters not declared."""
    import inspect

    declared = {p.name for p in definition.params}
    for role, func in (("function", definition.function), ("derivative", definition.derivative)):
        if func is None or isinstance(func, np.ufunc):  # a ufunc's out=, where=, ...: not ours
            continue
        try:
            signature = inspect.signature(func)
        except (TypeError, ValueError):  # builtins and ufuncs: nothing to see
            continue
        positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        params = [p for p in signature.parameters.values()
                  if p.kind in (*positional, inspect.Parameter.KEYWORD_ONLY)]
        if params and params[0].kind in positional:
            params = params[1:]  # x
        # a parameter without a default fails at the first call; one with a numeric
        # default is a hidden parameter (no slider, no spec); others (out=None) are left
        hidden = [p for p in params if p.name not in declared and (
            p.default is inspect.Parameter.empty
            or (isinstance(p.default, (int, float)) and not isinstance(p.default, bool)))]
        if not hidden:
            continue
        shown = ", ".join(p.name if p.default is inspect.Parameter.empty else
                          f"{p.name}={p.default!r}" for p in hidden)
        example = ", ".join(f"{p.name!r}: {p.default!r}" if p.default is not
                            inspect.Parameter.empty else f"{p.name!r}: 1.0" for p in hidden)
        raise ParameterError(
            f"register({definition.name!r}): the {role} takes {shown}, which actviz would "
            f"never set; declare it with params={{{example}}} (sliders, sweeps and specs "
            f"like '{definition.name}:{hidden[0].name}=...' then work), or drop it")


def unregister(name: str) -> None:
    """Remove an activation (by name or alias) from the registry."""
    definition = get_definition(name)
    del _REGISTRY[definition.name]
    _USER_NAMES.pop(definition.name, None)
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
    """The families of the registered activations ('sigmoid_like', 'rectifier', ...), in registry order."""
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
