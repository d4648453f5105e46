"""A formula as an activation: the registry's Activation, built from the parsed tree.

f and f' are compiled from the tree and its exact derivative; parameters after
``;`` become :class:`~actviz.types.Param` objects (sweep, checks, ``spec:beta=2``);
kinks come from the tree; LaTeX and plain text are printed from it; the PyTorch
module is the same tree in torch operations.  Properties are measured, as for
any user activation.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..types import Activation, Param, TorchCounterpart, _fmt
from . import _expr as E
from ._compile import breakpoints, compile_numpy, evaluator
from ._errors import FormulaParameterError
from ._parse import Parsed, Vocabulary, parse

FAMILY = "user"
DERIVATIVE_NOTE = ("f' is the exact symbolic derivative of the formula; at a kink abs' = sign "
                   "(0 at 0), min and max split the slope evenly at a tie, where() takes the "
                   "branch its condition picks, and a built-in keeps its own convention.")


@dataclass(frozen=True, eq=False)
class FormulaActivation(Activation):
    """An :class:`Activation` defined by a formula (``parsed``), named or anonymous.

    An anonymous formula names itself: its spec and label are its text, and two
    with the same expression are one activation, whatever the text's spacing.
    """

    parsed: Parsed | None = None
    anonymous: bool = True

    @property
    def formula(self) -> str:
        return self.parsed.text

    @property
    def text(self) -> str:
        """The formula in plain text (it reads back as the same formula)."""
        return E.to_text(self.parsed.expr)

    @property
    def text_derivative(self) -> str:
        return E.to_text(self.parsed.derivative)

    @property
    def owner(self) -> str:
        return f"formula {self.formula!r}" if self.anonymous else self.name

    # the registry's BoundActivation asks these (see actviz.types.Activation)
    def spec_for(self, params: Mapping[str, Any]) -> str | None:
        if not self.anonymous:
            return None
        if not params:
            return self.formula
        return self.formula + "; " + ", ".join(f"{k}={float(v)!r}" for k, v in params.items())

    def label_for(self, params: Mapping[str, Any]) -> str | None:
        if not self.anonymous:
            return None
        inner = ", ".join(f"{k}={_fmt(v)}" for k, v in params.items())
        return f"{self.display_name} ({inner})" if inner else self.display_name

    def identity(self, params: Mapping[str, Any]) -> Any:
        if not self.anonymous:
            return None
        return ("formula", self.parsed.expr, tuple(params.items()))

    def describe(self) -> dict[str, Any]:
        return {"formula": self.text, "formula_derivative": self.text_derivative,
                "source": "formula"}


def _sweep(default: float) -> tuple[float, ...]:
    if default == 0:
        return (-1.0, 0.0, 1.0)
    return (default / 2, default, default * 2)


def _constraint(parsed: Parsed):
    """Check the built-ins' parameters that depend on the formula's parameters."""
    checks = []
    for n in parsed.expr.walk():
        if n.op != "act":
            continue
        definition, names = n.value
        for name, value in zip(names, n.args[1:], strict=True):
            if not E.is_num(value):
                checks.append((definition, name, compile_numpy(value)))
    if not checks:
        return None

    def constraint(params: Mapping[str, Any]) -> str | None:
        env = {k: float(v) for k, v in params.items()}
        for definition, name, program in checks:
            value = float(np.asarray(program(np.zeros(1), env)).ravel()[0])
            try:
                definition.param(name).validate(value, definition.name)
            except Exception as exc:  # ParameterError: say which built-in refused
                return f"inside the formula, {exc}"
        return None

    return constraint


def build(text: str, name: str | None = None, vocabulary: Vocabulary | None = None
          ) -> FormulaActivation:
    """A :class:`FormulaActivation` from ``"EXPRESSION[; p=default, ...]"`` (not registered).

    ``name`` (snake_case) makes a named activation (``--define``, pyproject,
    :func:`actviz.define`); without it the definition is anonymous: its name is
    ``formula_<hash>``, its display name and spec are the formula itself.
    """
    parsed = parse(text, vocabulary)
    params = tuple(Param(p, default, f"parameter {p} of the formula", sweep=_sweep(default),
                         symbol=E.latex_symbol(p))
                   for p, default in parsed.params)
    canonical = parsed.text + ("; " + ", ".join(f"{k}={v!r}" for k, v in parsed.params)
                               if parsed.params else "")
    anonymous = name is None
    if anonymous:
        name = "formula_" + hashlib.sha1(canonical.encode()).hexdigest()[:10]
    expr, derivative = parsed.expr, parsed.derivative

    @functools.lru_cache(maxsize=64)
    def points(key: tuple) -> tuple[float, ...]:
        return breakpoints(expr, dict(key))

    def module(nn, values):
        from ._torch import build_module

        return build_module(nn, expr, values, canonical)

    return FormulaActivation(
        name=name,
        function=evaluator(expr),
        derivative=evaluator(derivative),
        params=params,
        display_name=parsed.text if anonymous else name,
        family=FAMILY,
        latex=E.to_latex(expr),
        latex_derivative=E.to_latex(derivative),
        breakpoints=lambda values: points(tuple(sorted(
            (k, float(v)) for k, v in values.items()))),
        torch=TorchCounterpart("torch operations of the formula", module),
        explanation={"en": f"A user formula: f(x) = {E.to_text(expr)}."},
        derivative_note=DERIVATIVE_NOTE,
        constraint=_constraint(parsed),
        parsed=parsed,
        anonymous=anonymous,
    )


@functools.lru_cache(maxsize=256)
def anonymous(text: str, vocabulary: Vocabulary | None = None) -> FormulaActivation:
    """The anonymous definition of ``text``, one object per text and vocabulary."""
    return build(text, None, vocabulary)


def check_default_params(definition: FormulaActivation) -> None:
    """Bind at the defaults once, so a default that a built-in refuses is reported now."""
    try:
        definition.check()
    except FormulaParameterError:
        raise
    except Exception as exc:
        raise FormulaParameterError(str(exc)) from None
