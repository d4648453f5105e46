"""Time `actviz lab train` (seeds batched) against a plain sequential PyTorch loop; sklearn peer check.

Run from the repository root:  python benchmarks/bench_lab_train.py [--rounds 3] [--epochs 20]

Part 1: 8 activations x 5 seeds on digits (MLP 2 x 64, Adam lr 1e-3, batch 32,
Glorot init), trained by ``actviz.lab.train.run_training`` (all seeds of an
activation in one batched model) and by a plain loop (one ``nn.Sequential`` and
one seed at a time: ``actviz.lab.batched.train_sequential`` with PyTorch's
default optimiser), alternating, in one process, both on one PyTorch thread
(the lab's default).  The lab also uses PyTorch's fused optimiser;
``--fused-baseline`` times the plain loop with it too, to separate the two
gains.  Prints the
medians of wall-clock and CPU time (CPU time is steadier on a busy machine),
the ratio sequential / batched (goal: >= 3) and the final test accuracies of
both (they must agree: same seeds, same draws).

Part 2: the peer check at full size: the same network with relu, tanh and
sigmoid against scikit-learn's MLPClassifier (same hidden layers, epochs,
batch size, Adam, alpha=0), 5 seeds each; mean final test accuracies must
agree within 1.5 points.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

from actviz.lab import common  # noqa: E402
from actviz.lab.batched import TrainConfig, train_batched, train_sequential  # noqa: E402
from actviz.lab.train import load_dataset, run_training, sklearn_peer_check  # noqa: E402

ACTS = list(common.DEFAULT_ACTS)  # 8: sigmoid tanh relu leaky_relu:0.1 elu selu gelu silu
SEEDS = 5
DEPTH, WIDTH, BATCH, LR = 2, 64, 32, 1e-3


def batched_run(epochs: int) -> np.ndarray:
    """`actviz lab train` for all activations; final test accuracy [acts, seeds]."""
    results = run_training(ACTS, data="digits", depth=DEPTH, width=WIDTH, init="glorot",
                           optimizer="adam", lr=LR, epochs=epochs, batch_size=BATCH,
                           seeds=SEEDS, compare=None)
    return np.array([run.history.test_accuracy[:, -1] for run in results.runs])


def sequential_run(epochs: int, fused: bool = False) -> np.ndarray:
    """The plain loop: one model and one seed at a time; final test accuracy [acts, seeds].

    ``fused=False`` (default) is PyTorch's default optimiser, as a plain loop
    has it; ``fused=True`` gives the loop the lab's fused optimiser too.
    """
    data = load_dataset("digits")
    config = TrainConfig((data.n_features, WIDTH, WIDTH, data.n_classes), init="glorot",
                         optimizer="adam", lr=LR, epochs=epochs, batch_size=BATCH)
    out = np.zeros((len(ACTS), SEEDS))
    for i, act in enumerate(ACTS):
        for seed in range(SEEDS):
            history = train_sequential(act, [seed], config, data.x_train, data.y_train,
                                       data.x_test, data.y_test, fused=fused)
            out[i, seed] = history.test_accuracy[0, -1]
    return out


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def speed(rounds: int, epochs: int, fused_baseline: bool) -> None:
    print(f"== lab train: {len(ACTS)} activations x {SEEDS} seeds, digits, MLP {DEPTH} x "
          f"{WIDTH}, Adam lr {LR:g}, batch {BATCH}, {epochs} epochs, 1 torch thread")
    load_dataset("digits")
    with common.torch_threads(1):
        # warm-up: first PyTorch calls (optimizer, kernels) cost seconds once
        data = load_dataset("digits")
        config = TrainConfig((64, 8, 10), epochs=1)
        train_batched("relu", [0], config, data.x_train, data.y_train, data.x_test, data.y_test)
        names = ["batched", "sequential"] + (["sequential-fused"] if fused_baseline else [])
        runners = {"batched": lambda: batched_run(epochs),
                   "sequential": lambda: sequential_run(epochs),
                   "sequential-fused": lambda: sequential_run(epochs, fused=True)}
        times = {name: [] for name in names}
        accuracy = {}
        for r in range(rounds):
            order = names if r % 2 == 0 else names[::-1]
            for name in order:
                wall, cpu, acc = timed(runners[name])
                times[name].append((wall, cpu))
                accuracy[name] = acc
                print(f"  round {r + 1} {name:16s} wall {wall:7.2f} s  cpu {cpu:7.2f} s",
                      flush=True)
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
           for k, v in times.items()}
    print(f"median batched (actviz lab train): wall {med['batched'][0]:.2f} s, "
          f"cpu {med['batched'][1]:.2f} s")
    for name in names[1:]:
        print(f"median {name} (plain loop{', fused optimiser' if 'fused' in name else ''}): "
              f"wall {med[name][0]:.2f} s, cpu {med[name][1]:.2f} s")
        print(f"ratio {name} / batched: wall {med[name][0] / med['batched'][0]:.2f}x, "
              f"cpu {med[name][1] / med['batched'][1]:.2f}x  (goal >= 3x)")
    diff = np.abs(accuracy["batched"] - accuracy["sequential"]).max()
    print("final test accuracy, mean over seeds (batched / sequential):")
    for act, a, b in zip(ACTS, accuracy["batched"], accuracy["sequential"], strict=True):
        print(f"  {act:32s} {a.mean() * 100:6.2f} % / {b.mean() * 100:6.2f} %")
    print(f"largest per-seed difference: {diff * 100:.3f} points (same seeds and draws; the "
          f"fused and default optimisers differ only by float rounding)")


def peer_check(epochs: int) -> None:
    print(f"== peer check vs scikit-learn MLPClassifier: digits, hidden ({WIDTH}, {WIDTH}), "
          f"Adam lr {LR:g}, batch {BATCH}, {epochs} epochs, alpha 0, {SEEDS} seeds")
    ok = True
    for name, a, b in sklearn_peer_check(width=WIDTH, epochs=epochs, batch_size=BATCH, lr=LR,
                                         seeds=SEEDS):
        good = abs(a - b) <= 1.5
        ok &= good
        print(f"  {name:8s} actviz {a:6.2f} %  sklearn {b:6.2f} %  difference {a - b:+.2f} "
              f"points  {'ok' if good else 'FAIL (> 1.5)'}")
    print(f"peer check: {'passed' if ok else 'FAILED'}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    parser.add_argument("--epochs", type=int, default=20, help="epochs (default 20)")
    parser.add_argument("--fused-baseline", action="store_true",
                        help="also time the plain loop with the lab's fused optimiser")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-peer", action="store_true")
    args = parser.parse_args(argv)
    if not args.skip_speed:
        speed(args.rounds, args.epochs, args.fused_baseline)
    if not args.skip_peer:
        peer_check(args.epochs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
