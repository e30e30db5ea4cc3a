"""Exercises for 02_partial_derivatives: a gradient, the int-array pitfall, what a partial means.

In the notebook:  q1, q2, q3 = lesson02.bind(globals())
"""

import numpy as np

from ..messages import N_
from . import ArrayExercise, NumberExercise, decimals, mistake
from . import bind as _bind

# What the solutions may use: the names the notebook defines before its exercises.
SOLUTION_SETUP = """
import numpy as np
from numdiff_lib import numerical_derivative


def function_2(x):
    return x[0]**2 + x[1]**2


def func1(W):
    x = W[0]
    y = W[1]
    return 2*x + 3*x*y + np.power(y, 3)
"""


def seed_loop(f, x):
    """The seed lecture's element walk, computing in the dtype of x (ints truncate)."""
    x = np.array(x)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        x[idx] = float(tmp_val) + 1e-4
        fx1 = f(x)
        x[idx] = tmp_val - 1e-4
        fx2 = f(x)
        grad[idx] = (fx1 - fx2) / (2 * 1e-4)
        x[idx] = tmp_val
    return grad


# --------------------------------------------------------------------------- q1: a gradient
# f(x0, x1) = x0²·x1 + x1³ at (1, −2): ∇f = (2·x0·x1, x0² + 3·x1²) = (−4, 13).
# The point is chosen so that the usual slips all give other gradients (tests check each): at
# the swapped point (−2, 1) it is (−4, 7), in swapped order (13, −4), with the sign slipped
# (4, −13). (At the old point (2, −1), the swapped point gave the same gradient.)

X_Q1 = (1.0, -2.0)


def f_q1(x):
    """x0²·x1 + x1³, the function of exercise 1."""
    return x[0] ** 2 * x[1] + x[1] ** 3


def grad_f_q1(x):
    """Its gradient by hand: (2·x0·x1, x0² + 3·x1²)."""
    return np.array([2 * x[0] * x[1], x[0] ** 2 + 3 * x[1] ** 2], dtype=float)


_A, _B = X_Q1
GRAD_Q1 = grad_f_q1(X_Q1)                     # (−4, 13)
SWAPPED_POINT_Q1 = grad_f_q1(X_Q1[::-1])      # (−4, 7): the gradient at (−2, 1)
SWAPPED_ORDER_Q1 = GRAD_Q1[::-1]              # (13, −4)
SEED_INT_Q1 = seed_loop(f_q1, np.array([1, -2])).astype(float)  # (−10000, 40000)

SWAPPED_POINT = N_("that is the gradient at the swapped point (−2, 1). Here x0 = 1 and x1 = −2, "
                   "so the point is np.array([1.0, -2.0]), in that order.")
SWAPPED_ORDER = N_("the two partials are swapped: grad_q1[0] is ∂f/∂x0 (x1 frozen) and "
                   "grad_q1[1] is ∂f/∂x1 (x0 frozen).")
SIGN_OF_X1 = N_("that is the gradient at (1, 2); the point of exercise 1 is (1, −2), with "
                "x1 negative.")
INT_POINT = N_("that is what the seed loop returns on the integer array np.array([1, -2]): "
               "x + 1e-4 is truncated back to an integer. Use np.array([1.0, -2.0]), or "
               "numdiff_lib's numerical_derivative, which converts.")
FROZEN_FACTOR = N_("check ∂f/∂x0: the derivative of x0²·x1 in x0 is 2·x0·x1, and the frozen "
                   "x1 = −2 stays in it as a factor.")
MISSING_X0_SQUARED = N_("∂f/∂x1 is missing the term from x0²·x1: with x0 frozen at 1 it is "
                        "1·x1, which still changes with x1, so ∂f/∂x1 = x0² + 3·x1².")
POWER_RULE = N_("check ∂f/∂x1: the derivative of x1³ is 3·x1², not 3·x1.")
TYPO_TIMES_3 = N_("that is the gradient of x0²·x1 + 3·x1: check your f for x[1]*3 where "
                  "x[1]**3 is meant.")
TYPO_TIMES_2 = N_("that is the gradient of 2·x0·x1 + x1³: check your f for x[0]*2 where "
                  "x[0]**2 is meant.")
OTHER_FUNCTION = N_("that is the gradient of the lesson's {name} at (1, −2); exercise 1 asks "
                    "about f(x0, x1) = x0²·x1 + x1³: define it as a function of its own first.")

q1 = ArrayExercise(
    "grad_q1", GRAD_Q1, decimals(2),
    mistakes=[
        mistake(SWAPPED_POINT_Q1, SWAPPED_POINT),
        mistake(SWAPPED_ORDER_Q1, SWAPPED_ORDER),
        mistake(grad_f_q1((_A, -_B)), SIGN_OF_X1),
        mistake(SEED_INT_Q1, INT_POINT),
        mistake((2 * _A, GRAD_Q1[1]), FROZEN_FACTOR),              # 2·x0 without the x1
        mistake((GRAD_Q1[0], 3 * _B ** 2), MISSING_X0_SQUARED),
        mistake((GRAD_Q1[0], _A ** 2 + 3 * _B), POWER_RULE),
        mistake((GRAD_Q1[0], _A ** 2 + 3), TYPO_TIMES_3),
        mistake((2 * _B, 2 * _A + 3 * _B ** 2), TYPO_TIMES_2),
        mistake((2 * _A, 2 * _B), OTHER_FUNCTION, name="function_2 = x0² + x1²"),
        mistake((2 + 3 * _B, 3 * _A + 3 * _B ** 2), OTHER_FUNCTION,
                name="func1 = 2x + 3xy + y³"),
    ],
    otherwise=N_("not the gradient of x0²·x1 + x1³ at (1, −2) yet. Check each entry: ∂f/∂x0 "
                 "with x1 frozen at −2, ∂f/∂x1 with x0 frozen at 1."),
    hints=[
        N_("Write the function first: def f_q1(x): return x[0]**2 * x[1] + x[1]**3. Then "
           "numerical_derivative takes the point as one float array, x0 first."),
        N_("numerical_derivative(f_q1, np.array([1.0, -2.0])). By hand: freeze x1 and "
           "differentiate in x0 (2·x0·x1), then freeze x0 and differentiate in x1 "
           "(x0² + 3·x1²)."),
    ],
    solution=("def f_q1(x):\n"
              "    return x[0]**2 * x[1] + x[1]**3\n\n"
              "grad_q1 = numerical_derivative(f_q1, np.array([1.0, -2.0]))"),
    explanation=N_("by hand, ∂f/∂x0 = 2·x0·x1 = 2·1·(−2) = −4 and ∂f/∂x1 = x0² + 3·x1² = "
                   "1 + 12 = 13; the central difference gives both to about 1e-8."),
    praise=N_("∇f(1, −2) = (2·x0·x1, x0² + 3·x1²) = (−4, 13). The order matters: at the swapped "
              "point (−2, 1) the gradient is (−4, 7)."),
)


# --------------------------------------------------------------------------- q2: the int trap
# The seed loop on np.array([5, -2]) for x0² + x1²: 5.0001 → 5 (f = 29), 4.9999 → 4 (f = 20),
# −1.9999 → −1 (f = 26), −2.0001 → −2 (f = 29): [(29 − 20), (26 − 29)] / 0.0002.

X_Q2 = (5, -2)
SEED_INT_Q2 = seed_loop(lambda v: v[0] ** 2 + v[1] ** 2, np.array(X_Q2)).astype(float)

TRUE_GRADIENT = N_("that is the true gradient (2·x0, 2·x1); the seed loop does not get it on "
                   "an integer array. Follow each write into the array.")
FLOOR = N_("NumPy truncates toward zero, not down: −1.9999 is stored as −1 (not −2), and "
           "−2.0001 as −2 (not −3).")
TOWARD_ZERO = N_("−2 + 1e-4 = −1.9999 is truncated toward zero, to −1, not back to −2.")
ROUNDS = N_("storing a float in an integer array truncates (drops the fraction); it does not "
            "round. 4.9999 becomes 4, not 5.")
LESSON_POINT = N_("that is the lesson's example at (3, 4); this one starts at (5, −2).")
DIVIDE_BY_DELTA = N_("the seed loop divides by 2·delta_x = 0.0002, not by delta_x.")
NO_DIVISION = N_("those are the differences f(x+Δ) − f(x−Δ); the loop divides them by "
                 "2·delta_x = 0.0002.")
ORDER_Q2 = N_("right numbers, wrong order: grad[0] belongs to x[0] = 5 and grad[1] to "
              "x[1] = −2.")

q2 = ArrayExercise(
    "seed_int_q2", SEED_INT_Q2, decimals(0),
    mistakes=[
        mistake((10.0, -4.0), TRUE_GRADIENT),
        mistake((45000.0, -25000.0), FLOOR),
        mistake((45000.0, 0.0), TOWARD_ZERO),
        mistake((0.0, 0.0), ROUNDS),
        mistake((25000.0, 35000.0), LESSON_POINT),
        mistake(2 * SEED_INT_Q2, DIVIDE_BY_DELTA),
        mistake(SEED_INT_Q2 * 2e-4, NO_DIVISION),
        mistake(SEED_INT_Q2[::-1], ORDER_Q2),
    ],
    otherwise=N_("not what the seed loop returns yet. Follow each write: which integer is "
                 "stored, what f is there, and the quotient over 2·delta_x = 0.0002."),
    hints=[
        N_("Storing a float in an int array drops the fraction (truncates toward zero): "
           "5.0001 → 5 and 4.9999 → 4. Evaluate x0² + x1² at the stored points."),
        N_("For x[1]: −1.9999 → −1 and −2.0001 → −2, so f is 25 + 1 = 26 and 25 + 4 = 29. Each "
           "partial is (f(up) − f(down)) / 0.0002."),
    ],
    solution="seed_int_q2 = ((29 - 20) / 0.0002, (26 - 29) / 0.0002)",
    explanation=N_("x[0]: 5.0001 → 5 (f = 29) and 4.9999 → 4 (f = 20): (29 − 20) / 0.0002 = "
                   "45000. x[1]: −1.9999 → −1 (f = 26) and −2.0001 → −2 (f = 29): "
                   "(26 − 29) / 0.0002 = −15000. Confirm: seed_numerical_derivative(function_2, "
                   "np.array([5, -2]))."),
    praise=N_("[45000, −15000], where the true gradient is (10, −4). Confirm it with "
              "seed_numerical_derivative(function_2, np.array([5, -2])), and see that "
              "numerical_derivative(function_2, np.array([5, -2])) gives (10, −4)."),
)


# --------------------------------------------------------------------------- q3: both move
# f(x, y) = 2x + 3xy + y³ at (1, 2), x by +0.02 and y by −0.01. The partials (8, 15) predict
# Δf ≈ 8·0.02 + 15·(−0.01) = 0.16 − 0.15 = 0.01; the exact change is 0.009999.


def _f_q3(x, y):
    return 2 * x + 3 * x * y + y ** 3


DX_Q3, DY_Q3 = 0.02, -0.01
PREDICTED_Q3 = 8.0 * DX_Q3 + 15.0 * DY_Q3          # 0.01
EXACT_Q3 = _f_q3(1.02, 1.99) - _f_q3(1.0, 2.0)       # 0.009999

ONLY_X = N_("that counts only the move of x (8 × 0.02); y moves too, by −0.01, and adds "
            "(∂f/∂y)·Δy.")
ONLY_Y = N_("that counts only the move of y (15 × (−0.01)); x moves too, by 0.02, and adds "
            "(∂f/∂x)·Δx.")
DY_SIGN = N_("y moves from 2 to 1.99, so Δy = −0.01: its contribution is negative.")
BOTH_SIGNS = N_("sign: Δx = 1.02 − 1 = +0.02 and Δy = 1.99 − 2 = −0.01.")
SAME_MOVE = N_("that uses the same move for both variables; Δx = 0.02 and Δy = −0.01.")
MOVES_SWAPPED = N_("the moves are swapped: Δx = 0.02 goes with ∂f/∂x = 8, and Δy = −0.01 with "
                   "∂f/∂y = 15.")
VALUE_NOT_CHANGE = N_("that is about f(1.02, 1.99) itself; the question asks for the change "
                      "f(1.02, 1.99) − f(1, 2), which the partials predict without computing "
                      "either.")
PARTIALS_ADDED = N_("that adds or subtracts the partials themselves; multiply each by how far "
                    "its variable moves, then add: (∂f/∂x)·Δx + (∂f/∂y)·Δy.")

q3 = NumberExercise(
    "change_q3", PREDICTED_Q3, decimals(3), example="0.123",
    mistakes=[
        mistake(8 * DX_Q3, ONLY_X),
        mistake(15 * DY_Q3, ONLY_Y),
        mistake(8 * DX_Q3 - 15 * DY_Q3, DY_SIGN),
        mistake(-PREDICTED_Q3, BOTH_SIGNS),
        mistake(8 * 0.01 + 15 * 0.01, SAME_MOVE),
        mistake(8 * 0.01 - 15 * 0.01, SAME_MOVE),
        mistake(8 * 0.02 - 15 * 0.02, SAME_MOVE),
        mistake(8 * -DY_Q3 + 15 * DX_Q3, MOVES_SWAPPED),
        mistake(8 * DY_Q3 + 15 * DX_Q3, MOVES_SWAPPED),
        mistake(8 * -DY_Q3 - 15 * DX_Q3, MOVES_SWAPPED),
        mistake(_f_q3(1.02, 1.99), VALUE_NOT_CHANGE),
        mistake(23.0, PARTIALS_ADDED),
        mistake(7.0, PARTIALS_ADDED),
        mistake(-7.0, PARTIALS_ADDED),
    ],
    sign_slip=False,  # −0.01 is a named mistake above
    otherwise=N_("not the predicted change yet. Use Δf ≈ (∂f/∂x)·Δx + (∂f/∂y)·Δy, with the "
                 "partials at (1, 2) and Δx, Δy how far each variable moves."),
    hints=[
        N_("Each partial is a rate: near (1, 2), f changes about 8 times as much as x, and "
           "about 15 times as much as y. When both move, add the two effects."),
        N_("Δf ≈ 8·Δx + 15·Δy with Δx = 1.02 − 1 and Δy = 1.99 − 2. Mind the sign of Δy."),
    ],
    solution="change_q3 = 8 * 0.02 + 15 * (-0.01)",
    explanation=N_("8 × 0.02 + 15 × (−0.01) = 0.16 − 0.15 = 0.01 (0.010 to three decimals). The "
                   "exact change f(1.02, 1.99) − f(1, 2) is 0.009999. It is small because the "
                   "step (0.02, −0.01) is nearly at right angles to ∇f = (8, 15): it runs "
                   "almost along a contour line."),
    praise=N_("Δf ≈ 8 × 0.02 + 15 × (−0.01) = 0.16 − 0.15 = 0.01. Now compute the exact change, "
              "func1(np.array([1.02, 1.99])) − func1(np.array([1.0, 2.0])) = {exact:.6f}: the "
              "two moves almost cancel, because the step (0.02, −0.01) is nearly at right "
              "angles to ∇f = (8, 15) and so runs almost along a contour line."),
    praise_fields={"exact": EXACT_Q3},
)

EXERCISES = (q1, q2, q3)


def bind(namespace):
    """q1, q2, q3 bound to the notebook's namespace: q1, q2, q3 = lesson02.bind(globals())."""
    return _bind(namespace, EXERCISES)
