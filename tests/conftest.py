"""Shared test helpers.

``require(module)``: import an optional dependency; locally a missing one skips
the test, but under CI (CI=true) it fails, so CI never skips silently.
``variants()``: every built-in activation at its defaults and at each sweep value of
each parameter, as pytest params named by their labels.
"""

from __future__ import annotations

import importlib
import os

import pytest


def require(module: str):
    if os.environ.get("CI") == "true":
        return importlib.import_module(module)
    return pytest.importorskip(module)


def variants(*, torch_only: bool = False) -> list:
    import actviz

    found = []
    for name in actviz.names():
        act = actviz.get(name)
        if torch_only and act.definition.torch is None:
            continue
        found.append(pytest.param(act, id=act.label))
        for param in act.definition.params:
            for value in param.sweep:
                if value != param.default:
                    variant = act.with_params(**{param.name: value})
                    found.append(pytest.param(variant, id=variant.label))
    return found
