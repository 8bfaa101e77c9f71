"""Figures: the S-curves and their losses, the softmax, gradient descent, finite differences."""

from __future__ import annotations

import numpy as np

from numeric.activations import sigmoid, sigmoid_prime
from numeric.figures import FigureSpec
from numeric.figures.style import COLORS, new_figure, style
from numeric.finite_differences import derivative
from numeric.normalization import softmax, standardized_sigmoid
from numeric.squashing import NAMES, loss, loss_slope, squash
from numeric.training import gradient_descent

__all__ = ["FIGURES"]

LABELS = {
    "logistic": r"logistic $\sigma(x)$",
    "tanh": r"$(1 + \tanh x)/2$",
    "arctan": r"$1/2 + \arctan(x)/\pi$",
    "algebraic": r"$(1 + x/\sqrt{1 + x^2})/2$",
    "erf": r"$(1 + \mathrm{erf}\,x)/2$",
    "softsign": r"$(1 + x/(1 + |x|))/2$",
    "gudermannian": r"$1/2 + \mathrm{gd}(x)/\pi$",
}
DASHES = {"logistic": "-", "tanh": "--", "gudermannian": ":"}
X = np.linspace(-20.0, 20.0, 2001)


def _plot_all(ax, values) -> None:
    for name, color in zip(NAMES, COLORS, strict=True):
        ax.plot(X, values(name), color=color, linestyle=DASHES.get(name, "-"), label=LABELS[name])


def squashing_curves():
    with style():
        fig, ((ax,),) = new_figure(height=3.4)
        _plot_all(ax, lambda name: squash(name, X))
        ax.set_xlabel("$x$")
        ax.set_ylabel("$p(x)$")
        ax.set_xlim(-20, 20)
        ax.legend(loc="upper left", fontsize=8)
    return fig


def squashing_losses():
    wrong = X <= 0
    with style():
        fig, axes = new_figure(columns=2, rows=2, height=6.2, width=7.0)
        (loss_wrong, slope_wrong), (loss_all, slope_all) = axes
        for name, color in zip(NAMES, COLORS, strict=True):
            style_ = {"color": color, "linestyle": DASHES.get(name, "-"), "label": LABELS[name]}
            values, slopes = loss(name, X), -loss_slope(name, X)
            loss_wrong.plot(X[wrong], values[wrong], **style_)
            slope_wrong.plot(X[wrong], slopes[wrong], **style_)
            loss_all.plot(X, values, **style_)
            slope_all.plot(X, slopes, **style_)
        loss_wrong.set_title("the wrong side, in detail", fontsize=10)
        slope_wrong.set_title("the wrong side, in detail", fontsize=10)
        loss_all.set_title("both sides", fontsize=10)
        slope_all.set_title("both sides", fontsize=10)
        for ax in (loss_wrong, slope_wrong):
            ax.set_xlim(-20, 0)
        loss_wrong.set_ylim(0.5, 1000)
        slope_wrong.set_ylim(0.02, 100)
        for ax in (loss_all, slope_all):
            ax.set_xlim(-20, 20)
            ax.set_ylim(1e-180, 1e4)
            ax.set_xlabel("$x$ (the target is 1: $x < 0$ is wrong)")
        for ax in (loss_wrong, loss_all):
            ax.set_yscale("log")
            ax.set_ylabel(r"loss $L = -\ln p(x)$")
        for ax in (slope_wrong, slope_all):
            ax.set_yscale("log")
            ax.set_ylabel(r"$-dL/dx$")
        fig.legend(
            *loss_all.get_legend_handles_labels(), loc="outside lower center", ncol=4, fontsize=8
        )
    return fig


# Values near 1 and one outlier, as in the question that compares the three.
OUTLIER = np.array([1.0, 1.2, 0.8, 1.1, 5000.0])


def softmax_outlier():
    mean, variance = OUTLIER.mean(), OUTLIER.var()
    bars = {
        r"sigmoid $\sigma(x_i)$": sigmoid(OUTLIER),
        "softmax": softmax(OUTLIER),
        "standardized, ddof = 0": standardized_sigmoid(OUTLIER),
        "standardized, ddof = 1": standardized_sigmoid(OUTLIER, ddof=1),
        r"$\sigma((x_i - m)/\mathrm{variance})$": sigmoid((OUTLIER - mean) / variance),
    }
    width = 0.16
    positions = np.arange(OUTLIER.size)
    with style():
        fig, ((ax,),) = new_figure(height=3.4)
        for k, ((label, values), color) in enumerate(zip(bars.items(), COLORS, strict=False)):
            ax.bar(positions + (k - 2) * width, values, width, color=color, label=label)
        ax.set_xticks(positions, [f"$x_{i + 1} = {v:g}$" for i, v in enumerate(OUTLIER)])
        ax.set_xlabel("the five values")
        ax.set_ylabel("output")
        ax.set_ylim(0, 1.05)
        ax.axhline(0.5, color="0.5", linewidth=0.8, linestyle=":")
        for position in positions[:-1]:  # the softmax bars too short to see
            ax.text(position - width, 0.01, "0", ha="center", fontsize=7, color=COLORS[1])
        fig.legend(loc="outside lower center", ncol=3, fontsize=8)
    return fig


def gradient_descent_quadratic():
    steps = 50
    iterates = gradient_descent(lambda x: 2 * x - 4, 8.0, lr=0.1, steps=steps)
    n = np.arange(steps + 1)
    with style():
        fig, ((left, right),) = new_figure(columns=2, height=3.3, width=7.0)
        grid = np.linspace(-1, 9, 401)
        left.plot(grid, grid**2 - 4 * grid + 6, color=COLORS[0], label="$y = x^2 - 4x + 6$")
        shown = iterates[:12]
        left.plot(
            shown,
            shown**2 - 4 * shown + 6,
            "o-",
            color=COLORS[1],
            markersize=4,
            linewidth=1,
            label=r"iterates, $\eta = 0.1$",
        )
        left.annotate(
            "$x_0 = 8$",
            (8, 38),
            (5.2, 40),
            fontsize=9,
            arrowprops={"arrowstyle": "->", "color": "0.4"},
        )
        left.set_xlabel("$x$")
        left.set_ylabel("$y$")
        left.legend(loc="upper center", fontsize=8)
        right.semilogy(
            n, np.abs(iterates - 2), "o", color=COLORS[1], markersize=3, label="gradient descent"
        )
        right.semilogy(n, 6 * 0.8**n, color=COLORS[2], label=r"closed form $6 \cdot 0.8^n$")
        right.set_xlabel("step $n$")
        right.set_ylabel("distance to the minimum $|x_n - 2|$")
        right.legend(loc="upper right", fontsize=8)
    return fig


def forward_difference():
    x = np.linspace(-8.0, 8.0, 1601)
    exact = sigmoid_prime(x)
    h = 1e-13
    forward_tiny = (sigmoid(x + h) - sigmoid(x)) / h
    forward_good = (sigmoid(x + 1.5e-8) - sigmoid(x)) / 1.5e-8
    central = derivative(sigmoid, x, method="central")
    near = np.linspace(0.98, 1.02, 801)
    with style():
        fig, ((whole, zoom, error),) = new_figure(columns=3, height=3.2, width=7.0)
        whole.plot(x, sigmoid(x), color=COLORS[0], label=r"$\sigma(x)$")
        whole.plot(x, exact, color="0.3", label=r"$\sigma'(x)$")
        whole.plot(
            x, forward_tiny, color=COLORS[1], linewidth=0.8, label=r"forward, $h = 10^{-13}$"
        )
        whole.set_title("the sigmoid and its slope", fontsize=10)
        zoom.plot(
            near,
            (sigmoid(near + h) - sigmoid(near)) / h,
            ".",
            color=COLORS[1],
            markersize=2,
            label=r"forward, $h = 10^{-13}$",
        )
        zoom.plot(
            near,
            derivative(sigmoid, near, method="central"),
            color=COLORS[2],
            linestyle="--",
            label="central",
        )
        zoom.set_title(r"$\sigma'$ near $x = 1$", fontsize=10)
        floor = 1e-18  # an exact estimate would vanish on the log scale
        for values, label, color in (
            (forward_tiny, r"forward, $h = 10^{-13}$", COLORS[1]),
            (forward_good, r"forward, $h = 1.5 \cdot 10^{-8}$", COLORS[3]),
            (central, r"central, $h \approx 6 \cdot 10^{-6}$", COLORS[2]),
        ):
            error.semilogy(
                x,
                np.maximum(np.abs(values - exact), floor),
                color=color,
                linewidth=0.7,
                label=label,
            )
        error.set_ylim(1e-18, 1)
        error.set_title(r"error $|\mathrm{estimate} - \sigma'|$", fontsize=10)
        for ax, where in ((whole, "upper left"), (zoom, "lower left"), (error, "upper left")):
            ax.set_xlabel("$x$")
            ax.legend(loc=where, fontsize=7)
    return fig


FIGURES = (
    FigureSpec(
        "squashing-curves",
        "Seven S-curves squashed into (0, 1), drawn over [-20, 20]. They look alike; arctan "
        "and softsign approach 0 and 1 far more slowly than the rest.",
        squashing_curves,
    ),
    FigureSpec(
        "squashing-losses",
        "Left: the loss $-\\ln p(x)$ for a target of 1. Right: minus its slope. On the wrong "
        "side ($x < 0$) the slope stays constant for the logistic, Gudermannian and tanh "
        "curves, fades for arctan, the algebraic curve and softsign, and grows for erf. On "
        "the right side every loss and slope falls toward 0, erf's as fast as $e^{-x^2}$. "
        "Every curve is drawn in full: the NumPy functions evaluate the tail forms.",
        squashing_losses,
    ),
    FigureSpec(
        "softmax-outlier",
        "Five values, four near 1 and one at 5000. The sigmoid saturates on the outlier and "
        "leaves the others as they are; the softmax gives the outlier all the probability "
        "(the others get about $e^{-5000}$); the "
        "standardized sigmoid ranks them on the scale of their spread (ddof = 1 pulls toward "
        "1/2); dividing by the variance instead squashes everything to 1/2.",
        softmax_outlier,
    ),
    FigureSpec(
        "gradient-descent-quadratic",
        "Gradient descent on $y = x^2 - 4x + 6$ from $x_0 = 8$ with learning rate 0.1. Left: "
        "the first iterates. Right: the distance to the minimum falls by the factor 0.8 per "
        "step, exactly as the closed form $x_n = 2 + 6 \\cdot 0.8^n$ says.",
        gradient_descent_quadratic,
    ),
    FigureSpec(
        "sigmoid-forward-difference",
        "A forward difference $(\\sigma(x + h) - \\sigma(x))/h$ with $h = 10^{-13}$. At the "
        "scale of the curve it looks right (left), but $\\sigma(x + h) - \\sigma(x)$ can only "
        "be a whole number of float spacings, about $10^{-16}$, so the estimate moves in steps "
        "of about $10^{-3}$ (middle). Right: its error is up to $10^{-3}$, while a forward step "
        "near $\\sqrt{\\epsilon}$ errs by at most about $10^{-8}$, and a central difference "
        "with its default step by at most about $10^{-11}$.",
        forward_difference,
    ),
)
