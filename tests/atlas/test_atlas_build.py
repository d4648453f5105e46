"""Building the atlas: files that open, page counts, table rows, atomic and repeatable writes."""

from __future__ import annotations

import re
import warnings
import xml.etree.ElementTree as ET

import matplotlib
import pytest

import actviz
from actviz import atlas
from actviz.atlas import pages as atlas_pages
from actviz.cli import main
from actviz.errors import ActvizError
from tests.conftest import require

FEW = ["relu", "leaky_relu:negative_slope=0.1", "sigmoid", "binary_step"]



def rc_snapshot() -> dict:
    return {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}


def pdf_pages(path) -> int:
    pypdf = require("pypdf")
    return len(pypdf.PdfReader(str(path)).pages)


def no_temporary_files(folder) -> bool:
    return not [p for p in folder.rglob(".*") if p.is_file()]


@pytest.fixture(scope="module")
def few_atlas(tmp_path_factory):
    out = tmp_path_factory.mktemp("atlas")
    before = rc_snapshot()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = atlas.build_atlas(out, FEW, workers=1)
    assert rc_snapshot() == before  # nothing global changed
    return result


def test_pdf_has_front_pages_and_one_page_per_activation(few_atlas):
    assert few_atlas.pages == len(FEW) + atlas.FRONT_PAGES
    assert pdf_pages(few_atlas.pdf) == len(FEW) + atlas.FRONT_PAGES


def test_pdf_pages_show_labels_and_measured_values(few_atlas):
    pypdf = require("pypdf")
    reader = pypdf.PdfReader(str(few_atlas.pdf))
    page = reader.pages[atlas.FRONT_PAGES + 1].extract_text()  # leaky_relu:negative_slope=0.1
    assert "leaky_relu(negative_slope=0.1)" in page
    row = few_atlas.rows[1]
    assert row.range in page and "0.1 / 1" in page
    contents = reader.pages[1].extract_text()
    for act in map(actviz.get, FEW):
        assert act.display_name in contents


def test_every_figure_file_opens(few_atlas):
    from PIL import Image

    assert len(few_atlas.figures) == len(FEW)
    for path in [*few_atlas.figures.values(), *few_atlas.thumbnails.values(),
                 few_atlas.overview]:
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            assert image.format == "PNG" and min(image.size) > 50
    with Image.open(few_atlas.overview) as image:
        assert image.size[0] >= 1600  # A4 width at 200 dpi
    names = sorted(p.name for p in (few_atlas.out_dir / "figures").iterdir())
    assert names == sorted(["relu.png", "leaky_relu_negative_slope=0.1.png", "sigmoid.png",
                            "binary_step.png"])


def test_tables_have_a_row_per_activation(few_atlas):
    md = few_atlas.markdown.read_text(encoding="utf-8")
    assert len([line for line in md.splitlines() if line.startswith("| ")]) == len(FEW) + 1
    page = few_atlas.html.read_text(encoding="utf-8")
    assert page.count("<tr>") == len(FEW) + 1
    assert page.count("data:image/png;base64,") == len(FEW)
    for row, spec in zip(few_atlas.rows, FEW, strict=True):
        assert row.spec == actviz.get(spec).spec
        assert row == atlas.table.property_row(spec)


def test_no_temporary_files_are_left(few_atlas):
    assert no_temporary_files(few_atlas.out_dir)


def test_svg_figures_are_valid_xml(tmp_path):
    result = atlas.build_atlas(tmp_path, ["tanh"], format="svg", workers=1)
    root = ET.parse(result.figures["tanh"]).getroot()
    assert root.tag.endswith("svg")
    assert pdf_pages(result.pdf) == 1 + atlas.FRONT_PAGES


def test_rerun_overwrites_cleanly(tmp_path):
    first = atlas.build_atlas(tmp_path, ["relu", "tanh"], workers=1)
    stamp = first.pdf.stat().st_mtime_ns
    second = atlas.build_atlas(tmp_path, ["relu", "tanh"], workers=1)
    assert second.pdf.stat().st_mtime_ns >= stamp
    assert pdf_pages(second.pdf) == 2 + atlas.FRONT_PAGES
    assert no_temporary_files(tmp_path)


def test_interrupted_run_leaves_no_truncated_file(tmp_path, monkeypatch):
    atlas.build_atlas(tmp_path, ["relu", "tanh"], workers=1)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    calls = []

    def interrupted(self, path, format, dpi=100):
        calls.append(path)
        if len(calls) == 2:
            path.write_bytes(b"half a file")
            raise KeyboardInterrupt
        return original(self, path, format, dpi)

    original = atlas_pages.ActivationPage.save_figure
    monkeypatch.setattr(atlas_pages.ActivationPage, "save_figure", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atlas.build_atlas(tmp_path, ["relu", "tanh"], workers=1)
    assert no_temporary_files(tmp_path)
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert set(after) == set(before)
    assert after[tmp_path / "atlas.pdf"] == before[tmp_path / "atlas.pdf"]
    assert after[tmp_path / "figures" / "tanh.png"] == before[tmp_path / "figures" / "tanh.png"]


@pytest.mark.parametrize("bad", [["relu", "nosuch_activation"], ["leaky_relu:negative_slope=x"],
                                 ["relu:1"]])
def test_bad_only_fails_before_anything_is_written(tmp_path, capsys, bad):
    out = tmp_path / "atlas"
    assert main(["atlas", "-o", str(out), "--only", *bad]) == 2
    assert not out.exists()
    assert capsys.readouterr().err.startswith("actviz: error: ")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ActvizError):
        atlas.build_atlas(empty, bad)
    assert list(empty.iterdir()) == []


def test_bad_arguments_raise_one_line_errors(tmp_path):
    with pytest.raises(ActvizError, match="format"):
        atlas.build_atlas(tmp_path / "x", ["relu"], format="jpg")
    with pytest.raises(ActvizError, match="language"):
        atlas.build_atlas(tmp_path / "x", ["relu"], lang="fr")
    with pytest.raises(ActvizError, match="workers"):
        atlas.build_atlas(tmp_path / "x", ["relu"], workers=0)
    assert not (tmp_path / "x").exists()


def test_command_writes_the_atlas(tmp_path, capsys):
    assert main(["atlas", "-o", str(tmp_path), "--only", "relu", "elu", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"atlas\.pdf: 4 pages, 2 activations", out)
    assert pdf_pages(tmp_path / "atlas.pdf") == 4


def test_user_activations_are_drawn_in_this_process(tmp_path, monkeypatch):
    import numpy as np

    monkeypatch.setattr(atlas, "MIN_PARALLEL", 2)
    actviz.register("atlas_user_half", lambda x: 0.5 * x, lambda x: np.full_like(x, 0.5),
                    display_name="Half", overwrite=True)
    try:
        specs = ["relu", "atlas_user_half"]
        result = atlas.build_atlas(tmp_path, specs, workers=2)
    finally:
        actviz.unregister("atlas_user_half")
    # a spawned worker would not know the activation registered here
    assert result.workers == 1 and pdf_pages(result.pdf) == len(specs) + atlas.FRONT_PAGES
    assert result.rows[-1].range == "(-∞, ∞)" and result.rows[-1].df0_left == 0.5


def test_worker_processes_give_the_same_atlas(tmp_path, monkeypatch):
    require("pypdf")
    monkeypatch.setattr(atlas, "MIN_PARALLEL", 2)
    specs = ["relu", "elu", "gelu"]
    result = atlas.build_atlas(tmp_path, specs, workers=2)
    assert result.workers == 2
    assert pdf_pages(result.pdf) == len(specs) + atlas.FRONT_PAGES
    assert [r.spec for r in result.rows] == [actviz.get(s).spec for s in specs]
    assert result.rows == atlas.table.property_rows(specs)
    assert len(list((tmp_path / "figures").iterdir())) == len(specs)
    assert no_temporary_files(tmp_path)


@pytest.mark.slow
def test_full_atlas(tmp_path):
    result = atlas.build_atlas(tmp_path)
    count = len(actviz.names())
    assert count == 48
    assert pdf_pages(result.pdf) == count + atlas.FRONT_PAGES
    assert len(result.rows) == count and len(result.figures) == count
    page = result.html.read_text(encoding="utf-8")
    assert page.count("<tr>") == count + 1


def test_falls_back_to_this_process_when_workers_cannot_start(tmp_path, monkeypatch):
    import multiprocessing.context

    require("pypdf")

    def no_processes(*args, **kwargs):
        raise OSError("no semaphores here")

    monkeypatch.setattr(atlas, "MIN_PARALLEL", 2)
    for context in (multiprocessing.context.ForkProcess, multiprocessing.context.SpawnProcess):
        monkeypatch.setattr(context, "start", no_processes)
    with pytest.warns(RuntimeWarning, match="drawing here instead"):
        result = atlas.build_atlas(tmp_path, ["relu", "tanh"], workers=2)
    assert result.workers == 1
    assert pdf_pages(result.pdf) == 2 + atlas.FRONT_PAGES


def test_an_error_in_a_worker_reaches_the_caller_and_leaves_no_partial_files(tmp_path,
                                                                            monkeypatch):
    require("pypdf")
    original = atlas_pages.OverviewTile.png

    def failing(self, act, eps=1e-3):
        if act.name == "gelu":
            raise ActvizError("drawing gelu failed")
        return original(self, act, eps)

    # forked workers inherit the patch; wherever gelu is drawn, the error must surface
    assert atlas._fork_safe()  # no thread left over by an earlier atlas (its queues)
    monkeypatch.setattr(atlas, "MIN_PARALLEL", 2)
    monkeypatch.setattr(atlas_pages.OverviewTile, "png", failing)
    with pytest.raises(ActvizError, match="drawing gelu failed"):
        atlas.build_atlas(tmp_path, ["relu", "elu", "gelu", "tanh"], workers=2)
    assert no_temporary_files(tmp_path)
    assert not (tmp_path / "atlas.pdf").exists()


def test_rerun_with_fewer_activations_or_another_format_removes_its_old_files(tmp_path):
    import json

    atlas.build_atlas(tmp_path, ["relu", "tanh", "sigmoid"], workers=1)
    mine = tmp_path / "figures" / "notes.txt"  # not written by actviz: must survive
    mine.write_text("keep me")
    result = atlas.build_atlas(tmp_path, ["tanh"], format="svg", workers=1)
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == ["notes.txt", "tanh.svg"]
    assert sorted(p.name for p in (tmp_path / "thumbnails").iterdir()) == ["tanh.png"]
    record = json.loads((tmp_path / atlas.MANIFEST).read_text(encoding="utf-8"))
    assert record["activations"] == ["tanh"] and record["format"] == "svg"
    listed = {tmp_path / name for name in record["files"]}
    assert listed == set(result.files) - {tmp_path / atlas.MANIFEST}
    assert all(path.is_file() for path in listed)


def test_a_manifest_never_removes_files_outside_the_per_activation_folders(tmp_path):
    import json

    outside = tmp_path / "precious.txt"
    outside.write_text("x")
    (tmp_path / atlas.MANIFEST).write_text(json.dumps(
        {"files": ["precious.txt", "../elsewhere.png", "figures/../precious.txt"]}))
    atlas.build_atlas(tmp_path, ["relu"], workers=1)
    assert outside.read_text() == "x"
    (tmp_path / atlas.MANIFEST).write_text("not json")  # a damaged manifest is ignored
    atlas.build_atlas(tmp_path, ["relu"], workers=1)
    assert (tmp_path / "figures" / "relu.png").is_file()
