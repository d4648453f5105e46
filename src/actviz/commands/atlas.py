"""`actviz atlas -o DIR`: every activation in one PDF, with figures, an overview and a table."""

from __future__ import annotations

import sys

from ._common import add_define, add_lang, positive_int


def add_parser(subparsers, detailed: bool = True) -> None:
    parser = subparsers.add_parser(
        "atlas", help="write the atlas: PDF, figures, overview sheet, properties table",
        description="Write into DIR: atlas.pdf (title, contents, one page per activation), "
                    "figures/NAME.png|svg (f and f', regions shaded, formulas), overview.png "
                    "(all activations on one sheet), thumbnails/, properties.md and "
                    "properties.html (measured properties), atlas-files.json (what was written; "
                    "a re-run removes the figures it listed and no longer writes).")
    parser.add_argument("-o", "--output", required=True, metavar="DIR",
                        help="folder to write into (created if missing)")
    add_lang(parser)
    add_define(parser)
    parser.add_argument("--only", nargs="+", metavar="SPEC",
                        help="only these activations, e.g. relu leaky_relu:negative_slope=0.1 "
                             "(default: all)")
    parser.add_argument("--format", choices=("png", "svg"), default="png",
                        help="format of the per-activation figures (default png)")
    parser.add_argument("--figures-only", action="store_true",
                        help="write only figures/ (the same figure files as the full atlas; "
                             "no PDF, overview, thumbnails, tables or manifest)")
    parser.add_argument("--jobs", type=positive_int, default=None, metavar="N",
                        help="processes drawing pages (default: the usable cores)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..atlas import build_atlas, resolve_activations

    resolve_activations(args.only)  # bad specs fail here, before anything is written
    result = build_atlas(args.output, args.only, lang=args.lang, format=args.format,
                         workers=args.jobs, figures_only=args.figures_only)
    if args.figures_only:
        print(f"wrote {len(result.figures)} figures to {result.out_dir / 'figures'}",
              file=sys.stdout)
        return 0
    print(f"wrote {len(result.files)} files to {result.out_dir} "
          f"(atlas.pdf: {result.pages} pages, {len(result.rows)} activations)",
          file=sys.stdout)
    return 0
