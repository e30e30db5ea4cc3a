"""What the worker process computes for ExpressionExercise (lessons 05, 06); see expressions.py.

Each function returns None (no objection) or (msgid, fields) for the learner; it runs in a
numdiff_lib.guard.Worker process, where a runaway computation can be abandoned.
"""

import sympy

from ..messages import N_

RTOL = 1e-9


def _values(expr, points):
    """expr at each sample point as complex numbers (None where undefined or not finite)."""
    out = []
    for point in points:
        subs = {sympy.Symbol(name): sympy.Float(value) for name, value in point.items()}
        try:
            value = complex(expr.xreplace(subs).evalf(15))
        except (TypeError, ValueError, ZeroDivisionError, OverflowError, AttributeError):
            value = None
        if value is not None and not (abs(value.real) < float("inf")
                                      and abs(value.imag) < float("inf")):
            value = None
        out.append(value)
    return out


def _close(got, want):
    return all(g is not None and w is not None and abs(g - w) <= RTOL * max(abs(w), 1e-12)
               for g, w in zip(got, want, strict=True))


def _show(value):
    return f"{value.real:.6g}" if abs(value.imag) < 1e-12 else f"{value:.6g}"


def _where(point, names):
    return ", ".join(f"{name} = {value:g}" for name, value in point.items() if name in names)


def judge_values(expr, expected, points, mistakes):
    """Compare at the sample points: None when equal there, else the message for the learner."""
    if expr.has(sympy.Derivative):
        expr = expr.doit()  # an unevaluated sympy.Derivative(...): evaluate it
    names = {s.name for s in expr.free_symbols | expected.free_symbols}
    got, want = _values(expr, points), _values(expected, points)
    if any(v is None for v in got):
        point = points[[v is None for v in got].index(True)]
        return (N_("your expression is undefined (division by zero, nan or ∞) at {where}, "
                   "where the answer is a finite number. Check the denominators."),
                {"where": _where(point, names)})
    if _close(got, want):
        return None
    for wrong, message, fields in mistakes:
        if _close(got, _values(wrong, points)):
            return message, fields
    if _close(got, [-w for w in want]):
        return (N_("right size, wrong sign: your expression is minus the answer. Check the "
                   "sign of each term."), {})
    decimals = [f for f in expr.atoms(sympy.Float) if not f.is_integer]
    if decimals and all(abs(g - w) <= 1e-6 * max(abs(w), 1.0) for g, w in zip(got, want,
                                                                            strict=True)):
        return _decimals_message(decimals)
    k = next(i for i, (g, w) in enumerate(zip(got, want, strict=True))
             if abs(g - w) > RTOL * max(abs(w), 1e-12))
    return (N_("not the answer yet: at {where} your expression is {got}, but the answer is "
               "{want}. Go through the rules one factor at a time."),
            {"where": _where(points[k], names), "got": _show(got[k]), "want": _show(want[k])})


def _decimals_message(decimals):
    return (N_("equal to within rounding, but not exactly: your expression contains the "
               "decimal {number}. Write exact numbers (3, 1/2, not 3.0000000001 or 0.333) "
               "so SymPy can compare the formulas exactly."), {"number": str(decimals[0])})


def prove_equal(expr, expected):
    """None when SymPy proves expr == expected everywhere, else why they differ."""
    if expr.has(sympy.Derivative):
        expr = expr.doit()
    diff = sympy.simplify(expr - expected)
    if diff == 0:
        return None
    # exp(b*log(x)) and x**b: equal for x > 0, proved once powers are written as powers.
    if sympy.simplify(sympy.expand(diff, power_exp=True).rewrite(sympy.Pow)) == 0:
        return None
    if expr.has(sympy.Abs) and not expected.has(sympy.Abs):
        return (N_("equal at the test points, but Abs(...) is not the same formula: |u| equals "
                   "u only where u > 0; where u < 0 your expression has the opposite sign of "
                   "the answer. u′/u is the derivative of log(u) wherever log(u) is defined — "
                   "the Abs belongs to log|u|, whose derivative is also u′/u."), {})
    floats = [f for f in expr.atoms(sympy.Float) if not f.is_integer]
    if floats:
        return _decimals_message(floats)
    return (N_("equal at the test points, but not the same formula everywhere: SymPy finds a "
               "difference of {diff}."), {"diff": str(diff)[:200]})
