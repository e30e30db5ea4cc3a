"""Exercise checks of lessons 00 and 01: right answers pass, each known mistake is named."""

import numpy as np
import pytest

from numdiff_lib import numerical_derivative
from numdiff_lib.exercises import lesson00, lesson01

# --------------------------------------------------------------------------- lesson 00 q1


def test_l0_loss_is_the_mse():
    # Independent of the checker: the four errors at w = 1.5 worked out by hand.
    errors = np.array([1.5 - 2.1, 3.0 - 3.9, 4.5 - 6.2, 6.0 - 7.8])
    assert np.isclose(np.mean(errors**2), 1.825)
    assert np.isclose(lesson00.loss(1.5), 1.825)


@pytest.mark.parametrize("answer", [1.825, np.float64(1.825), np.array(1.825), 1.8250000001])
def test_l0_q1_right(answer):
    fb = lesson00.q1.check(answer)
    assert fb.correct, fb.message


@pytest.mark.parametrize(("answer", "words"), [
    (7.3, ["sum", "N = 4"]),
    (np.sqrt(1.825), ["RMSE"]),
    (-1.25, ["without squaring"]),
    (1.25, ["absolute"]),
    (0.9125, ["half"]),
    (1.5625, ["squares the mean"]),
    (7.375, ["w = 1"]),
    (lesson00.loss(2.0), ["w = 2"]),
    (3.0, ["not the mean squared error"]),
    ("1.825", ["string"]),
    ([1.825], ["one number"]),
    (float("nan"), ["finite"]),
    (True, ["one number"]),
])
def test_l0_q1_mistakes_are_named(answer, words):
    fb = lesson00.q1.check(answer)
    assert fb.kind == "incorrect"
    for word in words:
        assert word in fb.message, fb.message


# --------------------------------------------------------------------------- lesson 00 q2


def test_l0_q2_slope_by_hand():
    # L'(w) = (2/N)·Σ x(wx − y) = 15w − 29.85 on the lesson's data: Σx² = 30, Σxy = 59.7.
    assert np.isclose(lesson00.slope(1.0), -14.85)
    assert np.isclose(numerical_derivative(lesson00.loss, 1.0), -14.85)
    assert lesson00.loss(1.7425) < lesson00.loss(1.0)  # the step really goes downhill


@pytest.mark.parametrize("answer", [
    1.7425, np.float64(1.7425), np.array(1.7425),
    1.0 - 0.05 * numerical_derivative(lesson00.loss, 1.0),
    1.0 - 0.05 * numerical_derivative(lesson00.loss, 1.0, method="forward"),  # close enough
])
def test_l0_q2_right(answer):
    fb = lesson00.q2.check(answer)
    assert fb.correct, fb.message


@pytest.mark.parametrize(("answer", "word"), [
    (0.2575, "sign error"), (15.85, "learning rate is missing"), (-13.85, "sign error"),
    (-14.85, "slope L′(1) itself"), (0.7425, "add it"), (-0.7425, "wrong sign"),
    (2.2425, "from w = 3"), (1.99, "the minimum"), (1.7425 - 0.05 * (15 * 1.7425 - 29.85),
                                                      "two steps"),
    (1.9, "not w − lr·L′(w)"), ("1.7425", "string"), ([1.7425], "one number"),
    (float("nan"), "finite"),
])
def test_l0_q2_mistakes_are_named(answer, word):
    fb = lesson00.q2.check(answer)
    assert fb.kind == "incorrect"
    assert word in fb.message, fb.message


# --------------------------------------------------------------------------- lesson 01 q1

X = lesson01.X_Q1


def slopes(method="central", delta_x=None):
    return [numerical_derivative(lesson01.f_q1, float(x), delta_x, method=method) for x in X]


def seed_central(f, x):
    delta_x = 1e-4
    return (f(x + delta_x) - f(x - delta_x)) / (2 * delta_x)


def test_l1_exact_slopes_against_hand_derivative():
    np.testing.assert_allclose(lesson01.df_q1(X), [4.75, 1, -1.25, -2, -1.25, 1, 4.75])


@pytest.mark.parametrize("answer", [
    slopes(),                                   # numdiff_lib, a list
    np.array(slopes()),                         # an array
    tuple(seed_central(lesson01.f_q1, X)),      # the seed's formula, vectorised, a tuple
    lesson01.df_q1(X),                          # the exact derivative
    slopes("richardson"),
    slopes("forward", 1e-8),                    # accurate enough, even if one-sided
])
def test_l1_q1_right(answer):
    fb = lesson01.q1.check(answer)
    assert fb.correct, fb.message


def test_l1_q1_forward_is_distinguishable_from_central():
    # At delta_x = 1e-4 central is off by 1e-8, forward by up to 4.5e-4: the check's 1e-6 sits
    # between them.
    forward_err = np.max(np.abs(np.array(slopes("forward")) - lesson01.df_q1(X)))
    central_err = np.max(np.abs(np.array(slopes()) - lesson01.df_q1(X)))
    assert central_err < lesson01.ATOL_Q1 / 10 < lesson01.ATOL_Q1 * 10 < forward_err


@pytest.mark.parametrize(("answer", "words"), [
    (slopes("forward"), ["forward difference", "1e-04", "central"]),
    (slopes("forward", 1e-2), ["forward difference", "1e-02"]),
    (slopes("forward", 1e-6), ["forward difference", "1e-06"]),
    (slopes("backward"), ["backward difference"]),
    (-lesson01.df_q1(X), ["wrong signs"]),
    (slopes("central", 1e-12), ["too small", "round-off"]),
    (slopes("central", 1e-13), ["too small"]),
    (slopes("central", 1e-10), ["too small"]),
    (slopes("central", 1e-2), ["too large", "Δx ≈ 0.01"]),
    (lesson01.f_q1(X), ["function values"]),
    (lesson01.df_q1(X) - 1, ["derivative of the last term"]),
    (lesson01.df_q1(np.arange(0.0, 3.5, 0.5)), ["wrong points"]),
    (lesson01.df_q1(np.arange(-1.0, 2.5, 0.5)), ["wrong points"]),
    (slopes()[:6], ["6 values", "np.arange"]),
    (list(lesson01.df_q1(np.arange(-0.5, 3.5, 0.5))), ["8 values"]),
    ([5, 1, -1, -2, -1, 1, 5], ["read off the graph"]),
    (np.round(lesson01.df_q1(X), 1), ["rounded"]),
    (lesson01.df_q1(X) + [0, 0, 0, 0, 0, 0, 3.0], ["largest difference is at x = 2.5"]),
    (6.0, ["one number"]),
    (np.ones((7, 1)), ["shape (7, 1)"]),
    ([1, 2, "3", 4, 5, 6, 7], ["should be 7 numbers"]),
    ("4.75, 1, -1.25", ["string"]),
    ([np.nan] * 7, ["NaN"]),
    ([complex(1, 1)] * 7, ["complex"]),
    ([True] * 7, ["numbers"]),
    ({"x": 1}, ["numbers"]),
])
def test_l1_q1_mistakes_are_named(answer, words):
    fb = lesson01.q1.check(answer)
    assert fb.kind == "incorrect"
    for word in words:
        assert word in fb.message, fb.message


# --------------------------------------------------------------------------- lesson 01 q2


def test_l1_q2_error_is_computed_in_float32():
    assert lesson01.central32(lesson01.sigmoid, 1.0, 1e-2).dtype == np.float32
    # float64 at the same step is far more accurate at small steps: float32 really is the point
    f64 = abs(numerical_derivative(lesson01.sigmoid, 1.0, 1e-6) - lesson01.dsigmoid(1.0))
    assert lesson01.error_q2(1e-6) > 1e4 * f64


def test_l1_q2_best_power_of_ten_is_in_the_accepted_range():
    steps = [10.0**-k for k in range(1, 9)]
    best = min(steps, key=lesson01.error_q2)
    lo, hi = lesson01.BEST_RANGE_Q2
    assert lo <= best <= hi
    # the error really rises on both sides of the accepted range, and the theory's
    # eps32**(1/3) lies inside it
    assert lesson01.error_q2(1e-1) > 100 * lesson01.error_q2(best)
    assert lesson01.error_q2(1e-4) > 100 * lesson01.error_q2(best)
    assert lo <= np.finfo(np.float32).eps ** (1 / 3) <= hi


@pytest.mark.parametrize("answer", [1e-2, 5e-3, 2e-2, np.float64(1e-2), np.array(1e-2)])
def test_l1_q2_right(answer):
    fb = lesson01.q2.check(answer)
    assert fb.correct, fb.message


@pytest.mark.parametrize(("answer", "words"), [
    (1e-4, ["safe default in float64", "float32"]),
    (1e-5, ["best step in float64"]),
    (1e-6, ["best step in float64"]),
    (1e-3, ["too small", "round-off"]),
    (1e-8, ["too small", "round-off"]),
    (1e-12, ["too small"]),
    (1e-300, ["rounds to 0"]),
    (1e-1, ["too large", "truncation"]),
    (0.5, ["too large"]),
    (1.5, ["not a small step"]),
    (-2, ["exponent"]),
    (2, ["exponent"]),
    (0, ["positive"]),
    (-1e-2, ["positive"]),
    ("1e-2", ["drop the quotes"]),
    ([1e-2], ["one number"]),
    (float("inf"), ["finite"]),
    (np.True_, ["one number"]),
])
def test_l1_q2_mistakes_are_named(answer, words):
    fb = lesson01.q2.check(answer)
    assert fb.kind == "incorrect"
    for word in words:
        assert word in fb.message, fb.message


# --------------------------------------------------------------------------- lesson 01 q3


def test_l1_q3_the_library_agrees():
    assert np.isclose(numerical_derivative(lesson01.leaky_relu, 0.0), 0.55)
    assert np.isclose(seed_central(lesson01.leaky_relu, 0.0), 0.55)


@pytest.mark.parametrize("answer", [0.55, 0.5500000000000002, np.float64(0.55), 11 / 20])
def test_l1_q3_right(answer):
    fb = lesson01.q3.check(answer)
    assert fb.correct, fb.message


@pytest.mark.parametrize(("answer", "word"), [
    (0.5, "plain ReLU"), (1, "forward"), (1.0, "forward"), (0.1, "backward"), (1.1, "averages"),
    (0, "rises on both sides"), (0.45, "sign"), (0.7, "not what the central difference"),
    ("undefined", "no derivative"), (float("nan"), "no derivative"), ([0.55], "one number"),
])
def test_l1_q3_mistakes_are_named(answer, word):
    fb = lesson01.q3.check(answer)
    assert fb.kind == "incorrect"
    assert word in fb.message, fb.message


# --------------------------------------------------------------------------- all


ALL = [lesson00.q1, lesson00.q2, lesson01.q1, lesson01.q2, lesson01.q3]


@pytest.mark.parametrize("q", ALL)
def test_unanswered_is_kind(q):
    for blank in (None, ...):
        fb = q.check(blank)
        assert fb.kind == "unanswered"
        assert q.var in fb.message


@pytest.mark.parametrize("q", ALL)
@pytest.mark.parametrize("garbage", [
    object(), {"a": 1}, float("inf"), float("-inf"), "", "   ", [[1, 2], [3]], np.array(["x"]),
    complex(1, 2), [], [None] * 7, np.zeros((2, 3)), lambda x: x, b"bytes", (i for i in range(7)),
    np.ma.masked_all(7), 10**400, -(10**400),
])
def test_garbage_gives_feedback_not_exception(q, garbage):
    fb = q.check(garbage)
    assert fb.kind == "incorrect"
    assert fb.message
    # a checker that crashed would be reported by Exercise as "raised ..."; ours explain instead
    assert "raised" not in fb.message, fb.message


@pytest.mark.parametrize("q", ALL)
def test_hint_and_solution(q):
    assert q.hint().kind == "hint" and q.hint().message
    assert q.solution().kind == "solution" and q.solution().message


def test_solutions_pass_their_own_checks():
    f = lesson01.f_q1
    points = np.arange(-0.5, 3.0, 0.5)
    assert lesson01.q1.check([numerical_derivative(f, x) for x in points]).correct
    steps = [10.0**-k for k in range(1, 9)]
    assert lesson01.q2.check(min(steps, key=lesson01.error_q2)).correct
    assert lesson01.q3.check(numerical_derivative(lesson01.leaky_relu, 0.0)).correct
    assert lesson00.q1.check(np.mean((1.5 * lesson00.x_data - lesson00.y_data) ** 2)).correct
    assert lesson00.q2.check(1.0 - 0.05 * numerical_derivative(lesson00.loss, 1.0)).correct


def test_check_reads_the_notebook_variable():
    assert lesson01.q3.check().kind == "unanswered"
    globals()["kink_q3"] = 0.55
    try:
        assert lesson01.q3.check().correct
    finally:
        del globals()["kink_q3"]
