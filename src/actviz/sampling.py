"""Sampling an activation for drawing: grids that contain every kink, breaks at jumps, regions.

Nothing here imports matplotlib; figures, the atlas and the HTML page all draw
from these arrays.

- :func:`sample` returns a :class:`Curve`: the x grid contains every
  breakpoint exactly (ReLU's corner is a corner), and where f or f' jumps the
  arrays hold ``[left limit, nan, right limit]`` at the same x, so a line
  drawn through them breaks instead of drawing a fake vertical segment.
- :func:`regions` returns the intervals where the gradient vanishes
  (0 < |f'| < eps: saturation) and where it is exactly 0 (dead), with
  boundaries refined by bisection.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import checks
from .registry import BoundActivation, get
from .types import SATURATION_EPS

__all__ = ["DEFAULT_POINTS", "DEFAULT_XLIM", "MAX_POINTS", "SATURATION_EPS", "Curve", "Jump",
           "Regions", "check_limits", "check_points", "check_xlim", "regions", "sample"]

MAX_POINTS = 1_000_000
DEFAULT_XLIM = (-10.0, 10.0)
DEFAULT_POINTS = 1000


@dataclass(frozen=True)
class Jump:
    """A discontinuity at ``x``: limits from the left and right, and the value at x itself."""

    x: float
    left: float
    right: float
    value: float


@dataclass(frozen=True)
class Curve:
    """Sampled f and f' of one activation.

    ``x``, ``y`` and ``dy`` have the same length; at a jump of f (or f') the
    x value appears three times with ``y`` (or ``dy``) equal to left limit,
    nan, right limit.  ``jumps`` and ``derivative_jumps`` list those points.
    """

    activation: BoundActivation
    x: np.ndarray
    y: np.ndarray
    dy: np.ndarray
    jumps: tuple[Jump, ...] = ()
    derivative_jumps: tuple[Jump, ...] = ()
    xlim: tuple[float, float] = DEFAULT_XLIM

    def as_dict(self) -> dict:
        """Plain lists (nan as None) for JSON or CSV export."""
        def clean(values):
            return [None if not math.isfinite(v) else float(v) for v in values]

        return {"activation": self.activation.label, "x": clean(self.x), "y": clean(self.y),
                "dy": clean(self.dy)}


@dataclass(frozen=True)
class Regions:
    """Intervals (a, b) inside the x-range where the gradient vanishes or is exactly zero."""

    saturated: tuple[tuple[float, float], ...] = ()
    dead: tuple[tuple[float, float], ...] = ()
    eps: float = SATURATION_EPS


def check_limits(limits, axis: str = "x") -> tuple[float, float]:
    """Return ``(lo, hi)`` as floats, or raise ActvizError unless finite with lo < hi.

    ``axis`` ('x' or 'y') names the limits in the message (:func:`actviz.checks.limits`).
    """
    return checks.limits(limits, axis)


def check_xlim(xlim) -> tuple[float, float]:
    """:func:`check_limits` for x-limits (the sampled interval)."""
    return checks.limits(xlim, "x")


def check_points(points) -> int:
    """Return ``points`` as an int in [2, MAX_POINTS], or raise ActvizError."""
    return checks.int_between(points, 2, MAX_POINTS, "points")


def _offset(x: float) -> float:
    """A step small enough to read one-sided limits at x, large enough to move x in float64."""
    return 1e-9 * max(1.0, abs(x))


def _is_jump(left: float, right: float) -> bool:
    if not (math.isfinite(left) and math.isfinite(right)):
        return False
    return abs(left - right) > 1e-6 * max(1.0, abs(left), abs(right))


def sample(activation, xlim=DEFAULT_XLIM, points: int = DEFAULT_POINTS) -> Curve:
    """Sample f and f' on ``points`` evenly spaced x plus every breakpoint inside ``xlim``.

    ``activation`` is a spec string or a BoundActivation.  The result's arrays
    break (nan) at jumps of f and of f'; see :class:`Curve`.
    """
    act = get(activation)
    lo, hi = check_xlim(xlim)
    n = check_points(points)
    inside = [b for b in act.breakpoints if lo <= b <= hi]
    x = np.union1d(np.linspace(lo, hi, n), np.asarray(inside, dtype=np.float64))
    y = np.asarray(act(x), dtype=np.float64)
    dy = np.asarray(act.grad(x), dtype=np.float64)

    jumps: list[Jump] = []
    djumps: list[Jump] = []
    pieces_x, pieces_y, pieces_dy = [], [], []
    start = 0
    for b in inside:
        i = int(np.searchsorted(x, b))
        d = _offset(b)
        fl, fr = (float(v) for v in act(np.array([b - d, b + d])))
        gl, gr = (float(v) for v in act.grad(np.array([b - d, b + d])))
        f_jump, g_jump = _is_jump(fl, fr), _is_jump(gl, gr)
        if not (f_jump or g_jump):
            continue
        if f_jump:
            jumps.append(Jump(b, fl, fr, float(y[i])))
        if g_jump:
            djumps.append(Jump(b, gl, gr, float(dy[i])))
        pieces_x.append(x[start:i])
        pieces_y.append(y[start:i])
        pieces_dy.append(dy[start:i])
        # at the edges of the range only one side exists
        left_y, right_y = (fl, fr) if f_jump else (y[i], y[i])
        left_dy, right_dy = (gl, gr) if g_jump else (dy[i], dy[i])
        xs, ys, dys = [b, b, b], [left_y, np.nan if f_jump else y[i], right_y], [
            left_dy, np.nan if g_jump else dy[i], right_dy]
        if b == lo:
            xs, ys, dys = [b], [y[i]], [dy[i] if not g_jump else right_dy]
        elif b == hi:
            xs, ys, dys = [b], [y[i]], [dy[i] if not g_jump else left_dy]
        pieces_x.append(np.array(xs))
        pieces_y.append(np.array(ys))
        pieces_dy.append(np.array(dys))
        start = i + 1
    if pieces_x:
        pieces_x.append(x[start:])
        pieces_y.append(y[start:])
        pieces_dy.append(dy[start:])
        x, y, dy = (np.concatenate(p) for p in (pieces_x, pieces_y, pieces_dy))
    return Curve(act, x, y, dy, tuple(jumps), tuple(djumps), (lo, hi))


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Index ranges [i, j] (inclusive) of consecutive True values."""
    if not mask.any():
        return []
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _bisect(predicate, inside: np.ndarray, outside: np.ndarray,
            iterations: int = 60) -> np.ndarray:
    """Boundaries between points where the vectorised ``predicate`` holds and where it does not.

    All boundaries are refined together: each step evaluates the predicate once on an
    array of midpoints.
    """
    inside, outside = inside.astype(np.float64), outside.astype(np.float64)
    for _ in range(iterations):
        middle = 0.5 * (inside + outside)
        holds = predicate(middle)
        inside = np.where(holds, middle, inside)
        outside = np.where(holds, outside, middle)
    return inside


def regions(activation, xlim=DEFAULT_XLIM, eps: float = SATURATION_EPS,
            points: int = 4001, min_width: float | None = None) -> Regions:
    """Where f' vanishes inside ``xlim``: saturated (0 < |f'| < eps) and dead (f' = 0).

    Dead intervals are those where f' is exactly 0 (dying ReLU); saturated
    intervals are where the gradient is not zero but below ``eps`` (vanishing
    gradient).  Boundaries are refined by bisection to float precision.
    Intervals narrower than ``min_width`` (default 0.1% of the x-range) are
    dropped: points where f' merely crosses 0 are not regions.
    """
    act = get(activation)
    lo, hi = check_xlim(xlim)
    eps = checks.eps(eps)
    n = check_points(points)
    width = (hi - lo) * 1e-3 if min_width is None else float(min_width)
    inside = [b for b in act.breakpoints if lo < b < hi]
    x = np.union1d(np.linspace(lo, hi, n), np.asarray(inside, dtype=np.float64))
    g = np.abs(np.asarray(act.grad(x), dtype=np.float64))

    def grad_at(v: np.ndarray) -> np.ndarray:
        return np.abs(np.asarray(act.grad(v), dtype=np.float64))

    def collect(mask: np.ndarray, predicate) -> tuple[tuple[float, float], ...]:
        runs = _runs(mask)
        if not runs:
            return ()
        first = np.array([i for i, _ in runs])
        last = np.array([j for _, j in runs])
        # a run that touches the end of the range ends there; others are refined
        starts = np.where(first == 0, x[first], _bisect(
            predicate, x[first], x[np.maximum(first - 1, 0)]))
        ends = np.where(last == len(x) - 1, x[last], _bisect(
            predicate, x[last], x[np.minimum(last + 1, len(x) - 1)]))
        return tuple((float(a), float(b)) for a, b in zip(starts, ends, strict=True)
                     if b - a >= width and b > a)

    dead = collect(g == 0, lambda v: grad_at(v) == 0)
    saturated = collect((g > 0) & (g < eps), lambda v: (grad_at(v) > 0) & (grad_at(v) < eps))
    return Regions(saturated=_merge_touching(saturated), dead=dead, eps=float(eps))


def _merge_touching(intervals: tuple[tuple[float, float], ...]) -> tuple[tuple[float, float], ...]:
    """Join intervals split only by an isolated zero of f' (tanhshrink at 0, say)."""
    merged: list[tuple[float, float]] = []
    for a, b in intervals:
        if merged and a - merged[-1][1] <= 1e-12 * max(1.0, abs(a)):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return tuple(merged)

