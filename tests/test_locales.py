"""The explanation files: complete, well-formed, 2-5 sentences, and consistent with the registry."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from importlib import resources

import numpy as np
import pytest

import actviz
from actviz import _locales

LANGS = ("en", "ja")
BLOG = ("sigmoid", "tanh", "relu", "leaky_relu")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = ("e.g.", "i.e.", "et al.", "vs.", "cf.", "approx.")


def load(lang: str) -> dict[str, str]:
    path = resources.files("actviz") / "locales" / f"explanations.{lang}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def sentences(text: str, lang: str) -> list[str]:
    """Split into sentences: at '。!?' in Japanese; at '.!?' followed by a space or the end in
    English (so '0.01', 'numpy.sinc' and 'nn.Threshold' do not split)."""
    if lang == "ja":
        parts = re.split(r"(?<=[。!?])", text)
    else:
        for abbreviation in ABBREVIATIONS:
            text = text.replace(abbreviation, abbreviation.replace(".", ""))
        parts = re.split(r"(?<=[.!?])\s+", text)
    return [p for p in (part.strip() for part in parts) if p]


def number(token: str) -> float:
    return float(Fraction(token.replace("−", "-")))


@pytest.fixture(scope="module", params=LANGS)
def lang_texts(request):
    return request.param, load(request.param)


def test_sentence_splitter_counts_sensibly():
    assert len(sentences("Slope 0.01 in numpy.sinc. Two e.g. here. Three.", "en")) == 3
    assert len(sentences("勾配は1である。値は0.01。", "ja")) == 2


def test_files_are_json_with_exactly_the_registered_names(lang_texts):
    _, texts = lang_texts
    assert isinstance(texts, dict)
    assert sorted(texts) == sorted(actviz.names())
    assert len(texts) == len(actviz.names()) == 48
    assert all(isinstance(t, str) and t == t.strip() and t for t in texts.values())


def test_every_text_has_two_to_five_sentences(lang_texts):
    lang, texts = lang_texts
    end = "。" if lang == "ja" else "."
    for name, text in texts.items():
        found = sentences(text, lang)
        assert 2 <= len(found) <= 5, (name, len(found), found)
        assert all(s.endswith(("。", "!", "?") if lang == "ja" else (".", "!", "?"))
                   for s in found), (name, found)
        assert text.endswith(end), name


def test_japanese_is_japanese_and_english_is_not():
    ja, en = load("ja"), load("en")
    for name in actviz.names():
        assert len(JAPANESE.findall(ja[name])) > 20, name
        assert not JAPANESE.search(en[name]), name
        # one register throughout: plain (である) style, no です/ます endings
        assert not re.search(r"(です|ます)[。、]", ja[name]), name
        assert "." not in re.sub(r"\d\.\d|[A-Za-z_]\.[A-Za-z_]", "", ja[name]), name


def test_explanation_api_reads_the_files():
    ja, en = load("ja"), load("en")
    for name in actviz.names():
        assert _locales.explanation(name, "en") == en[name]
        assert _locales.explanation(name, "ja") == ja[name]
        assert actviz.get(name).explanation("ja") == ja[name]


def test_blog_points_are_carried_in_japanese():
    ja = load("ja")
    for name in ("sigmoid", "tanh"):
        assert "勾配消失" in ja[name] and "飽和" in ja[name], name
    assert "1/4" in ja["sigmoid"]
    relu = ja["relu"]
    assert "死んだReLU" in relu and "max(0, x)" in relu
    assert "勾配は1" in relu and "スパース" in relu and "軽" in relu
    leaky = ja["leaky_relu"]
    assert "死んだReLU" in leaky and "対策" in leaky
    assert "0.01" in leaky and "0.1" in leaky
    assert "大差" in leaky and "Leaky ReLUを試す" in leaky


def test_blog_points_are_carried_in_english():
    en = load("en")
    for name in ("sigmoid", "tanh"):
        assert "vanishing gradient" in en[name] and "saturates" in en[name], name
    assert "1/4" in en["sigmoid"]
    relu = en["relu"]
    assert "dying ReLU" in relu and "max(0, x)" in relu
    assert "gradient 1" in relu and "sparse" in relu and "single comparison" in relu
    leaky = en["leaky_relu"]
    assert "dying ReLU" in leaky and "countermeasure" in leaky
    assert "0.01" in leaky and "0.1" in leaky
    assert "differ little" in leaky and "try Leaky ReLU when ReLU fails" in leaky


# f'(0) = 1/2, f'(0) = tanh(log 2) = 0.6, f'(0) = 2/√π ≈ 1.128: the last number counts.
SLOPE_AT_0 = re.compile(
    r"f'\(0\) = (?:\w*\([^()]*\) [=≈] |[\d/√π]+ ≈ )?"  # optional 'tanh(log 2) = ', '2/√π ≈ '
    r"(−?\d+(?:\.\d+)?(?:/\d+)?)(?![\d/.]\d)"
)


@pytest.mark.parametrize("lang", LANGS)
def test_quoted_slopes_at_zero_match_the_registry(lang):
    checked = 0
    for name, text in load(lang).items():
        for token in SLOPE_AT_0.findall(text):
            decimals = len(token.split(".")[1]) if "." in token else 12
            slope = float(actviz.get(name).grad(np.array([0.0]))[0])
            assert abs(number(token) - slope) <= 0.6 * 10.0 ** -decimals, (name, token, slope)
            checked += 1
    assert checked >= 15


MINIMUM = {
    "en": re.compile(r"minimum (?:of )?(?:about )?(−\d+\.\d+)"),
    "ja": re.compile(r"最小値約? ?(−\d+\.\d+)|約 (−\d+\.\d+) の最小値"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_quoted_minima_match_the_declared_range(lang):
    checked = 0
    for name, text in load(lang).items():
        for groups in MINIMUM[lang].findall(text):
            token = "".join(groups) if isinstance(groups, tuple) else groups
            decimals = len(token.split(".")[1])
            low = actviz.get(name).properties.range.low
            assert abs(number(token) - low) <= 0.6 * 10.0 ** -decimals, (name, token, low)
            checked += 1
    assert checked >= 9


@pytest.mark.parametrize("lang", LANGS)
def test_words_agree_with_declared_properties(lang):
    non_monotonic = "非単調" if lang == "ja" else "non-monotonic"
    discontinuous = "不連続" if lang == "ja" else "discontinuous"
    dead = (r"ちょうど0|常に0|死んだ|勾配0|不感帯" if lang == "ja"
            else r"exactly 0|dying ReLU|dead")
    for name, text in load(lang).items():
        props = actviz.get(name).properties
        assert (non_monotonic in text) == (not props.monotonic), name
        assert (discontinuous in text) == (props.smoothness == -1), name
        if props.dead_region:
            assert re.search(dead, text), name
        if lang == "en":
            if re.search(r"saturat\w* on the left|left saturation", text):
                assert props.saturates == "left", name
            if "saturates on both sides" in text:
                assert props.saturates == "both", name
            if "never saturates" in text:
                assert props.saturates == "none", name


def test_definition_texts_in_japanese_cover_every_parameter_and_note():
    """Parameter descriptions and derivative notes have Japanese versions, used by as_dict."""
    import json
    from pathlib import Path

    import actviz

    path = Path(actviz.__file__).parent / "locales" / "definitions.ja.json"
    ja = json.loads(path.read_text(encoding="utf-8"))
    for name in actviz.names():
        act = actviz.get(name)
        d = act.definition
        entry = ja.get(name, {})
        assert set(entry.get("params", {})) == {p.name for p in d.params}, name
        assert bool(entry.get("derivative_note")) == bool(d.derivative_note), name
        info = act.as_dict("ja")
        for p in info["params"]:
            assert p["description"] == entry["params"][p["name"]]
            assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", p["description"]), name
        assert info["derivative_note"] == entry.get("derivative_note", "")
        assert act.as_dict("en")["derivative_note"] == d.derivative_note
