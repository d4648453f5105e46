"""Argument helpers shared by the sub-commands (no heavy imports).

The argparse types wrap the library's checkers (:mod:`actviz.checks`), so an
option and the function it feeds accept and reject the same values.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import warnings

from .._locales import LANGUAGES
from ..checks import (
    argument_type,
    non_negative_int_arg,
    positive_float_arg,
    positive_int_arg,
)

# The names the sub-commands use (``type=positive_int``).
positive_int = positive_int_arg
non_negative_int = non_negative_int_arg
positive_float = positive_float_arg

__all__ = ["add_lang", "argument_type", "non_negative_int", "positive_float", "positive_int"]


def add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default="en",
                        help="language of the text: en (default) or ja")


# --------------------------------------------------------------------------- user activations

def add_define(parser: argparse.ArgumentParser) -> None:
    """``--define NAME=FORMULA`` (repeatable), on every command that takes SPECs."""
    parser.add_argument("--define", action="append", default=[], metavar="NAME=FORMULA",
                        help="name a formula for this command, e.g. --define "
                             "swishb=\"x * sigmoid(beta * x); beta=1\" (then swishb:beta=2); "
                             "repeatable")


def parse_define(text: str) -> tuple[str, str]:
    """'NAME=FORMULA' -> (NAME, FORMULA), split at the first '='."""
    from ..errors import ActvizError

    name, sep, formula = text.partition("=")
    if not sep or not name.strip() or not formula.strip():
        raise ActvizError(f"--define needs NAME=FORMULA, got {text!r}")
    return name.strip(), formula.strip()


@contextlib.contextmanager
def user_activations(args: argparse.Namespace):
    """Around a command: plugins (a broken one is one warning line), the nearest
    pyproject.toml's [tool.actviz.activations], then each --define; the names given
    here are removed again when the command ends."""
    from .. import extensions

    defined = set(extensions._DEFINED)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            extensions.load_plugins()
        for warning in caught:
            print(f"actviz: warning: {warning.message}", file=sys.stderr)
        extensions.load_pyproject()
        for text in getattr(args, "define", None) or []:
            name, formula = parse_define(text)
            try:
                extensions.define(name, formula, overwrite=True)
            except ValueError as exc:
                raise type(exc)(f"--define {name}: {exc}") from None
        yield
    finally:
        for name in set(extensions._DEFINED) - defined:
            extensions.undefine(name)
