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
