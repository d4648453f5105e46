"""Names that last for the activations a user brings: define(), pyproject.toml, the CLI.

- :func:`define` gives a formula (or a ``py:`` spec) a lasting name in the
  registry: ``actviz.define("swishb", "x * sigmoid(beta * x); beta=1.0")``;
- :func:`load_pyproject` reads ``[tool.actviz.activations]`` from the nearest
  ``pyproject.toml`` (as ruff and pytest find theirs) and defines each entry;
- :func:`nonfinite_note`: where a naive formula stops being finite.

The activations themselves are read below the registry, which asks for them when a
spec names nothing registered: formulas in :mod:`actviz.formula`, ``py:`` objects
in :mod:`actviz.pyobjects`, plugins (entry point group ``actviz.activations``) by
:func:`actviz.registry.load_plugins`.  This module sits above the registry and is
called explicitly (by the library's user, or by the CLI around each command).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from . import pyobjects, registry
from .errors import ActvizError, PluginWarning, UnknownActivationError
from .pyobjects import allow_python_specs
from .registry import PLUGIN_GROUP, load_plugins

__all__ = ["PLUGIN_GROUP", "PluginWarning", "allow_python_specs", "define", "find_pyproject",
           "load_plugins", "load_pyproject", "nonfinite_note", "py_activation",
           "pyproject_activations", "undefine"]

_NAME = re.compile(r"[a-z][a-z0-9_]*")

# names given by define() (and so by --define and pyproject.toml): name -> spec text
_DEFINED: dict[str, str] = {}


def py_activation(spec: str) -> registry.BoundActivation:
    """``py:DOTTED.PATH[:key=value,...]`` bound to its parameters (as :func:`actviz.get`)."""
    if not isinstance(spec, str) or not spec.strip().startswith("py:"):
        raise ActvizError(f"{spec!r} is not a py: spec; write py:MODULE.NAME[:key=value]")
    return registry.get(spec)


# --------------------------------------------------------------------------- define

def define(name: str, spec: str, *, overwrite: bool = False) -> registry.Activation:
    """Register ``name`` for a formula (or a ``py:`` spec) and return its definition.

    ``actviz.define("swishb", "x * sigmoid(beta * x); beta=1.0")``; then
    ``actviz.get("swishb:beta=2")`` and every command know it.  Defining the
    same name again with the same text does nothing; with another text it
    needs ``overwrite=True``.  A built-in's name cannot be taken.
    """
    key = str(name).strip().lower().replace("-", "_")
    if not _NAME.fullmatch(key):
        raise ActvizError(f"cannot define {name!r}: a name is snake_case (letters, digits, _), "
                          "starting with a letter")
    from .formula._parse import _RESERVED

    if key in _RESERVED:
        raise ActvizError(f"cannot define {key!r}: formulas use that name ({key}); choose "
                          "another name")
    if not isinstance(spec, str) or not spec.strip():
        raise ActvizError(f"cannot define {key!r}: give a formula such as 'x * sigmoid(x)'")
    text = spec.strip()
    if _DEFINED.get(key) == text:
        return registry.get_definition(key)
    taken = _owner(key)
    if taken is not None and (key not in _DEFINED or not overwrite):
        if key in _DEFINED:
            raise ActvizError(f"cannot define {key!r}: it is already defined as "
                              f"{_DEFINED[key]!r} (pass overwrite=True to replace it)")
        raise ActvizError(f"cannot define {key!r}: the activation {taken!r} has that name; "
                          "choose another name")
    if text.startswith("py:"):
        path, rest = pyobjects.split(text)
        if rest.strip():
            raise ActvizError(f"cannot define {key!r}: give the py: object without "
                              f"parameters ({'py:' + path!r}); set them as {key}:name=value")
        definition = registry.with_fields(pyobjects.definition(path), name=key,
                                          display_name=key)
        if isinstance(definition, pyobjects.PyActivation):
            definition = registry.with_fields(definition, anonymous=False)
    else:
        definition = registry.formula_definition(text, name=key)
    registry.register(definition, overwrite=key in _DEFINED)
    _DEFINED[key] = text
    return definition


def undefine(name: str) -> None:
    """Remove a name given by :func:`define`."""
    key = str(name).strip().lower().replace("-", "_")
    if key not in _DEFINED:
        raise UnknownActivationError(f"{name!r} was not defined with define()")
    del _DEFINED[key]
    registry.unregister(key)


def _owner(key: str) -> str | None:
    try:
        return registry.get_definition(key).name
    except UnknownActivationError:
        return None


# --------------------------------------------------------------------------- pyproject.toml

def find_pyproject(start: str | Path | None = None) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.actviz]`` table, from ``start`` (default:
    the current folder) up to the root, as ruff and pytest find theirs."""
    folder = Path(start or Path.cwd()).resolve()
    for directory in (folder, *folder.parents):
        path = directory / "pyproject.toml"
        if path.is_file() and "[tool.actviz" in _read_text(path):
            return path
    return None


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def pyproject_activations(path: str | Path) -> dict[str, str]:
    """``[tool.actviz.activations]`` of ``path``: name -> formula, checked (one-line errors)."""
    try:
        import tomllib
    except ImportError:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib
        except ImportError:
            raise ActvizError(f"{path}: reading pyproject.toml needs Python 3.11 or the "
                              "'tomli' package") from None
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ActvizError(f"{path}: cannot read it ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ActvizError(f"{path}: not valid TOML ({str(exc).splitlines()[0]})") from None
    table = data.get("tool", {}).get("actviz", {}).get("activations", {})
    if not isinstance(table, dict):
        raise ActvizError(f"{path}: [tool.actviz.activations] must be a table of name = "
                          "\"formula\"")
    for name, value in table.items():
        if not isinstance(value, str):
            raise ActvizError(f"{path}: [tool.actviz.activations] {name} must be a formula in "
                              f"quotes, not {value!r}")
    return dict(table)


def load_pyproject(start: str | Path | None = None) -> list[str]:
    """Define the activations of the nearest pyproject.toml (see :func:`find_pyproject`);
    return their names.  A bad entry is an ActvizError naming the file and the entry."""
    path = find_pyproject(start)
    if path is None:
        return []
    names = []
    for name, text in pyproject_activations(path).items():
        try:
            names.append(define(name, text, overwrite=True).name)
        except ActvizError as exc:
            raise type(exc)(f"{path}: [tool.actviz.activations] {name}: {exc}") from None
    return names


# --------------------------------------------------------------------------- py: objects

def nonfinite_note(act: registry.BoundActivation, xlim=(-10.0, 10.0), points: int = 4001
                   ) -> str | None:
    """Where f or f' stops being finite inside ``xlim`` (e.g. a naive log(1 + exp(x)) from
    x = 709.78), in one line; None when both are finite everywhere there."""
    from .sampling import check_xlim

    lo, hi = check_xlim(xlim)
    x = np.linspace(lo, hi, points)
    parts = []
    with np.errstate(all="ignore"):
        for label, values in (("f", act(x)), ("f'", act.grad(x))):
            bad = ~np.isfinite(np.asarray(values, dtype=np.float64))
            if not bad.any():
                continue
            first, last = x[bad][0], x[bad][-1]
            if bad.all():
                parts.append(f"{label} is not finite on the whole range")
            else:
                parts.append(f"{label} is not finite for x in [{first:.6g}, {last:.6g}] "
                             f"({int(bad.sum())} of {points} points)")
    return f"{act.short_label}: " + "; ".join(parts) if parts else None


