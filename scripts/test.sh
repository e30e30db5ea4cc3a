#!/usr/bin/env bash
# One command: set up everything the tests need and run every test.
# Creates .venv (unless a virtual environment is already active), installs Chromium for the
# browser tests when it is missing (Debian/Ubuntu), installs the pinned test tools, runs pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${VIRTUAL_ENV:-}" ]; then
  [ -d .venv ] || python3 -m venv .venv
  # shellcheck disable=SC1091
  . .venv/bin/activate
fi

if [ ! -x /usr/bin/chromium ]; then
  echo "== installing Chromium for the browser tests (Debian package 'chromium')"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium >/dev/null
fi

echo "== installing the pinned test requirements"
python -m pip install -q --disable-pip-version-check -r requirements-test.txt

echo "== running every test"
python -m pytest "$@"
