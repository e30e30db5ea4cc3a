#!/usr/bin/env bash
# The message catalogs: every text numdiff_lib shows, for translators (gettext .po files).
#
#   bash scripts/messages.sh          # extract -> numdiff_lib/locale/numdiff_lib.pot,
#                                     # merge into each .po, compile each .mo
#
# A translator edits numdiff_lib/locale/<lang>/LC_MESSAGES/numdiff_lib.po with any .po editor
# (Poedit, Weblate, a text editor), then runs this script again; tests/test_messages.py fails
# when a message has no translation or a translation breaks a {placeholder}.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${NUMDIFF_VENV:-.venv}"
if [ -z "${VIRTUAL_ENV:-}" ] && [ -d "$venv" ]; then
  # shellcheck disable=SC1091
  if [ -f "$venv/bin/activate" ]; then . "$venv/bin/activate"; else . "$venv/Scripts/activate"; fi
fi
locale=numdiff_lib/locale
pot=$locale/numdiff_lib.pot
pybabel extract -F babel.cfg -k N_ -k Msg --no-location \
  --sort-output --omit-header -o "$pot" .
for po in "$locale"/*/LC_MESSAGES/numdiff_lib.po; do
  [ -f "$po" ] || continue
  lang=$(basename "$(dirname "$(dirname "$po")")")
  pybabel update -i "$pot" -d "$locale" -D numdiff_lib -l "$lang" \
    --no-fuzzy-matching --ignore-obsolete
  # Keep the header free of dates and placeholders, so an unchanged catalog gives no diff.
  python - "$po" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
drop = ("POT-Creation-Date", "PO-Revision-Date", "Last-Translator", "Language-Team",
        "Report-Msgid-Bugs-To", "Generated-By")
text = re.sub(r'^"(%s): .*\\n"\n' % "|".join(drop), "", text, flags=re.M)
open(path, "w", encoding="utf-8").write(text.replace("Project-Id-Version:  ", "Project-Id-Version: "))
PY
done
# Compile each .po to the .mo the package reads. Not `pybabel compile`: it stamps the current
# time into the .mo's header, so every run would change a tracked binary file.
python - "$locale" <<'PY'
import datetime, pathlib, sys
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
fixed = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
for po in sorted(pathlib.Path(sys.argv[1]).glob("*/LC_MESSAGES/numdiff_lib.po")):
    with open(po, "rb") as f:
        catalog = read_po(f)
    catalog.creation_date = catalog.revision_date = fixed
    done = sum(1 for m in catalog if m.id and m.string)
    print(f"{done} of {sum(1 for m in catalog if m.id)} messages translated in {po}")
    with open(po.with_suffix(".mo"), "wb") as f:
        write_mo(f, catalog)
PY
