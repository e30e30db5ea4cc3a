"""Exercises for 05_symbolic_vs_numerical: three derivatives by hand, checked by SymPy equivalence.

An answer is a SymPy expression. It is compared with the derivative by value at a few sample
points first (fast, and it tells which known mistake was made), then a match is confirmed with
SymPy (expect_same_expression), so any equivalent way of writing the answer is accepted.
"""

import numbers

import sympy

from . import Exercise, Wrong, expect_same_expression

x, k, a, b = sympy.symbols("x k a b")
SYMBOLS = {s.name: s for s in (x, k, a, b)}

# Sample points: x > 0 (so x**b is real) and x**2 - 3k > 0 (so the log is defined). The values
# are "generic": no two of the mistakes listed below agree with the answer at all three.
POINTS = tuple({s: sympy.Float(v) for s, v in zip((x, k, a, b), values, strict=True)}
               for values in ((1.3, 0.1, 0.7, 1.5), (1.7, 0.2, -0.4, 2.5), (2.2, -0.4, 1.1, 0.5)))
RTOL = 1e-9
MAX_OPS = 300  # larger answers are compared by value only: simplify could take too long


# --------------------------------------------------------------------------- helpers


def _as_expression(answer, name, variables):
    """The answer as a SymPy expression in the exercise's symbols, or Wrong saying what is off."""
    if isinstance(answer, str):
        raise Wrong(f"{name} is the text {answer!r} (a str). Remove the quotes and build the "
                    "expression from SymPy symbols, e.g. 3*x**2 or sympy.log(x), after "
                    "x, k, a, b = sympy.symbols('x k a b').")
    if isinstance(answer, bool):
        raise Wrong(f"{name} should be a SymPy expression such as 3*x**2, not {answer!r}.")
    if callable(answer) and not isinstance(answer, sympy.Basic):
        raise Wrong(f"{name} is a function ({getattr(answer, '__name__', type(answer).__name__)})."
                    " Give the derivative itself as an expression in x, such as 3*x**2 + 1, "
                    "not a def, a lambda or a function name such as sympy.exp without (...).")
    if isinstance(answer, numbers.Number):
        raise Wrong(f"{name} is the number {answer!r}, but the derivative is a function of x. "
                    "Give the expression (in x and the constants), not its value at a point.")
    try:
        expr = sympy.sympify(answer, strict=True)  # strict: never parses text
    except (sympy.SympifyError, TypeError, ValueError, AttributeError) as err:
        raise Wrong(f"{name} should be one SymPy expression, got {type(answer).__name__}.") from err
    if isinstance(expr, sympy.Basic) and expr.has(sympy.Derivative):
        expr = expr.doit()  # an unevaluated sympy.Derivative(...): evaluate it
    if not isinstance(expr, sympy.Expr):
        kind = "an equation or comparison" if isinstance(expr, sympy.logic.boolalg.Boolean) \
            else type(expr).__name__
        raise Wrong(f"{name} should be one SymPy expression, got {kind}. For f'(x) = 3x², "
                    "write just 3*x**2.")
    undefined = expr.atoms(sympy.core.function.AppliedUndef)
    if undefined:
        raise Wrong(f"{name} uses the undefined function {sorted(map(str, undefined))[0]}: "
                    "write the formula with SymPy's own functions (sympy.exp, sympy.log, ...).")
    # Symbols are matched by name, so x = sympy.Symbol('x', positive=True) counts as x too.
    names = {s.name for s in expr.free_symbols}
    unknown = sorted(names - set(variables))
    if unknown:
        allowed = ", ".join(variables)
        raise Wrong(f"{name} uses the symbol(s) {', '.join(unknown)}; this function has only "
                    f"{allowed}.")
    return expr.xreplace({s: SYMBOLS[s.name] for s in expr.free_symbols})


def _values(expr):
    """expr at each sample point, as complex numbers (None where it is undefined)."""
    out = []
    for point in POINTS:
        try:
            value = complex(expr.xreplace(point).evalf(15))
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            value = None
        if value is not None and not (abs(value.real) < float("inf")
                                      and abs(value.imag) < float("inf")):
            value = None
        out.append(value)
    return out


def _close(got, want):
    return all(g is not None and w is not None and abs(g - w) <= RTOL * max(abs(w), 1e-12)
               for g, w in zip(got, want, strict=True))


def _check_derivative(answer, name, expected, variables, mistakes):
    """The shared check: value comparison, named mistakes, then SymPy's word on a match."""
    expr = _as_expression(answer, name, variables)
    got, want = _values(expr), _values(expected)
    if any(v is None for v in got):
        where = POINTS[[v is None for v in got].index(True)]
        at = ", ".join(f"{s} = {float(v):g}" for s, v in where.items() if s.name in variables)
        raise Wrong(f"{name} is undefined (division by zero, nan or ∞) at {at}, where the "
                    "derivative is a finite number. Check the denominators.")
    if not _close(got, want):
        for wrong, why in mistakes:
            if _close(got, _values(wrong)):
                raise Wrong(why)
        if _close(got, [-w for w in want]):
            raise Wrong("right size, wrong sign: your expression is minus the derivative. "
                        "Check the sign of each term.")
        p = POINTS[0]
        at = ", ".join(f"{s} = {float(v):g}" for s, v in p.items() if s.name in variables)
        raise Wrong(f"not the derivative: at {at} your expression is {_show(got[0])}, but "
                    f"f'(x) is {_show(want[0])}. Go through the rules one factor at a time.")
    if sympy.count_ops(expr) > MAX_OPS:
        return "equal to the derivative at every test point (too long for SymPy to simplify)."
    try:
        expect_same_expression(expr, expected, [SYMBOLS[v] for v in variables])
    except Wrong:
        # Equal in value but SymPy cannot prove it, e.g. exp(b*log(x)) vs x**b (needs x > 0).
        return ("equal to the derivative at every test point; SymPy could not simplify the "
                "difference to 0 without knowing x > 0, so write powers as x**b.")
    return None


def _show(value):
    return f"{value.real:.6g}" if abs(value.imag) < 1e-12 else f"{value:.6g}"


# --------------------------------------------------------------------------- q1: x³ − 1

F1 = x**3 - 1
D1 = sympy.diff(F1, x)


def _check_q1(answer):
    return _check_derivative(answer, "d1_q1", D1, ("x",), [
        (F1, "that is f(x) = x³ − 1 itself: it still has to be differentiated."),
        (3 * x**2 - 1, "the −1 should be gone: a constant does not change, so its derivative "
                       "is 0 (d/dx c = 0)."),
        (3 * x**3, "power rule: the exponent goes down by one, d/dx xⁿ = n·xⁿ⁻¹, so x³ → 3x²."),
        (x**2, "power rule: the old exponent comes down as a factor, d/dx xⁿ = n·xⁿ⁻¹: the 3 "
               "is missing."),
        (3 * x, "power rule: the exponent drops by one (3 → 2), not to 1."),
        (x**4 / 4 - x, "that is the integral (antiderivative) of x³ − 1, not its derivative."),
    ])


q1 = Exercise(
    "d1_q1", _check_q1,
    hint="Two rules: the power rule d/dx xⁿ = n·xⁿ⁻¹ and the constant rule d/dx c = 0.",
    solution="d1_q1 = 3*x**2 — the power rule gives 3x², the constant −1 contributes 0. "
             "Check: sympy.diff(x**3 - 1, x).",
)


# --------------------------------------------------------------------------- q2: log(x² − 3k)

F2 = sympy.log(x**2 - 3 * k)
D2 = sympy.diff(F2, x)


def _check_q2(answer):
    inner = x**2 - 3 * k
    return _check_derivative(answer, "d2_q2", D2, ("x", "k"), [
        (F2, "that is f(x) itself: it still has to be differentiated."),
        (1 / inner, "the chain rule is missing: d/dx log(u) = u′/u, so 1/(x² − 3k) must be "
                    "multiplied by the derivative of the inside, u′ = 2x."),
        (2 * x, "that is only the inside's derivative u′ = 2x; the chain rule multiplies it by "
                "the outer derivative 1/u = 1/(x² − 3k)."),
        ((2 * x - 3) / inner, "k is a constant, not a variable: d/dx(3k) = 0, so the numerator "
                              "has no −3. (Differentiating 3k as if k were x gives the −3.)"),
        (-3 / inner, "that is ∂f/∂k, the derivative with respect to k. Differentiate with "
                     "respect to x and keep k constant: sympy.diff(f, x)."),
        ((2 * x - 3) / inner - 3 / inner, "k is a constant: differentiate with respect to x "
                                          "only; 3k contributes nothing."),
        (1 / (2 * x), "d/dx log(u) = u′/u with u the whole inside, x² − 3k: the denominator is "
                      "u, not u′."),
        (2 * x / (x**2 + 3 * k), "the denominator is the inside of the log, x² − 3k: check the "
                                 "sign of 3k."),
        (1 / x, "log(x² − 3k) is not log(x) − log(3k): the log of a difference does not split. "
                "Use the chain rule: u′/u with u = x² − 3k."),
    ])


q2 = Exercise(
    "d2_q2", _check_q2,
    hint="Chain rule with u = x² − 3k: d/dx log(u) = (1/u)·u′. k is a constant, so u′ = 2x.",
    solution="d2_q2 = 2*x/(x**2 - 3*k) — outer derivative 1/u times inner derivative 2x. "
             "Check: sympy.diff(sympy.log(x**2 - 3*k), x).",
)


# --------------------------------------------------------------------------- q3: exp(a·xᵇ)

F3 = sympy.exp(a * x**b)
D3 = sympy.diff(F3, x)


def _check_q3(answer):
    return _check_derivative(answer, "d3_q3", D3, ("x", "a", "b"), [
        (F3, "the chain rule is missing: eᵘ is its own derivative, but with u = a·xᵇ you must "
             "multiply by u′: d/dx exp(u) = exp(u)·u′."),
        (a * b * x**(b - 1), "the factor exp(a·xᵇ) is missing: the chain rule gives exp(u)·u′, "
                             "not u′ alone."),
        (a * b * x**b * F3, "power rule: d/dx xᵇ = b·xᵇ⁻¹ — the exponent drops by one."),
        (b * x**(b - 1) * F3, "the constant a is missing: u = a·xᵇ, so u′ = a·b·xᵇ⁻¹."),
        (a * x**(b - 1) * F3, "power rule: d/dx xᵇ = b·xᵇ⁻¹ — the factor b is missing."),
        (a * b * x**(b - 1) * sympy.exp(a * b * x**(b - 1)),
         "the exponent stays as it was: d/dx exp(u) = exp(u)·u′ keeps exp(u), with u = a·xᵇ, "
         "and only multiplies by u′."),
        (x**b * F3, "that is ∂f/∂a: a and b are constants; differentiate with respect to x."),
        (a * x**b * sympy.log(x) * F3, "that is ∂f/∂b: a and b are constants; differentiate "
                                       "with respect to x."),
    ])


q3 = Exercise(
    "d3_q3", _check_q3,
    hint="Chain rule with u = a·xᵇ: d/dx exp(u) = exp(u)·u′, and u′ = a·b·xᵇ⁻¹ (a, b constants).",
    solution="d3_q3 = a*b*x**(b - 1)*sympy.exp(a*x**b) — SymPy writes the same thing as "
             "a*b*x**b*exp(a*x**b)/x. Check: sympy.diff(sympy.exp(a*x**b), x).",
)
