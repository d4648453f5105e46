"""`actviz html`: writes the page, or one line of error (exit 2) and no file."""

from __future__ import annotations

import json
import re

from actviz.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def page_data(path):
    text = path.read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="actviz-data">(.*?)</script>', text, re.S)
    return text, json.loads(match.group(1))


def test_writes_a_page_with_the_given_specs(capsys, tmp_path):
    path = tmp_path / "page.html"
    code, out, err = run(capsys, "html", "-o", str(path), "--lang", "ja", "relu",
                         "leaky_relu:negative_slope=0.2")
    assert code == 0 and out == "" and str(path) in err
    text, data = page_data(path)
    assert text.startswith("<!DOCTYPE html>") and '<html lang="ja">' in text
    assert "Content-Security-Policy" in text and "connect-src &#x27;none&#x27;" in text
    assert data["lang"] == "ja"
    assert [e["name"] for e in data["entries"]] == ["relu", "leaky_relu"]
    slope = data["entries"][1]["params"][0]
    assert slope["values"][slope["start"]] == 0.2
    assert not list(tmp_path.glob(".page.*"))  # no temporary file left behind


def test_bad_spec_is_one_line_exit_2_and_no_file(capsys, tmp_path):
    path = tmp_path / "page.html"
    code, out, err = run(capsys, "html", "-o", str(path), "relu", "leaky_relu:negative_slope=5")
    assert code == 2 and out == ""
    assert err.startswith("actviz: error: ") and err.count("\n") == 1
    assert "negative_slope" in err
    code, _, err = run(capsys, "html", "-o", str(path), "no_such_activation")
    assert code == 2 and err.count("\n") == 1
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_output_is_required_and_folder_must_exist(capsys, tmp_path):
    code, _, err = run(capsys, "html", "relu")
    assert code == 2 and "-o" in err
    code, _, err = run(capsys, "html", "-o", str(tmp_path / "missing" / "page.html"), "relu")
    assert code == 2 and err.count("\n") == 1 and "does not exist" in err
