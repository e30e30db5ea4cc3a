"""Lesson 07's exercises: each wrong answer a learner plausibly gives is refused with the message
written for it, rounded right answers pass, near misses are told "close", a numerical gradient
is not accepted as a gradient "by hand", and a learner function that loops or sleeps ends as
feedback. The lesson itself shows no answer before its check.

The shared checks (solutions run through their own check, declared mistakes, garbage answers)
are in test_exercises_framework.py.
"""

import copy
import math
import re
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest

from numdiff_lib import check_gradient, numerical_derivative
from numdiff_lib import exercises as ex
from numdiff_lib.exercises import lesson07
from numdiff_lib.exercises.lesson07 import Q1, Q2, Q3, W_q2, f_q1, f_q2, grad_q1, v_q2, x_q1
from numdiff_lib.messages import Msg

q1, q2, q3 = lesson07.EXERCISES
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "07_gradient_checking.ipynb"

# The framework's own messages that these answers must get (compared as msgids).
TEXT = "{var} should be a number such as {example}, got the text {answer}: remove the quotes."
NOT_FINITE = "{var} must be a finite number, got {answer}."
CLOSE = "close — give the answer to {digits}."
DIGIT_OFF = ex.DIGIT_OFF  # a near miss that has the digits asked for
NOT_A_FUNCTION = "{var} should be a function (def {var}(...): ...), got {kind}."
TIMED_OUT = ("checking your answer took longer than {seconds:g} s, so it was stopped. Does a "
             "loop in your code end? Does it call f or print far more often than needed?")


def msgid(feedback):
    message = feedback._message
    return message.msgid if isinstance(message, Msg) else message


def declared(exercise, words):
    """The msgid of the one declared mistake of `exercise` whose message contains `words`."""
    found = {m.message for m in exercise.mistakes if words in m.message}
    assert len(found) == 1, f"{exercise.var}: {len(found)} messages contain {words!r}"
    return found.pop()


def assert_told(exercise, answer, message, kind="incorrect"):
    feedback = exercise.check(answer)
    assert feedback.kind == kind, f"{exercise.var} = {answer!r}: {feedback!r}"
    assert msgid(feedback) == message, (
        f"{exercise.var} = {answer!r} should be told {message[:60]!r}, got {feedback!r}")
    return feedback


# --------------------------------------------------------------------------- q1: read a check

CHECK = check_gradient(f_q1, grad_q1, x_q1)
NUM, ANA = CHECK.numerical, CHECK.analytic


def test_q1_expected_value_is_what_check_gradient_reports_and_it_fails():
    assert q1.expected == CHECK.rel_error
    assert 0.4545 < q1.expected < 0.4550  # "about 0.45", as the solution says
    assert not CHECK.passed() and CHECK.rel_error > 1e-4
    assert CHECK.worst_index == (1,)


@pytest.mark.parametrize("answer", [
    0.45,  # two decimals, as the question asks and as the solution rounds
    0.455, 0.4548, round(CHECK.rel_error, 3), CHECK.rel_error, np.float64(CHECK.rel_error),
    np.float32(0.45), np.array(0.45),
    check_gradient(f_q1, grad_q1, x_q1, method="forward").rel_error,  # another stencil
])
def test_q1_rounded_right_answers_pass(answer):
    feedback = q1.check(answer)
    assert feedback.correct, f"{answer!r}: {feedback!r}"
    assert "0.4548" in repr(feedback)


@pytest.mark.parametrize(("answer", "expected"), [
    (0.5, CLOSE),                                                 # one decimal: ask for two
    (0.46, DIGIT_OFF), (0.44, DIGIT_OFF), (0.41, DIGIT_OFF), (0.49, DIGIT_OFF)])  # a digit off
def test_q1_near_misses_are_told_close_with_the_digits(answer, expected):
    feedback = assert_told(q1, answer, expected, kind="close")
    assert "2 decimals" in repr(feedback)


ELEMENTWISE = float(np.max(np.abs(NUM - ANA) / np.maximum(np.abs(NUM), np.abs(ANA))))


@pytest.mark.parametrize(("answer", "words"), [
    (1e-10, "what a correct gradient gives"),
    (0.0, "what a correct gradient gives"),
    (7e-10, "what a correct gradient gives"),
    (-CHECK.rel_error, "never negative"),
    (-0.45, "never negative"),
    (float(np.max(np.abs(NUM - ANA))), "largest absolute difference"),
    (8.0, "largest absolute difference"),
    (float(np.linalg.norm(NUM - ANA)), "‖numerical − analytic‖, the length"),
    (8.26, "‖numerical − analytic‖, the length"),
    (float(np.linalg.norm(NUM - ANA) / np.linalg.norm(NUM)), "‖numerical‖ alone"),
    (0.63, "‖numerical‖ alone"),
    (float(np.linalg.norm(NUM - ANA) / np.linalg.norm(ANA)), "‖analytic‖ alone"),
    (1.62, "‖analytic‖ alone"),
    (ELEMENTWISE, "element-wise"),
    (2.0, "element-wise"),
    (45.48, "percentage"),
    (45, "percentage"),
])
def test_q1_plausible_mistakes_are_named(answer, words):
    assert_told(q1, answer, declared(q1, words))


def test_q1_correct_gradient_message_shows_its_round_off_with_one_digit():
    text = repr(q1.check(1e-10))
    assert re.search(r"scores about \de-1\d\)", text), text


@pytest.mark.parametrize(("answer", "message"), [
    (CHECK, Q1.WHOLE_RESULT),
    (True, Q1.PASSED), (False, Q1.PASSED), (np.bool_(False), Q1.PASSED),
    ("0.45", TEXT), ("wrong", TEXT),
    (math.nan, NOT_FINITE), (math.inf, NOT_FINITE),
    (0.01, q1.otherwise), (0.3, q1.otherwise), (0.9, q1.otherwise),
])
def test_q1_answers_that_are_not_the_number(answer, message):
    assert_told(q1, answer, message)


def test_q1_named_mistakes_never_catch_an_answer_in_the_near_miss_band():
    # Everything within NEAR times the tolerance of the answer is "correct" or "close", never
    # one of the named mistakes (which are functions here, to forgive the learner's rounding).
    tol = q1.tolerance
    band = ex.NEAR * tol.atol
    for got in np.linspace(q1.expected - band, q1.expected + band, 401):
        hits = [m.message[:40] for m in q1.mistakes if m.value(float(got))]
        assert not hits, f"{got}: {hits}"
        assert q1.check(float(got)).kind in ("correct", "close")


def test_q1_question_states_the_digits():
    assert "to two decimals" in cell_containing("**Exercise 1.**").source


# --------------------------------------------------------------------------- q2: by hand

def loops(W):
    g = np.zeros_like(W)
    for i in range(W.shape[0]):
        u_i = sum(W[i, j] * v_q2[j] for j in range(W.shape[1]))
        for j in range(W.shape[1]):
            g[i, j] = 2 * u_i * v_q2[j]
    return g


@pytest.mark.parametrize("grad", [
    lambda W: 2 * np.outer(W @ v_q2, v_q2),
    lambda W: 2 * W @ np.outer(v_q2, v_q2),
    lambda W: np.einsum("i,j->ij", 2 * (W @ v_q2), v_q2),
    lambda W: 2 * (W @ v_q2)[:, None] * v_q2[None, :],
    lambda W: (2 * np.outer(W @ v_q2, v_q2)).tolist(),
    loops,
])
def test_q2_gradients_by_hand_pass(grad):
    feedback = q2.check(grad)
    assert feedback.correct, repr(feedback)


def notebook_function(source):
    """A function defined as a learner would, in a namespace like the notebook's."""
    namespace = {}
    exec(lesson07.SOLUTION_SETUP + source, namespace)  # noqa: S102 — test code
    return namespace, namespace["grad_q2"]


NUMERICAL_BY_F_Q2 = """
def grad_q2(W):
    return numerical_derivative(f_q2, W)
"""
OWN_DIFFERENCES_BY_F_Q2 = """
def grad_q2(W):
    g = np.zeros_like(W)
    for idx in np.ndindex(W.shape):
        up, down = W.copy(), W.copy()
        up[idx] += 1e-4
        down[idx] -= 1e-4
        g[idx] = (f_q2(up) - f_q2(down)) / 2e-4
    return g
"""
OWN_DIFFERENCES_OF_RETYPED_F = """
def grad_q2(W, h={h}):
    g = np.zeros_like(W)
    f = lambda M: np.sum((M @ v_q2) ** 2)  # f typed again, so f_q2 is never called
    for idx in np.ndindex(W.shape):
        up, down = W.copy(), W.copy()
        up[idx] += h
        down[idx] -= h
        g[idx] = (f(up) - f(down)) / (2 * h)
    return g
"""
NUMERICAL_OF_OWN_F = """
def grad_q2(W):
    return numerical_derivative(lambda w: np.sum((w @ v_q2) ** 2), W)
"""
REFEREE_ITSELF = """
def grad_q2(W):
    return check_gradient(lambda w: np.sum((w @ v_q2) ** 2), lambda w: w, W).numerical
"""
PRINTS_F = """
def grad_q2(W):
    print("f =", f_q2(W))  # evaluating f is not needed for a gradient by hand
    return 2 * np.outer(W @ v_q2, v_q2)
"""


@pytest.mark.parametrize(("source", "message"), [
    (NUMERICAL_BY_F_Q2, Q2.EVALUATES_F),
    (OWN_DIFFERENCES_BY_F_Q2, Q2.EVALUATES_F),
    (PRINTS_F, Q2.EVALUATES_F),
    ("def grad_q2(W):\n    return f_q2(W)\n", Q2.RETURNED_F),
    (NUMERICAL_OF_OWN_F, Q2.CALLS_LIBRARY),
    (REFEREE_ITSELF, Q2.CALLS_LIBRARY),
])
def test_q2_numerical_gradients_are_refused(source, message):
    namespace, grad = notebook_function(source)
    # Without the check these really are (numerically) right gradients: the point.
    if message != Q2.RETURNED_F:
        assert check_gradient(f_q2, grad, W_q2).passed()
    assert_told(q2, grad, message)
    assert namespace["f_q2"] is lesson07.f_q2 is lesson07._f_q2, "f_q2 not restored"
    assert sys.getprofile() is None


@pytest.mark.parametrize("h", [1e-6, 1e-4, 1e-3, 1e-2, 1e-1])
def test_q2_finite_differences_of_a_retyped_f_are_refused_by_their_missing_digits(h):
    # f is quadratic, so a central difference is exact but for round-off ~ ε·|f|/Δx: right to
    # 1e-7, as check_gradient sees it, yet short of the ~16 digits a formula keeps.
    _, grad = notebook_function(OWN_DIFFERENCES_OF_RETYPED_F.format(h=h))
    assert check_gradient(f_q2, grad, W_q2).passed()
    feedback = assert_told(q2, grad, Q2.FINITE_DIFFERENCE)
    assert 1 <= feedback._message.fields["digits"] <= 14


def test_q2_numerical_gradient_through_the_module_is_counted():
    feedback = assert_told(q2, lambda W: numerical_derivative(lesson07.f_q2, W), Q2.EVALUATES_F)
    assert feedback._message.fields["calls"] == 2 * W_q2.size
    assert lesson07.f_q2 is lesson07._f_q2


def mutates(W):
    W *= 1.0
    W[0, 0] = 5.0
    return 2 * np.outer(W_q2 @ v_q2, v_q2)


@pytest.mark.parametrize(("grad", "message"), [
    (lambda W: 2 * np.outer(v_q2, W @ v_q2), Q2.TRANSPOSED),
    (lambda W: (2 * np.outer(W @ v_q2, v_q2)).T, Q2.TRANSPOSED),
    (lambda W: np.outer(W @ v_q2, v_q2), Q2.HALF),
    (lambda W: -2 * np.outer(W @ v_q2, v_q2), Q2.SIGN),
    (lambda W: 4 * np.outer(W @ v_q2, v_q2), Q2.DOUBLE),
    (lambda W: -np.outer(W @ v_q2, v_q2), Q2.SIGN_HALF),
    (lambda W: 2 * W, Q2.TWO_W),
    (lambda W: 2 * W @ v_q2, Q2.SLOPE_IN_U),
    (lambda W: 2 * np.outer(W_q2 @ v_q2, v_q2), Q2.IGNORES_W),
    (lambda W: 2 * (W @ v_q2) * v_q2, Q2.RAISED),  # shapes (2,) and (3,) do not broadcast
    (lambda W: 1 / 0, Q2.RAISED),
    (lambda W: None, Q2.NONE),
    (lambda W: 3.0, Q2.ONE_NUMBER),
    (lambda W: W @ v_q2, Q2.SHAPE),
    (lambda W: np.outer(v_q2, v_q2), Q2.SHAPE),
    (lambda W: np.full((2, 3), np.nan), Q2.NOT_FINITE),
    (lambda W: [["a", "b", "c"], ["d", "e", "f"]], Q2.NOT_NUMBERS),
    (lambda W: np.zeros((200, 200)), Q2.TOO_LARGE),
    (lambda W: np.ones((2, 3)), Q2.OTHERWISE),
    (lambda W: 2 * np.outer(W @ v_q2, v_q2) + 1e-3, Q2.OTHERWISE),
    (mutates, Q2.CHANGED_W),
    (42, NOT_A_FUNCTION), (np.ones((2, 3)), NOT_A_FUNCTION),
])
def test_q2_plausible_mistakes_are_named(grad, message):
    assert_told(q2, grad, message)


def test_q2_worst_entry_is_named_for_an_unknown_mistake():
    text = repr(q2.check(lambda W: np.ones((2, 3))))
    assert "worst entry is (" in text and "numerical" in text and "yours" in text


def test_q2_template_counts_as_unanswered():
    namespace, template = notebook_function("def grad_q2(W):\n    return ...\n")
    assert_told(q2, template, q2.unanswered_msgid, kind="unanswered")
    assert msgid(q2.bind(namespace).check()) == q2.unanswered_msgid
    assert "`...`" in repr(q2.bind(namespace).check())  # says what to write, not `grad_q2 = ...`


@pytest.mark.slow  # waits out a time limit on purpose
def test_q2_a_looping_function_ends_as_feedback_within_the_time_limit():
    namespace, endless = notebook_function(
        "def grad_q2(W):\n    while True:\n        f_q2(W)\n")
    start = time.monotonic()
    feedback = assert_told(q2.bind(namespace), endless, TIMED_OUT)
    assert time.monotonic() - start < ex.CHECK_SECONDS + 5
    # Stopped in the middle of a call of the wrapped f_q2: everything is put back.
    assert namespace["f_q2"] is lesson07.f_q2 is lesson07._f_q2
    assert sys.getprofile() is None
    assert "took longer" in repr(feedback)


@pytest.mark.slow  # waits out a time limit on purpose
def test_q2_a_sleeping_function_ends_as_feedback_within_the_time_limit():
    short = copy.copy(q2)
    short.seconds = 2.0  # the same guard as the real 10 s, to keep the suite quick
    start = time.monotonic()
    assert_told(short, lambda W: time.sleep(60), TIMED_OUT)
    assert time.monotonic() - start < short.seconds + 5


def test_q2_learner_cannot_change_the_question():
    for array in (x_q1, v_q2, W_q2):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 7.0
    assert_told(q2, lambda W: v_q2.__imul__(2), Q2.RAISED)
    assert q2.check(lambda W: 2 * np.outer(W @ v_q2, v_q2)).correct


# --------------------------------------------------------------------------- q3: count

N_PARAMS = 784 * 100 + 100 + 100 * 10 + 10


@pytest.mark.parametrize("answer", [159020, 159020.0, 159_020, 1.5902e5, np.int64(159020),
                                    np.float64(159020), 2 * N_PARAMS])
def test_q3_right_count_passes(answer):
    assert q3.check(answer).correct


@pytest.mark.parametrize(("answer", "words"), [
    (N_PARAMS, "that is n, the number of parameters"),
    (N_PARAMS + 1, "forward differences"),
    (2 * N_PARAMS + 1, "never need the loss at x itself"),
    (2 * (784 * 100 + 100 * 10), "you left out the biases"),
    (784 * 100 + 100 * 10, "weights only"),
    (2 * (N_PARAMS - 100), "you left out a bias"),
    (2 * (N_PARAMS - 10), "you left out a bias"),
    (79520, "that is the lesson's 784-50-10"),
    (39760, "that is n for the lesson's"),
    (1788, "units (neurons)"),
    (894, "units (neurons)"),
    (1_568_000, "multiplies the layer sizes"),
    (784_000, "multiplies the layer sizes"),
])
def test_q3_plausible_mistakes_are_named(answer, words):
    assert_told(q3, answer, declared(q3, words))


@pytest.mark.parametrize(("answer", "message"), [
    (math.inf, NOT_FINITE), (-math.inf, NOT_FINITE), (math.nan, NOT_FINITE),
    (10**400, NOT_FINITE),
    ((159, 20), Q3.TUPLE),  # evals_q3 = 159,020 would not even parse; 79,510 makes a tuple
    ((79, 510), Q3.TUPLE),
    (159020.5, Q3.WHOLE), (1.5, Q3.WHOLE),
    ("159020", TEXT), ("many", TEXT),
    (12, q3.otherwise), (-159020, q3.otherwise), (0, q3.otherwise),
])
def test_q3_answers_that_are_not_a_count(answer, message):
    feedback = assert_told(q3, answer, message)
    assert "Error" not in repr(feedback)  # never "checking your answer raised OverflowError"


# --------------------------------------------------------------------------- all three


@pytest.mark.parametrize("exercise", lesson07.EXERCISES, ids=lambda q: q.var)
def test_unanswered_hints_and_solution(exercise):
    for blank in (None, ...):
        feedback = exercise.check(blank)
        assert feedback.kind == "unanswered" and exercise.var in feedback.message
    bound = exercise.bind({})
    first, second = bound.hint(), bound.hint()
    assert first.kind == second.kind == "hint" and first.message != second.message
    assert exercise.solution().code and exercise.solution().message


def test_check_reads_the_bound_notebook_variable():
    namespace = {}
    bound = q1.bind(namespace)
    assert bound.check().kind == "unanswered"
    namespace["rel_error_q1"] = 0.45
    assert bound.check().correct
    namespace["rel_error_q1"] = 8.0
    assert msgid(bound.check()) == declared(q1, "largest absolute difference")


# --------------------------------------------------------------------------- the notebook


def cells():
    return nbformat.read(NOTEBOOK, as_version=4).cells


def cell_containing(text, kind=None):
    found = [c for c in cells() if text in c.source and kind in (None, c.cell_type)]
    assert len(found) == 1, f"{len(found)} cells contain {text!r}"
    return found[0]


def output_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        parts.extend(str(v) for k, v in out.get("data", {}).items() if k.startswith("text/"))
    return "".join(parts)


@pytest.mark.parametrize(("check", "answers"), [
    ("q1.check()", ["check_gradient(f_q1, grad_q1, x_q1)", "0.45", "0.4548", "0.455"]),
    ("q2.check()", ["np.outer(W @ v_q2", "outer(W @ v", "2·(W v) vᵀ", "2 * np.outer"]),
    ("q3.check()", ["159020", "159,020", "159_020", "79,510", "79510"]),
])
def test_no_output_before_a_check_gives_its_answer_away(check, answers):
    seen = []
    for cell in cells():
        if cell.cell_type == "code" and cell.source.strip() == check:
            break
        if cell.cell_type == "code":
            seen.append(output_text(cell))
    else:
        pytest.fail(f"no cell runs {check}")
    shown = "\n".join(seen)
    for answer in answers:
        assert answer not in shown, f"{answer!r} is on screen before {check}"


def test_exercises_are_bound_explicitly_and_hints_stay_commented():
    source = "\n".join(c.source for c in cells() if c.cell_type == "code")
    assert "q1, q2, q3 = lesson07.bind(globals())" in source
    for q in ("q1", "q2", "q3"):
        for call in (f"{q}.hint()", f"{q}.solution()"):
            lines = [line for line in source.splitlines() if call in line]
            assert lines and all(line.lstrip().startswith("#") for line in lines), call


def test_only_the_timing_cell_ignores_its_output():
    ignored = [c for c in cells() if "nbval-ignore-output" in c.metadata.get("tags", [])]
    assert len(ignored) == 1 and "time.perf_counter()" in ignored[0].source
    tags = ignored[0].metadata["tags"]
    reasons = [t for t in tags if t.startswith("nondeterministic:")]
    assert reasons and len(reasons[0].split(":", 1)[1].split()) >= 3


def test_every_static_figure_is_described_and_marked():
    all_cells = cells()
    figures = 0
    for i, cell in enumerate(all_cells):
        if cell.cell_type == "code" and any("image/png" in o.get("data", {})
                                            for o in cell.outputs):
            figures += 1
            assert cell.source.startswith("# extra code — draws the figure"), i
            after = all_cells[i + 1]
            assert after.cell_type == "markdown" and after.source.startswith("*Figure:* "), i
    assert figures >= 1


def test_chain_rule_numbers_agree_with_the_exact_derivative():
    # z = y1·exp(y2), y1 = x1·x2, y2 = sin x1 + x2², at (0.5, -1.2): the printed sum over paths
    # is the true gradient to the six decimals shown.
    x1, x2 = 0.5, -1.2
    e = math.exp(math.sin(x1) + x2**2)
    exact = (x2 * e + x1 * x2 * e * math.cos(x1), x1 * e + x1 * x2 * e * 2 * x2)
    text = output_text(cell_containing("dz_dy @ dy_dx", "code"))
    for line in ("sum over both paths", "z nudged directly"):
        row = next(r for r in text.splitlines() if r.startswith(line))
        assert f"{exact[0]:+.6f}" in row and f"{exact[1]:+.6f}" in row, row
    one_path = next(r for r in text.splitlines() if r.startswith("path through y1 only"))
    assert f"{exact[0]:+.6f}" not in one_path


def test_lesson_has_summary_exercises_further_reading_and_korean_terms():
    markdown = "\n".join(c.source for c in cells() if c.cell_type == "markdown")
    for heading in ("## Summary", "## Exercises", "## Further reading"):
        assert heading in markdown
    reading = markdown.split("## Further reading", 1)[1]
    for source in ("cs231n.github.io/neural-networks-3/#gradcheck", "밑바닥부터 시작하는 딥러닝",
                   "데이터 사이언스 스쿨", "d2l.ai"):
        assert source in reading, source
    for term in ("기울기 확인", "오차역전파법", "연쇄법칙", "순전파", "정규화", "드롭아웃"):
        assert term in markdown, term
