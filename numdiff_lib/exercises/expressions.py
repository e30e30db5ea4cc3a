"""Exercises whose answer is a SymPy expression, judged in a worker process (lessons 05, 06).

SymPy work on a learner's expression can run for minutes (`Derivative(exp(x**2), (x, 120))`,
`simplify` of a large polynomial) in pure Python and C alike. Everything that evaluates or
simplifies the answer therefore runs in a numdiff_lib.guard.Worker process under a time limit:
a runaway answer is abandoned with a message, and the notebook's kernel stays responsive.

The decision: the answer's values at a few sample points against the expected expression's
(fast, and it tells which known mistake was made), then SymPy must prove the difference is 0 —
only mathematically equal forms pass, so 3.0000000001*x**2 does not.
"""

import numbers

from .. import guard
from ..messages import N_, Msg
from . import Exercise, Wrong, shown

MAX_NODES = 2000       # larger answers are refused before they are sent anywhere
VALUE_SECONDS = 8.0    # evaluating the answer at the sample points
PROOF_SECONDS = 8.0    # simplify(answer - expected) == 0
RTOL = 1e-9

_WORKER = guard.Worker(preload=("sympy",))
WORKER = _WORKER  # for exercises with their own SymPy work (lesson 06's intervals)


class ExpressionExercise(Exercise):
    """An answer that is a SymPy expression in the given variables (lessons 05, 06).

    expected: the right expression. variables: the symbol names it may use. points: sample
    points, each a dict name -> value, chosen so that no two listed mistakes agree with the
    answer at all of them (and inside the domain: x > 0 for x**b, a log's argument > 0).
    mistakes: Mistake(expression or predicate, msgid) pairs; a predicate gets the answer.
    """

    def __init__(self, var, expected, variables, points, *, mistakes=(), **kw):
        # The check's own limit covers both worker steps and the worker's start.
        kw.setdefault("seconds", VALUE_SECONDS + PROOF_SECONDS + 4)
        super().__init__(var, **kw)
        self.expected, self.variables = expected, tuple(variables)
        self.points, self.mistakes = tuple(points), tuple(mistakes)

    def judge(self, answer):
        expr = read_expression(answer, self.var, self.variables)
        for m in self.mistakes:  # predicates first: they see the form, not only the values
            if callable(m.value) and m.value(expr):
                raise Wrong(m.message, **m.fields)
        exprs = [(m.value, m.message, m.fields) for m in self.mistakes if not callable(m.value)]
        verdict = _ask("judge_values", expr, self.expected, self.points, exprs,
                       seconds=VALUE_SECONDS)
        if verdict is not None:
            raise Wrong(verdict[0], **verdict[1])
        proof = _ask("prove_equal", expr, self.expected, seconds=PROOF_SECONDS,
                     on_timeout=("timeout", {}))
        if proof is not None:
            if proof[0] == "timeout":
                return Msg(N_("equal to the answer at every test point; SymPy ran out of time "
                              "proving it equal everywhere, so simplify your expression and "
                              "check again to be sure."))
            raise Wrong(proof[0], **proof[1])
        return Msg(self.praise, **self.praise_fields)


def ask_worker(module, function, *args, seconds, on_timeout=None):
    """module.function(*args) in the SymPy worker, or Wrong when it gave up (lessons 05, 06).

    on_timeout: returned instead of raising when the worker ran out of time.
    """
    try:
        return _WORKER.call(module, function, *args, seconds=seconds)
    except guard.WorkerError as err:
        if err.reason == "timeout":
            if on_timeout is not None:
                return on_timeout
            raise Wrong(N_("evaluating your expression took longer than {seconds:g} s, so it "
                           "was stopped. Is it an unevaluated high-order Derivative or a very "
                           "large formula? Write the derivative out."), seconds=seconds) from None
        if err.reason == "memory":
            raise Wrong(N_("evaluating your expression needed too much memory, so it was "
                           "stopped. Write a smaller expression.")) from None
        raise Wrong(N_("your expression could not be evaluated ({error})."),
                    error=guard.cut(err.detail or err.reason, 200)) from None


def _ask(function, *args, seconds, on_timeout=None):
    return ask_worker("numdiff_lib.exercises._sympy_work", function, *args, seconds=seconds,
                      on_timeout=on_timeout)


def read_expression(answer, var, variables):
    """The answer as a SymPy expression in `variables`, or Wrong (lessons 05, 06)."""
    import sympy

    if isinstance(answer, str):
        raise Wrong(N_("{var} is the text {answer} (a str). Remove the quotes and build the "
                       "expression from SymPy symbols, e.g. 5*x**4 or sympy.log(x)."),
                    var=var, answer=shown(answer))
    if isinstance(answer, bool):
        raise Wrong(N_("{var} should be a SymPy expression such as 5*x**4, not {answer}."),
                    var=var, answer=shown(answer))
    if callable(answer) and not isinstance(answer, sympy.Basic):
        raise Wrong(N_("{var} is a function ({name}). Give the derivative itself as an "
                       "expression, such as 5*x**4 + 1, not a def, a lambda or a function "
                       "name such as sympy.exp without (...)."), var=var,
                    name=guard.cut(str(getattr(answer, "__name__", type(answer).__name__)), 60))
    if isinstance(answer, numbers.Number) and not isinstance(answer, sympy.Basic):
        raise Wrong(N_("{var} is the number {answer}, but the answer is a function of the "
                       "variables. Give the expression, not its value at a point."),
                    var=var, answer=shown(answer))
    if not isinstance(answer, sympy.Basic):
        raise Wrong(N_("{var} should be one SymPy expression, got {kind}."), var=var,
                    kind=type(answer).__name__)
    size = _count_nodes(answer, MAX_NODES + 1)
    if size > MAX_NODES:
        raise Wrong(N_("{var} is a very large expression (more than {limit} parts); the answer "
                       "is short. Simplify it."), var=var, limit=MAX_NODES)
    if not isinstance(answer, sympy.Expr):
        kind = (Msg(N_("an equation or comparison"))
                if isinstance(answer, (sympy.logic.boolalg.Boolean, sympy.Equality))
                else type(answer).__name__)
        raise Wrong(N_("{var} should be one SymPy expression, got {kind}. For f'(x) = 5x⁴, "
                       "write just 5*x**4."), var=var, kind=kind)
    undefined = answer.atoms(sympy.core.function.AppliedUndef)
    if undefined:
        raise Wrong(N_("{var} uses the undefined function {name}: write the formula with "
                       "SymPy's own functions (sympy.exp, sympy.log, ...)."), var=var,
                    name=sorted(map(str, undefined))[0])
    names = {s.name for s in answer.free_symbols}
    unknown = sorted(names - set(variables))
    if unknown:
        raise Wrong(N_("{var} uses the symbol(s) {unknown}; this function has only {allowed}."),
                    var=var, unknown=", ".join(unknown), allowed=", ".join(variables))
    # Symbols are matched by name, so sympy.Symbol('x', positive=True) counts as x too.
    plain = {s: sympy.Symbol(s.name) for s in answer.free_symbols}
    return answer.xreplace(plain)


def count_nodes(expr, limit):
    """Nodes of a SymPy expression, counted up to limit (size checks, lessons 05, 06)."""
    return _count_nodes(expr, limit)


def _count_nodes(expr, limit):
    import sympy

    count = 0
    for _node in sympy.preorder_traversal(expr):
        count += 1
        if count >= limit:
            break
    return count
