"""`actviz demo` writes the post's figures and the phenomenon figures, all real PNGs."""

from __future__ import annotations

from PIL import Image

from actviz.cli import main


def test_demo_writes_every_figure(tmp_path, capsys):
    assert main(["demo", "-o", str(tmp_path / "figs")]) == 0
    names = sorted(p.name for p in (tmp_path / "figs").iterdir())
    assert names == sorted([
        "classic_1_sigmoid_tanh.png", "classic_2_relu.png", "classic_3_leaky_relu.png",
        "vanishing_gradient.png", "vanishing_gradient_ja.png", "dying_relu.png",
        "dying_relu_ja.png", "leaky_relu_sweep.png"])
    for name in names:
        with Image.open(tmp_path / "figs" / name) as image:
            image.verify()
    with Image.open(tmp_path / "figs" / "classic_2_relu.png") as image:
        assert image.size == (800, 500)  # 8x5 inches at 100 dpi, as in the post
    assert capsys.readouterr().out.count("wrote ") == len(names)
