"""The package's import graph: no cycle, and each layer imports only layers below it.

Every module under src/actviz is parsed with ``ast``; every ``import`` counts,
at the top of a module or inside a function, relative or absolute (only those
under ``if TYPE_CHECKING:`` are left out: they never run).  Data flows one way:
types -> definitions -> registry -> analysis and sampling -> drawing, pages,
lab -> CLI.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "actviz"

# The layers, lowest first; a module may import its own layer or any layer below it.
LAYERS: tuple[tuple[str, ...], ...] = (
    # 0: leaves: errors, text, files, locales, the argument checkers; the package's
    #    __init__ (its public names are resolved lazily, by name, so it imports nothing)
    ("actviz", "actviz.errors", "actviz._text", "actviz._io", "actviz._locales",
     "actviz.checks"),
    # 1: the shared types, and the numerical measurement of properties (numpy only)
    ("actviz.types", "actviz.measure"),
    # 2: definitions: the built-ins, formulas (parsed, differentiated, compiled) and the
    #    user's Python objects (py:); the registry asks 2 for what a spec names
    ("actviz.activations", "actviz.formula", "actviz.pyobjects"),
    # 3: the registry (names, specs, binding, plugins)
    ("actviz.registry",),
    # 4: analysis and sampling; lasting names (define, pyproject.toml)
    ("actviz.sampling", "actviz.properties", "actviz.extensions"),
    # 5: drawing, pages, the lab
    ("actviz.plotting", "actviz.explorer", "actviz._explorer_page", "actviz._formula",
     "actviz.atlas", "actviz.lab", "actviz.demo", "actviz.notebook", "actviz.article"),
    # 6: the command line
    ("actviz.commands", "actviz.cli", "actviz.__main__"),
)

# Edges allowed against the layers.  Nothing else may go here.
ALLOWED_UPWARD: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_nodes(tree: ast.AST):
    """Every Import/ImportFrom node, at any depth, outside ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def imports_of(name: str) -> set[str]:
    """The package's modules that module ``name`` imports."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                base = ".".join([*base, node.module] if node.module else base)
            else:
                base = node.module or ""
            # `from pkg import sub` imports the module pkg.sub; `from mod import x`, mod
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base
                       for a in node.names]
        found.update(t for t in targets if t in MODULES and t != name)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def layer_of(name: str) -> int:
    best = None
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if name == prefix or (prefix != "actviz" and name.startswith(prefix + ".")):
                best = index
    if best is None:
        raise AssertionError(f"module {name} is in no layer; add it to LAYERS")
    return best


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_parser_sees_every_kind_of_import():
    assert "actviz.types" in GRAPH["actviz.registry"]  # top level, relative, parenthesised
    assert "actviz.activations" in GRAPH["actviz.registry"]  # inside a function
    assert "actviz.sampling" in GRAPH["actviz.plotting.draw"]  # `from .. import sampling`
    assert "actviz.cli" in GRAPH["actviz.__main__"]  # absolute
    assert "actviz.properties" not in GRAPH["actviz"]  # only under TYPE_CHECKING
    assert len(MODULES) > 40


def test_find_cycle_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycle():
    graph = {name: targets - {t for (s, t) in ALLOWED_UPWARD if s == name}
             for name, targets in GRAPH.items()}
    assert find_cycle(graph) is None


@pytest.mark.parametrize("name", sorted(MODULES))
def test_layers_import_only_downward(name):
    upward = sorted(t for t in GRAPH[name] if layer_of(t) > layer_of(name)
                    and (name, t) not in ALLOWED_UPWARD)
    assert upward == [], f"{name} (layer {layer_of(name)}) imports a higher layer: {upward}"


def test_the_allowlist_holds_only_edges_that_exist():
    for source, target in ALLOWED_UPWARD:
        assert target in GRAPH[source], f"{source} -> {target} is gone: drop it from the list"


def test_no_hidden_imports_by_name():
    """``import_module`` would hide an edge from this test: only the lazy façades use it,
    and the module that imports the user's own code named by a ``py:`` spec."""
    allowed = {"actviz", "actviz.cli", "actviz.commands.lab", "actviz.pyobjects"}
    users = {name for name, path in MODULES.items()
             if "import_module" in path.read_text(encoding="utf-8")}
    assert users <= allowed, users - allowed


def test_the_lowest_layers_load_no_numpy():
    """The command line's parsers read types and checks: `actviz --help` stays fast."""
    import subprocess
    import sys

    code = ("import sys, actviz.types, actviz.checks, actviz.commands._common; "
            "print([m for m in ('numpy', 'matplotlib') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"PYTHONPATH": str(SRC)})
    assert out.stdout.strip() == "[]"
