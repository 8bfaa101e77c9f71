"""The figures read in grayscale: no two curves differ only in colour; their text has no text math.

Printed in black and white, or read by someone who does not tell the colours apart, two curves
of one panel that differ only in colour look the same. So within each Axes, any two lines (or
bar series) of different colours must differ in dash pattern, marker or hatch as well. A line
drawn in the colour and dash of another (a curve's own boundary mark, say) is one look, which
grayscale does not confuse with anything colour would have told apart.
"""

from functools import cache
from itertools import combinations

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from numeric.figures import figures
from numeric.figures.style import COLORS, DASHES, MARKERS, curve, new_figure, points
from numeric.finite_differences import finite_difference
from numeric.squashing import loss
from tests.test_document_layout import text_mode_math

EPS = np.finfo(np.float64).eps


@cache
def drawn(name: str) -> Figure:
    return figures()[name].draw()


def look(line: Line2D) -> tuple:
    """What is left of a line in grayscale, colour aside: its dash pattern and its marker."""
    if line.get_linestyle() == "None":
        dash = "no line"
    else:
        # matplotlib's dash pattern before scaling by the line width; solid is None or ().
        _offset, pattern = line._unscaled_dash_pattern
        dash = tuple(pattern) if pattern else "solid"
    marker = line.get_marker()
    return dash, None if marker in ("None", "none", "", " ", None) else marker


def told_apart_by_colour_only(ax) -> list[tuple[str, str]]:
    """Pairs of lines, and of bar series, of ax that only their colour distinguishes."""
    lines = [x for x in ax.get_lines() if x.get_visible() and len(x.get_xdata()) > 0]
    found = [
        (a.get_label(), b.get_label())
        for a, b in combinations(lines, 2)
        if to_rgba(a.get_color()) != to_rgba(b.get_color()) and look(a) == look(b)
    ]
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    found += [
        (a.get_label(), b.get_label())
        for a, b in combinations(bars, 2)
        if to_rgba(a[0].get_facecolor()) != to_rgba(b[0].get_facecolor())
        and a[0].get_hatch() == b[0].get_hatch()
    ]
    return found


def test_the_rule_finds_curves_that_differ_only_in_colour():
    _fig, ((ax,),) = new_figure()
    x = np.linspace(0.0, 1.0, 11)
    ax.plot(x, x, color=COLORS[0], linestyle="-")
    ax.plot(x, x**2, color=COLORS[1], linestyle="-")
    ax.bar([0, 1], [1, 2], color=COLORS[2], label="a")
    ax.bar([0, 1], [2, 1], color=COLORS[3], label="b")
    assert len(told_apart_by_colour_only(ax)) == 2
    # Dashed against dash-dot, marked against unmarked, a curve and its own thin mark: apart.
    _fig, ((ax,),) = new_figure()
    ax.plot(x, x, **curve(1))
    ax.plot(x, x, **curve(2))
    ax.plot(x, x, **curve(1, linewidth=0.5))
    ax.plot(x, x, **points(1))
    ax.plot(x, x, **curve(0, marked=True))
    ax.plot(x, x, **curve(0, marker=MARKERS[1]))
    assert told_apart_by_colour_only(ax) == []


def test_the_style_cycle_pairs_every_colour_with_its_own_dash_and_marker():
    assert len(set(map(str, DASHES))) == len(set(MARKERS)) == len(set(COLORS)) == len(COLORS)
    _fig, ((ax,),) = new_figure()
    x = np.linspace(0.0, 1.0, 11)
    for k in range(len(COLORS)):  # the default cycle, as a figure that names no style gets it
        ax.plot(x, k * x)
    assert told_apart_by_colour_only(ax) == []
    assert len({look(line) for line in ax.get_lines()}) == len(COLORS)


@pytest.mark.parametrize("name", sorted(figures()))
def test_no_two_curves_of_a_panel_differ_only_in_colour(name):
    for ax in drawn(name).axes:
        assert told_apart_by_colour_only(ax) == [], (name, ax.get_title())


@pytest.mark.parametrize("name", sorted(figures()))
def test_figure_text_writes_math_as_math(name):
    # Titles, axis labels, notes, tick labels and legend entries: "z = 0" belongs in $...$.
    # (The captions are checked with the rest of the document's prose in test_document_layout.)
    fig = drawn(name)
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert [hit for text in texts for hit in text_mode_math(text)] == [], name


def test_the_forward_difference_caption_names_the_default_steps():
    # The caption says the central step is eps**(1/3) max(1, |x|) and Richardson's largest step
    # eps**(1/7) max(1, |x|). Recovered from numeric.finite_difference without reading its constants:
    # a central difference of x**3 at 0 is ((h**3) - (-h)**3) / (2h) = h**2 exactly, and one of
    # x**7 is h**6, which Richardson's weights (64 D(h/4) - 20 D(h/2) + D(h)) / 45 turn into
    # h**6 (64/4**6 - 20/2**6 + 1) / 45 = h**6 / 64. Both hold up to a few roundings.
    caption = figures()["sigmoid-forward-difference"].caption
    assert r"\epsilon^{1/3} \max(1, |x|)" in caption
    assert r"\epsilon^{1/7} \max(1, |x|)" in caption
    assert r"6 \cdot 10^{-6}" in caption and r"6 \cdot 10^{-3}" in caption
    central = np.sqrt(finite_difference(lambda t: t**3, 0.0, method="central"))
    richardson = (64 * finite_difference(lambda t: t**7, 0.0, method="richardson")) ** (1 / 6)
    assert abs(central / EPS ** (1 / 3) - 1) <= 4 * EPS
    assert abs(richardson / EPS ** (1 / 7) - 1) <= 4 * EPS
    assert round(float(central), 6) == 6e-6 and round(float(richardson), 3) == 6e-3
    # At |x| > 1 the step grows with |x|: the central difference of x**3 at 4 is 48 + h**2.
    at_four = finite_difference(lambda t: t**3, 4.0, method="central") - 48
    assert abs(np.sqrt(at_four) / (4 * EPS ** (1 / 3)) - 1) <= 1e-3


def test_the_pairs_the_loss_caption_calls_nearly_coinciding_do():
    # On the wrong side, -20 <= x <= 0 as drawn: the Gudermannian's loss minus the logistic
    # one lies in [0, ln(pi/2)) (p ~ 2 e^x / pi against e^x), and arctan's and softsign's
    # differ by less than 0.41 (p ~ 1/(pi |x|) against 1/(2 + 2|x|)), as the caption says.
    caption = figures()["squashing-losses"].caption
    assert r"less than $\ln(\pi/2) \approx 0.45$" in caption and "less than $0.41$" in caption
    x = np.linspace(-20.0, 0.0, 20001)
    gap = loss("gudermannian", x) - loss("logistic", x)
    assert gap.min() >= 0 and gap.max() < np.log(np.pi / 2) < 0.45 + 0.005
    gap = np.abs(loss("arctan", x) - loss("softsign", x))
    assert 0.40 < gap.max() < 0.41
