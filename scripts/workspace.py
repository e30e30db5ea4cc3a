"""Your own copy of the lessons, outside the repository: your edits are never overwritten.

    python scripts/workspace.py sync            # create or bring up to date; prints the folder
    python scripts/workspace.py reset 04        # lesson 04 back to its original (yours is kept)
    python scripts/workspace.py where           # print the folder

scripts/lessons.sh runs `sync` and opens JupyterLab in this folder, so autosave writes into
your copy and never into the repository's tracked files (a `git pull` then never conflicts, and
`git clean` cannot touch your work). The folder is $NUMDIFF_WORK, or ~/numdiff-notebooks-work.

On every sync, for each lesson of the repository (both editions: notebooks/ and notebooks/ko/):
- a lesson you do not have yet is copied in;
- a lesson the repository changed, which you never edited (nor ran), is replaced by the new one;
- a lesson the repository changed, which you did edit, stays exactly as it is, and the new
  version is put beside it as "NAME (new version).ipynb" — never merged into yours.
`reset` keeps your copy as "NAME (your copy, DATE).ipynb" and puts the original back.
Standard library only, so it runs before anything is installed.
"""

import argparse
import datetime
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ".numdiff-lessons.json"  # lesson -> hash of the original it was copied from


def default_work_dir():
    return Path(os.environ.get("NUMDIFF_WORK") or Path.home() / "numdiff-notebooks-work")


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def lessons(source):
    """Relative paths of the lessons under source (notebooks/), both editions."""
    found = sorted(p.relative_to(source) for p in source.glob("*.ipynb"))
    found += sorted(p.relative_to(source) for p in source.glob("ko/*.ipynb"))
    return found


def load(work):
    path = work / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def save(work, manifest):
    (work / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n",
                                 encoding="utf-8")


def beside(path, label):
    """'NAME (label).ipynb' next to path, with a number added if that exists already."""
    candidate = path.with_name(f"{path.stem} ({label}){path.suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem} ({label} {n}){path.suffix}")
        n += 1
    return candidate


def sync(source, work, out=print):
    """Bring the copy in `work` up to date with `source`; returns what was done, by kind."""
    source, work = Path(source), Path(work)
    # Outside the whole checkout: inside it, `git clean` or a fresh clone would lose the work.
    repo = source.resolve().parent
    if work.resolve() == repo or repo in work.resolve().parents:
        raise SystemExit(f"workspace: the work folder {work} is inside the repository ({repo}), "
                         "where `git clean` or a new clone would lose it: choose a folder "
                         "outside it (NUMDIFF_WORK=~/numdiff-notebooks-work is the default)")
    work.mkdir(parents=True, exist_ok=True)
    manifest = load(work)
    done = {"added": [], "updated": [], "offered": [], "kept": []}
    for rel in lessons(source):
        key, original, mine = rel.as_posix(), source / rel, work / rel
        new_hash = digest(original)
        entry = manifest.get(key, {})
        if not mine.exists():  # new, or deleted by you: the lesson is copied (back) in
            mine.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(original, mine)
            manifest[key] = {"base": new_hash}
            done["added"].append(key)
        elif entry.get("base") == new_hash:
            done["kept"].append(key)  # the repository did not change it
        elif digest(mine) == entry.get("base"):
            shutil.copy2(original, mine)  # untouched by you: the new version replaces it
            manifest[key] = {"base": new_hash}
            done["updated"].append(key)
        elif entry.get("offered") == new_hash:
            done["kept"].append(key)  # this new version was offered already
        else:
            target = beside(mine, "new version")
            shutil.copy2(original, target)
            manifest[key] = {**entry, "offered": new_hash}
            done["offered"].append(f"{key} -> {target.name}")
    save(work, manifest)
    for kind in ("added", "updated", "offered"):
        for item in done[kind]:
            out(f"  {kind:8} {item}")
    if done["offered"]:
        out("  Your edited copies are untouched; each new version is beside yours. Open it, "
            "or `bash scripts/lessons.sh --reset NN` to start that lesson again.")
    return done


def reset(source, work, lesson, out=print):
    """Put the original of one lesson back; your copy is kept beside it."""
    source, work = Path(source), Path(work)
    matches = [rel for rel in lessons(source)
               if rel.stem == lesson or rel.stem.split("_")[0] == lesson.zfill(2)
               or rel.as_posix() in (lesson, f"{lesson}.ipynb")
               or (rel.parent.name == lesson.split("/")[0] and "/" in lesson
                   and rel.stem.split("_")[0] == lesson.split("/")[1].zfill(2))]
    if not matches:
        raise SystemExit(f"workspace: no lesson matches {lesson!r}")
    if len(matches) > 1:  # "04" matches both editions: the English one, unless ko/04
        matches = [m for m in matches if m.parent == Path(".")] or matches
    rel = matches[0]
    mine, kept = work / rel, None
    if mine.exists():
        stamp = datetime.datetime.now().strftime("%Y-%m-%d %H%M%S")
        kept = beside(mine, f"your copy, {stamp}")
        mine.rename(kept)
        out(f"  kept     {rel.as_posix()} -> {kept.name}")
    mine.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / rel, mine)
    manifest = load(work)
    manifest[rel.as_posix()] = {"base": digest(source / rel)}
    save(work, manifest)
    out(f"  reset    {rel.as_posix()}")
    return kept


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["sync", "reset", "where"])
    parser.add_argument("lesson", nargs="?", help="for reset: 04, 04_gradient_descent, ko/04")
    parser.add_argument("--work", type=Path, default=None, help="the folder (default: "
                        "$NUMDIFF_WORK or ~/numdiff-notebooks-work)")
    parser.add_argument("--source", type=Path, default=ROOT / "notebooks")
    args = parser.parse_args(argv)
    work = args.work or default_work_dir()
    if args.command == "where":
        print(work)
    elif args.command == "sync":
        print(f"== your lessons: {work}")
        sync(args.source, work)
    else:
        if not args.lesson:
            sys.exit("workspace: reset needs a lesson, e.g. reset 04")
        reset(args.source, work, args.lesson)


if __name__ == "__main__":
    main()
