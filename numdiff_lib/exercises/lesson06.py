"""Exercises for 06_second_derivatives_and_taylor: gradient and Hessian of exp(x² + 2y²), concavity.

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


# --------------------------------------------------------------------------- q3: concavity

# The bell curve f(x) = exp(−x²/2): f″(x) = (x² − 1)·exp(−x²/2), concave for −1 < x < 1,
# convex outside, inflection points at ±1 (one standard deviation from the mean).
_GAUSS_EXP_X2 = 1 / math.sqrt(2)   # the inflection points of exp(−x²) instead


def _as_set(answer):
    """The answer as a SymPy set of x: from a pair (lo, hi), a SymPy set or an inequality."""
    import sympy  # here, not at import time: only this check needs SymPy

    if isinstance(answer, sympy.Basic) and hasattr(answer, "as_set") \
            and not isinstance(answer, sympy.Set):
        names = {s.name for s in answer.free_symbols}
        if names - {"x"}:
            raise Wrong(f"use the symbol x only (got {', '.join(sorted(names))}).")
        try:
            return answer.as_set()  # -1 < x < 1, abs(x) < 1, x**2 < 1  ->  Interval.open(-1, 1)
        except Exception as err:  # noqa: BLE001 — any SymPy failure means "not an inequality"
            raise Wrong(f"could not read {answer} as a set of x.") from err
    if isinstance(answer, sympy.Set):
        return answer
    if isinstance(answer, numbers.Real) and not isinstance(answer, bool):
        raise Wrong(f"x = {answer:g} is a single point. Give the interval where f is concave "
                    "as (lo, hi).")
    try:
        lo, hi = (float(v) for v in answer)
    except (TypeError, ValueError) as err:
        raise Wrong("concave_q3 should be an interval (lo, hi) such as (-3, 3), or a SymPy "
                    "inequality such as abs(x) < 3.") from err
    if math.isnan(lo) or math.isnan(hi):
        raise Wrong("the interval contains nan.")
    lo, hi = min(lo, hi), max(lo, hi)
    return sympy.Interval(_endpoint(lo), _endpoint(hi))


def _endpoint(value):
    import sympy

    if math.isinf(value):
        return sympy.oo if value > 0 else -sympy.oo
    return sympy.Float(value)


def _ends(interval):
    return float(interval.inf), float(interval.sup)


def _is(interval, lo, hi, tol=1e-6):
    got_lo, got_hi = _ends(interval)
    return all(g == w if math.isinf(w) else math.isclose(g, w, abs_tol=tol)
               for g, w in ((got_lo, lo), (got_hi, hi)))


def _check_concave(answer):
    import sympy

    region = _as_set(answer)
    if isinstance(region, sympy.Union):
        pieces = [p for p in region.args if isinstance(p, sympy.Interval)]
        if len(pieces) == 2 and _is(pieces[0], -math.inf, -1) and _is(pieces[1], 1, math.inf):
            raise Wrong("that is where f″ > 0: f is convex (볼록) there, bending upwards. "
                        "Concave (오목) means f″ < 0.")
        raise Wrong("f is concave on one interval: give a single (lo, hi).")
    if not isinstance(region, sympy.Interval):
        raise Wrong(f"could not read {region} as one interval (lo, hi).")
    if _is(region, -1, 1):
        return ("f″(x) = (x² − 1)·exp(−x²/2) < 0 exactly when −1 < x < 1: concave (오목) "
                "there, convex (볼록) outside, with inflection points (변곡점) at x = ±1, one "
                "standard deviation from the mean. That is where the bell is steepest.")
    lo, hi = _ends(region)
    if _is(region, -_GAUSS_EXP_X2, _GAUSS_EXP_X2, 1e-3):
        raise Wrong("±1/√2 are the inflection points of exp(−x²). Here the exponent is −x²/2: "
                    "redo f″ with u = −x²/2, u′ = −x.")
    if _is(region, -math.inf, 0, 1e-6) or _is(region, 0, math.inf, 1e-6):
        raise Wrong("that is where f rises (or falls): the sign of f′ = −x·exp(−x²/2). "
                    "Concavity is about the sign of f″.")
    if _is(region, -math.inf, -1, 1e-3) or _is(region, 1, math.inf, 1e-3):
        raise Wrong("f is convex there (f″ > 0), and that is only one side. Concave means "
                    "f″ < 0.")
    if math.isinf(lo) and math.isinf(hi):
        raise Wrong("f″ changes sign, so the bell is not concave everywhere: it bends upwards "
                    "again in its tails.")
    if _is(region, 0, 1, 1e-3) or _is(region, -1, 0, 1e-3):
        raise Wrong("only half of it: f is even, f(−x) = f(x), so the region where it is "
                    "concave is symmetric about 0.")
    if math.isclose(lo, -hi, abs_tol=1e-6) and hi > 0:
        raise Wrong(f"symmetric, good, but the ends are where f″ = 0: solve (x² − 1)·"
                    f"exp(−x²/2) = 0 (your ends are ±{hi:g}).")
    raise Wrong("concave means f″(x) < 0. Differentiate exp(−x²/2) twice (product and chain "
                "rules) and find where the result is negative.")


q3 = Exercise(
    "concave_q3", _check_concave,
    hint="f′(x) = −x·exp(−x²/2) by the chain rule; differentiate again with the product rule. "
         "exp(…) is always positive, so only the sign of the polynomial factor matters. You can "
         "check the sign with second_derivative at a few points.",
    solution="concave_q3 = (-1, 1): f″(x) = (x² − 1)·exp(−x²/2) < 0 for −1 < x < 1. "
             "(The SymPy inequality abs(x) < 1 is accepted too.) "
             "Check: sympy.diff(sympy.exp(-x**2/2), x, 2).",
)
