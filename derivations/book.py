"""The document: its sections, their prose, and which derivations and figures each holds.

This is content, not machinery: the renderer (derivations.document) lays it
out as LaTeX and Markdown. Prose is plain text; ``$...$`` is inline math, and
``[cite:key]`` cites the entry ``key`` of ``REFERENCES``.

A section lists the derivations it places, in order. A derivation that no section lists
goes to the section of its topic (``TOPIC_SECTIONS``), after the ones listed there: adding
a derivation to a topic needs no edit here; list its slug to place it elsewhere or earlier.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from derivations.catalog import topics

# Catalog gradients that the toolkit also derives itself for the document
# (derivations.derive_catalog.for_document); the build verifies them with the rest.
GENERATED = ("mse-gradient", "bce-gradient")
GENERATED_SLUGS = tuple(f"generated-{slug}" for slug in GENERATED)

__all__ = ["GENERATED", "GENERATED_SLUGS", "NOTATION", "REFERENCES", "SECTIONS", "TITLE"]
__all__ += ["TOPIC_SECTIONS", "Section"]

TITLE = "Why neural networks use the sigmoid, and what its gradients are"

SUBTITLE = (
    "Every line of a derivation that carries a mark, $\\mathsf{S}$ or $\\mathsf{N}$, was "
    "checked by the toolkit that built this document: proven by SymPy where SymPy can, and "
    "always also evaluated with mpmath at 50 digits at random points. The formulas in the "
    "prose between the derivations restate, combine or name marked lines; where one goes "
    "beyond them (a general size, a whole Jacobian), the text says so."
)

# key -> the entry as the bibliography prints it (plain text, *...* for a title in italics)
REFERENCES: dict[str, str] = {
    "bishop2006": (
        "C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006, "
        "sections 4.2 and 4.3."
    ),
    "nielsen2015": (
        "M. A. Nielsen, *Neural Networks and Deep Learning*, Determination Press, 2015, "
        "chapter 3, neuralnetworksanddeeplearning.com."
    ),
    "trask2015": (
        'A. Trask, "A Neural Network in 11 lines of Python (Part 1)", iamtrask.github.io, 2015.'
    ),
    "sympy2017": (
        'A. Meurer et al., "SymPy: symbolic computing in Python", *PeerJ Computer Science* 3:e103, '
        "2017."
    ),
}

# The symbols of the whole document, with Bishop's for the same quantities.
NOTATION = (
    "Notation. The symbols below keep one meaning throughout; the last column gives "
    "Bishop's symbol for the same quantity [cite:bishop2006]. Section 2 adds the symbols "
    "of the Gaussian classes, and each derivation names any symbol it introduces. Bold "
    "letters are vectors; a plain letter with a subscript is one entry.\n\n"
    "| symbol | meaning | Bishop |\n"
    "|---|---|---|\n"
    "| $x$, $\\mathbf{x}$ | an input (a number, a vector) | $\\mathbf{x}$ |\n"
    "| $w$, $\\mathbf{w}$, $b$ | weight(s) and bias | $\\mathbf{w}$, $w_0$ |\n"
    "| $z$, $z_k$ | a unit's weighted input $wx + b$, the score of class $k$ | $a$, $a_k$ |\n"
    "| $\\sigma$ | the logistic sigmoid $1/(1 + e^{-z})$ | $\\sigma$ |\n"
    "| $a$ | a unit's output $\\sigma(z)$ | $y$ |\n"
    "| $y$ | the target, 0 or 1 or a probability | $t$ |\n"
    "| $\\mathcal{C}_k$ | class $k$ | $\\mathcal{C}_k$ |\n"
    "| $C$, $C^{(i)}$ | the cost being minimized, the cost of example $i$ | $E$, $E_n$ |\n"
    "| $C_{\\mathrm{MSE}}$, $C_{\\mathrm{BCE}}$ | squared error, binary cross-entropy | $E$ |\n"
    "| $\\ell$ | the loss $-\\ln p(z)$ of an S-curve $p$ (Section 6) | |\n"
    "| $N$, $d$, $K$ | examples, inputs, classes | $N$, $D$, $K$ |\n"
    "| $p$, $p_k$ | a probability, the softmax probability of class $k$ | $y_k$ |\n"
    "| $\\delta$ | a unit's error signal, $-\\partial C/\\partial z$ | $-\\delta$ |\n"
    "| $L$ | the number of layers | $L$ |\n"
    "| $\\eta$, $n$ | the learning rate, a gradient-descent step | $\\eta$, $\\tau$ |\n"
    "| $h$, $\\epsilon$, $R$ | a difference's step, machine epsilon, its rounding error | |\n\n"
    "In Sections 3.1 and 8, $x$ is the variable of a function $f$; for $f = \\sigma$ it is "
    "the sigmoid's $z$. $P(\\mathcal{C}_1 \\mid x)$ is the probability of class 1 given $x$. "
    "$p$ is a probability: the logit's argument, an S-curve's value $p(z)$ (Section 6), the "
    "softmax's $p_k$. The sign of $\\delta$ is that of Trask's code [cite:trask2015]; "
    "Nielsen's $\\delta$ is $+\\partial C/\\partial z$ [cite:nielsen2015], and so is "
    "Bishop's. The machine epsilon is $\\epsilon = 2^{-52}$, and $R$ is the rounding error "
    "of a difference quotient's numerator (Section 8).\n\n"
    "Indices. A superscript $(i)$ numbers the examples: $x^{(i)}$, $a^{(i)}$, $y^{(i)}$, "
    "$C^{(i)}$. A superscript $[l]$ numbers the layers of Section 5, counted from the "
    "input, layer 0: $z^{[l]}$, $a^{[l]}$, $W^{[l]}$. A subscript numbers what its letter "
    "names: $j$ the inputs ($x_j$, $w_j$), $k$ the units of a layer or the classes "
    "($\\mathcal{C}_k$, $z_k$, $p_k$, $\\mathbf{w}_k$; in Section 7 also $i$ and $j$), and "
    "$n$ the steps of gradient descent ($x_n$). So $w_1$ is the weight of input 1, $z_1$ "
    "the score of class 1, and $z^{[1]}$ the weighted input of layer 1."
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


_LISTED: tuple[Section, ...] = (
    Section(
        "sigmoid",
        "The sigmoid and its derivative",
        NOTATION + "\n\n"
        "The logistic sigmoid $\\sigma(z) = 1/(1 + e^{-z})$ squashes any real number "
        "into $(0, 1)$. Its algebra is short, and all of it is used later: two equivalent "
        "forms, a symmetry, a derivative that is a function of the output alone, its "
        "relation to $\\tanh$, and its inverse, the log-odds. The section ends with forms "
        "that give the same numbers without overflowing where $e^{-z}$ does.",
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
        "unequal standard deviations, $d$ dimensions. Section 7.2 adds more classes.\n\n"
        "Notation for this section. Class $k$, written $\\mathcal{C}_k$ (calligraphic, unlike "
        "the cost $C$), has the prior probability $\\pi_k$, the mean "
        "$\\mu_k$ and the standard deviation $s$ (so the variance $s^2$); $\\pi$ without a "
        "subscript is the number $3.14159\\ldots$ in a Gaussian's normalising constant "
        "$1/(\\sqrt{2\\pi}\\, s)$. The log-odds are written $w x + b$, as a neuron's "
        "weighted input: the weight $w$ is their slope and the bias $b$ their shift.",
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
        "neuron, four for the eleven-line network of Trask's post [cite:trask2015]).",
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
            "({fig:eleven-line-training}). Why cross-entropy, of all costs, cancels the "
            "factor is the subject of the next section."
        ),
    ),
    Section(
        "likelihood",
        "Cross-entropy from likelihood",
        "Section 3 took cross-entropy as given and found that its gradient is the plain error. "
        "That is no coincidence, and this section derives the cost instead of assuming it, "
        "by two routes. Bishop's [cite:bishop2006]: a yes-or-no target is a Bernoulli "
        "variable, the sigmoid's output is its mean, and cross-entropy is the negative "
        "logarithm of its likelihood; the logit is the Bernoulli's canonical link, whose "
        "derivative is exactly the reciprocal of $\\sigma'$. Nielsen's [cite:nielsen2015]: "
        "ask for a cost whose gradient has no factor $\\sigma'$, and integrate. The section "
        "ends with a consequence that matters for training: cross-entropy is convex in the "
        "weight and the bias, the squared error is not.",
        (
            "bernoulli-likelihood",
            "canonical-link",
            "cross-entropy-by-integration",
            "bce-convexity",
        ),
        outro=(
            "So cross-entropy is the cost that probability theory assigns to a sigmoid output, "
            "it is the only cost (up to a constant) whose gradient in $z$ is the plain error, "
            "and it is convex in $(w, b)$, so gradient descent on one neuron has no worse "
            "local minimum to get stuck in (and, for separable classes, no minimum at all). "
            "The squared error has none of these properties for a "
            "sigmoid output; it is the likelihood cost of a Gaussian target, the right choice "
            "for a linear output."
        ),
    ),
    Section(
        "deep",
        "Beyond one neuron",
        "One neuron draws one line. Networks stack layers, and the chain rule then runs "
        "through every layer. The eleven-line post [cite:trask2015] has a network with one "
        "hidden layer besides the one-layer network of Section 3; the first derivation "
        "shows that its two deltas are minus the gradient, for any numbers of inputs and "
        "hidden units. The second follows the gradient through $L$ sigmoid layers, where "
        "each layer multiplies it by $\\sigma' \\le 1/4$, and asks what cross-entropy does "
        "about that.",
        ("hidden-layer-delta", "vanishing-gradient"),
        outro=(
            "So backpropagation is the chain rule applied layer by layer, and its cost is "
            "one factor $\\sigma'$ per sigmoid layer. Cross-entropy removes only the output "
            "layer's factor, which is why it cures the slowdown of a saturated output but not "
            "the vanishing gradient of a deep sigmoid network [cite:nielsen2015]. The remedies "
            "for that lie elsewhere: units whose derivative does not shrink, such as "
            "rectifiers, and initial weights scaled so that the units start unsaturated."
        ),
    ),
    Section(
        "why-sigmoid",
        "Why the sigmoid",
        "Why not another S-curve? One could argue: other S-shaped curves squashed into "
        "$(0, 1)$ look just as good, but under the loss $-\\ln p$ their gradient dies away "
        "when the prediction is badly wrong, while the sigmoid's stays constant; they are "
        "also costlier to compute and numerically fragile. This section checks each part "
        "of that argument for "
        "six other curves of a unit's weighted input $z$: $(1 + \\tanh z)/2$, "
        "$1/2 + \\arctan(z)/\\pi$, the algebraic curve $(1 + z/\\sqrt{1 + z^2})/2$, "
        "$(1 + \\operatorname{erf} z)/2$, softsign $(1 + z/(1 + |z|))/2$ and the Gudermannian "
        "$1/2 + \\operatorname{gd}(z)/\\pi$. It is not the same story for all of them.",
        ("squashing-functions", "squashing-slope-limits", "squashing-tails"),
        figures=("squashing-curves", "squashing-losses"),
        placement={
            "squashing-curves": "squashing-functions",
            "squashing-losses": "squashing-slope-limits",
        },
        outro=(
            "So the explanation is right for three of the six curves and wrong for the other "
            "three. Arctan, the algebraic curve and softsign do lose the gradient, like "
            "$1/|z|$. But tanh and the Gudermannian keep a constant one, just like the "
            "sigmoid: tanh is the sigmoid of $2z$, and the Gudermannian's tail is "
            "$(2/\\pi)e^{z}$, a scaled exponential like the sigmoid's. Erf errs the other way: "
            "its slope grows like $2|z|$, so one badly wrong example can outweigh all the "
            "others. Fragility is real: written as defined in Section 6.1, the losses fail far "
            "out, and "
            "need the stable forms of Section 6.3. Whether those forms cost more than the "
            "sigmoid's is a matter of measurement, not of algebra; the Implementation notes "
            "give one benchmark's figures."
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
            "and the outlier two above."
        ),
    ),
    Section(
        "finite-differences",
        "Finite differences",
        "A derivative can also be checked numerically, with a difference quotient. A "
        "difference quotient is only as good as its step: too large a step and the quotient "
        "is not the derivative, too small a step and rounding swamps it. This section gives "
        "the error model that says how large the step should be, and applies it to a step "
        "that is far too small ({fig:sigmoid-forward-difference}).",
        ("finite-difference-error",),
        figures=("sigmoid-forward-difference",),
        placement={"sigmoid-forward-difference": "finite-difference-error"},
        outro=(
            "So there is a best step, and it is not the smallest: about $\\sqrt{\\epsilon}$ "
            "for a forward difference and $\\epsilon^{1/3}$ for a central one, times the scale "
            "of the function. A forward difference with $h = 10^{-13}$ keeps about three "
            "correct digits of the sigmoid's derivative near $x = 1$, and fewer where "
            "$\\sigma'$ is small against $\\sigma$: at $x = 4$ it is about $6\\%$ off, and at "
            "$x = 8$ the difference is 0, as $\\sigma(8 + h)$ and $\\sigma(8)$ round to the same "
            "number. A central difference with a step "
            "near $\\epsilon^{1/3}$ keeps about ten or eleven, and Richardson extrapolation, "
            "which cancels the leading truncation terms, about thirteen. Only a method that "
            "subtracts nothing, such as the complex step, can take a tiny step without losing "
            "digits."
        ),
    ),
    Section(
        "generated",
        "The gradients once more, derived by the toolkit",
        "Sections 3 and 4 derived the gradients of the squared error and of cross-entropy by "
        "hand. The toolkit can also derive them itself: given the cost and the chain "
        "$z = w x + b$, $a = \\sigma(z)$, it applies one differentiation rule per line, the "
        "way backpropagation runs: first $\\partial C/\\partial a$, then "
        "$\\partial a/\\partial z = a(1 - a)$, citing the derivation that proves it, then the "
        "delta $\\partial C/\\partial z$ once, reused for $w$ and for $b$. Each generated "
        "line is verified like a hand-written one. The last line of each derivation claims "
        "that the generated gradient equals the hand-written result; it is verified too, so "
        "the two derivations agree because it was checked, not because it is said here.",
        GENERATED_SLUGS,
    ),
    Section(
        "summary",
        "Summary: why the sigmoid",
        "Why, then, do neural networks use the sigmoid? Not because it alone keeps a "
        "gradient when the prediction is badly wrong: Section 6 found two other curves that "
        "do, and one of them, tanh, is a rescaled sigmoid. The sections found these "
        "reasons. The sigmoid of a linear score is the exact probability of one of two "
        "Gaussian classes with a shared variance (Section 2), and the softmax extends this "
        "to more classes (Section 7). Its derivative is a function of its output alone, "
        "$\\sigma' = \\sigma(1 - \\sigma)$ (Section 1), and with cross-entropy that factor "
        "cancels: the gradient is the plain error $a - y$, largest when the unit is most "
        "wrong, while the squared error keeps the factor and learns slowly from a saturated "
        "unit (Section 3). The cancellation is the canonical link at work: cross-entropy is "
        "the Bernoulli negative log-likelihood, convex in the weights, and the logit is the "
        "Bernoulli's natural parameter (Section 4). It does not reach hidden layers, each of "
        "which still scales the gradient by at most $1/4$ (Section 5). And its loss "
        "$\\ln(1 + e^{-z})$ and slope $-\\sigma(-z)$ have stable forms (Sections 1 and 3) "
        "that are accurate for any input.",
        (),
    ),
    Section(
        "implementation",
        "Appendix: implementation notes",
        "The NumPy functions of the package `numeric` are lambdified from the verified results "
        "above; the derivations were checked with SymPy [cite:sympy2017] and mpmath. "
        "This appendix says which function evaluates which form, and gives the measured "
        "costs that the text refers to.\n\n"
        "The sigmoid and the losses (Sections 1 and 3). `numeric.sigmoid`, "
        "`numeric.log_sigmoid` and `numeric.softplus` evaluate the stable forms that end "
        "Section 1. The functions of `numeric.losses` are lambdified from the last line of "
        "each chain of Section 3.8: `bce_loss` evaluates the first chain, `bce_with_logits` "
        "the second, and `bce_gradient` and `mse_gradient` the gradients with respect to $z$ that "
        "follow, times $x$ and times 1; `bce_mean_gradient` evaluates the batch gradient of "
        "Section 3.6. They are accurate to a few units in the last place for any finite "
        "input; in them $\\ln(1 - a)$ and $\\ln(1 + e^{-|z|})$ are evaluated with `log1p`, "
        "which keeps the digits of a tiny argument.\n\n"
        "The Gaussian posteriors (Section 2). `numeric.gaussian_posterior` evaluates the "
        "result of Section 2.1 in its form with the midpoint of the means. It multiplies its "
        "inputs by a power of two where $s^2$ or a product would leave the floating-point "
        "range, which changes nothing because the unit of $x$ does not matter (Section 2.2). "
        "`numeric.gaussian_posterior_multivariate` evaluates the result of Section 2.4, with "
        "$\\mathbf{w}$ from a Cholesky factorisation of $\\Sigma$.\n\n"
        "The S-curves (Section 6). `derivations.squashing.loss_slope_limits` returns the "
        "limits of the table of Section 6.2. `numeric.squashing` evaluates the tail forms of "
        "Section 6.3 with $t = |z|$ on both sides, their factors grouped so that no "
        "intermediate result overflows. Their cost is measured by the command "
        "`python -m numeric.benchmark --suite squashing`: in one run erf's $p$ took about 5 "
        "times as long as $\\sigma$, and its loss slope about 12 times. These are the "
        "figures of one machine and one run; the ratios, not the times, carry over.\n\n"
        "The softmax (Section 7). `numeric.softmax` takes $e^{z_k}$ as it is where no row "
        "overflows (Section 7.1's shift by 0), else subtracts the largest score first, so it "
        "accepts scores of any size. The standardized sigmoid uses the population "
        "standard deviation unless asked for the sample one (`numeric.standardized_sigmoid`), "
        "and refuses a constant vector, whose standardized values are $0/0$.\n\n"
        "Finite differences (Section 8). `numeric.check_derivative` and "
        "`numeric.check_gradient` compare an analytic derivative with central differences, "
        "Richardson extrapolation or the complex step, with default steps from the error "
        "model of Section 8: the central difference's is $\\epsilon^{1/3} \\max(1, |x|)$ "
        "({fig:sigmoid-forward-difference}), or where $|x| > 1$ the one of the scales $|x|, "
        "|x|/10, \\ldots, 1$ whose estimate agrees best with the next smaller's. The test "
        "suite measures the forward difference of the sigmoid in double precision against "
        "mpmath: with $h = 10^{-13}$ it errs by $1.0 \\cdot 10^{-4}$ at $x = 1$, a relative "
        "error of $5 \\cdot 10^{-4}$, inside the bound of Section 8.1, and by up to about "
        "$2.5 \\cdot 10^{-3}$ between $x = -8$ and 8; at the model's best steps for $x = 1$ "
        "it measures $3.6 \\cdot 10^{-9}$ (forward) and $3.8 \\cdot 10^{-12}$ (central), "
        "below the bounds $5.8 \\cdot 10^{-9}$ and $7.5 \\cdot 10^{-12}$.\n\n"
        "What the test suite checks beyond the document. It proves the derivation of "
        "Section 2.4 for $d = 3$ as well, that of Section 3.6 for $N = 3$, $d = 2$ and "
        "$N = 4$, $d = 3$, and that of Section 7.2 for $K = 3$, $d = 3$; no other sizes "
        "are proven. It checks the gradient of Section 7.3 against finite differences of the "
        "loss for $K = 3$, and the whole update of the two-layer network of Section 5.1 "
        "against finite differences. It checks that SymPy's `rsolve` finds the closed form "
        "of Section 3.1 for the recurrence. The eleven-line network of "
        "{fig:eleven-line-training} starts, as the published code does, from the weights "
        "`2*np.random.random((3,1)) - 1` after `np.random.seed(1)`, NumPy's legacy "
        "generator. `numeric.standardized_sigmoid` and NumPy's `std` choose between the "
        "deviations of Section 7.4 with `ddof`: they divide $Q$ by $K$ minus `ddof`, so "
        "`ddof` is 0 or 1.",
        (),
    ),
)

# The topic (a module of derivations.topics) -> the key of the section its unlisted derivations
# go to; tests/test_agreement.py checks that every topic has one.
TOPIC_SECTIONS = {
    "sigmoid": "sigmoid",
    "gaussians": "gaussians",
    "gaussians_multivariate": "gaussians",
    "gradient_descent": "losses",
    "losses": "losses",
    "losses_batch": "losses",
    "likelihood": "likelihood",
    "deep": "deep",
    "squashing": "why-sigmoid",
    "softmax": "softmax",
    "finite_differences": "finite-differences",
}


def placed(
    sections: tuple[Section, ...], by_topic: Mapping[str, tuple[str, ...]]
) -> tuple[Section, ...]:
    """``sections``, each followed by the derivations of its topics that no section lists.

    ``by_topic`` gives each topic's slugs (``derivations.catalog.topics()``); a topic missing
    from ``TOPIC_SECTIONS``, or mapped to no section, raises ValueError naming it.
    """
    listed = {slug for s in sections for slug in s.slugs}
    extra: dict[str, list[str]] = {s.key: [] for s in sections}
    for topic, slugs in by_topic.items():
        new = [slug for slug in slugs if slug not in listed]
        if new and TOPIC_SECTIONS.get(topic) not in extra:
            raise ValueError(
                f"derivations.book: no section for the topic {topic!r} of {', '.join(new)}: "
                "add it to TOPIC_SECTIONS or list the slugs in a section"
            )
        if new:
            extra[TOPIC_SECTIONS[topic]] += new
    return tuple(
        replace(s, slugs=(*s.slugs, *extra[s.key])) if extra[s.key] else s for s in sections
    )


SECTIONS: tuple[Section, ...] = placed(_LISTED, topics())
