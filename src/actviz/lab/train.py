"""`actviz lab train`: learning curves of one MLP per activation, several seeds each, compared.

Each activation trains ``seeds`` networks together in one batched model
(:mod:`actviz.lab.batched`: stacked weights, each seed with its own
initialisation and data order, exactly as separate runs).  The result has the
per-seed curves (training loss, test accuracy per epoch), their means with a
95 % t band, a table (final test accuracy with its 95 % CI, epochs to reach a
target accuracy, time per epoch) and a paired comparison of two activations
over the same seeds (mean difference, 95 % CI, paired t-test p-value and a
sentence saying whether the difference is significant).

The blog post this project started from says ReLU and Leaky ReLU barely differ
in learning performance; ``actviz lab train`` (default ``--compare relu
leaky_relu:negative_slope=0.1``) tests that claim on the digits data.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

import numpy as np

from .. import checks
from .._locales import text
from .._text import text_table
from ..checks import positive_float_arg as positive_float
from ..errors import ActvizError
from . import userdata

HELP = "learning curves per activation over several seeds, with a paired comparison"
DESCRIPTION = (
    "Train one MLP per activation and seed (all seeds of an activation at once, in one batched "
    "model) and draw the learning curves with 95% bands; print final test accuracy with its "
    "95% CI, epochs to a target accuracy and time per epoch, and compare two activations over "
    "the same seeds (paired t-test). Default: ReLU against Leaky ReLU (slope 0.1) on digits.")

#: The default ``--acts``: the blog post's four activations.
DEFAULT_ACTS: tuple[str, ...] = ("sigmoid", "tanh", "relu", "leaky_relu:negative_slope=0.1")
DEFAULT_COMPARE: tuple[str, str] = ("relu", "leaky_relu:negative_slope=0.1")

DATASETS = ("digits", "moons", "circles", "spirals")
#: Default target accuracy of "epochs to reach", per data set.
DEFAULT_TARGETS = {"digits": 0.95, "moons": 0.95, "circles": 0.95, "spirals": 0.9}

TOY_SAMPLES = 1000
TOY_SEED = 0
TEST_FRACTION = 0.25

__all__ = [
    "DATASETS",
    "ActivationRun",
    "TrainResults",
    "add_arguments",
    "draw_training",
    "load_dataset",
    "run_cli",
    "run_training",
    "summary_table",
]


# --------------------------------------------------------------------------- data

def _spirals(n: int, rng: np.random.Generator, noise: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spirals (2 classes), ``n`` points in all, Gaussian noise ``noise``."""
    y = np.arange(n) % 2
    t = np.sqrt(rng.uniform(0.0, 1.0, n)) * 3.0 * np.pi + 0.5
    angle = t + np.pi * y
    x = np.stack([t * np.cos(angle), t * np.sin(angle)], axis=1)
    x += noise * rng.standard_normal(x.shape)
    return x, y


@cache
def load_dataset(name: str = "digits"):
    """The data set ``name`` (one of :data:`DATASETS`) as :class:`actviz.lab.common.Dataset`.

    'digits' is :func:`actviz.lab.common.load_digits_data` (scikit-learn's
    bundled copy).  'moons' (noise 0.2), 'circles' (noise 0.1, factor 0.5) and
    'spirals' (two arms, noise 0.3) are :data:`TOY_SAMPLES` points generated
    with the fixed seed :data:`TOY_SEED`.  All are standardised with the
    training set's statistics; a fixed permutation (seed 0) puts 25 % in the
    test set.
    """
    from . import common

    if name == "digits":
        return common.load_digits_data()
    if name not in DATASETS:
        raise ActvizError(f"unknown data {name!r}; choose one of {', '.join(DATASETS)}")
    rng = np.random.default_rng(TOY_SEED)
    if name == "spirals":
        x, y = _spirals(TOY_SAMPLES, rng)
    else:
        datasets = common.require_sklearn()
        if name == "moons":
            x, y = datasets.make_moons(TOY_SAMPLES, noise=0.2, random_state=TOY_SEED)
        else:
            x, y = datasets.make_circles(TOY_SAMPLES, noise=0.1, factor=0.5,
                                         random_state=TOY_SEED)
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.int64)
    order = np.random.default_rng(0).permutation(len(x))
    n_test = round(len(x) * TEST_FRACTION)
    test, train = order[:n_test], order[n_test:]
    mean, std = x[train].mean(axis=0), x[train].std(axis=0)
    x = (x - mean) / std
    return common.Dataset(name, x[train].astype(np.float32), y[train],
                          x[test].astype(np.float32), y[test], int(y.max()) + 1)


# --------------------------------------------------------------------------- computing

@dataclasses.dataclass
class ActivationRun:
    """The runs of one activation over all seeds, and their summary.

    ``label``/``display_name``/``spec`` name the activation; ``history`` is the
    :class:`actviz.lab.batched.TrainHistory`; ``final_accuracy`` the
    :class:`actviz.lab.stats.MeanCI` of the last epoch's test accuracy;
    ``epochs_to_target`` per seed (1-based, None if never reached);
    ``seconds_per_epoch`` the median wall time of one epoch of all seeds
    together; ``status`` 'ok' or 'diverged'.
    """

    label: str
    display_name: str
    spec: str
    history: Any
    final_accuracy: Any
    epochs_to_target: list[int | None]
    seconds_per_epoch: float
    status: str

    def accuracy_band(self, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per epoch: mean test accuracy and the 95 % t band over seeds (low, high)."""
        return _band(self.history.test_accuracy, confidence)

    def loss_band(self, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per epoch: geometric mean training loss and its 95 % t band over seeds (low, high).

        The band is computed on log(loss) and mapped back, so it stays positive
        and fits the log axis the loss is drawn on.  Non-finite losses (a
        diverged seed) give nan.
        """
        with np.errstate(all="ignore"):
            logs = np.log(np.asarray(self.history.train_loss, dtype=np.float64))
        mean, low, high = _band(logs, confidence)
        return np.exp(mean), np.exp(low), np.exp(high)

    def as_dict(self) -> dict[str, Any]:
        acc_mean, acc_low, acc_high = self.accuracy_band()
        loss_mean, loss_low, loss_high = self.loss_band()
        reached = [e for e in self.epochs_to_target if e is not None]
        return {
            "label": self.label, "display_name": self.display_name, "spec": self.spec,
            "status": self.status, "seeds": self.history.seeds,
            "final_test_accuracy": self.final_accuracy.as_dict(),
            "epochs_to_target": self.epochs_to_target,
            "epochs_to_target_mean": float(np.mean(reached)) if reached else None,
            "seconds_per_epoch_all_seeds": self.seconds_per_epoch,
            "train_loss": self.history.train_loss, "test_accuracy": self.history.test_accuracy,
            "train_loss_geometric_mean": loss_mean, "train_loss_band": [loss_low, loss_high],
            "test_accuracy_mean": acc_mean, "test_accuracy_band": [acc_low, acc_high],
            "diverged_seeds": [s for s, d in zip(self.history.seeds, self.history.diverged,
                                                 strict=True) if d],
        }


@dataclasses.dataclass
class TrainResults:
    """Everything ``actviz lab train`` computed: settings, one :class:`ActivationRun` each, comparison."""

    settings: dict[str, Any]
    runs: list[ActivationRun]
    comparison: Any | None
    target: float

    def run_for(self, label: str) -> ActivationRun:
        for run in self.runs:
            if run.label == label:
                return run
        raise KeyError(label)

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        from .stats import significance_sentence

        comparison = None
        if self.comparison is not None:
            comparison = {**self.comparison.as_dict(),
                          "sentence": significance_sentence(self.comparison, lang)}
        return {"target_accuracy": self.target, "runs": [r.as_dict() for r in self.runs],
                "comparison": comparison}


def _band(values: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from scipy import stats

    values = np.asarray(values, dtype=np.float64)
    n = values.shape[0]
    mean = values.mean(axis=0)
    if n < 2:
        return mean, mean.copy(), mean.copy()
    half = stats.t.ppf(0.5 + confidence / 2, n - 1) * values.std(axis=0, ddof=1) / math.sqrt(n)
    return mean, mean - half, mean + half


def _epochs_to(accuracy: np.ndarray, target: float) -> list[int | None]:
    out: list[int | None] = []
    for row in accuracy:
        hits = np.nonzero(row >= target)[0]
        out.append(int(hits[0]) + 1 if hits.size else None)
    return out


def run_training(acts: Sequence[Any] = DEFAULT_ACTS, *, data: str = "digits", depth: int = 2,
                 width: int = 64, init: str = "glorot", optimizer: str = "adam",
                 lr: float = 1e-3, epochs: int = 20, batch_size: int = 32, seeds: int = 5,
                 seed: int = 0, target: float | None = None,
                 compare: Sequence[Any] | None = DEFAULT_COMPARE, device: Any = "cpu",
                 num_threads: int | None = 1,
                 progress: Callable[[int, int], None] | None = None) -> TrainResults:
    """Train every activation in ``acts`` on ``seeds`` seeds and compare two of them.

    ``acts``: activation specs (default: sigmoid, tanh, relu, leaky_relu 0.1);
    ``data``: one of :data:`DATASETS` (default 'digits'); ``depth``/``width``:
    hidden layers and units per layer (default 2 x 64); ``init``: a key of
    :data:`actviz.lab.batched.INITS` (default 'glorot', as scikit-learn);
    ``optimizer``: 'sgd' or 'adam' (default 'adam'); ``lr`` (default 1e-3);
    ``epochs`` (default 20); ``batch_size`` (default 32); ``seeds``: how many
    seeds (default 5), namely ``seed, seed+1, ...`` (``seed`` default 0);
    ``target``: the accuracy for "epochs to reach" (default per data set,
    :data:`DEFAULT_TARGETS`); ``compare``: two specs compared in pairs over the
    seeds (added to ``acts`` if missing; None for no comparison; needs at least
    2 seeds); ``device``; ``num_threads``: PyTorch CPU threads (default 1;
    None leaves the setting alone); ``progress(done, total)`` called after each
    epoch.
    """
    from .batched import TrainConfig

    checks.positive_int(seeds, "seeds")
    checks.positive_int(depth, "depth")
    checks.positive_int(width, "width")
    bound, pair = _activations_and_pair(acts, compare, seeds)
    dataset = userdata.load(data, load_dataset)  # a bundled name or the user's .npz/.csv
    if target is None:
        target = DEFAULT_TARGETS.get(data, userdata.TARGET)
    if not 0.0 < target <= 1.0:
        raise ActvizError(f"target={target!r} is out of range; allowed: (0, 1]")
    config = TrainConfig(sizes=(dataset.n_features, *([width] * depth), dataset.n_classes),
                         init=init, optimizer=optimizer, lr=lr, epochs=epochs,
                         batch_size=batch_size)
    seed_list = [seed + i for i in range(seeds)]
    total = len(bound) * epochs
    runs = []
    for k, act in enumerate(bound):
        def on_epoch(epoch: int, k: int = k) -> None:
            if progress is not None:
                progress(k * epochs + epoch + 1, total)

        runs.append(_train_activation(act, seed_list, config, dataset, target, device=device,
                                      on_epoch=on_epoch, num_threads=num_threads))
    settings = {"data": data, "depth": depth, "width": width, "init": init,
                "optimizer": optimizer, "lr": lr, "epochs": epochs, "batch_size": batch_size,
                "seeds": seed_list, "target": target, "device": str(device),
                "torch_threads": num_threads,
                "compare": [p.label for p in pair] if pair else None,
                "train_size": len(dataset.x_train), "test_size": len(dataset.x_test),
                **getattr(dataset, "provenance", {})}
    return TrainResults(settings, runs, _paired(runs, pair), target)


def _activations_and_pair(acts: Sequence[Any], compare: Sequence[Any] | None, seeds: int
                          ) -> tuple[list[Any], list[Any] | None]:
    """The bound activations to train (the compared pair added if missing) and the pair."""
    from . import common

    bound = list(common.resolve_activations(acts))
    if compare is None:
        return bound, None
    if len(compare) != 2:
        raise ActvizError(f"--compare needs two activations, got {len(compare)}")
    pair = common.resolve_activations(compare)
    if len(pair) != 2:
        raise ActvizError("--compare needs two different activations")
    if seeds < 2:
        raise ActvizError("a paired comparison needs at least 2 seeds (use --seeds 2 or more)")
    labels = {a.label for a in bound}
    return bound + [a for a in pair if a.label not in labels], pair


def _train_activation(act: Any, seeds: list[int], config: Any, dataset: Any, target: float, *,
                      device: Any, on_epoch: Callable[[int], None],
                      num_threads: int | None) -> ActivationRun:
    """Train ``act`` on every seed at once and summarise the run."""
    from . import common
    from .batched import train_batched
    from .stats import mean_ci

    history = train_batched(act, seeds, config, dataset.x_train, dataset.y_train,
                            dataset.x_test, dataset.y_test, device=device,
                            on_epoch=on_epoch, num_threads=num_threads)
    return ActivationRun(
        label=act.label, display_name=common.display_name(act), spec=act.spec, history=history,
        final_accuracy=mean_ci(history.test_accuracy[:, -1]),
        epochs_to_target=_epochs_to(history.test_accuracy, target),
        seconds_per_epoch=float(np.median(history.epoch_seconds)),
        status=common.DIVERGED if history.diverged.any() else common.OK)


def _paired(runs: list[ActivationRun], pair: list[Any] | None) -> Any:
    """The paired comparison of the two compared activations' final accuracies (None: none)."""
    if pair is None:
        return None
    from .stats import paired_comparison

    a, b = (next(r for r in runs if r.label == p.label) for p in pair)
    return paired_comparison(a.history.test_accuracy[:, -1], b.history.test_accuracy[:, -1],
                             label_a=a.display_name, label_b=b.display_name)


# --------------------------------------------------------------------------- table

def summary_table(results: TrainResults, lang: str = "en") -> str:
    """The results as a plain-text table plus the comparison sentence (what the CLI prints)."""
    from .stats import significance_sentence

    target = f"{results.target * 100:g}"
    head = [text("lab.train.col.activation", lang), text("lab.train.col.accuracy", lang),
            text("lab.train.col.ci", lang), text("lab.train.col.epochs", lang, target=target),
            text("lab.train.col.time", lang)]
    rows = []
    for run in results.runs:
        ci = run.final_accuracy
        reached = [e for e in run.epochs_to_target if e is not None]
        n = len(run.epochs_to_target)
        epochs = (f"{np.mean(reached):.1f} ({len(reached)}/{n})" if reached
                  else f"- (0/{n})")
        interval = ("-" if math.isnan(ci.low)
                    else f"{ci.low * 100:.2f} – {ci.high * 100:.2f}")
        name = run.display_name
        if run.status != "ok":
            name += f" [{text('lab.status.diverged', lang)}]"
        rows.append([name, f"{ci.mean * 100:.2f}", interval, epochs,
                     f"{run.seconds_per_epoch:.3f}"])
    out = text_table(head, rows)
    s = results.settings
    out.append("")
    out.append(text("lab.train.note", lang, seeds=len(s["seeds"]), epochs=s["epochs"]))
    if results.comparison is not None:
        out.append(significance_sentence(results.comparison, lang))
    return "\n".join(out)


# --------------------------------------------------------------------------- drawing

def draw_training(results: TrainResults, lang: str = "en"):
    """A figure: mean training loss and test accuracy per epoch with 95 % bands, final accuracies.

    Left: training loss (log scale, geometric mean); middle: test accuracy; right: final test
    accuracy of each seed (dots) with the mean and its 95 % CI.  The comparison
    sentence is the figure's footer.  Call inside
    :func:`actviz.lab.common.figure_context` (fonts for ``lang``).
    """
    import textwrap

    from . import common
    from .stats import significance_sentence

    s = results.settings
    fig = common.new_figure(figsize=(13.5, 5.2))
    grid = fig.add_gridspec(1, 3, width_ratios=[1.0, 1.0, 0.75])
    ax_loss, ax_acc, ax_final = (fig.add_subplot(grid[0, i]) for i in range(3))
    colors = common.act_colors(len(results.runs))
    epochs = np.arange(1, s["epochs"] + 1)
    n = len(s["seeds"])
    any_loss = False
    for run, color in zip(results.runs, colors, strict=True):
        mean, low, high = run.loss_band()
        any_loss |= bool(np.any(np.isfinite(mean)))
        name = run.display_name
        if run.status != "ok":
            name += f" ({text('lab.status.diverged', lang)})"
        ax_loss.plot(epochs, mean, color=color, label=name)
        ax_loss.fill_between(epochs, low, high, color=color, alpha=0.2, linewidth=0)
        mean, low, high = run.accuracy_band()
        ax_acc.plot(epochs, mean * 100, color=color, label=run.display_name)
        # the t band can pass 100 %; accuracy cannot
        ax_acc.fill_between(epochs, np.clip(low, 0, 1) * 100, np.clip(high, 0, 1) * 100,
                            color=color, alpha=0.2, linewidth=0)
    from matplotlib.ticker import MaxNLocator

    for ax in (ax_loss, ax_acc):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if any_loss:  # every seed of every activation diverged: nothing to draw on a log axis
        ax_loss.set_yscale("log")
    ax_loss.set_xlabel(text("lab.train.epoch", lang))
    ax_loss.set_title(text("lab.train.loss", lang))
    ax_acc.set_xlabel(text("lab.train.epoch", lang))
    ax_acc.set_title(text("lab.train.accuracy", lang))
    ax_acc.set_ylabel("%")
    ax_acc.axhline(results.target * 100, color="0.5", linestyle=":", linewidth=1)
    finals = [r.history.test_accuracy[:, -1] * 100 for r in results.runs]
    low_acc = min(float(np.min(f)) for f in finals)
    ax_acc.set_ylim(max(0.0, min(low_acc - 5, results.target * 100 - 10)), 100.5)
    ax_loss.legend(fontsize="small", title=text("lab.train.band", lang, n=n),
                   title_fontsize="small")
    # Right panel: every seed's final accuracy, mean and CI.
    rng = np.random.default_rng(0)
    for i, (run, color, final) in enumerate(zip(results.runs, colors, finals, strict=True)):
        jitter = rng.uniform(-0.12, 0.12, final.size)
        ax_final.scatter(final, i + jitter, color=color, s=16, alpha=0.7, zorder=3)
        ci = run.final_accuracy
        if not math.isnan(ci.low):
            xerr = [[(ci.mean - max(ci.low, 0.0)) * 100], [(min(ci.high, 1.0) - ci.mean) * 100]]
            ax_final.errorbar(ci.mean * 100, i, xerr=xerr, color="black",
                              capsize=4, marker="|", markersize=14, zorder=4)
    ax_final.set_yticks(range(len(results.runs)),
                        [r.display_name for r in results.runs])
    ax_final.invert_yaxis()
    ax_final.set_xlabel(text("lab.train.final_axis", lang))
    ax_final.set_title(text("lab.train.final", lang, epochs=s["epochs"]))
    ax_final.grid(True, axis="x")
    ax_final.grid(False, axis="y")
    data_name = text(f"lab.data.{s['data']}", lang)
    fig.suptitle(text("lab.train.title", lang, data=data_name, depth=s["depth"],
                      width=s["width"], optimizer=s["optimizer"], lr=f"{s['lr']:g}",
                      batch=s["batch_size"], seeds=n, init=s["init"]))
    if results.comparison is not None:
        sentence = significance_sentence(results.comparison, lang)
        width = 90 if lang == "ja" else 170
        fig.supxlabel("\n".join(textwrap.wrap(sentence, width)), fontsize="medium")
    return fig


# --------------------------------------------------------------------------- CLI

def _fraction(value: str) -> float:
    """argparse type: an accuracy as a fraction in (0, 1] or a percentage in (0, 100]."""
    import argparse

    number = positive_float(value)
    try:
        return checks.fraction(number / 100.0 if number > 1.0 else number)  # 95 means 95 %
    except ActvizError:
        raise argparse.ArgumentTypeError(
            f"{value} is out of range; allowed: (0, 1] or (0, 100]") from None


def add_arguments(parser) -> None:
    """Add the options of ``actviz lab train`` (the common lab options are already there)."""
    from ..checks import positive_int_arg as positive_int
    from .batched import INITS, OPTIMIZERS

    parser.add_argument("--data", type=userdata.data_argument(DATASETS), default="digits",
                        metavar="{" + ",".join(DATASETS) + "} or FILE",
                        help="data set: digits (scikit-learn's bundled 8x8 images), a "
                             "generated 2-D one, or your FILE: .npz with arrays X and y, or "
                             ".csv with the label in the last column (default: digits)")
    parser.add_argument("--depth", type=positive_int, default=2,
                        help="hidden layers (default: 2)")
    parser.add_argument("--width", type=positive_int, default=64,
                        help="units per hidden layer (default: 64)")
    parser.add_argument("--init", choices=tuple(INITS), default="glorot",
                        help="weight initialisation (default: glorot, as scikit-learn's MLP)")
    parser.add_argument("--optimizer", choices=OPTIMIZERS, default="adam",
                        help="optimiser (default: adam)")
    parser.add_argument("--lr", type=positive_float, default=1e-3,
                        help="learning rate (default: 0.001)")
    parser.add_argument("--epochs", type=positive_int, default=20,
                        help="passes over the training data (default: 20)")
    parser.add_argument("--batch-size", type=positive_int, default=32,
                        help="mini-batch size (default: 32)")
    parser.add_argument("--seeds", type=positive_int, default=5,
                        help="seeds per activation, --seed, --seed+1, ... (default: 5)")
    parser.add_argument("--target", type=_fraction, default=None,
                        help="test accuracy for 'epochs to reach', e.g. 0.95 or 95 "
                             "(default: 0.95; 0.9 for spirals)")
    parser.add_argument("--compare", nargs=2, metavar=("A", "B"), default=list(DEFAULT_COMPARE),
                        help="two activations compared in pairs over the same seeds "
                             "(default: relu leaky_relu:negative_slope=0.1)")
    parser.add_argument("--no-compare", dest="compare", action="store_const", const=None,
                        help="skip the paired comparison")


def run_cli(args) -> int:
    """Run ``actviz lab train`` from parsed arguments: train, print the table, write PNG + JSON."""

    from . import common

    device = common.resolve_device(args.device)
    with common.progress_bar("train", quiet=args.quiet) as bar:
        results = run_training(
            args.acts, data=args.data, depth=args.depth, width=args.width, init=args.init,
            optimizer=args.optimizer, lr=args.lr, epochs=args.epochs,
            batch_size=args.batch_size, seeds=args.seeds, seed=args.seed, target=args.target,
            compare=args.compare, device=device,
            num_threads=getattr(args, "threads", 1), progress=bar)
    with common.figure_context(args.lang):
        fig = draw_training(results, args.lang)
        written = common.write_outputs(args.output, "train", figures={"": fig},
                                       results=results.as_dict(args.lang),
                                       settings={**results.settings, "acts": args.acts,
                                                 "lang": args.lang},
                                       seed=args.seed)
    common.report([summary_table(results, args.lang)], written, quiet=args.quiet)
    return 0


# --------------------------------------------------------------------------- peer check

#: Our activation name -> scikit-learn's MLPClassifier name.
SKLEARN_ACTIVATIONS = {"relu": "relu", "tanh": "tanh", "sigmoid": "logistic"}


def sklearn_peer_check(*, width: int = 64, epochs: int = 20, batch_size: int = 32,
                       lr: float = 1e-3, seeds: int = 5) -> list[tuple[str, float, float]]:
    """Final test accuracy (%) on digits of ours and of scikit-learn's MLPClassifier.

    Same two hidden layers of ``width``, epochs, batch size, Adam with ``lr``, no
    L2 penalty and Glorot init, averaged over ``seeds``; returns
    ``[(activation, ours, sklearn), ...]`` for relu, tanh and sigmoid ('logistic').
    """
    import warnings

    from . import common
    from .batched import TrainConfig, train_batched

    common.require_sklearn()
    from sklearn.neural_network import MLPClassifier

    data = load_dataset("digits")
    config = TrainConfig((data.n_features, width, width, data.n_classes), init="glorot",
                         optimizer="adam", lr=lr, epochs=epochs, batch_size=batch_size)
    rows = []
    for ours, theirs in SKLEARN_ACTIVATIONS.items():
        history = train_batched(ours, range(seeds), config, data.x_train, data.y_train,
                                data.x_test, data.y_test)
        scores = []
        for seed in range(seeds):
            model = MLPClassifier((width, width), activation=theirs, solver="adam", alpha=0.0,
                                  batch_size=batch_size, learning_rate_init=lr,
                                  max_iter=epochs, n_iter_no_change=epochs + 1, tol=0.0,
                                  random_state=seed)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # ConvergenceWarning: we stop at max_iter
                model.fit(data.x_train, data.y_train)
            scores.append(model.score(data.x_test, data.y_test))
        rows.append((ours, float(history.test_accuracy[:, -1].mean()) * 100,
                     float(np.mean(scores)) * 100))
    return rows
