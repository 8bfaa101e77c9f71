r"""Losses for a sigmoid neuron: MSE against binary cross-entropy, their gradients, and batches.

The function being minimized is called the cost $C$ throughout. ``kernels()`` lists the
forms that ``numeric.losses`` evaluates; the derivation each names (``loss-stable-forms``
for most) verifies it equal to its textbook form.
"""

from __future__ import annotations

from sympy import (
    Abs,
    Add,
    Derivative,
    Eq,
    Heaviside,
    ImmutableMatrix,
    Interval,
    Limit,
    Max,
    Mul,
    Piecewise,
    Rational,
    Symbol,
    UnevaluatedExpr,
    exp,
    log,
    oo,
)
from sympy.codegen.cfunctions import log1p
from sympy.core.parameters import evaluate

from derivations.engine import Derivation, define, step, substitute, then
from derivations.functions import sigmoid
from derivations.kernels import STABLE, KernelSpec
from derivations.notation import difference, frac, gradient, product_of

__all__ = ["derivations", "kernels"]

x = Symbol("x", real=True)
w = Symbol("w", real=True)
b = Symbol("b", real=True)
y = Symbol("y", real=True)
z = Symbol("z", real=True)
a = Symbol("a", positive=True)
C = Symbol("C", real=True)

TARGET = {y: Interval(0, 1)}  # a target probability, as cross-entropy needs
# Sampling box for inputs, weights and biases in the numeric checks. ln(1 - sigma(z)) as written
# loses a digit per 2.3 units of z (1 - sigma(z) ~ e^-z), so |z| <= 21 keeps 40 of the 50 digits.
MODERATE = Interval(-3, 3)


# ----------------------------------------------------------------- stable forms


def _softplus(u):
    # ln(1 + e^u) = max(u, 0) + ln(1 + e^-|u|): the exponential never exceeds 1
    return Max(u, 0) + log1p(exp(-Abs(u)))


def _xlogy(u, v, zero):
    # u ln v with 0 ln 0 = 0: the term is dropped where its weight u is exactly zero
    return Piecewise((0, Eq(zero, 0)), (u * v, True))


with evaluate(False):
    BCE_LOSS = -(y * log(a) + (1 - y) * log(1 - a))
    # Each term on its own is never negative, so a certain right answer costs +0, not -0.
    STABLE_BCE_LOSS = _xlogy(-y, log(a), y) + _xlogy(-(1 - y), log1p(-a), 1 - y)
    BCE_LOGITS = log(1 + exp(z)) - y * z
    # Three terms that are never negative for y in [0, 1]: nothing cancels at any z.
    STABLE_BCE_LOGITS = Add(log1p(exp(-Abs(z))), (1 - y) * Max(z, 0), y * Max(-z, 0))
    BCE_RESIDUAL = sigmoid(z) - y
    # sigma(z) - 1 loses every digit for large z, where sigma(-z) keeps them all.
    STABLE_BCE_RESIDUAL = (1 - y) * sigmoid(z) - y * sigmoid(-z)
    MSE_RESIDUAL = (sigmoid(z) - y) * sigmoid(z) * (1 - sigmoid(z))
    STABLE_MSE_RESIDUAL = STABLE_BCE_RESIDUAL * sigmoid(z) * sigmoid(-z)
    # The same over one denominator, with e = e^-|z| and the numerator n of the stable
    # sigmoid (1 for z >= 0, e below): ((n - y) - y e)/(1 + e). For y = 1 and z >= 0,
    # n - y is exactly 0 and the result -e/(1 + e) keeps every digit; the grouping
    # (n - y) first is what makes that so, hence the UnevaluatedExpr.
    _E = exp(-Abs(z))
    _N = Max(_E, Heaviside(z, 1))
    FAST_BCE_RESIDUAL = (UnevaluatedExpr(_N - y) - y * _E) / (1 + _E)
    FAST_MSE_RESIDUAL = (UnevaluatedExpr(_N - y) - y * _E) * _E / (1 + _E) ** 3
    # (a - y)^2/2 with the half taken before the square: (a - y)^2 overflows for |a - y|
    # above 1.3e154, where the loss itself is still finite. Halving is exact (where the
    # loss is not 0 anyway), so the one rounding of the product is the only one.
    HALF_FIRST_MSE = UnevaluatedExpr((a - y) / 2) * (a - y)

# The residual with e^-z itself where it is finite (z >= -700): ((1 - y) - y e^-z)/(1 + e^-z),
# no max and no step (fewer NumPy passes); the form above below -700 (a far tail, which
# numeric's blocks patch in). 1 - y is again taken first: exactly 0 for y = 1.
_EZ = exp(-z)
TAIL_BCE_RESIDUAL = Piecewise(
    (FAST_BCE_RESIDUAL, z < -700), ((UnevaluatedExpr(1 - y) - y * _EZ) / (1 + _EZ), True)
)
# The squared error's the same way: with p = e^-z/(1 + e^-z) = sigma(-z), the residual above
# over 1 + e^-z once more, times p: (((1 - y)/(1 + e^-z) - y p) p)/(1 + e^-z). Each factor is
# divided before it multiplies, so nothing exceeds 2|y| + 1 (e^-z times y would overflow for
# huge targets); p is computed once (kept whole, as the residual is).
_P = UnevaluatedExpr(_EZ / (1 + _EZ))
TAIL_MSE_RESIDUAL = Piecewise(
    (FAST_MSE_RESIDUAL, z < -700),
    (UnevaluatedExpr(UnevaluatedExpr(1 - y) / (1 + _EZ) - y * _P) * _P / (1 + _EZ), True),
)


def kernels() -> tuple[KernelSpec, ...]:
    """The NumPy kernels of the losses, each a claim of the derivation it names.

    ``bce_gradient`` and ``mse_gradient`` evaluate the stable dC/dz at z = w x + b, times x and
    times 1; the batch gradients use the residuals dC/dz themselves.

    >>> [k.name for k in kernels() if not k.public]
    ['bce_residual', 'mse_residual']
    """
    residual = (
        "no cancellation: sigma(-z) for 1 - sigma(z), one exponential (e^-z; e^-|z| in the "
        "far tail)"
    )
    neuron = {"given": ((z, w * x + b),), "outputs": (STABLE * x, STABLE)}  # z = w x + b

    def stable_form(name, args, textbook, stable, why, **options):
        return KernelSpec(name, args, textbook, stable, "loss-stable-forms", why, **options)

    return (
        stable_form("mse_loss", (a, y), (a - y) ** 2 / 2, HALF_FIRST_MSE, "halved before squaring"),
        stable_form(
            "bce_loss", (a, y), BCE_LOSS, STABLE_BCE_LOSS, "0 ln 0 = 0; log1p(-a) for ln(1 - a)"
        ),
        stable_form(
            "bce_with_logits",
            (z, y),
            BCE_LOGITS,
            STABLE_BCE_LOGITS,
            "three terms that are never negative: nothing cancels, e^-|z| never overflows",
        ),
        stable_form(
            "bce_residual", (z, y), BCE_RESIDUAL, TAIL_BCE_RESIDUAL, residual, public=False
        ),
        stable_form(
            "mse_residual", (z, y), MSE_RESIDUAL, TAIL_MSE_RESIDUAL, residual, public=False
        ),
        stable_form(
            "bce_gradient", (x, y, w, b), BCE_RESIDUAL, TAIL_BCE_RESIDUAL, residual, **neuron
        ),
        stable_form(
            "mse_gradient", (x, y, w, b), MSE_RESIDUAL, TAIL_MSE_RESIDUAL, residual, **neuron
        ),
    )


def _neuron() -> tuple:
    with evaluate(False):
        weighted = w * x + b
    return (
        define(z, weighted, "the neuron's weighted input"),
        define(a, sigmoid(z), "its output"),
    )


def _neuron_gradient() -> ImmutableMatrix:
    return gradient(C, [w, b])


# ----------------------------------------------------------------- one neuron


def mse_gradient() -> Derivation:
    with evaluate(False):
        prime = a * (1 - a)
        half_square = (a - y) ** 2 / 2
        out = sigmoid(w * x + b)
        delta = (out - y) * out * (1 - out)
    return Derivation(
        "mse-gradient",
        "The gradient of the squared error",
        (
            *_neuron(),
            define(C, half_square, "the squared error against the target $y$"),
            step(
                Derivative(C, w),
                product_of(Derivative(C, a), Derivative(a, z), Derivative(z, w)),
                "chain rule",
            ),
            then(
                product_of(a - y, Derivative(a, z), x),
                "$\\partial C/\\partial a = a - y$, $\\partial z/\\partial w = x$",
            ),
            then(product_of(a - y, prime, x), "$\\sigma'(z) = a(1 - a)$"),
            step(
                Derivative(C, b),
                product_of(Derivative(C, a), Derivative(a, z), Derivative(z, b)),
                "chain rule",
            ),
            then(product_of(a - y, prime), "the same, with $\\partial z/\\partial b = 1$"),
        ),
        result=Eq(
            _neuron_gradient(), ImmutableMatrix([product_of(delta, x), delta]), evaluate=False
        ),
        domains={**TARGET},
        intro=(
            "One neuron: input $x$, weight $w$, bias $b$, output $a = \\sigma(wx + b)$, "
            "target $y$. Gradient descent needs the derivatives of the cost $C$ with respect "
            "to $w$ and $b$. The chain rule gives each as a product of three factors."
        ),
        reading=(
            "Both derivatives carry the factor $\\sigma'(z) = a(1 - a)$, which is at most "
            "$1/4$. When the neuron saturates ($a$ near 0 or 1), that factor is tiny, "
            "however large the error $a - y$: a badly wrong neuron learns slowly."
        ),
    )


def bce_gradient() -> Derivation:
    with evaluate(False):
        by_term = -frac(y, a) + frac(1 - y, 1 - a)
        ratio = frac(a - y, a * (1 - a))
        out = sigmoid(w * x + b)
        error = out - y
    return Derivation(
        "bce-gradient",
        "The gradient of binary cross-entropy",
        (
            *_neuron(),
            define(C, BCE_LOSS, "cross-entropy against the target $y$"),
            step(
                Derivative(C, a),
                by_term,
                "$(\\ln a)' = 1/a$, $(\\ln(1 - a))' = -1/(1 - a)$",
            ),
            then(ratio, "common denominator $a(1 - a)$"),
            step(Derivative(C, z), product_of(Derivative(C, a), Derivative(a, z)), "chain rule"),
            then(product_of(ratio, a * (1 - a)), "$\\partial a/\\partial z = a(1 - a)$"),
            then(a - y, "$a(1 - a)$ cancels"),
            step(Derivative(C, w), product_of(Derivative(C, z), Derivative(z, w)), "chain rule"),
            then(product_of(a - y, x), "$\\partial z/\\partial w = x$"),
            step(Derivative(C, b), product_of(Derivative(C, z), Derivative(z, b)), "chain rule"),
            then(a - y, "$\\partial z/\\partial b = 1$"),
            substitute(y, 0, "the cost becomes"),
            step(C, -log(1 - a), "0 at $a = 0$, unbounded as $a \\to 1$"),
            substitute(y, 1, "the cost becomes"),
            step(C, -log(a), "0 at $a = 1$, unbounded as $a \\to 0$"),
        ),
        result=Eq(
            _neuron_gradient(), ImmutableMatrix([product_of(error, x), error]), evaluate=False
        ),
        domains={x: MODERATE, w: MODERATE, b: MODERATE, **TARGET},
        intro=(
            "Cross-entropy measures a predicted probability $a$ against a target probability "
            "$y$: $C = -[y \\ln a + (1 - y)\\ln(1 - a)]$. It is the cost whose gradient loses "
            "the factor $\\sigma'(z)$, as the chain rule shows. Same neuron as above:"
        ),
        reading=(
            "The derivative of the cost with respect to $a$, $(a - y)/(a(1 - a))$, grows "
            "exactly as fast as $\\sigma'(z) = a(1 - a)$ shrinks, so the gradient with respect "
            "to $z$ is the plain error $a - y$. The last lines read the cost for each target: "
            "it is zero at the right answer and grows without bound toward the wrong one, and "
            "the gradient $a - y$ is largest in size, close to 1, when the output is most wrong."
        ),
    )


def bce_logits() -> Derivation:
    s = sigmoid(z)
    u = 1 + exp(-z)
    with evaluate(False):
        loss = -(y * log(s) + (1 - y) * log(1 - s))
        written = -(y * log(1 / u) + (1 - y) * log(exp(-z) / u))
        logs = y * log(u) + (1 - y) * (z + log(u))
        collected = Add(z, log(u), Mul(-1, y, z))
        quotient = frac(exp(z), 1 + exp(z)) - y
    return Derivation(
        "bce-logits",
        "Cross-entropy from the logit",
        (
            define(C, loss, "cross-entropy of $\\sigma(z)$ against $y$"),
            step(C, written, "$1 - \\sigma(z) = e^{-z}/(1 + e^{-z})$"),
            then(logs, "$\\ln(p/q) = \\ln p - \\ln q$"),
            then(collected, "collect the terms in $y$"),
            then(BCE_LOGITS, "$z = \\ln e^{z}$"),
            step(Derivative(C, z), quotient, "differentiate the last line"),
            then(BCE_RESIDUAL, "the second form of $\\sigma$"),
        ),
        result=Eq(loss, BCE_LOGITS, evaluate=False),
        domains=TARGET,
        intro=(
            "The neuron computes $z$ first and then $a = \\sigma(z)$. Taking the logarithm of "
            "$a$ fails for large $|z|$: $\\sigma(z)$ rounds to exactly 0 or 1, and the "
            "logarithm of 0 is infinite. Written in the logit $z$, the cost is "
            "$\\ln(1 + e^{z}) - yz$, softplus minus a linear term, finite for every $z$."
        ),
        reading=(
            "For large positive $z$ and target 0 the cost grows like $z$: a straight line of "
            "slope 1, so a badly wrong output still gets a gradient, the plain error "
            "$\\sigma(z) - y$ found above. The last line still exponentiates $z$; a form "
            "that never overflows ends this section."
        ),
    )


C_MSE = Symbol("C_MSE", real=True)
C_BCE = Symbol("C_BCE", real=True)


def learning_slowdown() -> Derivation:
    s = sigmoid(z)
    with evaluate(False):
        prime = a * (1 - a)
        square = Rational(1, 4) - (a - Rational(1, 2)) ** 2
        mse_at_0 = a**2 * (1 - a)
        mse_at_1 = -a * (1 - a) ** 2
        shown = product_of(s * (1 - s), Derivative(C_BCE, z))
    return Derivation(
        "learning-slowdown",
        "The learning slowdown",
        (
            define(a, s, "the output for the input $z$"),
            define(C_MSE, (a - y) ** 2 / 2, "squared error"),
            define(C_BCE, BCE_LOSS, "cross-entropy"),
            step(Derivative(C_BCE, z), a - y, "derived above"),
            step(
                Derivative(C_MSE, z), product_of(a - y, prime), "as $\\partial C/\\partial b$ above"
            ),
            then(product_of(prime, Derivative(C_BCE, z)), "the line above"),
            step(prime, square, "complete the square"),
            then(Rational(1, 4), "a square is never negative", relation="<="),
            substitute(y, 0, "large $z$ is the wrong side, and"),
            step(Derivative(C_MSE, z), mse_at_0, "the gradients above"),
            then(1 - a, "$a \\le 1$", relation="<="),
            step(Derivative(C_BCE, z), a, "likewise"),
            step(Limit(a, z, oo), 1, "so $1 - a \\to 0$, while $a \\to 1$"),
            substitute(y, 1, "very negative $z$ is the wrong side, and"),
            step(Derivative(C_MSE, z), mse_at_1, "the gradients above"),
            then(-a, "$(1 - a)^2 \\le 1$", relation=">="),
            step(Derivative(C_BCE, z), a - 1, "likewise"),
            step(Limit(a, z, -oo), 0, "so $-a \\to 0$, while $a - 1 \\to -1$"),
        ),
        result=Eq(Derivative(C_MSE, z), shown, evaluate=False),
        domains=TARGET,
        intro=(
            "Both gradients with respect to $w$ are $x$ times the gradient with respect to "
            "$z$, so comparing those compares the whole updates. With the two costs side by "
            "side, $C_{\\mathrm{MSE}}$ for the squared error and $C_{\\mathrm{BCE}}$ for "
            "cross-entropy:"
        ),
        reading=(
            "The squared error's gradient is the cross-entropy's times "
            "$\\sigma'(z) = a(1 - a) \\le 1/4$. Far on the wrong side that factor decays like "
            "$e^{-|z|}$ ({fig:loss-gradient-size}): the squared error barely moves a saturated "
            "neuron, while cross-entropy moves it at full speed until it leaves saturation. "
            "{fig:loss-training-curves} shows what this does to training with learning rate "
            "$0.15$: from a start near the answer both costs train; from a saturated start the "
            "squared error stalls for over a hundred epochs, while cross-entropy does not."
        ),
    )


def loss_stable_forms() -> Derivation:
    s = sigmoid(z)
    with evaluate(False):
        # The stable residuals as the textbook writes a difference, (1 - y) sigma(z) first.
        bce_residual = difference((1 - y) * s, y * sigmoid(-z))
        mse_residual = product_of(bce_residual, s, sigmoid(-z))
        half_square = (a - y) ** 2 / 2
    return Derivation(
        "loss-stable-forms",
        "Stable forms of the losses and their gradients",
        (
            define(C_BCE, BCE_LOSS, "cross-entropy of a probability $a$"),
            step(C_BCE, STABLE_BCE_LOSS, "$0 \\ln 0 = 0$"),
            define(a, s, "from here on, the output for the input $z$"),
            step(C_BCE, BCE_LOGITS, "cross-entropy from the logit"),
            then(STABLE_BCE_LOGITS, "split at $z = 0$"),
            step(Derivative(C_BCE, z), BCE_RESIDUAL, "its derivative"),
            then(bce_residual, "$1 - \\sigma(z) = \\sigma(-z)$"),
            then(FAST_BCE_RESIDUAL, "one denominator, $e^{-|z|}$ once"),
            then(TAIL_BCE_RESIDUAL, "$e^{-z}$ itself where it is finite ($z \\ge -700$)"),
            define(C_MSE, half_square, "the squared error"),
            step(C_MSE, HALF_FIRST_MSE, "halved before squaring, so no square overflows"),
            step(Derivative(C_MSE, z), MSE_RESIDUAL, "its derivative"),
            then(mse_residual, "the same, twice"),
            then(FAST_MSE_RESIDUAL, "one denominator, $e^{-|z|}$ once"),
            then(TAIL_MSE_RESIDUAL, "$e^{-z}$ itself where it is finite ($z \\ge -700$)"),
        ),
        result=Eq(BCE_RESIDUAL, bce_residual, evaluate=False),
        domains={a: Interval.open(0, 1), **TARGET},
        intro=(
            "The costs and their gradients, as written so far, overflow or lose their digits "
            "for large $|z|$. Each chain below starts at the form of Sections 3.2 to 3.4, "
            "as Bishop and Nielsen write it [cite:bishop2006, nielsen2015], and ends at one "
            "that does neither, equal to it for every $a$ in $(0, 1)$, every $z$, and $y$ in "
            "$[0, 1]$: cross-entropy of a probability, cross-entropy from the logit, and the "
            "two costs' gradients with respect to $z$."
        ),
        reading=(
            "The last form of each chain evaluates no exponential larger than $e^{700}$ "
            "(that of cross-entropy's gradient evaluates $e^{-z}$ only for $z \\ge -700$), so "
            "nothing overflows. For a target of 0 or 1 no last form loses digits to a "
            "subtraction ($1 - a$ and $a - y$ with $a$ near 1 are exact in floating point). For a "
            "target $y$ strictly between 0 and 1 the gradient $(1 - y)\\sigma(z) - "
            "y\\sigma(-z)$ does, where $\\sigma(z)$ is close to $y$: its absolute error stays "
            "of the order of $\\epsilon$, but its relative error grows as the gradient "
            "approaches 0. In the first chain a term of weight 0 is dropped, so a "
            "certain right answer costs exactly 0 rather than $0 \\cdot \\infty$. The terms of "
            "the cost from the logit are never negative for $y$ in $[0, 1]$, so nothing "
            "cancels. In the gradients, $\\sigma(z) - 1$ rounds to 0 for $z$ above about 37, "
            "while its true value is $-\\sigma(-z) \\approx -e^{-z}$, which $\\sigma(-z)$ keeps "
            "to every digit."
        ),
    )


def derivations() -> list[Derivation]:
    """The derivations of this topic, in reading order."""
    return [
        mse_gradient(),
        bce_gradient(),
        bce_logits(),
        learning_slowdown(),
        loss_stable_forms(),
    ]
