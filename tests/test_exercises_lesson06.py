"""Lesson 06's exercises: the wrong answers a learner plausibly gives, each refused with the right
message (compared by msgid), and right answers — rounded as the question allows, or written in
any equivalent form — accepted. The framework's own checks (solutions, garbage, declared
mistakes of number and array exercises) are in test_exercises_framework.py.

q1  the six partial derivatives of exp(x² + 2y²) as SymPy formulas (the seed's 4.2.4 / 4.2.6)
q2  the Hessian at (0.5, −0.5) as numbers, to 6 significant digits
q3  where the bell curve exp(−x²/2) is concave
"""

import math
import time
import warnings

import numpy as np
import pytest
import sympy

from numdiff_lib import hessian, numerical_derivative
from numdiff_lib.exercises import expressions
from numdiff_lib.exercises import lesson06 as L
from numdiff_lib.exercises.expressions import PROOF_SECONDS, VALUE_SECONDS
from numdiff_lib.messages import Msg

x, y, z = sympy.symbols("x y z")
E = sympy.exp(x**2 + 2 * y**2)
P = np.array([0.5, -0.5])
EXP = math.exp(0.75)  # f(0.5, -0.5)
RIGHT = {"f_x": 2 * x * E, "f_y": 4 * y * E, "f_xx": (2 + 4 * x**2) * E,
         "f_xy": 8 * x * y * E, "f_yx": 8 * x * y * E, "f_yy": (4 + 16 * y**2) * E}
ORDER = {"f_x": (x,), "f_y": (y,), "f_xx": (x, x), "f_xy": (x, y), "f_yx": (y, x),
         "f_yy": (y, y)}


def msgid(feedback):
    message = feedback._message
    return message.msgid if isinstance(message, Msg) else message


def entry(feedback):
    """For q1: (the entry named, the msgid of what is said about it)."""
    message = feedback._message
    inner = message.fields["message"]
    return message.fields["key"], inner.msgid if isinstance(inner, Msg) else inner


def hessian_quiet(*args, **kwargs):
    with warnings.catch_warnings():  # hessian warns about a too-small delta_x: tested in core
        warnings.simplefilter("ignore", RuntimeWarning)
        return hessian(*args, **kwargs)


def nested(f, p, inner=None, outer=None):
    """A Hessian from nested numerical_derivative calls: d/dx_j of (d/dx_i f)."""
    return np.array([numerical_derivative(
        lambda q, i=i: numerical_derivative(f, q, delta_x=inner)[i], p, delta_x=outer)
        for i in range(2)])


# --------------------------------------------------------------------------- references


def test_expected_values_are_sympys():
    for name, order in ORDER.items():
        assert sympy.simplify(L.PARTIALS[name] - sympy.diff(E, *order)) == 0, name
    at = {x: 0.5, y: -0.5}
    np.testing.assert_allclose(L.HESSIAN, np.array(sympy.hessian(E, (x, y)).subs(at),
                                                    dtype=float), rtol=1e-14)
    np.testing.assert_allclose(L.HESSIAN, EXP * np.array([[3, -2], [-2, 8]]), rtol=1e-14)
    for name, order in (("xxxx", (x, 4)), ("yyyy", (y, 4)), ("xxxy", (x, 3, y)),
                        ("xyyy", (x, y, 3))):
        assert L.D4[name] == pytest.approx(float(sympy.diff(E, *order).subs(at)), rel=1e-14)


def test_truncation_pattern_is_that_of_hessian_with_a_large_step():
    # error = hessian(h) - H ≈ h²/12·f⁗ on the diagonal: the step read back is h.
    for h in (0.1, 0.03, 0.01, 3e-3):
        step = L.truncation_step(hessian(L.f_q, P, delta_x=h) - L.HESSIAN)
        assert step == pytest.approx(h, rel=0.25), h


# --------------------------------------------------------------------------- q1: formulas


@pytest.mark.parametrize("answer", [
    RIGHT,
    {name: sympy.diff(E, *order) for name, order in ORDER.items()},            # 4.2.6
    {name: sympy.Derivative(E, *order) for name, order in ORDER.items()},      # unevaluated
    {name: sympy.factor(sympy.diff(E, *order)) for name, order in ORDER.items()},
    {**RIGHT, "f_xx": 2 * E + 2 * x * (2 * x * E), "f_yy": 4 * E + 16 * y**2 * E},
    {**RIGHT, "f_x": 2 * x * sympy.E ** (x**2 + 2 * y**2)},
    {**RIGHT, "f_xy": 8.0 * x * y * E},                                        # 8.0 is 8
    {name: expr.subs({x: sympy.Symbol("x", real=True)}) for name, expr in RIGHT.items()},
], ids=["by-hand", "sympy.diff", "Derivative", "factor", "expanded", "E**u", "float-8",
        "real-symbol"])
def test_q1_right_formulas_in_any_equal_form_pass(answer):
    feedback = L.q1.check(answer)
    assert feedback.correct, feedback


def test_q1_each_known_mistake_gets_its_own_message():
    for name, part in L._PARTS.items():
        for m in part.mistakes:
            feedback = L.q1.check({**RIGHT, name: m.value})
            assert feedback.kind == "incorrect", (name, m.value, feedback)
            assert entry(feedback) == (name, m.message), (name, m.value, feedback)


@pytest.mark.parametrize(("name", "answer", "message"), [
    ("f_xy", 0, L._MIXED_ZERO),          # a plain 0: "the mixed partials are zero"
    ("f_yx", 0.0, L._MIXED_ZERO),
    ("f_xx", 2, L._EXPONENT_2ND),
    ("f_x", E, L._CHAIN),                # "the derivative of exp is exp"
    ("f_y", 2 * y * E, L._FOUR_Y),       # ∂/∂y 2y² = 2y
    ("f_x", (2 * x + 4 * y) * E, L._BOTH),
    ("f_xx", 4 * x**2 * E, L._HALF_FIRST),
    ("f_xy", 2 * x * E, L._ONCE_MORE),   # forgot to differentiate again
])
def test_q1_plausible_mistakes_are_named(name, answer, message):
    feedback = L.q1.check({**RIGHT, name: answer})
    assert feedback.kind == "incorrect"
    assert entry(feedback) == (name, message), feedback


def test_q1_feedback_names_the_entries_already_right():
    feedback = L.q1.check({**RIGHT, "f_yy": 4 * E})
    assert msgid(feedback) == "{key}: {message} ({right}: right.)"
    assert feedback._message.fields["right"] == "f_x, f_y, f_xx, f_xy, f_yx"


@pytest.mark.parametrize(("answer", "words"), [
    ({**RIGHT, "f_x": 2.117}, ["f_x", "number 2.117", "not its value at a point"]),
    ({**RIGHT, "f_y": "4*y*exp(x**2 + 2*y**2)"}, ["f_y", "text", "Remove the quotes"]),
    ({**RIGHT, "f_xx": (2 + 4 * z**2) * E}, ["f_xx", "symbol(s) z"]),
    ({**RIGHT, "f_yy": sympy.Eq(y, 1)}, ["f_yy", "equation or comparison"]),
    ({**RIGHT, "f_yx": 8 * x * y * E + 1e-12}, ["f_yx", "decimal"]),
])
def test_q1_wrong_kinds_of_entry_are_named(answer, words):
    feedback = L.q1.check(answer)
    assert feedback.kind == "incorrect"
    for word in words:
        assert word in feedback.message, feedback


@pytest.mark.parametrize(("answer", "words"), [
    (list(RIGHT.values()), ["list of 6", "dict"]),
    (2 * x * E, ["one formula", "6"]),
    ({**RIGHT, "fxy": 0}, ["'fxy'", "not one of"]),
    ({k: v for k, v in RIGHT.items() if k != "f_yx"}, ["lacks f_yx"]),
    (1.5, ["dict", "float"]),
])
def test_q1_wrong_shapes_of_answer_are_named(answer, words):
    feedback = L.q1.check(answer)
    assert feedback.kind == "incorrect"
    for word in words:
        assert word in feedback.message, feedback


def test_q1_template_is_unanswered_and_a_partial_answer_says_what_is_right():
    assert L.q1.check(dict.fromkeys(RIGHT, ...)).kind == "unanswered"
    feedback = L.q1.check({**dict.fromkeys(RIGHT, ...), "f_x": RIGHT["f_x"],
                           "f_y": RIGHT["f_y"]})
    assert feedback.kind == "unanswered"
    assert "f_x, f_y right" in feedback.message and "f_xx, f_xy, f_yx, f_yy" in feedback.message
    feedback = L.q1.check({**dict.fromkeys(RIGHT, ...), "f_x": E})
    assert feedback.kind == "incorrect" and entry(feedback) == ("f_x", L._CHAIN)


@pytest.mark.slow  # waits out a time limit on purpose
def test_q1_a_runaway_entry_ends_as_feedback(monkeypatch):
    # A 1 s evaluation limit against a derivative SymPy needs well over 10 s for, so the
    # timeout is what is tested on any machine (not a race against the real 8 s limit).
    monkeypatch.setattr(expressions, "VALUE_SECONDS", 1.0)
    start = time.monotonic()
    feedback = L.q1.check({**RIGHT, "f_xx": sympy.Derivative(E, (x, 200))})
    assert time.monotonic() - start < VALUE_SECONDS + PROOF_SECONDS + 10
    assert feedback.kind == "incorrect" and "f_xx" in feedback.message
    assert "took longer than 1 s" in feedback.message, feedback.message
    assert L.q1.check(RIGHT).correct  # the worker recovers


# --------------------------------------------------------------------------- q2: Hessian


@pytest.mark.parametrize("answer", [
    lambda: hessian(L.f_q, P),
    lambda: hessian(L.f_q, P, delta_x=1e-3),
    lambda: hessian(L.f_q, P, delta_x=1e-5),
    lambda: nested(L.f_q, P),
    lambda: EXP * np.array([[3.0, -2.0], [-2.0, 8.0]]),
    lambda: [[6.35100, -4.23400], [-4.23400, 16.9360]],      # 6 significant digits
    lambda: [[6.351, -4.234], [-4.234, 16.936]],             # 2.117·(3, −2, 8): e^0.75 = 2.117000
    lambda: sympy.hessian(E, (x, y)).subs({x: 0.5, y: -0.5}),
    lambda: [[float(RIGHT[k].subs({x: 0.5, y: -0.5})) for k in row]
             for row in (("f_xx", "f_xy"), ("f_yx", "f_yy"))],
], ids=["hessian", "step-1e-3", "step-1e-5", "nested", "exact", "rounded-6", "typed",
        "sympy-subs", "formulas-at-point"])
def test_q2_right_answers_pass(answer):
    feedback = L.q2.check(answer())
    assert feedback.correct, feedback


@pytest.mark.parametrize(("answer", "message"), [
    # issue 11: delta_x=1e-2 is a step that is too large, not too small
    (lambda: hessian(L.f_q, P, delta_x=1e-2), L._TOO_LARGE),
    (lambda: hessian(L.f_q, P, delta_x=3e-3), L._TOO_LARGE),
    (lambda: hessian(L.f_q, P, delta_x=0.1), L._TOO_LARGE),
    (lambda: nested(L.f_q, P, 1e-2, 1e-2), L._TOO_LARGE),
    (lambda: hessian_quiet(L.f_q, P, delta_x=1e-6), L._TOO_SMALL),
    (lambda: hessian_quiet(L.f_q, P, delta_x=1e-7), L._TOO_SMALL),
    (lambda: nested(L.f_q, P, 1e-8, 1e-4), L._TOO_SMALL),
    # issue 11: an asymmetric hand-made Hessian within 1 % is told Schwarz's theorem
    (lambda: [[6.351, -4.234], [-4.23, 16.936]], L._SCHWARZ_BY_HAND),
    (lambda: [[6.351, -4.243], [-4.234, 16.936]], L._SCHWARZ_BY_HAND),
    (lambda: EXP * np.array([[3.0, -2.0], [-1.0, 8.0]]), L._SCHWARZ_BY_HAND),
    (lambda: nested(L.f_q, P, 1e-5, 1e-2), L._SCHWARZ_NUMERIC),
    (lambda: [[6.351, -4.234], [-4.234, 16.94]], L._ROUNDED),     # 4 significant digits
    (lambda: [[6.35, -4.23], [-4.23, 16.9]], L._ROUNDED),
])
def test_q2_step_and_symmetry_mistakes_get_the_right_message(answer, message):
    feedback = L.q2.check(answer())
    assert not feedback.correct
    assert msgid(feedback) == message, feedback


def test_q2_rounded_answer_is_close_not_wrong():
    assert L.q2.check([[6.351, -4.234], [-4.234, 16.94]]).kind == "close"


@pytest.mark.parametrize(("answer", "words"), [
    (lambda: [[2, 0], [0, 4]], ["exponent"]),
    (lambda: EXP * np.array([[2.0, 0.0], [0.0, 4.0]]), ["product rule", "first"]),
    (lambda: EXP * np.array([[1.0, -2.0], [-2.0, 4.0]]), ["product rule", "2·f term"]),
    (lambda: EXP * np.array([[3.0, 0.0], [0.0, 8.0]]), ["mixed partials are not 0"]),
    (lambda: EXP * np.array([[3.0, -1.0], [-1.0, 3.0]]), ["4y, not 2y"]),
    (lambda: EXP * np.array([[3.0, 2.0], [2.0, 8.0]]), ["(0.5, 0.5)"]),
    (lambda: [[2, 4], [4, 8]], ["x² + 4xy + 4y²"]),
    (lambda: -L.HESSIAN, ["sign is flipped"]),
    (lambda: L.GRADIENT, ["gradient"]),
    (lambda: L.HESSIAN.ravel(), ["four numbers in a row"]),
    (lambda: sympy.hessian(E, (x, y)), ["formulas in x and y", ".subs"]),
    (lambda: [[RIGHT["f_xx"], RIGHT["f_xy"]], [RIGHT["f_yx"], RIGHT["f_yy"]]],
     ["formulas in x and y"]),
    (lambda: math.exp(3) * np.array([[6.0, -8.0], [-8.0, 20.0]]), ["not the Hessian"]),  # (1, −1)
    (lambda: hessian_quiet(L.f_q, P, delta_x=1e-8), ["not the Hessian", "delta_x"]),
])
def test_q2_formula_and_shape_mistakes_are_named(answer, words):
    feedback = L.q2.check(answer())
    assert feedback.kind == "incorrect"
    for word in words:
        assert word in feedback.message, feedback


def test_q2_huge_array_is_refused_at_once():
    start = time.monotonic()
    feedback = L.q2.check(np.zeros((3000, 3000)))
    assert time.monotonic() - start < 2
    assert feedback.kind == "incorrect" and "far too large" in feedback.message


def test_q2_check_does_not_change_the_answer():
    answer = EXP * np.array([[3.0, -2.0], [-2.0, 8.0]])
    before = answer.copy()
    L.q2.check(answer)
    np.testing.assert_array_equal(answer, before)


# --------------------------------------------------------------------------- q3: concavity


def test_q3_expected_region_is_where_sympy_says_f2_is_negative():
    f2 = sympy.diff(sympy.exp(-x**2 / 2), x, 2)
    region = sympy.solveset(f2 < 0, x, sympy.S.Reals)
    assert region == sympy.Interval.open(-1, 1)
    assert L.q3.check(region).correct


@pytest.mark.parametrize("answer", [
    (-1, 1), [-1.0, 1.0], (1, -1), np.array([-1.0, 1.0]), sympy.Tuple(-1, 1),
    (-0.9999999, 0.9999999), abs(x) < 1, (x > -1) & (x < 1), x**2 < 1,
    sympy.Interval.open(-1, 1), sympy.Interval(-1, 1), sympy.Abs(sympy.Symbol("x", real=True)) < 1,
], ids=range(12))
def test_q3_right_answers_pass(answer):
    feedback = L.q3.check(answer)
    assert feedback.correct, feedback


@pytest.mark.parametrize(("answer", "words"), [
    ((x < -1) | (x > 1), ["convex (볼록)", "sign slip"]),          # f″ with its sign flipped
    ((1, np.inf), ["convex there"]),
    ((-np.inf, np.inf), ["not concave everywhere"]),
    ((-1 / math.sqrt(2), 1 / math.sqrt(2)), ["exp(−x²)"]),        # exponent −x² instead of −x²/2
    ((0, np.inf), ["sign of f′"]),                                  # f′ instead of f″
    ((0, 1), ["symmetric"]),
    ((-2, 2), ["f″ = 0"]),
    ((-3, 5), ["f″(x) < 0"]),
    (sympy.FiniteSet(-1, 1), ["inflection points", "ends"]),        # the inflection points
    (sympy.EmptySet, ["product rule"]),                             # f″ = x²·exp(…) ≥ 0
    (x**2 - 1, ["not a condition"]),
    (1, ["single point"]),
    (sympy.Integer(0), ["single number"]),
    ("(-1, 1)", ["remove the quotes"]),
    (y < 1, ["symbol(s) y"]),
    ((float("nan"), 1), ["nan"]),
    ((-1, 0, 1), ["3 values"]),
    ((x, 1), ["ends", "numbers"]),
    (sympy.Eq(x, 1), ["single points"]),
])
def test_q3_mistakes_are_named(answer, words):
    feedback = L.q3.check(answer)
    assert feedback.kind == "incorrect", feedback
    for word in words:
        assert word in feedback.message, feedback


def test_q3_convex_region_keeps_its_message_msgid():
    feedback = L.q3.check((x < -1) | (x > 1))
    assert "f″ > 0" in msgid(feedback)
    assert msgid(feedback) != msgid(L.q3.check((1, np.inf)))


@pytest.mark.slow  # waits out a time limit on purpose
def test_q3_inequality_that_sympy_cannot_solve_quickly_ends_as_feedback():
    # issue 12: this answer froze the kernel; SymPy's as_set now runs in the worker.
    start = time.monotonic()
    feedback = L.q3.check(x**100 - 2 * x**50 + 1 / 3 < 0)
    assert time.monotonic() - start < L.REGION_SECONDS + 10
    assert feedback.kind == "incorrect" and "(lo, hi)" in feedback.message
    assert L.q3.check(abs(x) < 1).correct  # the worker recovers


# --------------------------------------------------------------------------- all three


def test_check_reads_the_bound_notebook_variable():
    namespace = {}
    q1, q2, q3 = L.bind(namespace)
    assert q2.check().kind == "unanswered"
    namespace["hess_q2"] = hessian(L.f_q, P)
    assert q2.check().correct
    namespace["concave_q3"] = (-1, 1)
    assert q3.check().correct
    namespace["partials_q1"] = dict.fromkeys(RIGHT, ...)
    assert q1.check().kind == "unanswered"


@pytest.mark.parametrize("q", L.EXERCISES, ids=lambda q: q.var)
def test_hints_are_graded_and_solutions_are_code(q):
    bound = L.bind({})[L.EXERCISES.index(q)]
    first, second = bound.hint(), bound.hint()
    assert repr(first) != repr(second)
    assert q.solution().code and q.var in q.solution().code
