"""Re-execute lessons in place from a fresh kernel, deterministically (scripts/execute.sh).

    python scripts/execute.py                 # every lesson of every edition, in order
    python scripts/execute.py 04 ko/04 08     # some lessons (number, name or path)
    python scripts/execute.py --check         # execute into memory; exit 1 if a file would change

A notebook whose outputs come out the same is left untouched (byte for byte), so running this
on a clean tree gives no diff. What makes the outputs repeatable:
- each lesson seeds its own randomness; the kernel gets PYTHONHASHSEED=0 and one BLAS thread;
- numdiff_lib.start() fixes figure size, dpi and fonts; PNGs carry no date;
- volatile metadata (execution timestamps, the Python patch version, widget state) is dropped;
- cells tagged `nondeterministic:<reason>` (a wall-clock timing, a live widget) keep their
  stored outputs while their source is unchanged; widget views are stored as their text form,
  because their model ids are new on every run.
"""

import argparse
import copy
import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
# The editions: notebooks/ itself (English) and each subfolder holding lessons (ko, ...).
EDITIONS = ("", *sorted(p.name for p in NOTEBOOKS.iterdir()
                        if p.is_dir() and any(p.glob("[0-9][0-9]_*.ipynb"))))
NONDETERMINISTIC = "nondeterministic:"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
TIMEOUT = 600  # seconds per cell: a guard against a hang, not a goal


def lessons(selection=()):
    """The lesson files chosen by number ("04"), name, "ko/04" or path; all when empty."""
    every = [p for edition in EDITIONS for p in sorted((NOTEBOOKS / edition).glob("*.ipynb"))]
    if not selection:
        return every
    chosen = []
    for item in selection:
        path = Path(item)
        if path.suffix == ".ipynb" and path.exists():
            chosen.append(path.resolve())
            continue
        edition, _, name = item.rpartition("/")
        matches = [p for p in every if p.parent == NOTEBOOKS / edition
                   and (p.stem == name or p.stem.split("_")[0] == name.zfill(2))]
        if not matches:
            sys.exit(f"execute: no lesson matches {item!r}")
        chosen.extend(matches)
    return chosen


def kernel_env():
    env = dict(os.environ, PYTHONHASHSEED="0", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
               MKL_NUM_THREADS="1", SOURCE_DATE_EPOCH="0")
    # This checkout's numdiff_lib, whichever environment runs the kernel (a second clone may
    # borrow another clone's venv, whose editable install points there).
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("MPLBACKEND", None)
    return env


def execute(path):
    """The notebook at path, executed in a fresh kernel and normalised (not written)."""
    stored = nbformat.read(path, as_version=4)
    nb = copy.deepcopy(stored)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    saved = dict(os.environ)
    os.environ.update(kernel_env())  # the kernel inherits this process's environment
    try:
        NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3", store_widget_state=False,
                       record_timing=False,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return normalise(nb, stored)


def normalise(nb, stored):
    """Drop what changes from run to run; keep the stored output of nondeterministic cells."""
    old = {c.get("id"): c for c in stored.cells}
    count = 0
    code_changed = False  # has any code cell so far changed since the stored version?
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        count += 1
        cell.execution_count = count
        before = old.get(cell.get("id"))
        same = before is not None and before.source == cell.source
        # A timing keeps its stored output only while nothing it runs after has changed.
        if is_nondeterministic(cell) and same and not code_changed and before.outputs:
            cell.outputs = before.outputs
        code_changed = code_changed or not same
        cell.outputs = merge_streams(cell.outputs)
        for output in cell.outputs:
            if "execution_count" in output:
                output["execution_count"] = count
            data = output.get("data", {})
            data.pop(WIDGET_VIEW, None)
            output.get("metadata", {}).pop(WIDGET_VIEW, None)
    nb.metadata.pop("widgets", None)
    nb.metadata.get("language_info", {}).pop("version", None)
    return nb


def merge_streams(outputs):
    """One stream output per run of prints, as nbval compares them (a print can arrive as
    two chunks, its text and its newline, depending on timing)."""
    merged = []
    for out in outputs:
        if (merged and out.get("output_type") == "stream" == merged[-1].get("output_type")
                and out.get("name") == merged[-1].get("name")):
            merged[-1]["text"] += out["text"]
        else:
            merged.append(out)
    return merged


def is_nondeterministic(cell):
    return any(t.startswith(NONDETERMINISTIC) for t in cell.metadata.get("tags", ()))


def text(nb):
    """The notebook as nbformat writes it (sources as lists of lines, sorted keys)."""
    out = nbformat.writes(nb)
    return out if out.endswith("\n") else out + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="04, 04_gradient_descent, ko/04 or a path")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when a lesson's stored outputs are stale")
    args = parser.parse_args(argv)
    stale = []
    for path in lessons(args.lessons):
        new = text(execute(path))
        name = path.relative_to(ROOT)
        if new == path.read_text(encoding="utf-8"):
            print(f"unchanged  {name}")
            continue
        stale.append(name)
        if args.check:
            print(f"STALE      {name}")
        else:
            path.write_text(new, encoding="utf-8")
            print(f"updated    {name}")
    if args.check and stale:
        sys.exit(f"{len(stale)} lesson(s) would change: run scripts/execute.sh "
                 + " ".join(str(s) for s in stale))


if __name__ == "__main__":
    main()
