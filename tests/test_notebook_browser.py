"""actviz.explore() as a notebook shows it: the page inside an iframe srcdoc, in real Chromium.

The frame's HTML (``_repr_html_``) is put into a host page, as Jupyter puts it
into the notebook; the page inside must load with no request and no console
error, and its slider must move the curve to the registry's values.
"""

from __future__ import annotations

import numpy as np
import pytest

import actviz
from actviz import explorer
from tests.conftest import require

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_inline_explorer_runs_in_its_frame_offline_with_live_sliders(browser, tmp_path):
    require("bokeh")
    shown = actviz.explore(["leaky_relu"], lang="en")
    host = tmp_path / "notebook.html"
    host.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
                    "<h1>a notebook</h1>" + shown._repr_html_() + "</body></html>",
                    encoding="utf-8")
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    errors, requests = [], []
    page.on("console", lambda m: m.type in ("error", "warning") and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(host.as_uri())
        frame = page.frame_locator("iframe")
        frame.locator("html[data-ready=true]").wait_for(timeout=15000)
        inner = next(f for f in page.frames if f != page.main_frame)
        assert inner.evaluate("() => document.documentElement.lang") == "en"
        # sandboxed without allow-same-origin: the notebook's page is out of its reach
        assert inner.evaluate("() => { try { return !!window.parent.document; }"
                              " catch (e) { return 'blocked'; } }") == "blocked"

        def curve():
            return inner.evaluate("""() => {
                const d = Bokeh.documents[0].get_model_by_name("curves").data;
                const slot = window.actviz.slotOf("leaky_relu");
                const list = (a) => Array.from(a, (v) => Number.isNaN(v) ? null : v);
                return {x: list(d.xs[slot]), y: list(d.ys[slot])};
            }""")

        grid = explorer.parameter_grid(actviz.get("leaky_relu"))
        values, start = grid.values[0], grid.start[0]
        before = curve()
        frame.locator("#details input[type=range][data-param=negative_slope]").focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        slope = values[start + 3]
        after = curve()
        assert after["y"] != before["y"]
        x = np.array(after["x"])
        y = np.array(after["y"], dtype=np.float64)
        single = (np.diff(x, prepend=-np.inf) != 0) & (np.diff(x, append=np.inf) != 0)
        want = actviz.get("leaky_relu", negative_slope=slope)
        np.testing.assert_array_equal(y[single], np.float32(want(x[single])))
        assert errors == []
        assert requests == [host.as_uri()]  # the frame's page loads nothing at all
    finally:
        page.close()
