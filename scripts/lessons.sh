#!/usr/bin/env bash
# One command: set up what the lessons need and open them in JupyterLab.
# Creates .venv (unless a virtual environment is already active) and installs the pinned
# requirements, which include numdiff_lib itself as an editable install.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${VIRTUAL_ENV:-}" ]; then
  [ -d .venv ] || python3 -m venv .venv
  # shellcheck disable=SC1091
  . .venv/bin/activate
fi

python -m pip install -q --disable-pip-version-check -r requirements.txt
# JupyterLab refuses to start as root (containers, some classroom VMs) unless told it is wanted.
root_flag=(); [ "$(id -u)" != 0 ] || root_flag=(--allow-root)
exec python -m jupyter lab notebooks/ "${root_flag[@]}" "$@"
