"""``py:DOTTED.PATH[:params]``: the user's own (trusted) Python object as an activation.

A NumPy function, a torch function or an ``nn.Module`` class (or instance) whose
numeric keywords become parameters (``py:torch.nn.ELU:alpha=0.5``); torch
objects get f' from autograd, NumPy functions a numerical f'.  An object that
already is an :class:`~actviz.types.Activation` is taken as it is.

This module sits below the registry (it imports types, errors, measure and the
formula package's torch bridge): :func:`actviz.registry.get` asks
:func:`definition` for a ``py:`` spec and binds the result itself.  It is the one
module that imports code by a name it is given (``importlib.import_module``):
the user's module named in the spec.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import inspect
import math
import os
import re
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import ActvizError
from .types import Activation, Param, TorchCounterpart, _fmt

__all__ = ["PyActivation", "allow_python_specs", "check_allowed", "definition", "split"]

#: ``py:`` specs import and call Python code.  A service that forwards specs it did not
#: write (a web form in front of ``actviz html``) turns them off with ACTVIZ_PYTHON_SPECS=0
#: or :func:`allow_python_specs`; formulas stay available (they are parsed, never run).
_PYTHON_SPECS = os.environ.get("ACTVIZ_PYTHON_SPECS", "1").strip() != "0"


@dataclass(frozen=True, eq=False)
class PyActivation(Activation):
    """An activation made from a Python object named ``py:PATH``.

    An anonymous one (not given a name by :func:`actviz.define`) names itself: its
    spec is ``py:PATH:key=value``, its label ``PATH(key=value)``.
    """

    path: str = ""
    anonymous: bool = True

    @property
    def owner(self) -> str:
        return f"py:{self.path}" if self.anonymous else self.name

    def spec_for(self, params) -> str | None:
        if not self.anonymous:
            return None
        inner = ",".join(f"{k}={float(v)!r}" for k, v in params.items())
        return f"py:{self.path}" + (f":{inner}" if inner else "")

    def label_for(self, params) -> str | None:
        inner = ", ".join(f"{k}={_fmt(v)}" for k, v in params.items())
        return f"{self.display_name}({inner})" if inner else self.display_name


def allow_python_specs(allowed: bool = True) -> None:
    """Turn ``py:`` specs on or off for this process (on unless ACTVIZ_PYTHON_SPECS=0)."""
    global _PYTHON_SPECS
    _PYTHON_SPECS = bool(allowed)


def check_allowed(spec: str) -> None:
    """ActvizError when ``py:`` specs are turned off."""
    if not _PYTHON_SPECS:
        raise ActvizError(f"{spec.strip()!r}: py: specs (which import Python code) are turned "
                          "off here (ACTVIZ_PYTHON_SPECS=0); formulas still work")


def split(spec: str) -> tuple[str, str]:
    """``"py:PATH:k=v"`` -> ``("PATH", "k=v")`` (checked to be allowed)."""
    check_allowed(spec)
    path, _, rest = spec.strip()[3:].partition(":")
    return path.strip(), rest


@functools.lru_cache(maxsize=128)
def definition(path: str) -> Activation:
    """The definition of the object at ``path`` (imported once; ActvizError if unusable)."""
    if not re.fullmatch(r"[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*", path or ""):
        raise ActvizError(f"py:{path}: write py:MODULE.NAME, e.g. py:torch.nn.ELU or "
                          "py:mypackage.acts.swish")
    obj = _import(path)
    if isinstance(obj, Activation):
        if type(obj) is not Activation:  # a formula, a PyActivation...: it names itself
            return obj
        return PyActivation(**{f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)},
                            path=path)
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
        from .formula._torch import NumpyPair, numpy_module

        return numpy_module(nn, NumpyPair.of(definition, definition.check(values), path))

    return dataclasses.replace(definition, torch=TorchCounterpart(
        f"{path} (NumPy code through autograd.Function)", module))


def _latex_name(path: str, mark: str = "") -> str:
    return r"\mathrm{" + path.rsplit(".", 1)[-1].replace("_", r"\_") + "}" + mark + "(x)"


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


def _numeric_params(obj: Any, *, skip_first: bool) -> tuple[Param, ...]:
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
        params.append(Param(p.name, d, f"keyword {p.name} of the Python object",
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
                        torch=TorchCounterpart(path, build),
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

