"""Badges, set-up cells and README links all come from pyproject.toml's Repository (issue 16)."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
    (ROOT / "notebooks" / "ko").glob("*.ipynb"))


@pytest.mark.slow  # rewrites every lesson in memory (about 2 s): the full suite's
def test_everything_generated_from_the_repository_name_is_current():
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "links.py"), "--check"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_each_lesson_opens_in_colab_from_its_own_badge(path):
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0].source
    rel = path.relative_to(ROOT).as_posix()
    assert re.search(rf"\(https://colab\.research\.google\.com/github/[\w.-]+/[\w.-]+/blob/"
                     rf"main/{re.escape(rel)}\)", first), f"{rel}: no Colab badge for this file"
    setup = next(c for c in nb.cells if c.cell_type == "code").source
    language = "ko" if path.parent.name == "ko" else "en"
    assert f'numdiff_lib.start("{language}")' in setup
    assert "--no-deps" in setup and "NUMDIFF_SOURCE" in setup  # never reinstall Colab's stack


def test_readme_names_the_repository_the_badges_use():
    meta = (ROOT / "pyproject.toml").read_text()
    repo = re.search(r'Repository = "https://github\.com/([^"]+)"', meta).group(1)
    for readme in ("README.md", "README.ko.md"):
        path = ROOT / readme
        if path.exists():
            urls = re.findall(r"https://(?:colab\.research\.google\.com/github|mybinder\.org/v2/gh)"
                              r"/([\w.-]+/[\w.-]+)/", path.read_text(encoding="utf-8"))
            assert urls and set(urls) == {repo}, f"{readme}: badges point at {set(urls)}"


@pytest.mark.parametrize("index", ["notebooks/00_index.ipynb", "notebooks/ko/00_index.ipynb"])
def test_the_index_links_every_lesson_to_colab(index):
    # Colab opens one notebook at a time: the index's relative links need Colab links of their
    # own, one per lesson of the same edition.
    text = "\n".join(c.source for c in nbformat.read(ROOT / index, as_version=4).cells
                     if c.cell_type == "markdown")
    folder = Path(index).parent.as_posix()
    for lesson in sorted((ROOT / folder).glob("[0-9][0-9]_*.ipynb")):
        url = f"/blob/main/{folder}/{lesson.name})"
        assert f"({lesson.name})" in text and url in text, f"{index}: no Colab link, {lesson.name}"


def test_the_hub_image_requirements_install_numdiff_lib_from_the_repository():
    from packaging.requirements import Requirement

    hub = (ROOT / "binder" / "hub-requirements.txt").read_text(encoding="utf-8").splitlines()
    reqs = {Requirement(line).name: Requirement(line) for line in hub
            if line and not line.startswith("#")}
    assert "-e ." not in hub  # an image is built outside a checkout
    assert reqs["numdiff_lib"].url.startswith("git+https://github.com/")
    binder = [line for line in (ROOT / "binder" / "requirements.txt").read_text(
        encoding="utf-8").splitlines() if "==" in line and not line.startswith("#")]
    assert binder and all(line in hub for line in binder), "the hub pins differ from Binder's"
    for readme in ("README.md", "README.ko.md"):
        assert "binder/hub-requirements.txt" in (ROOT / readme).read_text(encoding="utf-8")
