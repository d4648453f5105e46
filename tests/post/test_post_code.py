"""The Python code blocks of post.md, run in order in the article's folder, run as they are."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from PIL import Image

SRC = str(Path(__file__).resolve().parents[2] / "src")
FENCE = re.compile(r"^```python\n(.*?)^```$", re.S | re.M)


def test_code_blocks_run_in_order_and_draw_the_figures(made, tmp_path):
    result, _ = made("ja")
    folder = tmp_path / "post"
    shutil.copytree(result.folder, folder)
    shutil.rmtree(folder / "figures")
    code = "\n\n".join(FENCE.findall((folder / "post.md").read_text(encoding="utf-8")))
    assert "actviz.figure(" in code and "actviz.animate(" in code
    env = {**os.environ, "PYTHONPATH": SRC, "MPLBACKEND": "Agg"}
    run = subprocess.run([sys.executable, "-c", code], cwd=folder, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    for name in ("vanishing_gradient.png", "relu_dead_region.png", "relu_vs_leaky_relu.png"):
        with Image.open(folder / "figures" / name) as image:
            assert image.size == (800, 500)
    with Image.open(folder / "figures" / "leaky_relu_slope.gif") as gif:
        assert gif.n_frames == 5
    rerun = sorted(p.name for p in (folder / "rerun").iterdir())
    assert rerun == ["dead-born.png", "dead-training.png", "gradflow.png", "speed.png",
                     "train.png"]


SHELL = re.compile(r"^```sh\n(.*?)^```$", re.S | re.M)


def test_the_shell_commands_write_the_same_lab_files(made, tmp_path):
    """`actviz lab gradflow` and `actviz lab dead`, as the article prints them, write the JSON
    that lab/ holds (same settings, same results: those runs are deterministic)."""
    import json
    import shlex

    from actviz import cli

    result, _ = made("en")
    commands = [shlex.split(block.replace("\\\n", " "))
                for block in SHELL.findall((result.folder / "post.md").read_text("utf-8"))]
    assert [c[:3] for c in commands] == [["actviz", "lab", name] for name in
                                         ("gradflow", "speed", "dead", "train")]
    for argv in (commands[0], commands[2]):
        assert argv[-2:] == ["-o", "lab"]
        assert cli.main([*argv[1:-2], "--quiet", "-o", str(tmp_path)]) == 0
        stem = argv[2]
        ours = json.loads((result.folder / "lab" / f"{stem}.json").read_text("utf-8"))
        theirs = json.loads((tmp_path / f"{stem}.json").read_text("utf-8"))
        assert ours == theirs
