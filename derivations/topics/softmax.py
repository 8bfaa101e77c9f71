"""The softmax as the sigmoid of several classes, and the standardized sigmoid."""

from __future__ import annotations

from sympy import (
    Eq,
    Integer,
    Symbol,
    exp,
    sqrt,
)

from derivations.engine import Derivation, assume, define, step, then
from derivations.functions import sigmoid
from derivations.notation import frac, negated, product_of, sum_of

__all__ = ["derivations", "softmax_two_class", "standardized_sigmoid"]


def softmax_two_class() -> Derivation:
    z0, z1 = Symbol("z_0", real=True), Symbol("z_1", real=True)
    c = Symbol("gamma", real=True)  # a shift (c(x) is the common part in Section 7.2)
    s1 = Symbol(r"\operatorname{softmax}(z)_1", positive=True)
    zk = Symbol("z_k", real=True)
    total = Symbol("Z", positive=True)  # the normaliser of any number of scores
    difference = sum_of(z1, -z0)
    return Derivation(
        "softmax-two-class",
        "The softmax of two scores is a sigmoid, and a shift changes nothing",
        (
            define(s1, frac(exp(z1), sum_of(exp(z0), exp(z1))), "class 1 of the two scores"),
            step(s1, frac(1, sum_of(Integer(1), frac(exp(z0), exp(z1)))), "divide by $e^{z_1}$"),
            then(
                frac(1, sum_of(Integer(1), exp(negated(difference)))),
                "$e^{z_0}/e^{z_1} = e^{z_0 - z_1}$",
            ),
            then(sigmoid(difference), "definition of $\\sigma$"),
            step(
                exp(sum_of(zk, c)),
                product_of(exp(c), exp(zk)),
                "add $\\gamma$ to a score; summed over all scores, $Z$ becomes $e^{\\gamma} Z$",
            ),
            step(
                frac(exp(sum_of(zk, c)), product_of(exp(c), total)),
                frac(exp(zk), total),
                "cancel $e^{\\gamma}$",
            ),
        ),
        result=Eq(s1, sigmoid(difference), evaluate=False),
        intro=(
            "The softmax turns scores $z_k$ into probabilities $e^{z_k}/Z$, with the "
            "normaliser $Z = \\sum_j e^{z_j}$. With two classes it is the sigmoid of the "
            "difference of the two scores. The last two lines hold for any number of scores: "
            "the first for each score, so for their sum $Z$, and the second for any $Z > 0$."
        ),
        reading=(
            "Only differences of scores matter: adding the same $\\gamma$ to every score cancels. "
            "Taking $\\gamma = -\\max_j z_j$ makes every exponent at most 0, so $e^{z}$ cannot "
            "overflow, and the largest term is exactly 1. Where every score lies well inside "
            "the range of $e^{z}$, $\\gamma = 0$ serves as well: no $e^{z_k}$ overflows or "
            "leaves the normal numbers, and no rounded difference $z_k - \\max_j z_j$ enters."
        ),
    )


def standardized_sigmoid() -> Derivation:
    n = Symbol("K", integer=True, positive=True)  # the number of scores
    xi, m = Symbol("z_k", real=True), Symbol("m", real=True)
    q = Symbol("Q", positive=True)  # the sum of squared deviations
    lam = Symbol("lambda", positive=True)  # a change of units
    s_pop = Symbol(r"s_{\mathrm{pop}}", positive=True)
    s_smp = Symbol(r"s_{\mathrm{sample}}", positive=True)
    deviation = sum_of(xi, -m)
    shrink = sqrt(frac(sum_of(n, -1), n))
    rescaled = product_of(lam, deviation)
    s_new = Symbol(r"\tilde{s}_{\mathrm{pop}}", positive=True)
    return Derivation(
        "standardized-sigmoid",
        "The standardized sigmoid: sample or population deviation, and the variance",
        (
            define(s_pop, sqrt(frac(q, n)), "the population standard deviation"),
            define(s_smp, sqrt(frac(q, sum_of(n, -1))), "the sample standard deviation"),
            assume(n, 2, "at least two values", relation=">="),
            step(frac(s_smp, s_pop), sqrt(frac(n, sum_of(n, -1))), "depends on $K$ alone"),
            step(
                frac(deviation, s_smp),
                product_of(shrink, frac(deviation, s_pop)),
                "so one factor for every value",
            ),
            define(s_new, sqrt(frac(product_of(lam**2, q), n)), "the same in new units"),
            step(frac(rescaled, s_new), frac(deviation, s_pop), "the standardized value stays"),
            step(
                frac(rescaled, s_new**2),
                product_of(frac(1, lam), frac(deviation, s_pop**2)),
                "the value over the variance changes",
            ),
        ),
        result=Eq(
            frac(deviation, s_smp), product_of(shrink, frac(deviation, s_pop)), evaluate=False
        ),
        intro=(
            "The sigmoid of a vector of scores $z_1, \\ldots, z_K$ acts on each score alone. "
            "The softmax divides by a sum over all of them, so one large score takes all the "
            "probability. The standardized sigmoid $\\sigma((z_k - m)/s)$ first subtracts the "
            "mean $m$ of the $K$ scores and divides by their standard deviation $s$, so an "
            "outlier moves the others only through $m$ and $s$. With "
            "$Q = \\sum_k (z_k - m)^2$, the standard deviation is $\\sqrt{Q/K}$ for the "
            "scores as a whole population, or $\\sqrt{Q/(K - 1)}$ as an estimate from a "
            "sample. Changing units, say from metres to millimetres, multiplies every $z_k$ "
            "and $m$ by some $\\lambda > 0$, and $Q$ by $\\lambda^2$; "
            "$\\tilde{s}_{\\mathrm{pop}}$ is the population deviation in the new units."
        ),
        reading=(
            "With $K = 5$ scores, the sample deviation shrinks every standardized value by "
            "$\\sqrt{4/5} \\approx 0.894$, which moves every sigmoid toward $1/2$: two "
            "implementations that disagree on the deviation disagree on every output. "
            "Dividing by the variance instead is not a standardization at all: the result "
            "changes with the units, by the factor $1/\\lambda$, and with a spread in the "
            "thousands it squashes everything to $1/2$ ({fig:softmax-outlier})."
        ),
    )


def derivations() -> list[Derivation]:
    """The derivations of this topic, in reading order."""
    return [softmax_two_class(), standardized_sigmoid()]
