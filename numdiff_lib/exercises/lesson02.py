"""Exercises for 02_partial_derivatives: a gradient, the int-array pitfall, what a partial means."""

import math
import numbers

import numpy as np

from ..core import numerical_derivative
from . import Exercise, Wrong, expect_close

# --------------------------------------------------------------------------- q1
# The gradient of f(x0, x1) = 3·x0²·x1 + x1³ at (2, −1):
# analytic (6·x0·x1, 3·x0² + 3·x1²) = (−12, 15).
x_q1 = (2.0, -1.0)


def f_q1(x):
    """3·x0²·x1 + x1³."""
    return 3 * x[0] ** 2 * x[1] + x[1] ** 3


def _two_numbers(answer, name, example):
    """The answer as a float array of shape (2,), or Wrong saying what is expected."""
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError) as err:
        raise Wrong(f"{name} should be two numbers such as {example}, got {answer!r}.") from err
    if got.shape == ():
        raise Wrong(f"{name} is one number ({float(got):g}); a gradient of a function of two "
                    f"variables has two entries, ∂f/∂x0 and ∂f/∂x1: e.g. {example}.")
    if got.shape != (2,):
        raise Wrong(f"{name} should be two numbers (∂f/∂x0, ∂f/∂x1), got shape {got.shape}.")
    if not np.all(np.isfinite(got)):
        raise Wrong(f"{name} contains NaN or inf: {got.tolist()}.")
    return got


def _check_gradient_q1(answer):
    got = _two_numbers(answer, "grad_q1", "(1.5, -0.5)")
    want = numerical_derivative(f_q1, np.array(x_q1))
    forward = numerical_derivative(f_q1, np.array(x_q1), method="forward")
    backward = numerical_derivative(f_q1, np.array(x_q1), method="backward")
    try:
        _expect_q1(got, want, forward, backward)
    except Wrong as err:
        if str(err).startswith("not within tolerance"):
            _one_sided(got, want)  # a one-sided difference with some other step
            raise Wrong("not within rtol = 1e-6 of the gradient. Check each entry: ∂f/∂x0 with "
                        "x1 frozen at −1, ∂f/∂x1 with x0 frozen at 2, and the point x = (2, −1)."
                        ) from None
        raise
    return ("∇f(2, −1) = (6·x0·x1, 3·x0² + 3·x1²) = (−12, 15). The central difference gets "
            "both to about 1e-9.")


def _expect_q1(got, want, forward, backward):
    expect_close(got, want, rtol=1e-6, atol=1e-9, mistakes=[
        (forward, "that is the forward difference (f(x+Δ) − f(x)) / Δ: it is off by about "
                  "Δ/2 · f″ = 3e-4 here. Use the central difference (f(x+Δ) − f(x−Δ)) / (2Δ), "
                  "numdiff_lib's default."),
        (backward, "that is the backward difference (f(x) − f(x−Δ)) / Δ, off by about 3e-4. Use "
                   "the central difference (f(x+Δ) − f(x−Δ)) / (2Δ)."),
        (want[::-1], "the two partials are swapped: grad_q1[0] is ∂f/∂x0 (x1 frozen) and "
                     "grad_q1[1] is ∂f/∂x1 (x0 frozen)."),
        ((-45000.0, 65000.0), "that is what the seed loop returns on the integer array "
                              "np.array([2, -1]): x + 1e-4 is truncated back to an integer. "
                              "Use np.array([2.0, -1.0]) — or numdiff_lib, which converts."),
        ((-12.0, 3.0), "∂f/∂x1 is missing the 3·x0² term: with x0 frozen at 2, the term "
                       "3·x0²·x1 = 12·x1 still depends on x1, so ∂f/∂x1 = 3·x0² + 3·x1²."),
    ])


def _one_sided(got, want):
    """A forward/backward difference with another step leaves the same error in both entries."""
    err = got - want  # here Δ/2·∂²f/∂xi² = Δ/2·6·x1 = −3Δ for both entries
    if np.all(np.abs(err) < 0.1) and math.isclose(err[0], err[1], rel_tol=0.05):
        which = "forward" if err[0] < 0 else "backward"
        raise Wrong(f"both entries are off by about {err[0]:.2g}: the signature of a {which} "
                    f"difference with Δ ≈ {abs(err[0]) / 3:.1g}. Use the central difference "
                    "(f(x+Δ) − f(x−Δ)) / (2Δ).")


q1 = Exercise(
    "grad_q1", _check_gradient_q1,
    hint="Define def f_q1(x): return 3 * x[0]**2 * x[1] + x[1]**3, then call "
         "numerical_derivative(f_q1, np.array([2.0, -1.0])). By hand: freeze x1 and "
         "differentiate in x0, then the other way round.",
    solution="def f_q1(x):\n    return 3 * x[0]**2 * x[1] + x[1]**3\n\n"
             "grad_q1 = numerical_derivative(f_q1, np.array([2.0, -1.0]))  # about (−12, 15)\n"
             "By hand: ∂f/∂x0 = 6·x0·x1 = −12 and ∂f/∂x1 = 3·x0² + 3·x1² = 12 + 3 = 15.",
)


# --------------------------------------------------------------------------- q2
# The seed loop on np.array([5, -2]) for x0² + x1²: [45000, -15000].
_SEED_INT = (45000.0, -15000.0)


def _check_seed_int(answer):
    got = _two_numbers(answer, "seed_int_q2", "(100, -100)")
    expect_close(got, _SEED_INT, rtol=1e-9, atol=1e-9, mistakes=[
        ((10.0, -4.0), "(10, −4) is the true gradient 2x; the seed loop does not get it on an "
                       "integer array. Follow each write: x[0] = 5.0001 is stored as 5, …"),
        ((45000.0, -25000.0), "NumPy truncates toward zero, not down: −1.9999 is stored as −1 "
                              "(not −2) and −2.0001 as −2."),
        ((45000.0, 0.0), "−2 + 1e-4 = −1.9999 is truncated toward zero, to −1, not back to −2: "
                         "so f(x+Δ) = 25 + 1 = 26 and f(x−Δ) = 25 + 4 = 29."),
        ((0.0, 0.0), "storing a float in an integer array truncates (drops the fraction); it "
                     "does not round. 4.9999 becomes 4, not 5."),
        ((25000.0, 35000.0), "that is the lesson's example at (3, 4); this one starts at (5, −2)."),
        ((-45000.0, 15000.0), "right numbers, wrong signs: partial = (f(x+Δ) − f(x−Δ)) / (2Δ)."),
    ])
    return ("x[0]: 5.0001 → 5 (f = 29) and 4.9999 → 4 (f = 20): (29 − 20) / 0.0002 = 45000. "
            "x[1]: −1.9999 → −1 (f = 26) and −2.0001 → −2 (f = 29): (26 − 29) / 0.0002 = −15000.")


q2 = Exercise(
    "seed_int_q2", _check_seed_int,
    hint="Follow the loop by hand. Storing a float in an int array drops the fraction "
         "(truncates toward zero): 5.0001 → 5, 4.9999 → 4, −1.9999 → −1, −2.0001 → −2. "
         "Evaluate x0² + x1² at the stored points and divide by 2·delta_x = 0.0002.",
    solution="seed_int_q2 = (45000, -15000): (29 − 20) / 0.0002 and (26 − 29) / 0.0002.\n"
             "Check: seed_numerical_derivative(function_2, np.array([5, -2])).",
)


# --------------------------------------------------------------------------- q3
# f(x, y) = 2x + 3xy + y³ at (1, 2), both variables move: x by +0.02, y by −0.01.
# The partials (8, 15) predict Δf ≈ 8·0.02 + 15·(−0.01) = 0.16 − 0.15 = 0.01.
_DX, _DY = 0.02, -0.01
_PREDICTED = 8.0 * _DX + 15.0 * _DY  # 0.01


def _f_q3(x, y):
    return 2 * x + 3 * x * y + y ** 3


_EXACT = _f_q3(1.02, 1.99) - _f_q3(1.0, 2.0)  # 0.009999


def _check_change(answer):
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        raise Wrong(f"change_q3 should be one number, such as 0.5, got {answer!r}.")
    got = float(answer)
    if math.isclose(got, _PREDICTED, rel_tol=1e-6):
        return ("Δf ≈ (∂f/∂x)·Δx + (∂f/∂y)·Δy = 8 × 0.02 + 15 × (−0.01) = 0.16 − 0.15 = 0.01. "
                f"The exact change is {_EXACT:.6f}. The two moves almost cancel: the step "
                "(0.02, −0.01) is nearly at right angles to ∇f = (8, 15), so it runs almost "
                "along a contour line.")
    if math.isclose(got, _EXACT, rel_tol=1e-6):
        return (f"{_EXACT:.6f} is the exact change f(1.02, 1.99) − f(1, 2). The partials "
                "predict it without evaluating f: 8 × 0.02 + 15 × (−0.01) = 0.01.")
    known = [
        (0.16, "0.16 counts only the move of x (8 × 0.02); y moves too, by −0.01, and "
               "adds (∂f/∂y)·Δy."),
        (-0.15, "−0.15 counts only the move of y (15 × (−0.01)); x moves too, by 0.02, and "
                "adds (∂f/∂x)·Δx."),
        (0.31, "y moves from 2 to 1.99, so Δy = −0.01: its contribution is negative."),
        (-0.01, "sign: Δx = 1.02 − 1 = +0.02 and Δy = 1.99 − 2 = −0.01."),
        (0.23, "that uses a move of 0.01 for both; Δx = 0.02 and Δy = −0.01."),
        (-0.07, "that uses Δx = 0.01; x moves from 1 to 1.02, so Δx = 0.02."),
        (0.01 * 8 + 0.02 * 15, "the moves are swapped: Δx = 0.02 goes with ∂f/∂x = 8 and "
                               "Δy = −0.01 with ∂f/∂y = 15."),
        (0.01 * 8 - 0.02 * 15, "the moves are swapped: Δx = 0.02 goes with ∂f/∂x = 8 and "
                               "Δy = −0.01 with ∂f/∂y = 15."),
        (16.009999, "that is about f(1.02, 1.99) itself; the change is f(1.02, 1.99) − f(1, 2), "
                    "and the partials predict it without computing either."),
        (23.0, "23 adds the partials, 8 + 15; multiply each by how far its variable moves."),
        (7.0, "multiply each partial by how far its variable moves, then add: "
              "(∂f/∂x)·Δx + (∂f/∂y)·Δy."),
    ]
    for value, why in known:
        if math.isclose(got, value, rel_tol=1e-3, abs_tol=1e-9):
            raise Wrong(why)
    raise Wrong(f"{got:g} is not it: Δf ≈ (∂f/∂x)·Δx + (∂f/∂y)·Δy, with the partials at (1, 2) "
                "and Δx, Δy how far each variable moves.")


q3 = Exercise(
    "change_q3", _check_change,
    hint="Each partial is a rate: f changes about 8 times as much as x, and about 15 times as "
         "much as y. When both move, add the two effects: Δf ≈ 8·Δx + 15·Δy. Mind the sign "
         "of Δy.",
    solution="change_q3 = 8 * 0.02 + 15 * (-0.01)  # = 0.16 − 0.15 = 0.01\n"
             "The exact change f(1.02, 1.99) − f(1, 2) is 0.009999. It is small because the "
             "step (0.02, −0.01) is nearly perpendicular to ∇f = (8, 15): it follows a contour.",
)
