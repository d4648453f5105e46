"""Shared by the explorer tests: the default page's data is computed once per session."""

from __future__ import annotations

import pytest

from actviz import explorer


@pytest.fixture(scope="session")
def default_data():
    """explorer_data() for the default page: every activation, English, with formulas."""
    return explorer.explorer_data()


@pytest.fixture(scope="session")
def default_page(default_data, tmp_path_factory):
    """The default page written to a file (as `actviz html -o FILE` writes it)."""
    from actviz import _io

    path = tmp_path_factory.mktemp("explorer") / "explorer.html"
    _io.write_text(path, explorer.build_html(default_data))
    return path
