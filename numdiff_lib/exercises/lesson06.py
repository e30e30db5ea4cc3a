"""Exercises for 06_second_derivatives_and_taylor: gradient and Hessian of exp(x² + 2y²), convexity.

Answers may be numbers (e.g. from numerical_derivative and hessian) or SymPy expressions in x and
y, which are evaluated at the exercise's point. Tolerances follow the quantity: a central first
difference is good to about 1e-8, a second difference only to about 1e-7 and worse with a step
that is too small, so the Hessian is checked more loosely than the gradient.
"""

import math
import numbers

import numpy as np

from . import Exercise, Wrong, expect_close

POINT = (0.5, -0.5)


def f_q(p):
    """The seed exercise's f(x, y) = exp(x² + 2y²), for numerical_derivative and hessian."""
    return np.exp(p[0] ** 2 + 2 * p[1] ** 2)


_X, _Y = POINT
_F = math.exp(_X**2 + 2 * _Y**2)             # f at the point, e^0.75
_DU = np.array([2 * _X, 4 * _Y])             # ∇u for u = x² + 2y²: (1, −2)
_D2U = np.array([[2.0, 0.0], [0.0, 4.0]])    # ∇²u
GRADIENT = _F * _DU                          # ∇f = f·∇u
HESSIAN = _F * (np.outer(_DU, _DU) + _D2U)   # ∇²f = f·(∇u∇uᵀ + ∇²u) = f·[[3, −2], [−2, 8]]

GRAD_RTOL = 1e-6   # central differences give ~1e-9 here; the exact formula gives ~1e-16
HESS_RTOL = 1e-5   # hessian() gives ~1e-7 here; nested numerical_derivative calls ~1e-6
NEAR = 1e-2        # within 1 % but not within tolerance: a step-size problem, not a formula one


def _numbers(answer, name, shape):
    """The answer as a float array; SymPy entries in x and y are evaluated at POINT."""
    if answer is None or isinstance(answer, (str, bool)) or callable(answer):
        raise Wrong(f"{name} should be numbers (or SymPy expressions in x and y), "
                    f"got {type(answer).__name__}.")
    if hasattr(answer, "tolist") and not isinstance(answer, np.ndarray):
        answer = answer.tolist()  # a sympy.Matrix, as sympy.hessian returns
    items = np.array(answer, dtype=object)
    if items.dtype == object and items.size:
        items = np.array([_evaluate(v, name) for v in items.ravel()]).reshape(items.shape)
    try:
        got = np.asarray(items, dtype=float)
    except (TypeError, ValueError) as err:
        raise Wrong(f"{name} should be numbers, got {answer!r}.") from err
    if got.size == math.prod(shape) and got.shape != shape and got.ndim >= 1:
        if shape == (2, 2) and got.shape == (4,):
            raise Wrong(f"{name} has 4 numbers in a row: arrange them as a 2×2 matrix "
                        "[[f_xx, f_xy], [f_yx, f_yy]].")
        got = got.reshape(shape)
    if got.shape != shape:
        what = "two numbers (∂f/∂x, ∂f/∂y)" if shape == (2,) else \
            "a 2×2 matrix [[f_xx, f_xy], [f_yx, f_yy]]"
        extra = ""
        if shape == (2, 2) and got.shape == (2,):
            extra = " Two numbers is the gradient; the Hessian holds the second partials."
        elif shape == (2,) and got.shape == (2, 2):
            extra = " A 2×2 matrix is the Hessian; the gradient holds the first partials."
        raise Wrong(f"{name} should be {what}, got shape {got.shape}.{extra}")
    if not np.all(np.isfinite(got)):
        raise Wrong(f"{name} contains nan or inf: {got.tolist()}.")
    return got


def _evaluate(value, name):
    """One entry as a float: numbers pass, SymPy expressions in x, y are evaluated at POINT."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    free = getattr(value, "free_symbols", None)
    if free is None:
        raise Wrong(f"{name} should hold numbers, got {value!r} ({type(value).__name__}).")
    unknown = sorted(s.name for s in free if s.name not in ("x", "y"))
    if unknown:
        raise Wrong(f"{name} uses the symbol(s) {', '.join(unknown)}; f has only x and y.")
    at = {s: POINT[0] if s.name == "x" else POINT[1] for s in free}
    try:
        return float(value.subs(at))  # subs, not xreplace: a bare symbol becomes a SymPy Float
    except (TypeError, ValueError, AttributeError) as err:
        raise Wrong(f"{name}: could not evaluate {value} at (x, y) = {POINT}.") from err


def _near(got, want, rtol):
    scale = float(np.max(np.abs(want)))
    return np.allclose(got, want, rtol=rtol, atol=rtol * scale)


# --------------------------------------------------------------------------- q1: gradient


def _check_gradient(answer):
    got = _numbers(answer, "grad_q1", (2,))
    if _near(got, GRADIENT, GRAD_RTOL):
        return (f"∇f(0.5, −0.5) = f·(2x, 4y) = e^0.75·(1, −2) = ({GRADIENT[0]:.6f}, "
                f"{GRADIENT[1]:.6f}).")
    if _near(got, GRADIENT, NEAR):
        err = float(np.max(np.abs(got - GRADIENT)) / np.max(np.abs(GRADIENT)))
        raise Wrong(f"close, but off by {err:.1e} (relative): that is the error of a forward "
                    "difference (∝ h) or of a large step. Use the central difference "
                    "(numerical_derivative's default) or the exact formula.")
    expect_close(got, GRADIENT, rtol=GRAD_RTOL, atol=GRAD_RTOL * _F, mistakes=[
        (_F * np.array([1.0, 1.0]), "both partials equal f(0.5, −0.5): the chain rule is "
                                    "missing. d/dx exp(u) = exp(u)·∂u/∂x with u = x² + 2y²."),
        (_DU, "that is ∇u = (2x, 4y) of the exponent u = x² + 2y² alone; the chain rule "
              "multiplies it by exp(u)."),
        (GRADIENT[::-1], "the two entries are swapped: the first is ∂f/∂x, the second ∂f/∂y."),
        (_F * np.array([2 * _X, 2 * _Y]), "∂/∂y of 2y² is 4y, not 2y: ∂f/∂y = 4y·f."),
        (-GRADIENT, "both signs are flipped: ∂f/∂x = 2x·f is positive at x = 0.5 (f > 0), and "
                    "∂f/∂y = 4y·f is negative at y = −0.5."),
    ])


q1 = Exercise(
    "grad_q1", _check_gradient,
    hint="With u = x² + 2y², f = exp(u) and the chain rule gives ∂f/∂x = exp(u)·2x, "
         "∂f/∂y = exp(u)·4y. Or: numerical_derivative(f_q, np.array([0.5, -0.5])).",
    solution=("grad_q1 = numerical_derivative(f_q, np.array([0.5, -0.5])), or exactly "
              f"e^0.75·(1, −2) = ({float(GRADIENT[0])!r}, {float(GRADIENT[1])!r}). "
              "Symbolically: f_x = 2x·exp(x² + 2y²), f_y = 4y·exp(x² + 2y²)."),
)


# --------------------------------------------------------------------------- q2: Hessian


def _check_hessian(answer):
    got = _numbers(answer, "hess_q2", (2, 2))
    if _near(got, HESSIAN, HESS_RTOL):
        return ("H = e^0.75·[[3, −2], [−2, 8]]. Its off-diagonal entries agree, as Schwarz's "
                "theorem says: f_xy = f_yx.")
    if _near(got, HESSIAN, NEAR):
        err = float(np.max(np.abs(got - HESSIAN)) / np.max(np.abs(HESSIAN)))
        raise Wrong(f"close, but off by {err:.1e} (relative). Second differences divide by h², "
                    "so round-off grows like ε/h² (about 2e-16/1e-14 = 0.02 at h = 1e-7): was the "
                    "step too small? Use hessian(f_q, p) with its default step (about 1e-4), or "
                    "the exact formula.")
    scale = float(np.max(np.abs(HESSIAN)))
    if abs(got[0, 1] - got[1, 0]) > HESS_RTOL * scale:
        raise Wrong(f"f_xy = {got[0, 1]:.6g} but f_yx = {got[1, 0]:.6g}. For a smooth f the "
                    "order of differentiation does not matter (Schwarz's theorem): the Hessian "
                    "is symmetric. Recompute the mixed partial ∂/∂y (2x·f).")
    expect_close(got, HESSIAN, rtol=HESS_RTOL, atol=HESS_RTOL * scale, mistakes=[
        (_D2U, "that is the Hessian of the exponent u = x² + 2y² alone; f = exp(u) is not u."),
        (_F * _D2U, "the product rule is half done: ∂/∂x (2x·f) = 2·f + 2x·∂f/∂x, so "
                    "f_xx = (2 + 4x²)·f; the mixed partials are not 0 either."),
        (_F * np.outer(_DU, _DU), "the product rule is half done: ∂/∂x (2x·f) = 2·f + "
                                  "2x·∂f/∂x; the 2·f term (and 4·f in f_yy) is missing."),
        (_F * np.array([[3.0, 0.0], [0.0, 8.0]]), "the mixed partials are not 0: "
                                                  "f_xy = ∂/∂y (2x·f) = 2x·4y·f = 8xy·f."),
        (_F * np.array([[3.0, -1.0], [-1.0, 3.0]]), "∂/∂y of 2y² is 4y, not 2y: f_y = 4y·f, "
                                                    "so f_yy = (4 + 16y²)·f, f_xy = 8xy·f."),
        (-HESSIAN, "every sign is flipped: f_xx = (2 + 4x²)·f and f_yy = (4 + 16y²)·f are "
                   "positive (f curves upwards in x and in y)."),
    ])


q2 = Exercise(
    "hess_q2", _check_hessian,
    hint="Differentiate f_x = 2x·f again with the product rule: f_xx = 2f + 2x·f_x, "
         "f_xy = 2x·f_y. Or: hessian(f_q, np.array([0.5, -0.5])).",
    solution=("hess_q2 = hessian(f_q, np.array([0.5, -0.5])), or exactly "
              "e^0.75·[[3, −2], [−2, 8]]: f_xx = (2 + 4x²)f, f_xy = f_yx = 8xy·f, "
              "f_yy = (4 + 16y²)f. Symbolically: sympy.hessian(sympy.exp(x**2 + 2*y**2), (x, y))."),
)


# --------------------------------------------------------------------------- q3: convexity

_ROOTS = (1 - math.sqrt(6) / 3, 1 + math.sqrt(6) / 3)  # f'(x) = 3x² − 6x + 1 = 0


def _interval(answer):
    """(lo, hi) from a pair, a SymPy Interval or a SymPy inequality such as x > 1."""
    if hasattr(answer, "as_set") and not hasattr(answer, "inf"):
        try:
            answer = answer.as_set()  # x > 1  ->  Interval.open(1, oo)
        except Exception as err:  # noqa: BLE001 — any SymPy failure means "not an inequality"
            raise Wrong(f"could not read {answer} as an interval of x.") from err
    if hasattr(answer, "inf") and hasattr(answer, "sup"):
        try:
            return float(answer.inf), float(answer.sup)
        except (TypeError, ValueError) as err:
            raise Wrong("give one interval (lo, hi), e.g. (2, np.inf).") from err
    if isinstance(answer, numbers.Real) and not isinstance(answer, bool):
        raise Wrong(f"x = {answer:g} is a single point. Give the interval where f is convex "
                    "as (lo, hi), with np.inf for 'no upper end'.")
    try:
        lo, hi = (float(v) for v in answer)
    except (TypeError, ValueError) as err:
        raise Wrong("convex_q3 should be an interval (lo, hi) such as (2, np.inf), or a SymPy "
                    "inequality such as x > 2.") from err
    return lo, hi


def _check_convex(answer):
    lo, hi = _interval(answer)
    if math.isnan(lo) or math.isnan(hi):
        raise Wrong("the interval contains nan.")
    if lo > hi:
        lo, hi = hi, lo
    if math.isclose(lo, 1.0, abs_tol=1e-6) and hi == math.inf:
        return ("f″(x) = 6x − 6 > 0 exactly when x > 1: convex (볼록) for x > 1, concave (오목) "
                "for x < 1, and x = 1 is the inflection point (변곡점).")
    if lo == -math.inf and math.isclose(hi, 1.0, abs_tol=1e-6):
        raise Wrong("that is where f″ < 0: f is concave (오목) there. Convex means f″ > 0: the "
                    "curve bends upwards, like a bowl seen from below.")
    if lo == -math.inf and hi == math.inf:
        raise Wrong("f″(x) = 6x − 6 changes sign at x = 1, so f is not convex everywhere.")
    if all(math.isclose(v, r, abs_tol=1e-3) for v, r in zip((lo, hi), _ROOTS, strict=True)):
        raise Wrong("between the stationary points f′ < 0: f is decreasing there. Convexity is "
                    "about the sign of f″, not of f′.")
    if math.isclose(lo, _ROOTS[1], abs_tol=1e-3) and hi == math.inf:
        raise Wrong("to the right of its local minimum f increases (f′ > 0). Convexity is about "
                    "f″ > 0: where does 6x − 6 become positive?")
    if hi == math.inf:
        raise Wrong(f"the boundary is where f″ changes sign: solve 6x − 6 = 0 (your lower end "
                    f"is {lo:g}).")
    raise Wrong("convex means f″(x) > 0. With f″(x) = 6x − 6, for which x is that true? "
                "(The interval has no upper end: use np.inf.)")


q3 = Exercise(
    "convex_q3", _check_convex,
    hint="f is convex where f″(x) > 0. Differentiate x³ − 3x² + x twice and solve f″(x) > 0.",
    solution="convex_q3 = (1, np.inf): f″(x) = 6x − 6 > 0 for x > 1. (x > 1 as a SymPy "
             "inequality is accepted too.)",
)
