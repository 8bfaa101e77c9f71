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
    MatMul,
    Matrix,
    Max,
    Mul,
    Piecewise,
    Rational,
    Symbol,
    UnevaluatedExpr,
    exp,
    log,
    ones,
    oo,
)
from sympy.codegen.cfunctions import log1p
from sympy.core.parameters import evaluate

from derivations.engine import Derivation, assume, define, step, substitute, then
from derivations.functions import sigmoid
from derivations.kernels import STABLE, KernelSpec
from derivations.notation import difference, frac, gradient, named_matrix, product_of, sum_of

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


def kernels() -> tuple[KernelSpec, ...]:
    """The NumPy kernels of the losses, each a claim of the derivation it names.

    ``bce_grad`` and ``mse_grad`` evaluate the stable dC/dz at z = w x + b, times x and
    times 1; the batch gradients use the residuals dC/dz themselves.

    >>> [k.name for k in kernels() if not k.public]
    ['bce_residual', 'mse_residual']
    """
    residual = "no cancellation: sigma(-z) for 1 - sigma(z), e^-|z| computed once"
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
            "mse_residual", (z, y), MSE_RESIDUAL, FAST_MSE_RESIDUAL, residual, public=False
        ),
        stable_form("bce_grad", (x, y, w, b), BCE_RESIDUAL, TAIL_BCE_RESIDUAL, residual, **neuron),
        stable_form("mse_grad", (x, y, w, b), MSE_RESIDUAL, FAST_MSE_RESIDUAL, residual, **neuron),
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


# ----------------------------------------------------------------- batches and networks


# (N, d) for which tests/test_losses.py proves batch_gradients too; the document says so.
TESTED_BATCH_SIZES = ((3, 2), (4, 3))


def batch_gradients(n: int = 2, d: int = 2) -> Derivation:
    """The batch gradients written out for n examples with d inputs (tests use larger sizes)."""
    tested = " and ".join(f"$N = {tn}$, $d = {td}$" for tn, td in TESTED_BATCH_SIZES)
    xs = Matrix(n, d, lambda i, j: Symbol(f"x_{i + 1}{j + 1}", real=True))
    ws = [Symbol(f"w_{j + 1}", real=True) for j in range(d)]
    ys = [Symbol(f"y_{i + 1}", real=True) for i in range(n)]
    outs = [Symbol(f"a_{i + 1}", positive=True) for i in range(n)]
    # Example i's cost is C^(i): C_1 would read as class 1 (Section 2).
    costs = [Symbol(f"C^{{({i + 1})}}", real=True) for i in range(n)]
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

    def gradient_of(cost, name):
        return gradient(cost, variables, rf"\nabla C_{{\mathrm{{{name}}}}}")

    def mean_product(residual):
        with evaluate(False):
            return MatMul(frac(1, n), inputs_t, residual)

    vector_form = (
        r"\frac{1}{N} \begin{pmatrix} X^\top \\ \mathbf{1}^\top \end{pmatrix} "
        r"\left(\sigma(Xw + b) - y\right)"
    )
    return Derivation(
        "batch-gradients",
        f"Gradients over a batch, proven for $N = {n}$ and $d = {d}$",
        (
            *[
                define(ai, sigmoid(zi), f"output for example {i + 1}")
                for i, (ai, zi) in enumerate(zip(outs, inputs, strict=True))
            ],
            *[
                define(ci, cost, f"its cross-entropy against $y_{i + 1}$")
                for i, (ci, cost) in enumerate(zip(costs, bce, strict=True))
            ],
            define(C_BCE, bce_mean, "the mean cross-entropy"),
            step(gradient_of(C_BCE, "BCE"), mean_product(bce_residual), "each $C^{(i)}$ as above"),
            define(C_MSE, mse_mean, "the mean squared error"),
            step(gradient_of(C_MSE, "MSE"), mean_product(mse_residual), "each term as above"),
        ),
        result=Eq(
            gradient_of(C_BCE, "BCE"),
            named_matrix(inputs_t * Matrix(list(bce_residual)) / n, vector_form),
            evaluate=False,
        ),
        domains={**dict.fromkeys(ys, Interval(0, 1)), **dict.fromkeys([*xs, *ws, b], MODERATE)},
        intro=(
            "With $N$ examples in the rows of a matrix $X$ (shape $N \\times d$), weights "
            "$w = (w_1, \\dots, w_d)$, a bias $b$ and targets $y = (y_1, \\dots, y_N)$, the "
            "mean cost is the average of the examples' costs $C^{(i)}$, and its gradient "
            "$\\nabla C$ (the derivatives with respect to $w_1, \\dots, w_d$, then $b$) the "
            f"average of theirs. The lines below are written out, and proven, for $N = {n}$ "
            f"examples and $d = {d}$ inputs only, so $X$ is ${n} \\times {d}$; the tests prove "
            f"the same derivation for {tested}, and no size beyond these is proven."
        ),
        reading=(
            "The matrix in these lines is $X^\\top$ with a row of ones added: the bias acts as "
            "a weight whose input is 1 in every example. For any $N$ and $d$, with $\\sigma$ "
            "applied to each entry, this is the result: "
            "$\\nabla_w C_{\\mathrm{BCE}} = X^\\top(\\sigma(Xw + b) - y)/N$, and "
            "$\\partial C_{\\mathrm{BCE}}/\\partial b$ is the mean of $\\sigma(Xw + b) - y$. "
            "For the squared error, entry $i$ of the error is multiplied by $a_i(1 - a_i)$. "
            "For other sizes this is the pattern of the sizes proven, not a proof."
        ),
    )


def backprop_delta() -> Derivation:
    xs = [Symbol(f"x_{j + 1}", real=True) for j in range(3)]
    ws = [Symbol(f"w_{j + 1}", real=True) for j in range(3)]
    out = Symbol("l_1", positive=True)
    delta = Symbol("delta", real=True)
    with evaluate(False):
        weighted = Add(*[xi * wi for xi, wi in zip(xs, ws, strict=True)])
        nonlin_deriv = out * (1 - out)
        delta_def = product_of(difference(y, out), nonlin_deriv)
        half_square = difference(y, out) ** 2 / 2
        chain = product_of(out - y, nonlin_deriv)
        grad_w = ImmutableMatrix([-delta * xi for xi in xs])
    return Derivation(
        "backprop-delta",
        "Why the eleven-line network multiplies by the derivative",
        (
            define(z, weighted, "one example times the weights"),
            define(out, sigmoid(z), "the layer's output"),
            define(delta, delta_def, "the error times $l_1(1 - l_1)$"),
            define(C, half_square, "this example's squared error"),
            step(
                Derivative(C, z),
                product_of(Derivative(C, out), Derivative(out, z)),
                "chain rule",
            ),
            then(chain, "$\\partial l_1/\\partial z = l_1(1 - l_1)$"),
            then(-delta, "definition of $\\delta$"),
            step(
                gradient(C, ws, r"\nabla_w C"),
                grad_w,
                "$\\partial z/\\partial w_j = x_j$",
            ),
        ),
        result=Eq(Derivative(C, z), -delta),
        domains={y: Interval(0, 1)},
        intro=(
            "The eleven-line network of Trask's post [cite:trask2015] computes its output "
            "`l1 = nonlin(np.dot(l0, syn0))`, the error "
            "`l1_error = y - l1` and the product `l1_delta = l1_error * nonlin(l1, True)`, "
            "and then updates its weights: `syn0 += np.dot(l0.T, l1_delta)`. Below, for one "
            "example $(x_1, x_2, x_3)$ (a row of `l0`) and the weights $(w_1, w_2, w_3)$ "
            "(`syn0`), $l_1$ is the output `l1` and $\\delta$ is `l1_delta`; $\\nabla_w C$ "
            "lists the derivatives of the cost with respect to $w_1, w_2, w_3$."
        ),
        reading=(
            "So `l1_delta` is minus the gradient of the squared error with respect to the "
            "layer's input $z$, and $x_j\\delta$ is minus its gradient with respect to the "
            "weight $w_j$. Summed over the four examples, `np.dot(l0.T, l1_delta)` is minus "
            "the gradient of $C = \\frac{1}{2}\\sum (y - l_1)^2$, the batch gradient above "
            "without the $1/N$: each update is a step of gradient descent with learning rate "
            "1 on the squared error ({fig:eleven-line-training}). Multiplying by the "
            "derivative is the chain rule, not a measure of confidence."
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
        ),
        result=Eq(BCE_RESIDUAL, bce_residual, evaluate=False),
        domains={a: Interval.open(0, 1), **TARGET},
        intro=(
            "The costs and their gradients, as written so far, overflow or lose their digits "
            "for large $|z|$. Each chain below starts at the textbook form and ends at one "
            "that does neither, equal to it for every $a$ in $(0, 1)$, every $z$, and $y$ in "
            "$[0, 1]$: cross-entropy of a probability, cross-entropy from the logit, and the "
            "two costs' gradients with respect to $z$."
        ),
        reading=(
            "No form exponentiates a positive number, so nothing overflows, and none subtracts "
            "nearly equal numbers. In the first chain a term of weight 0 is dropped, so a "
            "certain right answer costs exactly 0 rather than $0 \\cdot \\infty$. The terms of "
            "the cost from the logit are never negative for $y$ in $[0, 1]$, so nothing "
            "cancels. In the gradients, $\\sigma(z) - 1$ rounds to 0 for $z$ above about 37, "
            "while its true value is $-\\sigma(-z) \\approx -e^{-z}$, which $\\sigma(-z)$ keeps "
            "to every digit."
        ),
    )


def softmax_cross_entropy() -> Derivation:
    """For any number of classes: two of them, k and j, and the rest gathered in R and T."""
    zk, zj = Symbol("z_k", real=True), Symbol("z_j", real=True)
    yk = Symbol("y_k", real=True)
    pk, pj = Symbol("p_k", positive=True), Symbol("p_j", positive=True)
    total = Symbol("Z", positive=True)
    rest = Symbol("R", nonnegative=True)  # the terms e^{z_i} of the other classes
    targets = Symbol("Y", real=True)  # the sum of all targets
    others = Symbol("T", real=True)  # the sum of y_i z_i over the classes i other than k
    with evaluate(False):
        normalizer = sum_of(exp(zk), exp(zj), rest)
        quotient = frac(exp(zk) * total - exp(zk) * exp(zk), total**2)
        cross_term = frac(-exp(zk) * exp(zj), total**2)
    collected = sum_of(targets * log(total), -yk * zk, -others)
    return Derivation(
        "softmax-cross-entropy",
        "The gradient of softmax cross-entropy, for any number of classes",
        (
            define(total, normalizer, "the normaliser: classes $k$ and $j \\ne k$, and the rest"),
            define(pk, exp(zk) / total, "softmax, class $k$"),
            define(pj, exp(zj) / total, "class $j$"),
            step(
                Derivative(pk, zk),
                quotient,
                "quotient rule, $\\partial Z/\\partial z_k = e^{z_k}$",
            ),
            then(pk * (1 - pk), "$p_k = e^{z_k}/Z$"),
            step(Derivative(pk, zj), cross_term, "$e^{z_k}$ does not depend on $z_j$"),
            then(-pk * pj, "$p_j = e^{z_j}/Z$"),
            step(log(pk), zk - log(total), "so for every class $i$, $\\ln p_i = z_i - \\ln Z$"),
            define(
                C,
                collected,
                "$-\\sum_i y_i \\ln p_i = Y \\ln Z - \\sum_i y_i z_i$, with $Y = \\sum_i y_i$ "
                "and $T = \\sum_{i \\ne k} y_i z_i$",
            ),
            step(Derivative(C, zk), targets * pk - yk, "$\\partial \\ln Z/\\partial z_k = p_k$"),
            assume(targets, 1, "the targets sum to one"),
        ),
        result=Eq(Derivative(C, zk), pk - yk, evaluate=False),
        domains={yk: Interval(0, 1)},
        intro=(
            "For $K$ classes the softmax turns scores $z_k$ into probabilities "
            "$p_k = e^{z_k}/Z$, with the normaliser $Z = \\sum_i e^{z_i}$, and cross-entropy "
            "against targets $y_i$ is $C = -\\sum_i y_i \\ln p_i$. The lines hold for any "
            "$K \\ge 2$: they single out a class $k$ and another class $j$, and gather what "
            "does not depend on $z_k$ or $z_j$ in the sums $R \\ge 0$ (the other terms of $Z$) "
            "and $T$ (the other terms of $\\sum_i y_i z_i$). The tests also check the result "
            "against finite differences of the loss for $K = 3$."
        ),
        reading=(
            "The two lines for $\\partial p_k$ give the whole Jacobian: "
            "$\\partial p_k/\\partial z_j = p_k([k = j] - p_j)$, where $[k = j]$ is 1 for "
            "$k = j$ and 0 otherwise. The gradient of the cost needs only "
            "$\\partial \\ln Z/\\partial z_k = e^{z_k}/Z = p_k$, which gives "
            "$\\partial C/\\partial z_k = p_k \\sum_i y_i - y_k$, and once the targets sum to "
            "one, the plain error $p_k - y_k$, as for the sigmoid: the softmax's Jacobian "
            "cancels against the logarithm, exactly as $\\sigma'(z)$ did."
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
        loss_stable_forms(),
        softmax_cross_entropy(),
    ]
