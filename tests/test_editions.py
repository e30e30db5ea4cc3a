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
    """The code without comments; each string (an f-string whole) as ("<text>", its source)."""
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
                shape.append(("<text>", ""))
        if in_fstring or tok.type in TEXT_TOKENS:
            if in_fstring:
                shape[-1] = ("<text>", shape[-1][1] + tok.string)
            else:
                shape.append(("<text>", tok.string))
            if name == "FSTRING_END":
                in_fstring -= 1
            continue
        shape.append(tok.string)
    return magics, shape


HANGUL = re.compile("[\uac00-\ud7a3]")
FIELD = re.compile(r"\{[^{}]*\}")
# Printed labels the Korean lesson lays out its own way without Korean words (English source).
RELAID = {'"ReLU at"'}


def translated(en, ko):
    """A string the Korean lesson may show differently: Korean text, the same text spaced
    otherwise, an f-string with the same fields around other words, or a known label."""
    if en == ko or HANGUL.search(ko) or en in RELAID:
        return True
    if (en, ko) == ('"en"', '"ko"'):  # numdiff_lib.start("ko"): the edition's language
        return True
    if "".join(en.split()) == "".join(ko.split()):
        return True
    return en[:1] == ko[:1] == "f" and sorted(FIELD.findall(en)) == sorted(FIELD.findall(ko))


def same_code(english, korean):
    """Same code beyond comments: a string may differ only where the Korean one is Korean text
    (a translated title, label or message); a changed argument such as method="richardson",
    a formula or a file name must be carried over."""
    (magics_en, en), (magics_ko, ko) = code_shape(english), code_shape(korean)
    if magics_en != magics_ko or len(en) != len(ko):
        return False
    for a, b in zip(en, ko, strict=True):
        if isinstance(a, tuple) and isinstance(b, tuple):
            if not translated(a[1], b[1]):
                return False
        elif a != b:
            return False
    return True


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
        assert same_code(a.source, b.source), (
            f"ko/{english.name}: code cell {i} ({first_line(b)!r}) no longer matches the English "
            f"cell {i} ({first_line(a)!r}) beyond comments and Korean text: carry the English "
            "change over, then re-run scripts/execute.sh ko/" + english.stem.split("_")[0])
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


@pytest.mark.parametrize(("english", "korean", "same"), [
    ('print("slope:", d)  # the slope', 'print("기울기:", d)  # 기울기', True),
    ('print(f"{n} steps, loss {L:.3f}")', 'print(f"{n}단계, 손실 {L:.3f}")', True),
    ('ax.set_title("x**2")', 'ax.set_title("x ** 2")', True),  # spacing only
    ('d = numerical_derivative(f, x, method="central")',
     'd = numerical_derivative(f, x, method="richardson")', False),
    ('g = parse_function("x**3")', 'g = parse_function("x**2")', False),
    ('print(f"{a:.3f}")', 'print(f"{b:.3f}")', False),  # another value printed
    ('x, y = sympy.symbols("x y")', 'x, y = sympy.symbols("y x")', False),
    ("lr = 0.1", "lr = 0.01", False),
])
def test_the_parity_check_sees_strings_that_change_behaviour(english, korean, same):
    assert same_code(english, korean) is same
