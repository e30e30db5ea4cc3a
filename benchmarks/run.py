"""One command for every benchmark: `python benchmarks/run.py` (about 8 min) or `--quick` (< 1 min).

Writes benchmarks/results/: accuracy.md/.csv/.png, speed.md/.csv/.png, lessons.md, machine.md.
--quick writes to benchmarks/results/quick/ instead, so a smoke run never replaces the committed
results. --core PATH benchmarks a patched copy of numdiff_lib/core.py (for proposals).
"""

import argparse
import os
import sys
import time
from pathlib import Path

# Pin BLAS to one thread before NumPy loads, by restarting this script once with the variable
# set: the speed ratios then do not depend on what runs on the machine's other core. The lesson
# timings put the learner's own setting back (see lessons.lesson_env).
if os.environ.get("OPENBLAS_NUM_THREADS") != "1" and "BENCH_OPENBLAS_WAS" not in os.environ:
    env = dict(os.environ, BENCH_OPENBLAS_WAS=os.environ.get("OPENBLAS_NUM_THREADS", ""),
               OPENBLAS_NUM_THREADS="1")
    os.execve(sys.executable, [sys.executable, *sys.argv], env)

import accuracy  # noqa: E402  (after the re-exec above, on purpose)
import autodiff  # noqa: E402
import common  # noqa: E402
import lessons  # noqa: E402
import speed  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run, under a minute")
    parser.add_argument("--core", help="path of a core.py to benchmark instead of numdiff_lib's")
    parser.add_argument("--out", help="output folder (default results/, or results/quick/)")
    parser.add_argument("--only", nargs="+", choices=("accuracy", "speed", "autodiff", "lessons"),
                        default=("accuracy", "speed", "autodiff", "lessons"))
    args = parser.parse_args(argv)
    out = Path(args.out) if args.out else common.RESULTS / ("quick" if args.quick else "")
    out.mkdir(parents=True, exist_ok=True)
    core = common.load_core(args.core)
    start = time.perf_counter()
    print(f"numdiff_lib core: {core.__file__}\nwriting to {out}")
    if "accuracy" in args.only:
        print("accuracy")
        rows = accuracy.run(core, args.quick)
        summ = accuracy.write(rows, out)
        accuracy.plot(rows, summ, out / "accuracy.png")
        _goals(accuracy.goals(summ, rows))
    if "speed" in args.only:
        print("speed")
        rows = speed.run(core, args.quick)
        speed.write(rows, out, args.quick)
        speed.plot(rows, out / "speed.png")
        _goals(speed.goals(rows))
    if "autodiff" in args.only:
        print("autodiff")
        rows = autodiff.run(core, args.quick)
        autodiff.write(rows, out, args.quick)
        autodiff.plot(rows, out / "autodiff.png")
        _goals(autodiff.goals(rows))
    if "lessons" in args.only:
        print("lessons")
        res = lessons.run(args.quick)
        lessons.write(res, out)
        _goals(lessons.goals(res))
    seconds = time.perf_counter() - start
    common.write_text(out / "machine.md", common.machine_md(args.core, args.quick, seconds))
    print(f"done in {seconds:.0f} s; results in {out}")


def _goals(goals):
    for goal, measured, met in goals:
        print(f"  [{'met' if met else 'NOT MET'}] {goal}: {measured}")


if __name__ == "__main__":
    main()
