"""Plain text for terminals: LaTeX as Unicode, aligned tables, property rows.

- :func:`latex_to_text`: a formula as plain Unicode (`actviz info`, tables);
- :func:`text_table`: rows aligned in columns, Japanese counting two cells wide
  (the lab's summaries, `actviz list`);
- :func:`property_rows`: an activation's properties as (label, value) rows in a
  language (`actviz info` and the explorer page say the same).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from ._locales import text

_SYMBOLS = {
    r"\alpha": "α", r"\beta": "β", r"\lambda": "λ", r"\sigma": "σ", r"\theta": "θ",
    r"\varphi": "φ", r"\Phi": "Φ", r"\pi": "π", r"\infty": "∞", r"\leq": "≤", r"\geq": "≥",
    r"\neq": "≠", r"\cdot": "·", r"\int": "∫", r"\quad": "  ", r"\,": " ", r"\ ": " ",
    r"\left": "", r"\right": "",
}
_SUPERSCRIPTS = str.maketrans("0123456789+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")


def _braced(text: str, start: int) -> tuple[str, int]:
    """The content of the {...} group starting at ``start`` and the index after it."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1:i], i + 1
    return text[start + 1:], len(text)


def _group(text: str) -> str:
    plain = latex_to_text(text)
    return plain if re.fullmatch(r"√?[\wα-ω.²³]+", plain) else f"({plain})"


def latex_to_text(latex: str) -> str:
    r"""Turn the registry's mathtext into readable text: ``\frac{1}{1 + e^{-x}}`` -> ``1/(1 + e⁻ˣ)``."""
    out: list[str] = []
    i = 0
    while i < len(latex):
        if latex.startswith(r"\frac", i):
            numerator, i = _braced(latex, i + 5)
            denominator, i = _braced(latex, i)
            fraction = f"{_group(numerator)}/{_group(denominator)}"
            rest = re.sub(r"^\s*(\\right|\\left)?", "", latex[i:])
            glued = bool(rest) and (rest[0].isalnum() or rest[0] in "\\(") and not rest.startswith(
                ("\\right", "\\ ", "\\quad", "\\,"))
            out.append(f"({fraction})" if glued else fraction)
        elif latex.startswith(r"\sqrt", i):
            inner, i = _braced(latex, i + 5)
            out.append(f"√{_group(inner)}")
        elif latex.startswith(r"\mathrm", i):
            inner, i = _braced(latex, i + 7)
            out.append(inner)
        elif latex[i] in "^_":
            marker = latex[i]
            if i + 1 < len(latex) and latex[i + 1] == "{":
                inner, i = _braced(latex, i + 1)
            else:
                inner, i = latex[i + 1:i + 2], i + 2
            plain = latex_to_text(inner)
            if marker == "^" and re.fullmatch(r"[0-9+-]+", plain):
                out.append(plain.translate(_SUPERSCRIPTS))
            else:
                out.append(f"{marker}{_group(inner) if len(plain) > 1 else plain}")
        elif latex[i] == "\\":
            for command, symbol in _SYMBOLS.items():
                if latex.startswith(command, i) and not (
                        command[-1].isalpha() and latex[i + len(command):i + len(command) + 1]
                        .isalpha()):
                    out.append(symbol)
                    i += len(command)
                    break
            else:
                match = re.match(r"\\([A-Za-z]+)", latex[i:])
                if match:  # \tanh, \max, \log, \sin ...
                    if out and (out[-1][-1:].isalnum() or out[-1][-1:] in ")"):
                        out.append(" ")
                    out.append(match.group(1))
                    i += len(match.group(0))
                else:
                    out.append(latex[i + 1:i + 2])
                    i += 2
        elif latex[i] in "{}":
            i += 1
        else:
            out.append(latex[i])
            i += 1
    return re.sub(r" {2,}", "  ", "".join(out)).strip()


# --------------------------------------------------------------------------- tables


def display_width(cell: str) -> int:
    """Terminal cells taken by ``cell``: wide (Japanese) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in cell)


def pad(cell: str, width: int, *, left: bool = True) -> str:
    """``cell`` padded with spaces to ``width`` display cells (left-aligned unless ``left=False``)."""
    space = " " * max(width - display_width(cell), 0)
    return cell + space if left else space + cell


def text_table(head: Sequence[str], rows: Sequence[Sequence[str]], *, rule: bool = True,
               align: str | None = None) -> list[str]:
    """The lines of a plain-text table: ``head``, a rule of dashes (``rule``), ``rows``.

    ``align`` has one letter per column, ``'l'`` or ``'r'`` (default: the first
    column left, the others right, as numbers read best).  Columns are two
    spaces apart; trailing spaces are dropped.
    """
    align = align or "l" + "r" * (len(head) - 1)
    widths = [max(display_width(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(pad(c, w, left=a == "l") for c, w, a in
                         zip(cells, widths, align, strict=True)).rstrip()

    return [line(head), *([line(["-" * w for w in widths])] if rule else []),
            *(line(r) for r in rows)]


# --------------------------------------------------------------------------- properties

#: The properties shown to readers, in order (keys of ``Properties.as_dict()``).
PROPERTY_KEYS = ("range", "continuity", "monotonic", "derivative_monotonic", "zero_centered",
                 "identity_near_origin", "saturates", "dead_region")


def property_rows(properties: Mapping[str, Any], lang: str = "en") -> list[list[str]]:
    """``[label, value]`` per property of ``properties`` (a ``Properties.as_dict()``) in ``lang``.

    Booleans read yes/no, the saturating side in words (``left``, ``both``...).
    """
    rows = []
    for key in PROPERTY_KEYS:
        value = properties[key]
        if isinstance(value, bool):
            value = text("yes" if value else "no", lang)
        elif key == "saturates":
            value = text(f"side.{value}", lang)
        rows.append([text(f"prop.{key}", lang), str(value)])
    return rows
