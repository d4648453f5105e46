"""Ranges that are sets show as sets wherever a range appears: info (text, JSON), list,
the atlas table and the explorer page's data."""

from __future__ import annotations

import json

import pytest

import actviz
from actviz._text import property_rows
from actviz.atlas.table import cell_values, property_row, render_html, render_markdown
from actviz.cli import main

SETS = {  # spec: (shown, number of parts)
    "binary_step": ("{0, 1}", 2),
    "threshold:threshold=1,value=0": ("{0} ∪ (1, ∞)", 2),
    "hardshrink": ("(-∞, -0.5) ∪ {0} ∪ (0.5, ∞)", 3),
}


def cli(capsys, *argv):
    assert main(list(argv)) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("spec", SETS)
def test_info_text_and_json(capsys, spec):
    shown, count = SETS[spec]
    assert f"Range: {shown}\n" in cli(capsys, "info", spec)
    props = json.loads(cli(capsys, "info", spec, "--json"))["properties"]
    assert props["range"] == shown and len(props["range_parts"]) == count


def test_list(capsys):
    lines = cli(capsys, "list").splitlines()
    for spec, (shown, _) in SETS.items():  # the list shows defaults, as these specs are
        name = spec.split(":")[0]
        line = next(line for line in lines if line.startswith(name + " "))
        assert line.rstrip().endswith(shown)


@pytest.mark.parametrize("spec", SETS)
def test_atlas_table_and_explorer(spec):
    shown, _ = SETS[spec]
    row = property_row(spec)
    assert row.range == shown and cell_values(row)["range"] == shown
    assert shown in render_markdown([row]) and shown in render_html([row])
    rows = dict(property_rows(actviz.get(spec).properties.as_dict(), "en"))
    assert rows["Range"] == shown
