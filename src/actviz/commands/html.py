"""`actviz html -o FILE.html [--lang en|ja] [SPEC ...]`: the offline interactive explorer page."""

from __future__ import annotations

import sys

from ._common import add_define, add_lang


def add_parser(subparsers, detailed: bool = True) -> None:
    parser = subparsers.add_parser(
        "html", help="write an offline interactive page: overlay activations, move sliders",
        description="Write one self-contained HTML page (works offline, loads nothing from the "
                    "network) to explore activations: overlay several, toggle the derivative "
                    "and the saturated/dead regions, move a slider per parameter, and read "
                    "formula, derivative, properties and explanation. Without SPECs the page "
                    "holds every activation; with SPECs only those, overlaid at the start, "
                    "their sliders starting at the given values.")
    parser.add_argument("specs", nargs="*", metavar="SPEC",
                        help="activations to put on the page, e.g. relu leaky_relu:0.1 "
                             "(default: all, with sigmoid, tanh, relu, leaky_relu shown)")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.html",
                        help="where to write the page")
    add_lang(parser)
    add_define(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from .. import registry
    from ..explorer import write_html

    # check every spec before any work, so a typo costs nothing and writes nothing
    acts = [registry.get(spec) for spec in args.specs]
    path = write_html(args.output, acts or None, lang=args.lang)
    print(f"wrote {path}", file=sys.stderr)
    return 0
