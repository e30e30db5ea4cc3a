"""The formula box of lesson 05: formula_render and formula_widget, on good and bad input.

The figure and caption always belong to the text in the box: a formula that is refused, that
cannot be drawn or that runs too long replaces the picture with one stating why.
"""

import ipywidgets as widgets
import pytest

from numdiff_lib import widgets as nw
from numdiff_lib.widgets import formula_render, formula_widget


def parts(box):
    """(text box, x0 slider, caption HTML, image) of a formula widget."""
    kinds = (widgets.Text, widgets.FloatSlider, widgets.HTML, widgets.Image)
    return tuple(next(c for c in box.children if type(c) is k) for k in kinds)


def test_render_shows_formula_derivative_and_both_slopes():
    png, caption = formula_render("3*x*exp(x)", x0=2.0)
    assert png.startswith(b"\x89PNG") and len(png) > 1000
    assert "3*x*exp(x)" in caption
    assert "3*x*exp(x) + 3*exp(x)" in caption  # the symbolic derivative
    # numerical (central, 1e-4) and exact 9*e^2 = 66.5015048903..., side by side
    assert "66.50150508" in caption and "66.50150489" in caption


def test_render_reports_the_caret_note():
    _, caption = formula_render("x^2", x0=1.0)
    assert "x**2" in caption and "^ was read as **" in caption


@pytest.mark.parametrize(("text", "words"), [
    ("x.real", ["Cannot use", "attribute"]),
    ("x < 1", ["Cannot use", "&lt;", "comparisons"]),   # escaped: the caption is HTML
    ("__import__('os').system('ls')", ["Cannot use", "without quotes"]),
    ("ｅｘｐ(x)", ["Cannot use", "plain &#x27;e&#x27;"]),
    ("9**9**9", ["exponent"]),
    ("(((3*x)**1000)**1000)**1000", ["Cannot use", "floating point"]),
    ("exp(-10**19)*x", ["Cannot use", "too small"]),
    ("10**308", ["Cannot draw", "out of range"]),
    ("cosh(710)", ["Cannot draw", "out of range"]),
    ("1e308*x/3", ["Cannot draw", "out of range"]),
])
def test_refused_or_undrawable_formulas_say_why(text, words):
    png, caption = formula_render(text)
    assert png.startswith(b"\x89PNG")
    for word in words:
        assert word in caption, caption
    assert "[<class" not in caption and "Traceback" not in caption


def test_zero_to_the_x_names_the_real_problem():
    _, caption = formula_render("0**x", x0=2.0)
    assert "vertical tangent" not in caption
    assert "undefined form" in caption


def test_outside_the_domain_is_said():
    _, caption = formula_render("log(x)", x0=-0.5)
    assert "outside the domain" in caption


def test_numerical_slope_unavailable_next_to_the_edge():
    _, caption = formula_render("sqrt(x)", x0=0.0)
    assert "not available here" in caption


def test_nowhere_defined_on_the_range():
    _, caption = formula_render("log(x - 10)", x0=1.0, xlim=(-1, 3))
    assert "not defined anywhere" in caption


def test_a_runaway_formula_is_abandoned(monkeypatch):
    monkeypatch.setattr(nw, "FORMULA_SECONDS", 1e-4)  # no formula is worked out that fast
    # A text no other test types: the worker keeps parsed formulas, and a kept one answers fast.
    png, caption = formula_render("sin(x)**7*exp(cos(x))*log(x + 11)")
    assert png.startswith(b"\x89PNG") and "took longer than" in caption
    monkeypatch.undo()
    _, caption = formula_render("x**2")  # the next formula gets a fresh worker
    assert "2*x" in caption


def test_widget_builds_with_the_shared_layout():
    box = formula_widget()
    assert "numdiff-widget" in box._dom_classes
    text, slider, caption, image = parts(box)
    assert text.value == "3*x*exp(x)" and text.continuous_update
    assert slider.value == 2.0 and (slider.min, slider.max) == (-1, 3)
    assert slider.continuous_update
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


@pytest.mark.parametrize("bad", ["3*x*exp(", "x.real", "10**308", "cosh(710)", "1e308*x/3"])
def test_bad_text_never_leaves_the_old_figure(bad):
    text, _, caption, image = parts(formula_widget("10**30"))
    good = image.value
    text.value = bad
    assert image.value != good, "the figure of an earlier formula is still on screen"
    assert html_text(bad) in caption.value


def test_widget_starting_from_bad_text_shows_the_message():
    text, _, caption, image = parts(formula_widget("x[0]"))
    assert "Cannot use" in caption.value and image.value
    text.value = "x**2"
    assert "2*x" in caption.value


def html_text(text):
    import html

    return html.escape(text)


def test_an_overflowing_formula_is_said_in_a_sentence():
    # SymPy's evaluation overflows in the worker: a sentence, not "(OverflowError: (34, ...))".
    _, caption = formula_render("(pi*x)**1000")
    assert "out of range for floating point" in caption and "OverflowError" not in caption


def test_an_overflowing_value_at_x0_is_not_called_outside_the_domain():
    _, caption = formula_render("(x+1)**1000*(x+2)**1000", x0=2.0)
    assert "overflows" in caption and "outside the domain" not in caption
