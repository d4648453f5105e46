"""Train one MLP per seed, all seeds at once: stacked weights and batched matrix products.

A :class:`BatchedMLP` holds ``S`` independent networks of the same shape: each
layer's weights are one tensor ``[S, in, out]`` and the forward pass is one
``torch.baddbmm`` per layer.  Seed ``s`` gets its own ``torch.Generator``
(seeded with ``seeds[s]``) which draws, in this order, its initial weights
(layer by layer, weight then bias) and then, at the start of every epoch, its
own permutation of the training data.  The loss summed over seeds has, for each
seed's slice of the weights, exactly the gradient of that seed's own mean loss,
and SGD and Adam update every element on its own, so the batched run follows
the same trajectories as ``S`` separate runs (:func:`train_sequential`, the
plain reference loop) up to float rounding.

Activation modules come from the registry (``actviz.get(spec).torch_module()``);
they are elementwise, so one module applies to the stacked tensor as-is.  A
module with parameters (PReLU) is copied per seed, so every seed learns its own
slope.  RReLU in training mode draws random slopes from PyTorch's global
generator: its runs are reproducible (the global generator is seeded with the
first seed) but its seeds are not bit-identical to separate runs.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import checks
from ..errors import ActvizError
from . import common

__all__ = [
    "INITS",
    "OPTIMIZERS",
    "BatchedMLP",
    "TrainConfig",
    "TrainHistory",
    "init_linear_",
    "train_batched",
    "train_sequential",
]

#: The lab's one table of initialisation schemes (:data:`actviz.lab.common.INITS`).
INITS = common.INITS
#: Fills one layer in place from a generator (:func:`actviz.lab.common.init_weights_`).
init_linear_ = common.init_weights_

OPTIMIZERS = ("sgd", "adam")


def _check(scheme: str, optimizer: str) -> None:
    if scheme not in INITS:
        raise ActvizError(f"unknown init {scheme!r}; choose one of {', '.join(INITS)}")
    if optimizer not in OPTIMIZERS:
        raise ActvizError(f"unknown optimizer {optimizer!r}; choose one of "
                          f"{', '.join(OPTIMIZERS)}")


@dataclass(frozen=True)
class TrainConfig:
    """How to train: layer sizes and optimisation.

    ``sizes`` lists the layer widths from input to output (e.g. ``(64, 64, 64,
    10)`` is two hidden layers of 64); ``init`` a key of :data:`INITS` (default
    'glorot'); ``optimizer`` 'sgd' or 'adam' (default 'adam'); ``lr`` the
    learning rate (default 1e-3); ``epochs`` (default 20); ``batch_size``
    (default 32; the last, smaller batch of an epoch is kept).
    """

    sizes: tuple[int, ...]
    init: str = "glorot"
    optimizer: str = "adam"
    lr: float = 1e-3
    epochs: int = 20
    batch_size: int = 32

    def __post_init__(self) -> None:
        _check(self.init, self.optimizer)
        if len(self.sizes) < 2 or min(self.sizes) < 1:
            raise ActvizError(f"sizes={self.sizes!r}: need an input and an output size >= 1")
        checks.positive_int(self.epochs, "epochs")
        checks.positive_int(self.batch_size, "batch_size")
        checks.positive_float(self.lr, "lr")


@dataclass
class TrainHistory:
    """What a training run recorded, per seed and epoch.

    ``train_loss`` ``[S, epochs]`` (mean cross-entropy over each epoch's
    mini-batches, weighted by batch size), ``test_accuracy`` ``[S, epochs]``
    (after each epoch), ``epoch_seconds`` ``[epochs]`` (wall time of each
    epoch, all seeds together), ``diverged`` ``[S]`` (the loss became
    non-finite), ``seeds``.
    """

    seeds: list[int]
    train_loss: np.ndarray
    test_accuracy: np.ndarray
    epoch_seconds: np.ndarray
    diverged: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))


def _activation_factory(spec) -> tuple[Callable[[], Any], Any]:
    from . import common

    (act,) = common.resolve_activations([spec])  # one-line error when there is no torch version
    return act.torch_module, act


class _PerSeed:
    """Builds the activation layer of a batched network: shared when stateless, per seed else."""

    @staticmethod
    def build(factory: Callable[[], Any], seeds: int):
        import torch
        from torch import nn

        module = factory()
        if not any(True for _ in module.parameters()):
            return module

        class PerSeedActivation(nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.members = nn.ModuleList([module] + [factory() for _ in range(seeds - 1)])

            def forward(self, x):
                return torch.stack([m(x[s]) for s, m in enumerate(self.members)])

        return PerSeedActivation()


def _make_module_class():
    import torch
    from torch import nn

    class BatchedMLPModule(nn.Module):
        """``S`` MLPs with stacked weights ``[S, in, out]``; input ``[S, B, in]``."""

        def __init__(self, sizes: Sequence[int], activation: str, seeds: Sequence[int],
                     init: str, generators: Sequence[torch.Generator]) -> None:
            super().__init__()
            factory, act = _activation_factory(activation)
            count = len(seeds)
            self.weights = nn.ParameterList()
            self.biases = nn.ParameterList()
            for fan_in, fan_out in itertools.pairwise(sizes):
                weight = torch.empty(count, fan_in, fan_out)
                bias = torch.empty(count, 1, fan_out)
                self.weights.append(nn.Parameter(weight))
                self.biases.append(nn.Parameter(bias))
            # Each seed draws its layers in order, as a separate run would.
            with torch.no_grad():
                for s, generator in enumerate(generators):
                    for weight, bias in zip(self.weights, self.biases, strict=True):
                        w = torch.empty(weight.shape[2], weight.shape[1])
                        b = torch.empty(weight.shape[2])
                        init_linear_(w, b, init, generator, activation=act)
                        weight[s].copy_(w.T)
                        bias[s, 0].copy_(b)
            self.activations = nn.ModuleList(
                [_PerSeed.build(factory, count) for _ in range(len(sizes) - 2)])

        def forward(self, x):
            last = len(self.weights) - 1
            for i, (weight, bias) in enumerate(zip(self.weights, self.biases, strict=True)):
                x = torch.baddbmm(bias, x, weight)
                if i < last:
                    x = self.activations[i](x)
            return x

    return BatchedMLPModule


def BatchedMLP(sizes: Sequence[int], activation: str, seeds: Sequence[int], *,
               init: str = "glorot", generators=None):
    """Build ``len(seeds)`` MLPs of layer widths ``sizes`` as one module with stacked weights.

    ``activation`` is a registry spec (e.g. ``'leaky_relu:0.1'``) used after
    every hidden layer; ``init`` a key of :data:`INITS` (default 'glorot');
    ``generators`` one ``torch.Generator`` per seed (default: new ones seeded
    with ``seeds``).  The module maps ``[S, B, sizes[0]]`` to ``[S, B, sizes[-1]]``.
    """
    import torch

    if generators is None:
        generators = [torch.Generator().manual_seed(int(s)) for s in seeds]
    _check(init, "sgd")
    return _make_module_class()(tuple(sizes), activation, list(seeds), init, generators)


def _optimizer(name: str, params, lr: float, fused: bool = False):
    """``torch.optim.SGD`` or ``Adam`` over ``params``; ``fused``: one kernel per step.

    The fused implementations do the same arithmetic as the default ones in
    fewer, larger operations (equal up to float rounding); where a build does
    not offer them the default one is used.
    """
    import torch

    cls = torch.optim.SGD if name == "sgd" else torch.optim.Adam
    params = list(params)
    if fused:
        try:
            return cls(params, lr=lr, fused=True)
        except (RuntimeError, TypeError, ValueError):  # pragma: no cover - older builds
            pass
    return cls(params, lr=lr)


def _as_tensors(x_train, y_train, x_test, y_test, device):
    import torch

    def f(a):
        return torch.as_tensor(np.asarray(a), dtype=torch.float32, device=device)

    def i(a):
        return torch.as_tensor(np.asarray(a), dtype=torch.long, device=device)

    return f(x_train), i(y_train), f(x_test), i(y_test)


def train_batched(activation: str, seeds: Sequence[int], config: TrainConfig, x_train, y_train,
                  x_test, y_test, *, device: str = "cpu",
                  on_epoch: Callable[[int], None] | None = None,
                  num_threads: int | None = 1, fused: bool = True) -> TrainHistory:
    """Train one classifier MLP per seed, all seeds together; return the :class:`TrainHistory`.

    ``activation`` a registry spec; ``seeds`` the seeds (each its own
    initialisation and data order); ``config`` the :class:`TrainConfig`;
    ``x_train`` ``[N, features]`` floats and ``y_train`` ``[N]`` class indices
    (likewise the test set); ``device`` a torch device (default 'cpu');
    ``on_epoch(epoch)`` is called after each epoch (for progress bars);
    ``num_threads``: PyTorch CPU threads while training (default 1, see
    :func:`actviz.lab.common.torch_threads`; None leaves the setting alone);
    ``fused``: use PyTorch's fused SGD/Adam (default True; same arithmetic in
    one kernel per step).  The loss is the softmax cross-entropy.
    """
    with common.torch_threads(num_threads):
        return _train_batched(activation, seeds, config, x_train, y_train, x_test, y_test,
                              device, on_epoch, fused)


def _train_batched(activation, seeds, config, x_train, y_train, x_test, y_test, device,
                   on_epoch, fused) -> TrainHistory:
    import torch
    import torch.nn.functional as F

    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ActvizError("train_batched: need at least one seed")
    xtr, ytr, xte, yte = _as_tensors(x_train, y_train, x_test, y_test, device)
    count, n = len(seeds), xtr.shape[0]
    torch.manual_seed(seeds[0])  # only RReLU's training-mode slopes use the global generator
    generators = [torch.Generator().manual_seed(s) for s in seeds]
    model = BatchedMLP(config.sizes, activation, seeds, init=config.init,
                       generators=generators).to(device)
    optimizer = _optimizer(config.optimizer, model.parameters(), config.lr, fused)
    classes = config.sizes[-1]
    xte_stacked = xte.unsqueeze(0).expand(count, -1, -1)
    losses = np.zeros((count, config.epochs))
    accuracy = np.zeros((count, config.epochs))
    seconds = np.zeros(config.epochs)
    diverged = np.zeros(count, dtype=bool)
    for epoch in range(config.epochs):
        start = time.perf_counter()
        model.train()
        order = torch.stack([torch.randperm(n, generator=g) for g in generators]).to(device)
        xs, ys = xtr[order], ytr[order]  # [S, N, in], [S, N]
        batch_losses = []
        for lo in range(0, n, config.batch_size):
            xb = xs[:, lo:lo + config.batch_size]
            yb = ys[:, lo:lo + config.batch_size]
            logits = model(xb)
            per_example = F.cross_entropy(logits.reshape(-1, classes), yb.reshape(-1),
                                          reduction="none")
            # every seed has a batch of the same size b: the sum over seeds of each
            # seed's mean loss is the sum of all terms divided by b
            optimizer.zero_grad(set_to_none=True)
            (per_example.sum() / yb.shape[1]).backward()
            optimizer.step()
            batch_losses.append(per_example.detach().view(count, -1))
        total = torch.cat(batch_losses, dim=1).sum(dim=1)
        model.eval()
        with torch.no_grad():
            predicted = model(xte_stacked).argmax(dim=2)
            accuracy[:, epoch] = (predicted == yte).float().mean(dim=1).cpu().numpy()
        losses[:, epoch] = (total / n).cpu().numpy()
        if device != "cpu" and torch.cuda.is_available():
            torch.cuda.synchronize()
        seconds[epoch] = time.perf_counter() - start
        diverged |= ~np.isfinite(losses[:, epoch])
        if on_epoch is not None:
            on_epoch(epoch)
    return TrainHistory(seeds, losses, accuracy, seconds, diverged)


def train_sequential(activation: str, seeds: Sequence[int], config: TrainConfig, x_train,
                     y_train, x_test, y_test, *, device: str = "cpu",
                     num_threads: int | None = 1, fused: bool = True) -> TrainHistory:
    """The plain reference: one ``nn.Sequential`` per seed, trained one after another.

    Same arguments and same draws as :func:`train_batched` (each seed's
    generator initialises ``nn.Linear`` layers in order, then shuffles every
    epoch); used by the tests (the batched run must equal it) and the
    benchmark (the batched run must be faster; there with ``fused=False``,
    PyTorch's default optimiser, as a plain loop would have it).
    """
    with common.torch_threads(num_threads):
        return _train_sequential(activation, seeds, config, x_train, y_train, x_test, y_test,
                                 device, fused)


def _train_sequential(activation, seeds, config, x_train, y_train, x_test, y_test,
                      device, fused) -> TrainHistory:
    import torch
    import torch.nn.functional as F
    from torch import nn

    seeds = [int(s) for s in seeds]
    xtr, ytr, xte, yte = _as_tensors(x_train, y_train, x_test, y_test, device)
    factory, act = _activation_factory(activation)
    n = xtr.shape[0]
    losses = np.zeros((len(seeds), config.epochs))
    accuracy = np.zeros((len(seeds), config.epochs))
    seconds = np.zeros(config.epochs)
    diverged = np.zeros(len(seeds), dtype=bool)
    for s, seed in enumerate(seeds):
        torch.manual_seed(seed)
        generator = torch.Generator().manual_seed(seed)
        layers: list[Any] = []
        sizes = config.sizes
        for i, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes)):
            linear = nn.Linear(fan_in, fan_out)
            init_linear_(linear.weight, linear.bias, config.init, generator, activation=act)
            layers.append(linear)
            if i < len(sizes) - 2:
                layers.append(factory())
        model = nn.Sequential(*layers).to(device)
        optimizer = _optimizer(config.optimizer, model.parameters(), config.lr, fused)
        for epoch in range(config.epochs):
            start = time.perf_counter()
            model.train()
            order = torch.randperm(n, generator=generator).to(device)
            total = torch.zeros(())
            for lo in range(0, n, config.batch_size):
                index = order[lo:lo + config.batch_size]
                loss = F.cross_entropy(model(xtr[index]), ytr[index])
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                total += loss.detach() * index.shape[0]
            model.eval()
            with torch.no_grad():
                accuracy[s, epoch] = (model(xte).argmax(dim=1) == yte).float().mean().item()
            losses[s, epoch] = total.item() / n
            seconds[epoch] += time.perf_counter() - start
            diverged[s] |= not math.isfinite(losses[s, epoch])
    return TrainHistory(seeds, losses, accuracy, seconds, diverged)
