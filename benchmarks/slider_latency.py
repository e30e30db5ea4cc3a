"""Slider responsiveness in a real browser, against a reference measured in the same run.

    python benchmarks/slider_latency.py [--moves 7] [--out benchmarks/results/slider_latency.md]

For each lesson slider (lessons 01, 04, 05, 06) a benchmark notebook holds the lesson's widget
(numdiff_lib.widgets: the figure is built once and only its artists move) next to a reference:
the same figure drawn the usual way, `ipywidgets.interactive` calling the plot helper that
rebuilds the whole figure and shows it in the widget's Output, as `plt.show()` would. Both run
in JupyterLab (127.0.0.1, token, Chromium through Playwright, as the browser tests), and the
lesson widget of 04 also in Voilà.

Two measurements per slider:
- key to frame: the page timestamps the keydown on the slider handle and the `load` of the new
  figure image (kernel round trip, rendering and PNG transfer included); median of --moves
  presses, ArrowRight and ArrowLeft in turn. Goal: the lesson's median at most 0.6x the
  reference's.
- drag: the handle is dragged with the mouse for 2 seconds; the figure must change at least 8
  times per second while the drag lasts (sliders update continuously; the front end keeps at
  most one update in flight and sends the latest value, so no stale frames queue up), and
  after the drag the caption must state the slider's final value.
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

import nbformat
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
RATIO_GOAL = 0.6
FPS_GOAL = 8.0
DRAG_SECONDS = 2.0


def _load_browser_helpers():
    # Shared with the tests, loaded by path: tests/ is not a package and is not installed.
    path = ROOT / "tests" / "browser" / "numdiff_browser.py"
    spec = importlib.util.spec_from_file_location("numdiff_browser", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


nb = _load_browser_helpers()

SETUP = """\
%matplotlib inline
import numpy as np
import ipywidgets as widgets
from IPython.display import display
import numdiff_lib
numdiff_lib.start("en")
from numdiff_lib import gradient_descent, plots
from numdiff_lib.formula_data import drawing_data
from numdiff_lib.widgets import descent_widget, formula_widget, secant_widget, taylor_widget

def my_func2(x):
    return 3 * x * np.exp(x)

def dmy_func2(x):
    return 3 * np.exp(x) + 3 * x * np.exp(x)

def function_2(x):
    return x[0]**2 + x[1]**2

def f6(x):
    return x**3 - 3 * x**2 + x + 1

init_x = np.array([-3.0, 4.0])

def reference(draw, **controls):
    box = widgets.interactive(draw, **controls)
    box.add_class("numdiff-reference")
    return box

def log_slider(description, value, lo, hi):
    return widgets.FloatLogSlider(value=value, base=10, min=lo, max=hi, step=0.25,
                                  description=description, continuous_update=True)
"""

# (name, lesson widget cell, reference cell): the same figure, the same controls.
PAIRS = [
    ("01 secant, delta_x",
     "secant_widget(my_func2, x0=2.0, delta_x=1.0, xlim=(0, 3), df=dmy_func2)",
     "reference(lambda delta_x: display(plots.plot_secant(my_func2, 2.0, delta_x, (0, 3), "
     "dmy_func2)), delta_x=log_slider('Δx (delta_x)', 1.0, -6, 1))"),
    ("04 descent, lr and step_num",
     "descent_widget(function_2, init_x, lr=0.1, step_num=20)",
     "reference(lambda lr, step_num: display(plots.plot_descent(function_2, "
     "{f'lr = {lr:.3g}': gradient_descent(function_2, init_x, lr=lr, step_num=step_num)})), "
     "lr=log_slider('lr', 0.1, -3, 0.5), step_num=widgets.IntSlider(value=20, min=1, max=100, "
     "description='step_num', continuous_update=True))"),
    ("05 formula box, x0",
     "formula_widget('3*x*exp(x)', x0=2.0)",
     # The usual way: parse, differentiate and draw the whole figure again on every move.
     "reference(lambda x0: display(plots.plot_formula(drawing_data('3*x*exp(x)', x0, (-1, 3)))), "
     "x0=widgets.FloatSlider(value=2.0, min=-1, max=3, step=0.05, description='x0', "
     "continuous_update=True))"),
    ("06 Taylor, x0",
     "taylor_widget(f6, x0=0.5)",
     "reference(lambda x0: display(plots.plot_taylor(f6, x0)), x0=widgets.FloatSlider("
     "value=0.5, min=-1, max=3, step=0.1, description='x0', continuous_update=True))"),
]

# Page-side timestamps: keydown (capture phase), and the `load` of the first new figure image
# inside the watched widget afterwards (a src change for the lesson widgets, a new <img> for
# the reference's Output). Also counts every new frame, for the drag.
INSTRUMENT = """(root) => {
    if (!window.__bench) {
        window.__bench = {key: null, load: null, frames: []};
        document.addEventListener('keydown', () => {
            window.__bench.key = performance.now(); window.__bench.load = null;
        }, true);
    }
    const seen = new WeakSet();
    const watch = (img) => {
        if (seen.has(img)) return;
        seen.add(img);
        img.addEventListener('load', () => {
            const t = performance.now();
            window.__bench.frames.push(t);
            if (window.__bench.key !== null && window.__bench.load === null)
                window.__bench.load = t;
        });
    };
    root.querySelectorAll('img').forEach(watch);
    new MutationObserver((records) => {
        for (const r of records) {
            if (r.type === 'childList')
                r.addedNodes.forEach(n => { if (n.nodeType === 1) {
                    if (n.tagName === 'IMG') watch(n); n.querySelectorAll('img').forEach(watch);
                } });
        }
    }).observe(root, {childList: true, subtree: true});
}"""


def notebook(path):
    cells = [nbformat.v4.new_code_cell(SETUP)]
    for _, lesson, ref in PAIRS:
        cells.append(nbformat.v4.new_code_cell(lesson))
        if ref:
            cells.append(nbformat.v4.new_code_cell(ref))
    nb_ = nbformat.v4.new_notebook(cells=cells)
    nb_.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                  "language": "python"}
    nbformat.write(nb_, path)


def figure_src(root):
    img = root.locator("img").last
    return img.get_attribute("src") if img.count() else None


def press(page, root, slider, key, settle):
    """Milliseconds from the keydown to the new figure's load."""
    handle = slider.locator(".noUi-handle").first
    page.evaluate("window.__bench.key = null; window.__bench.load = null")
    handle.focus()
    page.keyboard.press(key)
    page.wait_for_function("() => window.__bench.load !== null", timeout=60_000)
    ms = page.evaluate("window.__bench.load - window.__bench.key")
    settle()
    time.sleep(0.3)
    return ms


def drag(page, slider, settle):
    """(frames per second during a 2 s drag, caption/readout after it)."""
    handle = slider.locator(".noUi-handle").first
    track = slider.locator(".noUi-target").first
    box, hbox = track.bounding_box(), handle.bounding_box()
    y = hbox["y"] + hbox["height"] / 2
    x0 = hbox["x"] + hbox["width"] / 2
    # Sweep towards the far side of the track and back, in 40 moves of 50 ms.
    far = box["x"] + (box["width"] * 0.9 if x0 < box["x"] + box["width"] / 2
                      else box["width"] * 0.1)
    page.mouse.move(x0, y)
    page.mouse.down()
    start = page.evaluate("performance.now()")
    steps = 40
    for i in range(1, steps + 1):
        frac = i / (steps / 2) if i <= steps / 2 else 2 - i / (steps / 2)
        page.mouse.move(x0 + (far - x0) * frac * 0.8, y)
        time.sleep(DRAG_SECONDS / steps)
    end = page.evaluate("performance.now()")
    page.mouse.up()
    frames = page.evaluate(f"window.__bench.frames.filter(t => t > {start} && t <= {end})")
    settle()
    time.sleep(0.5)
    return len(frames) / ((end - start) / 1000)


def measure(page, root, moves, settle, caption=True):
    root.element_handle().evaluate(INSTRUMENT)
    rows = []
    sliders = root.locator(".widget-slider")
    for s in range(sliders.count()):
        slider = sliders.nth(s)
        name = nb.slider_name(slider)
        times = [press(page, root, slider,
                       nb.key_for(slider, "ArrowRight" if i % 2 == 0 else "ArrowLeft"), settle)
                 for i in range(moves)]
        fps = drag(page, slider, settle)
        agrees = None
        if caption:
            readout = slider.locator(".widget-readout").first.text_content().strip()
            text = root.locator(".numdiff-caption").first.text_content()
            shown = nb.caption_value(text, name)
            agrees = shown is not None and nb.same_number(readout, shown)
        rows.append((name, times, fps, agrees))
    return rows


def lab_run(browser, lab, name, moves):
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    page.goto(lab.url(f"/lab/tree/{name}", reset=""))
    kernel = nb.wait_kernel_ready(page, lab, name)
    nb.run_all_cells(page)
    expected = sum(1 for _, _, ref in PAIRS) + sum(1 for *_, ref in PAIRS if ref)
    page.wait_for_function(
        "n => document.querySelectorAll('.numdiff-widget img, .numdiff-reference img').length"
        " >= n", arg=expected, timeout=180_000)
    nb.wait_idle(page, lab, kernel)
    settle = lambda: nb.wait_idle(page, lab, kernel)  # noqa: E731
    lessons = page.locator(".jp-Notebook .numdiff-widget")
    refs = page.locator(".jp-Notebook .numdiff-reference")
    results, r = [], 0
    for i, (label, _, ref) in enumerate(PAIRS):
        widget = lessons.nth(i)
        widget.scroll_into_view_if_needed()
        mine = measure(page, widget, moves, settle)
        theirs = None
        if ref:
            reference = refs.nth(r)
            r += 1
            reference.scroll_into_view_if_needed()
            theirs = measure(page, reference, moves, settle, caption=False)
        for k, (slider, times, fps, agrees) in enumerate(mine):
            other = theirs[k] if theirs else None
            results.append(("JupyterLab", label, slider, times, fps, agrees,
                            other[1] if other else None, other[2] if other else None))
            print(f"  {label} / {slider}: {statistics.median(times):.0f} ms, {fps:.1f} fps"
                  + (f"; reference {statistics.median(other[1]):.0f} ms, {other[2]:.1f} fps"
                     if other else ""), flush=True)
    nb.shutdown_kernels(lab, [kernel])
    context.close()
    return results


def voila_run(browser, notebooks, tmp, moves, name="04_gradient_descent.ipynb"):
    server = nb.start_voila(notebooks / name, tmp)
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 1100})
        page = context.new_page()
        page.goto(server.url("/"))
        page.wait_for_selector(".numdiff-widget img.widget-image", timeout=120_000)
        widget = page.locator(".numdiff-widget").first
        rows = [("Voilà", f"lesson {name[:2]} (demo)", slider, times, fps, agrees, None, None)
                for slider, times, fps, agrees in measure(page, widget, moves, lambda: None)]
        context.close()
        return rows
    finally:
        server.stop()  # Voilà shuts its kernels down when it stops (its kernel API is closed)


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
        "# Sliders: key to frame, and frames while dragging",
        "",
        f"Measured {datetime.date.today().isoformat()} by `python benchmarks/slider_latency.py`"
        f" on {machine()}.",
        "",
        "Key to frame: from the keydown on a slider handle to the `load` of the new figure, as",
        "timestamped by the page (kernel round trip, rendering and PNG transfer included); median",
        f"of {moves} presses. Reference: the same figure rebuilt on every move by",
        "`ipywidgets.interactive` and shown in its Output, as `plt.show()` does, measured in the",
        f"same run. Goals: lesson median at most {RATIO_GOAL}x the reference; at least "
        f"{FPS_GOAL:.0f} new frames per second during a {DRAG_SECONDS:.0f}-second mouse drag.",
        "",
        "| where | figure | slider | key to frame, ms (median) | reference, ms | ratio | "
        "frames/s while dragging | reference, frames/s | caption = slider after the drag |",
        "|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    met_ratio = met_fps = total_ratio = 0
    for where, label, slider, times, fps, agrees, ref_times, ref_fps in rows:
        med = statistics.median(times)
        ratio = ""
        if ref_times:
            r = med / statistics.median(ref_times)
            total_ratio += 1
            met_ratio += r <= RATIO_GOAL
            ratio = f"{r:.2f}" + ("" if r <= RATIO_GOAL else " **missed**")
        met_fps += fps >= FPS_GOAL
        lines.append(
            f"| {where} | {label} | `{slider}` | {med:.0f} | "
            f"{statistics.median(ref_times):.0f} | " if ref_times else
            f"| {where} | {label} | `{slider}` | {med:.0f} | – | ")
        lines[-1] += (f"{ratio or '–'} | {fps:.1f}{'' if fps >= FPS_GOAL else ' **missed**'} | "
                      f"{f'{ref_fps:.1f}' if ref_fps is not None else '–'} | "
                      f"{'yes' if agrees else 'NO' if agrees is False else '–'} |")
    lines += ["", f"Ratio goal met by {met_ratio} of {total_ratio} sliders with a reference; "
              f"drag goal met by {met_fps} of {len(rows)} sliders."]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=7, help="key presses per slider")
    parser.add_argument("--out", type=Path,
                        default=ROOT / "benchmarks" / "results" / "slider_latency.md")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="slider-latency-") as tmp:
        tmp = Path(tmp)
        notebooks = nb.copy_notebooks(tmp / "notebooks")
        notebook(notebooks / "bench_sliders.ipynb")
        lab = nb.start_lab(notebooks, tmp)
        try:
            with sync_playwright() as p:
                browser = nb.launch(p)
                rows = lab_run(browser, lab, "bench_sliders.ipynb", args.moves)
                rows += voila_run(browser, notebooks, tmp, args.moves)
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
