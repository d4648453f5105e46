"""The atlas: every activation in one document, with figures, an overview and a properties table.

:func:`build_atlas` writes into a folder:

- ``figures/<name>.png`` (or ``.svg``): f and f', saturation and dead regions
  shaded, f(x) and f'(x) as text, the parameters in the title;
- ``atlas.pdf``: a title page, a contents page, one page per activation
  (its figure, measured properties, explanation, references);
- ``overview.png``: all activations as small multiples on one A4-wide sheet;
- ``thumbnails/<name>.png``, ``properties.md`` and ``properties.html`` (a table
  of the numerically measured properties; the HTML embeds its thumbnails);
- ``atlas-files.json``: what the run wrote.  A re-run removes the figures and
  thumbnails the previous run listed there and this one did not write (fewer
  ``--only`` activations, another ``--format``), and nothing else.

Computing lives in :mod:`actviz.atlas.table` (rows from
:func:`actviz.properties.analyse`), drawing in :mod:`actviz.atlas.pages`, and the
orchestration here.  With more than one core, this process and ``workers - 1``
worker processes take activations one at a time from a shared queue (so the
work stays balanced); each draws, per activation, its figure file, its PDF page
(into a PDF part of its own) and its overview tile, from one drawing of the
page (one page Figure and one tile per process, whose artists are updated for
the next activation; ``figures_only`` draws the figure files alone, the same
way).  The parts are joined with pypdf and the overview is composed from the
tiles (which are also the thumbnails).  Workers are forked where that is safe
(Linux, no other thread: they start at once, with everything imported), else
spawned.  Without pypdf, with fewer than 8 activations or for activations
registered at run time, the same work runs in this process alone.  Every file is
written to a temporary name and renamed, so an interrupted run leaves no
truncated file, and a re-run overwrites the previous one.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .._io import atomic_path, ensure_dir, write_bytes, write_text
from .._locales import check_lang, text
from ..errors import ActvizError
from ..registry import BoundActivation, get, names
from ..types import SATURATION_EPS
from .table import PropertyRow, property_row, render_html, render_markdown

FORMATS = ("png", "svg")
FRONT_PAGES = 2  # title and contents
FIGURE_DPI = 100
OVERVIEW_DPI = 200
MIN_PARALLEL = 8  # fewer activations than this are drawn in-process (a worker costs more)


@dataclass
class AtlasResult:
    """What :func:`build_atlas` wrote: paths, the PDF's page count and the table rows."""

    out_dir: Path
    pdf: Path | None  # None (like overview, markdown, html) for figures_only
    overview: Path | None
    markdown: Path | None
    html: Path | None
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


def _pdf_metadata(lang: str) -> dict:
    from .. import __version__

    return {"Title": text("atlas.title", lang), "Creator": f"actviz {__version__}",
            "CreationDate": None}


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


def _join_pdf(front: bytes, parts: Sequence[tuple[list[int], bytes]], path: Path, acts,
              lang: str) -> int:
    """Join the front pages and the workers' parts (pages in activation order) with bookmarks.

    ``parts`` are (indices of the activations in the order drawn, PDF bytes).
    """
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front)))
    found = {}
    for order, data in parts:
        if order:
            reader = PdfReader(io.BytesIO(data))
            found.update({i: reader.pages[position] for position, i in enumerate(order)})
    for i in range(len(acts)):
        writer.add_page(found[i])
    writer.add_outline_item(title=text("atlas.contents", lang), page_number=1)
    for i, act in enumerate(acts):
        writer.add_outline_item(title=act.label, page_number=FRONT_PAGES + i)
    meta = _pdf_metadata(lang)
    writer.add_metadata({"/Title": meta["Title"], "/Creator": meta["Creator"]})
    with atomic_path(path) as tmp, open(tmp, "wb") as handle:
        writer.write(handle)
    return len(writer.pages)


# --------------------------------------------------------------------------- drawing


def _draw_into(pdf, indices: Iterable[int], specs, stems, out_dir: str, lang: str, fmt: str,
               eps: float, count: int) -> tuple[list[int], dict, dict]:
    """Draw the activations at ``indices`` (taken one at a time, e.g. from a shared queue).

    Each one: its table row, its page (drawn once: the figure file is the top of the
    page's Agg raster, then the page goes into ``pdf``) and its overview tile.
    With ``pdf`` None, only the figure files (no row, no page texts, no tile).
    Returns (indices in drawing order, rows by index, tile PNG bytes by index).
    """
    from .pages import ActivationPage, OverviewTile

    page = ActivationPage(lang)
    tile = OverviewTile(lang, count=count, dpi=OVERVIEW_DPI) if pdf is not None else None
    figures = Path(out_dir) / "figures"
    order, rows, tiles = [], {}, {}
    for i in indices:
        act = get(specs[i])
        row = property_row(act) if pdf is not None else None
        page.draw(act, row, page_number=FRONT_PAGES + 1 + i, eps=eps, page=pdf is not None)
        with atomic_path(figures / f"{stems[i]}.{fmt}") as tmp:
            page.save_figure(tmp, fmt, dpi=FIGURE_DPI)
        order.append(i)
        if pdf is None:
            continue
        pdf.savefig(page.figure)
        tiles[i] = tile.png(act, eps)
        rows[i] = row
    return order, rows, tiles


def _draw_part(indices: Iterable[int], specs, stems, out_dir: str, lang: str, fmt: str,
               eps: float, count: int, figures_only: bool = False
               ) -> tuple[list[int], dict, bytes, dict]:
    """:func:`_draw_into` a PDF of its own; returns (order, rows, PDF bytes or b'', tiles).

    ``figures_only``: the figure files alone (no PDF: b'', no rows, no tiles).
    """
    from matplotlib.backends.backend_pdf import PdfPages

    from ..plotting import style

    if figures_only:
        with style.style_context(theme="light", lang=lang):
            order, rows, tiles = _draw_into(None, indices, specs, stems, out_dir, lang, fmt,
                                            eps, count)
        return order, rows, b"", tiles
    buffer = io.BytesIO()
    with quiet_font_logs(), style.style_context(theme="light", lang=lang), PdfPages(
            buffer, metadata=_pdf_metadata(lang)) as pdf:
        order, rows, tiles = _draw_into(pdf, indices, specs, stems, out_dir, lang, fmt, eps,
                                        count)
    return order, rows, buffer.getvalue(), tiles


def _worker(tasks, results, args) -> None:
    """A worker process: draw the activations whose indices arrive on ``tasks`` until None."""
    import signal
    import sys

    # terminate() raises SystemExit here, so atomic_path removes a half-written file
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            order, rows, data, tiles = _draw_part(iter(tasks.get, None), *args)
        results.put(("ok", order, rows, data, tiles,
                     [(w.category.__name__, str(w.message)) for w in caught]))
    except BaseException as exc:  # reported to the caller, which re-raises it
        try:
            results.put(("error", exc))
        except Exception:
            results.put(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


class WorkersFailed(RuntimeError):
    """A worker process ended without a result (killed, out of memory)."""


def _fork_safe() -> bool:
    """True where forking this process is safe and cheap (Linux, a single thread)."""
    import sys
    import threading

    return sys.platform.startswith("linux") and threading.active_count() == 1


def _start_workers(context, count: int, tasks, results, args) -> list:
    """Start ``count`` worker processes of the multiprocessing ``context``."""
    processes = []
    try:
        for _ in range(count):
            process = context.Process(target=_worker, args=(tasks, results, args), daemon=True)
            process.start()
            processes.append(process)
    except BaseException:
        _stop(processes, tasks)
        raise
    return processes


def _stop(processes, tasks) -> None:
    """Stop workers: no more tasks, then wait a little; terminate the ones still running."""
    import queue

    try:
        while True:
            tasks.get_nowait()
    except (queue.Empty, OSError, ValueError):
        pass
    for _ in processes:
        with contextlib.suppress(Exception):
            tasks.put(None)
    for process in processes:
        process.join(timeout=10)
        if process.is_alive():
            process.terminate()
            process.join()


def _collect(processes, results) -> list[tuple]:
    """One result per worker; raises the first worker error, WorkersFailed if one died."""
    import queue

    got = []
    while len(got) < len(processes):
        try:
            item = results.get(timeout=0.5)
        except queue.Empty:
            if sum(p.exitcode is not None for p in processes) > len(got):
                try:
                    item = results.get(timeout=2)
                except queue.Empty:
                    raise WorkersFailed("a worker process ended without a result") from None
            else:
                continue
        if item[0] == "error":
            raise item[1]
        got.append(item[1:])
    return got


def _run_parallel(acts, stems, out_dir: Path, lang, fmt, eps, workers: int,
                  figures_only: bool = False):
    """Draw in ``workers - 1`` worker processes and this one, pulling activations from a queue.

    ``figures_only``: the figure files alone; returns None.
    """
    import multiprocessing

    from ..plotting import style
    from .pages import overview_header

    specs = [a.spec for a in acts]
    count = len(acts)
    # forked when safe (nothing to re-import: the workers start at once), else spawned
    context = multiprocessing.get_context("fork" if _fork_safe() else "spawn")
    tasks, results = context.Queue(), context.Queue()
    args = (specs, stems, str(out_dir), lang, fmt, eps, count, figures_only)
    processes = _start_workers(context, workers - 1, tasks, results, args)
    try:
        for i in range(count):
            tasks.put(i)
        for _ in range(workers):
            tasks.put(None)  # one stop sign per worker, this process included
        own = _draw_part(iter(tasks.get, None), *args)
        if not figures_only:
            # after this process's share: done while the workers finish their last pages
            front = _front_part(acts, lang, eps)
            with style.style_context(theme="light", lang=lang):
                header = overview_header(count, lang, dpi=OVERVIEW_DPI)
        collected = _collect(processes, results)
        parts = [own] + [item[:4] for item in collected]
        caught = [w for item in collected for w in item[4]]
    except BaseException:
        _stop(processes, tasks)
        raise
    finally:
        # end the queues' feeder threads: a thread left running would make the next
        # atlas in this process spawn its workers instead of forking them
        for q in (tasks, results):
            q.close()
            q.join_thread()
    for process in processes:
        process.join()
    _replay(caught)
    if figures_only:
        return None
    rows, tiles = {}, {}
    for _, part_rows, _, part_tiles in parts:
        rows.update(part_rows)
        tiles.update(part_tiles)
    pages = _join_pdf(front, [(order, data) for order, _, data, _ in parts],
                      out_dir / "atlas.pdf", acts, lang)
    return [rows[i] for i in range(count)], pages, header, [tiles[i] for i in range(count)]


def _run_serial(acts, stems, out_dir: Path, lang, fmt, eps, figures_only: bool = False):
    from matplotlib.backends.backend_pdf import PdfPages

    from ..plotting import style
    from .pages import overview_header

    count = len(acts)
    if figures_only:
        _draw_part(range(count), acts, stems, str(out_dir), lang, fmt, eps, count, True)
        return None
    with atomic_path(out_dir / "atlas.pdf") as tmp, quiet_font_logs():
        with style.style_context(theme="light", lang=lang), PdfPages(
                tmp, metadata=_pdf_metadata(lang)) as pdf:
            _front_pages(pdf, acts, lang, eps)
            _, rows, tiles = _draw_into(pdf, range(count), acts, stems, str(out_dir), lang, fmt,
                                        eps, count)
            pages = pdf.get_pagecount()
            header = overview_header(count, lang, dpi=OVERVIEW_DPI)
    return [rows[i] for i in range(count)], pages, header, [tiles[i] for i in range(count)]


def _build_figures(out: Path, acts, stems, lang: str, fmt: str, eps: float,
                   workers: int) -> AtlasResult:
    """The figure files alone (:func:`build_atlas` with ``figures_only``)."""
    used = 1
    if workers > 1 and len(acts) >= MIN_PARALLEL and all(map(_is_builtin, acts)):
        try:
            _run_parallel(acts, stems, out, lang, fmt, eps, min(workers, len(acts)),
                          figures_only=True)
            used = min(workers, len(acts))
        except (WorkersFailed, OSError) as exc:
            warnings.warn(f"drawing in worker processes failed ({exc}); drawing here instead",
                          RuntimeWarning, stacklevel=3)
    if used == 1:
        _run_serial(acts, stems, out, lang, fmt, eps, figures_only=True)
    figures = {s: out / "figures" / f"{s}.{fmt}" for s in stems}
    return AtlasResult(out, None, None, None, None, figures, {}, 0, [], used,
                       list(figures.values()))


MANIFEST = "atlas-files.json"
# the only folders whose files a re-run may remove (they hold one file per activation)
_PER_ACTIVATION_DIRS = ("figures", "thumbnails")


def _write_manifest(out: Path, files: Sequence[Path], acts, lang: str, fmt: str) -> Path:
    """Record what this run wrote; remove the files the previous run recorded and this one did not.

    A re-run with fewer activations (``--only``) or another ``--format`` would
    otherwise leave the earlier figures beside the new ones.  Only files listed
    in the previous manifest, inside ``figures/`` or ``thumbnails/``, are ever
    removed: files a user put there are left alone.
    """
    import json

    from .. import __version__

    path = out / MANIFEST
    written = sorted(p.relative_to(out).as_posix() for p in files)
    try:
        previous = json.loads(path.read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        previous = []
    for name in set(previous if isinstance(previous, list) else []) - set(written):
        parts = Path(str(name)).parts
        if len(parts) == 2 and parts[0] in _PER_ACTIVATION_DIRS and not parts[1].startswith("."):
            with contextlib.suppress(OSError):
                (out / parts[0] / parts[1]).unlink()
    record = {"generator": f"actviz {__version__}", "lang": lang, "format": fmt,
              "activations": [a.spec for a in acts], "files": written}
    return write_text(path, json.dumps(record, ensure_ascii=False, indent=1) + "\n")


def default_workers() -> int:
    """How many processes draw the atlas by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def build_atlas(out_dir, specs: Sequence | None = None, *, lang: str = "en",
                format: str = "png", workers: int | None = None,
                eps: float = SATURATION_EPS, figures_only: bool = False) -> AtlasResult:
    """Write the atlas of ``specs`` (default: every registered activation) into ``out_dir``.

    - ``out_dir``: the folder (created if missing).
    - ``specs``: spec strings or BoundActivations (default None: all, registry order).
    - ``lang``: 'en' (default) or 'ja' for every text.
    - ``format``: 'png' (default) or 'svg' for the per-activation figures.
    - ``workers``: processes drawing pages (default: the usable cores; 1 draws here).
    - ``eps``: the saturation threshold |f'| < eps shaded in the figures (default 1e-3).
    - ``figures_only``: write only ``figures/`` (the same files a full atlas writes
      there); no PDF, overview, thumbnails, tables or manifest, and no other file in
      ``out_dir`` is touched.  The result's pdf, overview, markdown and html are None.

    Every argument is checked before anything is written.  Returns an :class:`AtlasResult`.
    Worker processes are forked when this process runs a single thread (Linux),
    else spawned: then, in a script, call this under ``if __name__ == "__main__":``
    (as with any multiprocessing) or pass ``workers=1``.  If the workers cannot
    start, the atlas is drawn in this process after a RuntimeWarning.
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
    if figures_only:
        return _build_figures(out, acts, stems, lang, fmt, eps, workers)
    ensure_dir(out / "thumbnails")

    parallel = (workers > 1 and len(acts) >= MIN_PARALLEL and all(map(_is_builtin, acts))
                and _pypdf_available())
    used = 1
    if parallel:
        try:
            rows, pages, header, tiles = _run_parallel(acts, stems, out, lang, fmt, eps,
                                                       min(workers, len(acts)))
            used = min(workers, len(acts))
        except (WorkersFailed, OSError, ImportError) as exc:
            warnings.warn(f"drawing in worker processes failed ({exc}); drawing here instead",
                          RuntimeWarning, stacklevel=2)
            parallel = False
    if not parallel:
        rows, pages, header, tiles = _run_serial(acts, stems, out, lang, fmt, eps)
    from .pages import compose_overview

    overview = compose_overview(header, tiles, dpi=OVERVIEW_DPI)
    thumbs = dict(zip(stems, tiles, strict=True))

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
    files.append(_write_manifest(out, files, acts, lang, fmt))
    return AtlasResult(out, pdf, overview_path, markdown, html, figures, thumbnails, pages,
                       rows, used, files)


__all__ = ["FORMATS", "FRONT_PAGES", "MANIFEST", "AtlasResult", "build_atlas", "default_workers",
           "file_stems", "resolve_activations"]
