"""The numerical core: derivatives, gradients, Hessians, gradient descent. Imports only NumPy."""

import math
import numbers
import warnings
from typing import NamedTuple

import numpy as np

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


# --------------------------------------------------------------------------- checks


def _check_f(f):
    if not callable(f):
        hint = " Did you pass f(x), a value, instead of the function f?" if isinstance(
            f, (numbers.Number, np.ndarray)) else ""
        raise TypeError(f"f must be a function (def or lambda), got {type(f).__name__}.{hint}")


def _check_method(method):
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}.")


def _check_step(delta_x, name="delta_x", example="1e-4"):
    if isinstance(delta_x, bool) or not isinstance(delta_x, numbers.Real):
        raise TypeError(f"{name} must be a positive number such as {example}, got {delta_x!r}.")
    if not math.isfinite(delta_x) or delta_x <= 0:
        raise ValueError(f"{name} must be a positive, finite number such as {example}, "
                         f"got {delta_x!r}.")
    return float(delta_x)


def _as_float_array(x, name="x"):
    """A private float64 copy of x, so the caller's array is never touched."""
    # The message is built only on failure: repr of a big array costs milliseconds per call.
    def not_numbers():
        return f"{name} must be a number or an array of numbers, got {x!r}."

    try:
        raw = np.asarray(x)
    except ValueError as err:  # ragged nested lists
        raise TypeError(not_numbers()) from err
    if raw.dtype.kind in "SU":  # NumPy would quietly read "3" as 3.0
        raise TypeError(f"{not_numbers()[:-1]}: text; write the numbers without quotes.")
    if raw.dtype.kind == "c":  # checked first: converting would drop the imaginary part
        raise TypeError(f"{name} must be real; method='complex_step' adds the imaginary part.")
    try:
        arr = np.array(raw, dtype=np.float64)  # always a copy; ints and float32 become float64
    except (TypeError, ValueError) as err:
        raise TypeError(not_numbers()) from err
    if not np.all(np.isfinite(arr)):
        if any(v is None for v in np.asarray(x, dtype=object).reshape(-1)):
            raise TypeError(f"{name} contains None: {x!r}. Fill in every entry with a number.")
        raise ValueError(f"{name} contains NaN or inf: {x!r}. Start from finite numbers.")
    return arr


def _is_scalar(x):
    return isinstance(x, numbers.Number) and not isinstance(x, np.ndarray)


def _where(index, point):
    if isinstance(point, str):  # already a description, such as "init_x"
        return point
    if isinstance(point, np.ndarray):  # formatted only when an error needs it
        return "x = " + np.array2string(point, separator=", ", threshold=20)
    return f"x{list(index)} = {point!r}" if index else f"x = {point!r}"


_NEAR_EDGE = ("Is this point within delta_x of the edge of f's domain (log or sqrt of a negative "
              "number, division by zero) or is f overflowing? ")
_FIX_DOMAIN = _NEAR_EDGE + (
    "Use method='richardson' (it shrinks its step until the stencil fits), a point farther from "
    "the edge, or a smaller delta_x: with 'forward' or 'backward' the stencil stays inside the "
    "domain, but only a delta_x well below the distance to the edge gives a usable answer (the "
    "default 1e-4 next to sqrt at x = 1e-6 is 80% off).")


def _value(y, index, point, keep_complex=False, fix=_FIX_DOMAIN):
    """f's result as one finite number, or an error that says what to change."""
    if isinstance(y, float):  # fast path: Python and NumPy floats
        value = y
    else:
        arr = np.asarray(y)
        if arr.size != 1:
            raise ValueError(
                f"f returned an array of shape {arr.shape} at {_where(index, point)}; a derivative "
                "or gradient needs f to return one number (a scalar). Return a single value, "
                "e.g. sum the outputs into a loss, or differentiate each output separately.")
        if arr.dtype.kind not in "biufc":
            forgot = " Did you forget `return`?" if y is None else ""
            raise TypeError(f"f returned {y!r} at {_where(index, point)}; it must return a "
                            f"number.{forgot}")
        value = arr.reshape(())[()]
        value = complex(value) if keep_complex else _real(value, index, point)
    if keep_complex:
        return value
    if not math.isfinite(value):
        raise ValueError(f"f returned {value} at {_where(index, point)}. {fix}")
    return value


def _real(value, index, point):
    if np.iscomplexobj(value):
        raise TypeError(f"f returned the complex number {value} at {_where(index, point)}; "
                        "only method='complex_step' expects complex values.")
    return float(value)


def _call(f, arg, index, point, name="f"):
    """f(arg); if f raises, say where, so the learner can find the bad point."""
    try:
        return f(arg)
    except Exception as err:
        err.add_note(f"numdiff_lib: raised while evaluating {name} at {_where(index, point)}")
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
    Never changes x: f always sees a private float64 copy.
    """
    _check_f(f)
    _check_method(method)
    if delta_x is not None:
        delta_x = _check_step(delta_x)
    if trace is not None and method not in ("forward", "backward", "central"):
        raise ValueError("trace= records the two-point methods: use 'central', 'forward' or "
                         f"'backward', not {method!r}.")
    scalar = _is_scalar(x)
    arr = _as_float_array(x)
    # Every value f returns is checked below, so NumPy's own warnings would only repeat it.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        grad = _gradient(f, arr, delta_x, method, trace, vectorized, scalar)
    return float(grad.reshape(())) if scalar else grad


_STEP_RTOL = 1e-6  # warn when x + h rounds the default step by more than this (|x| > ~1e7)


def _gradient(f, arr, delta_x, method, trace, vectorized, scalar):
    if delta_x is None and method in ("forward", "backward", "central"):
        _check_step_rounding(arr, METHODS[method][1])
    if vectorized:
        if trace is not None or method == "richardson":
            raise ValueError("vectorized=True works with the fixed stencils (forward, backward, "
                             "central, five_point, complex_step), without trace=.")
        return _gradient_batched(f, arr, delta_x, method)
    return _gradient_walk(f, arr, delta_x, method, trace, scalar)


def _check_step_rounding(x, h):
    """Warn when the seed's absolute step is only roughly a step next to a large x."""
    taken = (x + h) - x  # the step x + h really makes, after rounding
    off = np.abs(taken - h) > _STEP_RTOL * h
    if off.any():
        i = int(np.argmax(off))
        x0, step = float(x.reshape(-1)[i]), float(taken.reshape(-1)[i])
        index = tuple(int(j) for j in np.unravel_index(i, x.shape)) if x.ndim else ()
        warnings.warn(
            f"the default step delta_x={h:g} is rounded next to {_where(index, x0)}: x + delta_x "
            f"moves x by {step:.6g}, {abs(step - h) / h:.1%} off, so the result is off by as "
            f"much or more. Scale the step with x (delta_x = {h:g} * |x| = {h * abs(x0):.3g} "
            "here) or use method='richardson', which scales it and checks its own error.",
            RuntimeWarning, stacklevel=4)


def _gradient_walk(f, x, delta_x, method, trace, scalar):
    """The seed's element walk, on a private copy; C order, as np.nditer visits."""
    if method in ("richardson", "complex_step"):
        return _gradient_walk_adaptive(f, x, delta_x, method, scalar)
    grad = np.empty_like(x)
    work = x.copy()
    flat = work.reshape(-1)
    # The loop below runs 2n times around f: it keeps per-element work to a few float operations
    # (no index tuples, no closures), so that the walk costs little more than f itself.
    h_fixed = delta_x if delta_x is not None else (
        None if method == "five_point" else METHODS[method][1])

    def where(i):  # the element's index, built only for a trace or an error message
        return tuple(int(j) for j in np.unravel_index(i, x.shape)) if x.ndim else ()

    def at(i, value):
        # f with element i set to value (scalars go in as plain numbers), checked.
        if not scalar:
            flat[i] = value
        try:
            y = f(value if scalar else work)
        except Exception as err:
            err.add_note(f"numdiff_lib: raised while evaluating f at {_where(where(i), value)}")
            raise
        if isinstance(y, float) and math.isfinite(y):  # fast path: Python and NumPy floats
            return y
        return _value(y, where(i), value)

    center = None  # f(x), computed once for the one-sided methods
    partials, seen = [], set()
    for i, x0 in enumerate(x.reshape(-1).tolist()):
        h = h_fixed if h_fixed is not None else default_step(method, x0)
        if x0 + h == x0 or x0 - h == x0:
            _check_visible(x0, h, where(i))
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
            trace.append(TraceStep(where(i), xp, fp, xm, fm, partial))
    grad.reshape(-1)[:] = partials
    # All perturbed values equal is fine at a symmetric point (a minimum); f(x) equal too is not.
    if x.size > 1 and len(seen) == 1 and seen == {_value(_call(f, x.copy(), (), "x"), (), "x")}:
        warnings.warn(
            "f gave exactly the same value at every perturbed point, so the gradient is all zeros."
            " Does f use its argument? A loss such as `lambda W: net.loss(x, t)` that reads the "
            "weights from elsewhere ignores the copy numdiff_lib passes in; use the argument.",
            stacklevel=3)
    return grad


def _gradient_walk_adaptive(f, x, delta_x, method, scalar):
    """The walk for richardson and complex_step, whose per-element work dwarfs the loop's."""
    grad = np.empty_like(x)
    work = x.copy()
    flat, gflat, x0s = work.reshape(-1), grad.reshape(-1), x.reshape(-1)
    for i in range(x.size):
        index = tuple(int(j) for j in np.unravel_index(i, x.shape)) if x.ndim else ()
        x0 = float(x0s[i])
        h = delta_x if delta_x is not None else default_step(method, x0)

        def at(value, index=index, i=i):
            # Evaluate f with element i set to value; scalars go in as plain numbers.
            if scalar:
                return f(value)
            flat[i] = value
            return f(work)

        if method == "richardson":
            gflat[i] = _richardson(at, x0, delta_x, index)
            flat[i] = x0
        else:
            gflat[i] = _complex_step(f, work, i, x0, h, index, scalar)
    return grad


def _check_visible(x0, h, index):
    if x0 + h == x0 or x0 - h == x0:
        raise ValueError(
            f"delta_x={h!r} is lost in rounding next to {_where(index, x0)} (x + delta_x == x), so "
            f"the difference quotient would be 0/0. Use a step of about 1e-4 * |x| "
            f"(here {1e-4 * abs(x0):.3g}), or delta_x=None with method='richardson'.")


def _complex_step(f, work, i, x0, h, index, scalar):
    if scalar:
        y = _call(f, complex(x0, h), index, complex(x0, h))
    else:
        z = work.astype(np.complex128)
        z.reshape(-1)[i] = complex(x0, h)
        y = _call(f, z, index, complex(x0, h))
    value = _value(y, index, complex(x0, h), keep_complex=True)
    if not np.iscomplexobj(np.asarray(y)):
        raise TypeError(
            f"f returned a real number for the complex input at {_where(index, x0)}, so the "
            "complex step cannot see the derivative. f must keep the imaginary part: avoid "
            "abs(), float(), np.real() and comparisons on x, or use method='richardson'.")
    partial = value.imag / h
    if not math.isfinite(partial) or not math.isfinite(value.real):
        raise ValueError(f"f returned {value} at {_where(index, complex(x0, h))} with the complex "
                         "step; use method='central' or 'richardson' for this f.")
    return partial


def _richardson(at, x0, delta_x, index):
    """Central differences at h..4h extrapolated to h -> 0; retries smaller h until it settles."""
    h = delta_x if delta_x is not None else default_step("richardson", x0)
    tries = 1 if delta_x is not None else _RICH_TRIES
    best, best_err, last_bad = None, math.inf, None
    for _ in range(tries):
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
        warnings.warn(f"richardson did not settle at {_where(index, x0)}: estimated error "
                      f"{best_err:.2g} on {best!r}. Is f smooth there?", RuntimeWarning,
                      stacklevel=4)
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


def _gradient_batched(f, x, delta_x, method):
    """All perturbed points, stacked on a last axis, evaluated a chunk at a time."""
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
            _check_visible(float(flat[i]), float(steps[i]),
                           tuple(int(j) for j in np.unravel_index(i, x.shape)) if x.ndim else ())
    center = None
    if 0.0 in offsets:  # f(x) itself, for the one-sided stencils
        center = _batched_call(f, flat.reshape(-1, 1).astype(dtype), x.shape, 1, dtype)[0]
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
                out = f(view)
            except Exception as err:
                err.add_note("numdiff_lib: raised while evaluating f at a batch of points")
                raise
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
        values[start:start + m] = _batched_call(f, buf, x.shape, m, dtype)
        buf[rows, cols] = flat[rows]
    grad = np.zeros(n)
    for o, w in zip(offsets, weights, strict=True):
        if o == 0:
            grad += w * np.full(n, center)
        else:
            col = values[moving.index(o) * n:(moving.index(o) + 1) * n]
            grad += col.imag * w if method == "complex_step" else w * col
    return (grad / steps).reshape(x.shape)


def _batched_call(f, pts, shape, k, dtype):
    out = _call(f, pts if pts.ndim == len(shape) + 1 else pts.reshape(shape + (k,)), (),
                "a batch of points")
    return _check_batch(out, shape, k, dtype)


def _check_batch(out, shape, k, dtype):
    """f's answer to a batch of k points as k finite values, or an error saying what to change."""
    if not (isinstance(out, np.ndarray) and out.shape == (k,)):
        out = np.asarray(out)
        if out.shape != (k,):
            raise ValueError(
                f"with vectorized=True, f must return one value per point: shape ({k},) for a "
                f"batch of shape {shape + (k,)}, but it returned {out.shape}. Write f so the "
                "batch sits on the last axis (x[0], x[1], ... still work), or use "
                "vectorized=False.")
    if dtype is np.complex128 and not np.iscomplexobj(out):
        raise TypeError("f dropped the imaginary part, so the complex step cannot work; "
                        "use method='richardson'.")
    check = out.real if np.iscomplexobj(out) else out
    if not np.isfinite(check).all():
        raise ValueError("f returned NaN or inf on a perturbed point; use a smaller delta_x or a "
                         "point farther from the edge of f's domain.")
    return out


# --------------------------------------------------------------------------- second order


def hessian(f, x, delta_x=None):
    """Second partials, shape x.shape + x.shape (taught in 06_second_derivatives_and_taylor).

    Central second differences, O(h^2); delta_x=None picks about 1e-4 * max(1, |x_i|).
    For a number x, returns the second derivative f''(x) as a float.
    """
    _check_f(f)
    if delta_x is not None:
        delta_x = _check_step(delta_x)
    scalar = _is_scalar(x)
    arr = _as_float_array(x)
    n = arr.size
    flat0 = arr.reshape(-1)
    steps = [delta_x if delta_x is not None else 2.0 ** round(math.log2(1e-4 * max(1, abs(v))))
             for v in flat0]
    for v, h in zip(flat0, steps, strict=True):
        _check_visible(float(v), h, ())
    work = arr.copy()
    wflat = work.reshape(-1)

    def at(moves):
        wflat[:] = flat0
        for i, d in moves:
            wflat[i] += d
        point = float(wflat[0]) if scalar else work
        return _value(_call(f, point, (), point), (), point,
                      fix=_NEAR_EDGE + "Use a smaller delta_x or a point farther from the edge.")

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # _value reports it
        H = _hessian_matrix(at, steps, n)
    return float(H[0, 0]) if scalar else H.reshape(arr.shape + arr.shape)


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
    return H


def second_derivative(f, x, delta_x=None):
    """f''(x) of a one-variable f (taught in 06_second_derivatives_and_taylor)."""
    if not _is_scalar(x):
        raise TypeError(f"second_derivative takes a number x; for arrays use hessian(f, x). "
                        f"Got {x!r}.")
    return hessian(f, x, delta_x)


# --------------------------------------------------------------------------- optimisation


def gradient_descent(f, init_x, lr=0.01, step_num=100, *, grad_f=None, **derivative_options):
    """Minimise f by x <- x - lr * grad f(x) (taught in 04_gradient_descent).

    Returns DescentResult(x, history, loss_history, diverged, message); history holds every
    point, the start included. A loss that blows up stops the run; a loss that ends higher than
    it started also sets diverged=True. A run whose x moves but whose loss does not go down
    (lr = 1 on x0² + x1² bounces for ever) keeps diverged=False but gets a message. Each case
    gives one DivergenceWarning whose message says which lr to try, instead of a flood of
    overflow warnings.
    grad_f: an analytic gradient to use instead of numerical_derivative; other keyword
    arguments (delta_x, method, vectorized) go to numerical_derivative.
    """
    _check_f(f)
    if grad_f is not None:
        _check_f(grad_f)
    lr = _check_step(lr, "lr", example="0.01")
    if isinstance(step_num, bool) or not isinstance(step_num, numbers.Integral) or step_num < 0:
        raise ValueError(f"step_num must be a whole number >= 0, got {step_num!r}.")
    x = _as_float_array(init_x, "init_x")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # _value says it
        loss0 = _value(_call(f, x.copy(), (), "init_x"), (), "init_x",
                       fix="Start from an init_x where f is defined and finite.")
    history, losses = [x.copy()], [loss0]
    limit = 1e6 * (abs(loss0) + 1.0)
    diverged, message = False, ""
    curvature = None  # f's curvature along the first step: tells which lr would have worked
    promised = 0.0    # sum of lr * |grad|^2: the decrease small enough steps would have given
    path = 0.0        # how far x travelled
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for step in range(1, step_num + 1):
            try:
                g = _descent_gradient(f, x, grad_f, derivative_options)
                new = x - lr * g
                loss = (float(np.asarray(f(new.copy()), dtype=float).reshape(()))
                        if np.all(np.isfinite(new)) else math.inf)
            except (ValueError, OverflowError, FloatingPointError, ZeroDivisionError):
                if step == 1:  # already at init_x: not the learning rate's fault
                    raise
                loss = math.inf
            if step == 1 and math.isfinite(loss):
                gsq = float(np.sum(g * g))
                if gsq > 0:
                    curvature = 2 * (loss - loss0 + lr * gsq) / (lr * lr * gsq)
            if not math.isfinite(loss) or abs(loss) > limit:
                diverged = True
                message = _blow_up_message(step, loss0, loss, lr, curvature)
                break
            promised += float(np.sum((new - x) ** 2)) / lr
            path += float(np.linalg.norm(new - x))
            x = new
            history.append(x.copy())
            losses.append(loss)
    # Round-off in the numerical gradient moves the loss by ~1e-8 relative even when it should
    # stay put, so "went up" and "did not go down" are judged with this tolerance.
    tol = 1e-6 * abs(loss0)
    change = losses[-1] - loss0
    try_lr = f"try lr={_smaller_lr(lr, curvature):g}, or smaller until the loss decreases"
    if not diverged and step_num and change > tol:
        diverged = True
        message = (f"the loss went up from {loss0:.4g} to {losses[-1]:.4g} in {step_num} steps "
                   f"with lr={lr:g}: the learning rate is too large; lower it ({try_lr}).")
    elif (not diverged and step_num and change >= -tol and promised > 10 * tol
          and path > 1e-8 * (1.0 + float(np.max(np.abs(history[0]), initial=0.0)))):
        message = (f"no progress: the loss went from {loss0:.4g} to {losses[-1]:.4g} in "
                   f"{step_num} steps with lr={lr:g}, although x moved: each step jumps across "
                   f"the minimum instead of down into it. The learning rate is too large: lower "
                   f"it ({try_lr}).")
    if message:
        warnings.warn(message, DivergenceWarning, stacklevel=2)
    return DescentResult(x, np.array(history), np.array(losses), diverged, message)


def _descent_gradient(f, x, grad_f, options):
    """The gradient at x (numerical, or grad_f's checked for shape) as a float array."""
    if grad_f is None:
        return np.asarray(numerical_derivative(f, x, **options), dtype=float).reshape(x.shape)
    return _grad_array(_call(grad_f, x.copy(), (), x, "grad_f"), x.shape)


def _grad_array(out, shape):
    """grad_f's result as a float array of x's shape, or an error that says what to change."""
    if out is None:
        raise TypeError("grad_f returned None; did you forget `return`? It must return the "
                        f"gradient: an array of shape {shape}, one entry per element of x.")
    try:
        g = np.asarray(out, dtype=float)
    except (TypeError, ValueError) as err:
        raise TypeError(f"grad_f returned {out!r}; it must return an array of numbers of shape "
                        f"{shape}, one per element of x.") from err
    if g.shape != shape:  # strict: (n, 1) for (n,) broadcasts to (n, n) in x - lr * g
        transposed = " (transposed?)" if g.ndim > 1 and g.T.shape == shape else ""
        raise ValueError(f"grad_f returned shape {g.shape}{transposed}, but x has shape {shape};"
                         " a gradient has one entry per element of x, in x's shape.")
    return g


def _smaller_lr(lr, curvature):
    """A power of ten below lr/10 and below 1/curvature (the best step along a parabola)."""
    guess = lr / 10
    if curvature is not None and math.isfinite(curvature) and curvature > 0:
        guess = min(guess, 1 / curvature)
    return 10.0 ** math.floor(math.log10(guess))


def _blow_up_message(step, loss0, loss, lr, curvature):
    where = f"diverged at step {step} (history stops at step {step - 1})"
    if loss < loss0:  # falling without end: no learning rate fixes that
        return (f"{where}: the loss fell from {loss0:.4g} to {loss:.4g} with lr={lr:g} and keeps "
                "falling. f seems to have no minimum (it is unbounded below): check f; a smaller "
                "lr only slows the fall.")
    return (f"{where}: the loss grew from {loss0:.4g} to {loss:.4g} with lr={lr:g}. The learning "
            f"rate is too large: lower it (try lr={_smaller_lr(lr, curvature):g}, or smaller "
            "until the loss decreases).")


def check_gradient(f, grad_f, x, delta_x=None, method="central"):
    """Compare an analytic gradient with the numerical one (taught in 07_gradient_checking).

    rel_error = ||num - ana|| / max(||num|| + ||ana||, tiny): stays meaningful when some
    components are zero. Rough bars in float64: < 1e-7 fine, 1e-7..1e-4 look closer, > 1e-4 wrong.
    """
    _check_f(f)
    _check_f(grad_f)
    arr = _as_float_array(x)
    # grad_f first: a wrong shape is found before the 2n evaluations of the numerical gradient.
    ana = _grad_array(_call(grad_f, arr.copy(), (), "x", "grad_f"), arr.shape)
    num = np.asarray(numerical_derivative(f, arr, delta_x, method), dtype=float)
    diff = np.abs(num - ana)
    denom = max(np.linalg.norm(num) + np.linalg.norm(ana), np.finfo(float).tiny)
    worst = tuple(int(i) for i in np.unravel_index(int(np.argmax(diff)), diff.shape)) \
        if diff.ndim else ()
    return GradCheck(float(np.linalg.norm(num - ana) / denom), num, ana, worst)


# --------------------------------------------------------------------------- display


def format_trace(steps, digits=10):
    """The walk recorded by trace= as a text table (taught in 02_partial_derivatives)."""
    head = ("index", "x+Δ", "f(x+Δ)", "x−Δ", "f(x−Δ)", "partial")
    # The partial keeps every digit: the seed lectures print it in full.
    rows = [head] + [(str(s.index), *(f"{v:.{digits}g}" for v in s[1:5]), repr(float(s.partial)))
                     for s in steps]
    widths = [max(len(r[c]) for r in rows) for c in range(len(head))]
    return "\n".join("  ".join(cell.rjust(w) for cell, w in zip(r, widths, strict=True))
                     for r in rows)
