#!/usr/bin/env bash
# One command: set up everything the tests need and run every test.
#
#   bash scripts/test.sh            # everything: library, lessons (nbval), browser, Binder, Colab
#   bash scripts/test.sh --fast     # the inner loop: no lessons, no browser, no environment builds
#   bash scripts/test.sh -k formula # any other arguments go to pytest
#
# Works on Linux, macOS and Windows (Git Bash); needs Python 3.11+ and no administrator rights.
# The virtual environment is .venv/ (or $NUMDIFF_VENV; CI uses its own), unless one is active.
# The browser tests use, in order: the browser named by $NUMDIFF_BROWSER, Playwright's own
# Chromium, the system's Chromium or Chrome. When none is found, this script offers
# `python -m playwright install chromium` (no sudo); declined, the browser tests are skipped
# with one line saying how to enable them — except in CI (CI=true), where they fail instead.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${NUMDIFF_VENV:-.venv}"
if [ -z "${VIRTUAL_ENV:-}" ]; then
  if [ ! -d "$venv" ]; then
    py=python3; command -v python3 >/dev/null 2>&1 || py=python
    "$py" -m venv "$venv"
  fi
  # shellcheck disable=SC1091
  if [ -f "$venv/bin/activate" ]; then . "$venv/bin/activate"; else . "$venv/Scripts/activate"; fi
fi

# Some machines set PYTHONDONTWRITEBYTECODE: then every run (and every lesson kernel) compiles
# NumPy, SymPy and matplotlib afresh. The caches go to __pycache__ folders git ignores.
unset PYTHONDONTWRITEBYTECODE

# Installed once per set of requirements: a stamp in the environment remembers which.
stamp="$(python -c 'import hashlib, pathlib; print(hashlib.sha256(b"".join(pathlib.Path(p).read_bytes() for p in ("requirements.txt", "requirements-test.txt", "pyproject.toml"))).hexdigest())')"
stamp_file="$(python -c 'import sys; print(sys.prefix)')/.numdiff-test-requirements"
if [ "$(cat "$stamp_file" 2>/dev/null)" != "$stamp" ]; then
  echo "== installing the pinned test requirements"
  python -m pip install -q --disable-pip-version-check -r requirements-test.txt
  echo "$stamp" > "$stamp_file"
fi

args=()
fast=0
for a in "$@"; do
  if [ "$a" = "--fast" ]; then fast=1; else args+=("$a"); fi
done

if [ "$fast" = 0 ] && [ "${CI:-}" != "true" ] && ! python tests/browser/find_browser.py >/dev/null; then
  echo "== no Chromium or Chrome found for the browser tests"
  if [ -t 0 ]; then
    read -r -p "   install Playwright's Chromium now (python -m playwright install chromium)? [y/N] " yes
    case "$yes" in [yY]*) python -m playwright install chromium ;; esac
  else
    echo "   (run: python -m playwright install chromium — or set NUMDIFF_BROWSER=/path/to/chrome)"
  fi
fi

if [ "$fast" = 1 ]; then
  echo "== running the fast tests (no lessons, browser or environment builds)"
  # Without nbval: the lessons are all "slow", so it would only parse them to deselect them.
  exec python -m pytest -p no:nbval -o addopts="-p no:cacheprovider" \
    -m "not slow and not browser and not binder" ${args[@]+"${args[@]}"}
fi
echo "== running every test"
exec python -m pytest ${args[@]+"${args[@]}"}
