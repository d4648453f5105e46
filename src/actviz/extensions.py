"""Activations the user brings: formulas, ``py:`` objects, plugins, pyproject names, define().

- A spec that is not a known name and reads as a formula is a formula
  (:mod:`actviz.formula`): ``"x * tanh(softplus(x))"``.
- ``py:DOTTED.PATH[:params]`` imports the user's own (trusted) Python object: a
  NumPy function, a torch function or an ``nn.Module`` class whose constructor
  keywords become parameters (``py:torch.nn.ELU:alpha=0.5``); torch objects get
  their derivative from autograd.
- :func:`define` gives a formula (or a ``py:`` spec) a lasting name;
  :func:`load_pyproject` reads ``[tool.actviz.activations]`` from the nearest
  ``pyproject.toml``; :func:`load_plugins` loads the entry point group
  ``actviz.activations`` (a broken plugin is one warning naming it).

:func:`resolve` is the registry's hook for specs it does not know.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import math
import os
import re
import sys
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import registry
from .errors import ActvizError, ParameterError, UnknownActivationError

__all__ = ["PLUGIN_GROUP", "PluginWarning", "allow_python_specs", "define", "load_plugins", "load_pyproject", "py_activation",
           "resolve", "undefine"]

PLUGIN_GROUP = "actviz.activations"


class PluginWarning(UserWarning):
    """A plugin of the group ``actviz.activations`` that could not be loaded."""

_NAME = re.compile(r"[a-z][a-z0-9_]*")

#: ``py:`` specs import and call Python code.  A service that forwards specs it did not
#: write (a web form in front of ``actviz html``) turns them off with ACTVIZ_PYTHON_SPECS=0
#: or :func:`allow_python_specs`; formulas stay available (they are parsed, never run).
_PYTHON_SPECS = os.environ.get("ACTVIZ_PYTHON_SPECS", "1").strip() != "0"

# names given by define() (and so by --define and pyproject.toml): name -> spec text
_DEFINED: dict[str, str] = {}
_PLUGINS_LOADED = False


# --------------------------------------------------------------------------- the registry hook

def resolve(spec: Any, error: Exception, params: Mapping[str, Any]) -> registry.BoundActivation:
    """A spec the registry does not know: a ``py:`` object, a formula, or a plugin's name.

    Anything else re-raises ``error`` (the registry's own message, with its
    closest names).
    """
    from .formula import formula, looks_like_formula

    if not isinstance(spec, str):
        raise error
    text = spec.strip()
    if text.startswith("py:"):
        act = py_activation(text)
    elif looks_like_formula(text):
        act = registry.bind(formula(text))
    else:
        if load_plugins():
            return registry.get(spec, **params)
        raise error
    return registry.bind(act.definition, {**act.params, **params}) if params else act


# --------------------------------------------------------------------------- define

def define(name: str, spec: str, *, overwrite: bool = False) -> registry.Activation:
    """Register ``name`` for a formula (or a ``py:`` spec) and return its definition.

    ``actviz.define("swishb", "x * sigmoid(beta * x); beta=1.0")``; then
    ``actviz.get("swishb:beta=2")`` and every command know it.  Defining the
    same name again with the same text does nothing; with another text it
    needs ``overwrite=True``.  A built-in's name cannot be taken.
    """
    from .formula import formula

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
        _check_python_allowed(text)
        definition = registry.with_fields(_py_definition(text.partition(":")[2]), name=key,
                                          display_name=key)
    else:
        definition = formula(text, name=key)
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


# --------------------------------------------------------------------------- plugins

def load_plugins() -> bool:
    """Load the ``actviz.activations`` entry points once; True when this call loaded them.

    An entry point names a module that registers activations when imported, or
    an object that is an :class:`~actviz.registry.Activation` or a list of
    them.  A plugin that fails gives one warning line naming it (never an error).
    """
    global _PLUGINS_LOADED
    if _PLUGINS_LOADED:
        return False
    _PLUGINS_LOADED = True
    from importlib.metadata import entry_points

    registry._ensure_builtins()
    try:
        points = entry_points(group=PLUGIN_GROUP)
    except Exception as exc:  # a broken distribution's metadata
        _plugin_warning("?", "", exc)
        return True
    for point in points:
        try:
            loaded = point.load()
            _register_plugin_object(point, loaded)
        except Exception as exc:  # the plugin's own code: report, never crash
            _plugin_warning(point.name, point.value, exc)
    return True


def _register_plugin_object(point, loaded: Any) -> None:
    if inspect.ismodule(loaded):
        return  # it registered its activations when imported
    items = loaded if isinstance(loaded, (list, tuple)) else [loaded]
    for item in items:
        if not isinstance(item, registry.Activation):
            raise TypeError(f"{item!r} is not an actviz Activation (nor a module, nor a list "
                            "of Activations)")
    for item in items:
        existing = registry._REGISTRY.get(item.name)
        if existing is not item:
            registry.register(item)


def _plugin_warning(name: str, value: str, exc: BaseException) -> None:
    message = f"{type(exc).__name__}: {exc}".replace("\n", " ").strip()
    warnings.warn(f"actviz plugin {name!r} ({value}) was not loaded: {message}",
                  PluginWarning, stacklevel=3)


# --------------------------------------------------------------------------- py: objects

@dataclass(frozen=True, eq=False)
class PyActivation(registry.Activation):
    """An activation made from a Python object named ``py:PATH``."""

    path: str = ""


class PyBound(registry.BoundActivation):
    """A ``py:`` object bound to parameter values; its spec is ``py:PATH:key=value``."""

    __slots__ = ()

    @property
    def spec(self) -> str:
        if self.definition.name in registry._REGISTRY:
            return super().spec
        inner = ",".join(f"{k}={float(v)!r}" for k, v in self.params.items())
        return f"py:{self.definition.path}" + (f":{inner}" if inner else "")

    @property
    def label(self) -> str:
        inner = ", ".join(f"{k}={registry._fmt(v)}" for k, v in self.params.items())
        return f"{self.display_name}({inner})" if inner else self.display_name


def allow_python_specs(allowed: bool = True) -> None:
    """Turn ``py:`` specs on or off for this process (on unless ACTVIZ_PYTHON_SPECS=0)."""
    global _PYTHON_SPECS
    _PYTHON_SPECS = bool(allowed)


def _check_python_allowed(spec: str) -> None:
    if not _PYTHON_SPECS:
        raise ActvizError(f"{spec.strip()!r}: py: specs (which import Python code) are turned "
                          "off here (ACTVIZ_PYTHON_SPECS=0); formulas still work")


def py_activation(spec: str) -> registry.BoundActivation:
    """``py:DOTTED.PATH[:key=value,...]`` bound to its parameters."""
    _check_python_allowed(spec)
    body = spec.strip()[3:]
    path, _, rest = body.partition(":")
    definition = _py_definition(path.strip())
    raw = registry.parse_spec(f"p:{rest}")[1] if rest.strip() else {}
    given: dict[str, Any] = {}
    for key, value in raw.items():
        if key.startswith("#"):
            index = int(key[1:])
            if index >= len(definition.params):
                raise ParameterError(f"py:{path} takes {len(definition.params)} parameter(s), "
                                     f"but {spec!r} gives a value at position {index + 1}")
            key = definition.params[index].name
        given[definition.param(key).name] = value
    return registry.bind(definition, given)


@functools.lru_cache(maxsize=128)
def _py_definition(path: str) -> PyActivation:
    if not re.fullmatch(r"[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*", path or ""):
        raise ActvizError(f"py:{path}: write py:MODULE.NAME, e.g. py:torch.nn.ELU or "
                          "py:mypackage.acts.swish")
    obj = _import(path)
    if isinstance(obj, registry.Activation):
        return PyActivation(**{f: getattr(obj, f) for f in obj.__dataclass_fields__},
                            path=path) if not isinstance(obj, PyActivation) else obj
    name = "py_" + re.sub(r"[^a-z0-9]+", "_", path.lower()).strip("_")
    kind = _torch_kind(obj)
    if kind is not None:
        return _torch_definition(path, name, obj, kind)
    if not callable(obj):
        raise ActvizError(f"py:{path} is a {type(obj).__name__}, not a function or a torch "
                          "module class")
    params = _numeric_params(obj, skip_first=True)
    names = [p.name for p in params]

    def function(x, **kw):
        out = obj(x, **{k: kw[k] for k in names})
        return np.asarray(out)

    definition = PyActivation(name=name, function=function, params=params, display_name=path,
                              family="user", path=path, latex=_latex_name(path),
                              explanation={"en": f"The Python function {path} (derivative "
                                                 "computed numerically)."})

    def module(nn, values):  # the lab runs the NumPy code, f' numerical, through a bridge
        from .formula._torch import numpy_module

        return numpy_module(nn, registry.bind(definition, values))

    return registry.with_fields(definition, torch=registry.TorchCounterpart(
        f"{path} (NumPy code through autograd.Function)", module))


def _latex_name(path: str, mark: str = "") -> str:
    return r"\mathrm{" + path.rsplit(".", 1)[-1].replace("_", r"\_") + "}" + mark + "(x)"


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


def _import(path: str) -> Any:
    parts = path.split(".")
    error: BaseException | None = None
    for cut in range(len(parts), 0, -1):
        module_name = ".".join(parts[:cut])
        try:
            obj = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and not module_name.startswith(exc.name):
                raise ActvizError(f"py:{path}: importing {module_name} failed: {exc}") from None
            error = exc
            continue
        except Exception as exc:
            raise ActvizError(f"py:{path}: importing {module_name} failed: "
                              f"{type(exc).__name__}: {exc}") from None
        for attr in parts[cut:]:
            if not hasattr(obj, attr):
                raise ActvizError(f"py:{path}: {module_name} has no attribute {attr!r}")
            obj = getattr(obj, attr)
        return obj
    raise ActvizError(f"py:{path}: no module named {parts[0]!r} ({error})")


def _numeric_params(obj: Any, *, skip_first: bool) -> tuple[registry.Param, ...]:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        signature = _doc_signature(obj)
        if signature is None:
            return ()
    params = []
    items = list(signature.parameters.values())
    if skip_first and items and items[0].default is inspect.Parameter.empty:
        items = items[1:]
    for p in items:
        default = p.default
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or isinstance(default, bool) or \
                not isinstance(default, (int, float)) or not math.isfinite(default):
            continue
        d = float(default)
        sweep = (-1.0, 0.0, 1.0) if d == 0 else (d / 2, d, d * 2)
        params.append(registry.Param(p.name, d, f"keyword {p.name} of the Python object",
                                     sweep=sweep))
    return tuple(params)


def _doc_signature(obj: Any) -> inspect.Signature | None:
    """The keywords of a C function from its docstring's first line, as torch writes them:
    ``softplus(input, beta=1, threshold=20) -> Tensor``."""
    doc = (getattr(obj, "__doc__", None) or "").strip()
    match = re.match(r"[\w.]+\(([^)]*)\)", doc)
    if match is None:
        return None
    parameters = []
    for position, item in enumerate(match.group(1).split(",")):
        name, _, default = (part.strip() for part in item.partition("="))
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            continue
        kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
        value: Any = inspect.Parameter.empty
        if default:
            try:
                value = float(default)
            except ValueError:
                value = default
        elif position > 0:
            continue
        parameters.append(inspect.Parameter(name, kind, default=value))
    try:
        return inspect.Signature(parameters)
    except ValueError:
        return None


def _torch_kind(obj: Any) -> str | None:
    if "torch" not in sys.modules and not (getattr(obj, "__module__", "") or "").startswith(
            "torch"):
        return None
    import torch

    if isinstance(obj, type) and issubclass(obj, torch.nn.Module):
        return "class"
    if isinstance(obj, torch.nn.Module):
        return "instance"
    module = getattr(obj, "__module__", "") or ""
    if callable(obj) and (module.startswith("torch") or "torch" in type(obj).__module__):
        return "function"
    return None


def _torch_definition(path: str, name: str, obj: Any, kind: str) -> PyActivation:
    import torch

    if kind == "class":
        params = _numeric_params(obj, skip_first=False)
    elif kind == "function":
        params = _numeric_params(obj, skip_first=True)
    else:
        params = ()
    names = [p.name for p in params]

    @functools.lru_cache(maxsize=32)
    def module_for(values: tuple) -> Any:
        kw = dict(values)
        if kind == "class":
            return obj(**kw)
        if kind == "instance":
            return obj
        return _FunctionModule.make(torch, obj, kw)

    def key(kw) -> tuple:
        return tuple((k, float(kw[k])) for k in names)

    def function(x, **kw):
        x = np.asarray(x)
        with torch.no_grad():
            out = module_for(key(kw))(torch.from_numpy(np.ascontiguousarray(x)))
        return out.numpy()

    def derivative(x, **kw):
        x = np.asarray(x)
        t = torch.from_numpy(np.array(x, copy=True)).requires_grad_(True)
        out = module_for(key(kw))(t)
        (grad,) = torch.autograd.grad(out, t, torch.ones_like(out))
        return grad.detach().numpy()

    def build(nn, values):
        if kind == "class":
            return obj(**{k: values[k] for k in names})
        if kind == "instance":
            return obj
        return _FunctionModule.make(torch, obj, {k: values[k] for k in names})

    return PyActivation(name=name, function=function, derivative=derivative, params=params,
                        display_name=path, family="user", path=path, latex=_latex_name(path),
                        latex_derivative=_latex_name(path, "'"),
                        torch=registry.TorchCounterpart(path, build),
                        derivative_note="f' comes from PyTorch's autograd.",
                        explanation={"en": f"The PyTorch object {path}; f' from autograd."})


class _FunctionModule:
    """Wraps a torch function and its keywords as an nn.Module (class made on first use)."""

    _class = None

    @classmethod
    def make(cls, torch, function, keywords):
        if cls._class is None:
            class TorchFunction(torch.nn.Module):
                def __init__(self, function, keywords):
                    super().__init__()
                    self.function, self.keywords = function, dict(keywords)

                def forward(self, x):
                    return self.function(x, **self.keywords)

                def extra_repr(self) -> str:
                    name = getattr(self.function, "__name__", repr(self.function))
                    return ", ".join([name, *(f"{k}={v}" for k, v in self.keywords.items())])

            cls._class = TorchFunction
        return cls._class(function, keywords)


PyActivation.bound_class = PyBound
