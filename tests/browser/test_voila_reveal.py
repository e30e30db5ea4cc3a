"""Live slides (scripts/slides-live.sh): a lesson served by Voilà as a reveal.js deck, offline.

The script itself starts Voilà (on 127.0.0.1, with a token, against a temporary copy of
notebooks/, its runtime files in a temp dir) and is stopped by its PID (the script execs Voilà).
Chromium may reach that server only: every other request is blocked and recorded. The page must
ask for nothing else, show slides with typeset formulas, and the lr slider must redraw the figure
through the kernel — with the deck staying on the slide the slider is on.
"""

import os
import re
import secrets
import subprocess
import sys

import numdiff_browser as nb
import pytest

pytestmark = pytest.mark.browser

LESSON = "04_gradient_descent.ipynb"
LEAF = ".reveal .slides section:not(:has(section))"  # a slide (not a stack of slides)
PRESENT = ".reveal .slides section.present:not(:has(section))"
# Voilà 0.5.13's reveal template itself, not ours: it calls voila_heartbeat() in <head> before
# <body> defines it, and its bundled reveal.js calls MathJax 2's MathJax.Hub on every slide
# change while Voilà typesets with its own MathJax 3 (no global MathJax). Neither changes what
# the audience sees: the formulas are typeset when the page renders.
VOILA_REVEAL_ERRORS = ("window.voila_heartbeat is not a function",
                       "Cannot read properties of undefined (reading 'Hub')")
RAW_TEX = r"""() => {
    const bad = [];
    for (const md of document.querySelectorAll('.reveal .jp-RenderedMarkdown')) {
        const c = md.cloneNode(true);
        c.querySelectorAll('script, code, pre, mjx-container').forEach(e => e.remove());
        const text = c.textContent;
        if (/\$\$|\\\(|\\\[|\\begin\{|\$[^$\s][^$]*\$/.test(text)) {
            bad.push(text.trim().slice(0, 160));
        }
    }
    return bad;
}"""


@pytest.fixture
def live(notebook_copy, tmp_path):
    port, token = nb.free_port(), secrets.token_hex(16)
    env = nb.server_env(tmp_path)
    env["SLIDES_LIVE_DIR"] = str(tmp_path / "slides-live")  # not build/ in the repo
    env.setdefault("VIRTUAL_ENV", sys.prefix)  # this environment; never create .venv
    argv = ["bash", str(nb.REPO / "scripts" / "slides-live.sh"), str(notebook_copy / LESSON),
            "--no-browser", f"--port={port}", f"--token={token}"]
    server = nb.Server(argv, port, token, tmp_path / "slides-live.log", cwd=nb.REPO, env=env)
    server.wait_ready(path="/voila/static/", any_status=True)
    server.kernels = []
    try:
        yield server
    finally:
        try:
            # The page's kernel; Voilà lists no kernels, and shuts its pre-started one down
            # itself when stopped.
            nb.shutdown_kernels(server, server.kernels)
        finally:
            server.stop()


@pytest.fixture
def offline_page(browser, live):
    """A page that may talk to the Voilà server only."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.blocked, page.failed, page.sockets = [], [], []

    def route(r):
        url = r.request.url
        if url.startswith((live.base + "/", "data:", "blob:")):
            r.continue_()
        else:
            page.blocked.append(url)
            r.abort("internetdisconnected")

    context.route("**/*", route)
    page.on("requestfailed", lambda r: page.failed.append(f"{r.url}: {r.failure}"))
    page.on("websocket", lambda ws: page.sockets.append(ws.url))
    page.console_log = nb.ConsoleLog(page)
    yield page
    context.close()


def test_live_slides_work_offline_and_the_lr_slider_redraws(live, offline_page,
                                                             screenshot_dir):
    page = offline_page
    page.goto(live.url("/"))
    page.wait_for_selector(".reveal.ready", state="attached", timeout=180_000)
    page.wait_for_selector(".numdiff-widget img.widget-image", state="attached",
                           timeout=180_000)
    kernels = re.findall(r"/api/kernels/([-0-9a-f]+)/", " ".join(page.sockets))
    live.kernels.extend(sorted(set(kernels)))
    assert live.kernels, f"no kernel websocket: {page.sockets}"
    assert all(s.startswith(f"ws://127.0.0.1:{live.port}/") for s in page.sockets), page.sockets
    theme = page.locator("link#theme").get_attribute("href")
    assert theme.startswith("voila/templates/numdiff-reveal/static/vendor/"), theme

    slides = page.locator(LEAF).count()
    assert slides > 1, f"{slides} slide(s)"
    assert page.locator(".reveal .jp-RenderedMarkdown mjx-container").count() > 0, (
        "no formula was typeset")
    assert not page.evaluate(RAW_TEX), f"TeX left as text: {page.evaluate(RAW_TEX)}"
    assert page.locator(".reveal").evaluate(
        "e => getComputedStyle(e.querySelector('h1')).fontFamily").startswith('"News Cycle"')

    # Walk the deck as a presenter does (N: next slide) to the slide with the sliders.
    for _ in range(slides):
        if page.locator(f"{PRESENT} .numdiff-widget").count():
            break
        page.keyboard.press("n")
    widget = page.locator(f"{PRESENT} .numdiff-widget").first
    widget.wait_for(state="attached", timeout=10_000)
    where = page.evaluate("location.hash")
    sliders = widget.locator(".widget-slider")
    names = [nb.slider_name(sliders.nth(i)) for i in range(sliders.count())]
    lr = next((i for i, name in enumerate(names) if "lr" in name.split()), None)
    assert lr is not None, f"no lr slider among {names}"
    slider = sliders.nth(lr)
    key = nb.key_for(slider, "ArrowRight")
    nb.move_and_check(widget, slider, key, screenshot_dir / f"voila_reveal_lr_{key}.png")
    assert page.evaluate("location.hash") == where, "the slider's key also turned the slide"
    page.screenshot(path=screenshot_dir / "voila_reveal_slide.png")

    assert not page.blocked, f"the live slides asked the network for: {page.blocked}"
    assert not page.failed, f"requests to the server failed: {page.failed}"
    errors = [e for e in page.console_log.errors
              if not any(known in e for known in VOILA_REVEAL_ERRORS)]
    assert not errors, "\n".join(errors)


def test_live_slides_script_refuses_an_unknown_lesson(tmp_path):
    env = dict(os.environ, VIRTUAL_ENV=sys.prefix, SLIDES_LIVE_DIR=str(tmp_path))
    run = subprocess.run(["bash", str(nb.REPO / "scripts" / "slides-live.sh"), "99"],
                         cwd=nb.REPO, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "no notebook '99'" in run.stderr
