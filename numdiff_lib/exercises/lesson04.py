"""Exercises for 04_gradient_descent: how many steps lr = 0.1 needs, one step by hand on an
elongated bowl, and the largest learning rate that converges on another elongated bowl.

In the notebook:  q1, q2, q3 = lesson04.bind(globals())

None of the answers is on screen before its check: the lesson derives x_k = (1 − 2η)^k·x_0 and
η < 2/λ_max, and the exercises apply them to numbers the lesson does not print.
"""

import math

import numpy as np

from ..messages import N_
from . import ArrayExercise, NumberExercise, Tolerance, decimals, mistake
from . import bind as _bind

INIT_X = (-3.0, 4.0)  # the seed's start, 5 away from the minimum (0, 0)


def function_2(x):
    """The seed lecture's round bowl x0² + x1² (04_gradient_descent, section 2)."""
    return x[0] ** 2 + x[1] ** 2


def h_q2(x):
    """The elongated bowl of exercise 2, x0² + 3·x1² (04_gradient_descent)."""
    return x[0] ** 2 + 3 * x[1] ** 2


def g_q3(x):
    """The elongated bowl of exercise 3, x0² + 5·x1² (04_gradient_descent)."""
    return x[0] ** 2 + 5 * x[1] ** 2


# What the solutions may use: the names the notebook defines before its exercises.
SOLUTION_SETUP = """
import numpy as np
from numdiff_lib import gradient_descent, numerical_derivative
from numdiff_lib.exercises.lesson04 import function_2

init_x = np.array([-3.0, 4.0])
"""

# --------------------------------------------------------------------------- q1: how many steps
# With lr = 0.1 every step multiplies x by c = 1 − 2·lr = 0.8, so ‖x_k‖ = 0.8^k · 5. The first
# k with ‖x_k‖ < 10⁻³ is the first whole number above ln(5000) / ln(1.25) ≈ 38.17: 39.

LR_Q1, GOAL_Q1 = 0.1, 1e-3
_C = 1 - 2 * LR_Q1
_START = math.hypot(*INIT_X)
_K_REAL = math.log(_START / GOAL_Q1) / math.log(1 / _C)   # 38.17
STEPS_Q1 = math.ceil(_K_REAL)                             # 39


def _distance(k, c=_C, start=_START):
    return start * abs(c) ** k


def _steps(c, start=_START, goal=GOAL_Q1):
    return math.ceil(math.log(start / goal) / math.log(1 / abs(c)))


def _whole(got):
    return abs(got - round(got)) < 1e-9


_SMALL_LR = math.log(_START / GOAL_Q1) / (2 * LR_Q1)     # 42.6: ln(1/c) taken as 2·lr
_SHORTCUT_MSG = N_(
    "that uses ln(1/c) ≈ 2·lr, the shortcut of section 5. It holds for a tiny lr such as 1e-10, "
    "not for lr = 0.1: use ln(1/0.8) = ln 1.25 ≈ 0.223 itself.")

q1 = NumberExercise(
    "steps_q1", STEPS_Q1, Tolerance(atol=1e-9, rtol=0.0), example="25",
    mistakes=[
        mistake(STEPS_Q1 - 1, N_(
            "after {k} steps the point is still {dist:.3g} from the minimum, just above 10⁻³. "
            "Solving 0.8^k · 5 < 10⁻³ gives k above a number with decimals: round up, not "
            "down. (And if you measured the start by x1 = 4 alone: (−3, 4) is ‖(−3, 4)‖ = 5 "
            "from the minimum.)"),
            k=STEPS_Q1 - 1, dist=_distance(STEPS_Q1 - 1)),
        mistake(STEPS_Q1 + 1, N_(
            "one step more than needed: the step before already ends within 10⁻³. If you "
            "counted len(result.history): the history holds the start too, one point more "
            "than the steps.")),
        mistake(_steps(_C**2, _START**2), N_(
            "that many steps bring the loss f(x) = ‖x‖² below 10⁻³. The question asks for "
            "the distance: ‖x‖ < 10⁻³, which is f(x) < 10⁻⁶.")),
        mistake(math.ceil(_SMALL_LR), _SHORTCUT_MSG),
        mistake(_steps(1 - LR_Q1), N_(
            "that uses the factor 1 − lr = 0.9 per step. The gradient of x0² + x1² is 2x, so "
            "each step multiplies x by 1 − 2·lr = 0.8.")),
        mistake(_steps(_C, abs(INIT_X[0])), N_(
            "that measures the start by x0 = −3 alone; the point (−3, 4) is ‖(−3, 4)‖ = 5 "
            "from the minimum, and both coordinates shrink by the same factor.")),
        mistake(_steps(LR_Q1), N_(
            "that uses lr itself as the factor per step. Each step multiplies x by "
            "c = 1 − 2·lr = 0.8 (section 3).")),
        mistake(20, N_(
            "20 is the lesson's step_num: after 20 steps the point is still {dist:.2g} from "
            "the minimum, far above 10⁻³."), dist=_distance(20)),
        mistake(lambda got: got <= 0, N_(
            "the number of steps is positive: the run starts 5 away from the minimum and "
            "needs some steps to come within 10⁻³.")),
        mistake(lambda got: _SMALL_LR - 0.6 < got < _SMALL_LR + 0.5 and not _whole(got),
                _SHORTCUT_MSG),
        mistake(lambda got: STEPS_Q1 - 1 < got < STEPS_Q1, N_(
            "right where 0.8^k · 5 crosses 10⁻³, but steps come whole: give the first whole "
            "number of steps above it.")),
        mistake(lambda got: not _whole(got), N_(
            "the number of steps is a whole number: find the k where 0.8^k · 5 drops below "
            "10⁻³, then round up to the next whole number.")),
        mistake(lambda got: got > STEPS_Q1, N_(
            "that many steps get there, but fewer do too: the question asks for the smallest "
            "number of steps.")),
        mistake(lambda got: got < STEPS_Q1, N_(
            "not enough: after that many steps ‖x‖ = 0.8^k · 5 is still above 10⁻³.")),
    ],
    sign_slip=False,  # −39 steps is not a slip; "positive" is said above
    otherwise=N_("not the number of steps yet: each step multiplies x by 0.8, so after k "
                 "steps ‖x‖ = 0.8^k · 5. Find the smallest whole k with 0.8^k · 5 < 10⁻³."),
    hints=[
        N_("Section 3: each step multiplies x by the same factor c = 1 − 2·lr, so after k steps "
           "the distance to the minimum is |c|^k times the starting distance ‖(−3, 4)‖ = 5."),
        N_("Solve 0.8^k · 5 < 10⁻³ for k with logarithms (ln 0.8 is negative: the inequality "
           "turns round) and round up to a whole number of steps. Or run "
           "gradient_descent(function_2, init_x, lr=0.1, step_num=k) for a few k and look at "
           "np.linalg.norm(result.x)."),
    ],
    solution=N_("steps_q1 = int(np.ceil(np.log(5 / 1e-3) / np.log(1 / 0.8)))  # k > 38.17"),
    explanation=N_("each step multiplies x by c = 1 − 2·0.1 = 0.8, so ‖x_k‖ = 0.8^k · 5. "
                   "0.8^k · 5 < 10⁻³ means k > ln(5000) / ln(1.25) ≈ 38.17, and the first whole "
                   "number above it is 39. A run confirms it: step_num=38 ends 1.04×10⁻³ from "
                   "(0, 0), step_num=39 ends 8.3×10⁻⁴ from it."),
    praise=N_("{k} steps: after {before} steps the point is still {d_before:.3g} from the "
              "minimum, after {k} it is {d_k:.2g}. With lr = 0.1 each step removes only a fifth "
              "of the remaining distance, so every further factor of 10 in accuracy costs "
              "ln 10 / ln 1.25 ≈ {per_digit:.1f} more steps."),
    praise_fields={"k": STEPS_Q1, "before": STEPS_Q1 - 1, "d_before": _distance(STEPS_Q1 - 1),
                   "d_k": _distance(STEPS_Q1), "per_digit": math.log(10) / math.log(1 / _C)},
)

# --------------------------------------------------------------------------- q2: one step by hand
# One step on h(x) = x0² + 3x1² from (−3, 4) with lr = 0.25:
# ∇h = (2·x0, 6·x1) = (−6, 24), so x − 0.25·∇h = (−3 + 1.5, 4 − 6) = (−1.5, −2).

LR_Q2 = 0.25
_X = np.array(INIT_X)


def _grad_h(x):
    return np.array([2 * x[0], 6 * x[1]])


_GRAD = _grad_h(_X)
_ONE_STEP = _X - LR_Q2 * _GRAD

q2 = ArrayExercise(
    "x_q2", _ONE_STEP, decimals(2),
    mistakes=[
        mistake(_X + LR_Q2 * _GRAD, N_(
            "you moved uphill: that is x + lr·∇h(x). Gradient descent subtracts: "
            "x ← x − lr·∇h(x).")),
        mistake(_X - LR_Q2 * np.array([_X[0], 3 * _X[1]]), N_(
            "you used ∇h = (x0, 3·x1); the derivative of x0² is 2·x0 and that of 3x1² is "
            "6·x1 (power rule).")),
        mistake(_X - LR_Q2 * np.array([2 * _X[0], 3 * _X[1]]), N_(
            "the x1 part is off: the derivative of 3x1² is 3·2·x1 = 6·x1 (power rule), not "
            "3·x1, so ∂h/∂x1 at x1 = 4 is 24.")),
        mistake(_X - LR_Q2 * 2 * _X, N_(
            "you forgot the 3: that is one step on the round bowl x0² + x1². For "
            "h = x0² + 3x1² the x1 part of the gradient is 6·x1.")),
        mistake(LR_Q2 * _GRAD, N_(
            "that is the step lr·∇h(x), not the new point: subtract it from x.")),
        mistake(-LR_Q2 * _GRAD, N_(
            "that is the move −lr·∇h(x); the new point is x plus this move.")),
        mistake(_GRAD, N_(
            "that is the gradient ∇h(−3, 4); now take x − lr·∇h(x) with lr = 0.25.")),
        mistake(_X - _GRAD, N_(
            "the learning rate is missing: x − ∇h(x) is a step with lr = 1. Multiply the "
            "gradient by lr = 0.25 first.")),
        mistake(_X - 0.1 * _GRAD, N_(
            "you used lr = 0.1, the lesson's learning rate; this exercise uses lr = 0.25.")),
        mistake(_X - 0.1 * 2 * _X, N_(
            "that is the first step of the lesson's run (x0² + x1², lr = 0.1). This exercise "
            "uses h = x0² + 3x1² and lr = 0.25.")),
        mistake(_ONE_STEP - LR_Q2 * _grad_h(_ONE_STEP), N_(
            "that is two steps; take just one.")),
        mistake(_ONE_STEP[::-1], N_(
            "the coordinates are swapped: give x_q2 = (x0, x1), the new x0 first.")),
        mistake(np.array([_ONE_STEP[0], _X[1]]), N_(
            "only x0 moved: one step moves both coordinates at once, each by −lr times its "
            "own partial derivative.")),
        mistake(np.array([_X[0], _ONE_STEP[1]]), N_(
            "only x1 moved: one step moves both coordinates at once, each by −lr times its "
            "own partial derivative.")),
    ],
    otherwise=N_("not x − 0.25·∇h(x) at (−3, 4) yet. Compute the two partial derivatives of "
                 "h = x0² + 3x1² at (−3, 4), then move each coordinate by −0.25 times its own."),
    hints=[
        N_("Differentiate each term: ∂h/∂x0 comes from x0², ∂h/∂x1 from 3x1². Evaluate both at "
           "(−3, 4), then take x − lr·∇h(x) with lr = 0.25."),
        N_("∇h = (2·x0, 6·x1), which is (−6, 24) at (−3, 4). The new point is "
           "(−3, 4) − 0.25·(−6, 24)."),
    ],
    solution="x_q2 = np.array([-3.0, 4.0]) - 0.25 * np.array([2 * -3.0, 6 * 4.0])",
    explanation=N_("∇h(−3, 4) = (2·(−3), 6·4) = (−6, 24), so x − 0.25·∇h = (−3 + 1.5, 4 − 6) = "
                   "(−1.5, −2)."),
    praise=N_("∇h(−3, 4) = (−6, 24), so x ← (−3, 4) − 0.25·(−6, 24) = (−1.5, −2). The step did "
              "not aim at the minimum (0, 0): x0 halved while x1 overshot from 4 to −2, because "
              "the bowl is three times steeper along x1. On an elongated bowl the gradient does "
              "not point at the minimum."),
)

# --------------------------------------------------------------------------- q3: the bound on lr
# g(x) = x0² + 5x1²: ∇g = (2·x0, 10·x1), so x0 ← (1 − 2·lr)·x0 and x1 ← (1 − 10·lr)·x1.
# Both factors must lie in (−1, 1): 0 < lr < 1 and 0 < lr < 0.2, so η_max = 2/λ_max = 0.2.

CURVATURES_Q3 = (2.0, 10.0)  # g's curvatures along x0 and x1 (its Hessian's diagonal)
LR_MAX_Q3 = 2 / max(CURVATURES_Q3)
_BEST_FIXED = 2 / sum(CURVATURES_Q3)  # 1/6: |1 − 2·lr| = |1 − 10·lr|, both shrink equally

_BEST_FIXED_MSG = N_(
    "1/6 ≈ 0.167 is the best fixed lr: it makes |1 − 2·lr| = |1 − 10·lr|, so both "
    "coordinates shrink equally fast. The question asks for the bound: the lr at which "
    "descent stops converging.")

q3 = NumberExercise(
    "lr_max_q3", LR_MAX_Q3, Tolerance(atol=0.0, rtol=1e-6), example="0.125",
    mistakes=[
        mistake(1.0, N_(
            "lr < 1 keeps x0 converging (its factor is 1 − 2·lr, as on the round bowl), but x1 "
            "has the factor 1 − 10·lr, which passes −1 much earlier. Every coordinate must "
            "converge.")),
        mistake(1 / max(CURVATURES_Q3), N_(
            "0.1 makes the x1 factor 1 − 10·lr zero: it is the best lr for x1 alone (x1 lands "
            "on 0 in one step). The bound is where that factor reaches −1.")),
        mistake(1 / min(CURVATURES_Q3), N_(
            "0.5 is the best lr for x0 alone (1 − 2·lr = 0). The bound comes from the steeper "
            "direction, x1, whose factor is 1 − 10·lr.")),
        mistake(_BEST_FIXED, _BEST_FIXED_MSG),
        mistake(2 / 5, N_(
            "that takes 5 as the curvature of 5x1². Its derivative is 10·x1 (power rule), so "
            "the curvature is 10 and the x1 factor is 1 − 10·lr, not 1 − 5·lr.")),
        mistake(max(CURVATURES_Q3), N_(
            "10 is the largest curvature λ_max itself (the second derivative of 5x1²); the "
            "learning rate must stay below 2/λ_max.")),
        mistake(lambda got: got <= 0, N_(
            "a learning rate is positive, and so is its upper bound.")),
        mistake(lambda got: abs(got - _BEST_FIXED) <= 5e-3, _BEST_FIXED_MSG),
        mistake(lambda got: _BEST_FIXED < got < LR_MAX_Q3, N_(
            "that lr converges, but slightly larger ones do too: the bound is the lr at which "
            "the x1 factor 1 − 10·lr reaches −1 exactly.")),
        mistake(lambda got: LR_MAX_Q3 < got < 1, N_(
            "with an lr this large the x1 factor 1 − 10·lr is below −1: x1 flips sign and "
            "grows every step, so the run diverges. The bound is smaller.")),
    ],
    sign_slip=False,  # a negative bound gets the "positive" message above
    otherwise=N_("not the bound yet: write one step coordinate by coordinate as x_i ← c_i·x_i "
                 "and find the largest lr for which every |c_i| < 1."),
    hints=[
        N_("Write one step of x ← x − lr·∇g(x) for g = x0² + 5x1² coordinate by coordinate: "
           "x0 ← c0·x0 and x1 ← c1·x1. The run converges when |c0| < 1 and |c1| < 1."),
        N_("∇g = (2·x0, 10·x1), so c0 = 1 − 2·lr and c1 = 1 − 10·lr. As lr grows, which "
           "factor reaches −1 first, and at which lr?"),
    ],
    solution=N_("lr_max_q3 = 2 / 10  # 2 / λ_max: the x1 factor 1 − 10·lr reaches −1 at lr = 0.2"),
    explanation=N_("∇g = (2·x0, 10·x1), so one step multiplies x0 by 1 − 2·lr and x1 by "
                   "1 − 10·lr. Both must lie between −1 and 1: 0 < lr < 1 for x0 and "
                   "0 < lr < 0.2 for x1, so η_max = 0.2 = 2/λ_max with λ_max = 10."),
    praise=N_("η_max = 2/λ_max = 2/10 = 0.2: the steepest direction (x1, curvature 10) sets the "
              "bound. Just below it, x1 zigzags with a factor near −1 while x0 shrinks by only "
              "1 − 2·0.2 = 0.6 per step: no single lr suits both directions, which is why "
              "elongated bowls are slow for gradient descent."),
)

EXERCISES = (q1, q2, q3)


def bind(namespace):
    """q1, q2, q3 bound to the notebook's namespace: q1, q2, q3 = lesson04.bind(globals())."""
    return _bind(namespace, EXERCISES)
