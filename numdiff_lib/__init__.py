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
__version__ = "0.1.0"
