#!/usr/bin/env bash
# Instructor demo: one lesson served by Voilà — its text, figures and sliders, the code hidden.
#
#   bash scripts/demo.sh                      # notebooks/04_gradient_descent.ipynb
#   bash scripts/demo.sh 01                   # the lesson whose file name starts with 01
#   bash scripts/demo.sh ko/04                # the Korean edition's lesson 04
#   bash scripts/demo.sh notebooks/06_second_derivatives_and_taylor.ipynb --port 8870
#   bash scripts/demo.sh 04 --Voila.ip=0.0.0.0   # serve a classroom network (see README)
#
# Listens on 127.0.0.1 (this machine only) with a random token; open the printed URL (a browser
# opens by itself unless you add --no-browser). Other options are passed on to Voilà.
# voila.json (repo root, read by Voilà from the working directory): one kernel is kept warm
# (preheated), so the next page appears at once; the kernel of a page that was closed or
# reloaded is shut down after 2 minutes of inactivity, while a page left open keeps its kernel
# however long you talk; errors show as a short message, not a traceback.
# Creates .venv (unless a virtual environment is already active) and installs the pinned
# requirements, like scripts/lessons.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

notebook=notebooks/04_gradient_descent.ipynb
port=8866
ip=127.0.0.1  # this machine only; --Voila.ip=0.0.0.0 (or --ip) serves a classroom network
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --port=*) port="${1#--port=}"; shift ;;
    --ip|--Voila.ip) ip="$2"; shift 2 ;;
    --ip=*|--Voila.ip=*) ip="${1#*=}"; shift ;;
    -*) extra+=("$1"); shift ;;
    *) notebook="$1"; shift ;;
  esac
done
if [ ! -f "$notebook" ]; then
  # A lesson number or name prefix, e.g. "01", "05_symbolic" or "ko/04" (the Korean edition).
  matches=(notebooks/"$notebook"*.ipynb)
  if [ ! -f "${matches[0]}" ]; then
    echo "demo.sh: no notebook '$notebook' (try 04, ko/04, or one of: $(cd notebooks && echo *.ipynb))" >&2
    exit 2
  fi
  notebook="${matches[0]}"
fi

venv="${NUMDIFF_VENV:-.venv}"
if [ -z "${VIRTUAL_ENV:-}" ]; then
  if [ ! -d "$venv" ]; then
    py=python3; command -v python3 >/dev/null 2>&1 || py=python
    "$py" -m venv "$venv"
  fi
  # shellcheck disable=SC1091
  if [ -f "$venv/bin/activate" ]; then . "$venv/bin/activate"; else . "$venv/Scripts/activate"; fi
fi
python -m pip install -q --disable-pip-version-check -r requirements.txt

echo "== Voilà: $notebook on $ip:$port (Ctrl-C to stop)"
exec python -m voila "$notebook" --Voila.ip="$ip" --port="$port" --token \
  ${extra[@]+"${extra[@]}"}
