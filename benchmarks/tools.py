"""One adapter per tool: derivative of a scalar f at a number, or gradient at an array.

Each adapter returns (value, flag): flag is the tool's own report that the result is not to be
trusted (scipy's status), or None. Warnings and exceptions are caught by the caller.
"""

import numpy as np


def numdiff_lib_tool(core, method, **options):
    def run(f, x):
        return core.numerical_derivative(f, x, method=method, **options), None
    return run


def numdifftools_tool(f, x):
    import numdifftools as nd
    if np.ndim(x) == 0:
        return float(nd.Derivative(f)(x)), None
    return np.asarray(nd.Gradient(f)(x), dtype=float), None


def scipy_differentiate_tool(f, x):
    from scipy.differentiate import derivative, jacobian
    res = derivative(f, x) if np.ndim(x) == 0 else jacobian(f, np.asarray(x, dtype=float))
    ok = bool(np.all(res.success))
    flag = None if ok else f"status {np.atleast_1d(res.status).min()} (success=False)"
    return (float(res.df) if np.ndim(x) == 0 else np.asarray(res.df)), flag


def approx_fprime_tool(f, x):
    from scipy.optimize import approx_fprime
    if np.ndim(x) == 0:
        return float(approx_fprime(np.array([float(x)]), lambda v: f(v[0]))[0]), None
    return approx_fprime(np.asarray(x, dtype=float), f), None


def findiff_tool(acc):
    """findiff's central stencil of accuracy order acc; findiff works on grids, so the step is
    ours: h = eps**(1/(acc+1)) * max(1, |x|), the usual balance of truncation and round-off."""
    import findiff
    coef = findiff.coefficients(deriv=1, acc=acc)["center"]
    pairs = [(float(c), int(o)) for c, o in zip(coef["coefficients"], coef["offsets"],
                                                 strict=True) if abs(c) > 1e-12]
    base = np.finfo(float).eps ** (1 / (acc + 1))

    def one(f, x0):
        h = base * max(1.0, abs(x0))
        h = (x0 + h) - x0  # a step that x + h represents exactly
        return sum(c * f(x0 + o * h) for c, o in pairs) / h

    def run(f, x):
        if np.ndim(x) == 0:
            return float(one(f, float(x))), None
        x = np.asarray(x, dtype=float)
        grad = np.empty_like(x)
        for i in range(x.size):
            def fi(v, i=i):
                y = x.copy()
                y.flat[i] = v
                return f(y)
            grad.flat[i] = one(fi, float(x.flat[i]))
        return grad, None
    return run


def all_tools(core):
    """name -> adapter, in the order of the tables."""
    tools = {f"numdiff_lib {m}": numdiff_lib_tool(core, m) for m in core.METHODS}
    tools["numdifftools"] = numdifftools_tool
    tools["scipy.differentiate"] = scipy_differentiate_tool
    tools["scipy approx_fprime"] = approx_fprime_tool
    tools["findiff acc=2"] = findiff_tool(2)
    tools["findiff acc=6"] = findiff_tool(6)
    return tools
