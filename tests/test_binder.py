"""Binder: binder/requirements.txt on top of repo2docker's own Jupyter stack, `pip check` clean.

mybinder.org builds the image with repo2docker. For binder/runtime.txt's Python (python-3.11)
it first installs its base environment, a conda lock with its own Jupyter stack (JupyterLab,
notebook, jupyter_server, ipykernel, ipywidgets ...: tests/envs/repo2docker-base.txt names the
file, the commit and every version). Then, because binder/requirements.txt has a local
reference (`-e .`), it copies the whole repository and runs, from the repository root,
    ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"
(repo2docker/buildpacks/python/__init__.py: _should_preassemble_pip, _get_pip_scripts) into
that same environment. pip installs what the file asks for even when it breaks a requirement
of the base (JupyterLab 4.6 under notebook 7.4, which needs JupyterLab < 4.5), exits 0 and
the image runs an inconsistent stack: only `pip check` says so. A fresh empty venv cannot see
this, so this test starts from the base versions.

The venv (base + binder/requirements.txt without `-e .`) is cached, keyed on the Python and
both files (tests/envs/venvs.py); each run hard-links a working copy, copies the repository,
runs the same `pip install -r binder/requirements.txt` there (pip's cache kept, so a warm run
only installs `-e .`), requires `pip check` to be clean, checks that the kernel imports the
repository copy, and executes one lesson with the venv's nbclient and kernel.
"""

import importlib.util
import re
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import nbformat
import pytest

pytestmark = [pytest.mark.binder, pytest.mark.timeout(3600)]

REPO = Path(__file__).resolve().parents[1]
ENVS = Path(__file__).resolve().parent / "envs"
BASE = ENVS / "repo2docker-base.txt"
RUNNER = ENVS / "run_notebooks.py"
BINDER = REPO / "binder"
LESSON = "notebooks/04_gradient_descent.ipynb"
# The packages the lessons need, pinned in binder/requirements.txt as in requirements.txt.
LESSON_PACKAGES = ("numpy", "sympy", "matplotlib", "ipywidgets", "voila", "nbconvert")


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


venvs = _load("numdiff_test_venvs", ENVS / "venvs.py")


def requirement_lines(path):
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


def runtime_version():
    """(3, 11) from binder/runtime.txt, which must hold only `python-X.Y`."""
    text = (BINDER / "runtime.txt").read_text().strip()
    m = re.fullmatch(r"python-(\d+)\.(\d+)", text)
    assert m, (f"binder/runtime.txt should read like python-3.11 and nothing else (repo2docker "
               f"parses the whole file: no comments), not {text!r}")
    return int(m.group(1)), int(m.group(2))


# --------------------------------------------------------------------------- the files


def test_binder_pins_are_the_lesson_pins():
    # binder/requirements.txt leaves the Jupyter stack to repo2docker; what it pins, it pins
    # as requirements.txt does, and it has every lesson package and the package itself.
    lesson_pins = venvs.pins(REPO / "requirements.txt")
    binder_pins = venvs.pins(BINDER / "requirements.txt")
    differ = {n: (v, lesson_pins.get(n)) for n, v in binder_pins.items()
              if lesson_pins.get(n) != v}
    assert differ == {}, f"binder/requirements.txt vs requirements.txt: {differ}"
    missing = [n for n in LESSON_PACKAGES if n not in binder_pins]
    assert missing == [], f"binder/requirements.txt should pin {missing}"
    assert "-e ." in requirement_lines(BINDER / "requirements.txt")


def test_runtime_is_a_python_this_test_can_check():
    assert runtime_version() >= (3, 11)  # Exception.add_note, numdiff_lib's requires-python


def test_apt_txt_lists_debian_packages_as_repo2docker_reads_them():
    # repo2docker drops what follows "#", then takes each line as one package name.
    names = [line.split("#", 1)[0].strip() for line in
             (BINDER / "apt.txt").read_text().splitlines()]
    names = [n for n in names if n]
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9.+-]+", n) for n in names), names
    assert "fonts-nanum" in names, "apt.txt should install the Korean font (fonts-nanum)"


def test_readme_binder_badge_opens_the_first_lesson_in_jupyterlab():
    readme = (REPO / "README.md").read_text()
    links = re.findall(r"\((https://mybinder\.org/v2/[^)\s]+)\)", readme)
    assert links, "README has no Binder badge (a link to https://mybinder.org/v2/...)"
    query = parse_qs(urlsplit(links[0]).query)
    urlpath = unquote(query.get("urlpath", [""])[0])
    assert urlpath.startswith("lab/tree/"), f"the badge should open JupyterLab: {links[0]}"
    target = urlpath.removeprefix("lab/tree/")
    first = sorted((REPO / "notebooks").glob("*.ipynb"))[0].relative_to(REPO).as_posix()
    assert target == first, f"the badge opens {target}, the first lesson is {first}"


# --------------------------------------------------------------------------- the environment


def binder_python():
    """runtime.txt's Python (mybinder.org: 3.11.14) when this machine has it, else this one."""
    major, minor = runtime_version()
    found = venvs.find_python(f"{major}.{minor}")
    if found:
        return found
    warnings.warn(f"python{major}.{minor} (binder/runtime.txt) not found; the Binder test uses "
                  f"{sys.version.split()[0]}", stacklevel=1)
    return sys.executable


@pytest.fixture(scope="module")
def binder(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("binder")
    started = time.monotonic()
    # The cached part: the base, then binder/requirements.txt without its local references
    # (the package itself is installed below, from this run's copy).
    lesson_lines = tmp / "binder-requirements-without-local.txt"
    lesson_lines.write_text("".join(f"{line}\n" for line in
                                    requirement_lines(BINDER / "requirements.txt")
                                    if not line.startswith(("-e", "."))))
    base = venvs.cached_venv("binder", binder_python(), [["-r", BASE], ["-r", lesson_lines]])
    venv = venvs.working_copy(base, tmp / "venv")
    repo = tmp / "repo"
    venvs.copy_repository(REPO, repo)
    env = venvs.clean_env(venv, MPLCONFIGDIR=str(tmp / "mpl"),
                          JUPYTER_CONFIG_DIR=str(tmp / "jupyter-config"),
                          JUPYTER_DATA_DIR=str(tmp / "jupyter-data"), **venvs.KERNEL_ENV)
    python = venvs.venv_python(venv)
    # What repo2docker runs, from the repository root (pip's cache kept: see the docstring).
    install = venvs.run([python, "-m", "pip", "install", "-r", "binder/requirements.txt"],
                        cwd=repo, env=env, timeout=1800)
    print(f"\nbinder: venv and `pip install -r binder/requirements.txt` in "
          f"{time.monotonic() - started:.0f} s")
    return {"tmp": tmp, "venv": venv, "python": python, "repo": repo, "env": env,
            "install": install}


def test_pip_check_is_clean_on_top_of_repo2dockers_stack(binder):
    proc = subprocess.run([str(binder["python"]), "-m", "pip", "check"], env=binder["env"],
                          cwd=binder["tmp"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, (
        "binder/requirements.txt breaks repo2docker's Jupyter stack (pip installs it anyway, "
        f"and Binder serves the broken stack):\n{proc.stdout}{proc.stderr}")
    assert "ERROR" not in binder["install"].stderr, binder["install"].stderr


@pytest.fixture(scope="module")
def executed(binder):
    repo, tmp = binder["repo"], binder["tmp"]
    probe = repo / "notebooks" / "probe.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import sys, numdiff_lib\nprint(sys.prefix)\nprint(numdiff_lib.__file__)")]), probe)
    out = tmp / "executed"
    started = time.monotonic()
    notebooks = [probe, repo / "notebooks" / LESSON.split("/")[-1]]
    korean = repo / "notebooks" / "ko" / LESSON.split("/")[-1]
    if korean.exists():
        notebooks.append(korean)
    proc = venvs.run([binder["python"], RUNNER, out, *notebooks], cwd=repo,
                     env=binder["env"], timeout=1800)
    print(f"binder: executed {len(notebooks)} notebooks in {time.monotonic() - started:.0f} s"
          f"\n{proc.stdout}")
    return [nbformat.read(out / f"{i}.ipynb", as_version=4) for i in range(len(notebooks))]


def test_binder_kernel_imports_the_repository_copy(binder, executed):
    prefix, module = executed[0].cells[0].outputs[0].text.split()
    assert Path(prefix) == binder["venv"], "the kernel is not the venv's Python"
    assert Path(module).is_relative_to(binder["repo"]), "`-e .` did not install the repository"


def test_a_lesson_runs_in_the_binder_env(executed):
    nb = executed[1]
    assert "numdiff_run_error" not in nb.metadata, nb.metadata["numdiff_run_error"]
    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [f"code cell {i}: {o.ename}: {o.evalue}" for i, c in enumerate(code)
              for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == [], errors
    assert all(c.execution_count for c in code), "a cell did not run"


def test_a_korean_lesson_draws_hangul_in_the_binder_env(executed):
    # The bundled NanumSquareRound, not the machine's fonts: no "Glyph ... missing" (boxes).
    if len(executed) < 3:
        pytest.fail("the Korean twin of the Binder test's lesson is missing (notebooks/ko/)")
    nb = executed[2]
    assert "numdiff_run_error" not in nb.metadata, nb.metadata["numdiff_run_error"]
    texts = [o.get("text", "") for c in nb.cells if c.cell_type == "code"
             for o in c.get("outputs", []) if o.get("output_type") == "stream"]
    assert not [t for t in texts if "Glyph" in t or "does not have a glyph" in t], texts
    pngs = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert pngs, "the Korean lesson drew no figure"
