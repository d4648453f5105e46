"""The package's shared types: what a definition of an activation is made of.

This module imports nothing of actviz except :mod:`actviz.errors` (and no numpy,
so the command line's parsers may read it); everything
else builds on it (types -> definitions in :mod:`actviz.activations` ->
:mod:`actviz.registry` -> analysis and sampling -> drawing, pages, lab -> CLI).

- :class:`Param`: one parameter (default, allowed range or choices, sweep values);
- :class:`Interval`, :class:`Properties`, ``SIDES``: declared properties of an activation;
- :class:`Reference`, :class:`TorchCounterpart`: where it comes from, how PyTorch builds it;
- :class:`Activation`: the definition itself (plain data: functions and metadata);
  :func:`actviz.registry.get` binds one to parameter values;
- :class:`Definitions`: the ordered list a module of built-ins fills with ``define``;
- ``SATURATION_EPS``: the one saturation threshold (|f'| < eps counts as vanishing).
"""

from __future__ import annotations

import difflib
import math
import numbers
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .errors import ParameterError

__all__ = [
    "SATURATION_EPS",
    "SIDES",
    "Activation",
    "Definitions",
    "Interval",
    "Param",
    "ParamValue",
    "Params",
    "Properties",
    "Reference",
    "TorchCounterpart",
    "ValueSet",
    "continuity_label",
    "range_parts",
]

#: The saturation threshold: |f'| below it counts as a vanishing gradient (figures,
#: regions, the atlas, the page, and ``Properties.saturates``).
SATURATION_EPS = 1e-3

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
    if isinstance(value, numbers.Real):  # int, float and NumPy's numbers (bool is excluded above)
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
      (|f'| < SATURATION_EPS for |x| >= 1e3): ``'none'``, ``'left'``, ``'right'``, ``'both'``.
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


Function = Callable[..., Any]  # f(x: ndarray, **params) -> ndarray
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
        """The :class:`Param` called ``name`` (in any case, ``-`` for ``_``, when only one
        parameter reads so); ParameterError (with suggestions) if there is none."""
        for p in self.params:
            if p.name == name:
                return p
        key = str(name).strip().lower().replace("-", "_")
        matches = [p for p in self.params if p.name.lower() == key]
        if len(matches) == 1:
            return matches[0]
        valid = ", ".join(p.name for p in self.params) or "none"
        if matches:
            raise ParameterError(f"{self.owner}: {name!r} could be any of "
                                 f"{', '.join(p.name for p in matches)}; write the name's case")
        raise ParameterError(
            f"{self.owner} has no parameter {name!r}; valid parameters: {valid}"
            f"{_closest(name, [p.name for p in self.params])}")

    def check(self, params: Mapping[str, Any] | None = None, /, **kwargs: Any
              ) -> dict[str, ParamValue]:
        """Every parameter's value, ``params`` checked and converted over the defaults.

        Raises :class:`~actviz.errors.ParameterError` for an unknown parameter, a
        value out of range, or values the definition's ``constraint`` rejects.
        :func:`actviz.registry.get` binds the result to this definition.
        """
        given = {**(params or {}), **kwargs}
        values = self.defaults
        for key, value in given.items():
            param = self.param(key)
            values[param.name] = param.validate(value, self.owner)
        if self.constraint is not None:
            problem = self.constraint(values)
            if problem:
                raise ParameterError(f"{self.owner}: {problem}")
        return values

    @property
    def owner(self) -> str:
        """How messages about this definition's parameters name it (its name; an anonymous
        formula: its text)."""
        return self.name

    # Hooks for definitions that carry their own identity (a formula, a ``py:`` object).
    # The registry's BoundActivation asks them first; None (or {}) means "as for any
    # definition": spec ``name:key=value``, label ``name(key=value)``, equal when the
    # definition and the values are the same.

    def spec_for(self, params: Params) -> str | None:
        """The spec that reads back as this definition bound to ``params`` (None: the usual)."""
        return None

    def label_for(self, params: Params) -> str | None:
        """The label of this definition bound to ``params`` (None: ``name(key=value)``)."""
        return None

    def identity(self, params: Params) -> Any:
        """A hashable key; bound activations with equal keys are equal (None: the usual)."""
        return None

    def describe(self) -> dict[str, Any]:
        """Fields that the bound activation's ``as_dict`` adds or overrides."""
        return {}

    def __repr__(self) -> str:
        shown = ", ".join(f"{p.name}={_fmt(p.default)}" for p in self.params)
        return f"<activation definition {self.name}({shown}), family {self.family!r}>"


class Definitions(list):
    """The definitions of one module of built-ins, in order; the registry collects them.

    A module of built-ins writes ``DEFINITIONS = Definitions()`` and
    ``define = DEFINITIONS.define``, then ``define(Activation(...))`` for each
    activation; nothing is registered until :mod:`actviz.registry` loads them.
    """

    def define(self, activation: Activation) -> Activation:
        if not isinstance(activation, Activation):
            raise TypeError(f"define() takes an Activation, not {type(activation).__name__}")
        self.append(activation)
        return activation
