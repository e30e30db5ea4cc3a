"""The formula box of lesson 05: formula_render and formula_widget, on good and bad input."""

import ipywidgets as widgets
import pytest
from matplotlib.figure import Figure

from numdiff_lib.widgets import figure_png, formula_render, formula_widget


def parts(box):
    """(text box, x0 slider, caption HTML, image) of a formula widget."""
    kinds = (widgets.Text, widgets.FloatSlider, widgets.HTML, widgets.Image)
    return tuple(next(c for c in box.children if type(c) is k) for k in kinds)


def test_render_shows_formula_derivative_and_both_slopes():
    fig, caption = formula_render("3*x*exp(x)", x0=2.0)
    assert isinstance(fig, Figure)
    assert "3*x*exp(x)" in caption
    assert "3*x*exp(x) + 3*exp(x)" in caption  # the symbolic derivative
    # numerical (central, 1e-4) and exact 9*e^2 = 66.5015048903..., side by side
    assert "66.50150508" in caption and "66.50150489" in caption
    ax = fig.axes[0]
    assert ax.get_title() and ax.get_xlabel() == "x"
    labels = [line.get_label() for line in ax.get_lines()]
    assert any("tangent at x0 = 2" in label for label in labels)
    assert len(figure_png(fig)) > 1000  # it really draws (mathtext title included)


def test_render_reports_the_caret_note():
    _, caption = formula_render("x^2", x0=1.0)
    assert "x**2" in caption and "^ was read as **" in caption


@pytest.mark.parametrize(("text", "words"), [
    ("x.real", ["Cannot use", "attribute"]),
    ("x < 1", ["Cannot use", "&lt;", "comparisons"]),   # escaped: the caption is HTML
    ("__import__('os').system('ls')", ["Cannot use", "without quotes"]),
    ("ｅｘｐ(x)", ["Cannot use", "plain &#x27;e&#x27;"]),
    ("9**9**9", ["exponent"]),
    ("", ["empty"]),
    ("x" * 100_000, ["100000 characters"]),
])
def test_render_of_a_refused_formula_is_a_message_not_a_traceback(text, words):
    fig, caption = formula_render(text)
    assert isinstance(fig, Figure)
    for word in words:
        assert word in caption
    assert "<script" not in caption and len(caption) < 1000
    figure_png(fig)  # the message figure draws (no mathtext trouble with $ or odd characters)


def test_render_outside_the_domain_says_so():
    fig, caption = formula_render("log(x)", x0=-0.5)
    assert isinstance(fig, Figure)
    assert "outside the domain" in caption
    figure_png(fig)


def test_render_at_the_edge_of_the_domain_explains_the_missing_slope():
    fig, caption = formula_render("sqrt(x)", x0=0.0)
    assert "numerical: not available" in caption and "outside the domain" in caption
    assert "not finite" in caption  # the exact slope of sqrt at 0 is infinite
    figure_png(fig)


def test_render_of_a_function_undefined_on_the_range():
    fig, caption = formula_render("log(x - 10)", x0=1.0, xlim=(-1, 3))
    assert "not defined anywhere" in caption
    figure_png(fig)


def test_widget_builds_with_the_shared_layout():
    box = formula_widget()
    assert "numdiff-widget" in box._dom_classes
    text, slider, caption, image = parts(box)
    assert text.value == "3*x*exp(x)" and text.continuous_update
    assert slider.value == 2.0 and (slider.min, slider.max) == (-1, 3)
    assert 'class="numdiff-caption"' in caption.value and "3*x*exp(x)" in caption.value
    assert image.value  # drawn once on creation


def test_typing_a_new_formula_redraws():
    text, slider, caption, image = parts(formula_widget())
    before = image.value
    text.value = "sin(x)"
    assert image.value != before
    assert "sin(x)" in caption.value and "cos(x)" in caption.value
    slider.value = 1.0
    assert "x0 = 1.00" in caption.value


def test_bad_text_keeps_the_last_figure_and_says_what_is_wrong():
    text, _, caption, image = parts(formula_widget())
    good = image.value
    text.value = "3*x*exp("  # half typed
    assert "parentheses" in caption.value and "still showing" in caption.value
    assert image.value == good
    text.value = "x.real"
    assert "attribute" in caption.value
    text.value = "x**3"
    assert "3*x**2" in caption.value and image.value != good


def test_widget_starting_from_bad_text_shows_the_message():
    text, _, caption, image = parts(formula_widget("x[0]"))
    assert "Cannot use" in caption.value and image.value
    text.value = "x**2"
    assert "2*x" in caption.value


def test_only_formulas_that_change_are_redrawn():
    text, slider, caption, image = parts(formula_widget())
    good, good_caption = image.value, caption.value
    text.value = "3*x*exp("
    text.value = "3 * x * exp(x)"  # the same formula: the message clears, no new drawing
    assert image.value is good and caption.value == good_caption
    text.value = "3*x*exp("
    slider.value = 0.5  # the slider redraws the last formula; the message about the typo stays
    assert image.value != good
    assert "Not a formula yet" in caption.value and "still showing" in caption.value
