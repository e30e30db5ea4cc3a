"""Exercise self-checks in the learntools style: q1.check(), q1.hint(), q1.solution().

Each lesson's exercises live in exercises/lessonNN.py and are declared as data: the notebook
variable that holds the answer, the expected value and its tolerance, the known mistakes with
the message each one earns, graded hints, and the solution as code. A lesson binds them to its
namespace explicitly, as learntools' `bind_exercises` does:

    from numdiff_lib.exercises import lesson00
    q1, q2 = lesson00.bind(globals())

A check never raises at the learner (only KeyboardInterrupt gets through): learner code runs
under numdiff_lib.guard's time and output limits, and every message is translated when shown.
"""

import copy
import math
import numbers
from typing import NamedTuple

import numpy as np

from .. import guard
from ..messages import N_, Msg, _

ANSWER_CHARS = 200   # at most this much of an answer is quoted back in a message
CHECK_SECONDS = 10.0  # a check (with the learner code it calls) gets this long
MAX_ELEMENTS = 10_000  # arrays larger than this are refused before they are converted


class Wrong(Exception):
    """Raised by a judge with the learner's message: Wrong(msgid, **fields) (lessons 00-08)."""

    kind = "incorrect"

    def __init__(self, msgid, /, **fields):
        super().__init__(msgid)
        self.message = Msg(msgid, **fields)


class Close(Wrong):
    """A near miss: right up to the digits given ("close — give more digits") (lessons 00-08)."""

    kind = "close"


class Mistake(NamedTuple):
    """A wrong answer learners plausibly give, and what to tell them: Mistake(value, msgid).

    Used by the exercises of lessons 00-08.

    value: the wrong value (number, array or SymPy expression), or a function
    answer -> bool for mistakes that are not one value. fields fill the msgid's {names}.
    """

    value: object
    message: str
    fields: dict = {}


def mistake(value, message, /, **fields):
    """Mistake(value, message, fields) with the fields as keywords (exercise declarations).

    Used by the exercises of lessons 00-08.
    """
    return Mistake(value, message, fields)


# --------------------------------------------------------------------------- feedback


class Feedback:
    """What check(), hint() and solution() return; coloured text in a notebook (lessons 00–08)."""

    COLOURS = {"correct": "#1b5e20", "incorrect": "#b71c1c", "close": "#e65100",
               "unanswered": "#0d47a1", "hint": "#4a148c", "solution": "#263238"}
    LABELS = {"correct": N_("Correct"), "incorrect": N_("Not yet"), "close": N_("Close"),
              "unanswered": N_("Not answered yet"), "hint": N_("Hint"),
              "solution": N_("Solution")}
    # Symbols as well as colours, so the kind reads without colour vision.
    MARKS = {"correct": "✔", "incorrect": "✘", "close": "≈", "unanswered": "…", "hint": "?",
             "solution": "▶"}

    def __init__(self, kind, message, code=None, label_fields=None):
        self.kind, self._message, self.code = kind, message, code
        self._label_fields = label_fields or {}

    @property
    def correct(self):
        return self.kind == "correct"

    @property
    def message(self):
        """The message in the current language, cut to a readable length."""
        return guard.cut(guard.safe_text(self._message, 4000), 1500)

    @property
    def msgid(self):
        """The English message id behind this feedback (tests compare it, lessons 00-08)."""
        return self._message.msgid if isinstance(self._message, Msg) else str(self._message)

    @property
    def label(self):
        return _(self.LABELS[self.kind])

    def __repr__(self):
        text = f"{self.label}: {self.message}"
        return f"{text}\n{self.code}" if self.code else text

    def _repr_html_(self):
        from html import escape

        colour = self.COLOURS[self.kind]
        code = (f'<pre style="margin:4px 0 0 0">{escape(self.code)}</pre>' if self.code else "")
        return (f'<div style="color:{colour}"><b>{self.MARKS[self.kind]} {escape(self.label)}:'
                f'</b> <span style="white-space:pre-wrap">{escape(self.message)}</span>'
                f"{code}</div>")


# --------------------------------------------------------------------------- exercises

_UNSET = object()


_PRAISE = N_("well done.")
_NOT_YET = N_("not the expected value yet. Go through the steps again; hint() helps.")
_NOT_YET_ARRAY = N_("not the expected values yet; hint() helps.")


class Exercise:
    """One question, declared as data; subclasses say how an answer is judged (lessons 00–08).

    var: the notebook variable that holds the answer. hints: msgids, the later ones nearer the
    answer. solution: code that sets var (run through this check by the tests). explanation:
    shown with the solution. praise: shown when the answer is right ({fields} from praise_fields).
    """

    unanswered_msgid = N_("set `{var} = ...` in the cell above, run it, then run this check "
                          "again.")

    def __init__(self, var, *, hints=(), solution="", explanation="", praise=_PRAISE,
                 praise_fields=None, seconds=CHECK_SECONDS):
        self.var, self.hints, self.solution_code = var, tuple(hints), solution
        self.explanation, self.praise = explanation, praise
        self.praise_fields = praise_fields or {}
        self.seconds = seconds
        self._namespace = None
        self._hints_shown = 0

    # -- binding

    def bind(self, namespace):
        """A copy of this exercise that reads its answer from namespace (a notebook's globals())."""
        bound = copy.copy(self)
        bound._namespace = namespace
        bound._hints_shown = 0
        return bound

    # -- the learner's side

    def check(self, answer=_UNSET):
        """Feedback on answer (default: the bound notebook variable self.var)."""
        if answer is _UNSET:
            if self._namespace is None:
                return Feedback("unanswered", Msg(N_(
                    "this exercise is not bound to the notebook: run the set-up cell that "
                    "binds the exercises (q1, q2, ... = lessonNN.bind(globals())) first.")))
            answer = self._namespace.get(self.var, None)
        if answer is None or answer is Ellipsis or self.unanswered(answer):
            return Feedback("unanswered", Msg(self.unanswered_msgid, var=self.var))
        outcome = guard.run(self.judge, answer, seconds=self.seconds)
        if outcome.timed_out:
            return Feedback("incorrect", Msg(N_(
                "checking your answer took longer than {seconds:g} s, so it was stopped. Does "
                "a loop in your code end? Does it call f or print far more often than needed?"),
                seconds=self.seconds))
        err = outcome.error
        if isinstance(err, Wrong):
            return Feedback(err.kind, err.message)
        if err is not None:
            return Feedback("incorrect", Msg(N_(
                "your answer could not be checked: it raised {error}. Is `{var}` the right kind "
                "of value?"), error=guard.error_text(err, ANSWER_CHARS), var=self.var))
        return Feedback("correct", outcome.value or Msg(self.praise, **self.praise_fields))

    def hint(self, level=None):
        """A nudge: hint() gives the next one, hint(2) the second (nearer the answer)."""
        if not self.hints:
            return Feedback("hint", Msg(N_("no hint for this one: see the solution.")))
        if level is None:
            level = min(self._hints_shown + 1, len(self.hints))
        level = min(max(int(level), 1), len(self.hints))
        self._hints_shown = max(self._hints_shown, level)
        more = Msg(N_(" (hint({next}) gives more)"), next=level + 1) \
            if level < len(self.hints) else ""
        return Feedback("hint", Msg(N_("{number} of {total}: {hint}{more}"), number=level,
                                    total=len(self.hints), hint=Msg(self.hints[level - 1]),
                                    more=more))

    def solution(self):
        """The worked answer: code you can run, and why."""
        return Feedback("solution", Msg(self.explanation) if self.explanation else "",
                        code=_(self.solution_code) if self.solution_code else None)

    # -- the declaration's side

    def unanswered(self, answer):
        """True when the answer is still the template's placeholder."""
        return False

    def judge(self, answer):
        """Raise Wrong(msgid, ...) for a wrong answer; return None or a Msg for a right one."""
        raise NotImplementedError


def bind(namespace, exercises):
    """The exercises bound to namespace, in order: q1, q2 = bind(globals(), (Q1, Q2)).

    Used by the exercises of lessons 00-08.
    """
    bound = tuple(ex.bind(namespace) for ex in exercises)
    return bound if len(bound) != 1 else bound[0]


# --------------------------------------------------------------------------- reading answers


def shown(answer, limit=ANSWER_CHARS):
    """An answer quoted back to the learner: its repr, cut short (never raises) (lessons 00-08)."""
    return guard.safe_repr(answer, limit)


def read_number(answer, var, example="1.5"):
    """The answer as one finite float, or Wrong saying what it was instead (lessons 00-08)."""
    if isinstance(answer, str):
        raise Wrong(N_("{var} should be a number such as {example}, got the text {answer}: "
                       "remove the quotes."), var=var, example=example, answer=shown(answer))
    if isinstance(answer, np.ndarray) and answer.size == 1 and answer.dtype.kind in "iuf":
        answer = answer.reshape(()).item()
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, numbers.Real):
        if _is_sympy(answer) and getattr(answer, "is_number", False):
            answer = _sympy_float(answer)
        else:
            raise Wrong(N_("{var} should be one number such as {example}, got {answer} ({kind})."),
                        var=var, example=example, answer=shown(answer),
                        kind=type(answer).__name__)
    try:
        value = float(answer)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise Wrong(N_("{var} must be a finite number, got {answer}."), var=var,
                    answer=shown(answer))
    return value


def _is_sympy(obj):
    return type(obj).__module__.startswith("sympy")


def _sympy_float(expr):
    try:
        return float(expr)
    except (TypeError, ValueError, OverflowError):
        raise Wrong(N_("this SymPy number cannot be read as a real number: {answer}."),
                    answer=shown(expr)) from None


def read_array(answer, var, shape, max_elements=MAX_ELEMENTS):
    """The answer as a float array of shape `shape`, or Wrong naming the shape mistake.

    Used by the exercises of lessons 00-08.
    """
    size = getattr(answer, "size", None)
    if isinstance(size, int) and size > max_elements or (
            isinstance(answer, (list, tuple)) and len(answer) > max_elements):
        raise Wrong(N_("{var} is far too large (more than {limit:,} numbers); the answer has "
                       "shape {shape}."), var=var, limit=max_elements, shape=shape)
    if isinstance(answer, str):
        raise Wrong(N_("{var} should be an array of numbers, got the text {answer}."), var=var,
                    answer=shown(answer))
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise Wrong(N_("{var} should be an array of numbers of shape {shape}, got {answer}."),
                    var=var, shape=shape, answer=shown(answer)) from None
    if got.size > max_elements:
        raise Wrong(N_("{var} is far too large (more than {limit:,} numbers); the answer has "
                       "shape {shape}."), var=var, limit=max_elements, shape=shape)
    shape = tuple(shape)
    if got.shape != shape:
        if got.ndim == 2 and got.T.shape == shape:
            raise Wrong(N_("{var} has shape {got}, but the answer has shape {shape}: transposed?"),
                        var=var, got=got.shape, shape=shape)
        if got.size == math.prod(shape):
            raise Wrong(N_("{var} has the right number of values but shape {got}; the answer "
                           "has shape {shape} (keep the input's layout)."), var=var,
                        got=got.shape, shape=shape)
        raise Wrong(N_("{var} has shape {got}; the answer has shape {shape}."), var=var,
                    got=got.shape, shape=shape)
    if not np.all(np.isfinite(got)):
        raise Wrong(N_("{var} contains NaN or inf; every entry should be a finite number."),
                    var=var)
    return got


# --------------------------------------------------------------------------- comparing


class Tolerance(NamedTuple):
    """How close counts as equal: |got - want| <= atol + rtol * |want| (exercise checks).

    Used by the exercises of lessons 00-08.
    """

    atol: float = 0.0
    rtol: float = 1e-9
    digits: str = ""  # how the question asks for it, e.g. "two decimals", for the near-miss text
    places: int = 0  # decimals asked for (decimals(n)); with `significant`, significant digits
    significant: bool = False

    def close(self, got, want, factor=1.0):
        got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
        if got.shape != want.shape:
            return False
        slack = factor * (self.atol + self.rtol * np.abs(want)) + 1e-12 * np.abs(want) + 1e-15
        return bool(np.all(np.abs(got - want) <= slack))

    def short_of_digits(self, got):
        """True when got has fewer digits than the question asks for (1.8 for two decimals)."""
        if not self.places:
            return True
        got = np.asarray(got, dtype=float)
        if self.significant:
            magnitude = np.floor(np.log10(np.where(got == 0, 1, np.abs(got))))
            scale = 10.0 ** (self.places - 2 - magnitude)
        else:
            scale = 10.0 ** (self.places - 1)
        return bool(np.all(np.abs(got * scale - np.round(got * scale)) <= 1e-6))


def decimals(n):
    """Tolerance for a question that asks for n decimals: 1.83 passes for 1.825 when n = 2.

    Used by the exercises of lessons 00-08.
    """
    digits = Msg(N_("one decimal")) if n == 1 else Msg(N_("{n} decimals"), n=n)
    return Tolerance(atol=0.5 * 10.0**-n * (1 + 1e-9), rtol=0.0, digits=digits, places=n)


def significant(n):
    """Tolerance for a question that asks for n significant digits (lessons 00-08)."""
    return Tolerance(atol=0.0, rtol=0.5 * 10.0 ** (1 - n) * (1 + 1e-9),
                     digits=Msg(N_("{n} significant digits"), n=n), places=n, significant=True)


NEAR = 10.0  # within NEAR times the tolerance: "close — give more digits"


def match_mistakes(got, mistakes, tolerance, compare=None):
    """Raise Wrong with the message of the first mistake got matches (exercise checks).

    Used by the exercises of lessons 00-08.
    """
    compare = compare or tolerance.close
    for m in mistakes:
        value = m.value
        hit = value(got) if callable(value) else compare(got, value)
        if hit:
            raise Wrong(m.message, **m.fields)


class NumberExercise(Exercise):
    """An answer that is one number (lessons 00, 01, 04, 07)."""

    def __init__(self, var, expected, tolerance, *, mistakes=(), example="1.5",
                 otherwise=_NOT_YET, otherwise_fields=None, sign_slip=True, **kw):
        super().__init__(var, **kw)
        self.expected, self.tolerance, self.mistakes = float(expected), tolerance, tuple(mistakes)
        self.example, self.otherwise = example, otherwise
        self.otherwise_fields = otherwise_fields or {}
        self.sign_slip = sign_slip

    def judge(self, answer):
        got = read_number(answer, self.var, self.example)
        return judge_close(got, self.expected, self.tolerance, self.mistakes, self.otherwise,
                           self.otherwise_fields, self.sign_slip, self.praise, self.praise_fields)


class ArrayExercise(Exercise):
    """An answer that is an array of a known shape (lessons 02, 03, 06)."""

    def __init__(self, var, expected, tolerance, *, mistakes=(),
                 otherwise=_NOT_YET_ARRAY,
                 otherwise_fields=None, sign_slip=True, **kw):
        super().__init__(var, **kw)
        self.expected = np.asarray(expected, dtype=float)
        self.tolerance, self.mistakes = tolerance, tuple(mistakes)
        self.otherwise, self.otherwise_fields = otherwise, otherwise_fields or {}
        self.sign_slip = sign_slip

    def judge(self, answer):
        got = read_array(answer, self.var, self.expected.shape)
        return judge_close(got, self.expected, self.tolerance, self.mistakes, self.otherwise,
                           self.otherwise_fields, self.sign_slip, self.praise, self.praise_fields)


def judge_close(got, want, tolerance, mistakes, otherwise, otherwise_fields=None,
                sign_slip=True, praise=None, praise_fields=None):
    """The shared decision for numbers and arrays: right, a named mistake, close, or wrong.

    Used by the exercises of lessons 00-08.
    """
    if tolerance.close(got, want):
        return Msg(praise, **(praise_fields or {})) if praise else None
    match_mistakes(got, mistakes, tolerance)
    if sign_slip and np.any(np.asarray(want) != 0) and tolerance.close(-np.asarray(got), want):
        raise Wrong(N_("right size, wrong sign: check the sign of each term, and the order of "
                       "any subtraction."))
    if tolerance.close(got, want, NEAR):
        raise near_miss(got, tolerance)
    raise Wrong(otherwise, **(otherwise_fields or {}))


SHORT_OF_DIGITS = N_("close — give the answer to {digits}.")
DIGIT_OFF = N_("close, but not the answer rounded to {digits}: a digit is off. Compute again at "
               "full precision and round only at the end.")


def near_miss(got, tolerance, msgid=SHORT_OF_DIGITS):
    """The Close feedback for an answer just outside the tolerance (lessons 00-08).

    An answer short of the digits asked for (1.8) is asked for them; one that has them (1.84,
    or 1.8372) has a digit off, and more digits would not help.
    """
    if not tolerance.digits:
        return Close(N_("close, but not within the tolerance: give more digits (do not round "
                        "before the end)."))
    if tolerance.short_of_digits(got):
        return Close(msgid, digits=tolerance.digits)
    return Close(DIGIT_OFF, digits=tolerance.digits)


class FunctionExercise(Exercise):
    """An answer that is a function the learner wrote, judged by `judge_function` (03, 07, 08).

    Used by the exercises of lessons 00-08.

    judge_function(answer) raises Wrong or returns a praise Msg; the learner's function runs
    inside the check's time limit, so an endless loop ends as feedback.
    """

    unanswered_msgid = N_("`{var}` still returns `...`: write its body in the cell above, run "
                          "that cell, then run this check again.")

    def __init__(self, var, judge_function, *, template_probe=None, **kw):
        super().__init__(var, **kw)
        self.judge_function, self.template_probe = judge_function, template_probe

    def unanswered(self, answer):
        # The template's body is `return ...`: it returns Ellipsis on a probe call.
        if not callable(answer) or self.template_probe is None:
            return False
        outcome = guard.run(self.template_probe, answer, seconds=1.0, max_output=0)
        return outcome.ok and outcome.value is Ellipsis

    def judge(self, answer):
        if not callable(answer):
            raise Wrong(N_("{var} should be a function (def {var}(...): ...), got {kind}."),
                        var=self.var, kind=type(answer).__name__)
        return self.judge_function(answer)


class ChoiceExercise(Exercise):
    """An answer that is one of a few named options, e.g. 'a' or 'too small' (lessons 04, 06)."""

    def __init__(self, var, expected, options, **kw):
        super().__init__(var, **kw)
        self.expected, self.options = expected, dict(options)  # option -> msgid when chosen

    def judge(self, answer):
        key = answer.strip().lower() if isinstance(answer, str) else answer
        if key not in self.options:
            raise Wrong(N_("{var} should be one of {options}, got {answer}."), var=self.var,
                        options=", ".join(map(repr, self.options)), answer=shown(answer))
        if key != self.expected:
            raise Wrong(self.options[key])
        return Msg(self.options[key]) if self.options[key] else None


def in_library_frames(stop=None):
    """True when numdiff_lib's numerical code is on the call stack (lessons 03, 07).

    stop: a frame where the search ends (the check's own frame), so a check started from
    numdiff_lib code (a widget button, say) does not count as delegation.
    """
    import sys

    frame = sys._getframe(1)
    while frame is not None and frame is not stop:
        name = frame.f_globals.get("__name__", "")
        if name.startswith("numdiff_lib.") and not name.startswith(("numdiff_lib.exercises",
                                                                    "numdiff_lib.guard")):
            return True
        frame = frame.f_back
    return False
