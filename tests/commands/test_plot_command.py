"""`actviz plot` and `actviz classic`: files written, errors as one line with exit status 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from actviz.cli import main
from tests.conftest import require

SRC = str(Path(__file__).resolve().parents[2] / "src")


def test_plot_writes_png(tmp_path, capsys):
    out = tmp_path / "f.png"
    assert main(["plot", "sigmoid", "tanh", "--derivative", "--regions", "--points", "50",
                 "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")
    assert capsys.readouterr().out.strip() == f"wrote {out}"


@pytest.mark.parametrize("ext, magic", [("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_format_follows_extension(tmp_path, ext, magic):
    out = tmp_path / f"f.{ext}"
    assert main(["plot", "relu", "--points", "20", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(magic)


def test_every_option_together(tmp_path):
    out, data = tmp_path / "all.png", tmp_path / "all.json"
    assert main(["plot", "leaky_relu", "--sweep", "negative_slope=0.01,0.1,0.3", "--derivative",
                 "--regions", "--eps", "1e-2", "--xlim", "-3", "3", "--ylim", "-2", "4",
                 "--points", "30", "--title", "Sweep", "--size", "6", "4", "--dpi", "50",
                 "--theme", "dark", "--style", "ggplot", "--formula", "--data", str(data),
                 "--lang", "ja", "-o", str(out)]) == 0
    image_module = require("PIL.Image")

    with image_module.open(out) as image:
        assert image.size == (300, 200)
    loaded = json.loads(data.read_text())
    assert [c["spec"] for c in loaded["curves"]] == [
        "leaky_relu:negative_slope=0.01", "leaky_relu:negative_slope=0.1",
        "leaky_relu:negative_slope=0.3"]
    assert loaded["xlim"] == [-3, 3] and loaded["eps"] == 0.01


def test_default_output_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["plot", "sigmoid", "leaky_relu:negative_slope=0.1", "--points", "20"]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["sigmoid_leaky_relu_negative_slope_0.1.png"]


def test_csv_data(tmp_path):
    data = tmp_path / "d.csv"
    assert main(["plot", "relu", "--points", "11", "--data", str(data), "-o",
                 str(tmp_path / "d.png")]) == 0
    lines = data.read_text().splitlines()
    assert lines[0] == "label,spec,x,f,df"
    assert lines[1] == "ReLU,relu,-10.0,0.0,0.0"
    assert lines[-1] == "ReLU,relu,10.0,10.0,1.0"


ERRORS = [
    (["plot", "sigmod"], "unknown activation 'sigmod'; did you mean"),
    (["plot", "leaky_relu:negative_slope=abc"], "negative_slope"),
    (["plot", "leaky_relu:slope=0.1"], "did you mean 'negative_slope'"),
    (["plot", "relu", "--xlim", "3", "1"], "x-limits need min < max"),
    (["plot", "relu", "--xlim", "nan", "1"], "finite"),
    (["plot", "relu", "--xlim", "1", "inf"], "finite"),
    (["plot", "relu", "--xlim", "-inf", "1"], "finite"),
    (["plot", "relu", "--ylim", "1", "1"], "y-limits"),
    (["plot", "relu", "--points", "1"], "points must be between 2"),
    (["plot", "relu", "--points", "2000000"], "points must be between 2"),
    (["plot", "relu", "--eps", "-1"], "eps"),
    (["plot", "relu", "--sweep", "negative_slope"], "--sweep needs"),
    (["plot", "relu", "--sweep", "negative_slope=0.1"], "relu has no parameter"),
    (["plot", "relu", "--style", "ggplott"], "did you mean ggplot"),
    (["plot", "relu", "--theme", "blue"], "invalid choice"),
    (["plot", "relu", "--lang", "fr"], "invalid choice"),
    (["plot", "relu", "--size", "0", "5"], "size"),
    (["plot", "relu", "--data", "{tmp}/d.txt"], ".csv or .json"),
    (["plot", "relu", "-o", "{tmp}/f.gif"], "not an image format"),
    (["plot", "relu", "-o", "{tmp}/f"], "not an image format"),
    (["plot", "relu", "-o", "{tmp}/missing/f.png"], "does not exist"),
    (["plot", "relu", "-o", "{tmp}"], "it is a folder"),
    (["plot"], "required"),
    (["classic", "--format", "gif"], "invalid choice"),
]


@pytest.mark.parametrize("argv, message", ERRORS)
def test_errors_are_one_line_exit_2_and_leave_no_file(tmp_path, monkeypatch, capsys, argv,
                                                      message):
    monkeypatch.chdir(tmp_path)
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    if "-o" not in argv and argv[0] == "plot":
        argv += ["-o", str(tmp_path / "out.png")]
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("actviz: error: ")
    assert message in lines[0]
    assert "Traceback" not in captured.err
    assert list(tmp_path.iterdir()) == []


def test_unwritable_folder_via_subprocess_as_error_line(tmp_path):
    # /proc is never writable, even for root
    result = subprocess.run([sys.executable, "-m", "actviz", "plot", "relu", "-o",
                             "/proc/actviz_test.png"], capture_output=True, text=True,
                            env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"}, timeout=120)
    assert result.returncode == 2
    assert result.stderr.startswith("actviz: error: cannot write")
    assert len(result.stderr.strip().splitlines()) == 1


def test_show_without_display_is_an_error_before_drawing(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.chdir(tmp_path)
    assert main(["plot", "relu", "--show"]) == 2
    assert "--show needs a display" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    # with -o the file is still written and --show is noted as ignored
    assert main(["plot", "relu", "--show", "--points", "10", "-o", "f.png"]) == 0
    assert "ignored" in capsys.readouterr().err
    assert (tmp_path / "f.png").exists()


def test_classic_command(tmp_path, capsys):
    assert main(["classic", "-o", str(tmp_path / "c"), "--format", "svg"]) == 0
    names = sorted(p.name for p in (tmp_path / "c").iterdir())
    assert names == ["classic_1_sigmoid_tanh.svg", "classic_2_relu.svg",
                     "classic_3_leaky_relu.svg"]
    assert capsys.readouterr().out.count("wrote") == 3


def test_classic_japanese(tmp_path):
    assert main(["classic", "-o", str(tmp_path), "--lang", "ja"]) == 0
    assert (tmp_path / "classic_2_relu_ja.png").exists()


def test_help_and_list_do_not_import_matplotlib():
    code = ("import sys, contextlib, io\nfrom actviz.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    main(['list'])\n    main(['plot', '--help']) if False else None\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print([m for m in ('matplotlib', 'torch', 'bokeh') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_cli_leaves_rcparams_unchanged(tmp_path):
    import matplotlib

    before = {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}
    assert main(["plot", "sigmoid", "relu", "--regions", "--derivative", "--lang", "ja",
                 "--theme", "dark", "--style", "bmh", "--points", "20", "-o",
                 str(tmp_path / "f.svg")]) == 0
    assert main(["classic", "-o", str(tmp_path), "--lang", "ja", "--format", "pdf"]) == 0
    after = {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}
    assert after == before


def test_negative_numbers_in_scientific_notation_are_values(tmp_path):
    data = tmp_path / "d.json"
    assert main(["plot", "relu", "--xlim", "-1e1", "2.5e0", "--ylim", "-.5", "3", "--points",
                 "10", "--data", str(data), "-o", str(tmp_path / "f.png")]) == 0
    assert json.loads(data.read_text())["xlim"] == [-10.0, 2.5]


def test_written_files_get_the_usual_permissions(tmp_path):
    out = tmp_path / "f.png"
    assert main(["plot", "relu", "--points", "10", "-o", str(out)]) == 0
    mask = os.umask(0o022)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's 0600
