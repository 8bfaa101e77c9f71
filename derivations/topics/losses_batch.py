"""Gradients beyond one example and one output: a batch, a small network, many classes.

The mean gradient over a batch of N examples with d inputs (for explicit sizes, as the
title says), the backpropagated delta of a unit, and the softmax cross-entropy's gradient
for any number of classes.
"""

from __future__ import annotations

from sympy import (
    Add,
    Derivative,
    Eq,
    ImmutableMatrix,
    Interval,
    MatMul,
    Matrix,
    Symbol,
    exp,
    log,
    ones,
)
from sympy.core.parameters import evaluate

from derivations.engine import Derivation, assume, define, step, then
from derivations.functions import sigmoid
from derivations.notation import difference, frac, gradient, named_matrix, product_of, sum_of
from derivations.topics.losses import (
    C_BCE,
    C_MSE,
    MODERATE,
    C,
    b,
    y,
    z,
)

__all__ = [
    "TESTED_BATCH_SIZES",
    "backprop_delta",
    "batch_gradients",
    "derivations",
    "softmax_cross_entropy",
]


# (N, d) for which tests/test_losses.py proves batch_gradients too; the document says so.
TESTED_BATCH_SIZES = ((3, 2), (4, 3))


def batch_gradients(n: int = 2, d: int = 2) -> Derivation:
    """The batch gradients written out for n examples with d inputs (tests use larger sizes).

    Long because it lists the derivation's steps in reading order, one claim per line; splitting
    it would scatter one argument.
    """
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
    return [batch_gradients(), backprop_delta(), softmax_cross_entropy()]
