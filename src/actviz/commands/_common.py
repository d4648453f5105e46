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

__all__ = ["PLOT_XLIM", "add_lang", "argument_type", "non_negative_int", "nonfinite_note",
           "positive_float", "positive_int", "print_nonfinite_notes"]

# The x range `actviz plot` draws by default, and the one `actviz info` checks for
# non-finite values (sampling.DEFAULT_XLIM, kept here so parsing imports no NumPy).
PLOT_XLIM = (-10.0, 10.0)


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


# --------------------------------------------------------------------------- non-finite values

def nonfinite_note(act, xlim=PLOT_XLIM) -> str | None:
    """Where a user activation (a formula, a ``py:`` object, a plugin's) stops being finite
    inside ``xlim`` (:func:`actviz.extensions.nonfinite_note`); None for a built-in (finite
    by construction) and for a user activation finite everywhere there."""
    if act.definition.family != "user":
        return None
    from ..extensions import nonfinite_note as note

    return note(act, xlim)


def print_nonfinite_notes(acts, xlim=PLOT_XLIM) -> None:
    """One ``actviz: note: ...`` line on stderr per activation of ``acts`` that is not finite
    somewhere in ``xlim`` (what `plot` and `info` print)."""
    for act in acts:
        note = nonfinite_note(act, xlim)
        if note:
            print(f"actviz: note: {note}", file=sys.stderr)
