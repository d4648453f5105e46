"""Reused artists: a page, a tile or an Axes redrawn for another activation equals a fresh one."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

import actviz
from actviz import atlas
from actviz.atlas import pages, table
from actviz.plotting import draw, style

# a kink, a jump, saturation on both sides, dead and saturated together, a parameter
SEQUENCES = [("relu", "binary_step"), ("binary_step", "gelu"), ("sigmoid", "relu"),
             ("hardshrink", "elu", "leaky_relu:negative_slope=0.1"), ("srelu", "tanh")]
OPTIONS = dict(xlim=(-6, 6), points=400, derivative=True, regions=True, color="C3",
               region_alpha=0.13)


def axes():
    fig = Figure()
    FigureCanvasAgg(fig)
    return fig.add_subplot()


def values(data) -> list:
    """Floats with nan as None (nan != nan would make equal lists differ)."""
    return [None if np.isnan(v) else v for v in np.asarray(data, dtype=float).ravel()]


def line_state(line):
    x, y = line.get_data()
    return (values(x), values(y), to_rgba(line.get_color()),
            line.get_linewidth(), line.get_linestyle(), line.get_label(), line.get_zorder(),
            line.get_alpha(), line.get_marker(), line.get_markerfacecolor())


def patch_state(patch):
    return (patch.get_x(), patch.get_width(), tuple(patch.get_facecolor()),
            tuple(patch.get_edgecolor()), patch.get_hatch(), patch.get_label(),
            patch.get_zorder(), patch.get_linewidth())


def state(drawn):
    """Everything drawn, as plain values (what a reused drawing must match)."""
    return {"line": line_state(drawn.line),
            "derivative": line_state(drawn.derivative_line) if drawn.derivative_line else None,
            "markers": [line_state(m) for m in drawn.markers],
            "spans": {k: [patch_state(p) for p in v] for k, v in drawn.spans.items()},
            "highlights": [line_state(h) for h in drawn.highlights]}


def labelled(ax):
    return sorted(label for label in ax.get_legend_handles_labels()[1])


@pytest.mark.parametrize("sequence", SEQUENCES)
def test_redrawn_activation_has_the_data_of_a_fresh_one(sequence):
    ax = axes()
    drawn = draw.draw_activation(ax, sequence[0], **OPTIONS)
    for spec in sequence[1:]:
        drawn = draw.redraw_activation(drawn, spec, **OPTIONS)
        fresh_ax = axes()
        fresh = draw.draw_activation(fresh_ax, spec, **OPTIONS)
        assert state(drawn) == state(fresh)
        # nothing of the earlier activation is left on the Axes
        assert len(ax.lines) == len(fresh_ax.lines)
        assert len(ax.patches) == len(fresh_ax.patches)
        assert labelled(ax) == labelled(fresh_ax)
        assert drawn.curve.x.tolist() == fresh.curve.x.tolist()


def test_binary_step_after_relu_keeps_its_jump_and_loses_relu_s_region():
    def dots(drawn):  # (x, y, filled) of each jump marker
        return [(*np.ravel(m.get_data()), m.get_markerfacecolor() == "C3")
                for m in drawn.markers]

    ax = axes()
    drawn = draw.draw_activation(ax, "relu", **OPTIONS)
    # relu: f' jumps from 0 to 1 at 0 (f'(0) = 0 filled), one dead region
    assert dots(drawn) == [(0.0, 1.0, False), (0.0, 0.0, True)]
    assert [(p.get_x(), p.get_width()) for p in drawn.spans["dead"]] == [(-6.0, 6.0)]
    drawn = draw.redraw_activation(drawn, "binary_step", **OPTIONS)
    # binary_step: f jumps from 0 to 1 (f(0) = 1 filled); f' = 0 over the whole range
    assert dots(drawn) == [(0.0, 0.0, False), (0.0, 1.0, True)]
    assert [(p.get_x(), p.get_x() + p.get_width()) for p in drawn.spans["dead"]] == [
        (-6.0, 6.0)]
    drawn = draw.redraw_activation(drawn, "gelu", **OPTIONS)
    assert not drawn.markers and not drawn.spans["dead"]
    assert len(ax.patches) == len(drawn.spans["saturated"]) == 1
    assert len(ax.lines) == 2 + len(drawn.highlights)


def test_redraw_without_a_colour_takes_the_next_one_of_the_cycle():
    ax = axes()
    drawn = draw.draw_activation(ax, "relu")
    drawn = draw.redraw_activation(drawn, "tanh")
    assert drawn.color == "C1" or to_rgba(drawn.color) == to_rgba("C1")
    assert len(ax.lines) == 1


def page_pixels(sequence, lang="en", page=True):
    with style.style_context(theme="light", lang=lang):
        sheet = pages.ActivationPage(lang)
        for spec in sequence:
            act = actviz.get(spec)
            row = table.property_row(act) if page else None
            sheet.draw(act, row, page_number=7, page=page)
        return sheet.figure_png(), sheet


@pytest.mark.parametrize("sequence", SEQUENCES[:3])
def test_a_reused_page_draws_the_pixels_of_a_fresh_page(sequence):
    reused, sheet = page_pixels(sequence)
    fresh, fresh_sheet = page_pixels(sequence[-1:])
    assert reused == fresh
    assert len(sheet.figure.texts) == len(fresh_sheet.figure.texts)
    assert [t.get_text() for t in sheet.heading] == [t.get_text() for t in fresh_sheet.heading]


def test_a_reused_japanese_figure_draws_the_pixels_of_a_fresh_one():
    reused, _ = page_pixels(["tanh", "relu"], lang="ja", page=False)
    fresh, _ = page_pixels(["relu"], lang="ja", page=False)
    assert reused == fresh


def test_a_reused_tile_draws_the_pixels_of_a_fresh_tile():
    with style.style_context(theme="light"):
        tile = pages.OverviewTile(count=8)
        tile.png(actviz.get("binary_step"))
        reused = tile.png(actviz.get("softplus"))
        fresh = pages.OverviewTile(count=8).png(actviz.get("softplus"))
    assert reused == fresh


FIGURES = ["relu", "binary_step", "gelu", "hardshrink", "sigmoid", "tanh", "elu", "selu",
           "leaky_relu:negative_slope=0.1"]


def test_figures_only_writes_the_full_atlas_s_figure_files_and_nothing_else(tmp_path,
                                                                           monkeypatch):
    monkeypatch.setattr(atlas, "MIN_PARALLEL", 2)
    full = atlas.build_atlas(tmp_path / "full", FIGURES, workers=2)
    only = atlas.build_atlas(tmp_path / "only", FIGURES, workers=2, figures_only=True)
    serial = atlas.build_atlas(tmp_path / "serial", FIGURES, workers=1, figures_only=True)
    assert only.workers == 2 and serial.workers == 1
    assert [p.name for p in (tmp_path / "only").iterdir()] == ["figures"]
    assert only.pdf is None and only.rows == [] and only.thumbnails == {}
    assert sorted(p.name for p in (tmp_path / "only" / "figures").iterdir()) == sorted(
        p.name for p in full.figures.values())
    for stem, path in full.figures.items():
        assert only.figures[stem].read_bytes() == path.read_bytes(), stem
        assert serial.figures[stem].read_bytes() == path.read_bytes(), stem


def test_figures_only_leaves_an_earlier_atlas_alone(tmp_path):
    first = atlas.build_atlas(tmp_path, ["relu", "tanh"], workers=1)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    result = atlas.build_atlas(tmp_path, ["tanh"], workers=1, figures_only=True, format="svg")
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert set(after) - set(before) == {result.figures["tanh"]}
    assert all(after[p] == data for p, data in before.items())
    assert first.pdf.exists()


def test_figures_only_command(tmp_path, capsys):
    from actviz.cli import main

    assert main(["atlas", "-o", str(tmp_path), "--figures-only", "--only", "relu", "elu",
                 "--jobs", "1"]) == 0
    assert "wrote 2 figures" in capsys.readouterr().out
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == ["elu.png", "relu.png"]
    assert not (tmp_path / "atlas.pdf").exists()


def test_line_keywords_are_drawn_anew_and_not_carried_over():
    ax = axes()
    drawn = draw.draw_activation(ax, "relu", **OPTIONS, line_kw={"alpha": 0.5, "marker": "x"})
    assert drawn.line.get_alpha() == 0.5 and drawn.derivative_line.get_alpha() == 0.5
    drawn = draw.redraw_activation(drawn, "tanh", **OPTIONS)  # no line_kw: plain lines
    fresh = draw.draw_activation(axes(), "tanh", **OPTIONS)
    assert state(drawn) == state(fresh)
    assert drawn.line.get_marker() == "None" and drawn.line.get_alpha() is None
    drawn = draw.redraw_activation(drawn, "elu", **OPTIONS, line_kw={"linestyle": ":"})
    fresh = draw.draw_activation(axes(), "elu", **OPTIONS, line_kw={"linestyle": ":"})
    assert state(drawn) == state(fresh) and drawn.line.get_linestyle() == ":"
