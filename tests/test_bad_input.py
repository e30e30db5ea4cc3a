"""Bad input gets a clear error that says what is wrong and what to change; nothing is lost.

Each test asserts on the message: it must name the problem AND the fix, because the reader is a
learner who will act on it.
"""

import math
import warnings

import numpy as np
import pytest

from numdiff_lib import (
    METHODS,
    DivergenceWarning,
    check_gradient,
    gradient_descent,
    hessian,
    numerical_derivative,
)
from numdiff_lib.core import ArgumentChangedWarning


def sum_of_squares(v):
    return float(np.sum(np.asarray(v) ** 2))


def seed_numerical_derivative(f, x):
    """The seed lectures' loop, verbatim in spirit: it writes into the caller's array."""
    delta_x = 1e-4
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        idx = it.multi_index
        tmp_val = x[idx]
        x[idx] = float(tmp_val) + delta_x
        fx1 = f(x)
        x[idx] = float(tmp_val) - delta_x
        fx2 = f(x)
        grad[idx] = (fx1 - fx2) / (2 * delta_x)
        x[idx] = tmp_val
        it.iternext()
    return grad


def raises_on_call(n):
    """A function of x that raises on its n-th call (1-based), like a bug met halfway."""
    calls = []

    def f(x):
        calls.append(1)
        if len(calls) == n:
            raise RuntimeError("bug in f")
        return np.sum(x)  # complex for the complex step

    return f


# --------------------------------------------------------------------------- never mutate


def test_seed_loop_leaves_a_perturbed_value_when_f_raises():
    # The hazard the library guards against: the 4th call evaluates f at x[1] = 2 - 1e-4.
    x = np.array([1.0, 2.0, 3.0])
    with pytest.raises(RuntimeError):
        seed_numerical_derivative(raises_on_call(4), x)
    assert x.tolist() == [1.0, 1.9999, 3.0]


@pytest.mark.parametrize("method", ["central", "forward", "backward", "five_point", "richardson"])
def test_caller_array_untouched_when_f_raises_halfway(method):
    x = np.array([1.0, 2.0, 3.0])
    with pytest.raises(RuntimeError, match="bug in f") as info:
        numerical_derivative(raises_on_call(4), x, method=method)
    assert x.tolist() == [1.0, 2.0, 3.0]
    # The error says where f was being evaluated.
    assert any("numdiff_lib: raised while evaluating f at x[" in n for n in info.value.__notes__)


def test_caller_array_untouched_when_f_raises_in_complex_step():
    x = np.array([1.0, 2.0, 3.0])
    with pytest.raises(RuntimeError):
        numerical_derivative(raises_on_call(2), x, method="complex_step")
    assert x.tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("method", list(METHODS))
def test_caller_array_untouched_after_a_call(method):
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = x.copy()
    numerical_derivative(sum_of_squares if method != "complex_step" else
                         (lambda v: np.sum(v**2)), x, method=method)
    assert np.array_equal(x, before) and x.dtype == np.float64


def test_f_that_writes_into_its_argument_cannot_reach_the_caller():
    x = np.array([1.0, 2.0])

    def rude(v):
        value = v[0] ** 2 + v[1] ** 2
        v[:] = 99.0  # a learner's f that scribbles on its input
        return value

    # The change is noticed and said (ArgumentChangedWarning); the gradient is then computed on
    # copies (tests/test_reliability.py checks its value).
    with pytest.warns(ArgumentChangedWarning):
        numerical_derivative(rude, x)
    hessian(rude, x)
    with pytest.warns(ArgumentChangedWarning):
        check_gradient(rude, lambda v: 2 * v, x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        warnings.simplefilter("ignore", ArgumentChangedWarning)
        gradient_descent(rude, x, lr=0.1, step_num=3)
    assert x.tolist() == [1.0, 2.0]


def test_hessian_and_descent_leave_int_input_alone():
    x = np.array([3, 4])
    hessian(sum_of_squares, x)
    gradient_descent(sum_of_squares, x, lr=0.1, step_num=3)
    assert x.dtype.kind == "i" and x.tolist() == [3, 4]


# --------------------------------------------------------------------------- dtypes and kinds


def test_int_array_is_computed_in_float64():
    # The seed loop writes 3.0001 into an int array (-> 3) and returns [25000, 35000].
    x = np.array([3, 4])
    assert seed_numerical_derivative(sum_of_squares, x.copy()).tolist() == [25000, 35000]
    grad = numerical_derivative(sum_of_squares, x)
    assert grad.dtype == np.float64
    np.testing.assert_allclose(grad, [6.0, 8.0], rtol=1e-9)


def test_float32_is_computed_in_float64():
    seen = []

    def f(v):
        seen.append(v.dtype)
        return v[0] ** 2 + v[1] ** 2

    grad = numerical_derivative(f, np.array([3.0, 4.0], dtype=np.float32))
    assert set(seen) == {np.dtype(np.float64)}
    assert grad.dtype == np.float64
    # float32 would lose 1e-4 steps to rounding (error ~1e-3); float64 gives the seed's digits.
    assert grad.tolist() == numerical_derivative(f, np.array([3.0, 4.0])).tolist()


@pytest.mark.parametrize("x", [3, 3.0, np.float32(3.0), np.int64(3)])
def test_plain_numbers_give_a_float(x):
    got = numerical_derivative(lambda t: t**2, x)
    assert type(got) is float
    assert got == 6.000000000012662


def test_list_gives_an_array():
    got = numerical_derivative(lambda v: v[0] ** 2 + v[1] ** 2, [3, 4])
    assert isinstance(got, np.ndarray) and got.shape == (2,)
    np.testing.assert_allclose(got, [6.0, 8.0], rtol=1e-9)


def test_nested_list_keeps_its_shape():
    got = numerical_derivative(lambda m: np.sum(m**2), [[1, 2], [3, 4]])
    assert got.shape == (2, 2)


# --------------------------------------------------------------------------- f itself


@pytest.mark.parametrize("f", [9.0, np.array([1.0]), "x**2", None])
def test_non_callable_f(f):
    with pytest.raises(TypeError) as info:
        numerical_derivative(f, 3.0)
    message = str(info.value)
    assert "f must be a function" in message and "def or lambda" in message


def test_passing_f_of_x_instead_of_f_is_named():
    with pytest.raises(TypeError, match=r"Did you pass f\(x\), a value, instead of the function"):
        numerical_derivative((lambda t: t**2)(3.0), 3.0)


@pytest.mark.parametrize("result_shape", [(2,), (3, 1), (2, 2)])
def test_non_scalar_result_names_the_shape(result_shape):
    with pytest.raises(ValueError) as info:
        numerical_derivative(lambda v: np.ones(result_shape) * v[0], np.array([1.0, 2.0]))
    message = str(info.value)
    assert f"shape {result_shape}" in message
    assert "gradient needs f to return one number (a scalar)" in message
    assert "sum the outputs into a loss" in message  # what to change


@pytest.mark.parametrize("wrap", [
    lambda y: np.float64(y),
    lambda y: np.array(y),             # shape ()
    lambda y: np.array([y]),           # shape (1,): the seed's f(np.array([3.0]))
    lambda y: np.array([[y]]),         # shape (1, 1)
    lambda y: [y],
], ids=["float64", "shape ()", "shape (1,)", "shape (1, 1)", "list of one"])
def test_one_element_results_are_scalars(wrap):
    # NumPy 2.x refuses to store a one-element array in an array slot; the library unwraps it.
    assert np.__version__.split(".")[0] >= "2"
    got = numerical_derivative(lambda v: wrap(v[0] ** 2 + 3 * v[1]), np.array([3.0, 1.0]))
    np.testing.assert_allclose(got, [6.0, 3.0], rtol=1e-9)
    assert numerical_derivative(lambda t: wrap(t**2), 3.0) == 6.000000000012662


def test_seed_pattern_x_squared_of_a_one_element_array():
    # Issue 7: numerical_derivative(lambda x: x**2, np.array([3.0])) -- f returns shape (1,).
    got = numerical_derivative(lambda x: x**2, np.array([3.0]))
    assert got.tolist() == [6.000000000012662]


def test_f_returning_none_asks_about_return():
    def no_return(v):
        v[0] ** 2  # noqa: B018 -- the learner forgot `return`

    with pytest.raises(TypeError, match=r"returned None.*forget `return`"):
        numerical_derivative(no_return, np.array([1.0]))


def test_f_returning_text_is_refused():
    with pytest.raises(TypeError, match="must return a number"):
        numerical_derivative(lambda v: "1.0", np.array([1.0]))


def test_complex_result_outside_complex_step():
    with pytest.raises(TypeError, match="only method='complex_step' expects complex"):
        numerical_derivative(lambda t: t + 1j, 1.0)


def test_complex_step_needs_f_to_keep_the_imaginary_part():
    with pytest.raises(TypeError) as info:
        numerical_derivative(lambda t: abs(t) ** 2, 1.0, method="complex_step")
    assert "keep the imaginary part" in str(info.value) and "richardson" in str(info.value)


def test_f_that_ignores_its_argument_is_warned_about():
    weights = np.array([1.0, 2.0])
    with pytest.warns(UserWarning, match="Does f use its argument"):
        grad = numerical_derivative(lambda W: float(np.sum(weights**2)), weights)
    assert grad.tolist() == [0.0, 0.0]


# --------------------------------------------------------------------------- delta_x and method


@pytest.mark.parametrize("delta_x", [0, 0.0, -1e-4, float("nan"), float("inf"), -math.inf])
def test_bad_delta_x(delta_x):
    with pytest.raises(ValueError) as info:
        numerical_derivative(lambda t: t**2, 3.0, delta_x)
    message = str(info.value)
    assert "delta_x must be a positive, finite number" in message and "such as 1e-4" in message
    assert repr(delta_x) in message


@pytest.mark.parametrize("delta_x", ["1e-4", True, [1e-4]])
def test_delta_x_of_the_wrong_type(delta_x):
    with pytest.raises(TypeError, match="delta_x must be a positive number such as 1e-4"):
        numerical_derivative(lambda t: t**2, 3.0, delta_x)


@pytest.mark.parametrize("method", ["central", "forward", "backward", "five_point"])
def test_delta_x_too_small_to_change_x(method):
    with pytest.raises(ValueError) as info:
        numerical_derivative(lambda t: t**2, 1e4, 1e-13, method=method)
    message = str(info.value)
    assert "lost in rounding" in message and "x + delta_x == x" in message
    assert "Use a step of about 1e-4 * |x| (here 1)" in message


def test_delta_x_too_small_in_an_array_names_the_element():
    with pytest.raises(ValueError, match=r"x\[1\] = 10000.0"):
        numerical_derivative(sum_of_squares, np.array([1.0, 1e4]), 1e-13)


@pytest.mark.parametrize("method", ["centre", "Central", "", None, "numdifftools"])
def test_unknown_method_lists_the_choices(method):
    with pytest.raises(ValueError) as info:
        numerical_derivative(lambda t: t**2, 3.0, method=method)
    message = str(info.value)
    assert f"unknown method {method!r}" in message
    assert "choose one of forward, backward, central, five_point, richardson, complex_step" \
        in message


def test_vectorized_with_trace_is_refused():
    with pytest.raises(ValueError, match="without trace="):
        numerical_derivative(sum_of_squares, np.array([1.0, 2.0]), vectorized=True, trace=[])


# --------------------------------------------------------------------------- x itself


@pytest.mark.parametrize("x", [np.array([1.0, np.nan]), float("inf"), [1.0, -math.inf]])
def test_non_finite_x(x):
    with pytest.raises(ValueError, match="contains NaN or inf.*Start from finite numbers"):
        numerical_derivative(sum_of_squares, x)


@pytest.mark.parametrize(("x", "fix"), [
    ("3", "without quotes"), (["1", "2"], "without quotes"), ([1.0, None], "contains None"),
    ([[1.0, 2.0], [3.0]], "must be a number or an array of numbers"),
])
def test_x_that_is_not_numbers(x, fix):
    with pytest.raises(TypeError, match=fix):
        numerical_derivative(sum_of_squares, x)


def test_complex_x_is_refused_with_the_alternative():
    with pytest.raises(TypeError, match="x must be real; method='complex_step'"):
        numerical_derivative(lambda t: t**2, 1 + 2j)


# --------------------------------------------------------------------------- NaN and inf from f


def test_nan_from_f_near_the_domain_edge():
    # log at 5e-5 with the central step 1e-4 evaluates log(-5e-5) = nan.
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no NumPy RuntimeWarning leaks out: the error says it
        with pytest.raises(ValueError) as info:
            numerical_derivative(np.log, 5e-5)
    message = str(info.value)
    assert "f returned nan at x = -5" in message
    assert "edge of f's domain" in message
    assert "smaller delta_x" in message and "'forward'" in message


def test_the_suggested_one_sided_method_does_work():
    got = numerical_derivative(np.log, 5e-5, 1e-6, method="forward")
    assert got == pytest.approx(1 / 5e-5, rel=2e-2)


def test_inf_from_f_says_overflow():
    with pytest.raises(ValueError) as info:
        numerical_derivative(np.exp, 709.7827)
    assert "f returned inf" in str(info.value) and "overflowing" in str(info.value)


def test_nan_in_hessian_names_the_point_and_the_fix():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError) as info:
            hessian(lambda v: np.log(v[0]) * v[1], np.array([5e-5, 2.0]))
    message = str(info.value)
    assert "f returned nan at x = [" in message and "smaller delta_x" in message
    assert "'forward'" not in message  # hessian has no method= to change


def test_hessian_checks_delta_x():
    with pytest.raises(ValueError, match="delta_x must be a positive, finite number"):
        hessian(sum_of_squares, np.array([1.0]), delta_x=-1.0)


# --------------------------------------------------------------------------- gradient descent


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf")])
def test_bad_lr(lr):
    with pytest.raises(ValueError, match="lr must be a positive, finite number such as 0.01"):
        gradient_descent(sum_of_squares, np.array([1.0, 2.0]), lr=lr)


@pytest.mark.parametrize("step_num", [-1, 2.5, "10", True])
def test_bad_step_num(step_num):
    with pytest.raises(ValueError, match="step_num must be a whole number >= 0"):
        gradient_descent(sum_of_squares, np.array([1.0, 2.0]), step_num=step_num)


def test_diverging_lr_message_says_to_lower_it():
    with pytest.warns(DivergenceWarning) as record:
        res = gradient_descent(sum_of_squares, np.array([-3.0, 4.0]), lr=10.0)
    assert len(record) == 1
    assert res.diverged
    assert "diverged at step" in res.message and "(it started at 25)" in res.message
    assert "The learning rate is too large: lower it (try lr=0.1" in res.message


def test_descent_from_a_point_where_f_is_undefined():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="f returned nan at init_x.*Start from an init_x"):
            gradient_descent(lambda v: np.log(v[0]), np.array([-1.0]))


def test_descent_grad_f_of_the_wrong_shape_is_not_called_divergence():
    with pytest.raises(ValueError, match=r"grad_f returned shape \(2, 1\).*x has shape \(2,\)"):
        gradient_descent(sum_of_squares, np.array([1.0, 2.0]), grad_f=lambda v: v[:, None])


def test_descent_grad_f_returning_none():
    with pytest.raises(TypeError, match="grad_f returned None; did you forget `return`"):
        gradient_descent(sum_of_squares, np.array([1.0, 2.0]), grad_f=lambda v: None)


def test_descent_with_non_callable_f():
    with pytest.raises(TypeError, match="f must be a function"):
        gradient_descent(25.0, np.array([-3.0, 4.0]))


# --------------------------------------------------------------------------- check_gradient


def test_check_gradient_wrong_shape_names_both_shapes():
    with pytest.raises(ValueError) as info:
        check_gradient(sum_of_squares, lambda v: np.ones(3), np.array([1.0, 2.0]))
    message = str(info.value)
    assert "grad_f returned shape (3,), but x has shape (2,)" in message
    assert "one entry per element of x" in message


def test_check_gradient_column_for_a_vector_is_refused():
    # (n, 1) minus (n,) broadcasts to (n, n): refuse it instead of reporting a nonsense error.
    with pytest.raises(ValueError, match=r"\(2, 1\)"):
        check_gradient(sum_of_squares, lambda v: 2 * v[:, None], np.array([1.0, 2.0]))


def test_check_gradient_grad_f_not_numbers():
    with pytest.raises(TypeError, match="grad_f returned 'abc'; it must return an array"):
        check_gradient(sum_of_squares, lambda v: "abc", np.array([1.0, 2.0]))


def test_check_gradient_non_callable_grad_f():
    with pytest.raises(TypeError, match="must be a function"):
        check_gradient(sum_of_squares, np.array([2.0, 4.0]), np.array([1.0, 2.0]))
