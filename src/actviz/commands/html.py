"""`actviz html`: not built yet (placeholder so the command table is complete)."""

from __future__ import annotations

from ..errors import ActvizError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("html", help="(not available yet)")
    parser.set_defaults(run=run)


def run(args) -> int:
    raise ActvizError("'actviz html' is not available in this version yet")
