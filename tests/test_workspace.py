"""A student's work is never lost: the lessons open from a copy outside the repository (issue 12).

The whole cycle: set up, edit, the repository changes (a lesson updated, a lesson added), sync
again — the edit is still there and the new content is reachable; reset keeps the edit too.
"""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("workspace", ROOT / "scripts" / "workspace.py")
ws = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ws)


def lesson(text):
    return json.dumps({"cells": [{"cell_type": "markdown", "source": text}]})


@pytest.fixture
def repo(tmp_path):
    source = tmp_path / "repo" / "notebooks"
    (source / "ko").mkdir(parents=True)
    (source / "01_one.ipynb").write_text(lesson("one v1"))
    (source / "02_two.ipynb").write_text(lesson("two v1"))
    (source / "ko" / "01_one.ipynb").write_text(lesson("하나 v1"))
    return source


def test_the_whole_cycle(repo, tmp_path):
    work = tmp_path / "home" / "numdiff-notebooks-work"
    done = ws.sync(repo, work, out=lambda *_: None)
    assert sorted(done["added"]) == ["01_one.ipynb", "02_two.ipynb", "ko/01_one.ipynb"]

    (work / "01_one.ipynb").write_text(lesson("one v1 + MY NOTES"))   # the student edits 01
    (repo / "01_one.ipynb").write_text(lesson("one v2"))              # the course updates 01,
    (repo / "02_two.ipynb").write_text(lesson("two v2"))              # and 02 (not edited),
    (repo / "03_three.ipynb").write_text(lesson("three v1"))          # and adds 03
    done = ws.sync(repo, work, out=lambda *_: None)

    assert (work / "01_one.ipynb").read_text() == lesson("one v1 + MY NOTES")  # never touched
    assert (work / "01_one (new version).ipynb").read_text() == lesson("one v2")
    assert (work / "02_two.ipynb").read_text() == lesson("two v2")  # untouched: replaced
    assert (work / "03_three.ipynb").read_text() == lesson("three v1")
    assert done["added"] == ["03_three.ipynb"] and done["updated"] == ["02_two.ipynb"]

    again = ws.sync(repo, work, out=lambda *_: None)  # nothing new: nothing offered twice
    assert not again["offered"] and not again["added"] and not again["updated"]

    kept = ws.reset(repo, work, "01", out=lambda *_: None)
    assert kept.read_text() == lesson("one v1 + MY NOTES")
    assert (work / "01_one.ipynb").read_text() == lesson("one v2")
    assert (work / "ko" / "01_one.ipynb").read_text() == lesson("하나 v1")


def test_reset_of_the_korean_edition(repo, tmp_path):
    work = tmp_path / "work"
    ws.sync(repo, work, out=lambda *_: None)
    (work / "ko" / "01_one.ipynb").write_text(lesson("내 메모"))
    ws.reset(repo, work, "ko/01", out=lambda *_: None)
    assert (work / "ko" / "01_one.ipynb").read_text() == lesson("하나 v1")
    assert any("your copy" in p.name for p in (work / "ko").iterdir())


@pytest.mark.parametrize("inside", ["notebooks/inside", "work", "."])
def test_the_work_folder_must_be_outside_the_repository(repo, inside):
    # Anywhere in the checkout (not only among the lessons) `git clean -fdx` would delete it.
    with pytest.raises(SystemExit, match="inside the repository"):
        ws.sync(repo, repo.parent / inside, out=lambda *_: None)


def test_the_command_line_uses_numdiff_work(tmp_path):
    env_work = tmp_path / "elsewhere"
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "workspace.py"), "sync"],
                         capture_output=True, text=True, env={"NUMDIFF_WORK": str(env_work),
                                                              "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    assert (env_work / "00_index.ipynb").exists()
    assert str(env_work) in run.stdout


def test_lessons_sh_opens_the_copy_not_the_repository():
    script = (ROOT / "scripts" / "lessons.sh").read_text()
    assert "workspace.py sync" in script and "root_dir=\"$work\"" in script
    assert "jupyter lab notebooks/" not in script
