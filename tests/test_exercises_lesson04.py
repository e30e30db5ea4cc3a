"""Lesson 04's exercises: each wrong answer a learner plausibly gives is refused with the message
written for it, rounded right answers pass, near misses are told "close", and every expected
value is what gradient descent really does (not only what the module says).

The shared checks (solutions run through their own check, declared mistakes, garbage answers)
are in test_exercises_framework.py.
"""

import re
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pytest

from numdiff_lib import DivergenceWarning, gradient_descent
from numdiff_lib.exercises import NumberExercise, lesson04
from numdiff_lib.messages import Msg

q1, q2, q3 = lesson04.EXERCISES
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "04_gradient_descent.ipynb"


def msgid(feedback):
    message = feedback._message
    return message.msgid if isinstance(message, Msg) else message


def declared(exercise, words):
    """The msgid of the one mistake of `exercise` whose message contains `words`."""
    found = {m.message for m in exercise.mistakes if words in m.message}
    if not found and words in exercise.otherwise:
        found = {exercise.otherwise}
    assert len(found) == 1, f"{exercise.var}: {len(found)} messages contain {words!r}"
    return found.pop()


def assert_refused_with(exercise, answer, words):
    feedback = exercise.check(answer)
    assert feedback.kind == "incorrect", f"{exercise.var} = {answer!r}: {feedback!r}"
    assert msgid(feedback) == declared(exercise, words), (
        f"{exercise.var} = {answer!r} should be told {words!r}, got {feedback!r}")


def norm_after(f, lr, steps, start=lesson04.INIT_X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        result = gradient_descent(f, np.array(start), lr=lr, step_num=steps)
    return float(np.linalg.norm(result.x)), result


# --------------------------------------------------------------------------- q1: steps at lr 0.1


def test_q1_answer_is_what_a_real_run_needs():
    # 38 steps end just outside the goal, 39 just inside: the answer comes from runs, not the
    # module's own formula.
    before, _ = norm_after(lesson04.function_2, 0.1, 38)
    after, _ = norm_after(lesson04.function_2, 0.1, 39)
    assert 1e-3 < before < 1.1e-3 and after < 1e-3
    assert q1.expected == 39


@pytest.mark.parametrize("answer", [39, 39.0, np.int64(39), np.float64(39.0), 39 + 1e-12])
def test_q1_right_answers_pass(answer):
    feedback = q1.check(answer)
    assert feedback.correct, feedback
    assert "38 steps" in feedback.message and "0.00104" in feedback.message


@pytest.mark.parametrize(("answer", "words"), [
    (38, "round up, not down"),                 # k > 38.17 rounded down (or start taken as 4)
    (40, "len(result.history)"),                # counted the points of the history
    (23, "f(x) < 10⁻⁶"),                        # loss below 1e-3 instead of distance
    (43, "shortcut of section 5"),              # ln(1/c) ≈ 2·lr from section 5
    (42.59, "shortcut of section 5"),           # ... unrounded
    (42.6, "shortcut of section 5"),
    (81, "1 − lr = 0.9"),                       # forgot the 2 of the gradient 2x
    (36, "x0 = −3 alone"),                      # distance 3 instead of 5
    (4, "lr itself as the factor"),             # factor 0.1
    (20, "lesson's step_num"),                  # copied the lesson's run length
    (38.17, "steps come whole"),                # the real-valued crossing
    (38.2, "steps come whole"),
    (38.5, "steps come whole"),
    (12.5, "is a whole number"),
    (0, "is positive"),
    (-39, "is positive"),                       # no "wrong sign" message for a count
    (100, "the smallest number"),               # the seed's 100 steps
    (50, "the smallest number"),
    (10, "not enough"),                         # the exercise of the old lesson: 10 steps
    (37, "not enough"),
])
def test_q1_wrong_answers_get_their_message(answer, words):
    assert_refused_with(q1, answer, words)


def test_q1_messages_do_not_give_the_answer_away():
    # Feedback on a wrong answer guides; it never states the number of steps.
    for answer in (38, 40, 23, 43, 81, 36, 4, 20, 38.17, 12.5, 0, 100, 10):
        assert not re.search(r"\b39\b", q1.check(answer).message), answer


def test_q1_text_answers_are_told_to_drop_the_quotes():
    assert "remove the quotes" in q1.check("39").message


# --------------------------------------------------------------------------- q2: one step by hand


def test_q2_answer_is_one_real_step():
    _, run = norm_after(lesson04.h_q2, 0.25, 1)
    np.testing.assert_allclose(run.x, [-1.5, -2.0], rtol=1e-7)
    assert q2.check(run.x).correct  # a numerically computed step passes as well


@pytest.mark.parametrize("answer", [(-1.5, -2), [-1.5, -2.0], np.array([-1.5, -2.0]),
                                    (-1.50, -2.00), (-1.504, -1.996)])
def test_q2_right_and_rounded_answers_pass(answer):
    feedback = q2.check(answer)
    assert feedback.correct, feedback
    assert "does not point at the minimum" in feedback.message


@pytest.mark.parametrize(("answer", "words"), [
    ((-4.5, 10.0), "moved uphill"),              # x + lr·∇h
    ((-2.25, 1.0), "∇h = (x0, 3·x1)"),           # no power rule at all
    ((-1.5, 1.0), "not 3·x1"),                   # power rule missed on 3x1²
    ((-1.5, 2.0), "forgot the 3"),               # the round bowl's step
    ((-1.5, 6.0), "not the new point"),          # the step lr·∇h itself
    ((1.5, -6.0), "plus this move"),             # the move −lr·∇h itself
    ((-6.0, 24.0), "that is the gradient"),      # ∇h itself
    ((3.0, -20.0), "learning rate is missing"),  # lr = 1
    ((-2.4, 1.6), "lr = 0.1, the lesson's"),     # the lesson's learning rate
    ((-2.4, 3.2), "first step of the lesson's run"),
    ((-0.75, 1.0), "two steps"),
    ((-2.0, -1.5), "swapped"),
    ((-1.5, 4.0), "only x0 moved"),
    ((-3.0, -2.0), "only x1 moved"),
    ((1.0, 1.0), "not x − 0.25·∇h(x)"),          # anything else: how to get there
])
def test_q2_wrong_answers_get_their_message(answer, words):
    assert_refused_with(q2, answer, words)


def test_q2_sign_slip_and_near_miss():
    assert "wrong sign" in q2.check((1.5, 2.0)).message
    near = q2.check((-1.52, -2.0))
    assert near.kind == "close" and "2 decimals" in near.message


@pytest.mark.parametrize(("answer", "words"), [
    ((-1.5,), "shape (1,)"),
    ([[-1.5], [-2.0]], "right number of values"),
    ("(-1.5, -2)", "the text"),
    ((-1.5, float("nan")), "NaN or inf"),
])
def test_q2_malformed_answers_say_what_is_wrong(answer, words):
    feedback = q2.check(answer)
    assert feedback.kind == "incorrect" and words in feedback.message, feedback


# --------------------------------------------------------------------------- q3: largest lr


def test_q3_bound_is_where_real_runs_stop_converging():
    below, run = norm_after(lesson04.g_q3, 0.195, 400)
    assert not run.diverged and below < 1e-3
    above, run = norm_after(lesson04.g_q3, 0.205, 400)
    assert run.diverged or above > 1
    assert q3.expected == pytest.approx(0.2)


@pytest.mark.parametrize("answer", [0.2, 2 / 10, 1 / 5, 1 - 0.8, 0.2000001])
def test_q3_exact_answers_pass(answer):
    feedback = q3.check(answer)
    assert feedback.correct, feedback
    assert "2/λ_max" in feedback.message


@pytest.mark.parametrize(("answer", "words"), [
    (1.0, "x1 has the factor 1 − 10·lr"),      # the round bowl's bound, or x0's alone
    (1, "x1 has the factor 1 − 10·lr"),
    (0.1, "best lr for x1 alone"),             # 1/λ_max (also the lesson's default lr)
    (0.5, "best lr for x0 alone"),             # 1/λ_min
    (1 / 6, "best fixed lr"),                  # equal rates, 2/(λ_min + λ_max)
    (0.167, "best fixed lr"),
    (0.17, "best fixed lr"),
    (0.4, "5 as the curvature"),               # derivative of 5x1² taken as 5·x1
    (10, "λ_max itself"),
    (0.19, "slightly larger ones do too"),     # converges, but is not the bound
    (0.199, "slightly larger ones do too"),
    (0.25, "the run diverges"),                # beyond the bound
    (0.3, "the run diverges"),
    (0, "is positive"),
    (-0.2, "is positive"),                     # no "wrong sign" message for a bound
    (2.0, "not the bound yet"),
    (0.05, "not the bound yet"),
])
def test_q3_wrong_answers_get_their_message(answer, words):
    assert_refused_with(q3, answer, words)


def test_q3_messages_do_not_give_the_answer_away():
    for answer in (1.0, 0.1, 0.5, 1 / 6, 0.4, 10, 0.19, 0.25, 0, 2.0):
        text = q3.check(answer).message
        assert "0.2" not in text.replace("0.223", "") and "2/10" not in text, (answer, text)


# --------------------------------------------------------------------------- all three


@pytest.mark.parametrize("exercise", [q1, q2, q3], ids=lambda q: q.var)
def test_hints_are_graded_and_the_first_does_not_give_the_answer(exercise):
    bound = exercise.bind({})
    first, second = bound.hint(), bound.hint()
    assert first.message != second.message
    answer = {"steps_q1": "39", "x_q2": "−2)", "lr_max_q3": "0.2"}[exercise.var]
    assert answer not in first.message


def test_number_exercises_ask_for_what_they_check():
    # q1 checks a whole number exactly and q3 an exact value: neither has a digits band.
    for exercise in (q1, q3):
        assert isinstance(exercise, NumberExercise) and not exercise.tolerance.digits


def notebook_cells():
    return nbformat.read(NOTEBOOK, as_version=4).cells


def outputs_text(cell):
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        data = output.get("data", {})
        parts.append(data.get("text/plain", ""))
        parts.append(data.get("text/html", ""))
    return "\n".join(parts)


def test_notebook_binds_the_exercises_explicitly():
    sources = "\n".join(c.source for c in notebook_cells() if c.cell_type == "code")
    assert "q1, q2, q3 = lesson04.bind(globals())" in sources
    assert "from numdiff_lib.exercises.lesson04 import" not in sources


def test_notebook_shows_no_feedback_and_no_answer_before_the_checks():
    cells = notebook_cells()
    checks = [i for i, c in enumerate(cells) if c.cell_type == "code"
              and re.fullmatch(r"q\d\.check\(\)", c.source.strip())]
    assert len(checks) == 3
    for i, cell in enumerate(cells[:checks[-1]]):
        if cell.cell_type != "code":
            continue
        # Only the learner's own, empty check runs: no q.check(answer), hint or solution.
        live = [line for line in cell.source.splitlines() if not line.lstrip().startswith("#")]
        assert not re.search(r"q\d\.(check\(.+\)|hint|solution)", "\n".join(live)), i
        text = outputs_text(cell)
        # The unanswered checks say "set `steps_q1 = ...`"; an answer would have a value there.
        assert not re.search(r"\b39 steps\b|(steps_q1|x_q2|lr_max_q3) = (?!\.\.\.)", text), i
        assert "Raise lr towards" not in text, i


def test_every_static_figure_is_described_right_after_it():
    # Issue 11, figures for projection: a one-line "*Figure:* ..." for learners who cannot see it.
    cells = notebook_cells()
    for i, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        if not any("image/png" in o.get("data", {}) for o in cell.get("outputs", [])):
            continue
        assert cell.source.startswith("# extra code — draws the figure"), i
        after = cells[i + 1]
        assert after.cell_type == "markdown" and after.source.startswith("*Figure:* "), i
        assert "\n" not in after.source.strip(), f"cell {i + 1}: the description is one line"
