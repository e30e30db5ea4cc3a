"""The seed lectures' printed numbers, reproduced bit for bit by the default central difference."""

import numpy as np
import pytest

from numdiff_lib import numerical_derivative


def f_two(W):
    x, y = W[0], W[1]
    return 2 * x + 3 * x * y + np.power(y, 3)


def f_four(m):
    w, x, y, z = m[0, 0], m[0, 1], m[1, 0], m[1, 1]
    return w * x + x * y * z + 3 * w + z * np.power(y, 2)


@pytest.mark.parametrize(("f", "x", "expected"), [
    (lambda x: x**2, 3, 6.000000000012662),
    (lambda x: 3 * x * np.exp(x), 2, 66.50150507518049),
])
def test_single_variable_seed_numbers(f, x, expected):
    result = numerical_derivative(f, x)
    assert isinstance(result, float)
    assert result == expected


def test_two_variable_seed_numbers():
    grad = numerical_derivative(f_two, np.array([1.0, 2.0]))
    assert grad.tolist() == [7.999999999990237, 15.000000010019221]


def test_four_variable_matrix_seed_numbers():
    grad = numerical_derivative(f_four, np.array([[1.0, 2.0], [3.0, 4.0]]))
    # The PDF seed prints the last entry as 15.00000000000568 (a digit dropped); the notebook
    # seed and the computation agree on 15.000000000000568.
    assert grad.tolist() == [[5.000000000023874, 13.00000000000523],
                             [32.00000000006753, 15.000000000000568]]


def test_single_element_array_seed_pattern():
    # The seed's func1(input_obj) = input_obj[0]**2 at np.array([3.0]) -> array([6.])
    grad = numerical_derivative(lambda v: v[0] ** 2, np.array([3.0]))
    assert grad.tolist() == [6.000000000012662]


def test_integer_array_is_not_truncated():
    # The seed loop writes into an int array and returns [25000, 35000]; we compute in float64.
    grad = numerical_derivative(lambda v: v[0] ** 2 + v[1] ** 2, np.array([3, 4]))
    np.testing.assert_allclose(grad, [6.0, 8.0], rtol=1e-9)
