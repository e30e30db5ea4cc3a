"""Shared helpers for the benchmarks: the library under test, timing, counting, tables, machine."""

import csv
import datetime
import importlib.util
import os
import platform
import statistics
import time
from importlib import metadata
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"


def load_core(path=None):
    """numdiff_lib.core, or a patched copy of core.py loaded from path (for proposals)."""
    if path is None:
        from numdiff_lib import core
        return core
    spec = importlib.util.spec_from_file_location("core_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- counting


class Counted:
    """Wraps f and counts the points it is evaluated at (a batch of k points counts k)."""

    def __init__(self, f):
        self.f, self.points = f, 0

    def __call__(self, x, *args):
        y = self.f(x, *args)
        self.points += max(1, np.size(y))
        return y


# --------------------------------------------------------------------------- timing


def timed(fn):
    """CPU time of this process for one call of fn() in seconds, and its result.

    CPU time, not wall time: on a shared machine other jobs take turns on the cores and would
    inflate wall times at random, while the work done here (one thread: OPENBLAS_NUM_THREADS=1)
    is what the comparison is about.
    """
    start = time.process_time()
    out = fn()
    return time.process_time() - start, out


def interleaved(tasks, rounds):
    """Run every task once per round, in the same order, so slow drifts hit all of them alike.

    Returns ({name: [seconds per round]}, {name: result of the last round}). Medians of ratios
    taken per round are robust to the other jobs this shared machine runs at the same time.
    """
    times, outputs = {name: [] for name in tasks}, {}
    for _ in range(rounds):
        for name, fn in tasks.items():
            seconds, outputs[name] = timed(fn)
            times[name].append(seconds)
    return times, outputs


def median_ratio(times, name, base="floor"):
    """Median over rounds of times[name] / times[base] (same round)."""
    return statistics.median(t / b for t, b in zip(times[name], times[base], strict=True))


# --------------------------------------------------------------------------- tables


def fmt(value, digits=2):
    """A number for a table: scientific when small or large, '—' when missing."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, np.integer)):
        return f"{value:,}"
    if value != 0 and (abs(value) < 1e-2 or abs(value) >= 1e4):
        return f"{value:.{digits - 1}e}"
    return f"{value:.{digits + 1}g}"


def md_table(header, rows):
    """A GitHub markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(fmt(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def write_csv(path, header, rows):
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def write_text(path, text):
    Path(path).write_text(text.rstrip() + "\n")


# --------------------------------------------------------------------------- machine


def versions():
    """Versions of Python and of every package the results depend on."""
    out = {"Python": platform.python_version()}
    for name in ("numpy", "scipy", "numdifftools", "findiff", "numdiff_lib", "pytest", "nbval"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def cpu_name():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_md(core_path, quick, seconds):
    """machine.md: where and with what the results were measured."""
    rows = [("CPU", cpu_name()), ("logical cores", str(os.cpu_count())),
            ("OS", platform.platform()),
            ("OPENBLAS_NUM_THREADS", os.environ.get("OPENBLAS_NUM_THREADS", "unset")),
            ("date", datetime.datetime.now().strftime("%Y-%m-%d %H:%M"))]
    rows += list(versions().items())
    rows.append(("numdiff_lib core", core_path or "installed numdiff_lib/core.py"))
    rows.append(("mode", "--quick" if quick else "full"))
    rows.append(("run time", f"{seconds:.0f} s"))
    text = ["# Machine and versions", "",
            "Every table in this folder was produced by one run of `python benchmarks/run.py` "
            "on this machine.", "",
            md_table(("item", "value"), rows), "",
            "Speed runs use `OPENBLAS_NUM_THREADS=1` (run.py sets it), so the BLAS of the network "
            "benchmark uses one core and timings do not depend on what else runs on the second "
            "core. Speed timings are the CPU time of the benchmark process, medians over "
            "interleaved rounds, with ratios taken within a round: the machine is shared, and "
            "wall time would mostly measure the other jobs. The lesson timings (lessons.md) are "
            "wall times in the ordinary environment, as a learner would see them."]
    return "\n".join(text)


# --------------------------------------------------------------------------- the network


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def softmax(a):
    a = a - a.max(axis=-1, keepdims=True)  # subtracting the row maximum avoids overflow in exp
    e = np.exp(a)
    return e / e.sum(axis=-1, keepdims=True)


class Network:
    """The two-layer net of notebooks/07_gradient_checking.ipynb (784-50-10, batch of 100).

    Copied, not imported: the forward pass and backprop are the notebook's, written on one flat
    parameter vector theta so every tool sees the same f(theta) -> loss.
    """

    sizes = (784, 50, 10)

    def __init__(self, seed=0, batch=100):
        rng = np.random.default_rng(seed)
        i, h, o = self.sizes
        self.shapes = {"W1": (i, h), "b1": (h,), "W2": (h, o), "b2": (o,)}
        parts = [0.01 * rng.standard_normal((i, h)), np.zeros(h),
                 0.01 * rng.standard_normal((h, o)), np.zeros(o)]
        self.theta = np.concatenate([p.ravel() for p in parts])
        self.x = rng.random((batch, i))
        self.t = np.eye(o)[rng.integers(0, o, size=batch)]
        self.slices, start = {}, 0
        for name, shape in self.shapes.items():
            size = int(np.prod(shape))
            self.slices[name] = slice(start, start + size)
            start += size

    def params(self, theta):
        return {n: theta[s].reshape(self.shapes[n]) for n, s in self.slices.items()}

    def loss(self, theta):
        """The forward pass: one evaluation of the loss."""
        p = self.params(theta)
        z1 = sigmoid(self.x @ p["W1"] + p["b1"])
        y = softmax(z1 @ p["W2"] + p["b2"])
        return -np.sum(self.t * np.log(y)) / self.x.shape[0]

    def loss_batch(self, thetas):
        """k losses for thetas of shape (n, k): k networks evaluated with stacked matmuls."""
        k = thetas.shape[-1]
        p = {n: np.moveaxis(thetas[s].reshape(self.shapes[n] + (k,)), -1, 0)
             for n, s in self.slices.items()}
        z1 = sigmoid(self.x @ p["W1"] + p["b1"][:, None, :])
        y = softmax(z1 @ p["W2"] + p["b2"][:, None, :])
        return -np.sum(self.t * np.log(y), axis=(1, 2)) / self.x.shape[0]

    def backprop(self, theta):
        """The notebook's backward pass, flattened: the exact gradient in one sweep."""
        p = self.params(theta)
        z1 = sigmoid(self.x @ p["W1"] + p["b1"])
        y = softmax(z1 @ p["W2"] + p["b2"])
        dy = (y - self.t) / self.x.shape[0]  # softmax + cross-entropy together give (y - t) / N
        da1 = (dy @ p["W2"].T) * z1 * (1 - z1)  # sigmoid'(a) = z (1 - z)
        grads = {"W1": self.x.T @ da1, "b1": da1.sum(axis=0), "W2": z1.T @ dy,
                 "b2": dy.sum(axis=0)}
        return np.concatenate([grads[n].ravel() for n in self.slices])
