"""Exercises for 07_gradient_checking: read a check, write a gradient, count the evaluations."""

import math
import numbers

import numpy as np

from ..core import check_gradient
from . import Exercise, Wrong

# --------------------------------------------------------------------------- q1
# f_q1(x) = sum(x**3) + x[0]*x[1]; grad_q1 has a bug the learner is asked to measure.
x_q1 = np.array([1.0, -2.0, 0.5])


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


def _rel_error_q1():
    return check_gradient(f_q1, grad_q1, x_q1).rel_error


def _check_rel_error(answer):
    if hasattr(answer, "rel_error") and hasattr(answer, "passed"):
        raise Wrong("that is the whole GradCheck result; set rel_error_q1 = result.rel_error "
                    "(one number).")
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        raise Wrong(f"rel_error_q1 should be one number (the relative error), got {answer!r}.")
    got, want = float(answer), _rel_error_q1()
    if math.isclose(got, want, rel_tol=1e-2):
        return (f"the relative error is {want:.3g}, far above 1e-4: grad_q1 is wrong. The worst "
                "entry is the x³ term: its derivative is 3x², and grad_q1 uses x².")
    fine = check_gradient(f_q1, _grad_q1_fixed, x_q1).rel_error
    if got < 1e-6:
        # fine is round-off: one significant digit, so the shown feedback is reproducible.
        raise Wrong(f"{got:.3g} is what a correct gradient gives (a fixed grad_q1 scores about "
                    f"{fine:.0e}). Did you check grad_q1 itself: "
                    "check_gradient(f_q1, grad_q1, x_q1)?")
    res = check_gradient(f_q1, grad_q1, x_q1)
    if math.isclose(got, float(np.max(np.abs(res.numerical - res.analytic))), rel_tol=1e-2):
        raise Wrong("that is the largest absolute difference; the relative error divides the "
                    "norm of the difference by ||numerical|| + ||analytic||: use .rel_error.")
    raise Wrong(f"{got:.3g} is not the relative error check_gradient reports; run "
                "check_gradient(f_q1, grad_q1, x_q1) and read .rel_error.")


q1 = Exercise(
    "rel_error_q1", _check_rel_error,
    hint="result = check_gradient(f_q1, grad_q1, x_q1); the number is result.rel_error. "
         "Compare it with the bars 1e-7 and 1e-4.",
    solution="rel_error_q1 = check_gradient(f_q1, grad_q1, x_q1).rel_error  (about 0.45): far "
             "above 1e-4, so the gradient is wrong — grad_q1 uses x² where d(x³)/dx = 3x².",
)


# --------------------------------------------------------------------------- q2
# f_q2(W) = sum((W @ v)²) for a 2×3 matrix W; the learner writes its gradient, 2·(W v) vᵀ.
v_q2 = np.array([1.0, -2.0, 0.5])
W_q2 = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]])


def f_q2(W):
    """sum((W @ v_q2)²) for a 2×3 matrix W."""
    return float(np.sum((W @ v_q2) ** 2))


def _check_grad_q2(answer):
    if not callable(answer):
        raise Wrong(f"grad_q2 should be a function of W (def grad_q2(W): ...), got "
                    f"{type(answer).__name__}.")
    rng = np.random.default_rng(7)
    for W in (W_q2, rng.normal(size=(2, 3))):
        try:
            got = np.asarray(answer(W.copy()), dtype=float)
        except Exception as err:  # noqa: BLE001 — the learner's function, reported not raised
            raise Wrong(f"grad_q2(W) raised {type(err).__name__}: {err}") from err
        if got.shape == (3, 2):
            raise Wrong("grad_q2(W) has shape (3, 2) but W is (2, 3): transposed. The gradient "
                        "has W's shape: 2·(W v) vᵀ, i.e. 2 * np.outer(W @ v_q2, v_q2).")
        if got.shape != (2, 3):
            raise Wrong(f"grad_q2(W) should have W's shape (2, 3), got {got.shape}.")
        res = check_gradient(f_q2, answer, W)
        if res.passed(1e-7):
            continue
        num = res.numerical
        for factor, why in ((-1, "sign error: your gradient points the other way (−∇f)."),
                            (0.5, "missing factor 2: d(u²)/du = 2u, and your gradient is half."),
                            (2, "your gradient is twice too large: drop one factor of 2."),
                            (-0.5, "sign error and missing factor 2.")):
            if np.allclose(res.analytic, factor * num, rtol=1e-5, atol=1e-6):
                raise Wrong(f"{why} (relative error {res.rel_error:.2g})")
        raise Wrong(f"check_gradient gives relative error {res.rel_error:.2g} > 1e-7; the worst "
                    f"entry is {res.worst_index}: numerical {num[res.worst_index]:.6g}, yours "
                    f"{res.analytic[res.worst_index]:.6g}.")
    return "check_gradient agrees to < 1e-7 at two points: ∇f = 2·(W v) vᵀ."


q2 = Exercise(
    "grad_q2", _check_grad_q2,
    hint="Let u = W @ v_q2 (2 numbers). f = u0² + u1², ∂f/∂u_i = 2u_i, and ∂u_i/∂W_ij = v_j. "
         "So ∂f/∂W_ij = 2·u_i·v_j: an outer product with W's shape (2, 3).",
    solution="def grad_q2(W):\n    return 2 * np.outer(W @ v_q2, v_q2)",
)


# --------------------------------------------------------------------------- q3
# Central differences on a 784-100-10 network: 2n loss evaluations.
_N_Q3 = 784 * 100 + 100 + 100 * 10 + 10  # 79,510 parameters


def _check_count(answer):
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        raise Wrong(f"evals_q3 should be a whole number, got {answer!r}.")
    if answer != int(answer):
        raise Wrong("evaluations come whole: give an integer.")
    got = int(answer)
    if got == 2 * _N_Q3:
        return (f"n = 784·100 + 100 + 100·10 + 10 = {_N_Q3:,} parameters, and central "
                f"differences evaluate the loss twice per parameter: {2 * _N_Q3:,}.")
    no_bias = 784 * 100 + 100 * 10
    known = {
        _N_Q3: "that is n, the number of parameters; central differences evaluate the loss "
               "twice per parameter (at x + h and x − h).",
        _N_Q3 + 1: "that is forward differences (n + 1); the question asks for central ones.",
        2 * no_bias: "you left out the biases b1 (100) and b2 (10): they are parameters too.",
        no_bias: "that is n without the biases, and central differences need 2 per parameter.",
        2 * (784 * 50 + 50 + 50 * 10 + 10): "that is the 784-50-10 network of the lesson; "
                                            "this one has 100 hidden units.",
    }
    if got in known:
        raise Wrong(known[got])
    raise Wrong(f"{got:,} is not it: count W1 (784×100), b1, W2 (100×10) and b2, then "
                "multiply by the evaluations per parameter.")


q3 = Exercise(
    "evals_q3", _check_count,
    hint="Count the parameters: W1 is 784×100, b1 has 100, W2 is 100×10, b2 has 10. How many "
         "loss evaluations does one central difference need?",
    solution=f"n = 78,400 + 100 + 1,000 + 10 = {_N_Q3:,}; evals_q3 = 2·n = {2 * _N_Q3:,}.",
)
