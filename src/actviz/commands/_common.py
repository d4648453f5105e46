"""Argument helpers shared by the sub-commands (no heavy imports)."""

from __future__ import annotations

import argparse
import contextlib
import math
import sys
import warnings

from .._locales import LANGUAGES


def add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default="en",
                        help="language of the text: en (default) or ja")


def positive_float(text: str) -> float:
    """argparse type: a finite number > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"{text} must be a positive number")
    return value


def non_negative_int(text: str) -> int:
    """argparse type: a whole number >= 0."""
    value = _whole_number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} must be 0 or more")
    return value


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def positive_int(text: str) -> int:
    """argparse type: a whole number >= 1."""
    value = _whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


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
