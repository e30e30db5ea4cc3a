"""Lesson 03's exercises: the learner's own element walk, and a gradient matrix.

q1 gets learner-style functions: several correct ones, and one per mistake a learner plausibly
makes, each of which must be refused with the message that names that mistake (compared by
msgid). Wrappers around numdiff_lib are refused (the check's f sees numdiff_lib on the stack),
a walk that forgets to put x[idx] back is told exactly that, and loops and sleeps end as
feedback within the exercise's time limit.
"""

import json
import time
from pathlib import Path

import numpy as np
import pytest

import numdiff_lib
from numdiff_lib import numerical_derivative
from numdiff_lib.exercises import lesson03 as L
from numdiff_lib.messages import Msg

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "03_matrix_input_example.ipynb"
SIGN_SLIP = "right size, wrong sign"


def msgid(feedback):
    message = feedback._message
    return message.msgid if isinstance(message, Msg) else str(message)


# --------------------------------------------------------------------------- q1: right walks


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
    # Another correct route: flat indices on a float copy.
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


def walk_in_place_restored(f, x):
    # Writes into the caller's float array but restores it; converts int input first.
    if x.dtype.kind != "f":
        x = x.astype(float)
    return seed_numerical_derivative(f, x)


def walk_copies(f, x):
    # A fresh moved copy per evaluation, plus an extra look at f(x) first, and debug prints.
    x = np.asarray(x, dtype=float)
    print("debug: f(x) =", f(x))
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[idx] += 1e-4
        down[idx] -= 1e-4
        grad[idx] = (f(up) - f(down)) / 2e-4
        print("debug:", idx, grad[idx])
    return grad


def walk_five_point(f, x):
    # More accurate than asked: still within rtol = 1e-6 of the central difference.
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    h = 1e-3
    for idx in np.ndindex(x.shape):
        old = x[idx]
        values = []
        for k in (2, 1, -1, -2):
            x[idx] = old + k * h
            values.append(f(x))
        x[idx] = old
        grad[idx] = (-values[0] + 8 * values[1] - 8 * values[2] + values[3]) / (12 * h)
    return grad


def walk_restores_by_arithmetic(f, x):
    # Puts the element back by undoing the moves, leaving 1 ulp of round-off: still "back".
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        x[idx] += 1e-4
        fx1 = f(x)
        x[idx] -= 2e-4
        fx2 = f(x)
        x[idx] += 1e-4
        grad[idx] = (fx1 - fx2) / 2e-4
    return grad


def walk_complex_step(f, x):
    # Exact to round-off: moves only the imaginary part of one element at a time.
    x = np.array(x, dtype=complex)
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        x[idx] += 1e-20j
        grad[idx] = np.imag(f(x)) / 1e-20
        x[idx] -= 1e-20j
    return grad


@pytest.mark.parametrize("func", [walk_correct, walk_flat, walk_in_place_restored, walk_copies,
                                  walk_five_point, walk_restores_by_arithmetic,
                                  walk_complex_step])
def test_q1_correct_walks_pass(func):
    feedback = L.q1.check(func)
    assert feedback.correct, feedback
    assert msgid(feedback) == L.PRAISE_Q1


def test_q1_solution_code_passes():
    namespace = {}
    exec(L.SOLUTION_SETUP, namespace)  # noqa: S102 — our own declared code
    exec(L.q1.solution_code, namespace)  # noqa: S102
    assert L.q1.check(namespace["my_numerical_derivative"]).correct


# --------------------------------------------------------------------------- q1: delegation


def wrapper(f, x):
    return numerical_derivative(f, x)


def wrapper_lambda(f, x):
    return numerical_derivative(lambda v: f(v), x)


def wrapper_forward(f, x):
    return numerical_derivative(f, x, method="forward")


def wrapper_module(f, x):
    return numdiff_lib.core.numerical_derivative(f, np.asarray(x, dtype=float))


def wrapper_swallowing(f, x):
    # Hides every error from f, even BaseException: the check still remembers what it saw.
    try:
        return numerical_derivative(f, x)
    except BaseException:  # noqa: BLE001 — the learner's code under test
        return np.zeros(np.shape(x))


@pytest.mark.parametrize("func", [
    wrapper, wrapper_lambda, wrapper_forward, wrapper_module, wrapper_swallowing,
    numerical_derivative, lambda f, x: numerical_derivative(f, x),
])
def test_q1_a_wrapper_around_the_library_is_refused(func):
    feedback = L.q1.check(func)
    assert feedback.kind == "incorrect" and msgid(feedback) == L.DELEGATED, feedback


def test_q1_a_check_started_from_library_code_still_passes_a_walk():
    # E.g. a check button in a numdiff_lib widget: library frames sit above the check itself.
    namespace = {"__name__": "numdiff_lib.some_widget", "q1": L.q1, "walk": walk_correct}
    exec("feedback = q1.check(walk)", namespace)  # noqa: S102 — a frame named as the library
    assert namespace["feedback"].correct, namespace["feedback"]


def test_q1_delegation_is_seen_on_the_stack_not_by_counting():
    # The library makes the same 2n calls as a walk: a count cannot tell them apart.
    calls = {"walk": 0, "library": 0}

    def counted(kind):
        def f(v):
            calls[kind] += 1
            return float(np.sum(v ** 2))
        return f

    walk_correct(counted("walk"), np.ones((2, 3)))
    numerical_derivative(counted("library"), np.ones((2, 3)))
    assert calls["walk"] == calls["library"] == 12


# --------------------------------------------------------------------------- q1: mistakes


def walk_not_restored(f, x):
    # The seed loop without x[idx] = tmp_val, on a float copy: the caller's x is safe, but
    # every later element is evaluated with the earlier ones still moved.
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        x[idx] = tmp_val + 1e-4
        fx1 = f(x)
        x[idx] = tmp_val - 1e-4
        fx2 = f(x)
        grad[idx] = (fx1 - fx2) / 2e-4
    return grad


def walk_not_restored_in_place(f, x):
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


def walk_last_not_restored(f, x):
    # Restores every element but the last, in the caller's array.
    if x.dtype.kind != "f":
        x = x.astype(float)
    grad = np.zeros_like(x)
    indices = list(np.ndindex(x.shape))
    for idx in indices:
        tmp_val = x[idx]
        x[idx] = tmp_val + 1e-4
        fx1 = f(x)
        x[idx] = tmp_val - 1e-4
        fx2 = f(x)
        grad[idx] = (fx1 - fx2) / 2e-4
        if idx != indices[-1]:
            x[idx] = tmp_val
    return grad


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


def walk_backward(f, x):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    fx = f(x.copy())
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        x[idx] = tmp_val - 1e-4
        grad[idx] = (fx - f(x)) / 1e-4
        x[idx] = tmp_val
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
    # Endless, and it hides errors from f: the check's stop is a BaseException and gets out.
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
    grad = np.zeros_like(x)  # int for int input: every partial is truncated when stored
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
    # grad is float, but x stays int: the moves are still truncated.
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
    # x[idx] with idx from range(x.size): on a 2-D array x[0] is a whole row.
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


def walk_four(f, x):
    return 0.5 * walk_correct(f, x)


def walk_swapped_indices(f, x):
    # Stores the partial for x[i, j] at grad[j, i].
    g = walk_correct(f, x)
    return g.T if g.ndim == 2 and g.shape[0] == g.shape[1] else g


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


def walk_big_step(f, x):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        x[idx] = tmp_val + 1e-2
        fx1 = f(x)
        x[idx] = tmp_val - 1e-2
        fx2 = f(x)
        grad[idx] = (fx1 - fx2) / 2e-2
        x[idx] = tmp_val
    return grad


def walk_float32(f, x):
    # Single precision: every element is rounded, and round-off swamps the partials.
    x = np.array(x, dtype=np.float32)
    grad = np.zeros(x.shape, dtype=np.float32)
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        x[idx] = tmp_val + np.float32(1e-4)
        fx1 = f(x)
        x[idx] = tmp_val - np.float32(1e-4)
        fx2 = f(x)
        grad[idx] = (fx1 - fx2) / np.float32(2e-4)
        x[idx] = tmp_val
    return grad


def walk_raises(f, x):
    raise RuntimeError("not finished")


def walk_exits(f, x):
    raise SystemExit(1)


def walk_read_only(f, x):
    x = np.array(x, dtype=float)
    x.flags.writeable = False  # as np.broadcast_to or a read-only view would give
    return seed_numerical_derivative(f, x)


def walk_elementwise_f(f, x):
    # Calls f with the element alone instead of the whole array.
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        grad[idx] = (f(x[idx] + 1e-4) - f(x[idx] - 1e-4)) / 2e-4
    return grad


def walk_nan(f, x):
    return np.full(np.shape(x), np.nan)


def walk_text(f, x):
    return "grad"


@pytest.mark.parametrize(("func", "message"), [
    (walk_not_restored, L.NOT_RESTORED),
    (walk_not_restored_in_place, L.NOT_RESTORED),
    (walk_last_not_restored, L.CHANGED_CALLER),
    (seed_numerical_derivative, L.INT_INPUT),
    (walk_float_grad_int_x, L.INT_INPUT),
    (walk_int_grad, L.INT_RESULT),
    (walk_forward, L.FORWARD),
    (walk_backward, L.BACKWARD),
    (walk_no_iternext, L.RUNAWAY),
    (walk_no_iternext_swallowing, L.RUNAWAY),
    (walk_transposed, L.TRANSPOSED_SHAPE),
    (walk_flattened, L.RESHAPED),
    (walk_list, L.RETURNED_SEQUENCE),
    (walk_no_return, L.RETURNED_NONE),
    (walk_all_at_once, L.ALL_AT_ONCE),
    (walk_one_d_only, L.SEVERAL_AT_ONCE),
    (walk_wrong_sign, L.SIGN),
    (walk_no_two, L.TWICE),
    (walk_four, L.HALF),
    (walk_swapped_indices, L.TRANSPOSED_VALUES),
    (walk_tiny_step, L.STEP),
    (walk_big_step, L.STEP),
    (walk_float32, L.STEP),
    (walk_raises, L.RAISED),
    (walk_exits, L.RAISED),
    (walk_read_only, L.RAISED),
    (walk_elementwise_f, L.ELEMENT_ALONE),
    (walk_nan, L.EXPECTED),
    (walk_text, L.NOT_NUMBERS),
])
def test_q1_mistakes_are_named(func, message):
    feedback = L.q1.check(func)
    assert feedback.kind == "incorrect", feedback
    assert msgid(feedback) == message, feedback


def test_q1_not_restored_is_told_exactly_that_and_where():
    feedback = L.q1.check(walk_not_restored)
    text = feedback.message
    assert "does not put x[idx] back" in text and "x[0] was still moved" in text
    assert "0.9999 instead of 1" in text and "central difference" not in text


def test_q1_messages_name_the_input_and_give_advice():
    assert "2×3" in L.q1.check(walk_one_d_only).message
    assert "multi_index" in L.q1.check(walk_one_d_only).message
    assert "RuntimeError: not finished" in L.q1.check(walk_raises).message
    assert "read-only" in L.q1.check(walk_read_only).message
    assert "readwrite" in L.q1.check(walk_read_only).message
    assert "25000" in L.q1.check(seed_numerical_derivative).message
    assert "round-off" in L.q1.check(walk_tiny_step).message


def endless_loop(f, x):
    while True:
        pass


def sleeper(f, x):
    time.sleep(120)
    return walk_correct(f, x)


def slow_walk(f, x):
    # Correct, but far too slow: sleeps between evaluations.
    time.sleep(2)
    return walk_correct(f, x)


@pytest.mark.slow  # waits out a time limit on purpose
@pytest.mark.parametrize("func", [endless_loop, sleeper, slow_walk])
def test_q1_loops_and_sleeps_end_as_feedback(func):
    start = time.monotonic()
    feedback = L.q1.check(func)
    took = time.monotonic() - start
    assert feedback.kind == "incorrect", feedback
    assert "took longer than" in feedback.message
    assert took < L.SECONDS_Q1 + 5, f"the check took {took:.1f} s"


def test_q1_template_is_unanswered_and_says_so_for_a_function():
    def my_numerical_derivative(f, x):
        # your code: walk the elements of x, one at a time, as in lesson 02
        return ...

    feedback = L.q1.check(my_numerical_derivative)
    assert feedback.kind == "unanswered" and msgid(feedback) == L.UNANSWERED_Q1
    assert "my_numerical_derivative" in feedback.message and "body" in feedback.message


def test_q1_check_reads_the_bound_notebook_variable():
    namespace = {}
    q1, _q2 = L.bind(namespace)
    assert q1.check().kind == "unanswered"          # not defined yet
    namespace["my_numerical_derivative"] = lambda f, x: ...
    assert msgid(q1.check()) == L.UNANSWERED_Q1     # the template
    namespace["my_numerical_derivative"] = walk_correct
    assert q1.check().correct
    namespace["my_numerical_derivative"] = 42
    assert "should be a function" in q1.check().message


def test_q1_hidden_inputs_stay_pristine():
    before = [case.x.copy() for case in L.CASES]
    for func in (walk_not_restored_in_place, seed_numerical_derivative, walk_last_not_restored):
        L.q1.check(func)
    for case, x in zip(L.CASES, before, strict=True):
        assert np.array_equal(case.x, x) and case.x.dtype == x.dtype


def test_q1_integer_case_expects_6_8():
    case = next(c for c in L.CASES if c.x.dtype.kind == "i")
    np.testing.assert_allclose(case.want, [6.0, 8.0], rtol=1e-9)
    assert seed_numerical_derivative(case.f, case.x.copy()).tolist() == [25000, 35000]


# --------------------------------------------------------------------------- q2: the matrix


def func1(m):
    w, x, y, z = m[0, 0], m[0, 1], m[1, 0], m[1, 1]
    return w * x + x * y * z + 3 * w + z * y ** 2


M_Q2 = np.array([[2.0, -1.0], [1.0, 3.0]])


@pytest.mark.parametrize("answer", [
    numerical_derivative(func1, M_Q2), [[2, 5], [3, 0]], np.array([[2.0, 5.0], [3.0, 0.0]]),
    [[2.004, 4.996], [3.0, -0.004]],  # rounds to [[2.00, 5.00], [3.00, 0.00]]
    numerical_derivative(func1, np.array([[2, -1], [1, 3]])),
])
def test_q2_right_answers_pass(answer):
    feedback = L.q2.check(answer)
    assert feedback.correct, feedback


def func1_columnwise(m):
    # Reads the matrix column by column: w, x down the first column.
    w, x, y, z = m[0, 0], m[1, 0], m[0, 1], m[1, 1]
    return w * x + x * y * z + 3 * w + z * y ** 2


@pytest.mark.parametrize(("answer", "message"), [
    ([[2, 3], [5, 0]], L.X_Y_SWAPPED),
    (numerical_derivative(func1_columnwise, M_Q2), L.COLUMNWISE),
    ([[4, -1], [-3, 0]], L.COLUMNWISE),
    ([[-1, 5], [3, 0]], L.MISSING_3),
    ([[2, 2], [3, 0]], L.MISSING_YZ),
    ([[2, 5], [-3, 0]], L.MISSING_2ZY),
    ([[2, 5], [0, 0]], L.MISSING_2),
    ([[2, 5], [3, -1]], L.MISSING_Y2),
    ([[2, 5], [3, 1]], L.MISSING_XY),
    ([[5, 13], [32, 15]], L.LESSON_POINT_Q2),
    (numerical_derivative(func1, np.array([[1.0, 2.0], [3.0, 4.0]])), L.LESSON_POINT_Q2),
])
def test_q2_mistakes_are_named(answer, message):
    feedback = L.q2.check(answer)
    assert feedback.kind == "incorrect" and msgid(feedback) == message, feedback


def test_q2_shape_sign_and_near_misses():
    assert msgid(L.q2.check([[-2, -5], [-3, 0]])).startswith(SIGN_SLIP)
    assert "keep the input's layout" in L.q2.check([2, 5, 3, 0]).message
    assert "shape (1, 3)" in L.q2.check([[2, 5, 3]]).message
    close = L.q2.check([[2.03, 5.0], [3.0, 0.0]])
    assert close.kind == "close" and "2 decimals" in close.message


def test_q2_messages_do_not_give_the_answer_away():
    for answer in ([[2, 3], [5, 0]], [[-1, 5], [3, 0]], [[5, 13], [32, 15]], [[1, 1], [1, 1]]):
        text = L.q2.check(answer).message
        assert "[[2, 5], [3, 0]]" not in text, text


# --------------------------------------------------------------------------- the notebook


def cells():
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def source_and_output(cell):
    source = "".join(cell["source"])
    outputs = []
    for out in cell.get("outputs", []):
        text = out.get("text") or out.get("data", {}).get("text/plain", "")
        outputs.append("".join(text) if isinstance(text, list) else text)
    return source, "\n".join(outputs)


def test_no_answer_on_screen_before_the_q2_check():
    for cell in cells():
        source, output = source_and_output(cell)
        if cell["cell_type"] == "code" and source.strip() == "q2.check()":
            return
        assert "[[2. 5.]" not in output and "[[2.0, 5.0]" not in output
        assert "np.array([[2.0, -1.0], [1.0, 3.0]])" not in source
    pytest.fail("no q2.check() cell")


def test_q1_check_cell_shows_the_template_as_unanswered():
    for cell in cells():
        source, output = source_and_output(cell)
        if cell["cell_type"] == "code" and source.strip() == "q1.check()":
            assert "still returns `...`" in output, output
            return
    pytest.fail("no q1.check() cell")


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
            assert "".join(listed[i + 1]["source"]).startswith("*Figure:*"), f"cell {i + 1}"
    assert figures >= 1


def test_lesson_ends_with_summary_exercises_and_further_reading():
    headings = [source_and_output(c)[0].splitlines()[0] for c in cells()
                if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("## ")]
    assert headings[-3:] == ["## Summary", "## Exercises", "## Further reading"]
