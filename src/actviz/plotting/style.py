"""Looks of actviz figures: themes, matplotlib styles and the Japanese font, all inside rc_context.

Nothing here changes matplotlib's global state: :func:`style_context` applies
a theme, a named matplotlib style and, for Japanese, the IPAexGothic font
inside :func:`matplotlib.rc_context`, which restores every rcParam on exit.
:func:`japanese` does the same for the user's own figures (``with
actviz.japanese(): ...``).  The only lasting effect is :func:`register_japanese_font` adding the font
file shipped by the ``matplotlib-fontja`` package to matplotlib's font list
(once); that does not change which font any figure uses.

``matplotlib_fontja`` is deliberately *not imported*: importing it calls
``japanize()``, which changes the global ``font.family``.  We only locate its
font file.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import importlib.util
import os
from collections.abc import Iterator
from dataclasses import dataclass

import matplotlib
from matplotlib import font_manager

from .._locales import check_lang
from ..errors import ActvizError

JAPANESE_FONT = "IPAexGothic"
# Glyphs IPAexGothic lacks (≤, some math symbols) fall back to DejaVu Sans, per glyph.
JAPANESE_FAMILY = [JAPANESE_FONT, "DejaVu Sans"]
THEMES = ("light", "dark")


@dataclass(frozen=True)
class Theme:
    """Colours of one theme: background, text, grid, axis lines and the colour cycle."""

    name: str
    background: str
    text: str
    grid: str
    zero_line: str
    colors: tuple[str, ...]
    region_alpha: float
    sweep_colormap: str
    sweep_range: tuple[float, float]


# tab10 on white; a brighter, colour-blind-friendly set (Okabe–Ito) on dark grey.
_THEMES = {
    "light": Theme("light", "white", "#222222", "#d9d9d9", "#808080",
                   ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"),
                   0.13, "viridis", (0.0, 0.85)),
    "dark": Theme("dark", "#1e1e24", "#e8e8e8", "#3c3c46", "#9a9a9a",
                  ("#56b4e9", "#e69f00", "#7fd17f", "#f0e442", "#cc79a7", "#ff6e54",
                   "#d0d0d0", "#0072b2", "#009e73", "#d55e00"),
                  0.22, "plasma", (0.3, 1.0)),
}


def check_theme(theme: str | None) -> Theme | None:
    """The :class:`Theme` named ``theme`` ('light' or 'dark'), None for None; else ActvizError."""
    if theme is None:
        return None
    if isinstance(theme, Theme):
        return theme
    if theme not in _THEMES:
        raise ActvizError(f"unknown theme {theme!r}; choose one of {', '.join(THEMES)}")
    return _THEMES[theme]


def get_theme(theme: str = "light") -> Theme:
    """The :class:`Theme` named ``theme`` ('light' or 'dark')."""
    return check_theme(theme)  # type: ignore[return-value]


def check_style(style: str | None) -> str | None:
    """Return ``style`` if matplotlib knows it (a style name or a .mplstyle file); else ActvizError."""
    if style is None:
        return None
    if not isinstance(style, str) or not style.strip():
        raise ActvizError(f"style must be a matplotlib style name, got {style!r}")
    import matplotlib.style  # reads the style library: only when a style is asked for

    available = sorted(matplotlib.style.available)
    if style in available or style == "default" or os.path.isfile(style):
        return style
    close = difflib.get_close_matches(style, available, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else \
        f"; available: {', '.join(available[:8])}, ... (see matplotlib.style.available)"
    raise ActvizError(f"unknown matplotlib style {style!r}{hint}")


def japanese_font_path() -> str:
    """Path of IPAexGothic (ipaexg.ttf) shipped by matplotlib-fontja, found without importing it."""
    spec = importlib.util.find_spec("matplotlib_fontja")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = os.path.join(folder, "fonts", "ipaexg.ttf")
        if os.path.isfile(path):
            return path
    raise ActvizError("the Japanese font is missing; install it with: pip install matplotlib-fontja")


@functools.cache
def register_japanese_font() -> str:
    """Add IPAexGothic from matplotlib-fontja to matplotlib's font list (once); return its family."""
    path = japanese_font_path()
    if not any(entry.fname == path for entry in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    return JAPANESE_FONT


def theme_rc(theme: Theme) -> dict:
    """rcParams for ``theme``: used inside rc_context while a figure is built and saved."""
    from cycler import cycler

    return {
        "figure.facecolor": theme.background,
        "savefig.facecolor": theme.background,
        "axes.facecolor": theme.background,
        "axes.edgecolor": theme.text,
        "axes.labelcolor": theme.text,
        "axes.titlecolor": theme.text,
        "axes.prop_cycle": cycler(color=list(theme.colors)),
        "grid.color": theme.grid,
        "text.color": theme.text,
        "xtick.color": theme.text,
        "ytick.color": theme.text,
        "legend.facecolor": theme.background,
        "legend.edgecolor": theme.grid,
        "legend.labelcolor": theme.text,
    }


def font_rc(lang: str) -> dict:
    """rcParams that make text in ``lang`` render with glyphs ('ja': IPAexGothic, DejaVu fallback)."""
    if check_lang(lang) != "ja":
        return {}
    register_japanese_font()
    # PDF/PS with TrueType (Type 42) fonts keep Japanese text searchable and compact.
    return {"font.family": JAPANESE_FAMILY, "pdf.fonttype": 42, "ps.fonttype": 42}


def rc_for(*, theme: str | Theme | None = None, style: str | None = None, lang: str = "en") -> dict:
    """All rcParams that :func:`style_context` applies (style first, then theme, then font)."""
    rc: dict = {}
    style = check_style(style)
    if style is not None:
        rc.update(_style_rc(style))
    resolved = check_theme(theme)
    if resolved is not None:
        rc.update(theme_rc(resolved))
    rc.update(font_rc(lang))
    return rc


def _style_rc(style: str) -> dict:
    """The rcParams a matplotlib style sets (read inside a throw-away rc_context)."""
    import matplotlib.style

    with matplotlib.rc_context():
        before = dict(matplotlib.rcParams)
        matplotlib.style.use(style)
        after = dict(matplotlib.rcParams)
    return {k: v for k, v in after.items() if before.get(k) != v and k != "backend"}


@contextlib.contextmanager
def style_context(*, theme: str | Theme | None = None, style: str | None = None,
                  lang: str = "en") -> Iterator[dict]:
    """Apply a matplotlib ``style``, a ``theme`` and the font for ``lang`` inside rc_context.

    ``theme`` is 'light', 'dark' or None (keep the current look); ``style`` is any
    name in ``matplotlib.style.available`` (or a .mplstyle path) or None;
    ``lang`` 'ja' selects IPAexGothic with DejaVu Sans as per-glyph fallback.
    Every rcParam is restored on exit.  Yields the rc dict applied.
    """
    rc = rc_for(theme=theme, style=style, lang=lang)
    with matplotlib.rc_context(rc):
        yield rc


def apply_theme(ax, theme: str | Theme) -> Theme:
    """Recolour an existing Axes (and its figure's background) for ``theme``; return the Theme.

    Used when drawing on an Axes made outside actviz, where rcParams no
    longer matter: background, spines, ticks, labels, title and grid colours.
    """
    resolved = check_theme(theme)
    ax.set_facecolor(resolved.background)
    figure = ax.get_figure()
    if figure is not None:
        figure.set_facecolor(resolved.background)
    for spine in ax.spines.values():
        spine.set_edgecolor(resolved.text)
    ax.tick_params(colors=resolved.text, which="both")
    ax.xaxis.label.set_color(resolved.text)
    ax.yaxis.label.set_color(resolved.text)
    ax.title.set_color(resolved.text)
    ax.grid(color=resolved.grid, visible=None)
    ax.set_prop_cycle(color=list(resolved.colors))
    return resolved


@contextlib.contextmanager
def japanese(*figures) -> Iterator[None]:
    """Give text made inside the block a font with Japanese glyphs; change nothing global.

    ::

        with actviz.japanese():
            fig, ax = plt.subplots()
            ax.plot(x, y, label="入力")
            fig.suptitle("活性化関数の比較")
            ax.legend()

    Inside the block ``font.family`` is IPAexGothic (from matplotlib-fontja)
    with DejaVu Sans as per-glyph fallback, so every Text made there (titles,
    labels, legends, annotations) keeps that font when the figure is drawn
    later, e.g. by Jupyter after the cell.  Texts that already existed, such as
    the title and axis labels of an Axes made *before* the block, get the font
    when their figure (or Axes) is passed: ``with actviz.japanese(fig): ...``;
    on exit each non-ASCII text of those figures is given the font.  Every
    rcParam is restored on exit; the only lasting effect is the font file added
    to matplotlib's font list (which changes no figure's font).
    """
    from matplotlib.axes import Axes
    from matplotlib.figure import FigureBase

    for item in figures:
        if not isinstance(item, (FigureBase, Axes)):
            raise ActvizError(f"japanese() takes Figures or Axes whose texts get the font, "
                              f"got {type(item).__name__}")
    with matplotlib.rc_context(font_rc("ja")):
        yield
    _give_japanese_font(figures)


def _give_japanese_font(figures) -> None:
    from matplotlib.text import Text

    for item in figures:
        for artist in item.findobj(Text):
            if not artist.get_text().isascii():
                artist.set_fontfamily(JAPANESE_FAMILY)
