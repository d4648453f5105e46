"""The formula parser: what it reads, and a corpus of hostile formulas it refuses in one line."""

from __future__ import annotations

import time

import pytest

from actviz.errors import ActvizError
from actviz.formula import (
    FormulaError,
    FormulaLimitError,
    FormulaNameError,
    FormulaParameterError,
    FormulaSyntaxError,
    parse,
)
from actviz.formula import _expr as E

GOOD = [
    ("x * tanh(softplus(x))", "x * tanh(softplus(x))"),
    ("x * sigmoid(beta * x); beta=1.0", "x * sigmoid(beta * x)"),
    ("leaky_relu(x, 0.2)", "leaky_relu(x, negative_slope=0.2)"),
    ("elu(x, alpha=2)", "elu(x, alpha=2)"),
    ("x^2 + 2**x", "x^2 + 2^x"),
    ("-x + +x*pi - e", "-x + pi * x - e"),
    ("where(x >= 0, x, 0.1 * x)", "where(x >= 0, x, 0.1 * x)"),
    ("min(max(x, -1), 1)", "min(max(x, -1), 1)"),
    ("log1p(expm1(x)) + erfc(x) - erf(x) + arctan(x) + sign(x) + abs(x) + sqrt(abs(x))",
     "log1p(expm1(x)) + erfc(x) - erf(x) + arctan(x) + sign(x) + abs(x) + sqrt(abs(x))"),
    ("swish(x)", "silu(x)"),  # aliases name the canonical activation
]


@pytest.mark.parametrize("text, printed", GOOD)
def test_reads_and_prints_back(text, printed):
    parsed = parse(text)
    assert E.to_text(parsed.expr) == printed
    # the plain text reads back as the same tree (nodes are interned)
    again = parse(printed + (text[text.index(";"):] if ";" in text else ""))
    assert again.expr is parsed.expr


def test_parameters_and_defaults():
    parsed = parse("a * x + b * x^2; a=1.5, b=-2e-1")
    assert parsed.params == (("a", 1.5), ("b", -0.2))


def test_powers_of_constants_fold_as_floats():
    assert E.to_text(parse("2^10 * x").expr) == "1024 * x"


HOSTILE = [
    # (formula, error type, words the message must contain)
    ("__import__('os').system('ls')", FormulaSyntaxError, "column 12"),
    ("__import__(x)", FormulaNameError, "'_'"),
    ("x.__class__", FormulaSyntaxError, "attribute"),
    ("(x).real", FormulaSyntaxError, "attribute"),
    ("tanh.__globals__", FormulaSyntaxError, "attribute"),
    ("lambda x: x", FormulaSyntaxError, "':'"),
    ("lambda x, y=x + 1", FormulaSyntaxError, "cannot read"),
    ("[x for x in (1, 2)]", FormulaSyntaxError, "'['"),
    ("sum(x for x in x)", FormulaNameError, "unknown function 'sum'"),
    ("'abc'", FormulaSyntaxError, "column 1"),
    ('"x"', FormulaSyntaxError, "column 1"),
    ("x[0]", FormulaSyntaxError, "'['"),
    ("{x}", FormulaSyntaxError, "'{'"),
    ("(x, x)", FormulaSyntaxError, "tuples"),
    ("x if x else 1", FormulaSyntaxError, "where(cond, a, b)"),
    ("x and 1", FormulaSyntaxError, "'and'/'or'"),
    ("x < 1", FormulaSyntaxError, "where(cond, a, b)"),
    ("where(0 < x < 1, x, 0)", FormulaSyntaxError, "chained"),
    ("where(x, x, 0)", FormulaSyntaxError, "comparison"),
    ("9**9**9", FormulaLimitError, "too large"),
    ("x * 9**9**9**9", FormulaLimitError, "too large"),
    ("(2*3)**(4*5)**(6*7)*x", FormulaLimitError, "too large"),
    ("1e999 * x", FormulaLimitError, "too large"),
    ("x * 1" + "0" * 40, FormulaLimitError, "30 characters"),
    ("(" * 40 + "x" + ")" * 40, FormulaLimitError, "nest"),
    ("-" * 500 + "x", FormulaLimitError, "nests"),
    ("x*x*x*x+" * 120 + "x", FormulaLimitError, "terms"),
    ("tanh(" * 40 + "x" + ")" * 40, FormulaLimitError, "nest"),
    ("x" + "+x" * 700, FormulaLimitError, "1,000"),
    ("ｘ * 2", FormulaSyntaxError, "U+FF58"),          # full-width x (NFKC would make it x)
    ("x\u200b + 1", FormulaSyntaxError, "U+200B"),      # zero-width space
    ("еxp(x)", FormulaSyntaxError, "U+0435"),          # Cyrillic e
    ("x\n+ 1", FormulaSyntaxError, "U+000A"),
    ("x # comment", FormulaSyntaxError, "'#'"),
    ("x; y=1; z=2", FormulaSyntaxError, "second ';'"),
    ("open(x)", FormulaNameError, "unknown function 'open'"),
    ("eval(x)", FormulaNameError, "unknown function 'eval'"),
    ("getattr(x, x)", FormulaNameError, "unknown function"),
    ("tahn(x)", FormulaNameError, "did you mean 'tanh'?"),
    ("x * sigmiod(x)", FormulaNameError, "did you mean 'sigmoid'?"),
    ("x * y", FormulaNameError, "declare a parameter"),
    ("x * bta; beta=1", FormulaNameError, "did you mean 'beta'?"),
    ("tanh + x", FormulaSyntaxError, "is a function"),
    ("tanh(x, x)", FormulaSyntaxError, "takes 1 argument"),
    ("exp(x=1)", FormulaSyntaxError, "no keyword"),
    ("elu(x, __class__=1)", FormulaParameterError, "no parameter '__class__'"),
    ("elu(x, **{})", FormulaSyntaxError, "'{'"),
    ("elu(*x)", FormulaSyntaxError, "unpacking"),
    ("elu(x, alpha=x)", FormulaParameterError, "must not depend on x"),
    ("elu(x, 1, 2)", FormulaParameterError, "takes 1 parameter"),
    ("elu(x, alpha=1, alpha=2)", FormulaParameterError, "twice"),
    ("hardtanh(x, min_val=2, max_val=1)", FormulaParameterError, "hardtanh"),
    ("leaky_relu(x, negative_slope=-1)", FormulaParameterError, "out of range"),
    ("gelu(x, approximate=1)", FormulaParameterError, "word"),
    ("x(1)", FormulaNameError, "unknown function 'x'"),
    ("(tanh(x))(x)", FormulaSyntaxError, "call"),
    ("x // 2", FormulaSyntaxError, "operator //"),
    ("x << 2", FormulaSyntaxError, "operator <<"),
    ("0x1f * x", FormulaSyntaxError, "decimal"),
    ("1_000 * x", FormulaSyntaxError, "decimal"),
    ("1j * x", FormulaSyntaxError, "real numbers"),
    ("True * x", FormulaSyntaxError, "real numbers"),
    ("2 * 3", FormulaSyntaxError, "does not use x"),
    ("", FormulaSyntaxError, "empty"),
    ("x +", FormulaSyntaxError, "cannot read"),
    ("x)", FormulaSyntaxError, "unmatched"),
    ("x; beta=inf", FormulaParameterError, "number"),
    ("x * beta; beta=1e999", FormulaParameterError, "finite"),
    ("x * beta; beta=__import__", FormulaParameterError, "number"),
    ("x * beta; beta=1, beta=2", FormulaParameterError, "twice"),
    ("x; beta=1", FormulaParameterError, "not use"),
    ("x * tanh; tanh=1", FormulaParameterError, "taken"),
    ("x * beta; beta", FormulaParameterError, "name=number"),
    ("x * beta; beta=(1)", FormulaParameterError, "'('"),
]


@pytest.mark.parametrize("text, error, words", HOSTILE, ids=[h[0][:30] for h in HOSTILE])
def test_hostile_formula_is_refused_in_one_line_fast(text, error, words):
    start = time.perf_counter()
    with pytest.raises(error) as caught:
        parse(text)
    assert time.perf_counter() - start < 1.0
    message = str(caught.value)
    assert "\n" not in message
    assert words in message
    assert isinstance(caught.value, FormulaError) and isinstance(caught.value, ActvizError)


def test_column_of_the_typo():
    with pytest.raises(FormulaNameError, match=r"'tahn' at column 5; did you mean 'tanh'\?"):
        parse("x * tahn(x)")
    # '^' is read as '**' but columns stay those of the text as typed
    with pytest.raises(FormulaNameError, match="column 9"):
        parse("x^2 * 2^tahn(x)")


def test_very_long_input_is_refused_before_any_parsing():
    start = time.perf_counter()
    with pytest.raises(FormulaLimitError, match="1,000,000 characters"):
        parse("x+" * 500_000)
    assert time.perf_counter() - start < 0.5


def test_non_string():
    with pytest.raises(FormulaSyntaxError, match="string"):
        parse(123)
