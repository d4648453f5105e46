"""Figure-level plotting: ``plot`` (an Axes, like seaborn), ``figure`` (a Figure), ``save``.

``figure`` builds a :class:`matplotlib.figure.Figure` with the object API
(no pyplot), so the CLI and every file output leave matplotlib's global state
alone.  ``plot`` draws on the Axes it is given, or on pyplot's current Axes
when ``ax`` is None so that a notebook shows it: that is the only place pyplot
is touched.  Every public function validates all of its input before drawing
anything, and no rcParam differs after a call.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import checks, sampling
from .._io import atomic_path, write_text
from .._locales import check_lang, text
from ..errors import ActvizError
from ..registry import BoundActivation, get, spec_list
from . import draw, style

FORMATS = ("png", "svg", "pdf")
DATA_FORMATS = ("csv", "json")
DEFAULT_SIZE = (8.0, 5.0)
DEFAULT_DPI = 100.0
MAX_PIXELS = 16384  # per side; Agg refuses images much larger than this anyway
# dead regions of different activations overlap: give each its own hatch; no vertical or
# horizontal strokes, which would read as grid lines or as (fake) jumps
HATCHES = ("///", "\\\\\\", "xxx", "..", "oo", "//\\\\")


@dataclass(frozen=True)
class Series:
    """One curve to draw: the activation, its legend label and, in a sweep, its colour position."""

    activation: BoundActivation
    label: str
    sweep_position: float | None = None
    sweep_param: str | None = None


class NotebookFigure(Figure):
    """The Figure :func:`figure` returns: a plain matplotlib Figure that Jupyter shows as PNG.

    Jupyter's inline backend registers its PNG display for figures only once
    pyplot has made a figure; ``_repr_png_`` lets a kernel whose first figure
    comes from :func:`figure` show it too (once: the inline backend does not
    know this figure, so only the cell's value is displayed).
    """

    def _repr_png_(self) -> bytes:
        import matplotlib

        buffer = io.BytesIO()
        with matplotlib.rc_context(getattr(self, "actviz_rc", {}) or {}):
            self.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()


# --------------------------------------------------------------------------- validation


def _sweep_values(act: BoundActivation, param: str, values: Sequence) -> list[BoundActivation]:
    return [act.with_params(**{param: v}) for v in values]


def resolve(specs, sweep: Mapping[str, Sequence] | None = None) -> list[Series]:
    """The curves ``specs`` (one or several specs) and ``sweep`` ({param: values}) ask for.

    Raises ActvizError for unknown names (with suggestions), bad parameters, or
    a sweep parameter that an activation lacks.
    """
    items = spec_list(specs)
    if not items:
        raise ActvizError("no activation given; name at least one (see 'actviz list')")
    acts = [get(s) for s in items]
    if not sweep:
        return [Series(a, a.short_label) for a in acts]
    if not isinstance(sweep, Mapping) or len(sweep) != 1:
        raise ActvizError("sweep must name exactly one parameter, e.g. "
                          "{'negative_slope': [0.01, 0.1, 0.3]}")
    ((param, values),) = sweep.items()
    if isinstance(values, np.ndarray):
        values = values.ravel().tolist()  # NumPy scalars become Python numbers and strings
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise ActvizError(f"sweep {param!r} needs a list of values, got {values!r}")
    values = list(values)
    if not values:
        raise ActvizError(f"sweep {param!r} needs a list of values, got {values!r}")
    if len(values) > 24:
        raise ActvizError(f"sweep {param!r} has {len(values)} values; at most 24 stay readable")
    series = []
    for act in acts:
        name = act.definition.param(param).name  # ActvizError with suggestions if unknown
        bound = _sweep_values(act, name, values)
        for i, b in enumerate(bound):
            value = b.params[name]
            label = text("plot.sweep_label", "en", name=act.display_name, param=name,
                         value=f"{value:g}" if isinstance(value, float) else value)
            position = i / (len(bound) - 1) if len(bound) > 1 else 0.5
            series.append(Series(b, label, position, name))
    return series


def default_title(series: Sequence[Series], *, derivative: bool = False,
                  lang: str = "en") -> str:
    """A title naming what is drawn (one activation, several, or a sweep)."""
    swept = [s for s in series if s.sweep_param is not None]
    if swept:
        param = swept[0].sweep_param
        names = ", ".join(dict.fromkeys(s.activation.display_name for s in swept))
        values = dict.fromkeys(s.activation.params[param] for s in swept)
        shown = ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values)
        return text("plot.title_sweep", lang, name=names, param=param, values=shown)
    if len(series) == 1:
        name = series[0].label
        return text("plot.title_one_derivative", lang, name=name) if derivative else name
    return text("plot.title_many_derivative" if derivative else "plot.title_many", lang)


def output_format(path, format: str | None = None) -> str:
    """The image format of ``path`` from its extension (png, svg, pdf) or ``format``; else ActvizError."""
    fmt = format if format is not None else Path(os.fspath(path)).suffix.lower().lstrip(".")
    fmt = (fmt or "").lower()
    if fmt not in FORMATS:
        shown = f"'.{fmt}'" if fmt else "no extension"
        raise ActvizError(f"cannot write {os.fspath(path)!r}: {shown} is not an image format "
                          f"actviz writes; use {', '.join('.' + f for f in FORMATS)}")
    return fmt


def data_format(path) -> str:
    """The data format of ``path`` from its extension (csv or json); else ActvizError."""
    fmt = Path(os.fspath(path)).suffix.lower().lstrip(".")
    if fmt not in DATA_FORMATS:
        raise ActvizError(f"cannot write data to {os.fspath(path)!r}: use a .csv or .json name")
    return fmt


def check_writable(path) -> Path:
    """Raise ActvizError unless a file can be created at ``path`` (folder exists and is writable)."""
    target = Path(os.fspath(path))
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise ActvizError(f"cannot write {str(target)!r}: it is a folder")
    if not folder.is_dir():
        raise ActvizError(f"cannot write {str(target)!r}: folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ActvizError(f"cannot write {str(target)!r}: folder {str(folder)!r} is not writable")
    if target.exists() and not os.access(target, os.W_OK):
        raise ActvizError(f"cannot write {str(target)!r}: the file is read-only")
    return target


# matplotlib's short names for the line keywords users pass most
_LINE_ALIASES = {"c": "color", "lw": "linewidth", "ls": "linestyle"}


def line_keywords(kw: Mapping[str, object], count: int) -> list[dict]:
    """Per-curve matplotlib line keywords from ``kw`` for ``count`` curves; else ActvizError.

    A value given as a list (or NumPy array) holds one value per curve; any
    other value (a colour name or RGB tuple, a dash tuple, a number) applies to
    every curve.  ``label`` for several curves must be a list.  Every value is
    checked on a throw-away Line2D, so a bad one fails before anything is drawn.
    """
    from matplotlib.colors import is_color_like
    from matplotlib.lines import Line2D

    per: list[dict] = [{} for _ in range(count)]
    for key, value in kw.items():
        name = _LINE_ALIASES.get(key, key)
        if name in per[0]:
            raise ActvizError(f"line keyword {name!r} given twice (as {key!r} too)")
        if not hasattr(Line2D, f"set_{name}") or name in ("data", "xdata", "ydata", "figure",
                                                         "transform"):
            raise ActvizError(f"{key}= is not a matplotlib line keyword; use e.g. color=, "
                              "linewidth=, linestyle=, label=, alpha=")
        listed = isinstance(value, (list, np.ndarray)) and not (
            name == "color" and is_color_like(value) and len(value) != count)
        if listed:
            values = list(value)
            if len(values) != count:
                raise ActvizError(f"{key}= has {len(values)} values for {count} curve(s); "
                                  "give one per curve, or a single value for all")
        elif name == "label" and count > 1:
            raise ActvizError(f"label= names one curve, but {count} are drawn; give a list "
                              "of labels, one per curve")
        else:
            values = [value] * count
        for entry, v in zip(per, values, strict=True):
            entry[name] = v
    probe = Line2D([], [])
    for entry in per:
        try:
            probe.set(**entry)
        except (TypeError, ValueError, AttributeError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ActvizError(f"bad line keyword in {entry!r}: {first}") from None
    return per


@dataclass(frozen=True)
class _Options:
    series: list[Series]
    xlim: tuple[float, float]
    ylim: tuple[float, float] | None
    points: int
    eps: float
    lang: str
    theme: style.Theme | None
    style: str | None
    line_kw: tuple[dict, ...] = ()


def _check(specs, *, sweep, xlim, ylim, points, eps, lang, theme, style_name,
           line_kw=None) -> _Options:
    lang = check_lang(lang.strip().lower() if isinstance(lang, str) else lang)
    series = resolve(specs, sweep)
    per = line_keywords(line_kw or {}, len(series))
    series = [replace(s, label=str(kw.pop("label"))) if "label" in kw else s
              for s, kw in zip(series, per, strict=True)]
    return _Options(
        line_kw=tuple(per),
        series=series,
        xlim=sampling.check_xlim(xlim),
        ylim=None if ylim is None else draw.check_ylim(ylim),
        points=sampling.check_points(points),
        eps=draw.check_eps(eps),
        lang=lang,
        theme=style.check_theme(theme),
        style=style.check_style(style_name),
    )


# --------------------------------------------------------------------------- drawing


def _draw(ax, opts: _Options, *, derivative, regions, formula, title) -> list:
    theme = opts.theme
    if theme is not None:
        style.apply_theme(ax, theme)
    import matplotlib

    colormap = None
    if any(s.sweep_position is not None for s in opts.series):
        name = theme.sweep_colormap if theme else "viridis"
        lo, hi = theme.sweep_range if theme else (0.0, 0.85)
        cmap = matplotlib.colormaps[name]

        def colormap(p):
            return cmap(lo + (hi - lo) * p)

    alpha = theme.region_alpha if theme else 0.13
    drawn = []
    with_formula: set[str] = set()
    for i, s in enumerate(opts.series):
        kw = dict(opts.line_kw[i]) if opts.line_kw else {}
        color = colormap(s.sweep_position) if colormap and s.sweep_position is not None else None
        color = kw.pop("color", color)
        linewidth = kw.pop("linewidth", draw.LINEWIDTH)
        # in a sweep the formula is the same for every value: show it once
        show_formula = formula and s.activation.name not in with_formula
        with_formula.add(s.activation.name)
        drawn.append(draw.draw_activation(
            ax, s.activation, xlim=opts.xlim, points=opts.points, derivative=derivative,
            regions=regions, eps=opts.eps, formula=show_formula, color=color, label=s.label,
            lang=opts.lang, region_alpha=alpha, hatch=HATCHES[i % len(HATCHES)],
            linewidth=linewidth, line_kw=kw))
    if title is None:
        title = default_title(opts.series, derivative=derivative, lang=opts.lang)
    draw.decorate_axes(ax, drawn, xlim=opts.xlim, ylim=opts.ylim, title=title or None,
                       lang=opts.lang, zero_line_color=theme.zero_line if theme else "gray",
                       note_color=theme.text if theme else None)
    return drawn


def plot(specs, *, ax=None, derivative: bool = False, regions: bool = False,
         sweep: Mapping[str, Sequence] | None = None, xlim=sampling.DEFAULT_XLIM, ylim=None,
         points: int = sampling.DEFAULT_POINTS, title: str | None = None, lang: str = "en",
         formula: bool = False, eps: float = sampling.SATURATION_EPS, theme: str | None = None,
         style: str | None = None, **line_kw) -> Axes:
    """Draw activations on an Axes and return it (seaborn-like).

    - ``specs``: one spec ("relu", "leaky_relu:negative_slope=0.1", a BoundActivation)
      or a list of them.
    - ``ax``: the Axes to draw on; None uses pyplot's current Axes, or a new
      figure when there is none (so a notebook shows it once, in its cell) — the
      only use of pyplot in actviz.  A Figure or an array of Axes is an error.
    - ``derivative`` (False): f' dashed in the same colour.
    - ``regions`` (False): shade saturation (0 < |f'| < eps, vanishing gradient) and,
      hatched, dead regions (f' = 0), with legend entries.
    - ``sweep`` (None): {param: [v1, v2, ...]} draws one curve per value, coloured
      along a sequential colormap.
    - ``xlim`` ((-10, 10)), ``ylim`` (None: automatic, robust to exploding curves),
      ``points`` (1000; kinks are added to the grid).
    - ``title`` (None: a default naming what is drawn; '' for none).
    - ``lang`` ('en' or 'ja'), ``formula`` (False: LaTeX formulas in the legend),
      ``eps`` (1e-3).
    - ``theme`` (None keeps the Axes' look; 'light' or 'dark' recolours it) and
      ``style`` (None or a matplotlib style name, applied while drawing).
    - matplotlib line keywords (``color``, ``linewidth``/``lw``, ``linestyle``/``ls``,
      ``label``, ``alpha``, ``marker``, ...) go to each curve f (f' keeps its dashes,
      the colour and ``alpha``); a list gives one value per curve, in order (one per
      activation, or per sweep value), e.g. ``color=["k", "tab:red"]``.
    Raises ActvizError for bad input before drawing anything.
    """
    opts = _check(specs, sweep=sweep, xlim=xlim, ylim=ylim, points=points, eps=eps, lang=lang,
                  theme=theme, style_name=style, line_kw=line_kw)
    ax = check_ax(ax)
    fig = _pyplot_figure() if ax is None else None
    with _context(opts):
        if fig is not None:
            ax = _pyplot_axes(fig, opts)
        _draw(ax, opts, derivative=derivative, regions=regions, formula=formula, title=title)
    return ax


def check_ax(ax):
    """Return ``ax`` if it is None or a matplotlib Axes; else an ActvizError saying what to pass."""
    if ax is None or isinstance(ax, Axes):
        return ax
    from matplotlib.figure import FigureBase

    if isinstance(ax, FigureBase):  # a Figure or a SubFigure
        raise ActvizError("ax= takes one matplotlib Axes, not a Figure; pass fig.axes[0] or "
                          "fig.add_subplot(), or leave ax out to draw on a new figure")
    if isinstance(ax, np.ndarray) or (isinstance(ax, Sequence) and not isinstance(ax, str)):
        raise ActvizError("ax= takes one matplotlib Axes, not an array of them (as "
                          "plt.subplots(n, m) returns); pass one of them, e.g. ax=axes[0] or "
                          "ax=axes[0, 1]")
    raise ActvizError(f"ax= takes a matplotlib Axes, got {type(ax).__name__}")


def _pyplot_figure():
    """pyplot's current figure (a new one if there is none), made *outside* any rc_context.

    The first figure of a Jupyter kernel loads the inline backend, which turns
    interactive mode on and sets its own rcParams; inside rc_context those
    settings would be undone on exit, and the inline backend would then show no
    later figure.  Made here, they last, and no rcParam actviz sets leaks out.
    """
    import matplotlib.pyplot as plt

    return plt.gcf()


def _pyplot_axes(fig, opts: _Options):
    """The current Axes of ``fig``; a new one is made inside the style's rc_context."""
    if fig.axes:
        return fig.gca()
    ax = fig.add_subplot()
    if opts.style is not None or opts.theme is not None:
        import matplotlib

        fig.set_facecolor(matplotlib.rcParams["figure.facecolor"])
    return ax


def _context(opts: _Options):
    return style.style_context(theme=opts.theme, style=opts.style, lang=opts.lang)


def figure(specs, *, derivative: bool = False, regions: bool = False,
           sweep: Mapping[str, Sequence] | None = None, xlim=sampling.DEFAULT_XLIM, ylim=None,
           points: int = sampling.DEFAULT_POINTS, title: str | None = None, lang: str = "en",
           formula: bool = False, eps: float = sampling.SATURATION_EPS,
           theme: str | None = None, style: str | None = None, size=DEFAULT_SIZE,
           dpi: float = DEFAULT_DPI, **line_kw) -> Figure:
    """A new Figure (matplotlib object API, no pyplot) with one Axes drawn by :func:`plot`.

    Takes every keyword of :func:`plot` (line keywords too) except ``ax``, plus ``size`` ((8, 5)
    inches) and ``dpi`` (100; at most 16384 pixels per side).  ``theme`` None
    means 'light' unless a ``style`` is given (then the style decides the look).
    The layout is fitted once (tight layout, legend below the Axes when long).
    The rcParams used are kept on the figure (``fig.actviz_rc``) so :func:`save`
    renders it the same way.
    """
    if theme is None and style is None:
        theme = "light"
    opts = _check(specs, sweep=sweep, xlim=xlim, ylim=ylim, points=points, eps=eps, lang=lang,
                  theme=theme, style_name=style, line_kw=line_kw)
    size = check_size(size)
    dpi = check_dpi(dpi)
    pixels = (round(size[0] * dpi), round(size[1] * dpi))
    if max(pixels) > MAX_PIXELS:
        raise ActvizError(f"a {size[0]:g}x{size[1]:g} in figure at {dpi:g} dpi would be "
                          f"{pixels[0]}x{pixels[1]} pixels; at most {MAX_PIXELS} per side")
    with _context(opts) as rc:
        fig = NotebookFigure(figsize=size, dpi=dpi)
        # an Agg canvas (no pyplot): tight layout and savefig share its cached renderer,
        # so text is measured once, not twice
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        _draw(ax, opts, derivative=derivative, regions=regions, formula=formula, title=title)
        # one tight-layout pass now (as the post's script does), not a layout engine that
        # would add a second full draw to every savefig
        _tight_layout(fig)
    fig.actviz_rc = dict(rc)
    return fig


def _tight_layout(fig: Figure) -> None:
    """Fit title, labels and a legend below the Axes into the figure (quietly if too small)."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Tight layout not applied", UserWarning)
        fig.tight_layout()
    # tight_layout leaves a placeholder layout engine, and with any engine savefig lays
    # the whole figure out once more before drawing it: none at all, so it draws once
    fig.set_layout_engine(None)


def check_size(size) -> tuple[float, float]:
    """Return (width, height) in inches, each finite and in (0, 100]; else ActvizError."""
    try:
        w, h = size
    except (TypeError, ValueError):
        raise ActvizError(f"size must be two numbers (inches), got {size!r}") from None
    return (checks.number_between(w, 0, 100, "size", low_open=True, unit="inches"),
            checks.number_between(h, 0, 100, "size", low_open=True, unit="inches"))


def check_dpi(dpi) -> float:
    """Return dpi as a float in [10, 1200]; else ActvizError."""
    return checks.number_between(dpi, 10, 1200, "dpi")


def save(fig: Figure, path, format: str | None = None) -> Path:
    """Write ``fig`` to ``path`` atomically (temporary file, then rename); return the path.

    The format follows the extension (png, svg, pdf) unless ``format`` is given;
    anything else raises ActvizError before anything is written.  Rendering
    happens inside the rcParams the figure was built with (``fig.actviz_rc``).
    """
    fmt = output_format(path, format)
    check_writable(path)
    rc = getattr(fig, "actviz_rc", {}) or {}
    import matplotlib

    with matplotlib.rc_context(rc), atomic_path(path) as tmp:
        metadata = {"Creator": "actviz"} if fmt in ("png", "pdf") else None
        fig.savefig(tmp, format=fmt, metadata=metadata)
    return Path(path)


# --------------------------------------------------------------------------- data export


def plot_data(specs, *, derivative: bool = True, regions: bool = False,
              sweep: Mapping[str, Sequence] | None = None, xlim=sampling.DEFAULT_XLIM,
              points: int = sampling.DEFAULT_POINTS,
              eps: float = sampling.SATURATION_EPS) -> dict:
    """The values :func:`plot` draws, as plain data (nan becomes None).

    ``{"xlim": [a, b], "points": n, "eps": e, "curves": [{"label", "spec", "x", "f",
    "df", "jumps", "saturated", "dead"}]}``; ``df`` is always included (f' is cheap);
    regions only with ``regions``.  Same keywords as :func:`plot`.
    """
    opts = _check(specs, sweep=sweep, xlim=xlim, ylim=None, points=points, eps=eps, lang="en",
                  theme=None, style_name=None)
    curves = []
    for s in opts.series:
        curve = sampling.sample(s.activation, opts.xlim, opts.points)
        d = curve.as_dict()
        entry = {"label": s.label, "spec": s.activation.spec, "x": d["x"], "f": d["y"],
                 "df": d["dy"],
                 "jumps": [{"x": j.x, "left": j.left, "right": j.right, "value": j.value}
                           for j in curve.jumps]}
        if regions:
            found = sampling.regions(s.activation, opts.xlim, opts.eps)
            entry["saturated"] = [list(r) for r in found.saturated]
            entry["dead"] = [list(r) for r in found.dead]
        curves.append(entry)
    return {"xlim": list(opts.xlim), "points": opts.points, "eps": opts.eps, "curves": curves}


def save_data(data: dict, path) -> Path:
    """Write :func:`plot_data`'s result to ``path`` (.json as is; .csv one row per point) atomically.

    CSV columns: label, spec, x, f, df (empty where a curve breaks at a jump).
    """
    fmt = data_format(path)
    check_writable(path)
    if fmt == "json":
        return write_text(path, json.dumps(data, ensure_ascii=False, indent=1,
                                           allow_nan=False) + "\n")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["label", "spec", "x", "f", "df"])
    for c in data["curves"]:
        for x, f, df in zip(c["x"], c["f"], c["df"], strict=True):
            writer.writerow([c["label"], c["spec"], _num(x), _num(f), _num(df)])
    return write_text(path, buffer.getvalue())


def _num(value) -> str:
    return "" if value is None else repr(float(value))


def line_arrays(line) -> tuple[np.ndarray, np.ndarray]:
    """x and y of a Line2D as float arrays (a helper for tests and callers)."""
    return (np.asarray(line.get_xdata(), dtype=float), np.asarray(line.get_ydata(), dtype=float))


__all__ = ["FORMATS", "NotebookFigure", "Series", "check_ax", "check_dpi", "check_size",
           "check_writable", "data_format", "default_title", "figure", "line_keywords",
           "output_format", "plot", "plot_data", "resolve", "save", "save_data"]
