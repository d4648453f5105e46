"""`actviz plot SPEC [SPEC ...] -o FILE`: draw activations (and f', regions, sweeps) to png/svg/pdf.

Everything is checked before anything is drawn; files are written atomically,
so an error leaves no file behind.  matplotlib is imported inside ``run``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

from ..errors import ActvizError
from ..types import SATURATION_EPS
from ._common import (
    PLOT_XLIM,
    add_define,
    add_lang,
    positive_float,
    positive_int,
    print_nonfinite_notes,
)


def add_parser(subparsers, detailed: bool = True) -> None:
    parser = subparsers.add_parser(
        "plot", help="draw activation functions (png, svg or pdf)",
        description="Draw activation functions with matplotlib. The grid contains every kink\n"
                    "exactly and jumps are drawn with a break, not a vertical line.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
               "  actviz plot sigmoid tanh --derivative --regions -o saturation.png\n"
               "  actviz plot leaky_relu --sweep negative_slope=0.01,0.1,0.3 -o sweep.svg\n"
               "  actviz plot binary_step hardshrink --derivative --xlim -2 2 -o jumps.pdf\n"
               "  actviz plot relu gelu --regions --lang ja --theme dark -o ja.png\n"
               "  actviz plot leaky_relu --animate negative_slope=0,0.05,0.1,0.2,0.3 -o slope.gif")
    parser.add_argument("specs", nargs="+", metavar="SPEC",
                        help="activation name or NAME:key=value[,key=value] (see 'actviz list')")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="output file; the format follows the extension: .png, .svg, .pdf "
                             "(default: a name built from the specs, .png)")
    parser.add_argument("--derivative", action="store_true",
                        help="also draw f' (dashed, same colour)")
    parser.add_argument("--regions", action="store_true",
                        help="shade saturation (0 < |f'| < eps: vanishing gradient) and dead "
                             "regions (f' = 0: dying ReLU)")
    parser.add_argument("--eps", type=positive_float, default=SATURATION_EPS,
                        help=f"saturation threshold for --regions (default {SATURATION_EPS:g})")
    parser.add_argument("--sweep", metavar="PARAM=V1,V2,...",
                        help="one curve per value of a parameter, e.g. negative_slope=0.01,0.1,0.3")
    parser.add_argument("--animate", metavar="PARAM=V1,V2,...",
                        help="one frame per value, fixed axes, written to .gif (or .mp4 where "
                             "ffmpeg is installed), e.g. negative_slope=0,0.1,0.3")
    parser.add_argument("--fps", type=float, default=1.5,
                        help="frames per second of --animate (default 1.5)")
    parser.add_argument("--xlim", nargs=2, type=float, metavar=("MIN", "MAX"), default=PLOT_XLIM,
                        help="x range (default -10 10)")
    parser.add_argument("--ylim", nargs=2, type=float, metavar=("MIN", "MAX"),
                        help="y range (default: automatic, clipping curves that explode)")
    parser.add_argument("--points", type=int, default=1000,
                        help="sample points (default 1000; kinks are added)")
    parser.add_argument("--title", help="figure title (default: names what is drawn; '' for none)")
    parser.add_argument("--size", nargs=2, type=float, metavar=("W", "H"), default=(8.0, 5.0),
                        help="figure size in inches (default 8 5)")
    parser.add_argument("--dpi", type=positive_int, default=100,
                        help="resolution for png (default 100)")
    parser.add_argument("--theme", choices=("light", "dark"), default=None,
                        help="colours: light (default) or dark")
    parser.add_argument("--style", metavar="NAME",
                        help="any matplotlib style, e.g. ggplot, seaborn-v0_8, bmh")
    parser.add_argument("--formula", action="store_true",
                        help="put each activation's formula in the legend")
    parser.add_argument("--data", metavar="FILE",
                        help="also write the plotted values (x, f, f' per curve) to .csv or .json")
    add_lang(parser)
    add_define(parser)
    parser.add_argument("--show", action="store_true",
                        help="open a window (where a display exists)")
    # argparse (before 3.13) reads '-1e3' or '-inf' after --xlim as an option, not a number
    parser._negative_number_matcher = NEGATIVE_NUMBER
    parser.set_defaults(run=run)


NEGATIVE_NUMBER = re.compile(r"^-(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^-inf(?:inity)?$",
                             re.IGNORECASE)


def parse_sweep(text: str | None, option: str = "--sweep") -> dict[str, list[str]] | None:
    """'PARAM=v1,v2,...' -> {'PARAM': ['v1', 'v2', ...]} (values checked by the registry)."""
    if text is None:
        return None
    param, sep, rest = text.partition("=")
    values = [v.strip() for v in rest.split(",") if v.strip()]
    if not sep or not param.strip() or not values:
        raise ActvizError(f"{option} needs PARAM=V1,V2,..., got {text!r}")
    return {param.strip().replace("-", "_"): values}


def default_output(specs: list[str], sweep: dict | None) -> str:
    """A file name made from the specs (and the swept parameter), ending in .png."""
    parts = [re.sub(r"[^A-Za-z0-9_.]+", "_", s).strip("_.") for s in specs]
    stem = "_".join(p for p in parts if p) or "activations"
    if sweep:
        stem += "_sweep_" + next(iter(sweep))
    if len(stem) > 80:
        stem = "activations"
    return f"{stem}.png"


def has_display() -> bool:
    """True where a window can open (a non-Linux desktop, or DISPLAY/WAYLAND_DISPLAY set)."""
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def run(args: argparse.Namespace) -> int:
    from .. import registry
    from ..plotting import figures

    if args.animate is not None:
        return _run_animate(args)
    sweep = parse_sweep(args.sweep)
    output = args.output
    if args.show and not has_display():
        if output is None:
            raise ActvizError("--show needs a display (DISPLAY is not set); write a file with -o")
        print("actviz: note: no display, so --show is ignored", file=sys.stderr)
        args.show = False
    if output is None and not args.show:
        output = default_output(args.specs, sweep)
    if output is not None:
        figures.check_writable(output)
        figures.output_format(output)
    if args.data is not None:
        figures.check_writable(args.data)
        figures.data_format(args.data)
    options = {"derivative": args.derivative, "regions": args.regions, "sweep": sweep,
               "xlim": tuple(args.xlim), "ylim": None if args.ylim is None else tuple(args.ylim),
               "points": args.points, "title": args.title, "lang": args.lang,
               "formula": args.formula, "eps": args.eps, "theme": args.theme,
               "style": args.style}
    # figure() checks every option before it draws anything
    fig = figures.figure(args.specs, size=tuple(args.size), dpi=args.dpi, **options)
    if args.data is not None:
        data = figures.plot_data(args.specs, derivative=args.derivative, regions=args.regions,
                                 sweep=sweep, xlim=options["xlim"], points=args.points,
                                 eps=args.eps)
    print_nonfinite_notes([registry.get(spec) for spec in args.specs], options["xlim"])
    if output is not None:
        figures.save(fig, output)
        print(f"wrote {output}")
    if args.data is not None:
        figures.save_data(data, args.data)
        print(f"wrote {args.data}")
    if args.show:
        _show(args.specs, size=tuple(args.size), dpi=args.dpi, **options)
    return 0


def _run_animate(args: argparse.Namespace) -> int:
    """--animate: one frame per value, written as .gif (or .mp4)."""
    from ..plotting import animate

    ((param, values),) = parse_sweep(args.animate, "--animate").items()
    clash = [flag for flag, on in (("--sweep", args.sweep), ("--data", args.data),
                                   ("--show", args.show)) if on]
    if clash:
        raise ActvizError(f"--animate cannot be combined with {', '.join(clash)}")
    output = args.output or default_output(args.specs, {param: values})[:-4] + ".gif"
    animate.animation_format(output)
    from ..plotting import figures

    figures.check_writable(output)
    anim = animate.animate(args.specs, param, values, derivative=args.derivative,
                           regions=args.regions, xlim=tuple(args.xlim),
                           ylim=None if args.ylim is None else tuple(args.ylim),
                           points=args.points, lang=args.lang, eps=args.eps,
                           theme=args.theme or "light", size=tuple(args.size), dpi=args.dpi,
                           fps=args.fps)
    animate.save_animation(anim, output)
    print(f"wrote {output} ({len(anim.actviz_values)} frames)")
    return 0


def _show(specs, *, size, dpi, **options) -> None:
    """Draw again on a pyplot figure and open its window (the only use of pyplot by the CLI)."""
    import matplotlib.pyplot as plt

    from ..plotting import figures

    fig = plt.figure(figsize=size, dpi=dpi, layout="constrained")
    theme = options.pop("theme") or ("light" if options.get("style") is None else None)
    figures.plot(specs, ax=fig.add_subplot(), theme=theme, **options)
    plt.show()
