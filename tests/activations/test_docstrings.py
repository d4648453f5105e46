"""The activation modules' docstrings: jax.nn-style sections, and their examples run.

Every built-in's NumPy function states its math and derivative, its parameters with
defaults, the derivative's convention at kinks and a reference, and carries an example
that runs here as a doctest (so a wrong number in a docstring fails the suite).
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import re

import pytest

import actviz
from actviz.activations import FAMILY_MODULES

MODULES = [*(m.__name__ for m in FAMILY_MODULES), "actviz.activations._numerics"]


@pytest.mark.parametrize("module_name", MODULES)
def test_doctests_pass(module_name):
    module = importlib.import_module(module_name)
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    tests = [t for t in finder.find(module, globs=vars(module).copy()) if t.examples]
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{module_name}: {result.failed} doctest example(s) failed"
    if module_name != "actviz.activations._numerics":
        assert result.attempted >= 2 * len(tests) > 0


@pytest.mark.parametrize("name", actviz.names())
def test_docstring_sections(name):
    definition = actviz.get(name).definition
    doc = inspect.getdoc(definition.function) or ""
    for section in (".. math::", "f'(x) =", "Derivative convention:", "Args:", "Returns:",
                    "Reference:", "Example:", ">>> "):
        assert section in doc, f"{name}: docstring lacks {section!r}"
    for param in definition.params:
        entry = re.search(rf"\n  {param.name}: (.*?)(?=\n  \S|\n\n)", doc, re.DOTALL)
        assert entry, f"{name}: parameter {param.name} undocumented"
        assert "default" in entry.group(1), f"{name}: no default stated for {param.name}"
    assert inspect.getdoc(definition.derivative), f"{name}: derivative has no docstring"
