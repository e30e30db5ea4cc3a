"""Accuracy: every numdiff_lib method and its peers on smooth functions with known derivatives."""

import statistics
import warnings
from typing import NamedTuple

import numpy as np
from common import RESULTS, Counted, fmt, md_table, write_csv, write_text
from scipy.optimize import rosen, rosen_der
from tools import all_tools

WRONG = 1e-3  # a finite answer further than this from the truth, with no warning, is "wrong"


class Case(NamedTuple):
    name: str
    f: object     # NumPy-vectorised, accepts complex; gradient cases reduce over axis 0
    x: object     # a float, or an array for a gradient
    df: object    # the exact derivative or gradient
    kind: str     # "easy", "large |x|", "near singularity", "near boundary", "gradient"


def _quadratic(n=10, seed=3):
    rng = np.random.default_rng(seed)
    m = rng.standard_normal((n, n))
    a, b = m @ m.T + n * np.eye(n), rng.standard_normal(n)
    x = rng.standard_normal(n)

    def f(v):  # 1/2 v.A.v + b.v, written so that v may carry extra batch axes after the first
        return 0.5 * np.sum(v * np.tensordot(a, v, axes=1), axis=0) + np.tensordot(b, v, axes=1)
    return f, x, a @ x + b


def cases():
    """The benchmark functions: easy ones, and the hard cases the issue names."""
    quad, xq, gq = _quadratic()
    xr = np.array([-1.2, 1.0, 0.5, 1.5])
    return [
        Case("exp(x) at 1", np.exp, 1.0, np.exp(1.0), "easy"),
        Case("function_1 at 5", lambda x: 0.01 * x**2 + 0.1 * x, 5.0, 0.2, "easy"),
        Case("3x e^x at 2", lambda x: 3 * x * np.exp(x), 2.0, 9 * np.exp(2.0), "easy"),
        Case("tanh(x) at 0.5", np.tanh, 0.5, 1 - np.tanh(0.5) ** 2, "easy"),
        Case("1/(1+x^2) at 3", lambda x: 1 / (1 + x**2), 3.0, -6 / 100, "easy"),
        Case("exp(sin x) at 2", lambda x: np.exp(np.sin(x)), 2.0,
             np.cos(2.0) * np.exp(np.sin(2.0)), "easy"),
        Case("sin(x) at 1e5", np.sin, 1e5, np.cos(1e5), "large |x|"),
        Case("log(x) at 1e10", np.log, 1e10, 1e-10, "large |x|"),
        Case("1/x at 1e-3", lambda x: 1 / x, 1e-3, -1e6, "near singularity"),
        Case("sqrt(x) at 1e-6", np.sqrt, 1e-6, 0.5 / np.sqrt(1e-6), "near boundary"),
        Case("log(x) at 1e-6", np.log, 1e-6, 1e6, "near boundary"),
        Case("function_2 at (3, 4)", lambda v: np.sum(v**2, axis=0), np.array([3.0, 4.0]),
             np.array([6.0, 8.0]), "gradient"),
        Case("quadratic, 10-D", quad, xq, gq, "gradient"),
        Case("Rosenbrock, 4-D", rosen, xr, rosen_der(xr), "gradient"),
    ]


def rel_error(value, exact):
    value, exact = np.asarray(value, dtype=float), np.asarray(exact, dtype=float)
    return float(np.linalg.norm(value - exact) / np.linalg.norm(exact))


def measure(tool, case):
    """One tool on one case: value, relative error, evaluations per derivative, and outcome."""
    f = Counted(case.f)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value, flag = tool(f, case.x)
        except Exception as err:  # a tool that raises has reported the problem
            return dict(value=None, rel=None, evals=f.points / np.size(case.x),
                        outcome="raised", note=f"{type(err).__name__}: {_short(err)}")
    evals = f.points / np.size(case.x)
    # NumPy's own "invalid value encountered in sqrt" comes from f, not from the tool.
    own = [w for w in caught if "encountered" not in str(w.message)]
    numpy_only = [w for w in caught if w not in own]
    rel = rel_error(value, case.df) if np.all(np.isfinite(value)) else None
    if flag or own:
        outcome, note = "flagged", flag or f"{own[0].category.__name__}: {_short(own[0].message)}"
    elif rel is None:
        outcome, note = "NaN/inf", "returned a non-finite value"
    elif rel > WRONG:
        outcome = "wrong"
        note = "silently wrong" + (" (only NumPy's own warning from f)" if numpy_only else "")
    else:
        outcome, note = "ok", ""
    return dict(value=value, rel=rel, evals=evals, outcome=outcome, note=note)


def _short(msg, n=110):
    text = " ".join(str(msg).split())
    return text if len(text) <= n else text[:n - 1] + "…"


def run(core, quick=False):
    """Every tool on every case: a list of result rows (dicts)."""
    rows = []
    for case in cases():
        for name, tool in all_tools(core).items():
            rows.append(dict(tool=name, case=case.name, kind=case.kind, **measure(tool, case)))
    return rows


def summary(rows):
    """Per tool: median and worst relative error, evaluations, outcome counts."""
    out = []
    for tool in dict.fromkeys(r["tool"] for r in rows):
        mine = [r for r in rows if r["tool"] == tool]
        errs = [r["rel"] for r in mine if r["rel"] is not None and r["outcome"] != "flagged"]
        count = {k: sum(r["outcome"] == k for r in mine) for k in
                 ("ok", "wrong", "flagged", "raised", "NaN/inf")}
        out.append(dict(tool=tool, median=statistics.median(errs) if errs else None,
                        worst=max(errs) if errs else None,
                        evals=statistics.median(r["evals"] for r in mine), **count))
    return out


def goals(summ, rows):
    """The issue's accuracy goals, each as (goal, measured, met)."""
    by = {s["tool"]: s for s in summ}
    real = [s for s in summ if s["tool"].startswith("numdiff_lib") and "complex" not in s["tool"]]
    best = min(real, key=lambda s: s["median"])
    nd_evals = by["numdifftools"]["evals"]
    met1 = best["median"] <= 1e-13 and best["evals"] <= nd_evals / 3
    def silent(kinds):
        bad = [r for r in rows if r["tool"].startswith("numdiff_lib") and r["kind"] in kinds
               and r["outcome"] == "wrong"]
        return bad, "; ".join(f"{r['tool'][12:]} on {r['case']} ({r['rel']:.1e})"
                              for r in bad) or "none"
    edge, edge_text = silent(("near boundary", "near singularity"))
    large, large_text = silent(("large |x|",))
    return [
        ("best real-valued method: median rel. error ≤ 1e-13 with ≤ 1/3 of numdifftools' "
         "evaluations",
         f"{best['tool']}: median {fmt(best['median'])}, {fmt(best['evals'])} evaluations vs "
         f"numdifftools {fmt(nd_evals)} (a third: {fmt(nd_evals / 3)})", met1),
        ("near a domain boundary or singularity, report the problem (raise/warn), never a "
         "silently wrong number", f"silently wrong (rel. error): {edge_text}", not edge),
        ("(same, for large |x|, where the step must scale)",
         f"silently wrong (rel. error): {large_text}", not large),
    ]


def write(rows, out_dir=RESULTS, quick=False):
    """accuracy.md and accuracy.csv."""
    summ = summary(rows)
    head = ("tool", "case", "kind", "value", "rel_error", "evals_per_derivative", "outcome",
            "note")
    write_csv(out_dir / "accuracy.csv", head,
              [(r["tool"], r["case"], r["kind"], _csv_value(r["value"]), r["rel"], r["evals"],
                r["outcome"], r["note"]) for r in rows])
    tools = list(dict.fromkeys(r["tool"] for r in rows))
    case_names = list(dict.fromkeys(r["case"] for r in rows))
    cell = {(r["tool"], r["case"]): r for r in rows}
    detail = [[c] + [_cell(cell[t, c]) for t in tools] for c in case_names]
    goal_rows = [(g, m, "**met**" if ok else "**not met**") for g, m, ok in goals(summ, rows)]
    notes = sorted({f"- {r['tool']} on {r['case']}: {r['note']}" for r in rows
                    if r["outcome"] != "ok"})
    text = [
        "# Accuracy", "",
        f"{len(case_names)} functions with known derivatives, each tool with its defaults. "
        "Relative error = |computed − exact| / |exact| (vector norms for gradients). "
        "Evaluations = points at which f was evaluated, per derivative (per gradient component), "
        "counted with a wrapper around f. Medians and worst cases are over the cases where the "
        f"tool returned a number without a warning. *wrong* = a finite result more than {WRONG:g} "
        "off with no warning or error: a silently wrong number.", "",
        "## Goals", "", md_table(("goal", "measured", "verdict"), goal_rows), "",
        "## Summary per tool", "",
        md_table(("tool", "median rel. error", "worst rel. error", "evaluations / derivative",
                  "ok", "wrong (silent)", "flagged", "raised", "NaN/inf"),
                 [(s["tool"], s["median"], s["worst"], s["evals"], s["ok"], s["wrong"],
                   s["flagged"], s["raised"], s["NaN/inf"]) for s in summ]), "",
        "## Relative error per case", "",
        "R = raised an error, F = flagged (warning or failure status), W = silently wrong, "
        "N = returned NaN/inf.", "",
        md_table(["case"] + [_short_tool(t) for t in tools], detail), "",
        "## What each tool said when it did not return a good number", "", *notes, "",
        "Steps: numdiff_lib's forward/backward/central keep the seed lectures' absolute "
        "delta_x = 1e-4; five_point and richardson scale the step with |x|. findiff gives grid "
        "stencils only, so its step h = eps^(1/(acc+1))·max(1, |x|) is the benchmark's choice. "
        "scipy's approx_fprime is a forward difference with step √eps.",
    ]
    write_text(out_dir / "accuracy.md", "\n".join(text))
    return summ


def _csv_value(v):
    if v is None:
        return ""
    return repr(float(v)) if np.ndim(v) == 0 else " ".join(repr(float(a)) for a in v)


def _cell(r):
    if r["outcome"] == "raised":
        return "R"
    mark = {"flagged": " F", "wrong": " W", "NaN/inf": "N"}.get(r["outcome"], "")
    return (f"{r['rel']:.0e}" if r["rel"] is not None else "") + mark


def _short_tool(name):
    return name.replace("numdiff_lib ", "nl ").replace("scipy.differentiate", "scipy.diff") \
        .replace("scipy approx_fprime", "approx_fprime")


def plot(rows, summ, path):
    """accuracy.png: median error vs evaluations, and the error of every tool on every case."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(15, 6.5), width_ratios=(1, 1.6))
    for s in summ:
        if s["median"] is None:
            continue
        nl = s["tool"].startswith("numdiff_lib")
        ax1.scatter(s["evals"], max(s["median"], 1e-17), marker="o" if nl else "s",
                    color="C0" if nl else "C1", label=None)
        ax1.annotate(_short_tool(s["tool"]), (s["evals"], max(s["median"], 1e-17)),
                     textcoords="offset points", xytext=(5, 3), fontsize=8)
    ax1.axhline(1e-13, color="grey", ls="--", lw=1, label="goal: median $\\leq 10^{-13}$")
    nd = next(s for s in summ if s["tool"] == "numdifftools")
    ax1.axvline(nd["evals"] / 3, color="grey", ls=":", lw=1,
                label="goal: $\\leq$ 1/3 of numdifftools' evaluations")
    ax1.scatter([], [], marker="o", color="C0", label="numdiff_lib")
    ax1.scatter([], [], marker="s", color="C1", label="other tools")
    ax1.set(xscale="log", yscale="log", xlabel="evaluations of f per derivative (median)",
            ylabel="median relative error", title="Accuracy against cost")
    ax1.legend(fontsize=8, loc="upper right")
    tools = list(dict.fromkeys(r["tool"] for r in rows))
    names = list(dict.fromkeys(r["case"] for r in rows))
    cell = {(r["tool"], r["case"]): r for r in rows}
    grid = np.full((len(tools), len(names)), np.nan)
    for i, t in enumerate(tools):
        for j, c in enumerate(names):
            r = cell[t, c]
            if r["rel"] is not None:
                grid[i, j] = np.log10(max(r["rel"], 1e-17))
    im = ax2.imshow(grid, cmap="viridis", vmin=-17, vmax=0, aspect="auto")
    for i, t in enumerate(tools):
        for j, c in enumerate(names):
            mark = {"raised": "R", "flagged": "F", "wrong": "W", "NaN/inf": "N"}.get(
                cell[t, c]["outcome"], "")
            ax2.text(j, i, mark, ha="center", va="center", color="red", fontsize=9,
                     fontweight="bold")
    ax2.set_xticks(range(len(names)), names, rotation=45, ha="right", fontsize=8)
    ax2.set_yticks(range(len(tools)), [_short_tool(t) for t in tools], fontsize=8)
    ax2.set_title("log10 relative error (R raised, F flagged, W silently wrong)")
    fig.colorbar(im, ax=ax2, label="log10 relative error")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
