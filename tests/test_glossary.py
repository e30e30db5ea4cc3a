"""One spelling per term, in both editions and in the messages (GLOSSARY.md at the root).

GLOSSARY.md's table gives each term's Korean spelling and the spellings to avoid (for example
수치미분 for 수치 미분). Every lesson of both editions and the Korean message catalog are held to
it: the English lessons where they give the Korean term at first use, the Korean lessons and
messages everywhere.
"""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
    (ROOT / "notebooks" / "ko").glob("*.ipynb"))
CATALOG = ROOT / "numdiff_lib" / "locale" / "ko" / "LC_MESSAGES" / "numdiff_lib.po"


def glossary():
    """[(english, korean, [spellings to avoid])] from GLOSSARY.md's table."""
    rows = []
    for line in (ROOT / "GLOSSARY.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] != "English" and not set(cells[0]) <= {"-"}:
            avoid = [a.strip() for a in cells[3].split(",") if a.strip()]
            rows.append((cells[0], cells[1], avoid))
    return rows


def test_the_glossary_is_readable_and_consistent():
    rows = glossary()
    assert len(rows) > 40
    for english, korean, avoid in rows:
        assert korean, f"{english}: no Korean spelling"
        for bad in avoid:
            assert bad not in korean.split(" / "), f"{english}: {bad!r} is both used and avoided"


def avoided_in(text):
    found = []
    for _english, korean, avoid in glossary():
        for bad in avoid:
            # A bad spelling that is part of the right one (수치 미분 contains no 수치미분) or of a
            # longer right term (확률적 경사 하강법) is not a hit; a whole-word match is.
            for m in re.finditer(re.escape(bad), text):
                around = text[max(0, m.start() - 1):m.end() + 1]
                if not any(korean_part in text[max(0, m.start() - 10):m.end() + 10]
                           and bad in korean_part for korean_part in korean.split(" / ")):
                    found.append((bad, korean, around))
    return found


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_lessons_use_the_glossary_spelling(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    found = avoided_in(text)
    assert not found, (f"{path.relative_to(ROOT)}: spellings GLOSSARY.md avoids: "
                       + "; ".join(f"{bad!r} -> {good!r}" for bad, good, _ in found[:10]))


def test_the_korean_messages_use_the_glossary_spelling():
    if not CATALOG.exists():
        pytest.skip("no Korean catalog yet")
    translations = "\n".join(re.findall(r'^msgstr "(.*)"$', CATALOG.read_text(encoding="utf-8"),
                                        flags=re.M))
    found = avoided_in(translations)
    assert not found, "numdiff_lib.po: " + "; ".join(f"{b!r} -> {g!r}" for b, g, _ in found[:10])
