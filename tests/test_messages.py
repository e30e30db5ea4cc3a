"""Every message numdiff_lib shows has a Korean translation that keeps its placeholders.

The catalog is numdiff_lib/locale/ko/LC_MESSAGES/numdiff_lib.po (scripts/messages.sh extracts
the messages from the code with Babel, merges them in and compiles the .mo the package reads).
"""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from numdiff_lib import messages

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "numdiff_lib" / "locale" / "ko" / "LC_MESSAGES" / "numdiff_lib.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "Msg": None}


def source_messages():
    """Every msgid in numdiff_lib's code, as Babel extracts it (what scripts/messages.sh does)."""
    found = {}
    method_map = [("numdiff_lib/*.py", "python"), ("numdiff_lib/exercises/*.py", "python")]
    for filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, filename)
    return found


def catalog():
    with open(PO, "rb") as f:
        return read_po(f)


def test_every_message_has_a_korean_translation():
    translated = {m.id: m.string for m in catalog() if m.id}
    missing = [(msgid, where) for msgid, where in source_messages().items()
               if not translated.get(msgid)]
    assert not missing, (f"{len(missing)} message(s) without a Korean translation; run "
                         f"scripts/messages.sh and translate them in {PO.relative_to(ROOT)}. "
                         f"First: {missing[0][1]}: {missing[0][0][:80]!r}")


def test_translations_keep_every_placeholder():
    broken = []
    for m in catalog():
        if m.id and m.string:
            if messages.placeholders(m.id) != messages.placeholders(m.string):
                broken.append(m.id[:60])
    assert not broken, f"translations that drop or add a {{placeholder}}: {broken[:5]}"


def test_no_fuzzy_or_obsolete_entries():
    cat = catalog()
    assert not [m.id for m in cat if m.id and m.fuzzy], "fuzzy entries are not used: review them"
    assert not cat.obsolete, "obsolete entries: run scripts/messages.sh"


def test_the_compiled_catalog_is_current():
    with open(MO, "rb") as f:
        compiled = {m.id: m.string for m in read_mo(f) if m.id}
    written = {m.id: m.string for m in catalog() if m.id and m.string}
    assert compiled == written, "the .mo is stale: run scripts/messages.sh"


def test_switching_language_after_import_translates():
    code = ("import numdiff_lib as n; from numdiff_lib.messages import _\n"
            "n.set_language('ko'); print(_('well done.'))\n"
            "n.set_language('en'); print(_('well done.'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[1] == "well done." and out[0] != "well done." and out[0].strip()


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language must be one of"):
        messages.set_language("kr")
