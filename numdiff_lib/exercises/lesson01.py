"""Exercises for 01_single_variable_derivative: cubic slopes, the best float32 delta_x, a kink."""

import math
import numbers

import numpy as np

from . import Exercise, Wrong

# --------------------------------------------------------------------------- q1
# The seed lecture's exercise 4.2.1: the slope of x³ − 3x² + x at −0.5, 0, 0.5, …, 2.5.

X_Q1 = np.array([-0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5])
ATOL_Q1 = 1e-6  # central, delta_x = 1e-4, is off by exactly delta_x² = 1e-8 on a cubic


def f_q1(x):
    """x³ − 3x² + x, the seed lecture's cubic."""
    return x**3 - 3 * x**2 + x


def df_q1(x):
    """Its exact derivative 3x² − 6x + 1."""
    return 3 * x**2 - 6 * x + 1


def _values(answer, name, size):
    """The answer as a flat float array of the given size, or Wrong saying what is expected."""
    example = "e.g. a list [...] or np.array([...])"
    if isinstance(answer, (str, bytes)):
        raise Wrong(f"{name} should be {size} numbers ({example}), not a string.")
    try:
        arr = np.asarray(answer)
    except Exception as err:  # noqa: BLE001 — ragged lists and odd objects: say what is expected
        raise Wrong(f"{name} should be {size} numbers ({example}), got {answer!r}.") from err
    if arr.dtype.kind == "O":
        try:
            arr = arr.astype(float)
        except (TypeError, ValueError, OverflowError) as err:
            raise Wrong(f"{name} should hold {size} numbers ({example}); some of its entries are "
                        "not numbers.") from err
    if arr.dtype.kind == "c":
        raise Wrong(f"{name} holds complex numbers; slopes of a real function are real.")
    if arr.dtype.kind not in "iuf":
        raise Wrong(f"{name} should be {size} numbers ({example}), got {answer!r}.")
    arr = arr.astype(float)
    if arr.ndim == 0:
        raise Wrong(f"{name} is one number; give {size} values, one slope per point "
                    "x = −0.5, 0, 0.5, 1, 1.5, 2, 2.5 (e.g. a list comprehension).")
    if arr.ndim > 1:
        raise Wrong(f"{name} has shape {arr.shape}; give one flat list of {size} numbers, "
                    f"shape ({size},) (np.ravel flattens an array).")
    if arr.size != size:
        raise Wrong(f"{name} has {arr.size} values; give {size}, one slope per point "
                    "x = −0.5, 0, 0.5, 1, 1.5, 2, 2.5.")
    if not np.all(np.isfinite(arr)):
        raise Wrong(f"{name} contains NaN or inf; every slope here is an ordinary number.")
    return arr


def _one_sided_signature(err):
    """Fit err ≈ a·3(x − 1) + b: a one-sided difference has error f''(x)·Δx/2 = 3(x − 1)·Δx."""
    design = np.stack([3 * (X_Q1 - 1), np.ones_like(X_Q1)], axis=1)
    (a, b), *_ = np.linalg.lstsq(design, err, rcond=None)
    rest = np.linalg.norm(err - design @ (a, b)) / max(np.linalg.norm(err), 1e-300)
    return float(a), float(b), float(rest)


def _check_slopes(answer):
    got = _values(answer, "slopes_q1", X_Q1.size) if not _is_short(answer) else _short(answer)
    exact = df_q1(X_Q1)
    err = got - exact
    worst = float(np.max(np.abs(err)))
    if worst <= ATOL_Q1:
        close = f"are within {worst:.1g} of" if worst > 0 else "equal"
        return (f"all 7 slopes {close} the exact 3x² − 6x + 1. The central "
                "difference with delta_x = 1e-4 is off by exactly delta_x² = 1e-8 on this cubic "
                "(its error is f'''·delta_x²/6, and f''' = 6). Note the signs: the curve falls "
                "between x ≈ 0.18 and x ≈ 1.82, where the slope is negative.")
    if np.allclose(got, -exact, atol=1e-3):
        raise Wrong("right sizes, wrong signs: check the order of the subtraction, "
                    "f(x + delta_x) − f(x − delta_x), not the other way round.")
    if np.allclose(got, f_q1(X_Q1), atol=1e-6):
        raise Wrong("those are the function values f(x), not the slopes f′(x): pass the "
                    "function and the point to numerical_derivative(f, x).")
    for start in (0.0, -1.0, 0.5):
        shifted = start + 0.5 * np.arange(7)
        if np.allclose(got, df_q1(shifted), atol=1e-4):
            raise Wrong(f"these are the slopes at x = {start:g}, {start + 0.5:g}, …, "
                        f"{shifted[-1]:g}: the wrong points. Use x = −0.5, 0, 0.5, …, 2.5, "
                        "e.g. np.arange(-0.5, 3.0, 0.5).")
    if np.allclose(err, -1.0, atol=1e-3):
        raise Wrong("every value is 1 too small: did you differentiate by hand and drop the "
                    "derivative of the last term, x (which is 1)?")
    a, b, rest = _one_sided_signature(err)
    # A one-sided difference with step h has error 3(x − 1)·h + h² here: a = ±h, b = h².
    if rest < 0.1 and 1e-7 < abs(a) <= 1 and abs(b - a * a) <= max(0.5 * a * a, 1e-9):
        kind, formula = (("forward", "(f(x + Δx) − f(x)) / Δx") if a > 0
                         else ("backward", "(f(x) − f(x − Δx)) / Δx"))
        raise Wrong(f"your values are off by about 3(x − 1)·{abs(a):.0e}: the signature of a "
                    f"{kind} difference {formula} with Δx ≈ {abs(a):.0e}. A one-sided "
                    "difference has error f″(x)·Δx/2 (here f″ = 6x − 6, zero only at x = 1). Use "
                    "the central difference (f(x + Δx) − f(x − Δx)) / (2Δx) with delta_x = 1e-4.")
    if rest < 0.1 and b > 0 and abs(a) <= 0.01 * b:
        raise Wrong(f"every value is too large by the same {b:.2g}: that is the central "
                    f"difference's error Δx²·f‴/6 = Δx² for this cubic, so Δx ≈ "
                    f"{math.sqrt(b):.2g} is too large. Use delta_x = 1e-4.")
    typed = [d for d in range(4) if np.array_equal(got, np.round(got, d))]  # hand-typed numbers
    if typed and worst < 0.5:
        d = typed[0]
        if d >= 1 and worst <= 0.51 * 10.0**-d:
            raise Wrong(f"right to {d} decimal place(s), but rounded: keep every digit the "
                        "computation gives (the check wants 6 digits after the point).")
        raise Wrong(f"good estimates (within {worst:.2g}), like slopes read off the graph; now "
                    "compute them: numerical_derivative(f, x) at each point gives 6 and more "
                    "correct digits.")
    if worst < 0.5 and _noisy(err):
        raise Wrong(f"your values scatter around the true slopes by up to {worst:.1g}, with no "
                    "pattern: that is round-off noise, the mark of a step that is too small "
                    "(such as delta_x = 1e-12). f(x + Δx) and f(x − Δx) then agree in almost all "
                    "their digits and the subtraction cancels them. Use delta_x = 1e-4.")
    if worst < 0.5:
        raise Wrong(f"close (within {worst:.2g}), like slopes read off the graph, but a numerical "
                    "derivative is far more precise: compute each value with "
                    "numerical_derivative(f, x) (central difference, delta_x = 1e-4).")
    where = float(X_Q1[int(np.argmax(np.abs(err)))])
    raise Wrong(f"not within {ATOL_Q1:g} of the slopes; the largest difference is at x = "
                f"{where:g}. Compute f′(x) with numerical_derivative(f, x) at each of the 7 "
                "points.")


def _noisy(err):
    """True when err has no one-sided/offset pattern: irregular, round-off-like scatter."""
    return _one_sided_signature(err)[2] >= 0.1


def _is_short(answer):
    """A sequence of 6 or 8 numbers: the points were built with the wrong range."""
    try:
        arr = np.asarray(answer, dtype=float)
    except Exception:  # noqa: BLE001 — anything odd goes to _values, which explains it
        return False
    return not isinstance(answer, (str, bytes)) and arr.ndim == 1 and arr.size in (6, 8)


def _short(answer):
    arr = np.asarray(answer, dtype=float)
    if arr.size == 6:
        raise Wrong("you gave 6 values; the table has 7 points, −0.5 to 2.5. np.arange stops "
                    "before its end: np.arange(-0.5, 2.5, 0.5) leaves out 2.5. Use "
                    "np.arange(-0.5, 3.0, 0.5) or np.linspace(-0.5, 2.5, 7).")
    raise Wrong("you gave 8 values; the table has 7 points, −0.5, 0, 0.5, …, 2.5 "
                "(np.linspace(-0.5, 2.5, 7)).")


q1 = Exercise(
    "slopes_q1", _check_slopes,
    hint="Loop over the points, e.g. [numerical_derivative(f, x) for x in np.arange(-0.5, 3.0, "
         "0.5)], with f(x) = x**3 - 3*x**2 + x. Or use the function you wrote in this lesson.",
    solution="def f(x):\n    return x**3 - 3*x**2 + x\n\n"
             "slopes_q1 = [numerical_derivative(f, x) for x in np.arange(-0.5, 3.0, 0.5)]\n"
             "# ≈ [4.75, 1, -1.25, -2, -1.25, 1, 4.75], each off by delta_x² = 1e-8;\n"
             "# exactly 3x² − 6x + 1, the derivative by hand.",
)


# --------------------------------------------------------------------------- q2
# The best delta_x for the central difference of the sigmoid at x = 1 — in float32, as on a GPU.
# Section 6's theory predicts it (ε32^(1/3) ≈ 5e-3), but the lesson only measures float64.

X_Q2 = 1.0
EPS32 = float(np.finfo(np.float32).eps)
BEST_RANGE_Q2 = (10**-2.5, 10**-1.5)  # the valley of the float32 error curve, around 1e-2


def sigmoid(x):
    """The logistic sigmoid 1 / (1 + e^(−x))."""
    return 1 / (1 + np.exp(-x))


def dsigmoid(x):
    """Its exact derivative σ(x)(1 − σ(x))."""
    s = sigmoid(x)
    return s * (1 - s)


def central32(f, x, delta_x):
    """The central difference computed entirely in float32 (single precision, as on GPUs)."""
    x, h = np.float32(x), np.float32(delta_x)
    return (f(x + h) - f(x - h)) / (np.float32(2) * h)


def error_q2(delta_x):
    """|float32 central difference − exact σ′(1)| for the sigmoid at x = 1 with this delta_x."""
    return abs(float(central32(sigmoid, X_Q2, delta_x)) - float(dsigmoid(X_Q2)))


def _number(answer, name):
    """One real number (a 0-d NumPy array counts), or Wrong saying what is expected."""
    if isinstance(answer, str):
        raise Wrong(f"{name} should be a number, got the string {answer!r}: drop the quotes.")
    if isinstance(answer, np.ndarray) and answer.ndim == 0 and answer.dtype.kind in "iuf":
        answer = answer.item()
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, numbers.Real):
        raise Wrong(f"{name} should be one number such as 1e-3, got {answer!r} "
                    f"({type(answer).__name__}).")
    try:
        return float(answer)
    except OverflowError as err:
        raise Wrong(f"{name} is far too large to be a step or a slope.") from err


def _check_best_step(answer):
    h = _number(answer, "best_delta_x_q2")
    if not math.isfinite(h):
        raise Wrong(f"best_delta_x_q2 must be a finite number, got {h!r}.")
    if h <= 0:
        if h < 0 and float(h).is_integer() and -20 <= h <= -1:
            raise Wrong(f"give the step itself, 1e{int(h)} (that is 10**{int(h)}), "
                        f"not its exponent {int(h)}.")
        raise Wrong("a step has to be positive: the central difference divides by 2·delta_x.")
    if h >= 1 and float(h).is_integer() and h <= 20:
        raise Wrong(f"give the step itself, 1e-{int(h)} (that is 10**-{int(h)}), not its "
                    f"exponent {int(h)}.")
    if h >= 1:
        raise Wrong(f"delta_x = {h:g} is not a small step; try the powers of ten 1e-1 to 1e-8.")
    if np.float32(h) == 0:
        raise Wrong(f"delta_x = {h:g} is below the smallest float32 (about 1e-45): in float32 "
                    "it rounds to 0, and the central difference divides by zero.")
    with np.errstate(all="ignore"):
        err = error_q2(h)
    best = min((10.0**-k for k in range(1, 9)), key=error_q2)
    report = f"error {err:.1g} at delta_x = {h:.0e}"
    if not math.isclose(h, best, rel_tol=1e-6):
        report += f", against {error_q2(best):.1g} at the best power of ten, {best:.0e}"
    lo, hi = BEST_RANGE_Q2
    if lo <= h <= hi:
        return (f"in float32 the best step is about 1e-2 ({report}). The theory of section 6 "
                f"predicted it: round-off now grows as ε32/delta_x with ε32 = {EPS32:.2g}, so "
                f"the balance point moves up to about ε32^(1/3) ≈ {EPS32 ** (1 / 3):.0e}. The "
                f"float64 default 1e-4 leaves an error of {error_q2(1e-4):.0e} here, only about "
                "3 correct digits: in single precision, take larger steps (or check gradients "
                "in float64, lesson 07).")
    if 3e-7 <= h <= 3e-5:
        raise Wrong(f"that is the best step in float64 (about ε^(1/3) ≈ 6e-6), but this is "
                    f"float32 ({report}). Its machine epsilon is ε32 = {EPS32:.2g}, half a "
                    "billion times larger, so round-off grows much sooner as delta_x shrinks.")
    if math.isclose(h, 1e-4, rel_tol=0.5):
        raise Wrong(f"1e-4 is the safe default in float64, not in float32 ({report}). In "
                    f"float32 its round-off part, about ε32/delta_x ≈ {EPS32 / 1e-4:.0e}, "
                    "already dominates.")
    if h < lo:
        raise Wrong(f"too small for float32: round-off dominates there ({report}). With only "
                    "about 7 significant digits, f(1 + delta_x) and f(1 − delta_x) share most of "
                    "them, and the subtraction leaves mostly rounding noise.")
    raise Wrong(f"too large: truncation error (∝ delta_x²) dominates there ({report}). "
                "Try smaller steps and watch the error fall, then rise again.")


q2 = Exercise(
    "best_delta_x_q2", _check_best_step,
    hint="Compute error_q2(delta_x) for delta_x = 1e-1, 1e-2, …, 1e-8 (a loop or a list "
         "comprehension) and take the step with the smallest error. To predict it, redo "
         "section 6's balance with float32's machine epsilon, np.finfo(np.float32).eps.",
    solution="steps = [10.0**-k for k in range(1, 9)]\n"
             "best_delta_x_q2 = min(steps, key=error_q2)   # 0.01\n"
             "float32 has ε32 ≈ 1.2e-7, so truncation (∝ delta_x²) and round-off "
             "(∝ ε32/delta_x) balance near ε32^(1/3) ≈ 5e-3, not near 6e-6 as in float64.",
)


# --------------------------------------------------------------------------- q3
# Leaky ReLU at its kink: the central difference returns the average of the two slopes.

ALPHA_Q3 = 0.1


def leaky_relu(x):
    """x for x > 0, 0.1·x otherwise: slope 1 on the right, 0.1 on the left."""
    return np.where(x > 0, x, ALPHA_Q3 * x)


def _check_kink(answer):
    if isinstance(answer, str):
        raise Wrong("true, leaky ReLU has no derivative at 0. But numerical_derivative still "
                    "returns a number there: give that number (try it, or reason it out).")
    got = _number(answer, "kink_q3")
    if math.isnan(got):
        raise Wrong("true, there is no derivative at 0, but the central difference still "
                    "returns an ordinary number there: which one?")
    if math.isclose(got, 0.55, rel_tol=1e-6):
        return ("(f(Δx) − f(−Δx)) / (2Δx) = (Δx + 0.1·Δx) / (2Δx) = 0.55: the average of the "
                "slopes on the two sides, 1 and 0.1 — a slope the function has nowhere.")
    known = [
        (0.5, "0.5 is plain ReLU's answer (slopes 0 and 1). Leaky ReLU's left slope is 0.1."),
        (1.0, "1 is the slope on the right: what the forward difference returns. The central "
              "difference looks both ways."),
        (0.1, "0.1 is the slope on the left: what the backward difference returns. The central "
              "difference looks both ways."),
        (1.1, "1.1 is the sum of the two slopes; the central difference divides by 2Δx, "
              "so it averages them."),
        (0.0, "0 is not it: the function rises on both sides of 0, so no difference quotient "
              "there is 0."),
        (0.45, "0.45 = (1 − 0.1)/2: check the sign of f(−Δx) = −0.1·Δx; subtracting it adds."),
    ]
    for value, why in known:
        if math.isclose(got, value, rel_tol=1e-6, abs_tol=1e-12):
            raise Wrong(why)
    raise Wrong("not what the central difference returns at 0. Write out "
                "(f(Δx) − f(−Δx)) / (2Δx) with f(Δx) = Δx and f(−Δx) = −0.1·Δx.")


q3 = Exercise(
    "kink_q3", _check_kink,
    hint="Write the central difference at 0 by hand: f(Δx) = Δx on the right, f(−Δx) = −0.1·Δx "
         "on the left. Or run numerical_derivative(leaky_relu, 0.0).",
    solution="kink_q3 = 0.55: (Δx − (−0.1·Δx)) / (2Δx) = 1.1 / 2, the average of the two "
             "slopes. numerical_derivative(leaky_relu, 0.0) returns 0.55.",
)
