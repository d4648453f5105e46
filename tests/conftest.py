"""Shared test helpers.

``require(module)``: import an optional dependency; locally a missing one skips
the test, but under CI (CI=true) it fails, so CI never skips silently.
"""

from __future__ import annotations

import importlib
import os

import pytest


def require(module: str):
    if os.environ.get("CI") == "true":
        return importlib.import_module(module)
    return pytest.importorskip(module)
