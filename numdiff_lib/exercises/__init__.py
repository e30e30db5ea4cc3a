"""Exercise self-checks in the learntools style: q1.check(), q1.hint(), q1.solution().

Each lesson's exercises live in exercises/lessonNN.py. A check never raises at the learner:
it returns Feedback, whose message names the likely mistake rather than only "wrong".
"""

import inspect

import numpy as np

_UNSET = object()


class Wrong(Exception):
    """Raised by a checker with a message for the learner (exercises of lessons 00–07)."""


class Feedback:
    """What check(), hint() and solution() return; coloured text in a notebook (lessons 00–07)."""

    COLOURS = {"correct": "#2e7d32", "incorrect": "#c62828", "unanswered": "#1565c0",
               "hint": "#6a1b9a", "solution": "#37474f"}
    LABELS = {"correct": "Correct", "incorrect": "Not yet", "unanswered": "Not answered yet",
              "hint": "Hint", "solution": "Solution"}

    def __init__(self, kind, message):
        self.kind, self.message = kind, message

    @property
    def correct(self):
        return self.kind == "correct"

    def __repr__(self):
        return f"{self.LABELS[self.kind]}: {self.message}"

    def _repr_html_(self):
        from html import escape

        colour = self.COLOURS[self.kind]
        return (f'<div style="color:{colour}"><b>{self.LABELS[self.kind]}:</b> '
                f'<span style="white-space:pre-wrap">{escape(self.message)}</span></div>')


class Exercise:
    """One question; check() reads the notebook variable `var` (exercises of lessons 00–07)."""

    def __init__(self, var, checker, hint, solution, praise="well done."):
        self.var, self._checker = var, checker
        self._hint, self._solution, self._praise = hint, solution, praise

    def check(self, answer=_UNSET):
        """Feedback on answer (default: the notebook variable named self.var)."""
        if answer is _UNSET:
            caller = inspect.currentframe().f_back
            answer = caller.f_globals.get(self.var, None) if caller else None
        if answer is None or answer is Ellipsis:
            return Feedback("unanswered", f"set `{self.var} = ...` in the cell above, run it, "
                                          "then run this check again.")
        try:
            extra = self._checker(answer)
        except Wrong as err:
            return Feedback("incorrect", str(err))
        except Exception as err:  # a learner's answer must never end in a traceback
            return Feedback("incorrect", f"checking your answer raised {type(err).__name__}: "
                                         f"{err}. Is `{self.var}` the right kind of value?")
        return Feedback("correct", extra or self._praise)

    def hint(self):
        """A nudge, not the answer."""
        return Feedback("hint", self._hint)

    def solution(self):
        """The worked answer."""
        return Feedback("solution", self._solution)


def expect_close(answer, expected, rtol=1e-6, atol=1e-9, mistakes=()):
    """Raise Wrong unless answer ≈ expected; mistakes: (wrong_value, why) pairs (lessons 01–07)."""
    got = np.asarray(answer, dtype=float)
    want = np.asarray(expected, dtype=float)
    if got.shape != want.shape:
        if got.T.shape == want.shape and got.ndim > 1:
            raise Wrong(f"your answer has shape {got.shape}, expected {want.shape}: transposed?")
        raise Wrong(f"your answer has shape {got.shape}, expected {want.shape}.")
    if np.allclose(got, want, rtol=rtol, atol=atol):
        return
    for wrong_value, why in mistakes:
        if np.allclose(got, np.asarray(wrong_value, dtype=float), rtol=rtol, atol=atol):
            raise Wrong(why)
    if np.allclose(got, -want, rtol=rtol, atol=atol):
        raise Wrong("right size, wrong sign: check the order of the subtraction.")
    raise Wrong(f"not within tolerance (rtol={rtol:g}) of the expected value.")


def expect_same_expression(answer, expected, symbols):
    """Raise Wrong unless the SymPy expressions are equal as maths, not as text (lesson 05)."""
    import sympy

    if isinstance(answer, str):
        raise Wrong("give a SymPy expression built from symbols, not a string.")
    diff = sympy.simplify(sympy.sympify(answer) - expected)
    if diff != 0:
        raise Wrong(f"your expression differs from the answer by {diff}; "
                    f"check it term by term (symbols: {', '.join(map(str, symbols))}).")
