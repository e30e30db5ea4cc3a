"""Exercises for 06_second_derivatives_and_taylor: the six partial derivatives of exp(x² + 2y²)
as formulas, its Hessian at a point as numbers, and where the bell curve is concave.

In the notebook:  q1, q2, q3 = lesson06.bind(globals())

- q1 (the seed's exercises 4.2.4 and 4.2.6) takes the template's dict of six SymPy formulas;
  each entry is judged as an ExpressionExercise (by value at sample points, then by SymPy
  equivalence, in the worker process), and the feedback names the entry.
- q2 takes the Hessian at (0.5, −0.5) as a 2×2 array. A numerical answer whose step is wrong
  is told which way: the truncation error of a too-large step has the pattern of the fourth
  derivatives (h²/12·f⁗ on the diagonal), round-off from a too-small step has none. A hand-made
  answer whose f_xy and f_yx differ is told Schwarz's theorem.
- q3 takes an interval (lo, hi), a SymPy set or an inequality in x. SymPy turns an inequality
  into a set in the worker process, under a time limit: `x**100 - 2*x**50 + 1/3 < 0` ends as
  feedback, not as a frozen kernel.
"""

import math
import numbers

import numpy as np
import sympy

from .. import guard
from ..core import default_step, step_text
from ..messages import N_, Msg
from . import (
    ArrayExercise,
    Close,
    Exercise,
    Wrong,
    match_mistakes,
    mistake,
    read_array,
    shown,
    significant,
)
from . import bind as _bind
from .expressions import MAX_NODES, WORKER, ExpressionExercise, count_nodes

X, Y = sympy.symbols("x y")
U = X**2 + 2 * Y**2          # the exponent
F = sympy.exp(U)             # the seed's f(x, y) = exp(x² + 2y²)
POINT = (0.5, -0.5)


def f_q(p):
    """The seed exercise's f(x, y) = exp(x² + 2y²) with p = (x, y), for numerical_derivative."""
    return np.exp(p[0] ** 2 + 2 * p[1] ** 2)


# What the solutions may use: the names the notebook defines before its exercises.
SOLUTION_SETUP = """
import numpy as np
import sympy
from numdiff_lib import hessian, numerical_derivative, second_derivative
from numdiff_lib.exercises.lesson06 import f_q
x, y = sympy.symbols('x y')
"""

# --------------------------------------------------------------------------- q1: six formulas
# The seed's order and names: f_xy is first x, then y (4.2.24); f_yx first y, then x.

PARTIALS = {
    "f_x": 2 * X * F,
    "f_y": 4 * Y * F,
    "f_xx": (2 + 4 * X**2) * F,
    "f_xy": 8 * X * Y * F,
    "f_yx": 8 * X * Y * F,
    "f_yy": (4 + 16 * Y**2) * F,
}
# Sample points: x and y non-zero and different in size, so that no two mistakes below agree
# with an answer at all three (the tests check that each mistake gets its own message).
SAMPLE_POINTS = ({"x": 0.3, "y": -0.2}, {"x": 0.7, "y": 0.45}, {"x": -0.55, "y": 0.35})

_CHAIN = N_("exp(u) alone, with u = x² + 2y²: the chain rule multiplies it by the inner "
            "derivative, ∂f/∂x = exp(u)·∂u/∂x.")
_CHAIN_Y = N_("exp(u) alone, with u = x² + 2y²: the chain rule multiplies it by the inner "
              "derivative, ∂f/∂y = exp(u)·∂u/∂y.")
_INNER_ONLY = N_("that is the derivative of the exponent u = x² + 2y² alone; the chain rule "
                 "keeps exp(u) as a factor.")
_BOTH = N_("that adds the derivatives by x and by y. A partial derivative treats the other "
           "variable as a constant: by x, 2y² is a constant and contributes nothing.")
_BOTH_Y = N_("that adds the derivatives by x and by y. A partial derivative treats the other "
             "variable as a constant: by y, x² is a constant and contributes nothing.")
_FOUR_Y = N_("∂/∂y of 2y² is 4y, not 2y — and every derivative built on f_y changes with "
             "it.")
_OTHER = N_("that is the formula of {other}; this entry is {key}.")
_ONCE_MORE = N_("that is {other}, the first derivative; {key} differentiates it once more, by "
                "{by}.")
_HALF_FIRST = N_("the product rule is half done: ∂/∂{by} ({factor}·exp(u)) = ({factor})′·exp(u) "
                 "+ {factor}·∂exp(u)/∂{by}; the first term, {missing}·exp(u), is missing.")
_HALF_SECOND = N_("the product rule is half done: ∂/∂{by} ({factor}·exp(u)) = ({factor})′·exp(u) "
                  "+ {factor}·∂exp(u)/∂{by}; the second term, with ∂exp(u)/∂{by}, is missing.")
_EXPONENT_2ND = N_("that is the second derivative of the exponent u = x² + 2y² alone; f = "
                   "exp(u) keeps exp(u) in every derivative.")
_MIXED_ZERO = N_("not 0: u = x² + 2y² has no xy term, but exp(u) ties x and y together. "
                 "Differentiate the first partial by the other variable: exp(u) brings its "
                 "inner derivative along.")
_MIXED_NO_EXP = N_("exp(u) is missing: differentiating a first partial such as 2x·exp(u) by "
                   "the other variable differentiates exp(u), and the derivative of exp(u) "
                   "still contains exp(u).")


def _entry(expected, *mistakes):
    return ExpressionExercise(Msg(N_("this entry")), expected, ("x", "y"), SAMPLE_POINTS,
                              mistakes=mistakes)


_PARTS = {
    "f_x": _entry(
        PARTIALS["f_x"],
        mistake(F, _CHAIN),
        mistake(2 * X, _INNER_ONLY),
        mistake((2 * X + 4 * Y) * F, _BOTH),
        mistake(PARTIALS["f_y"], _OTHER, other="f_y", key="f_x"),
    ),
    "f_y": _entry(
        PARTIALS["f_y"],
        mistake(F, _CHAIN_Y),
        mistake(4 * Y, _INNER_ONLY),
        mistake(2 * Y * F, _FOUR_Y),
        mistake((2 * X + 4 * Y) * F, _BOTH_Y),
        mistake(PARTIALS["f_x"], _OTHER, other="f_x", key="f_y"),
    ),
    "f_xx": _entry(
        PARTIALS["f_xx"],
        mistake(4 * X**2 * F, _HALF_FIRST, by="x", factor="2x", missing="2"),
        mistake(2 * F, _HALF_SECOND, by="x", factor="2x"),
        mistake(sympy.Integer(2), _EXPONENT_2ND),
        mistake(PARTIALS["f_x"], _ONCE_MORE, other="f_x", key="f_xx", by="x"),
        mistake(PARTIALS["f_yy"], _OTHER, other="f_yy", key="f_xx"),
    ),
    "f_xy": _entry(
        PARTIALS["f_xy"],
        mistake(sympy.Integer(0), _MIXED_ZERO),
        mistake(8 * X * Y, _MIXED_NO_EXP),
        mistake(4 * X * Y * F, _FOUR_Y),
        mistake(PARTIALS["f_x"], _ONCE_MORE, other="f_x", key="f_xy", by="y"),
        mistake(PARTIALS["f_xx"], _OTHER, other="f_xx", key="f_xy"),
    ),
    "f_yx": _entry(
        PARTIALS["f_yx"],
        mistake(sympy.Integer(0), _MIXED_ZERO),
        mistake(8 * X * Y, _MIXED_NO_EXP),
        mistake(4 * X * Y * F, _FOUR_Y),
        mistake(PARTIALS["f_y"], _ONCE_MORE, other="f_y", key="f_yx", by="x"),
        mistake(PARTIALS["f_yy"], _OTHER, other="f_yy", key="f_yx"),
    ),
    "f_yy": _entry(
        PARTIALS["f_yy"],
        mistake(16 * Y**2 * F, _HALF_FIRST, by="y", factor="4y", missing="4"),
        mistake(4 * F, _HALF_SECOND, by="y", factor="4y"),
        mistake(sympy.Integer(4), _EXPONENT_2ND),
        mistake((2 + 8 * Y**2) * F, _FOUR_Y),
        mistake(PARTIALS["f_y"], _ONCE_MORE, other="f_y", key="f_yy", by="y"),
        mistake(PARTIALS["f_xx"], _OTHER, other="f_xx", key="f_yy"),
    ),
}


class _StillOpen(Wrong):
    """Some entries are still `...`: not wrong, not done."""

    kind = "unanswered"


class FormulaSetExercise(Exercise):
    """Several formulas answered at once, as the template's dict {name: SymPy expression}.

    parts: name -> ExpressionExercise. The entries are judged in the template's order; the
    feedback names the first entry that is not right yet, and the ones before it that are.
    An entry left as `...` is still open: the check says which are right so far.
    """

    unanswered_msgid = N_("fill in the formulas in `{var}` in the cell above (each `...`), run it, "
                          "then run this check again; you may check after a few entries.")

    def __init__(self, var, parts, **kw):
        super().__init__(var, **kw)
        self.parts = dict(parts)

    def unanswered(self, answer):
        return (type(answer) is dict and len(answer) <= 2 * len(self.parts)
                and all(value is Ellipsis or value is None for value in answer.values()))

    def judge(self, answer):
        names = ", ".join(self.parts)
        if not isinstance(answer, dict):
            raise self._not_a_dict(answer, names)
        if len(answer) > 2 * len(self.parts):
            raise Wrong(N_("{var} has {count} entries; the template has {number}: {names}."),
                        var=self.var, count=len(answer), number=len(self.parts), names=names)
        for key in answer:
            if not (isinstance(key, str) and key in self.parts):
                raise Wrong(N_("{var} has the entry {key}, which is not one of {names}. Keep "
                               "the template's names (f_xy: first by x, then by y)."),
                            var=self.var, key=shown(key, 40), names=names)
        missing = [key for key in self.parts if key not in answer]
        if missing:
            raise Wrong(N_("{var} lacks {missing}: start again from the template, which has all "
                           "{number}."), var=self.var, missing=", ".join(missing),
                        number=len(self.parts))
        right, still_open = [], []
        for key, part in self.parts.items():
            value = answer[key]
            if value is Ellipsis or value is None:
                still_open.append(key)
                continue
            try:
                part.judge(_as_formula(value, part))
            except Wrong as err:
                raise _about_entry(key, err, right) from None
            right.append(key)
        if still_open and right:
            raise _StillOpen(N_("so far so good: {right} right. Now fill in {open} (still "
                                "...)."), right=", ".join(right), open=", ".join(still_open))
        if still_open:
            raise _StillOpen(N_("fill in {open} (still ...)."), open=", ".join(still_open))
        return Msg(self.praise, **self.praise_fields)

    def _not_a_dict(self, answer, names):
        if isinstance(answer, (list, tuple)) and len(answer) == len(self.parts):
            return Wrong(N_("{var} is a {kind} of {number} formulas: use the template's dict, so "
                            "that each formula has its name ({names})."), var=self.var,
                         kind=type(answer).__name__, number=len(self.parts), names=names)
        if isinstance(answer, sympy.Basic):
            return Wrong(N_("{var} is one formula; the exercise asks for {number}, in the "
                            "template's dict: {{'f_x': ..., 'f_y': ..., ...}}."), var=self.var,
                         number=len(self.parts))
        return Wrong(N_("{var} should be the template's dict of SymPy formulas, {{'f_x': ..., "
                        "'f_y': ..., ...}}, got {kind}."), var=self.var,
                     kind=type(answer).__name__)


def _as_formula(value, part):
    """A plain number that is a known mistake (0 for a mixed partial) as a SymPy number; any
    other value unchanged (a plain number then gets "a value, not a formula")."""
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, sympy.Basic)):
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            return value
        for m in part.mistakes:
            if isinstance(m.value, sympy.Expr) and m.value.is_number \
                    and float(m.value) == number:
                return m.value
    return value


def _about_entry(key, err, right):
    """The entry's Wrong, with the entry's name in front (and the entries already right)."""
    if right:
        about = Wrong(N_("{key}: {message} ({right}: right.)"), key=key, message=err.message,
                      right=", ".join(right))
    else:
        about = Wrong(N_("{key}: {message}"), key=key, message=err.message)
    about.kind = err.kind
    return about


q1 = FormulaSetExercise(
    "partials_q1", _PARTS,
    seconds=25.0,  # six entries, each up to two calls of the SymPy worker
    hints=[
        N_("Write u = x² + 2y², so f = exp(u). Chain rule: ∂f/∂x = exp(u)·∂u/∂x, and by y the "
           "same with ∂u/∂y. For the second partials differentiate f_x and f_y again: each is "
           "a product, so use the product rule."),
        N_("f_x = 2x·exp(u) and f_y = 4y·exp(u). Then f_xx = 2·exp(u) + 2x·(2x·exp(u)), f_xy = "
           "∂/∂y (2x·exp(u)) = 2x·4y·exp(u), and f_yy likewise from f_y. SymPy confirms any of "
           "them: sympy.diff(sympy.exp(x**2 + 2*y**2), x, y)."),
    ],
    solution=N_("""\
u = x**2 + 2*y**2
partials_q1 = {
    "f_x": 2*x*sympy.exp(u),               # chain rule: exp(u)·∂u/∂x
    "f_y": 4*y*sympy.exp(u),
    "f_xx": (2 + 4*x**2)*sympy.exp(u),     # product rule on 2x·exp(u)
    "f_xy": 8*x*y*sympy.exp(u),            # ∂/∂y of 2x·exp(u)
    "f_yx": 8*x*y*sympy.exp(u),            # ∂/∂x of 4y·exp(u): the same (Schwarz)
    "f_yy": (4 + 16*y**2)*sympy.exp(u),
}
# With SymPy (the seed's exercise 4.2.6):
# f = sympy.exp(u); sympy.diff(f, x), sympy.diff(f, x, x), sympy.diff(f, x, y), ...
"""),
    explanation=N_("f_x = 2x·f and f_y = 4y·f by the chain rule (f = exp(x² + 2y²)); once more "
                   "with the product rule: f_xx = (2 + 4x²)·f, f_xy = f_yx = 8xy·f, "
                   "f_yy = (4 + 16y²)·f. sympy.diff(f, x, y) differentiates by x, then by y."),
    praise=N_("all six right: f_x = 2x·f, f_y = 4y·f, f_xx = (2 + 4x²)·f, f_xy = f_yx = 8xy·f, "
              "f_yy = (4 + 16y²)·f, with f = exp(x² + 2y²). The two mixed partials agree, as "
              "Schwarz's theorem says. Exercise 2 evaluates them at a point."),
)

# --------------------------------------------------------------------------- q2: H at a point

_AT = {X: sympy.Rational(1, 2), Y: -sympy.Rational(1, 2)}
_E = math.exp(0.75)                                    # f at the point
HESSIAN = np.array([[float(PARTIALS["f_xx"].subs(_AT)), float(PARTIALS["f_xy"].subs(_AT))],
                    [float(PARTIALS["f_yx"].subs(_AT)), float(PARTIALS["f_yy"].subs(_AT))]])
GRADIENT = np.array([float(PARTIALS["f_x"].subs(_AT)), float(PARTIALS["f_y"].subs(_AT))])
# Fourth derivatives at the point. A central second difference with step h errs by
# h²/12·f_xxxx (h²/12·f_yyyy) on the diagonal and h²/6·(f_xxxy + f_xyyy) off it: the pattern
# of truncation error that a too-large step leaves. Round-off from a too-small step has none.
D4 = {name: float(sympy.diff(F, *order).subs(_AT)) for name, order in (
    ("xxxx", (X, 4)), ("yyyy", (Y, 4)), ("xxxy", (X, 3, Y)), ("xyyy", (X, Y, 3)))}

TOLERANCE = significant(6)   # the question asks for 6 significant digits
STEP_BAND = 1e-2             # within 1 %: the answer is a Hessian with a numerical problem
_DEFAULT = step_text(default_step("central"))  # hessian's default before scaling with |x|
TRUNCATION_BAND = 0.2        # a too-large step's pattern is recognised up to 20 % off

_TOO_LARGE = N_("close, but off by {err:.1e} (relative), in the pattern a second difference "
                "leaves when its step is too large: truncation error grows like h²·f⁗/12, and "
                "your numbers fit a step of about {h:.1g}. Use hessian(f_q, p) with its default "
                "step (about {default}), or your formulas from exercise 1.")
_TOO_SMALL = N_("close, but off by {err:.1e} (relative), and not in the regular pattern a "
                "too-large step leaves: this looks like round-off from a step that is too small "
                "(a second difference divides rounding errors by h², so they grow like ε/h²), "
                "or a one-sided difference. Use hessian(f_q, p) with its default step (about "
                "{default}), or your formulas from exercise 1.")
_SCHWARZ_BY_HAND = N_("f_xy = {xy:.6g} but f_yx = {yx:.6g}. For a smooth f like this one the "
                      "order of differentiation does not matter (Schwarz's theorem): f_xy = "
                      "f_yx, the Hessian is symmetric. Recompute the mixed partial — ∂/∂y "
                      "(2x·f) and ∂/∂x (4y·f) must agree — and give both to 6 significant "
                      "digits.")
_SCHWARZ_NUMERIC = N_("f_xy = {xy:.6g} but f_yx = {yx:.6g}, although for a smooth f they are "
                      "equal (Schwarz's theorem). The difference is numerical error in your "
                      "nested derivatives: a step that is too large (truncation) or too small "
                      "(round-off). hessian(f_q, p) with its default step gets both to about 8 "
                      "digits.")
_ROUNDED = N_("close, but rounded: the question asks for 6 significant digits. Keep full "
              "precision until the end (np.exp(0.75), not 2.12) and round only what you show.")


class HessianExercise(ArrayExercise):
    """q2: a 2×2 Hessian at a point; a near miss is told whether the step was too large or too
    small, an asymmetric answer is told Schwarz's theorem."""

    def judge(self, answer):
        got = read_array(_numbers_of(answer, self.var), self.var, self.expected.shape)
        if self.tolerance.close(got, self.expected):
            return Msg(self.praise, **self.praise_fields)
        match_mistakes(got, self.mistakes, self.tolerance)
        typed = _typed(got)
        xy, yx = float(got[0, 1]), float(got[1, 0])
        if not self.tolerance.close(xy, yx, 2.0):
            near = abs(xy - yx) <= STEP_BAND * abs(self.expected[0, 1])
            raise Wrong(_SCHWARZ_NUMERIC if near and not typed else _SCHWARZ_BY_HAND,
                        xy=xy, yx=yx)
        err = float(np.max(np.abs(got - self.expected) / np.abs(self.expected)))
        if typed and err <= STEP_BAND:
            raise Close(_ROUNDED)
        step = truncation_step(got - self.expected)
        if step is not None and err <= TRUNCATION_BAND:
            raise Wrong(_TOO_LARGE, err=err, h=step, default=_DEFAULT)
        if err <= STEP_BAND:
            raise Wrong(_TOO_SMALL, err=err, default=_DEFAULT)
        raise Wrong(self.otherwise, **self.otherwise_fields)


def truncation_step(error):
    """The step h whose truncation error `error` (answer − H) looks like, or None.

    A central second difference with step h errs by a·f_xxxx/12 and a·f_yyyy/12 on the
    diagonal, with the same a ≈ h² > 0 when x and y use the same step (a nested central
    difference behaves like one with step 2h), and by h²/6·(f_xxxy + f_xyyy) off it.
    """
    a_x = error[0, 0] / (D4["xxxx"] / 12)
    a_y = error[1, 1] / (D4["yyyy"] / 12)
    if a_x <= 0 or a_y <= 0 or not 0.5 <= a_x / a_y <= 2:
        return None
    mixed_sign = np.sign(D4["xxxy"] + D4["xyyy"])
    if np.sign(error[0, 1]) != mixed_sign or np.sign(error[1, 0]) != mixed_sign:
        return None
    return math.sqrt((a_x + a_y) / 2)


def _typed(got):
    """True when every entry has at most 5 significant digits, as numbers typed by hand do."""
    return all(float(f"{v:.5g}") == v for v in got.ravel().tolist())


def _numbers_of(answer, var):
    """The answer with SymPy numbers made floats; formulas in x, y are refused with advice."""
    if isinstance(answer, sympy.MatrixBase) and answer.rows * answer.cols <= 16:
        entries = answer.tolist()
    elif isinstance(answer, (list, tuple)) and len(answer) <= 4:
        entries = [list(row) if isinstance(row, (list, tuple)) and len(row) <= 4 else row
                   for row in answer]
    elif isinstance(answer, sympy.Basic):
        entries = [answer]
    else:
        entries = None
    if entries is not None:
        flat = [v for row in entries for v in (row if isinstance(row, list) else [row])]
        if any(isinstance(v, sympy.Basic) and v.free_symbols for v in flat):
            raise Wrong(N_("{var} holds formulas in x and y; the exercise asks for numbers at "
                           "(0.5, −0.5). Substitute the point, .subs({{x: 0.5, y: -0.5}}), or "
                           "use hessian(f_q, p)."), var=var)
        if isinstance(answer, sympy.MatrixBase):
            answer = entries
    if isinstance(answer, np.ndarray) and answer.ndim == 1 or (
            isinstance(answer, (list, tuple)) and len(answer) in (2, 4)
            and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in answer)):
        if len(answer) == 2:
            raise Wrong(N_("{var} has two numbers: that is a gradient, the first partials. The "
                           "Hessian holds the four second partials as a 2×2 array [[f_xx, "
                           "f_xy], [f_yx, f_yy]]."), var=var)
        if len(answer) == 4:
            raise Wrong(N_("{var} has the four numbers in a row: arrange them as a 2×2 array "
                           "[[f_xx, f_xy], [f_yx, f_yy]] (np.reshape(..., (2, 2)))."), var=var)
    return answer


_low, _high = np.linalg.eigvalsh(HESSIAN)

q2 = HessianExercise(
    "hess_q2", HESSIAN, TOLERANCE,
    mistakes=[
        mistake(np.array([[2.0, 0.0], [0.0, 4.0]]), N_(
            "that is the Hessian of the exponent u = x² + 2y² alone (or of f at (0, 0)); "
            "f = exp(u) keeps the factor exp(u) = e^0.75 at (0.5, −0.5).")),
        mistake(_E * np.array([[2.0, 0.0], [0.0, 4.0]]), N_(
            "the product rule is half done: ∂/∂x (2x·f) = 2·f + 2x·∂f/∂x has two terms, and "
            "you kept only the first; the mixed partials are not 0 either.")),
        mistake(_E * np.outer([2 * POINT[0], 4 * POINT[1]], [2 * POINT[0], 4 * POINT[1]]), N_(
            "the product rule is half done: ∂/∂x (2x·f) = 2·f + 2x·f_x; the 2·f term (and the "
            "4·f in f_yy) is missing.")),
        mistake(_E * np.array([[3.0, 0.0], [0.0, 8.0]]), N_(
            "the mixed partials are not 0: f_xy = ∂/∂y (2x·f), and f depends on y.")),
        mistake(_E * np.array([[3.0, -1.0], [-1.0, 3.0]]), N_(
            "∂/∂y of 2y² is 4y, not 2y: redo f_y, and f_yy and f_xy with it.")),
        mistake(_E * np.array([[3.0, 2.0], [2.0, 8.0]]), N_(
            "the signs of the mixed partials: f_xy = 8xy·f is negative at (0.5, −0.5), where "
            "x and y have opposite signs. That is the Hessian at (0.5, 0.5).")),
        mistake(np.array([[2.0, 4.0], [4.0, 8.0]]), N_(
            "that is the Hessian of the lesson's example x² + 4xy + 4y²; this exercise's f is "
            "exp(x² + 2y²).")),
        mistake(-HESSIAN, N_(
            "every sign is flipped: f_xx and f_yy are positive here (f curves upwards in x and "
            "in y).")),
    ],
    sign_slip=False,  # −H is declared above, with its own message
    otherwise=N_("not the Hessian at (0.5, −0.5) yet. Evaluate your formulas from exercise 1 at "
                 "the point, or compute hessian(f_q, np.array([0.5, -0.5])); if you passed "
                 "your own delta_x, try the default."),
    hints=[
        N_("hessian(f_q, p) with p = np.array([0.5, -0.5]) computes it; or evaluate your "
           "formulas from exercise 1 at the point (.subs({x: 0.5, y: -0.5}))."),
        N_("At (0.5, −0.5), f = e^0.75, and f_xx = (2 + 4x²)·f = 3f, f_xy = f_yx = 8xy·f = "
           "−2f, f_yy = (4 + 16y²)·f = 8f."),
    ],
    solution="hess_q2 = hessian(f_q, np.array([0.5, -0.5]))",
    explanation=N_("exactly e^0.75·[[3, −2], [−2, 8]] ≈ [[6.35100, −4.23400], [−4.23400, "
                   "16.9360]]; hessian with its default step agrees to about 8 digits. With "
                   "delta_x=1e-2 truncation error spoils the 4th digit, with delta_x=1e-7 "
                   "round-off the 3rd."),
    praise=N_("H = e^0.75·[[3, −2], [−2, 8]]. f_xy = f_yx, as Schwarz's theorem says, and both "
              "eigenvalues are positive ({low:.3g} and {high:.3g}): at this point f curves "
              "upwards in every direction, like a bowl."),
    praise_fields={"low": float(_low), "high": float(_high)},
)

# --------------------------------------------------------------------------- q3: concavity
# The bell curve f(x) = exp(−x²/2): f″(x) = (x² − 1)·exp(−x²/2), concave for −1 < x < 1,
# convex outside, inflection points at ±1 (one standard deviation from the mean).

REGION = (-1.0, 1.0)
REGION_SECONDS = 5.0   # SymPy's as_set of the learner's inequality, in the worker
ENDS_ATOL = 1e-6
_EXP_X2 = 1 / math.sqrt(2)   # the inflection points of exp(−x²) instead


def region_of(answer):
    """(Runs in the worker process.) The SymPy set or inequality `answer` in x, described with
    plain floats: ("pieces", [(lo, hi), ...]), ("points", [...]), ("empty",) or ("other", text).
    """
    x = sympy.Symbol("x")
    answer = answer.xreplace({s: x for s in answer.free_symbols})  # the kernel checked: x only
    region = answer if isinstance(answer, sympy.Set) else answer.as_set()
    if region == sympy.S.EmptySet:
        return ("empty",)
    if isinstance(region, sympy.FiniteSet):
        return ("points", sorted(float(p) for p in region))
    pieces = region.args if isinstance(region, sympy.Union) else (region,)
    if not all(isinstance(p, sympy.Interval) for p in pieces):
        return ("other", str(region)[:200])
    return ("pieces", sorted((float(p.inf), float(p.sup)) for p in pieces))


def _ask_region(answer, var):
    try:
        return WORKER.call(__name__, "region_of", answer, seconds=REGION_SECONDS)
    except guard.WorkerError as err:
        if err.reason == "timeout":
            raise Wrong(N_("SymPy could not turn {answer} into an interval within {seconds:g} s "
                           "(an inequality of high degree has many roots to find). Work out "
                           "where f″ < 0 yourself and give the interval as a pair (lo, hi)."),
                        answer=shown(answer, 80), seconds=REGION_SECONDS) from None
        if err.reason == "memory":
            raise Wrong(N_("turning {answer} into an interval needed too much memory. Give the "
                           "interval as a pair (lo, hi)."), answer=shown(answer, 80)) from None
        raise Wrong(N_("SymPy could not read {var} = {answer} as a condition on x ({error}). "
                       "Give the interval as a pair (lo, hi), or an inequality such as "
                       "abs(x) < 3."), var=var, answer=shown(answer, 80),
                    error=guard.cut(err.detail or err.reason, 120)) from None


def _end(value, var):
    """One end of a (lo, hi) pair as a float (±inf allowed)."""
    if isinstance(value, sympy.Basic):
        if value.free_symbols or not value.is_number:
            raise Wrong(N_("the ends of {var} should be numbers, got {answer}."), var=var,
                        answer=shown(value, 60))
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise Wrong(N_("the ends of {var} should be real numbers, got {answer}."), var=var,
                        answer=shown(value, 60)) from None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise Wrong(N_("the ends of {var} should be numbers, got {answer}."), var=var,
                    answer=shown(value, 60))
    try:
        value = float(value)
    except OverflowError:
        value = math.copysign(math.inf, value)
    except (TypeError, ValueError):
        raise Wrong(N_("the ends of {var} should be numbers, got {answer}."), var=var,
                    answer=shown(value, 60)) from None
    if math.isnan(value):
        raise Wrong(N_("{var} has nan as an end; give two numbers such as (-3, 3)."), var=var)
    return value


def read_region(answer, var):
    """The answer as ("pieces", [(lo, hi), ...]) or another description (see region_of), or
    Wrong saying what kind of value it is."""
    example = N_("Give the interval as a pair (lo, hi) such as (-3, 3), or a SymPy inequality "
                 "in x such as abs(x) < 3.")
    if isinstance(answer, str):
        raise Wrong(N_("{var} is the text {answer}: remove the quotes. {example}"), var=var,
                    answer=shown(answer, 60), example=Msg(example))
    if isinstance(answer, sympy.Basic):
        if count_nodes(answer, MAX_NODES + 1) > MAX_NODES:
            raise Wrong(N_("{var} is a very large expression; the condition is short. {example}"),
                        var=var, example=Msg(example))
        if isinstance(answer, sympy.Tuple):
            return read_region(tuple(answer), var)
        names = sorted({s.name for s in answer.free_symbols})
        if names and names != ["x"]:
            raise Wrong(N_("{var} uses the symbol(s) {names}; use x only."), var=var,
                        names=", ".join(names))
        if isinstance(answer, sympy.Set) or (
                isinstance(answer, sympy.logic.boolalg.Boolean) and names):
            return _ask_region(answer, var)
        if isinstance(answer, sympy.Expr) and names:
            raise Wrong(N_("{var} is the expression {answer}, not a condition on x. Give an "
                           "inequality (with <, > or abs) that holds where f is concave, or "
                           "the interval (lo, hi)."), var=var, answer=shown(answer, 80))
        if isinstance(answer, sympy.Expr) and answer.is_number:
            raise Wrong(N_("{var} = {answer} is a single number. Give the interval where f is "
                           "concave as (lo, hi)."), var=var, answer=shown(answer, 40))
        raise Wrong(N_("{var} should be an interval or a condition on x, got {answer}. "
                       "{example}"), var=var, answer=shown(answer, 60), example=Msg(example))
    if isinstance(answer, np.ndarray):
        if np.ma.isMaskedArray(answer) or answer.size != 2 or answer.dtype.kind not in "iuf":
            raise Wrong(N_("{var} should be two numbers (lo, hi), got an array of shape {shape}."
                           " {example}"), var=var, shape=answer.shape, example=Msg(example))
        answer = answer.ravel().tolist()
    if isinstance(answer, (list, tuple)):
        if len(answer) != 2:
            raise Wrong(N_("{var} has {count} values; an interval has two ends, (lo, hi). "
                           "{example}"), var=var, count=len(answer), example=Msg(example))
        lo, hi = (_end(v, var) for v in answer)
        return ("pieces", [(min(lo, hi), max(lo, hi))])
    if isinstance(answer, numbers.Real) and not isinstance(answer, bool):
        raise Wrong(N_("{var} = {answer} is a single point. Give the interval where f is "
                       "concave as (lo, hi)."), var=var, answer=shown(answer, 40))
    raise Wrong(N_("{var} should be an interval, got {kind}. {example}"), var=var,
                kind=type(answer).__name__, example=Msg(example))


def _is(piece, lo, hi, tol=ENDS_ATOL):
    return all(g == w if math.isinf(w) else math.isclose(g, w, abs_tol=tol)
               for g, w in zip(piece, (lo, hi), strict=True))


class RegionExercise(Exercise):
    """q3: where a function is concave, as an interval, a SymPy set or an inequality in x."""

    def judge(self, answer):
        described = read_region(answer, self.var)
        if described[0] == "empty":
            raise Wrong(N_("f is concave somewhere: at its top, x = 0, the bell bends down "
                           "(f″(0) = −1 < 0). Did a term of the product rule get lost in f″?"))
        if described[0] == "points":
            if len(described[1]) == 2 and _is(described[1], *REGION):
                raise Wrong(N_("x = ±1 are the inflection points, where f″ = 0: the ends of the "
                               "region, not the region. Where between or beyond them is "
                               "f″ < 0?"))
            raise Wrong(N_("that is a set of single points; f is concave on a whole interval "
                           "(lo, hi)."))
        if described[0] == "other":
            raise Wrong(N_("could not read {region} as one interval (lo, hi)."),
                        region=described[1])
        pieces = described[1]
        if len(pieces) > 1:
            if len(pieces) == 2 and _is(pieces[0], -math.inf, -1) and _is(pieces[1], 1, math.inf):
                raise Wrong(N_("that is where f″ > 0: f is convex (볼록) there, bending upwards "
                               "(a sign slip in f″ gives this too). Concave (오목) means "
                               "f″ < 0."))
            raise Wrong(N_("f is concave on one interval: give a single (lo, hi)."))
        return self._judge_interval(pieces[0])

    def _judge_interval(self, piece):
        lo, hi = piece
        if _is(piece, *REGION):
            return Msg(self.praise, **self.praise_fields)
        if lo == hi:
            raise Wrong(N_("x = {x:g} is a single point. Give the interval where f is concave "
                           "as (lo, hi)."), x=lo)
        if _is(piece, -_EXP_X2, _EXP_X2, 1e-3):
            raise Wrong(N_("±1/√2 are the inflection points of exp(−x²). Here the exponent is "
                           "−x²/2: redo f″ with u = −x²/2, u′ = −x."))
        if _is(piece, -math.inf, 0, 1e-6) or _is(piece, 0, math.inf, 1e-6):
            raise Wrong(N_("that is where f rises (or falls): the sign of f′ = −x·exp(−x²/2). "
                           "Concavity is about the sign of f″."))
        if _is(piece, -math.inf, -1, 1e-3) or _is(piece, 1, math.inf, 1e-3):
            raise Wrong(N_("f is convex there (f″ > 0), and that is only one side. Concave means "
                           "f″ < 0."))
        if math.isinf(lo) and math.isinf(hi):
            raise Wrong(N_("f″ changes sign, so the bell is not concave everywhere: it bends "
                           "upwards again in its tails."))
        if _is(piece, 0, 1, 1e-3) or _is(piece, -1, 0, 1e-3):
            raise Wrong(N_("only half of it: f is even, f(−x) = f(x), so the region where it is "
                           "concave is symmetric about 0."))
        if math.isclose(lo, -hi, abs_tol=1e-6) and hi > 0:
            raise Wrong(N_("symmetric, good, but the ends are where f″ = 0: solve (x² − 1)·"
                           "exp(−x²/2) = 0 (your ends are ±{hi:g})."), hi=hi)
        raise Wrong(N_("concave means f″(x) < 0. Differentiate exp(−x²/2) twice (chain and "
                       "product rules) and find where the result is negative."))


q3 = RegionExercise(
    "concave_q3",
    hints=[
        N_("f′(x) = −x·exp(−x²/2) by the chain rule; differentiate again with the product rule. "
           "exp(…) is always positive, so only the sign of the polynomial factor matters. "
           "second_derivative at a few points checks the sign."),
        N_("f″(x) = (x² − 1)·exp(−x²/2). Where is x² − 1 negative?"),
    ],
    solution=N_("concave_q3 = (-1, 1)   # or the SymPy inequality abs(x) < 1"),
    explanation=N_("f″(x) = (x² − 1)·exp(−x²/2) < 0 exactly when −1 < x < 1. Check: "
                   "sympy.diff(sympy.exp(-x**2/2), x, 2)."),
    praise=N_("f″(x) = (x² − 1)·exp(−x²/2) < 0 exactly when −1 < x < 1: concave (오목) there, "
              "convex (볼록) outside, with inflection points (변곡점) at x = ±1, one standard "
              "deviation from the mean. That is where the bell is steepest."),
)

EXERCISES = (q1, q2, q3)


def bind(namespace):
    """q1, q2, q3 bound to the notebook's namespace: q1, q2, q3 = lesson06.bind(globals())."""
    return _bind(namespace, EXERCISES)
