#!/usr/bin/env bash
# Lecture slides: one reveal.js deck per lesson, built from the notebooks' slide metadata.
#
#   bash scripts/slides.sh                          # every lesson -> build/slides/*.slides.html
#   bash scripts/slides.sh notebooks/04_gradient_descent.ipynb
#   bash scripts/slides.sh --output-dir /tmp/decks
#
# Open a deck in a browser (arrow keys: next slide; Esc: overview; S: speaker notes). The decks
# load reveal.js from a CDN (unpkg.com), so viewing them needs internet; the figures are embedded.
# The committed outputs are shown; nothing is executed. Needs only nbconvert: uses the active
# virtual environment or .venv when it has it, else sets one up like scripts/lessons.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

out=build/slides
notebooks=()
while [ $# -gt 0 ]; do
  case "$1" in
    --output-dir) out="$2"; shift 2 ;;
    --output-dir=*) out="${1#--output-dir=}"; shift ;;
    *) notebooks+=("$1"); shift ;;
  esac
done
[ ${#notebooks[@]} -gt 0 ] || notebooks=(notebooks/*.ipynb)

if [ -z "${VIRTUAL_ENV:-}" ]; then
  [ -d .venv ] || python3 -m venv .venv
  # shellcheck disable=SC1091
  . .venv/bin/activate
fi
python -c "import nbconvert" 2>/dev/null ||
  python -m pip install -q --disable-pip-version-check -r requirements.txt

# --no-prompt: no In [3]: labels on slides; reveal_scroll: a long code cell scrolls, not clips.
python -m jupyter nbconvert --to slides --no-prompt --SlidesExporter.reveal_scroll=True \
  --output-dir "$out" "${notebooks[@]}"
echo "== slides in $out/: $(cd "$out" && echo *.slides.html)"
