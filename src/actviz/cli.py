"""The command line: a thin layer over the library.

``main(argv) -> int`` parses arguments, calls the library and turns its errors
into one line on stderr (``actviz: error: ...``, exit status 2).  Each
sub-command lives in ``actviz/commands/<name>.py`` with ``add_parser(subparsers, detailed)``
and ``run(args) -> int``; those modules import nothing heavy at import time, so
``actviz --help`` and ``actviz list`` stay fast (no matplotlib, no torch).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import import_module

from . import __version__
from .errors import ActvizError

# Sub-commands in the order --help lists them.
COMMANDS = ("list", "info", "demo", "plot", "classic", "atlas", "html", "lab", "post")


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors raised, so main() prints one line and returns 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(f"{message} (see '{self.prog} --help')")


class _UsageError(Exception):
    pass


def _command_module(name: str):
    return import_module(f"actviz.commands.{name}")


def build_parser(requested: str | None = None) -> argparse.ArgumentParser:
    """The whole parser.  Given ``requested`` (a command name, or "" for none), only that
    command gets every sub-option, so `actviz --help` imports no experiment modules."""
    parser = _Parser(
        prog="actviz",
        description="Draw neural-network activation functions and measure how they behave.",
        epilog="Activation specs: NAME or NAME:key=value[,key=value], e.g. "
               "leaky_relu:negative_slope=0.1; a formula in x, e.g. \"x * sigmoid(beta * x); "
               "beta=1.0\"; or py:MODULE.NAME[:key=value]. Run 'actviz list' for all names.",
    )
    parser.add_argument("--version", action="version", version=f"actviz {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        _command_module(name).add_parser(sub, detailed=requested in (None, name))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    requested = next((a for a in argv if not a.startswith("-")), "")
    parser = build_parser(requested)
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "command", None):
            parser.print_help()
            return 0
        from .commands._common import user_activations

        with user_activations(args):  # plugins, pyproject.toml, --define
            return int(args.run(args) or 0)
    except SystemExit as exc:  # --help and --version: argparse printed and asked to exit
        return exc.code if isinstance(exc.code, int) else 0
    except _UsageError as exc:
        print(f"actviz: error: {exc}", file=sys.stderr)
        return 2
    except ActvizError as exc:
        print(f"actviz: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("actviz: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # e.g. `actviz list | head`: stop quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:
        print(f"actviz: error: {exc.strerror or exc}"
              f"{': ' + str(exc.filename) if getattr(exc, 'filename', None) else ''}",
              file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
