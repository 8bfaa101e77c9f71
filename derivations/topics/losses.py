r"""Losses for a sigmoid neuron: MSE against binary cross-entropy, their gradients, and batches.

``STABLE_FORMS`` holds the forms that ``numeric.losses`` lambdifies; each is
verified equal to its textbook form by a step of one of the derivations here
(named in the last field).
"""

from __future__ import annotations

from sympy import (
    Abs,
    Add,
    Derivative,
    Eq,
    ImmutableMatrix,
    Interval,
    Limit,
    MatMul,
    Matrix,
    Max,
    Piecewise,
    Rational,
    Symbol,
    exp,
    log,
    ones,
    oo,
)
from sympy.codegen.cfunctions import log1p
from sympy.core.parameters import evaluate

from derivations.engine import Derivation, assume, define, step, substitute, then
from derivations.functions import sigmoid
from derivations.notation import frac

__all__ = ["STABLE_FORMS", "derivations"]

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

# name -> (argument symbols, textbook form, stable form, the slug whose step verifies them)
STABLE_FORMS = {
    "mse_loss": ((a, y), (a - y) ** 2 / 2, (a - y) ** 2 / 2, "mse-gradient"),
    "bce_loss": ((a, y), BCE_LOSS, STABLE_BCE_LOSS, "bce-gradient"),
    "bce_with_logits": ((z, y), BCE_LOGITS, STABLE_BCE_LOGITS, "bce-logits"),
    "bce_residual": ((z, y), BCE_RESIDUAL, STABLE_BCE_RESIDUAL, "bce-logits"),
    "mse_residual": ((z, y), MSE_RESIDUAL, STABLE_MSE_RESIDUAL, "mse-gradient"),
}


def _product(*factors):
    """The factors multiplied as written, in order (for display)."""
    with evaluate(False):
        out = factors[0]
        for f in factors[1:]:
            out = out * f
    return out


def _neuron() -> tuple:
    with evaluate(False):
        weighted = w * x + b
    return (
        define(z, weighted, "the neuron's weighted input"),
        define(a, sigmoid(z), "its output"),
    )


# ----------------------------------------------------------------- one neuron


def mse_gradient() -> Derivation:
    s = sigmoid(z)
    o = sigmoid(w * x + b)
    with evaluate(False):
        prime = s * (1 - s)
        half_square = (a - y) ** 2 / 2
    return Derivation(
        "mse-gradient",
        "The gradient of the squared error",
        (
            *_neuron(),
            define(C, half_square, "the squared error against the target $y$"),
            step(
                Derivative(C, w),
                _product(Derivative(C, a), Derivative(a, z), Derivative(z, w)),
                "chain rule",
            ),
            then(
                _product(a - y, Derivative(a, z), x),
                "$\\partial C/\\partial a = a - y$, $\\partial z/\\partial w = x$",
            ),
            then(_product(a - y, prime, x), "the sigmoid's derivative"),
            step(
                Derivative(C, b),
                _product(Derivative(C, a), Derivative(a, z), Derivative(z, b)),
                "chain rule",
            ),
            then(_product(a - y, prime), "the same factors; $\\partial z/\\partial b = 1$"),
            step(
                _product(a - y, prime),
                STABLE_MSE_RESIDUAL,
                "as computed: $1 - \\sigma(z) = \\sigma(-z)$; no $1 - a$, which rounds to 0",
            ),
        ),
        result=Eq(
            Matrix([Derivative(C, w), Derivative(C, b)]),
            Matrix([(o - y) * o * (1 - o) * x, (o - y) * o * (1 - o)]),
        ),
        intro=(
            "One neuron: input $x$, weight $w$, bias $b$, output $a = \\sigma(wx + b)$, "
            "target $y$. Gradient descent needs the derivatives of the cost with respect "
            "to $w$ and $b$. The chain rule gives each as a product of three factors."
        ),
        reading=(
            "Both derivatives carry the factor $\\sigma'(z) = a(1 - a)$, at most 1/4. When "
            "the neuron saturates ($a$ near 0 or 1), that factor is tiny, however large "
            "the error $a - y$. The last line is the form the NumPy functions evaluate: "
            "for $y = 0$ or $y = 1$ it keeps every digit at any $z$."
        ),
    )


def bce_gradient() -> Derivation:
    o = sigmoid(w * x + b)
    with evaluate(False):
        da = -(y / a - (1 - y) / (1 - a))
        ratio = frac(a - y, a * (1 - a))
    return Derivation(
        "bce-gradient",
        "The gradient of binary cross-entropy",
        (
            define(C, BCE_LOSS, "binary cross-entropy of a probability $a$ against $y$"),
            step(
                C,
                STABLE_BCE_LOSS,
                "as computed: $0 \\ln 0 = 0$ drops a term of weight 0; $\\ln(1 - a)$ by log1p",
            ),
            *_neuron(),
            step(Derivative(C, a), da, "$(\\ln a)' = 1/a$, $(\\ln(1 - a))' = -1/(1 - a)$"),
            then(ratio, "common denominator: $-y(1 - a) + (1 - y)a = a - y$"),
            step(Derivative(C, z), _product(Derivative(C, a), Derivative(a, z)), "chain rule"),
            then(
                _product(ratio, a * (1 - a)), "$\\partial a/\\partial z = \\sigma'(z) = a(1 - a)$"
            ),
            then(a - y, "the factor $\\sigma'(z)$ cancels"),
            step(Derivative(C, w), _product(Derivative(C, z), Derivative(z, w)), "chain rule"),
            then(_product(a - y, x), "$\\partial z/\\partial w = x$"),
            step(Derivative(C, b), _product(Derivative(C, z), Derivative(z, b)), "chain rule"),
            then(a - y, "$\\partial z/\\partial b = 1$"),
            substitute(y, 0, "target 0"),
            step(C, -log(1 - a), "zero at $a = 0$, without bound as $a \\to 1$"),
            substitute(y, 1, "target 1"),
            step(C, -log(a), "zero at $a = 1$, without bound as $a \\to 0$"),
        ),
        result=Eq(
            Matrix([Derivative(C, w), Derivative(C, b)]),
            Matrix([(o - y) * x, o - y]),
        ),
        domains={a: Interval.open(0, 1), x: MODERATE, w: MODERATE, b: MODERATE, **TARGET},
        intro=(
            "Cross-entropy measures a predicted probability $a$ against a target "
            "probability $y$. The first two lines hold for any $a$ in (0, 1); from the "
            "third on, $a$ is the neuron's output."
        ),
        reading=(
            "The derivative of the loss, $(a - y)/(a(1 - a))$, grows exactly as fast as "
            "$\\sigma'(z) = a(1 - a)$ shrinks, so the gradient with respect to $z$ is the "
            "plain error $a - y$. For a target of 0 the loss is $-\\ln(1 - a)$, for a "
            "target of 1 it is $-\\ln a$: each is zero at the right answer and grows "
            "without bound at the wrong one, and the gradient is largest when the output "
            "is most wrong."
        ),
    )


def bce_logits() -> Derivation:
    s = sigmoid(z)
    u = 1 + exp(-z)
    with evaluate(False):
        loss = -(y * log(s) + (1 - y) * log(1 - s))
        written = -(y * log(1 / u) + (1 - y) * log(exp(-z) / u))
        logs = y * log(u) + (1 - y) * (z + log(u))
        collected = Add(z, log(u), -y * z)
        quotient = exp(z) / (1 + exp(z)) - y
    return Derivation(
        "bce-logits",
        "Cross-entropy from the logit",
        (
            step(loss, written, "definition of $\\sigma$; $1 - \\sigma(z) = e^{-z}/(1 + e^{-z})$"),
            then(logs, "$\\ln(1/u) = -\\ln u$ and $\\ln(e^{-z}/u) = -z - \\ln u$"),
            then(collected, "collect the terms in $y$"),
            then(BCE_LOGITS, "$z + \\ln(1 + e^{-z}) = \\ln(e^{z}(1 + e^{-z}))$"),
            then(STABLE_BCE_LOGITS, "as computed: split at $z = 0$; no exponential above 1"),
            step(Derivative(BCE_LOGITS, z), quotient, "$(\\ln(1 + e^{z}))' = e^{z}/(1 + e^{z})$"),
            then(BCE_RESIDUAL, "the second form of the sigmoid"),
            then(STABLE_BCE_RESIDUAL, "as computed: $1 - \\sigma(z) = \\sigma(-z)$"),
        ),
        result=Eq(loss, BCE_LOGITS),
        domains=TARGET,
        intro=(
            "Computing $\\sigma(z)$ first and then its logarithm fails for large $|z|$: "
            "$\\sigma(z)$ rounds to exactly 0 or 1, and the logarithm of 0 is infinite. "
            "Written in the logit $z$, the loss is $\\ln(1 + e^{z}) - yz$, softplus minus "
            "a linear term, finite for every $z$."
        ),
        reading=(
            "For large positive $z$ and target 0 the loss grows like $z$: a straight line "
            "of slope 1, so a badly wrong output still gets a gradient. The last form "
            "is a sum of terms that are never negative for $y$ in [0, 1], so nothing "
            "cancels; the gradient $(1 - y)\\sigma(z) - y\\sigma(-z)$ is exact to the "
            "last digits for $y = 0$ and $y = 1$ at any $z$, where $\\sigma(z) - 1$ would "
            "round to $-1 + 1 = 0$ long before the true value underflows."
        ),
    )


C_MSE = Symbol("C_MSE", real=True)
C_BCE = Symbol("C_BCE", real=True)


def learning_slowdown() -> Derivation:
    s = sigmoid(z)
    with evaluate(False):
        ratio = frac(Derivative(C_MSE, z), Derivative(C_BCE, z))
        ratio_written = frac(_product(a - y, a * (1 - a)), a - y)
        square = Rational(1, 4) - (a - Rational(1, 2)) ** 2
        mse_at_0 = a**2 * (1 - a)
        mse_at_1 = -a * (1 - a) ** 2
    gradients = ImmutableMatrix([Derivative(C_MSE, z), Derivative(C_BCE, z)])
    return Derivation(
        "learning-slowdown",
        "The learning slowdown",
        (
            define(a, s, "the output, as a function of its input $z$"),
            define(C_MSE, (a - y) ** 2 / 2, "squared error"),
            define(C_BCE, BCE_LOSS, "cross-entropy"),
            step(ratio, ratio_written, "the gradients of both (above)"),
            then(a * (1 - a), "the error $a - y$ cancels"),
            then(square, "complete the square"),
            then(Rational(1, 4), "a square is never negative", relation="<="),
            substitute(y, 0, "target 0: wrong when $z$ is large"),
            step(gradients, ImmutableMatrix([mse_at_0, a]), "the gradients above at $y = 0$"),
            step(
                ImmutableMatrix([Limit(mse_at_0, z, oo), Limit(a, z, oo)]),
                ImmutableMatrix([0, 1]),
                "squared error: vanishes; cross-entropy: full size",
            ),
            substitute(y, 1, "target 1: wrong when $z$ is very negative"),
            step(gradients, ImmutableMatrix([mse_at_1, a - 1]), "the gradients above at $y = 1$"),
            step(
                ImmutableMatrix([Limit(mse_at_1, z, -oo), Limit(a - 1, z, -oo)]),
                ImmutableMatrix([0, -1]),
                "squared error: vanishes; cross-entropy: full size",
            ),
        ),
        result=Eq(ratio, s * (1 - s)),
        domains=TARGET,
        intro=(
            "Both gradients with respect to $w$ are $x$ times the gradient with respect "
            "to $z$, so comparing those compares the whole updates."
        ),
        reading=(
            "The squared error's gradient is the cross-entropy's times "
            "$\\sigma'(z) \\le 1/4$. Far on the wrong side that factor decays like "
            "$e^{-|z|}$: the squared error barely moves a saturated neuron, while "
            "cross-entropy moves it at full speed until it leaves saturation."
        ),
    )


# ----------------------------------------------------------------- batches and networks


def batch_gradients(n: int = 2, d: int = 2) -> Derivation:
    """The batch gradients written out for n examples with d inputs (tests use larger sizes)."""
    xs = Matrix(n, d, lambda i, j: Symbol(f"x_{i + 1}{j + 1}", real=True))
    ws = [Symbol(f"w_{j + 1}", real=True) for j in range(d)]
    ys = [Symbol(f"y_{i + 1}", real=True) for i in range(n)]
    outs = [Symbol(f"a_{i + 1}", positive=True) for i in range(n)]
    costs = [Symbol(f"C_{i + 1}", real=True) for i in range(n)]
    loss_bce, loss_mse = Symbol("L_BCE", real=True), Symbol("L_MSE", real=True)
    examples = list(zip(outs, ys, strict=True))
    with evaluate(False):
        inputs = [Add(*[xs[i, j] * ws[j] for j in range(d)], b) for i in range(n)]
        bce = [-(yi * log(ai) + (1 - yi) * log(1 - ai)) for ai, yi in examples]
        mse_mean = frac(1, n) * Add(*[(ai - yi) ** 2 / 2 for ai, yi in examples])
        bce_mean = frac(1, n) * Add(*costs)
        bce_residual = ImmutableMatrix([ai - yi for ai, yi in examples])
        mse_residual = ImmutableMatrix([(ai - yi) * ai * (1 - ai) for ai, yi in examples])
    # The bias is a weight whose input is 1 in every example: X^T with a row of ones.
    inputs_t = ImmutableMatrix(xs.T.col_join(ones(1, n)))
    variables = [*ws, b]

    def gradient(loss):
        return ImmutableMatrix([Derivative(loss, v) for v in variables])

    def mean_product(residual):
        with evaluate(False):
            return MatMul(frac(1, n), inputs_t, residual)

    return Derivation(
        "batch-gradients",
        "Gradients over a batch",
        (
            *[
                define(ai, sigmoid(zi), f"output for example {i + 1}")
                for i, (ai, zi) in enumerate(zip(outs, inputs, strict=True))
            ],
            *[
                define(ci, cost, f"its cross-entropy against $y_{i + 1}$")
                for i, (ci, cost) in enumerate(zip(costs, bce, strict=True))
            ],
            define(loss_bce, bce_mean, "the mean"),
            step(gradient(loss_bce), mean_product(bce_residual), "bce-gradient, term by term"),
            define(loss_mse, mse_mean, "mean squared error"),
            step(gradient(loss_mse), mean_product(mse_residual), "mse-gradient, term by term"),
        ),
        result=Eq(gradient(loss_bce), inputs_t * Matrix(list(bce_residual)) / n),
        domains={**dict.fromkeys(ys, Interval(0, 1)), **dict.fromkeys([*xs, *ws, b], MODERATE)},
        intro=(
            "With $N$ examples in the rows of a matrix $X$ (shape $N \\times d$), weights "
            "$w$ in $\\mathbb{R}^d$ and a bias $b$, the mean loss is the average of the "
            "examples' losses, and its gradient the average of theirs. Written out for "
            f"$N = {n}$ examples and $d = {d}$ inputs, with the gradient with respect to "
            "the bias in the last row:"
        ),
        reading=(
            "In matrix form: $\\nabla_w L = X^{T}(\\sigma(Xw + b) - y)/N$ and "
            "$\\partial L/\\partial b$ is the mean of $\\sigma(Xw + b) - y$ for "
            "cross-entropy; for the squared error, the residual is multiplied elementwise "
            "by $a(1 - a)$. The bias acts as a weight whose input is 1 in every example, "
            "hence the row of ones. The tests verify the same derivation for larger $N$ and $d$."
        ),
    )


def backprop_delta() -> Derivation:
    xs = [Symbol(f"x_{j + 1}", real=True) for j in range(3)]
    ws = [Symbol(f"w_{j + 1}", real=True) for j in range(3)]
    out = Symbol("l_1", positive=True)
    delta = Symbol("delta", real=True)
    error = Symbol("E", real=True)
    with evaluate(False):
        weighted = Add(*[xi * wi for xi, wi in zip(xs, ws, strict=True)])
        nonlin_deriv = out * (1 - out)
        delta_def = (y - out) * nonlin_deriv
        half_square = (y - out) ** 2 / 2
        chain = _product(out - y, nonlin_deriv)
        grad_w = ImmutableMatrix([-delta * xi for xi in xs])
    return Derivation(
        "backprop-delta",
        "Why the eleven-line network multiplies by the derivative",
        (
            define(z, weighted, "one example $(x_1, x_2, x_3)$ times syn0"),
            define(out, sigmoid(z), "l1 = nonlin(np.dot(l0, syn0))"),
            define(delta, delta_def, "l1_delta = l1_error * nonlin(l1, deriv=True)"),
            define(error, half_square, "this example's share of the squared error"),
            step(
                Derivative(error, z),
                _product(Derivative(error, out), Derivative(out, z)),
                "chain rule",
            ),
            then(
                chain,
                "$\\partial l_1/\\partial z = \\sigma'(z) = l_1(1 - l_1)$: nonlin(l1, deriv=True)",
            ),
            then(-delta, "$l_1 - y = -(y - l_1)$ and the definition of $\\delta$"),
            step(
                ImmutableMatrix([Derivative(error, wi) for wi in ws]),
                grad_w,
                "$\\partial z/\\partial w_j = x_j$",
            ),
        ),
        result=Eq(Derivative(error, z), -delta),
        domains={y: Interval(0, 1)},
        intro=(
            "The network computes l1 = nonlin(np.dot(l0, syn0)), l1_error = y - l1, "
            "l1_delta = l1_error * nonlin(l1, True), and then syn0 += "
            "np.dot(l0.T, l1_delta). For one example:"
        ),
        reading=(
            "So l1_delta is minus the gradient of the squared error with respect to the "
            "layer's input, and $x_j\\delta$ is minus its gradient with respect to weight "
            "$w_j$. Summed over the examples, np.dot(l0.T, l1_delta) is minus the "
            "gradient of $E = \\frac{1}{2}\\sum (y - \\sigma(z))^2$ (batch-gradients, "
            "without the $1/N$): the update is gradient descent with learning rate 1 on "
            "the squared error. Multiplying by the derivative is the chain rule, not a "
            "measure of confidence."
        ),
    )


def softmax_cross_entropy() -> Derivation:
    k = 3
    zs = [Symbol(f"z_{i + 1}", real=True) for i in range(k)]
    ys = [Symbol(f"y_{i + 1}", real=True) for i in range(k)]
    ps = [Symbol(f"p_{i + 1}", positive=True) for i in range(k)]
    total = Symbol("S", positive=True)
    with evaluate(False):
        normalizer = Add(*[exp(zi) for zi in zs])
        cross = -Add(*[yi * log(pi) for yi, pi in zip(ys, ps, strict=True)])
        logs = -Add(*[yi * (zi - log(total)) for yi, zi in zip(ys, zs, strict=True)])
        linear = Add(*[yi * zi for yi, zi in zip(ys, zs, strict=True)])
        collected = -linear + Add(*ys) * log(total)
        normalized = -linear + log(total)
        diagonal = ps[0] * (1 - ps[0])
        off_diagonal = -ps[0] * ps[1]
    cost = Symbol("C", real=True)
    gradient = ImmutableMatrix([Derivative(cost, zi) for zi in zs])
    return Derivation(
        "softmax-cross-entropy",
        "The gradient of softmax cross-entropy",
        (
            define(total, normalizer, "the normalizer"),
            *[
                define(pi, exp(zi) / total, f"softmax, class {i + 1}")
                for i, (pi, zi) in enumerate(zip(ps, zs, strict=True))
            ],
            step(
                Derivative(ps[0], zs[0]),
                diagonal,
                "quotient rule: $\\partial S/\\partial z_1 = e^{z_1}$, so "
                "$(e^{z_1}S - e^{z_1}e^{z_1})/S^2$",
            ),
            step(
                Derivative(ps[0], zs[1]),
                off_diagonal,
                "quotient rule: $(0 \\cdot S - e^{z_1}e^{z_2})/S^2$",
            ),
            define(cost, cross, "cross-entropy against target probabilities $y_k$"),
            step(cost, logs, "$\\ln p_k = z_k - \\ln S$"),
            then(collected, "collect $\\ln S$"),
            assume(Add(*ys), 1, "the targets sum to one", solve_for=ys[-1]),
            step(cost, normalized, "the targets sum to one"),
        ),
        result=Eq(gradient, ImmutableMatrix([pi - yi for pi, yi in zip(ps, ys, strict=True)])),
        domains={yi: Interval(0, 1) for yi in ys},
        intro=(
            f"For $K$ classes the softmax turns scores $z_k$ into probabilities "
            f"$p_k = e^{{z_k}}/\\sum_j e^{{z_j}}$. Written out for $K = {k}$:"
        ),
        reading=(
            "The same two lines, with the classes renamed, give the whole Jacobian: "
            "$\\partial p_k/\\partial z_j = p_k(\\delta_{kj} - p_j)$, where $\\delta_{kj}$ "
            "is 1 for $k = j$ and 0 otherwise. "
            "Differentiating the last line, with $\\partial \\ln S/\\partial z_k = "
            "e^{z_k}/S = p_k$, gives the result: the gradient is again the plain error "
            "$p_k - y_k$, as for "
            "the sigmoid: the softmax's Jacobian cancels against the logarithm, exactly "
            "as $\\sigma'(z)$ did."
        ),
    )


def derivations() -> list[Derivation]:
    """The derivations of this topic, in reading order."""
    return [
        mse_gradient(),
        bce_gradient(),
        bce_logits(),
        learning_slowdown(),
        batch_gradients(),
        backprop_delta(),
        softmax_cross_entropy(),
    ]
