"""The ground the lessons stand on: pins, layers, docstrings, notebook conventions.

Each check reads the files as text or as a syntax tree (ast): nothing here runs a notebook.
"""

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT / "numdiff_lib"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
    (ROOT / "notebooks" / "ko").glob("*.ipynb"))
LIB_FILES = sorted(LIB.rglob("*.py"))
STDLIB = set(sys.stdlib_module_names)


def rel(path):
    return str(path.relative_to(ROOT))


# --------------------------------------------------------------------------- requirements


def requirement_lines(path):
    """Non-empty, non-comment lines of a requirements file."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


def pins(path):
    """{normalised name: version} for every `name==version` line."""
    found = {}
    for line in requirement_lines(path):
        if "==" in line:
            name, version = line.split("==", 1)
            found[re.sub(r"[-_.]+", "-", name.strip().lower())] = version.strip()
    return found


def test_every_lesson_requirement_is_pinned_exactly():
    for line in requirement_lines(ROOT / "requirements.txt"):
        assert line == "-e ." or re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", line), (
            f"requirements.txt: {line!r} is not pinned with ==; pin the version seen working")


def test_test_requirements_include_the_lessons_requirements():
    lines = requirement_lines(ROOT / "requirements-test.txt")
    assert "-r requirements.txt" in lines
    for line in lines:
        assert line.startswith("-r ") or "==" in line, f"requirements-test.txt: {line!r} unpinned"
    test_pins = pins(ROOT / "requirements-test.txt")
    for name in ("pytest", "nbval", "hypothesis", "ruff"):
        assert name in test_pins, f"requirements-test.txt should pin {name}"


# --------------------------------------------------------------------------- layers


def module_name(path):
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def imported_modules(path):
    """Every module a file imports, relative imports resolved; nested imports included."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            target = base + (node.module.split(".") if node.module else [])
            found.add(".".join(target))
            # `from . import plots` imports a submodule by name
            found.update(".".join(target + [alias.name]) for alias in node.names)
    return found


def is_under(module, prefix):
    return module == prefix or module.startswith(prefix + ".")


@pytest.mark.parametrize("name", ["messages.py", "guard.py"])
def test_bottom_layer_imports_only_the_standard_library(name):
    for module in imported_modules(LIB / name):
        top = module.split(".")[0]
        assert top in STDLIB or is_under(module, "numdiff_lib.guard") and name == "guard.py", (
            f"{name} imports {module}: it sits below the core, standard library only")


@pytest.mark.parametrize("name", ["core.py", "autodiff.py"])
def test_core_imports_only_numpy_the_standard_library_and_messages(name):
    path = LIB / name
    assert path.exists(), f"{name} is missing"
    for module in imported_modules(path):
        top = module.split(".")[0]
        assert top == "numpy" or top in STDLIB or is_under(module, "numdiff_lib.messages") or (
            is_under(module, "numdiff_lib.core")), (
            f"{name} imports {module}: the core layer is NumPy, the standard library and "
            "numdiff_lib.messages only")


def test_plots_never_import_widgets_or_exercises():
    for module in imported_modules(LIB / "plots.py"):
        for upper in ("numdiff_lib.widgets", "numdiff_lib.exercises", "ipywidgets"):
            assert not is_under(module, upper), f"plots.py imports {module}: layers point one way"


@pytest.mark.parametrize("path", [p for p in LIB_FILES
                                  if "exercises" in p.parts or p.name == "formula.py"],
                         ids=rel)
def test_exercises_and_formula_never_import_plots_or_widgets(path):
    for module in imported_modules(path):
        for upper in ("numdiff_lib.plots", "numdiff_lib.widgets", "matplotlib", "ipywidgets"):
            assert not is_under(module, upper), f"{rel(path)} imports {module}"


def test_importing_numdiff_lib_stays_light():
    # A fresh interpreter: `import numdiff_lib` must not drag in the heavy layers.
    code = ("import sys, numdiff_lib, numdiff_lib.exercises; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'sympy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT / "tests")  # not the repo root: the installed one
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


# --------------------------------------------------------------------------- no sys.path hacks


def notebook_code(path):
    return [cell for cell in json.loads(path.read_text())["cells"]
            if cell["cell_type"] == "code"]


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.mark.parametrize("path", LIB_FILES + NOTEBOOKS, ids=rel)
def test_no_sys_path_edits(path):
    if path.suffix == ".ipynb":
        text = "\n".join(source(cell) for cell in notebook_code(path))
    else:
        text = path.read_text()
    assert "sys.path" not in text, (f"{rel(path)} edits sys.path; numdiff_lib is installed "
                                    "editable (pip install -e .), so import it directly")


# --------------------------------------------------------------------------- docstrings

# "(lesson 01)", "(lessons 01-03)", "(taught in 04_gradient_descent)", "lesson 01's slider".
NAMES_A_LESSON = re.compile(r"lessons? ?\d{2}|taught in \d{2}|\b\d{2}_[a-z]\w*")

# Modules whose every public function names its lesson. widgets.py and exercises/__init__.py
# join once their missing notes are added (see the core helper's docstring proposal).
LESSON_NOTED = ["core.py", "plots.py", "formula.py", "formula_data.py", "widgets.py", "guard.py",
                "messages.py", "course.py", "autodiff.py", "exercises/__init__.py",
                "exercises/expressions.py"]


def public_definitions(path):
    tree = ast.parse(path.read_text(), str(path))
    return tree, [node for node in tree.body
                  if isinstance(node, (ast.FunctionDef, ast.ClassDef))
                  and not node.name.startswith("_")]


@pytest.mark.parametrize("name", LESSON_NOTED)
def test_public_functions_name_their_lesson(name):
    path = LIB / name
    assert path.exists(), f"{name} is listed here but missing: renamed? update LESSON_NOTED"
    _, nodes = public_definitions(path)
    missing = [node.name for node in nodes
               if not NAMES_A_LESSON.search(ast.get_docstring(node) or "")]
    assert missing == [], f"{name}: say which lesson teaches {missing}, e.g. '(lesson 01)'"


@pytest.mark.parametrize("path", sorted((LIB / "exercises").glob("lesson*.py")), ids=rel)
def test_exercise_modules_name_their_lesson(path):
    # An exercise module belongs to one lesson: its module docstring names it, and every
    # public helper in it says what it is.
    tree, nodes = public_definitions(path)
    assert NAMES_A_LESSON.search(ast.get_docstring(tree) or ""), f"{rel(path)}: name the lesson"
    assert [n.name for n in nodes if not ast.get_docstring(n)] == []


@pytest.mark.parametrize("path", LIB_FILES, ids=rel)
def test_every_public_function_has_a_docstring(path):
    _, nodes = public_definitions(path)
    assert [node.name for node in nodes if not ast.get_docstring(node)] == []


# --------------------------------------------------------------------------- notebooks


IGNORE_MARKERS = ("nbval-ignore-output", "nbval-skip", "NBVAL_IGNORE_OUTPUT", "NBVAL_SKIP")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_ignored_outputs_say_why(path):
    # Only cells that are non-deterministic by nature (a wall-clock timing) may ignore their
    # output, and their tag says why: "nondeterministic:<reason>" next to nbval-ignore-output.
    for i, cell in enumerate(notebook_code(path)):
        tags = cell.get("metadata", {}).get("tags", [])
        text = source(cell)
        where = f"{rel(path)} code cell {i}"
        assert not any(m in text for m in IGNORE_MARKERS[2:]), (
            f"{where}: mark ignored output with cell tags, not a comment")
        ignored = "nbval-ignore-output" in tags or "nbval-skip" in tags
        reasons = [t.split(":", 1)[1] for t in tags if t.startswith("nondeterministic:")]
        assert ignored == bool(reasons), (
            f"{where}: nbval-ignore-output and a 'nondeterministic:<why>' tag go together")
        for reason in reasons:
            assert len(reason.split()) >= 3 and re.search(r"tim(e|ing)|clock|random", reason), (
                f"{where}: only timings are non-deterministic by nature; got {reason!r}")


def test_readme_commands_name_files_that_exist():
    readme = (ROOT / "README.md").read_text()
    named = set(re.findall(r"\b((?:scripts|benchmarks)/[\w/.-]+\.(?:sh|py))\b", readme))
    assert {"scripts/lessons.sh", "scripts/test.sh"} <= named
    missing = sorted(path for path in named if not (ROOT / path).is_file())
    assert missing == [], f"README names missing files: {missing}"


ENDINGS = {"": ("## Summary", "## Exercises", "## Further reading"),
           "ko": ("## 요약", "## 연습 문제", "## 더 읽을거리")}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_every_lesson_ends_with_summary_exercises_and_further_reading(path):
    # d2l's shape: a summary, exercises that check the answer, then where to read more.
    edition = "ko" if path.parent.name == "ko" else ""
    markdown = [c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "markdown"]
    text = "\n".join(markdown)
    positions = []
    for heading in ENDINGS[edition]:
        found = [m.start() for m in re.finditer(rf"^{re.escape(heading)}\b", text, flags=re.M)]
        assert found, f"{rel(path)}: no '{heading}' section"
        positions.append(found[-1])
    assert positions == sorted(positions), f"{rel(path)}: sections out of order {ENDINGS[edition]}"
    # Issue 11: the seed books and the standard references, in every lesson's further reading.
    reading = text[positions[-1]:]
    for source in ("밑바닥부터 시작하는 딥러닝", "데이터 사이언스 스쿨", "CS231n", "d2l.ai"):
        assert source in reading, f"{rel(path)}: further reading does not name {source}"
