r"""The sigmoid itself: its two forms, symmetry, derivative, tanh, inverse, and stable forms."""

from __future__ import annotations

from sympy import (
    Abs,
    Add,
    Derivative,
    Eq,
    Interval,
    Max,
    Min,
    Piecewise,
    Pow,
    Rational,
    S,
    Symbol,
    exp,
    log,
    tanh,
)
from sympy.codegen.cfunctions import log1p
from sympy.core.parameters import evaluate

from derivations.engine import Derivation, define, step, substitute, then
from derivations.functions import logit, sigmoid, stable_sigmoid
from derivations.notation import frac

__all__ = ["STABLE_FORMS", "derivations"]

z = Symbol("z", real=True)
p = Symbol("p", positive=True)
a = Symbol("a", positive=True)


def sigmoid_two_forms() -> Derivation:
    ez = exp(z)
    with evaluate(False):
        multiplied = ez / ((1 + exp(-z)) * ez)
    return Derivation(
        "sigmoid-two-forms",
        "Two forms of the sigmoid",
        (
            step(sigmoid(z), 1 / (1 + exp(-z)), "definition of the logistic sigmoid"),
            then(multiplied, "multiply numerator and denominator by $e^{z}$"),
            then(ez / (ez + 1), "distribute: $e^{-z} e^{z} = 1$"),
        ),
        intro="The sigmoid is written both ways in the literature; they are the same function.",
        reading=(
            "The second form shows the sigmoid as a ratio of two positive weights, "
            "e^z against 1, which is how it reappears as a posterior probability."
        ),
    )


def sigmoid_symmetry() -> Derivation:
    with evaluate(False):
        add_subtract = Add(1, exp(-z), -1) / (1 + exp(-z))
        split = 1 - 1 / (1 + exp(-z))
    return Derivation(
        "sigmoid-symmetry",
        "Symmetry: $\\sigma(-z) = 1 - \\sigma(z)$",
        (
            step(sigmoid(-z), 1 / (1 + exp(z)), "definition of $\\sigma$ at $-z$"),
            then(exp(-z) / (exp(-z) + 1), "multiply numerator and denominator by $e^{-z}$"),
            then(add_subtract, "add and subtract 1 in the numerator"),
            then(split, "split the fraction"),
            then(1 - sigmoid(z), "definition of $\\sigma$"),
        ),
        reading=(
            "The curve is point-symmetric about (0, 1/2): the probability of the other "
            "class is the sigmoid of the negated input."
        ),
    )


def sigmoid_derivative() -> Derivation:
    u = 1 + exp(-z)
    s = sigmoid(z)
    with evaluate(False):
        chain = -Pow(u, -2) * Derivative(u, z)
        factors = (1 / u) * (exp(-z) / u)
        product = s * (1 - s)
        square = Rational(1, 4) - (s - S.Half) ** 2
    return Derivation(
        "sigmoid-derivative",
        "The derivative: $\\sigma' = \\sigma(1 - \\sigma)$",
        (
            step(Derivative(sigmoid(z), z), Derivative(Pow(u, -1), z), "definition of $\\sigma$"),
            then(chain, "chain rule: $(u^{-1})' = -u^{-2} u'$"),
            then(exp(-z) / u**2, "$(1 + e^{-z})' = -e^{-z}$"),
            then(factors, "split the fraction into two factors"),
            then(product, "$e^{-z}/(1 + e^{-z}) = 1 - \\sigma(z)$ (symmetry)"),
            step(product, square, "complete the square"),
            then(Rational(1, 4), "a square is never negative", relation="<="),
            substitute(z, S.Zero, "the maximum: $\\sigma(0) = 1/2$"),
            step(Derivative(sigmoid(z), z), Rational(1, 4), "the bound is reached at $z = 0$"),
        ),
        result=Eq(Derivative(s, z), product, evaluate=False),
        reading=(
            "The slope is largest, 1/4, at z = 0 and decays like e^{-|z|} on both sides: "
            "a saturated sigmoid passes almost no gradient back."
        ),
    )


def sigmoid_tanh() -> Derivation:
    with evaluate(False):
        two_over = 2 / (1 + exp(-2 * z)) - 1
        doubled = 2 * sigmoid(2 * z) - 1
        half = (1 + tanh(z / 2)) / 2
    return Derivation(
        "sigmoid-tanh",
        "The sigmoid and tanh",
        (
            step(tanh(z), (exp(z) - exp(-z)) / (exp(z) + exp(-z)), "definition of tanh"),
            then(
                (1 - exp(-2 * z)) / (1 + exp(-2 * z)),
                "divide numerator and denominator by $e^{z}$",
            ),
            then(two_over, "$(1 - u)/(1 + u) = 2/(1 + u) - 1$"),
            then(doubled, "definition of $\\sigma$ at $2z$"),
            step(sigmoid(z), half, "solve for $\\sigma$, with $z/2$ for $z$"),
        ),
        result=Eq(tanh(z), doubled, evaluate=False),
        reading=(
            "tanh is the sigmoid stretched to (-1, 1) and compressed in z by a factor "
            "of two: the two are interchangeable up to an affine change of the weights."
        ),
    )


def logit_inverse() -> Derivation:
    ratio = p / (1 - p)
    s = sigmoid(z)
    with evaluate(False):
        composed = sigmoid(log(ratio))
        expanded = 1 / (1 + exp(-log(ratio)))
        reciprocal = 1 / (1 + (1 - p) / p)
        log_odds = log(s / (1 - s))
        written_out = log(frac(1 / (1 + exp(-z)), exp(-z) / (1 + exp(-z))))
        log_exp = log(exp(z))
    return Derivation(
        "logit-inverse",
        "The inverse of the sigmoid: the log-odds",
        (
            step(logit(p), log(ratio), "definition: the logit is the log-odds"),
            step(composed, expanded, "definition of $\\sigma$"),
            then(reciprocal, "$e^{-\\ln u} = 1/u$"),
            then(p, "multiply numerator and denominator by $p$"),
            step(
                log_odds,
                written_out,
                "definition of $\\sigma$; $1 - \\sigma(z) = e^{-z}/(1 + e^{-z})$",
            ),
            then(log_exp, "cancel $1 + e^{-z}$; $1/e^{-z} = e^{z}$"),
            then(z, "$\\ln e^{z} = z$"),
        ),
        result=Eq(logit(p), log(ratio), evaluate=False),
        domains={p: Interval.open(0, 1)},
        reading=(
            "Both compositions give the identity, so the logit ln(p/(1-p)) inverts the "
            "sigmoid on (0, 1): the input of a sigmoid unit is the log-odds of its output."
        ),
    )


def derivative_from_output() -> Derivation:
    s = sigmoid(z)
    with evaluate(False):
        product = s * (1 - s)
        from_output = a * (1 - a)
        twice = sigmoid(a) * (1 - sigmoid(a))
    return Derivation(
        "derivative-from-output",
        "The derivative from the output alone",
        (
            define(a, sigmoid(z), "the unit's output"),
            step(Derivative(s, z), product, "the sigmoid's derivative (above)"),
            then(from_output, "write it with the output $a$"),
            step(
                z * (1 - z),
                Derivative(sigmoid(z), z),
                "$x(1 - x)$ handed the input $z$ instead of the output",
                relation="!=",
            ),
            step(
                twice,
                Derivative(s, z),
                "$\\sigma(x)(1 - \\sigma(x))$ handed the output: $\\sigma$ applied twice",
                relation="!=",
            ),
        ),
        result=Eq(Derivative(s, z), from_output, evaluate=False),
        intro=(
            "A popular eleven-line network computes the update with nonlin(x, deriv=True), "
            "which returns x*(1-x). That is the sigmoid's derivative only when x is the "
            "layer's output a = sigma(z)."
        ),
        reading=(
            "The output a is all the backward pass needs, which is why frameworks keep "
            "it. Feeding the formula the input, or applying sigma'(x) = sigma(x)(1 - "
            "sigma(x)) to the output, gives a different function: the points shown are "
            "counterexamples."
        ),
    )


def _stable_logit(q):
    # Near p = 1/2, ln(p/(1-p)) = ln(1 + u) with u small: log1p keeps the digits of u.
    return Piecewise(
        (log(q / (1 - q)), q < Rational(1, 4)),
        (log1p((2 * q - 1) / (1 - q)), True),
    )


# name -> (argument symbols, textbook form, stable form, why the stable form is safe)
STABLE_FORMS = {
    "sigmoid": (
        (z,),
        sigmoid(z),
        stable_sigmoid(z),
        "$1/(1 + e^{-z})$ for $z \\ge 0$, $e^{z}/(1 + e^{z})$ for $z < 0$: no exponential above 1",
    ),
    "sigmoid_prime": (
        (z,),
        sigmoid(z) * (1 - sigmoid(z)),
        exp(-Abs(z)) / (1 + exp(-Abs(z))) ** 2,
        "$\\sigma(z)\\sigma(-z)$ with $e^{-|z|}$: no cancellation in $1 - \\sigma$",
    ),
    "log_sigmoid": (
        (z,),
        log(sigmoid(z)),
        Min(z, 0) - log1p(exp(-Abs(z))),
        "$\\ln \\sigma(z) = -\\ln(1 + e^{-z})$, split at $z = 0$; log1p keeps tiny terms",
    ),
    "softplus": (
        (z,),
        log(1 + exp(z)),
        Max(z, 0) + log1p(exp(-Abs(z))),
        "$\\ln(1 + e^{z}) = \\max(z, 0) + \\ln(1 + e^{-|z|})$: finite for any $z$",
    ),
    "logit": (
        (p,),
        logit(p),
        _stable_logit(p),
        "log1p near $p = 1/2$, where $p/(1-p)$ is close to 1",
    ),
}


def stable_forms() -> Derivation:
    steps = [step(textbook, stable, why) for _, textbook, stable, why in STABLE_FORMS.values()]
    return Derivation(
        "stable-forms",
        "Forms that cannot overflow",
        tuple(steps),
        result=Eq(sigmoid(z), stable_sigmoid(z), evaluate=False),
        domains={p: Interval.open(0, 1)},
        intro=(
            "The NumPy functions of this toolkit are lambdified from these right-hand "
            "sides. H(z) is the Heaviside step with H(0) = 1. Each form equals the "
            "textbook one for every real input, but never evaluates an exponential of a "
            "positive number, so nothing overflows, and never subtracts nearly equal "
            "numbers, so the tails keep their digits."
        ),
    )


def derivations() -> list[Derivation]:
    """The derivations of this topic, in reading order."""
    return [
        sigmoid_two_forms(),
        sigmoid_symmetry(),
        sigmoid_derivative(),
        sigmoid_tanh(),
        logit_inverse(),
        derivative_from_output(),
        stable_forms(),
    ]
