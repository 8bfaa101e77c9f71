r"""Beyond one neuron: the delta of a hidden layer, and the gradient through many sigmoid layers.

The network is the two-layer version of the eleven-line post (Trask, 2015): three inputs,
the third always 1 (it acts as the hidden layer's bias), four hidden sigmoid units, one
sigmoid output, trained on the squared error. Its update ``syn0 += X.T.dot(l1_delta)`` is
minus the gradient; the derivation checks that for one example, entry by entry.
"""

from __future__ import annotations

from sympy import Derivative, Eq, Interval, Le, Rational, Symbol, log
from sympy.core.parameters import evaluate

from derivations.engine import Derivation, define, step, then
from derivations.functions import sigmoid
from derivations.notation import Named, difference, product_of, sum_of

__all__ = ["derivations"]

y = Symbol("y", real=True)
C = Symbol("C", real=True)
MODERATE = Interval(-2, 2)


def hidden_layer_delta() -> Derivation:
    """The hidden-layer-delta derivation: backpropagation through one hidden sigmoid layer.

    Long because it lists the derivation's steps in reading order, one claim per line; splitting
    it would scatter one argument.
    """
    x_j, w_jk, rho_k = (Symbol(n, real=True) for n in ("x_j", "w_jk", "rho_k"))
    # A layer is a bracketed superscript [l], a unit a subscript: z_1 is class 1's score.
    v_k, rho = Symbol("v_k", real=True), Symbol("rho", real=True)
    z_k = Named("z_1k", "z^{[1]}_{k}", real=True)
    a_k = Named("a_1k", "a^{[1]}_{k}", positive=True)
    z = Named("z_2", "z^{[2]}", real=True)
    out = Named("a_2", "a^{[2]}", positive=True)
    delta2 = Named("delta_2", r"\delta^{[2]}", real=True)
    delta1 = Named("delta_1k", r"\delta^{[1]}_{k}", real=True)
    with evaluate(False):
        hidden_input = x_j * w_jk + rho_k
        output_input = v_k * a_k + rho
        half_square = difference(y, out) ** 2 / 2
        delta2_def = product_of(difference(y, out), out * (1 - out))
        delta1_def = product_of(delta2, v_k, a_k * (1 - a_k))
        by_z = product_of(Derivative(C, z), Derivative(z, a_k), Derivative(a_k, z_k))
    return Derivation(
        "hidden-layer-delta",
        "The delta of a hidden layer",
        (
            define(z_k, hidden_input, "hidden unit $k$'s weighted input"),
            define(a_k, sigmoid(z_k), "its output, entry $k$ of `l1`"),
            define(z, output_input, "the output unit's weighted input"),
            define(out, sigmoid(z), "the network's output, `l2`"),
            define(C, half_square, "this example's squared error"),
            define(delta2, delta2_def, "`l2_delta`: the error times $a^{[2]}(1 - a^{[2]})$"),
            define(delta1, delta1_def, "entry $k$ of `l1_delta`"),
            step(Derivative(C, z), -delta2, "chain rule, as for one neuron"),
            step(
                Derivative(C, v_k), -a_k * delta2, "$\\partial z^{[2]}/\\partial v_k = a^{[1]}_k$"
            ),
            step(
                Derivative(C, z_k), by_z, "chain rule: $z^{[1]}_k$ reaches $C$ through $a^{[1]}_k$"
            ),
            then(
                -delta1,
                "$\\partial z^{[2]}/\\partial a^{[1]}_k = v_k$, "
                "$(a^{[1]}_k)' = a^{[1]}_k(1 - a^{[1]}_k)$",
            ),
            step(
                Derivative(C, w_jk), -x_j * delta1, "$\\partial z^{[1]}_k/\\partial w_{jk} = x_j$"
            ),
        ),
        result=Eq(Derivative(C, z_k), -delta1),
        domains={y: Interval(0, 1), **dict.fromkeys([x_j, w_jk, rho_k, v_k, rho], MODERATE)},
        intro=(
            "Motivation: one sigmoid neuron can only draw a line, and the eleven-line post "
            "[cite:trask2015] follows its one-layer network with one that has a hidden layer "
            "(3 inputs, 4 hidden units, 1 output). Its code computes the layers' outputs "
            "`l1` and `l2` from the input `l0`; then `l2_delta`, the error `y - l2` times "
            "`nonlin(l2, deriv=True)`; then `l1_delta`, which is `l2_delta.dot(syn1.T)` "
            "times `nonlin(l1, deriv=True)`; and then updates the weights with "
            "`syn1 += l1.T.dot(l2_delta)` and `syn0 += l0.T.dot(l1_delta)`. The third column "
            "of `l0` is all ones: its weights act as the hidden units' biases; the output has "
            "no bias. The layers are numbered from the input, layer 0, as in Section 5.2: "
            "$W^{[l]}$ holds the weights into layer $l$, so $W^{[1]}$ is `syn0` and $W^{[2]}$ is "
            "`syn1`. "
            "For one example (a row of `l0`) take any input $j$ and hidden unit $k$: "
            "$x_j$ is the input, $w_{jk}$ the entry of $W^{[1]}$ that connects them, "
            "$v_k$ the entry of $W^{[2]}$ from unit $k$ to the output. The sum of the "
            "other inputs' terms, $\\rho_k$, and of the other hidden units' terms, $\\rho$, "
            "do not depend on $w_{jk}$, $z^{[1]}_k$ or $v_k$, so the lines hold for any numbers of "
            "inputs and hidden units, the post's 3 and 4 included."
        ),
        reading=(
            "Each delta is minus the gradient of the squared error with respect to a unit's "
            "weighted input, and each update adds minus the gradient with respect to a "
            "weight: $a^{[1]}_k \\delta^{[2]}$ for $v_k$ and $x_j \\delta^{[1]}_k$ for $w_{jk}$. A "
            "hidden unit's delta is the output's delta sent back through the weight that "
            "connects them, times the unit's own $\\sigma' = a^{[1]}_k(1 - a^{[1]}_k)$. Collected "
            "over all $j$ and $k$, these lines say, with $\\mathbf{x}$ and $\\mathbf{a}^{[1]}$ "
            "the rows of `l0` and `l1`, $\\boldsymbol{\\delta}^{[1]}$ the row of the "
            "$\\delta^{[1]}_k$, $\\mathbf{1}$ a row of ones and $\\odot$ the entrywise product: "
            "$\\boldsymbol{\\delta}^{[1]} = (\\delta^{[2]} W^{[2]\\top}) \\odot "
            "\\mathbf{a}^{[1]} \\odot "
            "(\\mathbf{1} - \\mathbf{a}^{[1]})$, which is `l1_delta`, and "
            "$-\\nabla_{W^{[1]}} C = \\mathbf{x}^\\top \\boldsymbol{\\delta}^{[1]}$. This is "
            "backpropagation. Summed over the four rows of `l0`, the updates are minus the "
            "gradient of the summed squared error, so each iteration is a gradient-descent "
            "step with learning rate 1."
        ),
    )


def vanishing_gradient(layers: int = 3) -> Derivation:
    """Through ``layers`` single-unit sigmoid layers (the document shows three).

    Long because it lists the derivation's steps in reading order, one claim per line; splitting
    it would scatter one argument.
    """
    x = Symbol("x", real=True)
    z = Symbol("z", real=True)
    q = Symbol("G", positive=True)  # a product of factors sigma'
    # Layer l is a bracketed superscript [l] (a subscript 1 is an input's or a class's).
    ws = [Named(f"w_{n + 1}", f"w^{{[{n + 1}]}}", real=True) for n in range(layers)]
    bs = [Named(f"b_{n + 1}", f"b^{{[{n + 1}]}}", real=True) for n in range(layers)]
    zs = [Named(f"z_{n + 1}", f"z^{{[{n + 1}]}}", real=True) for n in range(layers)]
    acts = [Named(f"a_{n + 1}", f"a^{{[{n + 1}]}}", positive=True) for n in range(layers)]
    c_mse, c_bce = Symbol("C_MSE", real=True), Symbol("C_BCE", real=True)
    last = acts[-1]
    s = sigmoid(z)
    definitions = []
    for n in range(layers):
        weighted = sum_of(product_of(ws[n], x if n == 0 else acts[n - 1]), bs[n])
        definitions += [
            define(zs[n], weighted, f"layer {n + 1}'s weighted input"),
            define(acts[n], sigmoid(zs[n]), f"layer {n + 1}'s output"),
        ]
    hidden = []
    for n in reversed(range(layers - 1)):
        hidden += [ws[n + 1], acts[n] * (1 - acts[n])]
    with evaluate(False):
        square = Rational(1, 4) - (s - Rational(1, 2)) ** 2
        prime = product_of(s, 1 - s)
        bce = -(y * log(last) + (1 - y) * log(1 - last))
        mse_chain = product_of(last - y, last * (1 - last), *hidden)
        bce_chain = product_of(last - y, *hidden)
    return Derivation(
        "vanishing-gradient",
        "The vanishing gradient through many sigmoid layers",
        (
            step(prime, square, "$\\sigma'(z)$, Section 1; complete the square"),
            then(Rational(1, 4), "a square is never negative", relation="<="),
            step(
                product_of(q, prime),
                product_of(q, square),
                "$G > 0$: the product of $L$ such factors",
            ),
            then(q / 4, "the same square", relation="<="),
            *definitions,
            define(c_mse, (last - y) ** 2 / 2, "the squared error"),
            define(c_bce, bce, "cross-entropy"),
            step(
                Derivative(c_mse, bs[0]), mse_chain, f"chain rule, layer by layer ($L = {layers}$)"
            ),
            step(
                Derivative(c_bce, bs[0]),
                bce_chain,
                f"the same; $\\sigma'(z^{{[{layers}]}})$ cancels ($L = {layers}$)",
            ),
            step(
                Derivative(c_mse, bs[0]),
                product_of(last * (1 - last), Derivative(c_bce, bs[0])),
                "the two lines above",
            ),
        ),
        result=Le(product_of(q, prime), q / 4, evaluate=False),
        domains={y: Interval(0, 1), x: MODERATE, **dict.fromkeys([*ws, *bs], MODERATE)},
        intro=(
            "Motivation: backpropagation multiplies one factor "
            "$\\sigma'(z^{[l]}) = a^{[l]}(1 - a^{[l]})$ "
            "per sigmoid layer, and Section 1 showed that no such factor exceeds $1/4$. In a "
            "chain of $L$ layers of one unit each, "
            "$z^{[l]} = w^{[l]} a^{[l-1]} + b^{[l]}$ and $a^{[l]} = \\sigma(z^{[l]})$ with "
            "$a^{[0]} = x$, the gradient with respect to the first bias is the error times "
            "$L$ factors $\\sigma'$ and $L - 1$ weights. The first lines "
            "hold for any $L$; the chain rule is then written out for "
            f"$L = {layers}$ layers."
        ),
        reading=(
            "The third and fourth lines are the step of an induction: a product $G$ of $L$ "
            "factors $\\sigma'$ that is at most $4^{-L}$ stays at most $4^{-(L+1)}$ when one "
            "more factor joins it, and one factor is at most $4^{-1}$. So the $L$ factors "
            "$\\sigma'$ together are at most $4^{-L}$ for every $L$: ten layers scale the "
            "gradient by less than $10^{-6}$ unless the weights are large, and large weights "
            "saturate the units and make the factors smaller still [cite:nielsen2015]. The "
            f"last lines, checked for $L = {layers}$, show what cross-entropy changes: it "
            "removes the output layer's factor $\\sigma'(z^{[L]})$, the one that stalls a "
            "saturated output (Section 3), and leaves every hidden layer's factor in place. "
            "Cross-entropy cures the slowdown of the output layer, not the vanishing gradient "
            "of a deep sigmoid network."
        ),
    )


def derivations() -> list[Derivation]:
    """The derivations of this topic, in reading order."""
    return [hidden_layer_delta(), vanishing_gradient()]
