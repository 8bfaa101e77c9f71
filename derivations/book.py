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
        "Why this S-curve? Suppose values come from two sources, each scattering them "
        "normally around its own mean with the same spread. The probability that a "
        "value came from the right-hand source is exactly a sigmoid of a linear function "
        "of the value. The argument has three steps: Bayes' rule gives the posterior as "
        "a ratio of densities; that ratio is the sigmoid of the log-odds, for any "
        "densities; and for two Gaussians with one spread the log-odds are linear. Then "
        "come the general cases: unequal priors, unequal spreads, $d$ dimensions, and "
        "(in the softmax section) $K$ classes.",
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
        outro=(
            "In floating point, Bayes' rule as written fails in the tails: at $x = 800$, "
            "with means $-1$ and $1$ and spread 1.5, both densities are below $e^{-140000}$ "
            "and underflow to 0, and the ratio is 0/0. The sigmoid form needs no densities: "
            "numeric.gaussian_posterior returns 1 there, exactly, and "
            "$1.47 \\times 10^{-309}$ at $x = -800$, 8 units in the last place from the "
            "exact value of that subnormal number. Its "
            "error is the sigmoid's own plus the sensitivity of $\\sigma(t)$ to its "
            "argument, $|t|\\,\\sigma(-t)$: a few units in the last place where the "
            "posterior is above one half, growing with $|t|$ in the left tail, where the "
            "posterior itself is that sensitive to the inputs. "
            "numeric.gaussian_posterior_multivariate does the same in $d$ dimensions."
        ),
    ),
    Section(
        "losses",
        "Losses and gradients",
        "Training moves the weights against the gradient of a loss. For a sigmoid "
        "output, two losses are common: the squared error $(a - y)^2/2$ and binary "
        "cross-entropy $-[y \\ln a + (1 - y)\\ln(1 - a)]$. Their gradients differ by one "
        "factor, $\\sigma'(z)$, and that factor decides whether a badly wrong neuron "
        "learns quickly or hardly at all.",
        (
            "gradient-descent-quadratic",
            "mse-gradient",
            "bce-gradient",
            "bce-logits",
            "learning-slowdown",
            "batch-gradients",
            "backprop-delta",
        ),
        figures=(
            "gradient-descent-quadratic",
            "loss-training-curves",
            "loss-gradient-size",
            "eleven-line-training",
        ),
        outro=(
            "The figures put numbers to the derivations. Trained on one example (input 1, "
            "target 0) from $(w, b) = (2, 2)$, where the output is 0.98, the squared error's "
            "gradient is 0.017: after 100 epochs the output is still 0.96. Cross-entropy's "
            "gradient is 0.98, and the output falls below 0.4 within 20 epochs. The "
            "eleven-line network minimizes the squared error too, but its outputs start near "
            "0.3, far from saturation, so it trains steadily. The NumPy functions "
            "numeric.bce_with_logits, numeric.bce_grad and numeric.bce_grad_batch evaluate "
            "the stable forms above, accurate to a few units in the last place for any "
            "finite input."
        ),
    ),
    Section(
        "why-sigmoid",
        "Why the sigmoid",
        "A popular explanation goes: other S-shaped curves squashed into (0, 1) look just "
        "as good, but under the loss $-\\ln p$ their gradient dies away when the prediction "
        "is badly wrong, while the sigmoid's stays constant; they are also costlier to "
        "compute and numerically fragile. This section checks each part of that claim for "
        "six other curves. It is not the same story for all of them.",
        ("squashing-functions", "squashing-slope-limits", "squashing-tails"),
        figures=("squashing-curves", "squashing-losses", "sigmoid-forward-difference"),
        outro=(
            "The table of limits of $dL/dx$ as $x \\to -\\infty$, the prediction ever more "
            "confidently wrong (derivations.squashing.loss_slope_limits returns it). "
            "Constant: logistic $-1$, Gudermannian $-1$, tanh $-2$. Fading to 0: arctan (like "
            "$-1/|x|$), the algebraic curve (like $-2/|x|$), softsign (like $-1/|x|$). Growing "
            "without bound: erf (like $2x$). So the explanation is right for three curves, "
            "wrong for two that keep a constant gradient just like the sigmoid (tanh is the "
            "sigmoid of $2x$, and the Gudermannian's tail is $(2/\\pi)e^{x}$, a scaled "
            "exponential like the sigmoid's), and wrong the other way for erf, whose slope "
            "grows so fast that one badly wrong example can outweigh all the others. The "
            "sigmoid's loss is $\\ln(1 + e^{-x})$, the softplus of $-x$, which tends to the "
            "line $-x$, and its slope $-\\sigma(-x)$ costs no more than $\\sigma$ itself; the "
            "Gudermannian behaves alike far out but costs more, and only the sigmoid comes out "
            "of the Gaussian argument of Section 2. "
            "Cost and fragility are real. Written as in a textbook, the losses fail far out: "
            "$1 + \\operatorname{erf} x$ is exactly 0 in floating point for $x \\le -6$, and "
            "$-\\ln 0$ is infinite, which is why plots of these losses break off. The forms of "
            "the last derivation keep every digit: numeric.squashing evaluates $p$, the loss "
            "and its slope of each curve within a few units in the last place of mpmath's "
            "values over the whole float range. They cost more: measured against the sigmoid "
            "in one run (python -m numeric.squashing_benchmark), $p$ takes 1.7 (arctan) to 7 "
            "(erf) times as long, and the losses up to 13 times (erf); only softsign's $p$ is "
            "as cheap. "
            "Finite differences are fragile in another way: a step so small that rounding "
            "dominates (the last figure) gives a derivative that is wrong in the third digit."
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
        outro=(
            "The three answer different questions. The sigmoid of each value asks of each "
            "alone how far it is above 0. The softmax asks which value is the largest: it "
            "depends only on differences, so $(1, 1.2, 0.8, 1.1, 5000)$ gives the outlier a "
            "probability of 1 and the others about $e^{-5000}$. The standardized sigmoid asks "
            "how far each value is from the mean in standard deviations: here the four "
            "ordinary values sit half a deviation below the mean, and the outlier two above. "
            "numeric.softmax subtracts the largest score first and so accepts scores of any "
            "size; numeric.standardized_sigmoid follows numpy's ddof and refuses a constant "
            "vector, whose standardized values are 0/0."
        ),
    ),
)
