r"""The sigmoid itself: its two forms, symmetry, derivative, tanh, inverse, and stable forms."""

from __future__ import annotations

from sympy import (
    Abs,
    Add,
    Basic,
    Derivative,
    Eq,
    Interval,
    Max,
    Min,
    Piecewise,
    Pow,
    Rational,
    S,
    Subs,
    Symbol,
    exp,
    log,
    tanh,
)
from sympy.codegen.cfunctions import log1p
from sympy.core.parameters import evaluate

from derivations.engine import Derivation, define, step, then
from derivations.functions import logit, sigmoid, stable_sigmoid
from derivations.kernels import KernelSpec

__all__ = ["derivations", "kernels", "tail_sigmoid", "tail_softplus", "upper_tail_sigmoid"]

z = Symbol("z", real=True)
p = Symbol("p", positive=True)
q = Symbol("q", positive=True)
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
        intro=(
            "Bishop writes the first form [cite:bishop2006], and the second appears as soon "
            "as the sigmoid is read as a share of two weights; they are the same function."
        ),
        reading=(
            "The second form shows the sigmoid as a share: the weight $e^{z}$ against the "
            "weight 1. That is how it reappears in Section 2, as the probability of one "
            "class against another."
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
            step(
                Subs(Derivative(s, z), z, 0),
                Rational(1, 4),
                "the bound is reached at $z = 0$, where $\\sigma(0) = 1/2$",
            ),
        ),
        result=Eq(Derivative(s, z), product, evaluate=False),
        reading=(
            "The slope is largest, $1/4$, at $z = 0$ and decays like $e^{-|z|}$ on both "
            "sides: a saturated sigmoid passes almost no gradient back ({fig:sigmoid-and-"
            "derivative})."
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
            "$\\tanh$ is the sigmoid stretched vertically to $(-1, 1)$ and squeezed "
            "horizontally by a factor of two: a network can use either, with its weights "
            "and biases rescaled to match."
        ),
    )


def logit_inverse() -> Derivation:
    ratio = q / (1 - q)
    with evaluate(False):
        composed = sigmoid(log(ratio))
        expanded = 1 / (1 + exp(-log(ratio)))
        reciprocal = 1 / (1 + (1 - q) / q)
    return Derivation(
        "logit-inverse",
        "The inverse of the sigmoid: the log-odds",
        (
            define(p, sigmoid(z), "the output for the input $z$"),
            step(1 + exp(-z), 1 / p, "invert both sides of $p = 1/(1 + e^{-z})$"),
            step(exp(-z), (1 - p) / p, "subtract 1 from both sides"),
            step(z, -log((1 - p) / p), "take logarithms"),
            then(log(p / (1 - p)), "$-\\ln u = \\ln(1/u)$"),
            then(logit(p), "name it: the logit, or log-odds, of $p$"),
            step(
                composed, expanded, "conversely, for any $q$ in $(0, 1)$: definition of $\\sigma$"
            ),
            then(reciprocal, "$e^{-\\ln u} = 1/u$"),
            then(q, "multiply numerator and denominator by $q$"),
        ),
        result=Eq(logit(p), log(p / (1 - p)), evaluate=False),
        domains={q: Interval.open(0, 1)},
        intro=(
            "Solve $p = \\sigma(z)$ for $z$: the answer is the inverse function, and it has a name."
        ),
        reading=(
            "The logit $\\ln(p/(1 - p))$ turns a probability back into the input that "
            "produced it, and the sigmoid of a logit gives the probability back: the two "
            "are inverse functions on $(0, 1)$. So the input of a sigmoid unit is the "
            "log-odds of its output."
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
                "the code's `x*(1-x)` handed the input $z$ instead of the output",
                relation="!=",
            ),
            step(
                twice,
                Derivative(s, z),
                "$\\sigma(z)(1 - \\sigma(z))$ evaluated at the output $a$: $\\sigma$ applied twice",
                relation="!=",
            ),
        ),
        result=Eq(Derivative(s, z), from_output, evaluate=False),
        intro=(
            "The eleven-line network of Trask's post [cite:trask2015] computes its update "
            "with `nonlin(x, deriv=True)`, "
            "which returns `x*(1-x)`. That is the sigmoid's derivative only when `x` is the "
            "layer's output $a = \\sigma(z)$."
        ),
        reading=(
            "The output $a$ is all the backward pass needs, so the network can keep the "
            "outputs of the forward pass and discard the weighted inputs. Handing the "
            "formula the input instead, or evaluating $\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$ "
            "at the output, gives a different function: the last two lines name a point "
            "where each differs."
        ),
    )


def _stable_logit(q):
    # Near p = 1/2, ln(p/(1-p)) = ln(1 + u) with u small: log1p keeps the digits of u.
    return Piecewise(
        (log(q / (1 - q)), q < Rational(1, 4)),
        (log1p((2 * q - 1) / (1 - q)), True),
    )


# Below this z, e^-z (above e^700) comes near the float range's end (e^709.78).
TAIL = -700


def tail_sigmoid(z: Basic) -> Basic:
    """The textbook 1/(1 + e^-z) where e^-z is finite (z >= -700), the stable form below.

    Four NumPy passes instead of seven: a block evaluates the textbook form everywhere and
    recomputes the stable form only where z < -700 (numeric._kernel, a far-tail Piecewise);
    1/(1 + e^-z) is as accurate as the stable form wherever e^-z is finite.

    >>> tail_sigmoid(z).args[1]
    (1/(1 + exp(-z)), True)
    """
    return Piecewise((stable_sigmoid(z), z < TAIL), (1 / (1 + exp(-z)), True))


def upper_tail_sigmoid(z: Basic) -> Basic:
    """e^z/(1 + e^z) where e^z is finite (z <= 700), the stable form above.

    Three NumPy passes (exp, add, divide): no pass negates z. Where e^z underflows (z below
    about -708) the quotient is e^z itself, as accurate as exp; above 700 a block patches
    the stable form in, where e^z would overflow (numeric._kernel, a far-tail Piecewise).

    >>> upper_tail_sigmoid(z).args[1]
    (exp(z)/(exp(z) + 1), True)
    """
    return Piecewise((stable_sigmoid(z), z > -TAIL), (exp(z) / (1 + exp(z)), True))


def tail_softplus(z: Basic) -> Basic:
    """ln(1 + e^z) as log1p(e^z) where e^z is finite (z <= 700), the stable form above.

    Two NumPy passes instead of six (``numeric.lambdify``): log1p(e^z) is as accurate as
    the stable form wherever e^z is finite, and a block patches the rare elements above 700
    (numeric._kernel, a far-tail Piecewise: ``z > 700`` is the tail ``-z < -700``).

    >>> tail_softplus(z).args[1]
    (log1p(exp(z)), True)
    """
    return Piecewise((Max(z, 0) + log1p(exp(-Abs(z))), z > -TAIL), (log1p(exp(z)), True))


def _tail_sigmoid_prime(z: Basic) -> Basic:
    # e^-z/(1 + e^-z)^2 where the square is finite (z >= -350), e^-|z| in place of e^-z below.
    e, ez = exp(-Abs(z)), exp(-z)
    return Piecewise((e / (1 + e) ** 2, z < -350), (ez / (1 + ez) ** 2, True))


def kernels() -> tuple[KernelSpec, ...]:
    """The NumPy kernels of the sigmoid family, each proven by the ``stable-forms`` derivation.

    >>> [k.name for k in kernels()]
    ['sigmoid', 'sigmoid_derivative', 'log_sigmoid', 'softplus', 'logit']
    """
    e = exp(-Abs(z))
    return (
        KernelSpec(
            "sigmoid",
            (z,),
            sigmoid(z),
            upper_tail_sigmoid(z),
            "stable-forms",
            "e^z/(1 + e^z) where e^z is finite, the stable form (no exponential above 1) "
            "above z = 700",
        ),
        KernelSpec(
            "sigmoid_derivative",
            (z,),
            sigmoid(z) * (1 - sigmoid(z)),
            _tail_sigmoid_prime(z),
            "stable-forms",
            "sigma(z) sigma(-z) as e^-z/(1 + e^-z)^2, with e^-|z| below z = -350: no "
            "cancellation in 1 - sigma, no overflow",
        ),
        KernelSpec(
            "log_sigmoid",
            (z,),
            log(sigmoid(z)),
            Min(z, 0) - log1p(e),
            "stable-forms",
            "ln sigma(z) = -ln(1 + e^-z), split at z = 0; log1p keeps tiny terms",
        ),
        KernelSpec(
            "softplus",
            (z,),
            log(1 + exp(z)),
            Max(z, 0) + log1p(e),
            "stable-forms",
            "ln(1 + e^z) = max(z, 0) + ln(1 + e^-|z|): finite for any z",
        ),
        KernelSpec(
            "logit",
            (p,),
            logit(p),
            _stable_logit(p),
            "stable-forms",
            "log1p near p = 1/2, where p/(1 - p) is close to 1",
        ),
    )


# How the document justifies each stable form (after the sigmoid's own two lines).
_STEP_WHY = {
    "sigmoid_derivative": (
        "$\\sigma(z)\\sigma(-z)$, with $e^{-|z|}$ below $z = -350$: no cancellation in "
        "$1 - \\sigma$, no overflow"
    ),
    "log_sigmoid": (
        "$\\ln \\sigma(z) = -\\ln(1 + e^{-z})$, split at $z = 0$; log1p keeps tiny terms"
    ),
    "softplus": "$\\ln(1 + e^{z}) = \\max(z, 0) + \\ln(1 + e^{-|z|})$: finite for any $z$",
    "logit": "log1p near $p = 1/2$, where $p/(1-p)$ is close to 1",
}


def stable_forms() -> Derivation:
    e = exp(-Abs(z))
    by_sign = Piecewise((1 / (1 + e), z >= 0), (e / (1 + e), True))
    steps = [
        step(sigmoid(z), by_sign, "the two forms, each where its exponential is at most 1"),
        then(stable_sigmoid(z), "one formula: the max picks the numerator, 1 or $e^{-|z|}$"),
        step(
            sigmoid(z),
            tail_sigmoid(z),
            "the definition where $e^{-z} \\le e^{700}$ is finite, the stable form below",
        ),
        step(
            sigmoid(z),
            upper_tail_sigmoid(z),
            "$e^{z}/(1 + e^{z})$ where $e^{z} \\le e^{700}$ is finite, the stable form above",
        ),
    ]
    steps += [step(k.textbook, k.stable, _STEP_WHY[k.name]) for k in kernels()[1:]]
    steps.insert(
        -1,  # after softplus's stable form, before the logit's
        step(
            log(1 + exp(z)),
            tail_softplus(z),
            "log1p of $e^{z}$ where $e^{z} \\le e^{700}$ is finite, the stable form above 700",
        ),
    )
    return Derivation(
        "stable-forms",
        "Forms that cannot overflow",
        tuple(steps),
        result=Eq(sigmoid(z), stable_sigmoid(z), evaluate=False),
        domains={p: Interval.open(0, 1)},
        intro=(
            "$H(z)$ is the Heaviside step with $H(0) = 1$. Each right-hand side equals its "
            "left-hand side, the form of Sections 1.1 to 1.5 (the sigmoid as Bishop writes it "
            "[cite:bishop2006]), for every real input. On the right-hand sides an "
            "exponential of a positive number appears only in the lines with a branch at "
            "$-700$, $-350$ or $700$, and only where it is at most $e^{700}$, below the "
            "largest double, about $e^{709.78}$; beyond, they switch to the form with "
            "$e^{-|z|}$. So no right-hand side overflows. The one subtraction of nearly equal "
            "numbers, $2p - 1$ near $p = 1/2$, is exact in floating point, so the tails keep "
            "their digits. The first line "
            "is the idea; the second is the same function without a branch."
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
