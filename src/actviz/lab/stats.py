"""Small statistics for the lab: means with t-based confidence intervals, paired comparisons.

Everything here works on the per-seed results of an experiment (a handful of
numbers), so it uses Student's t distribution, not the normal one.  The
quantiles and tail probabilities come from :mod:`scipy.stats` (a dependency of
the ``lab`` extra).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from .._locales import text
from ..errors import ActvizError

__all__ = ["MeanCI", "PairedComparison", "mean_ci", "paired_comparison", "significance_sentence"]


@dataclass(frozen=True)
class MeanCI:
    """A sample mean with its confidence interval.

    ``low``/``high`` bound the interval (``nan`` when ``n < 2``), ``half_width``
    is ``high - mean``, ``std`` the sample standard deviation (ddof=1),
    ``confidence`` the level (e.g. 0.95).
    """

    mean: float
    low: float
    high: float
    half_width: float
    std: float
    n: int
    confidence: float

    def as_dict(self) -> dict[str, float | int]:
        return {k: _json_float(v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class PairedComparison:
    """The paired comparison of two samples measured on the same seeds (``a - b``).

    ``mean_difference`` with its interval ``low``..``high``, the paired t
    statistic ``t`` with ``df = n - 1`` degrees of freedom, the two-sided
    ``p_value``, the significance level ``alpha`` and ``significant``
    (``p_value < alpha``).
    """

    label_a: str
    label_b: str
    mean_a: float
    mean_b: float
    mean_difference: float
    low: float
    high: float
    t: float
    df: int
    p_value: float
    n: int
    alpha: float
    significant: bool

    def as_dict(self) -> dict[str, object]:
        return {k: _json_float(v) if isinstance(v, float) else v for k, v in asdict(self).items()}


def _json_float(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _sample(values: Sequence[float], what: str) -> np.ndarray:
    data = np.asarray(values, dtype=np.float64).ravel()
    if data.size == 0:
        raise ActvizError(f"{what}: no values")
    if not np.all(np.isfinite(data)):
        raise ActvizError(f"{what}: the values must be finite (got {data.tolist()})")
    return data


def _check_confidence(confidence: float) -> float:
    if not 0.0 < confidence < 1.0:
        raise ActvizError(f"confidence={confidence!r} is out of range; allowed: (0, 1)")
    return float(confidence)


def mean_ci(values: Sequence[float], confidence: float = 0.95) -> MeanCI:
    """Mean of ``values`` with a two-sided t confidence interval.

    ``confidence`` is the coverage of the interval (default 0.95).  With one
    value the interval is undefined and its bounds are ``nan``; with values
    that are all equal it has zero width.
    """
    from scipy import stats

    confidence = _check_confidence(confidence)
    data = _sample(values, "mean_ci")
    n = int(data.size)
    mean = float(data.mean())
    if n < 2:
        return MeanCI(mean, math.nan, math.nan, math.nan, math.nan, n, confidence)
    std = float(data.std(ddof=1))
    quantile = float(stats.t.ppf(0.5 + confidence / 2.0, n - 1))
    half = quantile * std / math.sqrt(n)
    return MeanCI(mean, mean - half, mean + half, half, std, n, confidence)


def paired_comparison(a: Sequence[float], b: Sequence[float], *, label_a: str = "A",
                      label_b: str = "B", alpha: float = 0.05) -> PairedComparison:
    """Compare ``a`` and ``b`` measured in pairs (same seeds): mean of ``a - b``, CI, paired t-test.

    ``label_a``/``label_b`` name the two samples (used by the sentence),
    ``alpha`` is the significance level (default 0.05; the interval's coverage
    is ``1 - alpha``).  The p-value is two-sided, as ``scipy.stats.ttest_rel``.
    When every difference is the same the test is degenerate: p = 1 if they are
    all zero, else p = 0.  At least two pairs are needed.
    """
    from scipy import stats

    first = _sample(a, "paired_comparison")
    second = _sample(b, "paired_comparison")
    if first.size != second.size:
        raise ActvizError(f"paired_comparison: the samples differ in length "
                          f"({first.size} and {second.size}); they must be paired")
    n = int(first.size)
    if n < 2:
        raise ActvizError("paired_comparison: needs at least 2 pairs (seeds); got 1")
    confidence = _check_confidence(1.0 - alpha)
    diff = first - second
    mean = float(diff.mean())
    std = float(diff.std(ddof=1))
    df = n - 1
    if std == 0.0 or std <= 1e-15 * max(1.0, abs(mean)):
        t = 0.0 if mean == 0.0 else math.copysign(math.inf, mean)
        p_value = 1.0 if mean == 0.0 else 0.0
        low = high = mean
    else:
        se = std / math.sqrt(n)
        t = mean / se
        p_value = float(2.0 * stats.t.sf(abs(t), df))
        half = float(stats.t.ppf(0.5 + confidence / 2.0, df)) * se
        low, high = mean - half, mean + half
    return PairedComparison(
        label_a=label_a, label_b=label_b, mean_a=float(first.mean()), mean_b=float(second.mean()),
        mean_difference=mean, low=low, high=high, t=float(t), df=df, p_value=p_value, n=n,
        alpha=float(alpha), significant=bool(p_value < alpha))


def _format_p(p: float) -> str:
    if p < 0.001:
        return "< 0.001"
    return f"= {p:.3f}"


def significance_sentence(comparison: PairedComparison, lang: str = "en", *,
                          quantity: str | None = None, scale: float = 100.0,
                          unit: str | None = None) -> str:
    """One sentence that says whether ``comparison`` found a significant difference.

    ``quantity`` names what was compared (default: final test accuracy, in the
    language ``lang``), ``scale`` multiplies the difference for display
    (default 100: accuracies shown in percentage points), ``unit`` follows the
    numbers (default: 'points').
    """
    c = comparison
    quantity = quantity if quantity is not None else text("lab.train.quantity", lang)
    unit = unit if unit is not None else text("lab.train.points", lang)
    values = {
        "a": c.label_a, "b": c.label_b, "quantity": quantity, "unit": unit,
        "diff": f"{c.mean_difference * scale:+.2f}", "low": f"{c.low * scale:+.2f}",
        "high": f"{c.high * scale:+.2f}", "p": _format_p(c.p_value), "n": c.n,
        "level": f"{c.alpha * 100:g}", "conf": f"{(1 - c.alpha) * 100:g}",
        "better": c.label_a if c.mean_difference > 0 else c.label_b,
        "worse": c.label_b if c.mean_difference > 0 else c.label_a,
    }
    key = "lab.stats.significant" if c.significant else "lab.stats.not_significant"
    return text(key, lang, **values)
