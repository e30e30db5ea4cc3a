"""Lesson 01's exercises: the wrong answers learners plausibly give are refused with the right
message, and right answers rounded to the digits each question asks for are accepted.

The framework's own tests (test_exercises_framework.py) run every solution through its check,
every declared mistake through its message, and garbage through every check.
"""

import json
import math
from pathlib import Path

import numpy as np
import pytest
from exercise_helpers import declared, msgid, refused_with  # noqa: F401

from numdiff_lib import numerical_derivative
from numdiff_lib.exercises import lesson01 as L

NOTEBOOK = (Path(__file__).resolve().parents[1] / "notebooks"
            / "01_single_variable_derivative.ipynb")
CLOSE = "close — give the answer to {digits}."  # the framework's near-miss message
SIGN_SLIP = "right size, wrong sign"  # the framework's generic sign-slip message starts so


def seed_central(f, x):
    delta_x = 1e-4
    return (f(x + delta_x) - f(x - delta_x)) / (2 * delta_x)


# --------------------------------------------------------------------------- q1: the slopes

X = L.X_Q1


def slopes(method="central", delta_x=None):
    return [numerical_derivative(L.f_q1, float(x), delta_x, method=method) for x in X]


def test_q1_exact_slopes_against_the_hand_derivative():
    np.testing.assert_allclose(L.df_q1(X), [4.75, 1, -1.25, -2, -1.25, 1, 4.75])
    np.testing.assert_allclose(L.q1.expected, L.df_q1(X))


def test_q1_forward_is_told_apart_from_central_by_the_six_decimals_asked_for():
    atol = L.q1.tolerance.atol
    forward = np.max(np.abs(np.array(slopes("forward")) - L.df_q1(X)))
    central = np.max(np.abs(np.array(slopes()) - L.df_q1(X)))
    assert central < atol / 10 and forward > 100 * atol
    assert atol == pytest.approx(5e-7)


@pytest.mark.parametrize("answer", [
    slopes(),                                 # numdiff_lib, a list
    np.array(slopes()),                       # an array
    tuple(seed_central(L.f_q1, X)),           # the seed's formula, vectorised, a tuple
    [seed_central(L.f_q1, float(x)) for x in X],  # the lesson's own numerical_derivative
    L.df_q1(X),                               # the exact derivative by hand
    [4.75, 1, -1.25, -2, -1.25, 1, 4.75],     # typed: rounded to two decimals, still exact
    [4.750000, 1.000000, -1.250000, -2.000000, -1.250000, 1.000000, 4.750000],  # six decimals
    np.round(slopes(), 6),
    slopes("richardson"),
    slopes("forward", 1e-8),                  # one-sided but accurate to six decimals
])
def test_q1_right_and_rounded_right_answers_pass(answer):
    feedback = L.q1.check(answer)
    assert feedback.correct, feedback


@pytest.mark.parametrize(("answer", "expected", "shown"), [
    (slopes("forward"), L.FORWARD_Q1, "1e-04"),
    (slopes("forward", 1e-2), L.FORWARD_Q1, "1e-02"),
    (slopes("forward", 1e-6), L.FORWARD_Q1, "1e-06"),
    (slopes("backward"), L.BACKWARD_Q1, "1e-04"),
    (slopes("backward", 1e-3), L.BACKWARD_Q1, "1e-03"),
    (-L.df_q1(X), L.WRONG_SIGNS_Q1, ""),
    (-np.array(slopes()), L.WRONG_SIGNS_Q1, ""),
    (slopes("central", 1e-2), L.STEP_TOO_LARGE_Q1, "Δx ≈ 0.01"),
    (slopes("central", 1e-3), L.STEP_TOO_LARGE_Q1, "Δx ≈ 0.001"),
    (slopes("central", 1e-10), L.ROUND_OFF_NOISE_Q1, ""),
    (slopes("central", 1e-12), L.ROUND_OFF_NOISE_Q1, ""),
    (slopes("central", 1e-13), L.ROUND_OFF_NOISE_Q1, ""),
    ([5, 1, -1, -2, -1, 1, 5], L.BY_EYE_Q1, "0.25"),            # estimates off the graph
    ([4.5, 1, -1.5, -2, -1, 1.2, 4.5], L.BY_EYE_Q1, ""),
    (np.round(L.df_q1(X)), L.BY_EYE_Q1, ""),                    # rounded to whole numbers
    (np.round(L.df_q1(X), 1), L.ROUNDED_Q1, "1 after the point"),
    ([4.8, 1, -1.3, -2, -1.3, 1, 4.8], L.ROUNDED_Q1, "1 after the point"),
    (slopes()[:6], L.SIX_VALUES_Q1, ""),                        # np.arange(-0.5, 2.5, 0.5)
    (list(L.df_q1(np.arange(-0.5, 3.5, 0.5))), L.EIGHT_VALUES_Q1, ""),
    (6.0, L.ONE_NUMBER_Q1, "slopes_q1"),
    (numerical_derivative(L.f_q1, 2.5), L.ONE_NUMBER_Q1, ""),
    (L.df_q1(X) + [0, 0, 0, 0, 0, 0, 3.0], L.q1.otherwise, "x = 2.5"),
    (np.zeros(7), L.q1.otherwise, ""),
])
def test_q1_plausible_mistakes_get_their_message(answer, expected, shown):
    feedback = refused_with(L.q1, answer, expected)
    assert shown in feedback.message, feedback


@pytest.mark.parametrize(("answer", "fragment"), [
    (L.f_q1(X), "function values f(x)"),
    (L.df_q1(X) - 1, "1 too small"),                  # 3x² − 6x: the last term dropped
    (L.df_q1(X + 0.5), "x = 0, 0.5, …, 3"),           # np.arange(0, 3.5, 0.5)
    (L.df_q1(X - 0.5), "x = −1, −0.5, …, 2"),         # np.arange(-1, 2.5, 0.5)
])
def test_q1_declared_mistakes_get_their_message(answer, fragment):
    refused_with(L.q1, answer, declared(L.q1, fragment))


@pytest.mark.parametrize(("answer", "words"), [
    (np.ones((7, 1)), "shape (7, 1)"), ("4.75, 1, -1.25", "text"), ([np.nan] * 7, "NaN"),
    ([complex(1, 1)] * 7, "array of numbers"), ({"x": 1}, "array of numbers"),
    ([[1, 2], [3]], "array of numbers"),
])
def test_q1_wrong_kinds_of_value_say_what_is_expected(answer, words):
    feedback = L.q1.check(answer)
    assert feedback.kind == "incorrect" and words in feedback.message, feedback


def test_q1_praise_does_not_give_away_exercise_2():
    text = L.q1.check(slopes()).message + repr(L.q1.solution()) + repr(L.q1.hint(2))
    assert "0.18" not in text and "1.82" not in text and "√" not in text


# --------------------------------------------------------------------------- q2: f′'s shape


def test_q2_crossings_are_the_roots_of_the_derivative():
    np.testing.assert_allclose(L.df_q1(L.CROSSINGS_Q2), 0, atol=1e-12)
    np.testing.assert_allclose(L.f_q1(L.ZEROS_OF_F), 0, atol=1e-12)


def linear_crossings():
    """Where straight lines through the table's points cross zero: a sketch from the table."""
    ys = L.df_q1(X)
    found = []
    for (x0, y0), (x1, y1) in zip(zip(X, ys, strict=True), zip(X[1:], ys[1:], strict=True),
                                  strict=False):
        if y0 * y1 < 0:
            found.append(x0 - y0 * (x1 - x0) / (y1 - y0))
    return found


@pytest.mark.parametrize("answer", [
    [0.2, 1.8], [1.8, 0.2], (0.2, 1.8), np.array([0.2, 1.8]),   # one decimal, either order
    [0.18, 1.82], [0.1835, 1.8165], list(L.CROSSINGS_Q2),        # more digits
    linear_crossings(),                                          # straight lines: 0.22, 1.78
    [0.22, 1.78], [0.15, 1.85],
])
def test_q2_right_answers_pass(answer):
    feedback = L.q2.check(answer)
    assert feedback.correct, feedback


@pytest.mark.parametrize(("answer", "expected"), [
    ([0.25, 1.75], declared(L.q2, "midpoints")),
    ([1.75, 0.25], declared(L.q2, "midpoints")),
    ([0, 2], declared(L.q2, "at x = 0 and x = 2")),
    ([0.5, 1.5], declared(L.q2, "at x = 0.5 and x = 1.5")),
    ([0.38, 2.62], L.ZEROS_OF_F_Q2),                   # where f = 0, read off the graph of f
    ([0, 2.62], L.ZEROS_OF_F_Q2),
    ([0, 0.38, 2.62], L.ZEROS_OF_F_Q2),
    ([0.2, 1, 1.8], L.ONE_TOO_MANY_Q2),                 # with the lowest point of f′
    ([1], L.LOWEST_POINT_Q2), (1.0, L.LOWEST_POINT_Q2), (1, L.LOWEST_POINT_Q2),
    (0.2, L.TWO_CROSSINGS_Q2), ([1.8], L.TWO_CROSSINGS_Q2), ([0.2, 1.8, 2.5], L.TWO_CROSSINGS_Q2),
    ([0.3, 1.7], L.CLOSE_Q2), ([0.1, 1.9], L.CLOSE_Q2),
    ([0.4, 1.6], L.q2.otherwise), ([0, 0.5], L.q2.otherwise), ([-1, 1], L.q2.otherwise),
    ([0.2, 0.2], L.q2.otherwise),
])
def test_q2_plausible_mistakes_get_their_message(answer, expected):
    kind = "close" if expected == L.CLOSE_Q2 else "incorrect"
    refused_with(L.q2, answer, expected, kind)


def test_q2_close_says_one_decimal():
    assert "to one decimal" in L.q2.check([0.3, 1.7]).message


@pytest.mark.parametrize(("answer", "words"), [
    ("0.2, 1.8", "text"), ([[0.2, 1.8]], "shape (1, 2)"), ([np.inf, 1], "NaN or inf"),
    (10**400, "finite"),
])
def test_q2_wrong_kinds_of_value_say_what_is_expected(answer, words):
    feedback = L.q2.check(answer)
    assert feedback.kind == "incorrect" and words in feedback.message, feedback


# --------------------------------------------------------------------------- q3: float32 step


def test_q3_central32_computes_in_float32():
    assert L.central32(L.sigmoid, 1.0, 1e-2).dtype == np.float32
    assert L.central32(L.sigmoid, L.X_Q3, 1e-2).dtype == np.float32
    # float64 at the same step is far more accurate: float32 really is the point
    f64 = abs(numerical_derivative(L.sigmoid, 1.0, 1e-6) - L.dsigmoid(1.0))
    assert L.error_q3(1e-6) > 1e4 * f64


def test_q3_third_derivative_is_exact():
    import sympy

    x = sympy.symbols("x")
    exact = sympy.diff(1 / (1 + sympy.exp(-x)), x, 3)
    for point in (-2.0, 0.0, 1.0, 1.5):
        assert L.d3sigmoid(point) == pytest.approx(float(exact.subs(x, point)), rel=1e-12)


def test_q3_the_measured_best_step_is_robust():
    # The typical error (RMS over 401 points) has one clear minimum at 10**-1.875; each half of
    # the points alone finds the same step, and both neighbours are at least 15 % worse.
    errors = L.error_q3(L.steps_q3)
    best = int(np.argmin(errors))
    assert L.steps_q3[best] == pytest.approx(10**-1.875) == L.BEST_Q3
    assert min(errors[best - 1], errors[best + 1]) > 1.15 * errors[best]
    assert errors[0] > 50 * errors[best] and errors[-1] > 20 * errors[best]
    exact = L.dsigmoid(L.X_Q3.astype(float))
    for half in (slice(0, None, 2), slice(1, None, 2)):
        rms = [np.sqrt(np.mean((L.central32(L.sigmoid, L.X_Q3[half], h).astype(float)
                                - exact[half]) ** 2)) for h in L.steps_q3]
        assert int(np.argmin(rms)) == best


def test_q3_theory_and_measurement_agree():
    eps32 = float(np.finfo(np.float32).eps)
    f, f3 = float(L.sigmoid(1.0)), abs(float(L.d3sigmoid(1.0)))
    # section 6's formula, with the function's factor (3|f|/|f'''|)^(1/3) ≈ 4
    assert L.PREDICTED_Q3 == pytest.approx((3 * eps32 * f / f3) ** (1 / 3))
    assert L.FACTOR_Q3 == pytest.approx(4.0, abs=0.1)
    assert (f / f3) ** (1 / 3) == pytest.approx(2.7, abs=0.1)  # the factor, without 3
    # the worst-case prediction is within a factor 1.6 of the measurement (cube root of the
    # round-off ratio), and with the measured typical round-off it agrees to 15 %
    assert 0.15 < L.ROUNDOFF_Q3 < 0.35
    assert 1 < L.PREDICTED_Q3 / L.BEST_Q3 < 1.6
    assert L.TYPICAL_Q3 == pytest.approx(L.BEST_Q3, rel=0.15)
    # the rule of thumb without the factor is far off: that is why the lesson explains it
    assert eps32 ** (1 / 3) < 0.5 * L.BEST_Q3


@pytest.mark.parametrize("answer", [
    L.BEST_Q3, 0.0133, 0.013, 0.0134, np.float64(0.0133), np.array(0.0133),
    min(L.steps_q3, key=L.error_q3), L.steps_q3[int(np.argmin(L.error_q3(L.steps_q3)))],
    10**-1.875,
])
def test_q3_right_and_rounded_right_answers_pass(answer):
    feedback = L.q3.check(answer)
    assert feedback.correct, feedback


@pytest.mark.parametrize(("answer", "fragment"), [
    (0.01, "just below the best"), (1e-2, "just below the best"),
    (0.0178, "just above the best"), (L.steps_q3[L._K + 1], "just above the best"),
    (0.0195, "prediction of section 6"), (0.02, "prediction of section 6"),
    (L.PREDICTED_Q3, "prediction of section 6"),
    (0.0049, "ε₃₂^(1/3), the rule of thumb"), (0.005, "ε₃₂^(1/3), the rule of thumb"),
    (1e-4, "safe default in float64"),
    (6e-6, "best step in float64"), (1e-5, "best step in float64"),
    (1e-6, "best step in float64"),
    (17, "position in steps_q3"), (np.int64(17), "position in steps_q3"),
    (2, "position in steps_q3"),
    (-1.875, "looks like an exponent"), (1.875, "looks like an exponent"),
    (-2, "looks like an exponent"), (-2.0, "looks like an exponent"),
    (float(L.error_q3(L.BEST_Q3)), "smallest error, not the step"),
    (1.7e-6, "smallest error, not the step"),
])
def test_q3_plausible_mistakes_get_their_message(answer, fragment):
    refused_with(L.q3, answer, declared(L.q3, fragment))


def test_q3_the_neighbour_below_also_explains_rounding_to_two_decimals():
    # 0.0133 rounded to two decimals is 0.01, the neighbouring step: one message says both.
    assert "two significant digits" in L.q3.check(round(L.BEST_Q3, 2)).message


@pytest.mark.parametrize(("answer", "expected"), [
    (1e-3, L.TOO_SMALL_Q3), (3e-3, L.TOO_SMALL_Q3), (1e-8, L.TOO_SMALL_Q3),
    (1e-12, L.TOO_SMALL_Q3), (5e-3 * 0.5, L.TOO_SMALL_Q3),
    (0.03, L.TOO_LARGE_Q3), (0.1, L.TOO_LARGE_Q3), (0.5, L.TOO_LARGE_Q3),
    (1e-300, L.UNDERFLOW_Q3),
    (0, L.NOT_POSITIVE_Q3), (-0.01, L.NOT_POSITIVE_Q3), (-1e-4, L.NOT_POSITIVE_Q3),
    (7.5, L.NOT_SMALL_Q3), (100, L.NOT_SMALL_Q3),
])
def test_q3_other_steps_get_the_measured_error(answer, expected):
    refused_with(L.q3, answer, expected)


def test_q3_too_small_and_too_large_show_the_measured_errors():
    text = L.q3.check(1e-3).message
    assert f"{L.error_q3(1e-3):.2g}" in text and f"{L.error_q3(L.BEST_Q3):.2g}" in text


@pytest.mark.parametrize(("answer", "words"), [
    ("0.013", "remove the quotes"), ([0.013], "one number"), (float("inf"), "finite"),
    (np.True_, "one number"),
])
def test_q3_wrong_kinds_of_value_say_what_is_expected(answer, words):
    feedback = L.q3.check(answer)
    assert feedback.kind == "incorrect" and words in feedback.message, feedback


def test_q3_error_q3_takes_arrays_too():
    errors = L.error_q3(L.steps_q3)
    assert errors.shape == L.steps_q3.shape
    assert errors[5] == L.error_q3(L.steps_q3[5])


# --------------------------------------------------------------------------- q4: a kink


def test_q4_the_library_agrees():
    assert np.isclose(numerical_derivative(L.leaky_relu, 0.0), 0.55)
    assert np.isclose(seed_central(L.leaky_relu, 0.0), 0.55)


@pytest.mark.parametrize("answer", [
    0.55, 0.5500000000000002, np.float64(0.55), 11 / 20, np.array(0.55),
    seed_central(L.leaky_relu, 0.0), float(numerical_derivative(L.leaky_relu, 0.0)),
])
def test_q4_right_answers_pass(answer):
    feedback = L.q4.check(answer)
    assert feedback.correct, feedback


@pytest.mark.parametrize(("answer", "fragment"), [
    (0.5, "plain ReLU"), (1, "slope on the right"), (1.0, "slope on the right"),
    (0.1, "slope on the left"), (1.1, "sum of the two slopes"), (0, "rises on both sides"),
    (0.45, "check the sign of f(−Δx)"),
])
def test_q4_plausible_mistakes_get_their_message(answer, fragment):
    refused_with(L.q4, answer, declared(L.q4, fragment))


@pytest.mark.parametrize(("answer", "expected", "kind"), [
    ("undefined", L.UNDEFINED_TEXT_Q4, "incorrect"),
    ("does not exist", L.UNDEFINED_TEXT_Q4, "incorrect"),
    (float("nan"), L.UNDEFINED_NAN_Q4, "incorrect"),
    (np.nan, L.UNDEFINED_NAN_Q4, "incorrect"),
    (0.6, CLOSE, "close"),                     # rounded to one decimal
    (0.7, L.q4.otherwise, "incorrect"),
    (0.25, L.q4.otherwise, "incorrect"),
])
def test_q4_other_answers_get_their_message(answer, expected, kind):
    refused_with(L.q4, answer, expected, kind)


def test_q4_minus_the_answer_is_a_sign_slip():
    assert L.q4.check(-0.55).message.startswith(SIGN_SLIP)


# --------------------------------------------------------------------------- the notebook


def stored_cells():
    return json.loads(NOTEBOOK.read_text())["cells"]


def source(cell):
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def shown_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        for key in ("text", "text/plain", "text/html"):
            text = out.get(key) if key == "text" else data.get(key, "")
            if text:
                parts.append(text if isinstance(text, str) else "".join(text))
    return "\n".join(parts)


@pytest.mark.parametrize(("check", "answers"), [
    ("q1.check()", ["4.75", "-1.25", "−1.25", "4.7500"]),
    ("q2.check()", ["0.18", "1.82", "0.22", "1.78", "√(2/3)"]),
    ("q3.check()", ["0.0133", "0.013", "1.3e-02", "1.33e-02"]),
    ("q4.check()", ["0.55"]),
])
def test_no_answer_is_on_screen_before_its_check(check, answers):
    cells = stored_cells()
    position = next(i for i, c in enumerate(cells) if source(c).strip() == check)
    before = "\n".join(shown_text(c) for c in cells[:position + 1])
    assert not [a for a in answers if a in before], f"an answer is shown before {check}"
    # and no call that computes it sits in a code cell that ran
    code = "\n".join(source(c) for c in cells[:position] if c["cell_type"] == "code"
                     and c.get("outputs"))
    assert f"{check.split('.')[0]}.check(" not in code


def test_checks_are_not_answered_and_hints_stay_commented_out():
    for cell in stored_cells():
        if cell["cell_type"] != "code":
            continue
        text = source(cell)
        if text.strip() in {f"q{n}.check()" for n in range(1, 5)}:
            assert "Not answered yet" in shown_text(cell)
        if "hint()" in text or "solution()" in text:
            assert all(line.startswith("#") for line in text.splitlines())


def test_the_cubic_is_drawn_without_tangents_before_exercise_1():
    cells = stored_cells()
    position = next(i for i, c in enumerate(cells) if source(c).strip() == "q1.check()")
    figure = [c for c in cells[:position] if "cubic(xs)" in source(c)]
    assert len(figure) == 1 and "image/png" in str(figure[0]["outputs"])
    drawn = source(figure[0])
    assert "tangent" not in drawn.lower() and "slope" not in drawn.replace(
        "Read the slopes off the graph", "")
    assert math.isclose(0.1, 0.1) and "minor=True" in drawn  # a fine grid to read slopes from
