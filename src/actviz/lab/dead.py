"""`actviz lab dead`: ReLU networks born dead, and ReLU units dying during training.

1. Born dead (:func:`born_dead`): the probability that a randomly initialised
   network is dead at initialisation, i.e. some hidden layer outputs exactly
   zero for every input (the network is then a constant function), estimated
   by Monte Carlo over a grid of depth x width with symmetric He
   initialisation.  Narrow deep ReLU networks die almost surely (width 2,
   depth 20: close to 1), wide ones rarely; Leaky ReLU never, because its
   output is never exactly zero (Lu, Shin, Su and Karniadakis 2020, "Dying
   ReLU and initialization: theory and numerical examples").
2. Dying in training (:func:`dying_in_training`): an MLP learns the digits
   with SGD at learning rates from small to too large; after each epoch, per
   hidden layer, the fraction of dead units (output zero for every training
   input, so their weights get no gradient ever again).  Large steps kill
   ReLU units; Leaky ReLU units cannot die.  Runs that diverge (nan or inf)
   are reported as diverged.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import _locales, checks, registry
from ..checks import positive_float_arg as positive_float
from ..errors import ActvizError
from . import common

HELP = "ReLU networks born dead at initialisation, and units dying in training"
DESCRIPTION = (
    "Born dead: Monte Carlo probability that a network has a layer that outputs zero for every "
    "input at initialisation, over a grid of depth and width (He initialisation). Dying in "
    "training: fraction of dead units per layer and epoch while learning the digits with SGD "
    "at several learning rates. ReLU against Leaky ReLU.")

DEFAULT_ACTS = ("relu", "leaky_relu:negative_slope=0.1")
PARTS = ("born", "training", "both")
BIASES = ("normal", "zero")

DEFAULT_DEPTHS = (1, 2, 5, 10, 20, 50)
DEFAULT_WIDTHS = (2, 3, 4, 8, 16, 32)
DEFAULT_LRS = (0.01, 0.1, 0.5, 1.0)


# --------------------------------------------------------------------------- born dead

@dataclasses.dataclass
class BornDeadResult:
    """Monte Carlo estimate of the probability of being born dead.

    ``probability[activation][i][j]``: fraction of ``trials`` networks of
    depth ``depths[i]`` and width ``widths[j]`` with a hidden layer that
    outputs zero for every one of the ``inputs`` points; ``stderr`` the
    binomial standard error sqrt(p(1-p)/trials).
    """

    activations: list[str]
    depths: list[int]
    widths: list[int]
    trials: int
    inputs: int
    in_features: int
    bias: str
    seed: int
    probability: dict[str, list[list[float]]]
    stderr: dict[str, list[list[float]]]

    def p(self, activation: str, depth: int, width: int) -> float:
        """The estimated probability for one activation label, depth and width."""
        return self.probability[activation][self.depths.index(depth)][self.widths.index(width)]


def _cell_generator(seed: int, width: int) -> Any:
    torch = common.require_torch()
    state = np.random.SeedSequence([seed, width]).generate_state(1)[0]
    return torch.Generator().manual_seed(int(state))


def born_dead(acts: Sequence[str | registry.BoundActivation] = DEFAULT_ACTS, *,
              depths: Sequence[int] = DEFAULT_DEPTHS, widths: Sequence[int] = DEFAULT_WIDTHS,
              trials: int = 500, inputs: int = 128, in_features: int = 1,
              bias: str = "normal", seed: int = 0, device: Any = "cpu",
              progress: common.ProgressCallback | None = None) -> BornDeadResult:
    """Estimate the probability that a network is dead at initialisation, per depth and width.

    Each of ``trials`` networks (per width) gets He-normal weights (std
    gain/sqrt(fan_in), gain from :func:`common.he_gain`) and, with
    ``bias='normal'``, biases from the same symmetric normal distribution
    (``'zero'``: no bias); it sees ``inputs`` points drawn uniformly from
    [-sqrt(3), sqrt(3)]^in_features (variance 1).  A network of depth d is
    dead if one of its first d hidden layers outputs exactly 0 for every
    input; the first d layers of a deeper network are a network of depth d,
    so one pass to max(depths) per width gives every depth.  The same random
    numbers serve every activation (a fair comparison), and each width has
    its own stream from ``seed``, so the numbers do not depend on the rest of
    the grid.

    ``acts``: specs (default relu, leaky_relu slope 0.1); ``depths``,
    ``widths``: the grid (default 1..50 x 2..32); ``trials``: networks per
    cell (500); ``inputs``: input points (128); ``in_features``: input
    dimension (1, as in Lu et al.'s examples); ``bias``: 'normal' or 'zero';
    ``seed`` (0); ``device`` ('cpu'); ``progress``: ``(done, total)`` callback.
    """
    torch = common.require_torch()
    bound = common.resolve_activations(acts)
    depths = sorted({checks.positive_int(d, "depth") for d in depths})
    widths = sorted({checks.positive_int(w, "width") for w in widths})
    if not depths or not widths:
        raise ActvizError("give at least one depth and one width")
    for name, value in (("trials", trials), ("inputs", inputs), ("in_features", in_features)):
        checks.positive_int(value, name)
    if bias not in BIASES:
        raise ActvizError(f"unknown bias {bias!r}; choose one of {', '.join(BIASES)}")
    device = torch.device(device)
    max_depth = max(depths)
    tick = common.steps(progress, len(widths) * max_depth)
    prob: dict[str, list[list[float]]] = {a.label: [[math.nan] * len(widths) for _ in depths]
                                          for a in bound}
    err: dict[str, list[list[float]]] = {a.label: [[math.nan] * len(widths) for _ in depths]
                                         for a in bound}
    modules = [a.torch_module().to(device) for a in bound]
    with torch.no_grad():
        for j, width in enumerate(widths):
            gen = _cell_generator(seed, width)
            x = (torch.rand(trials, inputs, in_features, generator=gen) * 2 - 1) * math.sqrt(3)
            hs = [x.to(device) for _ in bound]
            dead_by = [torch.zeros(trials, dtype=torch.bool, device=device) for _ in bound]
            fan_in = in_features
            for layer in range(1, max_depth + 1):
                w = torch.randn(trials, fan_in, width, generator=gen).to(device)
                b = torch.randn(trials, 1, width, generator=gen).to(device)
                for k, act in enumerate(bound):
                    scale = common.he_gain(act) / math.sqrt(fan_in)
                    z = hs[k] @ (w * scale)
                    if bias == "normal":
                        z = z + b * scale
                    hs[k] = modules[k](z)
                    dead_by[k] |= (hs[k] == 0).flatten(1).all(dim=1)
                if layer in depths:
                    i = depths.index(layer)
                    for k, act in enumerate(bound):
                        p = float(dead_by[k].double().mean())
                        prob[act.label][i][j] = p
                        err[act.label][i][j] = math.sqrt(p * (1 - p) / trials)
                fan_in = width
                tick()
    return BornDeadResult(activations=[a.label for a in bound], depths=depths, widths=widths,
                          trials=trials, inputs=inputs, in_features=in_features, bias=bias,
                          seed=seed, probability=prob, stderr=err)


def born_dead_table(result: BornDeadResult, lang: str = "en") -> str:
    """The probabilities as a Markdown table per activation (rows: depth, columns: width)."""
    t = lambda key, **kw: _locales.text(key, lang, **kw)  # noqa: E731
    out = []
    for act in result.activations:
        out.append(f"{t('lab.dead.table_title', act=act, trials=result.trials)}\n")
        out.append("| " + t("lab.dead.depth_width") + " | "
                   + " | ".join(str(w) for w in result.widths) + " |")
        out.append("|---:|" + "---:|" * len(result.widths))
        for i, depth in enumerate(result.depths):
            cells = " | ".join(f"{p:.3f}" for p in result.probability[act][i])
            out.append(f"| {depth} | {cells} |")
        out.append("")
    return "\n".join(out)


def draw_born_dead(result: BornDeadResult, *, lang: str = "en", fig: Any = None) -> Any:
    """Heatmaps of the born-dead probability (depth x width), one per activation; returns the Figure."""
    _locales.check_lang(lang)
    t = lambda key, **kw: _locales.text(key, lang, **kw)  # noqa: E731
    n = len(result.activations)
    fig = fig if fig is not None else common.new_figure((4.6 * n + 1.2, 4.8))
    axes = np.atleast_1d(fig.subplots(1, n, squeeze=False)[0])
    image = None
    for ax, act in zip(axes, result.activations, strict=True):
        data = np.asarray(result.probability[act], dtype=float)
        image = ax.imshow(data, origin="lower", cmap="Reds", vmin=0.0, vmax=1.0, aspect="auto")
        ax.set_xticks(range(len(result.widths)), [str(w) for w in result.widths])
        ax.set_yticks(range(len(result.depths)), [str(d) for d in result.depths])
        ax.grid(False)
        for i in range(len(result.depths)):
            for j in range(len(result.widths)):
                p = data[i, j]
                ax.text(j, i, f"{p:.2f}", ha="center", va="center", fontsize="small",
                        color="white" if p > 0.6 else "black")
        ax.set_xlabel(t("lab.dead.width"))
        ax.set_ylabel(t("lab.dead.depth"))
        ax.set_title(act)
    fig.colorbar(image, ax=list(axes), label=t("lab.dead.probability"), shrink=0.9)
    fig.suptitle(t("lab.dead.born_title") + "\n" + t(
        "lab.dead.born_subtitle", trials=result.trials, inputs=result.inputs,
        bias=t(f"lab.dead.bias.{result.bias}")), fontsize="medium")
    return fig


# --------------------------------------------------------------------------- dying in training

@dataclasses.dataclass
class TrainingRun:
    """One activation at one learning rate.

    ``dead[e][l]``: fraction of units of hidden layer l whose output is
    exactly 0 for every training input after epoch e (e = 0: at
    initialisation); ``inactive[e][l]``: fraction whose pre-activation is
    <= 0 for every training input (for ReLU the same as dead; a Leaky ReLU
    unit there still passes gradient and can come back); ``test_accuracy[e]``
    and ``train_loss[e]`` after epoch e; ``status`` 'ok' or 'diverged' with
    ``diverged_epoch`` the epoch in which the loss became nan or inf (later
    values are nan).
    """

    activation: str
    spec: str
    lr: float
    status: str
    diverged_epoch: int | None
    dead: list[list[float]]
    inactive: list[list[float]]
    test_accuracy: list[float]
    train_loss: list[float]


@dataclasses.dataclass
class DyingResult:
    """Everything :func:`dying_in_training` measured, with its settings."""

    activations: list[str]
    lrs: list[float]
    epochs: int
    depth: int
    width: int
    batch: int
    init: str
    seed: int
    runs: list[TrainingRun]

    def run(self, activation: str, lr: float) -> TrainingRun:
        """The run for activation label (or spec) ``activation`` at learning rate ``lr``."""
        for r in self.runs:
            if activation in (r.activation, r.spec) and r.lr == lr:
                return r
        raise KeyError((activation, lr))


def _dead_fractions(model: Any, x: Any) -> tuple[list[float], list[float], bool]:
    torch = common.require_torch()
    dead, inactive = [], []
    finite = True
    with torch.no_grad():
        h = x
        for i in range(len(common.hidden_linears(model))):
            z = model[2 * i](h)
            h = model[2 * i + 1](z)
            finite = finite and common.is_finite(z)
            dead.append(float((h == 0).all(dim=0).double().mean()))
            inactive.append(float((z <= 0).all(dim=0).double().mean()))
    return dead, inactive, finite


def _record(record: dict[str, list[Any]], model: Any, data_tensors: tuple[Any, ...], depth: int,
            finite: bool) -> bool:
    """Append dead/inactive fractions, test accuracy and training loss (nan if not finite)."""
    torch = common.require_torch()
    x_train, y_train, x_test, y_test = data_tensors
    if finite:
        dead, inactive, finite = _dead_fractions(model, x_train)
        with torch.no_grad():
            loss = float(torch.nn.functional.cross_entropy(model(x_train), y_train))
            acc = float((model(x_test).argmax(dim=1) == y_test).double().mean())
        finite = finite and math.isfinite(loss)
    if not finite:
        dead = inactive = [math.nan] * depth
        loss = acc = math.nan
    record["dead"].append(list(dead))
    record["inactive"].append(list(inactive))
    record["loss"].append(loss)
    record["acc"].append(acc)
    return finite


def dying_in_training(acts: Sequence[str | registry.BoundActivation] = DEFAULT_ACTS, *,
                      lrs: Sequence[float] = DEFAULT_LRS, epochs: int = 10, depth: int = 4,
                      width: int = 64, batch: int = 32, init: str = "he", seed: int = 0,
                      device: Any = "cpu",
                      progress: common.ProgressCallback | None = None) -> DyingResult:
    """Train an MLP on the digits at each learning rate; track dead units per layer and epoch.

    ``acts``: specs (default relu, leaky_relu slope 0.1); ``lrs``: SGD
    learning rates, small to too large (default 0.01, 0.1, 0.5, 1.0);
    ``epochs``: passes over the 1348 training images (10); ``depth``,
    ``width``: hidden layers and units (4 x 64); ``batch``: mini-batch size
    (32); ``init``: weight initialisation ('he'; see :data:`common.INIT_CHOICES`);
    ``seed``: weights and batch order, the same for every activation and rate
    (0); ``device`` ('cpu'); ``progress``: ``(done, total)`` callback.
    """
    torch = common.require_torch()
    bound = common.resolve_activations(acts)
    lrs = [checks.positive_float(lr, "lr") for lr in dict.fromkeys(lrs)]
    if not lrs:
        raise ActvizError("give at least one learning rate")
    checks.non_negative_int(epochs, "epochs")
    for name, value in (("depth", depth), ("width", width), ("batch", batch)):
        checks.positive_int(value, name)
    device = torch.device(device)
    data = common.load_digits_data()
    data_tensors = data.tensors(device)
    x_train, y_train = data_tensors[0], data_tensors[1]
    n = len(x_train)
    orders = [torch.as_tensor(common.rng(seed + 1000 * (e + 1)).permutation(n), device=device)
              for e in range(epochs)]
    tick = common.steps(progress, len(bound) * len(lrs) * max(epochs, 1))
    runs = []
    for act in bound:
        act_init = common.resolve_init(init, act)
        for lr in lrs:
            with common.seeded(seed, device):
                model = common.build_mlp(data.n_features, data.n_classes, width=width,
                                         depth=depth, activation=act, init=act_init,
                                         device=device)
            optimizer = torch.optim.SGD(model.parameters(), lr=lr)
            record: dict[str, list[Any]] = {"dead": [], "inactive": [], "acc": [], "loss": []}
            run_status, diverged_epoch = common.OK, None
            finite = _record(record, model, data_tensors, depth, True)
            for epoch in range(1, epochs + 1):
                if run_status == common.OK:
                    order = orders[epoch - 1]
                    for start in range(0, n, batch):
                        idx = order[start:start + batch]
                        optimizer.zero_grad()
                        loss = torch.nn.functional.cross_entropy(model(x_train[idx]),
                                                                 y_train[idx])
                        if not common.is_finite(loss):
                            finite = False
                            break
                        loss.backward()
                        optimizer.step()
                    finite = _record(record, model, data_tensors, depth, finite)
                    if not finite:
                        run_status, diverged_epoch = common.DIVERGED, epoch
                else:
                    _record(record, model, data_tensors, depth, False)
                tick()
            runs.append(TrainingRun(activation=act.label, spec=act.spec, lr=lr, status=run_status,
                                    diverged_epoch=diverged_epoch, dead=record["dead"],
                                    inactive=record["inactive"], test_accuracy=record["acc"],
                                    train_loss=record["loss"]))
    return DyingResult(activations=[a.label for a in bound], lrs=lrs, epochs=epochs, depth=depth,
                       width=width, batch=batch, init=init, seed=seed, runs=runs)


def draw_dying(result: DyingResult, *, lang: str = "en", fig: Any = None) -> Any:
    """Dead fraction per layer over epochs: a row per activation, a column per learning rate.

    Solid lines: dead units (output 0 for every training input), one colour
    per layer; thin dashed lines: units whose pre-activation is <= 0 for every
    input (for ReLU the same units; a Leaky ReLU unit there still learns).
    Each panel notes the final test accuracy, or shades the epochs after the
    run diverged.  Returns the Figure.
    """
    _locales.check_lang(lang)
    t = lambda key, **kw: _locales.text(key, lang, **kw)  # noqa: E731
    rows, cols = len(result.activations), len(result.lrs)
    fig = fig if fig is not None else common.new_figure((3.3 * cols + 2.2, 2.9 * rows + 0.8))
    axes = fig.subplots(rows, cols, squeeze=False, sharex=True, sharey=True)
    from matplotlib import colormaps

    cmap = colormaps["viridis"]
    colors = [cmap(0.85 * i / max(result.depth - 1, 1)) for i in range(result.depth)]
    epochs = np.arange(result.epochs + 1)
    for r, act in enumerate(result.activations):
        for c, lr in enumerate(result.lrs):
            ax = axes[r, c]
            run = result.run(act, lr)
            dead = np.asarray(run.dead, dtype=float)
            inactive = np.asarray(run.inactive, dtype=float)
            for layer in range(result.depth):
                ax.plot(epochs, inactive[:, layer], color=colors[layer], linestyle="--",
                        linewidth=0.9, alpha=0.8)
                ax.plot(epochs, dead[:, layer], color=colors[layer], marker="o", markersize=2.5,
                        label=t("lab.dead.layer", layer=layer + 1))
            if run.status == common.DIVERGED:
                ax.axvspan(run.diverged_epoch - 1, max(result.epochs, 1), color="0.85",
                           zorder=0)
                note = t("lab.dead.note_diverged", epoch=run.diverged_epoch)
            else:
                note = t("lab.dead.note_accuracy", acc=f"{run.test_accuracy[-1]:.2f}")
            ax.text(0.03, 0.96, note, transform=ax.transAxes, va="top", ha="left",
                    fontsize="small", bbox={"boxstyle": "round", "fc": "white", "ec": "0.8",
                                            "alpha": 0.9})
            if r == 0:
                ax.set_title(t("lab.dead.lr_title", lr=f"{lr:g}"), fontsize="medium")
            ax.set_ylim(-0.03, 1.03)
            ax.set_xlim(0, max(result.epochs, 1))
            if r == rows - 1:
                ax.set_xlabel(t("lab.dead.epoch"))
            if c == 0:
                ax.set_ylabel(f"{act}\n{t('lab.dead.dead_fraction')}", fontsize="small")
    from matplotlib.lines import Line2D

    handles, labels = axes[0, 0].get_legend_handles_labels()
    handles += [Line2D([], [], color="0.3", marker="o", markersize=2.5),
                Line2D([], [], color="0.3", linestyle="--", linewidth=0.9)]
    labels += [t("lab.dead.legend_dead"), t("lab.dead.legend_inactive")]
    fig.legend(handles, labels, loc="outside right center", fontsize="small")
    fig.suptitle(t("lab.dead.training_title", depth=result.depth, width=result.width,
                   batch=result.batch))
    return fig


# --------------------------------------------------------------------------- command line



def add_arguments(parser: Any) -> None:
    """Options of ``actviz lab dead`` (the common ones are added by the command)."""
    from ..checks import positive_int_arg as positive_int

    parser.add_argument("--part", choices=PARTS, default="both",
                        help="born (dead at initialisation), training (dying in training) or both "
                             "(default: both)")
    born = parser.add_argument_group("born dead")
    born.add_argument("--depths", nargs="+", type=positive_int, default=list(DEFAULT_DEPTHS),
                      metavar="N", help="depths of the grid (default: "
                                        f"{' '.join(map(str, DEFAULT_DEPTHS))})")
    born.add_argument("--widths", nargs="+", type=positive_int, default=list(DEFAULT_WIDTHS),
                      metavar="N", help="widths of the grid (default: "
                                        f"{' '.join(map(str, DEFAULT_WIDTHS))})")
    born.add_argument("--trials", type=positive_int, default=500,
                      help="random networks per cell (default: 500)")
    born.add_argument("--inputs", type=positive_int, default=128,
                      help="input points each network sees (default: 128)")
    born.add_argument("--in-features", type=positive_int, default=1,
                      help="input dimension (default: 1)")
    born.add_argument("--bias", choices=BIASES, default="normal",
                      help="biases: normal (symmetric, He-scaled) or zero (default: normal)")
    train = parser.add_argument_group("dying in training")
    train.add_argument("--lrs", nargs="+", type=positive_float, default=list(DEFAULT_LRS),
                       metavar="LR", help="SGD learning rates (default: "
                                          f"{' '.join(map(str, DEFAULT_LRS))})")
    train.add_argument("--epochs", type=positive_int, default=10, help="epochs (default: 10)")
    train.add_argument("--depth", type=positive_int, default=4,
                       help="hidden layers of the trained MLP (default: 4)")
    train.add_argument("--width", type=positive_int, default=64,
                       help="units per hidden layer of the trained MLP (default: 64)")
    train.add_argument("--batch", type=positive_int, default=32,
                       help="mini-batch size (default: 32)")
    train.add_argument("--init", choices=common.INIT_CHOICES, default="he",
                       help="weight initialisation of the trained MLP (default: he)")


BORN_KEYS = ("depths", "widths", "trials", "inputs", "in_features", "bias")
TRAINING_KEYS = ("lrs", "epochs", "depth", "width", "batch", "init")


def run_cli(args: Any) -> int:
    """Run ``actviz lab dead`` from parsed arguments; write PNGs, JSON and a table; return 0."""
    born = training = None
    keys = ["acts", "part", "seed", "device", "threads", "lang"]
    if args.part in ("born", "both"):
        keys += BORN_KEYS
        with common.progress_bar("dead: born", quiet=args.quiet) as progress:
            born = born_dead(args.acts, depths=args.depths, widths=args.widths,
                             trials=args.trials, inputs=args.inputs,
                             in_features=args.in_features, bias=args.bias, seed=args.seed,
                             device=args.device, progress=progress)
    if args.part in ("training", "both"):
        keys += TRAINING_KEYS
        with common.progress_bar("dead: training", quiet=args.quiet) as progress:
            training = dying_in_training(args.acts, lrs=args.lrs, epochs=args.epochs,
                                         depth=args.depth, width=args.width, batch=args.batch,
                                         init=args.init, seed=args.seed, device=args.device,
                                         progress=progress)
    figures = {}
    with common.figure_context(args.lang):
        if born is not None:
            figures["-born"] = draw_born_dead(born, lang=args.lang)
        if training is not None:
            figures["-training"] = draw_dying(training, lang=args.lang)
        paths = common.write_outputs(args.output, "dead", figures=figures,
                                     results={"born": born, "training": training},
                                     settings=common.settings_from_args(args, keys),
                                     seed=args.seed)
    if born is not None:
        from .._io import write_text

        table = born_dead_table(born, args.lang)
        paths.append(write_text(paths[0].parent / "dead-born.md", table))
    summary = [table] if born is not None else []
    if training is not None:
        summary += dying_summary(training, args.lang)
    common.report(summary, paths, quiet=args.quiet)
    return 0


def dying_summary(result: DyingResult, lang: str = "en") -> list[str]:
    """One line per run: largest dead fraction of any layer at the end, test accuracy or status."""
    lines = []
    for run in result.runs:
        if run.status == common.DIVERGED:
            lines.append(_locales.text("lab.dead.summary_diverged", lang, act=run.activation,
                                       lr=f"{run.lr:g}", epoch=run.diverged_epoch))
            continue
        last = run.dead[-1]
        lines.append(_locales.text("lab.dead.summary", lang, act=run.activation,
                                   lr=f"{run.lr:g}", dead=f"{max(last):.2f}",
                                   layers=" ".join(f"{v:.2f}" for v in last),
                                   acc=f"{run.test_accuracy[-1]:.3f}"))
    return lines
