"""The browser tests find a browser without sudo, in the documented order (issue 16)."""

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "find_browser", Path(__file__).parent / "browser" / "find_browser.py")
fb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fb)


@pytest.fixture
def nowhere(monkeypatch):
    """No browser anywhere: no variable, no Playwright Chromium, no system browser."""
    for var in ("NUMDIFF_BROWSER", "NUMDIFF_CHROMIUM"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(fb, "playwright_chromium", lambda: None)
    monkeypatch.setattr(fb, "SYSTEM_BROWSERS", [])
    monkeypatch.setattr(fb.shutil, "which", lambda name: None)
    return monkeypatch


def test_the_named_browser_comes_first(nowhere, tmp_path):
    chrome = tmp_path / "my-chrome"
    chrome.write_text("")
    nowhere.setattr(fb, "playwright_chromium", lambda: "/pw/chrome")
    nowhere.setenv("NUMDIFF_BROWSER", str(chrome))
    assert fb.find_browser() == (str(chrome), "$NUMDIFF_BROWSER")


def test_a_named_browser_that_is_missing_is_said(nowhere):
    nowhere.setenv("NUMDIFF_BROWSER", "/no/such/chrome")
    path, why = fb.find_browser()
    assert path is None and "/no/such/chrome" in why


def test_playwrights_chromium_before_the_systems(nowhere, tmp_path):
    system = tmp_path / "chromium"
    system.write_text("")
    nowhere.setattr(fb, "SYSTEM_BROWSERS", [str(system)])
    nowhere.setattr(fb, "playwright_chromium", lambda: "/pw/chrome")
    assert fb.find_browser() == ("/pw/chrome", "Playwright's Chromium")


def test_the_system_browser_last(nowhere, tmp_path):
    system = tmp_path / "chromium"
    system.write_text("")
    nowhere.setattr(fb, "SYSTEM_BROWSERS", [str(system)])
    assert fb.find_browser() == (str(system), "the system's browser")


def test_none_at_all(nowhere):
    assert fb.find_browser() == (None, "no Chromium or Chrome found")


def test_scripts_offer_the_no_sudo_install_and_ci_installs_chromium():
    root = Path(__file__).resolve().parents[1]
    test_sh = (root / "scripts" / "test.sh").read_text()
    assert "python -m playwright install chromium" in test_sh
    assert "apt-get" not in test_sh and "sudo" not in test_sh.replace("no sudo", "")
    ci = (root / ".ci" / "run").read_text()
    assert "apt-get install" in ci and "NUMDIFF_VENV" in ci and "rm -rf .venv" not in ci


def run_a_browser_test(**env):
    """One browser test in its own pytest, with no browser to be found."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    environ = {k: v for k, v in os.environ.items() if k != "CI"}
    environ.update(NUMDIFF_BROWSER="/no/such/chrome", **env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "tests/browser/test_voila.py", "-k",
         "korean_demo_page", "-p", "no:cacheprovider", "-p", "no:nbval", "-o", "addopts="],
        cwd=root, env=environ, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_without_a_browser_the_tests_skip_with_one_loud_line():
    run = run_a_browser_test()
    assert run.returncode == 0, run.stdout[-2000:]
    assert "1 skipped" in run.stdout
    assert run.stdout.count("BROWSER TESTS SKIPPED") == 1, run.stdout[-2000:]
    assert "playwright install chromium" in run.stdout


@pytest.mark.slow
def test_in_ci_a_missing_browser_fails_the_run():
    run = run_a_browser_test(CI="true")
    assert run.returncode != 0, run.stdout[-2000:]
    assert "CI must run the browser tests" in run.stdout
