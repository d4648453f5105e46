"""The Japanese atlas: every text in Japanese, no missing glyphs, text extractable from the PDF."""

from __future__ import annotations

import logging
import warnings

import matplotlib
import pytest

from actviz import atlas
from tests.conftest import require

SPECS = ["relu", "leaky_relu:negative_slope=0.1", "sigmoid", "hardshrink"]



@pytest.fixture(scope="module")
def japanese_atlas(tmp_path_factory):
    out = tmp_path_factory.mktemp("atlas_ja")
    before = {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Collect(level=logging.WARNING)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = atlas.build_atlas(out, SPECS, lang="ja", workers=1)
    finally:
        root.removeHandler(handler)
    after = {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}
    assert after == before
    return result, [str(w.message) for w in caught], [r.getMessage() for r in records]


def test_no_glyph_is_missing(japanese_atlas):
    _, caught, logged = japanese_atlas
    missing = [m for m in caught if "missing" in m.lower() or "glyph" in m.lower()]
    assert missing == []
    # matplotlib logs 'findfont: ...' when a font (or its bold face) is not found
    assert [m for m in logged if "findfont" in m or "glyph" in m.lower()] == []


def test_pdf_text_is_japanese(japanese_atlas):
    pypdf = require("pypdf")
    result, _, _ = japanese_atlas
    reader = pypdf.PdfReader(str(result.pdf))
    assert len(reader.pages) == len(SPECS) + atlas.FRONT_PAGES
    assert "活性化関数アトラス" in reader.pages[0].extract_text()
    assert "目次" in reader.pages[1].extract_text()
    relu_page = reader.pages[atlas.FRONT_PAGES].extract_text()
    assert "測定した性質" in relu_page and "値域" in relu_page


def test_tables_are_japanese(japanese_atlas):
    result, _, _ = japanese_atlas
    page = result.html.read_text(encoding="utf-8")
    assert '<html lang="ja">' in page and "活性化関数の性質" in page
    md = result.markdown.read_text(encoding="utf-8")
    assert "死んだ領域" in md


def test_missing_glyphs_would_be_seen():
    """Control: without the Japanese font, matplotlib warns as the test above expects."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}), \
            warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = Figure()
        FigureCanvasAgg(fig)
        fig.text(0.5, 0.5, "活性化関数")
        fig.canvas.draw()
    assert any("missing" in str(w.message).lower() for w in caught)


def test_worker_warnings_reach_the_caller():
    with pytest.warns(UserWarning, match="Glyph 1 missing"):
        atlas._replay([("UserWarning", "Glyph 1 missing from font(s) X.")])
