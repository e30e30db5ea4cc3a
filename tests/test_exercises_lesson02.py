"""Lesson 02's exercises: the wrong answers learners plausibly give are refused with the right
message, and right answers rounded to the digits each question asks for are accepted.

The framework's own tests (test_exercises_framework.py) run every solution through its check,
every declared mistake through its message, and garbage through every check.
"""

import json
from pathlib import Path

import numpy as np
import pytest
from exercise_helpers import declared, msgid, refused_with  # noqa: F401

from numdiff_lib import numerical_derivative
from numdiff_lib.exercises import lesson02 as L

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "02_partial_derivatives.ipynb"
SIGN_SLIP = "right size, wrong sign"  # the framework's generic sign-slip message starts so


def seed_numerical_derivative(f, x):
    """The seed lecture's final loop, verbatim apart from its name (lesson 02, section 3)."""
    delta_x = 1e-4
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        idx = it.multi_index
        tmp_val = x[idx]
        x[idx] = float(tmp_val) + delta_x
        fx1 = f(x)
        x[idx] = tmp_val - delta_x
        fx2 = f(x)
        grad[idx] = (fx1 - fx2) / (2 * delta_x)
        x[idx] = tmp_val
        it.iternext()
    return grad


def function_2(x):
    return x[0] ** 2 + x[1] ** 2


def func1(W):
    return 2 * W[0] + 3 * W[0] * W[1] + np.power(W[1], 3)


# --------------------------------------------------------------------------- q1: the gradient

X_Q1 = np.array([1.0, -2.0])


def test_q1_point_separates_the_usual_slips():
    """Issue 11: at the old point ∇f(2, −1) equalled ∇f(−1, 2). Here the right gradient, the
    one at the swapped point, the swapped order and the sign slip are four different answers,
    and so are all the other declared slips: each lies a whole unit or more from every other,
    far outside the near-miss band (0.05), so none can be taken for another."""
    swapped_point = numerical_derivative(L.f_q1, X_Q1[::-1].copy())
    np.testing.assert_allclose(swapped_point, L.SWAPPED_POINT_Q1, atol=1e-6)
    candidates = {"right": L.GRAD_Q1, "sign slip": -L.GRAD_Q1,
                  "swapped point": swapped_point, "swapped order": L.GRAD_Q1[::-1]}
    for m in L.q1.mistakes:
        if m.message not in (L.SWAPPED_POINT, L.SWAPPED_ORDER):
            candidates[m.message[:40]] = np.asarray(m.value, dtype=float)
    names = list(candidates)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            gap = np.max(np.abs(np.asarray(candidates[a]) - candidates[b]))
            assert gap >= 1.0, f"{a!r} and {b!r} are only {gap} apart"


@pytest.mark.parametrize("answer", [
    numerical_derivative(L.f_q1, X_Q1),
    numerical_derivative(L.f_q1, np.array([1, -2])),  # numdiff_lib converts int input
    numerical_derivative(L.f_q1, X_Q1, method="forward"),  # right to two decimals
    numerical_derivative(L.f_q1, X_Q1, method="richardson"),
    (-4, 13), [-4.0, 13.0], np.array([-4.0, 13.0]), (-4.00, 13.00),
    (-4.004, 13.004), (-3.996, 12.996),  # round to −4.00, 13.00
    [np.float64(-4.0), np.float32(13.0)],
])
def test_q1_right_answers_pass(answer):
    feedback = L.q1.check(answer)
    assert feedback.correct, feedback


@pytest.mark.parametrize(("answer", "message"), [
    (numerical_derivative(L.f_q1, np.array([-2.0, 1.0])), L.SWAPPED_POINT),
    ((-4, 7), L.SWAPPED_POINT),
    ((13, -4), L.SWAPPED_ORDER),
    (numerical_derivative(L.f_q1, np.array([1.0, 2.0])), L.SIGN_OF_X1),
    (seed_numerical_derivative(L.f_q1, np.array([1, -2])), L.INT_POINT),
    ((2, 13), L.FROZEN_FACTOR),
    ((-4, 12), L.MISSING_X0_SQUARED),
    ((-4, -5), L.POWER_RULE),
    (numerical_derivative(lambda x: x[0] ** 2 * x[1] + x[1] * 3, X_Q1), L.TYPO_TIMES_3),
    (numerical_derivative(lambda x: x[0] * 2 * x[1] + x[1] ** 3, X_Q1), L.TYPO_TIMES_2),
    (numerical_derivative(function_2, X_Q1), L.OTHER_FUNCTION),
    (numerical_derivative(func1, X_Q1), L.OTHER_FUNCTION),
])
def test_q1_mistakes_are_named(answer, message):
    refused_with(L.q1, answer, message)


def test_q1_sign_slip():
    feedback = L.q1.check((4, -13))
    assert feedback.kind == "incorrect" and msgid(feedback).startswith(SIGN_SLIP)


def test_q1_the_seed_loop_on_the_integer_point_is_what_the_mistake_declares():
    got = seed_numerical_derivative(L.f_q1, np.array([1, -2]))
    assert got.dtype.kind == "i" and got.tolist() == [-10000, 40000]


@pytest.mark.parametrize("answer", [(-4.03, 13.0), (-4.0, 13.02), (-3.98, 12.99)])
def test_q1_near_miss_asks_for_two_decimals(answer):
    feedback = L.q1.check(answer)
    assert feedback.kind == "close", feedback
    assert "2 decimals" in feedback.message


@pytest.mark.parametrize("answer", [-10.0, (1, 2, 3), "(-4, 13)", [[-4, 13], [0, 0]]])
def test_q1_wrong_kind_of_answer_says_what_is_expected(answer):
    feedback = L.q1.check(answer)
    assert feedback.kind == "incorrect" and "grad_q1" in feedback.message


def test_q1_messages_do_not_give_the_answer_away():
    wrong = [m.value for m in L.q1.mistakes] + [(4, -13), (0, 0), -10.0, (-4.03, 13)]
    for answer in wrong:
        text = L.q1.check(answer).message
        assert "13)" not in text and "−4, 13" not in text, text


# --------------------------------------------------------------------------- q2: the int trap


def test_q2_expected_value_is_what_the_seed_loop_returns():
    got = seed_numerical_derivative(function_2, np.array([5, -2]))
    assert got.dtype.kind == "i" and got.tolist() == [45000, -15000]
    np.testing.assert_array_equal(L.SEED_INT_Q2, got)


@pytest.mark.parametrize("answer", [
    seed_numerical_derivative(function_2, np.array([5, -2])),
    (45000, -15000), [45000.0, -15000.0], ((29 - 20) / 0.0002, (26 - 29) / 0.0002),
    (45000.4, -14999.6),  # whole numbers asked: rounds to the same
])
def test_q2_right_answers_pass(answer):
    feedback = L.q2.check(answer)
    assert feedback.correct, feedback


@pytest.mark.parametrize(("answer", "message"), [
    ((10, -4), L.TRUE_GRADIENT),
    (numerical_derivative(function_2, np.array([5, -2])), L.TRUE_GRADIENT),
    ((45000, -25000), L.FLOOR),
    ((45000, 0), L.TOWARD_ZERO),
    ((0, 0), L.ROUNDS),
    (seed_numerical_derivative(function_2, np.array([3, 4])), L.LESSON_POINT),
    ((90000, -30000), L.DIVIDE_BY_DELTA),
    ((9, -3), L.NO_DIVISION),
    ((-15000, 45000), L.ORDER_Q2),
])
def test_q2_mistakes_are_named(answer, message):
    refused_with(L.q2, answer, message)


def test_q2_sign_slip_and_one_number():
    assert msgid(L.q2.check((-45000, 15000))).startswith(SIGN_SLIP)
    assert "seed_int_q2" in L.q2.check(45000).message


def test_q2_messages_do_not_give_the_answer_away():
    for answer in [(10, -4), (45000, -25000), (45000, 0), (0, 0), (1, 1), (-45000, 15000)]:
        text = L.q2.check(answer).message
        assert "15000" not in text and "15,000" not in text, text


# --------------------------------------------------------------------------- q3: both move


def f_q3(x, y):
    return 2 * x + 3 * x * y + y ** 3


def test_q3_prediction_is_close_to_the_exact_change():
    exact = f_q3(1.02, 1.99) - f_q3(1.0, 2.0)
    assert abs(exact - 0.01) < 2e-6  # the second-order terms are about 1e-6
    assert L.EXACT_Q3 == exact


@pytest.mark.parametrize("answer", [
    0.01, 0.010, 8 * 0.02 + 15 * (-0.01), 0.009999, f_q3(1.02, 1.99) - f_q3(1.0, 2.0),
    0.0104, 0.0096, np.float64(0.01),
])
def test_q3_right_answers_pass(answer):
    feedback = L.q3.check(answer)
    assert feedback.correct, feedback


@pytest.mark.parametrize(("answer", "message"), [
    (0.16, L.ONLY_X), (-0.15, L.ONLY_Y), (0.31, L.DY_SIGN), (-0.01, L.BOTH_SIGNS),
    (0.23, L.SAME_MOVE), (-0.07, L.SAME_MOVE), (0.38, L.MOVES_SWAPPED),
    (-0.22, L.MOVES_SWAPPED), (0.22, L.MOVES_SWAPPED), (16.009999, L.VALUE_NOT_CHANGE),
    (f_q3(1.02, 1.99), L.VALUE_NOT_CHANGE), (23, L.PARTIALS_ADDED), (7, L.PARTIALS_ADDED),
])
def test_q3_mistakes_are_named(answer, message):
    refused_with(L.q3, answer, message)


@pytest.mark.parametrize("answer", [0.012, 0.0085, 0.014])
def test_q3_near_miss_asks_for_three_decimals(answer):
    feedback = L.q3.check(answer)
    assert feedback.kind == "close" and "3 decimals" in feedback.message


def test_q3_text_and_unknown_numbers():
    assert "remove the quotes" in L.q3.check("0.01").message
    feedback = L.q3.check(0.5)
    assert feedback.kind == "incorrect" and "0.01" not in feedback.message


def test_q3_messages_do_not_give_the_answer_away():
    for answer in (0.16, -0.15, 0.31, 0.23, 0.5, -0.01, 0.38):
        text = L.q3.check(answer).message
        assert "= 0.01" not in text and "0.16 − 0.15" not in text, text


# --------------------------------------------------------------------------- all three


@pytest.mark.parametrize("exercise", L.EXERCISES, ids=lambda q: q.var)
def test_unanswered_and_graded_hints(exercise):
    bound = exercise.bind({exercise.var: ...})
    assert bound.check().kind == "unanswered" and exercise.var in bound.check().message
    first, second = bound.hint(), bound.hint()
    assert first.kind == second.kind == "hint" and first.message != second.message
    assert bound.solution().code


def test_bind_reads_the_notebook_variables():
    namespace = {}
    q1, q2, q3 = L.bind(namespace)
    namespace.update(grad_q1=(-4, 13), seed_int_q2=(45000, -15000), change_q3=0.01)
    assert q1.check().correct and q2.check().correct and q3.check().correct


# --------------------------------------------------------------------------- the notebook


def cells():
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def text_of(cell):
    source = "".join(cell["source"])
    outputs = []
    for out in cell.get("outputs", []):
        text = out.get("text") or out.get("data", {}).get("text/plain", "")
        outputs.append("".join(text) if isinstance(text, list) else text)
    return source, "\n".join(outputs)


# What would give each answer away if it were on screen before its check.
GIVEAWAYS = {
    "q1": {"outputs": ["-4.000000", "13.000000", "[-4. 13.]", "(−4, 13)"],
           "sources": ["f_q1, np.array([1.0, -2.0])"]},
    "q2": {"outputs": ["45000", "-15000"],
           "sources": ["seed_numerical_derivative(function_2, np.array([5, -2]))"]},
    "q3": {"outputs": ["0.009999", "0.0099"],
           "sources": ["func1(np.array([1.02, 1.99]))"]},
}


@pytest.mark.parametrize("name", sorted(GIVEAWAYS))
def test_no_answer_on_screen_before_its_check(name):
    before = []
    for cell in cells():
        source, output = text_of(cell)
        if cell["cell_type"] == "code" and source.strip() == f"{name}.check()":
            break
        before.append((source, output))
    else:
        pytest.fail(f"no {name}.check() cell")
    for source, output in before:
        for bad in GIVEAWAYS[name]["outputs"]:
            assert bad not in output, f"{bad!r} is shown before {name}.check()"
        for bad in GIVEAWAYS[name]["sources"]:
            assert bad not in source, f"{bad!r} appears before {name}.check()"


def test_hints_and_solutions_stay_commented_out():
    for cell in cells():
        if cell["cell_type"] != "code":
            continue
        source, _ = text_of(cell)
        for line in source.splitlines():
            if ".hint(" in line or ".solution(" in line:
                assert line.lstrip().startswith("#"), line


def test_figures_are_described_and_wide_enough():
    import base64
    import io

    from PIL import Image

    listed = cells()
    figures = 0
    for i, cell in enumerate(listed):
        pngs = [o["data"]["image/png"] for o in cell.get("outputs", [])
                if "image/png" in o.get("data", {})]
        for png in pngs:
            figures += 1
            width = Image.open(io.BytesIO(base64.b64decode(png))).size[0]
            assert width >= 900, f"cell {i}: figure {width} px wide"
        if pngs:
            assert "".join(cell["source"]).startswith("# extra code — draws the figure")
            after = listed[i + 1]
            assert after["cell_type"] == "markdown"
            assert "".join(after["source"]).startswith("*Figure:*"), f"cell {i + 1}"
    assert figures == 3


def test_lesson_ends_with_summary_exercises_and_further_reading():
    headings = [text_of(c)[0].splitlines()[0] for c in cells() if c["cell_type"] == "markdown"
                and text_of(c)[0].startswith("## ")]
    assert headings[-3:] == ["## Summary", "## Exercises", "## Further reading"]
