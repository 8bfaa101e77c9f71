"""The document: its sections, their prose, and which derivations and figures each holds.

This is content, not machinery: the renderer (derivations.document) lays it
out as LaTeX and Markdown. Prose is plain text; ``$...$`` is inline math.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

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
    # figure name -> the slug of the derivation it follows (default: the end of the section)
    placement: Mapping[str, str] = field(default_factory=dict)


SECTIONS: tuple[Section, ...] = (
    Section(
        "sigmoid",
        "The sigmoid and its derivative",
        "The logistic sigmoid $\\sigma(z) = 1/(1 + e^{-z})$ squashes any real number "
        "into $(0, 1)$. Its algebra is short, and all of it is used later: two equivalent "
        "forms, a symmetry, a derivative that is a function of the output alone, its "
        "relation to $\\tanh$, and its inverse, the log-odds. The section ends with the "
        "forms the toolkit's NumPy functions evaluate, which give the same numbers without "
        "overflowing where $e^{-z}$ does.",
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
        placement={"sigmoid-and-derivative": "sigmoid-derivative"},
    ),
    Section(
        "gaussians",
        "The sigmoid from two Gaussians",
        "Why this S-curve? Suppose values come from two sources, each scattering them "
        "normally around its own mean with the same standard deviation. The probability that "
        "a value came from the second source is then exactly a sigmoid of a linear function "
        "of the value. Section 2.1 argues it in three steps: Bayes' rule gives that "
        "probability as a ratio of densities; the ratio is the sigmoid of the log-odds, "
        "whatever the densities are; and for two Gaussians with one standard deviation the "
        "log-odds are linear. Sections 2.2 to 2.4 vary the assumptions: unequal priors, "
        "unequal standard deviations, $d$ dimensions. Section 5.2 adds more classes.\n\n"
        "Notation for this section. Class $k$ has the prior probability $\\pi_k$, the mean "
        "$\\mu_k$ and the standard deviation $s$ (so the variance $s^2$); $\\pi$ without a "
        "subscript is the number $3.14159\\ldots$ in a Gaussian's normalising constant "
        "$1/(\\sqrt{2\\pi}\\, s)$. The log-odds are written $a x + b$: here $a$ is the slope "
        "and $b$ the shift, not a unit's output as in Sections 1 and 3.",
        (
            "gaussian-posterior",
            "gaussian-decision-boundary",
            "gaussian-posterior-unequal-variance",
            "gaussian-posterior-multivariate",
        ),
        figures=(
            "gaussian-posterior-sigmoid",
            "gaussian-unequal-priors",
            "gaussian-unequal-variance",
        ),
        placement={
            "gaussian-posterior-sigmoid": "gaussian-posterior",
            "gaussian-unequal-priors": "gaussian-decision-boundary",
            "gaussian-unequal-variance": "gaussian-posterior-unequal-variance",
        },
        outro=(
            "So the sigmoid is not an arbitrary S-curve: it is the exact posterior of one of "
            "two Gaussian classes that share their variance (in $d$ dimensions, their "
            "covariance), whatever the means and the priors. The means and the standard "
            "deviation set its slope, the priors shift it along $x$, and the decision "
            "boundary is where the log-odds are zero. Drop the shared variance and the "
            "log-odds become quadratic: the posterior is then no longer a sigmoid of a line, "
            "and the wider class wins both tails."
        ),
    ),
    Section(
        "losses",
        "Losses and gradients",
        "Training moves the weights against the gradient of a cost $C$, the function being "
        "minimized. For a sigmoid output $a$ with target $y$, two costs are common: the "
        "squared error $(a - y)^2/2$ and binary cross-entropy "
        "$-[y \\ln a + (1 - y)\\ln(1 - a)]$. The section starts with gradient descent on a "
        "parabola, where the iterates can be followed by hand and solved in closed form "
        "({fig:gradient-descent-quadratic}): the same update, a step against the gradient "
        "scaled by a learning rate, trains the neuron in the rest of the section. The two "
        "costs' gradients then differ by one factor, $\\sigma'(z)$, and that factor decides "
        "whether a badly wrong neuron learns quickly or hardly at all. In both training "
        "demos an epoch is one gradient step on the whole training set (one example for the "
        "neuron, four for the eleven-line network).",
        (
            "gradient-descent-quadratic",
            "mse-gradient",
            "bce-gradient",
            "bce-logits",
            "learning-slowdown",
            "batch-gradients",
            "backprop-delta",
            "loss-stable-forms",
        ),
        figures=(
            "gradient-descent-quadratic",
            "loss-gradient-size",
            "loss-training-curves",
            "eleven-line-training",
        ),
        placement={
            "gradient-descent-quadratic": "gradient-descent-quadratic",
            "loss-gradient-size": "learning-slowdown",
            "loss-training-curves": "learning-slowdown",
            "eleven-line-training": "backprop-delta",
        },
        outro=(
            "So the two costs differ by one factor. Cross-entropy's gradient with respect to "
            "$z$ is the plain error $a - y$: the factor $\\sigma'(z)$ from the chain rule "
            "cancels. The squared error keeps it, and it is at most $1/4$ and vanishes when the "
            "neuron saturates. The demo of {fig:loss-training-curves} puts numbers to this: "
            "with input 1, target 0 and the start $(w, b) = (2, 2)$, where the output is "
            "$0.98$, the squared error's gradient with respect to $z$ is $0.017$ and "
            "cross-entropy's $0.98$. After 100 epochs the squared error has moved the output "
            "only to $0.96$, while cross-entropy takes it below $0.4$ within 20 epochs. The "
            "eleven-line network minimizes the squared error too, but its outputs start "
            "between $0.24$ and $0.36$, far from saturation, so it trains steadily "
            "({fig:eleven-line-training}). In the code: `numeric.bce_with_logits`, "
            "`numeric.bce_grad` and `numeric.bce_grad_batch` evaluate the forms of the last "
            "derivation, accurate to a few units in the last place for any finite input."
        ),
    ),
    Section(
        "why-sigmoid",
        "Why the sigmoid",
        "A popular explanation goes: other S-shaped curves squashed into $(0, 1)$ look just "
        "as good, but under the loss $-\\ln p$ their gradient dies away when the prediction "
        "is badly wrong, while the sigmoid's stays constant; they are also costlier to "
        "compute and numerically fragile. This section checks each part of that claim for "
        "six other curves: $(1 + \\tanh x)/2$, $1/2 + \\arctan(x)/\\pi$, the algebraic curve "
        "$(1 + x/\\sqrt{1 + x^2})/2$, $(1 + \\operatorname{erf} x)/2$, softsign "
        "$(1 + x/(1 + |x|))/2$ and the Gudermannian $1/2 + \\operatorname{gd}(x)/\\pi$. It is "
        "not the same story for all of them.",
        ("squashing-functions", "squashing-slope-limits", "squashing-tails"),
        figures=("squashing-curves", "squashing-losses", "sigmoid-forward-difference"),
        placement={
            "squashing-curves": "squashing-functions",
            "squashing-losses": "squashing-slope-limits",
            "sigmoid-forward-difference": "squashing-tails",
        },
        outro=(
            "So the explanation is right for three of the six curves and wrong for the other "
            "three. Arctan, the algebraic curve and softsign do lose the gradient, like "
            "$1/|x|$. But tanh and the Gudermannian keep a constant one, just like the "
            "sigmoid: tanh is the sigmoid of $2x$, and the Gudermannian's tail is "
            "$(2/\\pi)e^{x}$, a scaled exponential like the sigmoid's. Erf errs the other way: "
            "its slope grows like $2|x|$, so one badly wrong example can outweigh all the "
            "others. Cost and fragility are real: written as in a textbook, the losses fail "
            "far out, and their stable forms (Section 4.3) cost more than the sigmoid's, erf's "
            "the most. In the code: `python -m numeric.squashing_benchmark` measures the cost; "
            "in one run erf's $p$ took about 5 times as long as $\\sigma$, and its loss slope "
            "about 12 times."
        ),
    ),
    Section(
        "softmax",
        "Softmax",
        "For more than two classes the softmax takes the sigmoid's place. It reduces to the "
        "sigmoid for two classes, it comes from Gaussian classes just as the sigmoid does, "
        "and its cross-entropy has the same simple gradient. It is also easy to confuse with "
        "two other ways of squashing a vector, compared at the end of the section.",
        (
            "softmax-two-class",
            "softmax-from-gaussians",
            "softmax-cross-entropy",
            "standardized-sigmoid",
        ),
        figures=("softmax-outlier",),
        placement={"softmax-outlier": "standardized-sigmoid"},
        outro=(
            "The three answer different questions ({fig:softmax-outlier}). The sigmoid of each "
            "value asks of each alone how far it is above 0. The softmax asks which value is "
            "the largest: it depends only on differences, so $(1, 1.2, 0.8, 1.1, 5000)$ gives "
            "the outlier a probability of 1 and the others about $e^{-5000}$. The "
            "standardized sigmoid asks how far each value is from the mean in standard "
            "deviations: here the four ordinary values sit half a deviation below the mean, "
            "and the outlier two above. In the code: `numeric.softmax` subtracts the largest "
            "score first and so accepts scores of any size; `numeric.standardized_sigmoid` "
            "uses the population standard deviation unless asked for the sample one, and "
            "refuses a constant vector, whose standardized values are $0/0$."
        ),
    ),
    Section(
        "summary",
        "Summary: why the sigmoid",
        "Why, then, do neural networks use the sigmoid? Not because it alone keeps a "
        "gradient when the prediction is badly wrong: Section 4 found two other curves that "
        "do, and one of them, tanh, is a rescaled sigmoid. The sections found these "
        "reasons. The sigmoid of a linear score is the exact probability of one of two "
        "Gaussian classes with a shared variance (Section 2), and the softmax extends this "
        "to more classes (Section 5). Its derivative is a function of its output alone, "
        "$\\sigma' = \\sigma(1 - \\sigma)$ (Section 1), and with cross-entropy that factor "
        "cancels: the gradient is the plain error $a - y$, largest when the unit is most "
        "wrong, while the squared error keeps the factor and learns slowly from a saturated "
        "unit (Section 3). And its loss $\\ln(1 + e^{-x})$ and slope $-\\sigma(-x)$ are "
        "cheap, and their stable forms (Sections 1 and 3) are accurate for any input.",
        (),
    ),
)
