#!/usr/bin/env bash
# Instructor demo: one lesson served by Voilà — its text, figures and sliders, the code hidden.
#
#   bash scripts/demo.sh                      # notebooks/04_gradient_descent.ipynb
#   bash scripts/demo.sh 01                   # the lesson whose file name starts with 01
#   bash scripts/demo.sh notebooks/06_second_derivatives_and_taylor.ipynb --port 8870
#
# Listens on 127.0.0.1 (this machine only) with a random token; open the printed URL (a browser
# opens by itself unless you add --no-browser). Other options are passed on to Voilà.
# Voilà starts one kernel per page load. voila.json (repo root, read by Voilà from the working
# directory) shuts down the kernel of a page that was closed or reloaded after 10 minutes of
# inactivity; a page left open keeps its kernel however long you talk.
# Creates .venv (unless a virtual environment is already active) and installs the pinned
# requirements, like scripts/lessons.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

notebook=notebooks/04_gradient_descent.ipynb
port=8866
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --port=*) port="${1#--port=}"; shift ;;
    -*) extra+=("$1"); shift ;;
    *) notebook="$1"; shift ;;
  esac
done
if [ ! -f "$notebook" ]; then
  # A lesson number or name prefix, e.g. "01" or "05_symbolic".
  matches=(notebooks/"$notebook"*.ipynb)
  if [ ! -f "${matches[0]}" ]; then
    echo "demo.sh: no notebook '$notebook' (try one of: $(cd notebooks && echo *.ipynb))" >&2
    exit 2
  fi
  notebook="${matches[0]}"
fi

if [ -z "${VIRTUAL_ENV:-}" ]; then
  [ -d .venv ] || python3 -m venv .venv
  # shellcheck disable=SC1091
  . .venv/bin/activate
fi
python -m pip install -q --disable-pip-version-check -r requirements.txt

echo "== Voilà: $notebook on 127.0.0.1:$port (Ctrl-C to stop)"
exec python -m voila "$notebook" --Voila.ip=127.0.0.1 --port="$port" --token \
  ${extra[@]+"${extra[@]}"}
