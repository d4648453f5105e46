"""One article per language, generated once with tiny lab settings through the library API."""

from __future__ import annotations

import pytest

from tests.conftest import require

#: Much smaller than the article's own small settings: the tests check the article's
#: machinery (files, links, numbers, code), not the science.
TINY = {
    "gradflow": {"depth": 5, "width": 32, "batch": 64, "steps": 2},
    "speed": {"size": 20_000, "repeats": 3, "warmup": 1},
    "dead": {"depths": [1, 5, 10], "widths": [2, 8], "trials": 40, "lrs": [0.01, 1.0],
             "epochs": 2, "width": 16},
    "train": {"epochs": 2, "seeds": 3, "width": 16},
}


@pytest.fixture(scope="session")
def made(tmp_path_factory):
    """``made(lang)`` -> (PostResult, progress events); each language generated once."""
    cache: dict = {}

    def make(lang: str):
        if lang not in cache:
            require("torch")
            require("sklearn")
            require("scipy")
            from actviz.article import post

            events: list = []
            folder = tmp_path_factory.mktemp(f"post-{lang}")
            cache[lang] = (post(folder, lang=lang, settings=TINY, progress=events.append),
                           events)
        return cache[lang]

    return make


@pytest.fixture(scope="module", params=["en", "ja"])
def article(request, made):
    """(lang, folder, PostResult, progress events) for each language."""
    result, events = made(request.param)
    return request.param, result.folder, result, events
