"""Shared test helpers.

``require(module)``: import an optional dependency; locally a missing one skips
the test, but under CI (CI=true) it fails, so CI never skips silently.
``browser``: one headless Chromium (Debian's, driven by Playwright) per test module.
``variants()``: every built-in activation at its defaults and at each sweep value of
each parameter, as pytest params named by their labels.
"""

from __future__ import annotations

import importlib
import os
import shutil

import pytest

#: Debian's Chromium (never ``playwright install``: it downloads), with the flags that keep
#: it off the network and out of the sandbox this machine cannot give it.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def require(module: str):
    if os.environ.get("CI") == "true":
        return importlib.import_module(module)
    return pytest.importorskip(module)


@pytest.fixture(scope="module")
def browser():
    """A launched Chromium; missing Chromium or Playwright skips locally and fails in CI."""
    sync_api = require("playwright.sync_api")
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is missing ({CHROMIUM}); the browser tests need it")
        pytest.skip("Chromium is not installed")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def sweep_variants(*, torch_only: bool = False) -> list:
    """Every built-in activation at its defaults and at each other sweep value of each
    parameter (with ``torch_only``, those with a PyTorch counterpart), in registry order."""
    import actviz

    found = []
    for name in actviz.names():
        act = actviz.get(name)
        if torch_only and act.definition.torch is None:
            continue
        found.append(act)
        for param in act.definition.params:
            for value in param.sweep:
                if value != param.default:
                    found.append(act.with_params(**{param.name: value}))
    return found


def variants(*, torch_only: bool = False) -> list:
    """:func:`sweep_variants` as pytest params named by their labels."""
    return [pytest.param(act, id=act.label) for act in sweep_variants(torch_only=torch_only)]
