"""Exercises for 01_single_variable_derivative: the cubic's slopes, the shape of its derivative,
the best float32 step, and the central difference at a kink.

In the notebook:  q1, q2, q3, q4 = lesson01.bind(globals())
"""

import math
import numbers

import numpy as np

from ..core import default_step, step_text
from ..messages import N_, Msg
from . import (
    NEAR,
    ArrayExercise,
    Close,
    NumberExercise,
    Wrong,
    decimals,
    match_mistakes,
    mistake,
    near_miss,
    read_array,
    read_number,
    significant,
)
from . import bind as _bind

# What the solutions may use: the names the notebook defines before its exercises.
SOLUTION_SETUP = """
import numpy as np
from numdiff_lib.exercises.lesson01 import (central32, d3sigmoid, dsigmoid, error_q3,
                                            leaky_relu, sigmoid, steps_q3)


def numerical_derivative(f, x):
    delta_x = 1e-4
    return (f(x + delta_x) - f(x - delta_x)) / (2 * delta_x)


def cubic(x):
    return x**3 - 3 * x**2 + x


table_x = np.array([-0.5, 0, 0.5, 1, 1.5, 2, 2.5])
"""


def _near(value, rel=1e-3):
    """A mistake that is one value, matched within rel (for values inside the near-miss band)."""
    return lambda got: bool(np.all(np.abs(np.asarray(got, dtype=float) - value)
                                   <= rel * np.abs(value) + 1e-12))


# --------------------------------------------------------------------------- q1: the slopes
# The seed lecture's exercise 4.2.1: the slope of x³ − 3x² + x at −0.5, 0, 0.5, …, 2.5, first
# read off the lesson's graph by eye, then computed with the central difference.

X_Q1 = np.array([-0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5])


def f_q1(x):
    """x³ − 3x² + x, the seed lecture's cubic (the lesson calls it `cubic`)."""
    return x**3 - 3 * x**2 + x


def df_q1(x):
    """Its exact derivative 3x² − 6x + 1."""
    return 3 * x**2 - 6 * x + 1


TOL_Q1 = decimals(6)  # central, delta_x = 1e-4, is off by exactly delta_x² = 1e-8 on a cubic


def _one_sided_signature(err):
    """Fit err ≈ a·3(x − 1) + b: a one-sided difference with step h has error 3(x − 1)·h + h²
    here (f″(x)·h/2 + f‴·h²/6), so a = ±h and b = h². Returns a, b and the relative misfit."""
    design = np.stack([3 * (X_Q1 - 1), np.ones_like(X_Q1)], axis=1)
    (a, b), *_ = np.linalg.lstsq(design, err, rcond=None)
    rest = np.linalg.norm(err - design @ (a, b)) / max(np.linalg.norm(err), 1e-300)
    return float(a), float(b), float(rest)


def _typed_decimals(got):
    """The fewest decimals (0 to 3) the answer was typed with, or None (computed values)."""
    for d in range(4):
        if np.array_equal(got, np.round(got, d)):
            return d
    return None


# What the check says (module constants, so the tests can name the message they expect).
_CLOSE = N_("close — give the answer to {digits}.")  # the framework's near-miss text
WRONG_SIGNS_Q1 = N_("right sizes, wrong signs: the central difference is f(x + Δx) − f(x − Δx), in "
                    "that order, divided by 2Δx.")
ROUNDED_Q1 = N_("rounded to {d} after the point: the question asks for six decimals. Assign the "
                "computed values as they are.")
BY_EYE_Q1 = N_("good estimates (all within {worst:.2g}), like slopes read off the graph. Now "
               "compute them: numerical_derivative(cubic, x) at each point gives six correct "
               "decimals and more.")
FORWARD_Q1 = N_("your values are off by about 3(x − 1)·{h:.0e}: the mark of a forward difference "
                "(f(x + Δx) − f(x)) / Δx with Δx ≈ {h:.0e}. A one-sided difference is off by "
                "f″(x)·Δx/2 (here f″ = 6x − 6, zero only at x = 1). Use the central difference "
                "(f(x + Δx) − f(x − Δx)) / (2Δx) with delta_x = 1e-4.")
BACKWARD_Q1 = N_("your values are off by about −3(x − 1)·{h:.0e}: the mark of a backward "
                 "difference (f(x) − f(x − Δx)) / Δx with Δx ≈ {h:.0e}. A one-sided difference is "
                 "off by f″(x)·Δx/2 (here f″ = 6x − 6, zero only at x = 1). Use the central "
                 "difference (f(x + Δx) − f(x − Δx)) / (2Δx) with delta_x = 1e-4.")
STEP_TOO_LARGE_Q1 = N_("every value is too large by the same {b:.2g}: that is the central "
                       "difference's error Δx²·f‴/6 = Δx² on this cubic (f‴ = 6), so your Δx ≈ "
                       "{h:.2g} is too large. Use delta_x = 1e-4.")
ROUND_OFF_NOISE_Q1 = N_("your values scatter around the true slopes by up to {worst:.1g}, with no "
                        "pattern: round-off noise, the mark of a step that is too small (such as "
                        "delta_x = 1e-10). f(x + Δx) and f(x − Δx) then share almost all their "
                        "digits and the subtraction cancels them (section 6). Use delta_x = 1e-4.")
ONE_NUMBER_Q1 = N_("{var} is one number; give 7 values, one slope per point x = −0.5, 0, 0.5, 1, "
                   "1.5, 2, 2.5 (a list comprehension over table_x).")
SIX_VALUES_Q1 = N_("you gave 6 values; the table has 7 points, −0.5 to 2.5. np.arange stops before "
                   "its end: np.arange(-0.5, 2.5, 0.5) leaves out 2.5. Use table_x, or "
                   "np.linspace(-0.5, 2.5, 7).")
EIGHT_VALUES_Q1 = N_("you gave 8 values; the table has 7 points, −0.5, 0, 0.5, …, 2.5 (table_x, or "
                     "np.linspace(-0.5, 2.5, 7)).")


class SlopesExercise(ArrayExercise):
    """The seven slopes of q1: counts, shifts and the patterns of one-sided or badly stepped
    differences each get their own message (dynamic fields: the step they reveal)."""

    def judge(self, answer):
        _refuse_wrong_count(answer, self.var)
        got = read_array(answer, self.var, self.expected.shape)
        want, tol = self.expected, self.tolerance
        if tol.close(got, want):
            return Msg(self.praise, **self.praise_fields)
        match_mistakes(got, self.mistakes, tol)  # values such as f(x), slopes at wrong points
        if tol.close(-got, want):
            raise Wrong(WRONG_SIGNS_Q1)
        err = got - want
        worst = float(np.max(np.abs(err)))
        d = _typed_decimals(got)
        if d is not None and worst < 0.6:
            if d >= 1 and worst <= 0.51 * 10.0**-d:
                raise Wrong(ROUNDED_Q1, d=d)
            raise Wrong(BY_EYE_Q1, worst=worst)
        a, b, rest = _one_sided_signature(err)
        if rest < 0.1 and 1e-9 < abs(a) <= 1 and abs(b - a * a) <= max(0.5 * a * a, 1e-9):
            if a > 0:
                raise Wrong(FORWARD_Q1, h=abs(a))
            raise Wrong(BACKWARD_Q1, h=abs(a))
        if rest < 0.1 and b > 0 and abs(a) <= 0.01 * b:
            raise Wrong(STEP_TOO_LARGE_Q1, b=b, h=math.sqrt(b))
        if worst < 0.5 and rest >= 0.1:
            raise Wrong(ROUND_OFF_NOISE_Q1, worst=worst)
        if tol.close(got, want, NEAR):
            raise near_miss(got, tol, _CLOSE)
        where = float(X_Q1[int(np.argmax(np.abs(err)))])
        raise Wrong(self.otherwise, where=where)


def _flat_len(answer):
    """len(answer) for a short flat list, tuple or 1-D array; None for anything else."""
    if isinstance(answer, np.ndarray):
        return len(answer) if answer.ndim == 1 else None
    if isinstance(answer, (list, tuple)) and len(answer) <= 10 and all(
            isinstance(v, numbers.Real) and not isinstance(v, bool) for v in answer):
        return len(answer)
    return None


def _refuse_wrong_count(answer, var):
    """6 or 8 numbers (np.arange's end), or one number: say what the table has."""
    if isinstance(answer, numbers.Real) and not isinstance(answer, bool):
        raise Wrong(ONE_NUMBER_Q1, var=var)
    size = _flat_len(answer)
    if size == 6:
        raise Wrong(SIX_VALUES_Q1)
    if size == 8:
        raise Wrong(EIGHT_VALUES_Q1)


q1 = SlopesExercise(
    "slopes_q1", df_q1(X_Q1), TOL_Q1,
    mistakes=[
        mistake(f_q1(X_Q1), N_(
            "those are the function values f(x), not the slopes f′(x): pass the function and "
            "the point to numerical_derivative(cubic, x).")),
        mistake(df_q1(X_Q1) - 1, N_(
            "every value is 1 too small: did you differentiate by hand and drop the derivative "
            "of the last term, x (which is 1)?")),
        mistake(df_q1(X_Q1 + 0.5), N_(
            "these are the slopes at x = 0, 0.5, …, 3: the wrong points. Use x = −0.5, 0, 0.5, "
            "…, 2.5 (table_x).")),
        mistake(df_q1(X_Q1 - 0.5), N_(
            "these are the slopes at x = −1, −0.5, …, 2: the wrong points. Use x = −0.5, 0, "
            "0.5, …, 2.5 (table_x).")),
    ],
    otherwise=N_("not within six decimals of the slopes; the largest difference is at "
                 "x = {where:g}. Compute f′(x) with numerical_derivative(cubic, x) at each of "
                 "the 7 points."),
    hints=[
        N_("Loop over the points: [numerical_derivative(cubic, x) for x in table_x] gives one "
           "slope per point."),
        N_("slopes_q1 = [numerical_derivative(cubic, x) for x in table_x]; your estimates by eye "
           "should be within a few tenths of these."),
    ],
    solution="slopes_q1 = [numerical_derivative(cubic, x) for x in table_x]",
    explanation=N_("≈ [4.75, 1, −1.25, −2, −1.25, 1, 4.75], each off by delta_x² = 1e-8: the "
                   "derivative by hand is 3x² − 6x + 1."),
    praise=N_("all 7 slopes match the exact 3x² − 6x + 1 to six decimals. The central "
              "difference with delta_x = 1e-4 is off by exactly delta_x² = 1e-8 on this cubic "
              "(its error is f‴·delta_x²/6, and f‴ = 6). How close were your estimates by eye? "
              "The signs tell where the curve rises and where it falls: Exercise 2 uses them."),
)

# --------------------------------------------------------------------------- q2: f′'s shape
# The seed lecture's exercise 4.2.2: sketch the graph of f′ from the slope table. Checked by
# its shape: the two x where f′ crosses zero (where f turns), to one decimal.

CROSSINGS_Q2 = np.array([1 - math.sqrt(2 / 3), 1 + math.sqrt(2 / 3)])  # roots of 3x² − 6x + 1
ZEROS_OF_F = np.array([(3 - math.sqrt(5)) / 2, (3 + math.sqrt(5)) / 2])  # f = x(x² − 3x + 1)


def _pair(a, b, within=0.03):
    return lambda got: bool(np.all(np.abs(np.asarray(got, dtype=float) - (a, b)) <= within))


# What the check says (module constants, so the tests can name the message they expect).
TWO_CROSSINGS_Q2 = N_("f′ crosses zero twice: give the two x where it does, e.g. [a, b].")
LOWEST_POINT_Q2 = N_("x = 1 is where f′ is lowest (−2), the bottom of your sketch; f′ crosses the "
                     "zero line twice, once on each side of it. Give both x.")
ONE_TOO_MANY_Q2 = N_("two of these are right; the middle one is not a zero of f′. Give only the "
                     "two x where f′ crosses zero.")
ZEROS_OF_F_Q2 = N_("those are where f(x) = 0, where the graph of f crosses the x axis. f′ = 0 "
                   "where f is flat: at the top of its hump and the bottom of its dip.")
CLOSE_Q2 = N_("close — look again where your sketch crosses zero, and give the answer to {digits}.")


class CrossingsExercise(ArrayExercise):
    """Two x where f′ = 0, in either order; one or three values get their own message."""

    def judge(self, answer):
        size, values = _flat_len(answer), None
        if isinstance(answer, numbers.Real) and not isinstance(answer, bool):
            values = np.array([read_number(answer, self.var, "0.5")])
        elif size in (1, 3):
            values = read_array(answer, self.var, (size,))
        if values is not None and len(values) == 1:
            if abs(values[0] - 1) <= 0.05:
                raise Wrong(LOWEST_POINT_Q2)
            raise Wrong(TWO_CROSSINGS_Q2)
        if values is not None:
            values = np.sort(values)
            if np.all(np.abs(values - (0.0, *ZEROS_OF_F)) <= 0.03):
                raise Wrong(ZEROS_OF_F_Q2)
            if np.all(np.abs(values[[0, 2]] - self.expected) <= 0.05):
                raise Wrong(ONE_TOO_MANY_Q2)
            raise Wrong(TWO_CROSSINGS_Q2)
        got = np.sort(read_array(answer, self.var, self.expected.shape))
        if self.tolerance.close(got, self.expected):
            return Msg(self.praise, **self.praise_fields)
        match_mistakes(got, self.mistakes, self.tolerance)
        if np.all(np.abs(got - self.expected) <= 0.15):
            raise Close(CLOSE_Q2, digits=self.tolerance.digits)
        raise Wrong(self.otherwise)


q2 = CrossingsExercise(
    "crossings_q2", CROSSINGS_Q2, decimals(1)._replace(digits=Msg(N_("one decimal"))),
    mistakes=[
        mistake(_pair(0.25, 1.75), N_(
            "those are the midpoints of the intervals where the sign changes. f′ goes from 1 "
            "(x = 0) to −1.25 (x = 0.5), so it reaches 0 a little before the middle; the same, "
            "mirrored, near 2. Join the points and look again.")),
        mistake(_pair(0.0, 2.0, 0.01), N_(
            "at x = 0 and x = 2 the slope is still +1, not 0. The sign of f′ changes between 0 "
            "and 0.5, and between 1.5 and 2: where in between does your sketch cross zero?")),
        mistake(_pair(0.5, 1.5, 0.01), N_(
            "at x = 0.5 and x = 1.5 the slope is already −1.25, not 0. The sign of f′ changes "
            "between 0 and 0.5, and between 1.5 and 2: where in between does your sketch cross "
            "zero?")),
        mistake(_pair(*ZEROS_OF_F), ZEROS_OF_F_Q2),
        mistake(_pair(0.0, ZEROS_OF_F[1]), ZEROS_OF_F_Q2),
        mistake(_pair(0.0, ZEROS_OF_F[0]), ZEROS_OF_F_Q2),
    ],
    otherwise=N_("not where f′ crosses zero. On your sketch, find where the joined points cross "
                 "the line f′ = 0 (there are two such x); or, on the graph of f, where the curve "
                 "is flat."),
    hints=[
        N_("In the table, f′ changes sign twice: between x = 0 and 0.5, and between x = 1.5 and "
           "2. Your sketch crosses zero somewhere in each interval."),
        N_("Join the points with straight lines: from (0, 1) to (0.5, −1.25) the line reaches 0 "
           "at 0 + 0.5 · 1/2.25. The graph of f agrees: it is flat at its hump and its dip."),
    ],
    solution=N_("# Join the points: from (0, 1) to (0.5, -1.25) the line crosses 0 at\n"
             "# 0 + 0.5 * 1 / 2.25 = 0.22; from (1.5, -1.25) to (2, 1) at 2 - 0.22 = 1.78.\n"
             "crossings_q2 = [0.2, 1.8]"),
    explanation=N_("f′(x) = 3x² − 6x + 1 = 0 at x = 1 ± √(2/3) ≈ 0.18 and 1.82; straight lines "
                   "through the table give 0.22 and 1.78, the same to one decimal."),
    praise=N_("f′ crosses zero at x = 1 ± √(2/3) ≈ 0.18 and 1.82, the roots of 3x² − 6x + 1. "
              "Your sketch is a U-shaped parabola, lowest at x = 1 (f′ = −2): f rises until "
              "0.18 (its hump), falls until 1.82 (its dip), then rises again. f′ > 0 where f "
              "rises, f′ < 0 where it falls, f′ = 0 where it turns; the derivative of a cubic "
              "is a quadratic."),
)

# --------------------------------------------------------------------------- q3: float32 step
# The best delta_x for the central difference of the sigmoid near x = 1 — in float32, as on a
# GPU. At x = 1 alone the float32 error jumps from step to step by rounding luck (so a best
# power of ten there was a fluke), so error_q3 is the typical error: the root-mean-square error
# over 401 points near 1. Section 6's formula h* = (3ε|f|/|f‴|)^(1/3) predicts it, with the
# function's factor.

EPS32 = float(np.finfo(np.float32).eps)
X_Q3 = np.linspace(0.98, 1.02, 401).astype(np.float32)  # 401 float32 points near x = 1
steps_q3 = np.logspace(-4, -1, 25)  # 1e-4 … 1e-1, eight steps per factor of ten


def sigmoid(x):
    """The logistic sigmoid σ(x) = 1 / (1 + e^(−x))."""
    return 1 / (1 + np.exp(-x))


def dsigmoid(x):
    """Its exact derivative σ′ = σ(1 − σ)."""
    s = sigmoid(x)
    return s * (1 - s)


def d3sigmoid(x):
    """Its exact third derivative σ‴ = σ′(1 − 6σ + 6σ²) (zero at x ≈ ±1.32)."""
    s = sigmoid(x)
    return s * (1 - s) * (1 - 6 * s + 6 * s**2)


def central32(f, x, delta_x):
    """The central difference computed entirely in float32 (single precision, as on GPUs)."""
    x, h = np.asarray(x, dtype=np.float32), np.float32(delta_x)
    return (f(x + h) - f(x - h)) / (np.float32(2) * h)


_EXACT_Q3 = dsigmoid(X_Q3.astype(np.float64))


def _error_q3(delta_x):
    with np.errstate(all="ignore"):
        err = central32(sigmoid, X_Q3, float(delta_x)).astype(np.float64) - _EXACT_Q3
    return float(np.sqrt(np.mean(err**2)))


def error_q3(delta_x):
    """The typical error of the float32 central difference of σ near x = 1 with this delta_x:
    the root-mean-square error over 401 points between 0.98 and 1.02. A list or array of steps
    gives an array of errors."""
    if np.ndim(delta_x) > 0:
        return np.array([_error_q3(h) for h in np.ravel(delta_x)])
    return _error_q3(delta_x)


_ERRORS_Q3 = error_q3(steps_q3)
_K = int(np.argmin(_ERRORS_Q3))
BEST_Q3 = float(steps_q3[_K])                       # measured: 10**-1.875 ≈ 0.0133
BELOW_Q3, ABOVE_Q3 = float(steps_q3[_K - 1]), float(steps_q3[_K + 1])
_F1, _F3 = float(sigmoid(1.0)), abs(float(d3sigmoid(1.0)))
FACTOR_Q3 = (3 * _F1 / _F3) ** (1 / 3)             # the function's factor, ≈ 4.0
PREDICTED_Q3 = EPS32 ** (1 / 3) * FACTOR_Q3         # worst-case round-off: ≈ 0.0195
ROUNDOFF_Q3 = error_q3(1e-4) * 1e-4 / (EPS32 * _F1)  # typical round-off / worst case, ≈ 0.23
TYPICAL_Q3 = ROUNDOFF_Q3 ** (1 / 3) * PREDICTED_Q3  # the formula with the typical round-off


# What the check says (module constants, so the tests can name the message they expect).
NOT_POSITIVE_Q3 = N_("a step has to be positive: the central difference divides by 2·delta_x.")
NOT_SMALL_Q3 = N_("delta_x = {h:g} is not a small step; the steps to try are in steps_q3, from "
                  "1e-4 to 1e-1.")
UNDERFLOW_Q3 = N_("delta_x = {h:g} is below the smallest float32 (about 1e-45): in float32 it "
                  "rounds to 0, and the central difference divides by zero.")
TOO_SMALL_Q3 = N_("too small for float32: round-off dominates there (error_q3 = {err:.2g} at "
                  "{h:.2g}, against {best_err:.2g} at the best step of steps_q3). With about 7 "
                  "significant digits, f(x + Δx) and f(x − Δx) share most of them, and the "
                  "subtraction leaves mostly rounding noise.")
TOO_LARGE_Q3 = N_("too large: truncation error (∝ Δx²) dominates there (error_q3 = {err:.2g} at "
                  "{h:.2g}, against {best_err:.2g} at the best step of steps_q3). Try smaller "
                  "steps and watch the error fall, then rise again.")


class StepExercise(NumberExercise):
    """The best float32 step: named mistakes first, then the measured error at the step given."""

    def judge(self, answer):
        h = read_number(answer, self.var, self.example)
        if self.tolerance.close(h, self.expected):
            return Msg(self.praise, **self.praise_fields)
        match_mistakes(h, self.mistakes, self.tolerance)
        if h <= 0:
            raise Wrong(NOT_POSITIVE_Q3)
        if h >= 1:
            raise Wrong(NOT_SMALL_Q3, h=h)
        if np.float32(h) == 0:
            raise Wrong(UNDERFLOW_Q3, h=h)
        fields = {"h": h, "err": error_q3(h), "best_err": _ERRORS_Q3[_K]}
        if h < self.expected:
            raise Wrong(TOO_SMALL_Q3, **fields)
        raise Wrong(TOO_LARGE_Q3, **fields)


def _exponent_of_a_step(h):
    """-1.875 or 1.875 for 10**-1.875: a log10 given instead of the step (integers 1 to 4 are
    caught as positions in steps_q3 first)."""
    return -4.0 <= h <= -1.0 or (1.0 <= h <= 4.0 and not float(h).is_integer())


q3 = StepExercise(
    "best_delta_x_q3", BEST_Q3, significant(2), example="1e-3",
    mistakes=[
        mistake(_near(BELOW_Q3), N_(
            "{below:.3g} is the step just below the best one: error_q3 is {err:.2g} there, "
            "against {best_err:.2g} one step up. (If you rounded the best step to two decimals, "
            "give two significant digits instead.)"),
            below=BELOW_Q3, err=float(_ERRORS_Q3[_K - 1]), best_err=float(_ERRORS_Q3[_K])),
        mistake(_near(ABOVE_Q3), N_(
            "{above:.3g} is the step just above the best one: error_q3 is {err:.2g} there, "
            "against {best_err:.2g} one step down."),
            above=ABOVE_Q3, err=float(_ERRORS_Q3[_K + 1]), best_err=float(_ERRORS_Q3[_K])),
        mistake(_near(PREDICTED_Q3, 0.06), N_(
            "that is the prediction of section 6's formula, (3ε₃₂|σ(1)|/|σ‴(1)|)^(1/3) ≈ "
            "{predicted:.2g}: a good start. Now measure: which step of steps_q3 gives the "
            "smallest error_q3?"), predicted=PREDICTED_Q3),
        mistake(EPS32 ** (1 / 3), N_(
            "that is ε₃₂^(1/3), the rule of thumb without the function's factor "
            "(3|σ(1)|/|σ‴(1)|)^(1/3). Measure: which step of steps_q3 gives the smallest "
            "error_q3?")),
        mistake(1e-4, N_(
            "1e-4 is the safe default in float64, not in float32: error_q3(1e-4) = {err:.1g}, "
            "round-off (about ε₃₂/delta_x) already dominates."), err=float(_ERRORS_Q3[0])),
        mistake(_near(float(_ERRORS_Q3[_K]), 0.05), N_(
            "that is the smallest error, not the step that gives it: min(steps_q3, "
            "key=error_q3) returns the step.")),
        mistake(lambda h: 3e-7 <= h <= 3e-5, N_(
            "that is about the best step in float64 (ε^(1/3) ≈ 6e-6), but this is float32: its "
            "machine epsilon ε₃₂ ≈ 1.2e-7 is half a billion times larger, so round-off takes "
            "over at much larger steps. The steps to try are in steps_q3.")),
        mistake(lambda h: float(h).is_integer() and 1 <= h < len(steps_q3), N_(
            "that looks like a position in steps_q3 (np.argmin returns an index) or an "
            "exponent, not a step: give the step itself, steps_q3[i].")),
        mistake(_exponent_of_a_step, N_(
            "that looks like an exponent: give the step itself, e.g. 10**-2.5 ≈ 0.0032, not "
            "its exponent.")),
    ],
    sign_slip=False,
    hints=[
        N_("Predict: h_star = (3 * eps32 * sigmoid(1.0) / abs(d3sigmoid(1.0))) ** (1 / 3) with "
           "eps32 = np.finfo(np.float32).eps. Then measure error_q3(h) for every h in "
           "steps_q3."),
        N_("min(steps_q3, key=error_q3) gives the step with the smallest error; compare it with "
           "your prediction."),
    ],
    solution=N_("eps32 = np.finfo(np.float32).eps\n"
             "h_star = (3 * eps32 * sigmoid(1.0) / abs(d3sigmoid(1.0))) ** (1 / 3)  # ≈ 0.0195\n"
             "best_delta_x_q3 = min(steps_q3, key=error_q3)  # ≈ 0.0133"),
    explanation=N_("the smallest typical error is at 10**-1.875 ≈ 0.0133; the worst-case "
                   "formula predicts 0.0195, and with the typical round-off (about a quarter of "
                   "the worst case) it predicts 0.012."),
    praise=N_("the typical float32 error is smallest at delta_x ≈ {best:.2g} (error {err:.2g}). "
              "Section 6's formula explains it. With every rounding at its worst it predicts "
              "h* = (3ε₃₂|σ(1)|/|σ‴(1)|)^(1/3) = {predicted:.2g}; the typical rounding error here "
              "is about {ratio:.2f} of the worst (error_q3 at 1e-4 shows it), and with that the "
              "formula gives {typical:.2g}, next to the measured {best:.2g}. The rule of thumb "
              "ε₃₂^(1/3) = {cube:.1g} misses the function's factor (3|σ(1)|/|σ‴(1)|)^(1/3) ≈ "
              "{factor:.1f}: σ‴(1) is small, so truncation is weak and longer steps pay off. "
              "The float64 default {default} leaves an error of {err4:.0e} here, about 3 "
              "correct digits: in float32 take larger steps, or check gradients in float64 "
              "(lesson 07)."),
    praise_fields={"best": BEST_Q3, "err": float(_ERRORS_Q3[_K]), "predicted": PREDICTED_Q3,
                   "ratio": ROUNDOFF_Q3, "typical": TYPICAL_Q3, "cube": EPS32 ** (1 / 3),
                   "factor": FACTOR_Q3, "err4": float(error_q3(default_step("central"))),
                   "default": step_text(default_step("central"))},
)

# --------------------------------------------------------------------------- q4: a kink
# Leaky ReLU at its kink: the central difference returns the average of the two slopes.

ALPHA_Q4 = 0.1


def leaky_relu(x):
    """x for x > 0, 0.1·x otherwise: slope 1 on the right, 0.1 on the left."""
    return np.where(x > 0, x, ALPHA_Q4 * x)


# What the check says (module constants, so the tests can name the message they expect).
UNDEFINED_TEXT_Q4 = N_("true, leaky ReLU has no derivative at 0. But numerical_derivative still "
                       "returns a number there: give that number (try it, or reason it out).")
UNDEFINED_NAN_Q4 = N_("true, there is no derivative at 0, but the central difference still returns "
                      "an ordinary number there: which one?")


class KinkExercise(NumberExercise):
    """A number, but "undefined" (as text or NaN) is half right and says so."""

    def judge(self, answer):
        if isinstance(answer, str):
            raise Wrong(UNDEFINED_TEXT_Q4)
        if isinstance(answer, numbers.Real) and not isinstance(answer, bool) \
                and math.isnan(float(answer)):
            raise Wrong(UNDEFINED_NAN_Q4)
        return super().judge(answer)


q4 = KinkExercise(
    "kink_q4", 0.55, decimals(2), example="0.25",
    mistakes=[
        mistake(_near(0.5, 1e-6), N_(
            "0.5 is plain ReLU's answer (slopes 0 and 1). Leaky ReLU's left slope is 0.1.")),
        mistake(1.0, N_(
            "1 is the slope on the right: what the forward difference returns. The central "
            "difference looks both ways.")),
        mistake(0.1, N_(
            "0.1 is the slope on the left: what the backward difference returns. The central "
            "difference looks both ways.")),
        mistake(1.1, N_(
            "1.1 is the sum of the two slopes; the central difference divides by 2Δx, so it "
            "averages them.")),
        mistake(0.0, N_(
            "0 is not it: the function rises on both sides of 0, so no difference quotient there "
            "is 0.")),
        mistake(0.45, N_(
            "0.45 = (1 − 0.1)/2: check the sign of f(−Δx) = −0.1·Δx; subtracting it adds.")),
    ],
    otherwise=N_("not what the central difference returns at 0. Write out "
                 "(f(Δx) − f(−Δx)) / (2Δx) with f(Δx) = Δx and f(−Δx) = −0.1·Δx."),
    hints=[
        N_("Write the central difference at 0 by hand: f(Δx) = Δx on the right, "
           "f(−Δx) = −0.1·Δx on the left."),
        N_("(Δx − (−0.1·Δx)) / (2Δx): simplify, or run numerical_derivative(leaky_relu, 0.0)."),
    ],
    solution=N_("kink_q4 = numerical_derivative(leaky_relu, 0.0)  # 0.55"),
    explanation=N_("(Δx − (−0.1·Δx)) / (2Δx) = 1.1 / 2 = 0.55, the average of the two slopes."),
    praise=N_("(f(Δx) − f(−Δx)) / (2Δx) = (Δx + 0.1·Δx) / (2Δx) = 0.55: the average of the "
              "slopes on the two sides, 1 and 0.1 — a slope the function has nowhere."),
)

EXERCISES = (q1, q2, q3, q4)


def bind(namespace):
    """The four exercises bound to the notebook: q1, q2, q3, q4 = lesson01.bind(globals())."""
    return _bind(namespace, EXERCISES)
