"""Animated sweeps: one frame per value, fixed axes, the value on each frame, atomic GIF files."""

from __future__ import annotations

import gc
import itertools
import subprocess
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from PIL import Image, ImageChops

import actviz
from actviz import cli
from actviz.errors import ActvizError
from actviz.plotting import animate as animation

SRC = str(Path(__file__).resolve().parents[2] / "src")
# animations drawn frame by frame here (not saved) make matplotlib warn when collected
pytestmark = pytest.mark.filterwarnings("ignore:Animation was deleted")
SLOPES = [0.0, 0.1, 0.3]


def small(**kwargs):
    return actviz.animate("leaky_relu", "negative_slope", SLOPES, xlim=(-3, 3), points=80,
                          size=(4, 2.5), dpi=50, **kwargs)


def test_animate_returns_a_funcanimation_with_one_frame_per_value():
    from matplotlib.animation import FuncAnimation

    anim = small(derivative=True)
    assert isinstance(anim, FuncAnimation)
    assert anim.actviz_values == SLOPES
    ax = anim._fig.axes[0]
    limits, titles, lines = [], [], []
    for i in range(len(SLOPES)):
        anim.actviz_draw_frame(i)
        limits.append((ax.get_xlim(), ax.get_ylim()))
        titles.append(ax.get_title())
        lines.append(np.asarray(ax.lines[0].get_ydata(), dtype=float))
    assert all(lim == limits[0] for lim in limits)  # the axes never move
    assert limits[0][0] == (-3.0, 3.0)
    low, high = limits[0][1]
    assert low < -0.3 * 3 and high > 3  # holds the steepest frame (slope 0.3 at x = -3)
    for title, value in zip(titles, ["0", "0.1", "0.3"], strict=True):
        assert f"negative_slope={value}" in title
    assert [t.get_text() for t in ax.texts if "negative_slope" in t.get_text()] == [
        "negative_slope = 0.3"]
    assert not np.allclose(lines[0], lines[2])  # the curve moves
    del anim
    gc.collect()  # collected here, inside this module's warning filter


def test_gif_has_one_frame_per_value_and_the_frames_differ(tmp_path):
    path = animation.save_animation(small(), tmp_path / "slope.gif")
    with Image.open(path) as gif:
        assert gif.n_frames == len(SLOPES)
        frames = []
        for i in range(gif.n_frames):
            gif.seek(i)
            frames.append(gif.convert("RGB"))
    for a, b in itertools.pairwise(frames):
        assert ImageChops.difference(a, b).getbbox() is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slope.gif"]


def test_japanese_animation_and_no_global_state_change(tmp_path):
    before = {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}
    anim = small(lang="ja", regions=True)
    animation.save_animation(anim, tmp_path / "ja.gif")
    after = {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}
    assert before == after
    assert "IPAexGothic" in anim.actviz_rc["font.family"]


def test_animate_does_not_use_pyplot():
    code = ("import sys, actviz; actviz.animate('elu', 'alpha', [0.5, 1.0], points=50);"
            "print('matplotlib.pyplot' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"}, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False"


@pytest.mark.parametrize("args, message", [
    (("leaky_relu", "alpha", [0.1, 0.2]), "no parameter 'alpha'"),
    (("leaky_relu", "negative_slope", [0.1, 0.1]), "repeat"),
    (("leaky_relu", "negative_slope", []), "list of values"),
    (("leaky_relu", "negative_slope", list(np.linspace(0, 1, 61))), "at most 60"),
    (("relu", "negative_slope", [0.1, 0.2]), "no parameter"),
])
def test_bad_input_is_one_line_error(args, message):
    with pytest.raises(ActvizError, match=message):
        actviz.animate(*args)


def test_mp4_without_ffmpeg_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(animation, "mp4_available", lambda: False)
    with pytest.raises(ActvizError, match=r"no MP4 encoder.*ffmpeg"):
        animation.save_animation(small(), tmp_path / "slope.mp4")
    with pytest.raises(ActvizError, match="not an animation format"):
        animation.save_animation(small(), tmp_path / "slope.png")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_no_file(tmp_path, monkeypatch):
    from matplotlib import animation as mpl_animation

    def broken(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(mpl_animation.PillowWriter, "finish", broken)
    with pytest.raises(RuntimeError):
        animation.save_animation(small(), tmp_path / "slope.gif")
    assert list(tmp_path.iterdir()) == []


def test_cli_animate_writes_a_gif(tmp_path, capsys):
    out = tmp_path / "slope.gif"
    assert cli.main(["plot", "leaky_relu", "--animate", "negative_slope=0,0.1,0.2,0.3",
                     "--xlim", "-3", "3", "--points", "80", "--dpi", "40", "-o", str(out)]) == 0
    assert "4 frames" in capsys.readouterr().out
    with Image.open(out) as gif:
        assert gif.n_frames == 4


def test_cli_animate_errors_are_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(animation, "mp4_available", lambda: False)
    for argv in (["--animate", "negative_slope=0,0.1", "-o", str(tmp_path / "a.mp4")],
                 ["--animate", "negative_slope=0,0.1", "--sweep", "negative_slope=0,1", "-o",
                  str(tmp_path / "a.gif")],
                 ["--animate", "negative_slope", "-o", str(tmp_path / "a.gif")]):
        assert cli.main(["plot", "leaky_relu", *argv]) == 2
        err = capsys.readouterr().err
        assert err.startswith("actviz: error:") and err.count("\n") == 1, err
    assert list(tmp_path.iterdir()) == []


def test_mp4_is_offered_only_where_ffmpeg_exists():
    from matplotlib import animation as mpl_animation

    assert animation.mp4_available() == mpl_animation.writers.is_available("ffmpeg")
