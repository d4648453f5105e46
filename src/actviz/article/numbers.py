"""Numbers quoted by the article, each read from a lab JSON file and recorded with where it came from.

A :class:`Quotes` object holds the lab JSON files as written on disk.  Each
call of :meth:`Quotes.quote` reads one value (or combines a few: ratio, mean,
max, min; minratio: the smallest of one list over the smallest of another) by a JSON *path*, formats it and records ``{"name", "file", "op",
"paths", "scale", "format", "text"}``; the article writes the records to
``numbers.json`` so anyone (and the tests) can read every quoted number back
from ``lab/*.json``.  No number in the article is typed by hand.

A path is a list of steps: a key of an object, an index of a list (negative
counts from the end), ``"*"`` (every element of a list: the result is a list)
or an object ``{"key": value, ...}`` selecting the one list element whose keys
have those values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import ActvizError

OPS = ("value", "ratio", "minratio", "mean", "max", "min")
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def lookup(data: Any, path: Sequence[Any]) -> Any:
    """The value at ``path`` inside ``data`` (see the module docstring for the steps)."""
    value = data
    for i, step in enumerate(path):
        if step == "*":
            return [lookup(item, path[i + 1:]) for item in value]
        if isinstance(step, Mapping):
            found = [item for item in value
                     if all(item.get(k) == v for k, v in step.items())]
            if len(found) != 1:
                raise ActvizError(f"numbers: {dict(step)} matches {len(found)} elements, not 1")
            value = found[0]
        else:
            value = value[step]
    return value


def _flatten(value: Any) -> list[float]:
    if isinstance(value, list):
        return [v for item in value for v in _flatten(item)]
    return [value]


def combine(op: str, values: Sequence[Any]) -> float:
    """Apply ``op`` (one of :data:`OPS`) to the looked-up ``values``."""
    if op == "value":
        (value,) = values
        return value
    if op == "ratio":
        top, bottom = values
        return top / bottom
    if op == "minratio":  # the fastest of repeated timings, relative to another's fastest
        top, bottom = values
        return min(top) / min(bottom)
    flat = [float(v) for v in _flatten(list(values))]
    if op == "mean":
        return sum(flat) / len(flat)
    if op == "max":
        return max(flat)
    if op == "min":
        return min(flat)
    raise ActvizError(f"numbers: unknown op {op!r}; choose one of {', '.join(OPS)}")


def format_number(value: Any, fmt: str, scale: float = 1.0) -> str:
    """``value * scale`` formatted by ``fmt``: a Python format spec, or 'sci2' (2 significant
    digits, powers of ten written as ×10⁻⁶ below 0.001), or 'list' (integers joined by ', ')."""
    if fmt == "list":
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool) or value is None:
        raise ActvizError(f"numbers: cannot format {value!r} as a number")
    number = value if scale == 1 else value * scale
    if fmt == "sci2":
        if number != 0 and abs(number) < 1e-3:
            mantissa, exponent = f"{number:.1e}".split("e")
            return f"{mantissa}×10{str(int(exponent)).translate(SUPERSCRIPT)}"
        return f"{number:.2g}"
    if isinstance(number, float) and not math.isfinite(number):
        raise ActvizError(f"numbers: {number} is not finite")
    return format(number, fmt)


class Quotes:
    """The lab JSON files (``{stem: data}``) and every number quoted from them."""

    def __init__(self, lab: Mapping[str, Any]) -> None:
        self.lab = dict(lab)
        self.records: list[dict[str, Any]] = []

    def raw(self, stem: str, *paths: Sequence[Any], op: str = "value") -> Any:
        """The value (not formatted, not recorded): for choosing what a sentence says."""
        return combine(op, [lookup(self.lab[stem], p) for p in paths])

    def quote(self, name: str, stem: str, *paths: Sequence[Any], fmt: str = ".3g",
              op: str = "value", scale: float = 1.0) -> str:
        """Read, format and record one number; return its text."""
        value = self.raw(stem, *paths, op=op)
        text = format_number(value, fmt, scale)
        self.records.append({"name": name, "file": f"lab/{stem}.json", "op": op,
                             "paths": [list(p) for p in paths], "scale": scale, "format": fmt,
                             "text": text})
        return text


__all__ = ["OPS", "Quotes", "combine", "format_number", "lookup"]
