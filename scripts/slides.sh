#!/usr/bin/env bash
# Lecture slides: one reveal.js deck per lesson, built from the notebooks' slide metadata, that
# work with no network (a lecture hall whose network fails).
#
#   bash scripts/slides.sh                      # notebooks/*.ipynb    -> build/slides/
#                                               # notebooks/ko/*.ipynb -> build/slides/ko/ (if any)
#   bash scripts/slides.sh notebooks/04_gradient_descent.ipynb notebooks/ko/04_*.ipynb
#   bash scripts/slides.sh --edition ko path/to/any.ipynb      # -> build/slides/ko/
#   bash scripts/slides.sh --output-dir /tmp/decks
#
# A notebook under notebooks/<edition>/ goes to <output-dir>/<edition>/ (the edition is also
# the page language); --edition puts every notebook given into that edition.
# Open a deck in a browser, straight from the disk (arrow keys: next slide; Esc: overview;
# S: speaker notes). Everything a deck loads — reveal.js, jQuery, RequireJS, MathJax, the widget
# manager, the theme's fonts — is copied from slides/vendor/ into <output-dir>/vendor/, shared by
# the editions; copy that folder along with the decks. The figures are embedded. The committed
# outputs are shown; nothing is executed. Live sliders on slides: scripts/slides-live.sh.
# Needs only nbconvert: uses the active virtual environment or .venv when it has it, else sets
# one up like scripts/lessons.sh.
set -euo pipefail
here=$(pwd)
cd "$(dirname "$0")/.."
repo=$(pwd)

out=build/slides
edition_opt=
notebooks=()
while [ $# -gt 0 ]; do
  case "$1" in
    --output-dir) out=$2; shift 2 ;;
    --output-dir=*) out=${1#--output-dir=}; shift ;;
    --edition) edition_opt="$2"; shift 2 ;;
    --edition=*) edition_opt="${1#--edition=}"; shift ;;
    -*) echo "slides.sh: unknown option $1" >&2; exit 2 ;;
    *) notebooks+=("$1"); shift ;;
  esac
done
# Paths given relative to where the command was typed (the script works from the repo root).
case "$out" in /*) ;; *) [ "$here" = "$repo" ] || out=$here/$out ;; esac
for i in ${notebooks[@]+"${!notebooks[@]}"}; do
  case "${notebooks[$i]}" in /*) ;; *) notebooks[$i]=$here/${notebooks[$i]} ;; esac
done
if [ ${#notebooks[@]} -eq 0 ]; then
  notebooks=(notebooks/*.ipynb)
  for nb in notebooks/*/*.ipynb; do
    case "$nb" in */.ipynb_checkpoints/*) ;; *) [ -f "$nb" ] && notebooks+=("$nb") ;; esac
  done
fi

# The vendored assets: exactly one copy of each package (slides/vendor.sh writes them).
asset() {
  local found=(slides/vendor/$1)
  if [ ${#found[@]} -ne 1 ] || [ ! -e "${found[0]}" ]; then
    echo "slides.sh: expected one slides/vendor/$1, found: ${found[*]}" >&2
    exit 1
  fi
  basename "${found[0]}"
}
reveal=$(asset 'reveal.js-*')
jquery=$(asset 'jquery-*')
requirejs=$(asset 'requirejs-*')
mathjax=$(asset 'mathjax-*')
widgets=$(asset 'html-manager-*')

# edition of a notebook: --edition, else the folder under notebooks/ it sits in, else "" (English)
edition_of() {
  if [ -n "$edition_opt" ]; then echo "$edition_opt"; return; fi
  local dir
  dir=$(cd "$(dirname "$1")" && pwd)
  case "$dir" in
    "$repo"/notebooks/*) echo "${dir#"$repo"/notebooks/}" ;;
    *) echo "" ;;
  esac
}

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
python -c "import nbconvert" 2>/dev/null ||
  python -m pip install -q --disable-pip-version-check -r requirements.txt

pairs=()
editions=()
for nb in "${notebooks[@]}"; do
  [ -f "$nb" ] || { echo "slides.sh: no notebook $nb" >&2; exit 2; }
  ed=$(edition_of "$nb")
  pairs+=("$ed|$nb")
  case " ${editions[*]+"${editions[*]}"} " in *" ${ed:-.} "*) ;; *) editions+=("${ed:-.}") ;; esac
done

mkdir -p "$out"
rm -rf "$out/vendor"
cp -R slides/vendor "$out/vendor"
# The Korean font numdiff_lib ships, with its licence: the Korean decks' text face.
mkdir -p "$out/vendor/nanumsquareround"
cp numdiff_lib/fonts/NanumSquareRound*.ttf numdiff_lib/fonts/OFL.txt "$out/vendor/nanumsquareround/"

for ed in "${editions[@]}"; do
  [ "$ed" = . ] && ed=
  files=()
  for pair in "${pairs[@]}"; do
    [ "${pair%%|*}" = "$ed" ] && files+=("${pair#*|}")
  done
  if [ -n "$ed" ]; then
    dest=$out/$ed
    v=../vendor
    lang=(); [ ${#ed} -eq 2 ] && lang=("--SlidesExporter.language_code=$ed")
  else
    dest=$out
    v=vendor
    lang=()
  fi
  # --no-prompt: no In [3]: labels on slides; reveal_scroll: a long code cell scrolls, not clips.
  # Every URL a deck loads points into vendor/ (relative: the decks open from the disk); the
  # template (slides/templates/nbconvert/numdiff-reveal) leaves out what no option reaches.
  python -m jupyter nbconvert --to slides --no-prompt \
    --SlidesExporter.extra_template_basedirs="$repo/slides/templates/nbconvert" \
    --template numdiff-reveal \
    --SlidesExporter.reveal_scroll=True \
    --SlidesExporter.reveal_theme=simple \
    --SlidesExporter.reveal_url_prefix="$v/$reveal" \
    --SlidesExporter.jquery_url="$v/$jquery/dist/jquery.min.js" \
    --SlidesExporter.require_js_url="$v/$requirejs/require.js" \
    --SlidesExporter.mathjax_url="$v/$mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe" \
    --SlidesExporter.widget_renderer_url="$v/$widgets/dist/embed-amd.js" \
    ${lang[@]+"${lang[@]}"} \
    --output-dir "$dest" "${files[@]}"
  echo "== slides in $dest/: $(cd "$dest" && echo *.slides.html)"
done
echo "== assets in $out/vendor/ (keep them next to the decks; nothing is loaded from the internet)"
