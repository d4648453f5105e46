"""Argument helpers shared by the sub-commands (no heavy imports).

The argparse types wrap the library's checkers (:mod:`actviz.checks`), so an
option and the function it feeds accept and reject the same values.
"""

from __future__ import annotations

import argparse

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
