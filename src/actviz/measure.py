"""Measure an activation's properties numerically from f, f' and its breakpoints.

This module sits below the registry: it knows nothing of definitions or specs, only
two NumPy callables (f and f', already bound to their parameters) and the sorted x
where the formula changes piece.  The registry measures the properties of user
activations that declare none with it; :mod:`actviz.properties` compares them with
the declared ones.  What is measured (x on a dense grid over [-20, 20], a
log-spaced grid out to +-1e6, +-1e300, +-inf, and points just beside every
breakpoint):

- range: the set of values f takes.  Between breakpoints f is continuous, so each
  piece's image is an interval (its extremes refined on finer grids); the values at
  the breakpoints are points; their union is the range.  A bound is *attained*
  (closed) when f reaches it at a finite x: at an interior extremum, on a flat
  stretch, or at a breakpoint.  A bound that f only approaches (as x -> +-inf or
  towards a breakpoint) is open, even where floating point rounds f onto it
  (tanh(20) is exactly 1.0): such a stretch is told apart from a true flat one
  because f leaves it at the rate of rounding, not of the function;
- smoothness at each breakpoint: whether f, f' or f'' jump (one-sided limits);
  -1, 0, 1, or inf when none jumps ("at least C2" numerically);
- monotonic / derivative monotonic: signs of the differences of f and f';
- zero-centred: f(0) = 0 and f takes both signs;
- identity near 0: f(0) = 0 and f'(0-) = f'(0+) = 1;
- saturating side: max |f'| < SATURATION_EPS for x in -[1e3, 1e6] (left) or
  [1e3, 1e6] (right);
- dead region: f' exactly 0 and f constant on an interval that is truly flat (not
  a tail rounded onto its asymptote, where every gradient underflows);
- periodic: f or f' keeps oscillating for large |x| (by at least 1e-3, relative),
  so f(+-inf) has no value.  A nan at +-inf alone says nothing: x / (1 + |x|) gives
  nan at inf.

:func:`numerical_derivative` is f' by finite differences, for definitions that
give none (the registry's ``grad``, a formula naming such an activation).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from .types import SATURATION_EPS  # |f'| below it counts as saturated

DENSE_HALF_WIDTH = 20.0
DENSE_STEP = 2e-3
UNBOUNDED = 1e10
FAR = np.logspace(3, 6, 301)       # where saturation is measured
OSCILLATING = np.logspace(4, 6, 201)  # where periodicity is (sinc's swings are below 1e-3 here)
HUGE = 1e300

# A stretch where f is constant ends "truly" when f leaves it at a slope above
# FLAT_SLOPE * max(1, |value|), measured FLAT_PROBE away; f rounded onto an
# asymptote leaves it at the rate of rounding (1e-14 or less).
FLAT_SLOPE = 1e-9
FLAT_PROBE = 1e-3
# f or f' oscillating by more than this (relative) at large |x| means periodic.
OSCILLATION = 1e-3

Array = np.ndarray
Function = Callable[[Array], Array]
Part = tuple[float, float, bool, bool]  # low, high, low_closed, high_closed; a point is v, v


@dataclass(frozen=True)
class Measurement:
    """What :func:`measure` found: the fields of ``Properties`` and the raw numbers."""

    range_parts: tuple[Part, ...]  # disjoint, increasing
    smoothness: float
    monotonic: bool
    derivative_monotonic: bool
    zero_centered: bool
    identity_near_origin: bool
    saturates: str
    dead_region: bool
    periodic: bool
    f0: float
    df0_left: float
    df0_right: float
    jumps: tuple[float, ...]             # breakpoints where f jumps
    kinks: tuple[float, ...]             # breakpoints where f' jumps (f continuous)
    curvature_breaks: tuple[float, ...]  # breakpoints where only f'' jumps
    undeclared_jumps: tuple[float, ...]  # grid places where f or f' jumps away from breakpoints

    def property_fields(self) -> dict[str, object]:
        """The fields of ``Properties`` other than ``range``, by name."""
        names = ("smoothness", "monotonic", "derivative_monotonic", "zero_centered",
                 "identity_near_origin", "saturates", "dead_region", "periodic")
        return {name: getattr(self, name) for name in names}


def measure(f: Function, df: Function, breakpoints: Sequence[float] = ()) -> Measurement:
    """Measure f (with derivative ``df``) whose pieces meet at ``breakpoints``.

    User functions need not be stable at 1e300; their warnings say nothing here (the
    built-ins' stability is tested on its own).
    """
    points = tuple(sorted({float(b) for b in breakpoints}))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        return _measure(_evaluator(f), _evaluator(df), points)


def _evaluator(function: Function) -> Function:
    return lambda x: np.asarray(function(np.asarray(x, dtype=np.float64)), dtype=np.float64)


def _measure(f: Function, df: Function, breakpoints: tuple[float, ...]) -> Measurement:
    dense, whole = _grids(breakpoints)
    fw, gw = f(whole), df(whole)
    periodic = _oscillates(f, df)
    x_range, f_range = (whole, fw) if not periodic else _with_huge(f, whole, fw)
    parts = _range_set(f, x_range, f_range, breakpoints, _limits(f, periodic))
    jumps, kinks, curvature = _classify_breakpoints(f, df, breakpoints)
    f0, g_left, g_right = _at_origin(f, df)
    zero = abs(f0) < 1e-12
    low, high = parts[0][0], parts[-1][1]
    return Measurement(
        range_parts=parts,
        smoothness=_smoothness(jumps, kinks, curvature),
        monotonic=_monotone(fw, 1e-12),
        derivative_monotonic=_monotone(gw, 1e-9),
        zero_centered=zero and low < 0 < high,
        identity_near_origin=(zero and abs(g_left - 1) < 1e-6 and abs(g_right - 1) < 1e-6
                              and 0.0 not in kinks and 0.0 not in jumps),
        saturates=_saturated_sides(df),
        dead_region=_dead_region(whole, fw, gw),
        periodic=periodic,
        f0=f0, df0_left=g_left, df0_right=g_right,
        jumps=jumps, kinks=kinks, curvature_breaks=curvature,
        undeclared_jumps=_undeclared_jumps(f, df, dense, breakpoints),
    )


# --------------------------------------------------------------------------- grids


def _grids(breakpoints: tuple[float, ...]) -> tuple[Array, Array]:
    """The dense grid (with points beside breakpoints) and the whole sorted finite grid."""
    dense = np.arange(-DENSE_HALF_WIDTH, DENSE_HALF_WIDTH + DENSE_STEP / 2, DENSE_STEP)
    near = [0.0]
    for b in breakpoints:
        d = 1e-9 * max(1.0, abs(b))
        near += [b - d, b, b + d, b - 1e-4, b + 1e-4]
    wide = np.logspace(-6, 6, 1201)
    whole = np.unique(np.concatenate([dense, near, wide, -wide, [HUGE, -HUGE]]))
    dense_all = np.unique(np.concatenate([dense, near]))
    return dense_all, whole


def _with_huge(f: Function, x: Array, fx: Array) -> tuple[Array, Array]:
    """The grid and f on it, with |x| out to 1e300: an oscillating f has no limit to tell
    whether it is bounded (x sin x is not), so its range is sampled further out."""
    huge = np.logspace(6.5, 299.5, 294)
    more = np.concatenate([-huge, huge])
    order = np.argsort(np.concatenate([x, more]), kind="stable")
    return np.concatenate([x, more])[order], np.concatenate([fx, f(more)])[order]


# --------------------------------------------------------------------------- behaviour at infinity


def _oscillates(f: Function, df: Function) -> bool:
    """Whether f or f' keeps swinging up and down for large |x| (on either side)."""
    for side in (-OSCILLATING, OSCILLATING):
        for values in (f(side), df(side)):
            if _swings(values) >= 3:
                return True
    return False


def _swings(values: Array) -> int:
    """How often the sequence turns between increases and decreases larger than OSCILLATION."""
    step = np.diff(values)
    big = np.abs(step) > OSCILLATION * np.maximum(1.0, np.abs(values[1:]))
    signs = np.sign(step[big & np.isfinite(step)])
    return int(np.count_nonzero(signs[1:] != signs[:-1]))


def _limits(f: Function, periodic: bool) -> tuple[float, float]:
    """f(-inf) and f(+inf): nan when f oscillates; f(+-1e300) where f(+-inf) is nan."""
    if periodic:
        return (math.nan, math.nan)
    at_inf = f(np.array([-math.inf, math.inf]))
    at_huge = f(np.array([-HUGE, HUGE]))
    return tuple(float(a if not math.isnan(a) else b) for a, b in zip(at_inf, at_huge,
                                                                      strict=True))


# --------------------------------------------------------------------------- range


def _range_set(f: Function, x: Array, fx: Array, breakpoints: tuple[float, ...],
               limits: tuple[float, float]) -> tuple[Part, ...]:
    """The set of values of f: the image of each piece, and f at each breakpoint."""
    edges = (-math.inf, *breakpoints, math.inf)
    parts: list[Part] = []
    for a, b in pairwise(edges):
        inside = (x > a) & (x < b) & ~np.isnan(fx)
        left = limits[0] if a == -math.inf else _one_sided_limit(f, a, +1)
        right = limits[1] if b == math.inf else _one_sided_limit(f, b, -1)
        piece = _piece_image(f, x[inside], fx[inside], (left, right))
        if piece is not None:
            parts.append(piece)
    if breakpoints:
        for value in f(np.array(breakpoints)):
            if not math.isnan(value):
                parts.append((_unbounded(value), _unbounded(value), True, True))
    return _merge(parts)


def _one_sided_limit(f: Function, b: float, side: int) -> float:
    """f(b+) (side=+1) or f(b-) (side=-1), from f two ulps away, rounded to a short decimal."""
    step = max(2 * math.ulp(b), 1e-300)
    return _snap(float(f(np.array([b + side * step]))[0]))


def _snap(value: float) -> float:
    """The shortest decimal within 4 ulps of ``value`` (1.0000000000000009 -> 1.0); 0 for tiny."""
    if not math.isfinite(value):
        return value
    if abs(value) < 1e-290:
        return 0.0
    for digits in range(1, 16):
        candidate = float(f"{value:.{digits}g}")
        if abs(candidate - value) <= 4 * math.ulp(value):
            return candidate
    return value


def _piece_image(f: Function, x: Array, fx: Array, ends: tuple[float, float]) -> Part | None:
    """The image of f over one piece: (low, high, low_closed, high_closed)."""
    low = _piece_bound(f, x, fx, ends, +1.0)
    high = _piece_bound(f, x, fx, ends, -1.0)
    if low is None or high is None:
        return None
    return (low[0], high[0], low[1], high[1])


def _piece_bound(f: Function, x: Array, fx: Array, ends: tuple[float, float],
                 sign: float) -> tuple[float, bool] | None:
    """The infimum (sign=+1) or supremum (sign=-1) of f on a piece, and whether f attains it."""
    z = sign * fx
    end_values = [sign * v for v in ends if not math.isnan(v)]
    end_best = min(end_values, default=math.inf)
    if z.size == 0:
        return None if not end_values else (_unbounded(sign * end_best), False)
    i = int(np.argmin(z))
    best = float(z[i])
    if 0 < i < z.size - 1 and z[i - 1] > best < z[i + 1]:  # an interior extremum
        best = min(best, sign * _refine_extremum(f, x, i, sign))
        if best <= end_best:
            return (_unbounded(sign * best), True)
    if end_best < best:
        return (_unbounded(sign * end_best), False)
    level = sign * best
    ends_at_level = (ends[0] == level, ends[1] == level)
    attained = any(_truly_flat(x, fx, lo, hi, ends_at_level)
                   for lo, hi in _runs(z == best))
    return (_unbounded(level), attained)


def _truly_flat(x: Array, fx: Array, lo: int, hi: int, ends_at_level: tuple[bool, bool]) -> bool:
    """Whether f really takes its value on run x[lo..hi] (not rounding towards an end's limit).

    A run away from the piece's ends, or one that covers the piece, is real.  A run that
    reaches an end where f tends to the same value is real only if f leaves it, at its
    other end, faster than rounding would.
    """
    at_left, at_right = lo == 0 and ends_at_level[0], hi == x.size - 1 and ends_at_level[1]
    if at_left and at_right:
        return True
    if at_left:
        return _leaves(x, fx, hi, +1)
    if at_right:
        return _leaves(x, fx, lo, -1)
    return True


def _leaves(x: Array, fx: Array, index: int, direction: int) -> bool:
    """Whether f departs from fx[index] at a real slope, a little way along ``direction``."""
    target = x[index] + direction * FLAT_PROBE
    if direction > 0:
        k = int(np.searchsorted(x, target, side="left"))
        if k >= x.size:
            return True
    else:
        k = int(np.searchsorted(x, target, side="right")) - 1
        if k < 0:
            return True
    value = fx[index]
    slope = abs(fx[k] - value) / abs(x[k] - x[index])
    return bool(slope > FLAT_SLOPE * max(1.0, abs(value)))


def _runs(mask: Array) -> list[tuple[int, int]]:
    """Index ranges [i, j] (inclusive) of consecutive True values."""
    if not mask.any():
        return []
    padded = np.concatenate(([False], mask, [False])).astype(np.int8)
    change = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b) - 1) for a, b in zip(change[::2], change[1::2], strict=True)]


def _refine_extremum(f: Function, x: Array, index: int, sign: float) -> float:
    """Refine min (sign=+1) or max (sign=-1) of f around x[index] by two finer grids."""
    lo, hi = x[index - 1], x[index + 1]
    best = sign * float(f(np.array([x[index]]))[0])
    for _ in range(2):
        fine = np.linspace(lo, hi, 2001)
        values = f(fine) * sign
        if np.isnan(values).all():
            break
        k = int(np.nanargmin(values))
        best = min(best, float(values[k]))
        lo, hi = fine[max(k - 1, 0)], fine[min(k + 1, len(fine) - 1)]
    return sign * best


def _unbounded(value: float) -> float:
    """+-inf beyond +-UNBOUNDED (|f| > 1e10 counts as unbounded), else the value."""
    if value > UNBOUNDED:
        return math.inf
    if value < -UNBOUNDED:
        return -math.inf
    return value + 0.0  # no -0.0


def _merge(parts: list[Part]) -> tuple[Part, ...]:
    """Sorted disjoint parts; parts that overlap, touch where one is closed, or are apart by
    less than rounding (1e-12 relative: limits estimated beside a breakpoint) become one."""
    if not parts:
        return ((math.nan, math.nan, False, False),)
    parts = sorted(parts, key=lambda p: (p[0], not p[2]))
    merged = [parts[0]]
    for low, high, low_closed, high_closed in parts[1:]:
        m_low, m_high, m_low_closed, m_high_closed = merged[-1]
        gap = low - m_high
        tiny = 1e-12 * max(1.0, abs(m_high)) if math.isfinite(m_high) else 0.0
        if gap < 0 or (gap == 0 and (low_closed or m_high_closed)) or 0 < gap <= tiny:
            if (high, high_closed) > (m_high, m_high_closed):
                m_high, m_high_closed = high, high_closed
            merged[-1] = (m_low, m_high, m_low_closed, m_high_closed)
        else:
            merged.append((low, high, low_closed, high_closed))
    return tuple((lo, hi, lc and math.isfinite(lo), hc and math.isfinite(hi))
                 for lo, hi, lc, hc in merged)


# --------------------------------------------------------------------------- smoothness


def _classify_breakpoints(f: Function, df: Function, breakpoints: tuple[float, ...]):
    """Breakpoints where f jumps, where f' jumps (kinks), where only f'' jumps."""
    jumps, kinks, curvature = [], [], []
    for b in breakpoints:
        fs, gs, (c_left, c_right) = _one_sided(f, df, b)
        if _differs(fs[0], fs[1], 1e-5):
            jumps.append(b)
        elif _differs(gs[0], gs[1], 1e-4):
            kinks.append(b)
        elif _differs(c_left, c_right, 1e-2):
            curvature.append(b)
    return tuple(jumps), tuple(kinks), tuple(curvature)


def _one_sided(f: Function, df: Function, b: float):
    d = 1e-7 * max(1.0, abs(b))
    h = 1e-4 * max(1.0, abs(b))
    xs = np.array([b - d, b + d, b - d - h, b + d + h])
    fs, gs = f(xs), df(xs)
    return fs, gs, ((gs[0] - gs[2]) / h, (gs[3] - gs[1]) / h)


def _differs(a: float, b: float, rel: float) -> bool:
    return abs(a - b) > rel * max(1.0, abs(a), abs(b))


def _smoothness(jumps, kinks, curvature) -> float:
    if jumps:
        return -1.0
    if kinks:
        return 0.0
    if curvature:
        return 1.0
    return math.inf


def _undeclared_jumps(f: Function, df: Function, dense: Array,
                      breakpoints: tuple[float, ...]) -> tuple[float, ...]:
    """Grid places where f or f' jumps, away from the declared breakpoints."""
    fd, gd = f(dense), df(dense)
    step = np.diff(dense)
    slope = np.maximum(np.abs(gd[:-1]), np.abs(gd[1:]))
    f_break = np.abs(np.diff(fd)) > 10 * step * np.maximum(slope, 1e-3) + 1e-9
    dg = np.abs(np.diff(gd))
    neighbours = np.concatenate(([np.inf], dg[:-1])) + np.concatenate((dg[1:], [np.inf]))
    g_break = (dg > 1e-2) & (dg > 10 * neighbours)
    suspicious = dense[:-1][f_break | g_break]
    tolerance = 2 * DENSE_STEP
    return tuple(float(v) for v in suspicious
                 if not any(abs(v - b) <= tolerance for b in breakpoints))


# --------------------------------------------------------------------------- shape


def _monotone(values: Array, rel: float) -> bool:
    """Whether ``values`` (f or f' along the grid) never decrease or never increase, where
    defined (nan skipped; inf to inf is no step)."""
    values = values[~np.isnan(values)]
    if values.size < 2:
        return False
    step = np.where(values[1:] == values[:-1], 0.0, np.diff(values))
    scale = rel * np.maximum(1.0, np.abs(values[1:]))
    return bool(np.all(step >= -scale)) or bool(np.all(step <= scale))


def _at_origin(f: Function, df: Function) -> tuple[float, float, float]:
    """f(0), and f' just left and right of 0."""
    f0 = float(f(np.array([0.0]))[0])
    g_left, g_right = (float(v) for v in df(np.array([-1e-9, 1e-9])))
    return f0, g_left, g_right


def _saturated_sides(df: Function) -> str:
    left = bool(np.all(np.abs(df(-FAR)) < SATURATION_EPS))
    right = bool(np.all(np.abs(df(FAR)) < SATURATION_EPS))
    return {(True, True): "both", (True, False): "left", (False, True): "right"}.get(
        (left, right), "none")


def _dead_region(x: Array, fx: Array, gx: Array) -> bool:
    """Whether f' is exactly 0 on an interval where f is truly flat (a run of constant f that
    f leaves at a real slope, not a tail rounded onto its asymptote)."""
    for lo, hi in _runs(fx[:-1] == fx[1:]):
        first, last = lo, hi + 1  # f is constant on x[first..last]
        if x[last] - x[first] <= 1e-6:
            continue
        if not ((first == 0 or _leaves(x, fx, first, -1))
                and (last == x.size - 1 or _leaves(x, fx, last, +1))):
            continue
        xs, zero = x[first:last + 1], gx[first:last + 1] == 0
        if any(xs[j] - xs[i] > 1e-6 for i, j in _runs(zero)):
            return True
    return False


# --------------------------------------------------------------------------- f' from f

_STEP = np.finfo(np.float64).eps ** 0.2  # the step of the difference quotients, relative to |x|


def numerical_derivative(function: Callable[[np.ndarray], np.ndarray], x: np.ndarray,
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
