"""`actviz lab gradflow`: how the gradient flows back through a deep MLP, per activation.

For each activation (and initialisation), a deep MLP (``depth`` hidden layers
of ``width`` units, cross-entropy loss) sees a batch of real data (digits) or
Gaussian input.  Per hidden layer l it records the norm of the
back-propagated gradient ||dL/dz_l|| (z_l: the layer's pre-activation, the
signal backpropagation carries), the norm of the weight gradient, and the
mean, standard deviation and flat fraction (|f'(z)| < eps, read from the
registry's derivative) of the activations, at initialisation and again after
``steps`` of SGD.  With sigmoid the first layer's gradient is orders of
magnitude below the last's; tanh with Xavier and ReLU with He keep it within a
small factor; ReLU with Xavier shrinks it by about 1/sqrt(2) per layer
(Glorot and Bengio 2010; He et al. 2015).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import _locales, checks, registry
from ..errors import ActvizError
from . import common

HELP = "gradient norm per layer of a deep MLP: vanishing gradients, per activation"
DESCRIPTION = (
    "Per hidden layer of a deep MLP: the norm of the back-propagated gradient, and the mean, "
    "standard deviation and flat fraction of the activations, at initialisation and after "
    "--steps of training. Sigmoid's gradient vanishes towards the input; tanh with Xavier and "
    "ReLU with He keep it; ReLU with Xavier shrinks it layer by layer.")

AUTO = common.AUTO
INIT_CHOICES = common.INIT_CHOICES
auto_init = common.auto_init
resolve_init = common.resolve_init

#: A unit is "flat" where |f'(z)| < FLAT_EPS (saturated, or in a dead region).
FLAT_EPS = 1e-2


@dataclasses.dataclass
class Snapshot:
    """Per-hidden-layer measurements at one moment (lists indexed by layer, input side first).

    ``grad_norm``: ||dL/dz_l|| (Frobenius norm over the batch, loss averaged
    over the batch); ``weight_grad_norm``: ||dL/dW_l||; ``act_mean`` and
    ``act_std``: mean and standard deviation of f(z_l) over batch and units;
    ``flat_fraction``: fraction of entries with |f'(z_l)| < FLAT_EPS; ``loss``:
    the batch loss.
    """

    grad_norm: list[float]
    weight_grad_norm: list[float]
    act_mean: list[float]
    act_std: list[float]
    flat_fraction: list[float]
    loss: float


@dataclasses.dataclass
class GradflowRun:
    """One activation with one initialisation: snapshots at init and after training."""

    activation: str
    spec: str
    init: str
    status: str
    initial: Snapshot
    trained: Snapshot | None
    steps_done: int

    @property
    def first_last_ratio(self) -> float:
        """||dL/dz_1|| / ||dL/dz_depth|| at initialisation (1: no vanishing)."""
        g = self.initial.grad_norm
        return g[0] / g[-1] if g[-1] else math.nan


@dataclasses.dataclass
class GradflowResult:
    """Everything :func:`gradflow` measured, with the settings that made it."""

    depth: int
    width: int
    input: str
    batch: int
    steps: int
    lr: float
    seed: int
    runs: list[GradflowRun]


def _nan_snapshot(depth: int) -> Snapshot:
    nan = [math.nan] * depth
    return Snapshot(list(nan), list(nan), list(nan), list(nan), list(nan), math.nan)


def measure(model: Any, act: registry.BoundActivation, x: Any, y: Any) -> Snapshot:
    """Measure one batch ``(x, y)`` through :func:`common.build_mlp` ``model`` (no update)."""
    torch = common.require_torch()
    linears = common.hidden_linears(model)
    zs, hs = [], []
    h = x
    for i in range(len(linears)):
        z = model[2 * i](h)
        h = model[2 * i + 1](z)
        zs.append(z)
        hs.append(h)
    loss = torch.nn.functional.cross_entropy(model[-1](h), y)
    weights = [lin.weight for lin in linears]
    grads = torch.autograd.grad(loss, zs + weights)
    depth = len(linears)
    flat = []
    for z in zs:
        dz = act.grad(z.detach().cpu().double().numpy())
        flat.append(float(np.mean(np.abs(dz) < FLAT_EPS)))
    return Snapshot(
        grad_norm=[float(g.norm()) for g in grads[:depth]],
        weight_grad_norm=[float(g.norm()) for g in grads[depth:]],
        act_mean=[float(a.detach().mean()) for a in hs],
        act_std=[float(a.detach().std()) for a in hs],
        flat_fraction=flat,
        loss=float(loss.detach()),
    )


def _training_data(input_kind: str, seed: int, n_features: int) -> tuple[np.ndarray, np.ndarray]:
    if input_kind == "digits":
        data = common.load_digits_data()
        return data.x_train, data.y_train
    return common.input_batch("gaussian", 2048, seed=seed + 1, dim=n_features)


def gradflow(acts: Sequence[str | registry.BoundActivation] = common.DEFAULT_ACTS, *,
             inits: Sequence[str] = (AUTO,), depth: int = 10, width: int = 128,
             input: str = "digits", batch: int = 256, steps: int = 100, lr: float = 0.05,
             seed: int = 0, device: Any = "cpu",
             progress: common.ProgressCallback | None = None) -> GradflowResult:
    """Measure the gradient flow of a deep MLP for each activation and initialisation.

    ``acts``: specs or bound activations (default :data:`common.DEFAULT_ACTS`);
    ``inits``: initialisations, each of 'auto' (the one each activation was
    designed for, see :func:`auto_init`), 'default', 'xavier', 'he', 'lecun'
    (default ('auto',)); ``depth``: hidden layers (10); ``width``: units per
    hidden layer (128); ``input``: 'digits' (scikit-learn's digits, 64
    features) or 'gaussian' (standard normal, 64 features, random labels);
    ``batch``: size of the measured batch and of the SGD mini-batches (256);
    ``steps``: SGD steps before the second snapshot (100; 0 skips it);
    ``lr``: SGD learning rate (0.05); ``seed``: seeds weights and data order
    (0); ``device``: torch device ('cpu'); ``progress``: ``(done, total)``
    callback.  A run whose loss becomes nan or inf stops and is reported with
    status 'diverged'.
    """
    torch = common.require_torch()
    bound = common.resolve_activations(acts)
    for name, value in (("depth", depth), ("width", width), ("batch", batch)):
        checks.positive_int(value, name)
    checks.non_negative_int(steps, "steps")
    checks.positive_float(lr, "lr")
    if input not in common.INPUTS:
        raise ActvizError(f"unknown input {input!r}; choose one of {', '.join(common.INPUTS)}")
    inits = list(dict.fromkeys(inits))
    pairs = []
    for act in bound:
        for init in inits:
            pairs.append((act, resolve_init(init, act)))
    pairs = list(dict.fromkeys(pairs))
    device = torch.device(device)
    x_all, y_all = _training_data(input, seed, 64)
    order = common.rng(seed).permutation(len(x_all))
    x_train = torch.as_tensor(x_all[order], device=device)
    y_train = torch.as_tensor(y_all[order], device=device)
    n_classes = int(y_all.max()) + 1 if input == "digits" else 10
    tick = common.steps(progress, len(pairs) * (steps + 2))
    runs = []
    for act, init in pairs:
        with common.seeded(seed, device):
            model = common.build_mlp(x_train.shape[1], n_classes, width=width, depth=depth,
                                     activation=act, init=init, device=device)
        runs.append(_measure_training(model, act, init, x_train, y_train, batch=batch,
                                      steps=steps, lr=lr, tick=tick))
    if progress is not None:
        progress(len(pairs) * (steps + 2), len(pairs) * (steps + 2))
    return GradflowResult(depth=depth, width=width, input=input, batch=batch, steps=steps, lr=lr,
                          seed=seed, runs=runs)


def _measure_training(model: Any, act: registry.BoundActivation, init: str, x_train: Any,
                      y_train: Any, *, batch: int, steps: int, lr: float,
                      tick: Callable[[], None]) -> GradflowRun:
    """Snapshot ``model`` on the first batch, train it ``steps`` SGD steps, snapshot again."""
    x_batch, y_batch = x_train[:batch], y_train[:batch]
    initial = measure(model, act, x_batch, y_batch)
    tick()
    run_status = common.status(initial.loss, initial.grad_norm)
    trained = None
    done = 0
    if steps and run_status == common.OK:
        done = _sgd_steps(model, x_train, y_train, batch=batch, steps=steps, lr=lr, tick=tick)
        if done == steps:
            trained = measure(model, act, x_batch, y_batch)
            run_status = common.status(trained.loss, trained.grad_norm)
        else:
            run_status = common.DIVERGED
            trained = _nan_snapshot(len(common.hidden_linears(model)))
    tick()
    return GradflowRun(activation=act.label, spec=act.spec, init=init, status=run_status,
                       initial=initial, trained=trained, steps_done=done)


def _sgd_steps(model: Any, x_train: Any, y_train: Any, *, batch: int, steps: int, lr: float,
               tick: Callable[[], None]) -> int:
    """Plain SGD on consecutive mini-batches (wrapping around); the steps done before a
    non-finite loss stopped it (``steps`` when none did)."""
    import torch

    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    n = len(x_train)
    start = 0
    for done in range(steps):
        if start + batch > n:
            start = 0
        xb, yb = x_train[start:start + batch], y_train[start:start + batch]
        start += batch
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(xb), yb)
        if not common.is_finite(loss):
            return done
        loss.backward()
        optimizer.step()
        tick()
    return steps


# --------------------------------------------------------------------------- drawing

def _run_label(run: GradflowRun, lang: str, several_inits: bool) -> str:
    label = run.activation
    if several_inits:
        label += f" · {run.init}"
    if run.status == common.DIVERGED:
        label += f" ({_locales.text('lab.diverged', lang)})"
    return label


def _plot_layers(ax: Any, result: GradflowResult, attr: str, field: str, lang: str,
                 log: bool) -> None:
    styles = ["-", "--", ":", "-."]
    acts = list(dict.fromkeys(r.activation for r in result.runs))
    inits = list(dict.fromkeys(r.init for r in result.runs))
    colors = dict(zip(acts, common.act_colors(len(acts)), strict=True))
    layers = np.arange(1, result.depth + 1)
    for run in result.runs:
        snap = getattr(run, attr)
        if snap is None:
            continue
        values = np.asarray(getattr(snap, field), dtype=float)
        if log:
            values = np.where(values > 0, values, np.nan)
        ax.plot(layers, values, marker="o", markersize=3,
                linestyle=styles[inits.index(run.init) % len(styles)],
                color=colors[run.activation], label=_run_label(run, lang, len(inits) > 1))
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(_locales.text("lab.layer", lang))
    step = max(1, result.depth // 10)
    ax.set_xticks(layers[::step])


def draw_gradflow(result: GradflowResult, *, lang: str = "en", fig: Any = None) -> Any:
    """Draw ``result`` on a matplotlib Figure (new one unless ``fig`` is given) and return it.

    Panels: gradient norm per layer at initialisation and after training (log
    scale, one line per activation, line style per initialisation), the
    standard deviation of the activations and their flat fraction at
    initialisation.  ``lang``: 'en' or 'ja'.
    """
    _locales.check_lang(lang)
    t = lambda key, **kw: _locales.text(key, lang, **kw)  # noqa: E731
    fig = fig if fig is not None else common.new_figure((12.0, 8.0))
    axes = fig.subplots(2, 2)
    ax_g0, ax_g1, ax_std, ax_flat = axes.ravel()
    _plot_layers(ax_g0, result, "initial", "grad_norm", lang, log=True)
    ax_g0.set_title(t("lab.gradflow.grad_init"))
    ax_g0.set_ylabel(t("lab.gradflow.grad_norm"))
    if result.steps and any(r.trained is not None for r in result.runs):
        _plot_layers(ax_g1, result, "trained", "grad_norm", lang, log=True)
        ax_g1.set_title(t("lab.gradflow.grad_trained", steps=result.steps, lr=result.lr))
        ax_g1.set_ylabel(t("lab.gradflow.grad_norm"))
    else:
        ax_g1.set_axis_off()
    _plot_layers(ax_std, result, "initial", "act_std", lang, log=True)
    ax_std.set_title(t("lab.gradflow.std_init"))
    ax_std.set_ylabel(t("lab.gradflow.std"))
    _plot_layers(ax_flat, result, "initial", "flat_fraction", lang, log=False)
    ax_flat.set_ylim(-0.03, 1.03)
    ax_flat.set_title(t("lab.gradflow.flat_init", eps=FLAT_EPS))
    ax_flat.set_ylabel(t("lab.fraction"))
    handles, labels = ax_g0.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside right center", fontsize="small")
    fig.suptitle(t("lab.gradflow.title", depth=result.depth, width=result.width,
                   input=t(f"lab.input.{result.input}")))
    return fig


# --------------------------------------------------------------------------- command line

def add_arguments(parser: Any) -> None:
    """Options of ``actviz lab gradflow`` (the common ones are added by the command)."""
    from ..checks import non_negative_int_arg as non_negative_int
    from ..checks import positive_float_arg as positive_float
    from ..checks import positive_int_arg as positive_int

    parser.add_argument("--depth", type=positive_int, default=10,
                        help="hidden layers (default: 10)")
    parser.add_argument("--width", type=positive_int, default=128,
                        help="units per hidden layer (default: 128)")
    parser.add_argument("--init", nargs="+", choices=INIT_CHOICES, default=[AUTO],
                        help="weight initialisation(s); auto: xavier for sigmoid-like, lecun for "
                             "SELU, he otherwise (default: auto)")
    parser.add_argument("--input", choices=common.INPUTS, default="digits",
                        help="digits (scikit-learn's bundled digits) or gaussian (default: digits)")
    parser.add_argument("--batch", type=positive_int, default=256,
                        help="batch size (default: 256)")
    parser.add_argument("--steps", type=non_negative_int, default=100,
                        help="SGD steps before the second measurement; 0 skips it (default: 100)")
    parser.add_argument("--lr", type=positive_float, default=0.05, help="SGD learning rate (default: 0.05)")


SETTING_KEYS = ("acts", "init", "depth", "width", "input", "batch", "steps", "lr", "seed",
                "device", "threads", "lang")


def summary_lines(result: GradflowResult, lang: str = "en") -> list[str]:
    """One line per run: first/last gradient ratio at init, and the status."""
    lines = []
    for run in result.runs:
        ratio = run.first_last_ratio
        lines.append(_locales.text("lab.gradflow.summary", lang, act=run.activation,
                                   init=run.init, ratio=f"{ratio:.3g}",
                                   status=_locales.text(f"lab.status.{run.status}", lang)))
    return lines


def run_cli(args: Any) -> int:
    """Run ``actviz lab gradflow`` from parsed arguments; write PNG and JSON; return 0."""
    with common.progress_bar("gradflow", quiet=args.quiet) as progress:
        result = gradflow(args.acts, inits=args.init, depth=args.depth, width=args.width,
                          input=args.input, batch=args.batch, steps=args.steps, lr=args.lr,
                          seed=args.seed, device=args.device, progress=progress)
    with common.figure_context(args.lang):
        fig = draw_gradflow(result, lang=args.lang)
        paths = common.write_outputs(args.output, "gradflow", figures={"": fig}, results=result,
                                     settings=common.settings_from_args(args, SETTING_KEYS),
                                     seed=args.seed)
    common.report(summary_lines(result, args.lang), paths, quiet=args.quiet)
    return 0
