"""Exercises for 04_gradient_descent: pick lr, take one step by hand, find the bound on lr."""

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

_ONE_STEP = np.array([-2.4, 3.2])  # x − 0.1·2x = 0.8·x


def _check_step(answer):
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError) as err:
        raise Wrong(f"x_q2 should be two numbers such as (-2.0, 3.0), got {answer!r}.") from err
    if got.shape != (2,):
        raise Wrong(f"x_q2 should be the point (x0, x1): two numbers, got shape {got.shape}.")
    expect_close(got, _ONE_STEP, rtol=1e-6, atol=1e-9, mistakes=[
        ((-3.6, 4.8), "you moved uphill: (−3.6, 4.8) is x + lr·∇f(x). Gradient descent "
                      "subtracts: x ← x − lr·∇f(x)."),
        ((-2.7, 3.6), "you used ∇f(x) = x; the derivative of x0² is 2·x0, so ∇f(−3, 4) = (−6, 8)."),
        ((-3.3, 4.4), "you moved uphill and used ∇f = x: the gradient is 2x = (−6, 8), and the "
                      "step goes against it."),
        ((-0.6, 0.8), "that is the step lr·∇f(x), not the new point: subtract it from x."),
        ((0.6, -0.8), "that is the step −lr·∇f(x); the new point is x plus this step."),
        ((-6.0, 8.0), "that is the gradient ∇f(−3, 4) = (−6, 8); now take x − lr·∇f(x)."),
    ])


q2 = Exercise(
    "x_q2", _check_step,
    hint="∇(x0² + x1²) = (2·x0, 2·x1). Compute ∇f(−3, 4), multiply by lr = 0.1, subtract from x.",
    solution="∇f(−3, 4) = (−6, 8); x − 0.1·(−6, 8) = (−3 + 0.6, 4 − 0.8) = (−2.4, 3.2), "
             "i.e. x_q2 = (-2.4, 3.2) — the same as 0.8·x.",
)


# --------------------------------------------------------------------------- q3


def _check_bound(answer):
    bound = _number(answer, "lr_max_q3")
    if math.isclose(bound, 0.2, rel_tol=1e-3):
        return ("the gradient of 5x0² + 5x1² is 10x, so x ← (1 − 10·lr)·x; |1 − 10·lr| < 1 "
                "means 0 < lr < 0.2. A steeper bowl needs a smaller learning rate.")
    known = [
        (1.0, "lr < 1 is the bound for x0² + x1² (gradient 2x). Here the gradient is 10x."),
        (0.1, "lr = 0.1 is the best lr here (1 − 10·lr = 0: one step to the minimum). The bound "
              "is where the factor 1 − 10·lr reaches −1."),
        (0.4, "you used a gradient of 5x: the derivative of 5x0² is 10·x0."),
        (2.0, "that is 2/1: check the update. ∇(5x0² + 5x1²) = 10x, so x ← (1 − 10·lr)·x."),
    ]
    for value, why in known:
        if math.isclose(bound, value, rel_tol=1e-3):
            raise Wrong(why)
    if bound <= 0:
        raise Wrong("the bound is an upper limit on a positive learning rate; it is > 0.")
    raise Wrong(f"not quite: write one step as x ← c·x and find where |c| < 1. "
                f"(Your {bound:g} is not the bound.)")


q3 = Exercise(
    "lr_max_q3", _check_bound,
    hint="Write one step of x ← x − lr·∇g(x) for g = 5x0² + 5x1² as x ← c·x; it converges when "
         "|c| < 1.",
    solution="∇g = 10x, so x ← (1 − 10·lr)·x; −1 < 1 − 10·lr < 1 gives 0 < lr < 0.2: "
             "lr_max_q3 = 0.2.",
)
