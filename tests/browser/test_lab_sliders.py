"""Every slider of every lesson works in a real browser (JupyterLab 4 + Chromium).

For each notebook whose source calls a *_widget(...) helper: open it in JupyterLab, Run All
Cells from the menu, then for each slider focus its handle and press a key, as a learner using
the keyboard would. After the kernel is idle and the figure has stopped changing, the figure's
bytes must differ from before, and the value the slider shows must be the value the caption
says the figure was drawn with. A formula box, when present, gets a new formula typed in.
The browser console must stay free of errors.
"""

import re

import numdiff_browser as nb
import pytest

NOTEBOOKS = nb.slider_notebooks()


def test_some_lesson_has_a_slider():
    # Guards the parametrisation below: no discovered notebook would mean no browser test.
    assert NOTEBOOKS, "no notebook in notebooks/ calls a *_widget(...) helper"


def open_and_run(page, lab, name, screenshot_dir):
    """Open a lesson in JupyterLab, run every cell, wait until its widgets are on the page."""
    expected = len(nb.widget_cells(nb.NOTEBOOKS / name))
    # ?reset: a fresh workspace, so the tabs of the previous lesson are not restored.
    page.goto(lab.url(f"/lab/tree/{name}", reset=""))
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    kernel = nb.wait_kernel_ready(page, lab, name)
    # No dialog in the way (e.g. "Select Kernel" when a notebook has no kernelspec saved).
    assert not page.locator(".jp-Dialog").count(), (
        f"{name}: JupyterLab shows a dialog: {page.locator('.jp-Dialog').first.inner_text()!r}")
    nb.run_all_cells(page)
    widgets = page.locator(".jp-Notebook .numdiff-widget")
    try:
        page.wait_for_function(
            "n => document.querySelectorAll('.jp-Notebook .numdiff-widget img').length >= n",
            arg=expected, timeout=90_000)
    except Exception as err:
        page.screenshot(path=screenshot_dir / f"lab_{name}_FAILED.png")
        raise AssertionError(f"{name}: {expected} widget(s) expected, {widgets.count()} "
                             f"rendered; tracebacks: {nb.tracebacks(page)}") from err
    nb.wait_idle(page, lab, kernel)
    assert not nb.tracebacks(page), f"{name}: a cell raised:\n" + "\n".join(nb.tracebacks(page))
    return widgets, kernel


def type_formula(page, lab, kernel, widget, formula, shot):
    """Type a new formula into the box; the caption and the figure must follow it."""
    img = widget.locator("img.widget-image").first
    caption = widget.locator(".numdiff-caption").first
    before_digest = img.get_attribute("src"), nb.image_digest(img)
    box = widget.locator(".widget-text input").first
    box.click()
    box.press("Control+a")
    box.press_sequentially(formula, delay=40)  # half-typed input must not break it either
    try:
        # The caption <span> is replaced on each redraw: look it up inside the widget each time.
        page.wait_for_function(
            "([w, f]) => w.querySelector('.numdiff-caption').textContent.includes('f(x) = ' + f)",
            arg=[widget.element_handle(), formula], timeout=30_000)
    except Exception as err:
        widget.screenshot(path=shot.with_name(shot.stem + "_FAILED.png"))
        raise AssertionError(f"typed {formula!r}, the box holds {box.input_value()!r}, "
                             f"the caption says {caption.text_content()!r}") from err
    nb.wait_idle(page, lab, kernel)
    nb.wait_src_stable(img)
    text = caption.text_content()
    assert f"f(x) = {formula}" in text and not text.startswith("Not a formula"), text
    assert nb.image_digest(img) != before_digest[1], "the figure did not follow the formula"
    widget.screenshot(path=shot)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_sliders_redraw_in_jupyterlab(page, lab, name, screenshot_dir):
    move_every_slider(page, lab, name, screenshot_dir)


KOREAN_LESSON = "ko/04_gradient_descent.ipynb"
HANGUL = re.compile("[\uac00-\ud7a3]")


def test_sliders_redraw_in_a_korean_lesson_with_korean_captions(page, lab, screenshot_dir):
    captions = move_every_slider(page, lab, KOREAN_LESSON, screenshot_dir)
    assert captions and all(HANGUL.search(c) for c in captions), (
        f"{KOREAN_LESSON}: the captions are not Korean: {captions[:2]}")


def move_every_slider(page, lab, name, screenshot_dir):
    """Move every slider of a lesson (and type into its formula box); returns the captions."""
    widgets, kernel = open_and_run(page, lab, name, screenshot_dir)
    stem = name.removesuffix(".ipynb").replace("/", "_")
    captions = []
    moved = 0
    try:
        # Every slider sits in a numdiff widget, so a caption states what its figure shows.
        assert (page.locator(".jp-Notebook .widget-slider").count()
                == page.locator(".jp-Notebook .numdiff-widget .widget-slider").count())
        for w in range(widgets.count()):
            widget = widgets.nth(w)
            widget.scroll_into_view_if_needed()
            sliders = widget.locator(".widget-slider")
            for s in range(sliders.count()):
                slider = sliders.nth(s)
                label = re.sub(r"\W+", "_", nb.slider_name(slider)).strip("_") or f"s{s}"
                for key in ("ArrowRight", "PageUp"):
                    key = nb.key_for(slider, key)
                    shot = screenshot_dir / f"lab_{stem}_w{w}_{label}_{moved:02d}_{key}.png"
                    nb.move_and_check(widget, slider, key, shot,
                                     settle=lambda: nb.wait_idle(page, lab, kernel))
                    captions.append(widget.locator(".numdiff-caption").first.text_content())
                    moved += 1
            if widget.locator(".widget-text input").count():
                shot = screenshot_dir / f"lab_{stem}_w{w}_formula.png"
                type_formula(page, lab, kernel, widget, "x**3", shot)
    finally:
        nb.shutdown_kernels(lab, [kernel])  # free the 2 cores for the next notebook
    assert moved, f"{name}: no slider found in its widgets"
    assert not page.console_log.errors, "\n".join(page.console_log.errors)
    return captions

