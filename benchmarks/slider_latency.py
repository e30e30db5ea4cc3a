"""Slider responsiveness in a real browser: keypress -> redrawn figure, for every slider.

    python benchmarks/slider_latency.py [--moves 7] [--out benchmarks/results/slider_latency.md]

Same setup as the browser tests (tests/browser/numdiff_browser.py): JupyterLab on 127.0.0.1
with a token on a temporary copy of notebooks/, Debian's Chromium through Playwright; plus
Voilà on the demo lesson. For each slider the handle is moved with ArrowRight and ArrowLeft in
turn (so it stays in range and every move is a real redraw), and the page itself timestamps the
keydown and the `load` event of the new figure image: the time a learner waits between pressing
a key and seeing the new figure, kernel round trip and PNG rendering included. Median of the
moves. Target: 200 ms on the machine the results name. Needs requirements-test.txt (playwright).
"""

import argparse
import datetime
import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 200.0


def _load_browser_helpers():
    # Shared with the tests, loaded by path: tests/ is not a package and is not installed.
    path = ROOT / "tests" / "browser" / "numdiff_browser.py"
    spec = importlib.util.spec_from_file_location("numdiff_browser", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


nb = _load_browser_helpers()

# Timestamps in the page's own clock: keydown (capture phase, before the slider sees it), the
# first src change of the figure afterwards, and the first `load` of the new image.
INSTRUMENT = """(img) => {
    if (!window.__latencyKey) {
        window.__latencyKey = true;
        document.addEventListener('keydown', () => {
            window.__lat = {key: performance.now(), src: null, load: null};
        }, true);
    }
    new MutationObserver(() => {
        if (window.__lat && window.__lat.src === null) window.__lat.src = performance.now();
    }).observe(img, {attributes: true, attributeFilter: ['src']});
    img.addEventListener('load', () => {
        if (window.__lat && window.__lat.src !== null && window.__lat.load === null)
            window.__lat.load = performance.now();
    });
}"""


def measure_widget(page, widget, moves, settle):
    """[(slider name, [ms per move])] for each slider of one widget."""
    img = widget.locator("img.widget-image").first
    img.evaluate(INSTRUMENT)
    rows = []
    sliders = widget.locator(".widget-slider")
    for s in range(sliders.count()):
        slider = sliders.nth(s)
        name = nb.slider_name(slider)
        handle = slider.locator(".noUi-handle").first
        times = []
        for i in range(moves):
            key = nb.key_for(slider, "ArrowRight" if i % 2 == 0 else "ArrowLeft")
            src = img.get_attribute("src")
            handle.focus()
            page.keyboard.press(key)
            nb.wait_src_change(img, src)
            page.wait_for_function("() => window.__lat && window.__lat.load !== null",
                                   timeout=30_000)
            lat = page.evaluate("window.__lat")
            times.append(lat["load"] - lat["key"])
            settle()
            nb.wait_src_stable(img, quiet=0.2)
        rows.append((name, times))
    return rows


def lab_rows(browser, lab, moves):
    rows = []
    for name in nb.slider_notebooks():
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        page = context.new_page()
        page.goto(lab.url(f"/lab/tree/{name}", reset=""))
        kernel = nb.wait_kernel_ready(page, lab, name)
        nb.run_all_cells(page)
        expected = len(nb.widget_cells(nb.NOTEBOOKS / name))
        page.wait_for_function(
            "n => document.querySelectorAll('.jp-Notebook .numdiff-widget img').length >= n",
            arg=expected, timeout=90_000)
        nb.wait_idle(page, lab, kernel)
        widgets = page.locator(".jp-Notebook .numdiff-widget")
        for w in range(widgets.count()):
            widget = widgets.nth(w)
            widget.scroll_into_view_if_needed()
            for slider, times in measure_widget(
                    page, widget, moves, lambda k=kernel, p=page: nb.wait_idle(p, lab, k)):
                rows.append(("JupyterLab", name, slider, times))
                print(f"  JupyterLab {name} {slider}: {statistics.median(times):.0f} ms")
        nb.shutdown_kernels(lab, [kernel])
        context.close()
    return rows


def voila_rows(browser, notebooks, tmp, moves, name="04_gradient_descent.ipynb"):
    server = nb.start_voila(notebooks / name, tmp)
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        page = context.new_page()
        page.goto(server.url("/"))
        page.wait_for_selector(".numdiff-widget img.widget-image", timeout=90_000)
        widget = page.locator(".numdiff-widget").first
        rows = [("Voilà", name, slider, times)
                for slider, times in measure_widget(page, widget, moves, lambda: None)]
        for _, _, slider, times in rows:
            print(f"  Voilà {name} {slider}: {statistics.median(times):.0f} ms")
        context.close()
        return rows
    finally:
        server.stop()  # Voilà shuts its kernels down on SIGTERM


def machine():
    browser = nb.find_browser_module().find_browser()[0]
    chromium = subprocess.run([browser, "--version"], capture_output=True, text=True)
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}; "
            f"{chromium.stdout.strip()} (headless)")


def write(rows, moves, out):
    lines = [
        "# Slider latency: keypress to redrawn figure",
        "",
        f"Measured {datetime.date.today().isoformat()} by `python benchmarks/slider_latency.py`"
        f" on {machine()}.",
        "",
        "Time from the keydown on a slider handle to the `load` event of the redrawn figure, as",
        "timestamped by the page itself (kernel round trip, Matplotlib rendering and PNG",
        f"transfer included). Median of {moves} moves per slider (ArrowRight and ArrowLeft in",
        f"turn). Target: under {TARGET_MS:.0f} ms.",
        "",
        "| where | notebook | slider | median ms | min–max ms | target 200 ms |",
        "|---|---|---|---:|---:|---|",
    ]
    for where, name, slider, times in rows:
        med = statistics.median(times)
        verdict = "met" if med < TARGET_MS else "**missed**"
        lines.append(f"| {where} | `{name}` | `{slider}` | {med:.0f} | "
                     f"{min(times):.0f}–{max(times):.0f} | {verdict} |")
    missed = [r for r in rows if statistics.median(r[3]) >= TARGET_MS]
    lines += ["", (f"{len(rows) - len(missed)} of {len(rows)} sliders meet the target."
                   if rows else "No sliders found.")]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=7, help="moves per slider (default 7)")
    parser.add_argument("--out", type=Path,
                        default=ROOT / "benchmarks" / "results" / "slider_latency.md")
    args = parser.parse_args(argv)
    if args.moves < 5:
        parser.error("--moves: at least 5, for a meaningful median")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="slider-latency-") as tmp:
        tmp = Path(tmp)
        notebooks = nb.copy_notebooks(tmp / "notebooks")
        lab = nb.start_lab(notebooks, tmp)
        try:
            with sync_playwright() as p:
                browser = nb.launch(p)
                rows = lab_rows(browser, lab, args.moves)
                rows += voila_rows(browser, notebooks, tmp, args.moves)
                browser.close()
        finally:
            try:
                nb.shutdown_kernels(lab)
            finally:
                lab.stop()
    write(rows, args.moves, args.out)
    print(f"{time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
