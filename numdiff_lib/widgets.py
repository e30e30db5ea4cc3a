"""Slider builders for the lessons: ipywidgets around live figures (JupyterLab, Voilà, Colab).

Each widget shows its figure as a PNG in a widgets.Image, which works in JupyterLab, Voilà,
Colab and static exports alike. The figure is built once (plots.LiveFigure); a slider move
updates its artists and re-renders it, while the slider is being dragged (continuous_update):
the front end sends at most one update at a time and keeps only the latest value while the
kernel is busy, so a fast drag never queues stale frames. A figure that cannot be drawn shows
a message figure and a caption that says why: never a stale picture.
"""

import html
import warnings

import ipywidgets as widgets
import numpy as np

from . import guard, plots
from .core import DivergenceWarning, default_step, gradient_descent, step_text
from .messages import _, get_language

figure_png = plots.figure_png  # what every lesson widget sends to the browser


class LessonWidget(widgets.VBox):
    """Controls above a figure (lessons 01, 04, 05, 06); its text form says what it needs.

    Without a kernel (GitHub, a static export) a widget shows as its text: this one says where
    to look instead, and it reads the same on every run, so the stored output stays put.
    """

    def __repr__(self):
        return _("Interactive figure: run the notebook to move its controls (the figure above "
                 "shows where they start).")


def caption_html(text):
    """A caption line under a lesson widget; browser tests read it (lessons 01-06)."""
    return f'<span class="numdiff-caption">{text}</span>'


def interactive_figure(draw, **controls):
    """Controls above a figure that draw(**values) -> (png, caption) redraws (lessons 01–06).

    The caption states the values the figure was drawn with, so a reader (and the browser
    test) can see that the figure follows the controls. If draw fails, the figure is replaced
    by one stating the error: the picture on screen always belongs to the current values.
    """
    image = widgets.Image(format="png", layout=widgets.Layout(max_width="900px", width="100%"))
    text = widgets.HTML()

    def redraw(_change=None):
        values = {name: c.value for name, c in controls.items()}
        try:
            png, caption = draw(**values)
        except Exception as err:  # noqa: BLE001 — a figure that cannot be drawn says why
            reason = guard.error_text(err, 300)
            png = figure_png(plots.plot_message(_("This figure cannot be drawn"), reason))
            caption = _("Cannot draw this figure: {reason}", reason=html.escape(reason))
        image.value = png
        text.value = caption_html(caption)

    for c in controls.values():
        c.observe(redraw, names="value")
    redraw()
    box = LessonWidget([*controls.values(), text, image])
    box.add_class("numdiff-widget")
    return box


def live_draw(live):
    """A draw function for interactive_figure from a plots.LiveFigure (lessons 01, 04, 06)."""
    def draw(**values):
        caption = live.update(**values)
        return live.png(), caption
    return draw


def _log_slider(description, value, lo, hi, readout=".2e", step=0.25):
    # Steps from 1e-6 to 10 only make sense by powers of ten (four stops per power; lr gets
    # twenty, so that a drag across it passes many values).
    # readout is a d3-format string: ".2e" suits delta_x (1e-6 .. 10), ".3g" reads lr as 0.178.
    return widgets.FloatLogSlider(value=value, base=10, min=lo, max=hi, step=step,
                                  description=description, readout_format=readout,
                                  continuous_update=True, style={"description_width": "initial"})


def secant_widget(f, x0=5.0, delta_x=1.0, xlim=(0, 20), df=None):
    """A log-scale delta_x slider turning the secant into the tangent (lesson 01)."""
    live = plots.secant_figure(f, x0, delta_x, xlim, df)
    return interactive_figure(live_draw(live),
                              delta_x=_log_slider("Δx (delta_x)", delta_x, -6, 1))


def descent_widget(f, init_x, lr=0.1, step_num=20, xlim=(-4.5, 4.5), ylim=(-4.5, 4.5)):
    """Sliders for lr (log scale) and step_num that redraw the descent path (lesson 04)."""
    live = plots.descent_figure(f, xlim, ylim)  # the contours are drawn once, here

    def draw(lr, step_num):
        with warnings.catch_warnings():  # the caption reports divergence instead
            warnings.simplefilter("ignore", DivergenceWarning)
            res = gradient_descent(f, init_x, lr=lr, step_num=step_num)
        live.update(result=res, label=f"lr = {lr:.3g}", step_num=step_num)
        end = ", ".join(f"{v:.4g}" for v in res.x)
        state = f" — {html.escape(res.message)}" if res.message else ""
        caption = _("lr = {lr:.3g}, step_num = {steps}: ends at ({end}){state}", lr=lr,
                    steps=step_num, end=end, state=state)
        return live.png(), caption

    steps = widgets.IntSlider(value=step_num, min=1, max=100, description="step_num",
                              continuous_update=True)
    return interactive_figure(draw, lr=_log_slider("lr", lr, -3, 0.5, ".3g", step=0.05),
                              step_num=steps)


def taylor_widget(f, x0=0.5, xlim=(-1, 3)):
    """A slider for the expansion point of the first-order Taylor approximation (lesson 06)."""
    live = plots.taylor_figure(f, x0, xlim)
    slider = widgets.FloatSlider(value=x0, min=xlim[0], max=xlim[1], step=0.1, description="x0",
                                 continuous_update=True)
    return interactive_figure(live_draw(live), x0=slider)


# --------------------------------------------------------------------------- formula box
# Lesson 05. Parsing, differentiating and evaluating a typed formula run in a worker process
# (formula_data.drawing_data), so a formula that makes SymPy work for minutes is abandoned
# after FORMULA_SECONDS with a message instead of freezing the kernel.

FORMULA_SECONDS = 5.0
_FORMULA_WORKER = guard.Worker(preload=("numdiff_lib.formula_data", "numdiff_lib.formula"))


def _escape(text, width=80):
    """Text for the HTML caption: shortened, with < > & escaped."""
    return html.escape(guard.cut(str(text), width))


def formula_render(text, x0=2.0, xlim=(-1, 3)):
    """(png, caption) for a typed formula: f, f′, numerical vs exact slope at x0 (lesson 05).

    A formula that is refused, one that runs too long, and one that cannot be drawn all give
    a figure with the message and a caption that says what to change; never a traceback.
    """
    return FormulaView(xlim).draw(text, x0)


class FormulaView:
    """The formula box's figure: a new formula is worked out and drawn; an x0 move only asks
    for the numbers at x0 and moves the tangent (lesson 05)."""

    def __init__(self, xlim=(-1, 3)):
        self.xlim = tuple(xlim)
        self._text = self._data = self._live = None

    def draw(self, text, x0):
        """(png, caption) for text at x0; never raises (a message figure says what is wrong)."""
        try:
            if text == self._text and self._live is not None:
                point = self._ask("point_data", text, float(x0), get_language())
                data = {**self._data, **point}
            else:
                self._text = self._live = None
                data = self._ask("drawing_data", text, float(x0), self.xlim, get_language())
                if "refused" in data:
                    return (figure_png(plots.plot_message(_("This formula cannot be used"),
                                                          data["refused"])),
                            _("Cannot use <code>{text}</code>: {why}", text=_escape(text),
                              why=_escape(data["refused"], 400)))
                self._data = data
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")  # extreme values: the caption says what is wrong
                return self._picture(text, data)
        except _Refusal as refusal:
            self._text = self._live = None
            return (figure_png(plots.plot_message(_("This formula cannot be drawn"), refusal.why)),
                    _("Cannot draw <code>{text}</code>: {why}", text=_escape(text),
                      why=html.escape(refusal.why)))
        except Exception as err:  # noqa: BLE001 — a learner's formula must not end in a traceback
            self._text = self._live = None
            why = _formula_failure(err)
            return (figure_png(plots.plot_message(_("This formula cannot be drawn"), why)),
                    _("Cannot draw <code>{text}</code>: {why}", text=_escape(text),
                      why=html.escape(why)))

    def _ask(self, function, *args):
        try:
            return _FORMULA_WORKER.call("numdiff_lib.formula_data", function, *args,
                                        seconds=FORMULA_SECONDS)
        except guard.WorkerError as err:
            if err.reason == "timeout":
                why = _("it took longer than {seconds:g} s to differentiate or evaluate, so it "
                        "was stopped. Try a simpler formula.", seconds=FORMULA_SECONDS)
            elif err.reason == "memory":
                why = _("it needed too much memory, so it was stopped. Try a simpler formula.")
            elif str(err.detail).startswith(("OverflowError", "FloatingPointError")):
                why = _formula_failure(OverflowError())
            else:
                why = _("it could not be worked out ({error}).", error=guard.cut(err.detail, 200))
            raise _Refusal(why) from None

    def _picture(self, text, data):
        caption, shown = _formula_caption(data, self.xlim)
        if not np.isfinite(data["ys"]).any():
            message = _("f(x) = {f} is not defined (or not finite) anywhere on {lo:g} <= x <= "
                        "{hi:g}.", f=data["plain"], lo=self.xlim[0], hi=self.xlim[1])
            return figure_png(plots.plot_message(_("Nothing to draw"), message)), caption
        if self._live is None:
            self._live = plots.formula_figure(data)
            self._text = text
        self._live.update(x0=data["x0"], fx0=data["fx0"], shown_slope=shown)
        return self._live.png(), caption


class _Refusal(Exception):
    """The worker could not work the formula out; `why` says so, for the learner."""

    def __init__(self, why):
        super().__init__(why)
        self.why = why


def _formula_failure(err):
    """A sentence for a drawing error (some errors carry no readable text of their own)."""
    text = guard.safe_text(err, 200)
    if isinstance(err, (OverflowError, ArithmeticError)) or not text or text.startswith("["):
        return _("its values are out of range for floating point (beyond about 1e±308), so it "
                 "cannot be plotted. Try a formula with smaller values.")
    return _("{error}.", error=text.rstrip("."))


def _formula_caption(data, xlim):
    """(caption, slope to draw the tangent with) for drawing_data's numbers (lesson 05)."""
    described = _("f(x) = <code>{f}</code>, f′(x) = <code>{df}</code>",
                  f=_escape(data["plain"]), df=_escape(data["derivative"]))
    note = f" <i>({_escape(data['note'])})</i>" if data["note"] else ""
    x0, fx0, exact = data["x0"], data["fx0"], data["exact"]
    if not np.isfinite(data["ys"]).any():
        return _("{described}: not defined anywhere on the plotted range.{note}",
                 described=described, note=note), None
    if np.isinf(fx0):
        return _("{described}. At x0 = {x0:.2f}, f(x0) overflows: its value is beyond about "
                 "1e±308, the largest floating-point numbers. Move x0 to where the curve is "
                 "drawn.{note}", described=described, x0=x0, note=note), None
    if not np.isfinite(fx0):
        return _("{described}. x0 = {x0:.2f} is outside the domain of f (f(x0) = {fx0}): "
                 "move x0 to where the curve is drawn.{note}", described=described, x0=x0,
                 fx0=fx0, note=note), None
    slope = data["numeric"]
    if slope is not None:
        numeric = _("numerical (central, Δx = {h}) = {slope:.10g}", slope=slope,
                    h=step_text(default_step("central")))
    else:
        numeric = _("numerical: not available here ({error}: the central difference reaches "
                    "outside the domain of f)", error=_escape(data["numeric_error"], 200))
    if np.isfinite(exact):
        exact_text = _("exact = {exact:.10g}", exact=exact)
    elif np.isnan(exact):
        exact_text = _("exact: SymPy's formula for f′ gives no number here (an undefined form "
                       "such as 0·log 0 or ∞ − ∞ at x0), although f itself is defined")
    else:
        exact_text = _("exact: infinite (f has a vertical tangent at x0)")
    gap = ""
    if slope is not None and np.isfinite(exact):
        gap = _(", difference {gap:.1e}", gap=abs(slope - exact))
    caption = _("{described}. At x0 = {x0:.2f}: {numeric}, {exact}{gap}.{note}",
                described=described, x0=x0, numeric=numeric, exact=exact_text, gap=gap,
                note=note)
    return caption, (exact if np.isfinite(exact) else slope)


def formula_widget(text="3*x*exp(x)", x0=2.0, xlim=(-1, 3)):
    """A text box for f(x) and an x0 slider, redrawn as the learner types (lesson 05).

    Every change of the text is worked out in the worker process and drawn; moving x0 only
    moves the tangent. The figure and caption always belong to the text in the box (a
    half-typed formula shows what is wrong with it, not an older figure).
    """
    box = widgets.Text(value=text, description="f(x) =", placeholder="e.g. 3*x*exp(x)",
                       continuous_update=True, layout=widgets.Layout(width="420px"))
    slider = widgets.FloatSlider(value=x0, min=xlim[0], max=xlim[1], step=0.05,
                                 description="x0", continuous_update=True)
    view = FormulaView(xlim)
    return interactive_figure(view.draw, text=box, x0=slider)
