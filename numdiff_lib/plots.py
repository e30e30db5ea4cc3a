"""Figures for the lessons. Each helper returns a matplotlib Figure; notebooks show it.

The sliders of lessons 01, 04, 05 and 06 use "live" figures (LiveFigure): built once, then
updated in place (set_data, set_offsets, text) on every slider move and rendered to PNG, so a
move costs one render, not a rebuilt figure. The static plot_* helpers draw the same figures.
Figure text is translated (numdiff_lib.messages) and drawn in a font that has its glyphs.
"""

import io
import math
import textwrap
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.text import Text

from .core import METHODS, default_step, numerical_derivative, second_derivative, step_text
from .messages import N_, _

FIGURE_DPI = 100     # stored lesson figures: 9 in x 100 dpi = 900 px wide
WIDTH = 9.0          # inches: every lesson figure is at least 900 px wide as stored
FONT_SIZE = 12       # no text below 11 pt (legends 11, contour labels 11)
SMALL = FONT_SIZE - 1
# Okabe & Ito's colour-blind-safe palette; lines also differ by style or marker where it matters.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
           "#000000")
BLUE, VERMILLION, GREEN, PURPLE, ORANGE, SKY, YELLOW, BLACK = PALETTE


def use_style(language="en"):
    """The course's figure style for every figure made after it (numdiff_lib.start, lesson 00)."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update({
        "figure.dpi": FIGURE_DPI, "savefig.dpi": "figure", "font.size": FONT_SIZE,
        "legend.fontsize": SMALL, "axes.prop_cycle": cycler(color=PALETTE),
        "figure.figsize": (WIDTH, 5.5), "svg.hashsalt": "numdiff",
        # Text in stored PNGs must not depend on the machine: fonts shipped with matplotlib or
        # with numdiff_lib only.
        "font.family": _font_family(language),
    })


KOREAN_FONTS = [Path(__file__).with_name("fonts") / name  # OFL: fonts/OFL.txt
                for name in ("NanumSquareRoundR.ttf", "NanumSquareRoundB.ttf")]


def _font_family(language):
    """DejaVu Sans (shipped with matplotlib); for Korean, NanumSquareRound first (shipped here):
    the same glyphs on Colab, macOS, Windows, Binder and Linux, whatever fonts they have."""
    if language != "ko":
        return ["DejaVu Sans"]
    from matplotlib import font_manager

    known = {f.fname for f in font_manager.fontManager.ttflist}
    for path in KOREAN_FONTS:  # regular and bold (titles, fontweight="bold")
        if str(path) not in known:
            font_manager.fontManager.addfont(str(path))
    # DejaVu Sans after it draws what NanumSquareRound lacks: the minus sign U+2212, ≈, ‴, ⁻
    # (NanumSquare, its sibling, lists ≈ ‴ ⁻ but draws them blank: no fallback would happen).
    _log_labels_with_a_minus()
    return ["NanumSquareRound", "DejaVu Sans"]


def _log_labels_with_a_minus():
    """Log-axis labels are mathtext, $\\mathdefault{10^{-4}}$, drawn in the text font without
    fallback: with NanumSquareRound, which has no minus sign, 10⁻⁴ would show a box. \\mathregular
    draws them in mathtext's own font instead (what DejaVu Sans would draw anyway)."""
    from matplotlib import ticker

    cls = ticker.LogFormatterSciNotation
    if getattr(cls, "_numdiff_minus", False):
        return
    original = cls.__call__

    def call(self, x, pos=None):
        import matplotlib as mpl

        label = original(self, x, pos)
        if mpl.rcParams["font.family"][:1] == ["NanumSquareRound"]:
            label = label.replace(r"\mathdefault", r"\mathregular")
        return label

    cls.__call__, cls._numdiff_minus = call, True


def _figure(width=WIDTH, height=5.5, rows=1, cols=1, **kw):
    # Figure() rather than pyplot: nothing global, nothing shown twice, no leaks in widgets.
    fig = Figure(figsize=(width, height), dpi=FIGURE_DPI, layout="constrained")
    axes = fig.subplots(rows, cols, **kw)
    return fig, axes


def figure_png(fig):
    """A Figure as PNG bytes at its own dpi: what the sliders show (lessons 01-06)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


class LiveFigure:
    """A figure built once and updated in place; update(**values) -> caption (lessons 01-06).

    update sets every changing artist from the values alone (never from the previous state),
    so an update that fails part-way is fully overwritten by the next one. png() redraws only
    the artists that move (movers()): the rest of the figure, contours and axes included, is
    rendered once and kept as a bitmap until the axes' limits change (blitting).
    """

    def __init__(self, figure, update, movers=lambda: ()):
        self.figure, self._update, self._movers = figure, update, movers
        self._backgrounds = {}  # the still parts, one bitmap per set of axis limits

    def update(self, **values):
        """Move the figure's artists to these values; returns the caption (an HTML-safe str)."""
        return self._update(**values)

    def png(self):
        """The figure as PNG bytes: the kept background with the moving artists drawn on it."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fig = self.figure
        canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
        movers = [a for a in self._movers() if a is not None]
        key = (tuple(fig.get_size_inches()), fig.dpi,
               tuple((ax.get_xlim(), ax.get_ylim()) for ax in fig.axes))
        if key not in self._backgrounds:
            # A full draw with every artist in place lays the figure out (a legend beside the
            # axes needs its room) and places each title where a plain savefig would; then the
            # layout is kept, so that the background does not shift.
            canvas.draw()
            fig.set_layout_engine("none")
            shown = [a.get_visible() for a in movers]
            # An Axes re-places its title on every draw, and a hidden one goes far above the
            # axes: keep the positions of the full draw for the moving texts.
            placed = [(a, a.get_position()) for a in movers if isinstance(a, Text)]
            for a in movers:
                a.set_visible(False)
            canvas.draw()
            if len(self._backgrounds) >= 8:  # a slider moving back and forth reuses a few
                self._backgrounds.pop(next(iter(self._backgrounds)))
            self._backgrounds[key] = canvas.copy_from_bbox(fig.bbox)
            for a, visible in zip(movers, shown, strict=True):
                a.set_visible(visible)
            for a, position in placed:
                a.set_position(position)
        canvas.restore_region(self._backgrounds[key])
        for a in sorted(movers, key=lambda a: a.get_zorder()):
            if a.get_visible():
                fig.draw_artist(a)
        return _encode_png(canvas)


def _encode_png(canvas):
    """The canvas as PNG, encoded fast (level 1): a slider frame is shown once, then replaced."""
    from PIL import Image

    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), bytes(canvas.buffer_rgba()), "raw",
                             "RGBA", 0, 1)
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=1)
    return buf.getvalue()


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
    ax.plot(xs, ys, color=BLACK, lw=2, label=label)
    for p, (colour, marker) in zip(points, _MARKERS, strict=False):
        ax.plot(p, f(p), marker, ms=9, color=colour, label=f"x = {p:g}")
    ax.set(title=title, xlabel="x", ylabel="f(x)")
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


_MARKERS = ((BLUE, "o"), (VERMILLION, "s"), (GREEN, "^"), (PURPLE, "D"), (ORANGE, "v")) * 4
_STYLES = ("--", "-.", ":", (0, (5, 2, 1, 2)), (0, (1, 1))) * 4


def plot_tangents(f, points, xlim=(0, 20), title=None):
    """f with the tangent line at each point, slopes from numerical_derivative (lesson 01)."""
    fig, ax = _figure()
    xs, ys = _curve(f, xlim)
    ax.plot(xs, ys, color=BLACK, lw=2, label="f(x)")
    for p, (colour, marker), style in zip(points, _MARKERS, _STYLES, strict=False):
        slope = numerical_derivative(f, p)
        ax.plot(xs, f(p) + slope * (xs - p), ls=style, color=colour, lw=2,
                label=_("tangent at x={x:g}, slope {slope:.4f}", x=p, slope=slope))
        ax.plot(p, f(p), marker, ms=9, color=colour)
    ax.set(title=title or _("Tangent lines from the numerical derivative"), xlabel="x",
           ylabel="f(x)", ylim=(ys.min() - 0.5, ys.max() + 0.5))
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


def secant_figure(f, x0, delta_x, xlim=(0, 20), df=None):
    """The secant through x0 ± delta_x next to the tangent at x0, as a LiveFigure (lesson 01).

    update(delta_x=...) moves the secant; the view widens to the two points a large Δx uses.
    """
    fig, ax = _figure(height=5.0)
    exact = df(x0) if df is not None else numerical_derivative(f, x0, method="richardson")
    fx0 = f(x0)
    curve, = ax.plot([], [], color=BLACK, lw=2, label="f(x)")
    tangent, = ax.plot([], [], color=BLUE, lw=2, alpha=0.8,
                       label=_("tangent, slope {slope:.6f}", slope=exact))
    secant, = ax.plot([], [], "--", color=VERMILLION, lw=2, label="secant")
    ends, = ax.plot([], [], "s", color=VERMILLION, ms=8)
    span = ax.axvspan(0, 1, color=VERMILLION, alpha=0.08)
    point, = ax.plot(x0, fx0, "o", color=BLUE, ms=8)
    ax.set(xlabel="x", ylabel="f(x)")
    ax.grid(alpha=0.3)
    legend = ax.legend(loc="upper left")
    state = {"xlim": None}

    def update(delta_x):
        a, b = x0 - delta_x, x0 + delta_x
        view = (min(xlim[0], a), max(xlim[1], b))
        if view != state["xlim"]:  # the curve only changes when the view widens
            xs, ys = _curve(f, view)
            curve.set_data(xs, ys)
            tangent.set_data(xs, fx0 + exact * (xs - x0))
            ax.set(xlim=view, ylim=(ys.min() - 0.5, ys.max() + 0.5))
            state.update(xlim=view, xs=xs)
        xs = state["xs"]
        fa, fb = f(a), f(b)
        slope = (fb - fa) / (2 * delta_x)
        secant.set_data(xs, fa + slope * (xs - a))
        ends.set_data([a, b], [fa, fb])
        span.set_x(a)
        span.set_width(b - a)
        legend.get_texts()[2].set_text(_("secant, slope {slope:.6f}", slope=slope))
        ax.set_title(_("Δx = {dx:.3g}: central-difference secant vs tangent at x = {x0:g}",
                       dx=delta_x, x0=x0))
        return _("Δx = {dx:.2e}, secant slope = {slope:.10f}", dx=delta_x, slope=slope)

    # The shaded span moves under the curve, the tangent and the point: they are redrawn over
    # it (and the point over the secant's ends, which reach it at a small Δx), as in a full draw.
    live = LiveFigure(fig, update, lambda: (span, curve, tangent, secant, ends, point, legend,
                                            ax.title))
    live.update(delta_x=delta_x)
    return live


def plot_secant(f, x0, delta_x, xlim=(0, 20), df=None):
    """Secant through x0 ± delta_x next to the tangent at x0 (lesson 01's delta_x slider)."""
    return secant_figure(f, x0, delta_x, xlim, df).figure


def step_errors(f, df, x0, methods=("forward", "central"), steps=None):
    """Absolute error of each method for each delta_x: {method: (steps, errors)} (lesson 01)."""
    steps = np.logspace(-15, 0, 61) if steps is None else np.asarray(steps, dtype=float)
    exact = df(x0)
    out = {}
    for m in methods:
        errs = [abs(numerical_derivative(f, x0, float(h), method=m) - exact) for h in steps]
        out[m] = (steps, np.array(errs))
    return out


# A method's name in a legend, in the edition's language (the code name stays METHODS' key).
METHOD_LABELS = {"forward": N_("forward difference"), "backward": N_("backward difference"),
                 "central": N_("central difference"), "five_point": N_("five-point formula"),
                 "richardson": N_("Richardson extrapolation"), "complex_step": N_("complex step")}


def plot_step_error(f, df, x0, methods=("forward", "central"), steps=None):
    """Error vs delta_x on log-log axes: truncation falls, round-off rises (lesson 01)."""
    fig, ax = _figure()
    data = step_errors(f, df, x0, methods, steps).items()
    for (m, (hs, errs)), (colour, marker) in zip(data, _MARKERS, strict=False):
        shown = np.where(errs > 0, errs, np.nan)  # an exact 0 has no place on a log axis
        order = METHODS[m][0]
        name = _(METHOD_LABELS[m]) if m in METHOD_LABELS else m
        ax.loglog(hs, shown, "-", marker=marker, ms=5, color=colour,
                  label=_("{method} (error $\\propto \\Delta x^{{{order}}}$)", method=name,
                          order=order))
        best = int(np.nanargmin(shown))
        ax.plot(hs[best], shown[best], "*", ms=16, color=colour, mec=BLACK,
                label=_("best {method}: Δx ≈ {h:.0e}", method=name, h=hs[best]))
    ax.axvline(default_step("central"), color="gray", ls=":",
               label=_("default Δx = {h}", h=step_text(default_step("central"))))
    ax.set(title=_("Error of the numerical derivative at x = {x:g}", x=x0),
           xlabel="Δx (delta_x)", ylabel=_("|numerical − exact|"))
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    return fig


def plot_gradient_field(f, xlim=(-4, 4), ylim=(-4, 4), n=11):
    """Contours of f(x0, x1) with arrows of −∇f, pointing downhill (lesson 02)."""
    fig, ax = _figure(height=7.5)
    gx, gy, zz = _grid(f, xlim, ylim)
    cs = ax.contour(gx, gy, zz, levels=12, cmap="viridis", alpha=0.7)
    ax.clabel(cs, fontsize=SMALL)
    # Arrows start 5 % inside the edges, so the outermost ones are not cut off by the axes.
    (x_lo, x_hi), (y_lo, y_hi) = xlim, ylim
    pad_x, pad_y = 0.05 * (x_hi - x_lo), 0.05 * (y_hi - y_lo)
    px, py = np.meshgrid(np.linspace(x_lo + pad_x, x_hi - pad_x, n),
                         np.linspace(y_lo + pad_y, y_hi - pad_y, n))
    grads = np.array([numerical_derivative(f, np.array([a, b]))
                      for a, b in zip(px.ravel(), py.ravel(), strict=True)])
    ax.quiver(px.ravel(), py.ravel(), -grads[:, 0], -grads[:, 1], color=VERMILLION,
              angles="xy", label=_("−∇f (steepest descent)"))
    ax.set(title=_("Negative gradient field of f"), xlabel="$x_0$", ylabel="$x_1$",
           aspect="equal")
    ax.legend(loc="upper right")
    return fig


def plot_walk(values, labels=None, title=None):
    """A matrix's cells numbered in the order numerical_derivative visits them (lesson 03)."""
    values = np.asarray(values)
    rows, cols = values.shape
    fig, ax = _figure(max(WIDTH, 2.2 * cols + 2), 1.8 * rows + 1.5)
    ax.imshow(np.arange(values.size).reshape(values.shape), cmap="Blues", alpha=0.5)
    centers = []
    for k, (i, j) in enumerate(np.ndindex(values.shape)):
        name = f"{labels[k]} = " if labels else ""
        ax.text(j, i, _("step {k}\n{name}{value:g}\nindex ({i}, {j})", k=k + 1, name=name,
                        value=values[i, j], i=i, j=j),
                ha="center", va="center", fontsize=FONT_SIZE)
        centers.append((j, i))
    for (x1, y1), (x2, y2) in zip(centers, centers[1:], strict=False):
        ax.annotate("", xy=(x2, y2), xytext=(x1, y1),
                    arrowprops=dict(arrowstyle="->", color=VERMILLION, lw=2, shrinkA=28,
                                    shrinkB=28))
    ax.set(title=title or _("The order the element walk visits"), xticks=range(cols),
           yticks=range(rows), xlabel=_("column"), ylabel=_("row"))
    return fig


def descent_figure(f, xlim=(-4.5, 4.5), ylim=(-4.5, 4.5), minimum=(0.0, 0.0)):
    """Contours of f with one descent path that update(result=..., lr=...) moves (lesson 04).

    The contour background is computed once; each update only moves the path's line.
    """
    # Square axes plus a legend beside them: 7.6 in of height keeps the cropped figure at
    # least 900 px wide whatever the legend's language.
    fig, ax = _figure(height=7.6)
    gx, gy, zz = _grid(f, xlim, ylim)
    cs = ax.contour(gx, gy, zz, levels=15, cmap="viridis", alpha=0.5)
    ax.clabel(cs, fontsize=SMALL, fmt="%g")  # 3.2e+06, not 3200000
    path, = ax.plot([], [], "o-", color=VERMILLION, ms=5, lw=1.8)
    start, = ax.plot([], [], "ks", ms=8, mfc="none")
    marker = None
    if minimum is not None:  # above the path, which often ends on it: redrawn with the path
        marker, = ax.plot(*minimum, "k+", ms=14, mew=2, label=_("minimum"))
    ax.set(xlabel="$x_0$", ylabel="$x_1$", xlim=xlim, ylim=ylim, aspect="equal")

    def update(result, label, title=None, step_num=None):
        steps = len(result.history) - 1
        # A diverged run stops early and its points may leave the axes, so the title says so
        # (and how many steps were asked for: moving step_num past the blow-up changes that).
        if result.diverged and step_num is not None:
            note = _("{steps} of {total} steps shown: diverged", steps=steps, total=step_num)
        elif result.diverged:
            note = _("{steps} steps shown: diverged", steps=steps)
        else:
            note = _("{steps} steps", steps=steps)
        path.set_data(result.history[:, 0], result.history[:, 1])
        # The legend keeps a fixed width (a slider's frames share one layout): the run's state
        # goes into the title, which has the figure's width.
        path.set_label(label)
        first = result.history[0]
        start.set_data([first[0]], [first[1]])
        start.set_label(_("start ({x0:g}, {x1:g})", x0=first[0], x1=first[1]))
        ax.set_title(title or _("Gradient descent: {label}, {note}", label=label, note=note))
        # Beside the axes: inside, it would hide a path or the contour labels.
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), framealpha=0.9)
        return note

    return LiveFigure(fig, update, lambda: (path, start, marker, ax.get_legend(), ax.title))


def plot_descent(f, results, xlim=(-4.5, 4.5), ylim=(-4.5, 4.5), title=None,
                 minimum=(0.0, 0.0)):
    """Contours of f with each run's path; results maps a label to a DescentResult (lesson 04)."""
    live = descent_figure(f, xlim, ylim, minimum)
    fig = live.figure
    ax = fig.axes[0]
    items = list(results.items())
    if items:
        first_label, first = items[0]
        steps = len(first.history) - 1
        note = (_("{steps} steps shown: diverged", steps=steps) if first.diverged
                else _("{steps} steps", steps=steps))
        live.update(result=first, label=f"{first_label}, {note}", title=title or _(
            "Gradient descent"))
    for (label, res), (colour, marker) in zip(items[1:], _MARKERS[1:], strict=False):
        steps = len(res.history) - 1
        note = (_("{steps} steps shown: diverged", steps=steps) if res.diverged
                else _("{steps} steps", steps=steps))
        ax.plot(res.history[:, 0], res.history[:, 1], "-", marker=marker, ms=5,
                color=colour, label=f"{label}, {note}")
    ax.set_title(title or _("Gradient descent"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), framealpha=0.9)
    return fig


def plot_loss_curves(curves, title=None, xlabel=None, *, x=None, floor=None, ax=None):
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
    for (label, losses), (colour, _marker), style in zip(curves.items(), _MARKERS,
                                                         ("-",) + _STYLES, strict=False):
        losses = np.asarray(losses, dtype=float)
        xs = np.asarray(x.get(label, np.arange(len(losses))))
        # A loss of exactly 0 has no place on a log axis: leave a gap rather than a warning.
        ax.semilogy(xs, np.where(losses > 0, losses, np.nan), ls=style, color=colour, lw=2,
                    label=label)
    if floor is not None:
        value, floor_label = floor
        ax.axhline(value, color="gray", ls="--", lw=1.2, label=floor_label)
    ax.set(title=title or _("Loss during training"), xlabel=xlabel or _("step"),
           ylabel=_("loss (log scale)"))
    ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))  # steps are whole numbers
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    return fig


_DEFAULT_STEP = default_step("central")  # what every "default delta_x = 1e-4" shows


def plot_check_errors(steps, curves, title=None, default_step=_DEFAULT_STEP):
    """rel_error of check_gradient against delta_x, over the lesson's bands (lesson 07)."""
    fig, ax = _figure()
    top = 3.0  # rel_error is at most 1; the headroom keeps points at 1 off the border
    # The rough float64 bars: below 1e-7 fine, up to 1e-4 look closer, above that wrong.
    for lo, hi, colour, name in ((1e-14, 1e-7, GREEN, _("fine")),
                                 (1e-7, 1e-4, ORANGE, _("look closer")),
                                 (1e-4, top, VERMILLION, _("wrong"))):
        ax.axhspan(lo, hi, color=colour, alpha=0.08)
        ax.text(1.01, np.sqrt(lo * min(hi, 1.0)), name, color=colour, fontsize=SMALL,
                fontweight="bold", transform=ax.get_yaxis_transform(), va="center")
    for (label, errors), (colour, marker) in zip(curves.items(), _MARKERS, strict=False):
        errors = np.asarray(errors, dtype=float)
        ax.loglog(steps, np.where(errors > 0, errors, np.nan), "-", marker=marker, ms=5,
                  color=colour, label=label)
    if default_step is not None:
        ax.axvline(default_step, color="gray", ls="--", lw=1,
                   label=_("default delta_x = {h}", h=step_text(default_step)))
    ax.set(title=title or _("Gradient check: relative error against delta_x"),
           xlabel="delta_x", ylabel=_("relative error"), ylim=(1e-14, top))
    ax.grid(alpha=0.3, which="both")
    ax.legend(loc="lower left")
    return fig


def plot_coordinate(results, index=0, title=None):
    """x[index] against step for each labelled DescentResult: shows creep, zigzag (lesson 04)."""
    from matplotlib import ticker

    fig, ax = _figure()
    for (label, res), (colour, marker) in zip(results.items(), _MARKERS, strict=False):
        ax.plot(np.arange(len(res.history)), res.history[:, index], "-", marker=marker, ms=5,
                color=colour, label=label)
    ax.axhline(0, color="k", lw=0.8, label=_("minimum"))
    ax.set(title=title or _("One coordinate of x, step by step"), xlabel=_("step"),
           ylabel=f"$x_{index}$")
    ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


def plot_fitted_lines(x, y, fits, title=None):
    """Scattered (x, y) data with a line y = w·x + b for each label -> (w, b) (lesson 04)."""
    fig, ax = _figure()
    ax.plot(x, y, ".", color="gray", alpha=0.7, label=_("data"))
    xs = np.linspace(np.min(x), np.max(x), 2)
    for (label, (w, b)), style, colour in zip(fits.items(), ("-", "--", "-.", ":") * 4,
                                              PALETTE, strict=False):
        ax.plot(xs, w * xs + b, style, color=colour, lw=2.5,
                label=f"{label}: y = {w:.3f}x + {b:.3f}")
    ax.set(title=title or _("Data and fitted lines"), xlabel="x", ylabel="y")
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


def plot_derivatives(f, xlim=(-1, 3), marks=()):
    """f, f′ and f″ stacked, all numerical, with vertical marks (lesson 06)."""
    fig, axes = _figure(10, 8, rows=3, sharex=True)
    xs = np.linspace(*xlim, 300)
    curves = [
        ("f(x)", [f(v) for v in xs]),
        ("f′(x)", [numerical_derivative(f, float(v)) for v in xs]),
        ("f″(x)", [second_derivative(f, float(v)) for v in xs]),
    ]
    for ax, (name, ys), colour in zip(axes, curves, PALETTE, strict=False):
        ax.plot(xs, ys, color=colour, lw=2, label=name)
        ax.axhline(0, color="gray", lw=0.8)
        for x_mark, style in marks:
            ax.axvline(x_mark, ls=style, color=VERMILLION, lw=1.2)
        ax.set(ylabel=name)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left")
    axes[0].set_title(_("f, its first and second derivatives (numerical)"))
    axes[-1].set_xlabel("x")
    return fig


def taylor_figure(f, x0=0.5, xlim=(-1, 3)):
    """f and its first-order Taylor approximation at x0, as a LiveFigure (lesson 06's slider)."""
    fig, ax = _figure(9.5, 4.5)
    xs, ys = _curve(f, xlim)
    ax.plot(xs, ys, color=BLACK, lw=2, label="f(x)")
    line, = ax.plot([], [], "--", color=ORANGE, lw=2.5)
    point, = ax.plot([], [], "o", color=ORANGE, ms=9, mec=BLACK)
    ax.set(xlabel="x", ylabel="f(x)", ylim=(ys.min() - 1, ys.max() + 1), xlim=xlim)
    ax.grid(alpha=0.3)

    def update(x0):
        slope = numerical_derivative(f, x0)
        fx0 = f(x0)
        line.set_data(xs, fx0 + slope * (xs - x0))
        line.set_label(_("f({x0:g}) + f′({x0:g})(x − {x0:g}), slope {slope:.4g}", x0=x0,
                         slope=slope))
        point.set_data([x0], [fx0])
        ax.set_title(_("First-order Taylor approximation at $x_0$ = {x0:g}", x0=x0))
        ax.legend(loc="upper left")
        return _("x0 = {x0:.2f}, f(x0) = {fx0:.4f}", x0=x0, fx0=fx0)

    live = LiveFigure(fig, update, lambda: (line, point, ax.get_legend(), ax.title))
    live.update(x0=x0)
    return live


def plot_taylor(f, x0, xlim=(-1, 3)):
    """f and its first-order Taylor approximation at x0 (lesson 06's expansion-point slider)."""
    return taylor_figure(f, x0, xlim).figure


# --------------------------------------------------------------------------- formula box


def plot_message(title, message):
    """A figure stating a message instead of a plot, e.g. a bad formula (lesson 05)."""
    fig, ax = _figure(height=5.0)
    ax.axis("off")
    ax.text(0.5, 0.5, textwrap.fill(_mathtext_safe(message), 70), ha="center", va="center",
            fontsize=FONT_SIZE, transform=ax.transAxes)
    ax.set_title(title)
    return fig


def _mathtext_safe(text):
    """Figure text: $ would start mathtext, and characters our fonts lack are spelled out."""
    covered = _covered_characters()
    out = "".join(ch if ch in covered or ch.isspace() else f"\\u{ord(ch):04x}"
                  for ch in str(text))
    return out.replace("$", r"\$")


_COVERAGE = {}


def _covered_characters():
    """The characters the current figure fonts can draw (messages may quote any text)."""
    import matplotlib as mpl
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    families = tuple(mpl.rcParams["font.family"])
    if families not in _COVERAGE:
        chars = set()
        for family in families:
            path = font_manager.findfont(font_manager.FontProperties(family=[family]))
            chars.update(chr(code) for code in FT2Font(path).get_charmap())
        _COVERAGE[families] = chars
    return _COVERAGE[families]


def math_title(plain, latex):
    """'$f(x) = ...$' in mathtext when matplotlib can typeset it, else plain text (lesson 05)."""
    from matplotlib.mathtext import MathTextParser

    if len(plain) > 60:
        return f"f(x) = {plain[:57]}..."
    label = f"$f(x) = {latex}$"
    try:
        MathTextParser("path").parse(label)
    except ValueError:
        return f"f(x) = {plain}"
    return label


def y_range(ys, keep=()):
    """y limits showing the curve, ignoring spikes at poles such as 1/x near 0 (lesson 05)."""
    finite = ys[np.isfinite(ys)]
    lo, hi = float(finite.min()), float(finite.max())
    p_lo, p_hi = (float(v) for v in np.percentile(finite, [5, 95]))
    if hi - lo > 20 * (p_hi - p_lo) + 1e-12:  # a pole: show the body, not the spike
        lo, hi = p_lo - 0.5 * (p_hi - p_lo), p_hi + 0.5 * (p_hi - p_lo)
    lo, hi = min([lo, *keep]), max([hi, *keep])
    pad = 0.08 * (hi - lo) if hi > lo else 1.0
    lo, hi = lo - pad, hi + pad
    # Axis ticks need room above the values: beyond about 1e300 matplotlib cannot place them.
    if not (math.isfinite(lo) and math.isfinite(hi)) or max(abs(lo), abs(hi)) > 1e300:
        raise OverflowError(_("the values of f are too large to draw (beyond about 1e300)"))
    return lo, hi


def plot_formula(data):
    """f, its tangent at x0 and both slopes, from formula_data.drawing_data (lesson 05)."""
    live = formula_figure(data)
    exact = data["exact"]
    # The tangent's slope: the exact one where SymPy's f′ gives a number, else the numerical.
    shown = exact if exact is not None and np.isfinite(exact) else data["numeric"]
    live.update(x0=data["x0"], fx0=data["fx0"], shown_slope=shown)
    return live.figure


def formula_figure(data):
    """A typed formula's curve drawn once; update(x0, fx0, slope) moves it (lesson 05)."""
    import warnings

    xs, ys = data["xs"], data["ys"]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # extreme values: the caller's caption says what is wrong
        curve_lim = y_range(ys)
        span = curve_lim[1] - curve_lim[0]
        # Far off-screen values become gaps, so a pole is not bridged by a vertical line.
        ys = np.where((ys < curve_lim[0] - span) | (ys > curve_lim[1] + span), np.nan, ys)
        fig, ax = _figure(height=5.0)
        curve, = ax.plot(xs, ys, color=BLACK, lw=2, label="f(x)")
        tangent, = ax.plot([], [], "--", color=ORANGE, lw=2)
        point, = ax.plot([], [], "o", color=ORANGE, ms=9, mec=BLACK)
        outside, = ax.plot([], [], ":", color=VERMILLION, lw=1.5)
        ax.set(title=math_title(data["plain"], data["latex"]), xlabel="x", ylabel="f(x)",
               xlim=(xs[0], xs[-1]))
        ax.grid(alpha=0.3)

    def update(x0, fx0, shown_slope):
        ylim = y_range(data["ys"], [fx0] if np.isfinite(fx0) else [])
        ax.set_ylim(ylim)
        handles = [curve]
        if not np.isfinite(fx0):
            outside.set_data([x0, x0], list(ylim))
            outside.set_label(_("x0 = {x0:g} (outside the domain)", x0=x0))
            tangent.set_data([], [])
            point.set_data([], [])
            handles.append(outside)
        else:
            outside.set_data([], [])
            if shown_slope is not None:
                tangent.set_data(xs, fx0 + shown_slope * (xs - x0))
                tangent.set_label(_("tangent at x0 = {x0:g}, slope {slope:.6g}", x0=x0,
                                    slope=shown_slope))
                handles.append(tangent)
            else:
                tangent.set_data([], [])
            point.set_data([x0], [fx0])
            point.set_label(_("(x0, f(x0)) = ({x0:g}, {fx0:.4g})", x0=x0, fx0=fx0))
            handles.append(point)
        ax.legend(handles=handles, loc="best")
        return ""

    return LiveFigure(fig, update, lambda: (tangent, point, outside, ax.get_legend()))
