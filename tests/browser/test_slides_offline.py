"""Static slide decks (scripts/slides.sh) in a lecture hall with no network.

Every deck is built by the script into a temp dir and opened in Chromium from a file:// URL,
with every request that is not a local file blocked. A deck passes when it asked for nothing
from the network, every local file it asked for was there, reveal.js counts its slides, MathJax
typeset its formulas with its own fonts (no TeX source left showing) and the console is clean.
A Korean-edition deck (build/slides/ko/, assets shared one folder up) and a small deck with
saved widget state (the widget manager, embed-amd.js, draws it) are opened the same way.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import ipywidgets
import nbformat
import numdiff_browser as nb
import pytest
from ipywidgets.embed import embed_data

pytestmark = pytest.mark.browser

LOCAL = ("file:", "data:", "blob:", "about:")
NOTEBOOKS = sorted(nb.NOTEBOOKS.glob("*.ipynb"))
KO_LESSON = "04_gradient_descent"
WIDGET_DECK = "widget_state"
MATH = re.compile(r"\$[^$]+\$|\\\(|\\\[|\\begin\{")

# In the page: reveal.js is an AMD module there (RequireJS), not a global. Its URL is the style
# sheet's, dist/reveal.css -> dist/reveal.js.
REVEAL = """() => {
    const css = document.querySelector('link[href$="/dist/reveal.css"]');
    const id = css && css.getAttribute('href').replace(/reveal\\.css$/, 'reveal.js');
    return id && window.require && require.defined(id) ? require(id) : null;
}"""
READY = f"() => {{ const R = ({REVEAL})(); return !!(R && R.isReady()"\
        " && window.MathJax && MathJax.isReady); }"
TYPESET = "() => new Promise(done => MathJax.Hub.Queue(() => done(true)))"
# TeX left as text in rendered markdown: MathJax's own elements, code and scripts taken out.
RAW_TEX = r"""() => {
    const bad = [];
    for (const md of document.querySelectorAll('.reveal .jp-RenderedMarkdown')) {
        const c = md.cloneNode(true);
        c.querySelectorAll('script, code, pre, .mjx-chtml, .MathJax_Preview, .MJX_Assistive_MathML')
            .forEach(e => e.remove());
        const text = c.textContent;
        if (/\$\$|\\\(|\\\[|\\begin\{|\$[^$\s][^$]*\$/.test(text)) {
            bad.push(text.trim().slice(0, 160));
        }
    }
    return bad;
}"""
# Until the present slide has stopped moving (reveal.js slides it in with a CSS transition).
SETTLED = """async () => {
    const frame = () => new Promise(done => requestAnimationFrame(done));
    let last = '', still = 0;
    while (still < 10) {
        await frame();
        const s = document.querySelectorAll('.reveal .slides section.present');
        const box = JSON.stringify(s[s.length - 1].getBoundingClientRect());
        still = box === last ? still + 1 : 0;
        last = box;
    }
}"""
FONTS = """async () => {
    await document.fonts.ready;
    return Array.from(document.fonts).map(f => [f.family.replace(/"/g, ''), f.status]);
}"""


def slides_sh(*args):
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    env.setdefault("VIRTUAL_ENV", sys.prefix)  # this environment; never create .venv
    run = subprocess.run(["bash", str(nb.REPO / "scripts" / "slides.sh"), *map(str, args)],
                         cwd=nb.REPO, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr


def widget_notebook(path):
    """A deck with a formula and a slider whose state is saved in the notebook, as JupyterLab
    saves it: the deck's widget manager must draw it with no network."""
    slider = ipywidgets.FloatSlider(value=0.1, min=0.01, max=1.0, step=0.01, description="lr")
    state = embed_data(views=[slider])
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": state["manager_state"]}
    code = nbformat.v4.new_code_cell("slider")
    code.outputs = [nbformat.v4.new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": state["view_specs"][0],
        "text/plain": "FloatSlider(value=0.1, description='lr')"})]
    notebook.cells = [nbformat.v4.new_markdown_cell("# Learning rate\n\n$$x \\leftarrow x - "
                                                    "\\eta \\nabla f(x)$$"), code]
    for i, cell in enumerate(notebook.cells):
        cell.metadata["slideshow"] = {"slide_type": "slide"}
        cell.id = f"cell-{i}"
    nbformat.write(notebook, path)
    return path


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    out = tmp_path_factory.mktemp("decks")
    slides_sh("--output-dir", out)  # every edition: notebooks/ko/ -> ko/
    slides_sh("--output-dir", out,
              widget_notebook(tmp_path_factory.mktemp("nb") / f"{WIDGET_DECK}.ipynb"))
    return out


class Offline:
    """A page that may load local files only; everything else is blocked and recorded."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1280, "height": 720})
        self.blocked, self.failed = [], []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url}: {r.failure}"))
        self.console = nb.ConsoleLog(self.page)

    def _route(self, route):
        url = route.request.url
        if url.startswith(LOCAL):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("internetdisconnected")

    def close(self):
        self.context.close()


@pytest.fixture
def offline(browser):
    page = Offline(browser)
    yield page
    page.close()


def has_math(notebook):
    cells = nbformat.read(notebook, as_version=4).cells
    return any(MATH.search(c.source) for c in cells
               if c.cell_type == "markdown" and c.metadata["slideshow"]["slide_type"] != "skip")


def open_deck(offline, deck):
    page = offline.page
    page.goto(deck.as_uri())
    page.wait_for_function(READY, timeout=60_000)
    page.evaluate(TYPESET)  # until MathJax has typeset everything queued
    return page


def check_offline(offline, deck, expect_math, screenshot):
    page = open_deck(offline, deck)
    total = page.evaluate(f"() => ({REVEAL})().getTotalSlides()")
    assert total > 1, f"{deck.name}: {total} slide(s)"

    fonts = page.evaluate(FONTS)
    # Headings: the theme's News Cycle, or in a Korean deck the bundled NanumSquareRound.
    heading_font = "NanumSquareRound" if deck.parent.name == "ko" else "News Cycle"
    assert [heading_font, "loaded"] in fonts, f"the heading font did not load: {fonts}"
    if expect_math:
        assert page.locator(".reveal .mjx-chtml").count() > 0, "no formula was typeset"
        assert page.locator(".reveal .mjx-merror").count() == 0, "MathJax error in a formula"
        assert not page.evaluate(RAW_TEX), f"TeX left as text: {page.evaluate(RAW_TEX)}"
        # MathJax's WOFF faces (families MJXc-TeX-*w), from vendor/mathjax-*/fonts/
        woff = [status for family, status in fonts
                if family.startswith("MJXc-TeX") and family.endswith("w")]
        assert "loaded" in woff, f"MathJax's fonts did not load: {fonts}"
        assert "error" not in woff, f"a MathJax font failed to load: {fonts}"
        # Show the first slide with a displayed formula (else any), as the audience sees it.
        leaf = ".reveal .slides section:not(:has(section))"
        section = page.locator(f"{leaf}:has(.MJXc-display)")
        if section.count() == 0:
            section = page.locator(f"{leaf}:has(.mjx-chtml)")
        section = section.first
        page.evaluate(f"""(s) => {{ const R = ({REVEAL})(); const i = R.getIndices(s);
                                    R.slide(i.h, i.v); }}""", section.element_handle())
        page.evaluate(TYPESET)  # the template re-renders a slide's formulas when it is shown
        page.evaluate(SETTLED)
        page.screenshot(path=screenshot)

    assert not offline.blocked, f"{deck.name} asked the network for: {offline.blocked}"
    assert not offline.failed, f"{deck.name}: local files failed to load: {offline.failed}"
    assert not offline.console.errors, "\n".join(offline.console.errors)
    return page


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_deck_works_offline(decks, offline, notebook, screenshot_dir):
    deck = decks / f"{notebook.stem}.slides.html"
    check_offline(offline, deck, has_math(notebook),
                  screenshot_dir / f"slides_offline_{notebook.stem}.png")


def test_korean_edition_deck_works_offline(decks, offline, screenshot_dir):
    deck = decks / "ko" / f"{KO_LESSON}.slides.html"
    page = check_offline(offline, deck, has_math(nb.NOTEBOOKS / "ko" / f"{KO_LESSON}.ipynb"),
                         screenshot_dir / f"slides_offline_ko_{KO_LESSON}.png")
    assert page.evaluate("document.documentElement.lang") == "ko"
    # The Korean lesson itself (not its English twin filed under ko/): Korean text on screen.
    text = page.evaluate("document.body.textContent")
    assert sum("\uac00" <= ch <= "\ud7a3" for ch in text) > 1000, text[:300]
    # Drawn with the bundled Korean font, loaded from vendor/ (no system Hangul font needed).
    heading = page.evaluate("getComputedStyle(document.querySelector('.reveal h1')).fontFamily")
    assert heading.lstrip('"').startswith("NanumSquareRound"), heading


def test_saved_widgets_are_drawn_offline(decks, offline, screenshot_dir):
    page = check_offline(offline, decks / f"{WIDGET_DECK}.slides.html", True,
                         screenshot_dir / "slides_offline_formula.png")
    page.keyboard.press("ArrowRight")
    slider = page.locator(".reveal section.present .widget-slider").first
    slider.wait_for(state="visible", timeout=30_000)
    page.evaluate(SETTLED)
    assert nb.slider_name(slider) == "lr"
    assert slider.locator(".widget-readout").first.text_content().strip() == "0.10"
    page.screenshot(path=screenshot_dir / "slides_offline_widget.png")
    assert not offline.blocked and not offline.failed, offline.blocked + offline.failed
    assert not offline.console.errors, "\n".join(offline.console.errors)
