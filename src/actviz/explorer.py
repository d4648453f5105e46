"""The interactive explorer: one offline HTML page with an activation picker and parameter sliders.

Everything the page shows is computed here, in Python, from the registry; the
page's JavaScript only swaps precomputed arrays.  Two steps, kept apart:

- :func:`explorer_data` samples every activation on a grid of parameter values
  (:func:`slider_values` chooses the values of each slider from the
  parameter's ``low``/``high``/``sweep``), finds the saturated and dead regions,
  and returns plain, JSON-ready data (curves packed as float32);
- :func:`write_html` (and :func:`build_html`) turn that data into one
  self-contained page with Bokeh (plot) and a little JavaScript (controls).

How the parameter grid is built (see :func:`parameter_grid`):

- one parameter: one curve per slider value (up to ~21 values);
- two parameters: the full grid of both (~11 values each), so any combination
  of the two sliders is exact;
- three or more (SReLU has four): one parameter at a time, the others at their
  starting values; moving one slider puts the others back to their starting
  values (the page says so), which keeps the page small instead of storing
  11**4 curves.

Curves are sampled with :func:`actviz.sampling.sample` (every kink on the
grid, ``nan`` breaks at jumps) and then thinned: points are dropped only where
the polyline through the kept points stays within ``tolerance`` (relative to
the curve's height, 1e-3 by default: half a pixel on a 500-pixel plot) of
every dropped sample, so straight pieces cost two points.  The kept values are
the registry's own values rounded to float32.

The page's data contract
------------------------
What Python hands the page's script (``actviz/page/explorer.js``), written down
once, here.  :func:`explorer_data` returns, JSON-ready:

- ``lang`` ('en' or 'ja'); ``xlim`` ``[lo, hi]``, the sampled x-range; ``eps``, the
  saturation threshold of the ``saturated`` intervals (``actviz.types.SATURATION_EPS``);
  ``max_overlays`` (curves shown at once); ``initial`` (entry indices shown first).
- ``buffer``: base64 of little-endian float32 values, every array of the page.
- ``curves[id]``: ``offset`` and ``n``: the curve's x, y and f' are
  ``buffer[offset : offset+n]``, ``[offset+n : offset+2n]``, ``[offset+2n : offset+3n]``
  (a jump is the same x three times, with y = left limit, nan, right limit);
  ``saturated`` and ``dead``: ``[[a, b], ...]`` intervals of x; ``highlights``:
  ``[{kind: 'saturated'|'dead', offset, n}]``, the curve's pieces there (n x, then n y);
  ``y_range``, ``dy_range``: ``[low, high]`` of f and f' inside ``xlim``.
- ``entries[i]``, one per activation: ``name``, ``display_name``, ``label``,
  ``family``; ``params[k]``: ``name``, ``symbol`` (LaTeX), ``symbol_text``,
  ``description``, ``allowed``, ``choices`` (true for a choice of strings),
  ``values`` and ``labels`` (the slider's values and their text), ``start`` and
  ``default`` (indices into ``values``; ``default`` may be null);
  ``mode``, ``strides``, ``offsets`` and ``cells`` (below); ``problems``: messages
  of the cells whose values are not allowed; ``properties``: distinct tables of
  ``[label, value]`` rows, ``property_of_cell[cell]`` the table of a cell (-1: none);
  ``latex``, ``latex_derivative``; ``formula``, ``formula_derivative``:
  ``{src: PNG data URI, width, height}`` or null; ``derivative`` ('analytic' or
  'numerical'), ``derivative_note``, ``explanation``, ``references``
  (``[{text, url}]``), ``torch`` (PyTorch's name or null).

A *cell* is one combination of slider positions ``idx[k]`` (indices into
``params[k].values``); ``cells[cell]`` is its curve id, or ``-1 - j`` when the
values are not allowed (``problems[j]`` says why).  The cell of the positions is:

- ``mode == 'grid'``: ``sum(idx[k] * strides[k])`` (every combination; the last
  parameter varies fastest);
- ``mode == 'axes'``: ``offsets[k] + idx[k]`` for the one slider ``k`` last moved
  (the others are at ``start``; before any slider moves, k = 0).

The script reads ``strides`` and ``offsets`` instead of re-deriving them;
:class:`ParameterGrid` makes them.  :func:`actviz._explorer_page.render_page` adds
the page's own keys: ``ui`` (strings), ``colors``, ``families``,
``family_labels`` and ``eps_text`` (``eps`` as the page writes it, 10⁻³).
"""

from __future__ import annotations

import base64
import math
import struct
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _io, _locales, checks, registry, sampling
from ._text import property_rows
from .errors import OptionalDependencyError, ParameterError
from .registry import BoundActivation, Param
from .types import SATURATION_EPS

__all__ = [
    "DEFAULT_INITIAL",
    "ParameterGrid",
    "build_html",
    "decode_curve",
    "explorer_data",
    "parameter_grid",
    "simplify",
    "slider_values",
    "write_html",
]

#: Activations shown (overlaid) when the page opens without specs: the blog's four.
DEFAULT_INITIAL = ("sigmoid", "tanh", "relu", "leaky_relu")
DEFAULT_XLIM = sampling.DEFAULT_XLIM
DEFAULT_POINTS = 2001
DEFAULT_TOLERANCE = 1e-3
#: At most this many curves overlaid at once (one colour each).
MAX_OVERLAYS = 10

_NICE_STEPS = (1.0, 1.25, 2.0, 2.5, 5.0)
_NICE_MANTISSAS = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)


# --------------------------------------------------------------------------- slider values


def _clean(value: float) -> float:
    """Round away binary noise (0.30000000000000004 -> 0.3) without moving real values."""
    return float(f"{value:.12g}")


def _inside(param: Param, value: float) -> bool:
    try:
        param.validate(value)
    except ParameterError:
        return False
    return True


def _linear_candidates(lo: float, hi: float, count: int) -> list[list[float]]:
    grids = []
    span = hi - lo
    if span <= 0:
        return grids
    exponent = math.floor(math.log10(span / max(count - 1, 1)))
    for e in (exponent - 1, exponent, exponent + 1):
        for mantissa in _NICE_STEPS:
            step = mantissa * 10.0 ** e
            first = math.floor(lo / step + 1e-9)
            last = math.ceil(hi / step - 1e-9)
            if 2 <= last - first + 1 <= count:
                grids.append([_clean(k * step) for k in range(first, last + 1)])
    return grids


def _geometric_grid(lo: float, hi: float) -> list[float]:
    values = []
    for e in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1):
        for mantissa in _NICE_MANTISSAS:
            value = _clean(mantissa * 10.0 ** e)
            if lo * (1 - 1e-9) <= value <= hi * (1 + 1e-9):
                values.append(value)
    return values


def slider_values(param: Param, count: int = 15,
                  include: Iterable[float | str] = ()) -> tuple[float | str, ...]:
    """The values a slider of ``param`` offers, sorted, including its default and sweep.

    ``count`` (default 15) is the number of values aimed at; the result has
    roughly ``count`` values (fewer when the allowed range is narrow, a few more
    when sweep values fall between grid steps).  The slider covers the sweep
    widened by half its width on each side (scale-like parameters, whose sweep
    spans a factor of 5 or more, by a factor of 2 on a log scale, plus 0 when 0
    is allowed), clipped to the allowed range; steps are round numbers.  ``include`` adds values that
    must be reachable (e.g. from a spec), widening the range if needed.  A
    choice parameter returns its choices.
    """
    if param.choices is not None:
        return tuple(param.choices)
    sweep = sorted({float(v) for v in (*param.sweep, param.default)})
    must = sorted({float(param.validate(v)) for v in (*sweep, *include)})
    lo, hi = sweep[0], sweep[-1]
    geometric = lo > 0 and hi / lo >= 5 and (param.low is None or param.low >= 0)
    if geometric:
        lo, hi = lo / 2, hi * 2
    else:
        span = hi - lo if hi > lo else max(abs(lo), 1.0)
        lo, hi = lo - span / 2, hi + span / 2
    if param.low is not None:
        lo = max(lo, param.low)
    if param.high is not None:
        hi = min(hi, param.high)
    lo, hi = min(lo, *must), max(hi, *must)  # a spec's value widens the slider's range
    if geometric:
        grid = _geometric_grid(lo, hi)
        if param.low == 0 and not param.low_open:
            grid.insert(0, 0.0)  # e.g. a leaky slope of 0: plain ReLU, the limiting case
    else:
        best = None
        for candidate in _linear_candidates(lo, hi, count):
            candidate = [v for v in candidate if _inside(param, v)]
            on_grid = {round(v, 9) for v in candidate}
            missing = sum(round(v, 9) not in on_grid for v in sweep)
            # every sweep value on the grid matters most; then not too few values
            score = (missing + max(0.0, 0.6 * count - len(candidate)) / 2,
                     abs(len(candidate) - count))
            if best is None or score < best[0]:
                best = (score, candidate)
        grid = best[1] if best else []
    values = sorted({_clean(v) for v in grid if _inside(param, v)} | set(must))
    # drop grid values that crowd a required value (closer than a third of a step)
    if len(values) > 2:
        step = (values[-1] - values[0]) / (len(values) - 1)
        keep = []
        for v in values:
            near_must = any(0 < abs(v - m) < step / 3 for m in must)
            if v in must or not near_must or geometric:
                keep.append(v)
        values = keep
    return tuple(values)


# --------------------------------------------------------------------------- parameter grid


@dataclass(frozen=True)
class ParameterGrid:
    """Which parameter combinations an activation's sliders reach.

    ``values[k]`` are the slider values of parameter ``names[k]``; ``start[k]``
    the index each slider starts at.  ``mode`` is ``'grid'`` (every combination:
    cell index ``sum(i_k * strides[k])``) or ``'axes'`` (one parameter moved at a
    time from ``start``: cell ``offsets[k] + i_k``).
    """

    names: tuple[str, ...]
    values: tuple[tuple[float | str, ...], ...]
    start: tuple[int, ...]
    mode: str

    @property
    def strides(self) -> tuple[int, ...]:
        strides, size = [], 1
        for vals in reversed(self.values):
            strides.append(size)
            size *= len(vals)
        return tuple(reversed(strides))

    @property
    def offsets(self) -> tuple[int, ...]:
        offsets, total = [], 0
        for vals in self.values:
            offsets.append(total)
            total += len(vals)
        return tuple(offsets)

    def cells(self) -> list[dict[str, float | str]]:
        """The parameter values of every cell, in cell order."""
        if not self.names:
            return [{}]
        if self.mode == "grid":
            out = []
            for flat in range(math.prod(len(v) for v in self.values)):
                idx = [(flat // s) % len(v) for s, v in zip(self.strides, self.values, strict=True)]
                out.append({n: v[i] for n, v, i in zip(self.names, self.values, idx, strict=True)})
            return out
        base = {n: v[i] for n, v, i in zip(self.names, self.values, self.start, strict=True)}
        return [{**base, name: value}
                for name, vals in zip(self.names, self.values, strict=True) for value in vals]


def parameter_grid(act: BoundActivation, grid_limit: int = 2,
                   counts: Mapping[int, int] | None = None) -> ParameterGrid:
    """The slider values of ``act``'s parameters and how they combine.

    ``act``'s own parameter values become the sliders' starting positions (and
    are always reachable).  Up to ``grid_limit`` (default 2) parameters get the
    full grid; more parameters are moved one at a time.  ``counts`` maps the
    number of parameters to the values per slider (default ``{1: 21, 2: 11}``,
    11 for more).
    """
    params = act.definition.params
    counts = {1: 21, 2: 11, **(counts or {})}
    count = counts.get(len(params), 11)
    names, values, start = [], [], []
    for p in params:
        current = act.params[p.name]
        vals = slider_values(p, count, include=() if p.choices else (current,))
        names.append(p.name)
        values.append(vals)
        start.append(vals.index(current))
    mode = "grid" if len(params) <= grid_limit else "axes"
    return ParameterGrid(tuple(names), tuple(values), tuple(start), mode)


# --------------------------------------------------------------------------- curves


def simplify(x: np.ndarray, ys: Sequence[np.ndarray], tolerances: Sequence[float]) -> np.ndarray:
    """Indices of the points to keep so that straight-line interpolation stays within tolerance.

    A Ramer-Douglas-Peucker thinning on vertical distances, one level of all
    segments at a time: between two kept points, every dropped point of every
    array in ``ys`` lies within ``tolerances[j]`` of the chord (a tolerance of 0
    keeps every point that is not exactly on a line).  ``nan`` values split
    the curve: they and their neighbours are always kept, so breaks at jumps
    survive, and points with a repeated x (jump triples) are kept whole.
    ``x`` must be non-decreasing.
    """
    x = np.asarray(x, dtype=np.float64)
    ys = [np.asarray(y, dtype=np.float64) for y in ys]
    n = len(x)
    keep = np.zeros(n, dtype=bool)
    if n <= 2:
        keep[:] = True
        return np.flatnonzero(keep)
    bad = np.zeros(n, dtype=bool)
    for y in ys:
        bad |= ~np.isfinite(y)
    keep[0] = keep[-1] = True
    keep[bad] = True
    keep[:-1] |= bad[1:]
    keep[1:] |= bad[:-1]
    same = np.flatnonzero(np.diff(x) == 0)
    keep[same] = True
    keep[same + 1] = True
    scales = [1.0 / tol if tol > 0 else np.inf for tol in tolerances]
    settled = np.zeros(n, dtype=bool)
    while True:
        anchors = np.flatnonzero(keep)
        free = np.flatnonzero(~keep & ~settled)
        if free.size == 0:
            break
        segment = np.searchsorted(anchors, free) - 1
        a, b = anchors[segment], anchors[segment + 1]
        t = (x[free] - x[a]) / (x[b] - x[a])
        error = np.zeros(free.size)
        with np.errstate(invalid="ignore"):
            for y, scale in zip(ys, scales, strict=True):
                deviation = np.abs(y[free] - (y[a] + t * (y[b] - y[a])))
                # inf * 0 (tolerance 0, no deviation) must not count
                np.maximum(error, np.where(deviation > 0, deviation * scale, 0.0), out=error)
        new_segment = np.empty(free.size, dtype=bool)
        new_segment[0] = True
        np.not_equal(segment[1:], segment[:-1], out=new_segment[1:])
        starts = np.flatnonzero(new_segment)
        worst = np.maximum.reduceat(error, starts)[np.cumsum(new_segment) - 1]
        chosen = (error == worst) & (error > 1.0)
        # segments already within tolerance are final: their points leave the search
        settled[free[worst <= 1.0]] = True
        if not chosen.any():
            break
        # one point per segment: the first maximum
        first = np.flatnonzero(chosen)
        first_of_segment = np.ones(first.size, dtype=bool)
        first_of_segment[1:] = segment[first[1:]] != segment[first[:-1]]
        keep[free[first[first_of_segment]]] = True
    return np.flatnonzero(keep)


def _scale(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return 1.0
    return max(float(finite.max() - finite.min()), 1.0)


def _f32(values: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return np.asarray(values, dtype=np.float32)


def _interval_list(intervals: Iterable[tuple[float, float]]) -> list[list[float]]:
    return [[round(a, 6), round(b, 6)] for a, b in intervals]


class _Packer:
    """Collects float32 arrays into one buffer; returns their offsets."""

    def __init__(self) -> None:
        self.parts: list[np.ndarray] = []
        self.size = 0

    def add(self, values: np.ndarray) -> int:
        offset = self.size
        arr = _f32(values).astype("<f4", copy=False)
        self.parts.append(arr)
        self.size += arr.size
        return offset

    def encode(self) -> str:
        if not self.parts:
            return ""
        return base64.b64encode(np.concatenate(self.parts).tobytes()).decode("ascii")


def _curve_record(act: BoundActivation, xlim, points: int, tolerance: float,
                  packer: _Packer) -> dict[str, Any]:
    curve = sampling.sample(act, xlim=xlim, points=points)
    keep = simplify(curve.x, (curve.y, curve.dy),
                    (tolerance * _scale(curve.y), tolerance * _scale(curve.dy)))
    x, y, dy = curve.x[keep], curve.y[keep], curve.dy[keep]
    # the page holds float32 x: take f and f' at exactly those x, so every stored point
    # is a registry value (rounded to float32) at the stored x; jump triples keep their limits
    x = _f32(x).astype(np.float64)
    single = np.ones(x.size, dtype=bool)
    repeated = np.flatnonzero(np.diff(x) == 0)
    single[repeated] = single[repeated + 1] = False
    y, dy = y.copy(), dy.copy()
    y[single] = act(x[single])
    dy[single] = act.grad(x[single])
    offset = packer.add(np.concatenate([x, y, dy]))
    found = sampling.regions(act, xlim=xlim, eps=SATURATION_EPS)
    highlights = []
    for kind, intervals in (("saturated", found.saturated), ("dead", found.dead)):
        for a, b in intervals:
            # the curve's own points inside (nan breaks kept), exact values at both ends
            inside = (x > a) & (x < b)
            ends = np.asarray(act(np.array([a, b], dtype=np.float64)), dtype=np.float64)
            hx = np.concatenate([[a], x[inside], [b]])
            hy = np.concatenate([[ends[0]], y[inside], [ends[1]]])
            highlights.append({"kind": kind, "offset": packer.add(np.concatenate([hx, hy])),
                               "n": int(hx.size)})
    return {"offset": offset, "n": int(x.size),
            "saturated": _interval_list(found.saturated), "dead": _interval_list(found.dead),
            "highlights": highlights,
            "y_range": _rounded(_range_of(y, x, xlim)),
            "dy_range": _rounded(_range_of(dy, x, xlim))}


def _rounded(pair: list[float] | None) -> list[float]:
    """A [low, high] pair rounded outwards to 3 decimals (axis limits); [0, 0] for None."""
    if pair is None:
        return [0.0, 0.0]
    return [math.floor(pair[0] * 1000) / 1000, math.ceil(pair[1] * 1000) / 1000]


def _range_of(values: np.ndarray, x: np.ndarray, xlim) -> list[float] | None:
    inside = (x >= xlim[0]) & (x <= xlim[1]) & np.isfinite(values)
    if not inside.any():
        return None
    return [float(values[inside].min()), float(values[inside].max())]


def decode_curve(data: Mapping[str, Any], curve_id: int) -> tuple[np.ndarray, ...]:
    """The (x, y, dy) float32 arrays of curve ``curve_id`` in ``data`` (as the page decodes them)."""
    buffer = np.frombuffer(base64.b64decode(data["buffer"]), dtype="<f4")
    record = data["curves"][curve_id]
    start, n = record["offset"], record["n"]
    return tuple(buffer[start + k * n:start + (k + 1) * n] for k in range(3))


# --------------------------------------------------------------------------- page data


def _fmt_value(value: float | str) -> str:
    if isinstance(value, str):
        return value
    return f"{value:.6g}"


_GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "theta": "θ",
          "lambda": "λ", "mu": "μ", "sigma": "σ", "tau": "τ", "kappa": "κ"}


def _symbol_text(param: Param) -> str:
    """A short plain-text name for legends: the Greek letter of a symbol like \\alpha, else the name."""
    symbol = (param.symbol or "").strip()
    if symbol.startswith("\\") and symbol[1:] in _GREEK:
        return _GREEK[symbol[1:]]
    return param.name


def _references(act: BoundActivation) -> list[dict[str, Any]]:
    out = []
    for ref in act.definition.references:
        url = ref.url if ref.url and ref.url.lower().startswith(("https://", "http://")) else None
        out.append({"text": str(ref), "url": url})
    return out


def _resolve(specs: Sequence[str | BoundActivation] | None) -> tuple[list[BoundActivation], bool]:
    if specs:
        acts = [registry.get(s) for s in specs]
        return acts, True
    return [registry.get(n) for n in registry.names()], False


def explorer_data(specs: Sequence[str | BoundActivation] | None = None, lang: str = "en", *,
                  xlim=DEFAULT_XLIM, points: int = DEFAULT_POINTS,
                  tolerance: float = DEFAULT_TOLERANCE, formulas: bool = True) -> dict[str, Any]:
    """Everything the explorer page shows, as JSON-ready data (no HTML, no Bokeh).

    ``specs`` (default: every registered activation at its defaults) are spec
    strings or BoundActivations; their parameter values are where the sliders
    start, and with specs all of them are overlaid when the page opens
    (without, :data:`DEFAULT_INITIAL`).  ``lang`` ('en' or 'ja') picks the
    language of the explanations and labels.  ``xlim`` (default (-10, 10)) is
    the sampled x-range, ``points`` (default 2001) the samples per curve before
    thinning, ``tolerance`` (default 1e-3) the thinning error relative to the
    curve's height.  ``formulas`` (default True) renders the LaTeX formulas to
    PNG images (data URIs) with matplotlib's mathtext.

    Returns the dict the page reads, described key by key in this module's
    docstring (the page's data contract): ``entries`` (one per activation),
    ``curves``, ``buffer`` (float32 arrays), ``initial``, ``xlim``, ``eps``...
    :func:`decode_curve` reads a curve back.
    """
    _locales.check_lang(lang)
    lo, hi = sampling.check_xlim(xlim)
    points = sampling.check_points(points)
    checks.non_negative_float(tolerance, "tolerance")
    acts, from_specs = _resolve(specs)
    packer = _Packer()
    curves: list[dict[str, Any]] = []
    cache: dict[tuple, int] = {}

    def curve_id(bound: BoundActivation) -> int:
        """The id of ``bound``'s curve, sampled the first time it is asked for."""
        key = (bound.name, tuple(sorted(bound.params.items())))
        if key not in cache:
            cache[key] = len(curves)
            curves.append(_curve_record(bound, (lo, hi), points, tolerance, packer))
        return cache[key]

    entries = [_entry(act, parameter_grid(act), curve_id, lang, formulas=formulas,
                      from_specs=from_specs) for act in acts]
    return {"lang": lang, "xlim": [lo, hi], "eps": SATURATION_EPS, "entries": entries,
            "curves": curves, "buffer": packer.encode(),
            "initial": _initial(entries, from_specs), "max_overlays": MAX_OVERLAYS}


def _cells(act: BoundActivation, grid: ParameterGrid, curve_id, lang: str) -> dict[str, Any]:
    """Every cell of ``grid``: its curve id (or ``-1 - j`` for ``problems[j]``) and property table."""
    cell_ids: list[int] = []
    problems: list[str] = []
    props: list[list[list[str]]] = []
    prop_ids: list[int] = []
    for cell in grid.cells():
        try:
            bound = registry.bind(act.definition, cell)
        except ParameterError as exc:
            if str(exc) not in problems:
                problems.append(str(exc))
            cell_ids.append(-1 - problems.index(str(exc)))
            prop_ids.append(-1)
            continue
        cell_ids.append(curve_id(bound))
        rows = property_rows(bound.properties.as_dict(), lang)
        if rows not in props:
            props.append(rows)
        prop_ids.append(props.index(rows))
    return {"cells": cell_ids, "problems": problems, "properties": props,
            "property_of_cell": prop_ids}


def _entry(act: BoundActivation, grid: ParameterGrid, curve_id, lang: str, *, formulas: bool,
           from_specs: bool) -> dict[str, Any]:
    """One activation's entry of the page's data (see the data contract above)."""
    definition = act.definition
    return {
        "name": act.name,
        "display_name": act.display_name,
        "label": act.short_label if from_specs else act.display_name,
        "family": definition.family,
        "params": [
            {"name": p.name, "symbol": p.symbol or "", "symbol_text": _symbol_text(p),
             "description": act.param_description(p.name, lang),
             "allowed": p.allowed(), "choices": p.choices is not None,
             "values": list(vals), "labels": [_fmt_value(v) for v in vals],
             "default": vals.index(p.default) if p.default in vals else None,
             "start": start}
            for p, vals, start in zip(definition.params, grid.values, grid.start, strict=True)],
        "mode": grid.mode,
        "strides": list(grid.strides),
        "offsets": list(grid.offsets),
        **_cells(act, grid, curve_id, lang),
        "latex": act.latex,
        "latex_derivative": act.latex_derivative,
        "formula": _formula("f(x) = " + act.latex) if formulas and act.latex else None,
        "formula_derivative": (_formula("f'(x) = " + act.latex_derivative)
                               if formulas and act.latex_derivative else None),
        "derivative": "numerical" if definition.numerical_derivative else "analytic",
        "derivative_note": act.derivative_note(lang),
        "explanation": act.explanation(lang),
        "references": _references(act),
        "torch": act.torch_name,
    }


def _initial(entries: list[dict[str, Any]], from_specs: bool) -> list[int]:
    """The entries overlaid when the page opens: every spec given, else the blog's four."""
    if from_specs:
        return list(range(min(len(entries), MAX_OVERLAYS)))
    names = [e["name"] for e in entries]
    return [names.index(n) for n in DEFAULT_INITIAL if n in names] or [0]


# --------------------------------------------------------------------------- formulas


_FORMULA_CACHE: dict[str, dict[str, Any] | None] = {}


def _formula(latex: str) -> dict[str, Any] | None:
    """``latex`` rendered by matplotlib's mathtext: ``{"src": PNG data URI, "width", "height"}``.

    None when the text is empty or mathtext cannot parse it (the page then shows
    the LaTeX source as plain text).  Results are cached per process.
    """
    if not latex:
        return None
    if latex in _FORMULA_CACHE:
        return _FORMULA_CACHE[latex]
    from ._formula import render_png

    try:
        png = render_png(latex)
    except ValueError:
        found = None
    else:
        width, height = struct.unpack(">II", png[16:24])  # the PNG's IHDR chunk
        found = {"src": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
                 "width": width, "height": height}
    _FORMULA_CACHE[latex] = found
    return found


# --------------------------------------------------------------------------- the page


def require_bokeh() -> None:
    """Raise a one-line OptionalDependencyError unless Bokeh (the page's plot) is installed."""
    import importlib.util

    if importlib.util.find_spec("bokeh") is None:
        raise OptionalDependencyError(
            "the HTML page needs Bokeh; install it with: pip install 'actviz[html]'")


def build_html(data: Mapping[str, Any]) -> str:
    """The explorer page for ``data`` (from :func:`explorer_data`) as one HTML string."""
    require_bokeh()
    from ._explorer_page import render_page

    return render_page(data)


def write_html(path, specs: Sequence[str | BoundActivation] | None = None, lang: str = "en",
               **options: Any):
    """Write the explorer page to ``path`` atomically and return the path.

    ``specs`` and ``lang`` and the keyword ``options`` (``xlim``, ``points``,
    ``tolerance``) are passed to :func:`explorer_data`.
    """
    require_bokeh()  # before the data, which takes seconds
    page = build_html(explorer_data(specs, lang, **options))
    return _io.write_text(path, page)
