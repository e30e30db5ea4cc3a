"""Figures for the lessons. Each helper returns a matplotlib Figure; notebooks show it."""

import numpy as np
from matplotlib.figure import Figure

from .core import METHODS, default_step, numerical_derivative, second_derivative

FIGURE_DPI = 100     # stored lesson figures: 9 in x 100 dpi = 900 px wide, fonts >= 11 pt
FONT_SIZE = 12
# Okabe & Ito's colour-blind-safe palette (lines also differ by style or marker where it matters).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
           "#000000")


def use_style(language="en"):
    """The course's figure style for every figure made after it (numdiff_lib.start, lesson 00)."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update({
        "figure.dpi": FIGURE_DPI, "savefig.dpi": "figure", "font.size": FONT_SIZE,
        "legend.fontsize": FONT_SIZE - 1, "axes.prop_cycle": cycler(color=PALETTE),
        # Text in stored PNGs must not depend on the machine: matplotlib's own fonts only.
        "font.family": ["DejaVu Sans"], "svg.hashsalt": "numdiff",
    })


def _figure(width=6.4, height=4.0, rows=1, cols=1, **kw):
    # Figure() rather than pyplot: nothing global, nothing shown twice, no leaks in widgets.
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(rows, cols, **kw)
    return fig, axes


def _curve(f, xlim, n=400):
    xs = np.linspace(*xlim, n)
    return xs, np.array([f(float(v)) for v in xs], dtype=float)


def _grid(f, xlim, ylim, n=200):
    """f on an n×n grid; one vectorised call when f indexes its input as x[0], x[1]."""
    gx, gy = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))
    try:
        zz = np.asarray(f(np.stack([gx, gy])), dtype=float)
        if zz.shape == gx.shape:
            return gx, gy, zz
    except Exception:  # noqa: BLE001 — not vectorisable: fall back to one point at a time
        pass
    zz = np.array([f(np.array([a, b])) for a, b in zip(gx.ravel(), gy.ravel(), strict=True)])
    return gx, gy, zz.reshape(gx.shape)


def plot_function(f, xlim=(-2, 2), points=(), title="f(x)", label="f(x)"):
    """A one-variable function with marked points (taught in 01_single_variable_derivative)."""
    fig, ax = _figure()
    xs, ys = _curve(f, xlim)
    ax.plot(xs, ys, label=label)
    for p in points:
        ax.plot(p, f(p), "o", ms=8, label=f"x = {p:g}")
    ax.set(title=title, xlabel="x", ylabel="f(x)")
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


def plot_tangents(f, points, xlim=(0, 20), title="Tangent lines from the numerical derivative"):
    """f with the tangent line at each point, slopes from numerical_derivative (lesson 01)."""
    fig, ax = _figure()
    xs, ys = _curve(f, xlim)
    ax.plot(xs, ys, "k", lw=2, label="f(x)")
    for p in points:
        slope = numerical_derivative(f, p)
        ax.plot(xs, f(p) + slope * (xs - p), "--", label=f"tangent at x={p:g}, slope {slope:.4f}")
        ax.plot(p, f(p), "o", color=ax.lines[-1].get_color())
    ax.set(title=title, xlabel="x", ylabel="f(x)", ylim=(ys.min() - 0.5, ys.max() + 0.5))
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


def plot_secant(f, x0, delta_x, xlim=(0, 20), df=None):
    """Secant through x0 ± delta_x next to the tangent at x0 (lesson 01's delta_x slider)."""
    fig, ax = _figure()
    a, b = x0 - delta_x, x0 + delta_x
    # Widen the view to the two points the secant uses: a large Δx must show where it reaches.
    xlim = (min(xlim[0], a), max(xlim[1], b))
    xs, ys = _curve(f, xlim)
    secant = (f(b) - f(a)) / (2 * delta_x)
    exact = df(x0) if df is not None else numerical_derivative(f, x0, method="richardson")
    ax.plot(xs, ys, "k", lw=2, label="f(x)")
    ax.plot(xs, f(x0) + exact * (xs - x0), "g-", alpha=0.6, label=f"tangent, slope {exact:.6f}")
    ax.plot(xs, f(a) + secant * (xs - a), "r--", label=f"secant, slope {secant:.6f}")
    ax.plot([a, b], [f(a), f(b)], "ro")
    ax.axvspan(a, b, color="r", alpha=0.08)
    ax.set(title=f"Δx = {delta_x:.3g}: central-difference secant vs tangent at x = {x0:g}",
           xlabel="x", ylabel="f(x)", ylim=(ys.min() - 0.5, ys.max() + 0.5))
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    return fig


def step_errors(f, df, x0, methods=("forward", "central"), steps=None):
    """Absolute error of each method for each delta_x: {method: (steps, errors)} (lesson 01)."""
    steps = np.logspace(-15, 0, 61) if steps is None else np.asarray(steps, dtype=float)
    exact = df(x0)
    out = {}
    for m in methods:
        errs = [abs(numerical_derivative(f, x0, float(h), method=m) - exact) for h in steps]
        out[m] = (steps, np.array(errs))
    return out


def plot_step_error(f, df, x0, methods=("forward", "central"), steps=None):
    """Error vs delta_x on log-log axes: truncation falls, round-off rises (lesson 01)."""
    fig, ax = _figure(7, 4.5)
    for m, (hs, errs) in step_errors(f, df, x0, methods, steps).items():
        shown = np.where(errs > 0, errs, np.nan)  # an exact 0 has no place on a log axis
        order = METHODS[m][0]
        line, = ax.loglog(hs, shown, ".-", label=f"{m} (error $\\propto \\Delta x^{{{order}}}$)")
        best = int(np.nanargmin(shown))
        ax.plot(hs[best], shown[best], "*", ms=14, color=line.get_color(),
                label=f"best {m}: Δx ≈ {hs[best]:.0e}")
    ax.axvline(default_step("central"), color="gray", ls=":", label="default Δx = 1e-4")
    ax.set(title=f"Error of the numerical derivative at x = {x0:g}", xlabel="Δx (delta_x)",
           ylabel="|numerical − exact|")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=10)  # readable when projected
    return fig


def plot_gradient_field(f, xlim=(-4, 4), ylim=(-4, 4), n=11):
    """Contours of f(x0, x1) with arrows of −∇f, pointing downhill (lesson 02)."""
    fig, ax = _figure(6, 5.5)
    gx, gy, zz = _grid(f, xlim, ylim)
    cs = ax.contour(gx, gy, zz, levels=12, cmap="viridis", alpha=0.7)
    ax.clabel(cs, fontsize=9)
    # Arrows start 5 % inside the edges, so the outermost ones are not cut off by the axes.
    (x_lo, x_hi), (y_lo, y_hi) = xlim, ylim
    pad_x, pad_y = 0.05 * (x_hi - x_lo), 0.05 * (y_hi - y_lo)
    px, py = np.meshgrid(np.linspace(x_lo + pad_x, x_hi - pad_x, n),
                         np.linspace(y_lo + pad_y, y_hi - pad_y, n))
    grads = np.array([numerical_derivative(f, np.array([a, b]))
                      for a, b in zip(px.ravel(), py.ravel(), strict=True)])
    ax.quiver(px.ravel(), py.ravel(), -grads[:, 0], -grads[:, 1], color="C3", angles="xy",
              label="−∇f (steepest descent)")
    ax.set(title="Negative gradient field of f", xlabel="$x_0$", ylabel="$x_1$", aspect="equal")
    ax.legend(loc="upper right")
    return fig


def plot_walk(values, labels=None, title="The order the element walk visits"):
    """A matrix's cells numbered in the order numerical_derivative visits them (lesson 03)."""
    values = np.asarray(values)
    rows, cols = values.shape
    fig, ax = _figure(1.6 * cols + 1.5, 1.4 * rows + 1)
    ax.imshow(np.arange(values.size).reshape(values.shape), cmap="Blues", alpha=0.5)
    centers = []
    for k, (i, j) in enumerate(np.ndindex(values.shape)):
        name = f"{labels[k]} = " if labels else ""
        ax.text(j, i, f"step {k + 1}\n{name}{values[i, j]:g}\nindex ({i}, {j})", ha="center",
                va="center", fontsize=10)
        centers.append((j, i))
    for (x1, y1), (x2, y2) in zip(centers, centers[1:], strict=False):
        ax.annotate("", xy=(x2, y2), xytext=(x1, y1),
                    arrowprops=dict(arrowstyle="->", color="C3", lw=2, shrinkA=28, shrinkB=28))
    ax.set(title=title, xticks=range(cols), yticks=range(rows), xlabel="column", ylabel="row")
    return fig


def plot_descent(f, results, xlim=(-4.5, 4.5), ylim=(-4.5, 4.5), title="Gradient descent",
                 minimum=(0.0, 0.0)):
    """Contours of f with each run's path; results maps a label to a DescentResult (lesson 04)."""
    fig, ax = _figure(6, 5.5)
    gx, gy, zz = _grid(f, xlim, ylim)
    cs = ax.contour(gx, gy, zz, levels=15, cmap="viridis", alpha=0.5)
    ax.clabel(cs, fontsize=9, fmt="%g")  # readable when projected; 3.2e+06, not 3200000
    for label, res in results.items():
        path = res.history
        steps = len(path) - 1
        # A diverged run stops early and its points may leave the axes, so the legend says so.
        # "steps shown": a run stopped for blowing up keeps only the steps before the blow-up.
        note = f", {steps} steps shown: diverged" if res.diverged else f", {steps} steps"
        ax.plot(path[:, 0], path[:, 1], "o-", ms=4, label=f"{label}{note}")
    if results:
        start = next(iter(results.values())).history[0]
        ax.plot(start[0], start[1], "ks", ms=7, mfc="none",
                label=f"start ({start[0]:g}, {start[1]:g})")
    if minimum is not None:
        ax.plot(*minimum, "k+", ms=14, mew=2, label="minimum")
    ax.set(title=title, xlabel="$x_0$", ylabel="$x_1$", xlim=xlim, ylim=ylim, aspect="equal")
    # Lower left: the lesson's paths run from (-3, 4), upper left, towards or through the centre,
    # so that quadrant stays empty; upper right the legend would hide contour labels.
    ax.legend(loc="lower left", fontsize=10, framealpha=0.9)
    return fig


def plot_loss_curves(curves, title="Loss during training", xlabel="step", *, x=None,
                     floor=None, ax=None):
    """Loss against step for each labelled run, log scale; returns the Figure (lesson 04)."""
    # x: {label: x-values} plots a run against something else than its step (e.g. training
    # examples used so far); floor: (value, label) draws a dashed line at the lowest reachable
    # loss; ax: draw into this Axes (one panel of a larger figure) instead of a new figure.
    from matplotlib import ticker

    if ax is None:
        fig, ax = _figure()
    else:
        fig = ax.figure
    x = x or {}
    for label, losses in curves.items():
        losses = np.asarray(losses, dtype=float)
        xs = np.asarray(x.get(label, np.arange(len(losses))))
        # A loss of exactly 0 has no place on a log axis: leave a gap rather than a warning.
        ax.semilogy(xs, np.where(losses > 0, losses, np.nan), label=label)
    if floor is not None:
        value, floor_label = floor
        ax.axhline(value, color="gray", ls="--", lw=1.2, label=floor_label)
    ax.set(title=title, xlabel=xlabel, ylabel="loss (log scale)")
    ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))  # steps are whole numbers
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    return fig


def plot_check_errors(steps, curves, title="Gradient check: relative error against delta_x",
                      default_step=1e-4):
    """rel_error of check_gradient against delta_x, over the lesson's bands (lesson 07)."""
    fig, ax = _figure(7, 4.5)
    top = 3.0  # rel_error is at most 1; the headroom keeps points at 1 off the border
    # The rough float64 bars: below 1e-7 fine, up to 1e-4 look closer, above that wrong.
    for lo, hi, colour, name in ((1e-14, 1e-7, "C2", "fine"), (1e-7, 1e-4, "C1", "look closer"),
                                 (1e-4, top, "C3", "wrong")):
        ax.axhspan(lo, hi, color=colour, alpha=0.08)
        ax.text(1.01, np.sqrt(lo * min(hi, 1.0)), name, color=colour, fontsize=10,
                fontweight="bold", transform=ax.get_yaxis_transform(), va="center")
    for label, errors in curves.items():
        errors = np.asarray(errors, dtype=float)
        ax.loglog(steps, np.where(errors > 0, errors, np.nan), "o-", ms=4, label=label)
    if default_step is not None:
        ax.axvline(default_step, color="gray", ls="--", lw=1,
                   label=f"default delta_x = {default_step:.0e}".replace("e-0", "e-"))
    ax.set(title=title, xlabel="delta_x", ylabel="relative error", ylim=(1e-14, top))
    ax.grid(alpha=0.3, which="both")
    ax.legend(loc="lower left")
    return fig


def plot_coordinate(results, index=0, title="One coordinate of x, step by step"):
    """x[index] against step for each labelled DescentResult: shows creep, zigzag (lesson 04)."""
    from matplotlib import ticker

    fig, ax = _figure()
    for label, res in results.items():
        ax.plot(np.arange(len(res.history)), res.history[:, index], "o-", ms=4, label=label)
    ax.axhline(0, color="k", lw=0.8, label="minimum")
    ax.set(title=title, xlabel="step", ylabel=f"$x_{index}$")
    ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


def plot_fitted_lines(x, y, fits, title="Data and fitted lines"):
    """Scattered (x, y) data with a line y = w·x + b for each label -> (w, b) (lesson 04)."""
    fig, ax = _figure()
    ax.plot(x, y, ".", color="gray", alpha=0.7, label="data")
    xs = np.linspace(np.min(x), np.max(x), 2)
    for (label, (w, b)), style in zip(fits.items(), ("-", "--", "-.", ":") * 4, strict=False):
        ax.plot(xs, w * xs + b, style, lw=2, label=f"{label}: y = {w:.3f}x + {b:.3f}")
    ax.set(title=title, xlabel="x", ylabel="y")
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


def plot_derivatives(f, xlim=(-1, 3), marks=()):
    """f, f′ and f″ stacked, all numerical, with vertical marks (lesson 06)."""
    fig, axes = _figure(7, 7, rows=3, sharex=True)
    xs = np.linspace(*xlim, 300)
    curves = [
        ("f(x)", [f(v) for v in xs]),
        ("f′(x)", [numerical_derivative(f, float(v)) for v in xs]),
        ("f″(x)", [second_derivative(f, float(v)) for v in xs]),
    ]
    for ax, (name, ys) in zip(axes, curves, strict=True):
        ax.plot(xs, ys, label=name)
        ax.axhline(0, color="gray", lw=0.8)
        for x_mark, style in marks:
            ax.axvline(x_mark, ls=style, color="C3", lw=1)
        ax.set(ylabel=name)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left")
    axes[0].set_title("f, its first and second derivatives (numerical)")
    axes[-1].set_xlabel("x")
    return fig


def plot_taylor(f, x0, xlim=(-1, 3)):
    """f and its first-order Taylor approximation at x0 (lesson 06's expansion-point slider)."""
    fig, ax = _figure()
    xs, ys = _curve(f, xlim)
    slope = numerical_derivative(f, x0)
    ax.plot(xs, ys, "k", lw=2, label="f(x)")
    ax.plot(xs, f(x0) + slope * (xs - x0), "C1--",
            label=f"f({x0:g}) + f′({x0:g})(x − {x0:g}), slope {slope:.4g}")
    ax.plot(x0, f(x0), "C1o", ms=8)
    ax.set(title=f"First-order Taylor approximation at $x_0$ = {x0:g}", xlabel="x", ylabel="f(x)",
           ylim=(ys.min() - 1, ys.max() + 1))
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    return fig
