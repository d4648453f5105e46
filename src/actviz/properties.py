"""Declared properties against measured ones.

The registry *declares* properties for every built-in activation;
:mod:`actviz.measure` *measures* them from f, f' and the breakpoints (what is
measured, and how, is written there).  This module runs the measurement on a
registered activation, so the tests can check that both agree and so tables show
measured values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .measure import Measurement, measure
from .registry import Interval, Properties, ValueSet, get, properties_from


@dataclass(frozen=True)
class Analysis:
    """What :func:`compute_properties` found: the Properties, and the raw measurement behind them.

    The measurement's fields (``f0``, ``df0_left``, ``df0_right``, ``jumps``, ``kinks``,
    ``curvature_breaks``, ``undeclared_jumps``, see :class:`actviz.measure.Measurement`)
    read as attributes of the analysis too.
    """

    properties: Properties
    measurement: Measurement

    def __getattr__(self, name: str):
        if name.startswith("__"):  # copy, pickle and dataclass machinery
            raise AttributeError(name)
        return getattr(self.measurement, name)


def analyse(activation) -> Analysis:
    """Measure the properties of ``activation`` (spec or BoundActivation)."""
    act = get(activation)
    found = measure(act, act.grad, act.breakpoints)
    return Analysis(properties_from(found), found)


def compute_properties(activation) -> Properties:
    """The properties of ``activation`` measured numerically (see :mod:`actviz.measure`)."""
    return analyse(activation).properties


def disagreements(activation, range_tolerance: float = 1e-6) -> list[str]:
    """Where the declared properties differ from the measured ones (empty when they agree).

    Range bounds agree within ``range_tolerance`` (relative), their closedness exactly.
    Smoothness agrees when equal, or when the declared order is 2 or more and
    nothing jumps numerically (numerics cannot tell C2 from C-infinity).
    """
    act = get(activation)
    declared = act.declared_properties
    if declared is None:
        return []
    analysis = analyse(act)
    measured = analysis.properties
    problems = range_disagreements(declared.range, measured.range, range_tolerance)
    if not (declared.smoothness == measured.smoothness
            or (declared.smoothness >= 2 and math.isinf(measured.smoothness))):
        problems.append(f"smoothness: declared {declared.smoothness}, "
                        f"measured {measured.smoothness}")
    for name in ("monotonic", "derivative_monotonic", "zero_centered", "identity_near_origin",
                 "saturates", "dead_region", "periodic"):
        a, b = getattr(declared, name), getattr(measured, name)
        if a != b:
            problems.append(f"{name}: declared {a}, measured {b}")
    if analysis.undeclared_jumps:
        shown = ", ".join(f"{v:.4g}" for v in analysis.undeclared_jumps[:5])
        problems.append(f"f or f' jumps away from the declared breakpoints near x = {shown}")
    return problems


def range_disagreements(declared: Interval | ValueSet, measured: Interval | ValueSet,
                        tolerance: float = 1e-6) -> list[str]:
    """How two ranges differ: part by part, bounds within ``tolerance``, closedness exactly."""
    ours, theirs = _parts(declared), _parts(measured)
    if len(ours) != len(theirs):
        return [f"range: declared {declared}, measured {measured}"]
    problems = []
    for number, (a, b) in enumerate(zip(ours, theirs, strict=True), start=1):
        where = "range" if len(ours) == 1 else f"range part {number}"
        for side in ("low", "high"):
            x, y = getattr(a, side), getattr(b, side)
            if not _close(x, y, tolerance):
                problems.append(f"{where} {side}: declared {x!r}, measured {y!r}")
            elif math.isfinite(x) and getattr(a, f"{side}_closed") != getattr(b, f"{side}_closed"):
                problems.append(f"{where} {side} {x:g}: declared {_closedness(a, side)}, "
                                f"measured {_closedness(b, side)}")
    return problems


def _parts(value_range: Interval | ValueSet) -> tuple[Interval, ...]:
    return value_range.parts if isinstance(value_range, ValueSet) else (value_range,)


def _close(a: float, b: float, tolerance: float) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= tolerance * max(1.0, abs(a))


def _closedness(part: Interval, side: str) -> str:
    return "closed" if getattr(part, f"{side}_closed") else "open"
