"""Lecture slides: scripts/slides.sh builds one reveal.js deck per lesson that needs no network.

The decks are built into tmp_path by the script itself (in the environment running pytest), so
the README command is what is tested. Here the HTML is read: every script, style sheet, image
and font a deck loads must be a local file next to it (tests/browser/test_slides_offline.py
opens the decks in Chromium with the network blocked).
"""

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]  # builds every deck (about 30 s)

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
VENDOR = REPO / "slides" / "vendor"
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
HANGUL = re.compile("[\uac00-\ud7a3]")
KO_LESSON = "04_gradient_descent"  # built as a Korean edition too: decks in ko/, assets shared
REMOTE = re.compile(r"^\s*(?:https?:)?//", re.I)
BADGE = ("[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
         "(https://colab.research.google.com/github/o/r/blob/main/notebooks/x.ipynb)")


def slides_sh(*args):
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    env.setdefault("VIRTUAL_ENV", sys.prefix)  # use this environment, never create .venv
    run = subprocess.run(["bash", str(REPO / "scripts" / "slides.sh"), *map(str, args)],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    return run


def synthetic_notebook(path, badge_source):
    """A two-slide notebook with a Colab badge in its first cell and a formula."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(badge_source + "\n\n# A title"),
                nbformat.v4.new_markdown_cell("A formula: $$f'(x) = 2x$$")]
    for i, cell in enumerate(nb.cells):
        cell.metadata["slideshow"] = {"slide_type": "slide"}
        cell.id = f"cell-{i}"
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    slides_sh("--output-dir", out)  # every lesson of every edition: notebooks/ko/ -> ko/
    src = tmp_path_factory.mktemp("synthetic")
    # --edition files any notebook under an edition (a new lesson not yet in notebooks/ko/).
    slides_sh("--output-dir", out, "--edition", "ko",
              synthetic_notebook(src / "edition_flag.ipynb", ""))
    slides_sh("--output-dir", out,
              # the badge as scripts/links.py writes it today (one line) and on lines of its own
              synthetic_notebook(src / "badge_inline.ipynb",
                                 f"<!-- badges:start -->{BADGE}<!-- badges:end -->"),
              synthetic_notebook(src / "badge_lines.ipynb",
                                 f"<!-- badges:start -->\n{BADGE}\n<!-- badges:end -->"))
    return out


class Loads(HTMLParser):
    """Every URL an HTML page loads by itself (not links a reader may follow)."""

    ATTRS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src",
             "audio": "src", "embed": "src", "track": "src", "object": "data", "input": "src"}
    CODE_TYPES = {"", "text/javascript", "application/javascript", "module",
                  "text/x-mathjax-config"}

    def __init__(self):
        super().__init__()
        self.urls, self._in = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.ATTRS and attrs.get(self.ATTRS[tag]):
            self.urls.append(attrs[self.ATTRS[tag]])
        if tag == "link" and attrs.get("href") and "stylesheet" in (attrs.get("rel") or ""):
            self.urls.append(attrs["href"])
        if tag == "style" or (tag == "script" and (attrs.get("type") or "") in self.CODE_TYPES):
            self._in = tag

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.urls += css_urls(data)
        elif self._in == "script":
            # string literals that are URLs: src = '...', import ... from '...', require(['...'])
            self.urls += re.findall(r"""["'`]((?:https?:)?//[^"'`\s]+)["'`]""", data)


def css_urls(css):
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return (re.findall(r"""url\(\s*["']?([^"')\s]+)""", css)
            + re.findall(r"""@import\s+["']([^"']+)""", css))


def loads(deck):
    parser = Loads()
    parser.feed(deck.read_text(encoding="utf-8"))
    return parser.urls


def all_decks(out):
    return sorted(out.glob("*.slides.html")) + sorted(out.glob("*/*.slides.html"))


def test_there_are_lessons():
    assert NOTEBOOKS


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_deck_per_lesson_has_slides(decks, notebook):
    deck = decks / f"{notebook.stem}.slides.html"
    assert deck.exists(), f"no deck for {notebook.name}"
    html = deck.read_text(encoding="utf-8")
    assert "reveal.js" in html and "Reveal.initialize" in html
    sections = len(re.findall(r"<section\b", html))
    assert sections > 1, f"{deck.name}: {sections} slide section(s)"


def test_decks_load_nothing_from_the_internet(decks):
    """No script, style sheet, image or font from http(s): only files in the output dir."""
    found = {}
    for deck in all_decks(decks):
        urls = loads(deck)
        assert any(u.endswith("require.js") for u in urls), f"{deck.name}: parser found nothing"
        remote = [u for u in urls if REMOTE.match(u)]
        if remote:
            found[str(deck.relative_to(decks))] = remote
    assert not found, f"decks load from the internet: {found}"


def test_every_local_asset_a_deck_loads_is_there(decks):
    missing = {}
    for deck in all_decks(decks):
        for url in loads(deck):
            if url.startswith(("data:", "#")) or REMOTE.match(url):
                continue
            target = deck.parent / unquote(urlsplit(url).path)
            if not target.is_file():
                missing.setdefault(deck.name, []).append(url)
    assert not missing, f"decks point at files that are not there: {missing}"


def test_vendored_styles_load_nothing_from_the_internet_and_exist(decks):
    """The theme's fonts and MathJax's: CSS url()/@import resolve to files in vendor/."""
    css_files = sorted((decks / "vendor").rglob("*.css"))
    assert css_files
    for css in css_files:
        for url in css_urls(css.read_text(encoding="utf-8")):
            if url.startswith("data:"):
                continue
            assert not REMOTE.match(url), f"{css.relative_to(decks)} loads {url}"
            assert (css.parent / urlsplit(url).path).is_file(), f"{css.name}: no {url}"


def test_korean_edition_decks_share_the_assets(decks):
    deck = decks / "ko" / f"{KO_LESSON}.slides.html"
    assert deck.exists(), sorted(p.name for p in decks.iterdir())
    html = deck.read_text(encoding="utf-8")
    assert '<html lang="ko"' in html
    # Built from notebooks/ko/, not from the English twin: the Korean lesson's own words.
    korean = nbformat.read(REPO / "notebooks" / "ko" / f"{KO_LESSON}.ipynb", as_version=4)
    heading = next(line for line in korean.cells[0].source.splitlines() if line.startswith("# "))
    assert heading[2:].strip() in html
    assert len(HANGUL.findall(html)) > 1000
    assert (decks / "ko" / "edition_flag.slides.html").exists()
    local = [u for u in loads(deck) if not u.startswith("data:")]
    assert local and all(u.startswith("../vendor/") for u in local), local
    assert not (decks / "ko" / "vendor").exists(), "one copy of the assets, shared"


@pytest.mark.parametrize("name", ["badge_inline", "badge_lines"])
def test_colab_badge_is_left_out_of_decks(decks, name):
    html = (decks / f"{name}.slides.html").read_text(encoding="utf-8")
    assert "colab" not in html.lower()
    assert "A title" in html and "f'(x) = 2x" in html


def test_vendored_packages_carry_their_licences():
    packages = sorted(p for p in VENDOR.iterdir() if p.is_dir())
    names = {re.sub(r"-[\d.]+$", "", p.name) for p in packages}
    assert {"reveal.js", "jquery", "requirejs", "mathjax", "html-manager"} <= names, names
    for package in packages:
        assert list(package.glob("LICENSE*")), f"{package.name} has no licence file"
    readme = (REPO / "slides" / "README.md").read_text(encoding="utf-8")
    for package in packages:
        assert package.name in readme, f"slides/README.md does not list {package.name}"


def test_no_lesson_draws_mermaid_diagrams():
    """The deck template leaves Mermaid out (it would load from a CDN): vendor it first."""
    for notebook in NOTEBOOKS:
        cells = nbformat.read(notebook, as_version=4).cells
        assert not any("```mermaid" in c.source for c in cells if c.cell_type == "markdown"), (
            f"{notebook.name} has a Mermaid diagram: vendor Mermaid and keep it in the template")


def test_live_slides_script_serves_locally_with_a_token():
    script = (REPO / "scripts" / "slides-live.sh").read_text(encoding="utf-8")
    # The default address; tests/test_demo_scripts.py starts it and sees where it listens.
    assert "ip=127.0.0.1" in script and '--Voila.ip="$ip"' in script and "--token" in script
    assert "--template=numdiff-reveal" in script
    template = REPO / "slides" / "templates" / "voila" / "numdiff-reveal" / "index.html.j2"
    assert "{%- extends 'reveal/index.html.j2' -%}" in template.read_text(encoding="utf-8")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_cell_has_slide_metadata(notebook):
    cells = nbformat.read(notebook, as_version=4).cells
    missing = [i for i, c in enumerate(cells)
               if c.metadata.get("slideshow", {}).get("slide_type") not in SLIDE_TYPES]
    assert not missing, f"{notebook.name}: cells {missing} have no valid slideshow.slide_type"
    assert cells[0].metadata["slideshow"]["slide_type"] == "slide", "a deck opens with a slide"
