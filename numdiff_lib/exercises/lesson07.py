"""Exercises for 07_gradient_checking: read a check, write a gradient by hand, count evaluations.

In the notebook:  q1, q2, q3 = lesson07.bind(globals())
"""

import math
import sys

import numpy as np

from .. import guard
from ..core import GradCheck, check_gradient
from ..messages import N_, Msg
from . import (
    FunctionExercise,
    NumberExercise,
    Tolerance,
    Wrong,
    decimals,
    mistake,
    read_number,
    shown,
)
from . import bind as _bind

# What the solutions may use: the names the notebook defines before its exercises.
SOLUTION_SETUP = """
import numpy as np
from numdiff_lib import check_gradient, numerical_derivative
from numdiff_lib.exercises.lesson07 import f_q1, grad_q1, x_q1, f_q2, v_q2, W_q2
"""


def _read_only(array):
    # The notebook shares these arrays with the checks: a learner's x_q1[0] = 5 would quietly
    # change the question under the check, so it raises instead.
    array.setflags(write=False)
    return array


# --------------------------------------------------------------------------- q1: read a check
# f_q1(x) = sum(x³) + x0·x1; grad_q1 has a bug (x² where d(x³)/dx = 3x²); the learner measures it.

x_q1 = _read_only(np.array([1.0, -2.0, 0.5]))


def f_q1(x):
    """sum(x³) + x0·x1."""
    return float(np.sum(x ** 3) + x[0] * x[1])


def grad_q1(x):
    """A hand-written gradient of f_q1 — with a bug to find."""
    g = x ** 2  # bug: d/dx x³ is 3x², not x²
    g[0] += x[1]
    g[1] += x[0]
    return g


def _grad_q1_fixed(x):
    g = 3 * x ** 2
    g[0] += x[1]
    g[1] += x[0]
    return g


_CHECK_Q1 = check_gradient(f_q1, grad_q1, x_q1)
_NUM, _ANA = _CHECK_Q1.numerical, _CHECK_Q1.analytic
_DIFF = float(np.linalg.norm(_NUM - _ANA))
# The relative error of a correct gradient is round-off: shown with one significant digit only.
_FINE_Q1 = check_gradient(f_q1, _grad_q1_fixed, x_q1).rel_error


def _near(value, rtol=5e-3):
    """A mistake that matches value to within rtol, whatever digits the learner kept."""
    return lambda got: abs(got - value) <= rtol * abs(value)


class Q1:
    """q1's messages that are not declared mistakes (msgids; the tests compare them)."""

    WHOLE_RESULT = N_("that is the whole result of check_gradient (rel_error, numerical, "
                      "analytic, worst_index); rel_error_q1 is one number in it: its .rel_error.")
    PASSED = N_("{answer} says whether the check passed; rel_error_q1 is the relative error "
                "itself, the number that passed() compares with 1e-7.")


class _RelErrorExercise(NumberExercise):
    """q1: one number, after naming the things that are not the number (the result, a bool)."""

    def judge(self, answer):
        if isinstance(answer, GradCheck):
            raise Wrong(Q1.WHOLE_RESULT)
        if isinstance(answer, (bool, np.bool_)):
            raise Wrong(Q1.PASSED, answer=shown(answer))
        return super().judge(answer)


q1 = _RelErrorExercise(
    "rel_error_q1", _CHECK_Q1.rel_error, decimals(2), example="0.12", sign_slip=False,
    mistakes=[
        mistake(lambda got: got < 0, N_(
            "a relative error is never negative: it divides a length by a sum of lengths.")),
        mistake(lambda got: got < 1e-6, N_(
            "that is what a correct gradient gives (a fixed grad_q1 scores about {fine:.0e}). "
            "Did you check the grad_q1 given with the exercise, at x_q1?"), fine=_FINE_Q1),
        mistake(_near(float(np.max(np.abs(_NUM - _ANA)))), N_(
            "that is the largest absolute difference between the two gradients; the relative "
            "error divides the length of the difference by ‖numerical‖ + ‖analytic‖.")),
        mistake(_near(_DIFF), N_(
            "that is ‖numerical − analytic‖, the length of the difference; the relative error "
            "divides it by ‖numerical‖ + ‖analytic‖.")),
        mistake(_near(_DIFF / np.linalg.norm(_NUM)), N_(
            "that divides by ‖numerical‖ alone; check_gradient divides by ‖numerical‖ + "
            "‖analytic‖, so the number stays between 0 and 1.")),
        mistake(_near(_DIFF / np.linalg.norm(_ANA)), N_(
            "that divides by ‖analytic‖ alone; check_gradient divides by ‖numerical‖ + "
            "‖analytic‖, so the number stays between 0 and 1.")),
        mistake(_near(float(np.max(np.abs(_NUM - _ANA) / np.maximum(np.abs(_NUM),
                                                                     np.abs(_ANA))))), N_(
            "that is the largest element-wise relative error, CS231n's measure; the question "
            "asks for check_gradient's norm-based rel_error.")),
        mistake(lambda got: abs(got - 100 * _CHECK_Q1.rel_error) <= 0.5, N_(
            "that looks like a percentage; give rel_error as check_gradient reports it, a "
            "number between 0 and 1.")),
    ],
    otherwise=N_("not the relative error of grad_q1 at x_q1 yet. Run the check on the given "
                 "function, gradient and point, and read its .rel_error."),
    hints=[
        N_("check_gradient(f, grad_f, x) returns a result; its .rel_error is the number. Here f "
           "is f_q1, the gradient to check is grad_q1 and the point is x_q1."),
        N_("result = check_gradient(f_q1, grad_q1, x_q1), then rel_error_q1 = result.rel_error. "
           "Compare it with the bars 1e-7 and 1e-4."),
    ],
    solution="rel_error_q1 = check_gradient(f_q1, grad_q1, x_q1).rel_error",
    explanation=N_("about 0.45 (0.4548): far above 1e-4, so grad_q1 is wrong. The worst entry "
                   "is index 1, numerical 13 against analytic 5: grad_q1 uses x² where "
                   "d(x³)/dx = 3x²."),
    praise=N_("rel_error = {value:.4f}, far above 1e-4: grad_q1 is wrong. The worst entry is "
              "index 1 (numerical 13, analytic 5): grad_q1 uses x² where d(x³)/dx = 3x²."),
    praise_fields={"value": _CHECK_Q1.rel_error},
)


# --------------------------------------------------------------------------- q2: by hand
# f_q2(W) = sum((W @ v)²) for a 2×3 matrix W; the learner writes its gradient, 2·(W v) vᵀ, as a
# formula: a grad_q2 that evaluates f (a numerical gradient, the referee itself) is refused.

v_q2 = _read_only(np.array([1.0, -2.0, 0.5]))
W_q2 = _read_only(np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]]))
# A second point, so that a function ignoring its argument (returning the gradient at W_q2) fails.
_W_Q2_OTHER = _read_only(np.array([[-1.2, 0.4, 0.9], [0.7, -2.1, 1.3]]))
# A third, larger one: a finite difference of a retyped f loses digits to round-off in
# proportion to |f|/Δx, so even Δx = 1e-2 shows there (a formula keeps all ~16 digits).
_W_Q2_LARGE = _read_only(1000 * _W_Q2_OTHER)
_FORMULA_DIGITS = 1e-13  # a formula in any order of operations stays within a few ulps


def f_q2(W):
    """sum((W @ v_q2)²) for a 2×3 matrix W."""
    return float(np.sum((W @ v_q2) ** 2))


_f_q2 = f_q2  # the original, for the checks (the name f_q2 is wrapped while grad_q2 runs)


def _grad_q2_exact(W):
    return 2 * np.outer(W @ v_q2, v_q2)


def _same(got, want):
    return bool(np.allclose(got, want, rtol=1e-6, atol=1e-9))


class Q2:
    """q2's messages (msgids), named so that the tests can tell which one a check gave."""

    RAISED = N_("grad_q2(W) raised {error}. Try it yourself on W_q2: grad_q2(W_q2).")
    RETURNED_F = N_("grad_q2 returned a value of f_q2, one number; the gradient has one entry "
                    "per element of W: shape (2, 3).")
    EVALUATES_F = N_("grad_q2 evaluated f_q2 (number of calls for one gradient: {calls}). "
                     "Values of f are what a numerical gradient is made of, the referee this "
                     "exercise checks against; the gradient by hand is a formula in W and v_q2 "
                     "and needs no value of f.")
    CALLS_LIBRARY = N_("grad_q2 calls numdiff_lib ({name}): that computes a numerical gradient, "
                       "the referee this exercise checks against. Write the formula in W and "
                       "v_q2 by hand.")
    CHANGED_W = N_("grad_q2 changed the W it was given (an in-place operation such as W *= 2 or "
                   "W[0] = ...). In training that would move the weights behind your back; "
                   "compute with new arrays (2 * W, W @ v_q2) instead.")
    NONE = N_("grad_q2(W) returned None: is the `return` missing?")
    ONE_NUMBER = N_("grad_q2(W) returned one number, {answer}; the gradient has one entry per "
                    "element of W, shape (2, 3).")
    TOO_LARGE = N_("grad_q2(W) returned {size:,} numbers; the gradient has W's shape (2, 3).")
    NOT_NUMBERS = N_("grad_q2(W) should return an array of numbers of W's shape (2, 3), got "
                     "{answer}.")
    TRANSPOSED = N_("grad_q2(W) has shape (3, 2) but W is (2, 3): transposed. A gradient has its "
                    "variable's shape: ∂f/∂W_ij sits where W_ij does.")
    SLOPE_IN_U = N_("that is 2·(W v), the slope of f with respect to u = W v (one number per "
                    "row). The chain rule goes one step further: ∂u_i/∂W_ij = v_j, so "
                    "∂f/∂W_ij = 2·u_i·v_j, a (2, 3) array.")
    SHAPE = N_("grad_q2(W) should have W's shape (2, 3), got {shape}.")
    NOT_FINITE = N_("grad_q2(W) contains NaN or inf; every entry should be a finite number.")
    FINITE_DIFFERENCE = N_("right to about {digits} significant digits at a W whose largest "
                           "entry is {size:g}, not to all ~16: the mark of a finite difference, "
                           "whose round-off grows like ε·|f|/Δx. grad_q2 must not compute "
                           "values of f, even of a copy you typed yourself: write ∂f/∂W_ij as a "
                           "formula in W and v_q2.")
    IGNORES_W = N_("right at W_q2 but not at another W: grad_q2 does not use its argument W (it "
                   "computes with W_q2). The check calls it at other points, as "
                   "check_gradient's nudges do.")
    SIGN = N_("sign error: your gradient points the other way (it is −∇f).")
    HALF = N_("missing factor 2: d(u²)/du = 2u, and your gradient is half the right one.")
    DOUBLE = N_("your gradient is twice too large: one factor of 2 too many.")
    SIGN_HALF = N_("sign error and a missing factor 2: your gradient is −½∇f.")
    TWO_W = N_("that is 2W, the gradient of Σ W_ij²; f squares u = W v, not W. Chain rule: "
               "∂f/∂W_ij = 2·u_i·v_j.")
    OTHERWISE = N_("check_gradient gives relative error {error:.2g} > 1e-7. The worst entry is "
                   "{index}: numerical {numerical:.6g}, yours {yours:.6g}.")
    PRAISE = N_("check_gradient agrees to better than 1e-7 at W_q2 and at another W: "
                "∇f = 2·(W v) vᵀ, the outer product of ∂f/∂u = 2u with v.")


class _Watch:
    """While the learner's grad_q2 runs: f_q2 calls counted, numdiff_lib's core noticed."""

    def __init__(self):
        self.f_calls, self.library = 0, None

    def counted_f(self, W):
        self.f_calls += 1
        return _f_q2(W)

    def profile(self, frame, event, _arg):
        if event == "call" and self.library is None \
                and frame.f_globals.get("__name__") == "numdiff_lib.core":
            self.library = frame.f_code.co_name


def _learner_gradient(answer, W):
    """grad_q2(W) on a private copy of W, with f_q2 wrapped and counted while it runs.

    f_q2 is replaced by a counting wrapper in this module and, when the learner's function
    reads it from there, in the notebook's namespace; a profile hook notices numdiff_lib's
    numerical code (numerical_derivative of a hand-made f). Both are restored afterwards.
    """
    watch, arg = _Watch(), W.copy()
    namespaces = [vars(sys.modules[__name__])]
    learner_globals = getattr(answer, "__globals__", None)
    if isinstance(learner_globals, dict) and learner_globals.get("f_q2") is _f_q2:
        namespaces.append(learner_globals)
    for namespace in namespaces:
        namespace["f_q2"] = watch.counted_f
    previous = sys.getprofile()
    sys.setprofile(watch.profile)
    try:
        result = answer(arg)
    except (KeyboardInterrupt, guard.TimeLimit):
        raise
    except BaseException as err:  # noqa: BLE001 — the learner's function, reported not raised
        raise Wrong(Q2.RAISED, error=guard.error_text(err, 200)) from None
    finally:
        sys.setprofile(previous)
        for namespace in namespaces:
            namespace["f_q2"] = _f_q2
    if watch.f_calls and np.ndim(result) == 0:
        raise Wrong(Q2.RETURNED_F)
    if watch.f_calls:
        raise Wrong(Q2.EVALUATES_F, calls=watch.f_calls)
    if watch.library is not None:
        raise Wrong(Q2.CALLS_LIBRARY, name=watch.library)
    if not np.array_equal(arg, W):
        raise Wrong(Q2.CHANGED_W)
    return result


def _as_gradient(result):
    if result is None:
        raise Wrong(Q2.NONE)
    if isinstance(result, (int, float, np.number)) and not isinstance(result, bool):
        raise Wrong(Q2.ONE_NUMBER, answer=shown(result))
    size = getattr(result, "size", None)
    if isinstance(size, int) and size > 10_000 or isinstance(result, (list, tuple)) \
            and len(result) > 10_000:
        raise Wrong(Q2.TOO_LARGE, size=size if isinstance(size, int) else len(result))
    try:
        return np.asarray(result, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise Wrong(Q2.NOT_NUMBERS, answer=shown(result)) from None


def _judge_grad_q2(answer):
    for k, W in enumerate((W_q2, _W_Q2_OTHER)):
        got = _as_gradient(_learner_gradient(answer, W))
        want = _grad_q2_exact(W)
        if got.shape == (3, 2):
            raise Wrong(Q2.TRANSPOSED)
        if got.shape == (2,) and _same(got, 2 * W @ v_q2):
            raise Wrong(Q2.SLOPE_IN_U)
        if got.shape != (2, 3):
            raise Wrong(Q2.SHAPE, shape=got.shape)
        if not np.all(np.isfinite(got)):
            raise Wrong(Q2.NOT_FINITE)
        res = check_gradient(_f_q2, lambda _W, got=got: got, W)
        if res.passed(1e-7):
            continue
        if k == 1 and _same(got, _grad_q2_exact(W_q2)):
            raise Wrong(Q2.IGNORES_W)
        for factor, message in ((-1, Q2.SIGN), (0.5, Q2.HALF), (2, Q2.DOUBLE),
                                (-0.5, Q2.SIGN_HALF)):
            if _same(got, factor * want):
                raise Wrong(message)
        if _same(got, 2 * W):
            raise Wrong(Q2.TWO_W)
        i = res.worst_index
        raise Wrong(Q2.OTHERWISE, error=res.rel_error, index=i,
                    numerical=float(res.numerical[i]), yours=float(res.analytic[i]))
    _refuse_finite_differences(answer)
    return Msg(Q2.PRAISE)


def _refuse_finite_differences(answer):
    """A gradient right to 1e-7 but not to all digits was computed from values of some f."""
    for W in (W_q2, _W_Q2_OTHER, _W_Q2_LARGE):
        got = _as_gradient(_learner_gradient(answer, W))
        want = _grad_q2_exact(W)
        if got.shape != want.shape or not np.all(np.isfinite(got)):
            raise Wrong(Q2.SHAPE if got.shape != want.shape else Q2.NOT_FINITE, shape=got.shape)
        deviation = float(np.max(np.abs(got - want)) / np.max(np.abs(want)))
        if deviation > _FORMULA_DIGITS:
            raise Wrong(Q2.FINITE_DIFFERENCE, digits=max(1, round(-np.log10(deviation))),
                        size=float(np.max(np.abs(W))))


q2 = FunctionExercise(
    "grad_q2", _judge_grad_q2, template_probe=lambda func: func(W_q2.copy()),
    hints=[
        N_("Let u = W @ v_q2 (2 numbers), so f = u₀² + u₁². How does f change with u_i, and how "
           "does u_i change with W_ij? Multiply the two (the chain rule)."),
        N_("∂f/∂u_i = 2·u_i and ∂u_i/∂W_ij = v_j, so ∂f/∂W_ij = 2·u_i·v_j: an outer product, "
           "np.outer(a, b)[i, j] = a[i]·b[j], of W's shape (2, 3)."),
    ],
    solution="def grad_q2(W):\n    return 2 * np.outer(W @ v_q2, v_q2)",
    explanation=N_("with u = W v: ∂f/∂W_ij = ∂f/∂u_i · ∂u_i/∂W_ij = 2·u_i·v_j, the outer "
                   "product 2·(W v) vᵀ, shape (2, 3) like W."),
)


# --------------------------------------------------------------------------- q3: count
# Central differences on a 784-100-10 network: 2n loss evaluations.

_N_Q3 = 784 * 100 + 100 + 100 * 10 + 10  # 79,510 parameters
_N_LESSON = 784 * 50 + 50 + 50 * 10 + 10  # the lesson's 784-50-10 network: 39,760
_NO_BIAS = 784 * 100 + 100 * 10
_BIASES = N_("you left out a bias: b1 (100 numbers) and b2 (10) are parameters too, each "
             "nudged twice.")


class Q3:
    """q3's messages that are not declared mistakes (msgids; the tests compare them)."""

    TUPLE = N_("{answer} is a tuple: in Python a comma separates values. Write the number "
               "without commas, e.g. 12345 or 12_345.")
    WHOLE = N_("evaluations come whole: give an integer, not {answer}.")


class _CountExercise(NumberExercise):
    """q3: a whole number; a comma typed as a thousands separator makes a tuple."""

    def judge(self, answer):
        if isinstance(answer, tuple) and answer and all(
                isinstance(a, int) and not isinstance(a, bool) for a in answer):
            raise Wrong(Q3.TUPLE, answer=shown(answer))
        got = read_number(answer, self.var, self.example)
        if got != math.floor(got):
            raise Wrong(Q3.WHOLE, answer=shown(answer))
        return super().judge(got)


q3 = _CountExercise(
    "evals_q3", 2 * _N_Q3, Tolerance(atol=0.0, rtol=0.0), example="1234", sign_slip=False,
    mistakes=[
        mistake(_N_Q3, N_(
            "that is n, the number of parameters; central differences evaluate the loss twice "
            "per parameter (at x + h and at x − h).")),
        mistake(_N_Q3 + 1, N_(
            "that is the count for forward differences (n + 1 evaluations); the question asks "
            "for central ones.")),
        mistake(2 * _N_Q3 + 1, N_(
            "central differences never need the loss at x itself: only at x + h and x − h, "
            "2 per parameter.")),
        mistake(2 * _NO_BIAS, N_(
            "you left out the biases b1 (100) and b2 (10): they are parameters too.")),
        mistake(_NO_BIAS, N_(
            "that counts the weights only, once each: add the biases, and central differences "
            "need 2 evaluations per parameter.")),
        mistake(2 * (_N_Q3 - 100), _BIASES),
        mistake(2 * (_N_Q3 - 10), _BIASES),
        mistake(2 * _N_LESSON, N_(
            "that is the lesson's 784-50-10 network; this one has 100 hidden units.")),
        mistake(_N_LESSON, N_(
            "that is n for the lesson's 784-50-10 network; this one has 100 hidden units, and "
            "central differences need 2 evaluations per parameter.")),
        mistake(2 * (784 + 100 + 10), N_(
            "that counts units (neurons), not parameters: every weight joins two units, so W1 "
            "alone has 784 × 100 entries.")),
        mistake(784 + 100 + 10, N_(
            "that counts units (neurons), not parameters: every weight joins two units, so W1 "
            "alone has 784 × 100 entries.")),
        mistake(2 * 784 * 100 * 10, N_(
            "that multiplies the layer sizes; the weight matrices are 784×100 and 100×10: add "
            "their entries (and the biases).")),
        mistake(784 * 100 * 10, N_(
            "that multiplies the layer sizes; the weight matrices are 784×100 and 100×10: add "
            "their entries (and the biases).")),
    ],
    otherwise=N_("not the count yet: add up the entries of W1 (784×100), b1, W2 (100×10) and "
                 "b2, then multiply by the loss evaluations one central difference needs."),
    hints=[
        N_("Count the parameters first: W1 is 784×100, b1 has 100, W2 is 100×10, b2 has 10. "
           "How many loss evaluations does one central difference need?"),
        N_("n = 78,400 + 100 + 1,000 + 10; central differences evaluate the loss at x + h and "
           "at x − h for every one of them."),
    ],
    solution="evals_q3 = 2 * (784 * 100 + 100 + 100 * 10 + 10)",
    explanation=N_("n = 78,400 + 100 + 1,000 + 10 = 79,510 parameters, two loss evaluations "
                   "each: 159,020 forward passes for one gradient. Backprop: one forward and "
                   "one backward pass."),
    praise=N_("n = 79,510 parameters and two evaluations each: 159,020 forward passes for one "
              "numerical gradient, against one forward and one backward pass for backprop."),
)

EXERCISES = (q1, q2, q3)


def bind(namespace):
    """q1, q2, q3 bound to the notebook's namespace: q1, q2, q3 = lesson07.bind(globals())."""
    return _bind(namespace, EXERCISES)
