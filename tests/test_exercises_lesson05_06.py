"""Exercise checks of lessons 05 and 06: right answers pass in any equivalent form, each known
mistake is named, unanswered is said kindly, and garbage never ends in a traceback."""

import math

import numpy as np
import pytest
import sympy

from numdiff_lib import hessian, numerical_derivative
from numdiff_lib.exercises import lesson05, lesson06

x, k, a, b, y = sympy.symbols("x k a b y")
E = math.exp(0.75)  # f(0.5, -0.5) for lesson 06's exp(x² + 2y²)
P = np.array([0.5, -0.5])


class Hostile:
    """An answer whose every conversion raises."""

    def __float__(self):
        raise RuntimeError("no float for you")

    def __iter__(self):
        raise RuntimeError("no iteration either")

    def __array__(self, *args, **kwargs):
        raise RuntimeError("nor an array")


GARBAGE = ["", "import os", 42, 3.5, float("nan"), True, [1, 2], (), {}, {"x": 1}, object(),
           Hostile(), np.array([1.0, 2.0]), np.array(["a"]), lambda t: t, sympy.exp, sympy.nan,
           sympy.zoo, sympy.oo, sympy.Matrix([1, 2]), sympy.Eq(x, 1), x >= 5,
           sympy.Function("g")(x), y, b"bytes", 1j, ..., None]


# --------------------------------------------------------------------------- lesson 05


def test_expected_derivatives_are_the_analytic_ones():
    # The references themselves, checked against derivatives written out by hand.
    assert sympy.simplify(lesson05.D1 - 3 * x**2) == 0
    assert sympy.simplify(lesson05.D2 - 2 * x / (x**2 - 3 * k)) == 0
    assert sympy.simplify(lesson05.D3 - a * b * x**(b - 1) * sympy.exp(a * x**b)) == 0


@pytest.mark.parametrize(("q", "answer"), [
    (lesson05.q1, 3 * x**2),
    (lesson05.q1, x * x * 3),
    (lesson05.q1, sympy.Rational(6, 2) * x**2),
    (lesson05.q1, sympy.diff(x**3 - 1, x)),
    (lesson05.q1, sympy.Derivative(x**3 - 1, x)),           # unevaluated: evaluated by the check
    (lesson05.q1, 3 * sympy.Symbol("x", positive=True)**2),  # same name, other assumptions
    (lesson05.q2, 2 * x / (x**2 - 3 * k)),
    (lesson05.q2, -2 * x / (3 * k - x**2)),
    (lesson05.q2, 1 / (x / 2 - sympy.Rational(3, 2) * k / x)),
    (lesson05.q2, 2 * x * (x**2 - 3 * k)**-1),
    (lesson05.q3, a * b * x**(b - 1) * sympy.exp(a * x**b)),
    (lesson05.q3, a * b * x**b * sympy.exp(a * x**b) / x),
    (lesson05.q3, sympy.exp(a * x**b) * b * a / x**(1 - b)),
])
def test_l5_equivalent_forms_pass(q, answer):
    fb = q.check(answer)
    assert fb.correct, fb.message


def test_l5_unprovable_but_equal_passes_with_a_note():
    # exp(b*log(x)) equals x**b only for x > 0: SymPy will not simplify it, the values agree.
    fb = lesson05.q3.check(a * b * sympy.exp(b * sympy.log(x)) / x * sympy.exp(a * x**b))
    assert fb.correct
    assert "could not simplify" in fb.message


def test_l5_huge_equal_answer_is_judged_by_value():
    # 3x² plus sixty copies of sin² + cos² − 1: equal to the answer, but far too long to hand to
    # simplify (trigsimp on it takes many seconds), so the check decides by value alone.
    huge = 3 * x**2 + sum(sympy.sin(x + i)**2 + sympy.cos(x + i)**2 - 1 for i in range(1, 61))
    assert sympy.count_ops(huge) > lesson05.MAX_OPS
    fb = lesson05.q1.check(huge)
    assert fb.correct, fb.message
    assert "too long" in fb.message


def test_l5_short_equal_answer_is_proved_by_sympy():
    fb = lesson05.q1.check(3 * x**2 + sympy.sin(x)**2 + sympy.cos(x)**2 - 1)
    assert fb.correct
    assert fb.message == "well done."


@pytest.mark.parametrize(("q", "answer", "words"), [
    (lesson05.q1, x**3 - 1, ["itself"]),
    (lesson05.q1, 3 * x**2 - 1, ["constant", "0"]),
    (lesson05.q1, 3 * x**3, ["power rule"]),
    (lesson05.q1, x**2, ["3 is missing"]),
    (lesson05.q1, 3 * x, ["3 → 2"]),
    (lesson05.q1, x**4 / 4 - x, ["integral"]),
    (lesson05.q1, -3 * x**2, ["wrong sign"]),
    (lesson05.q1, 6 * x, ["not the derivative", "x = 1.3"]),
    (lesson05.q2, 1 / (x**2 - 3 * k), ["chain rule"]),
    (lesson05.q2, 2 * x, ["inside's derivative"]),
    (lesson05.q2, (2 * x - 3) / (x**2 - 3 * k), ["k is a constant"]),
    (lesson05.q2, -3 / (x**2 - 3 * k), ["∂f/∂k"]),
    (lesson05.q2, (2 * x - 6) / (x**2 - 3 * k), ["k is a constant"]),
    (lesson05.q2, 1 / (2 * x), ["denominator is"]),
    (lesson05.q2, 2 * x / (x**2 + 3 * k), ["sign of 3k"]),
    (lesson05.q2, 1 / x, ["does not split"]),
    (lesson05.q2, -2 * x / (x**2 - 3 * k), ["wrong sign"]),
    (lesson05.q3, sympy.exp(a * x**b), ["chain rule"]),
    (lesson05.q3, a * b * x**(b - 1), ["exp(a·xᵇ) is missing"]),
    (lesson05.q3, a * b * x**b * sympy.exp(a * x**b), ["exponent drops"]),
    (lesson05.q3, b * x**(b - 1) * sympy.exp(a * x**b), ["constant a"]),
    (lesson05.q3, a * x**(b - 1) * sympy.exp(a * x**b), ["factor b"]),
    (lesson05.q3, a * b * x**(b - 1) * sympy.exp(a * b * x**(b - 1)), ["exponent stays"]),
    (lesson05.q3, x**b * sympy.exp(a * x**b), ["∂f/∂a"]),
    (lesson05.q3, a * x**b * sympy.log(x) * sympy.exp(a * x**b), ["∂f/∂b"]),
])
def test_l5_mistakes_are_named(q, answer, words):
    fb = q.check(answer)
    assert fb.kind == "incorrect"
    for word in words:
        assert word in fb.message, fb.message


@pytest.mark.parametrize(("answer", "words"), [
    ("2*x/(x**2 - 3*k)", ["str", "Remove the quotes"]),
    (0.5, ["number", "function of x"]),
    (lambda t: 2 * t / (t**2 - 3), ["is a function"]),
    (sympy.log, ["is a function"]),
    (sympy.Eq(y, 2 * x / (x**2 - 3 * k)), ["equation"]),
    (2 * y / (y**2 - 3 * k), ["symbol(s) y", "only x, k"]),
    (sympy.Function("g")(x) / x, ["undefined function g(x)"]),
    (1 / (x - sympy.Rational(13, 10)), ["undefined", "x = 1.3"]),
    ([2 * x, x**2 - 3 * k], ["one SymPy expression"]),
])
def test_l5_wrong_kinds_of_answer_are_named(answer, words):
    fb = lesson05.q2.check(answer)
    assert fb.kind == "incorrect"
    for word in words:
        assert word in fb.message, fb.message


@pytest.mark.parametrize("q", [lesson05.q1, lesson05.q2, lesson05.q3])
def test_l5_unanswered_is_kind(q):
    for answer in (None, ...):
        fb = q.check(answer)
        assert fb.kind == "unanswered"
        assert q.var in fb.message


@pytest.mark.parametrize("q", [lesson05.q1, lesson05.q2, lesson05.q3])
@pytest.mark.parametrize("answer", GARBAGE, ids=range(len(GARBAGE)))
def test_l5_garbage_never_raises(q, answer):
    fb = q.check(answer)
    assert fb.kind in ("incorrect", "unanswered")
    assert fb.message


def test_l5_check_reads_the_notebook_variable():
    global d1_q1  # check() without an argument reads the caller's global, as in a notebook
    d1_q1 = 3 * x**2
    try:
        assert lesson05.q1.check().correct
    finally:
        del d1_q1


def test_l5_solutions_pass_their_own_checks():
    assert "3*x**2" in lesson05.q1.solution().message
    assert "2*x/(x**2 - 3*k)" in lesson05.q2.solution().message
    assert "a*b*x**(b - 1)*sympy.exp(a*x**b)" in lesson05.q3.solution().message
    for q in (lesson05.q1, lesson05.q2, lesson05.q3):
        assert q.hint().kind == "hint"


# --------------------------------------------------------------------------- lesson 06


def test_l6_references_match_sympy():
    X, Y = sympy.symbols("x y")
    f = sympy.exp(X**2 + 2 * Y**2)
    at = {X: 0.5, Y: -0.5}
    grad = [float(sympy.diff(f, v).subs(at)) for v in (X, Y)]
    hess = np.array(sympy.hessian(f, (X, Y)).subs(at), dtype=float)
    np.testing.assert_allclose(lesson06.GRADIENT, grad, rtol=1e-14)
    np.testing.assert_allclose(lesson06.HESSIAN, hess, rtol=1e-14)
    np.testing.assert_allclose(lesson06.HESSIAN, E * np.array([[3, -2], [-2, 8]]), rtol=1e-14)


def _nested_hessian(f, p):
    return np.array([numerical_derivative(lambda q, i=i: numerical_derivative(f, q)[i], p)
                     for i in range(2)])


@pytest.mark.parametrize("answer", [
    lambda: numerical_derivative(lesson06.f_q, P),
    lambda: numerical_derivative(lesson06.f_q, P, method="five_point"),
    lambda: E * np.array([1.0, -2.0]),
    lambda: [2 * x * sympy.exp(x**2 + 2 * y**2), 4 * y * sympy.exp(x**2 + 2 * y**2)],
    lambda: sympy.Matrix([sympy.diff(sympy.exp(x**2 + 2 * y**2), v) for v in (x, y)]),
    lambda: (E, -2 * E),
])
def test_l6_q1_gradient_passes(answer):
    fb = lesson06.q1.check(answer())
    assert fb.correct, fb.message


@pytest.mark.parametrize(("answer", "words"), [
    (lambda: numerical_derivative(lesson06.f_q, P, method="forward"), ["forward difference"]),
    (lambda: (E, E), ["chain rule"]),
    (lambda: (1.0, -2.0), ["∇u"]),
    (lambda: (-2 * E, E), ["swapped"]),
    (lambda: (E, -E), ["4y, not 2y"]),
    (lambda: (-E, 2 * E), ["signs are flipped"]),
    (lambda: E, ["two numbers", "shape ()"]),
    (lambda: lesson06.HESSIAN, ["Hessian"]),
    (lambda: [1, 2, 3], ["shape (3,)"]),
    (lambda: [x, sympy.Symbol("z")], ["symbol(s) z"]),
    (lambda: (float("nan"), 1.0), ["nan"]),
    (lambda: "2.117, -4.234", ["should be numbers"]),
    (lambda: (3.0, 3.0), ["not within tolerance"]),
])
def test_l6_q1_mistakes_are_named(answer, words):
    fb = lesson06.q1.check(answer())
    assert fb.kind == "incorrect"
    for word in words:
        assert word in fb.message, fb.message


@pytest.mark.parametrize("answer", [
    lambda: hessian(lesson06.f_q, P),
    lambda: _nested_hessian(lesson06.f_q, P),
    lambda: sympy.hessian(sympy.exp(x**2 + 2 * y**2), (x, y)),
    lambda: E * np.array([[3.0, -2.0], [-2.0, 8.0]]),
    lambda: hessian(lesson06.f_q, P, delta_x=1e-3),
])
def test_l6_q2_hessian_passes(answer):
    fb = lesson06.q2.check(answer())
    assert fb.correct, fb.message


def test_l6_q2_tolerance_is_that_of_a_second_difference():
    # Loose enough for second differences (about 1e-7 here), tight enough to catch a bad step.
    err = np.max(np.abs(hessian(lesson06.f_q, P) - lesson06.HESSIAN)) / np.max(lesson06.HESSIAN)
    assert 1e-12 < err < lesson06.HESS_RTOL / 10
    fb = lesson06.q2.check(hessian(lesson06.f_q, P, delta_x=1e-7))
    assert fb.kind == "incorrect"
    assert "ε/h²" in fb.message
    fb = lesson06.q2.check(hessian(lesson06.f_q, P, delta_x=0.05))
    assert fb.kind == "incorrect"
    assert "close" in fb.message


@pytest.mark.parametrize(("answer", "words"), [
    (lambda: [[2, 0], [0, 4]], ["exponent"]),
    (lambda: E * np.array([[2.0, 0.0], [0.0, 4.0]]), ["product rule"]),
    (lambda: E * np.array([[1.0, -2.0], [-2.0, 4.0]]), ["product rule", "2·f term"]),
    (lambda: E * np.array([[3.0, 0.0], [0.0, 8.0]]), ["mixed partials are not 0"]),
    (lambda: E * np.array([[3.0, -1.0], [-1.0, 3.0]]), ["4y, not 2y"]),
    (lambda: E * np.array([[3.0, -2.0], [2.0, 8.0]]), ["Schwarz"]),
    (lambda: -lesson06.HESSIAN, ["sign"]),
    (lambda: lesson06.GRADIENT, ["2×2", "gradient"]),
    (lambda: lesson06.HESSIAN.ravel(), ["4 numbers in a row"]),
    (lambda: [[1, 2], [2, 1]], ["not within tolerance"]),
])
def test_l6_q2_mistakes_are_named(answer, words):
    fb = lesson06.q2.check(answer())
    assert fb.kind == "incorrect"
    for word in words:
        assert word in fb.message, fb.message


def test_l6_q3_expected_region_is_where_sympy_says_f2_is_negative():
    f2 = sympy.diff(sympy.exp(-x**2 / 2), x, 2)
    region = sympy.solveset(f2 < 0, x, sympy.S.Reals)
    assert region == sympy.Interval.open(-1, 1)
    assert lesson06.q3.check(region).correct


@pytest.mark.parametrize("answer", [
    (-1, 1), [-1.0, 1.0], (1, -1), abs(x) < 1, (x > -1) & (x < 1), x**2 < 1,
    sympy.Interval.open(-1, 1), sympy.Interval(-1, 1),
])
def test_l6_q3_concave_passes(answer):
    fb = lesson06.q3.check(answer)
    assert fb.correct, fb.message


@pytest.mark.parametrize(("answer", "words"), [
    ((x < -1) | (x > 1), ["convex (볼록)"]),
    ((1, np.inf), ["convex there"]),
    ((-np.inf, np.inf), ["not concave everywhere"]),
    ((-1 / math.sqrt(2), 1 / math.sqrt(2)), ["exp(−x²)"]),
    ((0, np.inf), ["sign of f′"]),
    ((0, 1), ["symmetric"]),
    ((-2, 2), ["f″ = 0"]),
    ((-3, 5), ["f″(x) < 0"]),
    (1, ["single point"]),
    ("(-1, 1)", ["interval"]),
    (y < 1, ["symbol x only"]),
    ((float("nan"), 1), ["nan"]),
])
def test_l6_q3_mistakes_are_named(answer, words):
    fb = lesson06.q3.check(answer)
    assert fb.kind == "incorrect"
    for word in words:
        assert word in fb.message, fb.message


@pytest.mark.parametrize("q", [lesson06.q1, lesson06.q2, lesson06.q3])
@pytest.mark.parametrize("answer", GARBAGE, ids=range(len(GARBAGE)))
def test_l6_garbage_never_raises(q, answer):
    fb = q.check(answer)
    assert fb.kind in ("incorrect", "unanswered")
    assert fb.message


def test_l6_solutions_pass_their_own_checks():
    assert lesson06.q1.check(numerical_derivative(lesson06.f_q, P)).correct
    assert lesson06.q2.check(hessian(lesson06.f_q, P)).correct
    assert "(-1, 1)" in lesson06.q3.solution().message
    assert lesson06.q3.check((-1, 1)).correct


def test_l6_checks_do_not_change_the_answer():
    answer = np.array([[3.0, -2.0], [-2.0, 8.0]]) * E
    before = answer.copy()
    lesson06.q2.check(answer)
    np.testing.assert_array_equal(answer, before)
