"""The hostile-input campaign of issue 12, counted: formulas, odd library calls, garbage answers.

    python benchmarks/hostile_inputs.py      # writes benchmarks/results/hostile_inputs.md

Every input is tried the way a learner would meet it, and each outcome is sorted into:
- refused: a clear error (FormulaError, or TypeError/ValueError/OverflowError/NonFiniteError with
  a message) or a feedback that is not "correct";
- accepted: a number, a figure or a "correct" feedback (for formulas that are valid);
- hung: still running after the limit (a guard, 10 s; the checks' own limits are shorter);
- traceback: any other exception — a bug, however rare the input.
The tests hold the same lines (tests/test_formula.py, test_reliability.py, test_bad_input.py,
test_exercises_framework.py); this script only counts them in one place.
"""

import importlib
import math
import pkgutil
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the tests' lists of hostile inputs (not a package)

import test_exercises_framework as framework  # noqa: E402
import test_formula as formula_tests  # noqa: E402

import numdiff_lib.exercises as ex  # noqa: E402
from numdiff_lib import (  # noqa: E402
    check_gradient,
    gradient_descent,
    guard,
    hessian,
    numerical_derivative,  # noqa: E402
)
from numdiff_lib.core import NonFiniteError  # noqa: E402
from numdiff_lib.formula import FormulaError, parse_function  # noqa: E402
from numdiff_lib.widgets import formula_render  # noqa: E402

LIMIT = 10.0
CLEAR = (TypeError, ValueError, OverflowError, NonFiniteError, FormulaError)


def formulas():
    """The tests' hostile and runaway formulas, and variants of what learners type."""
    texts = list(formula_tests.HOSTILE) + list(formula_tests.RUNAWAY)
    bases = ["x", "2*x", "x/3", "sin(x)", "exp(x)", "x*10**19", "(x+1)", "1e300*x"]
    for b in bases:
        for e in ("1000", "1001", "-1000", "0.5", "1e3", "10**3", "x", "-x", "1/3"):
            texts.append(f"({b})**{e}")
            texts.append(f"(({b})**{e})**{e}")
    texts += ["10**308", "cosh(710)", "1e308*x/3", "0**x", "exp(-10**19)*x", "0x1F*x",
              "x^2^3", "log(0*x)", "sqrt(-x**2-1)", "1/(x-x)", "tan(pi/2)*x", "abs(x)**-1",
              "x**-1000", "e**-1000*x", "log(x, 1)", "asin(2)*x", "sinh(1000)", "1e-320"]
    return texts


def classify_formula(text):
    start = time.monotonic()
    outcome = guard.run(parse_function, text, seconds=LIMIT, max_output=0)
    if outcome.timed_out:
        return "hung"
    if isinstance(outcome.error, FormulaError):
        kind = "refused"
    elif outcome.error is not None:
        return "traceback"
    else:
        kind = "accepted"
    # The formula box must say something about it too, without a traceback or a stale figure.
    shown = guard.run(formula_render, text, seconds=LIMIT + 10, max_output=0)
    if shown.timed_out or time.monotonic() - start > 2 * LIMIT:
        return "hung"
    if shown.error is not None:
        return "traceback"
    return kind


def odd_calls():
    """(label, call) for odd uses of the library."""
    def bad_f(x):
        raise RuntimeError("learner bug")

    fs = {
        "square": lambda x: np.sum(np.asarray(x) ** 2),
        "returns None": lambda x: None,
        "returns text": lambda x: "3",
        "returns array": lambda x: np.ones(3),
        "returns nan": lambda x: math.nan,
        "returns inf": lambda x: math.inf,
        "masked": lambda x: np.ma.log(x),
        "raises": bad_f,
        "mutates": lambda v: (v.__isub__(np.mean(v)), float(v @ v))[1]
        if np.ndim(v) else float(v) ** 2,
        "complex": lambda x: complex(1, 1),
    }
    xs = {
        "1.0": 1.0, "int 3": 3, "10**400": 10**400, "nan": math.nan, "inf": math.inf,
        "array": np.array([1.0, 2.0, 6.0]), "int array": np.array([3, 4]), "empty": np.array([]),
        "masked": np.ma.masked_array([1.0, 2.0], mask=[1, 0]), "text": "3",
        "list": [1.0, 2.0], "ragged": [[1.0], [2.0, 3.0]], "None": None, "bool": True,
        "2x2": np.array([[1.0, 2.0], [3.0, 4.0]]), "float32": np.array([1.0, 2.0], np.float32),
        "complex": np.array([1 + 1j]), "[10**400, 1]": [10**400, 1],
    }
    calls = []
    for fname, f in fs.items():
        for xname, x in xs.items():
            calls.append((f"numerical_derivative({fname}, {xname})",
                          lambda f=f, x=x: numerical_derivative(f, x)))
    bounded = lambda v: float(np.sum(np.sin(v)))  # noqa: E731 — overflows nowhere: the step is at fault
    for step in (0, -1, 1e-12, 1e10, 1e155, 1e308, math.nan, "1e-4", None, True):
        for fname, g in (("square", fs["square"]), ("sin", bounded)):
            calls.append((f"numerical_derivative({fname}, 1.0, delta_x={step!r})",
                          lambda s=step, g=g: numerical_derivative(g, 1.0, s)))
            calls.append((f"hessian({fname}, [1, 2], delta_x={step!r})",
                          lambda s=step, g=g: hessian(g, np.array([1.0, 2.0]), s)))
    for lr in (0, -1, 1e-200, 10.0, math.inf, "0.1", None):
        calls.append((f"gradient_descent(square, [3, 4], lr={lr!r})",
                      lambda lr=lr: gradient_descent(fs["square"], np.array([3.0, 4.0]), lr=lr,
                                                     step_num=20)))
    for g in (lambda v: 2 * v, lambda v: None, lambda v: "x", lambda v: np.ones((2, 1)),
              lambda v: np.array([math.nan, 1.0]), 3.0):
        calls.append(("check_gradient(square, odd grad_f, [1, 2])",
                      lambda g=g: check_gradient(fs["square"], g, np.array([1.0, 2.0]))))
    for method in ("central", "five_point", "richardson", "complex_step", "bogus", None):
        calls.append((f"numerical_derivative(square, [1, 2], method={method!r})",
                      lambda m=method: numerical_derivative(fs["square"], np.array([1.0, 2.0]),
                                                            method=m)))
    calls.append(("numerical_derivative(square, 1.0, trace=())",
                  lambda: numerical_derivative(fs["square"], np.array([1.0]), trace=())))
    return calls


def said_in_a_sentence(err):
    """A message written for the learner, not Python's own ("(34, 'Numerical result out of
    range')", "int too large to convert to float"): it says what to change, in words."""
    text = str(err)
    return len(text) > 40 and not text.startswith(("(", "[")) and " " in text


def classify_call(call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outcome = guard.run(call, seconds=LIMIT, max_output=0)
    if outcome.timed_out:
        return "hung"
    err = outcome.error
    if err is None:
        return "accepted"
    if isinstance(err, CLEAR) and said_in_a_sentence(err):
        return "refused"
    if isinstance(err, RuntimeError) and "learner bug" in str(err):
        return "refused"  # the learner's own error, re-raised with a note saying where
    return "traceback"


def exercises():
    for m in pkgutil.iter_modules(ex.__path__):
        if m.name.startswith("lesson"):
            yield from importlib.import_module(f"numdiff_lib.exercises.{m.name}").EXERCISES


def classify_answer(exercise, answer):
    start = time.monotonic()
    try:
        feedback = exercise.check(answer)
    except Exception:  # noqa: BLE001 — what this campaign counts
        return "traceback"
    if time.monotonic() - start > exercise.seconds + LIMIT:
        return "hung"
    return "accepted" if feedback.correct else "refused"


def main():
    rows = []
    started = time.monotonic()
    counts = {}
    for text in formulas():
        kind = classify_formula(text)
        counts.setdefault("typed formulas", {}).setdefault(kind, []).append(text)
    for label, call in odd_calls():
        kind = classify_call(call)
        counts.setdefault("library calls", {}).setdefault(kind, []).append(label)
    for exercise in exercises():
        for answer in framework.GARBAGE:
            kind = classify_answer(exercise, answer)
            counts.setdefault("exercise answers", {}).setdefault(kind, []).append(
                f"{exercise.var}: {guard.safe_repr(answer, 40)}")
    for group, kinds in counts.items():
        total = sum(len(v) for v in kinds.values())
        rows.append((group, total, *(len(kinds.get(k, [])) for k in
                                     ("refused", "accepted", "hung", "traceback"))))
    lines = ["# Hostile and careless input, counted (benchmarks/hostile_inputs.py)", "",
             "| inputs | tried | refused with a message | accepted | hung | traceback |",
             "|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {g} | {t} | {r} | {a} | {h} | {tb} |" for g, t, r, a, h, tb in rows]
    total = [sum(r[i] for r in rows) for i in range(1, 6)]
    lines.append(f"| **all** | {total[0]} | {total[1]} | {total[2]} | {total[3]} | {total[4]} |")
    for group, kinds in counts.items():
        for kind in ("hung", "traceback"):
            for item in kinds.get(kind, [])[:20]:
                lines.append(f"- {kind} in {group}: `{item}`")
    lines += ["", f"Run time {time.monotonic() - started:.0f} s. Accepted formulas are valid ones "
              "(x**1000, cosh(710), ...); the formula box still says when it cannot draw them."]
    out = ROOT / "benchmarks" / "results" / "hostile_inputs.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
