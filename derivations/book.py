"""The document: its sections, their prose, and which derivations and figures each holds.

This is content, not machinery: the renderer (derivations.document) lays it
out as LaTeX and Markdown. Prose is plain text; ``$...$`` is inline math.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SECTIONS", "TITLE", "Section"]

TITLE = "Why neural networks use the sigmoid, and what its gradients are"

SUBTITLE = (
    "Every equation in this document was checked by the toolkit that built it: "
    "proven by SymPy where SymPy can, and always also evaluated with mpmath at 50 "
    "digits at random points."
)


@dataclass(frozen=True)
class Section:
    """A section: a title, an introduction, derivations and figures, and a closing remark."""

    key: str
    title: str
    intro: str
    slugs: tuple[str, ...]
    figures: tuple[str, ...] = ()
    outro: str = ""


SECTIONS: tuple[Section, ...] = (
    Section(
        "sigmoid",
        "The sigmoid and its derivative",
        "The logistic sigmoid $\\sigma(z) = 1/(1 + e^{-z})$ squashes any real number "
        "into (0, 1). Its algebra is short, and all of it is used later: two equivalent "
        "forms, a symmetry, a derivative that is a function of the output alone, its "
        "relation to tanh, and its inverse, the log-odds.",
        (
            "sigmoid-two-forms",
            "sigmoid-symmetry",
            "sigmoid-derivative",
            "sigmoid-tanh",
            "logit-inverse",
            "derivative-from-output",
            "stable-forms",
        ),
        figures=("sigmoid-and-derivative",),
    ),
    Section(
        "gaussians",
        "The sigmoid from two Gaussians",
        "",
        (
            "gaussian-posterior",
            "gaussian-posterior-unequal-variance",
            "gaussian-posterior-multivariate",
        ),
    ),
    Section(
        "losses",
        "Losses and gradients",
        "",
        (
            "gradient-descent-quadratic",
            "mse-gradient",
            "bce-gradient",
            "bce-logits",
            "learning-slowdown",
            "batch-gradients",
            "backprop-delta",
        ),
    ),
    Section(
        "why-sigmoid",
        "Why the sigmoid",
        "",
        ("squashing-functions",),
    ),
    Section(
        "softmax",
        "Softmax",
        "",
        ("softmax-two-class", "softmax-from-gaussians", "softmax-cross-entropy"),
    ),
)
