"""The numerical core against trusted references: analytic and SymPy derivatives.

The seed lectures' printed numbers are checked in test_seed_numbers.py; this file checks that
each method is as accurate as its documented error order says, and no more lenient.
"""

import math
import re
import warnings

import numpy as np
import pytest
import sympy as sp

from numdiff_lib import (
    METHODS,
    DivergenceWarning,
    TraceStep,
    check_gradient,
    default_step,
    format_trace,
    gradient_descent,
    hessian,
    numerical_derivative,
    second_derivative,
)

EPS = np.finfo(float).eps
X = sp.Symbol("x")

# A dozen-plus smooth functions and points, each with its SymPy derivative as the reference.
SMOOTH = [
    (X**2, 3.0), (X**3 - 2 * X, -1.3), (sp.sin(X), 0.7), (sp.cos(X), 2.1), (sp.exp(X), 1.5),
    (sp.log(X), 2.5), (sp.sqrt(X), 4.2), (sp.tanh(X), 0.4), (3 * X * sp.exp(X), 2.0),
    (1 / (1 + X**2), 0.6), (sp.exp(-X**2), 0.9), (sp.atan(X), -0.8), (X * sp.log(X), 3.3),
    (sp.sin(X) * sp.exp(X), 0.7), (X**5 - 3 * X**4, 1.7),
]
SMOOTH_IDS = [f"{expr}@{x0}" for expr, x0 in SMOOTH]

# Leading truncation term of each fixed stencil: |error| ~ coef * h**order * |f^(order+1)(x)|.
TRUNCATION = {"forward": (1, 1 / 2), "backward": (1, 1 / 2), "central": (2, 1 / 6),
              "five_point": (4, 1 / 30)}


def reference(expr, x0, n=1):
    """The n-th derivative at x0, from SymPy, as a float."""
    return float(sp.diff(expr, X, n).subs(X, x0).evalf(30))


@pytest.mark.parametrize("method", list(TRUNCATION))
@pytest.mark.parametrize(("expr", "x0"), SMOOTH, ids=SMOOTH_IDS)
def test_fixed_stencils_are_within_their_error_order(expr, x0, method):
    f = sp.lambdify(X, expr, "numpy")
    order, coef = TRUNCATION[method]
    h = default_step(method, x0)
    got = numerical_derivative(f, x0, method=method)
    exact = reference(expr, x0)
    truncation = coef * h**order * abs(reference(expr, x0, order + 1))
    roundoff = 16 * EPS * max(1.0, abs(float(f(x0)))) / h
    # 2x the leading term: the next term and the slightly different point it is taken at.
    assert abs(got - exact) <= 2 * truncation + roundoff, (got, exact)


@pytest.mark.parametrize("method", ["richardson", "complex_step"])
@pytest.mark.parametrize(("expr", "x0"), SMOOTH, ids=SMOOTH_IDS)
def test_best_methods_reach_1e_13_relative(expr, x0, method):
    f = sp.lambdify(X, expr, "numpy")
    exact = reference(expr, x0)
    got = numerical_derivative(f, x0, method=method)
    assert abs(got - exact) <= 1e-13 * abs(exact), (got, exact)


def test_methods_table_is_documented():
    assert set(METHODS) == {"forward", "backward", "central", "five_point", "richardson",
                            "complex_step"}
    assert {m: METHODS[m][0] for m in METHODS} == {
        "forward": 1, "backward": 1, "central": 2, "five_point": 4, "richardson": 8,
        "complex_step": 2}
    # The two-point methods keep the seed's absolute step 1e-4, whatever x is.
    for method in ("forward", "backward", "central"):
        assert default_step(method, 1234.5) == 1e-4


def _observed_order(method, h, f, df, x0=0.7):
    """log2 of how much the error shrinks when h is halved."""
    e1 = abs(numerical_derivative(f, x0, h, method) - df(x0))
    e2 = abs(numerical_derivative(f, x0, h / 2, method) - df(x0))
    return math.log2(e1 / e2)


# Steps (powers of two) where truncation dominates round-off by many orders of magnitude.
@pytest.mark.parametrize(("method", "h"), [
    ("forward", 2**-8), ("backward", 2**-8), ("central", 2**-6), ("five_point", 2**-3),
    ("complex_step", 2**-4), ("richardson", 2**-1),
])
@pytest.mark.parametrize(("f", "df"), [(np.exp, np.exp), (np.sin, np.cos)], ids=["exp", "sin"])
def test_halving_the_step_shrinks_the_error_by_two_to_the_order(method, h, f, df):
    order = METHODS[method][0]
    observed = _observed_order(method, h, f, df)
    # Richardson's h^8 is measured at a large h, where the h^10 term still shows a little.
    assert observed == pytest.approx(order, abs=0.35 if method == "richardson" else 0.05)


def test_forward_and_backward_errors_have_opposite_signs():
    # f'' > 0: the forward quotient overestimates, the backward one underestimates.
    fwd = numerical_derivative(np.exp, 1.0, method="forward")
    bwd = numerical_derivative(np.exp, 1.0, method="backward")
    assert bwd < math.e < fwd


# --------------------------------------------------------------------------- gradients


def f_mixed(v):
    return np.sin(v[0]) * v[1] ** 2 + np.exp(0.5 * v[2]) - v[0] * v[2]


def grad_mixed(v):
    return np.array([np.cos(v[0]) * v[1] ** 2 - v[2], 2 * np.sin(v[0]) * v[1],
                     0.5 * np.exp(0.5 * v[2]) - v[0]])


@pytest.mark.parametrize(("method", "rtol"), [
    ("forward", 1e-3), ("backward", 1e-3), ("central", 1e-7), ("five_point", 1e-11),
    ("richardson", 1e-12), ("complex_step", 1e-13),
])
def test_gradient_against_analytic(method, rtol):
    x = np.array([0.4, -1.5, 0.8])
    np.testing.assert_allclose(numerical_derivative(f_mixed, x, method=method),
                               grad_mixed(x), rtol=rtol)


def test_matrix_gradient_has_the_matrix_shape():
    W = np.array([[1.0, -2.0, 0.5], [0.3, 0.0, 2.0]])
    v = np.array([1.0, 2.0, -1.0])
    grad = numerical_derivative(lambda M: np.sum((M @ v) ** 2), W)
    assert grad.shape == W.shape
    np.testing.assert_allclose(grad, 2 * np.outer(W @ v, v), rtol=1e-8, atol=1e-8)


def test_zero_dimensional_array_gives_zero_dimensional_gradient():
    grad = numerical_derivative(lambda x: x**2, np.array(3.0))
    assert isinstance(grad, np.ndarray) and grad.shape == ()
    assert float(grad) == 6.000000000012662


# --------------------------------------------------------------------------- trace


def f_two(W):
    return 2 * W[0] + 3 * W[0] * W[1] + W[1] ** 3


def test_trace_rows_record_the_central_walk():
    x = np.array([1.0, 2.0])
    trace = []
    grad = numerical_derivative(f_two, x, trace=trace)
    assert [row.index for row in trace] == [(0,), (1,)]
    assert all(isinstance(row, TraceStep) for row in trace)
    first, second = trace
    assert (first.x_plus, first.x_minus) == (1.0001, 0.9999)
    assert (second.x_plus, second.x_minus) == (2.0001, 1.9999)
    assert first.f_plus == f_two(np.array([1.0001, 2.0]))
    assert first.f_minus == f_two(np.array([0.9999, 2.0]))
    assert second.f_minus == f_two(np.array([1.0, 1.9999]))
    # Each row's partial is the gradient entry, and it is the quotient of the row's own numbers.
    assert [row.partial for row in trace] == grad.tolist()
    assert first.partial == (first.f_plus - first.f_minus) / (2 * 1e-4)


def test_trace_of_forward_uses_f_at_x():
    x = np.array([1.0, 2.0])
    trace = []
    numerical_derivative(f_two, x, method="forward", trace=trace)
    assert all(row.f_minus == f_two(x) for row in trace)
    assert [row.x_minus for row in trace] == [1.0, 2.0]


def test_trace_of_a_matrix_walks_in_c_order():
    trace = []
    numerical_derivative(lambda m: np.sum(m**2), np.ones((2, 3)), trace=trace)
    assert [row.index for row in trace] == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]


def test_format_trace_is_a_table_with_the_partials_in_full():
    trace = []
    grad = numerical_derivative(f_two, np.array([1.0, 2.0]), trace=trace)
    table = format_trace(trace)
    lines = table.splitlines()
    assert len(lines) == 3
    assert "index" in lines[0] and "partial" in lines[0]
    assert lines[1].endswith("7.999999999990237") and lines[2].endswith("15.000000010019221")
    assert grad.tolist() == [7.999999999990237, 15.000000010019221]


@pytest.mark.parametrize("method", ["five_point", "richardson", "complex_step"])
def test_trace_refuses_methods_it_cannot_record(method):
    with pytest.raises(ValueError, match="central"):
        numerical_derivative(f_two, np.array([1.0, 2.0]), method=method, trace=[])


# --------------------------------------------------------------------------- vectorized

A6 = np.arange(1.0, 7.0).reshape(2, 3) / 7


def f_batched(W):
    """One point (2, 3) or a batch (2, 3, k): the batch axis is last."""
    a = A6.reshape(A6.shape + (1,) * (W.ndim - A6.ndim))
    return np.sum(np.sin(W) * a + W**3, axis=(0, 1))


X6 = np.array([[0.3, -1.2, 2.0], [0.7, 1.1, -0.4]])


@pytest.mark.parametrize("method", ["forward", "backward", "central", "complex_step"])
def test_vectorized_equals_the_walk_exactly(method):
    walk = numerical_derivative(f_batched, X6, method=method)
    batched = numerical_derivative(f_batched, X6, method=method, vectorized=True)
    assert batched.shape == walk.shape
    assert np.array_equal(batched, walk)


def test_vectorized_five_point_equals_the_walk_to_round_off():
    # Same f values, weights summed in another order: equal to a few ulps of the terms.
    walk = numerical_derivative(f_batched, X6, method="five_point")
    batched = numerical_derivative(f_batched, X6, method="five_point", vectorized=True)
    np.testing.assert_allclose(batched, walk, rtol=1e-11)


def test_vectorized_uses_few_calls():
    calls = []

    def f(W):
        calls.append(W.shape)
        return f_batched(W)

    numerical_derivative(f, X6, vectorized=True)
    assert len(calls) == 1 and calls[0] == (2, 3, 12)  # 2 points per element, one call


def test_vectorized_refuses_a_pointwise_f_with_a_clear_message():
    with pytest.raises(ValueError, match=r"one value per point.*vectorized=False"):
        numerical_derivative(lambda W: float(np.sum(W**2)), X6, vectorized=True)


# --------------------------------------------------------------------------- second order

V = sp.symbols("v0:3")
F_SYM = V[0] ** 2 * V[1] + sp.sin(V[1] * V[2]) + sp.exp(0.5 * V[0]) * V[2] ** 2


def test_hessian_against_sympy():
    f = sp.lambdify([V], F_SYM, "numpy")
    x = np.array([0.6, -1.1, 0.9])
    exact = np.array(sp.hessian(F_SYM, V).subs(dict(zip(V, x, strict=True))), dtype=float)
    H = hessian(f, x)
    assert H.shape == (3, 3)
    # O(h^2) truncation ~1e-8, round-off ~eps |f| / h^2 ~ 1e-8: agree to ~1e-6.
    np.testing.assert_allclose(H, exact, rtol=1e-6, atol=1e-6)


def test_hessian_is_exactly_symmetric():
    f = sp.lambdify([V], F_SYM, "numpy")
    H = hessian(f, np.array([0.6, -1.1, 0.9]))
    assert np.array_equal(H, H.T)  # Schwarz: not just close, the same number


def test_hessian_of_a_matrix_input():
    W = np.array([[1.0, 2.0], [-0.5, 0.3]])
    H = hessian(lambda M: M[0, 0] ** 2 * M[1, 1] + M[0, 1] * M[1, 0], W)
    assert H.shape == (2, 2, 2, 2)
    flat = H.reshape(4, 4)
    assert np.array_equal(flat, flat.T)
    expected = np.zeros((4, 4))
    expected[0, 0] = 2 * W[1, 1]
    expected[0, 3] = expected[3, 0] = 2 * W[0, 0]
    expected[1, 2] = expected[2, 1] = 1.0
    np.testing.assert_allclose(flat, expected, atol=1e-6)


def test_hessian_of_a_quadratic_is_its_matrix():
    A = np.array([[3.0, 1.0, 0.0], [1.0, 2.0, -1.0], [0.0, -1.0, 4.0]])
    H = hessian(lambda x: 0.5 * x @ A @ x, np.array([0.2, -0.4, 1.0]))
    np.testing.assert_allclose(H, A, atol=1e-6)


@pytest.mark.parametrize(("expr", "x0"), [(X**3, 2.0), (sp.exp(X), 1.0), (sp.sin(X), 0.5),
                                          (sp.log(X), 3.0)])
def test_second_derivative_against_sympy(expr, x0):
    got = second_derivative(sp.lambdify(X, expr, "numpy"), x0)
    assert isinstance(got, float)
    assert got == pytest.approx(reference(expr, x0, 2), rel=1e-6, abs=1e-7)


def test_second_derivative_takes_numbers_only():
    with pytest.raises(TypeError, match="hessian"):
        second_derivative(lambda x: x[0] ** 2, np.array([1.0]))


def test_hessian_of_a_number_is_the_second_derivative():
    assert hessian(lambda x: x**3, 2.0) == second_derivative(lambda x: x**3, 2.0)


# --------------------------------------------------------------------------- gradient descent


def function_2(x):
    return x[0] ** 2 + x[1] ** 2


INIT = (-3.0, 4.0)


def run_descent(*args, **kwargs):
    """gradient_descent with every warning recorded."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = gradient_descent(*args, **kwargs)
    return result, caught


def suggested_lr(message):
    match = re.search(r"try lr=([0-9.e+-]+)", message)
    assert match, message
    return float(match.group(1))


def test_descent_history_includes_the_start():
    x0 = np.array(INIT)
    res, caught = run_descent(function_2, x0, lr=0.1, step_num=20)
    assert caught == []
    assert len(res.history) == 21 and len(res.loss_history) == 21
    assert res.history[0].tolist() == list(INIT)
    assert np.array_equal(res.history[-1], res.x)
    assert res.loss_history.tolist() == [function_2(p) for p in res.history]
    assert not res.diverged and res.message == ""
    assert x0.tolist() == list(INIT)


def test_descent_follows_the_closed_form():
    # On x0² + x1² one step is x <- (1 - 2 lr) x.
    res = gradient_descent(function_2, np.array(INIT), lr=0.1, step_num=20)
    np.testing.assert_allclose(res.x, 0.8**20 * np.array(INIT), rtol=1e-10)


def test_descent_with_an_analytic_gradient():
    num = gradient_descent(function_2, np.array(INIT), lr=0.1, step_num=20)
    ana = gradient_descent(function_2, np.array(INIT), lr=0.1, step_num=20,
                           grad_f=lambda x: 2 * x)
    np.testing.assert_allclose(ana.x, num.x, rtol=1e-9)
    np.testing.assert_allclose(ana.x, 0.8**20 * np.array(INIT), rtol=1e-13)


def test_zero_steps_return_the_start():
    res, caught = run_descent(function_2, np.array(INIT), lr=0.1, step_num=0)
    assert res.history.tolist() == [list(INIT)] and not res.diverged and caught == []


def test_large_lr_is_stopped_flagged_and_warned_once():
    res, caught = run_descent(function_2, np.array(INIT), lr=10.0, step_num=100)
    assert res.diverged
    assert len(res.history) < 10  # stopped early, not 100 steps of overflow
    assert np.all(np.isfinite(res.history))
    assert [w.category for w in caught] == [DivergenceWarning]  # no RuntimeWarning flood
    assert str(caught[0].message) == res.message
    assert "too large" in res.message and "lower it" in res.message
    assert "lr=10" in res.message


@pytest.mark.parametrize("lr", [10.0, 3.0, 1.5, 1.01, 1.0])
def test_the_suggested_lr_really_works(lr):
    # lr/10 is not enough for lr = 10 (lr = 1 bounces for ever): the suggestion must converge.
    res, _ = run_descent(function_2, np.array(INIT), lr=lr, step_num=100)
    assert res.message
    better = suggested_lr(res.message)
    assert better <= lr / 10
    assert "or smaller until the loss decreases" in res.message
    fixed, caught = run_descent(function_2, np.array(INIT), lr=better, step_num=100)
    assert caught == [] and not fixed.diverged
    assert fixed.loss_history[-1] < 1e-6 * fixed.loss_history[0]


def test_lr_one_bounces_and_is_reported_without_blowing_up():
    # x <- -x: the loss stays 25 for ever. Not a blow-up, but not progress either.
    res, caught = run_descent(function_2, np.array(INIT), lr=1.0, step_num=100)
    assert not res.diverged
    assert len(res.history) == 101
    assert res.loss_history[-1] == pytest.approx(res.loss_history[0], rel=1e-6)
    assert "no progress" in res.message and "too large" in res.message
    assert [w.category for w in caught] == [DivergenceWarning]


def test_slowly_growing_loss_is_diverged():
    res, caught = run_descent(function_2, np.array(INIT), lr=1.01, step_num=100)
    assert res.diverged and len(res.history) == 101
    assert "went up" in res.message
    assert [w.category for w in caught] == [DivergenceWarning]


@pytest.mark.parametrize("lr", [0.999, 0.5, 0.1, 1e-10, 1e-16])
def test_runs_that_make_progress_are_not_flagged(lr):
    # A tiny lr moves x very little, but downhill: that is slow, not wrong, so no warning.
    res, caught = run_descent(function_2, np.array(INIT), lr=lr, step_num=100)
    assert caught == [] and not res.diverged and res.message == ""


def test_starting_at_the_minimum_is_not_flagged():
    res, caught = run_descent(lambda x: (x[0] - 1 / 3) ** 2 + (x[1] - 0.1) ** 2,
                              np.array([1 / 3, 0.1]), lr=1.0, step_num=20)
    assert caught == [] and res.message == ""


def test_unbounded_below_says_f_has_no_minimum():
    res, caught = run_descent(lambda x: -x[0] ** 3, np.array([1.0]), lr=0.5, step_num=100)
    assert res.diverged and "no minimum" in res.message
    assert [w.category for w in caught] == [DivergenceWarning]


# --------------------------------------------------------------------------- check_gradient


def test_check_gradient_passes_a_right_gradient_with_zero_components():
    # Component-wise |num - ana| / |ana| would be 0/0 at the zero entries; the norm ratio is not.
    x = np.array([0.0, 3.0, 0.0])
    res = check_gradient(lambda v: np.sum(v**2), lambda v: 2 * v, x)
    assert math.isfinite(res.rel_error) and res.rel_error < 1e-9
    assert res.passed()
    assert res.analytic.tolist() == [0.0, 6.0, 0.0]


def test_check_gradient_all_zero_gradient_is_zero_error():
    res = check_gradient(lambda v: np.sum(v**2), lambda v: 2 * v, np.zeros(3))
    assert res.rel_error == 0.0 and res.passed()


def test_check_gradient_catches_a_wrong_gradient():
    x = np.array([0.4, -1.5, 0.8])

    def wrong(v):
        g = grad_mixed(v)
        g[1] *= 0.5  # forgot the factor 2 of d(y²)/dy
        return g

    res = check_gradient(f_mixed, wrong, x)
    assert not res.passed() and res.rel_error > 1e-2
    assert res.worst_index == (1,)
    np.testing.assert_allclose(res.numerical, grad_mixed(x), rtol=1e-7)


def test_check_gradient_sign_error_is_relative_error_one():
    res = check_gradient(f_mixed, lambda v: -grad_mixed(v), np.array([0.4, -1.5, 0.8]))
    assert res.rel_error == pytest.approx(1.0, rel=1e-8)


def test_check_gradient_passes_analytic_to_1e_7_on_a_matrix():
    W = np.array([[1.0, -2.0, 0.5], [0.3, 0.1, 2.0]])
    v = np.array([1.0, 2.0, -1.0])
    res = check_gradient(lambda M: np.sum((M @ v) ** 2), lambda M: 2 * np.outer(M @ v, v), W)
    assert res.passed(1e-7)


def test_check_gradient_shape_mismatch_is_found_before_any_f_evaluation():
    calls = []

    def f(M):
        calls.append(1)
        return np.sum(M**2)

    with pytest.raises(ValueError) as info:
        check_gradient(f, lambda M: 2 * M.T, np.ones((2, 3)))
    message = str(info.value)
    assert "(3, 2)" in message and "(2, 3)" in message and "transposed" in message
    assert calls == []  # grad_f is checked first: no 2n evaluations wasted
