"""Binder: binder/requirements.txt installs into a fresh virtual environment and runs a lesson.

repo2docker (what mybinder.org runs) sees a local reference (`-e .`) in binder/requirements.txt,
so it copies the whole repository first and runs, from the repository root,
    ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"
(repo2docker/buildpacks/python/__init__.py: _should_preassemble_pip, _get_pip_scripts). pip
resolves `-e .` against that working directory, so `.` is the repository. This test does the
same in a copy of the repository with a new venv — but keeps pip's cache, so a second run only
re-links wheels. Then it executes one lesson with that venv's nbconvert and ipykernel.
"""

import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
LESSON = "04_gradient_descent.ipynb"
# Not part of what Binder would build from a clean clone.
GENERATED = shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__",
                                   ".ipynb_checkpoints", ".pytest_cache", "tmp", ".cache")


def requirement_lines(path):
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return sorted(line for line in lines if line)


def runtime_version():
    text = (REPO / "binder" / "runtime.txt").read_text().strip()
    m = re.fullmatch(r"python-(\d+)\.(\d+)(?:\.\d+)?", text)
    assert m, f"binder/runtime.txt should read like python-3.11, not {text!r}"
    return int(m.group(1)), int(m.group(2))


def test_binder_requirements_are_the_lesson_pins():
    assert requirement_lines(REPO / "binder" / "requirements.txt") == requirement_lines(
        REPO / "requirements.txt")


def test_runtime_matches_the_python_readme_says_was_tested():
    readme = (REPO / "README.md").read_text()
    m = re.search(r"tested on \W*Python (\d+)\.(\d+)", readme)
    assert m, "README should say which Python the lessons were tested on"
    assert runtime_version() == (int(m.group(1)), int(m.group(2)))


def binder_python():
    """runtime.txt's Python when this machine has it, else this one (with a warning)."""
    major, minor = runtime_version()
    if sys.version_info[:2] == (major, minor):
        return sys.executable
    found = shutil.which(f"python{major}.{minor}")
    if found:
        return found
    warnings.warn(f"python{major}.{minor} (binder/runtime.txt) not found; using {sys.version}",
                  stacklevel=1)
    return sys.executable


def clean_env(venv, home):
    env = {k: v for k, v in os.environ.items()
           if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "JUPYTER_PATH",
                        "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "PIP_REQUIRE_VIRTUALENV"}}
    env["PATH"] = str(venv / "bin") + os.pathsep + env.get("PATH", "")
    env["VIRTUAL_ENV"] = str(venv)
    # Jupyter's per-user config and kernels from this machine stay out (Binder has none).
    env["JUPYTER_CONFIG_DIR"] = str(home / "jupyter-config")
    env["JUPYTER_DATA_DIR"] = str(home / "jupyter-data")
    env["MPLCONFIGDIR"] = str(home / "mpl")
    return env


def run(argv, **kw):
    proc = subprocess.run(argv, capture_output=True, text=True, **kw)
    assert proc.returncode == 0, f"{argv} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    return proc


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("binder")
    repo = tmp / "repo"
    shutil.copytree(REPO, repo, ignore=GENERATED)
    venv = tmp / "venv"
    run([binder_python(), "-m", "venv", str(venv)], timeout=120)
    env = clean_env(venv, tmp)
    run([str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check",
         "-q", "-r", "binder/requirements.txt"], cwd=repo, env=env, timeout=900)
    return repo, venv, env


def execute(venv, env, notebook, output):
    """nbconvert --execute with the venv's Jupyter and its python3 kernel (the venv's ipykernel)."""
    run([str(venv / "bin" / "python"), "-m", "jupyter", "nbconvert", "--to", "notebook",
         "--execute", "--ExecutePreprocessor.kernel_name=python3",
         "--ExecutePreprocessor.timeout=120", "--output", str(output), str(notebook)],
        cwd=notebook.parent, env=env, timeout=300)
    return nbformat.read(output, as_version=4)


def test_binder_kernel_imports_the_repository_copy(binder_env):
    repo, venv, env = binder_env
    probe = repo / "notebooks" / "probe.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import sys, numdiff_lib\nprint(sys.prefix)\nprint(numdiff_lib.__file__)")]), probe)
    done = execute(venv, env, probe, repo / "notebooks" / "probe_out.ipynb")
    prefix, module = done.cells[0].outputs[0].text.split()
    assert Path(prefix) == venv, "the kernel is not the venv's Python"
    assert Path(module).is_relative_to(repo), "`-e .` did not install the repository"


def test_a_lesson_runs_in_the_binder_env(binder_env):
    repo, venv, env = binder_env
    nb = repo / "notebooks" / LESSON
    executed = execute(venv, env, nb, nb.with_name(f"executed_{LESSON}"))
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.output_type == "error"]
    assert not errors, errors
    ran = [c for c in executed.cells if c.cell_type == "code" and c.execution_count]
    assert len(ran) == sum(c.cell_type == "code" for c in executed.cells)


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
