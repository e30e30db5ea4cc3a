"""Exercises for 03_matrix_input_example: write the element walk yourself; a gradient matrix."""

import inspect
from typing import NamedTuple

import numpy as np

from ..core import numerical_derivative
from . import Exercise, Feedback, Wrong, expect_close

# --------------------------------------------------------------------------- q1
# The learner writes my_numerical_derivative(f, x) for arrays of any shape. The check runs it on
# hidden inputs, each in a guard: an exception, an endless loop or a bad return value becomes
# feedback that names the likely mistake, never a traceback.


class _Case(NamedTuple):
    name: str
    f: object
    x: np.ndarray


def _cubes(x):
    return np.sum(x ** 3) + x[0] * x[1]


def _sines(a):
    return np.sum(np.sin(a)) + a[0, 2] * a[1, 0] ** 2


def _seed_four(m):
    # The lesson's wx + xyz + 3w + zy², input [[w, x], [y, z]].
    w, x, y, z = m[0, 0], m[0, 1], m[1, 0], m[1, 1]
    return w * x + x * y * z + 3 * w + z * y ** 2


def _bowl(x):
    return x[0] ** 2 + x[1] ** 2


def _cube(x):
    return x ** 3


CASES = (
    _Case("a 1-D float array [1.0, -2.0, 0.5]", _cubes, np.array([1.0, -2.0, 0.5])),
    _Case("a 2×3 float array", _sines, np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]])),
    _Case("the 2×2 matrix function wx + xyz + 3w + zy²", _seed_four,
          np.array([[0.5, -1.5], [2.0, 1.0]])),
    _Case("the integer array np.array([3, 4]) with x0² + x1²", _bowl, np.array([3, 4])),
    _Case("a 0-d array np.array(2.0) with f(x) = x³", _cube, np.array(2.0)),
)
RTOL, ATOL = 1e-6, 1e-7  # central differences at 1e-4 land within ~1e-8 on these functions


class _Runaway(BaseException):
    """Raised from inside f when the learner's loop calls it far too often (a loop that never
    ends). BaseException, so a learner's `except Exception` cannot swallow it."""


def _counted(f, limit):
    calls = [0]

    def wrapped(x):
        calls[0] += 1
        if calls[0] > limit:
            raise _Runaway
        return f(x)
    return wrapped


def _run(func, case):
    """The learner's result on one case, and the caller's array as it was left afterwards."""
    x = case.x.copy()
    limit = 20 * case.x.size + 20  # the walk needs 2 per element; allow generous extras
    try:
        result = func(_counted(case.f, limit), x)
    except _Runaway:
        raise Wrong(f"on {case.name}, your function called f more than {limit} times: does the "
                    "loop end? With np.nditer, finish each pass with it.iternext(); with "
                    "range(x.size), check the loop bound.") from None
    except Exception as err:  # noqa: BLE001 — the learner's code: report, never raise
        raise Wrong(f"on {case.name}, your function raised {type(err).__name__}: "
                    f"{str(err).rstrip('.')}. "
                    f"{_advice(err)}") from None
    return result, x


def _advice(err):
    text = str(err)
    if isinstance(err, IndexError) and ("too many indices" in text or "out of bounds" in text):
        return ("An index made for a 1-D array does not fit this shape: np.nditer(x, "
                "flags=['multi_index']) gives a full index tuple such as (1, 2) or () for "
                "every shape.")
    if isinstance(err, (IndexError, TypeError)) and "scalar" in text:
        return "Call f with the whole array x (one element moved), not with the element alone."
    if "read-only" in text:
        return "Open the iterator with op_flags=['readwrite'], or iterate over a copy of x."
    return "Run it on this input yourself to see where."


def _check_walk(answer):
    if not callable(answer):
        raise Wrong(f"my_numerical_derivative should be a function (def my_numerical_derivative"
                    f"(f, x): ...), got {type(answer).__name__}.")
    if answer is numerical_derivative:
        raise Wrong("that is numdiff_lib's own numerical_derivative; write the walk yourself.")
    for case in CASES:
        result, left = _run(answer, case)
        _check_untouched(case, left)
        _check_result(case, result)
    return ("all five hidden inputs pass — 1-D, 2×3, the 2×2 matrix, the integer array [3, 4] "
            "(→ [6, 8]) and the 0-d array — and the caller's array was never changed.")


def _check_untouched(case, left):
    if left.shape == case.x.shape and np.array_equal(left, case.x):
        return
    changed = "" if left.shape != case.x.shape else \
        f" ({int(np.sum(left != case.x))} element(s) differ)"
    raise Wrong(f"on {case.name}, your function changed the caller's array: it was "
                f"{case.x.tolist()} and is now {np.asarray(left).tolist()}{changed}. Put each "
                "element back (x[idx] = tmp_val) after the two evaluations — or work on a copy, "
                "x = x.astype(float), which also fixes integer input.")


def _check_result(case, result):
    want = numerical_derivative(case.f, case.x)
    name = case.name
    if result is None:
        raise Wrong(f"on {name}, your function returned None: did you forget `return grad`?")
    if isinstance(result, (list, tuple)):
        raise Wrong(f"on {name}, your function returned a {type(result).__name__}; return a "
                    "NumPy array with the shape of x (start from grad = np.zeros_like(x, "
                    "dtype=float)).")
    try:
        got = np.asarray(result, dtype=float)
    except (TypeError, ValueError):
        raise Wrong(f"on {name}, your function returned {result!r}, which is not an array of "
                    "numbers.") from None
    _check_shape(case, got, want)
    raw = np.asarray(result)
    if raw.dtype.kind in "biu" and case.x.dtype.kind in "iu":
        if np.all(np.abs(got) >= 1000):
            raise Wrong(_INT_INPUT.format(name=name, got=got.tolist()))
    if raw.dtype.kind in "biu":
        raise Wrong(f"on {name}, your result is an integer array {raw.tolist()}: every partial "
                    "was truncated when stored (7.9999… becomes 7). Make grad a float array: "
                    "np.zeros_like(x, dtype=float).")
    if np.allclose(got, want, rtol=RTOL, atol=ATOL):
        return
    _diagnose(case, got, want)


_INT_INPUT = (
    "on {name}, your function returned {got} instead of about [6, 8]: the integer array was "
    "not converted to float. Writing x[idx] = 3 + 1e-4 into an int array stores 3 (the fraction "
    "is dropped) and 3 − 1e-4 stores 2, so the quotient is (f(3, 4) − f(2, 4)) / 0.0002 = 25000. "
    "Start with x = x.astype(float) (a float copy) and grad = np.zeros_like(x).")


def _check_shape(case, got, want):
    name = case.name
    if got.shape == want.shape:
        return
    if got.size == 1 and want.size > 1:
        if np.isclose(float(got.reshape(())), float(np.sum(want)), rtol=1e-4):
            raise Wrong(f"on {name}, your function returned one number, the sum of all the "
                        "partials: x + delta_x moves every element at once. Move one element "
                        "at a time and store one partial per element.")
        raise Wrong(f"on {name}, your function returned one number; the gradient has one "
                    f"partial per element of x, shape {want.shape}.")
    if want.ndim == 2 and got.shape == want.shape[::-1]:
        raise Wrong(f"on {name}, your result has shape {got.shape} but x has shape "
                    f"{want.shape}: transposed. The partial for x[i, j] belongs at grad[i, j].")
    if got.size == want.size:
        raise Wrong(f"on {name}, your result has shape {got.shape} but x has shape {want.shape}:"
                    " keep x's shape (grad = np.zeros_like(x), indexed with it.multi_index).")
    raise Wrong(f"on {name}, your result has shape {got.shape}; the gradient has x's shape "
                f"{want.shape}.")


def _diagnose(case, got, want):
    """Raise Wrong naming the mistake that best explains got."""
    name = case.name
    if case.x.dtype.kind in "iu" and np.all(np.abs(got) >= 1000):
        raise Wrong(_INT_INPUT.format(name=name, got=got.tolist()))
    known = [
        (numerical_derivative(case.f, case.x, method="forward"),
         "that is the forward difference (f(x+Δ) − f(x)) / Δ. Use the central difference "
         "(f(x+Δ) − f(x−Δ)) / (2Δ): its error is Δ² instead of Δ."),
        (numerical_derivative(case.f, case.x, method="backward"),
         "that is the backward difference (f(x) − f(x−Δ)) / Δ. Use the central difference "
         "(f(x+Δ) − f(x−Δ)) / (2Δ)."),
        (-want, "every partial has the wrong sign: the numerator is f(x+Δ) − f(x−Δ)."),
        (2 * want, "every partial is twice too large: divide by 2·delta_x, not delta_x."),
        (0.5 * want, "every partial is half the right size: divide by 2·delta_x, not 4·delta_x."),
    ]
    if want.ndim == 2 and want.shape[0] == want.shape[1]:
        known.append((want.T, "the partials sit in transposed places: the one for x[i, j] "
                              "belongs at grad[i, j]."))
    for value, why in known:
        if np.allclose(got, value, rtol=1e-7, atol=1e-9):
            raise Wrong(f"on {name}, {why}")
    rel = float(np.max(np.abs(got - want)) / max(float(np.max(np.abs(want))), 1e-12))
    if rel < 1e-2:
        raise Wrong(f"on {name}, close but not within rtol = {RTOL:g} (largest relative "
                    f"difference {rel:.1g}). Is it a central difference with delta_x = 1e-4? "
                    "A one-sided difference or a larger step adds truncation error; a much "
                    "smaller step (1e-10) magnifies round-off.")
    raise Wrong(f"on {name}, expected about {np.round(want, 4).tolist()}, got "
                f"{np.round(got, 4).tolist()}. Does each pass move only x[idx], evaluate f on "
                "the whole array, and put x[idx] back before the next element?")


_MISSING = object()


class WalkExercise(Exercise):
    """An exercise whose answer is a function; a template still returning ... is unanswered."""

    def check(self, answer=_MISSING):
        """Feedback on the learner's function (default: the notebook variable self.var)."""
        if answer is _MISSING:
            caller = inspect.currentframe().f_back
            answer = caller.f_globals.get(self.var, None) if caller else None
        if callable(answer) and _returns_ellipsis(answer):
            return Feedback("unanswered", f"`{self.var}` still returns `...`: write its body "
                                          "in the cell above, run it, then run this check again.")
        return Exercise.check(self, answer)


def _returns_ellipsis(func):
    try:
        return func(_counted(_cube, 100), np.array(1.0)) is Ellipsis
    except BaseException as err:  # noqa: BLE001 — anything else is judged by the real check
        if isinstance(err, KeyboardInterrupt):
            raise
        return False


q1 = WalkExercise(
    "my_numerical_derivative", _check_walk,
    hint="Work on a float copy: x = x.astype(float); grad = np.zeros_like(x). Then\n"
         "it = np.nditer(x, flags=['multi_index']); in each pass: idx = it.multi_index, "
         "save tmp_val = x[idx], set x[idx] = tmp_val + delta_x and evaluate f(x), set "
         "x[idx] = tmp_val - delta_x and evaluate f(x), store the central difference in "
         "grad[idx], put x[idx] = tmp_val back, it.iternext().",
    solution=(
        "def my_numerical_derivative(f, x):\n"
        "    delta_x = 1e-4\n"
        "    x = np.array(x, dtype=float)   # a float copy: ints work, the caller's x is safe\n"
        "    grad = np.zeros_like(x)\n"
        "    it = np.nditer(x, flags=['multi_index'])\n"
        "    while not it.finished:\n"
        "        idx = it.multi_index\n"
        "        tmp_val = x[idx]\n"
        "        x[idx] = tmp_val + delta_x\n"
        "        fx1 = f(x)                 # f(x + delta_x)\n"
        "        x[idx] = tmp_val - delta_x\n"
        "        fx2 = f(x)                 # f(x - delta_x)\n"
        "        grad[idx] = (fx1 - fx2) / (2 * delta_x)\n"
        "        x[idx] = tmp_val           # put it back before the next element\n"
        "        it.iternext()\n"
        "    return grad"),
)


# --------------------------------------------------------------------------- q2
# ∇f of wx + xyz + 3w + zy² at [[w, x], [y, z]] = [[2, -1], [1, 3]]:
# ∂w = x + 3 = 2, ∂x = w + yz = 5, ∂y = xz + 2zy = 3, ∂z = xy + y² = 0.
m_q2 = ((2.0, -1.0), (1.0, 3.0))
_GRAD_Q2 = ((2.0, 5.0), (3.0, 0.0))


def _check_matrix(answer):
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        raise Wrong(f"grad_q2 should be a 2×2 array of numbers, got {answer!r}.") from None
    if got.shape == (4,):
        raise Wrong("grad_q2 has the four partials in a row, shape (4,); the gradient has the "
                    "input's shape (2, 2): [[∂f/∂w, ∂f/∂x], [∂f/∂y, ∂f/∂z]].")
    if got.shape != (2, 2):
        raise Wrong(f"grad_q2 should have the input's shape (2, 2), got shape {got.shape}.")
    expect_close(got, _GRAD_Q2, rtol=1e-6, atol=1e-7, mistakes=[
        (np.transpose(_GRAD_Q2), "x and y are swapped: x sits at [0, 1] and y at [1, 0], so "
                                 "∂f/∂x goes to grad[0, 1] and ∂f/∂y to grad[1, 0]."),
        (((-1.0, 5.0), (3.0, 0.0)), "∂f/∂w is missing the 3 from the term 3w: ∂f/∂w = x + 3."),
        (((2.0, 5.0), (-3.0, 0.0)), "∂f/∂y is missing 2zy, the derivative of zy² in y: "
                                    "∂f/∂y = xz + 2zy."),
        (((2.0, 2.0), (3.0, 0.0)), "∂f/∂x is missing yz from the term xyz: ∂f/∂x = w + yz."),
        (((5.0, 13.0), (32.0, 15.0)), "that is the gradient at the lesson's [[1, 2], [3, 4]]; "
                                      "this one is at [[2, -1], [1, 3]]."),
    ])
    return ("[[x + 3, w + yz], [xz + 2zy, xy + y²]] at w=2, x=−1, y=1, z=3 is [[2, 5], [3, 0]]: "
            "each partial sits where its variable sits.")


q2 = Exercise(
    "grad_q2", _check_matrix,
    hint="Either by hand — ∂f/∂w = x + 3, ∂f/∂x = w + yz, ∂f/∂y = xz + 2zy, ∂f/∂z = xy + y² — "
         "or with numerical_derivative(func1, np.array([[2.0, -1.0], [1.0, 3.0]])). Keep the "
         "2×2 layout.",
    solution="grad_q2 = numerical_derivative(func1, np.array([[2.0, -1.0], [1.0, 3.0]]))\n"
             "= [[2, 5], [3, 0]] (to about 1e-10): x + 3 = 2, w + yz = 5, xz + 2zy = 3, "
             "xy + y² = 0.",
)
