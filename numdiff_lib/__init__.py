"""numdiff_lib: the helper package behind the numdiff notebooks.

Layers point one way: messages (standard library) <- core (NumPy) <- plots <- widgets;
exercises on core (and SymPy); formula (SymPy) beside core. Only the core is imported here, so
`import numdiff_lib` stays fast; import the others by name. start() (numdiff_lib.course) is the
first call of every lesson.
"""

from .core import (
    METHODS,
    DescentResult,
    DivergenceWarning,
    GradCheck,
    TraceStep,
    check_gradient,
    default_step,
    format_trace,
    gradient_descent,
    hessian,
    numerical_derivative,
    second_derivative,
)

__all__ = [
    "METHODS", "DescentResult", "DivergenceWarning", "GradCheck", "TraceStep", "check_gradient",
    "default_step", "format_trace", "gradient_descent", "hessian", "numerical_derivative",
    "second_derivative",
]
__all__ += ["Formula", "FormulaError", "parse_function", "set_language", "start"]
__version__ = "0.1.0"


from .messages import set_language  # noqa: E402 — after the core, as the layers read


def __getattr__(name):
    """parse_function and friends, loaded on first use: formula imports SymPy (~1 s)."""
    if name in ("Formula", "FormulaError", "parse_function"):
        from . import formula

        return getattr(formula, name)
    if name == "start":  # the course set-up imports matplotlib when it is there
        from .course import start

        return start
    raise AttributeError(f"module 'numdiff_lib' has no attribute {name!r}")
