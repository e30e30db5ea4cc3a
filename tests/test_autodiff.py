"""numdiff_lib.autodiff (lesson 08): every backward rule against numerical_derivative, whole
expressions against SymPy, and the lesson's network trained to its accuracy goal.

Random inputs come from hypothesis (kept small: max_examples modest, no deadline).
"""

import ast
import math
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from numdiff_lib import autodiff as ad
from numdiff_lib import check_gradient, numerical_derivative
from numdiff_lib.autodiff import (
    Dual,
    Tensor,
    Value,
    cross_entropy,
    forward_derivative,
    forward_gradient,
    reverse_gradient,
    spiral_data,
    topological_order,
)

FAST = settings(max_examples=40, deadline=None)
# A zero weight or input makes some numerical partials exactly 0, which core rightly warns about.
pytestmark = pytest.mark.filterwarnings("ignore:f gave exactly the same value")
RTOL = 1e-6   # central differences at 1e-4 on these smooth functions: about 1e-9 relative
ATOL = 1e-7   # ... plus the truncation error h²·f‴/6, up to about 1e-8 here

point = st.floats(-3, 3, allow_nan=False, allow_infinity=False)
positive = st.floats(0.2, 3, allow_nan=False, allow_infinity=False)
away_from_zero = st.one_of(st.floats(-3, -0.2), st.floats(0.2, 3))


def close(got, want):
    return math.isclose(got, want, rel_tol=RTOL, abs_tol=ATOL)


# --------------------------------------------------------------------------- Value: each rule

# name -> (function of Values, the same function of floats); inputs drawn by the strategies.
UNARY = {
    "exp": (lambda a: a.exp(), math.exp, point),
    "log": (lambda a: a.log(), math.log, positive),
    "tanh": (lambda a: a.tanh(), math.tanh, point),
    "relu": (lambda a: a.relu(), lambda t: max(t, 0.0), away_from_zero),
    "neg": (lambda a: -a, lambda t: -t, point),
    "square": (lambda a: a ** 2, lambda t: t ** 2, point),
    "cube": (lambda a: a ** 3, lambda t: t ** 3, point),
    "sqrt": (lambda a: a ** 0.5, math.sqrt, positive),
    "reciprocal": (lambda a: a ** -1, lambda t: 1 / t, away_from_zero),
    "2 + a": (lambda a: 2 + a, lambda t: 2 + t, point),
    "2 - a": (lambda a: 2 - a, lambda t: 2 - t, point),
    "2 * a": (lambda a: 2 * a, lambda t: 2 * t, point),
    "2 / a": (lambda a: 2 / a, lambda t: 2 / t, away_from_zero),
    "a - 2": (lambda a: a - 2, lambda t: t - 2, point),
    "a / 2": (lambda a: a / 2, lambda t: t / 2, point),
}

BINARY = {
    "a + b": (lambda a, b: a + b, point),
    "a - b": (lambda a, b: a - b, point),
    "a * b": (lambda a, b: a * b, point),
    "a / b": (lambda a, b: a / b, away_from_zero),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_value_unary_rule_matches_numerical_derivative(name):
    op, plain, inputs = UNARY[name]

    @FAST
    @given(x=inputs)
    def check(x):
        a = Value(x)
        out = op(a)
        out.backward()
        assert math.isclose(out.data, plain(x), rel_tol=1e-12, abs_tol=1e-300)
        assert close(a.grad, numerical_derivative(plain, x)), (name, x, a.grad)

    check()


@pytest.mark.parametrize("name", sorted(BINARY))
def test_value_binary_rule_matches_numerical_derivative(name):
    op, second = BINARY[name]

    @FAST
    @given(x=point, z=second)
    def check(x, z):
        a, b = Value(x), Value(z)
        out = op(a, b)
        out.backward()
        assert math.isclose(out.data, op(x, z), rel_tol=1e-12, abs_tol=1e-300)
        want = numerical_derivative(lambda v: op(v[0], v[1]), np.array([x, z]))
        assert close(a.grad, want[0]) and close(b.grad, want[1]), (name, x, z)

    check()


def test_value_used_twice_gets_both_contributions():
    a = Value(3.0)
    out = a * a + a          # d/da (a² + a) = 2a + 1
    out.backward()
    assert a.grad == 7.0


def test_backward_twice_gives_the_same_gradient():
    a, b = Value(1.5), Value(-0.5)
    out = (a * b).tanh() + a
    out.backward()
    first = (a.grad, b.grad)
    out.backward()
    assert (a.grad, b.grad) == first


def test_a_long_chain_needs_no_recursion():
    values = [Value(float(i)) for i in range(5 * sys.getrecursionlimit())]
    total = values[0]
    for v in values[1:]:
        total = total + v
    total.backward()
    assert all(v.grad == 1.0 for v in values)


def test_topological_order_puts_children_first():
    a, b = Value(2.0), Value(3.0)
    c = a * b
    d = c + a
    order = topological_order(d)
    assert order[-1] is d and len(order) == 4
    assert order.index(c) > order.index(a) and order.index(c) > order.index(b)


def test_power_by_a_value_is_refused_with_the_way_out():
    with pytest.raises(TypeError, match="exp"):
        Value(2.0) ** Value(3.0)


# --------------------------------------------------------------------------- Dual: each rule

DUAL_UNARY = {
    "exp": (lambda d: d.exp(), math.exp, point),
    "log": (lambda d: d.log(), math.log, positive),
    "sin": (lambda d: d.sin(), math.sin, point),
    "cos": (lambda d: d.cos(), math.cos, point),
    "tanh": (lambda d: d.tanh(), math.tanh, point),
    "neg": (lambda d: -d, lambda t: -t, point),
    "cube": (lambda d: d ** 3, lambda t: t ** 3, point),
    "sqrt": (lambda d: d ** 0.5, math.sqrt, positive),
    "2 + d": (lambda d: 2 + d, lambda t: 2 + t, point),
    "2 - d": (lambda d: 2 - d, lambda t: 2 - t, point),
    "2 * d": (lambda d: 2 * d, lambda t: 2 * t, point),
    "2 / d": (lambda d: 2 / d, lambda t: 2 / t, away_from_zero),
    "d / 3": (lambda d: d / 3, lambda t: t / 3, point),
    "d - 3": (lambda d: d - 3, lambda t: t - 3, point),
    "d * d": (lambda d: d * d, lambda t: t * t, point),
}


@pytest.mark.parametrize("name", sorted(DUAL_UNARY))
def test_dual_rule_matches_numerical_derivative(name):
    op, plain, inputs = DUAL_UNARY[name]

    @FAST
    @given(x=inputs)
    def check(x):
        out = op(Dual(x, 1.0))
        assert math.isclose(out.value, plain(x), rel_tol=1e-12, abs_tol=1e-300)
        assert close(out.deriv, numerical_derivative(plain, x)), (name, x, out.deriv)

    check()


def test_dual_gives_lesson_01s_exact_derivative_digit_for_digit():
    # 3x·eˣ at 2: the seed's "exact" 3e² + 3·2e² = 66.50150489037586, as the complex step.
    got = forward_derivative(lambda x: 3 * x * np.exp(x), 2.0)
    assert got == 66.50150489037586
    assert got == numerical_derivative(lambda x: 3 * x * np.exp(x), 2.0, method="complex_step")


def test_forward_derivative_of_a_constant_is_zero():
    assert forward_derivative(lambda x: 5.0, 1.0) == 0.0


# --------------------------------------------------------------------------- whole expressions

x_, y_, z_ = sympy.symbols("x y z")


class AD:
    """exp, log, tanh for Values and Duals (their methods), as sympy's are for symbols."""

    exp = staticmethod(lambda v: v.exp())
    log = staticmethod(lambda v: v.log())
    tanh = staticmethod(lambda v: v.tanh())


EXPRESSIONS = {
    "neuron": lambda x, y, z, m: m.tanh(x * y + z),
    "rational": lambda x, y, z, m: (x * y - z) / (1 + x ** 2 + y ** 2),
    "log-sum-exp": lambda x, y, z, m: m.log(m.exp(x) + m.exp(y) + m.exp(z)),
    "shared nodes": lambda x, y, z, m: (x * y) * (x * y) + m.exp(x * y) * z,
    "softplus chain": lambda x, y, z, m: m.log(1 + m.exp(m.tanh(x) * y)) - z ** 3 / 3,
    "powers": lambda x, y, z, m: (x ** 2 + 1) ** 1.5 * y - 2 / (z ** 2 + 2),
}


@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
def test_whole_expressions_against_sympy(name):
    expr = EXPRESSIONS[name]
    symbolic = expr(x_, y_, z_, sympy)
    exact = sympy.lambdify((x_, y_, z_), [sympy.diff(symbolic, s) for s in (x_, y_, z_)])

    def on_values(v):
        return expr(v[0], v[1], v[2], AD)

    @FAST
    @given(hnp.arrays(np.float64, 3, elements=st.floats(-2, 2)))
    def check(v):
        want = np.array(exact(*v), dtype=float)
        scale = 1 + np.abs(want)
        np.testing.assert_array_less(np.abs(reverse_gradient(on_values, v) - want), 1e-12 * scale)
        np.testing.assert_array_less(np.abs(forward_gradient(on_values, v) - want), 1e-12 * scale)

    check()


def test_reverse_gradient_of_numpy_code():
    # NumPy calls a Value's method for np.tanh and np.exp, so NumPy-written f works unchanged.
    def f(v):
        return np.tanh(v[0] * v[1]) + v[2] ** 2 / (1 + v[0] ** 2) + np.sum(np.exp(v) * v)

    x = np.array([0.3, -1.2, 0.7])
    assert check_gradient(f, lambda v: reverse_gradient(f, v), x).passed(1e-7)
    np.testing.assert_allclose(forward_gradient(f, x), reverse_gradient(f, x), rtol=1e-13)


def test_reverse_gradient_keeps_the_shape_and_the_callers_array():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    keep = x.copy()
    grad = reverse_gradient(lambda m: m[0, 0] * m[1, 1] - m[0, 1] * m[1, 0], x)
    assert grad.tolist() == [[4.0, -3.0], [-2.0, 1.0]]
    np.testing.assert_array_equal(x, keep)


def test_reverse_gradient_explains_a_black_box():
    with pytest.raises(TypeError) as info:
        reverse_gradient(lambda v: math.exp(v[0]), np.array([1.0]))
    assert "numerical_derivative" in " ".join(info.value.__notes__)
    with pytest.raises(TypeError, match="not a Value"):
        reverse_gradient(lambda v: 3.0, np.array([1.0]))


# --------------------------------------------------------------------------- Tensor: each rule

small = st.integers(1, 4)


def finite(lo=-2.0, hi=2.0):
    # Multiples of 0.05: values such as 1e-38 would drown the numerical side in round-off.
    return st.integers(round(lo * 20), round(hi * 20)).map(lambda k: k / 20)


def tensor_check(build, inputs):
    """check_gradient of L = Σ w ⊙ build(*Tensors) for each input in turn (others fixed)."""
    rng = np.random.default_rng(0)
    out_shape = build(*[Tensor(x) for x in inputs]).shape
    weights = rng.standard_normal(out_shape)

    for i in range(len(inputs)):
        def f(x, i=i):
            args = [Tensor(v) for v in inputs]
            args[i] = Tensor(x)
            return float(np.sum(build(*args).data * weights))

        def grad_f(x, i=i):
            args = [Tensor(v) for v in inputs]
            args[i] = Tensor(x)
            (build(*args) * Tensor(weights)).sum().backward()
            return args[i].grad

        # Richardson's reference is good to ~1e-12, so 1e-7 judges autodiff, not the check's
        # own truncation (a central difference alone reaches ~1e-7 on some random inputs).
        result = check_gradient(f, grad_f, inputs[i], method="richardson")
        assert result.passed(1e-7), (i, result.rel_error)


@FAST
@given(data=st.data(), n=small, d=small, h=small)
def test_tensor_matmul_and_broadcast_add(data, n, d, h):
    A = data.draw(hnp.arrays(np.float64, (n, d), elements=finite()))
    B = data.draw(hnp.arrays(np.float64, (d, h), elements=finite()))
    b = data.draw(hnp.arrays(np.float64, (h,), elements=finite()))
    tensor_check(lambda A, B, b: A @ B + b, [A, B, b])


@FAST
@given(data=st.data(), n=small, h=small)
def test_tensor_elementwise_rules(data, n, h):
    a = data.draw(hnp.arrays(np.float64, (n, h), elements=finite()))
    b = data.draw(hnp.arrays(np.float64, (n, h), elements=finite(0.3, 2.0)))
    row = data.draw(hnp.arrays(np.float64, (1, h), elements=finite()))
    tensor_check(lambda a, b: a * b - b / 2 + 3 - a, [a, b])
    tensor_check(lambda a, row: a * row + row, [a, row])
    tensor_check(lambda a: a.tanh(), [a])
    tensor_check(lambda a: a.exp(), [a])
    tensor_check(lambda b: b.log() + b ** 2 + 1 / b, [b])
    tensor_check(lambda a, b: a / b + (-a), [a, b])
    tensor_check(lambda a: a.sum() * 2 + a.mean(), [a])


@FAST
@given(hnp.arrays(np.float64, (3, 4), elements=st.one_of(finite(-2, -0.05), finite(0.05, 2))))
def test_tensor_relu_away_from_the_kink(a):
    tensor_check(lambda a: a.relu(), [a])


@FAST
@given(data=st.data(), n=small, k=st.integers(2, 4))
def test_cross_entropy_rule(data, n, k):
    logits = data.draw(hnp.arrays(np.float64, (n, k), elements=finite(-5, 5)))
    labels = data.draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, k - 1)))

    def f(s):
        z = s - s.max(axis=1, keepdims=True)
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        return float(-np.mean(np.log(p[np.arange(n), labels])))

    def grad_f(s):
        t = Tensor(s)
        cross_entropy(t, labels).backward()
        return t.grad

    assert math.isclose(float(cross_entropy(Tensor(logits), labels).data), f(logits),
                        rel_tol=1e-12, abs_tol=1e-15)
    assert check_gradient(f, grad_f, logits).passed(1e-7)


def test_cross_entropy_survives_large_scores():
    t = Tensor(np.array([[1000.0, 0.0, -1000.0]]))
    loss = cross_entropy(t, [0])
    loss.backward()
    assert np.isfinite(loss.data) and np.all(np.isfinite(t.grad))


def test_tensor_backward_needs_one_number():
    with pytest.raises(ValueError, match="sum"):
        (Tensor(np.ones(3)) * 2).backward()


def test_tensor_copies_the_callers_array():
    w = np.array([1.0, 2.0])
    t = Tensor(w)
    t.data -= 1.0
    assert w.tolist() == [1.0, 2.0]


# --------------------------------------------------------------------------- the lesson's network
# The recipe of notebooks/08_...: 2-32-3 tanh network on the seeded spiral, W1 ~ N(0, 1),
# W2 ~ 0.01·N(0, 1), plain gradient descent with lr = 0.5 for 2,000 steps.

HIDDEN, LR, STEPS = 32, 0.5, 2000


def unpack(theta):
    H = (theta.size - 3) // 6
    W1, b1, W2, b2 = np.split(theta, [2 * H, 3 * H, 6 * H])
    return W1.reshape(2, H), b1, W2.reshape(H, 3), b2


def initial_theta():
    rng = np.random.default_rng(1)
    return np.concatenate([rng.standard_normal(2 * HIDDEN), np.zeros(HIDDEN),
                           0.01 * rng.standard_normal(HIDDEN * 3), np.zeros(3)])


def loss(theta, X, y):
    W1, b1, W2, b2 = unpack(theta)
    s = np.tanh(X @ W1 + b1) @ W2 + b2
    s = s - s.max(axis=1, keepdims=True)
    log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(y)), y].mean()


def backprop(theta, X, y):
    W1, b1, W2, b2 = unpack(theta)
    h = np.tanh(X @ W1 + b1)
    s = h @ W2 + b2
    p = np.exp(s - s.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    ds = p.copy()
    ds[np.arange(len(y)), y] -= 1
    ds /= len(y)
    da = (ds @ W2.T) * (1 - h ** 2)
    return np.concatenate([(X.T @ da).ravel(), da.sum(axis=0), (h.T @ ds).ravel(),
                           ds.sum(axis=0)])


def autodiff_gradient(theta, X, y):
    params = [Tensor(p) for p in unpack(theta)]
    W1, b1, W2, b2 = params
    cross_entropy((Tensor(X) @ W1 + b1).tanh() @ W2 + b2, y).backward()
    return np.concatenate([p.grad.ravel() for p in params])


def accuracy(theta, X, y):
    W1, b1, W2, b2 = unpack(theta)
    return np.mean(np.argmax(np.tanh(X @ W1 + b1) @ W2 + b2, axis=1) == y)


@pytest.fixture(scope="module")
def trained():
    X, y = spiral_data()
    theta = initial_theta()
    for _ in range(STEPS):
        theta = theta - LR * autodiff_gradient(theta, X, y)
    return X, y, theta


def test_spiral_data_is_seeded_and_balanced():
    X, y = spiral_data()
    X2, y2 = spiral_data()
    assert X.shape == (300, 2) and np.array_equal(X, X2) and np.array_equal(y, y2)
    assert np.bincount(y).tolist() == [100, 100, 100]
    assert np.all(np.linalg.norm(X, axis=1) <= 1.0 + 1e-12)
    assert not np.array_equal(spiral_data(seed=1)[0], X)


def test_autodiff_gradient_passes_check_gradient_and_equals_backprop(trained):
    X, y, theta_end = trained

    def check(theta, method):
        return check_gradient(lambda t: loss(t, X, y), lambda t: autodiff_gradient(t, X, y),
                              theta, method=method).rel_error

    for theta in (initial_theta(), theta_end):
        g = autodiff_gradient(theta, X, y)
        np.testing.assert_allclose(g, backprop(theta, X, y), rtol=0, atol=1e-12)
    assert check(initial_theta(), "central") < 1e-7
    # At the end of training the gradient is 10 times smaller and the central difference's own
    # truncation error (h²·f‴/6) reaches about 2e-7 of it: the lesson shows this. A referee of
    # higher order settles that the autodiff gradient is right.
    assert 1e-7 < check(theta_end, "central") < 1e-6
    assert check(theta_end, "five_point") < 1e-8


def test_trained_network_reaches_95_percent_training_accuracy(trained):
    X, y, theta = trained
    assert accuracy(initial_theta(), X, y) < 0.5
    assert accuracy(theta, X, y) >= 0.95
    assert loss(theta, X, y) < 0.1


def test_numerical_and_autodiff_training_agree_for_a_few_steps():
    X, y = spiral_data()
    a = b = initial_theta()
    for _ in range(3):
        a = a - LR * numerical_derivative(lambda t: loss(t, X, y), a)
        b = b - LR * autodiff_gradient(b, X, y)
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-8)


# --------------------------------------------------------------------------- the module itself


def test_autodiff_imports_only_numpy_and_the_standard_library():
    tree = ast.parse(Path(ad.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            # Within numdiff_lib only the messages (standard library): the core's layer.
            assert node.level == 0 or node.module == "messages", node.module
            names = [node.module] if node.level == 0 else []
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            assert top == "numpy" or top in sys.stdlib_module_names, name


def test_every_public_definition_names_lesson_08():
    tree = ast.parse(Path(ad.__file__).read_text(encoding="utf-8"))
    assert "lesson 08" in ast.get_docstring(tree)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
            assert "lesson 08" in (ast.get_docstring(node) or ""), node.name
