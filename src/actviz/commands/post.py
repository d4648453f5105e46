"""`actviz post -o DIR [--lang en|ja] [--full]`: the blog post rewritten with the evidence.

Writes DIR/post.md, DIR/post.html, DIR/figures/, DIR/lab/ and DIR/numbers.json
(see :mod:`actviz.article`).  Shows on stderr which step runs (a bar on a
terminal, one line per step otherwise).  Needs actviz[lab].
"""

from __future__ import annotations

import argparse
import sys

from ._common import add_lang


def add_parser(subparsers, detailed: bool = True) -> None:
    parser = subparsers.add_parser(
        "post", help="the original blog post, rewritten with figures and lab evidence "
                     "(needs actviz[lab])",
        description="Write the blog post this project began with, claim by claim, each next to "
                    "the figure that shows it and the lab measurement that tests it: post.md "
                    "(Markdown for blog engines), post.html (one self-contained file), figures/ "
                    "and lab/ (the JSON and PNG of every lab run quoted). The default settings "
                    "are small (under two minutes on a small machine); --full uses the lab's "
                    "defaults. Needs PyTorch: pip install 'actviz[lab]'.")
    parser.add_argument("-o", "--output", metavar="DIR", required=True,
                        help="folder to write into (created if needed)")
    add_lang(parser)
    parser.add_argument("--full", action="store_true",
                        help="the lab's default settings (slower) instead of the small ones")
    parser.add_argument("--seed", type=int, default=0, help="seed of every lab run (default 0)")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(run=run)


class StepPrinter:
    """Shows :class:`actviz.article.Progress` on ``stream``: a bar on a terminal, else one
    line per step."""

    def __init__(self, stream=None, width: int = 24) -> None:
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.tty = bool(isatty is not None and isatty())
        self.width = width
        self._step = 0
        self._open = False

    def __call__(self, event) -> None:
        head = f"[{event.step}/{event.steps}] {event.label}"
        if not self.tty:
            if event.step != self._step:
                self._step = event.step
                self.stream.write(head + "\n")
                self.stream.flush()
            return
        self._step = event.step
        line = head
        if event.total > 0:
            filled = round(min(event.done / event.total, 1.0) * self.width)
            line += f" [{'#' * filled}{'-' * (self.width - filled)}] {event.done}/{event.total}"
        self.stream.write("\r\033[K" + line)
        self.stream.flush()
        self._open = True

    def close(self) -> None:
        if self._open:
            self.stream.write("\n")
            self.stream.flush()
            self._open = False


def run(args: argparse.Namespace) -> int:
    from ..article import post

    printer = None if args.quiet else StepPrinter()
    try:
        result = post(args.output, lang=args.lang, full=args.full, seed=args.seed,
                      progress=printer)
    finally:
        if printer is not None:
            printer.close()
    for name in ("post.md", "post.html"):
        print(f"wrote {result.folder / name}")
    print(f"wrote {result.folder / 'figures'}/, {result.folder / 'lab'}/ and "
          f"{result.folder / 'numbers.json'} ({len(result.numbers)} numbers quoted, "
          f"{result.seconds:.0f} s)")
    return 0
