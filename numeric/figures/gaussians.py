"""Figures of the Gaussian posterior: a sigmoid for equal spreads, not one for unequal ones."""

from __future__ import annotations

from functools import cache

import numpy as np

from numeric._codegen import compile_kernel
from numeric.activations import sigmoid
from numeric.figures import FigureSpec
from numeric.figures.style import COLORS, new_figure, style
from numeric.gaussian import gaussian_posterior, gaussian_posterior_unequal_variance

__all__ = ["FIGURES"]

CLASS_0, CLASS_1, GREY = COLORS[0], COLORS[1], "0.45"
SETTINGS = (  # (title, mu0, mu1, s)
    ("means far apart", -3.0, 1.0, 1.0),
    ("means close", 0.5, 1.5, 1.0),
    ("a wider spread", -3.0, 1.0, 2.0),
)


@cache
def _density():
    """N(x | mu, s^2), lambdified from the definition the derivations use."""
    from derivations.topics.gaussians import mu_1, normal_density, s, x

    return compile_kernel(normal_density(x, mu_1, s).doit(), (x, mu_1, s))


def _joint_densities(ax, x, mu0, mu1, s0, s1, pi1=0.5):
    density = _density()
    ax.fill_between(x, (1 - pi1) * density(x, mu0, s0), color=CLASS_0, alpha=0.25, lw=0)
    ax.fill_between(x, pi1 * density(x, mu1, s1), color=CLASS_1, alpha=0.25, lw=0)
    ax.plot(x, (1 - pi1) * density(x, mu0, s0), color=CLASS_0, label=r"$\pi_0\,\mathcal{N}_0$")
    ax.plot(x, pi1 * density(x, mu1, s1), color=CLASS_1, label=r"$\pi_1\,\mathcal{N}_1$")
    ax.set_ylim(bottom=0)


def equal_variance_sigmoids():
    x = np.linspace(-6, 6, 1201)
    with style():
        fig, axes = new_figure(columns=3, rows=2, height=4.6)
        for column, (title, mu0, mu1, s) in enumerate(SETTINGS):
            top, bottom = axes[0, column], axes[1, column]
            _joint_densities(top, x, mu0, mu1, s, s)
            top.set_title(f"{title}\n$\\mu_0 = {mu0:g}$, $\\mu_1 = {mu1:g}$, $s = {s:g}$")
            a = (mu1 - mu0) / s**2
            b = (mu0**2 - mu1**2) / (2 * s**2)
            bottom.plot(
                x,
                gaussian_posterior(x, mu0, mu1, s),
                color=CLASS_1,
                lw=3,
                alpha=0.5,
                label=r"$P(C_1 \mid x)$",
            )
            bottom.plot(
                x, sigmoid(a * x + b), color="k", lw=1.2, ls="--", label=r"$\sigma(a x + b)$"
            )
            boundary = -b / a
            near = np.abs(x - boundary) <= 1.8 / a  # the tangent at the boundary: slope a/4
            bottom.plot(
                x[near],
                0.5 + a / 4 * (x[near] - boundary),
                color=COLORS[2],
                lw=1.2,
                ls=":",
                label="slope $a/4$",
            )
            bottom.axvline(boundary, color=GREY, lw=0.8, ls=":")
            bottom.text(
                0.03,
                0.95,
                f"$a = {a:g}$\n$b = {b:g}$\n$-b/a = {boundary:g}$",
                transform=bottom.transAxes,
                va="top",
                fontsize=9,
            )
            bottom.set_ylim(-0.04, 1.04)
            bottom.set_xlabel("$x$")
        axes[0, 0].set_ylabel("density")
        axes[1, 0].set_ylabel("posterior of class 1")
        axes[0, 0].legend(loc="upper right", fontsize=8)
        axes[1, 0].legend(loc="lower right", fontsize=8)
    return fig


def unequal_variance():
    x = np.linspace(-8, 8, 1601)
    mu0, s0, mu1, s1 = -1.0, 1.0, 1.0, 2.5
    posterior = gaussian_posterior_unequal_variance(x, mu0, mu1, s0, s1)
    with style():
        fig, axes = new_figure(columns=1, rows=2, height=4.4)
        top, bottom = axes[0, 0], axes[1, 0]
        _joint_densities(top, x, mu0, mu1, s0, s1)
        top.set_title(
            f"class 0: $\\mu_0 = {mu0:g}$, $s_0 = {s0:g}$;  class 1: $\\mu_1 = {mu1:g}$, "
            f"$s_1 = {s1:g}$ (wider)"
        )
        top.set_ylabel("density")
        top.legend(loc="upper right", fontsize=8)
        bottom.plot(x, posterior, color=CLASS_1, label=r"$P(C_1 \mid x)$")
        bottom.axhline(0.5, color=GREY, lw=0.8, ls=":")
        for tail in (50, -50):  # x = -7.5 and 7.5
            bottom.annotate(
                "",
                (x[tail], posterior[tail] - 0.03),
                (x[tail] / 2.5, 0.12),
                arrowprops={"arrowstyle": "->", "color": GREY},
            )
        bottom.text(0.0, 0.06, "the wider class wins both tails", ha="center", fontsize=9)
        bottom.set_ylim(-0.04, 1.04)
        bottom.set_xlabel("$x$")
        bottom.set_ylabel("posterior of class 1")
        bottom.legend(loc="lower right", fontsize=8)
    return fig


def unequal_priors():
    x = np.linspace(-5, 5, 1001)
    mu0, mu1, s = -1.0, 1.0, 1.0
    a = (mu1 - mu0) / s**2
    midpoint = (mu0 + mu1) / 2
    with style():
        fig, ((ax,),) = new_figure(height=3.4)
        for pi1, color in ((0.2, COLORS[2]), (0.5, "k"), (0.8, COLORS[3])):
            ax.plot(
                x, gaussian_posterior(x, mu0, mu1, s, pi1), color=color, label=f"$\\pi_1 = {pi1:g}$"
            )
            boundary = midpoint - np.log(pi1 / (1 - pi1)) / a
            ax.plot([boundary, boundary], [0, 0.5], color=color, lw=0.8, ls=":")
            if pi1 != 0.5:
                ax.annotate(
                    "",
                    (boundary, 0.12),
                    (midpoint, 0.12),
                    arrowprops={"arrowstyle": "->", "color": color, "lw": 1.2},
                )
        ax.text(midpoint, 0.2, r"shift $-\ln(\pi_1/\pi_0)/a$", ha="center", fontsize=9)
        ax.axhline(0.5, color=GREY, lw=0.8, ls=":")
        ax.set_title(f"$\\mu_0 = {mu0:g}$, $\\mu_1 = {mu1:g}$, $s = {s:g}$, so $a = {a:g}$")
        ax.set_ylim(-0.04, 1.04)
        ax.set_xlabel("$x$")
        ax.set_ylabel("posterior of class 1")
        ax.legend(loc="upper left")
    return fig


FIGURES = (
    FigureSpec(
        "gaussian-posterior-sigmoid",
        "Two Gaussian classes with one spread and equal priors (top) and the posterior of "
        "class 1 (bottom, thick), which is exactly the sigmoid $\\sigma(a x + b)$ (dashed). "
        "Means further apart make $a = (\\mu_1 - \\mu_0)/s^2$ larger and the switch "
        "steeper (the dotted tangent has slope $a/4$); a wider spread makes it gentler.",
        equal_variance_sigmoids,
    ),
    FigureSpec(
        "gaussian-unequal-variance",
        "Unequal spreads: the log-odds are quadratic, the posterior of class 1 is not "
        "monotone, and the wider class takes over both tails.",
        unequal_variance,
    ),
    FigureSpec(
        "gaussian-unequal-priors",
        "Unequal priors shift the posterior without changing its shape: the point where "
        "it crosses one half moves from the midpoint of the means by "
        "$-\\ln(\\pi_1/\\pi_0)/a$, towards the less likely class.",
        unequal_priors,
    ),
)
