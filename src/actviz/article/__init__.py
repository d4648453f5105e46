"""`actviz post`: the original blog post, rewritten with the evidence, as Markdown and HTML.

:func:`post` runs the lab experiments the article quotes (into ``lab/``, exactly
as ``actviz lab`` writes them), draws the article's own figures (``figures/``,
one of them an animated GIF), and writes ``post.md`` (Markdown for blog
engines: fenced code, ``$$`` math, relative image links), ``post.html`` (the
same article in one self-contained file: images as data URIs, no request to any
network) and ``numbers.json`` (every number of the text and the lab JSON field
it was read from).  The library never prints: progress goes to a callback.

Layout: :mod:`.experiments` (lab runs and settings), :mod:`.numbers` (quoted
numbers), :mod:`.content` (the article, text from ``locales/post.<lang>.json``),
:mod:`.document` (Markdown and HTML writers).
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .._io import ensure_dir, write_text
from .._locales import check_lang

#: The steps of one run, in order (progress labels).
STEP_LABELS = ("lab gradflow", "lab speed", "lab dead: born", "lab dead: training", "lab train",
               "figures", "animation", "post.md + post.html")


@dataclasses.dataclass(frozen=True)
class Progress:
    """What the progress callback receives: step ``step`` of ``steps`` (1-based) named
    ``label``, and within it ``done`` of ``total`` units (0 of 0 when a step starts)."""

    step: int
    steps: int
    label: str
    done: int
    total: int


@dataclasses.dataclass(frozen=True)
class PostResult:
    """What :func:`post` wrote: the folder, the files, the quoted numbers and the time taken."""

    folder: Path
    files: list[Path]
    numbers: list[dict[str, Any]]
    seconds: float


def post(output: str | os.PathLike[str], *, lang: str = "en", full: bool = False,
         settings: Mapping[str, Mapping[str, Any]] | None = None, seed: int = 0,
         device: str = "cpu", progress: Callable[[Progress], None] | None = None
         ) -> PostResult:
    """Write the article into folder ``output`` (created if needed); return what was written.

    ``lang``: 'en' or 'ja'; ``full``: the lab's default settings instead of the small
    ones (:data:`actviz.article.experiments.SMALL`, under two minutes on a small
    machine); ``settings``: per-experiment overrides (``{"train": {"epochs": 2}}``);
    ``seed`` (0) and ``device`` ('cpu') for every lab run; ``progress``: called with
    a :class:`Progress` as each step starts and as it advances.  Needs the lab
    extra (PyTorch, scikit-learn, SciPy).
    """
    from ..lab import common
    from ..plotting import animate, figures
    from . import content, document, experiments
    from .numbers import Quotes

    check_lang(lang)
    common.require_torch()
    common.resolve_device(device)
    lab_settings = experiments.settings_for(full, settings)
    started = time.monotonic()
    folder = ensure_dir(output)
    lab_dir = ensure_dir(folder / "lab")
    ensure_dir(folder / "figures")
    steps = len(STEP_LABELS)

    def start(index: int) -> Callable[[int, int], None]:
        label = STEP_LABELS[index]
        if progress is not None:
            progress(Progress(index + 1, steps, label, 0, 0))

        def advance(done: int, total: int) -> None:
            if progress is not None:
                progress(Progress(index + 1, steps, label, done, total))

        return advance

    lab_keys = [key for key, _ in experiments.STEPS]
    lab_json = experiments.run_all(lab_dir, lab_settings, lang=lang, seed=seed, device=device,
                                   step=lambda key: start(lab_keys.index(key)))
    written = sorted(p for p in lab_dir.iterdir() if not p.name.startswith("."))

    jobs = content.figure_jobs(lang)
    still = [job for job in jobs.values() if job.animate is None]
    tick = start(5)
    for i, job in enumerate(still):
        fig = figures.figure(job.specs, **job.options)
        written.append(figures.save(fig, folder / job.path))
        tick(i + 1, len(still))
    tick = start(6)
    for job in jobs.values():
        if job.animate is not None:
            param, values = job.animate
            anim = animate.animate(job.specs, param, values, **job.options)
            written.append(animate.save_animation(anim, folder / job.path))
    tick(1, 1)

    start(7)
    quotes = Quotes(lab_json)
    flags = (f" --lang {lang}" if lang != "en" else "") + (" --full" if full else "")
    commands = {name: experiments.command_line(name, lab_settings[name], seed=seed, lang=lang)
                for name in experiments.EXPERIMENTS}
    title, blocks = content.build(quotes, lang=lang, settings=lab_settings, seed=seed,
                                  full=full, commands=commands,
                                  command=f"actviz post -o DIR{flags}")
    written.append(write_text(folder / "numbers.json", json.dumps(
        {"lang": lang, "full": full, "numbers": quotes.records}, ensure_ascii=False,
        indent=1) + "\n"))
    written.append(write_text(folder / "post.md", document.to_markdown(blocks)))
    written.append(write_text(folder / "post.html",
                              document.to_html(blocks, folder=folder, lang=lang, title=title)))
    return PostResult(folder, written, quotes.records, time.monotonic() - started)


__all__ = ["STEP_LABELS", "PostResult", "Progress", "post"]
