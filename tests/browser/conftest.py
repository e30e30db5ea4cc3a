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
from find_browser import find_browser
from playwright.sync_api import sync_playwright

NO_BROWSER = []  # why the browser tests were skipped, for the one summary line


def pytest_collection_modifyitems(config, items):
    """Everything under tests/browser/ drives a real browser: `-m "not browser"` leaves it out."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            # A server's or a deck build's start-up counts in its first test's time.
            item.add_marker(pytest.mark.timeout(600))


@pytest.fixture(scope="session")
def browser():
    executable, how = find_browser()
    if executable is None:
        advice = (f"{how}: install one with `python -m playwright install chromium` (no sudo) "
                  "or set NUMDIFF_BROWSER=/path/to/chrome")
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser tests — {advice}")
        NO_BROWSER.append(advice)
        pytest.skip(advice)
    with sync_playwright() as p:
        b = nb.launch(p, executable)
        yield b
        b.close()


def pytest_terminal_summary(terminalreporter):
    if NO_BROWSER:
        terminalreporter.write_sep("!", f"BROWSER TESTS SKIPPED — {NO_BROWSER[0]}", red=True,
                                   bold=True)


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
