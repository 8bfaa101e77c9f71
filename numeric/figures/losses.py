"""Figures of the losses: the learning slowdown, and the eleven-line network's training."""

from __future__ import annotations

import numpy as np

from numeric.activations import sigmoid
from numeric.figures import FigureSpec
from numeric.figures.style import curve, new_figure, style
from numeric.losses import bce_gradient, mse_gradient
from numeric.training import layer_iterates, train_neuron

__all__ = ["FIGURES"]

# The lecture's scenario: input 1, target 0, learning rate 0.15, 300 epochs.
SCENARIO = {"x": 1.0, "y": 0.0, "lr": 0.15, "epochs": 300}
STARTS = {"near": (0.6, 0.9), "far": (2.0, 2.0)}
LOSSES = {"mse": ("squared error", curve(0)), "bce": ("cross-entropy", curve(1))}

ELEVEN_LINE_X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
ELEVEN_LINE_Y = np.array([[0, 0, 1, 1]]).T


def training_curves():
    with style():
        fig, axes = new_figure(columns=2, rows=2, height=4.0)
        for column, (where, (w, b)) in enumerate(STARTS.items()):
            top, bottom = axes[0, column], axes[1, column]
            for loss, (label, line) in LOSSES.items():
                history = train_neuron(loss, w=w, b=b, **SCENARIO)
                epochs = np.arange(history.output.size)
                top.plot(epochs, history.output, **line, label=label)
                # The two costs have different scales; relative to the start both begin at 1,
                # so the curves compare progress, not the costs' sizes.
                bottom.plot(epochs, history.cost / history.cost[0], **line, label=label)
            top.set_title(f"{where} start: $(w, b) = ({w:g}, {b:g})$")
            top.set_ylim(-0.03, 1.03)
            top.set_ylabel("output $a$")
            bottom.set_yscale("log")
            bottom.set_ylim(2e-3, 2)
            bottom.set_ylabel("cost / cost at the start")
            bottom.set_xlabel("epoch")
        axes[0, 0].legend(loc="upper right")
    return fig


def gradient_size():
    z = np.linspace(-10, 10, 801)
    # dC/dz = dC/db, (a - y) sigma'(z) or a - y, does not depend on the input x: computed as
    # dC/db at x = 1, w = z, b = 0
    with style():
        fig, ((ax,),) = new_figure(height=2.8)
        ax.axvspan(0, 10, color="0.92", zorder=0)
        for loss, gradient in (("mse", mse_gradient), ("bce", bce_gradient)):
            label, line = LOSSES[loss]
            _, dz = gradient(1.0, 0.0, z, 0.0)
            ax.plot(z, np.abs(dz), **line, label=label)
        ax.text(0.4, 2e-5, "wrong side:\noutput near 1, target 0", fontsize=9)
        ax.set_yscale("log")
        ax.set_ylim(1e-5, 3)
        ax.set_xlabel("$z$")
        ax.set_ylabel("gradient size $|\\partial C/\\partial z|$")
        ax.legend(loc="upper left")
    return fig


def eleven_line_training():
    iterates, X = layer_iterates(ELEVEN_LINE_X, ELEVEN_LINE_Y, 10_000, 1)
    outputs = sigmoid(iterates @ X.T)  # row k: l1 at the weights after k updates
    cost = 0.5 * np.sum((ELEVEN_LINE_Y.ravel() - outputs) ** 2, axis=1)
    epoch = np.arange(cost.size)
    with style():
        fig, ((ax,),) = new_figure(height=2.8)
        ax.plot(epoch[1:], cost[1:], label="squared error $\\frac{1}{2}\\sum (y - l_1)^2$")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("epoch (one full-batch update)")
        ax.set_ylabel("cost $C$")
        ax.legend(loc="upper right")
    return fig


FIGURES = (
    FigureSpec(
        "loss-training-curves",
        "One neuron, input 1, target 0, learning rate 0.15. Top: the output $a$. Bottom: each "
        "cost divided by its value at the start, since the two costs have different scales. "
        "Left: started near the answer, both costs train. Right: started far from it, the "
        "squared error barely moves for over a hundred epochs, while cross-entropy drops at "
        "once.",
        training_curves,
    ),
    FigureSpec(
        "loss-gradient-size",
        "The size of the gradient with respect to the pre-activation $z$, for target 0. On "
        "the wrong side ($z > 0$, shaded) the squared error's gradient vanishes like $e^{-z}$; the "
        "cross-entropy's tends to 1.",
        gradient_size,
    ),
    FigureSpec(
        "eleven-line-training",
        "The eleven-line network: its cost, the squared error over the four examples, during "
        "10,000 epochs of gradient descent with learning rate 1, from the published code's "
        "random starting weights (Appendix).",
        eleven_line_training,
    ),
)
