"""Figures of the sigmoid itself."""

from __future__ import annotations

import numpy as np

from numeric.activations import sigmoid, sigmoid_derivative
from numeric.figures import FigureSpec
from numeric.figures.derivative_plot import plot_derivative
from numeric.figures.style import style

__all__ = ["FIGURES"]

LABELS = (r"$\sigma(z)$", r"$\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$", "central difference")


def sigmoid_and_derivative():
    z = np.linspace(-8, 8, 801)
    fig = plot_derivative(sigmoid, sigmoid_derivative, z)
    with style():  # what is added here gets the figures' look too
        top, bottom = fig.axes
        for line, label in zip(top.get_lines(), LABELS, strict=True):
            line.set_label(label)
        top.axhline(0.25, color="0.5", linewidth=0.8, linestyle=":")
        top.annotate(
            "maximum $1/4$ at $z = 0$",
            (0, 0.25),
            (1.2, 0.33),
            fontsize=9,
            arrowprops={"arrowstyle": "->", "color": "0.4"},
        )
        top.set_ylim(-0.05, 1.05)
        top.legend(loc="upper left")
        bottom.set_xlabel("$z$")
        bottom.set_ylabel("relative\ndifference")
    return fig


FIGURES = (
    FigureSpec(
        "sigmoid-and-derivative",
        "The sigmoid (solid) and its derivative (dashed), top. The derivative peaks at $1/4$ "
        "at $z = 0$ and vanishes in both tails, where the unit saturates. A central "
        "difference of the sigmoid (hollow squares) lies on the derivative; below, their "
        "relative difference, between $10^{-13}$ and $10^{-8}$: the estimate keeps eight "
        "digits or more.",
        sigmoid_and_derivative,
    ),
)
