"""The instructor demo (scripts/demo.sh): a lesson served by Voilà, sliders live, code hidden.

Voilà runs with the demo's own voila.json (from the repo root, as scripts/demo.sh runs it), on
127.0.0.1 with a token, against a temporary copy of notebooks/. Only the culling clock is
shortened here (seconds instead of minutes) so the test can watch it work: a page left open
keeps its kernel through a pause longer than the idle timeout, and a closed page's kernel is
shut down — so a long demo, with a page load per kernel, does not pile up kernels.
"""

import re
import time
import urllib.error

import nbformat
import numdiff_browser as nb
import pytest

DEMO_NOTEBOOK = "04_gradient_descent.ipynb"  # scripts/demo.sh's default
CULL_IDLE, CULL_INTERVAL = 4, 1  # seconds, for the test only; voila.json has the demo's values


def test_demo_config_culls_only_closed_pages():
    cfg = nb.voila_config()["MappingKernelManager"]
    assert cfg["cull_idle_timeout"] > 0 and cfg["cull_interval"] > 0
    # An open page must keep its kernel however long the instructor talks.
    assert cfg["cull_connected"] is False and cfg["cull_busy"] is False


def test_demo_script_serves_the_default_lesson_with_voila():
    script = (nb.REPO / "scripts" / "demo.sh").read_text()
    assert f"notebooks/{DEMO_NOTEBOOK}" in script and "voila" in script


@pytest.fixture
def voila(notebook_copy, tmp_path):
    server = nb.start_voila(notebook_copy / DEMO_NOTEBOOK, tmp_path, extra=[
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE}",
        f"--MappingKernelManager.cull_interval={CULL_INTERVAL}"])
    server.kernels = []
    try:
        yield server
    finally:
        try:
            nb.shutdown_kernels(server, server.kernels)
        finally:
            server.stop()


def kernel_exists(server, kid):
    try:
        nb.http("GET", server.url(f"/api/kernels/{kid}"))
        return True
    except urllib.error.HTTPError as err:
        if err.code == 404:
            return False
        raise


def test_voila_page_has_live_sliders_and_no_code(voila, page, screenshot_dir):
    sockets = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    loaded = time.monotonic()
    page.goto(voila.url("/"))
    page.wait_for_selector(".numdiff-widget img.widget-image", timeout=90_000)
    kid = re.search(r"/api/kernels/([-0-9a-f]+)/", " ".join(sockets)).group(1)
    voila.kernels.append(kid)
    assert f"idle durations > {CULL_IDLE} seconds" in voila.log(), "culling is not on"

    # No code: no editors, and no line of the lesson's code in the page text.
    assert page.locator(".jp-InputArea-editor, .cm-editor, .CodeMirror").count() == 0
    text = page.locator("body").text_content()
    cells = nbformat.read(nb.NOTEBOOKS / DEMO_NOTEBOOK, 4).cells
    code = [c.source for c in cells if c.cell_type == "code"]
    prose = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    assert code[0].startswith(("# Set-up (run this cell first)",
                               "# 설정 (이 셀을 먼저 실행하세요)"))
    shown = [line.strip() for src in code for line in src.splitlines()
             if len(line.strip()) > 12 and not line.lstrip().startswith("#")
             and line.strip() in text and line.strip() not in prose]  # prose may quote code
    assert not shown, f"code is visible in the Voilà page: {shown[:5]}"

    # A pause longer than the idle timeout: the open page keeps its kernel, sliders still work.
    time.sleep(max(0.0, CULL_IDLE + 2 * CULL_INTERVAL - (time.monotonic() - loaded)))
    assert kernel_exists(voila, kid), "the kernel of an open page was culled"
    widget = page.locator(".numdiff-widget").first
    sliders = widget.locator(".widget-slider")
    assert sliders.count() >= 1
    for s in range(sliders.count()):
        slider = sliders.nth(s)
        key = nb.key_for(slider, "ArrowRight")
        nb.move_and_check(widget, slider, key, screenshot_dir / f"voila_{s}_{key}.png")
    page.screenshot(path=screenshot_dir / "voila_page.png")
    assert not page.console_log.errors, "\n".join(page.console_log.errors)

    # Close the page: its kernel goes within timeout + interval (+ slack for a busy machine).
    page.close()
    deadline = time.monotonic() + CULL_IDLE + CULL_INTERVAL + 20
    while kernel_exists(voila, kid):
        assert time.monotonic() < deadline, "the kernel of a closed page was not culled"
        time.sleep(0.5)


def test_the_korean_demo_page_reads_korean(notebook_copy, tmp_path, page):
    """scripts/demo.sh ko/04: the Korean lesson as a Voilà page, its caption in Korean."""
    server = nb.start_voila(notebook_copy / "ko" / DEMO_NOTEBOOK, tmp_path)
    try:
        page.goto(server.url("/"))
        page.wait_for_selector(".numdiff-widget img.widget-image", timeout=90_000)
        caption = page.locator(".numdiff-caption").first.text_content()
        body = page.locator("body").text_content()
        assert re.search("[\uac00-\ud7a3]", caption), f"the caption is not Korean: {caption!r}"
        assert len(re.findall("[\uac00-\ud7a3]", body)) > 500, "the page is not the Korean lesson"
        assert not page.console_log.errors, "\n".join(page.console_log.errors)
    finally:
        server.stop()


def test_demo_script_finds_the_korean_lesson():
    script = (nb.REPO / "scripts" / "demo.sh").read_text()
    assert 'matches=(notebooks/"$notebook"*.ipynb)' in script  # "ko/04" -> notebooks/ko/04_*
