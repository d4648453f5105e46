"""The atlas's properties table: measured values, one row per activation, escaping."""

from __future__ import annotations

import html
import math
import re

import numpy as np
import pytest

import actviz
from actviz.atlas import table
from actviz.properties import analyse, compute_properties


@pytest.fixture(scope="module")
def all_rows():
    return table.property_rows(actviz.names())


def test_one_row_per_activation_with_the_computed_properties(all_rows):
    assert [r.name for r in all_rows] == actviz.names()
    for row in all_rows:
        measured = compute_properties(row.spec)
        assert row.range == str(measured.range)
        assert (row.range_low, row.range_high) == measured.range.as_tuple()
        assert row.smoothness == measured.smoothness
        assert row.continuity == measured.continuity
        for key in ("monotonic", "derivative_monotonic", "identity_near_origin",
                    "zero_centered", "saturates", "dead_region", "periodic"):
            assert getattr(row, key) == getattr(measured, key), (row.name, key)
        act = actviz.get(row.spec)
        assert row.f0 == pytest.approx(float(act(np.array([0.0]))[0]), abs=1e-12)
        assert row.torch_name == act.torch_name
        assert row.label == act.label and row.latex == act.latex
    sigmoid = next(r for r in all_rows if r.name == "sigmoid")
    assert table.cell_values(sigmoid)["formula"] == "σ(x) = 1/(1 + e^(-x))"


def test_values_match_known_activations(all_rows):
    rows = {r.name: r for r in all_rows}
    relu = rows["relu"]
    assert relu.range == "[0, ∞)" and relu.continuity == "C0" and relu.dead_region
    assert (relu.df0_left, relu.df0_right) == (0.0, 1.0)
    assert table.format_derivative_at_zero(relu) == "0 / 1"
    sigmoid = rows["sigmoid"]
    assert sigmoid.saturates == "both" and not sigmoid.zero_centered
    assert sigmoid.f0 == pytest.approx(0.5)
    assert table.format_derivative_at_zero(sigmoid) == "0.25"
    assert rows["tanh"].identity_near_origin and rows["tanh"].zero_centered
    assert rows["leaky_relu"].label == "leaky_relu(negative_slope=0.01)"
    # one-sided limits that differ by finite-difference noise are one value
    assert table.format_derivative_at_zero(rows["gaussian"]) == "0"
    assert table.format_derivative_at_zero(rows["sinc"]) == "0"
    assert table.format_number(rows["tanhshrink"].df0_right) == "0"


def test_rows_follow_parameters():
    row = table.property_row("leaky_relu:negative_slope=0.1")
    analysis = analyse("leaky_relu:negative_slope=0.1")
    assert row.df0_left == pytest.approx(analysis.df0_left)
    assert row.label == "leaky_relu(negative_slope=0.1)"


def test_markdown_has_a_row_per_activation_with_the_displayed_values(all_rows):
    md = table.render_markdown(all_rows, "en", {r.spec: f"thumbnails/{r.name}.png"
                                                for r in all_rows})
    lines = [line for line in md.splitlines() if line.startswith("| ")]
    assert len(lines) == 1 + len(all_rows)  # header + rows
    columns = len(table.COLUMNS)
    for line, row in zip(lines[1:], all_rows, strict=True):
        cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
        assert len(cells) == columns, line
        shown = table.cell_values(row, "en")
        assert cells[4].strip() == shown["range"]
        assert cells[12].strip() == shown["f0"]
        assert f"thumbnails/{row.name}.png" in cells[0]


def test_html_is_self_contained_with_a_row_per_activation(all_rows):
    rows = all_rows[:5]
    png = b"\x89PNG\r\n\x1a\nfake"
    page = table.render_html(rows, "en", {r.spec: png for r in rows})
    assert page.count("<tr>") == len(rows) + 1
    assert page.count('src="data:image/png;base64,') == len(rows)
    assert "http://" not in page and "https://" not in page
    for row in rows:
        assert html.escape(row.range) in page


def test_japanese_table_uses_japanese_headers(all_rows):
    page = table.render_html(all_rows[:3], "ja")
    assert "値域" in page and "単調" in page
    assert "はい" in page or "いいえ" in page
    assert '<html lang="ja">' in page


@pytest.fixture
def evil_activation():
    name = "evil_for_atlas"
    actviz.register(name, lambda x: np.tanh(x), lambda x: 1 - np.tanh(x) ** 2,
                    display_name="<script>alert('x')</script> & co",
                    latex=r"\tanh x <b>|</b>", overwrite=True)
    yield name
    actviz.unregister(name)


def test_every_text_is_escaped(evil_activation):
    row = table.property_row(evil_activation)
    page = table.render_html([row], "en", {row.spec: b"png"})
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co" in page
    md = table.render_markdown([row], "en", {row.spec: "thumbnails/x.png"})
    outside_code = re.sub(r"`[^`]*`", "", md)  # code spans show HTML as text (CommonMark)
    assert "<" not in outside_code.replace("<br>", "")
    assert "&lt;script&gt;" in outside_code
    data_line = [line for line in md.splitlines() if line.startswith("| ")][1]
    assert len(re.split(r"(?<!\\)\|", data_line.strip())[1:-1]) == len(table.COLUMNS)


def test_number_formatting():
    assert table.format_number(-0.0) == "0"
    assert table.format_number(1 / 3) == "0.3333"
    assert table.format_number(math.inf) == "∞"
    assert table.format_number(math.nan) == "–"
    assert table.format_number(2e-9) == "0" and table.format_number(2e-6) == "2e-06"
