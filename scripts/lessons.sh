#!/usr/bin/env bash
# One command: set up what the lessons need and open them in JupyterLab.
#
#   bash scripts/lessons.sh                  # open your copy of the lessons
#   bash scripts/lessons.sh --ko             # 한국어: the Korean lessons, JupyterLab in Korean
#   bash scripts/lessons.sh --reset 04       # lesson 04 back to its original (yours is kept)
#   bash scripts/lessons.sh --port 8890      # other options go to JupyterLab
#
# JupyterLab opens YOUR COPY of the lessons, in ~/numdiff-notebooks-work (or $NUMDIFF_WORK),
# never the repository's files: what you type and run is saved there, and updating the course
# (git pull) never touches it — a lesson you edited stays as it is, and a new version of it is
# put beside it (scripts/workspace.py explains the rules).
# Creates .venv (unless a virtual environment is active) and installs the pinned requirements,
# which include numdiff_lib itself as an editable install. Linux, macOS, Windows (Git Bash).
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

if [ "${1:-}" = "--reset" ]; then
  python scripts/workspace.py reset "${2:?which lesson? e.g. --reset 04}"
  exit 0
fi

korean=0
if [ "${1:-}" = "--ko" ]; then korean=1; shift; fi

python -m pip install -q --disable-pip-version-check -r requirements.txt
python scripts/workspace.py sync
work="$(python scripts/workspace.py where)"
start=(--ServerApp.default_url=/lab/tree/00_index.ipynb)
if [ "$korean" = 1 ]; then
  # JupyterLab's own menus in Korean: the language pack.
  python -m pip install -q --disable-pip-version-check jupyterlab-language-pack-ko-KR==4.5.post3
  # Chosen in a settings folder of its own: the language is set for this start only.
  settings="$work/.jupyterlab-settings-ko/@jupyterlab/translation-extension"
  mkdir -p "$settings"
  printf '{"locale": "ko_KR"}\n' > "$settings/plugin.jupyterlab-settings"
  export JUPYTERLAB_SETTINGS_DIR="$work/.jupyterlab-settings-ko"
  start=(--ServerApp.default_url=/lab/tree/ko/00_index.ipynb)
fi
# JupyterLab refuses to start as root (containers, some classroom VMs) unless told it is wanted.
root_flag=(); [ "$(id -u 2>/dev/null || echo 1)" != 0 ] || root_flag=(--allow-root)
exec python -m jupyter lab --ServerApp.root_dir="$work" --ServerApp.ip=127.0.0.1 \
  "${start[@]}" ${root_flag[@]+"${root_flag[@]}"} "$@"
