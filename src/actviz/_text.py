"""LaTeX formulas as plain Unicode text, for terminals (`actviz info`) and tables."""

from __future__ import annotations

import re

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
