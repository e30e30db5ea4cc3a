"""Lesson 00's exercises: the wrong answers learners plausibly give are refused with the right
message, and right answers rounded to the two decimals each question asks for are accepted.

The framework's own tests (test_exercises_framework.py) run every solution through its check,
every declared mistake through its message, and garbage through every check.
"""

import json
from pathlib import Path

import numpy as np
import pytest
from exercise_helpers import declared, msgid, refused_with  # noqa: F401

from numdiff_lib import exercises as ex
from numdiff_lib import numerical_derivative
from numdiff_lib.exercises import lesson00 as L

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "00_index.ipynb"
CLOSE = "close — give the answer to {digits}."  # the framework's near-miss message
DIGIT_OFF = ex.DIGIT_OFF  # a near miss that has the digits asked for


# --------------------------------------------------------------------------- q1: L(1.5)


def test_q1_loss_is_the_mse():
    # Independent of the checker: the four errors at w = 1.5 worked out by hand.
    errors = np.array([1.5 - 2.1, 3.0 - 3.9, 4.5 - 6.2, 6.0 - 7.8])
    assert np.isclose(np.mean(errors**2), 1.825)
    assert np.isclose(L.loss(1.5), 1.825)
    assert L.q1.expected == pytest.approx(1.825)


def test_q1_question_says_two_decimals():
    text = "".join(c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                   for c in json.loads(NOTEBOOK.read_text())["cells"])
    assert "set `loss_q1` to it, to two decimals" in text
    assert "to two decimals (or more)" in text.split("**Exercise 2.**")[1]


@pytest.mark.parametrize("answer", [
    1.825, 1.83, 1.82,                      # exact, and rounded to two decimals either way
    1.825000001, np.float64(1.825), np.array(1.825), np.float32(1.825),
    float(np.mean((1.5 * L.x_data - L.y_data) ** 2)),
])
def test_q1_right_and_rounded_right_answers_pass(answer):
    feedback = L.q1.check(answer)
    assert feedback.correct, feedback


@pytest.mark.parametrize(("answer", "fragment"), [
    (7.3, "sum of the squared errors"), (7.30, "sum of the squared errors"),
    (np.sqrt(1.825), "root of the mean"), (1.35, "root of the mean"),   # RMSE, and rounded
    (-1.25, "mean error, without squaring"),
    (1.25, "mean absolute error"),
    (0.9125, "half the MSE"), (0.91, "half the MSE"),
    (1.5625, "squares the mean error"), (1.56, "squares the mean error"),
    (L.loss(0.0), "loss at w = {w:g}"), (7.375, "loss at w = {w:g}"), (7.38, "loss at w = {w:g}"),
    (0.025, "loss at w = {w:g}"), (7.675, "loss at w = {w:g}"),
])
def test_q1_plausible_mistakes_get_their_message(answer, fragment):
    refused_with(L.q1, answer, declared(L.q1, fragment))


@pytest.mark.parametrize("w", [0.0, 1.0, 2.0, 3.0])
def test_q1_the_loss_at_another_w_names_that_w(w):
    feedback = refused_with(L.q1, L.loss(w), declared(L.q1, "loss at w = {w:g}"))
    assert f"w = {w:g}" in feedback.message


@pytest.mark.parametrize("answer", [1.8])  # rounded to one decimal
def test_q1_near_miss_asks_for_two_decimals(answer):
    feedback = refused_with(L.q1, answer, CLOSE, kind="close")
    assert "2 decimals" in feedback.message


@pytest.mark.parametrize("answer", [1.85, 1.79, 1.8372])  # the digits asked for, one of them off
def test_q1_near_miss_with_the_digits_is_told_a_digit_is_off(answer):
    feedback = refused_with(L.q1, answer, DIGIT_OFF, kind="close")
    assert "2 decimals" in feedback.message


@pytest.mark.parametrize("answer", [3.0, 2.5, 0.5, 100.0])
def test_q1_other_numbers_get_the_recipe(answer):
    refused_with(L.q1, answer, L.q1.otherwise)


@pytest.mark.parametrize(("answer", "words"), [
    ("1.825", "remove the quotes"), ([1.825], "one number"), (float("nan"), "finite"),
    (True, "one number"), (np.array([1.825, 1.0]), "one number"),
])
def test_q1_wrong_kinds_of_value_say_what_is_expected(answer, words):
    feedback = L.q1.check(answer)
    assert feedback.kind == "incorrect" and words in feedback.message, feedback


# --------------------------------------------------------------------------- q2: one step


def test_q2_slope_by_hand():
    # L'(w) = (2/N)·Σ x(wx − y) = 15w − 29.85 on the lesson's data: Σx² = 30, Σxy = 59.7.
    assert np.isclose(L.slope(1.0), -14.85)
    assert np.isclose(numerical_derivative(L.loss, 1.0), -14.85)
    assert L.q2.expected == pytest.approx(1.7425)
    assert L.loss(1.7425) < L.loss(1.0)  # the step really goes downhill


@pytest.mark.parametrize("answer", [
    1.7425, 1.74,                           # exact, and rounded to two decimals
    np.float64(1.7425), np.array(1.7425),
    1.0 - 0.05 * numerical_derivative(L.loss, 1.0),
    1.0 - 0.05 * numerical_derivative(L.loss, 1.0, method="forward"),  # forward: close enough
    1.0 - 0.05 * -14.9,                     # the slope rounded to one decimal first
])
def test_q2_right_and_rounded_right_answers_pass(answer):
    feedback = L.q2.check(answer)
    assert feedback.correct, feedback


@pytest.mark.parametrize(("answer", "fragment"), [
    (0.2575, "a sign error: that is w + lr"), (0.26, "a sign error: that is w + lr"),
    (15.85, "the learning rate is missing"),
    (-13.85, "a sign error and a missing learning rate"),
    (-14.85, "the slope L′(1) itself"),
    (0.7425, "the step −lr·L′(w) alone"), (0.74, "the step −lr·L′(w) alone"),
    (-0.7425, "that is lr·L′(w) alone"),
    (2.2425, "one step from w = 3"), (2.24, "one step from w = 3"),
    (1.99, "that is the minimum"),
    (1.7425 - 0.05 * (15 * 1.7425 - 29.85), "that is two steps"),
])
def test_q2_plausible_mistakes_get_their_message(answer, fragment):
    refused_with(L.q2, answer, declared(L.q2, fragment))


@pytest.mark.parametrize(("answer", "expected"), [
    (1.7, CLOSE), (1.75, DIGIT_OFF), (1.78, DIGIT_OFF), (1.71, DIGIT_OFF)])
def test_q2_near_miss_asks_for_two_decimals_or_names_a_digit_off(answer, expected):
    refused_with(L.q2, answer, expected, kind="close")


@pytest.mark.parametrize("answer", [1.0, 1.9, 0.0, 3.0])
def test_q2_other_numbers_get_the_recipe(answer):
    refused_with(L.q2, answer, L.q2.otherwise)


@pytest.mark.parametrize(("answer", "words"), [
    ("1.7425", "remove the quotes"), ([1.7425], "one number"), (float("nan"), "finite"),
])
def test_q2_wrong_kinds_of_value_say_what_is_expected(answer, words):
    feedback = L.q2.check(answer)
    assert feedback.kind == "incorrect" and words in feedback.message, feedback


# --------------------------------------------------------------------------- the notebook


def stored_cells():
    return json.loads(NOTEBOOK.read_text())["cells"]


def source(cell):
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def shown_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        text = out.get("text") or out.get("data", {}).get("text/plain", "")
        parts.append(text if isinstance(text, str) else "".join(text))
    return "\n".join(parts)


@pytest.mark.parametrize(("check", "answers"), [
    ("q1.check()", ["1.825", "1.83", "1.82"]),
    ("q2.check()", ["1.7425", "1.74"]),
])
def test_no_answer_is_on_screen_before_its_check(check, answers):
    cells = stored_cells()
    position = next(i for i, c in enumerate(cells) if source(c).strip() == check)
    before = "\n".join(shown_text(c) for c in cells[:position + 1])
    assert not [a for a in answers if a in before], f"an answer is shown before {check}"


def test_checks_are_not_answered_in_the_stored_lesson():
    for cell in stored_cells():
        if source(cell).strip().startswith(("q1.check()", "q2.check()")):
            assert "Not answered yet" in shown_text(cell)
        if cell["cell_type"] == "code" and ("hint()" in source(cell)
                                            or "solution()" in source(cell)):
            assert all(line.startswith("#") for line in source(cell).splitlines()), \
                "hints and solutions stay commented out"
