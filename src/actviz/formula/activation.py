"""A formula as an activation: the registry's Activation, built from the parsed tree.

f and f' are compiled from the tree and its exact derivative; parameters after
``;`` become :class:`~actviz.registry.Param` objects (sweep, checks, ``spec:beta=2``);
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

from ..registry import Activation, BoundActivation, Param, TorchCounterpart, _fmt
from . import _expr as E
from ._compile import breakpoints, compile_numpy, evaluator
from ._errors import FormulaParameterError
from ._parse import Parsed, parse

FAMILY = "user"
DERIVATIVE_NOTE = ("f' is the exact symbolic derivative of the formula; at a kink abs' = sign "
                   "(0 at 0), min and max split the slope evenly at a tie, where() takes the "
                   "branch its condition picks, and a built-in keeps its own convention.")


@dataclass(frozen=True, eq=False)
class FormulaActivation(Activation):
    """An :class:`Activation` defined by a formula (``parsed``), named or anonymous."""

    parsed: Parsed | None = None
    anonymous: bool = True
    #: the BoundActivation class registry.bind() makes for this definition
    bound_class = None  # set below (FormulaBound)

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


class FormulaBound(BoundActivation):
    """A formula bound to parameter values; an anonymous one's spec is its formula."""

    __slots__ = ()

    @property
    def label(self) -> str:
        if not self.definition.anonymous:
            return super().label
        inner = ", ".join(f"{k}={_fmt(v)}" for k, v in self.params.items())
        return f"{self.display_name} ({inner})" if inner else self.display_name

    @property
    def spec(self) -> str:
        if not self.definition.anonymous:
            return super().spec
        text = self.definition.formula
        if not self.params:
            return text
        return text + "; " + ", ".join(f"{k}={float(v)!r}" for k, v in self.params.items())

    def __eq__(self, other: object) -> bool:
        # anonymous formulas with the same expression are one activation, whatever the defaults
        if (isinstance(other, FormulaBound) and self.definition.anonymous
                and other.definition.anonymous):
            return (other.definition.parsed.expr is self.definition.parsed.expr
                    and dict(other.params) == dict(self.params))
        return super().__eq__(other)

    def __hash__(self) -> int:
        return hash((self.definition.formula, tuple(self.params.items())))

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        data = super().as_dict(lang)
        data["formula"] = self.definition.text
        data["formula_derivative"] = self.definition.text_derivative
        data["source"] = "formula"
        return data


FormulaActivation.bound_class = FormulaBound


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


def build(text: str, name: str | None = None) -> FormulaActivation:
    """A :class:`FormulaActivation` from ``"EXPRESSION[; p=default, ...]"`` (not registered).

    ``name`` (snake_case) makes a named activation (``--define``, pyproject,
    :func:`actviz.define`); without it the definition is anonymous: its name is
    ``formula_<hash>``, its display name and spec are the formula itself.
    """
    parsed = parse(text)
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
def anonymous(text: str) -> FormulaActivation:
    """The anonymous definition of ``text``, one object per text (so bound copies compare equal)."""
    return build(text)


def check_default_params(definition: FormulaActivation) -> None:
    """Bind at the defaults once, so a default that a built-in refuses is reported now."""
    from ..registry import bind

    try:
        bind(definition)
    except FormulaParameterError:
        raise
    except Exception as exc:
        raise FormulaParameterError(str(exc)) from None
