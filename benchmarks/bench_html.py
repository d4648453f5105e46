"""Benchmark of the explorer page: build time, size, load time and slider latency in Chromium.

Run from the repository root::

    python benchmarks/bench_html.py [--runs 9] [--moves 21]

Budgets (issue 5): the default page (all activations) at most 3 MB; from opening
the file to an interactive plot under 2 s; a slider move drawn within 100 ms.
Measured in headless Chromium (Debian's /usr/bin/chromium, driven by
Playwright), side by side and alternating in one run:

- load: the default page against a one-activation page (the cost of the data
  and of the 48 entries is the ratio); ``interactive`` is the time from
  navigation start until the curves' first frame is on screen (the page records
  it two animation frames after the plot is ready), measured by the page's own
  clock;
- slider: moving leaky_relu's negative_slope slider (an ``input`` event, as a
  drag or key press sends) until two animation frames later, against the same
  wait with no move (the frame wait itself, the floor of any measurement).

Prints medians.  The machine's load average is printed too: other processes on
a 2-core machine slow everything down.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from actviz import _io, explorer

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SIZE_BUDGET = 3_000_000
LOAD_BUDGET_MS = 2000
SLIDER_BUDGET_MS = 100

MOVE_JS = """async ({index, move}) => {
    const input = document.querySelector('#details input[type=range][data-param=negative_slope]');
    const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    await frames();
    const t0 = performance.now();
    if (move) {
        input.value = String(index);
        input.dispatchEvent(new Event('input', {bubbles: true}));
    }
    await frames();
    return performance.now() - t0;
}"""


def build(folder: Path) -> tuple[Path, Path, dict[str, float]]:
    times = {}
    t0 = time.perf_counter()
    data = explorer.explorer_data(formulas=False)
    times["data (curves, regions, properties)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    data = explorer.explorer_data()
    times["data with formulas (mathtext)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    page = explorer.build_html(data)
    times["page (Bokeh, HTML)"] = time.perf_counter() - t0
    default = _io.write_text(folder / "default.html", page)
    single = explorer.write_html(folder / "single.html", ["relu"])
    return default, single, times


def open_page(browser, path: Path) -> tuple[object, float, float]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    t0 = time.perf_counter()
    page.goto(path.resolve().as_uri())
    page.wait_for_function("window.actviz && window.actviz.paintedAt !== undefined",
                           timeout=30000)
    wall = (time.perf_counter() - t0) * 1000
    painted = page.evaluate("window.actviz.paintedAt")
    return page, painted, wall


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="page loads of each kind (9)")
    parser.add_argument("--moves", type=int, default=21, help="slider moves and waits (21)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    print(f"load average: {os.getloadavg()[0]:.2f} (cores: {os.cpu_count()})")
    with tempfile.TemporaryDirectory() as tmp:
        default, single, times = build(Path(tmp))
        for what, seconds in times.items():
            print(f"build {what:<40} {seconds:6.2f} s")
        size = default.stat().st_size
        print(f"default page size {size / 1e6:.2f} MB (budget {SIZE_BUDGET / 1e6:.0f} MB); "
              f"one activation {single.stat().st_size / 1e6:.2f} MB")

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            open_page(browser, single)[0].close()  # warm-up: browser start, font cache
            loads: dict[str, list[float]] = {"default": [], "single": []}
            walls: dict[str, list[float]] = {"default": [], "single": []}
            for _ in range(args.runs):
                for kind, path in (("default", default), ("single", single)):
                    page, painted, wall = open_page(browser, path)
                    loads[kind].append(painted)
                    walls[kind].append(wall)
                    page.close()
            med = {k: statistics.median(v) for k, v in loads.items()}
            print(f"interactive (navigation start -> first frame with curves), median of "
                  f"{args.runs}: default {med['default']:.0f} ms, one activation "
                  f"{med['single']:.0f} ms, ratio {med['default'] / med['single']:.2f} "
                  f"(budget {LOAD_BUDGET_MS} ms)")
            print(f"  wall time goto -> painted, median: default "
                  f"{statistics.median(walls['default']):.0f} ms, one activation "
                  f"{statistics.median(walls['single']):.0f} ms")

            page, _, _ = open_page(browser, default)
            count = len(explorer.parameter_grid(explorer.registry.get("leaky_relu")).values[0])
            moved, still = [], []
            for k in range(args.moves):
                moved.append(page.evaluate(MOVE_JS, {"index": k % count, "move": True}))
                still.append(page.evaluate(MOVE_JS, {"index": 0, "move": False}))
            page.close()
            browser.close()
        m, s = statistics.median(moved), statistics.median(still)
        print(f"slider move -> drawn (2 frames), median of {args.moves}: {m:.1f} ms; "
              f"frame wait alone {s:.1f} ms; ratio {m / s:.2f} (budget {SLIDER_BUDGET_MS} ms)")
        ok = size <= SIZE_BUDGET and med["default"] < LOAD_BUDGET_MS and m < SLIDER_BUDGET_MS
        print("within budget" if ok else "OVER BUDGET")
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
