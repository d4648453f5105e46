"""`actviz lab speed`: time each activation's forward and backward pass per element.

For every activation, on one tensor of ``size`` float32 elements: the forward
pass, and the forward plus backward pass (the gradient of ``sum(f(x) * g)``
for a fixed random ``g``), in PyTorch (the registry's module) and in NumPy (the
registry's function and derivative: ``f(x)``, then ``f'(x) * g``).  Each is
timed ``repeats`` times after ``warmup`` runs, interleaved across activations
(so a slow moment of the machine hits every one alike), and the median is
kept.  Two references: ReLU, and a plain copy of the tensor (``x.clone()``;
``np.copy``), the memory-bandwidth floor of any elementwise operation that
writes a new tensor.  For forward plus backward the floor is two copies
(one for the output, one for the gradient).

The blog post this project started from says ReLU is cheap to compute; this
measures how cheap, and how close everything else comes to the floor.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import checks, registry
from .._locales import text
from .._text import text_table
from ..errors import ActvizError

HELP = "time the forward and backward pass of each activation per element (PyTorch, NumPy)"
DESCRIPTION = (
    "Time each activation's forward pass, and forward plus backward pass, per element of one "
    "large tensor, in PyTorch and with the registry's NumPy functions: median of repeats after "
    "warm-up, relative to ReLU and to a plain copy of the tensor (the memory-bandwidth floor). "
    "Draws bars sorted by cost.")

#: The default ``--acts``: every activation with a PyTorch counterpart, registry order.
DEFAULT_ACTS: tuple[str, ...] = tuple(
    name for name in registry.names() if registry.get_definition(name).torch is not None)

BACKENDS = ("torch", "numpy")
COPY = "copy"
REFERENCE = "relu"

__all__ = ["BACKENDS", "SpeedResults", "Timing", "add_arguments", "draw_speed", "measure_speed",
           "run_cli", "speed_table"]


@dataclasses.dataclass(frozen=True)
class Timing:
    """Median seconds of one activation on one backend: ``forward`` and ``forward_backward``.

    ``label``/``display_name`` name it ('copy' for the reference copy);
    ``size`` the number of elements; ``forward_samples`` and
    ``backward_samples`` every timed repeat (seconds).
    """

    label: str
    display_name: str
    backend: str
    size: int
    forward: float
    forward_backward: float
    forward_samples: tuple[float, ...]
    backward_samples: tuple[float, ...]

    @property
    def forward_ns(self) -> float:
        """Forward time per element in nanoseconds."""
        return self.forward / self.size * 1e9

    @property
    def forward_backward_ns(self) -> float:
        """Forward plus backward time per element in nanoseconds."""
        return self.forward_backward / self.size * 1e9


@dataclasses.dataclass
class SpeedResults:
    """Timings per backend (``{'torch': [Timing, ...], 'numpy': [...]}``) and the settings."""

    settings: dict[str, Any]
    timings: dict[str, list[Timing]]

    def reference(self, backend: str, label: str) -> Timing:
        for t in self.timings[backend]:
            if t.label == label:
                return t
        raise KeyError(label)

    def relative(self, backend: str, to: str = REFERENCE) -> list[dict[str, Any]]:
        """Each activation's times relative to ``to`` ('relu' or 'copy'), sorted by fwd+bwd cost."""
        ref = self.reference(backend, to)
        rows = []
        for t in self.timings[backend]:
            rows.append({"label": t.label, "display_name": t.display_name,
                         "forward": t.forward / ref.forward,
                         "forward_backward": t.forward_backward / ref.forward_backward})
        return sorted(rows, key=lambda r: r["forward_backward"])

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for backend, timings in self.timings.items():
            relu = self.reference(backend, REFERENCE)
            copy = self.reference(backend, COPY)
            out[backend] = [{
                "label": t.label, "display_name": t.display_name,
                "forward_seconds": t.forward, "forward_backward_seconds": t.forward_backward,
                "forward_ns_per_element": t.forward_ns,
                "forward_backward_ns_per_element": t.forward_backward_ns,
                "forward_vs_relu": t.forward / relu.forward,
                "forward_backward_vs_relu": t.forward_backward / relu.forward_backward,
                "forward_vs_copy": t.forward / copy.forward,
                "forward_backward_vs_copy": t.forward_backward / copy.forward_backward,
                "forward_samples": list(t.forward_samples),
                "forward_backward_samples": list(t.backward_samples),
            } for t in sorted(timings, key=lambda t: t.forward_backward)]
        return out


def _clock(device) -> Callable[[], float]:
    import torch

    if getattr(device, "type", str(device)) == "cuda":
        def clock() -> float:
            torch.cuda.synchronize()
            return time.perf_counter()
        return clock
    return time.perf_counter


def _torch_jobs(acts, size: int, device, seed: int):
    """``label -> (forward(), forward_backward())`` closures for PyTorch."""
    import torch

    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(size, generator=generator).to(device)
    g = torch.randn(size, generator=generator).to(device)
    leaf = x.detach().clone().requires_grad_(True)

    def pair(module):
        def forward():
            with torch.no_grad():
                module(x)

        def forward_backward():
            leaf.grad = None
            module(leaf).backward(g)

        return forward, forward_backward

    def copy_forward():
        x.clone()

    def copy_forward_backward():
        # the floor: one tensor written forward, one written backward
        x.clone()
        g.clone()

    jobs = {COPY: (copy_forward, copy_forward_backward)}
    for act in acts:
        jobs[act.label] = pair(act.torch_module().to(device))
    return jobs


def _numpy_jobs(acts, size: int, seed: int):
    """``label -> (forward(), forward_backward())`` closures for the registry's NumPy functions."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(size).astype(np.float32)
    g = rng.standard_normal(size).astype(np.float32)

    def pair(act):
        def forward():
            act(x)

        def forward_backward():
            act(x)
            act.grad(x) * g

        return forward, forward_backward

    def copy_forward():
        np.copy(x)

    def copy_forward_backward():
        np.copy(x)
        np.copy(g)

    jobs = {COPY: (copy_forward, copy_forward_backward)}
    for act in acts:
        jobs[act.label] = pair(act)
    return jobs


def measure_speed(acts: Sequence[Any] = DEFAULT_ACTS, *, size: int = 1_000_000,
                  repeats: int = 15, warmup: int = 3, device: Any = "cpu",
                  backends: Sequence[str] = BACKENDS, seed: int = 0,
                  progress: Callable[[int, int], None] | None = None) -> SpeedResults:
    """Time forward and forward+backward of each activation in ``acts`` on ``size`` elements.

    ``acts``: specs with a PyTorch counterpart (default: all of them; ReLU is
    added as the reference if missing); ``size``: elements of the float32
    input (default 1,000,000); ``repeats``: timed runs, the median is kept
    (default 15); ``warmup``: untimed runs first (default 3); ``device``:
    'cpu' or 'cuda' (PyTorch only; NumPy always runs on the CPU);
    ``backends``: 'torch' and/or 'numpy'; ``seed`` draws the input (default 0);
    ``progress(done, total)`` is called after each round.
    Runs are interleaved: round r times every activation once.
    """
    from . import common

    checks.positive_int(size, "size")
    checks.positive_int(repeats, "repeats")
    checks.non_negative_int(warmup, "warmup")
    unknown = [b for b in backends if b not in BACKENDS]
    if unknown or not backends:
        raise ActvizError(f"unknown backend {unknown[0] if unknown else ''!r}; choose from "
                          f"{', '.join(BACKENDS)}")
    bound = common.resolve_activations([*acts])
    if REFERENCE not in {a.label for a in bound}:
        bound.insert(0, registry.get(REFERENCE))
    names = {COPY: text("lab.speed.copy", "en")}
    names.update({a.label: common.display_name(a) for a in bound})
    torch_device = common.resolve_device(str(device)) if "torch" in backends else None
    results: dict[str, list[Timing]] = {}
    total = len(backends) * (warmup + repeats)
    done = 0
    for backend in backends:
        if backend == "torch":
            jobs = _torch_jobs(bound, size, torch_device, seed)
            clock = _clock(torch_device)
        else:
            jobs = _numpy_jobs(bound, size, seed)
            clock = time.perf_counter
        samples = {label: ([], []) for label in jobs}
        with np.errstate(all="ignore"):
            for round_ in range(warmup + repeats):
                for label, (forward, forward_backward) in jobs.items():
                    for job, store in ((forward, samples[label][0]),
                                       (forward_backward, samples[label][1])):
                        start = clock()
                        job()
                        elapsed = clock() - start
                        if round_ >= warmup:
                            store.append(elapsed)
                done += 1
                if progress is not None:
                    progress(done, total)
        results[backend] = [
            Timing(label, names[label], backend, size, float(np.median(fw)), float(np.median(fb)),
                   tuple(fw), tuple(fb))
            for label, (fw, fb) in samples.items()]
    settings = {"size": size, "repeats": repeats, "warmup": warmup, "device": str(device),
                "backends": list(backends), "acts": [a.label for a in bound], "seed": seed,
                "dtype": "float32", "torch_threads": _torch_threads()}
    return SpeedResults(settings, results)


def _torch_threads() -> int | None:
    try:
        import torch
    except ImportError:  # pragma: no cover
        return None
    return torch.get_num_threads()


# --------------------------------------------------------------------------- table

def speed_table(results: SpeedResults, lang: str = "en") -> str:
    """The timings as plain-text tables (one per backend), sorted by forward+backward cost."""
    out = []
    for backend, timings in results.timings.items():
        relu = results.reference(backend, REFERENCE)
        copy = results.reference(backend, COPY)
        head = [f"{text('lab.speed.col.activation', lang)} [{_backend_name(backend)}]",
                text("lab.speed.col.forward", lang), text("lab.speed.col.backward", lang),
                text("lab.speed.col.vs_relu", lang) + " fwd",
                text("lab.speed.col.vs_relu", lang) + " f+b",
                text("lab.speed.col.vs_copy", lang) + " fwd",
                text("lab.speed.col.vs_copy", lang) + " f+b"]
        rows = []
        for t in sorted(timings, key=lambda t: t.forward_backward):
            name = text("lab.speed.copy", lang) if t.label == COPY else t.display_name
            rows.append([name, f"{t.forward_ns:.2f}", f"{t.forward_backward_ns:.2f}",
                         f"{t.forward / relu.forward:.2f}",
                         f"{t.forward_backward / relu.forward_backward:.2f}",
                         f"{t.forward / copy.forward:.2f}",
                         f"{t.forward_backward / copy.forward_backward:.2f}"])
        out += [*text_table(head, rows), ""]
    s = results.settings
    out.append(text("lab.speed.note", lang, repeats=s["repeats"], warmup=s["warmup"]))
    return "\n".join(out)


def _backend_name(backend: str) -> str:
    return {"torch": "PyTorch", "numpy": "NumPy"}[backend]


# --------------------------------------------------------------------------- drawing

def draw_speed(results: SpeedResults, lang: str = "en"):
    """Bars of forward and forward+backward time per element, sorted by cost, one panel per backend.

    The x axis is nanoseconds per element; each forward+backward bar is
    labelled with its cost relative to ReLU.  Solid lines mark ReLU, dashed
    lines a plain copy of the tensor (the memory-bandwidth floor), each in the
    colour of its pass.  Call inside :func:`actviz.lab.common.figure_context`.
    """
    from . import common

    backends = list(results.timings)
    count = max(len(t) for t in results.timings.values())
    fig = common.new_figure(figsize=(6.4 * len(backends), 1.4 + 0.36 * count))
    axes = fig.subplots(1, len(backends), squeeze=False)[0]
    colors = {"forward": "#4C72B0", "forward_backward": "#DD8452"}
    for ax, backend in zip(axes, backends, strict=True):
        timings = sorted(results.timings[backend], key=lambda t: t.forward_backward)
        relu = results.reference(backend, REFERENCE)
        copy = results.reference(backend, COPY)
        y = np.arange(len(timings))
        height = 0.4
        fw = [t.forward_ns for t in timings]
        fb = [t.forward_backward_ns for t in timings]
        ax.barh(y - height / 2, fw, height, color=colors["forward"],
                label=text("lab.speed.forward", lang))
        ax.barh(y + height / 2, fb, height, color=colors["forward_backward"],
                label=text("lab.speed.backward", lang))
        for yi, t in zip(y, timings, strict=True):
            ax.text(t.forward_backward_ns, yi + height / 2,
                    f" ×{t.forward_backward / relu.forward_backward:.2f}", va="center",
                    fontsize="x-small")
        labels = [text("lab.speed.copy", lang) if t.label == COPY else t.display_name
                  for t in timings]
        ax.set_yticks(y, labels)
        for tick, t in zip(ax.get_yticklabels(), timings, strict=True):
            if t.label in (COPY, REFERENCE):  # colour, not bold: IPAexGothic has no bold
                tick.set_color("#B00020")
        ax.invert_yaxis()
        for key, ref_relu, ref_copy in (("forward", relu.forward_ns, copy.forward_ns),
                                        ("forward_backward", relu.forward_backward_ns,
                                         copy.forward_backward_ns)):
            ax.axvline(ref_relu, color=colors[key], linewidth=1.2, alpha=0.8)
            ax.axvline(ref_copy, color=colors[key], linewidth=1.2, linestyle="--", alpha=0.8)
        ax.set_title(_backend_name(backend), fontsize="medium")
        ax.set_xlabel(text("lab.speed.axis", lang))
        ax.set_xlim(0, max(max(fb), max(fw)) * 1.15)
        ax.grid(True, axis="x")
        ax.grid(False, axis="y")
        ax.legend(loc="upper right", fontsize="small", framealpha=1.0,
                  title=text("lab.speed.legend", lang), title_fontsize="x-small")
    s = results.settings
    fig.suptitle(text("lab.speed.title", lang, backend=", ".join(
        _backend_name(b) for b in backends), size=f"{s['size']:,}", device=s["device"]))
    return fig


# --------------------------------------------------------------------------- CLI

def add_arguments(parser) -> None:
    """Add the options of ``actviz lab speed`` (the common lab options are already there)."""
    from ..checks import non_negative_int_arg as non_negative_int
    from ..checks import positive_int_arg as positive_int

    parser.add_argument("--size", type=positive_int, default=1_000_000,
                        help="elements of the float32 input tensor (default: 1000000)")
    parser.add_argument("--repeats", type=positive_int, default=15,
                        help="timed runs per activation; the median is kept (default: 15)")
    parser.add_argument("--warmup", type=non_negative_int, default=3,
                        help="untimed runs first (default: 3)")
    parser.add_argument("--backend", dest="backends", nargs="+", choices=BACKENDS,
                        default=list(BACKENDS),
                        help="what to time: torch, numpy or both (default: both)")


def run_cli(args) -> int:
    """Run ``actviz lab speed`` from parsed arguments: time, print the table, write PNG + JSON."""

    from . import common

    device = common.resolve_device(args.device)
    with common.progress_bar("speed", quiet=args.quiet) as bar:
        results = measure_speed(args.acts, size=args.size, repeats=args.repeats,
                                warmup=args.warmup, device=device, backends=args.backends,
                                seed=args.seed, progress=bar)
    with common.figure_context(args.lang):
        fig = draw_speed(results, args.lang)
        written = common.write_outputs(args.output, "speed", figures={"": fig},
                                       results=results.as_dict(),
                                       settings={**results.settings, "lang": args.lang},
                                       seed=args.seed)
    common.report([speed_table(results, args.lang)], written, quiet=args.quiet)
    return 0

