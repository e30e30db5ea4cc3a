"""Issue 12's reproductions for the numerical core: never a silent wrong number, always a message.

Each case was a silent or misleading result a learner met; each now gives the right number or a
message that says what to change.
"""

import warnings

import numpy as np
import pytest

from numdiff_lib import (
    DivergenceWarning,
    check_gradient,
    gradient_descent,
    hessian,
    numerical_derivative,
)
from numdiff_lib.core import ArgumentChangedWarning, NonFiniteError


def centred_square(v):
    v -= v.mean()  # changes the caller's (here: numdiff_lib's) array in place
    return v @ v


def centred_square_grad(v):
    return 2 * (v - v.mean())


@pytest.mark.parametrize("method", ["central", "forward", "five_point", "richardson"])
def test_a_function_that_changes_its_argument_gets_the_right_gradient(method):
    x = np.array([1.0, 2.0, 6.0])
    with pytest.warns(ArgumentChangedWarning, match=r"v = v - v.mean\(\)"):
        grad = numerical_derivative(centred_square, x, method=method)
    # forward is first order: off by about delta_x relative
    np.testing.assert_allclose(grad, [-4.0, -2.0, 6.0], rtol=1e-4 if method == "forward" else 1e-6)
    assert x.tolist() == [1.0, 2.0, 6.0]


def test_changing_argument_detected_on_the_vectorized_path():
    def batched(v):  # v has shape (3, k)
        v -= v.mean(axis=0)
        return np.sum(v * v, axis=0)

    with pytest.warns(ArgumentChangedWarning):
        grad = numerical_derivative(batched, np.array([1.0, 2.0, 6.0]), vectorized=True)
    np.testing.assert_allclose(grad, [-4.0, -2.0, 6.0], rtol=1e-6)


def test_a_change_to_another_element_is_caught_at_the_end():
    def zeroes_the_last(v):
        total = v[0] ** 2 + v[1] ** 2 + v[2] ** 2
        v[2] = 0.0
        return total

    with pytest.warns(ArgumentChangedWarning):
        grad = numerical_derivative(zeroes_the_last, np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(grad, [2.0, 4.0, 6.0], rtol=1e-6)


def test_check_gradient_passes_a_right_gradient_of_a_mutating_f():
    with pytest.warns(ArgumentChangedWarning):
        result = check_gradient(centred_square, centred_square_grad, np.array([1.0, 2.0, 6.0]))
    assert result.passed()


def test_the_trace_is_not_doubled_after_the_recompute():
    steps = []
    with pytest.warns(ArgumentChangedWarning):
        numerical_derivative(centred_square, np.array([1.0, 2.0, 6.0]), trace=steps)
    assert [s.index for s in steps] == [(0,), (1,), (2,)]


def test_an_error_in_f_during_descent_is_reported_not_called_divergence():
    def buggy(v):
        if v[0] < 0.9:
            raise ValueError("my bug")
        return float(v @ v)

    with pytest.raises(ValueError, match="my bug") as info:
        gradient_descent(buggy, np.array([1.0, 2.0]), lr=0.1, step_num=5)
    notes = " ".join(getattr(info.value, "__notes__", []))
    assert "step" in notes and "gradient descent" in notes


def test_none_from_f_during_descent_asks_about_return():
    def forgets(v):
        if v[0] < 0.9:
            return None
        return float(v @ v)

    with pytest.raises(TypeError, match="forget `return`"):
        gradient_descent(forgets, np.array([1.0, 2.0]), lr=0.1, step_num=5)


def test_nan_during_descent_is_still_divergence():
    with pytest.warns(DivergenceWarning, match="diverged"):
        run = gradient_descent(lambda v: float(v @ v), np.array([3.0, 4.0]), lr=10.0,
                               step_num=200)
    assert run.diverged


def test_an_lr_too_small_to_move_x_says_so():
    with pytest.warns(DivergenceWarning, match="did not move"):
        run = gradient_descent(lambda v: float(v @ v), np.array([1.0, 2.0]), lr=1e-200)
    assert not run.diverged and "Raise the learning rate" in run.message


def test_check_gradient_on_an_empty_array():
    with pytest.raises(ValueError, match="x is empty"):
        check_gradient(lambda v: 0.0, lambda v: v, np.array([]))


def test_trace_must_be_a_list():
    with pytest.raises(TypeError, match="trace must be a list"):
        numerical_derivative(lambda v: v @ v, np.array([1.0, 2.0]), trace=())


def test_an_int_beyond_floating_point():
    with pytest.raises(OverflowError, match="beyond floating point"):
        numerical_derivative(lambda x: x, 10**400)


def test_masked_results_are_refused():
    with pytest.raises(TypeError, match=r"masked value .*np\.log"):
        numerical_derivative(lambda x: np.ma.log(x), 1e-5)


def test_masked_input_is_refused():
    with pytest.raises(TypeError, match=r"masked array.*filled"):
        numerical_derivative(lambda v: v @ v, np.ma.masked_array([1.0, 2.0], mask=[1, 0]))


def test_a_hessian_step_that_leaves_only_round_off_is_warned_about():
    with pytest.warns(RuntimeWarning, match="too small for second differences"):
        hessian(lambda v: v[0] ** 2 * v[1], np.array([1.0, 2.0]), delta_x=1e-12)


def test_a_huge_hessian_step_is_an_error_not_nan():
    with pytest.raises(ValueError, match="far too large"):
        hessian(lambda v: v[0] ** 2 * v[1], np.array([1.0, 2.0]), delta_x=1e308)
    with pytest.raises(NonFiniteError, match="f returned inf"):  # f itself overflows
        hessian(lambda v: v[0] ** 200 * v[1], np.array([1.0, 2.0]), delta_x=1e2)


def test_the_default_hessian_step_gives_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        H = hessian(lambda v: v[0] ** 2 * v[1], np.array([1.0, 2.0]))
    np.testing.assert_allclose(H, [[4.0, 2.0], [2.0, 0.0]], atol=1e-6)


def test_a_sympy_number_gets_the_conversion_advice():
    sympy = pytest.importorskip("sympy")
    with pytest.raises(TypeError, match=r"float\(\.\.\.\).*lambdify"):
        numerical_derivative(lambda x: sympy.sin(sympy.Float(x)), 1.0)


def test_messages_are_translated_when_raised():
    from numdiff_lib.messages import LOCALE_DIR, set_language

    if not (LOCALE_DIR / "ko" / "LC_MESSAGES" / "numdiff_lib.mo").exists():
        pytest.skip("the Korean catalog is not built yet")
    set_language("ko")
    try:
        with pytest.raises(TypeError) as info:
            numerical_derivative(3.0, 1.0)
        assert "f must be a function" not in str(info.value)
    finally:
        set_language("en")


def test_a_hessian_that_leaves_the_domain_names_the_nudged_element():
    # As numerical_derivative's errors do: which x[i] moved, and by how much.
    with pytest.raises(NonFiniteError, match=r"x\[1\] moved by -0\.000"):
        hessian(lambda x: np.log(x[1]) + x[0] ** 2, np.array([1.0, 1e-5]))
    with pytest.raises(ValueError, match="boom") as info:
        hessian(_raises_left_of_one, np.array([1.0, 2.0]))
    assert "x[0] moved by -0.000" in info.value.__notes__[0]


def _raises_left_of_one(x):
    if x[0] < 0.99995:
        raise ValueError("boom")
    return x[0] ** 2


@pytest.mark.parametrize("call", [
    lambda h: numerical_derivative(np.sin, 1.0, delta_x=h),
    lambda h: numerical_derivative(lambda v: np.sin(v).sum(), np.array([1.0, 2.0]), delta_x=h),
    lambda h: hessian(lambda v: np.sin(v[0]) + np.cos(v[1]), np.array([1.0, 2.0]), delta_x=h),
], ids=["derivative", "gradient", "hessian"])
def test_a_step_far_larger_than_x_is_warned_and_an_overflowing_one_refused(call):
    # A bounded f (sin, cos): nothing overflows inside f, so only the step can be at fault.
    with pytest.warns(RuntimeWarning, match="far larger than x"):
        call(1e10)  # gives -2.6e-11 for cos(1) = 0.54: truncation swamps the result
    for h in (1e155, 1e308):
        with pytest.raises(ValueError, match="far too large"):
            call(h)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a step up to a few times |x| is the lessons' secant
        call(10.0)


def test_step_warnings_point_at_the_learners_line():
    with pytest.warns(RuntimeWarning) as record:
        hessian(lambda v: np.sin(v[0]), np.array([1.0]), delta_x=1e10)
    assert record[0].filename == __file__


def test_a_huge_integer_inside_a_list_is_named_as_beyond_floating_point():
    with pytest.raises(OverflowError, match="beyond floating point"):
        numerical_derivative(lambda v: float(np.sum(v)), [10**400, 1])
