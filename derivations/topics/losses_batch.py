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
from derivations.notation import (
    Named,
    difference,
    frac,
    gradient,
    named_matrix,
    product_of,
    sum_of,
)
from derivations.topics.losses import (
    C_BCE,
    C_MSE,
    MODERATE,
    C,
    a,
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
    # Example i is a superscript (i), input j a subscript; the names stay plain for the CLI.
    xs = Matrix(
        n, d, lambda i, j: Named(f"x_{i + 1}{j + 1}", f"x^{{({i + 1})}}_{{{j + 1}}}", real=True)
    )
    ws = [Symbol(f"w_{j + 1}", real=True) for j in range(d)]
    ys = [Named(f"y_{i + 1}", f"y^{{({i + 1})}}", real=True) for i in range(n)]
    outs = [Named(f"a_{i + 1}", f"a^{{({i + 1})}}", positive=True) for i in range(n)]
    # Example i's cost is C^(i): C_1 would read as class 1 (Section 2).
    costs = [Symbol(f"C^{{({i + 1})}}", real=True) for i in range(n)]
    examples = list(zip(outs, ys, strict=True))
    with evaluate(False):
        inputs = [Add(*[xs[i, j] * ws[j] for j in range(d)], b) for i in range(n)]
        bce = [-(yi * log(ai) + (1 - yi) * log(1 - ai)) for ai, yi in examples]
        mse_mean = frac(1, n) * Add(*[(ai - yi) ** 2 / 2 for ai, yi in examples])
        bce_mean = frac(1, n) * Add(*costs)
        bce_residual = ImmutableMatrix([ai - yi for ai, yi in examples])
        mse_residual = ImmutableMatrix([product_of(ai - yi, ai, 1 - ai) for ai, yi in examples])
    # The bias is a weight whose input is 1 in every example: X^T with a row of ones.
    inputs_t = ImmutableMatrix(xs.T.col_join(ones(1, n)))
    variables = [*ws, b]

    def gradient_of(cost, name):
        return gradient(cost, variables, rf"\nabla C_{{\mathrm{{{name}}}}}")

    def mean_product(residual):
        with evaluate(False):
            return MatMul(frac(1, n), inputs_t, residual)

    # The size proven, not N: the result claims no more than the lines prove.
    vector_form = (
        rf"\frac{{1}}{{{n}}} \begin{{pmatrix}} X^\top \\ \mathbf{{1}}^\top \end{{pmatrix}} "
        r"\left(\sigma(X\mathbf{w} + b\mathbf{1}) - \mathbf{y}\right)"
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
                define(ci, cost, f"its cross-entropy against $y^{{({i + 1})}}$")
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
            "With $N$ examples in the rows of a matrix $X$ (shape $N \\times d$; example $i$ "
            "is the row $x^{(i)}_1, \\dots, x^{(i)}_d$), weights "
            "$\\mathbf{w} = (w_1, \\dots, w_d)$, a bias $b$ and targets "
            "$\\mathbf{y} = (y^{(1)}, \\dots, y^{(N)})$, the mean cost is the average of the "
            "examples' costs $C^{(i)}$, and its gradient $\\nabla C$ (the derivatives with "
            "respect to $w_1, \\dots, w_d$, then $b$) the average of theirs. The lines below "
            f"are written out, and proven, for $N = {n}$ examples and $d = {d}$ inputs only, "
            f"so $X$ is ${n} \\times {d}$, and so is the result; the same derivation is also "
            f"proven for {tested} (Appendix), and no size beyond these is proven."
        ),
        reading=(
            "The matrix in these lines is $X^\\top$ with a row of ones added, and "
            "$\\mathbf{1}$ in the result is a column of ones: the bias acts as a weight whose "
            "input is 1 in every example; $\\sigma$ applies to each entry. The same pattern "
            "holds for every size proven: the gradient in $\\mathbf{w}$ is "
            "$X^\\top(\\sigma(X\\mathbf{w} + b\\mathbf{1}) - \\mathbf{y})/N$, and the "
            "derivative in $b$ is the mean of the entries of "
            "$\\sigma(X\\mathbf{w} + b\\mathbf{1}) - \\mathbf{y}$. For other sizes it is "
            "the pattern of those, not a proof. For the squared "
            "error, entry $i$ of the error is multiplied by $a^{(i)}(1 - a^{(i)})$."
        ),
    )


def backprop_delta() -> Derivation:
    xs = [Symbol(f"x_{j + 1}", real=True) for j in range(3)]
    ws = [Symbol(f"w_{j + 1}", real=True) for j in range(3)]
    out = a  # the code's l1
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
            define(delta, delta_def, "the error times $a(1 - a)$"),
            define(C, half_square, "this example's squared error"),
            step(
                Derivative(C, z),
                product_of(Derivative(C, out), Derivative(out, z)),
                "chain rule",
            ),
            then(chain, "$\\partial a/\\partial z = a(1 - a)$"),
            then(-delta, "definition of $\\delta$"),
            step(
                gradient(C, ws, r"\nabla_{\mathbf{w}} C"),
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
            "and then updates its weights: `syn0 += np.dot(l0.T, l1_delta)`. Below, "
            "$\\mathbf{x} = (x_1, x_2, x_3)$ is one example, a row of `l0`; the weights "
            "$\\mathbf{w} = (w_1, w_2, w_3)$ are `syn0`; $a$ is the output `l1`, and "
            "$\\delta$ is `l1_delta`. The gradient $\\nabla_{\\mathbf{w}} C$ lists the "
            "derivatives of the cost with "
            "respect to $w_1, w_2, w_3$."
        ),
        reading=(
            "So `l1_delta` is minus the gradient of the squared error with respect to the "
            "layer's input $z$, and $x_j\\delta$ is minus its gradient with respect to the "
            "weight $w_j$. Summed over the four examples, `np.dot(l0.T, l1_delta)` is minus "
            "the gradient of $\\frac{1}{2}\\sum_i (y^{(i)} - a^{(i)})^2$, the batch gradient above "
            "without the $1/N$: each update is a step of gradient descent with learning rate "
            "1 on the squared error ({fig:eleven-line-training}). Multiplying by the "
            "derivative is the chain rule, not a measure of confidence."
        ),
    )


def softmax_cross_entropy() -> Derivation:
    """For any number of classes: two of them, k and j, and the rest gathered in Z_rest and T."""
    zk, zj = Symbol("z_k", real=True), Symbol("z_j", real=True)
    yk = Symbol("y_k", real=True)
    pk, pj = Symbol("p_k", positive=True), Symbol("p_j", positive=True)
    total = Symbol("Z", positive=True)
    rest = Named(
        "Z_rest", r"Z_{\mathrm{rest}}", nonnegative=True
    )  # the terms e^{z_i} of the other classes
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
            "$K \\ge 2$: they single out a class $k$ and another class $j$, and gather the "
            "terms of $Z$ other than $e^{z_k}$ and $e^{z_j}$ in $Z_{\\mathrm{rest}} \\ge 0$, "
            "which depends on neither $z_k$ nor $z_j$, and the terms of $\\sum_i y_i z_i$ "
            "other than $y_k z_k$ in $T$, which does not depend on $z_k$."
        ),
        reading=(
            "Together, the two lines for $\\partial p_k$ give the whole Jacobian: "
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
