"""The explorer page in real Chromium (Debian's, driven by Playwright): loads offline, sliders, toggles,
Japanese, and registry text that cannot run as code."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import actviz
from actviz import explorer
from actviz.registry import Reference

pytestmark = [pytest.mark.browser, pytest.mark.slow]

XSS_NAME = "<script>window.__pwned=1</script>"
XSS_TEXT = '<img src=x onerror="window.__pwned=1">'


class Opened:
    """A page opened from file://, with its console errors and every request it made."""

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(
            f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_selector("html[data-ready=true]", timeout=15000)

    def curves(self):
        """x, y, dy of every overlay slot, read from the Bokeh ColumnDataSource in the page."""
        return self.page.evaluate("""() => {
            const data = Bokeh.documents[0].get_model_by_name("curves").data;
            const list = (a) => Array.from(a, (v) => Number.isNaN(v) ? null : v);
            return {xs: data.xs.map(list), ys: data.ys.map(list), dys: data.dys.map(list)};
        }""")

    def slot(self, name: str) -> int:
        return self.page.evaluate("(name) => window.actviz.slotOf(name)", name)

    def close(self):
        self.page.close()


@pytest.fixture
def opened(browser, default_page):
    page = Opened(browser, default_page)
    yield page
    page.close()


def _nan(values):
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def test_default_page_is_under_three_megabytes(default_page):
    assert default_page.stat().st_size <= 3_000_000


def test_loads_offline_without_console_errors_or_other_requests(opened):
    assert opened.errors == []
    assert opened.requests == [opened.url]
    curves = opened.curves()
    # the blog's four are drawn at the start, with the registry's values
    for name in explorer.DEFAULT_INITIAL:
        slot = opened.slot(name)
        assert slot >= 0, name
        x = np.array(curves["xs"][slot])
        np.testing.assert_array_equal(_nan(curves["ys"][slot])[np.diff(x, append=np.inf) != 0],
                                      np.float32(actviz.get(name)(x))[np.diff(x, append=np.inf) != 0])
    assert opened.page.get_by_role("heading", name="Leaky ReLU").is_visible()


def test_leaky_relu_slider_shows_the_registrys_values_for_each_slope(opened):
    page = opened.page
    grid = explorer.parameter_grid(actviz.get("leaky_relu"))
    values, start = grid.values[0], grid.start[0]
    slot = opened.slot("leaky_relu")
    before = opened.curves()["ys"][slot]
    slider = page.locator("#details input[type=range][data-param=negative_slope]")
    slider.focus()
    for step in (3, 2):  # real key presses: the slider moves one value per press
        for _ in range(step):
            page.keyboard.press("ArrowRight")
        start += step
        slope = values[start]
        curves = opened.curves()
        x = np.array(curves["xs"][slot])
        y = _nan(curves["ys"][slot])
        dy = _nan(curves["dys"][slot])
        want = actviz.get("leaky_relu", negative_slope=slope)
        single = np.diff(x, prepend=-np.inf) != 0
        single &= np.diff(x, append=np.inf) != 0
        np.testing.assert_array_equal(y[single], np.float32(want(x[single])))
        np.testing.assert_array_equal(dy[single], np.float32(want.grad(x[single])))
        assert y[0] == pytest.approx(-10 * slope, rel=1e-6)
        assert page.locator("#details output").first.inner_text().startswith(f"{slope:g}")
    assert y.tolist() != _nan(before).tolist()
    assert opened.errors == []


def test_derivative_toggle_shows_and_hides_the_derivative(opened):
    page = opened.page
    visible = "() => Bokeh.documents[0].get_model_by_name('df').visible"
    assert page.evaluate(visible) is False
    page.get_by_label("Derivative").check()
    assert page.evaluate(visible) is True
    curves = opened.curves()
    slot = opened.slot("sigmoid")
    x = np.array(curves["xs"][slot])
    np.testing.assert_array_equal(_nan(curves["dys"][slot]),
                                  np.float32(actviz.get("sigmoid").grad(x)))
    page.get_by_label("Derivative").uncheck()
    assert page.evaluate(visible) is False


def test_region_toggles_draw_the_saturated_and_dead_pieces(opened):
    page = opened.page
    shown = "(name) => Bokeh.documents[0].get_model_by_name(name).visible"
    assert not page.evaluate(shown, "saturated") and not page.evaluate(shown, "dead")
    page.locator("#toggle-saturated").check()
    page.locator("#toggle-dead").check()
    assert page.evaluate(shown, "saturated") and page.evaluate(shown, "dead")
    dead = page.evaluate("""() => {
        const d = Bokeh.documents[0].get_model_by_name('dead-source').data;
        return d.xs.map((x, i) => [Array.from(x), Array.from(d.ys[i])]);
    }""")
    # ReLU's dead piece: y = 0 on [-10, 0]
    assert [[-10, 0], [0, 0]] in dead
    saturated = page.evaluate(
        "() => Bokeh.documents[0].get_model_by_name('saturated-source').data.xs.length")
    assert saturated >= 4  # sigmoid and tanh, both sides
    page.locator("#toggle-saturated").uncheck()
    assert not page.evaluate(shown, "saturated")


def test_picking_an_activation_overlays_it_and_shows_its_details(opened):
    page = opened.page
    page.locator("#activation-list label[data-name=elu] input").check()
    slot = opened.slot("elu")
    assert slot >= 0
    x = np.array(opened.curves()["xs"][slot])
    y = _nan(opened.curves()["ys"][slot])
    single = (np.diff(x, prepend=-np.inf) != 0) & (np.diff(x, append=np.inf) != 0)
    np.testing.assert_array_equal(y[single], np.float32(actviz.get("elu")(x[single])))
    assert page.get_by_role("heading", name="ELU").is_visible()
    assert page.locator("#details img").count() == 2  # formula and derivative
    page.locator("#activation-list label[data-name=elu] input").uncheck()
    assert opened.slot("elu") == -1
    assert opened.errors == []


def test_japanese_page_shows_japanese_text(browser, tmp_path):
    path = tmp_path / "ja.html"
    explorer.write_html(path, ["sigmoid", "relu", "leaky_relu:0.1"], lang="ja")
    opened = Opened(browser, path)
    page = opened.page
    try:
        assert page.evaluate("document.documentElement.lang") == "ja"
        assert "活性化関数" in page.locator("h1").inner_text()
        assert page.get_by_text("導関数 f′(x)").first.is_visible()
        details = page.locator("#details").inner_text()
        assert "パラメータ" in details and "値域" in details and "性質" in details
        explanation = actviz.get("leaky_relu").explanation("ja")
        if explanation:
            assert explanation in details
        font = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert "IPAexGothic" in font
        page.screenshot(path=str(tmp_path / "ja.png"), full_page=True)
        assert opened.errors == [] and opened.requests == [opened.url]
    finally:
        opened.close()


@pytest.fixture
def hostile_activation():
    """A user activation whose every text tries to run code."""
    actviz.register(
        "xss_probe", lambda x, scale: scale * np.tanh(x), lambda x, scale: scale / np.cosh(x) ** 2,
        params={"scale": 1.0}, display_name=XSS_NAME, explanation={"en": XSS_TEXT, "ja": XSS_TEXT},
        latex=XSS_TEXT, derivative_note=XSS_NAME,
        references=(Reference(XSS_TEXT, url="javascript:window.__pwned=1"),))
    yield "xss_probe"
    actviz.unregister("xss_probe")


def test_registry_text_is_shown_as_text_and_runs_nothing(browser, tmp_path, hostile_activation):
    path = tmp_path / "hostile.html"
    explorer.write_html(path, [hostile_activation, "relu"])
    opened = Opened(browser, path)
    page = opened.page
    try:
        page.locator("#chips .chip button.name").first.click()
        page.locator("#toggle-derivative").check()
        page.wait_for_timeout(200)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.get_by_role("heading", name=XSS_NAME).is_visible()
        assert page.get_by_text(XSS_TEXT, exact=True).first.is_visible()
        assert page.locator("#sidebar").get_by_text(XSS_NAME).is_visible()
        assert page.locator("#details a").count() == 0  # javascript: is not made a link
        assert page.locator("script:not([type])").count() == 2  # BokehJS and the page's own
        assert page.locator("#details img, #sidebar img").count() == 0  # bad LaTeX: plain text
        assert opened.requests == [opened.url]
        assert opened.errors == []
    finally:
        opened.close()
