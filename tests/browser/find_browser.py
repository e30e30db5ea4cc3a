"""Which Chromium-family browser the browser tests drive, found without administrator rights.

In order: the browser named by $NUMDIFF_BROWSER (or the older $NUMDIFF_CHROMIUM); Playwright's
own Chromium (`python -m playwright install chromium`, which needs no sudo); the system's
Chromium or Chrome on Linux, macOS or Windows. `python tests/browser/find_browser.py` prints
the choice, or exits 1 when there is none (scripts/test.sh asks this before offering to install).
"""

import os
import shutil
import sys
from pathlib import Path

SYSTEM_BROWSERS = [
    "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable", "/snap/bin/chromium",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
]
WHICH = ["chromium", "chromium-browser", "google-chrome", "chrome"]


def playwright_chromium():
    """Path of Playwright's own Chromium when it is installed, else None."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as p:
            path = p.chromium.executable_path
    except Exception:  # noqa: BLE001 — no driver or no browser: not available
        return None
    return path if path and Path(path).exists() else None


def find_browser():
    """(path, how it was found) of the browser to use, or (None, why not)."""
    for var in ("NUMDIFF_BROWSER", "NUMDIFF_CHROMIUM"):
        named = os.environ.get(var)
        if named:
            if Path(named).exists():
                return named, f"${var}"
            return None, f"${var}={named} does not exist"
    own = playwright_chromium()
    if own:
        return own, "Playwright's Chromium"
    for path in SYSTEM_BROWSERS:
        if Path(path).exists():
            return path, "the system's browser"
    for name in WHICH:
        found = shutil.which(name)
        if found:
            return found, "the system's browser"
    return None, "no Chromium or Chrome found"


if __name__ == "__main__":
    path, how = find_browser()
    print(f"{path} ({how})" if path else how)
    sys.exit(0 if path else 1)
