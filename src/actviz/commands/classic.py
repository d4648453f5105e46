"""`actviz classic`: the original blog post's three figures in its exact style."""

from __future__ import annotations

import argparse

from ._common import add_lang


def add_parser(subparsers, detailed: bool = True) -> None:
    parser = subparsers.add_parser(
        "classic", help="the original post's three figures (sigmoid/tanh, ReLU, Leaky ReLU)",
        description="Write the original blog post's figures in its style: 8x5 in, x from -10 "
                    "to 10, linewidth 2, grid, legend, axis lines at 0.")
    parser.add_argument("-o", "--output", metavar="DIR", default=".",
                        help="folder to write into (created if needed; default: current folder)")
    parser.add_argument("--format", choices=("png", "svg", "pdf"), default="png",
                        help="file format (default png)")
    add_lang(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..plotting.classic import save_classic

    for path in save_classic(args.output, format=args.format, lang=args.lang):
        print(f"wrote {path}")
    return 0
