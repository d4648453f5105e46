"""`actviz list`: a table of every activation (name, aliases, parameters, range)."""

from __future__ import annotations

import json
import sys

from ._common import add_define


def add_parser(subparsers, detailed: bool = True) -> None:
    parser = subparsers.add_parser(
        "list", help="list every activation with its parameters and range",
        description="List every activation: name, aliases, parameters with defaults, range.")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--family", help="only this family (e.g. rectifier)")
    add_define(parser)
    parser.set_defaults(run=run)


def rows(family: str | None = None) -> list[dict]:
    from .. import registry

    result = []
    for name in registry.names(family=family):
        act = registry.get(name)
        d = act.definition
        result.append({
            "name": name,
            "family": d.family,
            "aliases": list(d.aliases),
            "params": {p.name: p.default for p in d.params},
            "range": str(act.properties.range),
            "torch": act.torch_name,
        })
    return result


def run(args) -> int:
    from .. import registry

    if args.family is not None and args.family not in registry.families():
        from ..errors import ActvizError

        raise ActvizError(f"unknown family {args.family!r}; choose one of "
                          f"{', '.join(registry.families())}")
    table = rows(args.family)
    if args.json:
        json.dump(table, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    header = ("NAME", "ALIASES", "PARAMETERS (defaults)", "RANGE")
    lines = [(
        r["name"],
        ", ".join(r["aliases"]) or "-",
        ", ".join(f"{k}={registry._fmt(v)}" for k, v in r["params"].items()) or "-",
        r["range"],
    ) for r in table]
    from .._text import text_table

    out = sys.stdout
    out.writelines(line + "\n" for line in text_table(header, lines, rule=False, align="llll"))
    out.write(f"{len(lines)} activations\n")
    return 0
