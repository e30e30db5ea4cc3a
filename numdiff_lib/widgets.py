"""Slider builders for the lessons: ipywidgets around the plots. Works in JupyterLab and Voilà."""

import html
import io
import textwrap
import warnings

import ipywidgets as widgets
import numpy as np

from . import plots
from .core import DivergenceWarning, gradient_descent, numerical_derivative
from .messages import _


def figure_png(fig):
    """A Figure as PNG bytes: what every lesson widget sends to the browser (lessons 01, 04, 06)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80)
    return buf.getvalue()


def interactive_figure(render, **controls):
    """Controls above a figure that render(**values) -> (Figure, caption) redraws (lessons 01–06).

    The caption states the values the figure was drawn with, so a reader (and the browser
    test) can see that the figure follows the controls.
    """
    image = widgets.Image(format="png", layout=widgets.Layout(max_width="720px"))
    text = widgets.HTML()

    def redraw(_change=None):
        fig, caption = render(**{name: c.value for name, c in controls.items()})
        image.value = figure_png(fig)
        text.value = f'<span class="numdiff-caption">{caption}</span>'

    for c in controls.values():
        c.observe(redraw, names="value")
    redraw()
    box = LessonWidget([*controls.values(), text, image])
    box.add_class("numdiff-widget")
    return box


class LessonWidget(widgets.VBox):
    """Controls above a figure (lessons 01, 04, 05, 06); its text form says what it needs.

    Without a kernel (GitHub, a static export) a widget shows as its text: this one says where
    to look instead, and it reads the same on every run, so the stored output stays put.
    """

    def __repr__(self):
        return _("Interactive figure: run the notebook to move its controls (the figure above "
                 "shows where they start).")


def _log_slider(description, value, lo, hi, readout=".2e"):
    # Steps from 1e-6 to 10 only make sense by powers of ten (four stops per power).
    # readout is a d3-format string: ".2e" suits delta_x (1e-6 .. 10), ".3g" reads lr as 0.178.
    return widgets.FloatLogSlider(value=value, base=10, min=lo, max=hi, step=0.25,
                                  description=description, readout_format=readout,
                                  continuous_update=False, style={"description_width": "initial"})


def secant_widget(f, x0=5.0, delta_x=1.0, xlim=(0, 20), df=None):
    """A log-scale delta_x slider turning the secant into the tangent (lesson 01)."""
    def render(delta_x):
        slope = (f(x0 + delta_x) - f(x0 - delta_x)) / (2 * delta_x)
        return (plots.plot_secant(f, x0, delta_x, xlim, df),
                f"Δx = {delta_x:.2e}, secant slope = {slope:.10f}")

    return interactive_figure(render, delta_x=_log_slider("Δx (delta_x)", delta_x, -6, 1))


def descent_widget(f, init_x, lr=0.1, step_num=20, xlim=(-4.5, 4.5), ylim=(-4.5, 4.5)):
    """Sliders for lr (log scale) and step_num that redraw the descent path (lesson 04)."""
    def render(lr, step_num):
        with warnings.catch_warnings():  # the caption reports divergence instead
            warnings.simplefilter("ignore", DivergenceWarning)
            res = gradient_descent(f, init_x, lr=lr, step_num=step_num)
        fig = plots.plot_descent(f, {f"lr = {lr:.3g}": res}, xlim, ylim,
                                 title=f"Gradient descent, lr = {lr:.3g}, {step_num} steps")
        # Fixed margins instead of constrained layout: its extra pass over the contour labels
        # is a third of each redraw, and this slider must answer within 200 ms.
        fig.set_layout_engine(None)
        fig.subplots_adjust(left=0.1, right=0.97, bottom=0.09, top=0.93)
        end = ", ".join(f"{v:.4g}" for v in res.x)
        state = f" — {res.message}" if res.message else ""
        return fig, f"lr = {lr:.3g}, step_num = {step_num}: ends at ({end}){state}"

    steps = widgets.IntSlider(value=step_num, min=1, max=100, description="step_num",
                              continuous_update=False)
    return interactive_figure(render, lr=_log_slider("lr", lr, -3, 0.5, ".3g"), step_num=steps)


def taylor_widget(f, x0=0.5, xlim=(-1, 3)):
    """A slider for the expansion point of the first-order Taylor approximation (lesson 06)."""
    def render(x0):
        return plots.plot_taylor(f, x0, xlim), f"x0 = {x0:.2f}, f(x0) = {f(x0):.4f}"

    slider = widgets.FloatSlider(value=x0, min=xlim[0], max=xlim[1], step=0.1, description="x0",
                                 continuous_update=False)
    return interactive_figure(render, x0=slider)


# --------------------------------------------------------------------------- formula box
# Lesson 05. SymPy and .formula are imported inside the functions: SymPy takes ~1 s to import,
# and only the formula box needs it.


def _escape(text, width=80):
    """Text for the HTML caption: shortened, with < > & escaped."""
    text = str(text)
    return html.escape(text if len(text) <= width else text[:width - 3] + "...")


def _message_figure(title, message):
    """A figure that states a message instead of a plot (a formula that cannot be drawn)."""
    fig, ax = plots._figure()
    ax.axis("off")
    # Figure text stays ASCII (fonts lack fullwidth letters) and $ would start mathtext.
    safe = message.encode("ascii", "backslashreplace").decode().replace("$", r"\$")
    ax.text(0.5, 0.5, textwrap.fill(safe, 64), ha="center", va="center", fontsize=11,
            transform=ax.transAxes)
    ax.set_title(title)
    return fig


def _math_title(expr):
    """'$f(x) = ...$' in mathtext when matplotlib can typeset SymPy's LaTeX, else plain text."""
    import sympy
    from matplotlib.mathtext import MathTextParser

    plain = str(expr)
    if len(plain) > 60:
        return f"f(x) = {plain[:57]}..."
    label = f"$f(x) = {sympy.latex(expr)}$"
    try:
        MathTextParser("path").parse(label)
    except ValueError:
        return f"f(x) = {plain}"
    return label


def _y_range(ys, keep=()):
    """y limits showing the curve, ignoring spikes at poles such as 1/x near 0."""
    finite = ys[np.isfinite(ys)]
    lo, hi = float(finite.min()), float(finite.max())
    p_lo, p_hi = (float(v) for v in np.percentile(finite, [5, 95]))
    if hi - lo > 20 * (p_hi - p_lo) + 1e-12:  # a pole: show the body, not the spike
        lo, hi = p_lo - 0.5 * (p_hi - p_lo), p_hi + 0.5 * (p_hi - p_lo)
    lo, hi = min([lo, *keep]), max([hi, *keep])
    pad = 0.08 * (hi - lo) if hi > lo else 1.0
    return lo - pad, hi + pad


def _formula_drawing(formula, x0, xlim):
    """(Figure, caption) for a parsed formula: f, the tangent at x0, both derivatives at x0."""
    f, expr = formula.func, formula.expr
    d_expr = formula.derivative()
    xs = np.linspace(*xlim, 400)
    with np.errstate(all="ignore"):  # outside the domain NumPy gives nan: the plot leaves a gap
        ys = np.asarray(f(xs), dtype=float)
        fx0 = float(f(float(x0)))
        exact = float(formula.derivative_function()(float(x0)))
    described = (f"f(x) = <code>{_escape(expr)}</code>, "
                 f"f′(x) = <code>{_escape(d_expr)}</code>")
    note = f" <i>({_escape(formula.note)})</i>" if formula.note else ""
    if not np.isfinite(ys).any():
        return (_message_figure("Nothing to draw", f"f(x) = {expr} is not defined (or not finite)"
                                f" anywhere on {xlim[0]:g} <= x <= {xlim[1]:g}."),
                f"{described}: not defined anywhere on the plotted range.{note}")
    ylim = _y_range(ys, [fx0] if np.isfinite(fx0) else [])
    span = ylim[1] - ylim[0]
    # Far off-screen values become gaps, so a pole is not bridged by a vertical line.
    ys = np.where((ys < ylim[0] - span) | (ys > ylim[1] + span), np.nan, ys)
    fig, ax = plots._figure()
    ax.plot(xs, ys, "k", lw=2, label="f(x)")
    if not np.isfinite(fx0):
        ax.axvline(x0, color="C3", ls=":", label=f"x0 = {x0:g} (outside the domain)")
        ax.set(title=_math_title(expr), xlabel="x", ylabel="f(x)", ylim=ylim)
        ax.grid(alpha=0.3)
        ax.legend(loc="best")
        return fig, (f"{described}. x0 = {x0:.2f} is outside the domain of f "
                     f"(f(x0) = {fx0}): move x0 to where the curve is drawn.{note}")
    try:
        slope = numerical_derivative(f, float(x0))
        numeric = f"numerical (central, Δx = 1e-4) = {slope:.10g}"
    except (ValueError, TypeError, ArithmeticError) as err:
        slope = None
        first = str(err).split(". ")[0]  # e.g. "f returned nan at x = -0.0001"
        numeric = (f"numerical: not available here ({_escape(first, 200)}: the central "
                   "difference reaches outside the domain of f)")
    exact_text = f"exact = {exact:.10g}" if np.isfinite(exact) else (
        "exact: not finite (f has a vertical tangent or a corner here)")
    shown = exact if np.isfinite(exact) else slope
    if shown is not None:
        ax.plot(xs, fx0 + shown * (xs - x0), "C1--", label=f"tangent at x0 = {x0:g}, "
                f"slope {shown:.6g}")
    ax.plot(x0, fx0, "C1o", ms=8, label=f"(x0, f(x0)) = ({x0:g}, {fx0:.4g})")
    ax.set(title=_math_title(expr), xlabel="x", ylabel="f(x)", ylim=ylim)
    ax.grid(alpha=0.3)
    ax.legend(loc="best")
    gap = ""
    if slope is not None and np.isfinite(exact):
        gap = f", difference {abs(slope - exact):.1e}"
    return fig, f"{described}. At x0 = {x0:.2f}: {numeric}, {exact_text}{gap}.{note}"


def formula_render(text, x0=2.0, xlim=(-1, 3)):
    """(Figure, caption) for a typed formula: f, f′, numerical vs exact slope at x0 (lesson 05).

    A formula that is refused, or one that cannot be drawn, gives a figure with the message
    and a caption that says what to change; never a traceback.
    """
    # Imported here, not at the top: formula pulls in SymPy (~1 s), which only this box needs.
    from .formula import FormulaError, parse_function

    try:
        formula = parse_function(text)
    except FormulaError as err:
        return (_message_figure("This formula cannot be used", str(err)),
                f"Cannot use <code>{_escape(text)}</code>: {_escape(err, 400)}")
    try:
        return _formula_drawing(formula, x0, xlim)
    except Exception as err:  # a learner's formula must not end in a traceback
        return (_message_figure("This formula cannot be drawn", str(err)),
                f"Cannot draw <code>{_escape(text)}</code>: {_escape(err, 400)}")


def formula_widget(text="3*x*exp(x)", x0=2.0, xlim=(-1, 3)):
    """A text box for f(x) and an x0 slider, redrawn as the learner types (lesson 05).

    Each keystroke is parsed (a few milliseconds); only text that parses to a new formula is
    redrawn (a figure takes a few tenths of a second). While the text is not (yet) a formula,
    such as a half-typed '3*x*exp(', the last figure stays and the caption says what is wrong.
    """
    from .formula import FormulaError, parse_function

    def render(text, x0):
        return formula_render(text, x0, xlim)

    # The figure follows `drawn`, a hidden copy of the text box that only ever receives
    # formulas that parse; the learner types into `box`.
    drawn = widgets.Text(value=text, layout=widgets.Layout(display="none"))
    box = widgets.Text(value=text, description="f(x) =", placeholder="e.g. 3*x*exp(x)",
                       continuous_update=True, layout=widgets.Layout(width="420px"))
    slider = widgets.FloatSlider(value=x0, min=xlim[0], max=xlim[1], step=0.05,
                                 description="x0", continuous_update=False)
    widget = interactive_figure(render, text=drawn, x0=slider)
    caption = next(c for c in widget.children if isinstance(c, widgets.HTML))
    shown = {"caption": caption.value}  # the caption of the figure on screen

    def key(text):
        formula = parse_function(text)
        return str(formula.expr), formula.note

    def on_type(_change=None):
        try:
            new = key(box.value)
        except FormulaError as err:
            caption.value = (f'<span class="numdiff-caption">Not a formula yet: '
                             f"<code>{_escape(box.value)}</code> — {_escape(err, 400)} "
                             f"(still showing <code>{_escape(drawn.value)}</code>)</span>")
            return
        try:
            same = key(drawn.value) == new
        except FormulaError:
            same = False
        if same:  # e.g. only spaces changed: no redraw, but clear any message
            caption.value = shown["caption"]
        else:
            drawn.value = box.value  # interactive_figure redraws

    def on_redraw(_change=None):
        shown["caption"] = caption.value
        if box.value != drawn.value:  # the slider moved while the box holds a typo
            on_type()

    # Registered after interactive_figure's own observers, so these run after each redraw.
    drawn.observe(on_redraw, names="value")
    slider.observe(on_redraw, names="value")
    box.observe(on_type, names="value")
    widget.children = (box, *widget.children)
    return widget
