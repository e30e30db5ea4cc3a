"""numdiff_lib: the helper package behind the numdiff notebooks.

Layers point one way: core (NumPy only) <- plots <- widgets; exercises and formula on core.
Only the core is imported here, so `import numdiff_lib` stays fast; import the others by name.
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
__all__ += ["Formula", "FormulaError", "parse_function"]
__version__ = "0.1.0"


def __getattr__(name):
    """parse_function and friends, loaded on first use: formula imports SymPy (~1 s)."""
    if name in ("Formula", "FormulaError", "parse_function"):
        from . import formula

        return getattr(formula, name)
    raise AttributeError(f"module 'numdiff_lib' has no attribute {name!r}")
