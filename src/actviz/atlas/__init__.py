"""The atlas: every activation in one document, with figures, an overview and a properties table.

:func:`build_atlas` writes into a folder:

- ``figures/<name>.png`` (or ``.svg``): f and f', saturation and dead regions
  shaded, f(x) and f'(x) as text, the parameters in the title;
- ``atlas.pdf``: a title page, a contents page, one page per activation
  (its figure, measured properties, explanation, references);
- ``overview.png``: all activations as small multiples on one A4-wide sheet;
- ``thumbnails/<name>.png``, ``properties.md`` and ``properties.html`` (a table
  of the numerically measured properties; the HTML embeds its thumbnails).

Computing lives in :mod:`actviz.atlas.table` (rows from
:func:`actviz.properties.analyse`), drawing in :mod:`actviz.atlas.pages`, and the
orchestration here.  With more than one core, the pages are drawn in worker
processes ('spawn' start method) that each produce a part of the PDF, and the
parts are joined with pypdf; without pypdf, a worker pool or for activations
registered at run time the same work runs in this process.  Every file is
written to a temporary name and renamed, so an interrupted run leaves no
truncated file, and a re-run overwrites the previous one.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import logging
import os
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .._io import atomic_path, ensure_dir, write_bytes, write_text
from .._locales import check_lang, text
from ..errors import ActvizError
from ..registry import BoundActivation, get, names
from .table import PropertyRow, property_row, render_html, render_markdown

FORMATS = ("png", "svg")
FRONT_PAGES = 2  # title and contents
FIGURE_DPI = 100
OVERVIEW_DPI = 200
MIN_PARALLEL = 8  # fewer activations than this are drawn in-process (spawning costs more)


@dataclass
class AtlasResult:
    """What :func:`build_atlas` wrote: paths, the PDF's page count and the table rows."""

    out_dir: Path
    pdf: Path
    overview: Path
    markdown: Path
    html: Path
    figures: dict[str, Path]
    thumbnails: dict[str, Path]
    pages: int
    rows: list[PropertyRow]
    workers: int
    files: list[Path] = field(default_factory=list)


# --------------------------------------------------------------------------- input


def resolve_activations(specs: Sequence | None = None) -> list[BoundActivation]:
    """The activations of an atlas: ``specs`` (spec strings or BoundActivations) or all 48.

    Raises ActvizError (unknown name with suggestions, bad parameter) before
    anything is drawn or written; duplicates are dropped, the order is kept.
    """
    if specs is None:
        items: list = list(names())
    elif isinstance(specs, (str, BoundActivation)):
        items = [specs]
    else:
        items = list(specs)
    if not items:
        raise ActvizError("no activation given; name at least one (see 'actviz list')")
    acts = [get(s) for s in items]
    return list(dict.fromkeys(acts))


def file_stems(acts: Sequence[BoundActivation]) -> list[str]:
    """A file name (without extension) per activation: its name, plus parameters if not default.

    ``leaky_relu`` at its default, ``leaky_relu_negative_slope=0.1`` otherwise.
    """
    stems = []
    for act in acts:
        changed = {k: v for k, v in act.params.items() if v != act.definition.defaults[k]}
        stem = act.name
        if changed:
            stem += "_" + "_".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                                   for k, v in changed.items())
        stems.append(re.sub(r"[^A-Za-z0-9_.=+-]", "_", stem))
    return stems


def _check_format(format: str) -> str:
    fmt = str(format).lower().lstrip(".")
    if fmt not in FORMATS:
        raise ActvizError(f"unknown figure format {format!r}; choose one of {', '.join(FORMATS)}")
    return fmt


def _is_builtin(act: BoundActivation) -> bool:
    """True when a fresh process re-creates ``act`` from its spec (a built-in activation)."""
    module = getattr(act.definition.function, "__module__", "") or ""
    return module.startswith("actviz.activations")


def _pypdf_available() -> bool:
    try:
        import pypdf  # noqa: F401
    except ImportError:
        return False
    return True


# --------------------------------------------------------------------------- work units


@contextlib.contextmanager
def quiet_font_logs() -> Iterator[None]:
    """Silence fontTools' notice about IPAexGothic's old timestamps while a PDF embeds it.

    The logger's level is restored on exit (no lasting change).
    """
    logger = logging.getLogger("fontTools.ttLib.tables._h_e_a_d")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _replay(caught: Sequence[tuple[str, str]]) -> None:
    """Re-issue warnings recorded in a worker process (e.g. missing glyphs) here."""
    import builtins

    for category, message in caught:
        cls = getattr(builtins, category, UserWarning)
        if not (isinstance(cls, type) and issubclass(cls, Warning)):
            cls = UserWarning
        warnings.warn(message, cls, stacklevel=3)


def _draw_pages(pdf, acts, stems, first_page: int, out_dir: str, lang: str, fmt: str,
                eps: float) -> list[PropertyRow]:
    """Draw each activation's page once: the figure file, then the page into ``pdf``."""
    from .pages import ActivationPage

    rows = []
    page = ActivationPage(lang)
    figures = Path(out_dir) / "figures"
    for i, (act, stem) in enumerate(zip(acts, stems, strict=True)):
        row = property_row(act)
        rows.append(row)
        page.draw(act, row, page_number=first_page + i, eps=eps)
        with atomic_path(figures / f"{stem}.{fmt}") as tmp:
            page.save_figure(tmp, fmt, dpi=FIGURE_DPI)
        pdf.savefig(page.figure)
    return rows


def _pdf_metadata(lang: str) -> dict:
    from .. import __version__

    return {"Title": text("atlas.title", lang), "Creator": f"actviz {__version__}",
            "CreationDate": None}


def pages_part(specs: Sequence[str], stems: Sequence[str], first_page: int, out_dir: str,
               lang: str, fmt: str, eps: float) -> tuple[list[PropertyRow], bytes, list]:
    """Worker task: figure files and a PDF (bytes) of the pages of some activations."""
    from matplotlib.backends.backend_pdf import PdfPages

    from ..plotting import style

    acts = [get(s) for s in specs]
    buffer = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught, quiet_font_logs():
        warnings.simplefilter("always")
        with style.style_context(theme="light", lang=lang), PdfPages(
                buffer, metadata=_pdf_metadata(lang)) as pdf:
            rows = _draw_pages(pdf, acts, stems, first_page, out_dir, lang, fmt, eps)
    return rows, buffer.getvalue(), [(w.category.__name__, str(w.message)) for w in caught]


def overview_part(specs: Sequence[str], stems: Sequence[str], lang: str,
                  eps: float) -> tuple[bytes, dict[str, bytes], list]:
    """Worker task: the overview sheet as PNG bytes, and a thumbnail (PNG bytes) per activation."""
    acts = [get(s) for s in specs]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        overview, thumbs = _render_overview(acts, stems, lang, eps)
    return overview, thumbs, [(w.category.__name__, str(w.message)) for w in caught]


def _png_bytes(rgba, dpi: float) -> bytes:
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Software", "actviz")
    buffer = io.BytesIO()
    image = Image.fromarray(rgba[..., :3])
    image.save(buffer, format="png", pnginfo=info, dpi=(dpi, dpi), compress_level=6)
    return buffer.getvalue()


def _render_overview(acts, stems, lang: str, eps: float) -> tuple[bytes, dict[str, bytes]]:
    """Draw the overview once; the thumbnails are crops of the same raster."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from ..plotting import style
    from .pages import overview_figure

    with style.style_context(theme="light", lang=lang):
        fig, axes = overview_figure(acts, lang, eps=eps)
        fig.set_dpi(OVERVIEW_DPI)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        renderer = canvas.get_renderer()
        rgba = np.asarray(canvas.buffer_rgba())
        height, width = rgba.shape[:2]
        thumbs = {}
        pad = 4
        for ax, stem in zip(axes, stems, strict=True):
            box = ax.get_tightbbox(renderer)
            x0 = max(int(box.x0) - pad, 0)
            x1 = min(int(np.ceil(box.x1)) + pad, width)
            y0 = max(height - int(np.ceil(box.y1)) - pad, 0)
            y1 = min(height - int(box.y0) + pad, height)
            thumbs[stem] = _png_bytes(rgba[y0:y1, x0:x1], OVERVIEW_DPI)
        overview = _png_bytes(rgba, OVERVIEW_DPI)
    return overview, thumbs


def _front_pages(pdf, acts: Sequence[BoundActivation], lang: str, eps: float) -> None:
    from .. import __version__
    from .pages import contents_page, title_page

    pdf.savefig(title_page(len(acts), lang, version=__version__, eps=eps))
    entries = [(a.definition.family, a.display_name, a.label, FRONT_PAGES + 1 + i)
               for i, a in enumerate(acts)]
    pdf.savefig(contents_page(entries, lang))


def _front_part(acts, lang: str, eps: float) -> bytes:
    from matplotlib.backends.backend_pdf import PdfPages

    from ..plotting import style

    buffer = io.BytesIO()
    with quiet_font_logs(), style.style_context(theme="light", lang=lang), PdfPages(
            buffer, metadata=_pdf_metadata(lang)) as pdf:
        _front_pages(pdf, acts, lang, eps)
    return buffer.getvalue()


def _join_pdf(parts: Sequence[bytes], path: Path, acts, lang: str) -> int:
    """Join PDF parts (front pages, then the activation pages in order) with bookmarks."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in parts:
        writer.append(PdfReader(io.BytesIO(data)))
    writer.add_outline_item(title=text("atlas.contents", lang), page_number=1)
    for i, act in enumerate(acts):
        writer.add_outline_item(title=act.label, page_number=FRONT_PAGES + i)
    meta = _pdf_metadata(lang)
    writer.add_metadata({"/Title": meta["Title"], "/Creator": meta["Creator"]})
    with atomic_path(path) as tmp, open(tmp, "wb") as handle:
        writer.write(handle)
    return len(writer.pages)


# --------------------------------------------------------------------------- orchestration


def _chunks(count: int, parts: int) -> list[range]:
    parts = max(1, min(parts, count))
    bounds = [round(i * count / parts) for i in range(parts + 1)]
    return [range(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def _run_parallel(acts, stems, out_dir: Path, lang, fmt, eps, workers: int):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    specs = [a.spec for a in acts]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        try:
            overview_future = pool.submit(overview_part, specs, stems, lang, eps)
            page_futures = [
                pool.submit(pages_part, specs[r.start:r.stop], stems[r.start:r.stop],
                            FRONT_PAGES + 1 + r.start, str(out_dir), lang, fmt, eps)
                for r in _chunks(len(acts), workers * 2)]
            front = _front_part(acts, lang, eps)
            rows, parts, caught = [], [front], []
            for future in page_futures:
                part_rows, data, part_caught = future.result()
                rows += part_rows
                parts.append(data)
                caught += part_caught
            overview, thumbs, overview_caught = overview_future.result()
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    _replay(caught + overview_caught)
    pages = _join_pdf(parts, out_dir / "atlas.pdf", acts, lang)
    return rows, pages, overview, thumbs


def _run_serial(acts, stems, out_dir: Path, lang, fmt, eps):
    from matplotlib.backends.backend_pdf import PdfPages

    from ..plotting import style

    with atomic_path(out_dir / "atlas.pdf") as tmp, quiet_font_logs():
        with style.style_context(theme="light", lang=lang), PdfPages(
                tmp, metadata=_pdf_metadata(lang)) as pdf:
            _front_pages(pdf, acts, lang, eps)
            rows = _draw_pages(pdf, acts, stems, FRONT_PAGES + 1, str(out_dir), lang, fmt, eps)
            pages = pdf.get_pagecount()
    overview, thumbs = _render_overview(acts, stems, lang, eps)
    return rows, pages, overview, thumbs


def default_workers() -> int:
    """How many processes draw the atlas by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def build_atlas(out_dir, specs: Sequence | None = None, *, lang: str = "en",
                format: str = "png", workers: int | None = None,
                eps: float = 1e-3) -> AtlasResult:
    """Write the atlas of ``specs`` (default: every registered activation) into ``out_dir``.

    - ``out_dir``: the folder (created if missing).
    - ``specs``: spec strings or BoundActivations (default None: all, registry order).
    - ``lang``: 'en' (default) or 'ja' for every text.
    - ``format``: 'png' (default) or 'svg' for the per-activation figures.
    - ``workers``: processes drawing pages (default: the usable cores; 1 draws here).
    - ``eps``: the saturation threshold |f'| < eps shaded in the figures (default 1e-3).

    Every argument is checked before anything is written.  Returns an :class:`AtlasResult`.
    Worker processes use the 'spawn' start method: in a script, call this under
    ``if __name__ == "__main__":`` (as with any multiprocessing) or pass
    ``workers=1``; if the workers cannot start, the atlas is drawn in this
    process after a RuntimeWarning.
    """
    check_lang(lang)
    fmt = _check_format(format)
    acts = resolve_activations(specs)
    if isinstance(workers, bool) or (workers is not None and (
            not isinstance(workers, int) or workers < 1)):
        raise ActvizError(f"workers must be a whole number >= 1, got {workers!r}")
    workers = default_workers() if workers is None else workers
    stems = file_stems(acts)
    out = ensure_dir(out_dir)
    ensure_dir(out / "figures")
    ensure_dir(out / "thumbnails")

    parallel = (workers > 1 and len(acts) >= MIN_PARALLEL and all(map(_is_builtin, acts))
                and _pypdf_available())
    used = 1
    if parallel:
        from concurrent.futures.process import BrokenProcessPool

        try:
            rows, pages, overview, thumbs = _run_parallel(acts, stems, out, lang, fmt, eps,
                                                          min(workers, len(acts)))
            used = min(workers, len(acts))
        except (BrokenProcessPool, OSError, ImportError) as exc:
            warnings.warn(f"drawing in worker processes failed ({exc}); drawing here instead",
                          RuntimeWarning, stacklevel=2)
            parallel = False
    if not parallel:
        rows, pages, overview, thumbs = _run_serial(acts, stems, out, lang, fmt, eps)

    figures = {s: out / "figures" / f"{s}.{fmt}" for s in stems}
    thumbnails = {}
    for stem in stems:
        thumbnails[stem] = write_bytes(out / "thumbnails" / f"{stem}.png", thumbs[stem])
    overview_path = write_bytes(out / "overview.png", overview)
    by_name = dict(zip(stems, rows, strict=True))
    md_thumbs = {row.spec: f"thumbnails/{stem}.png" for stem, row in by_name.items()}
    html_thumbs = {row.spec: thumbs[stem] for stem, row in by_name.items()}
    markdown = write_text(out / "properties.md", render_markdown(rows, lang, md_thumbs))
    html = write_text(out / "properties.html", render_html(rows, lang, html_thumbs))
    pdf = out / "atlas.pdf"
    files = [pdf, overview_path, markdown, html, *figures.values(), *thumbnails.values()]
    return AtlasResult(out, pdf, overview_path, markdown, html, figures, thumbnails, pages,
                       rows, used, files)


__all__ = ["FORMATS", "FRONT_PAGES", "AtlasResult", "build_atlas", "default_workers",
           "file_stems", "resolve_activations"]
