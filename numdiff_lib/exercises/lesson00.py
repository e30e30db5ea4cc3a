"""Exercises for 00_index: the loss of a model for one w, and one gradient-descent step.

In the notebook:  q1, q2 = lesson00.bind(globals())
"""

import numpy as np

from ..messages import N_
from . import NumberExercise, decimals, mistake
from . import bind as _bind

# The lesson's tiny dataset: one feature x, target y close to 2x.
x_data = np.array([1.0, 2.0, 3.0, 4.0])
y_data = np.array([2.1, 3.9, 6.2, 7.8])


def predict(w, x):
    """The model ŷ = w·x (wᵀx with a single feature)."""
    return w * x


def loss(w):
    """Mean squared error of ŷ = w·x on the lesson's data (taught in 00_index)."""
    return float(np.mean((predict(w, x_data) - y_data) ** 2))


def slope(w):
    """L′(w) = (2/N)·Σ xᵢ(w·xᵢ − yᵢ), the exact slope of the lesson's loss."""
    return float(2 * np.mean(x_data * (predict(w, x_data) - y_data)))


# What the solutions may use: the names the notebook defines before its exercises.
SOLUTION_SETUP = """
import numpy as np
from numdiff_lib import numerical_derivative
from numdiff_lib.exercises.lesson00 import x_data, y_data, predict, loss
"""

# --------------------------------------------------------------------------- q1: L(1.5)

W_Q1 = 1.5
_err = predict(W_Q1, x_data) - y_data

q1 = NumberExercise(
    "loss_q1", float(np.mean(_err**2)), decimals(2), example="3.14",
    mistakes=[
        mistake(float(np.sum(_err**2)), N_(
            "that is the sum of the squared errors; the mean divides it by the number of "
            "points, N = 4.")),
        mistake(float(np.sqrt(np.mean(_err**2))), N_(
            "that is the root of the mean squared error (RMSE); the loss here is the MSE "
            "itself, without the square root.")),
        mistake(float(np.mean(_err)), N_(
            "that is the mean error, without squaring: positive and negative errors would "
            "cancel. Square each error first.")),
        mistake(float(np.mean(np.abs(_err))), N_(
            "that is the mean absolute error (MAE); the loss here squares the errors.")),
        mistake(float(np.mean(_err**2)) / 2, N_(
            "that is half the MSE (some books use ½·MSE); the loss here is the plain mean.")),
        mistake(float(np.mean(_err) ** 2), N_(
            "that squares the mean error; square each error, then take the mean.")),
        *(mistake(loss(w), N_("that is the loss at w = {w:g}; use w = 1.5."), w=w)
          for w in (0.0, 1.0, 2.0, 3.0)),
    ],
    otherwise=N_("not the mean squared error at w = 1.5. Compute ŷ = 1.5·x for each point, the "
                 "errors ŷ − y, square them and take the mean."),
    hints=[
        N_("ŷ = 1.5·x_data gives one prediction per point; the errors are ŷ − y_data; the loss "
           "is the mean of the squared errors."),
        N_("In NumPy: np.mean((1.5 * x_data - y_data) ** 2)."),
    ],
    solution="loss_q1 = np.mean((1.5 * x_data - y_data) ** 2)",
    explanation=N_("errors [−0.6, −0.9, −1.7, −1.8], squares [0.36, 0.81, 2.89, 3.24], mean "
                   "7.3 / 4 = 1.825 (1.83 to two decimals)."),
    praise=N_("L(1.5) = 1.825: the errors ŷ − y are [−0.6, −0.9, −1.7, −1.8], their squares "
              "are averaged. Larger than L(2) and smaller than L(1): w = 1.5 lies between "
              "them, on the way down to the minimum near w = 2."),
)

# --------------------------------------------------------------------------- q2: one step
# One gradient-descent step by hand: w_new = w − lr·L′(w), from w = 1 with lr = 0.05.

W0_Q2, LR_Q2 = 1.0, 0.05
_g = slope(W0_Q2)
_new = W0_Q2 - LR_Q2 * _g

q2 = NumberExercise(
    "new_w_q2", _new, decimals(2), example="1.23",
    mistakes=[
        mistake(W0_Q2 + LR_Q2 * _g, N_(
            "a sign error: that is w + lr·L′(w), a step along the slope, uphill. Gradient "
            "descent subtracts: w − lr·L′(w).")),
        mistake(W0_Q2 - _g, N_(
            "the learning rate is missing: w − L′(w) jumps far past the minimum. Multiply the "
            "slope by lr = 0.05 first.")),
        mistake(W0_Q2 + _g, N_(
            "a sign error and a missing learning rate: use w − lr·L′(w) with lr = 0.05.")),
        mistake(_g, N_("that is the slope L′(1) itself; the new w is w − lr·L′(w).")),
        mistake(-LR_Q2 * _g, N_(
            "that is the step −lr·L′(w) alone; add it to the starting w = 1.")),
        mistake(LR_Q2 * _g, N_(
            "that is lr·L′(w) alone; the new w is w − lr·L′(w): subtract it from the starting "
            "w = 1.")),
        mistake(3.0 - LR_Q2 * slope(3.0), N_(
            "that is one step from w = 3, as in the lesson's loop; start from w = 1.")),
        mistake(float(np.sum(x_data * y_data) / np.sum(x_data**2)), N_(
            "that is the minimum, where many steps end up; take just one step from w = 1.")),
        mistake(_new - LR_Q2 * slope(_new), N_("that is two steps; take just one.")),
    ],
    sign_slip=False,  # −w_new is not a slip anyone makes; the named sign error is above
    otherwise=N_("not w − lr·L′(w) at w = 1 with lr = 0.05. Compute the slope "
                 "numerical_derivative(loss, 1.0) first, then the step."),
    hints=[
        N_("First the slope at w = 1: numerical_derivative(loss, 1.0). Is it positive or "
           "negative, and which way should w move?"),
        N_("The slope is about −14.85, so new_w_q2 = 1.0 − 0.05 · (−14.85): larger than 1."),
    ],
    solution="new_w_q2 = 1.0 - 0.05 * numerical_derivative(loss, 1.0)",
    explanation=N_("L′(1) = −14.85, so w moves by −0.05·(−14.85) = +0.7425 to 1.7425 (1.74 to "
                   "two decimals): to the right, downhill, towards the minimum at w ≈ 1.99."),
    praise=N_("w = 1 − 0.05·(−14.85) = 1.7425. The slope is negative, so the step goes against "
              "it, to the right: w grows towards the minimum at 1.99, and the loss falls from "
              "{before:.3f} to {after:.3f}. Lesson 04 repeats this step until the slope is "
              "(almost) zero."),
    praise_fields={"before": loss(W0_Q2), "after": loss(_new)},
)

EXERCISES = (q1, q2)


def bind(namespace):
    """q1, q2 bound to the notebook's namespace: q1, q2 = lesson00.bind(globals())."""
    return _bind(namespace, EXERCISES)
