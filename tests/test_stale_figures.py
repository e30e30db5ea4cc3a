"""The stale-figure check (conftest.py) itself: nbval compares text only, so a figure drawn in
another colour than the stored one must fail through the check, naming the cell (issue 13)."""

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # two kernels and two pytest runs

SOURCE = """\
%matplotlib inline
from matplotlib.figure import Figure
fig = Figure(figsize=(4, 3), dpi=100)
fig.add_subplot().plot([0, 1, 2], [0, 1, 4], color="{colour}", lw=4)
fig"""


def lesson(tmp_path, stored, drawn):
    """A one-cell notebook that stores a figure in `stored` colour but now draws `drawn`."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SOURCE.format(colour=stored))]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    assert any("image/png" in o.get("data", {}) for o in nb.cells[0].outputs), "no figure stored"
    nb.cells[0].source = SOURCE.format(colour=drawn)
    path = tmp_path / "lesson.ipynb"
    nbformat.write(nb, path)
    shutil.copy(REPO / "conftest.py", tmp_path / "conftest.py")  # the check under test
    return path


def nbval(path):
    return subprocess.run([sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env",
                           "-p", "no:cacheprovider", "-o", "addopts=", path.name],
                          cwd=path.parent, capture_output=True, text=True, timeout=300)


def test_a_figure_in_another_colour_fails_naming_the_cell(tmp_path):
    run = nbval(lesson(tmp_path, stored="#0072B2", drawn="#D55E00"))
    assert run.returncode != 0, run.stdout[-2000:]
    assert "lesson.ipynb, cell 0" in run.stdout and "re-run scripts/execute.sh" in run.stdout


def test_the_same_figure_passes(tmp_path):
    run = nbval(lesson(tmp_path, stored="#0072B2", drawn="#0072B2"))
    assert run.returncode == 0, run.stdout[-2000:]
