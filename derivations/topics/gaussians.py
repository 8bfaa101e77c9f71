r"""The sigmoid from Gaussian classes: posteriors with priors, unequal variances, d dims, K classes.

Bayes' rule turns class-conditional densities and priors into the posterior of
a class: for two classes the sigmoid of the log-odds, for K the softmax. With
Gaussians of one shared variance (or covariance) the log-odds are linear in x;
with unequal variances they are quadratic. The d-dimensional derivations are
verified with explicit symbolic matrices (``multivariate_posterior(d)``; the
catalog holds d = 2) and displayed in vector notation through :func:`derivations.notation.shown`.

Each derivation starts from Bayes' rule and shows, while the densities are
still unspecified (and so cheaply), that it is the sigmoid (or softmax) of the
log-odds; the Gaussians enter only after that.
"""

from __future__ import annotations

import warnings

from sympy import (
    Derivative,
    Eq,
    Expr,
    Interval,
    Limit,
    Mul,
    Rational,
    S,
    Symbol,
    exp,
    log,
    oo,
    pi,
    sqrt,
    symbols,
)
from sympy.core.parameters import evaluate

from derivations.engine import Derivation, define, step, substitute, then
from derivations.functions import sigmoid
from derivations.kernels import KernelSpec
from derivations.notation import (
    Named,
    difference,
    frac,
    parenthesized,
    product_of,
    shown,
    sum_of,
)

__all__ = [
    "Named",
    "derivations",
    "kernels",
]


def __getattr__(name: str):
    if name == "Shown":
        warnings.warn(
            "derivations.topics.gaussians.Shown is deprecated: use derivations.notation.shown",
            DeprecationWarning,
            stacklevel=2,
        )
        return shown
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --------------------------------------------------------------------------- shared pieces

x = Symbol("x", real=True)
mu_0, mu_1 = symbols("mu_0 mu_1", real=True)
s, s_0, s_1 = symbols("s s_0 s_1", positive=True)
pi_0, pi_1 = symbols("pi_0 pi_1", positive=True)
PRIORS = {pi_0: Interval.open(0, 1), pi_1: Interval.open(0, 1)}
PRIOR_LOG_ODDS = log(pi_1 / pi_0)
HALF = Rational(1, 2)

z = Symbol("z", real=True)
w, b = symbols("w b", real=True)  # the weight and bias of the log-odds


def normal_density(at: Expr, mean: Expr, sd: Expr) -> Expr:
    """The Gaussian density as a textbook writes it, constant first (unevaluated, for display)."""
    with evaluate(False):
        # Mul(-1, ...) keeps the fraction whole: -frac(...) would merge the -1 into it.
        exponent = Mul(-1, frac(difference(at, mean) ** 2, 2 * sd**2))
        return product_of(frac(1, sqrt(2 * pi) * sd), exp(exponent))


def bayes(joints: list[Expr], k: int) -> Expr:
    """Bayes' rule for class ``k``: its joint density over the sum of all of them."""
    with evaluate(False):
        return frac(joints[k], sum_of(*joints))


def bayes_to_sigmoid(posterior: Symbol, n_1: Symbol, n_0: Symbol, *, full: bool) -> tuple:
    """Bayes' rule to the sigmoid of the log-odds, for any two positive densities.

    These steps come before the densities are defined, so they are verified
    for any two densities, and cheaply. ``full`` shows every step (the first
    time). Otherwise one line states the equality, Bayes' rule on the left,
    and the posterior is then named as the sigmoid of the log-odds: every later
    claim about it is a claim about the log-odds, which SymPy settles quickly.
    """
    joint_1, joint_0 = n_1 * pi_1, n_0 * pi_0
    rule = bayes([joint_0, joint_1], 1)
    with evaluate(False):
        divided = frac(1, sum_of(1, frac(joint_0, joint_1)))
        split = sum_of(log(frac(n_1, n_0)), PRIOR_LOG_ODDS)
    log_odds = define(z, log(frac(joint_1, joint_0)), "the log-odds")
    if full:
        to_sigmoid = (
            define(posterior, rule, "Bayes' rule"),
            log_odds,
            step(posterior, divided, "divide by the numerator"),
            then(1 / (1 + exp(-z)), "$e^{-z} = \\mathcal{N}_0 \\pi_0 / (\\mathcal{N}_1 \\pi_1)$"),
            then(sigmoid(z), "for any two densities"),
        )
    else:
        to_sigmoid = (
            log_odds,
            step(rule, sigmoid(z), "Bayes' rule, as in Section 2.1"),
            define(posterior, sigmoid(z), "the posterior"),
        )
    return (*to_sigmoid, step(z, split, "$\\ln(u v) = \\ln u + \\ln v$"))


# --------------------------------------------------------------------------- one dimension


def _posterior_1d() -> Named:
    return Named("P", r"P(\mathcal{C}_1 \mid x)", positive=True)


def density_symbol(k: str) -> Named:
    """N_k, short for the density of class k (the prose says which)."""
    return Named(f"N_{k}", rf"\mathcal{{N}}_{k}", positive=True)


def _density_note(k: str, sd: str) -> str:
    return f"class {k}, $\\mathcal{{N}}(x \\mid \\mu_{k}, {sd}^2)$"


def _squared_out(mean: Symbol) -> Expr:
    """(x - mean)^2 expanded, displayed as (x^2 - 2 mean x + mean^2)."""
    with evaluate(True):
        cross = -2 * mean * x
    return sum_of(x**2, cross, mean**2)


def _midpoint() -> Expr:
    """(mu_0 + mu_1)/2, displayed so."""
    with evaluate(False):
        return frac(sum_of(mu_0, mu_1), 2)


def _fraction_of(mean: Symbol, sd: Symbol, squared: bool = False) -> Expr:
    """mean/sd^2, or mean^2/(2 sd^2) when ``squared``: the pieces of the log-odds."""
    with evaluate(False):
        return frac(mean**2, 2 * sd**2) if squared else frac(mean, sd**2)


def gaussian_posterior() -> Derivation:
    """Bayes' rule, the log-odds, and the sigmoid of a line: one variance, any priors."""
    posterior = _posterior_1d()
    n_1, n_0 = density_symbol("1"), density_symbol("0")
    with evaluate(False):
        gap = difference(mu_1, mu_0)
        exponents = frac(
            difference(difference(x, mu_0) ** 2, difference(x, mu_1) ** 2),
            2 * s**2,
        )
        expanded = frac(difference(_squared_out(mu_0), _squared_out(mu_1)), 2 * s**2)
        cancelled = frac(
            sum_of(product_of(2, difference(mu_1, mu_0), x), mu_0**2, -(mu_1**2)), 2 * s**2
        )
        shift = frac(difference(mu_0**2, mu_1**2), 2 * s**2)
        linear = sum_of(product_of(frac(gap, s**2), x), shift)
        centred = sum_of(product_of(w, difference(x, _midpoint())), PRIOR_LOG_ODDS)
        # The result in base symbols, as read: (mu_1 - mu_0)/s^2 (x - (mu_0 + mu_1)/2) + ...
        # Canonically it is the form that numeric.gaussian_posterior evaluates.
        result = sum_of(
            product_of(frac(difference(mu_1, mu_0), s**2), difference(x, _midpoint())),
            PRIOR_LOG_ODDS,
        )
    return Derivation(
        "gaussian-posterior",
        "Two Gaussians with one variance: the posterior is a sigmoid",
        (
            *bayes_to_sigmoid(posterior, n_1, n_0, full=True),
            define(n_1, normal_density(x, mu_1, s), _density_note("1", "s")),
            define(n_0, normal_density(x, mu_0, s), _density_note("0", "s")),
            step(log(frac(n_1, n_0)), exponents, "the constants cancel"),
            then(expanded, "expand the squares"),
            then(cancelled, "the $x^2$ terms cancel"),
            then(linear, "a line in $x$"),
            define(w, frac(gap, s**2), "the weight: the slope, or squashing factor"),
            define(b, sum_of(shift, PRIOR_LOG_ODDS), "the bias: the shift"),
            step(z, sum_of(product_of(w, x), b), "add $\\ln(\\pi_1/\\pi_0)$"),
            then(centred, "$\\mu_0^2 - \\mu_1^2 = -(\\mu_1 - \\mu_0)(\\mu_0 + \\mu_1)$"),
        ),
        result=Eq(posterior, sigmoid(result)),
        domains=PRIORS,
        intro=(
            "A value $x$ comes from class 1 or class 0, with prior probabilities $\\pi_1$ "
            "and $\\pi_0$. Within class $k$ it is normally distributed with mean $\\mu_k$ "
            "and standard deviation $s$, the same for both classes; $\\mathcal{N}_k$ is short "
            "for that density, $\\mathcal{N}(x \\mid \\mu_k, s^2)$. Bayes' rule gives the "
            "probability $P(\\mathcal{C}_1 \\mid x)$ that $x$ came from class 1. The first five "
            "lines "
            "hold for any two densities: the posterior is the sigmoid of the log-odds $z$. "
            "The Gaussians enter only through $z$."
        ),
        reading=(
            "The $x^2$ terms cancel because the two classes have the same variance, so the "
            "log-odds are a line, $z = w x + b$, and the posterior is exactly the sigmoid of "
            "that line ({fig:gaussian-posterior-sigmoid}). The weight "
            "$w = (\\mu_1 - \\mu_0)/s^2$, the slope of the line, is the squashing factor: the "
            "larger $w$, the steeper the sigmoid. The bias $b$ shifts the curve along $x$. "
            "The last line "
            "writes $w x + b$ with the midpoint of the means, the form of the result, which "
            "has no $\\mu_0^2 - \\mu_1^2$ to lose digits in."
        ),
    )


def decision_boundary() -> Derivation:
    """How the means, the standard deviation and the priors move the sigmoid."""
    boundary = Named("x_b", "x^{*}", real=True)
    posterior = _posterior_1d()
    slope = (mu_1 - mu_0) / s**2
    lam = Symbol("lambda", positive=True)  # a change of units, as in standardized-sigmoid
    with evaluate(False):
        at_boundary = difference(_midpoint(), frac(PRIOR_LOG_ODDS, w))
        rescaled_slope = product_of(
            frac(difference(lam * mu_1, lam * mu_0), (lam * s) ** 2), lam * x
        )
        rescaled_shift = frac(difference((lam * mu_0) ** 2, (lam * mu_1) ** 2), 2 * (lam * s) ** 2)
        shift = frac(difference(mu_0**2, mu_1**2), 2 * s**2)
        factored = product_of(w, difference(x, boundary))
        sigmoid_slope = product_of(w, posterior, difference(1, posterior))
        result = difference(_midpoint(), frac(s**2 * PRIOR_LOG_ODDS, difference(mu_1, mu_0)))
    # x_b in the base symbols, displayed as x^*: a substituted value may not use defined symbols.
    value = shown(at_boundary.doit().subs(w, slope), "x^{*}")
    return Derivation(
        "gaussian-decision-boundary",
        "How the means, the standard deviation and the priors move the sigmoid",
        (
            define(w, frac(difference(mu_1, mu_0), s**2), "as above"),
            define(b, sum_of(shift, PRIOR_LOG_ODDS), "as above"),
            step(Derivative(w, s), -2 * w / s, "a larger $s$ flattens the sigmoid"),
            step(rescaled_slope, w * x, "$x$, $\\mu_0$, $\\mu_1$, $s$ times $\\lambda > 0$"),
            step(rescaled_shift, shift, "so the unit of $x$ does not matter"),
            define(boundary, at_boundary, "the decision boundary"),
            step(sum_of(product_of(w, x), b), factored, "factor out $w$"),
            define(posterior, sigmoid(factored), "the posterior"),
            step(Derivative(posterior, x), sigmoid_slope, "chain rule"),
            substitute(x, value, "at the decision boundary"),
            step(posterior, S.Half, "as $w(x - x^*) = 0$"),
            step(Derivative(posterior, x), w / 4, "the steepest point"),
            substitute(pi_1, pi_0, "equal priors"),
            step(boundary, _midpoint(), "$\\ln 1 = 0$"),
        ),
        result=Eq(boundary, result),
        domains=PRIORS,
        intro=(
            "Section 2.1 gave the posterior as $\\sigma(w x + b)$. How do the means, the "
            "standard deviation and the priors change it? The weight $w$ sets how steep the "
            "sigmoid is, and the unit of $x$ plays no part. The posterior is one half where "
            "$w x + b = 0$, at the decision boundary $x^*$: there the two classes are equally "
            "likely, and the posterior is steepest."
        ),
        reading=(
            "Means further apart, or a smaller standard deviation, make $w$ larger and the "
            "switch sharper ({fig:gaussian-posterior-sigmoid}). With equal priors the "
            "boundary is the midpoint of the means; a prior that favours class 1 moves it "
            "towards class 0 by $\\ln(\\pi_1/\\pi_0)/w$ ({fig:gaussian-unequal-priors}): little "
            "when the classes are well separated, much when they overlap."
        ),
    )


def unequal_variance() -> Derivation:
    """Unequal variances: a sigmoid of a quadratic, and the wider class wins both tails.

    Long because it lists the derivation's steps in reading order, one claim per line; splitting
    it would scatter one argument.
    """
    posterior = _posterior_1d()
    n_1, n_0 = density_symbol("1"), density_symbol("0")
    kappa = Symbol("kappa", positive=True)
    c_2, c_1, c_0 = symbols("c_2 c_1 c_0", real=True)
    zeta = Symbol("zeta", real=True)  # the variable of a limit
    with evaluate(False):
        constants = sum_of(
            log(frac(s_0, s_1)),
            frac(difference(x, mu_0) ** 2, 2 * s_0**2),
            -frac(difference(x, mu_1) ** 2, 2 * s_1**2),
        )
        curvature = (frac(1, 2 * s_0**2), frac(1, 2 * s_1**2))
        linear = (_fraction_of(mu_1, s_1), _fraction_of(mu_0, s_0))
        constant = (
            _fraction_of(mu_0, s_0, squared=True),
            -_fraction_of(mu_1, s_1, squared=True),
            log(frac(s_0, s_1)),
        )
        quadratic = (c_2 * x**2, c_1 * x, c_0)
        bracketed = parenthesized(sum_of(*quadratic))
        right, left = Limit(bracketed, x, oo), Limit(bracketed, x, -oo)
        tail = Limit(sigmoid(zeta), zeta, oo)
        result = sum_of(
            product_of(difference(*curvature), x**2),
            product_of(difference(*linear), x),
            *constant,
            PRIOR_LOG_ODDS,
        )
    return Derivation(
        "gaussian-posterior-unequal-variance",
        "Unequal variances: the log-odds are quadratic",
        (
            *bayes_to_sigmoid(posterior, n_1, n_0, full=False),
            define(n_1, normal_density(x, mu_1, s_1), _density_note("1", "s_1")),
            define(n_0, normal_density(x, mu_0, s_0), _density_note("0", "s_0")),
            step(log(frac(n_1, n_0)), constants, "the constants leave $s_0/s_1$"),
            define(c_2, difference(*curvature), "the coefficient of $x^2$"),
            define(c_1, difference(*linear), "of $x$"),
            define(c_0, sum_of(*constant, PRIOR_LOG_ODDS), "the constant term"),
            step(z, sum_of(*quadratic), "collect powers of $x$"),
            step(
                c_2,
                frac(difference(s_1**2, s_0**2), 2 * s_0**2 * s_1**2),
                "zero only if $s_0 = s_1$",
            ),
            substitute(
                s_0,
                s_1 / sqrt(1 + kappa),
                "class 1 is the wider: $s_1^2 = (1 + \\kappa)\\, s_0^2$ with $\\kappa > 0$",
            ),
            step(c_2, kappa / (2 * s_1**2), "positive"),
            step(right, oo, "the $x^2$ term wins"),
            step(left, oo, "on both sides"),
            step(tail, 1, "so $P = \\sigma(z) \\to 1$ at both ends"),
        ),
        result=Eq(posterior, sigmoid(result)),
        domains=PRIORS,
        intro=(
            "Now let the classes have different standard deviations, $s_1$ and $s_0$, so "
            "that $\\mathcal{N}_k$ is $\\mathcal{N}(x \\mid \\mu_k, s_k^2)$. The posterior is "
            "still the sigmoid of the log-odds (the first lines, as in Section 2.1), but the "
            "two Gaussians no longer share their normalising constant or their $x^2$ term."
        ),
        reading=(
            "The log-odds are quadratic in $x$, with leading coefficient "
            "$c_2 = 1/(2 s_0^2) - 1/(2 s_1^2)$, zero only when $s_0 = s_1$. If class 1 is the "
            "wider, its density decays more slowly and wins far out on both sides: its "
            "posterior tends to 1 at both ends ({fig:gaussian-unequal-variance}; with the "
            "labels swapped, class 0's does). A sigmoid of a line tends to 0 at one end and "
            "to 1 at the other, so the posterior is a sigmoid of a line only when the "
            "variances are equal."
        ),
    )


# --------------------------------------------------------------------------- d dimensions


def kernels() -> tuple[KernelSpec, ...]:
    """The posteriors that ``numeric.gaussian`` evaluates: the results of two derivations.

    Each result is P(C1 | x) = sigma(z); the kernel evaluates it with pi_0 = 1 - pi_1.

    >>> [k.name for k in kernels()]
    ['gaussian_posterior', 'gaussian_posterior_unequal_variance']
    """
    priors = ((pi_0, 1 - pi_1),)  # the two priors sum to one
    one = gaussian_posterior().result
    two = unequal_variance().result
    return (
        KernelSpec(
            "gaussian_posterior",
            (x, mu_0, mu_1, s, pi_1),
            one.lhs,
            one.rhs,
            "gaussian-posterior",
            "the sigmoid of the log-odds, never the ratio of two densities that underflow",
            given=priors,
        ),
        KernelSpec(
            "gaussian_posterior_unequal_variance",
            (x, mu_0, mu_1, s_0, s_1, pi_1),
            two.lhs,
            two.rhs,
            "gaussian-posterior-unequal-variance",
            "the sigmoid of the quadratic log-odds, never the ratio of two densities",
            given=priors,
        ),
    )


def derivations() -> list[Derivation]:
    """The derivations of this topic, in reading order."""
    return [
        gaussian_posterior(),
        decision_boundary(),
        unequal_variance(),
    ]
