"""`actviz post`: the files, the images the Markdown shows, the order, the text and the CLI."""

from __future__ import annotations

import json
import re

import pytest
from PIL import Image

from actviz import cli
from actviz.article import STEP_LABELS, content

IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)


def markdown(folder) -> str:
    return (folder / "post.md").read_text(encoding="utf-8")


def test_writes_markdown_html_figures_and_lab_files(article):
    _, folder, result, _ = article
    for name in ("post.md", "post.html", "numbers.json"):
        assert (folder / name).stat().st_size > 1000, name
    lab = {p.name for p in (folder / "lab").iterdir()}
    assert {"gradflow.json", "gradflow.png", "speed.json", "speed.png", "dead.json",
            "dead-born.png", "dead-training.png", "dead-born.md", "train.json",
            "train.png"} <= lab
    assert not [n for n in lab if n.startswith(".")]  # no temporary file left
    figures = sorted(p.name for p in (folder / "figures").iterdir())
    assert figures == ["leaky_relu_slope.gif", "relu_dead_region.png",
                       "relu_vs_leaky_relu.png", "vanishing_gradient.png"]
    assert all(p.exists() for p in result.files)


def test_lab_json_is_what_actviz_lab_writes(article):
    _, folder, _, _ = article
    for stem in ("gradflow", "speed", "dead", "train"):
        data = json.loads((folder / "lab" / f"{stem}.json").read_text(encoding="utf-8"))
        assert data["experiment"] == stem
        assert {"actviz_version", "torch_version", "seed", "settings", "figures",
                "results"} <= set(data)
        for figure in data["figures"]:
            assert (folder / "lab" / figure).is_file()
    gradflow = json.loads((folder / "lab" / "gradflow.json").read_text(encoding="utf-8"))
    from actviz.lab import gradflow as lab_gradflow

    assert set(gradflow["settings"]) == set(lab_gradflow.SETTING_KEYS)
    assert gradflow["settings"]["depth"] == gradflow["results"]["depth"] == 5


def test_every_image_the_markdown_shows_exists_and_opens(article):
    _, folder, _, _ = article
    images = IMAGE.findall(markdown(folder))
    assert len(images) == 9
    for alt, path in images:
        assert alt.strip()
        assert not re.match(r"^(https?:|//|/)", path), path  # relative links only
        with Image.open(folder / path) as image:
            image.verify()
    paths = [p for _, p in images]
    assert "figures/leaky_relu_slope.gif" in paths
    assert {"lab/gradflow.png", "lab/speed.png", "lab/dead-born.png", "lab/dead-training.png",
            "lab/train.png"} <= set(paths)


def test_markdown_follows_the_posts_order_with_code_and_math(article):
    lang, folder, _, _ = article
    text = markdown(folder)
    t = content.templates(lang)
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings == [t["h_goal"], t["h_sig"], t["h_relu"], t["h_leaky"], t["h_vs"],
                        t["h_summary"], t["h_repro"], t["h_refs"]]
    assert text.count("```") % 2 == 0
    blocks = FENCE.findall(text)
    assert sum(1 for kind, _ in blocks if kind == "python") == 9
    assert sum(1 for kind, _ in blocks if kind == "sh") == 4
    assert text.count("$$") == 2 * 8  # f and f' of the post's four functions
    # the lab's figures follow the claims they test
    order = [text.index(s) for s in ("figures/vanishing_gradient.png", "lab/gradflow.png",
                                     "figures/relu_dead_region.png", "lab/speed.png",
                                     "lab/dead-born.png", "figures/leaky_relu_slope.gif",
                                     "lab/train.png")]
    assert order == sorted(order)
    for ref in ("Glorot", "Bordes", "Lu, L.", "Maas", "He, K."):
        assert ref in text


def test_default_run_says_its_settings_are_small(article):
    lang, folder, _, _ = article
    text = markdown(folder)
    assert content.templates(lang)["run_small"] in text
    assert "--full" in text


def test_japanese_uses_the_posts_terms_and_one_register(made):
    result, _ = made("ja")
    text = markdown(result.folder)
    assert "勾配消失問題" in text and "死んだReLU問題" in text
    prose = []
    for block in re.split(r"\n{2,}", FENCE.sub("", text)):
        if block.startswith((">", "|", "#", "![", "- ", "$$")) or not block.strip():
            continue
        if block.startswith("*") and not block.startswith("**"):
            continue  # a figure caption: a noun phrase
        prose.append(re.sub(r"「[^」]*」", "「…」", block).strip("*"))  # quoted titles
    sentences = [s for p in prose for s in re.split(r"(?<=。)", p) if s.strip().endswith("。")]
    assert len(sentences) > 40
    for sentence in sentences:
        ending = re.sub(r"[(（][^()（）]*[)）]$", "", sentence.rstrip("。*"))  # a closing aside
        assert re.search(r"(です|ます|でした|ました|ません|ください|ましょう)$", ending), sentence
    assert not re.search(r"(である|だ)。", "\n".join(prose))


def test_english_is_english(made):
    result, _ = made("en")
    text = FENCE.sub("", markdown(result.folder))
    body = "\n".join(line for line in text.splitlines() if not line.startswith(">"))
    japanese = re.findall(r"[\u3040-\u30ff\u4e00-\u9fff]", body)
    assert len(japanese) < 40  # the original title, quoted once


def test_progress_reports_every_step_in_order_and_nothing_is_printed(made, capsys):
    _, events = made("en")
    starts = [e for e in events if e.done == 0 and e.total == 0]
    assert [e.label for e in starts] == list(STEP_LABELS)
    assert [e.step for e in starts] == list(range(1, len(STEP_LABELS) + 1))
    assert any(e.total > 0 and e.done == e.total for e in events)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_cli_lists_post_and_checks_its_arguments(capsys):
    assert cli.main(["post", "--help"]) == 0
    assert "--full" in capsys.readouterr().out
    assert cli.main(["post"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("actviz: error:") and "-o/--output" in err
    assert cli.main(["post", "-o", "x", "--lang", "fr"]) == 2


def test_step_printer_writes_one_line_per_step_when_not_a_terminal():
    import io

    from actviz.article import Progress
    from actviz.commands.post import StepPrinter

    stream = io.StringIO()
    printer = StepPrinter(stream)
    for step, label in enumerate(STEP_LABELS[:3], start=1):
        printer(Progress(step, 8, label, 0, 0))
        printer(Progress(step, 8, label, 1, 2))
        printer(Progress(step, 8, label, 2, 2))
    printer.close()
    assert stream.getvalue().splitlines() == [
        "[1/8] lab gradflow", "[2/8] lab speed", "[3/8] lab dead: born"]


def test_unknown_settings_are_an_error(tmp_path):
    pytest.importorskip("torch")
    from actviz.article import post
    from actviz.errors import ActvizError

    with pytest.raises(ActvizError, match="unknown experiment"):
        post(tmp_path, settings={"nope": {}})
