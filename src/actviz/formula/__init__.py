"""Formulas as activations: ``"x * tanh(softplus(x))"``, ``"x * sigmoid(beta * x); beta=1.0"``.

A formula is untrusted text: it is parsed, never run (see :mod:`._parse`).  The
expression tree (:mod:`._expr`) gives the exact symbolic derivative, the kinks,
LaTeX and plain text; it compiles to NumPy (:mod:`._compile`) and to torch
operations (:mod:`._torch`).  :func:`formula` returns the registry definition.

    >>> import actviz
    >>> from actviz.formula import formula
    >>> f = actviz.get(formula("x * sigmoid(beta * x); beta=1.0"), beta=2.0)
    >>> float(f(1.0))
    0.8807970779778823
"""

from __future__ import annotations

import re

from ..errors import OptionalDependencyError
from ._errors import (
    FormulaError,
    FormulaLimitError,
    FormulaNameError,
    FormulaParameterError,
    FormulaSyntaxError,
)
from ._parse import BUILTINS, MAX_LENGTH, Parsed, Vocabulary, parse

__all__ = [
    "BUILTINS",
    "MAX_LENGTH",
    "FormulaError",
    "FormulaLimitError",
    "FormulaNameError",
    "FormulaParameterError",
    "FormulaSyntaxError",
    "Parsed",
    "Vocabulary",
    "formula",
    "looks_like_formula",
    "parse",
    "to_sympy",
]

_OPERATOR = re.compile(r"[()*/+^;<>]|\s-|^\s*-")


def looks_like_formula(text: str) -> bool:
    """True when ``text`` is not a plain spec (``name`` or ``name:k=v``) but reads as an
    expression: it has an operator or parenthesis, or is just ``x``."""
    if not isinstance(text, str):
        return False
    head = text.split(":", 1)[0]
    if head.strip() == "x":  # x, or x:... (which the parser refuses, saying what to write)
        return True
    return bool(_OPERATOR.search(head))


def formula(text: str, name: str | None = None, vocabulary: Vocabulary | None = None):
    """The :class:`~actviz.formula.activation.FormulaActivation` of ``text`` (not registered).

    Anonymous definitions are cached per text; ``name`` builds a named one.  Activations
    called by name come from ``vocabulary``: the registry passes its own (so a formula
    may call what the user registered; ``actviz.get(text)`` does that); without one, the
    built-ins.  Bind it with ``actviz.get(definition, **params)``.
    """
    from . import activation

    definition = (activation.anonymous(text, vocabulary) if name is None
                  else activation.build(text, name, vocabulary))
    activation.check_default_params(definition)
    return definition


def to_sympy(text_or_definition, derivative: bool = False):
    """The SymPy expression of a formula (text or FormulaActivation), or of its derivative.

    Built from our tree, never from text; registered activations inside are SymPy
    Functions whose derivative is ``D_name`` (the registry's analytic derivative).
    """
    try:
        import sympy  # noqa: F401
    except ImportError:
        raise OptionalDependencyError(
            "to_sympy() needs SymPy, which is not installed; install it with: "
            "pip install 'actviz[sympy]'") from None
    from ._sympy import to_sympy as convert

    parsed = text_or_definition.parsed if hasattr(text_or_definition, "parsed") else parse(
        text_or_definition)
    return convert(parsed.derivative if derivative else parsed.expr)
