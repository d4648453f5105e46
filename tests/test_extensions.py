"""Activations the user brings: define(), --define, pyproject.toml, py: objects and plugins."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import actviz
from actviz import extensions
from actviz.cli import main
from tests.conftest import require

SRC = str(Path(__file__).resolve().parents[1] / "src")


@pytest.fixture
def defined():
    """Names given by define() in a test are removed afterwards."""
    before = set(extensions._DEFINED)
    yield
    for name in set(extensions._DEFINED) - before:
        extensions.undefine(name)


def test_define_gives_a_formula_a_name(defined):
    definition = actviz.define("swishb", "x * sigmoid(beta * x); beta=1.0")
    assert definition.name == "swishb" and "swishb" in actviz.names()
    act = actviz.get("swishb:beta=2")
    assert act.spec == "swishb:beta=2.0" and act.label == "swishb(beta=2.0)"
    x = np.linspace(-5, 5, 11)
    np.testing.assert_allclose(act(x), x / (1 + np.exp(-2 * x)), rtol=1e-14)
    # defined names are usable inside other formulas
    np.testing.assert_allclose(actviz.get("2 * swishb(x, beta=2)")(x), 2 * act(x), rtol=1e-14)
    assert actviz.define("swishb", "x * sigmoid(beta * x); beta=1.0") is definition
    with pytest.raises(actviz.ActvizError, match="already defined"):
        actviz.define("swishb", "x * tanh(x)")
    with pytest.raises(actviz.ActvizError, match="'relu' has that name"):
        actviz.define("relu", "max(x, 0)")
    for reserved in ("x", "exp", "where", "pi"):
        with pytest.raises(actviz.ActvizError, match="formulas use that name"):
            actviz.define(reserved, "x")
    with pytest.raises(actviz.ActvizError, match="snake_case"):
        actviz.define("2bad", "x")


def test_cli_define_with_parameters(tmp_path, capsys):
    out = tmp_path / "f.png"
    assert main(["plot", "--define", "swishb=x * sigmoid(beta * x); beta=1", "swishb:beta=2",
                 "relu", "--points", "50", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")
    assert "swishb" not in actviz.names()  # a --define lasts for its command only
    capsys.readouterr()
    assert main(["info", "--define", "myact=x * tanh(softplus(beta * x)); beta=1.0",
                 "myact:beta=2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["spec"] == "myact:beta=2.0" and data["formula"] == "x * tanh(softplus(beta * x))"


def test_cli_refuses_a_hostile_formula_in_one_line_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "f.png"
    for spec in ["__import__('os').system('echo hi')", "x.__class__", "9**9**9 * x",
                 "tahn(x)", "x * y"]:
        assert main(["plot", spec, "-o", str(out)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("actviz: error: ") and err.count("\n") == 1
    assert not out.exists()
    assert main(["plot", "--define", "bad=tahn(x)", "relu", "-o", str(out)]) == 2
    assert "--define bad: unknown function 'tahn' at column 1; did you mean 'tanh'?" in \
        capsys.readouterr().err


def test_pyproject_activations_in_every_command(tmp_path, monkeypatch, capsys):
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent("""
        [project]
        name = "mine"

        [tool.actviz.activations]
        myact = "x * tanh(softplus(beta * x)); beta=1.0"
        twin = "x * sigmoid(x)"
        """), encoding="utf-8")
    work = tmp_path / "sub" / "folder"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)  # found from a sub-folder, as ruff and pytest find theirs
    assert main(["list"]) == 0
    listing = capsys.readouterr().out
    assert "myact" in listing and "twin" in listing
    assert main(["plot", "myact:beta=2", "twin", "--points", "30", "-o", "p.png"]) == 0
    assert (work / "p.png").exists()
    assert "myact" not in actviz.names()
    (tmp_path / "pyproject.toml").write_text('[tool.actviz.activations]\nbad = "tahn(x)"\n',
                                             encoding="utf-8")
    assert main(["list"]) == 2
    err = capsys.readouterr().err
    assert "pyproject.toml: [tool.actviz.activations] bad: unknown function 'tahn'" in err


def test_py_numpy_function_is_measured():
    act = actviz.get("py:numpy.tanh")
    x = np.linspace(-3, 3, 7)
    np.testing.assert_allclose(act(x), np.tanh(x))
    np.testing.assert_allclose(act.grad(x), 1 - np.tanh(x) ** 2, rtol=1e-8)
    assert act.numerical_derivative
    assert act.properties.range.low == pytest.approx(-1)
    assert act.spec == "py:numpy.tanh"
    torch = require("torch")  # the lab runs it through a NumPy bridge, f' numerical
    t = torch.tensor(x, requires_grad=True)
    (g,) = torch.autograd.grad(act.torch_module()(t).sum(), t)
    np.testing.assert_allclose(g.numpy(), 1 - np.tanh(x) ** 2, rtol=1e-8)


def test_py_torch_module_class_with_keywords_matches_builtin():
    require("torch")
    act, twin = actviz.get("py:torch.nn.ELU:alpha=0.5"), actviz.get("elu:alpha=0.5")
    assert dict(act.params) == {"alpha": 0.5}
    x = np.concatenate([np.linspace(-8, 8, 1601) + 1e-4, [-np.inf, np.inf]])
    np.testing.assert_allclose(act(x), twin(x), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(act.grad(x[:-2]), twin.grad(x[:-2]), rtol=1e-12, atol=1e-15)
    assert not act.numerical_derivative  # autograd
    assert act.spec == "py:torch.nn.ELU:alpha=0.5"
    measured, declared = act.properties, twin.properties
    assert (measured.monotonic, measured.saturates, measured.range.low) == (
        declared.monotonic, declared.saturates, pytest.approx(declared.range.low))
    assert type(act.torch_module()).__name__ == "ELU"


def test_py_torch_function():
    torch = require("torch")
    act = actviz.get("py:torch.nn.functional.softplus:beta=2")
    x = np.linspace(-4, 4, 9)
    want = torch.nn.functional.softplus(torch.tensor(x), beta=2).numpy()
    np.testing.assert_allclose(act(x), want)
    np.testing.assert_allclose(act.grad(x), 1 / (1 + np.exp(-2 * x)), rtol=1e-12)
    module = act.torch_module()
    np.testing.assert_allclose(module(torch.tensor(x)).numpy(), want)


def test_py_errors_are_one_line():
    for spec, words in [("py:no_such_module_xyz.f", "no module named 'no_such_module_xyz'"),
                        ("py:numpy.no_such_function", "has no attribute 'no_such_function'"),
                        ("py:numpy.pi", "not a function"),
                        ("py:1bad", "write py:MODULE.NAME")]:
        with pytest.raises(actviz.ActvizError, match=words) as caught:
            actviz.get(spec)
        assert "\n" not in str(caught.value)


def _fake_distribution(root: Path, entry_points: str, modules: dict[str, str]) -> None:
    dist = root / "fakeplugin-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fakeplugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(entry_points)
    for name, code in modules.items():
        (root / f"{name}.py").write_text(textwrap.dedent(code))


def _run(args, path: Path, cwd: Path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, str(path)])}
    return subprocess.run([sys.executable, "-m", "actviz", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=120)


def test_plugins_register_and_a_broken_one_is_one_warning(tmp_path):
    _fake_distribution(tmp_path / "site", textwrap.dedent("""
        [actviz.activations]
        registers = fake_registers
        objects = fake_objects:ACTS
        broken = fake_broken
        missing = fake_missing_module:thing
        """), {
        "fake_registers": """
            import numpy as np
            import actviz
            actviz.register("plugin_cube", lambda x: x ** 3, lambda x: 3 * x ** 2)
            """,
        "fake_objects": """
            from actviz.formula import formula
            ACTS = [formula("x * sigmoid(2 * x)", name="plugin_swish2")]
            """,
        "fake_broken": "raise RuntimeError('this plugin is broken')\n",
    })
    result = _run(["list"], tmp_path / "site", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "plugin_cube" in result.stdout and "plugin_swish2" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if line]
    assert len(warnings) == 2, result.stderr
    assert warnings[0].startswith("actviz: warning: actviz plugin 'broken' (fake_broken) was "
                                  "not loaded: RuntimeError: this plugin is broken")
    assert "'missing'" in warnings[1] and "ModuleNotFoundError" in warnings[1]
    out = tmp_path / "p.png"
    result = _run(["plot", "plugin_cube", "plugin_swish2", "relu", "--points", "20", "-o",
                   str(out)], tmp_path / "site", tmp_path)
    assert result.returncode == 0, result.stderr
    assert out.exists()
    # in the library, a plugin's name resolves on first use
    code = ("import warnings; warnings.simplefilter('ignore'); import actviz; "
            "print(float(actviz.get('plugin_cube')(2.0)))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, str(tmp_path / "site")])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.stdout.strip() == "8.0", done.stderr


def test_html_and_atlas_take_formulas_and_defines(tmp_path, capsys):
    require("bokeh")
    page = tmp_path / "e.html"
    assert main(["html", "--define", "swb=x * sigmoid(beta * x); beta=1", "swb",
                 "abs(x) - 1", "relu", "-o", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert "swb" in text and "abs(x) - 1" in text
    atlas = tmp_path / "atlas"
    assert main(["atlas", "--define", "twin=x * sigmoid(x)", "-o", str(atlas), "--only",
                 "twin", "max(x, 0)"]) == 0
    table = (atlas / "properties.md").read_text(encoding="utf-8")
    assert "| twin<br>`twin` | x sigmoid(x) |" in table
    assert sorted(p.name for p in (atlas / "figures").iterdir())[-1] == "twin.png"


def test_py_specs_can_be_turned_off_for_untrusted_specs():
    extensions.allow_python_specs(False)
    try:
        with pytest.raises(actviz.ActvizError, match="turned off"):
            actviz.get("py:numpy.tanh")
        with pytest.raises(actviz.ActvizError, match="turned off"):
            actviz.define("mine", "py:numpy.tanh")
        assert actviz.get("x * sigmoid(x)")(0.0) == 0.0  # formulas are still fine
    finally:
        extensions.allow_python_specs(True)
    env = {**os.environ, "PYTHONPATH": SRC, "ACTVIZ_PYTHON_SPECS": "0"}
    done = subprocess.run([sys.executable, "-m", "actviz", "info", "py:os.getcwd"],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 2 and "turned off" in done.stderr
