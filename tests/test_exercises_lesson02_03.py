"""Exercise checks of lessons 02 and 03: right answers pass, each known mistake is named."""

import numpy as np
import pytest

from numdiff_lib import numerical_derivative
from numdiff_lib.exercises import lesson02, lesson03

# --------------------------------------------------------------------------- lesson 02 q1

X_Q1 = np.array([2.0, -1.0])


@pytest.mark.parametrize("answer", [
    numerical_derivative(lesson02.f_q1, X_Q1),
    (-12, 15), [-12.0, 15.0], np.array([-12.0, 15.0]),
    numerical_derivative(lesson02.f_q1, X_Q1, method="richardson"),
])
def test_l2_q1_gradient(answer):
    fb = lesson02.q1.check(answer)
    assert fb.correct, fb.message


@pytest.mark.parametrize(("answer", "words"), [
    (numerical_derivative(lesson02.f_q1, X_Q1, method="forward"), ["forward difference"]),
    (numerical_derivative(lesson02.f_q1, X_Q1, method="backward"), ["backward difference"]),
    (numerical_derivative(lesson02.f_q1, X_Q1, 1e-3, method="forward"), ["forward", "Δ ≈ 0.001"]),
    (numerical_derivative(lesson02.f_q1, X_Q1, 1e-2, method="backward"), ["backward"]),
    ((12, -15), ["wrong sign"]),
    ((15, -12), ["swapped"]),
    ((-45000, 65000), ["integer array"]),
    ((-12, 3), ["3·x0²"]),
    (-12, ["one number"]),
    ((1, 2, 3), ["shape (3,)"]),
    ((-12.1, 15), ["x1 frozen"]),
    ((np.nan, 15), ["NaN"]),
    ("abc", ["two numbers"]),
])
def test_l2_q1_mistakes_are_named(answer, words):
    fb = lesson02.q1.check(answer)
    assert fb.kind == "incorrect"
    for word in words:
        assert word in fb.message


def test_l2_q1_messages_do_not_give_the_answer_away():
    for wrong in (-12, (1, 2, 3), "abc"):
        assert "15" not in lesson02.q1.check(wrong).message


# --------------------------------------------------------------------------- lesson 02 q2


def seed_numerical_derivative(f, x):
    """The seed lecture's final loop, verbatim apart from its name."""
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


def test_l2_q2_expected_value_is_what_the_seed_loop_returns():
    got = seed_numerical_derivative(lambda v: v[0] ** 2 + v[1] ** 2, np.array([5, -2]))
    assert got.dtype.kind == "i"
    assert lesson02.q2.check(got).correct
    assert lesson02.q2.check((45000.0, -15000.0)).correct


def test_l2_q1_int_mistake_is_what_the_seed_loop_returns():
    got = seed_numerical_derivative(lesson02.f_q1, np.array([2, -1]))
    assert "integer array" in lesson02.q1.check(got).message


@pytest.mark.parametrize(("answer", "word"), [
    ((10, -4), "true gradient"),
    ((45000, -25000), "toward zero"),
    ((45000, 0), "toward zero"),
    ((0, 0), "does not round"),
    ((25000, 35000), "(3, 4)"),
    ((-45000, 15000), "wrong signs"),
    ((1, 1), "not within tolerance"),
    (45000, "one number"),
])
def test_l2_q2_mistakes_are_named(answer, word):
    fb = lesson02.q2.check(answer)
    assert fb.kind == "incorrect"
    assert word in fb.message


# --------------------------------------------------------------------------- lesson 02 q3


def f_l2_q3(x, y):
    return 2 * x + 3 * x * y + y ** 3


@pytest.mark.parametrize("answer", [
    0.01, 8 * 0.02 + 15 * (-0.01), 0.009999, f_l2_q3(1.02, 1.99) - f_l2_q3(1.0, 2.0),
])
def test_l2_q3_change(answer):
    assert lesson02.q3.check(answer).correct


def test_l2_q3_prediction_is_close_to_the_exact_change():
    exact = f_l2_q3(1.02, 1.99) - f_l2_q3(1.0, 2.0)
    assert abs(exact - 0.01) < 2e-6  # second-order terms are tiny: 1e-6


@pytest.mark.parametrize(("answer", "word"), [
    (0.16, "only the move of x"), (-0.15, "only the move of y"), (0.31, "negative"),
    (-0.01, "sign"), (0.23, "0.01 for both"), (-0.07, "Δx = 0.02"), (0.38, "swapped"),
    (-0.22, "swapped"), (16.009999, "f(1.02, 1.99) itself"), (23, "adds the partials"),
    (7, "multiply each partial"), (0.5, "is not it"), ("0.01", "one number"),
    (0.15, "is not it"),
])
def test_l2_q3_mistakes_are_named(answer, word):
    fb = lesson02.q3.check(answer)
    assert fb.kind == "incorrect"
    assert word in fb.message


def test_l2_q3_messages_do_not_give_the_answer_away():
    for wrong in (0.16, -0.15, 0.31, 0.23, 0.5, "0.01"):
        message = lesson02.q3.check(wrong).message
        assert "= 0.01" not in message and "0.16 − 0.15" not in message


# --------------------------------------------------------------------------- lesson 03 q1
# Learner-style implementations: one correct family, one per known mistake.


def walk_correct(f, x):
    delta_x = 1e-4
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        idx = it.multi_index
        tmp_val = x[idx]
        x[idx] = tmp_val + delta_x
        fx1 = f(x)
        x[idx] = tmp_val - delta_x
        fx2 = f(x)
        grad[idx] = (fx1 - fx2) / (2 * delta_x)
        x[idx] = tmp_val
        it.iternext()
    return grad


def walk_flat(f, x):
    # A different correct route: flat indices on a float copy.
    x = np.asarray(x, dtype=float).copy()
    grad = np.empty_like(x)
    for i in range(x.size):
        old = x.flat[i]
        x.flat[i] = old + 1e-4
        up = f(x)
        x.flat[i] = old - 1e-4
        down = f(x)
        x.flat[i] = old
        grad.flat[i] = (up - down) / 2e-4
    return grad


def walk_in_place_restored(f, x):
    # Writes into the caller's float array but restores it, and converts int input first.
    if x.dtype.kind != "f":
        x = x.astype(float)
    return seed_numerical_derivative(f, x)


def walk_forward(f, x):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    fx = f(x.copy())
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        x[idx] = tmp_val + 1e-4
        grad[idx] = (f(x) - fx) / 1e-4
        x[idx] = tmp_val
    return grad


def walk_not_restored(f, x):
    delta_x = 1e-4
    grad = np.zeros_like(x, dtype=float)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        idx = it.multi_index
        tmp_val = float(x[idx])
        x[idx] = tmp_val + delta_x
        fx1 = f(x)
        x[idx] = tmp_val - delta_x
        fx2 = f(x)
        grad[idx] = (fx1 - fx2) / (2 * delta_x)
        it.iternext()  # forgot x[idx] = tmp_val
    return grad


def walk_no_iternext(f, x):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        idx = it.multi_index
        tmp_val = x[idx]
        x[idx] = tmp_val + 1e-4
        fx1 = f(x)
        x[idx] = tmp_val - 1e-4
        fx2 = f(x)
        grad[idx] = (fx1 - fx2) / 2e-4
        x[idx] = tmp_val  # forgot it.iternext(): loops for ever on the first element
    return grad


def walk_no_iternext_swallowing(f, x):
    # Endless, and it hides errors from f: the guard must still stop it.
    x = np.array(x, dtype=float)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        try:
            f(x)
        except Exception:  # noqa: BLE001, S110 — the learner's mistake under test
            pass
    return x


def walk_transposed(f, x):
    return walk_correct(f, x).T


def walk_flattened(f, x):
    return walk_correct(f, x).ravel()


def walk_list(f, x):
    return walk_correct(f, x).tolist()


def walk_no_return(f, x):
    walk_correct(f, x)


def walk_all_at_once(f, x):
    x = np.array(x, dtype=float)
    return (f(x + 1e-4) - f(x - 1e-4)) / 2e-4


def walk_int_grad(f, x):
    grad = np.zeros_like(x)  # int for int input: partials get truncated
    x = np.array(x, dtype=float)
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        x[idx] = tmp_val + 1e-4
        fx1 = f(x)
        x[idx] = tmp_val - 1e-4
        fx2 = f(x)
        grad[idx] = (fx1 - fx2) / 2e-4
        x[idx] = tmp_val
    return grad


def walk_float_grad_int_x(f, x):
    # grad is float, but x stays int: the perturbations are still truncated.
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        x[idx] = tmp_val + 1e-4
        fx1 = f(x)
        x[idx] = tmp_val - 1e-4
        fx2 = f(x)
        grad[idx] = (fx1 - fx2) / 2e-4
        x[idx] = tmp_val
    return grad


def walk_one_d_only(f, x):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in range(x.size):
        tmp_val = x[idx]
        x[idx] = tmp_val + 1e-4
        fx1 = f(x)
        x[idx] = tmp_val - 1e-4
        fx2 = f(x)
        grad[idx] = (fx1 - fx2) / 2e-4
        x[idx] = tmp_val
    return grad


def walk_wrong_sign(f, x):
    return -walk_correct(f, x)


def walk_no_two(f, x):
    return 2 * walk_correct(f, x)


def walk_tiny_step(f, x):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        x[idx] = tmp_val + 1e-13
        fx1 = f(x)
        x[idx] = tmp_val - 1e-13
        fx2 = f(x)
        grad[idx] = (fx1 - fx2) / 2e-13
        x[idx] = tmp_val
    return grad


def walk_raises(f, x):
    raise RuntimeError("not finished")


def walk_elementwise_f(f, x):
    # Calls f with the element alone instead of the whole array.
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        grad[idx] = (f(x[idx] + 1e-4) - f(x[idx] - 1e-4)) / 2e-4
    return grad


def walk_template(f, x):
    # The notebook's template, not yet filled in.
    return ...


@pytest.mark.parametrize("func", [walk_correct, walk_flat, walk_in_place_restored,
                                  lambda f, x: numerical_derivative(f, x)])
def test_l3_q1_correct_implementations_pass(func):
    fb = lesson03.q1.check(func)
    assert fb.correct, fb.message
    assert "[6, 8]" in fb.message


@pytest.mark.parametrize(("func", "words"), [
    (seed_numerical_derivative, ["integer array", "25000", "astype(float)"]),
    (walk_float_grad_int_x, ["integer array", "not converted"]),
    (walk_int_grad, ["integer array", "truncated", "dtype=float"]),
    (walk_forward, ["forward difference"]),
    (walk_not_restored, ["changed the caller's array", "x[idx] = tmp_val"]),
    (walk_no_iternext, ["it.iternext()"]),
    (walk_no_iternext_swallowing, ["it.iternext()"]),
    (walk_transposed, ["transposed"]),
    (walk_flattened, ["keep x's shape"]),
    (walk_list, ["returned a list"]),
    (walk_no_return, ["returned None", "return grad"]),
    (walk_all_at_once, ["sum of all the partials", "one element at a time"]),
    (walk_one_d_only, ["2×3", "multi_index"]),
    (walk_wrong_sign, ["wrong sign"]),
    (walk_no_two, ["2·delta_x"]),
    (walk_tiny_step, ["round-off"]),
    (walk_raises, ["RuntimeError", "not finished"]),
    (walk_elementwise_f, ["whole array"]),
    (numerical_derivative, ["write the walk yourself"]),
    (42, ["should be a function"]),
])
def test_l3_q1_mistakes_are_named(func, words):
    fb = lesson03.q1.check(func)
    assert fb.kind == "incorrect", fb.message
    for word in words:
        assert word in fb.message, fb.message


def test_l3_q1_template_is_unanswered():
    fb = lesson03.q1.check(walk_template)
    assert fb.kind == "unanswered"
    assert "my_numerical_derivative" in fb.message


def test_l3_q1_check_reads_the_notebook_variable():
    globals()["my_numerical_derivative"] = walk_template
    try:
        assert lesson03.q1.check().kind == "unanswered"
        globals()["my_numerical_derivative"] = walk_correct
        assert lesson03.q1.check().correct
    finally:
        del globals()["my_numerical_derivative"]
    assert lesson03.q1.check().kind == "unanswered"


def test_l3_q1_hidden_cases_stay_pristine():
    before = [case.x.copy() for case in lesson03.CASES]
    lesson03.q1.check(walk_not_restored)
    lesson03.q1.check(seed_numerical_derivative)
    for case, x in zip(lesson03.CASES, before, strict=True):
        assert np.array_equal(case.x, x) and case.x.dtype == x.dtype


def test_l3_q1_expected_int_case_is_6_8():
    case = next(c for c in lesson03.CASES if c.x.dtype.kind == "i")
    np.testing.assert_allclose(numerical_derivative(case.f, case.x), [6.0, 8.0], rtol=1e-9)
    assert seed_numerical_derivative(case.f, case.x.copy()).tolist() == [25000, 35000]


def test_l3_q1_solution_text_passes_its_own_check():
    code = lesson03.q1.solution().message
    namespace = {"np": np}
    exec(code, namespace)  # noqa: S102 — our own solution text
    assert lesson03.q1.check(namespace["my_numerical_derivative"]).correct


# --------------------------------------------------------------------------- lesson 03 q2


def func1(m):
    w, x, y, z = m[0, 0], m[0, 1], m[1, 0], m[1, 1]
    return w * x + x * y * z + 3 * w + z * y ** 2


def test_l3_q2_gradient_matrix():
    answer = numerical_derivative(func1, np.array(lesson03.m_q2))
    assert lesson03.q2.check(answer).correct
    assert lesson03.q2.check([[2, 5], [3, 0]]).correct


@pytest.mark.parametrize(("answer", "word"), [
    ([[2, 3], [5, 0]], "swapped"),
    ([[-1, 5], [3, 0]], "x + 3"),
    ([[2, 5], [-3, 0]], "2zy"),
    ([[2, 2], [3, 0]], "w + yz"),
    ([[5, 13], [32, 15]], "lesson's"),
    ([2, 5, 3, 0], "shape (4,)"),
    ([[2, 5, 3]], "shape (1, 3)"),
    ([[-2, -5], [-3, 0]], "wrong sign"),
    ("grad", "2×2 array"),
])
def test_l3_q2_mistakes_are_named(answer, word):
    fb = lesson03.q2.check(answer)
    assert fb.kind == "incorrect"
    assert word in fb.message


# --------------------------------------------------------------------------- all

ALL = [lesson02.q1, lesson02.q2, lesson02.q3, lesson03.q1, lesson03.q2]


@pytest.mark.parametrize("q", ALL)
def test_unanswered_is_kind(q):
    for blank in (None, ...):
        fb = q.check(blank)
        assert fb.kind == "unanswered"
        assert q.var in fb.message


@pytest.mark.parametrize("q", ALL)
@pytest.mark.parametrize("garbage", [object(), {"a": 1}, float("inf"), "", [[1, 2], [3]],
                                     np.array(["x"]), complex(1, 2), print, lambda: 1,
                                     lambda f, x: "text", lambda f, x: [[1, 2], [3]]])
def test_garbage_gives_feedback_not_exception(q, garbage):
    fb = q.check(garbage)
    assert fb.kind == "incorrect"
    assert fb.message


@pytest.mark.parametrize("q", ALL)
def test_hint_and_solution(q):
    assert q.hint().kind == "hint" and q.hint().message
    assert q.solution().kind == "solution" and q.solution().message
