"""numeric.plot_derivative: the figure holds the data it claims, and bad input is refused."""

from __future__ import annotations

import numpy as np
import pytest

import numeric
from numeric.figures.derivative_plot import FLOOR
from numeric.finite_differences import finite_difference

X = np.linspace(-3.0, 3.0, 121)


def relative(a, b):
    # Written out here, not imported: |a - b| / max(|a|, |b|), 0 where both are 0.
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    out = np.zeros_like(a)
    for i, (u, v) in enumerate(zip(a, b, strict=True)):
        if max(abs(u), abs(v)) > 0:
            out[i] = abs(u - v) / max(abs(u), abs(v))
    return out


def cube(x):
    return x**3 - 2 * x


def cube_prime(x):
    return 3 * x**2 - 2


@pytest.mark.parametrize("method", ["central", "richardson", "complex"])
def test_the_curves_hold_the_function_its_derivative_and_the_estimate(method):
    fig = numeric.plot_derivative(cube, cube_prime, X, method=method)
    top, bottom = fig.axes
    function, analytic, estimate = top.get_lines()
    for line in (function, analytic, estimate):
        np.testing.assert_array_equal(line.get_xdata(), X)
    np.testing.assert_array_equal(function.get_ydata(), X**3 - 2 * X)
    np.testing.assert_array_equal(analytic.get_ydata(), 3 * X**2 - 2)
    numeric_values = finite_difference(cube, X, method=method)
    np.testing.assert_array_equal(estimate.get_ydata(), numeric_values)
    (difference,) = bottom.get_lines()
    np.testing.assert_array_equal(difference.get_xdata(), X)
    want = np.maximum(relative(numeric_values, 3 * X**2 - 2), FLOOR)
    np.testing.assert_array_equal(difference.get_ydata(), want)
    # The estimate is close (the finite differences' own accuracy), not the same curve twice.
    assert 0 < np.max(want) < 1e-6


def test_labels_legend_and_log_scale():
    fig = numeric.plot_derivative(cube, cube_prime, X)
    top, bottom = fig.axes
    assert top.get_ylabel() == "value"
    assert bottom.get_xlabel() == "$x$" and bottom.get_ylabel() == "relative difference"
    assert bottom.get_yscale() == "log" and top.get_yscale() == "linear"
    legend = [text.get_text() for text in top.get_legend().get_texts()]
    assert legend == ["cube(x)", "cube_prime(x), analytic", "central difference"]


def test_an_exact_agreement_is_drawn_at_the_floor_and_said_so():
    # f(x) = x: each central difference is (x + h - (x - h)) / ((x + h) - (x - h)) = 1 exactly.
    fig = numeric.plot_derivative(lambda x: x, np.ones_like, X)
    bottom = fig.axes[1]
    np.testing.assert_array_equal(bottom.get_lines()[0].get_ydata(), np.full(X.shape, FLOOR))
    assert any("exact agreement" in text.get_text() for text in bottom.texts)
    # Elsewhere no note: the cube's estimate is nowhere exact.
    assert not numeric.plot_derivative(cube, cube_prime, X).axes[1].texts


def test_the_documents_sigmoid_figure_is_drawn_by_it():
    from numeric.figures import figures

    fig = figures()["sigmoid-and-derivative"].draw()
    top, bottom = fig.axes
    z = top.get_lines()[0].get_xdata()
    np.testing.assert_array_equal(top.get_lines()[0].get_ydata(), numeric.sigmoid(z))
    np.testing.assert_array_equal(top.get_lines()[1].get_ydata(), numeric.sigmoid_derivative(z))
    estimate = finite_difference(numeric.sigmoid, z)
    want = np.maximum(relative(estimate, numeric.sigmoid_derivative(z)), FLOOR)
    np.testing.assert_array_equal(bottom.get_lines()[0].get_ydata(), want)
    assert bottom.get_yscale() == "log"
    # The caption's numbers: between 1e-13 and 1e-8.
    assert 1e-13 < want.min() and want.max() < 1e-8


@pytest.mark.parametrize(
    ("arguments", "error", "named"),
    [
        ((1.0, cube_prime, X), TypeError, "f must be callable"),
        ((cube, "3 x**2 - 2", X), TypeError, "fprime must be callable"),
        ((cube, cube_prime, X.reshape(11, 11)), ValueError, "x must be 1-d"),
        ((cube, cube_prime, [1.0]), ValueError, "x must be 1-d"),
        ((cube, cube_prime, 1.0), ValueError, "x must be 1-d"),
        ((cube, cube_prime, [0.0, np.nan, 1.0]), ValueError, "x must be finite"),
        ((cube, cube_prime, [0.0, np.inf]), ValueError, "x must be finite"),
        ((cube, cube_prime, np.array([1j, 2j])), TypeError, "x has dtype complex"),
        ((cube, cube_prime, ["a", "b"]), TypeError, "x has dtype"),
        ((cube, lambda x: 1.0, X), ValueError, r"fprime\(x\) must have the shape of x"),
        ((lambda x: x.astype(complex), cube_prime, X), TypeError, r"f\(x\) must be real"),
    ],
)
def test_bad_input_is_refused_naming_the_parameter(arguments, error, named):
    with pytest.raises(error, match=f"plot_derivative: {named}"):
        numeric.plot_derivative(*arguments)


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="plot_derivative: method must be one of"):
        numeric.plot_derivative(cube, cube_prime, X, method="forward")
