"""Exercises for 00_index: the loss of a model for one w, and one gradient-descent step."""

import math
import numbers

import numpy as np

from . import Exercise, Wrong

# The lesson's tiny dataset: one feature x, target y close to 2x.
x_data = np.array([1.0, 2.0, 3.0, 4.0])
y_data = np.array([2.1, 3.9, 6.2, 7.8])
W_Q1 = 1.5


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
# One gradient-descent step by hand: w_new = w − lr·L′(w), from w = 1 with lr = 0.05.

W0_Q2 = 1.0
LR_Q2 = 0.05


def slope(w):
    """L′(w) = (2/N)·Σ xᵢ(w·xᵢ − yᵢ), the exact slope of the lesson's loss."""
    return float(2 * np.mean(x_data * (predict(w, x_data) - y_data)))


def _check_step(answer):
    got = _number(answer, "new_w_q2", "1.5")
    g = slope(W0_Q2)
    want = W0_Q2 - LR_Q2 * g
    if math.isclose(got, want, abs_tol=1e-4):
        return (f"w = {W0_Q2:g} − {LR_Q2:g}·({g:+.2f}) = {want:.4f}. The slope is negative, so the "
                "step goes against it, to the right: w grows towards the minimum at 1.99, and "
                f"the loss falls from {loss(W0_Q2):.3f} to {loss(want):.3f}. Lesson 04 repeats "
                "this step until the slope is (almost) zero.")
    w_best = float(np.sum(x_data * y_data) / np.sum(x_data**2))
    known = [
        (W0_Q2 + LR_Q2 * g, "a sign error: that is w + lr·L′(w), a step along the slope, uphill. "
                            "Gradient descent subtracts: w − lr·L′(w)."),
        (W0_Q2 - g, "the learning rate is missing: w − L′(w) jumps far past the minimum. "
                    f"Multiply the slope by lr = {LR_Q2:g} first."),
        (W0_Q2 + g, "a sign error and a missing learning rate: use w − lr·L′(w) with "
                    f"lr = {LR_Q2:g}."),
        (g, "that is the slope L′(1) itself; the new w is w − lr·L′(w)."),
        (-LR_Q2 * g, "that is the step −lr·L′(w) alone; add it to the starting w = 1."),
        (LR_Q2 * g, "that is lr·L′(w), the step with the wrong sign; the new w is "
                    "w − lr·L′(w)."),
        (3.0 - LR_Q2 * slope(3.0), "that is one step from w = 3, as in the lesson's loop; "
                                   "start from w = 1."),
        (w_best, "that is the minimum, where many steps end up; take just one step from w = 1."),
    ]
    w2 = want - LR_Q2 * slope(want)
    known.append((w2, "that is two steps; take just one."))
    for value, why in known:
        if math.isclose(got, value, abs_tol=1e-4):
            raise Wrong(why)
    raise Wrong(f"not w − lr·L′(w) at w = 1 with lr = {LR_Q2:g}. Compute the slope "
                "numerical_derivative(loss, 1.0) first, then the step.")


q2 = Exercise(
    "new_w_q2", _check_step,
    hint="slope = numerical_derivative(loss, 1.0) (the lesson printed it: −14.85); then "
         "new_w_q2 = 1.0 − 0.05 * slope. A negative slope means the new w is larger than 1.",
    solution="new_w_q2 = 1.0 - 0.05 * numerical_derivative(loss, 1.0)   # 1.7425\n"
             "L′(1) = −14.85, so w moves by −0.05·(−14.85) = +0.7425: to the right, downhill, "
             "towards the minimum at w ≈ 1.99.",
)
