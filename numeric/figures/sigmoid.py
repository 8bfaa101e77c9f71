"""Figures of the sigmoid itself."""

from __future__ import annotations

import numpy as np

from numeric.activations import sigmoid, sigmoid_prime
from numeric.figures import FigureSpec
from numeric.figures.style import new_figure, style

__all__ = ["FIGURES"]


def sigmoid_and_derivative():
    z = np.linspace(-8, 8, 801)
    with style():
        fig, ((ax,),) = new_figure(height=3.2)
        ax.plot(z, sigmoid(z), label=r"$\sigma(z)$")
        ax.plot(z, sigmoid_prime(z), label=r"$\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$")
        ax.axhline(0.25, color="0.5", linewidth=0.8, linestyle=":")
        ax.annotate(
            "maximum 1/4 at z = 0",
            (0, 0.25),
            (1.2, 0.33),
            fontsize=9,
            arrowprops={"arrowstyle": "->", "color": "0.4"},
        )
        ax.set_xlabel("$z$")
        ax.set_ylabel("value")
        ax.set_ylim(-0.05, 1.05)
        ax.legend(loc="upper left")
    return fig


FIGURES = (
    FigureSpec(
        "sigmoid-and-derivative",
        "The sigmoid and its derivative. The derivative peaks at $1/4$ at $z = 0$ and "
        "vanishes in both tails, where the unit saturates.",
        sigmoid_and_derivative,
    ),
)
