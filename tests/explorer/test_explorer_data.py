"""The explorer's data: slider values, parameter grids, thinning, and curves equal to the registry."""

from __future__ import annotations

import base64
import io
import json
import re

import numpy as np
import pytest
from PIL import Image

import actviz
from actviz import _explorer_page, explorer, sampling
from actviz.errors import ActvizError


@pytest.fixture(scope="module")
def data(default_data):
    """The default page's data (all activations)."""
    return default_data


def _registry_values(name, params, x):
    act = actviz.get(name).with_params(**params)
    return act(x), act.grad(x)


def _cell_params(entry, cell):
    """The parameter values of ``cell`` as the page reads them (grid or one-at-a-time)."""
    params = entry["params"]
    if not params:
        return {}
    if entry["mode"] == "grid":
        index, out = cell, {}
        for p in reversed(params):
            out[p["name"]] = p["values"][index % len(p["values"])]
            index //= len(p["values"])
        return out
    out = {p["name"]: p["values"][p["start"]] for p in params}
    for p in params:
        if cell < len(p["values"]):
            out[p["name"]] = p["values"][cell]
            return out
        cell -= len(p["values"])
    raise AssertionError("cell out of range")


def test_every_curve_equals_the_registry_in_float32(data):
    checked = 0
    for entry in data["entries"]:
        for cell, curve_id in enumerate(entry["cells"]):
            if curve_id < 0:
                continue
            params = _cell_params(entry, cell)
            x, y, dy = (a.astype(np.float64) for a in explorer.decode_curve(data, curve_id))
            assert x[0] == -10 and x[-1] == 10 and np.all(np.diff(x) >= 0), entry["name"]
            # repeated x marks a jump (left limit, nan, right limit); compare the other points
            single = np.ones(x.size, dtype=bool)
            repeated = np.flatnonzero(np.diff(x) == 0)
            single[repeated] = single[repeated + 1] = False
            want_y, want_dy = _registry_values(entry["name"], params, x[single])
            np.testing.assert_array_equal(y[single], np.float32(want_y), err_msg=entry["name"])
            np.testing.assert_array_equal(dy[single], np.float32(want_dy), err_msg=entry["name"])
            checked += 1
    assert checked >= len(data["curves"]) > 500


def test_thinned_curves_stay_within_tolerance_of_the_dense_samples(data):
    for name in ("sigmoid", "gelu", "snake", "softplus", "mish"):
        entry = next(e for e in data["entries"] if e["name"] == name)
        curve_id = entry["cells"][0]
        x, y, dy = (a.astype(np.float64) for a in explorer.decode_curve(data, curve_id))
        dense = sampling.sample(actviz.get(name).with_params(**_cell_params(entry, 0)),
                                points=explorer.DEFAULT_POINTS)
        for kept, full in ((y, dense.y), (dy, dense.dy)):
            scale = max(np.ptp(full), 1.0)
            error = np.abs(np.interp(dense.x, x, kept) - full)
            assert error.max() <= explorer.DEFAULT_TOLERANCE * scale * 1.01 + 1e-6, name
        assert x.size < dense.x.size / 3, (name, x.size)


def test_straight_pieces_cost_two_points_and_jumps_stay_broken(data):
    by_name = {e["name"]: e for e in data["entries"]}
    x, y, dy = explorer.decode_curve(data, by_name["relu"]["cells"][0])
    # -10, the kink written as (0, 0, 0) with a nan break in dy, 10
    assert x.tolist() == [-10, 0, 0, 0, 10]
    assert y.tolist() == [0, 0, 0, 0, 10]
    assert np.isnan(dy[2]) and dy[1] == 0 and dy[3] == 1
    x, y, _ = explorer.decode_curve(data, by_name["binary_step"]["cells"][0])
    i = int(np.flatnonzero(np.isnan(y))[0])
    assert x[i - 1] == x[i] == x[i + 1] == 0 and y[i - 1] == 0 and y[i + 1] == 1


def test_regions_are_the_sampling_modules(data):
    by_name = {e["name"]: e for e in data["entries"]}
    for name in ("sigmoid", "tanh", "relu", "hardtanh", "leaky_relu"):
        entry = by_name[name]
        for cell in (0, len(entry["cells"]) - 1):
            curve_id = entry["cells"][cell]
            if curve_id < 0:
                continue
            act = actviz.get(name).with_params(**_cell_params(entry, cell))
            found = sampling.regions(act)
            record = data["curves"][curve_id]
            for kind in ("saturated", "dead"):
                want = np.array(getattr(found, kind), dtype=float).reshape(-1, 2)
                got = np.array(record[kind], dtype=float).reshape(-1, 2)
                np.testing.assert_allclose(got, want, atol=1e-6, err_msg=f"{name} {kind}")
    sigmoid = data["curves"][by_name["sigmoid"]["cells"][0]]
    assert len(sigmoid["saturated"]) == 2 and 6 < sigmoid["saturated"][1][0] < 8
    relu = data["curves"][by_name["relu"]["cells"][0]]
    assert relu["dead"] == [[-10.0, 0.0]] and relu["saturated"] == []
    # the highlight of relu's dead piece lies on the curve: y = 0 from -10 to 0
    (highlight,) = relu["highlights"]
    buffer = np.frombuffer(__import__("base64").b64decode(data["buffer"]), dtype="<f4")
    piece = buffer[highlight["offset"]:highlight["offset"] + 2 * highlight["n"]]
    assert highlight["kind"] == "dead"
    assert piece[:highlight["n"]].tolist() == [-10, 0] and piece[highlight["n"]:].tolist() == [0, 0]


def test_default_page_holds_every_activation_and_starts_with_the_blogs_four(data):
    names = [e["name"] for e in data["entries"]]
    assert names == actviz.names()
    assert [names[i] for i in data["initial"]] == list(explorer.DEFAULT_INITIAL)
    json.dumps(data, allow_nan=False)  # plain JSON, no NaN/Infinity tokens


def test_slider_values_include_default_sweep_and_stay_allowed():
    for name in actviz.names():
        for p in actviz.get_definition(name).params:
            values = explorer.slider_values(p, 21)
            if p.choices:
                assert values == p.choices
                continue
            assert list(values) == sorted(set(values)), name
            assert p.default in values and all(v in values for v in p.sweep), (name, p.name)
            for v in values:
                p.validate(v)
            assert 5 <= len(values) <= 25, (name, p.name, values)


def test_slider_values_for_leaky_relu_slope():
    slope = actviz.get_definition("leaky_relu").param("negative_slope")
    values = explorer.slider_values(slope, 21, include=[0.15])
    assert {0.01, 0.1, 0.15, 0.3} <= set(values)
    assert min(values) == 0 and max(values) <= 1  # 0: plain ReLU, the limiting case


def test_grid_modes():
    assert explorer.parameter_grid(actviz.get("relu")).cells() == [{}]
    leaky = explorer.parameter_grid(actviz.get("leaky_relu:0.1"))
    assert leaky.mode == "grid" and leaky.values[0][leaky.start[0]] == 0.1
    rrelu = explorer.parameter_grid(actviz.get("rrelu"))
    assert rrelu.mode == "grid"
    assert len(rrelu.cells()) == len(rrelu.values[0]) * len(rrelu.values[1])
    srelu = explorer.parameter_grid(actviz.get("srelu"))
    assert srelu.mode == "axes"
    cells = srelu.cells()
    assert len(cells) == sum(len(v) for v in srelu.values)
    # one parameter at a time: every cell differs from the start in at most one parameter
    start = {n: v[i] for n, v, i in zip(srelu.names, srelu.values, srelu.start, strict=True)}
    assert all(sum(cell[k] != start[k] for k in start) <= 1 for cell in cells)


def test_combinations_the_registry_rejects_are_marked_not_computed():
    data = explorer.explorer_data(["hardtanh"], formulas=False)
    (entry,) = data["entries"]
    bad = [c for c in entry["cells"] if c < 0]
    assert bad and entry["problems"]
    for cell, curve_id in enumerate(entry["cells"]):
        params = _cell_params(entry, cell)
        assert (curve_id < 0) == (params["min_val"] >= params["max_val"])


def test_specs_choose_the_activations_and_the_sliders_start():
    data = explorer.explorer_data(["leaky_relu:0.15", "relu"], lang="ja", formulas=False)
    assert [e["name"] for e in data["entries"]] == ["leaky_relu", "relu"]
    assert data["initial"] == [0, 1] and data["lang"] == "ja"
    slope = data["entries"][0]["params"][0]
    assert slope["values"][slope["start"]] == 0.15
    curve_id = data["entries"][0]["cells"][slope["start"]]
    x, y, _ = explorer.decode_curve(data, curve_id)
    assert x[0] == -10 and y[0] == np.float32(-1.5)
    props = dict(data["entries"][0]["properties"][0])
    assert "値域" in props


def test_bad_arguments_raise_one_line_errors():
    with pytest.raises(ActvizError, match="unknown activation"):
        explorer.explorer_data(["no_such_thing"])
    with pytest.raises(ActvizError):
        explorer.explorer_data(["relu"], xlim=(1, 1))
    with pytest.raises(ActvizError, match="language"):
        explorer.explorer_data(["relu"], lang="fr")


def test_simplify_keeps_what_matters():
    x = np.linspace(0, 1, 101)
    line = 3 * x + 1
    assert explorer.simplify(x, [line], [1e-9]).tolist() == [0, 100]
    bump = np.exp(-((x - 0.5) ** 2) / 0.01)
    keep = explorer.simplify(x, [bump], [1e-3])
    assert np.abs(np.interp(x, x[keep], bump[keep]) - bump).max() <= 1e-3
    broken = line.copy()
    broken[50] = np.nan
    keep = explorer.simplify(x, [broken], [1e-3]).tolist()
    assert {49, 50, 51} <= set(keep)


def test_formulas_are_png_data_uris_and_bad_latex_falls_back():
    data = explorer.explorer_data(["relu"])
    (entry,) = data["entries"]
    for key in ("formula", "formula_derivative"):
        image = entry[key]
        assert image["src"].startswith("data:image/png;base64,")
        png = base64.b64decode(image["src"].split(",", 1)[1])
        with Image.open(io.BytesIO(png)) as opened:
            assert opened.size == (image["width"], image["height"])
            assert 100 < image["width"] < 1200 and 20 < image["height"] < 120
    assert explorer._formula(r"\frac{") is None


def test_json_in_the_page_cannot_close_its_script_element():
    text = _explorer_page._json_for_script({"a": "</script><img src=x onerror=1>&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><img src=x onerror=1>&"}


def test_every_builtin_formula_renders(data):
    missing = [e["name"] for e in data["entries"]
               if not (e["formula"] and e["formula_derivative"])]
    assert missing == []


def test_minus_signs_survive_the_half_size_display():
    from actviz._formula import render_png

    with Image.open(io.BytesIO(render_png("x - 1"))) as image:
        alpha = np.asarray(image.convert("RGBA"))[:, :, 3]
    # the minus sits between the x and the 1: its column is inked in at least two rows
    middle = alpha[:, alpha.shape[1] // 2]
    assert (middle > 100).sum() >= 2


def test_missing_bokeh_is_a_one_line_error(monkeypatch, tmp_path):
    import importlib.util

    from actviz import explorer
    from actviz.errors import OptionalDependencyError

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "bokeh" else real(name, *a))
    with pytest.raises(OptionalDependencyError, match=r"pip install 'actviz\[html\]'"):
        explorer.write_html(tmp_path / "page.html", ["relu"])
    assert list(tmp_path.iterdir()) == []


def _cell_by_contract(entry, positions, moved):
    """The cell of slider ``positions`` by the rule the data states (as explorer.js reads it)."""
    if not entry["params"]:
        return 0
    if entry["mode"] == "grid":
        return sum(i * s for i, s in zip(positions, entry["strides"], strict=True))
    return entry["offsets"][moved] + positions[moved]


def test_the_data_states_the_grid_index_the_page_reads():
    data = explorer.explorer_data(["relu", "rrelu", "hardtanh", "srelu"], formulas=False)
    for entry in data["entries"]:
        grid = explorer.parameter_grid(actviz.get(entry["name"]))
        cells = grid.cells()
        assert len(entry["cells"]) == len(cells)
        starts = [p["start"] for p in entry["params"]]
        for k, p in enumerate(entry["params"]):
            for i, value in enumerate(p["values"]):
                positions = list(starts)
                positions[k] = i
                if entry["mode"] == "grid":  # every combination: vary the others too
                    positions = [(s + i) % len(q["values"]) if j != k else i
                                 for j, (s, q) in enumerate(zip(starts, entry["params"],
                                                                strict=True))]
                cell = _cell_by_contract(entry, positions, k)
                want = {q["name"]: q["values"][positions[j]] if entry["mode"] == "grid" or j == k
                        else q["values"][q["start"]]
                        for j, q in enumerate(entry["params"])}
                assert cells[cell] == want, (entry["name"], positions)
                assert value == want[p["name"]]
    modes = {e["name"]: e["mode"] for e in data["entries"]}
    assert modes == {"relu": "grid", "rrelu": "grid", "hardtanh": "grid", "srelu": "axes"}


def test_the_page_is_built_from_its_package_files():
    from importlib import resources

    page = resources.files("actviz") / "page"
    script = (page / "explorer.js").read_text(encoding="utf-8")
    style = (page / "explorer.css").read_text(encoding="utf-8")
    assert "function cellOf" in script and "e.strides[k]" in script and "e.offsets[moved]" in script
    import html

    text = explorer.build_html(explorer.explorer_data(["relu"], formulas=False))
    assert f"<script>{script}</script>" in text  # verbatim, and allowed by the CSP's hash
    assert html.escape(_explorer_page._sha256(script)) in text
    assert style.split("\n", 2)[1] in text
    fields = re.findall(r"\$\{\w+\}", (page / "explorer.html").read_text(encoding="utf-8"))
    assert len(fields) > 15 and not any(f in text for f in fields)  # every field filled
    assert "10⁻³" in text


def test_eps_text():
    assert _explorer_page.eps_text(1e-3) == "10⁻³"
    assert _explorer_page.eps_text(1e-6) == "10⁻⁶"
    assert _explorer_page.eps_text(0.005) == "0.005"
