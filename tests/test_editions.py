"""The Korean edition (notebooks/ko/) runs the same code as the English one (issue 15).

Each Korean lesson is a twin of the English lesson with the same file name: the same code cells
in the same order, apart from comments and the strings a reader sees (titles, labels, printed
text), which are translated. When an English code cell changes, the test names the Korean cell
that is now stale. Both editions are stored executed from a fresh kernel (scripts/execute.sh),
and every number that teaches comes out the same in both.
"""

import io
import re
import tokenize
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = sorted((ROOT / "notebooks").glob("*.ipynb"))
KOREAN = ROOT / "notebooks" / "ko"
# f-strings are one STRING token before Python 3.12 and FSTRING_* tokens from 3.12 on.
TEXT_TOKENS = {tokenize.STRING} | {getattr(tokenize, n) for n in (
    "FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END") if hasattr(tokenize, n)}


def code_shape(source):
    """The code without comments, and with every string replaced by one placeholder."""
    # IPython magics are not Python: keep them as they are, they must match exactly.
    lines, magics = [], []
    for line in source.splitlines():
        if line.lstrip().startswith(("%", "!")):
            magics.append(line.strip())
            lines.append("")
        else:
            lines.append(line)
    shape, in_fstring = [], 0
    tokens = tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline)
    for tok in tokens:
        if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
                        tokenize.DEDENT, tokenize.ENCODING, tokenize.ENDMARKER):
            continue
        name = tokenize.tok_name[tok.type]
        if name == "FSTRING_START":
            in_fstring += 1
            if in_fstring == 1:
                shape.append("<text>")
            continue
        if name == "FSTRING_END":
            in_fstring -= 1
            continue
        if in_fstring or tok.type in TEXT_TOKENS:
            if not in_fstring:
                shape.append("<text>")
            continue
        shape.append(tok.string)
    return magics, shape


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def first_line(cell):
    return next((ln for ln in cell.source.splitlines() if ln.strip()), "")[:70]


def test_every_english_lesson_has_a_korean_twin():
    missing = [p.name for p in ENGLISH if not (KOREAN / p.name).exists()]
    extra = sorted({p.name for p in KOREAN.glob("*.ipynb")} - {p.name for p in ENGLISH})
    assert not missing, f"notebooks/ko/ lacks: {missing}"
    assert not extra, f"notebooks/ko/ has lessons with no English twin: {extra}"


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_korean_code_cells_match_the_english_ones(english):
    korean = KOREAN / english.name
    if not korean.exists():
        pytest.fail(f"notebooks/ko/{english.name} is missing")
    en, ko = code_cells(english), code_cells(korean)
    for i, (a, b) in enumerate(zip(en, ko, strict=False)):
        assert code_shape(a.source) == code_shape(b.source), (
            f"ko/{english.name}: code cell {i} ({first_line(b)!r}) no longer matches the English "
            f"cell {i} ({first_line(a)!r}) beyond comments and strings: carry the English change "
            "over, then re-run scripts/execute.sh ko/" + english.stem.split("_")[0])
    longer = en if len(en) > len(ko) else ko
    assert len(en) == len(ko), (
        f"ko/{english.name} has {len(ko)} code cells, the English lesson {len(en)}: "
        f"the first unmatched is {first_line(longer[min(len(en), len(ko))])!r}")


# Numbers with four or more significant digits come from computation, not from prose: they must
# be the same in both editions' outputs (a translated sentence may spell small numbers out).
PRECISE = re.compile(r"(?<![\w.])-?\d+\.\d{3,}(?:e[-+]?\d+)?|(?<![\w.])-?\d\.\d+e[-+]?\d+")


def precise_numbers(cell):
    found = []
    for out in cell.get("outputs", []):
        text = out.get("text") or out.get("data", {}).get("text/plain", "")
        found += PRECISE.findall(text if isinstance(text, str) else "".join(text))
    return found


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_both_editions_print_the_same_numbers(english):
    korean = KOREAN / english.name
    if not korean.exists():
        pytest.fail(f"notebooks/ko/{english.name} is missing")
    for i, (a, b) in enumerate(zip(code_cells(english), code_cells(korean), strict=False)):
        if any(t.startswith("nondeterministic:") for t in a.metadata.get("tags", [])):
            continue
        assert precise_numbers(a) == precise_numbers(b), (
            f"ko/{english.name} code cell {i} ({first_line(b)!r}) prints other numbers than "
            "the English lesson: is it stored executed? (scripts/execute.sh)")


@pytest.mark.parametrize("korean", sorted(KOREAN.glob("*.ipynb")), ids=lambda p: p.stem)
def test_korean_lessons_set_the_language_and_read_in_korean(korean):
    cells = nbformat.read(korean, as_version=4).cells
    setup = code_cells(korean)[0].source
    assert 'numdiff_lib.start("ko")' in setup, "the set-up cell must switch to Korean"
    prose = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    hangul = len(re.findall("[\uac00-\ud7a3]", prose))
    latin_words = len(re.findall(r"\b[A-Za-z]{4,}\b", re.sub(r"`[^`]*`|\$[^$]*\$|\(http[^)]*\)",
                                                              "", prose)))
    assert hangul > 5 * latin_words, (
        f"{korean.name}: the prose should be Korean ({hangul} Hangul letters, {latin_words} "
        "English words outside code and formulas)")
