"""Fixtures for the browser tests: one Chromium, one JupyterLab on a copy of notebooks/.

Screenshots go to a new /tmp/numdiff-screenshots-* directory (printed at the end of the run,
kept so you can look at them; pytest's own tmp dirs are rotated away), or to
$NUMDIFF_SCREENSHOTS when set.
"""

import os
import tempfile
from pathlib import Path

import numdiff_browser as nb
import pytest
from playwright.sync_api import sync_playwright


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = nb.launch(p)
        yield b
        b.close()


@pytest.fixture(scope="session")
def notebook_copy(tmp_path_factory):
    """notebooks/ copied to a temp dir: JupyterLab autosaves there, never into the repo."""
    return nb.copy_notebooks(tmp_path_factory.mktemp("browser") / "notebooks")


@pytest.fixture(scope="session")
def lab(notebook_copy, tmp_path_factory):
    server = nb.start_lab(notebook_copy, tmp_path_factory.mktemp("lab-state"))
    try:
        yield server
    finally:
        try:
            nb.shutdown_kernels(server)  # every kernel this server started, before it stops
        finally:
            server.stop()


@pytest.fixture(scope="session")
def screenshot_dir():
    chosen = os.environ.get("NUMDIFF_SCREENSHOTS")
    path = Path(chosen) if chosen else Path(tempfile.mkdtemp(prefix="numdiff-screenshots-"))
    path.mkdir(parents=True, exist_ok=True)
    yield path
    shots = sorted(path.glob("*.png"))
    if shots:
        print(f"\n{len(shots)} browser screenshots in {path}")


@pytest.fixture
def page(browser):
    """A fresh page whose console is recorded; the test fails on console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    pg = context.new_page()
    pg.console_log = nb.ConsoleLog(pg)
    yield pg
    context.close()
