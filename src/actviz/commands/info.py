"""`actviz info SPEC`: formula, derivative, properties, explanation and references."""

from __future__ import annotations

import json
import sys

from .. import _locales
from .._text import property_rows
from ._common import PLOT_XLIM, add_define, add_lang, nonfinite_note, print_nonfinite_notes


def add_parser(subparsers, detailed: bool = True) -> None:
    parser = subparsers.add_parser(
        "info", help="show one activation: formula, derivative, properties, explanation",
        description="Show formula, derivative, properties, explanation and references.")
    parser.add_argument("spec", metavar="SPEC", help="e.g. relu or leaky_relu:negative_slope=0.1")
    add_lang(parser)
    add_define(parser)
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)


def run(args) -> int:
    from .. import registry

    act = registry.get(args.spec)
    data = act.as_dict(args.lang)
    if args.json:
        # where it stops being finite over plot's default range (null: finite there)
        data["nonfinite"] = nonfinite_note(act, PLOT_XLIM)
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print_nonfinite_notes([act], PLOT_XLIM)
    t = lambda key: _locales.text(key, args.lang)  # noqa: E731
    lines = [f"{act.display_name} — {act.label}"]
    if data["aliases"]:
        lines.append(f"{t('aliases')}: {', '.join(data['aliases'])}")
    lines.append(f"{t('family')}: {t('family.' + data['family'])}")
    lines.append(f"f(x)  = {data['formula']}")
    kind = "" if data["derivative"] == "analytic" else f" ({t('numerical')})"
    lines.append(f"f'(x) = {data['formula_derivative']}{kind}")
    if data["derivative_note"]:
        lines.append(f"        {data['derivative_note']}")
    for p in data["params"]:
        lines.append(f"{t('parameter')} {p['name']} = {registry._fmt(p['value'])} "
                     f"({t('default')} {registry._fmt(p['default'])}; {p['allowed']}): "
                     f"{p['description']}")
    lines.append(f"{t('properties')}:")
    lines.extend(f"  {label}: {value}"
                 for label, value in property_rows(data["properties"], args.lang))
    lines.append(f"PyTorch: {data['torch'] or '-'}")
    if data["explanation"]:
        lines.append("")
        lines.append(data["explanation"])
    if data["references"]:
        lines.append("")
        lines.append(f"{t('references')}:")
        lines.extend(f"  - {r['text']}" + (f" ({r['year']})" if r["year"] else "")
                     for r in data["references"])
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
