"""Exercises for 00_index: the loss of a model for one w, and which way to move w."""

import math
import numbers

import numpy as np

from . import Exercise, Wrong

# The lesson's tiny dataset: one feature x, target y close to 2x.
x_data = np.array([1.0, 2.0, 3.0, 4.0])
y_data = np.array([2.1, 3.9, 6.2, 7.8])
W_Q1 = 1.5
W_Q2 = 1.9


def predict(w, x):
    """The model ŷ = w·x (wᵀx with a single feature)."""
    return w * x


def loss(w):
    """Mean squared error of ŷ = w·x on the lesson's data (taught in 00_index)."""
    return float(np.mean((predict(w, x_data) - y_data) ** 2))


def _number(answer, name, example):
    if isinstance(answer, str):
        raise Wrong(f"{name} should be a number such as {example}, got the string {answer!r}.")
    if isinstance(answer, np.ndarray) and answer.ndim == 0 and answer.dtype.kind in "iuf":
        answer = answer.item()
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, numbers.Real):
        raise Wrong(f"{name} should be one number such as {example}, got {answer!r} "
                    f"({type(answer).__name__}).")
    try:
        value = float(answer)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise Wrong(f"{name} must be a finite number, got {value!r}.")
    return value


# --------------------------------------------------------------------------- q1


def _check_loss(answer):
    got = _number(answer, "loss_q1", "3.2")
    err = predict(W_Q1, x_data) - y_data
    want = float(np.mean(err**2))
    if math.isclose(got, want, rel_tol=1e-6):
        return (f"L(1.5) = {want:g}: the errors ŷ − y are {np.round(err, 2).tolist()}, their "
                "squares are averaged. Larger than L(2) and smaller than L(1): w = 1.5 lies "
                "between them, on the way down to the minimum near w = 2.")
    known = [
        (float(np.sum(err**2)), "that is the sum of the squared errors; the mean divides it by "
                                "the number of points, N = 4."),
        (math.sqrt(want), "that is the root of the mean squared error (RMSE); the loss here is "
                          "the MSE itself, without the square root."),
        (float(np.mean(err)), "that is the mean error, without squaring: positive and negative "
                              "errors would cancel. Square each error first."),
        (float(np.mean(np.abs(err))), "that is the mean absolute error (MAE); the loss here "
                                      "squares the errors."),
        (want / 2, "that is half the MSE (some books use ½·MSE); the loss here is the plain mean."),
        (float(np.mean(err) ** 2), "that squares the mean error; square each error, then take "
                                   "the mean."),
    ]
    for w in (0.0, 1.0, 2.0, 3.0):
        known.append((loss(w), f"that is the loss at w = {w:g}; use w = {W_Q1:g}."))
    for value, why in known:
        if math.isclose(got, value, rel_tol=1e-6, abs_tol=1e-12):
            raise Wrong(why)
    raise Wrong("not the mean squared error at w = 1.5. Compute ŷ = 1.5·x for each point, the "
                "errors ŷ − y, square them and take the mean.")


q1 = Exercise(
    "loss_q1", _check_loss,
    hint="ŷ = 1.5·x_data; errors = ŷ − y_data; the loss is the mean of errors**2. "
         "In NumPy: np.mean((1.5 * x_data - y_data) ** 2).",
    solution="loss_q1 = np.mean((1.5 * x_data - y_data) ** 2)   # 1.825\n"
             "errors: [-0.6, -0.9, -1.7, -1.8]; squares: [0.36, 0.81, 2.89, 3.24]; "
             "mean: 7.3 / 4 = 1.825.",
)


# --------------------------------------------------------------------------- q2

_DOWN = {"decrease", "down", "smaller", "lower", "left", "reduce", "less", "minus", "-",
         "negative", "decrease w", "make it smaller", "make w smaller"}
_UP = {"increase", "up", "larger", "bigger", "higher", "right", "more", "plus", "+",
       "positive", "increase w", "make it larger", "make w larger"}


def _check_direction(answer):
    if isinstance(answer, str):
        word = answer.strip().lower().strip(".!")
    elif isinstance(answer, numbers.Real) and not isinstance(answer, (bool, np.bool_)) and \
            answer in (-1, 0, 1):  # +1 / -1 as a sign is fine too
        word = {-1: "decrease", 0: "zero", 1: "increase"}[int(answer)]
    else:
        raise Wrong(f"direction_q2 should be the word 'increase' or 'decrease', got {answer!r}.")
    slope = (loss(W_Q2 + 1e-4) - loss(W_Q2 - 1e-4)) / 2e-4
    if word in _UP:
        return (f"at w = {W_Q2:g} the slope of the loss is {slope:+.2f}: negative, so the loss "
                "falls as w grows. Increase w, towards the minimum near w = 1.99. Moving "
                "against the sign of the slope is the whole idea of gradient descent (lesson 04).")
    if word in _DOWN:
        raise Wrong(f"at w = {W_Q2:g} the slope of the loss is {slope:+.2f}: negative, so the "
                    "loss goes up when w goes down. The minimum is a little to the right of 1.9; "
                    "move against the slope.")
    if word in {"zero", "0", "stay", "none", "nothing", "neither"}:
        raise Wrong(f"w = {W_Q2:g} is close to the minimum, but not on it: the slope there is "
                    f"{slope:+.2f}, not 0, so one direction still lowers the loss.")
    raise Wrong(f"answer with the word 'increase' or 'decrease' (got {answer!r}).")


q2 = Exercise(
    "direction_q2", _check_direction,
    hint="Compute the slope numerical_derivative(loss, 1.9), or compare loss(1.8) and loss(2.0). "
         "Which way does the loss go down?",
    solution="direction_q2 = 'increase': the slope of the loss at w = 1.9 is negative (−1.35), "
             "so the loss falls when w grows; the minimum is at w ≈ 1.99, just to the right.",
)
