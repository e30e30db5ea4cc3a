"""Exercises for 05_symbolic_vs_numerical: three derivatives by hand (the seeds' exercise 4.2.3).

In the notebook:  q1, q2, q3 = lesson05.bind(globals())

An answer is a SymPy expression, judged by ExpressionExercise in a worker process (a runaway
answer such as Derivative(exp(x**2), (x, 120)) is abandoned with a message): first its values
at a few sample points, which also name the known mistake it matches, then a SymPy proof that
it equals the derivative. Only mathematically equal forms pass: 3.0000000001*x**2 is refused
(the decimal is explained), and so is 2*x/Abs(x**2 - 3*k) (it equals the answer only where
x² − 3k > 0, and the feedback says why Abs is not the same formula).

EXAMPLE is the worked example of the lesson's section 6 as a check; the notebook shows what a
check says on it, never on q1-q3, so no output before a check holds an exercise's answer.
"""

import sympy

from ..messages import N_
from . import bind as _bind
from . import mistake
from .expressions import ExpressionExercise

x, k, a, b = sympy.symbols("x k a b")

# What the solutions may use: the names the notebook defines before its exercises.
SOLUTION_SETUP = """
import sympy
x, k, a, b = sympy.symbols('x k a b')
"""

_CONSTANT_GONE = N_("a constant does not change, so its derivative is 0 (d/dx c = 0): the −1 "
                    "leaves nothing behind in f′(x).")
_NOT_SPLIT = N_("log(x² − 3k) is not log(x²) − log(3k): the log of a difference does not split "
                "into two logs. Use the chain rule: u′/u with u = x² − 3k.")
_EXPONENT_STAYS = N_("the exponent stays as it was: d/dx exp(u) = exp(u)·u′ keeps exp(u) with "
                     "u = a·xᵇ, and multiplies it by u′.")

# --------------------------------------------------------------------------- EXAMPLE
# Section 6's linear combination y = 1 + 2x + 3x² + 4eˣ + 5 log x, worked in the lesson; the
# notebook demonstrates feedback on it.

EXAMPLE = ExpressionExercise(
    "dy_example", 2 + 6 * x + 4 * sympy.exp(x) + 5 / x, ("x",),
    ({"x": 1.3}, {"x": 0.4}, {"x": 2.7}),
    mistakes=[
        mistake(2 + 6 * x + 4 * sympy.exp(x) + 5 * sympy.log(x), N_(
            "5 log x is still there: d/dx log x = 1/x, so 5 log x contributes 5/x.")),
        mistake(3 + 6 * x + 4 * sympy.exp(x) + 5 / x, N_(
            "the constant 1 has derivative 0 (d/dx c = 0): nothing of it is left.")),
        mistake(2 + 6 * x + 4 * x * sympy.exp(x) + 5 / x, N_(
            "eˣ is its own derivative: 4eˣ stays 4eˣ (the power rule is for xⁿ, not eˣ).")),
        mistake(2 + 6 * x + 4 * sympy.exp(x) + 1 / x, N_(
            "a constant factor stays (d/dx c·f = c·f′): 5 log x gives 5/x, not 1/x.")),
    ],
    hints=[N_("Differentiate term by term; constant factors stay.")],
    solution="dy_example = 2 + 6*x + 4*sympy.exp(x) + 5/x",
    explanation=N_("term by term: 1 → 0, 2x → 2, 3x² → 6x, 4eˣ → 4eˣ, 5 log x → 5/x."),
    praise=N_("equal to 2 + 6x + 4eˣ + 5/x: SymPy proved your form and this one the same "
              "formula."),
)

# --------------------------------------------------------------------------- q1: x³ − 1

F1 = x**3 - 1
D1 = 3 * x**2

q1 = ExpressionExercise(
    "df_q1", D1, ("x",),
    # Any real x will do (f is a polynomial); a negative point tells odd powers from even ones.
    ({"x": 1.3}, {"x": -0.7}, {"x": 2.2}),
    mistakes=[
        mistake(F1, N_("that is f(x) = x³ − 1 itself: it still has to be differentiated.")),
        mistake(x**3, N_("the −1 is gone (right: its derivative is 0), but x³ itself still has "
                         "to be differentiated with the power rule d/dx xⁿ = n·xⁿ⁻¹.")),
        mistake(3 * x**2 - 1, _CONSTANT_GONE),
        mistake(3 * x**2 + 1, _CONSTANT_GONE),
        mistake(3 * x**2 - x, N_("d/dx(−1) = 0; −x is what you get by integrating −1, not by "
                                 "differentiating it.")),
        mistake(3 * x**3, N_("power rule: the exponent goes down by one, d/dx xⁿ = n·xⁿ⁻¹; "
                             "here it stayed at 3.")),
        mistake(x**2, N_("power rule: the old exponent comes down as a factor, "
                         "d/dx xⁿ = n·xⁿ⁻¹; that factor is missing.")),
        mistake(2 * x**2, N_("power rule: the factor in front is the old exponent n, not n − 1 "
                             "(d/dx xⁿ = n·xⁿ⁻¹).")),
        mistake(3 * x, N_("power rule: the exponent drops by one (n → n − 1), not to 1.")),
        mistake(6 * x, N_("that is the second derivative f″(x): you differentiated twice. "
                          "Differentiate once.")),
        mistake(x**4 / 4 - x, N_("that is the integral (antiderivative) of x³ − 1, not its "
                                 "derivative: differentiating lowers the exponent.")),
    ],
    hints=[
        N_("Two rules from section 6: the power rule d/dx xⁿ = n·xⁿ⁻¹ and the constant rule "
           "d/dx c = 0. By the sum rule, take x³ and −1 one at a time."),
        N_("x³ has n = 3: the 3 comes down in front and the exponent drops to 2. The −1 gives 0."),
    ],
    solution="df_q1 = 3*x**2",
    explanation=N_("power rule: d/dx x³ = 3x²; constant rule: d/dx(−1) = 0. SymPy agrees: "
                   "sympy.diff(x**3 - 1, x)."),
    praise=N_("f′(x) = 3x²: the power rule brings the 3 down and lowers the exponent to 2; the "
              "constant −1 does not change, so it contributes 0."),
)

# --------------------------------------------------------------------------- q2: log(x² − 3k)

F2 = sympy.log(x**2 - 3 * k)
D2 = 2 * x / (x**2 - 3 * k)
_u = x**2 - 3 * k

q2 = ExpressionExercise(
    "df_q2", D2, ("x", "k"),
    # Inside the domain of the log (x² − 3k > 0) at each point; k of both signs.
    ({"x": 1.3, "k": 0.1}, {"x": 1.7, "k": 0.2}, {"x": -2.2, "k": -0.4}),
    mistakes=[
        mistake(F2, N_("that is f(x) itself: it still has to be differentiated.")),
        mistake(1 / _u, N_("the chain rule is missing: d/dx log(u) = u′/u, so 1/(x² − 3k) must "
                           "be multiplied by the derivative of the inside, u′.")),
        mistake(2 * x, N_("that is only the inside's derivative u′; the chain rule divides it "
                          "by the inside itself: d/dx log(u) = u′/u.")),
        mistake(x / _u, N_("u′ is not x: the power rule gives d/dx x² = 2x.")),
        mistake((2 * x - 3) / _u, N_("k is a constant, not a variable: d/dx(3k) = 0, so the "
                                     "numerator has no −3.")),
        mistake(-3 / _u, N_("that is ∂f/∂k, the derivative with respect to k. Differentiate "
                            "with respect to x and hold k constant.")),
        mistake(1 / (2 * x), N_("upside down: d/dx log(u) = u′/u has the inside u = x² − 3k "
                                "below and u′ above.")),
        mistake(_u / (2 * x), N_("upside down: d/dx log(u) = u′/u has the inside u = x² − 3k "
                                 "below and u′ above.")),
        mistake(2 * x / (x**2 + 3 * k), N_("the denominator is the inside of the log, x² − 3k: "
                                           "check the sign of 3k.")),
        mistake(1 / x, _NOT_SPLIT),
        mistake(2 / x, _NOT_SPLIT),
        mistake(2 * x / (_u * sympy.log(10)), N_(
            "sympy.log is the natural logarithm (ln, base e): d/dx log(u) = u′/u with no "
            "1/ln 10. That factor belongs to the base-10 logarithm.")),
        mistake(2 / x - 3 * k, N_("brackets: 2*x/x**2 - 3*k divides by x² only. Put the whole "
                                  "denominator in brackets: .../(x**2 - 3*k).")),
    ],
    hints=[
        N_("Chain rule with the inside u = x² − 3k: d/dx log(u) = u′/u (section 6). k is a "
           "constant."),
        N_("u′ = 2x (3k is a constant, its derivative is 0); divide it by u itself. Write the "
           "denominator in brackets."),
    ],
    solution="df_q2 = 2*x / (x**2 - 3*k)",
    explanation=N_("d/dx log(u) = u′/u with u = x² − 3k and u′ = 2x. No Abs: u′/u is the "
                   "derivative of log(u) wherever log(u) is defined. SymPy agrees: "
                   "sympy.diff(sympy.log(x**2 - 3*k), x)."),
    praise=N_("f′(x) = 2x/(x² − 3k): the outer derivative 1/u times the inner derivative 2x, "
              "with k held constant."),
)

# --------------------------------------------------------------------------- q3: exp(a·xᵇ)

F3 = sympy.exp(a * x**b)
D3 = a * b * x**(b - 1) * F3

q3 = ExpressionExercise(
    "df_q3", D3, ("x", "a", "b"),
    # x > 0, so that xᵇ is real for every b; a of both signs, b not a whole number.
    ({"x": 1.3, "a": 0.7, "b": 1.5}, {"x": 1.7, "a": -0.4, "b": 2.5},
     {"x": 0.6, "a": 1.1, "b": 0.5}),
    mistakes=[
        mistake(F3, N_("the chain rule is missing: eᵘ is its own derivative, but with "
                       "u = a·xᵇ you must multiply by u′: d/dx exp(u) = exp(u)·u′.")),
        mistake(a * b * x**(b - 1), N_("the factor exp(a·xᵇ) is missing: the chain rule gives "
                                       "exp(u)·u′, not u′ alone.")),
        mistake(a * x**b * F3, N_("that multiplies by the inside u = a·xᵇ; the chain rule "
                                  "multiplies by its derivative u′.")),
        mistake(a * b * x**b * F3, N_("power rule: d/dx xᵇ = b·xᵇ⁻¹, the exponent drops by "
                                      "one.")),
        mistake(b * x**(b - 1) * F3, N_("the constant a is missing: u = a·xᵇ, so "
                                        "u′ = a·b·xᵇ⁻¹ (a constant factor stays).")),
        mistake(a * x**(b - 1) * F3, N_("power rule: d/dx xᵇ = b·xᵇ⁻¹, the factor b is "
                                        "missing.")),
        mistake(a * b * x**(b - 1) * sympy.exp(a * b * x**(b - 1)), _EXPONENT_STAYS),
        mistake(sympy.exp(a * b * x**(b - 1)), _EXPONENT_STAYS),
        mistake(a * b * x**b - F3, N_("brackets: x**b-1 is xᵇ − 1 (so exp(a·xᵇ) is subtracted "
                                      "instead of multiplied); the exponent b − 1 needs brackets: "
                                      "x**(b - 1).")),
        mistake(x**b * F3, N_("that is ∂f/∂a: a and b are constants; differentiate with "
                              "respect to x.")),
        mistake(a * x**b * sympy.log(x) * F3, N_("that is ∂f/∂b: a and b are constants; "
                                                 "differentiate with respect to x.")),
    ],
    hints=[
        N_("Chain rule with the inside u = a·xᵇ: d/dx exp(u) = exp(u)·u′. a and b are "
           "constants."),
        N_("u′ = a·b·xᵇ⁻¹ (power rule; the constant a stays). Multiply exp(a·xᵇ) by it; in "
           "Python the exponent needs brackets, x**(b - 1)."),
    ],
    solution="df_q3 = a*b*x**(b - 1) * sympy.exp(a*x**b)",
    explanation=N_("d/dx exp(u) = exp(u)·u′ with u = a·xᵇ and u′ = a·b·xᵇ⁻¹. SymPy writes the "
                   "same as a*b*x**b*exp(a*x**b)/x: sympy.diff(sympy.exp(a*x**b), x)."),
    praise=N_("f′(x) = a·b·xᵇ⁻¹·exp(a·xᵇ): exp(u) stays, times u′ = a·b·xᵇ⁻¹ from the power "
              "rule, with a and b held constant."),
)

EXERCISES = (q1, q2, q3)


def bind(namespace):
    """q1, q2, q3 bound to the notebook's namespace: q1, q2, q3 = lesson05.bind(globals())."""
    return _bind(namespace, EXERCISES)
