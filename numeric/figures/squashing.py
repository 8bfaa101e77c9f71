"""Figures: the S-curves and their losses, the softmax, gradient descent, finite differences."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FixedLocator, NullLocator

from numeric.activations import sigmoid, sigmoid_derivative
from numeric.figures import FigureSpec
from numeric.figures.style import COLORS, DASHES, HATCHES, curve, new_figure, points, style
from numeric.finite_differences import finite_difference
from numeric.normalization import softmax, standardized_sigmoid
from numeric.squashing import NAMES, loss, loss_slope, squash
from numeric.training import gradient_descent

__all__ = ["FIGURES"]

LABELS = {
    "logistic": r"logistic $\sigma(z)$",
    "tanh": r"$(1 + \tanh z)/2$",
    "arctan": r"$1/2 + \arctan(z)/\pi$",
    "algebraic": r"$(1 + z/\sqrt{1 + z^2})/2$",
    "erf": r"$(1 + \mathrm{erf}\,z)/2$",
    "softsign": r"$(1 + z/(1 + |z|))/2$",
    "gudermannian": r"$1/2 + \mathrm{gd}(z)/\pi$",
}
# Colour, dash and marker all differ between any two curves. Some pairs coincide where the
# tails take over (the logistic curve and the Gudermannian, arctan and softsign): the logistic
# curve is drawn first and thickest, the Gudermannian last as a dotted line, and the markers,
# staggered along each curve, show every curve where two lines lie on each other.
LINES = {
    "logistic": curve(0, marked=True, linewidth=2.6),
    "tanh": curve(1, marked=True),
    "arctan": curve(2, marked=True),
    "algebraic": curve(6, marked=True),
    "erf": curve(5, marked=True),
    "softsign": curve(4, marked=True),
    "gudermannian": curve(3, marked=True, linewidth=1.6),
}
X = np.linspace(-20.0, 20.0, 2001)
MIDDLE = np.linspace(-4.0, 4.0, 801)


def _plot_all(ax, z, values) -> None:
    for name in NAMES:
        ax.plot(z, values(name, z), label=LABELS[name], **LINES[name])


def _legend_below(fig, ax, columns: int = 4) -> None:
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=columns)


def squashing_curves():
    left = X[X <= 0]
    with style():
        fig, ((middle, tail),) = new_figure(columns=2, height=3.9, width=7.0)
        _plot_all(middle, MIDDLE, squash)
        _plot_all(tail, left, squash)
        middle.set_title(r"the middle, $-4 \leq z \leq 4$", fontsize=10)
        middle.set_xlim(-4, 4)
        middle.set_ylabel("$p(z)$")
        # On a log scale the tails part: power laws against exponentials, and the pairs that
        # lie on each other at linear scale (arctan and softsign, logistic and Gudermannian)
        # run a factor of about pi/2 apart. p(-z) = 1 - p(z), so the right tail mirrors it.
        tail.set_title(r"the left tail, $-20 \leq z \leq 0$", fontsize=10)
        tail.set_xlim(-20, 0)
        tail.set_yscale("log")
        tail.set_ylim(TAIL_FLOOR, 1.5)
        tail.set_ylabel("$p(z)$, log scale")
        for ax in (middle, tail):
            ax.set_xlabel("$z$")
        _legend_below(fig, middle)
    return fig


TAIL_FLOOR = 1e-12  # the lower edge of the tail panel: tanh and erf fall below it


FLOOR = 1e-20  # the lower edge of the full-range panels: erf's right side falls below it


def squashing_losses():
    wrong = X <= 0
    with style():
        fig, axes = new_figure(columns=2, rows=2, height=6.6, width=7.0)
        (loss_wrong, slope_wrong), (loss_all, slope_all) = axes
        for name in NAMES:
            line = {"label": LABELS[name], **LINES[name]}
            values, slopes = loss(name, X), -loss_slope(name, X)
            loss_wrong.plot(X[wrong], values[wrong], **line)
            slope_wrong.plot(X[wrong], slopes[wrong], **line)
            loss_all.plot(X, values, **line)
            slope_all.plot(X, slopes, **line)
        for ax in (loss_wrong, slope_wrong):
            ax.set_title("the wrong side", fontsize=10)
            ax.set_xlim(-20, 0)
            ax.set_xlabel("$z$")
        loss_wrong.set_ylim(0.5, 1000)
        slope_wrong.set_ylim(0.02, 100)
        for ax in (loss_all, slope_all):
            ax.set_title("both sides", fontsize=10)
            ax.set_xlim(-20, 20)
            ax.set_ylim(FLOOR, 1e4)
            ax.set_xlabel("$z$ (the target is 1: $z < 0$ is wrong)")
        for ax in (loss_wrong, loss_all):
            ax.set_yscale("log")
            ax.set_ylabel(r"loss $L = -\ln p(z)$")
        for ax in (slope_wrong, slope_all):
            ax.set_yscale("log")
            ax.set_ylabel(r"$-dL/dz$")
        for ax in (loss_all, slope_all):  # after set_yscale, which resets the locators
            ax.yaxis.set_major_locator(FixedLocator([1e-20, 1e-15, 1e-10, 1e-5, 1e0]))
            ax.yaxis.set_minor_locator(NullLocator())
        _legend_below(fig, loss_all)
    return fig


# Values near 1 and one outlier, as in the question that compares the three.
OUTLIER = np.array([1.0, 1.2, 0.8, 1.1, 5000.0])


def softmax_outlier():
    mean, variance = OUTLIER.mean(), OUTLIER.var()
    bars = {
        r"sigmoid $\sigma(x_i)$": sigmoid(OUTLIER),
        "softmax": softmax(OUTLIER),
        "standardized, population $s$": standardized_sigmoid(OUTLIER),
        "standardized, sample $s$": standardized_sigmoid(OUTLIER, ddof=1),
        r"$\sigma((x_i - m)/\mathrm{variance})$": sigmoid((OUTLIER - mean) / variance),
    }
    width = 0.16
    positions = np.arange(OUTLIER.size)
    with style():
        fig, ((ax,),) = new_figure(height=3.4)
        for k, (label, values) in enumerate(bars.items()):
            shifted = positions + (k - 2) * width
            ax.bar(shifted, values, width, color=COLORS[k], hatch=HATCHES[k], label=label)
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
        left.plot(grid, grid**2 - 4 * grid + 6, **curve(0), label="$f(x) = x^2 - 4x + 6$")
        shown = iterates[:12]
        left.plot(
            shown,
            shown**2 - 4 * shown + 6,
            **curve(1, marker="o", markersize=4, linewidth=1),
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
        left.set_ylabel("$f(x)$")
        left.legend(loc="upper center", fontsize=8)
        right.semilogy(
            n, np.abs(iterates - 2), **points(1, marker="o", markersize=3), label="gradient descent"
        )
        right.semilogy(n, 6 * 0.8**n, **curve(2), label=r"closed form $6 \cdot 0.8^n$")
        right.set_xlabel("step $n$")
        right.set_ylabel("distance to the minimum $|x_n - 2|$")
        right.legend(loc="upper right", fontsize=8)
    return fig


def forward_difference():
    x = np.linspace(-8.0, 8.0, 1601)
    exact = sigmoid_derivative(x)
    tiny, good = 1e-13, 1.5e-8  # a step far too small, and the best forward step, sqrt(eps)
    forward_tiny = (sigmoid(x + tiny) - sigmoid(x)) / tiny
    near = np.linspace(0.98, 1.02, 801)
    every = slice(None, None, 8)  # the error as points: at full density they merge into a blob
    errors = (
        (forward_tiny, r"forward, $h = 10^{-13}$", 1),
        ((sigmoid(x + good) - sigmoid(x)) / good, r"forward, $h = 1.5 \cdot 10^{-8}$", 3),
        (finite_difference(sigmoid, x, method="central"), "central difference", 2),
        (finite_difference(sigmoid, x, method="richardson"), "Richardson", 0),
    )
    with style():
        fig, ((whole, zoom, error),) = new_figure(columns=3, height=3.6, width=7.0)
        whole.plot(x, sigmoid(x), **curve(5), label=r"$\sigma(x)$")
        solid_black = curve(6, linestyle=DASHES[0])
        whole.plot(x, exact, **solid_black, label=r"exact $\sigma'(x)$")
        whole.plot(x, forward_tiny, **curve(1, linewidth=1))  # on top: it looks right here
        whole.set_title("the sigmoid and its slope", fontsize=10)
        zoom.plot(
            near, (sigmoid(near + tiny) - sigmoid(near)) / tiny, **points(1, marker=".", ms=2)
        )
        zoom.plot(near, sigmoid_derivative(near), **solid_black)
        zoom.set_title(r"$\sigma'$ near $x = 1$", fontsize=10)
        for values, label, k in errors:
            # An estimate that is exact to the last bit would vanish on the log scale.
            shown = np.maximum(np.abs(values - exact), ERROR_FLOOR)[every]
            error.semilogy(x[every], shown, **points(k, markersize=2.5), label=label)
        error.set_ylim(ERROR_FLOOR / 2, 0.1)
        error.yaxis.set_major_locator(FixedLocator([1e-16, 1e-12, 1e-8, 1e-4]))
        error.yaxis.set_minor_locator(NullLocator())
        error.set_title(r"error $|\mathrm{estimate} - \sigma'|$", fontsize=10)
        for ax in (whole, zoom, error):
            ax.set_xlabel("$x$")
        handles = [*whole.get_legend_handles_labels()[0], *error.get_legend_handles_labels()[0]]
        labels = [*whole.get_legend_handles_labels()[1], *error.get_legend_handles_labels()[1]]
        fig.legend(handles, labels, loc="outside lower center", ncol=3, markerscale=2)
    return fig


ERROR_FLOOR = 1e-17


FIGURES = (
    FigureSpec(
        "squashing-curves",
        "The seven S-curves squashed into $(0, 1)$. In the middle (left) they differ mainly in "
        "their steepness at 0. Right: the left tail on a log scale (each curve has "
        "$p(-z) = 1 - p(z)$, so the right tail mirrors it). Arctan and softsign, like "
        "$1/(\\pi |z|)$ and $1/(2 + 2|z|)$, and the algebraic curve, like $1/(4z^2)$, fall off "
        "as powers of $z$, far more slowly than the rest; the logistic curve and the "
        "Gudermannian fall like $e^{z}$ and $2e^{z}/\\pi$, tanh like $e^{2z}$, erf faster "
        "than any exponential. The markers keep apart curves that nearly coincide.",
        squashing_curves,
    ),
    FigureSpec(
        "squashing-losses",
        "Left: the loss $-\\ln p(z)$ for a target of 1. Right: minus its slope. On the wrong "
        "side ($z < 0$, top) the slope stays constant for the logistic, Gudermannian and "
        "tanh curves, fades for arctan, the algebraic curve and softsign, and grows for erf. "
        "On the right side (bottom) every loss and slope falls toward 0, erf's as fast as "
        "$e^{-z^2}$, below the lower edge of $10^{-20}$ beyond $z \\approx 6.7$. Two pairs "
        "nearly coincide, and their markers tell them apart: on the wrong side the "
        "Gudermannian's loss exceeds the logistic one by less than $\\ln(\\pi/2) \\approx "
        "0.45$, and arctan's and softsign's differ by less than $0.41$. Every curve is drawn "
        "in full, evaluated in the stable forms derived in the text.",
        squashing_losses,
    ),
    FigureSpec(
        "softmax-outlier",
        "Five values, four near 1 and one at 5000. The sigmoid saturates on the outlier and "
        "leaves the others as they are; the softmax gives the outlier all the probability "
        "(the others get about $e^{-5000}$); the standardized sigmoid ranks them on the scale "
        "of their spread (the sample standard deviation pulls them toward $1/2$); dividing by "
        "the variance instead squashes everything to $1/2$.",
        softmax_outlier,
    ),
    FigureSpec(
        "gradient-descent-quadratic",
        "Gradient descent on $f(x) = x^2 - 4x + 6$ from $x_0 = 8$ with learning rate $0.1$. "
        "Left: the first iterates. Right: the distance to the minimum falls by the factor "
        "$0.8$ per step, exactly as the closed form $x_n = 2 + 6 \\cdot 0.8^n$ says.",
        gradient_descent_quadratic,
    ),
    FigureSpec(
        "sigmoid-forward-difference",
        "A forward difference $(\\sigma(x + h) - \\sigma(x))/h$ of the sigmoid, its argument "
        "written $x$ as in Section 8, with $h = 10^{-13}$. At the "
        "scale of the curve it looks right (left), but $\\sigma(x + h) - \\sigma(x)$ can only "
        "be a whole number of float spacings, about $10^{-16}$, so the estimate moves in steps "
        "of about $10^{-3}$ (middle). Right: the error at every eighth point, up to "
        "$1.5 \\cdot 10^{-3}$ for this step, $2 \\cdot 10^{-8}$ for the best forward step "
        "(near $\\sqrt{\\epsilon}$, with $\\epsilon = 2^{-52}$), $2 \\cdot 10^{-11}$ for a "
        "central difference with the step $\\epsilon^{1/3} \\max(1, |x|) \\approx "
        "6 \\cdot 10^{-6} \\max(1, |x|)$, and $10^{-13}$ for Richardson extrapolation, which "
        "combines central differences with the steps $\\epsilon^{1/7} \\max(1, |x|) \\approx "
        "6 \\cdot 10^{-3} \\max(1, |x|)$, half and a quarter of it; "
        "errors below $10^{-17}$ are drawn at $10^{-17}$.",
        forward_difference,
    ),
)
