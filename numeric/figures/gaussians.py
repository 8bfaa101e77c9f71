"""Figures of the Gaussian posterior: a sigmoid for equal variances, not one for unequal ones."""

from __future__ import annotations

from functools import cache

import numpy as np

from numeric._codegen import compile_kernel
from numeric.activations import sigmoid
from numeric.figures import FigureSpec
from numeric.figures.style import COLORS, DASHES, curve, new_figure, style
from numeric.gaussian import gaussian_posterior, gaussian_posterior_unequal_variance

__all__ = ["FIGURES"]

CLASS_1, TANGENT, GREY = COLORS[1], COLORS[2], "0.45"
SETTINGS = (  # (title, mu0, mu1, s)
    ("means far apart", -3.0, 1.0, 1.0),
    ("means close", 0.5, 1.5, 1.0),
    ("a larger $s$", -3.0, 1.0, 2.0),
)


@cache
def _density():
    """N(x | mu, s^2), lambdified from the definition the derivations use."""
    from derivations.topics.gaussians import mu_1, normal_density, s, x

    return compile_kernel(normal_density(x, mu_1, s).doit(), (x, mu_1, s))


def _joint_densities(ax, x, mu0, mu1, s0, s1, labels, pi1=0.5):
    """Each class's prior times its density, pi_k N(x | mu_k, s_k^2): the joint density."""
    density = _density()
    for joint, k, label in (
        ((1 - pi1) * density(x, mu0, s0), 0, labels[0]),
        (pi1 * density(x, mu1, s1), 1, labels[1]),
    ):
        ax.fill_between(x, joint, color=COLORS[k], alpha=0.25, lw=0)
        ax.plot(x, joint, **curve(k), label=label)
    ax.set_ylim(bottom=0)


def _share_rows(axes) -> None:
    """One y scale per row, with tick labels on the first panel only."""
    for row in axes:
        for ax in row[1:]:
            ax.sharey(row[0])
            ax.tick_params(labelleft=False)


def equal_variance_sigmoids():
    # Wide enough for the s = 2 densities: three standard deviations either side.
    x = np.linspace(-9, 7, 1601)
    labels = (
        r"$\pi_0\,\mathcal{N}(x \mid \mu_0, s^2)$",
        r"$\pi_1\,\mathcal{N}(x \mid \mu_1, s^2)$",
    )
    with style():
        fig, axes = new_figure(columns=3, rows=2, height=5.2)
        _share_rows(axes)
        for column, (title, mu0, mu1, s) in enumerate(SETTINGS):
            top, bottom = axes[0, column], axes[1, column]
            _joint_densities(top, x, mu0, mu1, s, s, labels)
            top.set_title(f"{title}\n$\\mu_0 = {mu0:g}$, $\\mu_1 = {mu1:g}$, $s = {s:g}$")
            w = (mu1 - mu0) / s**2
            b = (mu0**2 - mu1**2) / (2 * s**2)
            boundary = -b / w
            bottom.plot(
                x,
                gaussian_posterior(x, mu0, mu1, s),
                color=CLASS_1,
                lw=3,
                alpha=0.5,
                label=r"posterior $P(\mathcal{C}_1 \mid x)$",
            )
            bottom.plot(
                x, sigmoid(w * x + b), color="k", lw=1.2, ls=DASHES[1], label=r"$\sigma(w x + b)$"
            )
            near = np.abs(x - boundary) <= 1.8 / w  # the tangent at the boundary: slope w/4
            bottom.plot(
                x[near],
                0.5 + w / 4 * (x[near] - boundary),
                color=TANGENT,
                lw=1.4,
                ls=DASHES[3],
                label="tangent of slope $w/4$",
            )
            bottom.axvline(boundary, color=GREY, lw=0.8, ls=DASHES[2], label="boundary $x^*$")
            # Lower right: below the curve in every panel, clear of the boundary line.
            bottom.text(
                0.96,
                0.05,
                f"$w = {w:g}$\n$b = {b:g}$\n$x^* = {boundary:g}$",
                transform=bottom.transAxes,
                ha="right",
                va="bottom",
                fontsize=9,
            )
            bottom.set_ylim(-0.04, 1.04)
            bottom.set_xlabel("$x$")
        axes[0, 0].set_ylabel("joint density")
        axes[1, 0].set_ylabel("posterior of class 1")
        handles = [*axes[0, 0].get_legend_handles_labels()[0]]
        handles += axes[1, 0].get_legend_handles_labels()[0]
        fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=8)
    return fig


def unequal_variance():
    x = np.linspace(-8, 8, 1601)
    mu0, s0, mu1, s1 = -1.0, 1.0, 1.0, 2.5
    posterior = gaussian_posterior_unequal_variance(x, mu0, mu1, s0, s1)
    labels = (
        r"$\pi_0\,\mathcal{N}(x \mid \mu_0, s_0^2)$",
        r"$\pi_1\,\mathcal{N}(x \mid \mu_1, s_1^2)$",
    )
    with style():
        fig, axes = new_figure(columns=1, rows=2, height=4.4)
        top, bottom = axes[0, 0], axes[1, 0]
        _joint_densities(top, x, mu0, mu1, s0, s1, labels)
        top.set_title(
            f"class 0: $\\mu_0 = {mu0:g}$, $s_0 = {s0:g}$;  class 1: $\\mu_1 = {mu1:g}$, "
            f"$s_1 = {s1:g}$ (wider)"
        )
        top.set_ylabel("joint density")
        top.legend(loc="upper right", fontsize=8)
        bottom.plot(x, posterior, color=CLASS_1, label=r"$P(\mathcal{C}_1 \mid x)$")
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
    w = (mu1 - mu0) / s**2
    midpoint = (mu0 + mu1) / 2
    arrows, label = -0.08, -0.17  # below the curves, which never go under 0
    with style():
        fig, ((ax,),) = new_figure(height=3.6)
        # Each boundary is drawn thin, in its curve's colour and dash.
        for pi1, line in ((0.2, curve(2)), (0.5, curve(6, linestyle=DASHES[0])), (0.8, curve(1))):
            name = f"$\\pi_1 = {pi1:g}$"
            ax.plot(x, gaussian_posterior(x, mu0, mu1, s, pi1), **line, label=name)
            boundary = midpoint - np.log(pi1 / (1 - pi1)) / w
            ax.plot([boundary, boundary], [arrows, 0.5], **line, lw=0.8)
            if pi1 != 0.5:
                ax.annotate(
                    "",
                    (boundary, arrows),
                    (midpoint, arrows),
                    arrowprops={"arrowstyle": "->", "color": line["color"], "lw": 1.2},
                )
        ax.text(midpoint, label, r"$x^*$ moves by $-\ln(\pi_1/\pi_0)/w$", ha="center", fontsize=9)
        ax.axhline(0.5, color=GREY, lw=0.8, ls=":")
        ax.set_title(f"$\\mu_0 = {mu0:g}$, $\\mu_1 = {mu1:g}$, $s = {s:g}$, so $w = {w:g}$")
        ax.set_ylim(-0.24, 1.04)
        ax.set_yticks(np.linspace(0, 1, 6))
        ax.spines["left"].set_bounds(0, 1)
        ax.set_xlabel("$x$")
        ax.set_ylabel("posterior of class 1")
        ax.legend(loc="upper left")
    return fig


FIGURES = (
    FigureSpec(
        "gaussian-posterior-sigmoid",
        "Top: two Gaussian classes with one standard deviation $s$ and equal priors, each "
        "drawn as its joint density $\\pi_k\\,\\mathcal{N}(x \\mid \\mu_k, s^2)$. Bottom: "
        "the posterior of class 1 (thick), which is exactly the sigmoid $\\sigma(w x + b)$ "
        "(dashed). Means further apart make the slope $w = (\\mu_1 - \\mu_0)/s^2$ larger and "
        "the switch steeper (the dotted tangent at the decision boundary $x^*$ has slope "
        "$w/4$); a larger standard deviation makes it gentler.",
        equal_variance_sigmoids,
    ),
    FigureSpec(
        "gaussian-unequal-priors",
        "Unequal priors shift the posterior without changing its shape: the decision "
        "boundary $x^*$, where the posterior crosses one half, moves from the midpoint of "
        "the means by $-\\ln(\\pi_1/\\pi_0)/w$, towards the less likely class.",
        unequal_priors,
    ),
    FigureSpec(
        "gaussian-unequal-variance",
        "Unequal standard deviations, equal priors: the log-odds are quadratic, the "
        "posterior of class 1 is not monotone, and the wider class takes over both tails.",
        unequal_variance,
    ),
)
