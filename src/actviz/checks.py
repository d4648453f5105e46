"""One checker per kind of argument, for the library and the command line alike.

Each checker takes a value and an optional ``name``, returns the value
converted (``int`` or ``float``) and raises :class:`~actviz.errors.ActvizError`
otherwise, with a one-line message: ``depth=0 must be at least 1``, or
``0 must be at least 1`` without a name.  Booleans are never numbers here
(``True`` is not 1), nor are strings: the command line parses its text first,
through :func:`argument_type`, which wraps the same checkers for argparse.

This module imports nothing of actviz but :mod:`actviz.errors`, and no numpy,
so every layer may use it (the command line's parsers included).
"""

from __future__ import annotations

import argparse
import math
import numbers
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import ActvizError

__all__ = [
    "argument_type",
    "eps",
    "fraction",
    "int_between",
    "limits",
    "non_negative_float",
    "non_negative_int",
    "non_negative_int_arg",
    "number_between",
    "positive_float",
    "positive_float_arg",
    "positive_int",
    "positive_int_arg",
]

T = TypeVar("T")


def _what(value: Any, name: str | None) -> str:
    return f"{name}={value!r}" if name else repr(value)


def _whole(value: Any, name: str | None) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ActvizError(f"{_what(value, name)} must be a whole number")
    return int(value)


def _real(value: Any, name: str | None, allowed: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ActvizError(f"{_what(value, name)} must be {allowed}")
    number = float(value)
    if not math.isfinite(number):
        raise ActvizError(f"{_what(value, name)} must be {allowed}")
    return number


def positive_int(value: Any, name: str | None = None) -> int:
    """A whole number >= 1 (``int`` or a NumPy integer)."""
    number = _whole(value, name)
    if number < 1:
        raise ActvizError(f"{_what(number, name)} must be at least 1")
    return number


def non_negative_int(value: Any, name: str | None = None) -> int:
    """A whole number >= 0."""
    number = _whole(value, name)
    if number < 0:
        raise ActvizError(f"{_what(number, name)} must be 0 or more")
    return number


def int_between(value: Any, low: int, high: int, name: str | None = None) -> int:
    """A whole number in [low, high]."""
    number = _whole(value, name)
    if not low <= number <= high:
        raise ActvizError(f"{name or 'value'} must be between {low:,} and {high:,}, got {number}")
    return number


def number_between(value: Any, low: float, high: float, name: str | None = None, *,
                   low_open: bool = False, unit: str = "") -> float:
    """A finite number in [low, high] (``(low, high]`` with ``low_open``); ``unit`` for messages."""
    left = "(" if low_open else "["
    allowed = f"{left}{low:g}, {high:g}]" + (f" {unit}" if unit else "")
    number = _real(value, name, f"a number in {allowed}")
    if number > high or number < low or (low_open and number == low):
        raise ActvizError(f"{_what(value, name)} is out of range; allowed: {allowed}")
    return number


def positive_float(value: Any, name: str | None = None) -> float:
    """A finite number > 0."""
    number = _real(value, name, "a positive number")
    if number <= 0:
        raise ActvizError(f"{_what(value, name)} must be a positive number")
    return number


def non_negative_float(value: Any, name: str | None = None) -> float:
    """A finite number >= 0."""
    number = _real(value, name, "a non-negative number")
    if number < 0:
        raise ActvizError(f"{_what(value, name)} must be a non-negative number")
    return number


def fraction(value: Any, name: str | None = None) -> float:
    """A number in (0, 1]."""
    number = _real(value, name, "a fraction in (0, 1]")
    if not 0 < number <= 1:
        raise ActvizError(f"{_what(value, name)} is out of range; allowed: (0, 1]")
    return number


def eps(value: Any, name: str = "eps") -> float:
    """The saturation threshold: a finite number > 0 (|f'| < eps counts as vanishing)."""
    return positive_float(value, name)


def limits(value: Any, axis: str = "x") -> tuple[float, float]:
    """Axis limits ``(lo, hi)``: two finite numbers with lo < hi; ``axis`` names them."""
    try:
        lo, hi = value
    except (TypeError, ValueError):
        raise ActvizError(f"{axis}-limits must be two numbers, got {value!r}") from None
    if any(isinstance(v, bool) or not isinstance(v, numbers.Real) for v in (lo, hi)):
        raise ActvizError(f"{axis}-limits must be two numbers, got {value!r}")
    lo, hi = float(lo), float(hi)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ActvizError(f"{axis}-limits must be finite, got ({lo:g}, {hi:g})")
    if lo >= hi:
        raise ActvizError(f"{axis}-limits need min < max, got ({lo:g}, {hi:g})")
    return lo, hi


def argument_type(checker: Callable[[Any], T], *, whole: bool = False) -> Callable[[str], T]:
    """An argparse ``type=``: parse the text as an int (``whole``) or a float, then check it.

    The checker's message becomes argparse's (``argument --lr: -0.1 must be a
    positive number``), so the command line and the library say the same.
    """

    def convert(text: str) -> T:
        try:
            value = int(text) if whole else float(text)
        except ValueError:
            kind = "a whole number" if whole else "a number"
            raise argparse.ArgumentTypeError(f"{text!r} is not {kind}") from None
        try:
            return checker(value)
        except ActvizError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    convert.__name__ = getattr(checker, "__name__", "value")
    return convert


#: argparse types for the usual kinds (the same checks as the library's).
positive_int_arg = argument_type(positive_int, whole=True)
non_negative_int_arg = argument_type(non_negative_int, whole=True)
positive_float_arg = argument_type(positive_float)
