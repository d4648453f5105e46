"""The original blog post's three figures, in its exact style, computed by the registry.

The post (shared/seed/activation-plots-blog-ja.txt) draws with pyplot: 8x5
inches, x = linspace(-10, 10, 400), linewidth 2, grid, legend, title, x and y
axis lines at 0 in gray 0.5 wide, tight layout.  Here the same figures are
built with the object API (no pyplot), in matplotlib's default style whatever
the caller's rcParams, and the grid also contains x = 0 exactly so ReLU's
corner is a corner.

1. sigmoid and tanh, 'Activation Functions'
2. ReLU, 'ReLU Activation Function'
3. Leaky ReLU with slope 0.1, 'Leaky ReLU Activation Function'
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import sampling
from .._io import ensure_dir
from .._locales import check_lang, text
from ..errors import ActvizError
from . import figures, style

SIZE = (8.0, 5.0)
XLIM = (-10.0, 10.0)
POINTS = 400
LINEWIDTH = 2.0
AXIS_LINE = {"color": "gray", "linewidth": 0.5}


@dataclass(frozen=True)
class Classic:
    """One of the post's figures: file stem, title key, and (spec, label key or literal) pairs."""

    number: int
    stem: str
    title_key: str
    curves: tuple[tuple[str, str], ...]


CLASSICS = (
    Classic(1, "classic_1_sigmoid_tanh", "classic.title_1", (("sigmoid", "sigmoid"),
                                                            ("tanh", "tanh"))),
    Classic(2, "classic_2_relu", "classic.title_2", (("relu", "ReLU"),)),
    Classic(3, "classic_3_leaky_relu", "classic.title_3",
            (("leaky_relu:negative_slope=0.1", "classic.label_leaky"),)),
)


def _classic(number: int) -> Classic:
    for c in CLASSICS:
        if c.number == number:
            return c
    raise ActvizError(f"there is no classic figure {number!r}; choose 1, 2 or 3")


def _function_points(curve: sampling.Curve) -> tuple[np.ndarray, np.ndarray]:
    """x and f of a curve without the repeated points sampling adds where only f' jumps."""
    x, y = curve.x, curve.y
    repeated = np.zeros(len(x), dtype=bool)
    repeated[1:] = (x[1:] == x[:-1]) & (y[1:] == y[:-1])
    return x[~repeated], y[~repeated]


def draw_classic(ax, number: int, *, lang: str = "en") -> list:
    """Draw the post's figure ``number`` (1, 2 or 3) on ``ax``; return the curve lines.

    ``lang`` 'ja' translates the title and the Leaky ReLU label.
    """
    check_lang(lang)
    spec = _classic(number)
    with style.style_context(lang=lang):  # the font for 'ja', on any Axes
        return _draw_classic(ax, spec, lang)


def _draw_classic(ax, spec: Classic, lang: str) -> list:
    lines = []
    for activation, label in spec.curves:
        x, y = _function_points(sampling.sample(activation, XLIM, POINTS))
        shown = text(label, lang) if label.startswith("classic.") else label
        (line,) = ax.plot(x, y, label=shown, linestyle="-", linewidth=LINEWIDTH)
        lines.append(line)
    ax.set_title(text(spec.title_key, lang))
    ax.set_xlabel(text("classic.xlabel", lang))
    ax.set_ylabel(text("classic.ylabel", lang))
    ax.grid(True)
    ax.legend()
    ax.axhline(0, **AXIS_LINE)
    ax.axvline(0, **AXIS_LINE)
    if lang != "en":
        import matplotlib

        for label in (ax.title, ax.xaxis.label, ax.yaxis.label):
            label.set_fontfamily(matplotlib.rcParams["font.family"])
    return lines


def classic_figure(number: int, *, lang: str = "en", dpi: float = 100.0) -> Figure:
    """The post's figure ``number`` (1, 2 or 3) as a Figure (8x5 in, tight layout, no pyplot)."""
    check_lang(lang)
    _classic(number)
    with style.style_context(style="default", lang=lang) as rc:
        fig = figures.NotebookFigure(figsize=SIZE, dpi=figures.check_dpi(dpi), layout="tight")
        FigureCanvasAgg(fig)  # layout and savefig share one renderer (see figures.figure)
        draw_classic(fig.add_subplot(), number, lang=lang)
    fig.actviz_rc = dict(rc)
    return fig


def classic_figures(*, lang: str = "en") -> list[Figure]:
    """All three figures of the post, in order."""
    return [classic_figure(c.number, lang=lang) for c in CLASSICS]


def save_classic(folder: str | os.PathLike[str] = ".", *, format: str = "png",
                 lang: str = "en") -> list[Path]:
    """Write the three figures to ``folder`` (created if needed) as png, svg or pdf; return paths.

    Names: classic_1_sigmoid_tanh, classic_2_relu, classic_3_leaky_relu (with
    ``_ja`` before the extension for Japanese).
    """
    fmt = figures.output_format(f"x.{format}")
    check_lang(lang)
    out = ensure_dir(folder)
    suffix = "_ja" if lang == "ja" else ""
    paths = [out / f"{c.stem}{suffix}.{fmt}" for c in CLASSICS]
    for path in paths:
        figures.check_writable(path)
    for c, path in zip(CLASSICS, paths, strict=True):
        figures.save(classic_figure(c.number, lang=lang), path, fmt)
    return paths
