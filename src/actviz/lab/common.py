"""Shared pieces of the lab: torch import, activations, MLP builder, data, seeds, progress, output.

Nothing here imports PyTorch, scikit-learn or matplotlib at module level: each
function imports what it needs, so ``import actviz.lab.common`` stays cheap and
works without the ``lab`` extra.  Library functions never print: long ones take
a ``progress(done, total)`` callback, and only the command line builds one that
writes to stderr (:func:`progress_bar`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
import platform
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__, checks, registry
from .._io import atomic_path, ensure_dir, write_text
from ..errors import ActvizError, OptionalDependencyError
from . import DEFAULT_ACTS  # noqa: F401  (re-exported; defined in the light package module)

INSTALL_HINT = "pip install 'actviz[lab]'"


#: The weight initialisations, by name (one table for the whole lab: :func:`init_weights_`).
INITS: dict[str, str] = {
    "default": "PyTorch's nn.Linear default: U(+-1/sqrt(fan_in)) for weights and biases",
    "xavier": "Glorot/Xavier normal weights, std sqrt(2/(fan_in+fan_out)), zero biases",
    "he": "He normal weights, std gain/sqrt(fan_in) (gain sqrt(2), Leaky ReLU aware), zero biases",
    "lecun": "LeCun normal weights, std 1/sqrt(fan_in), zero biases",
    "glorot": "Glorot uniform as scikit-learn's MLP: weights and biases U(+-sqrt(6/(fan_in+fan_out)))"
              " (factor 2 instead of 6 for the sigmoid)",
}

#: ``progress(done, total)``: called by long computations after each step.
ProgressCallback = Callable[[int, int], None]

DIVERGED = "diverged"
OK = "ok"


# --------------------------------------------------------------------------- optional imports

def require_torch() -> Any:
    """Import and return ``torch``; raise OptionalDependencyError (one line) if it is missing."""
    try:
        import torch
    except ImportError:
        raise OptionalDependencyError(
            f"PyTorch is not installed; install it with: {INSTALL_HINT}") from None
    return torch


def require_sklearn() -> Any:
    """Import and return ``sklearn.datasets``; raise OptionalDependencyError if missing."""
    try:
        from sklearn import datasets
    except ImportError:
        raise OptionalDependencyError(
            f"scikit-learn is not installed (needed for the digits data); install it with: "
            f"{INSTALL_HINT}") from None
    return datasets


def resolve_device(name: str = "cpu") -> Any:
    """The ``torch.device`` for ``name`` ('cpu' or 'cuda'); one-line error if CUDA is unavailable."""
    torch = require_torch()
    if name not in ("cpu", "cuda"):
        raise ActvizError(f"unknown device {name!r}; choose cpu or cuda")
    if name == "cuda" and not torch.cuda.is_available():
        why = ("this PyTorch build has no CUDA support" if torch.version.cuda is None
               else "no CUDA GPU is visible")
        raise ActvizError(f"--device cuda is not available ({why}); use --device cpu")
    return torch.device(name)


# --------------------------------------------------------------------------- activations

def lab_names() -> list[str]:
    """Names of the registered activations that have a PyTorch counterpart, registry order."""
    return [name for name in registry.names() if registry.get_definition(name).torch is not None]


def resolve_activations(specs: Iterable[str | registry.BoundActivation]
                        ) -> list[registry.BoundActivation]:
    """Bind each spec and check it has a PyTorch counterpart (one-line error listing those that do).

    ``specs`` are spec strings such as ``"leaky_relu:negative_slope=0.1"`` or
    already bound activations.  Duplicates (same label) are kept once.
    """
    out: list[registry.BoundActivation] = []
    seen: set[str] = set()
    for spec in specs:
        act = spec if isinstance(spec, registry.BoundActivation) else registry.get(spec)
        if act.definition.torch is None:
            raise ActvizError(f"{act.name} has no PyTorch counterpart, so the lab cannot use it; "
                              f"these can be used: {', '.join(lab_names())}")
        if act.label not in seen:
            seen.add(act.label)
            out.append(act)
    if not out:
        raise ActvizError("no activations given; pass at least one with --acts")
    return out


def display_name(act: registry.BoundActivation) -> str:
    """The display name plus the values that differ from the defaults: 'Leaky ReLU (0.1)'."""
    values = [f"{value:g}" if isinstance(value, float) else str(value)
              for p in act.definition.params
              if (value := act.params[p.name]) != p.default]
    return f"{act.display_name} ({', '.join(values)})" if values else act.display_name


def activation_module(act: str | registry.BoundActivation) -> Any:
    """A fresh ``nn.Module`` for ``act`` (spec or bound activation), built by the registry."""
    (bound,) = resolve_activations([act])
    require_torch()
    return bound.torch_module()


# --------------------------------------------------------------------------- networks

def he_gain(act: registry.BoundActivation | None) -> float:
    """The He (Kaiming) gain for ``act``: sqrt(2 / (1 + a**2)) for Leaky ReLU slope a, else sqrt(2)."""
    slope = 0.0
    if act is not None and act.name == "leaky_relu":
        slope = float(act.params["negative_slope"])
    return math.sqrt(2.0 / (1.0 + slope * slope))


def init_std(init: str, fan_in: int, fan_out: int,
             act: registry.BoundActivation | None = None) -> float | None:
    """The standard deviation of the normal weights for ``init``; None for PyTorch's default.

    - ``xavier``: sqrt(2 / (fan_in + fan_out)) (Glorot and Bengio 2010, gain 1);
    - ``he``: gain / sqrt(fan_in), gain sqrt(2), or sqrt(2 / (1 + a^2)) for Leaky ReLU
      with slope a (He et al. 2015);
    - ``lecun``: 1 / sqrt(fan_in) (LeCun normal, as SELU needs; Klambauer et al. 2017);
    - ``default``: PyTorch's own ``nn.Linear`` initialisation, uniform in
      +-1/sqrt(fan_in) (variance 1/(3 fan_in)), and ``glorot`` (scikit-learn's,
      uniform): not normal, so None.
    """
    if init in ("default", "glorot"):
        return None
    if init == "xavier":
        return math.sqrt(2.0 / (fan_in + fan_out))
    if init == "he":
        return he_gain(act) / math.sqrt(fan_in)
    if init == "lecun":
        return 1.0 / math.sqrt(fan_in)
    raise ActvizError(f"unknown init {init!r}; choose one of {', '.join(INITS)}")


#: ``--init auto``: the initialisation each activation was designed for.
AUTO = "auto"
INIT_CHOICES: tuple[str, ...] = (AUTO, *INITS)


def auto_init(act: registry.BoundActivation) -> str:
    """The initialisation ``act`` is usually paired with.

    lecun for SELU (self-normalising), xavier for sigmoid-like, shrinkage and
    classic functions, he for the rest (rectifiers and smooth gates).
    """
    if act.name == "selu":
        return "lecun"
    if act.definition.family in ("sigmoid-like", "shrinkage", "classic"):
        return "xavier"
    return "he"


def resolve_init(init: str, act: registry.BoundActivation) -> str:
    """``init`` itself, or :func:`auto_init` of ``act`` for 'auto' (one-line error if unknown)."""
    if init == AUTO:
        return auto_init(act)
    if init not in INITS:
        raise ActvizError(f"unknown init {init!r}; choose one of {', '.join(INIT_CHOICES)}")
    return init


def init_weights_(weight: Any, bias: Any, init: str, generator: Any = None, *,
                  activation: Any = None) -> None:
    """Fill one layer's ``weight`` ``[out, in]`` and ``bias`` ``[out]`` (or None) in place.

    ``init`` is a key of :data:`INITS`: 'xavier', 'he' and 'lecun' draw normal
    weights with :func:`init_std` and zero biases; 'default' is PyTorch's
    ``nn.Linear`` (U(+-1/sqrt(fan_in)) for both); 'glorot' is scikit-learn's
    (factor 2 instead of 6 for the sigmoid).  ``generator`` is the
    ``torch.Generator`` to draw from (None: torch's global one, see
    :func:`seeded`); ``activation`` the network's activation, a bound one or a
    name ('he' reads a Leaky ReLU slope, 'glorot' looks for the sigmoid).
    """
    torch = require_torch()
    from torch import nn

    if init not in INITS:
        raise ActvizError(f"unknown init {init!r}; choose one of {', '.join(INITS)}")
    fan_out, fan_in = weight.shape
    with torch.no_grad():
        if init in ("glorot", "default"):
            if init == "glorot":
                factor = 2.0 if getattr(activation, "name", activation) == "sigmoid" else 6.0
                limit = math.sqrt(factor / (fan_in + fan_out))
            else:  # nn.Linear.reset_parameters: kaiming_uniform(a=sqrt(5)) = U(+-1/sqrt(fan_in))
                limit = 1.0 / math.sqrt(fan_in)
            nn.init.uniform_(weight, -limit, limit, generator=generator)
            if bias is not None:
                nn.init.uniform_(bias, -limit, limit, generator=generator)
            return
        bound = activation if hasattr(activation, "params") else None
        nn.init.normal_(weight, 0.0, init_std(init, fan_in, fan_out, bound), generator=generator)
        if bias is not None:
            nn.init.zeros_(bias)


def init_linear(layer: Any, init: str = "default",
                act: registry.BoundActivation | None = None) -> Any:
    """Initialise ``nn.Linear`` ``layer`` in place by name (:func:`init_weights_`); return it.

    Uses torch's global generator: wrap in :func:`seeded` for reproducible
    weights ('default' is the layer's own ``reset_parameters``).
    """
    if init == "default":
        layer.reset_parameters()
        return layer
    init_weights_(layer.weight, layer.bias, init, activation=act)
    return layer


def build_mlp(in_features: int, out_features: int, *, width: int, depth: int,
              activation: str | registry.BoundActivation, init: str = "default",
              bias: bool = True, device: Any = "cpu") -> Any:
    """A multilayer perceptron as ``nn.Sequential``: ``depth`` x (Linear, activation), then Linear.

    ``in_features``/``out_features``: input and output sizes; ``width``: units
    per hidden layer; ``depth``: number of hidden layers (at least 1);
    ``activation``: spec or bound activation (the registry's PyTorch module);
    ``init``: one of :data:`INITS` (default 'default'); ``bias``: add biases
    (default True); ``device``: where the parameters live (default 'cpu').
    Modules alternate, so ``model[2 * i]`` is the i-th Linear and
    ``model[2 * i + 1]`` its activation; ``model[-1]`` is the output layer.
    """
    torch = require_torch()
    for name, value in (("depth", depth), ("width", width), ("in_features", in_features),
                        ("out_features", out_features)):
        checks.positive_int(value, name)
    (act,) = resolve_activations([activation])
    if init not in INITS:
        raise ActvizError(f"unknown init {init!r}; choose one of {', '.join(INITS)}")
    layers: list[Any] = []
    fan_in = in_features
    for _ in range(depth):
        layers.append(init_linear(torch.nn.Linear(fan_in, width, bias=bias), init, act))
        layers.append(act.torch_module())
        fan_in = width
    layers.append(init_linear(torch.nn.Linear(fan_in, out_features, bias=bias), init, act))
    return torch.nn.Sequential(*layers).to(device)


def hidden_linears(model: Any) -> list[Any]:
    """The hidden ``nn.Linear`` layers of a :func:`build_mlp` model, input side first."""
    return [model[2 * i] for i in range((len(model) - 1) // 2)]


@contextlib.contextmanager
def torch_threads(n: int | None) -> Iterator[None]:
    """Run the block with ``n`` intra-op torch threads (None: leave as is), restored afterwards.

    The lab's networks are small: one thread is usually fastest, and several
    threads on a busy machine can be many times slower (they wait on each other).
    """
    torch = require_torch()
    if n is None:
        yield
        return
    checks.positive_int(n, "threads")
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


# --------------------------------------------------------------------------- seeds

@contextlib.contextmanager
def seeded(seed: int, device: Any = "cpu") -> Iterator[None]:
    """Run the block with torch's global generators seeded by ``seed``, restored afterwards.

    Same seed, same numbers; the caller's random state is left as it was.
    ``device``: also fork the CUDA generator when it is a CUDA device.
    """
    torch = require_torch()
    devices = []
    if torch.device(device).type == "cuda":
        devices = [torch.device(device).index or 0]
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        yield


def rng(seed: int) -> np.random.Generator:
    """A NumPy generator for ``seed`` (the lab never touches NumPy's global state)."""
    return np.random.default_rng(seed)


# --------------------------------------------------------------------------- data

@dataclasses.dataclass(frozen=True)
class Dataset:
    """A classification data set as NumPy arrays (float32 inputs, int64 labels)."""

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    n_classes: int

    @property
    def n_features(self) -> int:
        return int(self.x_train.shape[1])

    def tensors(self, device: Any = "cpu") -> tuple[Any, Any, Any, Any]:
        """``(x_train, y_train, x_test, y_test)`` as torch tensors on ``device``."""
        torch = require_torch()
        return tuple(torch.as_tensor(a, device=device) for a in
                     (self.x_train, self.y_train, self.x_test, self.y_test))  # type: ignore[return-value]


DIGITS_SPLIT_SEED = 0
DIGITS_TEST_FRACTION = 0.25


@cache
def load_digits_data() -> Dataset:
    """scikit-learn's bundled digits (8x8 images, 10 classes), standardised, fixed split.

    1797 images; a fixed permutation (seed 0) puts 25 % in the test set (449)
    and the rest in the training set (1348), whatever ``--seed`` is.  Each pixel is
    standardised with the training set's mean and standard deviation (pixels
    that are constant in training are only centred).  Bundled with
    scikit-learn: nothing is downloaded.
    """
    datasets = require_sklearn()
    bunch = datasets.load_digits()
    x = np.asarray(bunch.data, dtype=np.float64)
    y = np.asarray(bunch.target, dtype=np.int64)
    order = np.random.default_rng(DIGITS_SPLIT_SEED).permutation(len(x))
    n_test = round(len(x) * DIGITS_TEST_FRACTION)
    test, train = order[:n_test], order[n_test:]
    mean = x[train].mean(axis=0)
    std = x[train].std(axis=0)
    std[std == 0] = 1.0
    x = (x - mean) / std
    return Dataset("digits", x[train].astype(np.float32), y[train], x[test].astype(np.float32),
                   y[test], int(y.max()) + 1)


def gaussian_input(n: int, dim: int, seed: int = 0) -> np.ndarray:
    """``n`` samples of standard normal input of dimension ``dim`` (float32), from ``seed``."""
    return rng(seed).standard_normal((n, dim)).astype(np.float32)


INPUTS = ("digits", "gaussian")


def input_batch(kind: str, n: int, seed: int = 0, dim: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """A batch ``(x, y)`` of ``n`` inputs: 'digits' (training images) or 'gaussian' (dim ``dim``).

    Digits: the first ``n`` training images of a permutation drawn from
    ``seed``.  Gaussian: standard normal inputs, labels drawn uniformly from
    10 classes.
    """
    gen = rng(seed)
    if kind == "digits":
        data = load_digits_data()
        idx = gen.permutation(len(data.x_train))[:n]
        return data.x_train[idx], data.y_train[idx]
    if kind == "gaussian":
        x = gen.standard_normal((n, dim)).astype(np.float32)
        return x, gen.integers(0, 10, size=n).astype(np.int64)
    raise ActvizError(f"unknown input {kind!r}; choose one of {', '.join(INPUTS)}")


# --------------------------------------------------------------------------- divergence

def is_finite(value: Any) -> bool:
    """True if ``value`` (number, array or tensor) holds no nan or inf."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return bool(np.all(np.isfinite(np.asarray(value, dtype=np.float64))))


def status(*values: Any) -> str:
    """'ok' if every value is finite, else 'diverged' (the lab reports, never crashes)."""
    return OK if all(is_finite(v) for v in values) else DIVERGED


# --------------------------------------------------------------------------- progress

class StderrProgress:
    """A one-line progress bar on stderr, used as a ``progress(done, total)`` callback.

    Silent when ``enabled`` is False, when the stream is not a terminal, and
    for the first ``delay`` seconds (so quick runs print nothing).  ``label``
    precedes the bar.  Call :meth:`close` (or use :func:`progress_bar`) to end
    the line.
    """

    def __init__(self, label: str, *, enabled: bool = True, stream: Any = None,
                 delay: float = 0.5, width: int = 30) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(enabled and isatty is not None and isatty())
        self.delay = delay
        self.width = width
        self._start = time.monotonic()
        self._drawn = False
        self._last = -1.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if now - self._start < self.delay or (now - self._last < 0.1 and done < total):
            return
        self._last = now
        frac = min(max(done / total, 0.0), 1.0)
        filled = round(frac * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total}")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


@contextlib.contextmanager
def progress_bar(label: str, *, quiet: bool = False, stream: Any = None
                 ) -> Iterator[ProgressCallback]:
    """Yield a progress callback writing to stderr (silent if ``quiet`` or not a terminal)."""
    bar = StderrProgress(label, enabled=not quiet, stream=stream)
    try:
        yield bar
    finally:
        bar.close()


def steps(progress: ProgressCallback | None, total: int) -> Callable[[], None]:
    """A ``tick()`` that counts steps up to ``total`` and reports them to ``progress`` (or nothing)."""
    count = [0]

    def tick() -> None:
        count[0] += 1
        if progress is not None:
            progress(count[0], total)

    return tick


# --------------------------------------------------------------------------- figures

@contextlib.contextmanager
def figure_context(lang: str = "en") -> Iterator[None]:
    """A ``matplotlib.rc_context`` for lab figures: the plotting style's font for ``lang``
    (IPAexGothic for 'ja', registered by :mod:`actviz.plotting.style`) plus a light grid.

    Create, draw and save figures inside it; rcParams are restored on exit.
    """
    import matplotlib

    from ..plotting.style import rc_for

    rc: dict[str, Any] = {**rc_for(lang=lang), "axes.grid": True, "grid.alpha": 0.3,
                          "axes.spines.top": False, "axes.spines.right": False,
                          "savefig.dpi": 120}
    with matplotlib.rc_context(rc):
        yield


def new_figure(figsize: tuple[float, float] = (8.0, 5.0), **kwargs: Any) -> Any:
    """A matplotlib Figure (object API, constrained layout, no pyplot) that a notebook shows."""
    from ..plotting.figures import NotebookFigure

    kwargs.setdefault("layout", "constrained")
    return NotebookFigure(figsize=figsize, **kwargs)


def act_colors(n: int) -> list[Any]:
    """``n`` distinct colours (tab10, then tab20) for one line per activation."""
    from matplotlib import colormaps

    cmap = colormaps["tab10"] if n <= 10 else colormaps["tab20"]
    return [cmap(i % cmap.N) for i in range(n)]


# --------------------------------------------------------------------------- output

def to_jsonable(value: Any) -> Any:
    """``value`` as plain JSON types: arrays to lists, dataclasses to dicts, nan/inf to None."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return to_jsonable(value.tolist())
    if hasattr(value, "detach") and hasattr(value, "tolist"):
        return to_jsonable(value.detach().cpu().tolist())
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return v if math.isfinite(v) else None
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return str(value)


def environment(seed: int | None = None) -> dict[str, Any]:
    """Versions and seed recorded in every JSON file the lab writes."""
    try:
        import torch
        torch_version = torch.__version__
    except ImportError:  # pragma: no cover - the lab needs torch
        torch_version = None
    return {"actviz_version": __version__, "torch_version": torch_version,
            "numpy_version": np.__version__, "python_version": platform.python_version(),
            "seed": seed}


def write_json(path: str | os.PathLike[str], data: Any) -> Path:
    """Write ``data`` (made JSON-safe by :func:`to_jsonable`) to ``path`` atomically."""
    text = json.dumps(to_jsonable(data), ensure_ascii=False, indent=2, allow_nan=False)
    return write_text(path, text + "\n")


def save_figure(fig: Any, path: str | os.PathLike[str], **savefig_kwargs: Any) -> Path:
    """Save matplotlib ``fig`` to ``path`` (format from the suffix) atomically."""
    with atomic_path(path) as tmp:
        fig.savefig(tmp, **savefig_kwargs)
    return Path(path)


def report(summary: Iterable[str], paths: Iterable[Path], *, quiet: bool = False) -> None:
    """The end of every ``actviz lab`` run: summary lines, then the files written, on stdout.

    Nothing is printed when ``quiet``.  (``run_cli`` is the lab's command-line
    layer; the experiment functions themselves never print.)
    """
    if quiet:
        return
    for line in [*summary, *map(str, paths)]:
        print(line)


def write_outputs(output_dir: str | os.PathLike[str], stem: str, *, figures: Mapping[str, Any],
                  results: Any, settings: Mapping[str, Any], seed: int | None) -> list[Path]:
    """Save each figure as ``<dir>/<stem><suffix>.png`` and ``<dir>/<stem>.json``; return the paths.

    ``figures`` maps a name suffix ('' or e.g. '-born') to a Figure;
    ``results`` holds every number plotted; ``settings`` the options that
    made them.  The JSON file records both plus library, torch and Python
    versions and the seed.  Every file is written atomically.
    """
    folder = ensure_dir(output_dir)
    written: list[Path] = []
    for suffix, fig in figures.items():
        written.append(save_figure(fig, folder / f"{stem}{suffix}.png"))
    payload = {"experiment": stem, **environment(seed), "settings": dict(settings),
               "figures": [p.name for p in written], "results": results}
    written.append(write_json(folder / f"{stem}.json", payload))
    return written


def settings_from_args(args: Any, keys: Sequence[str]) -> dict[str, Any]:
    """The CLI options ``keys`` read from ``args`` (an argparse Namespace) as a dict."""
    return {key: getattr(args, key) for key in keys if hasattr(args, key)}
