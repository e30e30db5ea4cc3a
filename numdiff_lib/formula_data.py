"""The numbers behind the formula box (lesson 05), computed where a runaway step can be abandoned.

widgets.formula_widget sends the typed text to a numdiff_lib.guard.Worker process, which runs
drawing_data: parse, differentiate, evaluate on the plotted range and at x0. If any step runs
too long (a derivative that SymPy expands for minutes, say), the widget kills the process and
says so, and the kernel never freezes. The result is plain data (numbers, strings, arrays) that
plots.plot_formula draws. NumPy and SymPy; no matplotlib, no widgets.
"""

import numpy as np

from .core import numerical_derivative
from .messages import set_language

_PARSED = {}  # text -> (Formula, derivative function): a slider move re-uses them


def _parsed(text):
    from .formula import parse_function

    if text not in _PARSED:
        if len(_PARSED) > 32:
            _PARSED.clear()
        formula = parse_function(text)
        _PARSED[text] = (formula, formula.derivative(), formula.derivative_function())
    return _PARSED[text]


def drawing_data(text, x0, xlim, language="en"):
    """Everything the formula box shows for `text` at `x0`, as plain data (lesson 05)."""
    from .formula import FormulaError

    set_language(language)
    try:
        formula, derivative, _d_func = _parsed(text)
    except FormulaError as err:
        return {"refused": str(err)}
    import sympy

    xs = np.linspace(*xlim, 400)
    with np.errstate(all="ignore"):  # outside the domain NumPy gives nan: the plot leaves a gap
        ys = np.asarray(formula.func(xs), dtype=float)
    return {
        "plain": str(formula.expr), "latex": sympy.latex(formula.expr),
        "derivative": str(derivative), "note": formula.note, "xs": xs, "ys": ys,
        **point_data(text, x0, language),
    }


def point_data(text, x0, language="en"):
    """The numbers at x0 alone: f, the exact and the numerical slope (lesson 05)."""
    set_language(language)
    formula, _derivative, d_func = _parsed(text)
    with np.errstate(all="ignore"):
        fx0 = float(formula.func(float(x0)))
        exact = float(np.real_if_close(d_func(float(x0))))
    numeric, numeric_error = None, ""
    if np.isfinite(fx0):
        try:
            numeric = numerical_derivative(formula.func, float(x0))
        except (ValueError, TypeError, ArithmeticError) as err:
            numeric_error = str(err).split(". ")[0]  # e.g. "f returned nan at x = -0.0001"
    return {"x0": float(x0), "fx0": fx0, "exact": exact, "numeric": numeric,
            "numeric_error": numeric_error}
