"""Execute notebooks with the nbclient and kernel of the Python running this file.

    <venv>/bin/python tests/envs/run_notebooks.py OUTDIR a.ipynb b.ipynb ...

Run by the environment tests (test_colab.py, test_binder.py) with a test venv's Python, so
the notebooks run on that venv's nbclient, ipykernel and IPython, not the developer's. Each
notebook is executed in order, in a fresh kernel started in its own folder (as Jupyter does),
with errors recorded rather than raised, and written to OUTDIR as 0.ipynb, 1.ipynb, ... in
the order given; one line per notebook (index, name, seconds, error outputs) is printed. A
notebook that cannot finish (a cell times out, the kernel dies) is written as far as it got,
with the reason in its metadata (numdiff_run_error), and the next one runs. Standard library,
nbformat and nbclient only: nothing from the repository is imported here.
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

CELL_TIMEOUT = 300  # seconds per cell: a guard against a hang, not a goal


def execute(index, path, out_dir):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    started = time.monotonic()
    try:
        NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=True,
                       record_timing=False, store_widget_state=False,
                       resources={"metadata": {"path": str(Path(path).parent)}}).execute()
    except Exception as err:  # noqa: BLE001 — recorded for the test to report
        nb.metadata["numdiff_run_error"] = f"{type(err).__name__}: {err}"[:2000]
    seconds = time.monotonic() - started
    nbformat.write(nb, Path(out_dir) / f"{index}.ipynb")
    errors = sum(1 for c in nb.cells if c.cell_type == "code"
                 for o in c.get("outputs", []) if o.get("output_type") == "error")
    print(f"{index}\t{Path(path).name}\t{seconds:.1f} s\t{errors} error output(s)", flush=True)


def main(argv):
    out_dir, *paths = argv
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    for index, path in enumerate(paths):
        execute(index, path, out_dir)


if __name__ == "__main__":
    main(sys.argv[1:])
