"""Animated parameter sweeps: one frame per value, fixed axes, the value shown on each frame.

:func:`animate` returns a :class:`matplotlib.animation.FuncAnimation` built on a
:class:`~matplotlib.figure.Figure` with the object API (no pyplot), so a
notebook can show it (``IPython.display.HTML(anim.to_jshtml())``) and nothing
global changes.  :func:`save_animation` writes it atomically: GIF through
Pillow (always available), MP4 only where matplotlib finds an ffmpeg encoder
(otherwise a one-line ActvizError says so).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from .. import sampling
from .._io import atomic_path
from .._locales import check_lang, text
from ..errors import ActvizError
from ..registry import get, spec_list
from . import draw, figures, style

ANIMATION_FORMATS = ("gif", "mp4")
MAX_FRAMES = 60
DEFAULT_FPS = 1.5


def _frames(specs, param: str, values: Sequence) -> tuple[str, list[list], list]:
    items = spec_list(specs)
    if not items:
        raise ActvizError("no activation given; name at least one (see 'actviz list')")
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values:
        raise ActvizError(f"animate {param!r} needs a list of values, got {values!r}")
    if len(values) > MAX_FRAMES:
        raise ActvizError(f"animate {param!r} has {len(values)} values; at most {MAX_FRAMES} "
                          "frames")
    acts = [get(s) for s in items]
    name = acts[0].definition.param(param).name  # ActvizError with suggestions if unknown
    for act in acts[1:]:
        act.definition.param(name)
    frames = [[act.with_params(**{name: v}) for act in acts] for v in values]
    shown = [frame[0].params[name] for frame in frames]
    if len(set(shown)) != len(shown):
        raise ActvizError(f"animate {name!r}: the values repeat ({', '.join(map(str, values))});"
                          " give each value once")
    return name, frames, shown


def _fmt(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def fixed_ylim(frames: Sequence[Sequence], *, xlim, points: int, derivative: bool
               ) -> tuple[float, float]:
    """y-limits that hold every frame's curves (so the curve moves, not the frame)."""
    curves = [sampling.sample(act, xlim, points) for frame in frames for act in frame]
    limits = draw.robust_ylim(curves, derivative=derivative)
    return limits.low, limits.high


def animate(specs, param: str, values: Sequence, *, derivative: bool = False,
            regions: bool = False, xlim=sampling.DEFAULT_XLIM, ylim=None,
            points: int = sampling.DEFAULT_POINTS, lang: str = "en",
            eps: float = sampling.SATURATION_EPS, theme: str = "light",
            size=figures.DEFAULT_SIZE, dpi: float = figures.DEFAULT_DPI,
            fps: float = DEFAULT_FPS):
    """A matplotlib animation of ``specs`` with ``param`` taking each of ``values`` in turn.

    - ``specs``: one spec or a list (each must have ``param``), e.g. ``"leaky_relu"``;
    - ``param``/``values``: the parameter and its values, one frame each (at most 60,
      no repeats; each checked by the registry);
    - ``derivative``, ``regions``, ``xlim``, ``points``, ``lang``, ``eps``, ``theme``:
      as for :func:`actviz.plot`;
    - ``ylim``: None computes one range over *all* frames, so the axes never move;
    - ``size`` (inches), ``dpi``, ``fps`` (frames per second, default 1.5).

    Each frame's title names the value.  Returns a ``FuncAnimation`` (object API, no
    pyplot); ``anim.actviz_values`` lists the values, ``anim.actviz_rc`` the rcParams it
    is drawn with, ``anim.actviz_draw_frame(i)`` draws frame ``i``.  Show it in a notebook with ``HTML(anim.to_jshtml())``; write it with
    :func:`save_animation`.  Raises ActvizError before drawing anything.
    """
    from matplotlib.animation import FuncAnimation
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    check_lang(lang)
    name, frames, shown = _frames(specs, param, values)
    xlim = sampling.check_xlim(xlim)
    points = sampling.check_points(points)
    ylim = (fixed_ylim(frames, xlim=xlim, points=points, derivative=derivative)
            if ylim is None else draw.check_ylim(ylim))
    size = figures.check_size(size)
    dpi = figures.check_dpi(dpi)
    try:
        fps = float(fps)
    except (TypeError, ValueError):
        raise ActvizError(f"fps must be a number, got {fps!r}") from None
    if not 0.1 <= fps <= 60:
        raise ActvizError(f"fps must be between 0.1 and 60, got {fps:g}")
    resolved = style.check_theme(theme)
    rc = style.rc_for(theme=resolved, lang=lang)
    names = ", ".join(dict.fromkeys(act.display_name for act in frames[0]))
    fig = Figure(figsize=size, dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()

    def draw_frame(i: int) -> list:
        ax.clear()
        title = text("plot.sweep_label", lang, name=names, param=name, value=_fmt(shown[i]))
        figures.plot(frames[i], ax=ax, derivative=derivative, regions=regions, xlim=xlim,
                     ylim=ylim, points=points, title=title, lang=lang, eps=eps,
                     theme=resolved)
        ax.text(0.02, 0.96, f"{name} = {_fmt(shown[i])}", transform=ax.transAxes,
                ha="left", va="top", fontsize="x-large",
                bbox={"boxstyle": "round", "fc": resolved.background, "ec": resolved.grid})
        return []

    import matplotlib

    with matplotlib.rc_context(rc):
        draw_frame(0)
        figures._tight_layout(fig)  # once: every frame keeps the same Axes position
    anim = FuncAnimation(fig, draw_frame, frames=len(frames), init_func=lambda: [],
                         interval=1000.0 / fps, repeat=True, blit=False)
    anim.actviz_values = list(shown)
    anim.actviz_rc = dict(rc)
    anim.actviz_fps = fps
    anim.actviz_draw_frame = draw_frame
    return anim


def animation_format(path) -> str:
    """'gif' or 'mp4' from the extension of ``path``; else ActvizError (mp4 without ffmpeg too)."""
    fmt = Path(os.fspath(path)).suffix.lower().lstrip(".")
    if fmt not in ANIMATION_FORMATS:
        shown = f"'.{fmt}'" if fmt else "no extension"
        raise ActvizError(f"cannot write {os.fspath(path)!r}: {shown} is not an animation "
                          "format; use .gif (or .mp4 where ffmpeg is installed)")
    if fmt == "mp4" and not mp4_available():
        raise ActvizError(f"cannot write {os.fspath(path)!r}: no MP4 encoder (matplotlib "
                          "finds no ffmpeg on this machine); write a .gif instead")
    return fmt


def mp4_available() -> bool:
    """True where matplotlib has an ffmpeg writer for MP4."""
    from matplotlib import animation

    return bool(animation.writers.is_available("ffmpeg"))


def save_animation(anim, path, *, fps: float | None = None) -> Path:
    """Write ``anim`` (from :func:`animate`) to ``path`` (.gif via Pillow, .mp4 via ffmpeg).

    Written to a temporary name and renamed, so an error leaves no file; returns the path.
    """
    import matplotlib
    from matplotlib import animation

    fmt = animation_format(path)
    figures.check_writable(path)
    fps = fps if fps is not None else getattr(anim, "actviz_fps", DEFAULT_FPS)
    if fmt == "gif":
        writer = animation.PillowWriter(fps=fps)
    else:  # pragma: no cover - needs ffmpeg
        writer = animation.FFMpegWriter(fps=fps)
    rc = getattr(anim, "actviz_rc", {}) or {}
    with matplotlib.rc_context(rc), atomic_path(path) as tmp:
        anim.save(tmp, writer=writer)
    return Path(path)


__all__ = ["ANIMATION_FORMATS", "animate", "animation_format", "fixed_ylim", "mp4_available",
           "save_animation"]
