"""Drawing the atlas with matplotlib's object API: activation pages, front pages, the overview.

An activation page is one A4 :class:`~matplotlib.figure.Figure`.  Its top part
is the activation's figure (title with the parameters, f(x) and f'(x) as
mathtext, f and f' with saturation and dead regions shaded); the rest holds the
measured properties and the explanation.  The figure is drawn once: the PDF
gets the whole page, and the figure file is the top part of the same Figure
(saved with ``bbox_inches`` while the page-only texts are hidden).

Curves, regions and limits come from :mod:`actviz.plotting.draw`; the numbers
in the texts come from :class:`~actviz.atlas.table.PropertyRow`.  Every
function here must be called inside :func:`actviz.plotting.style.style_context`
(the builder does), so rcParams are never changed globally.
"""

from __future__ import annotations

import math
import string
import textwrap
import unicodedata
from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from .._locales import text
from ..plotting import draw
from ..registry import BoundActivation, _fmt
from ..types import SATURATION_EPS
from .table import COLUMNS, PropertyRow, cell_values

A4 = (8.27, 11.69)  # inches, portrait
FIGURE_HEIGHT = 5.2  # inches of the page that make the activation's figure
FIGURE_XLIM = (-6.0, 6.0)
FIGURE_POINTS = 800
OVERVIEW_XLIM = (-5.0, 5.0)
OVERVIEW_POINTS = 300
OVERVIEW_COLUMNS = 6

# family -> index into the theme's colour cycle (so families read apart in the overview)
FAMILY_COLORS = {"classic": 7, "rectifier": 0, "shrinkage": 4, "sigmoid-like": 3,
                 "smooth gate": 2}
FAMILY_ORDER = ("classic", "rectifier", "shrinkage", "sigmoid-like", "smooth gate")

# The page lists the table's property columns (everything after name and formulas).
PROPERTY_LINES = tuple(column for column in COLUMNS if column[0] not in (
    "thumbnail", "name", "formula", "derivative"))


def bold(lang: str) -> str:
    """'bold' for English; Japanese text stays 'normal' (IPAexGothic has no bold face)."""
    return "normal" if lang == "ja" else "bold"


def family_title(family: str, lang: str) -> str:
    """The heading of an activation family in ``lang`` (the family name if unknown)."""
    key = f"atlas.family.{family}"
    shown = text(key, lang)
    return family if shown == key else shown


def family_color(family: str, colors: Sequence[str]) -> str:
    """The colour of a family: one of the theme's ``colors``."""
    return colors[FAMILY_COLORS.get(family, 1) % len(colors)]


# --------------------------------------------------------------------------- wrapping


_LATIN = string.ascii_letters + string.digits + "_'"


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def wrap(paragraph: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns (a CJK character counts 2); breaks at spaces if any."""
    lines: list[str] = []
    for part in paragraph.splitlines() or [""]:
        if all(_width(c) == 1 for c in part):
            lines += textwrap.wrap(part, width) or [""]
            continue
        line, used = "", 0
        for char in part:
            w = _width(char)
            if used + w > width and line:
                # keep closing punctuation with the line it closes (Japanese line-breaking rule)
                if char in "、。，．）」』】！？":
                    line += char
                    lines.append(line)
                    line, used = "", 0
                    continue
                # move a latin word that would be cut onto the next line
                tail = len(line) - len(line.rstrip(_LATIN))
                if char.isascii() and char.isalnum() and 0 < tail < len(line) // 2:
                    line, carry = line[:-tail], line[-tail:]
                else:
                    carry = ""
                lines.append(line)
                line, used = carry, sum(map(_width, carry))
                if char == " " and not carry:
                    continue
            line += char
            used += w
        if line:
            lines.append(line)
    return lines


# --------------------------------------------------------------------------- activation pages


def opaque_hatches(drawn, background) -> None:
    """Give the hatches of dead regions an opaque colour blended with ``background``.

    The PDF backend draws hatches without their alpha, so a translucent hatch
    that looks light in PNG prints at full strength; a pre-blended opaque colour
    looks the same in PNG, SVG and PDF.
    """
    from matplotlib.colors import to_rgba

    bg = to_rgba(background)
    for patch in drawn.spans.get("dead", []):
        r, g, b, a = to_rgba(patch.get_hatchcolor() if hasattr(patch, "get_hatchcolor")
                             else patch.get_edgecolor())
        blended = tuple(a * c + (1 - a) * k for c, k in zip((r, g, b), bg[:3], strict=True))
        if hasattr(patch, "set_hatchcolor"):
            patch.set_hatchcolor(blended)
        patch.set_edgecolor(blended)



class ActivationPage:
    """A reusable A4 page: call :meth:`draw` for each activation, then save it.

    ``figure_artists`` are drawn in both outputs; ``page_artists`` only on the
    PDF page.  One Figure serves every page a process draws: its Axes (with its
    ticks, axis labels, grid and zero lines), the heading texts and the curves,
    region patches and bands are made for the first activation and updated for
    the next ones (see :func:`actviz.plotting.draw.redraw_activation`), which
    draws the same page as a fresh Figure would (a test compares the pixels).
    """

    def __init__(self, lang: str = "en", theme=None):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        from ..plotting import style

        self.lang = lang
        self.theme = theme or style.get_theme("light")
        self.figure = Figure(figsize=A4)
        # one Agg canvas for the life of the page: its renderer (and the text layouts it
        # caches: tick labels, legend texts) is reused by every activation drawn here
        FigureCanvasAgg(self.figure)
        self.ax = None
        self.drawn = None  # the DrawnActivation on ax, redrawn for the next activation
        self.heading: list = []  # title, subtitle, f(x) = ..., f'(x) = ...: updated in place
        self._transient: list = []  # what the next draw removes (clipped note, legend)
        self.page_artists: list = []
        self.figure_artists: list = []

    @property
    def figure_bbox(self) -> Bbox:
        """The top part of the page in inches: what the figure file shows."""
        width, height = A4
        return Bbox.from_extents(0.0, height - FIGURE_HEIGHT, width, height)

    def _at(self, inches_from_top: float) -> float:
        """A height in figure fractions, ``inches_from_top`` below the page's top edge."""
        return 1.0 - inches_from_top / A4[1]

    def clear(self) -> None:
        """Remove the page texts and what changes with the activation (legend, notes).

        The Axes, its ticks, the heading texts and the curves stay, to be updated
        by the next :meth:`draw`.
        """
        for artist in self.page_artists + self._transient:
            artist.remove()
        self.page_artists = []
        self._transient = []
        self.figure_artists = []

    def draw(self, act: BoundActivation, row: PropertyRow | None = None, *,
             page_number: int | None = None, eps: float = SATURATION_EPS, page: bool = True) -> None:
        """Draw ``act`` (figure part) and ``row`` (properties, explanation) on the page.

        With ``page=False`` only the figure part is drawn (``row`` may be None).
        """
        self.clear()
        family = row.family if row is not None else act.definition.family
        color = family_color(family, self.theme.colors)
        self._draw_heading(act, family)
        self._draw_axes(act, color, eps)
        self.figure_artists = [*self.heading, self.ax]
        if page:
            self.page_artists = self._draw_page_text(act, row, page_number)

    def _draw_heading(self, act: BoundActivation, family: str) -> None:
        """Title (the label, with parameters), subtitle, f(x) = ... and f'(x) = ... as mathtext."""
        lang, theme = self.lang, self.theme
        # always "f(x) = ...": the registry's formula may itself contain '=' (x Φ(x) = ...)
        formula_f = f"$f(x) = {act.latex}$" if act.latex else "f(x)"
        formula_df = draw.formula_label(act, derivative=True) or "f′(x)"
        if act.numerical_derivative:
            formula_df += "  (" + text("atlas.numerical_derivative", lang) + ")"
        texts = [act.label, f"{act.display_name} · {family_title(family, lang)}", formula_f,
                 formula_df]
        if not self.heading:
            fig, at = self.figure, self._at
            self.heading = [
                fig.text(0.5, 1.0 - 0.25 / A4[1], "", ha="center", va="top",
                         fontweight=bold(lang)),
                fig.text(0.5, at(0.58), "", ha="center", va="top", fontsize=10,
                         color=theme.zero_line),
                fig.text(0.07, at(0.95), "", ha="left", va="center", fontsize=11),
                fig.text(0.07, at(1.3), "", ha="left", va="center", fontsize=11)]
        for artist, shown in zip(self.heading, texts, strict=True):
            artist.set_text(shown)
        # long labels (srelu has four parameters) shrink to fit the page width
        self.heading[0].set_fontsize(min(15.0, max(8.0, 15.0 * 60 / max(len(act.label), 1))))

    def _draw_axes(self, act: BoundActivation, color, eps: float) -> None:
        """f and f' with regions shaded on the page's Axes (made once), limits and legend."""
        lang, theme = self.lang, self.theme
        options = dict(xlim=FIGURE_XLIM, points=FIGURE_POINTS, derivative=True, regions=True,
                       eps=eps, color=color, label=act.display_name, lang=lang,
                       region_alpha=theme.region_alpha)
        first = self.ax is None
        if first:
            axes_top = self._at(1.62)
            axes_bottom = (1.0 - FIGURE_HEIGHT / A4[1]) + 0.5 / A4[1]  # as drawn before
            self.ax = self.figure.add_axes((0.09, axes_bottom, 0.86, axes_top - axes_bottom))
            drawn = draw.draw_activation(self.ax, act, **options)
        else:
            drawn = draw.redraw_activation(self.drawn, act, **options)
        self.drawn = drawn
        ax = self.ax
        opaque_hatches(drawn, theme.background)
        drawn.line.set_label("f(x)")
        if drawn.derivative_line is not None:
            drawn.derivative_line.set_label("f′(x)")
        if first:
            draw.decorate_axes(ax, [drawn], title=None, lang=lang, legend=False,
                               zero_line_color=theme.zero_line, note_color=theme.text)
            ax.set_ylabel("")
            note = next((t for t in ax.texts), None)  # decorate's 'clipped' note, if any
        else:
            note = draw.set_limits(ax, [drawn], xlim=FIGURE_XLIM, lang=lang,
                                   note_color=theme.text)
        # the entries in a fixed order (f, f', first saturated, first dead region), so that
        # reused artists (kept in the order they were first made) give the same legend
        handles = [drawn.line, drawn.derivative_line, *drawn.spans["saturated"][:1],
                   *drawn.spans["dead"][:1]]
        handles = [h for h in handles if h is not None]
        legend = ax.legend(handles, [h.get_label() for h in handles], loc="best",
                           fontsize=8.5, framealpha=0.85)
        self._transient = [a for a in (note, legend) if a is not None]

    def _draw_page_text(self, act: BoundActivation, row: PropertyRow,
                        page_number: int | None) -> list:
        """The page-only texts: measured properties, parameters, explanation, references."""
        fig, lang, theme = self.figure, self.lang, self.theme
        height = A4[1]
        page = []
        y = self._at(FIGURE_HEIGHT + 0.25)
        page.append(fig.text(0.07, y, text("atlas.measured", lang), fontsize=12,
                             fontweight=bold(lang), va="top"))
        values = cell_values(row, lang)
        y -= 0.36 / height
        # one multi-line text per column: far cheaper to lay out than a text per cell
        params = ", ".join(f"{k} = {_fmt(v)}" for k, v in act.params.items()) or text(
            "atlas.no_parameters", lang)
        param_lines = wrap(params, 60)[:2]
        labels = [text(key, lang) for _, key in PROPERTY_LINES] + [text("atlas.parameters", lang)]
        shown = [values[key] for key, _ in PROPERTY_LINES] + param_lines
        page.append(self._block(0.09, y, labels, 9.5, color=theme.zero_line))
        page.append(self._block(0.48, y, shown, 9.5))
        y = min(page[-1].bottom, page[-2].bottom)
        note = act.derivative_note(lang)
        if note:
            page.append(self._block(0.09, y, wrap(note, 110)[:2], 8.5, spacing=1.45,
                                    style="italic", color=theme.zero_line))
            y = page[-1].bottom
        explanation = act.explanation(lang)
        if explanation:
            y -= 0.12 / height
            page.append(fig.text(0.07, y, text("atlas.explanation", lang), fontsize=12,
                                 fontweight=bold(lang), va="top"))
            y -= 0.34 / height
            page.append(self._block(0.07, y, wrap(explanation, 96 if lang == "ja" else 100)[:14],
                                    10, spacing=1.45))
            y = page[-1].bottom
        references = [str(r) for r in act.definition.references]
        if references and y > 1.6 / height:
            y -= 0.12 / height
            page.append(fig.text(0.07, y, text("references", lang), fontsize=10,
                                 fontweight=bold(lang), va="top"))
            y -= 0.28 / height
            room = max(1, int((y - 0.7 / height) * height / 0.2))
            lines = [line for ref in references[:3] for line in wrap("– " + ref, 110)[:2]]
            page.append(self._block(0.08, y, lines[:room], 8.5, spacing=1.45))
        if page_number is not None:
            page.append(fig.text(0.5, 0.3 / height, str(page_number), ha="center",
                                 fontsize=9, color=theme.zero_line))
        return page

    def _block(self, x: float, y: float, lines: Sequence[str], size: float,
               spacing: float = 1.85, **kwargs):
        """One multi-line text, top-left at (x, y) in figure fractions; ``.top``/``.bottom`` set.

        Lines are ``size * spacing`` points apart; ``bottom`` is where the next block may start.
        """
        artist = self.figure.text(x, y, "\n".join(lines), fontsize=size, va="top",
                                  linespacing=spacing, **kwargs)
        artist.top = y
        artist.bottom = y - len(lines) * size * spacing / 72 / A4[1]
        return artist

    def save_figure(self, path, format: str, dpi: float = 100) -> None:
        """Save the figure part (not the page texts) to ``path`` (png or svg) at ``dpi``.

        PNG: the page is drawn once on its Agg canvas (page texts hidden) and the
        top part of the raster is encoded directly (no savefig re-layout).
        """
        for artist in self.page_artists:
            artist.set_visible(False)
        try:
            if format == "png":
                with open(path, "wb") as handle:
                    handle.write(self.figure_png(dpi))
            else:
                self.figure.savefig(path, format=format, dpi=dpi, bbox_inches=self.figure_bbox,
                                    metadata=_metadata(format))
        finally:
            for artist in self.page_artists:
                artist.set_visible(True)

    def figure_png(self, dpi: float = 100) -> bytes:
        """The figure part as PNG bytes: drawn on the page's Agg canvas, the top cropped."""
        import numpy as np

        fig = self.figure
        if fig.dpi != dpi:
            fig.set_dpi(dpi)
        fig.canvas.draw()
        rgba = np.asarray(fig.canvas.buffer_rgba())
        rows = round(FIGURE_HEIGHT * dpi)
        return png_bytes(rgba[:rows], dpi)


def png_bytes(rgba, dpi: float, compress_level: int = 1) -> bytes:
    """Encode an RGBA (opaque) raster as RGB PNG bytes with ``dpi`` and 'Software: actviz'.

    zlib level 1 (default): several times faster than level 6, files ~20% larger.
    The RGBA rows are read in place and dropped to RGB by Pillow (no NumPy copy).
    """
    import io

    import numpy as np
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Software", "actviz")
    buffer = io.BytesIO()
    rgba = np.ascontiguousarray(rgba)
    image = Image.frombuffer("RGBA", (rgba.shape[1], rgba.shape[0]), rgba, "raw", "RGBA", 0, 1)
    image.convert("RGB").save(buffer, format="png", pnginfo=info, dpi=(dpi, dpi),
                              compress_level=compress_level)
    return buffer.getvalue()


def _metadata(format: str) -> dict | None:
    if format == "png":
        return {"Software": "actviz"}
    if format == "pdf":
        return {"Creator": "actviz", "Producer": "actviz (matplotlib)"}
    if format == "svg":
        return {"Creator": "actviz"}
    return None


# --------------------------------------------------------------------------- front pages


def title_page(count: int, lang: str, *, version: str, eps: float = SATURATION_EPS) -> Figure:
    """The atlas's title page: title, subtitle with the number of activations, how to read it."""
    fig = Figure(figsize=A4)
    fig.text(0.5, 0.66, text("atlas.title", lang), ha="center", fontsize=28, fontweight=bold(lang))
    fig.text(0.5, 0.61, text("atlas.subtitle", lang, count=count), ha="center", fontsize=12)
    note = text("atlas.front_note", lang, eps=f"{eps:g}")
    y = 0.52
    for line in wrap(note, 76 if lang == "ja" else 80):
        fig.text(0.5, y, line, ha="center", fontsize=10, color="#555555")
        y -= 0.022
    fig.text(0.5, 0.08, text("atlas.generated", lang, version=version), ha="center",
             fontsize=9, color="#777777")
    return fig


def contents_page(entries: Sequence[tuple[str, str, str, int]], lang: str) -> Figure:
    """The contents: ``entries`` are (family, display name, label, page), grouped by family.

    Two columns; a family heading before each family's first entry.
    """
    fig = Figure(figsize=A4)
    fig.text(0.07, 0.95, text("atlas.contents", lang), fontsize=20, fontweight=bold(lang),
             va="top")
    lines: list[tuple[str, str, str, int | None]] = []
    family = None
    for fam, name, label, page in entries:
        if fam != family:
            family = fam
            lines.append(("family", family_title(fam, lang), "", None))
        lines.append(("entry", name, label, page))
    per_column = max(1, math.ceil(len(lines) / 2))
    step = min(0.03, 0.84 / max(per_column, 1))
    for i, (kind, name, label, page) in enumerate(lines):
        column, position = divmod(i, per_column)
        x0 = 0.07 + column * 0.45
        y = 0.89 - position * step
        if kind == "family":
            fig.text(x0, y, name, fontsize=10.5, fontweight=bold(lang), va="top")
            continue
        fig.text(x0 + 0.015, y, name, fontsize=9.5, va="top")
        if label != name:
            shown = label if len(label) <= 62 else label[:61] + "…"
            fig.text(x0 + 0.015, y - step * 0.42, shown, fontsize=6.5, va="top",
                     color="#777777")
        fig.text(x0 + 0.41, y, str(page), fontsize=9.5, va="top", ha="right")
    return fig


# --------------------------------------------------------------------------- overview


# --------------------------------------------------------------------------- overview tiles
#
# The overview sheet is composed from tiles (one small raster per activation, drawn where
# its page is drawn, so in parallel) under a header strip: the same layout as
# a single 48-Axes figure, without drawing one.  The tiles are also the thumbnails.

OVERVIEW_HEADER = 0.75  # inches above the grid (title and key)
OVERVIEW_FOOTER = 0.25
OVERVIEW_LEFT = 0.35
OVERVIEW_RIGHT = 0.12
TILE_LEFT = 0.27  # inches left of the Axes inside a tile (y tick labels)


def overview_grid(count: int) -> tuple[int, int, float, float]:
    """(columns, rows, column width, cell height) in inches of an overview of ``count`` tiles."""
    columns = min(OVERVIEW_COLUMNS, max(count, 1))
    rows = max(1, math.ceil(count / columns))
    col_w = (A4[0] - OVERVIEW_LEFT - OVERVIEW_RIGHT) / columns
    cell = min(1.33, (A4[1] - 1.0) / rows)
    return columns, rows, col_w, cell


class OverviewTile:
    """A reusable small figure: one activation of the overview (and its thumbnail) at a time."""

    def __init__(self, lang: str = "en", *, count: int = 48, dpi: float = 200, theme=None):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.ticker import FixedLocator, MaxNLocator

        from ..plotting import style

        self.lang = lang
        self.dpi = dpi
        self.theme = theme or style.get_theme("light")
        _, _, col_w, cell = overview_grid(count)
        self.size = (col_w, cell)
        self.figure = Figure(figsize=self.size, dpi=dpi)
        FigureCanvasAgg(self.figure)
        ax = self.figure.add_axes((TILE_LEFT / col_w, 0.18 / cell, (col_w - 0.3) / col_w,
                                   (cell - 0.42) / cell))
        ax.xaxis.set_major_locator(FixedLocator([-4, 0, 4]))
        ax.yaxis.set_major_locator(MaxNLocator(3))
        ax.tick_params(labelsize=5.5, length=2, pad=1.5, width=0.5)
        for spine in ax.spines.values():
            spine.set_linewidth(0.5)
        self.ax = ax
        self.drawn = None  # the last tile's DrawnActivation, redrawn for the next one

    def png(self, act: BoundActivation, eps: float = SATURATION_EPS) -> bytes:
        """Draw ``act`` (f solid, f' dashed, regions shaded, family colour); PNG bytes."""
        import numpy as np

        ax, theme = self.ax, self.theme
        color = family_color(act.definition.family, theme.colors)
        options = dict(xlim=OVERVIEW_XLIM, points=OVERVIEW_POINTS, derivative=True,
                       regions=True, eps=eps, color=color, lang=self.lang, linewidth=1.3,
                       region_alpha=theme.region_alpha)
        if self.drawn is None:
            drawn = draw.draw_activation(ax, act, **options)
            draw.draw_zero_lines(ax, color=theme.zero_line, linewidth=0.5)
        else:  # the curves, patches and bands of the last tile, updated
            drawn = draw.redraw_activation(self.drawn, act, **options)
        self.drawn = drawn
        opaque_hatches(drawn, theme.background)
        for marker in drawn.markers:
            marker.set_markersize(3.0)
            marker.set_markeredgewidth(0.8)
        limits = draw.robust_ylim([drawn.curve], derivative=True)
        ax.set_xlim(*OVERVIEW_XLIM)
        ax.set_ylim(limits.low, limits.high)
        default = dict(act.params) == act.definition.defaults  # specs round-trip exactly, so workers agree
        ax.set_title(act.display_name if default else act.short_label, fontsize=8, pad=2.5)
        self.figure.canvas.draw()
        return png_bytes(np.asarray(self.figure.canvas.buffer_rgba()), self.dpi)


def overview_header(count: int, lang: str, *, dpi: float = 200, theme=None):
    """The overview's header strip (title, key) as an RGBA array, A4 wide."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from ..plotting import style

    theme = theme or style.get_theme("light")
    height = OVERVIEW_HEADER
    fig = Figure(figsize=(A4[0], height), dpi=dpi)
    FigureCanvasAgg(fig)
    fig.text(0.5, 1 - 0.22 / height, text("atlas.overview_title", lang), ha="center", va="top",
             fontsize=13, fontweight=bold(lang))
    fig.text(0.5, 1 - 0.5 / height,
             text("atlas.overview_key", lang, low=f"{OVERVIEW_XLIM[0]:g}",
                  high=f"{OVERVIEW_XLIM[1]:g}"),
             ha="center", va="top", fontsize=7.5, color=theme.zero_line)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def compose_overview(header, tiles: Sequence[bytes], *, dpi: float = 200,
                     background=(255, 255, 255)) -> bytes:
    """The overview sheet (PNG bytes): ``header`` (RGBA array) above a grid of PNG ``tiles``."""
    import io

    import numpy as np
    from PIL import Image

    columns, rows, col_w, cell = overview_grid(len(tiles))
    height = OVERVIEW_HEADER + OVERVIEW_FOOTER + rows * cell
    sheet = Image.new("RGB", (round(A4[0] * dpi), round(height * dpi)), background)
    sheet.paste(Image.fromarray(header[..., :3]), (0, 0))
    for i, data in enumerate(tiles):
        r, c = divmod(i, columns)
        x = (OVERVIEW_LEFT - TILE_LEFT + c * col_w) * dpi
        y = (OVERVIEW_HEADER + r * cell) * dpi
        with Image.open(io.BytesIO(data)) as tile:
            sheet.paste(tile.convert("RGB"), (round(x), round(y)))
    rgba = np.asarray(sheet.convert("RGBA"))
    return png_bytes(rgba, dpi, compress_level=6)
