"""Lecture slides: scripts/slides.sh builds one reveal.js deck per lesson.

The decks are built into tmp_path by the script itself (in the environment running pytest), so
the README command is what is tested.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    env.setdefault("VIRTUAL_ENV", sys.prefix)  # use this environment, never create .venv
    run = subprocess.run(["bash", str(REPO / "scripts" / "slides.sh"), "--output-dir", str(out)],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    return out


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


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_cell_has_slide_metadata(notebook):
    cells = nbformat.read(notebook, as_version=4).cells
    missing = [i for i, c in enumerate(cells)
               if c.metadata.get("slideshow", {}).get("slide_type") not in SLIDE_TYPES]
    assert not missing, f"{notebook.name}: cells {missing} have no valid slideshow.slide_type"
    assert cells[0].metadata["slideshow"]["slide_type"] == "slide", "a deck opens with a slide"
