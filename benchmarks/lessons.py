"""The lessons themselves: nbval wall time (whole run and per notebook), import time."""

import os
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from common import RESULTS, ROOT, md_table, write_text

NBVAL_GOAL, IMPORT_GOAL = 60.0, 0.3

_IMPORT = ("import time; t = time.perf_counter(); import {m}; "
           "print(time.perf_counter() - t)")


def lesson_env():
    """The learner's environment: run.py pins OPENBLAS_NUM_THREADS for the speed runs only."""
    env = dict(os.environ)
    was = env.pop("BENCH_OPENBLAS_WAS", None)
    if was is not None:
        if was:
            env["OPENBLAS_NUM_THREADS"] = was
        else:
            env.pop("OPENBLAS_NUM_THREADS", None)
    return env


def import_seconds(module, runs):
    """Median wall time of `import module` in fresh interpreters (nothing cached in memory)."""
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _IMPORT.format(m=module)], env=lesson_env(),
                             capture_output=True, text=True, check=True, cwd=tempfile.gettempdir())
        times.append(float(out.stdout.strip()))
    return statistics.median(times), times


def nbval_run():
    """`python -m pytest -p no:cacheprovider notebooks/`: wall time, and per-notebook times."""
    with tempfile.TemporaryDirectory() as tmp:
        xml = Path(tmp) / "nbval.xml"
        cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "notebooks/",
               f"--junitxml={xml}"]
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=lesson_env(), capture_output=True, text=True)
        wall = time.perf_counter() - start
        per_nb, status = defaultdict(float), defaultdict(lambda: [0, 0])
        if xml.exists():
            for case in ET.parse(xml).iter("testcase"):
                # classname "notebooks.ko.04_gradient_descent.ipynb" -> "ko/04_gradient_descent"
                parts = case.get("classname", "").removesuffix(".ipynb").split(".")
                name = "/".join(parts[1:]) if len(parts) > 1 else parts[-1]
                per_nb[name] += float(case.get("time", 0))
                failed = any(child.tag in ("failure", "error") for child in case)
                status[name][0 if not failed else 1] += 1
    tail = proc.stdout.strip().splitlines()[-1:] if proc.stdout.strip() else [proc.stderr[-200:]]
    return wall, dict(per_nb), dict(status), proc.returncode, tail[0]


def run(quick=False, log=print):
    log("  lessons: import time")
    imp, imp_all = import_seconds("numdiff_lib", 3 if quick else 9)
    np_imp, _ = import_seconds("numpy", 3 if quick else 9)
    result = dict(import_s=imp, import_all=imp_all, numpy_s=np_imp, nbval=None)
    if not quick:
        log("  lessons: nbval run of notebooks/")
        result["nbval"] = nbval_run()
    return result


def goals(res):
    out = [(f"`import numdiff_lib` < {IMPORT_GOAL} s (fresh interpreter, median)",
            f"{res['import_s']:.3f} s (NumPy alone: {res['numpy_s']:.3f} s)",
            res["import_s"] < IMPORT_GOAL)]
    if res["nbval"]:
        wall, per_nb, _, code, _ = res["nbval"]
        editions = {}
        for name, seconds in per_nb.items():
            edition = name.split("/")[0] if "/" in name else "en"
            editions[edition] = editions.get(edition, 0.0) + seconds
        shown = ", ".join(f"{e}: {t:.1f} s" for e, t in sorted(editions.items()))
        out.insert(0, (f"nbval over each edition < {NBVAL_GOAL:.0f} s",
                       f"{shown}; whole run {wall:.1f} s wall (pytest exit code {code})",
                       code == 0 and all(t < NBVAL_GOAL for t in editions.values())))
    return out


def write(res, out_dir=RESULTS):
    goal_rows = [(g, m, "**met**" if ok else "**not met**") for g, m, ok in goals(res)]
    text = ["# The lessons: test time and import time", "",
            "Measured in the learner's environment (no thread pinning). The notebooks are the "
            "ones present in `notebooks/` when this ran; per-notebook times are the sums of "
            "nbval's per-cell times (kernel start-up included in each notebook's first cell).",
            "", "## Goals", "", md_table(("goal", "measured", "verdict"), goal_rows), ""]
    if res["nbval"]:
        wall, per_nb, status, code, tail = res["nbval"]
        rows = [(nb, f"{per_nb[nb]:.1f}", f"{status[nb][0]}", f"{status[nb][1]}",
                 "yes" if per_nb[nb] < 10 else "**no**") for nb in sorted(per_nb)]
        text += ["## `python -m pytest -p no:cacheprovider notebooks/`", "",
                 f"Wall time {wall:.1f} s; pytest says: `{tail}`", "",
                 md_table(("notebook", "seconds", "cells passed", "cells failed",
                           "< 10 s (notebook rule)"), rows), ""]
    else:
        text += ["(--quick: the nbval run was skipped.)", ""]
    text += ["## `import numdiff_lib`", "",
             "Fresh interpreter each time: " + ", ".join(f"{t:.3f}" for t in res["import_all"])
             + f" s; median {res['import_s']:.3f} s. Almost all of it is NumPy's own import "
             f"({res['numpy_s']:.3f} s median); numdiff_lib imports only its NumPy core at "
             "package level (plots, widgets, SymPy are imported by name when needed)."]
    write_text(out_dir / "lessons.md", "\n".join(text))
