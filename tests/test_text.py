"""LaTeX to plain text for terminals."""

import pytest

import actviz
from actviz._text import latex_to_text


@pytest.mark.parametrize(("latex", "text"), [
    (r"\sigma(x) = \frac{1}{1 + e^{-x}}", "σ(x) = 1/(1 + e^(-x))"),
    (r"\max(0,\ x)", "max(0, x)"),
    (r"\frac{1}{\beta}\log(1 + e^{\beta x})", "(1/β) log(1 + e^(β x))"),
    (r"1 - \tanh^{2} x", "1 - tanh² x"),
    (r"x\ \mathrm{if}\ x > 0,\ \mathrm{else}\ \alpha x", "x if x > 0, else α x"),
])
def test_examples(latex, text):
    assert latex_to_text(latex) == text


@pytest.mark.parametrize("name", actviz.names())
def test_every_formula_becomes_text_without_backslashes_or_braces(name):
    act = actviz.get(name)
    for latex in (act.latex, act.latex_derivative):
        text = latex_to_text(latex)
        assert text and "\\" not in text and "{" not in text and "}" not in text
