"""Exercises for 03_matrix_input_example: write the element walk yourself; a gradient matrix.

In the notebook:  q1, q2 = lesson03.bind(globals())
"""

import numpy as np

from .. import guard
from ..core import numerical_derivative
from ..messages import N_, Msg
from . import ArrayExercise, FunctionExercise, Wrong, decimals, in_library_frames, mistake
from . import bind as _bind

# What the solutions may use: the names the notebook defines before its exercises.
SOLUTION_SETUP = """
import numpy as np
from numdiff_lib import numerical_derivative


def func1(input_obj):
    w = input_obj[0, 0]
    x = input_obj[0, 1]
    y = input_obj[1, 0]
    z = input_obj[1, 1]
    return w*x + x*y*z + 3*w + z*np.power(y, 2)
"""

# --------------------------------------------------------------------------- q1: the walk
# The learner writes my_numerical_derivative(f, x) for arrays of any shape. The check runs it on
# hidden inputs with an f of its own that watches every call: it sees whether the learner's
# loop moves one element at a time and puts it back, and whether f is being called from inside
# numdiff_lib (a wrapper around the library, not a walk). The whole check runs under the
# exercise's time limit, so an endless loop or a sleep ends as feedback.

DELTA_X = 1e-4
RTOL, ATOL = 1e-6, 1e-7  # central differences at 1e-4 land within ~1e-8 on these functions
SECONDS_Q1 = 5.0  # a correct walk over the five inputs takes milliseconds


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


class Case:
    """One hidden input of the check: its description, f, and the point x."""

    def __init__(self, name, f, x):
        self.name, self.f, self.x = name, f, np.asarray(x)
        self.x.flags.writeable = False  # only copies are handed out
        self.want = numerical_derivative(f, self.x)


CASES = (
    Case(N_("a 1-D float array [1.0, -2.0, 0.5]"), _cubes, [1.0, -2.0, 0.5]),
    Case(N_("a 2×3 float array"), _sines, [[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]]),
    # A point where the gradient is not symmetric, so partials stored transposed are seen.
    Case(N_("the 2×2 matrix function wx + xyz + 3w + zy²"), _seed_four, [[0.5, -1.5], [2.0, 1.5]]),
    Case(N_("the integer array np.array([3, 4]) with x0² + x1²"), _bowl, [3, 4]),
    Case(N_("a 0-d array np.array(2.0) with f(x) = x³"), _cube, 2.0),
)

# Messages; each names the input (a Msg field) on which the learner's function went wrong.
DELEGATED = N_("on {case}, f was called from inside numdiff_lib: your function hands the work "
               "to the library's numerical_derivative. This exercise asks for your own walk: "
               "move one element of x at a time (np.nditer with flags=['multi_index']), "
               "evaluate f yourself, and store each partial.")
RUNAWAY = N_("on {case}, your function called f more than {limit} times (the walk needs 2 per "
             "element): does the loop end? With np.nditer, finish each pass with "
             "it.iternext(); with range(x.size), check the loop bound.")
NOT_RESTORED = N_("on {case}, your walk does not put x[idx] back: when f was evaluated for "
                  "{moving}, {left} was still moved ({value:.6g} instead of {was:.6g}). After "
                  "the two evaluations, restore the element (x[idx] = tmp_val) before the next "
                  "one moves.")
ALL_AT_ONCE = N_("on {case}, your function moved every element of x at once (x + delta_x): "
                 "that gives how f changes along the diagonal, not one partial per element. "
                 "Move one element at a time, x[idx] = tmp_val + delta_x, with the others "
                 "frozen.")
SEVERAL_AT_ONCE = N_("on {case}, your function moved {count} elements of x at once ({moved}). "
                     "On a 2-D array, x[i] is a whole row: use a full index such as (1, 2), "
                     "which np.nditer(x, flags=['multi_index']) gives as it.multi_index.")
ELEMENT_ALONE = N_("on {case}, your function called f with {size} number(s), but x has {n}: "
                   "call f with the whole array x, with one element moved.")
RAISED = N_("on {case}, your function raised {error}. {advice}")
ADVICE_INDEX = N_("An index made for a 1-D array does not fit this shape: np.nditer(x, "
                  "flags=['multi_index']) gives a full index tuple such as (1, 2), or () for a "
                  "0-d array.")
ADVICE_READ_ONLY = N_("Open the iterator with op_flags=['readwrite'], or walk a float copy of "
                      "x: x = x.astype(float).")
ADVICE_RUN = N_("Run it on such an input yourself to see where.")
CHANGED_CALLER = N_("on {case}, your function changed the caller's array: it was {was} and is "
                    "now {now}. Put each element back (x[idx] = tmp_val) after its two "
                    "evaluations, or work on a copy: x = x.astype(float), which also fixes "
                    "integer input.")
RETURNED_NONE = N_("on {case}, your function returned None: did you forget `return grad`?")
RETURNED_SEQUENCE = N_("on {case}, your function returned a {kind}; return a NumPy array with "
                       "the shape of x (start from grad = np.zeros_like(x, dtype=float)).")
NOT_NUMBERS = N_("on {case}, your function returned {answer}, which is not an array of "
                 "numbers.")
ONE_NUMBER_SUM = N_("on {case}, your function returned one number, the sum of all the "
                    "partials: move one element at a time and store one partial per element.")
ONE_NUMBER = N_("on {case}, your function returned one number; the gradient has one partial "
                "per element of x, shape {shape}.")
TRANSPOSED_SHAPE = N_("on {case}, your result has shape {got} but x has shape {shape}: "
                      "transposed. The partial for x[i, j] belongs at grad[i, j].")
RESHAPED = N_("on {case}, your result has shape {got} but x has shape {shape}: keep x's "
              "shape (grad = np.zeros_like(x, dtype=float), indexed with it.multi_index).")
WRONG_SHAPE = N_("on {case}, your result has shape {got}; the gradient has x's shape {shape}.")
INT_INPUT = N_("on {case}, your function returned {got} instead of about [6, 8]: the integer "
               "array was not converted to float. Writing x[idx] = 3 + 1e-4 into an int array "
               "stores 3 (the fraction is dropped) and 3 − 1e-4 stores 2, so the quotient is "
               "(f(3, 4) − f(2, 4)) / 0.0002 = 25000. Start with x = x.astype(float) (a float "
               "copy) and grad = np.zeros_like(x).")
INT_RESULT = N_("on {case}, your result is an integer array {got}: every partial was truncated "
                "when stored (7.9999… becomes 7). Make grad a float array: "
                "np.zeros_like(x, dtype=float).")
FORWARD = N_("on {case}, that is the forward difference (f(x+Δ) − f(x)) / Δ. Use the central "
             "difference (f(x+Δ) − f(x−Δ)) / (2Δ): its error is about Δ² instead of Δ.")
BACKWARD = N_("on {case}, that is the backward difference (f(x) − f(x−Δ)) / Δ. Use the central "
              "difference (f(x+Δ) − f(x−Δ)) / (2Δ).")
SIGN = N_("on {case}, every partial has the wrong sign: the numerator is f(x+Δ) − f(x−Δ), "
          "in that order.")
TWICE = N_("on {case}, every partial is twice too large: divide by 2·delta_x, not delta_x.")
HALF = N_("on {case}, every partial is half the right size: divide by 2·delta_x, not "
          "4·delta_x.")
TRANSPOSED_VALUES = N_("on {case}, the partials sit in transposed places: the one for x[i, j] "
                       "belongs at grad[i, j].")
STEP = N_("on {case}, close but not within rtol = {rtol:g} (largest relative difference "
          "{rel:.1g}). Is it a central difference with delta_x = 1e-4? A larger step adds "
          "truncation error; a much smaller one (such as 1e-10) magnifies round-off.")
EXPECTED = N_("on {case}, expected about {want}, got {got}. Does each pass move only x[idx], "
              "evaluate f on the whole array, and store (f(x+Δ) − f(x−Δ)) / (2Δ) in grad[idx]?")
PRAISE_Q1 = N_("all five hidden inputs pass — 1-D, 2×3, the 2×2 matrix, the integer array "
               "[3, 4] (→ [6, 8]) and the 0-d array — and the caller's array was never "
               "changed. Your walk is numdiff_lib's numerical_derivative in miniature.")
UNANSWERED_Q1 = FunctionExercise.unanswered_msgid


class _Stop(BaseException):
    """Raised inside the check's f to end the learner's function with a message.
    BaseException, so a learner's `except Exception` cannot swallow it."""

    def __init__(self, wrong):
        super().__init__()
        self.wrong = wrong


def _index_text(flat, shape):
    """x[1, 2] for a flat index into an array of this shape; x[()] for a 0-d array."""
    if not shape:
        return "x[()]"
    index = np.unravel_index(int(flat), shape)
    return "x[" + ", ".join(str(int(i)) for i in index) + "]"


class _WatchedF:
    """The f the check hands to the learner's function: the case's f, watching every call."""

    def __init__(self, case, outer_library=False):
        self.case = case
        # True when the check itself was started from numdiff_lib code (a widget, say): the
        # stack then shows the library whoever calls f, and delegation cannot be told apart.
        self.outer_library = outer_library
        self.x0 = np.asarray(case.x, dtype=float).reshape(-1)
        self.limit = 20 * case.x.size + 20  # the walk needs 2 per element; generous extras
        self.calls = 0
        self.moved_before = set()  # flat indices moved in earlier calls
        self.problem = None  # the first Wrong found, kept even if the learner catches _Stop

    def __call__(self, arg):
        self.calls += 1
        if self.problem is None:
            if in_library_frames() and not self.outer_library:
                self._stop(DELEGATED)
            if self.calls > self.limit:
                self._stop(RUNAWAY, limit=self.limit)
            self._look(arg)
        return self.case.f(arg)

    def _stop(self, msgid, **fields):
        self.problem = Wrong(msgid, case=Msg(self.case.name), **fields)
        raise _Stop(self.problem)

    def _look(self, arg):
        """Check that arg is x with at most one element moved, and no earlier one left moved."""
        try:
            raw = np.asarray(arg)
            if raw.dtype.kind == "c":  # a complex step moves only the imaginary part
                raw = raw.real
            got = raw.astype(float).reshape(-1)
        except (TypeError, ValueError):
            return  # not numbers: the case's f says what is wrong
        if got.size != self.x0.size:
            self._stop(ELEMENT_ALONE, size=got.size, n=self.x0.size)
        # x as the learner's dtype holds it (float32 rounds every element a little).
        x0 = self.x0.astype(raw.dtype).astype(float) if raw.dtype.kind == "f" else self.x0
        away = np.abs(got - x0)
        moved = np.flatnonzero(~(away <= 1e-14 * (1 + np.abs(x0))))  # NaN counts as moved
        if len(moved) >= 2:
            left = [int(i) for i in moved if int(i) in self.moved_before]
            if left:
                moving = next((int(i) for i in moved if int(i) not in self.moved_before),
                              int(moved[-1]))
                shape = self.case.x.shape
                self._stop(NOT_RESTORED, moving=_index_text(moving, shape),
                           left=_index_text(left[0], shape), value=float(got[left[0]]),
                           was=float(self.x0[left[0]]))
            if len(moved) == self.x0.size:
                self._stop(ALL_AT_ONCE)
            self._stop(SEVERAL_AT_ONCE, count=len(moved),
                       moved=", ".join(_index_text(i, self.case.x.shape) for i in moved))
        self.moved_before.update(int(i) for i in moved)


def _run(func, case):
    """The learner's result on one case, and the array it was given as it was left."""
    x = np.array(case.x)  # a writeable copy with the case's dtype
    watched = _WatchedF(case, outer_library=in_library_frames())
    try:
        result = func(watched, x)
    except _Stop as stop:
        raise stop.wrong from None
    except (KeyboardInterrupt, guard.TimeLimit):
        raise
    except BaseException as err:  # noqa: BLE001 — the learner's code: report, never raise
        if watched.problem is not None:
            raise watched.problem from None
        raise Wrong(RAISED, case=Msg(case.name), error=guard.error_text(err, 200),
                    advice=Msg(_advice(err))) from None
    if watched.problem is not None:  # the learner caught our _Stop and went on
        raise watched.problem
    return result, x


def _advice(err):
    text = guard.safe_text(err, 300)
    if isinstance(err, IndexError) and ("too many indices" in text or "out of bounds" in text
                                        or "invalid index" in text):
        return ADVICE_INDEX
    if "read-only" in text:
        return ADVICE_READ_ONLY
    return ADVICE_RUN


def _check_walk(answer):
    for case in CASES:
        result, left = _run(answer, case)
        _check_untouched(case, left)
        _check_result(case, result)
    return Msg(PRAISE_Q1)


def _check_untouched(case, left):
    if left.shape == case.x.shape and np.array_equal(left, case.x):
        return
    raise Wrong(CHANGED_CALLER, case=Msg(case.name), was=case.x.tolist(),
                now=guard.safe_repr(np.asarray(left).tolist(), 120))


def _check_result(case, result):
    name = Msg(case.name)
    if result is None:
        raise Wrong(RETURNED_NONE, case=name)
    if isinstance(result, (list, tuple)):
        raise Wrong(RETURNED_SEQUENCE, case=name, kind=type(result).__name__)
    if getattr(result, "size", 0) > 10 * case.x.size + 10:
        raise Wrong(WRONG_SHAPE, case=name, got=getattr(result, "shape", "?"),
                    shape=case.x.shape)
    try:
        raw = np.asarray(result)
        got = raw.astype(float)
    except (TypeError, ValueError, OverflowError):
        raise Wrong(NOT_NUMBERS, case=name, answer=guard.safe_repr(result, 120)) from None
    want = case.want
    _check_shape(case, got)
    if raw.dtype.kind in "biu":
        if case.x.dtype.kind in "iu" and np.all(np.abs(got) >= 1000):
            raise Wrong(INT_INPUT, case=name, got=got.tolist())
        raise Wrong(INT_RESULT, case=name, got=raw.tolist())
    if np.allclose(got, want, rtol=RTOL, atol=ATOL):
        return
    _diagnose(case, got)


def _check_shape(case, got):
    name, shape = Msg(case.name), case.want.shape
    if got.shape == shape:
        return
    if got.size == 1 and case.want.size > 1:
        if np.isclose(float(got.reshape(())), float(np.sum(case.want)), rtol=1e-4):
            raise Wrong(ONE_NUMBER_SUM, case=name)
        raise Wrong(ONE_NUMBER, case=name, shape=shape)
    if len(shape) == 2 and got.shape == shape[::-1]:
        raise Wrong(TRANSPOSED_SHAPE, case=name, got=got.shape, shape=shape)
    if got.size == case.want.size:
        raise Wrong(RESHAPED, case=name, got=got.shape, shape=shape)
    raise Wrong(WRONG_SHAPE, case=name, got=got.shape, shape=shape)


def _diagnose(case, got):
    """Raise Wrong naming the mistake that best explains got."""
    name, want = Msg(case.name), case.want
    if not np.all(np.isfinite(got)):
        raise Wrong(EXPECTED, case=name, want=np.round(want, 4).tolist(), got=got.tolist())
    if case.x.dtype.kind in "iu" and np.all(np.abs(got) >= 1000):
        raise Wrong(INT_INPUT, case=name, got=got.tolist())
    known = [
        (numerical_derivative(case.f, case.x, method="forward"), FORWARD),
        (numerical_derivative(case.f, case.x, method="backward"), BACKWARD),
        (-want, SIGN),
        (2 * want, TWICE),
        (0.5 * want, HALF),
    ]
    if want.ndim == 2 and want.shape[0] == want.shape[1]:
        known.append((want.T, TRANSPOSED_VALUES))
    for value, msgid in known:
        if np.allclose(got, value, rtol=1e-7, atol=1e-9):
            raise Wrong(msgid, case=name)
    rel = float(np.max(np.abs(got - want)) / max(float(np.max(np.abs(want))), 1e-12))
    if rel < 1e-2:
        raise Wrong(STEP, case=name, rtol=RTOL, rel=rel)
    raise Wrong(EXPECTED, case=name, want=np.round(want, 4).tolist(),
                got=np.round(got, 4).tolist())


def _template_probe(func):
    """What the function returns on a tiny input: Ellipsis while it is the template."""
    return func(_cube, np.array(1.0))


q1 = FunctionExercise(
    "my_numerical_derivative", _check_walk, template_probe=_template_probe,
    seconds=SECONDS_Q1,
    hints=[
        N_("Work on a float copy, x = x.astype(float), and start grad = np.zeros_like(x). Then "
           "it = np.nditer(x, flags=['multi_index']) visits every element, and it.multi_index "
           "is its full index."),
        N_("In each pass: idx = it.multi_index; tmp_val = x[idx]; x[idx] = tmp_val + delta_x "
           "and fx1 = f(x); x[idx] = tmp_val - delta_x and fx2 = f(x); grad[idx] = "
           "(fx1 - fx2) / (2 * delta_x); x[idx] = tmp_val; it.iternext()."),
    ],
    solution=(
        N_("def my_numerical_derivative(f, x):\n"
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
        "    return grad")),
    explanation=N_("the seed's walk on a float copy: np.array(x, dtype=float) makes integer "
                   "input work and leaves the caller's array alone. The loop writes through "
                   "x[idx], not through the iterator, so np.nditer needs no "
                   "op_flags=['readwrite']."),
)


# --------------------------------------------------------------------------- q2: a matrix
# ∇f of wx + xyz + 3w + zy² at [[w, x], [y, z]] = [[2, -1], [1, 3]]:
# ∂w = x + 3 = 2, ∂x = w + yz = 5, ∂y = xz + 2zy = 3, ∂z = xy + y² = 0.

M_Q2 = ((2.0, -1.0), (1.0, 3.0))


def grad_four(w, x, y, z):
    """[[∂f/∂w, ∂f/∂x], [∂f/∂y, ∂f/∂z]] of wx + xyz + 3w + zy²."""
    return np.array([[x + 3, w + y * z], [x * z + 2 * z * y, x * y + y ** 2]], dtype=float)


GRAD_Q2 = grad_four(2.0, -1.0, 1.0, 3.0)          # [[2, 5], [3, 0]]
COLUMNWISE_Q2 = grad_four(2.0, 1.0, -1.0, 3.0)    # w, x, y, z read down the columns

X_Y_SWAPPED = N_("x and y are swapped: x sits at [0, 1] and y at [1, 0], so ∂f/∂x goes to "
                 "grad[0, 1] and ∂f/∂y to grad[1, 0].")
COLUMNWISE = N_("that reads the matrix column by column (x = 1, y = −1). The lesson's func1 "
                "reads it row by row: w = [0, 0] = 2, x = [0, 1] = −1, y = [1, 0] = 1, "
                "z = [1, 1] = 3.")
MISSING_3 = N_("∂f/∂w is missing the 3 from the term 3w: ∂f/∂w = x + 3.")
MISSING_YZ = N_("∂f/∂x is missing yz, from the term xyz: ∂f/∂x = w + yz.")
MISSING_2ZY = N_("∂f/∂y is missing 2zy, the derivative of zy² in y: ∂f/∂y = xz + 2zy.")
MISSING_2 = N_("∂f/∂y: the derivative of zy² in y is 2zy (the power rule brings down the 2).")
MISSING_Y2 = N_("∂f/∂z is missing y², from the term zy²: ∂f/∂z = xy + y².")
MISSING_XY = N_("∂f/∂z is missing xy, from the term xyz: ∂f/∂z = xy + y².")
LESSON_POINT_Q2 = N_("that is the gradient at the lesson's [[1, 2], [3, 4]]; this one is at "
                     "[[2, -1], [1, 3]].")

_G = GRAD_Q2
q2 = ArrayExercise(
    "grad_q2", GRAD_Q2, decimals(2),
    mistakes=[
        mistake(_G.T, X_Y_SWAPPED),
        mistake(COLUMNWISE_Q2, COLUMNWISE),
        mistake(COLUMNWISE_Q2.T, COLUMNWISE),
        mistake(_G - [[3, 0], [0, 0]], MISSING_3),
        mistake(_G - [[0, 1 * 3], [0, 0]], MISSING_YZ),
        mistake(_G - [[0, 0], [2 * 3 * 1, 0]], MISSING_2ZY),
        mistake(_G - [[0, 0], [3 * 1, 0]], MISSING_2),
        mistake(_G - [[0, 0], [0, 1 ** 2]], MISSING_Y2),
        mistake(_G - [[0, 0], [0, -1 * 1]], MISSING_XY),
        mistake(grad_four(1.0, 2.0, 3.0, 4.0), LESSON_POINT_Q2),
    ],
    otherwise=N_("not the gradient at [[2, -1], [1, 3]] yet. Check each partial at w = 2, "
                 "x = −1, y = 1, z = 3, and keep the 2×2 layout of the input."),
    hints=[
        N_("By hand: ∂f/∂w = x + 3, ∂f/∂x = w + yz, ∂f/∂y = xz + 2zy, ∂f/∂z = xy + y², at "
           "w = 2, x = −1, y = 1, z = 3. Or numerically, with func1."),
        N_("numerical_derivative(func1, np.array([[2.0, -1.0], [1.0, 3.0]])) returns the 2×2 "
           "gradient, each partial where its variable sits."),
    ],
    solution="grad_q2 = numerical_derivative(func1, np.array([[2.0, -1.0], [1.0, 3.0]]))",
    explanation=N_("[[x + 3, w + yz], [xz + 2zy, xy + y²]] at w = 2, x = −1, y = 1, z = 3 is "
                   "[[2, 5], [3, 0]]; the numerical gradient agrees to about 1e-10."),
    praise=N_("[[x + 3, w + yz], [xz + 2zy, xy + y²]] = [[2, 5], [3, 0]] at w = 2, x = −1, "
              "y = 1, z = 3: each partial sits where its variable sits. ∂f/∂z = 0 here: "
              "near this point, moving z alone hardly changes f."),
)

EXERCISES = (q1, q2)


def bind(namespace):
    """q1, q2 bound to the notebook's namespace: q1, q2 = lesson03.bind(globals())."""
    return _bind(namespace, EXERCISES)
