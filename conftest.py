"""Hooks for the whole suite, the lessons included (nbval collects notebooks/ outside tests/).

One BLAS thread per process. The nbval kernels inherit this process's environment, and on a
2-core machine a kernel whose OpenBLAS/OpenMP/MKL pool starts a thread per core fights pytest
(and the next kernel) for the same cores: the notebooks then run 3-5x slower for no gain, since
the lessons' arrays are tiny. Set at import, before any kernel starts; setdefault keeps a value
the caller chose on purpose. PYTHONHASHSEED=0 as scripts/execute.py sets it, so the kernels
run the lessons exactly as they were stored.
"""

import base64
import os
import tempfile
from pathlib import Path

import pytest

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("PYTHONHASHSEED", "0")


# --------------------------------------------------------------------------- markers

NONDETERMINISTIC = "nondeterministic:"  # cell tag: "nondeterministic:<why>" (scripts/execute.py)
FIGURE_TOLERANCE = 0.5  # RMS over 0-255 per pixel: same pinned matplotlib renders identically


def is_lesson_cell(item):
    return type(item).__name__ == "IPyNbCell"


def pytest_collection_modifyitems(config, items):
    """nbval over the lessons counts as slow: `scripts/test.sh --fast` leaves it out."""
    for item in items:
        if is_lesson_cell(item):
            item.add_marker(pytest.mark.slow)


# --------------------------------------------------------------------------- stale figures


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After nbval ran a lesson cell, compare the figures it drew with the stored ones.

    nbval compares text only; this reuses the same execution, so a changed plot helper that
    leaves old pictures in a lesson fails here, naming the cell.
    """
    result = yield
    if is_lesson_cell(item) and item.test_outputs is not None:
        tags = item.cell.get("metadata", {}).get("tags", [])
        if not any(t.startswith(NONDETERMINISTIC) for t in tags):
            compare_figures(item)
    return result


def pngs(outputs):
    return [o["data"]["image/png"] for o in outputs
            if isinstance(o.get("data"), dict) and "image/png" in o["data"]]


def compare_figures(item):
    from matplotlib.testing.compare import compare_images

    stored, fresh = pngs(item.cell.get("outputs", [])), pngs(item.test_outputs)
    where = f"{Path(str(item.fspath)).name}, cell {item.cell_num}"
    fix = "re-run scripts/execute.sh on this lesson"
    assert len(stored) == len(fresh), (
        f"{where}: the lesson stores {len(stored)} figure(s) but the cell now draws "
        f"{len(fresh)}: {fix}")
    with tempfile.TemporaryDirectory() as tmp:
        for k, (old, new) in enumerate(zip(stored, fresh, strict=True)):
            paths = []
            for name, data in (("stored", old), ("fresh", new)):
                path = Path(tmp) / f"{name}-{k}.png"
                path.write_bytes(base64.b64decode(data))
                paths.append(str(path))
            try:
                diff = compare_images(paths[0], paths[1], tol=FIGURE_TOLERANCE)
            except Exception as err:  # noqa: BLE001 — e.g. "Image sizes do not match"
                diff = str(err)
            assert diff is None, f"{where}: figure {k + 1} is stale ({diff}): {fix}"
