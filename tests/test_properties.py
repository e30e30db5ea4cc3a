"""Properties that must hold for every input, checked on random ones with hypothesis.

Kept small (max_examples modest, no deadline) so the whole file runs in a few seconds.
"""

import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from numdiff_lib import check_gradient, hessian, numerical_derivative

FAST = settings(max_examples=40, deadline=None)

# Moderate values: the point is the algebra, not overflow (bad input has its own tests).
coef = st.floats(-5, 5, allow_nan=False, allow_infinity=False)
point = st.floats(-3, 3, allow_nan=False, allow_infinity=False)
shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3)


def vectors(n):
    return hnp.arrays(np.float64, n, elements=point)


@FAST
@given(a=coef, b=coef, x=point)
def test_derivative_is_linear(a, b, x):
    # (a f + b g)' = a f' + b g', up to the round-off of the central difference.
    def f(t):
        return np.sin(t) + t**3

    def g(t):
        return np.exp(0.5 * t)

    combined = numerical_derivative(lambda t: a * f(t) + b * g(t), x)
    parts = a * numerical_derivative(f, x) + b * numerical_derivative(g, x)
    scale = (abs(a) + abs(b) + 1) * (1 + x * x)
    assert abs(combined - parts) <= 1e-9 * scale


@FAST
@given(c0=coef, c1=coef, c2=coef, x=point)
def test_central_is_exact_for_polynomials_up_to_degree_two(c0, c1, c2, x):
    # Its truncation error is h²/6 f''' = 0 for a quadratic: only round-off remains,
    # about eps * |f| / h.
    got = numerical_derivative(lambda t: c0 + c1 * t + c2 * t * t, x)
    exact = c1 + 2 * c2 * x
    size = abs(c0) + abs(c1 * x) + abs(c2 * x * x) + 1
    assert abs(got - exact) <= 20 * np.finfo(float).eps * size / 1e-4


@FAST
@given(data=st.data(), n=st.integers(1, 4))
def test_gradient_of_a_random_quadratic_is_ax_plus_b(data, n):
    # f = 0.5 xᵀAx + bᵀx with A symmetric has ∇f = Ax + b and Hessian A.
    m = data.draw(hnp.arrays(np.float64, (n, n), elements=coef))
    A = m + m.T
    b = data.draw(vectors(n))
    x = data.draw(vectors(n))

    def f(v):
        return 0.5 * v @ A @ v + b @ v

    with warnings.catch_warnings():  # A = 0, b = 0 is a constant f: its warning is right
        warnings.simplefilter("ignore", UserWarning)
        grad = numerical_derivative(f, x)
        check = check_gradient(f, lambda v: A @ v + b, x)
    size = np.abs(A).sum() * (1 + np.abs(x).max()) ** 2 + np.abs(b).sum() + 1
    np.testing.assert_allclose(grad, A @ x + b, rtol=0, atol=2e-10 * size)
    np.testing.assert_allclose(hessian(f, x), A, rtol=0, atol=1e-5 * size)
    # rel_error is the norm of the difference over ||num|| + ||ana||: near a minimum it is
    # round-off over almost nothing, so check the difference it stands for instead.
    assert check.rel_error * (np.linalg.norm(check.numerical) + np.linalg.norm(check.analytic)) \
        <= 2e-10 * size * n


@FAST
@given(x=hnp.arrays(np.float64, shapes, elements=point),
       method=st.sampled_from(["central", "forward", "five_point", "complex_step"]))
def test_shape_preserved_and_input_never_mutated(x, method):
    before = x.copy()
    grad = numerical_derivative(lambda v: np.sum(v**2 + v), x, method=method)
    assert grad.shape == x.shape and grad.dtype == np.float64
    assert np.array_equal(x, before)
    # forward is O(h): h/2 * f'' = 1e-4 here; the others are exact for a quadratic up to round-off
    np.testing.assert_allclose(grad, 2 * x + 1, atol=2e-4 if method == "forward" else 1e-9)


@FAST
@given(x=hnp.arrays(st.sampled_from([np.int32, np.int64]), shapes,
                    elements=st.integers(-20, 20)))
def test_integer_input_is_never_mutated_nor_truncated(x):
    before = x.copy()
    grad = numerical_derivative(lambda v: np.sum(v**2), x)
    assert np.array_equal(x, before) and x.dtype == before.dtype
    np.testing.assert_allclose(grad, 2 * x, rtol=1e-8, atol=1e-8)


@FAST
@given(x=hnp.arrays(np.float64, shapes, elements=point))
def test_vectorized_matches_the_walk_for_any_shape(x):
    def f(v):  # one point of shape s, or a batch s + (k,)
        axes = tuple(range(x.ndim))
        return np.sum(np.sin(v) * v, axis=axes)

    walk = numerical_derivative(f, x)
    batched = numerical_derivative(f, x, vectorized=True)
    assert batched.shape == x.shape
    # The same points; only the order NumPy sums a batch in differs: equal to round-off.
    np.testing.assert_allclose(batched, walk, rtol=1e-9, atol=1e-9)
