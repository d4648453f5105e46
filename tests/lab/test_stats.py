"""Lab statistics against scipy.stats on known data."""

from __future__ import annotations

import math
import os

import numpy as np
import pytest

from actviz.errors import ActvizError


def require(module: str):
    if os.environ.get("CI") != "true":
        return pytest.importorskip(module)
    return __import__(module)


stats = require("scipy.stats")

from actviz.lab.stats import (  # noqa: E402
    mean_ci,
    paired_comparison,
    significance_sentence,
)

A = [0.962, 0.971, 0.958, 0.969, 0.966]
B = [0.960, 0.972, 0.951, 0.962, 0.964]


def test_mean_ci_matches_scipy_t_interval():
    data = np.array([2.1, 3.4, 1.9, 5.0, 4.2, 3.3])
    result = mean_ci(data)
    low, high = stats.t.interval(0.95, len(data) - 1, loc=data.mean(), scale=stats.sem(data))
    assert result.mean == pytest.approx(data.mean())
    assert result.low == pytest.approx(low, rel=1e-12)
    assert result.high == pytest.approx(high, rel=1e-12)
    assert result.std == pytest.approx(data.std(ddof=1))
    assert result.n == 6
    # A known value: t_{0.975, 5} = 2.5706 (textbook tables)
    assert result.half_width == pytest.approx(2.570582 * stats.sem(data), rel=1e-6)


def test_mean_ci_other_level_and_edge_cases():
    data = [1.0, 2.0, 4.0]
    r90 = mean_ci(data, confidence=0.9)
    low, _ = stats.t.interval(0.9, 2, loc=np.mean(data), scale=stats.sem(data))
    assert r90.low == pytest.approx(low)
    one = mean_ci([0.5])
    assert one.mean == 0.5 and math.isnan(one.low) and one.as_dict()["low"] is None
    flat = mean_ci([0.9, 0.9, 0.9])
    assert flat.low == flat.high == pytest.approx(0.9)
    with pytest.raises(ActvizError):
        mean_ci([])
    with pytest.raises(ActvizError):
        mean_ci([1.0, float("nan")])
    with pytest.raises(ActvizError):
        mean_ci([1.0, 2.0], confidence=1.5)


def test_paired_comparison_matches_ttest_rel():
    result = paired_comparison(A, B, label_a="ReLU", label_b="Leaky ReLU")
    reference = stats.ttest_rel(A, B)
    interval = reference.confidence_interval(0.95)
    assert result.t == pytest.approx(reference.statistic, rel=1e-10)
    assert result.p_value == pytest.approx(reference.pvalue, rel=1e-10)
    assert result.low == pytest.approx(interval.low, rel=1e-10)
    assert result.high == pytest.approx(interval.high, rel=1e-10)
    assert result.mean_difference == pytest.approx(np.mean(np.subtract(A, B)))
    assert result.df == 4 and result.n == 5
    assert result.significant == (reference.pvalue < 0.05)


def test_paired_comparison_detects_a_consistent_difference():
    rng = np.random.default_rng(1)
    base = rng.normal(0.9, 0.02, 8)
    better = base + 0.01 + rng.normal(0, 0.002, 8)
    result = paired_comparison(better, base)
    assert result.significant and result.p_value < 1e-4
    assert result.p_value == pytest.approx(stats.ttest_rel(better, base).pvalue, rel=1e-9)
    # unpaired data would hide it: the paired test is what makes it visible
    assert stats.ttest_ind(better, base).pvalue > result.p_value


def test_paired_comparison_degenerate_and_bad_input():
    same = paired_comparison([0.9, 0.8], [0.9, 0.8])
    assert same.p_value == 1.0 and not same.significant and same.mean_difference == 0.0
    shifted = paired_comparison([0.91, 0.81], [0.9, 0.8])
    assert shifted.p_value == 0.0 and shifted.significant
    with pytest.raises(ActvizError, match="at least 2"):
        paired_comparison([0.9], [0.8])
    with pytest.raises(ActvizError, match="length"):
        paired_comparison([0.9, 0.8], [0.8])


def test_sentences_say_significant_or_not_in_both_languages():
    not_sig = paired_comparison(A, B, label_a="ReLU", label_b="Leaky ReLU")
    assert not not_sig.significant
    sentence = significance_sentence(not_sig, "en")
    assert "not significant" in sentence and "ReLU" in sentence
    assert f"{not_sig.mean_difference * 100:+.2f} points" in sentence
    assert f"p = {not_sig.p_value:.3f}" in sentence
    assert "有意な差はなく" in significance_sentence(not_sig, "ja")
    sig = paired_comparison([0.95, 0.96, 0.97, 0.955], [0.90, 0.92, 0.93, 0.91],
                            label_a="ReLU", label_b="Sigmoid")
    assert sig.significant
    en = significance_sentence(sig, "en")
    assert "not significant" not in en and "significant at the 5% level (ReLU is better)" in en
    assert "有意な差があります（ReLU の方が良い）" in significance_sentence(sig, "ja")
