"""Exercise checks of lessons 04 and 07: right answers pass, each known mistake is named."""

import re

import numpy as np
import pytest

from numdiff_lib.exercises import lesson04, lesson07


def kind_and_text(feedback):
    return feedback.kind, feedback.message


# --------------------------------------------------------------------------- lesson 04 q1


@pytest.mark.parametrize("lr", [0.5, 0.3, 0.7, 0.45])
def test_q1_learning_rates_that_arrive(lr):
    fb = lesson04.q1.check(lr)
    assert fb.correct, fb.message


@pytest.mark.parametrize(("lr", "words"), [
    (10.0, ["too large", "0 < lr < 1"]),
    (1.5, ["too large", "diverged"]),
    (1, ["bounces"]),
    (0.9, ["overshoots"]),
    (0.1, ["too small"]),
    (1e-10, ["too small"]),
    (0, ["never moves"]),
    (-0.1, ["uphill"]),
    ("0.5", ["should be a number"]),
    (True, ["should be a number"]),
    (float("nan"), ["finite"]),
    ([0.5], ["should be a number"]),
])
def test_q1_mistakes_are_named(lr, words):
    fb = lesson04.q1.check(lr)
    assert fb.kind == "incorrect"
    for word in words:
        assert word in fb.message


def test_q1_solution_passes_its_own_check():
    assert "0.5" in lesson04.q1.solution().message
    assert lesson04.q1.check(0.5).correct


# --------------------------------------------------------------------------- lesson 04 q2
# One step on h = x0² + 3x1² from (−3, 4) with lr = 0.25.


def h_q2(x):
    return x[0] ** 2 + 3 * x[1] ** 2


def test_q2_answer_is_one_real_step():
    # The expected point comes from the library, not from the exercise module's constant.
    res = lesson04.gradient_descent(h_q2, np.array([-3.0, 4.0]), lr=0.25, step_num=1)
    np.testing.assert_allclose(res.x, [-1.5, -2.0], rtol=1e-7)
    assert lesson04.q2.check(res.x).correct


@pytest.mark.parametrize("answer", [(-1.5, -2.0), [-1.5, -2], np.array([-1.5, -2.0])])
def test_q2_one_step(answer):
    fb = lesson04.q2.check(answer)
    assert fb.correct, fb.message
    assert "does not point at the minimum" in fb.message


@pytest.mark.parametrize(("answer", "word"), [
    ((-4.5, 10.0), "uphill"),
    ((-2.25, 1.0), "(x0, 3·x1)"),
    ((-1.5, 1.0), "6·x1"),
    ((-1.5, 2.0), "forgot the 3"),
    ((-1.5, 6.0), "not the new point"),
    ((1.5, -6.0), "x plus this step"),
    ((-6.0, 24.0), "now take x − lr·∇h(x)"),
    ((-2.4, 1.6), "lr = 0.1"),
    ((-2.4, 3.2), "one step of the lesson's run"),
    ((1.5, 2.0), "wrong sign"),
    ((-1.5,), "two numbers"),
    ("abc", "two numbers"),
    ((1.0, 1.0), "not within tolerance"),
])
def test_q2_mistakes_are_named(answer, word):
    fb = lesson04.q2.check(answer)
    assert fb.kind == "incorrect"
    assert word in fb.message


def test_q2_solution_passes_its_own_check():
    assert "(-1.5, -2.0)" in lesson04.q2.solution().message
    assert lesson04.q2.check((-1.5, -2.0)).correct


# --------------------------------------------------------------------------- lesson 04 q3
# Bound on lr for g = x0² + 10x1².


def g_q3(x):
    return x[0] ** 2 + 10 * x[1] ** 2


def test_q3_bound():
    assert lesson04.q3.check(0.1).correct
    assert lesson04.q3.check(0.1000001).correct


def test_q3_bound_is_where_descent_stops_converging():
    # Honest: the claimed bound must be the edge in a real run, just below converges, above not.
    start = np.array([-3.0, 4.0])
    below = lesson04.gradient_descent(g_q3, start, lr=0.095, step_num=200)
    assert not below.diverged and np.linalg.norm(below.x) < 1e-3
    with pytest.warns(lesson04.DivergenceWarning):
        above = lesson04.gradient_descent(g_q3, start, lr=0.105, step_num=200)
    assert above.diverged or np.linalg.norm(above.x) > 1


@pytest.mark.parametrize(("answer", "word"), [
    (1, "x1 has factor 1 − 20·lr"),
    (0.05, "best lr for x1"),
    (0.5, "best lr for x0"),
    (2 / 22, "best fixed lr"),
    (0.0909, "best fixed lr"),
    (0.2, "20·x1"),
    (2, "2/1"),
    (-1, "> 0"),
    (0.33, "not the bound"),
    ("x", "should be a number"),
])
def test_q3_mistakes_are_named(answer, word):
    fb = lesson04.q3.check(answer)
    assert fb.kind == "incorrect"
    assert word in fb.message


# --------------------------------------------------------------------------- lesson 07 q1


def test_l7_q1_rel_error():
    value = lesson07.check_gradient(lesson07.f_q1, lesson07.grad_q1, lesson07.x_q1).rel_error
    assert value > 1e-4  # the given gradient really is buggy
    assert lesson07.q1.check(value).correct
    assert lesson07.q1.check(round(value, 3)).correct


def test_l7_q1_mistakes():
    res = lesson07.check_gradient(lesson07.f_q1, lesson07.grad_q1, lesson07.x_q1)
    assert "whole GradCheck" in lesson07.q1.check(res).message
    msg = lesson07.q1.check(1e-10).message
    assert "correct gradient" in msg
    # The fixed gradient's round-off error is shown with one significant digit (nbval-stable).
    assert re.search(r"scores about \de-1\d\)", msg), msg
    max_abs = float(np.max(np.abs(res.numerical - res.analytic)))
    assert "absolute difference" in lesson07.q1.check(max_abs).message
    assert "not the relative error" in lesson07.q1.check(0.01).message
    assert lesson07.q1.check("wrong").kind == "incorrect"


# --------------------------------------------------------------------------- lesson 07 q2


def test_l7_q2_right_gradient():
    fb = lesson07.q2.check(lambda W: 2 * np.outer(W @ lesson07.v_q2, lesson07.v_q2))
    assert fb.correct, fb.message


@pytest.mark.parametrize(("grad", "word"), [
    (lambda W: 2 * np.outer(lesson07.v_q2, W @ lesson07.v_q2), "transposed"),
    (lambda W: np.outer(W @ lesson07.v_q2, lesson07.v_q2), "missing factor 2"),
    (lambda W: -2 * np.outer(W @ lesson07.v_q2, lesson07.v_q2), "sign error"),
    (lambda W: 4 * np.outer(W @ lesson07.v_q2, lesson07.v_q2), "twice too large"),
    (lambda W: 2 * W, "relative error"),
    (lambda W: W @ lesson07.v_q2, "shape (2, 3)"),
    (lambda W: 1 / 0, "ZeroDivisionError"),
    (42, "should be a function"),
])
def test_l7_q2_mistakes_are_named(grad, word):
    fb = lesson07.q2.check(grad)
    assert fb.kind == "incorrect"
    assert word in fb.message


# --------------------------------------------------------------------------- lesson 07 q3


def test_l7_q3_count():
    assert lesson07.q3.check(159020).correct
    assert lesson07.q3.check(159020.0).correct


@pytest.mark.parametrize(("answer", "word"), [
    (79510, "twice"), (79511, "forward"), (158800, "biases"), (79520, "784-50-10"),
    (12, "is not it"), (1.5, "integer"), ("many", "whole number"),
])
def test_l7_q3_mistakes_are_named(answer, word):
    fb = lesson07.q3.check(answer)
    assert fb.kind == "incorrect"
    assert word in fb.message


# --------------------------------------------------------------------------- all


ALL = [lesson04.q1, lesson04.q2, lesson04.q3, lesson07.q1, lesson07.q2, lesson07.q3]


@pytest.mark.parametrize("q", ALL)
def test_unanswered_is_kind(q):
    for blank in (None, ...):
        fb = q.check(blank)
        assert fb.kind == "unanswered"
        assert q.var in fb.message


@pytest.mark.parametrize("q", ALL)
@pytest.mark.parametrize("garbage", [object(), {"a": 1}, float("inf"), "", [[1, 2], [3]],
                                     np.array(["x"]), complex(1, 2)])
def test_garbage_gives_feedback_not_exception(q, garbage):
    fb = q.check(garbage)
    assert fb.kind == "incorrect"
    assert fb.message


@pytest.mark.parametrize("q", ALL)
def test_hint_and_solution(q):
    assert q.hint().kind == "hint" and q.hint().message
    assert q.solution().kind == "solution" and q.solution().message


def test_check_reads_the_notebook_variable():
    lr_q1 = 0.5  # noqa: F841 — check() reads module globals, so this local is not seen
    assert lesson04.q1.check().kind == "unanswered"
    globals()["lr_q1"] = 0.5
    try:
        assert lesson04.q1.check().correct
    finally:
        del globals()["lr_q1"]
