"""The user's own data for ``actviz lab train --data FILE``: .npz (arrays X and y) or .csv
(the label in the last column), checked with one-line errors, split and standardised as
the bundled data sets are, and recorded by file name and sha256."""

from __future__ import annotations

import argparse
import dataclasses
import functools
import hashlib
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ActvizError

SUFFIXES = (".npz", ".csv")
TEST_FRACTION = 0.25
SPLIT_SEED = 0
#: Accuracy whose epoch "epochs to reach" reports for a user's file (no per-file default).
TARGET = 0.9
MAX_ROWS = 1_000_000
MAX_FEATURES = 10_000


def is_file_spec(text: str) -> bool:
    return str(text).lower().endswith(SUFFIXES)


def data_argument(choices):
    """argparse type for --data: a bundled name in ``choices`` or a .npz/.csv file."""
    def parse(text: str) -> str:
        if text in choices or is_file_spec(text):
            return text
        raise argparse.ArgumentTypeError(
            f"invalid choice {text!r}: choose {', '.join(choices)} or a .npz/.csv file")
    return parse


def load(data: str, builtin_loader):
    """The data set ``data``: a user file, else ``builtin_loader(data)`` (a bundled name)."""
    if is_file_spec(data):
        return load_file(data)
    return builtin_loader(data)


def load_file(path: str | Path):
    """A :class:`actviz.lab.common.Dataset` from a .npz or .csv file, checked.

    The returned data set has ``provenance``: ``{"data_file": name, "data_sha256": ...}``.
    """
    path = Path(path)
    if not path.is_file():
        raise ActvizError(f"--data {path}: no such file")
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if path.suffix.lower() == ".npz":
        if not raw.startswith(b"PK"):
            raise ActvizError(f"--data {path.name}: not a readable .npz file (not a zip "
                              "archive of arrays)")
        x, y = _read_npz(path)
    else:
        x, y = _read_csv(path)
    x, y, classes = _check(path, x, y)
    order = np.random.default_rng(SPLIT_SEED).permutation(len(x))
    n_test = max(1, round(len(x) * TEST_FRACTION))
    test, train = order[:n_test], order[n_test:]
    mean, std = x[train].mean(axis=0), x[train].std(axis=0)
    std[std == 0] = 1.0
    x = (x - mean) / std
    return _user_dataset()(path.name, x[train].astype(np.float32), y[train],
                           x[test].astype(np.float32), y[test], len(classes),
                           {"data_file": path.name, "data_sha256": digest,
                            "classes": [_plain(c) for c in classes]})


@functools.cache
def _user_dataset():
    """A Dataset that also records where it came from (``provenance``)."""
    from .common import Dataset

    @dataclasses.dataclass(frozen=True)
    class UserDataset(Dataset):
        provenance: dict = dataclasses.field(default_factory=dict)

    return UserDataset


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _read_npz(path: Path) -> tuple[np.ndarray, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as archive:
            keys = list(archive.keys())
            if "X" not in keys or "y" not in keys:
                raise ActvizError(f"--data {path.name}: a .npz needs arrays 'X' and 'y'; it has "
                                  f"{', '.join(repr(k) for k in keys) or 'none'}")
            return archive["X"], archive["y"]
    except ActvizError:
        raise
    except ValueError as exc:  # e.g. object arrays (pickles are refused)
        raise ActvizError(f"--data {path.name}: cannot read it ({exc})") from None
    except (OSError, EOFError) as exc:
        raise ActvizError(f"--data {path.name}: not a readable .npz file ({exc})") from None


def _read_csv(path: Path) -> tuple[np.ndarray, np.ndarray]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ActvizError(f"--data {path.name}: not UTF-8 text") from None
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and not _numeric_row(lines[0].split(",")[:-1]):
        lines = lines[1:]  # a header
    if not lines:
        raise ActvizError(f"--data {path.name}: no rows")
    if len(lines) > MAX_ROWS:
        raise ActvizError(f"--data {path.name}: more than {MAX_ROWS:,} rows")
    rows = [line.split(",") for line in lines]
    width = len(rows[0])
    if width < 2:
        raise ActvizError(f"--data {path.name}: a row needs features and a label (at least 2 "
                          "columns)")
    features, labels = [], []
    for number, row in enumerate(rows, 1):
        if len(row) != width:
            raise ActvizError(f"--data {path.name}: row {number} has {len(row)} columns, the "
                              f"first has {width}")
        try:
            features.append([float(v) for v in row[:-1]])
        except ValueError:
            raise ActvizError(f"--data {path.name}: row {number} has a feature that is not a "
                              "number") from None
        labels.append(row[-1].strip())
    y = np.array(labels)
    try:
        y = y.astype(np.float64)
    except ValueError:
        pass  # word labels
    return np.array(features, dtype=np.float64), y


def _numeric_row(cells) -> bool:
    try:
        [float(c) for c in cells]
    except ValueError:
        return False
    return True


def _check(path: Path, x: np.ndarray, y: np.ndarray):
    name = path.name
    if x.dtype.kind not in "biuf":
        raise ActvizError(f"--data {name}: X must hold numbers, not {x.dtype}")
    if x.ndim != 2:
        raise ActvizError(f"--data {name}: X must be 2-D (samples x features), got shape "
                          f"{x.shape}")
    if y.ndim != 1 or len(y) != len(x):
        raise ActvizError(f"--data {name}: y must be 1-D with one label per row of X; X has "
                          f"shape {x.shape}, y {y.shape}")
    if x.shape[1] < 1 or x.shape[1] > MAX_FEATURES:
        raise ActvizError(f"--data {name}: X has {x.shape[1]} features; allowed 1 to "
                          f"{MAX_FEATURES:,}")
    x = x.astype(np.float64)
    bad = ~np.isfinite(x)
    if bad.any():
        row, col = (int(v) for v in np.argwhere(bad)[0])
        raise ActvizError(f"--data {name}: X has {int(bad.sum())} non-finite value(s), the "
                          f"first at row {row + 1}, column {col + 1}")
    if y.dtype.kind == "f":
        if not np.isfinite(y).all():
            raise ActvizError(f"--data {name}: y has non-finite labels")
        if not np.all(y == np.round(y)):
            raise ActvizError(f"--data {name}: y must hold class labels (whole numbers or "
                              "words), not measurements")
    elif y.dtype.kind not in "biuU":
        raise ActvizError(f"--data {name}: y must hold class labels, not {y.dtype}")
    classes, codes = np.unique(y, return_inverse=True)
    if len(classes) < 2:
        raise ActvizError(f"--data {name}: y has {len(classes)} class; training needs at least "
                          "two")
    if len(x) < 8:
        raise ActvizError(f"--data {name}: {len(x)} samples; at least 8 are needed for a "
                          "training and a test set")
    return x, codes.astype(np.int64), classes
