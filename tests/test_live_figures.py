"""The sliders' figures (plots.LiveFigure, widgets): a blitted frame is the figure a full draw
gives, a failed update leaves nothing behind, and every slider follows a drag."""

import warnings

import numpy as np
import pytest
from matplotlib.testing.compare import compare_images

from numdiff_lib import DivergenceWarning, gradient_descent, plots, widgets
from numdiff_lib.formula_data import drawing_data


def f_secant(x):
    return 3 * x * np.exp(x)


def df_secant(x):
    return 3 * np.exp(x) * (1 + x)


def bowl(x):
    return x[0] ** 2 + 4 * x[1] ** 2


def secant():
    return plots.secant_figure(f_secant, 2.0, 1.0, (0, 3), df_secant), [
        {"delta_x": 0.5}, {"delta_x": 1e-3}, {"delta_x": 2.0}]


def descent():
    with warnings.catch_warnings():  # lr = 0.3 diverges on purpose: its frame says so
        warnings.simplefilter("ignore", DivergenceWarning)
        runs = [gradient_descent(bowl, np.array([-3.0, 4.0]), lr=lr, step_num=n)
                for lr, n in ((0.1, 20), (0.3, 5), (0.01, 60))]
    return plots.descent_figure(bowl), [
        {"result": r, "label": f"lr = {lr}", "step_num": n}
        for r, lr, n in zip(runs, (0.1, 0.3, 0.01), (20, 5, 60), strict=True)]


def taylor():
    return plots.taylor_figure(np.sin, 0.5, (-1, 3)), [{"x0": 1.5}, {"x0": -0.5}, {"x0": 2.9}]


def formula():
    data = drawing_data("x**3 - 3*x", 0.5, (-3, 3))
    return plots.formula_figure(data), [
        {"x0": x0, "fx0": x0**3 - 3 * x0, "shown_slope": 3 * x0**2 - 3} for x0 in (1.0, -2.0)]


BUILDERS = [secant, descent, taylor, formula]
# Blitting draws the moving artists over the kept background, so where a mover crosses a still
# artist of higher z-order (the minimum's marker) a few dozen pixels differ: RMS below 1.5.
# A missing title or legend, or an artist left from an earlier frame, gives 3 or more.
TOLERANCE = 1.5


def same_picture(tmp_path, name, blitted, full):
    """compare_images on the two PNGs: None when they agree within a small RMS tolerance."""
    a, b = tmp_path / f"{name}-blitted.png", tmp_path / f"{name}-full.png"
    a.write_bytes(blitted)
    b.write_bytes(full)
    return compare_images(str(b), str(a), tol=TOLERANCE)


@pytest.mark.slow  # a dozen full renders and image comparisons: the full suite's
@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_each_blitted_frame_is_the_figure_a_full_draw_gives(build, tmp_path):
    # The frames a slider shows are blitted (background kept, movers drawn on it); they must
    # match savefig of the same figure, titles included (a hidden title once left the frame).
    live, moves = build()
    for k, values in enumerate(moves):
        live.update(**values)
        blitted = live.png()
        full = plots.figure_png(live.figure)
        problem = same_picture(tmp_path, f"{build.__name__}{k}", blitted, full)
        assert problem is None, f"{build.__name__} after {values}: {problem}"


@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_titles_stay_inside_the_frame(build):
    live, moves = build()
    for values in moves:
        live.update(**values)
        live.png()
        for ax in live.figure.axes:
            x, y = ax.title.get_position()
            assert 0.9 <= y <= 1.3, f"{build.__name__}: title at y = {y} (axes fraction)"


@pytest.mark.slow
@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_a_failed_update_leaves_nothing_behind(build, tmp_path):
    # An update that raises part-way is fully overwritten by the next one: the frame after
    # it is the frame a fresh figure gives for the same values.
    live, moves = build()
    broken = {name: object() for name in moves[0]}  # nothing a figure can be drawn from
    with pytest.raises(Exception):  # noqa: B017, PT011 — any error: the figure is the point
        live.update(**broken)
    live.update(**moves[1])
    after = live.png()
    fresh, _ = build()
    fresh.update(**moves[1])
    problem = same_picture(tmp_path, build.__name__, after, fresh.png())
    assert problem is None, problem


def test_a_draw_that_fails_shows_its_reason_not_the_previous_figure():
    calls = []

    def draw(delta_x):
        calls.append(delta_x)
        if delta_x > 1:
            raise ValueError("too wide to draw")
        return plots.figure_png(plots.plot_message("ok", f"{delta_x}")), f"Δx = {delta_x}"

    slider = widgets._log_slider("Δx", 0.1, -6, 1)
    box = widgets.interactive_figure(draw, delta_x=slider)
    image, caption = box.children[-1], box.children[-2]
    before = image.value
    slider.value = 5.0
    assert "too wide to draw" in caption.value
    assert image.value != before
    slider.value = 0.5
    assert caption.value.endswith("Δx = 0.5") or "Δx = 0.5" in caption.value
    assert calls == [0.1, 5.0, 0.5]


def sliders(box):
    return [c for c in box.children if hasattr(c, "continuous_update")]


@pytest.mark.parametrize("make", [
    lambda: widgets.secant_widget(f_secant, 2.0, 1.0, (0, 3), df_secant),
    lambda: widgets.descent_widget(bowl, np.array([-3.0, 4.0])),
    lambda: widgets.taylor_widget(np.sin, 0.5, (-1, 3)),
], ids=["secant", "descent", "taylor"])
def test_every_slider_updates_while_dragged(make):
    box = make()
    found = sliders(box)
    assert found, "no slider"
    assert all(s.continuous_update for s in found), [s.description for s in found]


def test_plot_formula_draws_a_typed_formula_with_its_tangent():
    fig = plots.plot_formula(drawing_data("x**3 - 3*x", 0.5, (-3, 3)))
    ax = fig.axes[0]
    assert len(ax.lines) >= 2 and plots.figure_png(fig).startswith(b"\x89PNG")
