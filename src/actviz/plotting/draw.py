"""Drawing activations on a matplotlib Axes: curves, derivatives, jumps, regions, limits.

Axes-level functions in the style of seaborn: they take an ``ax``, draw on it
and return what they drew.  The numbers come from :mod:`actviz.sampling`
(nothing here computes activation math): the x grid holds every kink, and at
a jump the arrays hold ``[left, nan, right]`` so the line breaks there; a
filled dot marks the side that holds the value and a hollow dot the other.

It only calls methods of the Axes it is given (and, for text, enters the font
context of the language from :mod:`actviz.plotting.style`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import checks, sampling
from .._locales import check_lang, text
from ..errors import ActvizError
from ..registry import BoundActivation, get

LINEWIDTH = 2.0
ZERO_LINE_WIDTH = 0.8
DERIVATIVE_DASHES = (0, (5, 3))


@dataclass
class DrawnActivation:
    """What :func:`draw_activation` drew for one activation (and the data behind it).

    ``line`` is f, ``derivative_line`` f' (or None); ``markers`` the filled and
    hollow dots at jumps; ``spans`` maps 'saturated' and 'dead' to the shaded
    patches (one per interval of ``regions``); ``highlights`` the broad bands
    along the curve inside those regions.
    """

    activation: BoundActivation
    label: str
    color: Any
    curve: sampling.Curve
    line: Any
    derivative_line: Any = None
    regions: sampling.Regions | None = None
    markers: list = field(default_factory=list)
    spans: dict = field(default_factory=lambda: {"saturated": [], "dead": []})
    highlights: list = field(default_factory=list)
    derivative: bool = False
    line_kw: dict | None = None  # the extra Line2D keywords of f (redrawn anew when set)


@dataclass(frozen=True)
class YLimits:
    """Automatic y-limits; ``clipped`` is True when some curve leaves them."""

    low: float
    high: float
    clipped: bool


def _fmt(value: float) -> str:
    return f"{value:g}"


def formula_label(act: BoundActivation, derivative: bool = False) -> str:
    """Mathtext for f(x) = ... (or f'(x) = ...) from the registry's LaTeX, '' if it has none."""
    latex = act.latex_derivative if derivative else act.latex
    if not latex:
        return ""
    lhs = "f'(x)" if derivative else "f(x)"
    body = latex if (not derivative and "=" in latex) else f"{lhs} = {latex}"
    return f"${body}$"


def region_label(act: BoundActivation, kind: str, name: str, eps: float, lang: str) -> str:
    """Legend text for a shaded region: 'saturated' (vanishing gradient) or 'dead' (f' = 0)."""
    if kind == "saturated":
        return text("plot.saturated", lang, name=name, eps=_fmt(eps))
    key = "plot.dead" if act.definition.family == "rectifier" else "plot.zero_gradient"
    return text(key, lang, name=name)


def _jump_points(jumps) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """Filled dots (the value at x) and hollow dots (the limits that are not the value)."""
    filled, hollow = [], []
    for jump in jumps:
        if math.isfinite(jump.value):
            filled.append((jump.x, jump.value))
        for limit in (jump.left, jump.right):
            if math.isfinite(limit) and not (math.isfinite(jump.value)
                                             and math.isclose(limit, jump.value,
                                                              rel_tol=1e-9, abs_tol=1e-12)):
                hollow.append((jump.x, limit))
    return filled, hollow


def _draw_jump_markers(ax, jumps, color, size: float, zorder: float) -> list:
    filled, hollow = _jump_points(jumps)
    artists = []
    background = ax.get_facecolor()
    if hollow:
        xs, ys = zip(*hollow, strict=True)
        artists += ax.plot(xs, ys, linestyle="none", marker="o", markersize=size, color=color,
                           markerfacecolor=background, markeredgecolor=color,
                           markeredgewidth=1.5, zorder=zorder, label="_nolegend_")
    if filled:
        xs, ys = zip(*filled, strict=True)
        artists += ax.plot(xs, ys, linestyle="none", marker="o", markersize=size, color=color,
                           markerfacecolor=color, markeredgecolor=color, zorder=zorder,
                           label="_nolegend_")
    return artists


def draw_activation(ax, act, *, xlim=sampling.DEFAULT_XLIM, points: int = sampling.DEFAULT_POINTS,
                    derivative: bool = False, regions: bool = False,
                    eps: float = sampling.SATURATION_EPS, formula: bool = False,
                    color=None, label: str | None = None, lang: str = "en",
                    linewidth: float = LINEWIDTH, region_alpha: float = 0.13,
                    jump_markers: bool = True, zorder: float = 2.0,
                    hatch: str = "///", highlight: bool = True,
                    line_kw: dict | None = None) -> DrawnActivation:
    """Draw one activation on ``ax`` and return a :class:`DrawnActivation`.

    - ``act``: a spec string ("leaky_relu:negative_slope=0.1") or a BoundActivation.
    - ``xlim`` (default (-10, 10)) and ``points`` (default 1000): the sample grid;
      every breakpoint inside xlim is added exactly (kinks stay sharp).
    - ``derivative``: also draw f' dashed in the same colour (default False).
    - ``regions``: shade where 0 < |f'| < ``eps`` (saturation, vanishing gradient)
      and, hatched, where f' = 0 (dead), with legend entries (default False).
    - ``eps``: the saturation threshold (default 1e-3).
    - ``formula``: put f(x) = ... (and f'(x) = ...) from the registry in the legend.
    - ``color``: line colour (default: the Axes' next colour); ``label``: legend
      text (default: the activation's short label).
    - ``lang``: 'en' or 'ja' for legend texts.
    - ``linewidth`` (2), ``region_alpha`` (0.13), ``jump_markers`` (True: dots at
      jumps, filled on the side that holds the value), ``zorder`` (2), ``hatch``
      ('///': the pattern of dead regions; vary it when several overlap).
    - ``highlight`` (True): with ``regions``, also draw a broad translucent band
      along the curve inside each region, so that overlapping shades of several
      activations stay attributable to their curve.
    - ``line_kw`` (None): more matplotlib Line2D keywords for f's line (``linestyle``,
      ``alpha``, ...); f' keeps its dashes and takes the same ``alpha``.

    It neither sets limits nor adds a legend: see :func:`decorate_axes`.
    To draw another activation in place of this one, see :func:`redraw_activation`.
    """
    return _draw(ax, act, None, xlim=xlim, points=points, derivative=derivative,
                 regions=regions, eps=eps, formula=formula, color=color, label=label, lang=lang,
                 linewidth=linewidth, region_alpha=region_alpha, jump_markers=jump_markers,
                 zorder=zorder, hatch=hatch, highlight=highlight, line_kw=line_kw)


def redraw_activation(drawn: DrawnActivation, act, **kwargs) -> DrawnActivation:
    """Draw ``act`` in place of ``drawn`` (what :func:`draw_activation` returned) on its Axes.

    Takes :func:`draw_activation`'s keyword arguments and draws what it would
    draw on a fresh Axes, but updates the artists already there instead of
    making new ones: the f and f' lines, the region patches and the bands along
    the curve get new data, colours and labels (set_data, set_bounds); only
    what the new activation has more of is added, and what it has less of is
    removed.  Jump markers are drawn anew.  With ``color=None`` (the Axes'
    next colour) or ``line_kw`` (now or in ``drawn``) everything is removed and
    drawn anew.  Limits are not updated
    from the new data: set them (:func:`set_limits`, :func:`decorate_axes`).
    Returns the new :class:`DrawnActivation`; ``drawn`` must not be used afterwards.
    """
    ax = drawn.line.axes
    if kwargs.get("color") is None or kwargs.get("line_kw") or drawn.line_kw:
        _remove(drawn.line, drawn.derivative_line, *drawn.markers, *drawn.highlights,
                *(p for patches in drawn.spans.values() for p in patches))
        return _draw(ax, act, None, **kwargs)
    return _draw(ax, act, drawn, **kwargs)


def _draw(ax, act, old: DrawnActivation | None, *, xlim=sampling.DEFAULT_XLIM,
          points: int = sampling.DEFAULT_POINTS, derivative: bool = False,
          regions: bool = False, eps: float = sampling.SATURATION_EPS, formula: bool = False,
          color=None, label: str | None = None, lang: str = "en",
          linewidth: float = LINEWIDTH, region_alpha: float = 0.13,
          jump_markers: bool = True, zorder: float = 2.0, hatch: str = "///",
          highlight: bool = True, line_kw: dict | None = None) -> DrawnActivation:
    """The steps of :func:`draw_activation`; ``old``: a drawing whose artists are reused."""
    act = get(act)
    check_lang(lang)
    curve, found = _sample(act, xlim, points, eps if regions else None)
    name = act.short_label if label is None else str(label)
    drawn = _draw_curves(ax, act, curve, found, name, old, formula=formula, color=color,
                         lang=lang, linewidth=linewidth, zorder=zorder, derivative=derivative,
                         line_kw=line_kw)
    if old is not None:
        _remove(*old.markers)
    if jump_markers:
        drawn.markers = _draw_jumps(ax, curve, drawn.color, derivative, zorder)
    spans = old.spans if old is not None else {}
    bands = list(old.highlights) if old is not None else []
    if found is not None:
        _draw_regions(ax, drawn, found, spans, bands, lang=lang, linewidth=linewidth,
                      region_alpha=region_alpha, zorder=zorder, hatch=hatch,
                      highlight=highlight)
    _remove(*(p for kind in spans for p in spans[kind][len(drawn.spans.get(kind, [])):]))
    _remove(*bands)  # bands of the old drawing that were not reused
    return drawn


def _remove(*artists) -> None:
    for artist in artists:
        if artist is not None:
            artist.remove()


def _sample(act: BoundActivation, xlim, points: int, eps: float | None):
    """The sampled curve and, with an ``eps``, its regions (all numbers from sampling)."""
    curve = sampling.sample(act, xlim, points)
    found = sampling.regions(act, curve.xlim, eps) if eps is not None else None
    return curve, found


def _line(ax, old, x, y, **props):
    """A line on ``ax`` with ``props``: ``old`` updated in place, or a new one."""
    if old is None:
        (line,) = ax.plot(x, y, **props)
        return line
    old.set_data(x, y)
    old.set(**props)
    return old


def _draw_curves(ax, act, curve, found, name: str, old, *, formula: bool, color, lang: str,
                 linewidth: float, zorder: float, derivative: bool,
                 line_kw: dict | None) -> DrawnActivation:
    """f solid and (with ``derivative``) f' dashed, in one colour; a new DrawnActivation."""
    shown = name
    if formula and formula_label(act):
        shown = f"{name}: {formula_label(act)}"
    line = _line(ax, old.line if old is not None else None, curve.x, curve.y,
                 **{"color": color, "linewidth": linewidth, "linestyle": "-", "label": shown,
                    "zorder": zorder + 0.1, **(line_kw or {})})
    color = line.get_color()
    drawn = DrawnActivation(act, name, color, curve, line, regions=found, derivative=derivative,
                            line_kw=dict(line_kw) if line_kw else None)
    old_dline = old.derivative_line if old is not None else None
    if derivative:
        dlabel = text("plot.derivative", lang, name=name)
        if formula and formula_label(act, derivative=True):
            dlabel = f"{dlabel}: {formula_label(act, derivative=True)}"
        drawn.derivative_line = _line(ax, old_dline, curve.x, curve.dy, color=color,
                                      linewidth=linewidth * 0.75, linestyle=DERIVATIVE_DASHES,
                                      label=dlabel, zorder=zorder, alpha=line.get_alpha())
    else:
        _remove(old_dline)
    return drawn


def _draw_jumps(ax, curve, color, derivative: bool, zorder: float) -> list:
    """Dots at the jumps of f (and of f' with ``derivative``)."""
    markers = _draw_jump_markers(ax, curve.jumps, color, 6.0, zorder + 0.2)
    if derivative:
        markers += _draw_jump_markers(ax, curve.derivative_jumps, color, 4.5, zorder + 0.15)
    return markers


def _draw_regions(ax, drawn: DrawnActivation, found, spans: dict, bands: list, *, lang: str,
                  linewidth: float, region_alpha: float, zorder: float, hatch: str,
                  highlight: bool) -> None:
    """Shade the saturated and dead intervals of ``found`` (and a band along the curve).

    Patches of ``spans`` (kind -> patches) and lines of ``bands`` are reused
    (taken from the front of ``bands``) before new ones are made.
    """
    from matplotlib.colors import to_rgba

    act, color, curve = drawn.activation, drawn.color, drawn.curve
    for kind, intervals in (("saturated", found.saturated), ("dead", found.dead)):
        reusable = spans.get(kind, [])
        for i, (a, b) in enumerate(intervals):
            span_label = region_label(act, kind, drawn.label, found.eps, lang) if i == 0 \
                else "_nolegend_"
            if kind == "saturated":
                props = dict(facecolor=color, alpha=region_alpha, linewidth=0,
                             label=span_label, zorder=0.5)
            else:
                # hatch only: with a translucent face, SVG renderers multiply the hatch
                # by the face's opacity and the hatch all but disappears
                hatch_color = to_rgba(color, min(1.0, 0.22 + region_alpha))
                props = dict(facecolor="none", hatchcolor=hatch_color, edgecolor=hatch_color,
                             hatch=hatch, linewidth=0, label=span_label, zorder=0.5)
            if i < len(reusable):
                patch = reusable[i]
                patch.set_x(a)
                patch.set_width(b - a)
                patch.set(**props)
            else:
                patch = ax.axvspan(a, b, **props)
            drawn.spans[kind].append(patch)
            if highlight:
                inside = (curve.x >= a) & (curve.x <= b)
                if inside.sum() >= 2:
                    drawn.highlights.append(_line(
                        ax, bands.pop(0) if bands else None, curve.x[inside], curve.y[inside],
                        color=color, linewidth=linewidth * 4,
                        alpha=0.28 if kind == "saturated" else 0.4, solid_capstyle="butt",
                        label="_nolegend_", zorder=zorder))


def robust_ylim(curves: Sequence[sampling.Curve], *, derivative: bool = False,
                margin: float = 0.06) -> YLimits:
    """y-limits that keep every curve readable.

    The limits cover every finite value of f (and f' with ``derivative``), but a
    curve that explodes (squared_relu's x², an exponential) is clipped at
    1.6 times the largest |x| of the range (the identity line stays in view),
    while values near x = 0 (|x| <= 2 or the middle fifth of the range) are always
    shown.  ``margin`` (default 6%) pads both ends.
    """
    if not curves:
        raise ActvizError("no curves to take y-limits from")
    lo_x = min(c.xlim[0] for c in curves)
    hi_x = max(c.xlim[1] for c in curves)
    cap = 1.6 * max(abs(lo_x), abs(hi_x))
    center_half = max(min(2.0, max(abs(lo_x), abs(hi_x))), (hi_x - lo_x) / 10)
    center = 0.0 if lo_x <= 0 <= hi_x else 0.5 * (lo_x + hi_x)
    values, core = [], []
    for c in curves:
        arrays = [c.y, c.dy] if derivative else [c.y]
        near = np.abs(c.x - center) <= center_half
        for arr in arrays:
            finite = np.isfinite(arr)
            values.append(arr[finite])
            core.append(arr[finite & near])
    allv = np.concatenate(values) if values else np.array([])
    corev = np.concatenate(core) if core else np.array([])
    if allv.size == 0:
        return YLimits(-1.0, 1.0, False)
    low, high = float(allv.min()), float(allv.max())
    clipped = False
    if high > cap:
        high, clipped = cap, True
    if low < -cap:
        low, clipped = -cap, True
    if corev.size:
        low, high = min(low, float(corev.min())), max(high, float(corev.max()))
    if math.isclose(low, high, rel_tol=1e-9, abs_tol=1e-12):
        pad = max(1.0, abs(low) * 0.1)
        return YLimits(low - pad, high + pad, clipped)
    span = high - low
    return YLimits(low - margin * span, high + margin * span, clipped)


def draw_zero_lines(ax, *, color="gray", linewidth: float = ZERO_LINE_WIDTH) -> list:
    """The x and y axis lines (y = 0 and x = 0), thin and behind the curves."""
    return [ax.axhline(0, color=color, linewidth=linewidth, zorder=1),
            ax.axvline(0, color=color, linewidth=linewidth, zorder=1)]


def legend_entry_count(ax) -> int:
    """How many labelled artists a legend of ``ax`` would show."""
    handles, _ = ax.get_legend_handles_labels()
    return len(handles)


def legend_entries(ax, drawn: Sequence[DrawnActivation], lang: str = "en") -> tuple[list, list]:
    """Handles and labels for a compact legend of ``drawn`` on ``ax``.

    One entry per curve; with several curves the dashed derivatives share one
    neutral entry ("dashed: f′") instead of one each; then one entry per kind
    of shaded region and activation; then anything else labelled on ``ax``.
    """
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles, labels = ax.get_legend_handles_labels()
    by_artist = dict(zip(handles, labels, strict=True))
    with_derivative = [d for d in drawn if d.derivative_line is not None]
    shared = len(with_derivative) > 1
    ours: list = []
    for d in drawn:
        ours.append(d.line)
        if d.derivative_line is not None and not shared:
            ours.append(d.derivative_line)
    out_h = [h for h in ours if h in by_artist]
    if shared:
        proxy = Line2D([], [], color="gray", linestyle=DERIVATIVE_DASHES,
                       linewidth=LINEWIDTH * 0.75)
        out_h.append(proxy)
        by_artist[proxy] = text("plot.derivative_shared", lang)
    skip = set(ours) | {d.derivative_line for d in drawn}
    for d in drawn:
        for kind in ("saturated", "dead"):
            for patch in d.spans[kind]:
                if patch in by_artist:
                    # the shading is faint on purpose; its legend key must still be visible
                    if kind == "saturated":
                        proxy = Patch(facecolor=to_rgba(d.color, 0.35), linewidth=0)
                    else:
                        proxy = Patch(facecolor="none", hatch=patch.get_hatch(),
                                      edgecolor=to_rgba(d.color, 0.9), linewidth=0)
                    out_h.append(proxy)
                    by_artist[proxy] = by_artist[patch]
                    skip.add(patch)
    out_h += [h for h in handles if h not in skip and h not in out_h]
    return out_h, [by_artist[h] for h in out_h]


def decorate_axes(ax, drawn: Sequence[DrawnActivation], *, xlim=None, ylim=None,
                  title: str | None = None, xlabel: str | None = None,
                  ylabel: str | None = None, lang: str = "en", legend: bool = True,
                  grid: bool = True, zero_line_color="gray", note_color=None) -> Any:
    """Limits, axis lines at 0, labels, grid and legend for activations drawn on ``ax``.

    - ``xlim``: default the sampled range; ``ylim``: default :func:`robust_ylim`
      (with a small note in the corner when a curve is clipped).
    - ``title``, ``xlabel``, ``ylabel``: texts (labels default to the locale's
      'x' and 'f(x)' / 'f(x), f′(x)'); ``lang`` 'en' or 'ja'.
    - ``legend`` (True): see :func:`legend_entries`; inside the Axes for up to 4
      short entries, else below it.
    - ``grid`` (True), ``zero_line_color`` ('gray').
    Texts are made inside the font context of ``lang`` (IPAexGothic for 'ja'),
    so this works on any Axes, wherever it was created.  Returns the legend (or None).
    """
    from . import style

    check_lang(lang)
    with style.style_context(lang=lang):
        return _decorate(ax, list(drawn), xlim=xlim, ylim=ylim, title=title, xlabel=xlabel,
                         ylabel=ylabel, lang=lang, legend=legend, grid=grid,
                         zero_line_color=zero_line_color, note_color=note_color)


def _decorate(ax, drawn: list[DrawnActivation], *, xlim, ylim, title, xlabel, ylabel, lang,
              legend, grid, zero_line_color, note_color):
    set_limits(ax, drawn, xlim=xlim, ylim=ylim, lang=lang,
               note_color=note_color or zero_line_color)
    draw_zero_lines(ax, color=zero_line_color)
    _label_axes(ax, drawn, title=title, xlabel=xlabel, ylabel=ylabel, lang=lang)
    if grid:
        ax.grid(True, zorder=0)
        ax.set_axisbelow(True)
    return _legend(ax, drawn, lang) if legend else None


def set_limits(ax, drawn: Sequence[DrawnActivation], *, xlim=None, ylim=None, lang: str = "en",
               note_color="gray"):
    """x- and y-limits of :func:`decorate_axes` alone; returns the 'clipped' note or None.

    ``xlim`` defaults to the sampled range, ``ylim`` to :func:`robust_ylim` (with
    a small note in the lower right corner, in ``note_color``, when a curve is
    clipped).  For redrawing: call it again after :func:`redraw_activation`
    (after removing the previous note).
    """
    curves = [d.curve for d in drawn]
    if xlim is None and curves:
        xlim = (min(c.xlim[0] for c in curves), max(c.xlim[1] for c in curves))
    if xlim is not None:
        ax.set_xlim(*sampling.check_xlim(xlim))
    if ylim is not None:
        ax.set_ylim(*check_ylim(ylim))
    elif curves:
        limits = robust_ylim(curves, derivative=any(d.derivative for d in drawn))
        ax.set_ylim(limits.low, limits.high)
        if limits.clipped:
            return ax.text(0.99, 0.015, text("plot.clipped", lang, low=f"{limits.low:.3g}",
                                             high=f"{limits.high:.3g}"),
                           transform=ax.transAxes, ha="right", va="bottom",
                           fontsize="x-small", color=note_color, zorder=5)
    return None


def _label_axes(ax, drawn: list[DrawnActivation], *, title, xlabel, ylabel, lang: str) -> None:
    """The x and y labels (the locale's defaults) and the title, in the font of ``lang``."""
    ax.set_xlabel(text("plot.xlabel", lang) if xlabel is None else xlabel)
    if ylabel is None:
        ylabel = text("plot.ylabel_derivative" if any(d.derivative for d in drawn)
                      else "plot.ylabel", lang)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if lang != "en":
        # title and axis labels are Text objects made with the Axes, maybe before the
        # language's font was chosen: give them the font family in force now
        import matplotlib

        for label in (ax.title, ax.xaxis.label, ax.yaxis.label):
            label.set_fontfamily(matplotlib.rcParams["font.family"])


def _legend(ax, drawn: list[DrawnActivation], lang: str):
    """The legend of :func:`legend_entries`: inside for up to 4 short entries, else below."""
    handles, labels = legend_entries(ax, drawn, lang)
    if not handles:
        return None
    if len(handles) <= 4 and max(len(t) for t in labels) <= 48:
        return ax.legend(handles, labels, loc="best", fontsize="small")
    ncol = 2 if max(len(t) for t in labels) <= 44 else 1
    return ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0),
                     bbox_transform=_below_xlabel(ax), ncol=ncol, fontsize="small",
                     frameon=False, borderaxespad=0.0)


def _below_xlabel(ax):
    """A transform of Axes coordinates shifted down past the tick labels and the x label."""
    import matplotlib
    from matplotlib.font_manager import FontProperties
    from matplotlib.transforms import ScaledTranslation

    rc = matplotlib.rcParams
    tick = FontProperties(size=rc["xtick.labelsize"]).get_size_in_points()
    label = ax.xaxis.label.get_fontsize()
    points = (rc["xtick.major.size"] + rc["xtick.major.pad"] + 1.25 * tick
              + rc["axes.labelpad"] + 1.25 * label + 4.0)
    return ax.transAxes + ScaledTranslation(0, -points / 72.0, ax.figure.dpi_scale_trans)


def check_ylim(ylim) -> tuple[float, float]:
    """:func:`actviz.sampling.check_limits` for y-limits."""
    return sampling.check_limits(ylim, "y")


def check_eps(eps) -> float:
    """Return ``eps`` as a positive finite float, or raise ActvizError (:func:`actviz.checks.eps`)."""
    return checks.eps(eps)
