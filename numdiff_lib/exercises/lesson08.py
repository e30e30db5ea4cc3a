"""Exercises for 08_from_numerical_to_automatic_differentiation (lesson 08).

q1: write the backward rule of exp for a Value (checked against numerical_derivative);
q2: count the passes a gradient costs (central differences, forward mode, reverse mode);
q3: find the wrong local derivative in a hand-written backward pass from a gradient check.

In the notebook:  q1, q2, q3 = lesson08.bind(globals())
"""

import math
import types

import numpy as np

from .. import autodiff, guard
from ..autodiff import Value
from ..core import numerical_derivative
from ..messages import N_, Msg
from . import (
    ArrayExercise,
    ChoiceExercise,
    Feedback,
    FunctionExercise,
    Tolerance,
    Wrong,
    mistake,
    shown,
)
from . import bind as _bind

# What the solutions may use: the names the notebook defines before its exercises.
SOLUTION_SETUP = """
import math

import numpy as np

from numdiff_lib import check_gradient, numerical_derivative
from numdiff_lib.autodiff import Value
from numdiff_lib.exercises.lesson08 import f_q3, grad_q3, x_q3
"""

# --------------------------------------------------------------------------- q1: exp's rule
# The learner writes exp_op(a): a new Value e^a whose _backward passes the gradient on to a,
# as the lesson's tanh does. The check builds small graphs around it, each testing one part of
# the rule: the value, the local derivative (against numerical_derivative), the upstream
# gradient (chain rule), accumulation (+=), and the children (so backward() goes on past a).

POINTS_Q1 = (0.5, -1.3, 2.0)
RTOL_Q1 = 1e-6   # numerical_derivative of exp at these points is good to about 1e-10

UNANSWERED_Q1 = N_("`{var}` still returns `...`: write its body in the cell above, run that "
                   "cell, then run this check again.")
RAISED_Q1 = N_("exp_op(Value({x})) raised {error}. Build the result from a.data, e.g. "
               "out = Value(math.exp(a.data), (a,), 'exp').")
RAISED_BACKWARD_Q1 = N_("backward() raised {error} inside your rule. Inside _backward, use "
                        "numbers: a.grad, out.grad and out.data or a.data are plain floats.")
SELF_Q1 = N_("your rule uses self, but exp_op is a function, not a method of Value: its input "
             "is called a. Write a.grad += ... (and a.data).")
NONE_Q1 = N_("exp_op returned None: did you forget `return out`?")
NUMBER_Q1 = N_("exp_op returned the number {answer}, not a Value: a plain number forgets how "
               "it was computed, so backward() cannot reach a. Wrap it: "
               "out = Value(math.exp(a.data), (a,), 'exp'), give it a _backward, return out.")
OTHER_VALUE_Q1 = N_("exp_op returned a Value of another class than numdiff_lib's (did you "
                    "re-run the cell that defines class Value?). Run `from numdiff_lib.autodiff "
                    "import Value`, then the cell with exp_op, then this check.")
NOT_VALUE_Q1 = N_("exp_op should return a new Value, got {kind}.")
SAME_Q1 = N_("exp_op returned a itself; make a new Value for the result, with a as its child.")
DATA_Q1 = N_("the result's data is {got:.6g} at a = {x}, but e^{x} = {want:.6g}: compute "
             "math.exp(a.data).")
LIBRARY_Q1 = N_("that is numdiff_lib's own a.exp() (np.exp calls it too): write the rule "
                "yourself, with a function _backward of your own, as the lesson's tanh does.")
CHILD_Q1 = N_("the new Value does not list a as its child: create it as Value(..., (a,), "
              "'exp'). Without it, backward() never visits a, so whatever a was computed from "
              "gets no gradient.")
NO_RULE_Q1 = N_("after out.backward(), a.grad is still 0: give out a rule. Define "
                "def _backward(): a.grad += ... inside exp_op and set out._backward = _backward.")
POWER_RULE_Q1 = N_("your rule gives ∂out/∂a = a·e^a ({got:.6g} at a = {x}): the power rule "
                   "does not apply to e^a, whose exponent is the variable. numerical_derivative("
                   "math.exp, {x}) gives {want:.6g}.")
POWER_RULE2_Q1 = N_("your rule gives ∂out/∂a = e^(a−1) ({got:.6g} at a = {x}): the power rule "
                    "(xⁿ → n·xⁿ⁻¹) is for a variable base. numerical_derivative(math.exp, {x}) "
                    "gives {want:.6g}.")
ONE_Q1 = N_("your rule passes out.grad on unchanged (local derivative 1, as for +): that is "
            "not the slope of e^a. numerical_derivative(math.exp, {x}) gives {want:.6g}.")
LOG_RULE_Q1 = N_("your rule gives 1/a ({got:.6g} at a = {x}): that is the derivative of log a, "
                 "not of e^a. numerical_derivative(math.exp, {x}) gives {want:.6g}.")
SIGN_Q1 = N_("your rule gives {got:.6g} at a = {x}: right size, wrong sign. e^a grows with a, "
             "so ∂out/∂a is positive.")
LOCAL_Q1 = N_("your rule gives ∂out/∂a = {got:.6g} at a = {x}, but numerical_derivative("
              "math.exp, {x}) = {want:.6g}. What is the slope of e^a? Print a few values of "
              "numerical_derivative(math.exp, x) and compare them with the curve.")
UPSTREAM_Q1 = N_("alone your rule is right, but in y = exp_op(a) * 3 it gives a.grad = {got:.6g} "
                 "instead of 3·e^a = {want:.6g}: multiply the local derivative by out.grad, "
                 "the gradient arriving from above (the chain rule), as tanh does.")
ACCUMULATE_Q1 = N_("in y = exp_op(a) + exp_op(a) your rule gives a.grad = {got:.6g} instead of "
                   "2·e^a = {want:.6g}: use += in _backward. A Value used twice gets a "
                   "gradient from each use; = keeps only the last one.")
UPSTREAM_ONLY_Q1 = N_("in y = exp_op(a) * 3 your rule gives a.grad = {got:.6g} instead of "
                      "3·e^a = {want:.6g}. Check that _backward adds local derivative × "
                      "out.grad to a.grad, and nothing else.")
PRAISE_Q1 = N_("exp_op's rule a.grad += e^a · out.grad agrees with numerical_derivative at a = "
               "0.5, −1.3 and 2.0, and it works inside bigger graphs: times 3 (the chain "
               "rule), used twice (+=), and behind another operation (the child link).")


def _is_library_rule(out):
    """True when out's rule is the one in numdiff_lib/autodiff.py (a.exp(), np.exp(a))."""
    code = getattr(getattr(out, "_backward", None), "__code__", None)
    # The library's rules are closures named _backward; a Value's default no-op is a lambda.
    return (isinstance(code, types.CodeType) and code.co_filename == autodiff.__file__
            and code.co_name == "_backward")


def _call_q1(func, a, x):
    try:
        return func(a)
    except Exception as err:  # noqa: BLE001 — the learner's code: report, never raise
        raise Wrong(RAISED_Q1, x=x, error=_error(err)) from None


def _backward_q1(y):
    try:
        y.backward()
    except NameError as err:
        if "'self'" in str(err):  # the rule was copied from a method of class Value
            raise Wrong(SELF_Q1) from None
        raise Wrong(RAISED_BACKWARD_Q1, error=_error(err)) from None
    except Exception as err:  # noqa: BLE001 — the learner's rule runs inside backward()
        raise Wrong(RAISED_BACKWARD_Q1, error=_error(err)) from None


def _error(err):
    return guard.error_text(err, 160)


def _result_q1(func, x):
    """exp_op(Value(x)) and the Value a, after checking what came back."""
    a = Value(x)
    out = _call_q1(func, a, x)
    if out is None:
        raise Wrong(NONE_Q1)
    if isinstance(out, (int, float, np.number)) and not isinstance(out, bool):
        raise Wrong(NUMBER_Q1, answer=shown(out, 40))
    if not isinstance(out, Value):
        if all(hasattr(out, name) for name in ("data", "grad", "_backward")):
            raise Wrong(OTHER_VALUE_Q1)
        raise Wrong(NOT_VALUE_Q1, kind=type(out).__name__)
    if out is a:
        raise Wrong(SAME_Q1)
    want = math.exp(x)
    if not math.isclose(out.data, want, rel_tol=1e-12):
        raise Wrong(DATA_Q1, got=out.data, x=x, want=want)
    if _is_library_rule(out):
        raise Wrong(LIBRARY_Q1)
    if not any(child is a for child in out._children):
        raise Wrong(CHILD_Q1)
    return a, out


def _close(got, want):
    return math.isclose(got, want, rel_tol=RTOL_Q1, abs_tol=1e-12)


def _local_q1(func, x):
    """The rule alone: out.backward() must give a.grad = e^x, as numerical_derivative says."""
    a, out = _result_q1(func, x)
    _backward_q1(out)
    got, want = a.grad, numerical_derivative(math.exp, x)
    if _close(got, want):
        return
    fields = {"got": got, "x": x, "want": want}
    if got == 0:
        raise Wrong(NO_RULE_Q1)
    for value, msgid in ((x * math.exp(x), POWER_RULE_Q1), (math.exp(x - 1), POWER_RULE2_Q1),
                         (1.0, ONE_Q1), (1 / x, LOG_RULE_Q1), (-want, SIGN_Q1)):
        if _close(got, value):
            raise Wrong(msgid, **fields)
    raise Wrong(LOCAL_Q1, **fields)


def _check_exp_op(func):
    for x in POINTS_Q1:
        _local_q1(func, x)
    x = POINTS_Q1[0]
    want = math.exp(x)
    # The chain rule: the upstream gradient out.grad is 3 here, not 1.
    a, out = _result_q1(func, x)
    y = out * 3.0
    _backward_q1(y)
    if not _close(a.grad, 3 * want):
        msgid = UPSTREAM_Q1 if _close(a.grad, want) else UPSTREAM_ONLY_Q1
        raise Wrong(msgid, got=a.grad, want=3 * want)
    # Accumulation: a feeds two exp nodes; each must add its share.
    a = Value(x)
    y = _call_q1(func, a, x) + _call_q1(func, a, x)
    _backward_q1(y)
    if not _close(a.grad, 2 * want):
        raise Wrong(ACCUMULATE_Q1, got=a.grad, want=2 * want)
    return Msg(PRAISE_Q1)


def _template_probe_q1(func):
    """What exp_op returns on a Value: Ellipsis while it is the template."""
    return func(Value(0.5))


_UNSET = object()


class RuleExercise(FunctionExercise):
    """A FunctionExercise whose unanswered template gets a message about a function body."""

    def check(self, answer=_UNSET):
        feedback = super().check() if answer is _UNSET else super().check(answer)
        if feedback.kind == "unanswered":
            given = self._namespace.get(self.var) if answer is _UNSET and self._namespace \
                else answer
            if callable(given):
                return Feedback("unanswered", Msg(UNANSWERED_Q1, var=self.var))
        return feedback


q1 = RuleExercise(
    "exp_op", _check_exp_op, template_probe=_template_probe_q1,
    hints=[
        N_("Copy the lesson's tanh and change two things: the forward value, math.exp(a.data), "
           "and the local derivative in _backward. What is the slope of e^a at a? "
           "numerical_derivative(math.exp, 1.0) gives a hint."),
        N_("d(e^a)/da = e^a, which out.data already holds. The rule: a.grad += out.data * "
           "out.grad (+=, because a may be used more than once)."),
    ],
    solution=(
        N_("def exp_op(a):\n"
        "    out = Value(math.exp(a.data), (a,), 'exp')\n"
        "\n"
        "    def _backward():\n"
        "        a.grad += out.data * out.grad   # local derivative e^a, times the upstream\n"
        "    out._backward = _backward\n"
        "    return out")),
    explanation=N_("the local derivative of e^a is e^a itself, the value out already holds; "
                   "the chain rule multiplies it by out.grad, and += adds it to what a's other "
                   "uses contribute."),
)

# --------------------------------------------------------------------------- q2: counting
# A 10-64-64-5 network (two hidden layers, with biases): how many passes does one full
# gradient take with central differences, with forward mode, and with reverse mode?

LAYERS_Q2 = (10, 64, 64, 5)
N_Q2 = sum(i * o + o for i, o in zip(LAYERS_Q2[:-1], LAYERS_Q2[1:], strict=True))   # 5189
N_NO_BIAS_Q2 = sum(i * o for i, o in zip(LAYERS_Q2[:-1], LAYERS_Q2[1:], strict=True))  # 5056
PASSES_Q2 = (2 * N_Q2, N_Q2, 1)


def _entry(index, value):
    return lambda got: bool(np.isclose(got[index], value, rtol=0, atol=0.01))


q2 = ArrayExercise(
    "passes_q2", PASSES_Q2, Tolerance(atol=0.01, rtol=0.0,
                                      digits=Msg(N_("the exact whole number of passes"))),
    mistakes=[
        mistake(lambda got: (_entry(1, 1)(got) and _entry(2, N_Q2)(got)), N_(
            "forward and reverse mode are swapped: forward mode gets one partial derivative per "
            "pass, reverse mode all of them from one backward pass.")),
        mistake(lambda got: any(_entry(i, v)(got) for i, v in (
            (0, 2 * N_NO_BIAS_Q2), (1, N_NO_BIAS_Q2), (0, N_NO_BIAS_Q2))), N_(
            "you left out the biases (64 + 64 + 5 of them): they are parameters too, and the "
            "gradient has an entry for each.")),
        mistake(_entry(0, N_Q2), N_(
            "central differences evaluate the loss twice per parameter, at θᵢ + h and θᵢ − h: "
            "2n evaluations, not n.")),
        mistake(_entry(0, N_Q2 + 1), N_(
            "n + 1 is for forward differences; the question asks for central ones, two "
            "evaluations per parameter.")),
        mistake(_entry(1, 2 * N_Q2), N_(
            "forward mode needs no pair of evaluations: one pass with a dual number gives one "
            "partial derivative exactly, so n passes, not 2n.")),
        mistake(_entry(1, 1), N_(
            "one forward-mode pass carries the derivative along one direction only (the input "
            "seeded with ε): a full gradient needs one pass per parameter.")),
        mistake(lambda got: _entry(2, N_Q2)(got) or _entry(2, 2 * N_Q2)(got), N_(
            "reverse mode needs one backward pass for all n partial derivatives: that is the "
            "whole point of backpropagation.")),
        mistake(_entry(2, 2), N_(
            "the question counts backward passes only: reverse mode makes one forward pass "
            "(recording the graph) and then one backward pass.")),
    ],
    sign_slip=False,
    otherwise=N_("count the parameters first: W1 is 10×64, b1 has 64, W2 is 64×64, b2 "
                 "has 64, W3 is 64×5 and b3 has 5. Then: two loss evaluations per parameter, "
                 "one dual-number pass per parameter, one backward pass."),
    hints=[
        N_("n = 10·64 + 64 + 64·64 + 64 + 64·5 + 5. Central differences: how many loss "
           "evaluations per parameter? Forward mode: how many partial derivatives per pass?"),
        N_("n = 5189 parameters. Central differences: two evaluations for each. Forward mode: "
           "one exact partial derivative per pass. Reverse mode: one backward pass gives them "
           "all."),
    ],
    solution=(N_("n = 10 * 64 + 64 + 64 * 64 + 64 + 64 * 5 + 5   # 5189 parameters\n"
              "passes_q2 = [2 * n, n, 1]")),
    explanation=N_("n = 5189: central differences need 2n = 10378 loss evaluations, forward mode "
                   "n = 5189 passes (one partial each), reverse mode one backward pass after one "
                   "forward pass, whatever n is."),
    praise=N_("2n = {central:,} evaluations, n = {forward:,} forward-mode passes, 1 backward "
              "pass. Only reverse mode's cost does not grow with the number of parameters."),
    praise_fields={"central": 2 * N_Q2, "forward": N_Q2},
)

# --------------------------------------------------------------------------- q3: the wrong step
# A hand-written backward pass with one wrong local derivative. check_gradient shows which
# entries of the gradient are wrong; the path they share, and a numerical check of each local
# derivative on it, finds the step. (The notebook shows the same code; a test keeps them equal.)

x_q3 = np.array([0.8, -0.5, 0.3])


def f_q3(x):
    """L = tanh(x0·x1)·e^(x2) + x1² (lesson 08, exercise 3)."""
    u = x[0] * x[1]
    v = np.tanh(u)
    w = np.exp(x[2])
    return v * w + x[1] ** 2


def grad_q3(x):
    """A hand-written gradient of f_q3, step by step; one local derivative is wrong (lesson 08)."""
    u = x[0] * x[1]
    v = np.tanh(u)
    w = np.exp(x[2])
    dL_dv = w                       # (A)
    dL_dw = v                       # (B)
    dv_du = 1 - v                   # (C)
    du_dx0, du_dx1 = x[1], x[0]     # (D)
    dw_dx2 = w                      # (E)
    dsq_dx1 = 2 * x[1]              # (F)  the x1² term
    return np.array([dL_dv * dv_du * du_dx0,
                     dL_dv * dv_du * du_dx1 + dsq_dx1,
                     dL_dw * dw_dx2])


def grad_q3_fixed(x):
    """grad_q3 with its wrong local derivative corrected (for the tests) (lesson 08)."""
    v = np.tanh(x[0] * x[1])
    w = np.exp(x[2])
    dv_du = 1 - v ** 2
    return np.array([w * dv_du * x[1], w * dv_du * x[0] + 2 * x[1], v * w])


q3 = ChoiceExercise(
    "wrong_step_q3", "c", {
        "a": N_("(A) ∂L/∂v = w is right: L = v·w + x1², so moving v by a little moves L by w "
                "times as much (check it: numerical_derivative(lambda t: t * w + x1**2, v)). "
                "(A) does lie on the path that the two wrong entries share; so does another "
                "step."),
        "b": N_("(B) only lies on x2's path (L ← w ← x2), and check_gradient finds the x2 entry "
                "right. Look at the entries that are wrong, and the steps they share."),
        "c": N_("(C): d(tanh u)/du = 1 − tanh²u = 1 − v², not 1 − v. Entries 0 and 1 both pass "
                "through v = tanh(u), entry 2 does not; numerical_derivative(np.tanh, u) "
                "confirms the right slope."),
        "d": N_("(D) ∂u/∂x0 = x1 and ∂u/∂x1 = x0 are right; a slip in one of them would spoil "
                "only its own entry, but two entries are wrong. Which steps do both share?"),
        "e": N_("(E) only lies on x2's path, and check_gradient finds the x2 entry right."),
        "f": N_("(F) 2·x1 only touches entry 1, but entry 0 is wrong too: look for a step both "
                "share."),
    },
    hints=[
        N_("Run check_gradient(f_q3, grad_q3, x_q3) and compare .numerical with .analytic entry "
           "by entry. Which entries are wrong? Which steps lie on the path of all the wrong "
           "entries and of none of the right ones?"),
        N_("Entries 0 and 1 are wrong, entry 2 is right: the bug is in (A) or (C), the factors "
           "x0 and x1 share. Check each against numerical_derivative at the point: for (C), "
           "numerical_derivative(np.tanh, u) with u = x_q3[0] * x_q3[1]."),
    ],
    solution='wrong_step_q3 = "C"',
    explanation=N_("check_gradient: entries 0 and 1 wrong, entry 2 right, so the bug sits on "
                   "the path x0 and x1 share, (A) or (C). numerical_derivative(np.tanh, u) "
                   "gives 1 − tanh²u, and (C) says 1 − tanh u."),
)

EXERCISES = (q1, q2, q3)


def bind(namespace):
    """q1, q2, q3 bound to the notebook's namespace: q1, q2, q3 = lesson08.bind(globals())."""
    return _bind(namespace, EXERCISES)
