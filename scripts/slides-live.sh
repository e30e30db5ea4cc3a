#!/usr/bin/env bash
# Live slides: one lesson as a reveal.js deck served by Voilà — the sliders redraw the figures
# (a kernel runs behind the page), the code is hidden. Works with no network.
#
#   bash scripts/slides-live.sh 04                       # notebooks/04_*.ipynb
#   bash scripts/slides-live.sh ko/04                    # a Korean lesson, notebooks/ko/04_*.ipynb
#   bash scripts/slides-live.sh path/to/lesson.ipynb --port 8870
#
# Listens on 127.0.0.1 (this machine only) with a random token; open the printed URL (a browser
# opens by itself unless you add --no-browser). Other options are passed on to Voilà (e.g.
# --token=SECRET to choose the token). Arrow keys: next slide; Esc: overview; keys pressed on a
# slider's handle move the slider, not the deck.
# Voilà's own reveal template (--template=reveal) loads reveal.js, its theme and jQuery from
# CDNs; here a thin child of it (slides/templates/voila/numdiff-reveal) serves the copies in
# slides/vendor/ instead, from this server. Voilà typesets formulas itself (no CDN).
# The static decks of every lesson, no server needed: scripts/slides.sh.
# Uses the active virtual environment or .venv when it has Voilà, else sets one up like
# scripts/lessons.sh.
set -euo pipefail
here=$(pwd)
cd "$(dirname "$0")/.."

lesson=
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
    *) lesson="$1"; shift ;;
  esac
done
if [ -z "$lesson" ]; then
  echo "usage: bash scripts/slides-live.sh LESSON [--port N] [Voilà options]" >&2
  echo "  LESSON: a number or name prefix (04, ko/04) or a notebook path; lessons:" >&2
  echo "  $(cd notebooks && echo *.ipynb)" >&2
  exit 2
fi
notebook=$lesson
case "$lesson" in /*) ;; *) [ -f "$here/$lesson" ] && notebook=$here/$lesson ;; esac
if [ ! -f "$notebook" ]; then
  matches=(notebooks/"$lesson"*.ipynb)
  if [ ! -f "${matches[0]}" ]; then
    echo "slides-live.sh: no notebook '$lesson' (try one of: $(cd notebooks && echo *.ipynb))" >&2
    exit 2
  fi
  notebook="${matches[0]}"
fi

reveal=(slides/vendor/reveal.js-*)
jquery=(slides/vendor/jquery-*)
if [ ${#reveal[@]} -ne 1 ] || [ ${#jquery[@]} -ne 1 ] || [ ! -d "${reveal[0]}" ] ||
   [ ! -d "${jquery[0]}" ]; then
  echo "slides-live.sh: expected one slides/vendor/reveal.js-* and one jquery-*" >&2
  exit 1
fi
reveal=$(basename "${reveal[0]}")
jquery=$(basename "${jquery[0]}")

venv="${NUMDIFF_VENV:-.venv}"
if [ -z "${VIRTUAL_ENV:-}" ]; then
  if [ ! -d "$venv" ]; then
    py=python3; command -v python3 >/dev/null 2>&1 || py=python
    "$py" -m venv "$venv"
  fi
  # Windows venvs keep their scripts in Scripts/.
  # shellcheck disable=SC1091
  if [ -f "$venv/bin/activate" ]; then . "$venv/bin/activate"; else . "$venv/Scripts/activate"; fi
fi
python -c "import voila" 2>/dev/null ||
  python -m pip install -q --disable-pip-version-check -r requirements.txt

# Runtime files, one set per port (two lessons served at once do not share them); SLIDES_LIVE_DIR
# puts them elsewhere (the tests use a temp dir):
# - a Jupyter data dir with the template and, as its static files, the vendored assets: Voilà
#   serves them at voila/templates/numdiff-reveal/static/ (static files need no token);
# - a Jupyter config dir whose voila.json points Voilà's own options at them (merged with the
#   repository's voila.json, which Voilà reads from the working directory: kernel culling).
run=${SLIDES_LIVE_DIR:-build/slides-live/$port}
template=$run/share/jupyter/voila/templates/numdiff-reveal
rm -rf "$template"
mkdir -p "$template/static" "$run/etc/jupyter"
cp slides/templates/voila/numdiff-reveal/* "$template/"
cp -R slides/vendor "$template/static/vendor"
# Relative URLs: the page is Voilà's base URL itself, so they hold for any --base_url.
static=voila/templates/numdiff-reveal/static/vendor
cat >"$run/etc/jupyter/voila.json" <<EOF
{
  "VoilaConfiguration": {
    "resources": {
      "reveal": {"url_prefix": "$static/$reveal", "theme": "simple", "scroll": true}
    }
  },
  "VoilaExporter": {"jquery_url": "$static/$jquery/dist/jquery.min.js"}
}
EOF
# Put both first on Jupyter's search paths (absolute, with this platform's separator).
prepend() {
  python -c 'import os, sys
print(os.pathsep.join([os.path.abspath(sys.argv[1]), os.environ.get(sys.argv[2], "")]).rstrip(os.pathsep))' "$1" "$2"
}
JUPYTER_PATH=$(prepend "$run/share/jupyter" JUPYTER_PATH)
JUPYTER_CONFIG_PATH=$(prepend "$run/etc/jupyter" JUPYTER_CONFIG_PATH)
export JUPYTER_PATH JUPYTER_CONFIG_PATH

echo "== Voilà slides: $notebook on $ip:$port (Ctrl-C to stop)"
# voila.json (repo root, read from the working directory) culls the kernels of closed pages.
exec python -m voila "$notebook" --template=numdiff-reveal --Voila.ip="$ip" \
  --port="$port" --token ${extra[@]+"${extra[@]}"}
