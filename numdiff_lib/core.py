"""The numerical core: derivatives, gradients, Hessians, gradient descent.

Imports only NumPy and the standard library (its message catalog, numdiff_lib.messages,
included): every message a learner sees is looked up in their language when it is raised.
"""

import math
import numbers
import warnings
from typing import NamedTuple

import numpy as np

from .messages import _

# Error order of each method in the step h, and its default step. The two-point methods keep the
# seed lectures' absolute 1e-4 so their numbers come out bit for bit; the higher-order methods
# scale their step with |x| (the step has to stay visible next to x in floating point).
METHODS = {
    #  name           order  default step
    "forward":      (1, 1e-4),   # (f(x+h) - f(x)) / h
    "backward":     (1, 1e-4),   # (f(x) - f(x-h)) / h
    "central":      (2, 1e-4),   # (f(x+h) - f(x-h)) / 2h
    "five_point":   (4, 1e-3),   # (-f(x+2h) + 8f(x+h) - 8f(x-h) + f(x-2h)) / 12h
    "richardson":   (8, 2**-7),  # central differences at h, 2h, 3h, 4h, extrapolated to h -> 0
    "complex_step": (2, 1e-20),  # Im f(x + ih) / h: no subtraction, so no cancellation
}

# Richardson weights: with D(kh) = f' + c1 (kh)^2 + c2 (kh)^4 + ..., the combination
# sum a_k D(kh) with sum a_k = 1 and sum a_k k^(2j) = 0 cancels the h^2, h^4, h^6 terms.
_RICH_8 = np.array([56.0, -28.0, 8.0, -1.0]) / 35.0   # steps h..4h: error O(h^8)
_RICH_6 = np.array([15.0, -6.0, 1.0]) / 10.0          # steps h..3h: error O(h^6), for the estimate
_RICH_TRIES = 8         # each retry divides the step by _RICH_SHRINK
_RICH_SHRINK = 8.0
_RICH_RTOL = 1e-11      # accept when |R8 - R6| (an overestimate of R8's error) is below this
_RICH_ROUND = 1e2       # ... or when it is this many times the round-off level eps * |f| / h


class TraceStep(NamedTuple):
    """One step of the element walk (taught in 02_partial_derivatives)."""

    index: tuple
    x_plus: float
    f_plus: float
    x_minus: float
    f_minus: float
    partial: float


class GradCheck(NamedTuple):
    """Result of check_gradient (taught in 07_gradient_checking)."""

    rel_error: float
    numerical: np.ndarray
    analytic: np.ndarray
    worst_index: tuple

    def passed(self, tol=1e-7):
        """True when the relative error is below tol (1e-7 is a common bar in float64)."""
        return bool(self.rel_error < tol)


class DescentResult(NamedTuple):
    """Result of gradient_descent (taught in 04_gradient_descent)."""

    x: np.ndarray
    history: np.ndarray
    loss_history: np.ndarray
    diverged: bool
    message: str


class DivergenceWarning(RuntimeWarning):
    """Gradient descent blew up or made no progress: lower lr (taught in 04_gradient_descent)."""


class ArgumentChangedWarning(RuntimeWarning):
    """f changed the array it was given; the result was recomputed on copies (lesson 03)."""


class NonFiniteError(ValueError):
    """f returned NaN or inf at a point the derivative needs (lessons 01 and 04)."""


class _ArgumentChanged(Exception):
    """Internal: f changed the shared work array; the walk starts again with copies."""


# --------------------------------------------------------------------------- checks


def _check_f(f):
    if not callable(f):
        hint = _(" Did you pass f(x), a value, instead of the function f?") if isinstance(
            f, (numbers.Number, np.ndarray)) else ""
        raise TypeError(_("f must be a function (def or lambda), got {kind}.{hint}",
                          kind=type(f).__name__, hint=hint))


def _check_method(method):
    if method not in METHODS:
        raise ValueError(_("unknown method {method!r}; choose one of {choices}.",
                           method=method, choices=", ".join(METHODS)))


def step_text(h):
    """A step as the lessons write it: 1e-4, not 0.0001 (lessons 01-07 print it so)."""
    mantissa, exponent = f"{h:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def _check_step(delta_x, name="delta_x", example=None):
    example = example or step_text(default_step("central"))
    if isinstance(delta_x, bool) or not isinstance(delta_x, numbers.Real):
        raise TypeError(_("{name} must be a positive number such as {example}, got {value!r}.",
                          name=name, example=example, value=delta_x))
    if not math.isfinite(delta_x) or delta_x <= 0:
        raise ValueError(_("{name} must be a positive, finite number such as {example}, "
                           "got {value!r}.", name=name, example=example, value=delta_x))
    return float(delta_x)


def _check_trace(trace):
    if trace is not None and not isinstance(trace, list):
        raise TypeError(_("trace must be a list that the walk appends its steps to, e.g. "
                          "steps = []; numerical_derivative(f, x, trace=steps); got {kind}.",
                          kind=type(trace).__name__))


def _as_float_array(x, name="x"):
    """A private float64 copy of x, so the caller's array is never touched."""
    # The message is built only on failure: repr of a big array costs milliseconds per call.
    def not_numbers():
        return _("{name} must be a number or an array of numbers, got {value}.", name=name,
                 value=_short_repr(x))

    if isinstance(x, np.ma.MaskedArray):  # masked entries would be read as their fill data
        raise TypeError(_("{name} is a masked array (numpy.ma): its masked entries would be "
                          "used as ordinary numbers. Pass {name}.filled(value) or "
                          "{name}.compressed() instead.", name=name))
    if isinstance(x, int) and not isinstance(x, bool) and abs(x) > 2**1023:
        raise OverflowError(_("{name} = {value} is beyond floating point (about ±1.8e308): "
                              "numerical derivatives work in float64. Rescale the problem.",
                              name=name, value=_short_repr(x)))
    try:
        raw = np.asarray(x)
    except (ValueError, OverflowError) as err:  # ragged nested lists, huge ints inside
        raise TypeError(not_numbers()) from err
    if raw.dtype.kind in "SU":  # NumPy would quietly read "3" as 3.0
        raise TypeError(_("{name} must be a number or an array of numbers, got text: {value}; "
                          "write the numbers without quotes.", name=name, value=_short_repr(x)))
    if raw.dtype.kind == "c":  # checked first: converting would drop the imaginary part
        raise TypeError(_("{name} must be real; method='complex_step' adds the imaginary part.",
                          name=name))
    try:
        arr = np.array(raw, dtype=np.float64)  # always a copy; ints and float32 become float64
    except (TypeError, ValueError, OverflowError) as err:
        huge = [v for v in raw.reshape(-1) if isinstance(v, int) and not isinstance(v, bool)
                and abs(v) > 2**1023] if raw.dtype == object else []
        if huge:
            raise OverflowError(_("{name} contains {value}, beyond floating point (about "
                                  "±1.8e308): numerical derivatives work in float64. Rescale "
                                  "the problem.", name=name,
                                  value=_short_repr(huge[0], 60))) from err
        raise TypeError(not_numbers()) from err
    if not np.all(np.isfinite(arr)):
        if any(v is None for v in np.asarray(x, dtype=object).reshape(-1)):
            raise TypeError(_("{name} contains None: {value}. Fill in every entry with a "
                              "number.", name=name, value=_short_repr(x)))
        raise ValueError(_("{name} contains NaN or inf: {value}. Start from finite numbers.",
                           name=name, value=_short_repr(x)))
    return arr


def _short_repr(value, limit=200):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _is_scalar(x):
    return isinstance(x, numbers.Number) and not isinstance(x, np.ndarray)


def _where(index, point):
    if isinstance(point, str):  # already a description, such as "init_x"
        return point
    if callable(point):  # a description built only when an error needs it
        return point()
    if isinstance(point, np.ndarray):  # formatted only when an error needs it
        return "x = " + np.array2string(point, separator=", ", threshold=20)
    return f"x{list(index)} = {point!r}" if index else f"x = {point!r}"


def _near_edge():
    return _("Is this point within delta_x of the edge of f's domain (log or sqrt of a negative "
             "number, division by zero) or is f overflowing? ")


def _fix_domain():
    return _near_edge() + _(
        "Use method='richardson' (it shrinks its step until the stencil fits), a point farther "
        "from the edge, or a smaller delta_x: with 'forward' or 'backward' the stencil stays "
        "inside the domain, but only a delta_x well below the distance to the edge gives a "
        "usable answer (the default {step} next to sqrt at x = 1e-6 is off by 80 percent).",
        step=step_text(METHODS["central"][1]))


def _value(y, index, point, keep_complex=False, fix=None):
    """f's result as one finite number, or an error that says what to change."""
    if isinstance(y, float):  # fast path: Python and NumPy floats
        value = y
    else:
        if isinstance(y, np.ma.MaskedArray) or y is np.ma.masked:
            raise TypeError(_(
                "f returned a masked value (numpy.ma) at {where}: masked entries count as 0 and "
                "would give a wrong derivative without a word. Use np.log, np.sqrt, ... instead "
                "of np.ma.log, np.ma.sqrt, and return a plain number.",
                where=_where(index, point)))
        if type(y).__module__.startswith("sympy"):
            raise TypeError(_(
                "f returned the SymPy object {value} at {where}; numerical derivatives need a "
                "plain number. Convert it with float(...), or turn the expression into a NumPy "
                "function with sympy.lambdify(x, expr).", value=_short_repr(y, 80),
                where=_where(index, point)))
        arr = np.asarray(y)
        if arr.size != 1:
            raise ValueError(_(
                "f returned an array of shape {shape} at {where}; a derivative or gradient "
                "needs f to return one number (a scalar). Return a single value, e.g. sum the "
                "outputs into a loss, or differentiate each output separately.",
                shape=arr.shape, where=_where(index, point)))
        if arr.dtype.kind not in "biufc":
            forgot = _(" Did you forget `return`?") if y is None else ""
            raise TypeError(_("f returned {value} at {where}; it must return a number.{forgot}",
                              value=_short_repr(y, 80), where=_where(index, point),
                              forgot=forgot))
        value = arr.reshape(())[()]
        value = complex(value) if keep_complex else _real(value, index, point)
    if keep_complex:
        return value
    if not math.isfinite(value):
        raise NonFiniteError(_("f returned {value} at {where}. {fix}", value=value,
                               where=_where(index, point),
                               fix=fix if fix is not None else _fix_domain()))
    return value


def _real(value, index, point):
    if np.iscomplexobj(value):
        raise TypeError(_("f returned the complex number {value} at {where}; only "
                          "method='complex_step' expects complex values.", value=value,
                          where=_where(index, point)))
    return float(value)


def _note(err, name, where):
    """Say where f failed; IPython < 8.14 does not show notes, so numdiff_lib.start prints them."""
    err.add_note(_("numdiff_lib: raised while evaluating {name} at {where}", name=name,
                   where=where))


def _call(f, arg, index, point, name="f"):
    """f(arg); if f raises, say where, so the learner can find the bad point."""
    try:
        return f(arg)
    except Exception as err:
        _note(err, name, _where(index, point))
        raise


# --------------------------------------------------------------------------- derivatives


def default_step(method, x=0.0):
    """The step a method uses when delta_x=None (taught in 01_single_variable_derivative)."""
    _check_method(method)
    h = METHODS[method][1]
    if method in ("forward", "backward", "central", "complex_step"):
        return h
    # A power of two keeps x + k*h exact for most x, so the step really is the one we divide by.
    return 2.0 ** round(math.log2(h * max(1.0, abs(x))))


def numerical_derivative(f, x, delta_x=None, method="central", *, trace=None, vectorized=False):
    """Derivative of f at a number x, or gradient of f at an array x (taught in lessons 01-03).

    delta_x=None uses the method's default step (see METHODS and default_step).
    trace: a list to which one TraceStep per element is appended (two-point methods only).
    vectorized: f accepts a batch of points stacked on a new last axis, shape x.shape + (k,),
    and returns k values; all perturbed points are then evaluated in a few calls.
    Never changes x. f gets a private float64 array with one element moved; an f that changes
    that array in place (v -= v.mean()) is detected, warned about (ArgumentChangedWarning) and
    given a fresh copy on every call instead, so its gradient is still right.
    """
    _check_f(f)
    _check_method(method)
    _check_trace(trace)
    if delta_x is not None:
        delta_x = _check_step(delta_x)
    if trace is not None and method not in ("forward", "backward", "central"):
        raise ValueError(_("trace= records the two-point methods: use 'central', 'forward' or "
                           "'backward', not {method!r}.", method=method))
    scalar = _is_scalar(x)
    arr = _as_float_array(x)
    # Every value f returns is checked below, so NumPy's own warnings would only repeat it.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        grad = _gradient(f, arr, delta_x, method, trace, vectorized, scalar)
    return float(grad.reshape(())) if scalar else grad


_STEP_RTOL = 1e-6  # warn when x + h rounds the default step by more than this (|x| > ~1e7)
_LARGE_STEP = 100.0  # warn when delta_x is this many times max(1, |x|) or more
_HUGE_STEP = 1e150   # refuse: delta_x² (second differences) or 2·delta_x would overflow


def _check_step_size(h, arr, stacklevel):
    """Refuse a step whose square overflows; warn when it dwarfs x (lessons 01 and 06)."""
    scale = max(1.0, float(np.max(np.abs(arr), initial=0.0)))
    if h >= _HUGE_STEP:
        raise ValueError(_(
            "delta_x={h:g} is far too large: the differences overflow floating point. A step "
            "must be small next to x: use delta_x=None (the default) or a step such as {ex}.",
            h=h, ex=step_text(_scaled_step(default_step("central"), scale))))
    if h >= _LARGE_STEP * scale:
        warnings.warn(_(
            "delta_x={h:g} is far larger than x (|x| up to {scale:g}): the difference then "
            "measures f between x − {h:g} and x + {h:g}, not its slope at x, and truncation "
            "error (which grows with delta_x²) swamps the result. Use delta_x=None (the "
            "default) or a step well below |x|, such as {ex}.", h=h, scale=scale,
            ex=step_text(_scaled_step(default_step("central"), scale))),
            RuntimeWarning, stacklevel=stacklevel + 1)


def _gradient(f, arr, delta_x, method, trace, vectorized, scalar):
    if delta_x is None and method in ("forward", "backward", "central"):
        _check_step_rounding(arr, METHODS[method][1])
    if delta_x is not None:
        _check_step_size(delta_x, arr, stacklevel=3)
    if vectorized and (trace is not None or method == "richardson"):
        raise ValueError(_("vectorized=True works with the fixed stencils (forward, backward, "
                           "central, five_point, complex_step), without trace=."))
    start = len(trace) if trace is not None else 0
    try:
        if vectorized:
            return _gradient_batched(f, arr, delta_x, method, copies=False)
        return _gradient_walk(f, arr, delta_x, method, trace, scalar, copies=False)
    except _ArgumentChanged:
        pass
    # f changed the array it was given: once warned, every call gets its own copy.
    warnings.warn(_(
        "f changes the array it is given (an in-place operation such as v -= v.mean(), "
        "v[0] = 0 or v *= 2). numdiff_lib moves one element at a time on one array, so such an "
        "f would see the wrong points: the gradient was recomputed with a fresh copy for every "
        "call of f, which is slower. Write f without changing its argument, e.g. "
        "v = v - v.mean()."), ArgumentChangedWarning, stacklevel=3)
    if trace is not None:
        del trace[start:]
    if vectorized:
        return _gradient_batched(f, arr, delta_x, method, copies=True)
    return _gradient_walk(f, arr, delta_x, method, trace, scalar, copies=True)


def _check_step_rounding(x, h):
    """Warn when the seed's absolute step is only roughly a step next to a large x."""
    taken = (x + h) - x  # the step x + h really makes, after rounding
    off = np.abs(taken - h) > _STEP_RTOL * h
    if off.any():
        i = int(np.argmax(off))
        x0, step = float(x.reshape(-1)[i]), float(taken.reshape(-1)[i])
        index = tuple(int(j) for j in np.unravel_index(i, x.shape)) if x.ndim else ()
        warnings.warn(_(
            "the default step delta_x={h} is rounded next to {where}: x + delta_x moves x by "
            "{step:.6g}, {off:.1%} off, so the result is off by as much or more. Scale the step "
            "with x (delta_x = {h} * |x| = {scaled:.3g} here) or use method='richardson', "
            "which scales it and checks its own error.", h=step_text(h), where=_where(index, x0),
            step=step, off=abs(step - h) / h, scaled=h * abs(x0)),
            RuntimeWarning, stacklevel=4)


def _index_of(i, shape):
    """The index tuple of flat position i, built only for a trace or an error message."""
    return tuple(int(j) for j in np.unravel_index(i, shape)) if shape else ()


def _gradient_walk(f, x, delta_x, method, trace, scalar, copies):
    """The seed's element walk, on a private copy; C order, as np.nditer visits.

    copies=False: f gets one shared work array with element i moved (cheap); a change f makes
    to it is caught (the moved element is checked after each call, the whole array at the end)
    and raises _ArgumentChanged. copies=True: f gets a fresh copy on every call.
    """
    if method in ("richardson", "complex_step"):
        return _gradient_walk_adaptive(f, x, delta_x, method, scalar, copies)
    grad = np.empty_like(x)
    work = x.copy()
    flat = work.reshape(-1)
    # The loop below runs 2n times around f: it keeps per-element work to a few float operations
    # (no index tuples, no closures), so that the walk costs little more than f itself.
    h_fixed = delta_x if delta_x is not None else (
        None if method == "five_point" else METHODS[method][1])

    def at(i, value):
        # f with element i set to value (scalars go in as plain numbers), checked.
        if scalar:
            arg = value
        else:
            flat[i] = value
            arg = work.copy() if copies else work
        try:
            y = f(arg)
        except Exception as err:
            _note(err, "f", _where(_index_of(i, x.shape), value))
            raise
        if not (scalar or copies) and flat[i] != value:
            raise _ArgumentChanged
        if isinstance(y, float) and math.isfinite(y):  # fast path: Python and NumPy floats
            return y
        return _value(y, _index_of(i, x.shape), value)

    center = None  # f(x), computed once for the one-sided methods
    partials, seen = [], set()
    for i, x0 in enumerate(x.reshape(-1).tolist()):
        h = h_fixed if h_fixed is not None else default_step(method, x0)
        if x0 + h == x0 or x0 - h == x0:
            _check_visible(x0, h, _index_of(i, x.shape))
        if method == "central":
            xp, xm = x0 + h, x0 - h
            fp, fm = at(i, xp), at(i, xm)
            partial = (fp - fm) / (2 * h)
        elif method == "five_point":
            vals = [at(i, x0 + k * h) for k in (2, 1, -1, -2)]
            fp, fm, xp, xm = vals[1], vals[2], x0 + h, x0 - h
            partial = (-vals[0] + 8 * vals[1] - 8 * vals[2] + vals[3]) / (12 * h)
        else:
            if center is None:
                center = _value(_call(f, x0 if scalar else x.copy(), (), x0), (), x0)
            if method == "forward":
                xp, xm, fm = x0 + h, x0, center
                fp = at(i, xp)
                partial = (fp - fm) / h
            else:  # backward
                xp, xm, fp = x0, x0 - h, center
                fm = at(i, xm)
                partial = (fp - fm) / h
        if not scalar:
            flat[i] = x0  # put the element back before moving on
        partials.append(partial)
        if len(seen) < 2:
            seen.update((fp, fm))
        if trace is not None:
            trace.append(TraceStep(_index_of(i, x.shape), xp, fp, xm, fm, partial))
    if not (scalar or copies) and not np.array_equal(work, x):
        raise _ArgumentChanged  # f changed other elements than the one moved
    grad.reshape(-1)[:] = partials
    # All perturbed values equal is fine at a symmetric point (a minimum); f(x) equal too is not.
    if x.size > 1 and len(seen) == 1 and seen == {_value(_call(f, x.copy(), (), "x"), (), "x")}:
        warnings.warn(_(
            "f gave exactly the same value at every perturbed point, so the gradient is all "
            "zeros. Does f use its argument? A loss such as `lambda W: net.loss(x, t)` that reads "
            "the weights from elsewhere ignores the copy numdiff_lib passes in; use the "
            "argument."), stacklevel=4)
    return grad


def _gradient_walk_adaptive(f, x, delta_x, method, scalar, copies):
    """The walk for richardson and complex_step, whose per-element work dwarfs the loop's."""
    grad = np.empty_like(x)
    work = x.copy()
    flat, gflat, x0s = work.reshape(-1), grad.reshape(-1), x.reshape(-1)
    for i in range(x.size):
        index = _index_of(i, x.shape)
        x0 = float(x0s[i])
        h = delta_x if delta_x is not None else default_step(method, x0)

        def at(value, i=i):
            # Evaluate f with element i set to value; scalars go in as plain numbers.
            if scalar:
                return f(value)
            flat[i] = value
            y = f(work.copy() if copies else work)
            if not copies and flat[i] != value:
                raise _ArgumentChanged
            return y

        if method == "richardson":
            gflat[i] = _richardson(at, x0, delta_x, index)
            flat[i] = x0
        else:  # each complex point is a fresh array: f cannot reach the others
            gflat[i] = _complex_step(f, work, i, x0, h, index, scalar)
    if not (scalar or copies) and not np.array_equal(work, x):
        raise _ArgumentChanged
    return grad


def _check_visible(x0, h, index):
    if x0 + h == x0 or x0 - h == x0:
        raise ValueError(_(
            "delta_x={h!r} is lost in rounding next to {where} (x + delta_x == x), so the "
            "difference quotient would be 0/0. Use a step of about {rel} * |x| (here "
            "{scaled:.3g}), or delta_x=None with method='richardson'.", h=h,
            where=_where(index, x0), rel=step_text(METHODS["central"][1]),
            scaled=METHODS["central"][1] * abs(x0)))


def _complex_step(f, work, i, x0, h, index, scalar):
    if scalar:
        y = _call(f, complex(x0, h), index, complex(x0, h))
    else:
        z = work.astype(np.complex128)
        z.reshape(-1)[i] = complex(x0, h)
        y = _call(f, z, index, complex(x0, h))
    value = _value(y, index, complex(x0, h), keep_complex=True)
    if not np.iscomplexobj(np.asarray(y)):
        raise TypeError(_(
            "f returned a real number for the complex input at {where}, so the complex step "
            "cannot see the derivative. f must keep the imaginary part: avoid abs(), float(), "
            "np.real() and comparisons on x, or use method='richardson'.",
            where=_where(index, x0)))
    partial = value.imag / h
    if not math.isfinite(partial) or not math.isfinite(value.real):
        raise NonFiniteError(_("f returned {value} at {where} with the complex step; use "
                               "method='central' or 'richardson' for this f.", value=value,
                               where=_where(index, complex(x0, h))))
    return partial


def _richardson(at, x0, delta_x, index):
    """Central differences at h..4h extrapolated to h -> 0; retries smaller h until it settles."""
    h = delta_x if delta_x is not None else default_step("richardson", x0)
    tries = 1 if delta_x is not None else _RICH_TRIES
    best, best_err, last_bad = None, math.inf, None
    for _attempt in range(tries):
        try:
            _check_visible(x0, h, index)
            d = []
            for k in (1, 2, 3, 4):
                fp = _value(_call(at, x0 + k * h, index, x0 + k * h), index, x0 + k * h)
                fm = _value(_call(at, x0 - k * h, index, x0 - k * h), index, x0 - k * h)
                d.append((fp - fm) / (2 * k * h))
                scale = max(abs(fp), abs(fm))
        except ValueError as err:  # NaN/inf or a lost step: the stencil left f's domain
            last_bad = err
            if delta_x is not None:
                raise
            h /= _RICH_SHRINK
            continue
        r8, r6 = float(_RICH_8 @ d), float(_RICH_6 @ d[:3])
        err = abs(r8 - r6)
        if err < best_err:
            best, best_err = r8, err
        # Accept once the estimate is small next to the result, or at round-off level.
        if err <= _RICH_RTOL * abs(r8) or err <= _RICH_ROUND * np.finfo(float).eps * scale / h:
            return r8
        h /= _RICH_SHRINK
    if best is None:
        raise last_bad
    if delta_x is None:
        warnings.warn(_("richardson did not settle at {where}: estimated error {error:.2g} on "
                        "{best!r}. Is f smooth there?", where=_where(index, x0), error=best_err,
                        best=best), RuntimeWarning, stacklevel=6)
    return best


# Stencils for the batched path: offsets (in units of h) and weights (divided by h).
_STENCILS = {
    "forward": ((1.0, 0.0), (1.0, -1.0)),
    "backward": ((0.0, -1.0), (1.0, -1.0)),
    "central": ((1.0, -1.0), (0.5, -0.5)),
    "five_point": ((2.0, 1.0, -1.0, -2.0), (-1 / 12, 8 / 12, -8 / 12, 1 / 12)),
}
# Points per call of a vectorised f: with 128 points on the last axis, NumPy's reductions over
# the first axis (np.sum(x, axis=0)) run along rows long enough to be fast, and f's per-call
# cost is shared by 128 points. A batch larger than about the cache (8 MB) makes f slower per
# point than separate calls on one point each: then the points go one at a time, still on the
# batch layout, which costs what the walk costs. Measured on sum(x**2): see benchmarks/speed.md.
_BATCH_COLUMNS = 128
_BATCH_MAX_BYTES = 2**23


def _batch_size(n, points, itemsize=8):
    """How many perturbed points to evaluate per call of a vectorised f (n = x.size)."""
    if n * _BATCH_COLUMNS * itemsize > _BATCH_MAX_BYTES:
        return 1
    return int(max(1, min(points, _BATCH_COLUMNS)))


def _gradient_batched(f, x, delta_x, method, copies):
    """All perturbed points, stacked on a last axis, evaluated a chunk at a time.

    copies=False: f gets one reused batch buffer, and a change f makes to it is caught (the
    moved entries after each call, the whole buffer at the end); copies=True: a fresh copy.
    """
    n = x.size
    flat = x.reshape(-1)
    if delta_x is None and method == "five_point":  # the only default step that depends on x
        steps = np.array([default_step(method, v) for v in flat.tolist()])
    else:
        steps = np.full(n, delta_x if delta_x is not None else default_step(method))
    if method == "complex_step":
        offsets, weights, dtype = (1j,), (1.0,), np.complex128
    else:
        (offsets, weights), dtype = _STENCILS[method], np.float64
        lost = (flat + steps == flat) | (flat - steps == flat)
        if lost.any():
            i = int(np.argmax(lost))
            _check_visible(float(flat[i]), float(steps[i]), _index_of(i, x.shape))
    center = None
    if 0.0 in offsets:  # f(x) itself, for the one-sided stencils
        center = _batched_call(f, flat.reshape(-1, 1).astype(dtype), x.shape, 1, dtype, True)[0]
    moving = [o for o in offsets if o != 0]
    # Column c of the batch is x with element c % n moved by o*h, o = moving[c // n].
    moved = np.concatenate([flat + o * steps for o in moving])
    total = moved.size
    k = _batch_size(n, total, np.dtype(dtype).itemsize)
    values = np.empty(total, dtype)
    # One buffer of k copies of x, reused: each chunk moves its k elements, f reads the batch,
    # and the elements are put back (O(k) work per chunk instead of O(n k) to rebuild it).
    buf = np.empty((n, k), dtype)
    buf[...] = flat[:, None]
    if k == 1:  # one point per call: plain element updates, as cheap as the walk's
        view, bflat, fl = buf.reshape(x.shape + (1,)), buf.reshape(-1), flat.tolist()
        kind, mv = np.dtype(dtype).kind, moved.tolist()
        for c in range(total):
            i = c % n
            bflat[i] = mv[c]
            try:
                out = f(view.copy() if copies else view)
            except Exception as err:
                _note(err, "f", _("a batch of points"))
                raise
            if not copies and bflat[i] != mv[c]:
                raise _ArgumentChanged
            # Fast path for the expected answer, one finite value; anything else gets the checks.
            if not (type(out) is np.ndarray and out.shape == (1,) and out.dtype.kind == kind
                    and math.isfinite(out[0].real)):
                out = _check_batch(out, x.shape, 1, dtype)
            values[c] = out[0]
            bflat[i] = fl[i]
    for start in range(0, total if k > 1 else 0, k):
        m = min(k, total - start)
        if m < k:  # the last, narrower chunk gets its own contiguous buffer
            buf = np.empty((n, m), dtype)
            buf[...] = flat[:, None]
        rows, cols = np.arange(start, start + m) % n, np.arange(m)
        buf[rows, cols] = moved[start:start + m]
        values[start:start + m] = _batched_call(f, buf, x.shape, m, dtype, copies)
        if not copies and not np.array_equal(buf[rows, cols], moved[start:start + m]):
            raise _ArgumentChanged
        buf[rows, cols] = flat[rows]
    if not copies and not np.array_equal(buf, np.broadcast_to(flat[:, None], buf.shape)):
        raise _ArgumentChanged
    grad = np.zeros(n)
    for o, w in zip(offsets, weights, strict=True):
        if o == 0:
            grad += w * np.full(n, center)
        else:
            col = values[moving.index(o) * n:(moving.index(o) + 1) * n]
            grad += col.imag * w if method == "complex_step" else w * col
    return (grad / steps).reshape(x.shape)


def _batched_call(f, pts, shape, k, dtype, copies):
    batch = pts if pts.ndim == len(shape) + 1 else pts.reshape(shape + (k,))
    out = _call(f, batch.copy() if copies else batch, (), _("a batch of points"))
    return _check_batch(out, shape, k, dtype)


def _check_batch(out, shape, k, dtype):
    """f's answer to a batch of k points as k finite values, or an error saying what to change."""
    if not (isinstance(out, np.ndarray) and out.shape == (k,)):
        out = np.asarray(out)
        if out.shape != (k,):
            raise ValueError(_(
                "with vectorized=True, f must return one value per point: shape ({k},) for a "
                "batch of shape {batch}, but it returned {got}. Write f so the batch sits on "
                "the last axis (x[0], x[1], ... still work), or use vectorized=False.",
                k=k, batch=shape + (k,), got=out.shape))
    if dtype is np.complex128 and not np.iscomplexobj(out):
        raise TypeError(_("f dropped the imaginary part, so the complex step cannot work; "
                          "use method='richardson'."))
    check = out.real if np.iscomplexobj(out) else out
    if not np.isfinite(check).all():
        raise NonFiniteError(_("f returned NaN or inf on a perturbed point; use a smaller "
                               "delta_x or a point farther from the edge of f's domain."))
    return out


# --------------------------------------------------------------------------- second order

_EPS = float(np.finfo(float).eps)


def _scaled_step(base, v):
    """base * max(1, |v|), rounded to a power of two (x + h then moves x by exactly h)."""
    return 2.0 ** round(math.log2(base * max(1.0, abs(v))))


def hessian(f, x, delta_x=None, *, _stacklevel=2):  # 2: warnings point at the caller
    """Second partials, shape x.shape + x.shape (taught in 06_second_derivatives_and_taylor).

    Central second differences, O(h^2); delta_x=None picks default_step("central") scaled with
    |x_i|: about 1e-4 * max(1, |x_i|). For a number x, returns f''(x) as a float.
    A delta_x so small that round-off (about eps * |f| / delta_x**2) swamps the second
    differences gets a RuntimeWarning that says which step to use.
    """
    _check_f(f)
    if delta_x is not None:
        delta_x = _check_step(delta_x)
    scalar = _is_scalar(x)
    arr = _as_float_array(x)
    n = arr.size
    flat0 = arr.reshape(-1)
    base = default_step("central")
    if delta_x is not None:
        _check_step_size(delta_x, arr, stacklevel=_stacklevel)
    steps = [delta_x if delta_x is not None else _scaled_step(base, v) for v in flat0]
    for i, (v, h) in enumerate(zip(flat0.tolist(), steps, strict=True)):
        _check_visible(v, h, () if scalar else _index_of(i, arr.shape))
    work = arr.copy()
    wflat = work.reshape(-1)
    fix = _near_edge() + _("Use a smaller delta_x or a point farther from the edge.")

    def at(moves):
        wflat[:] = flat0  # a fresh point every call: an f that changes its argument is harmless
        for i, d in moves:
            wflat[i] += d
        point = float(wflat[0]) if scalar else work

        def where():  # which elements were nudged, as numerical_derivative's errors say
            names = ["x" if scalar else "x" + str(list(_index_of(i, arr.shape))) for i, _d in moves]
            moved = ", ".join(_("{name} moved by {d:+.3g}", name=name, d=d)
                              for name, (_i, d) in zip(names, moves, strict=True))
            return _where((), point) + (f" ({moved})" if moved else "")

        return _value(_call(f, point, (), where), (), where, fix=fix)

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # _value reports it
        H, f0 = _hessian_matrix(at, steps, n)
    if delta_x is not None:
        _warn_round_off(delta_x, f0, flat0, _stacklevel)
    return float(H[0, 0]) if scalar else H.reshape(arr.shape + arr.shape)


def _warn_round_off(h, f0, flat0, stacklevel):
    """Warn when round-off in the second differences is larger than their truncation error."""
    best = _EPS ** 0.25 * max(1.0, float(np.max(np.abs(flat0), initial=0.0)))
    round_off = 2 * _EPS * max(abs(f0), 1.0) / h**2
    if h < 1e-2 * best:
        warnings.warn(_(
            "delta_x={h:g} is too small for second differences: round-off alone can reach "
            "2·eps·|f|/delta_x² = {err:.2g}, which swamps the result (lesson 06 shows why). Use "
            "delta_x=None (about {best:.0e} here) or a step near eps^(1/4)·max(1, |x|).",
            h=h, err=round_off, best=_scaled_step(default_step("central"), best)),
            RuntimeWarning, stacklevel=stacklevel + 1)


def _hessian_matrix(at, steps, n):
    """Central second differences; the mixed ones from the four corners (i±h, j±h)."""
    f0 = at(())
    H = np.empty((n, n))
    for i in range(n):
        hi = steps[i]
        H[i, i] = (at(((i, hi),)) - 2 * f0 + at(((i, -hi),))) / hi**2
        for j in range(i):
            hj = steps[j]
            corners = (at(((i, hi), (j, hj))) - at(((i, hi), (j, -hj)))
                       - at(((i, -hi), (j, hj))) + at(((i, -hi), (j, -hj))))
            H[i, j] = H[j, i] = corners / (4 * hi * hj)  # one value for both: exactly symmetric
    return H, f0


def second_derivative(f, x, delta_x=None):
    """f''(x) of a one-variable f (taught in 06_second_derivatives_and_taylor)."""
    if not _is_scalar(x):
        raise TypeError(_("second_derivative takes a number x; for arrays use hessian(f, x). "
                          "Got {x}.", x=_short_repr(x)))
    return hessian(f, x, delta_x, _stacklevel=3)


# --------------------------------------------------------------------------- optimisation


def gradient_descent(f, init_x, lr=0.01, step_num=100, *, grad_f=None, **derivative_options):
    """Minimise f by x <- x - lr * grad f(x) (taught in 04_gradient_descent).

    Returns DescentResult(x, history, loss_history, diverged, message); history holds every
    point, the start included. A loss that blows up (f returns NaN or inf, or grows a millionfold)
    stops the run; a loss that ends higher than it started also sets diverged=True. A run whose
    x moves but whose loss does not go down (lr = 1 on x0² + x1² bounces for ever) keeps
    diverged=False but gets a message, and so does an lr too small to move x at all. Each case
    gives one DivergenceWarning whose message says which lr to try. An error raised by f or
    grad_f itself is not divergence: it propagates, with a note naming the step and the point.
    grad_f: an analytic gradient to use instead of numerical_derivative; other keyword
    arguments (delta_x, method, vectorized) go to numerical_derivative.
    """
    _check_f(f)
    if grad_f is not None:
        _check_f(grad_f)
    lr = _check_step(lr, "lr", example="0.01")
    if isinstance(step_num, bool) or not isinstance(step_num, numbers.Integral) or step_num < 0:
        raise ValueError(_("step_num must be a whole number >= 0, got {value!r}.",
                           value=step_num))
    x = _as_float_array(init_x, "init_x")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # _value says it
        loss0 = _value(_call(f, x.copy(), (), "init_x"), (), "init_x",
                       fix=_("Start from an init_x where f is defined and finite."))
    history, losses = [x.copy()], [loss0]
    limit = 1e6 * (abs(loss0) + 1.0)
    diverged, message = False, ""
    curvature = None  # f's curvature along the first step: tells which lr would have worked
    promised = 0.0    # sum of lr * |grad|^2: the decrease small enough steps would have given
    path = 0.0        # how far x travelled
    pushed = False    # some step had a non-zero gradient
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for step in range(1, step_num + 1):
            try:
                g = _descent_gradient(f, x, grad_f, derivative_options)
                new = x - lr * g
                loss = _descent_loss(f, new)
            except NonFiniteError:  # f's value (or a stencil point's) is NaN or inf
                if step == 1:  # already at init_x: not the learning rate's fault
                    raise
                loss = math.inf
            except Exception as err:  # the learner's f or grad_f failed: say where, re-raise
                err.add_note(_("numdiff_lib: at step {step} of gradient descent (lr={lr:g}), "
                               "from {where}. If x has run far from init_x, a smaller lr may "
                               "keep it where f is defined.", step=step, lr=lr,
                               where=_where((), x)))
                raise
            if step == 1 and math.isfinite(loss):
                gsq = float(np.sum(g * g))
                if lr * lr * gsq > 0:  # lr = 1e-200 squares to 0
                    curvature = 2 * (loss - loss0 + lr * gsq) / (lr * lr * gsq)
            if not math.isfinite(loss) or abs(loss) > limit:
                diverged = True
                message = _blow_up_message(step, loss0, loss, lr, curvature, losses[-1])
                break
            pushed = pushed or bool(np.any(g != 0))
            promised += float(np.sum((new - x) ** 2)) / lr
            path += float(np.linalg.norm(new - x))
            x = new
            history.append(x.copy())
            losses.append(loss)
    if not diverged:
        message, diverged = _quiet_run_message(loss0, losses, step_num, lr, curvature, promised,
                                               path, pushed, history[0])
    if message:
        warnings.warn(message, DivergenceWarning, stacklevel=2)
    return DescentResult(x, np.array(history), np.array(losses), diverged, message)


def _quiet_run_message(loss0, losses, step_num, lr, curvature, promised, path, pushed, start):
    """(message, diverged) for a run that did not blow up: went up, no progress, never moved."""
    if not step_num:
        return "", False
    # Round-off in the numerical gradient moves the loss by ~1e-8 relative even when it should
    # stay put, so "went up" and "did not go down" are judged with this tolerance.
    tol = 1e-6 * abs(loss0)
    change = losses[-1] - loss0
    try_lr = _("try lr={lr:g}, or smaller until the loss decreases",
               lr=_smaller_lr(lr, curvature))
    if change > tol:
        return _("the loss went up from {loss0:.4g} to {loss:.4g} in {steps} steps with "
                 "lr={lr:g}: the learning rate is too large; lower it ({try_lr}).",
                 loss0=loss0, loss=losses[-1], steps=step_num, lr=lr, try_lr=try_lr), True
    if change >= -tol and promised > 10 * tol and path > 1e-8 * (
            1.0 + float(np.max(np.abs(start), initial=0.0))):
        return _("no progress: the loss went from {loss0:.4g} to {loss:.4g} in {steps} steps "
                 "with lr={lr:g}, although x moved: each step jumps across the minimum instead "
                 "of down into it. The learning rate is too large: lower it ({try_lr}).",
                 loss0=loss0, loss=losses[-1], steps=step_num, lr=lr, try_lr=try_lr), False
    if path == 0 and pushed:
        return _("x did not move in {steps} steps: lr={lr:g} is so small that x - lr·∇f rounds "
                 "back to x. Raise the learning rate (try lr=0.01 and adjust).",
                 steps=step_num, lr=lr), False
    return "", False


def _descent_loss(f, new):
    """f at the new point, checked; NonFiniteError when the step left f's finite values."""
    if not np.all(np.isfinite(new)):
        raise NonFiniteError("x is no longer finite")
    return _value(_call(f, new.copy(), (), new), (), new)


def _descent_gradient(f, x, grad_f, options):
    """The gradient at x (numerical, or grad_f's checked for shape) as a float array."""
    if grad_f is None:
        return np.asarray(numerical_derivative(f, x, **options), dtype=float).reshape(x.shape)
    g = _grad_array(_call(grad_f, x.copy(), (), x, "grad_f"), x.shape)
    if not np.all(np.isfinite(g)):
        raise NonFiniteError("grad_f returned NaN or inf")
    return g


def _grad_array(out, shape):
    """grad_f's result as a float array of x's shape, or an error that says what to change."""
    if out is None:
        raise TypeError(_("grad_f returned None; did you forget `return`? It must return the "
                          "gradient: an array of shape {shape}, one entry per element of x.",
                          shape=shape))
    try:
        g = np.asarray(out, dtype=float)
    except (TypeError, ValueError) as err:
        raise TypeError(_("grad_f returned {value}; it must return an array of numbers of shape "
                          "{shape}, one per element of x.", value=_short_repr(out, 80),
                          shape=shape)) from err
    if g.shape != shape:  # strict: (n, 1) for (n,) broadcasts to (n, n) in x - lr * g
        transposed = _(" (transposed?)") if g.ndim > 1 and g.T.shape == shape else ""
        raise ValueError(_("grad_f returned shape {got}{transposed}, but x has shape {shape}; "
                           "a gradient has one entry per element of x, in x's shape.",
                           got=g.shape, transposed=transposed, shape=shape))
    return g


def _smaller_lr(lr, curvature):
    """A power of ten below lr/10 and below 1/curvature (the best step along a parabola)."""
    guess = lr / 10
    if curvature is not None and math.isfinite(curvature) and curvature > 0:
        guess = min(guess, 1 / curvature)
    return 10.0 ** math.floor(math.log10(guess)) if guess > 0 else lr / 10


def _blow_up_message(step, loss0, loss, lr, curvature, previous):
    where = _("diverged at step {step} (history stops at step {last})", step=step,
              last=step - 1)
    if loss < loss0:  # falling without end: no learning rate fixes that
        return where + _(": the loss fell from {loss0:.4g} to {loss:.4g} with lr={lr:g} and "
                         "keeps falling. f seems to have no minimum (it is unbounded below): "
                         "check f; a smaller lr only slows the fall.", loss0=loss0, loss=loss,
                         lr=lr)
    return where + _(": the loss jumped from {previous:.4g} to {loss:.4g} at that step (it "
                     "started at {loss0:.4g}) with lr={lr:g}. The learning rate is too large: "
                     "lower it (try lr={smaller:g}, or smaller until the loss decreases).",
                     previous=previous, loss0=loss0, loss=loss, lr=lr,
                     smaller=_smaller_lr(lr, curvature))


def check_gradient(f, grad_f, x, delta_x=None, method="central"):
    """Compare an analytic gradient with the numerical one (taught in 07_gradient_checking).

    rel_error = ||num - ana|| / max(||num|| + ||ana||, tiny): stays meaningful when some
    components are zero. Rough bars in float64: < 1e-7 fine, 1e-7..1e-4 look closer, > 1e-4 wrong.
    """
    _check_f(f)
    _check_f(grad_f)
    arr = _as_float_array(x)
    if arr.size == 0:
        raise ValueError(_("x is empty (shape {shape}): there is no gradient to check. Pass the "
                           "point whose gradient you want to compare.", shape=arr.shape))
    # grad_f first: a wrong shape is found before the 2n evaluations of the numerical gradient.
    ana = _grad_array(_call(grad_f, arr.copy(), (), "x", "grad_f"), arr.shape)
    if not np.all(np.isfinite(ana)):
        raise NonFiniteError(_("grad_f returned NaN or inf at x: {value}. Check the formula "
                               "(a division by zero, a log of 0?).", value=_short_repr(ana)))
    num = np.asarray(numerical_derivative(f, arr, delta_x, method), dtype=float)
    diff = np.abs(num - ana)
    denom = max(np.linalg.norm(num) + np.linalg.norm(ana), np.finfo(float).tiny)
    worst = _index_of(int(np.argmax(diff)), diff.shape)
    return GradCheck(float(np.linalg.norm(num - ana) / denom), num, ana, worst)


# --------------------------------------------------------------------------- display


def format_trace(steps, digits=10):
    """The walk recorded by trace= as a text table (taught in 02_partial_derivatives)."""
    head = (_("index"), "x+Δ", "f(x+Δ)", "x−Δ", "f(x−Δ)", _("partial"))
    # The partial keeps every digit: the seed lectures print it in full.
    rows = [head] + [(str(s.index), *(f"{v:.{digits}g}" for v in s[1:5]), repr(float(s.partial)))
                     for s in steps]
    widths = [max(_display_width(r[c]) for r in rows) for c in range(len(head))]
    return "\n".join("  ".join(" " * (w - _display_width(cell)) + cell
                               for cell, w in zip(r, widths, strict=True)) for r in rows)


def _display_width(text):
    """Columns text takes in a monospaced font: Hangul and other wide characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
