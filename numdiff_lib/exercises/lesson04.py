"""Exercises for 04_gradient_descent: pick lr, step by hand on an elongated bowl, bound lr."""

import math
import numbers
import warnings

import numpy as np

from ..core import DivergenceWarning, gradient_descent
from . import Exercise, Wrong, expect_close

INIT_X = (-3.0, 4.0)
STEPS = 10          # q1: the learner's lr must get there within this many steps
TARGET = 1e-3       # q1: "there" means ||x|| < TARGET (the minimum is at the origin)


def function_2(x):
    """The seed lecture's x0² + x1²."""
    return x[0] ** 2 + x[1] ** 2


def _number(answer, name):
    """The answer as a float, or Wrong saying what kind of value is expected."""
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        raise Wrong(f"{name} should be a number such as 0.05, got {answer!r} "
                    f"({type(answer).__name__}).")
    value = float(answer)
    if not math.isfinite(value):
        raise Wrong(f"{name} must be a finite number, got {value!r}.")
    return value


# --------------------------------------------------------------------------- q1


def _check_lr(answer):
    lr = _number(answer, "lr_q1")
    if lr == 0:
        raise Wrong("with lr = 0 the update x ← x − 0·∇f(x) never moves: x stays at (−3, 4).")
    if lr < 0:
        raise Wrong(f"a negative lr ({lr:g}) turns the step around: x ← x + |lr|·∇f(x) walks "
                    "uphill, and the loss grows. The learning rate must be positive.")
    with warnings.catch_warnings():  # the feedback explains divergence itself
        warnings.simplefilter("ignore", DivergenceWarning)
        res = gradient_descent(function_2, np.array(INIT_X), lr=lr, step_num=STEPS)
    factor = 1 - 2 * lr
    dist = float(np.linalg.norm(res.x))
    if res.diverged or lr > 1:
        raise Wrong(f"lr = {lr:g} is too large: the run diverged. For x0² + x1² the update is "
                    f"x ← (1 − 2·lr)·x, here x ← {factor:g}·x, so |x| grows whenever "
                    "|1 − 2·lr| > 1. It converges only for 0 < lr < 1.")
    if lr == 1:
        raise Wrong("lr = 1 gives x ← (1 − 2)·x = −x: x bounces between (−3, 4) and (3, −4) "
                    "for ever. Converging needs |1 − 2·lr| < 1, i.e. 0 < lr < 1.")
    if dist < TARGET:
        return (f"lr = {lr:g} reaches ||x|| = {dist:.2g} in {STEPS} steps. Each step multiplies x "
                f"by 1 − 2·lr = {factor:g}; lr = 0.5 lands on (0, 0) in a single step.")
    if lr > 0.5:
        raise Wrong(f"lr = {lr:g} overshoots: each step multiplies x by 1 − 2·lr = {factor:g}, so "
                    f"x flips sign and zigzags across the minimum, and after {STEPS} steps "
                    f"||x|| is still {dist:.3g}. Lower lr towards 0.5.")
    raise Wrong(f"lr = {lr:g} is too small: each step multiplies x by 1 − 2·lr = {factor:g}, "
                f"so after {STEPS} steps ||x|| is still {dist:.3g} (the goal is < {TARGET:g}). "
                "Raise lr towards 0.5.")


q1 = Exercise(
    "lr_q1", _check_lr,
    hint=(f"For x0² + x1² one step is x ← (1 − 2·lr)·x. You need |1 − 2·lr|^{STEPS} · 5 < "
          f"{TARGET:g} (5 = ||(−3, 4)||). Which lr makes 1 − 2·lr small?"),
    solution=("lr_q1 = 0.5: then 1 − 2·lr = 0 and one step lands exactly on (0, 0). Any lr with "
              f"|1 − 2·lr| < (2e-4)^(1/{STEPS}) ≈ 0.43, i.e. 0.29 < lr < 0.71, passes."),
)


# --------------------------------------------------------------------------- q2
# One step by hand on the elongated bowl h(x) = x0² + 3x1², from (−3, 4) with lr = 0.25.
# ∇h = (2·x0, 6·x1) = (−6, 24), so x − 0.25·∇h = (−3 + 1.5, 4 − 6) = (−1.5, −2).

_ONE_STEP = np.array([-1.5, -2.0])


def _check_step(answer):
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError) as err:
        raise Wrong(f"x_q2 should be two numbers such as (-2.0, 3.0), got {answer!r}.") from err
    if got.shape != (2,):
        raise Wrong(f"x_q2 should be the point (x0, x1): two numbers, got shape {got.shape}.")
    expect_close(got, _ONE_STEP, rtol=1e-6, atol=1e-9, mistakes=[
        ((-4.5, 10.0), "you moved uphill: (−4.5, 10) is x + lr·∇h(x). Gradient descent "
                       "subtracts: x ← x − lr·∇h(x)."),
        ((-2.25, 1.0), "you used ∇h = (x0, 3·x1); the derivative of x0² is 2·x0 and that of "
                       "3x1² is 6·x1, so ∇h(−3, 4) = (−6, 24)."),
        ((-1.5, 1.0), "the x1 part is off: the derivative of 3x1² is 6·x1 (power rule: "
                      "3·2·x1), not 3·x1, so ∂h/∂x1 at x1 = 4 is 24."),
        ((-1.5, 2.0), "you forgot the 3: that is one step on the round bowl x0² + x1². For "
                      "h = x0² + 3x1² the x1 part of the gradient is 6·x1 = 24."),
        ((-1.5, 6.0), "that is the step lr·∇h(x), not the new point: subtract it from x."),
        ((1.5, -6.0), "that is the step −lr·∇h(x); the new point is x plus this step."),
        ((-6.0, 24.0), "that is the gradient ∇h(−3, 4) = (−6, 24); now take x − lr·∇h(x)."),
        ((-2.4, 1.6), "you used lr = 0.1, the lesson's learning rate; this exercise uses "
                      "lr = 0.25."),
        ((-2.4, 3.2), "that is one step of the lesson's run (x0² + x1², lr = 0.1). This exercise "
                      "uses h = x0² + 3x1² and lr = 0.25."),
    ])
    return ("∇h(−3, 4) = (−6, 24), so x ← (−3, 4) − 0.25·(−6, 24) = (−1.5, −2). The step did not "
            "aim at the minimum (0, 0): x0 halved while x1 overshot from 4 to −2, because the "
            "bowl is three times steeper along x1. On an elongated bowl the gradient does not "
            "point at the minimum.")


q2 = Exercise(
    "x_q2", _check_step,
    hint="∇(x0² + 3x1²) = (2·x0, 6·x1). Compute ∇h(−3, 4), multiply by lr = 0.25, subtract "
         "from x.",
    solution="∇h(−3, 4) = (2·(−3), 6·4) = (−6, 24); x − 0.25·(−6, 24) = (−3 + 1.5, 4 − 6) = "
             "(−1.5, −2.0), i.e. x_q2 = (-1.5, -2.0).",
)


# --------------------------------------------------------------------------- q3
# g(x) = x0² + 10x1²: x0 ← (1 − 2·lr)·x0 and x1 ← (1 − 20·lr)·x1; both must shrink.


def _check_bound(answer):
    bound = _number(answer, "lr_max_q3")
    if math.isclose(bound, 0.1, rel_tol=1e-3):
        return ("∇g = (2·x0, 20·x1), so one step multiplies x0 by 1 − 2·lr and x1 by 1 − 20·lr. "
                "Both must lie in (−1, 1): 0 < lr < 1 for x0 and 0 < lr < 0.1 for x1, so "
                "lr_max = 0.1. The steepest direction sets the bound (η < 2/λ_max = 2/20), and "
                "then x0 crawls: just below 0.1 its factor is about 0.8 per step.")
    known = [
        (1.0, "lr < 1 keeps x0 in check (factor 1 − 2·lr), but x1 has factor 1 − 20·lr, which "
              "passes −1 much earlier. Every coordinate must converge."),
        (0.05, "lr = 0.05 is the best lr for x1 alone (1 − 20·lr = 0: x1 reaches 0 in one "
               "step). The bound is where the factor 1 − 20·lr reaches −1."),
        (0.5, "lr = 0.5 is the best lr for x0 alone (1 − 2·lr = 0). The bound comes from the "
              "steeper direction x1, whose factor is 1 − 20·lr."),
        (2 / 22, "2/22 ≈ 0.091 is the best fixed lr (it makes |1 − 2·lr| = |1 − 20·lr|, so both "
                 "coordinates shrink equally fast), not the largest that converges."),
        (0.2, "you used 10·x1 as the derivative of 10x1²; it is 20·x1, so the factor is "
              "1 − 20·lr, not 1 − 10·lr."),
        (2.0, "that is 2/1: check the update. ∇g = (2·x0, 20·x1), so x1 ← (1 − 20·lr)·x1."),
    ]
    for value, why in known:
        if math.isclose(bound, value, rel_tol=1e-3):
            raise Wrong(why)
    if bound <= 0:
        raise Wrong("the bound is an upper limit on a positive learning rate; it is > 0.")
    raise Wrong(f"not quite: write one step for each coordinate as x_i ← c_i·x_i and find the "
                f"lr where every |c_i| < 1. (Your {bound:g} is not the bound.)")


q3 = Exercise(
    "lr_max_q3", _check_bound,
    hint="Write one step of x ← x − lr·∇g(x) for g = x0² + 10x1² coordinate by coordinate: "
         "x0 ← c0·x0 and x1 ← c1·x1. It converges when |c0| < 1 and |c1| < 1.",
    solution="∇g = (2·x0, 20·x1), so c0 = 1 − 2·lr and c1 = 1 − 20·lr. |c0| < 1 needs "
             "0 < lr < 1, |c1| < 1 needs 0 < lr < 0.1; both: lr_max_q3 = 0.1 (= 2/λ_max, "
             "λ_max = 20).",
)
