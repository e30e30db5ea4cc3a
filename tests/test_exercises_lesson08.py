"""Lesson 08's exercises: the wrong answers a learner plausibly gives, each refused with the
right message, and right answers in their usual forms accepted.

The framework's own tests (test_exercises_framework.py) run every solution through its check,
and throw garbage at every check; this file is about the lesson's mistakes.
"""

import ast
import math
from pathlib import Path

import nbformat
import numpy as np
import pytest

from numdiff_lib import check_gradient, numerical_derivative
from numdiff_lib.autodiff import Value
from numdiff_lib.exercises import lesson08 as L
from numdiff_lib.messages import Msg

NOTEBOOK = (Path(__file__).resolve().parents[1] / "notebooks"
            / "08_from_numerical_to_automatic_differentiation.ipynb")


def msgid(feedback):
    message = feedback._message
    return message.msgid if isinstance(message, Msg) else message


def refused_with(exercise, answer, message):
    feedback = exercise.check(answer)
    assert not feedback.correct, f"{answer!r} was accepted"
    assert msgid(feedback) == message, f"{answer!r}: got {feedback!r}"


# --------------------------------------------------------------------------- q1: exp's rule


def rule(local, *, accumulate=True, upstream=True, children=True, data=math.exp):
    """An exp_op built like the lesson's tanh, with the parts a learner may get wrong."""
    def exp_op(a):
        out = Value(data(a.data), (a,) if children else (), "exp")

        def _backward():
            grad = local(a.data, out.data) * (out.grad if upstream else 1.0)
            if accumulate:
                a.grad += grad
            else:
                a.grad = grad
        out._backward = _backward
        return out
    return exp_op


def right(x, e):
    return e


def test_q1_right_rules_pass():
    for answer in (rule(right), rule(lambda x, e: math.exp(x)),
                   rule(lambda x, e: np.exp(x), data=np.exp)):
        feedback = L.q1.check(answer)
        assert feedback.correct, repr(feedback)
        assert msgid(feedback) == L.PRAISE_Q1


def test_q1_children_as_a_list_pass():
    def exp_op(a):
        out = Value(math.exp(a.data), [a], "exp")

        def _backward():
            a.grad += out.data * out.grad
        out._backward = _backward
        return out
    assert L.q1.check(exp_op).correct


@pytest.mark.parametrize(("answer", "message"), [
    (rule(right, accumulate=False), L.ACCUMULATE_Q1),
    (rule(right, upstream=False), L.UPSTREAM_Q1),
    (rule(right, children=False), L.CHILD_Q1),
    (rule(lambda x, e: x * e), L.POWER_RULE_Q1),
    (rule(lambda x, e: math.exp(x - 1)), L.POWER_RULE2_Q1),
    (rule(lambda x, e: 1.0), L.ONE_Q1),
    (rule(lambda x, e: 1 / x), L.LOG_RULE_Q1),
    (rule(lambda x, e: -e), L.SIGN_Q1),
    (rule(lambda x, e: 2 * e), L.LOCAL_Q1),
    (rule(lambda x, e: x), L.LOCAL_Q1),
    (rule(right, data=lambda x: x), L.DATA_Q1),
    (rule(right, data=lambda x: math.exp(x) + 1), L.DATA_Q1),
], ids=["= instead of +=", "no out.grad", "no children", "a·e^a", "e^(a-1)", "1", "1/a",
        "minus", "2e^a", "a", "data a", "data e^a+1"])
def test_q1_wrong_rules_get_their_message(answer, message):
    refused_with(L.q1, answer, message)


def test_q1_a_value_without_a_rule():
    refused_with(L.q1, lambda a: Value(math.exp(a.data), (a,), "exp"), L.NO_RULE_Q1)


def test_q1_a_rule_copied_from_a_method_uses_self():
    def exp_op(a):
        out = Value(math.exp(a.data), (a,), "exp")

        def _backward():
            self.grad += out.data * out.grad  # noqa: F821 — the learner's slip under test
        out._backward = _backward
        return out
    refused_with(L.q1, exp_op, L.SELF_Q1)


def test_q1_a_rule_that_raises_inside_backward():
    def exp_op(a):
        out = Value(math.exp(a.data), (a,), "exp")

        def _backward():
            a.grad += out.data * out.grad[0]  # a float has no [0]
        out._backward = _backward
        return out
    refused_with(L.q1, exp_op, L.RAISED_BACKWARD_Q1)


@pytest.mark.parametrize("answer", [lambda a: a.exp(), lambda a: np.exp(a),
                                    lambda a: (a * 1.0).exp()],
                         ids=["a.exp()", "np.exp(a)", "(a*1).exp()"])
def test_q1_the_librarys_own_exp_is_refused(answer):
    refused_with(L.q1, answer, L.LIBRARY_Q1)


@pytest.mark.parametrize(("answer", "message"), [
    (lambda a: math.exp(a.data), L.NUMBER_Q1),
    (lambda a: np.exp(a.data), L.NUMBER_Q1),
    (lambda a: None, L.NONE_Q1),
    (lambda a: a, L.SAME_Q1),
    (lambda a: [a], L.NOT_VALUE_Q1),
    (lambda a: math.exp(a), L.RAISED_Q1),
], ids=["float", "numpy float", "None", "a itself", "a list", "math.exp(Value)"])
def test_q1_wrong_kinds_of_result(answer, message):
    refused_with(L.q1, answer, message)


def test_q1_a_value_of_the_notebooks_own_class():
    class Value:  # the notebook's first, recording-only class, re-run by the learner
        def __init__(self, data, children=(), op=""):
            self.data, self.grad, self._children = data, 0.0, children
            self._backward = lambda: None

    refused_with(L.q1, lambda a: Value(math.exp(a.data), (a,), "exp"), L.OTHER_VALUE_Q1)


def test_q1_the_template_is_unanswered():
    def exp_op(a):
        return ...
    feedback = L.bind({"exp_op": exp_op})[0].check()
    assert feedback.kind == "unanswered" and msgid(feedback) == L.UNANSWERED_Q1


# --------------------------------------------------------------------------- q2: counting

N = L.N_Q2


def test_q2_parameter_count():
    assert N == 10 * 64 + 64 + 64 * 64 + 64 + 64 * 5 + 5 == 5189


@pytest.mark.parametrize("answer", [[2 * N, N, 1], (10378, 5189, 1), np.array([10378, 5189, 1]),
                                    [10378.0, 5189.0, 1.0]])
def test_q2_right_answers_pass(answer):
    assert L.q2.check(answer).correct


@pytest.mark.parametrize(("answer", "index"), [
    ([2 * N, 1, N], 0),                # forward and reverse swapped
    ([2 * 5056, 5056, 1], 1),          # biases left out
    ([5056 * 2, N, 1], 1),
    ([N, N, 1], 2),                    # central counted once per parameter
    ([N + 1, N, 1], 3),                # forward differences
    ([2 * N, 2 * N, 1], 4),            # forward mode counted like central differences
    ([2 * N, 1, 1], 5),                # one forward-mode pass
    ([2 * N, N, N], 6),                # reverse mode one per parameter
    ([2 * N, N, 2 * N], 6),
    ([2 * N, N, 2], 7),                # forward + backward counted
])
def test_q2_wrong_counts_get_their_message(answer, index):
    refused_with(L.q2, answer, L.q2.mistakes[index].message)


def test_q2_other_wrong_counts_get_the_parameter_list():
    refused_with(L.q2, [2 * 5000, 5000, 1], L.q2.otherwise)
    refused_with(L.q2, [2 * N, N, 0], L.q2.otherwise)


def test_q2_shape_mistakes():
    feedback = L.q2.check(2 * N)
    assert not feedback.correct and "shape" in repr(feedback)
    feedback = L.q2.check([[2 * N, N, 1]])
    assert not feedback.correct


# --------------------------------------------------------------------------- q3: the wrong step


def test_q3_the_planted_bug_is_where_the_exercise_says():
    result = check_gradient(L.f_q3, L.grad_q3, L.x_q3)
    assert result.rel_error > 1e-4
    wrong = ~np.isclose(result.numerical, result.analytic, rtol=1e-6, atol=1e-8)
    assert wrong.tolist() == [True, True, False]   # entries 0 and 1, not 2
    assert check_gradient(L.f_q3, L.grad_q3_fixed, L.x_q3).passed(1e-7)
    u = L.x_q3[0] * L.x_q3[1]
    assert not math.isclose(1 - np.tanh(u), numerical_derivative(np.tanh, u), rel_tol=1e-3)
    w = np.exp(L.x_q3[2])
    v = np.tanh(u)
    assert math.isclose(w, numerical_derivative(lambda t: t * w + L.x_q3[1] ** 2, v),
                        rel_tol=1e-8)   # (A) is right


@pytest.mark.parametrize("answer", ["C", "c", " C ", "c\n"])
def test_q3_the_right_letter_passes(answer):
    assert L.q3.check(answer).correct


@pytest.mark.parametrize("letter", list("ABDEF"))
def test_q3_each_wrong_letter_gets_its_own_explanation(letter):
    refused_with(L.q3, letter, L.q3.options[letter.lower()])


@pytest.mark.parametrize("answer", ["dv_du", "(C)", 3, "G"])
def test_q3_other_answers_are_told_the_options(answer):
    feedback = L.q3.check(answer)
    assert not feedback.correct and "should be one of" in repr(feedback)


def test_q3_notebook_shows_the_modules_code():
    # The learner reads f_q3 and grad_q3 in the notebook; the check's answer is about the
    # module's copy. They must be the same code.
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    source = next(c.source for c in cells if c.cell_type == "code" and "def grad_q3" in c.source)
    shown = {n.name: ast.dump(n) for n in ast.parse(source).body
             if isinstance(n, ast.FunctionDef)}
    module = ast.parse(Path(L.__file__).read_text(encoding="utf-8"))
    for node in module.body:
        if isinstance(node, ast.FunctionDef) and node.name in ("f_q3", "grad_q3"):
            node.body = [s for s in node.body
                         if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
            assert shown[node.name] == ast.dump(node), f"{node.name} differs"
    assert "x_q3 = np.array([0.8, -0.5, 0.3])" in source
    assert L.x_q3.tolist() == [0.8, -0.5, 0.3]


# --------------------------------------------------------------------------- no answer on screen


def test_no_output_before_the_checks_gives_an_answer_away():
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    first_check = next(i for i, c in enumerate(cells)
                       if c.cell_type == "code" and "q1.check()" in c.source)
    before = "\n".join(
        "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) for o in
                c.get("outputs", []))
        for c in cells[:first_check] if c.cell_type == "code")
    for answer in ("10378", "10,378", "5189", "5,189", "1 - v**2", "out.data * out.grad",
                   "a.grad += out.data"):
        assert answer not in before, answer
    sources = "\n".join(c.source for c in cells[:first_check])
    assert "exp_op" not in sources.split("**Exercise 1.**")[0]
