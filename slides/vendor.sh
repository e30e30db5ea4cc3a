#!/usr/bin/env bash
# Maintainers only: re-create slides/vendor/ from the npm registry (needs npm; instructors never
# run this — the result is committed, and scripts/slides.sh copies it next to the decks).
#
#   bash slides/vendor.sh        # with the project's virtual environment active (ipywidgets)
#
# Takes ONLY the files a deck loads (plus each package's licence) from these npm packages:
#   reveal.js 4.0.2        the version nbconvert 7's reveal template is written for
#   jquery 3.7.1           the template's $(...) calls (nbconvert's own default is jQuery 2.0.3)
#   requirejs 2.3.8        loads reveal.js, its notes plugin and the widget manager (AMD)
#   mathjax 2.7.9          the template calls MathJax 2's API (MathJax.Hub); TeX in, CommonHTML out
#   @jupyter-widgets/html-manager 1.0.15   embed-amd.js: the widgets' saved state, drawn (ipywidgets 8)
#   @fontsource/news-cycle 5.3.0, @fontsource/lato 5.3.0   the "simple" theme's two web fonts
#                          (headings; widget labels), which the theme takes from Google Fonts
# When you change a version here, change it in scripts/slides.sh and slides/README.md too.
set -euo pipefail
cd "$(dirname "$0")"
dest=vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch PACKAGE@VERSION -> $work/<name>/package
  local spec=$1 name=${1%@*}
  name=${name//\//-}; name=${name#@}
  mkdir -p "$work/$name"
  (cd "$work/$name" && npm pack --silent "$spec" >/dev/null && tar xzf ./*.tgz)
  echo "$work/$name/package"
}

take() {  # take SRC_ROOT DEST_ROOT relative/path... : copy, keeping the relative paths
  local src=$1 out=$2; shift 2
  for f in "$@"; do
    mkdir -p "$out/$(dirname "$f")"
    cp -R "$src/$f" "$out/$f"
  done
}

rm -rf "$dest"
mkdir -p "$dest"

# reveal.js: core, the "simple" theme (SlidesExporter's default) and the speaker-notes plugin.
src=$(fetch reveal.js@4.0.2)
out=$dest/reveal.js-4.0.2
take "$src" "$out" LICENSE dist/reveal.css dist/reveal.js plugin/notes/notes.js
# The theme imports its two web fonts (News Cycle: headings; Lato: widget labels) from
# fonts.googleapis.com. Offline that fails and the headings fall back to Impact where it is
# installed. Point the imports at local copies of the same fonts (below) instead.
mkdir -p "$out/dist/theme"
{
  echo "/* numdiff: reveal.js 4.0.2 dist/theme/simple.css, its two @import url(https://fonts.googleapis.com/...) lines replaced by local copies of the same fonts (offline decks; slides/vendor.sh). */"
  echo "@import url(../../../fontsource-news-cycle-5.3.0/news-cycle.css);"
  echo "@import url(../../../fontsource-lato-5.3.0/lato.css);"
  grep -v '^@import url(https://fonts.googleapis.com' "$src/dist/theme/simple.css"
} >"$out/dist/theme/simple.css"

# The fonts: Latin and Latin Extended, the weights and styles the theme asked Google Fonts for,
# WOFF2 only (every browser of the last eight years). Other scripts (Greek, Cyrillic, Hangul)
# fall back to the next font in the theme's list, as Hangul did online.
fonts() {  # fonts NAME VERSION "STYLE..." (STYLE: fontsource's per-weight CSS, e.g. 400-italic)
  local name=$1 version=$2 styles=$3 src out
  out=$dest/fontsource-$name-$version
  src=$(fetch "@fontsource/$name@$version")
  mkdir -p "$out/files"
  cp "$src/LICENSE" "$out/LICENSE"
  python3 - "$src" "$out" "$name" "$version" $styles <<'PY'
import re
import shutil
import sys
from pathlib import Path

src, out, name, version, styles = Path(sys.argv[1]), Path(sys.argv[2]), *sys.argv[3:5], sys.argv[5:]
faces = []
for style in styles:
    css = (src / f"{style}.css").read_text()
    for face, body in re.findall(r"/\* ([\w-]+) \*/\s*(@font-face \{.*?\})", css, re.S):
        if not re.search(r"-latin(-ext)?-\d", face):
            continue
        woff2 = re.search(r"url\(\./files/([\w-]+\.woff2)\) format\('woff2'\)", body).group(1)
        shutil.copy(src / "files" / woff2, out / "files" / woff2)
        body = re.sub(r"src: [^;]*;", f"src: url(./files/{woff2}) format('woff2');", body)
        faces.append(f"/* {face} */\n{body}\n")
(out / f"{name}.css").write_text(
    f"/* @fontsource/{name} {version}: Latin and Latin Extended, WOFF2 only (slides/vendor.sh) */\n"
    + "".join(faces))
PY
}
fonts news-cycle 5.3.0 "400 700"
fonts lato 5.3.0 "400 700 400-italic 700-italic"

src=$(fetch jquery@3.7.1)
take "$src" "$dest/jquery-3.7.1" LICENSE.txt dist/jquery.min.js

src=$(fetch requirejs@2.3.8)
out=$dest/requirejs-2.3.8
take "$src" "$out" require.js
# The npm package has no licence file; require.js's header says: "RequireJS 2.3.8 Copyright
# jQuery Foundation and other contributors. Released under MIT license".
cat >"$out/LICENSE" <<'EOF'
RequireJS 2.3.8
Copyright jQuery Foundation and other contributors, https://jquery.org/

Released under the MIT license (as stated in the header of require.js and in the npm package's
package.json, "license": "MIT"; the npm package carries no licence file of its own):

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.
EOF

# MathJax 2: the combined configuration nbconvert asks for (TeX-AMS_CHTML-full + Safe), the TeX
# input, the CommonHTML output with its font data and WOFF fonts, and the extensions that TeX
# macros and the right-click menu load on demand. Not taken: the other output processors (SVG,
# HTML-CSS: 17 MB), other fonts, localisations (the menu's language choice), the a11y explorer.
src=$(fetch mathjax@2.7.9)
out=$dest/mathjax-2.7.9
take "$src" "$out" LICENSE MathJax.js config/TeX-AMS_CHTML-full.js \
  config/Safe.js jax/input/TeX jax/element/mml jax/output/CommonHTML jax/output/PreviewHTML \
  fonts/HTML-CSS/TeX/woff extensions/TeX extensions/HTML-CSS \
  extensions/a11y/accessibility-menu.js
for f in "$src"/extensions/*.js; do take "$src" "$out" "extensions/$(basename "$f")"; done

# The widget manager the template inserts when a notebook has saved widget state.
src=$(fetch @jupyter-widgets/html-manager@1.0.15)
out=$dest/html-manager-1.0.15
take "$src" "$out" dist/embed-amd.js
cp "$src/dist/embed.js.LICENSE.txt" "$out/THIRD-PARTY-NOTICES.txt"
# The npm package carries no licence file: ipywidgets' (same repository, BSD-3-Clause).
python3 - "$out/LICENSE" <<'EOF'
import sys
from importlib.metadata import distribution

d = distribution("ipywidgets")
lic = next(f for f in d.files if f.name == "LICENSE")
open(sys.argv[1], "w").write(
    "@jupyter-widgets/html-manager 1.0.15 is part of the ipywidgets repository and is\n"
    "distributed under its licence (BSD-3-Clause), reproduced here from the ipywidgets "
    f"{d.version} wheel:\n\n" + lic.read_text())
EOF

du -sh "$dest"/*
echo "== slides/vendor/ updated: $(du -sh "$dest" | cut -f1)"
