"""Properties of an activation computed numerically from its function and derivative.

The registry *declares* properties for every built-in activation; this module
*measures* them, so the tests can check that both agree and so tables show
measured values.  What is measured (x over a dense grid on [-20, 20], a
log-spaced grid out to +-1e6, the extremes +-1e300 and +-inf, and points just
beside every breakpoint):

- range: min and max of f (|f| > 1e10 counts as unbounded); the local
  extremum is refined on a finer grid.  Whether a bound is attained cannot be
  told from floating point (tanh(20) is exactly 1.0), so the measured range
  carries the bounds only, and the closedness of the declared range is kept;
- smoothness: at each breakpoint, whether f, f' or f'' jump (one-sided limits);
  -1, 0, 1, or inf when none jumps ("at least C2" numerically);
- monotonic / derivative monotonic: signs of the differences of f and f';
- zero-centred: f(0) = 0 and f takes both signs;
- identity near 0: f(0) = 0 and f'(0-) = f'(0+) = 1;
- saturating side: max |f'| < 1e-3 for x in -[1e3, 1e6] (left) or [1e3, 1e6] (right);
- dead region: f' exactly 0 on an interval inside [-20, 20] (beyond, float
  underflow zeroes every gradient and proves nothing).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .registry import BoundActivation, Interval, Properties, get
from .sampling import SATURATION_EPS

DENSE_HALF_WIDTH = 20.0
DENSE_STEP = 2e-3
UNBOUNDED = 1e10


@dataclass(frozen=True)
class Analysis:
    """Raw measurements behind :func:`compute_properties` (for diagnostics and tests)."""

    properties: Properties
    f0: float
    df0_left: float
    df0_right: float
    jumps: tuple[float, ...]          # breakpoints where f jumps
    kinks: tuple[float, ...]          # breakpoints where f' jumps (f continuous)
    curvature_breaks: tuple[float, ...]  # breakpoints where only f'' jumps
    undeclared_jumps: tuple[float, ...]  # grid places where f or f' jumps away from breakpoints


def _eval(act: BoundActivation, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return (np.asarray(act(x), dtype=np.float64), np.asarray(act.grad(x), dtype=np.float64))


def _grids(act: BoundActivation) -> tuple[np.ndarray, np.ndarray]:
    """The dense grid (with points beside breakpoints) and the whole sorted grid."""
    dense = np.arange(-DENSE_HALF_WIDTH, DENSE_HALF_WIDTH + DENSE_STEP / 2, DENSE_STEP)
    near = []
    for b in act.breakpoints:
        d = 1e-9 * max(1.0, abs(b))
        near += [b - d, b, b + d, b - 1e-4, b + 1e-4]
    wide = np.logspace(-6, 6, 1201)
    extremes = [1e300, math.inf]
    whole = np.unique(np.concatenate([dense, near, wide, -wide, extremes, [-e for e in extremes]]))
    dense_all = np.unique(np.concatenate([dense, near]))
    return dense_all, whole


def _refine_extremum(act: BoundActivation, x: np.ndarray, y: np.ndarray, index: int,
                     sign: float) -> float:
    """Refine min (sign=+1) or max (sign=-1) of f around x[index] by two finer grids."""
    best = float(y[index])
    lo = x[max(index - 1, 0)]
    hi = x[min(index + 1, len(x) - 1)]
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return best
    for _ in range(2):
        fine = np.linspace(lo, hi, 2001)
        values = np.asarray(act(fine), dtype=np.float64) * sign
        k = int(np.nanargmin(values))
        best = min(best * sign, float(values[k])) * sign
        lo, hi = fine[max(k - 1, 0)], fine[min(k + 1, len(fine) - 1)]
    return best


def _bound(value: float) -> float:
    if value > UNBOUNDED:
        return math.inf
    if value < -UNBOUNDED:
        return -math.inf
    return value


def _one_sided(act: BoundActivation, b: float):
    d = 1e-7 * max(1.0, abs(b))
    h = 1e-4 * max(1.0, abs(b))
    xs = np.array([b - d, b + d, b - d - h, b + d + h])
    f, g = _eval(act, xs)
    f2_left = (g[0] - g[2]) / h
    f2_right = (g[3] - g[1]) / h
    return f, g, (f2_left, f2_right)


def _differs(a: float, b: float, rel: float) -> bool:
    return abs(a - b) > rel * max(1.0, abs(a), abs(b))


def analyse(activation) -> Analysis:
    """Measure the properties of ``activation`` (spec or BoundActivation)."""
    act = get(activation)
    # User-registered functions need not be stable at 1e300; their warnings say nothing here
    # (the built-ins' stability is tested on its own).
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _analyse(act)


def _analyse(act: BoundActivation) -> Analysis:
    dense, whole = _grids(act)
    f_all, g_all = _eval(act, whole)
    ok = np.isfinite(whole) & ~np.isnan(f_all)

    # range ------------------------------------------------------------------------
    fx, xs = f_all[ok], whole[ok]
    i_min, i_max = int(np.argmin(fx)), int(np.argmax(fx))
    low = _refine_extremum(act, xs, fx, i_min, 1.0)
    high = _refine_extremum(act, xs, fx, i_max, -1.0)
    with np.errstate(invalid="ignore"):
        limits = np.asarray(act(np.array([-math.inf, math.inf])), dtype=np.float64)
    for v in limits:
        if not math.isnan(v):
            low, high = min(low, v), max(high, v)
    periodic = bool(np.isnan(limits).any() or np.isnan(np.asarray(
        act.grad(np.array([-math.inf, math.inf])), dtype=np.float64)).any())
    low, high = _bound(low), _bound(high)

    # smoothness at breakpoints -------------------------------------------------------
    jumps, kinks, curvature = [], [], []
    for b in act.breakpoints:
        f, g, (c_left, c_right) = _one_sided(act, b)
        if _differs(f[0], f[1], 1e-5):
            jumps.append(b)
        elif _differs(g[0], g[1], 1e-4):
            kinks.append(b)
        elif _differs(c_left, c_right, 1e-2):
            curvature.append(b)
    if jumps:
        smoothness = -1.0
    elif kinks:
        smoothness = 0.0
    elif curvature:
        smoothness = 1.0
    else:
        smoothness = math.inf

    # undeclared discontinuities on the dense grid -------------------------------------
    fd, gd = _eval(act, dense)
    step = np.diff(dense)
    slope = np.maximum(np.abs(gd[:-1]), np.abs(gd[1:]))
    f_break = np.abs(np.diff(fd)) > 10 * step * np.maximum(slope, 1e-3) + 1e-9
    dg = np.abs(np.diff(gd))
    neighbours = np.concatenate(([np.inf], dg[:-1])) + np.concatenate((dg[1:], [np.inf]))
    g_break = (dg > 1e-2) & (dg > 10 * neighbours)
    suspicious = dense[:-1][f_break | g_break]
    tolerance = 2 * DENSE_STEP
    undeclared = tuple(float(v) for v in suspicious
                       if not any(abs(v - b) <= tolerance for b in act.breakpoints))

    # monotonicity -------------------------------------------------------------------
    finite = np.isfinite(whole)
    fm, gm = f_all[finite], g_all[finite]
    df = np.diff(fm)
    scale = 1e-12 * np.maximum(1.0, np.abs(fm[1:]))
    monotonic = (bool(np.all(df >= -scale)) or bool(np.all(df <= scale)))
    ddf = np.diff(gm)
    gscale = 1e-9 * np.maximum(1.0, np.abs(gm[1:]))
    derivative_monotonic = (bool(np.all(ddf >= -gscale))
                                             or bool(np.all(ddf <= gscale)))

    # values at the origin ----------------------------------------------------------
    f0 = float(act(np.array([0.0]))[0])
    d = 1e-9
    g_left, g_right = (float(v) for v in act.grad(np.array([-d, d])))
    zero = abs(f0) < 1e-12
    zero_centered = zero and low < 0 < high
    identity = zero and abs(g_left - 1) < 1e-6 and abs(g_right - 1) < 1e-6 and not (
        0.0 in kinks or 0.0 in jumps)

    # saturation and dead regions -------------------------------------------------------
    far = np.logspace(3, 6, 301)
    with np.errstate(invalid="ignore"):
        left_far = np.abs(np.asarray(act.grad(-far), dtype=np.float64))
        right_far = np.abs(np.asarray(act.grad(far), dtype=np.float64))
    left = bool(np.all(left_far < SATURATION_EPS))
    right = bool(np.all(right_far < SATURATION_EPS))
    saturates = {(True, True): "both", (True, False): "left", (False, True): "right"}.get(
        (left, right), "none")
    zero_grad = gd == 0
    dead_region = bool(np.any(zero_grad[:-1] & zero_grad[1:] & (step > 1e-6)))

    declared = act.declared_properties
    closed = (declared.range.low_closed, declared.range.high_closed) if declared else (
        False, False)
    props = Properties(
        range=Interval(low, high, *closed),
        smoothness=smoothness,
        monotonic=monotonic,
        derivative_monotonic=derivative_monotonic,
        zero_centered=zero_centered,
        identity_near_origin=identity,
        saturates=saturates,
        dead_region=dead_region,
        periodic=periodic,
    )
    return Analysis(props, f0, g_left, g_right, tuple(jumps), tuple(kinks), tuple(curvature),
                    undeclared)


def compute_properties(activation) -> Properties:
    """The properties of ``activation`` measured numerically (see the module docstring)."""
    return analyse(activation).properties


def disagreements(activation, range_tolerance: float = 1e-6) -> list[str]:
    """Where the declared properties differ from the measured ones (empty when they agree).

    Smoothness agrees when equal, or when the declared order is 2 or more and
    nothing jumps numerically (numerics cannot tell C2 from C-infinity).
    """
    act = get(activation)
    declared = act.declared_properties
    if declared is None:
        return []
    analysis = analyse(act)
    measured = analysis.properties
    problems = []
    for side in ("low", "high"):
        a, b = getattr(declared.range, side), getattr(measured.range, side)
        if math.isinf(a) or math.isinf(b):
            if a != b:
                problems.append(f"range {side}: declared {a}, measured {b}")
        elif abs(a - b) > range_tolerance * max(1.0, abs(a)):
            problems.append(f"range {side}: declared {a!r}, measured {b!r}")
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
