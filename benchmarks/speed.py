"""Speed: numerical gradients as ratios to the floor (2n calls of f alone), tools side by side."""

import statistics
from typing import NamedTuple

import numpy as np
from common import (
    RESULTS,
    Counted,
    Network,
    fmt,
    interleaved,
    md_table,
    timed,
    write_csv,
    write_text,
)

WALK_GOAL, VEC_GOAL, NOISE = 1.05, 1 / 3, 1.05


class Problem(NamedTuple):
    name: str
    f: object        # f(x) -> float
    f_batch: object  # f(points of shape x.shape + (k,)) -> k values, for vectorized=True
    x: np.ndarray
    exact: np.ndarray


def function_2(x):
    """The seeds' function_2 for any n: sum of squares (axis 0, so batches work too)."""
    return np.sum(x**2, axis=0)


def cheap(n):
    x = np.random.default_rng(n).standard_normal(n)
    return Problem(f"cheap sum(x**2), n={n}", function_2, function_2, x, 2 * x)


def network():
    net = Network()
    return Problem(f"network 784-50-10, n={net.theta.size:,}", net.loss, net.loss_batch,
                   net.theta.copy(), net.backprop(net.theta)), net


def subproblem(p, idx):
    """p as a function of the coordinates idx only (the others fixed): for capped tools."""
    x0 = p.x

    def g(s):
        y = x0.copy()
        y[idx] = s
        return p.f(y)

    def g_batch(s):
        y = np.repeat(x0[:, None], s.shape[-1], axis=1)
        y[idx] = s
        return p.f_batch(y)
    return Problem(f"{p.name} [{len(idx)} coordinates]", g, g_batch, x0[idx].copy(), p.exact[idx])


def seed_gradient(f, x):
    """The seed lectures' numerical_derivative, verbatim (np.nditer walk, delta_x = 1e-4)."""
    delta_x = 1e-4
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        idx = it.multi_index
        tmp_val = x[idx]
        x[idx] = float(tmp_val) + delta_x
        fx1 = f(x)  # f(x+delta_x)
        x[idx] = tmp_val - delta_x
        fx2 = f(x)  # f(x-delta_x)
        grad[idx] = (fx1 - fx2) / (2 * delta_x)
        x[idx] = tmp_val
        it.iternext()
    return grad


def floor(p):
    """The floor: 2n calls of f alone, nothing else."""
    f, x = p.f, p.x
    for _ in range(2 * x.size):
        f(x)


def tasks(core, p):
    """name -> zero-argument callable returning the gradient (None for the floor)."""
    from scipy.optimize import approx_fprime
    nd = core.numerical_derivative
    return {
        "floor (2n calls of f)": lambda: floor(p),
        "seed np.nditer loop": lambda: seed_gradient(p.f, p.x.copy()),
        "numdiff_lib walk (central)": lambda: nd(p.f, p.x),
        "numdiff_lib vectorized=True": lambda: nd(p.f_batch, p.x, vectorized=True),
        "numdiff_lib method='forward'": lambda: nd(p.f, p.x, method="forward"),
        "scipy approx_fprime": lambda: approx_fprime(p.x, p.f),
    }


def numdifftools_gradient(p):
    import numdifftools
    return numdifftools.Gradient(p.f)(p.x)


def numdifftools_sample(p, budget):
    """A subproblem small enough for numdifftools to finish within budget seconds per round."""
    n = p.x.size
    m0 = min(n, 8)
    pilot = subproblem(p, np.arange(m0)) if m0 < n else p
    seconds, _ = timed(lambda: numdifftools_gradient(pilot))
    m = int(min(n, max(m0, budget / max(seconds / m0, 1e-9))))
    if m >= n:
        return p, m
    idx = np.sort(np.random.default_rng(1).choice(n, m, replace=False))
    return subproblem(p, idx), m


def evaluations(core, p):
    """Evaluations of f per gradient component, for each tool (counted on p once)."""
    out = {}
    for name in tasks(core, p):
        if name.startswith("floor"):
            out[name] = 2.0
            continue
        counted = p._replace(f=Counted(p.f), f_batch=Counted(p.f_batch))
        tasks(core, counted)[name]()
        out[name] = (counted.f.points + counted.f_batch.points) / p.x.size
    counted = p._replace(f=Counted(p.f))
    numdifftools_gradient(counted)
    out["numdifftools Gradient"] = counted.f.points / p.x.size
    return out


def measure(core, p, rounds, nd_budget):
    """One problem: every tool interleaved over rounds; rows of results."""
    jobs = tasks(core, p)
    if "[" in p.name:  # a sample of the network: its batched f copies all 39,760 parameters
        del jobs["numdiff_lib vectorized=True"]  # per point, so the timing would mislead
    sample, m = numdifftools_sample(p, nd_budget)
    jobs["numdifftools Gradient"] = lambda: numdifftools_gradient(sample)
    if sample is not p:
        jobs["floor of numdifftools' sample"] = lambda: floor(sample)
    # Small problems: a warm-up call (imports, caches) also sizes the repeats, so that one
    # timing lasts about 50 ms (timer resolution, scheduler noise); times are per gradient.
    reps = {k: 1 for k in jobs}
    if p.x.size <= 1000:
        reps = {k: max(1, round(0.05 / timed(fn)[0])) for k, fn in jobs.items()}
    times, outputs = interleaved({k: _repeat(fn, reps[k]) for k, fn in jobs.items()}, rounds)
    times = {k: [t / reps[k] for t in ts] for k, ts in times.items()}
    rows = []
    for name, ts in times.items():
        if name == "floor of numdifftools' sample":
            continue
        base = "floor of numdifftools' sample" if (name.startswith("numdifftools")
                                                   and sample is not p) else "floor (2n calls of f)"
        ratios = [t / b for t, b in zip(ts, times[base], strict=True)]
        exact = sample.exact if name.startswith("numdifftools") else p.exact
        out = outputs[name]
        rel = None if out is None else float(np.linalg.norm(np.asarray(out).ravel() - exact)
                                             / np.linalg.norm(exact))
        note = ""
        if name.startswith("numdifftools") and sample is not p:
            note = (f"capped: ran on {m:,} of {p.x.size:,} coordinates "
                    f"(time scaled ×{p.x.size / m:.0f})")
        seconds = statistics.median(ts) * (p.x.size / m if name.startswith("numdifftools") else 1)
        rows.append(dict(problem=p.name, n=p.x.size, tool=name, seconds=seconds,
                         ratio=statistics.median(ratios), rel=rel, rounds=rounds, note=note))
    return rows


def _repeat(fn, reps):
    def many():
        for _ in range(reps - 1):
            fn()
        return fn()
    return many


def backprop_row(net, p, rounds=30):
    ts = [timed(lambda: net.backprop(net.theta))[0] for _ in range(rounds)]
    return dict(problem=p.name, n=p.x.size, tool="backprop (exact gradient)",
                seconds=statistics.median(ts), ratio=None, rel=0.0, rounds=rounds,
                note=f"one forward + one backward pass, all {net.theta.size:,} parameters")


def run(core, quick=False, log=print):
    """All speed measurements: a list of rows."""
    sizes, rounds = ((10, 100, 1000), 3) if quick else ((10, 100, 1000, 40000), 5)
    rows = []
    evals = evaluations(core, cheap(100))
    for n in sizes:
        log(f"  speed: cheap function, n={n}")
        rows += measure(core, cheap(n), rounds if n < 40000 else 3, 2.0 if quick else 6.0)
    p, net = network()
    if quick:  # a 200-parameter sample of the network: the full one takes minutes per tool
        idx = np.sort(np.random.default_rng(2).choice(p.x.size, 200, replace=False))
        p = subproblem(p, idx)
    log(f"  speed: {p.name}")
    rows += measure(core, p, 2, 2.0 if quick else 5.0)
    rows.append(backprop_row(net, p))
    for r in rows:
        r["evals"] = evals.get(r["tool"])
    return rows


def goals(rows):
    """The issue's speed goals, each as (goal, measured, met)."""
    def get(problem_start, n, tool):
        return next(r for r in rows if r["problem"].startswith(problem_start) and r["n"] == n
                    and r["tool"] == tool)
    walk, vec = "numdiff_lib walk (central)", "numdiff_lib vectorized=True"
    out = []
    big = [r for r in rows if r["tool"] == walk and r["n"] > 30000]
    for r in big:
        out.append((f"walk ≤ {WALK_GOAL}× floor at n ≈ 40,000 ({r['problem']})",
                    f"{r['ratio']:.3f}×", r["ratio"] <= WALK_GOAL))
    if any(r["n"] == 1000 and r["problem"].startswith("cheap") for r in rows):
        r = get("cheap", 1000, vec)
        out.append(("vectorized ≥ 3× faster than the floor, cheap f, n = 1,000",
                    f"{r['ratio']:.3f}× the floor ({1 / r['ratio']:.1f}× faster)",
                    r["ratio"] <= VEC_GOAL))
    slower = []
    for r in rows:
        if r["tool"] == vec:
            w = next(q for q in rows if q["problem"] == r["problem"] and q["tool"] == walk)
            slower.append((r["problem"], r["ratio"] / w["ratio"]))
    worst = max(slower, key=lambda t: t[1])
    out.append((f"vectorized never slower than the walk, any n (within {NOISE}× timing noise)",
                "vectorized / walk: " + ", ".join(f"{short(n)}: {s:.2f}" for n, s in slower),
                worst[1] <= NOISE))
    fwd = [r for r in rows if r["tool"] == "numdiff_lib method='forward'"]
    cen = {r["problem"]: r for r in rows if r["tool"] == walk}
    cost = "; ".join(f"{short(r['problem'])}: {r['ratio']:.2f}× floor (central "
                     f"{cen[r['problem']]['ratio']:.2f}×), rel. error {fmt(r['rel'])} vs central "
                     f"{fmt(cen[r['problem']]['rel'])}" for r in fwd)
    evals = fwd[0]["evals"]
    out.append(("method='forward' halves the evaluations (n + 1 instead of 2n); accuracy cost "
                "shown", f"{fmt(evals)} evaluations per component; " + cost, evals <= 1.05))
    return out


def _round2(value):
    """Two significant digits: 42,993 -> 43,000 (the third digit is timing noise)."""
    return float(f"{value:.2g}")


def short(problem):
    """'n=1000' for the cheap function, 'network' (and its sample size) for the network."""
    if problem.startswith("cheap"):
        return problem.split(",")[-1].strip()
    if "[" in problem:
        return f"network sample of {problem.split('[')[1].split()[0]}"
    return "network"


def write(rows, out_dir=RESULTS, quick=False):
    head = ("problem", "n", "tool", "median_seconds", "ratio_to_floor", "rel_error",
            "evals_per_component", "rounds", "note")
    write_csv(out_dir / "speed.csv", head,
              [(r["problem"], r["n"], r["tool"], r["seconds"], r["ratio"], r["rel"], r["evals"],
                r["rounds"], r["note"]) for r in rows])
    goal_rows = [(g, m, "**met**" if ok else "**not met**") for g, m, ok in goals(rows)]
    sections = []
    for problem in dict.fromkeys(r["problem"] for r in rows):
        mine = [r for r in rows if r["problem"] == problem]
        sections += [f"### {problem}", "",
                     md_table(("tool", "median time (s)", "ratio to floor", "rel. error",
                               "evals / component", "note"),
                              [(r["tool"], r["seconds"], r["ratio"], r["rel"], r["evals"],
                                r["note"]) for r in mine]), ""]
    net = [r for r in rows if r["problem"].startswith("network")]
    bp = next((r for r in net if r["tool"].startswith("backprop")), None)
    story = []
    if bp:
        walk = next(r for r in net if r["tool"] == "numdiff_lib walk (central)")
        full = Network.sizes[0] * Network.sizes[1] + Network.sizes[1] + \
            Network.sizes[1] * Network.sizes[2] + Network.sizes[2]
        seconds = walk["seconds"] * full / walk["n"]  # a --quick sample is scaled to all
        story = ["## Why backprop won", "",
                 f"On the network, the numerical gradient (walk) takes {seconds:.3g} s"
                 f"{' (scaled from the sample)' if walk['n'] < full else ''}; "
                 f"backprop takes {bp['seconds'] * 1e3:.3g} ms — about "
                 f"{_round2(seconds / bp['seconds']):,.0f} times less. The numerical "
                 f"gradient needs 2n = {2 * full:,} forward passes; backprop needs one "
                 "forward and one backward pass, whatever n is. Numerical gradients are for "
                 "*checking* backprop (lesson 07), not for training.", ""]
    text = ["# Speed", "",
            "Numerical gradient of (a) the seeds' function_2 generalised to n variables, "
            "f(x) = sum(x**2), cheap and vectorised, and (b) the loss of the two-layer network "
            "of lesson 07 (784-50-10, batch of 100). Every tool computes the same gradient; all "
            "run interleaved in one process, round after round, and each time is the median "
            "over rounds; *ratio to floor* is the median of per-round ratios to the floor, "
            "2n plain calls of f — what any finite-difference gradient must at least spend. "
            "Times are CPU time of this single-threaded process (OPENBLAS_NUM_THREADS=1): on a "
            "shared machine wall time would mostly measure the other jobs. "
            "rel. error is against the exact gradient (2x, or backprop). "
            "Evaluations per component were counted on n = 100. The vectorized network loss "
            "evaluates k networks at once with stacked matmuls (`Network.loss_batch`).", "",
            "## Goals", "", md_table(("goal", "measured", "verdict"), goal_rows), "",
            *story, "## All measurements", "", *sections]
    if quick:
        text.insert(2, "**--quick run: fewer rounds, no n = 40,000, and a 200-parameter sample "
                       "of the network. Not the committed results.**\n")
    write_text(out_dir / "speed.md", "\n".join(text))


def plot(rows, path):
    """speed.png: ratio to floor against n (cheap f), and the network side by side."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(14, 5.5))
    cheap_rows = [r for r in rows if r["problem"].startswith("cheap")]
    for i, tool in enumerate(dict.fromkeys(r["tool"] for r in cheap_rows)):
        mine = sorted((r for r in cheap_rows if r["tool"] == tool), key=lambda r: r["n"])
        ax1.plot([r["n"] for r in mine], [r["ratio"] for r in mine], marker="o",
                 color=f"C{i}", label=tool)
    ax1.axhline(1, color="black", lw=0.8)
    ax1.plot([40000], [WALK_GOAL], "v", color="red", ms=9, label="goal: walk ≤ 1.05 at 40,000")
    ax1.plot([1000], [VEC_GOAL], "v", color="purple", ms=9, label="goal: vectorized ≤ 1/3 at 1,000")
    ax1.set(xscale="log", yscale="log", xlabel="n (number of variables)",
            ylabel="time / floor (2n calls of f)",
            title="(a) cheap f(x) = sum(x**2): time relative to the floor")
    ax1.legend(fontsize=7)
    net = [r for r in rows if r["problem"].startswith("network")]
    if net:
        names = [r["tool"] + (" (sample, scaled)" if r["note"].startswith("capped") else "")
                 for r in net]
        secs = [r["seconds"] for r in net]
        colors = ["C2" if n.startswith("backprop") else "grey" if n.startswith("floor") else "C0"
                  for n in names]
        ax2.barh(range(len(net)), secs, color=colors)
        ax2.set_yticks(range(len(net)), names, fontsize=8)
        ax2.invert_yaxis()
        for i, s in enumerate(secs):
            ax2.text(s, i, f" {s:.3g} s" if s >= 0.1 else f" {s * 1e3:.3g} ms", va="center",
                     fontsize=8)
        ax2.set(xscale="log", xlabel="seconds for one full gradient (log scale)",
                title=f"(b) {net[0]['problem']}: numerical vs backprop")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
