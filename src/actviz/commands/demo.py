"""`actviz demo`: the blog post's figures and the phenomena behind them, in one folder."""

from __future__ import annotations

import argparse


def add_parser(subparsers, detailed: bool = True) -> None:
    parser = subparsers.add_parser(
        "demo", help="write the post's figures plus vanishing-gradient and dying-ReLU figures",
        description="Write the original post's three figures, then sigmoid/tanh with their "
                    "saturated regions and ReLU/Leaky ReLU with the dead region, in English "
                    "and Japanese, and a Leaky ReLU slope sweep.")
    parser.add_argument("-o", "--output", metavar="DIR", default="figures",
                        help="folder to write into (created if needed; default: figures)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..demo import write_demo

    for path in write_demo(args.output):
        print(f"wrote {path}")
    return 0
