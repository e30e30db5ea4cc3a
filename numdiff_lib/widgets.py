"""Slider builders for the lessons: ipywidgets around the plots. Works in JupyterLab and Voilà."""

import io
import warnings

import ipywidgets as widgets

from . import plots
from .core import DivergenceWarning, gradient_descent


def figure_png(fig):
    """A Figure as PNG bytes (what the widgets send to the browser)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80)
    return buf.getvalue()


def interactive_figure(render, **controls):
    """Controls above a figure that render(**values) -> (Figure, caption) redraws on each change.

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
    box = widgets.VBox([*controls.values(), text, image])
    box.add_class("numdiff-widget")
    return box


def _log_slider(description, value, lo, hi):
    # Steps from 1e-6 to 10 only make sense by powers of ten.
    return widgets.FloatLogSlider(value=value, base=10, min=lo, max=hi, step=0.25,
                                  description=description, readout_format=".2e",
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
        end = ", ".join(f"{v:.4g}" for v in res.x)
        state = f" — {res.message}" if res.diverged else ""
        return fig, f"lr = {lr:.3g}, step_num = {step_num}: ends at ({end}){state}"

    steps = widgets.IntSlider(value=step_num, min=1, max=100, description="step_num",
                              continuous_update=False)
    return interactive_figure(render, lr=_log_slider("lr", lr, -3, 0.5), step_num=steps)


def taylor_widget(f, x0=0.5, xlim=(-1, 3)):
    """A slider for the expansion point of the first-order Taylor approximation (lesson 06)."""

    def render(x0):
        return plots.plot_taylor(f, x0, xlim), f"x0 = {x0:.2f}, f(x0) = {f(x0):.4f}"

    slider = widgets.FloatSlider(value=x0, min=xlim[0], max=xlim[1], step=0.1, description="x0",
                                 continuous_update=False)
    return interactive_figure(render, x0=slider)
