"""Refusals of a formula: each an ActvizError with a one-line message (column, closest name)."""

from __future__ import annotations

from ..errors import ActvizError


class FormulaError(ActvizError):
    """A formula that actviz refuses (bad syntax, a name outside the vocabulary, too big)."""


class FormulaSyntaxError(FormulaError):
    """Text that does not read as a formula, or uses syntax outside the whitelist."""


class FormulaNameError(FormulaError):
    """A name that is not x, a declared parameter, a constant or a known function."""


class FormulaLimitError(FormulaError):
    """A formula over the limits: length, nesting, node count, constant size, time."""


class FormulaParameterError(FormulaError):
    """A bad parameter declaration after ';' or a bad argument to a built-in."""
