"""Every number the article quotes is read again from the lab JSON and found in the text."""

from __future__ import annotations

import html
import json
import re

from actviz.article.numbers import format_number


def follow(data, path):
    """The JSON value at ``path`` (written again here, apart from the library's lookup)."""
    for i, step in enumerate(path):
        if step == "*":
            return [follow(item, path[i + 1:]) for item in data]
        if isinstance(step, dict):
            (data,) = [item for item in data if all(item[k] == v for k, v in step.items())]
        else:
            data = data[step]
    return data


def flat(value):
    return [x for v in value for x in flat(v)] if isinstance(value, list) else [value]


def value_of(record, lab):
    values = [follow(lab, path) for path in record["paths"]]
    op = record["op"]
    if op == "value":
        return values[0]
    if op == "ratio":
        return values[0] / values[1]
    if op == "minratio":
        return min(values[0]) / min(values[1])
    numbers = flat(values)
    return {"mean": sum(numbers) / len(numbers), "max": max(numbers), "min": min(numbers)}[op]


def test_every_quoted_number_equals_the_lab_json_and_appears_in_the_text(article):
    _, folder, result, _ = article
    record = json.loads((folder / "numbers.json").read_text(encoding="utf-8"))
    assert record["numbers"] == result.numbers
    md = (folder / "post.md").read_text(encoding="utf-8")
    page = html.unescape((folder / "post.html").read_text(encoding="utf-8"))
    assert len(record["numbers"]) >= 50
    for quote in record["numbers"]:
        assert quote["file"].startswith("lab/")
        lab = json.loads((folder / quote["file"]).read_text(encoding="utf-8"))
        value = value_of(quote, lab)
        assert format_number(value, quote["format"], quote["scale"]) == quote["text"], quote
        assert quote["text"] in md, quote
        assert quote["text"] in page, quote


def test_the_key_claims_are_quoted_from_the_right_fields(article):
    _, folder, result, _ = article
    by_name = {q["name"]: q for q in result.numbers}
    train = json.loads((folder / "lab" / "train.json").read_text(encoding="utf-8"))
    comparison = train["results"]["comparison"]
    p = comparison["p_value"]
    assert by_name["tr_p"]["text"] == (f"{p:.2f}" if p >= 0.01 else format_number(p, "sci2"))
    assert by_name["tr_diff"]["text"] == f"{comparison['mean_difference'] * 100:+.2f}"
    assert by_name["tr_seeds"]["text"] == ", ".join(map(str, train["settings"]["seeds"]))
    gradflow = json.loads((folder / "lab" / "gradflow.json").read_text(encoding="utf-8"))
    sigmoid = next(r for r in gradflow["results"]["runs"] if r["activation"] == "sigmoid")
    ratio = sigmoid["initial"]["grad_norm"][0] / sigmoid["initial"]["grad_norm"][-1]
    assert by_name["gf_sig"]["text"] == format_number(ratio, "sci2")
    speed = json.loads((folder / "lab" / "speed.json").read_text(encoding="utf-8"))
    rows = {r["label"]: r for r in speed["results"]["torch"]}
    best = min(rows["tanh"]["forward_backward_samples"]) / min(
        rows["relu"]["forward_backward_samples"])
    assert by_name["sp_tanh"]["text"] == f"{best:.2f}"
    # the settings of each run are quoted with it
    for name in ("gf_depth", "gf_seed", "tr_epochs", "tr_n", "dy_epochs", "bd_trials",
                 "sp_repeats"):
        assert name in by_name


def test_no_measured_number_is_typed_into_the_templates():
    """The templates hold placeholders, not measurements: no decimal number except the
    post's slope 0.1 and the cited 0.01 (Maas et al.)."""
    from actviz.article import content

    for lang in ("en", "ja"):
        text = json.dumps(content.templates(lang), ensure_ascii=False)
        decimals = set(re.findall(r"(?<![\w.])\d+\.\d+", text)) - {"0.1", "0.01", "1502.01852",
                                                                   "1903.06733"}
        assert not decimals, (lang, decimals)
        percents = re.findall(r"(?<![{\w])\d+(?:\.\d+)?\s?%", text)
        assert set(percents) <= {"95%", "95% "}, (lang, percents)


def test_format_number():
    assert format_number(1.94e-6, "sci2") == "1.9×10⁻⁶"
    assert format_number(0.3321, "sci2") == "0.33"
    assert format_number(0.0123, "+.2f", 100) == "+1.23"
    assert format_number([0, 1, 2], "list") == "0, 1, 2"
    assert format_number(1_000_000, ",d") == "1,000,000"
