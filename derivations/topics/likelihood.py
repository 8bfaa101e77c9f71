r"""Cross-entropy from likelihood: where the cost comes from, and why its gradient is so simple.

Bishop's route (PRML 4.2 and 4.3): cross-entropy is the negative log-likelihood of a
Bernoulli target whose mean is the sigmoid, and the logit is the Bernoulli's canonical
link, so the chain rule's $\sigma'(z)$ cancels. Nielsen's route (chapter 3): ask for the
cost whose gradient has no $\sigma'(z)$ factor, and integrate. And one consequence:
cross-entropy is convex in the weight and the bias, the squared error is not.
"""

from __future__ import annotations

from sympy import (
    Add,
    Derivative,
    Eq,
    FiniteSet,
    ImmutableMatrix,
    Integral,
    Interval,
    Rational,
    Symbol,
    exp,
    log,
)
from sympy.core.parameters import evaluate

from derivations.engine import Derivation, assume, define, step, substitute, then
from derivations.functions import logit, sigmoid
from derivations.notation import Named, frac, gradient, named_matrix, product_of, shown
from derivations.topics.losses import BCE_LOSS

__all__ = ["derivations"]

x = Symbol("x", real=True)
w = Symbol("w", real=True)
b = Symbol("b", real=True)
y = Symbol("y", real=True)
z = Symbol("z", real=True)
a = Symbol("a", positive=True)
t = Symbol(r"\tilde{a}", positive=True)
C = Symbol("C", real=True)
P = Symbol("P", positive=True)

TARGET = {y: Interval(0, 1)}
BINARY = FiniteSet(0, 1)
PROBABILITY = {a: Interval.open(0, 1)}
MODERATE = Interval(-3, 3)


def _neuron() -> tuple:
    with evaluate(False):
        weighted = w * x + b
    return (
        define(z, weighted, "the neuron's weighted input"),
        define(a, sigmoid(z), "the probability it gives to $y = 1$"),
    )


def _gradient(cost: Symbol, tex: str = r"\nabla C"):
    return gradient(cost, [w, b], tex)


def bernoulli_likelihood() -> Derivation:
    ell = Named("ell_N", r"\mathcal{L}_N", positive=True)  # l is the S-curve loss
    p_next = Named("P_{N+1}", "P^{(N+1)}", positive=True)  # examples are superscripts
    with evaluate(False):
        bernoulli = a**y * (1 - a) ** (1 - y)
        logits = (1 - y) * z + log(1 + exp(-z))
        slope = shown(1 - y - exp(-z) / (1 + exp(-z)), r"1 - y - \frac{e^{-z}}{1 + e^{-z}}")
        error = sigmoid(w * x + b) - y
    return Derivation(
        "bernoulli-likelihood",
        "Cross-entropy is a negative log-likelihood",
        (
            *_neuron(),
            assume(y, BINARY, "the target is a class: 0 or 1", relation="in"),
            define(P, bernoulli, "the probability of the target: $a$ if $y = 1$, else $1 - a$"),
            define(C, -log(P), "the negative log-likelihood of this example"),
            step(C, BCE_LOSS, "$\\ln(uv) = \\ln u + \\ln v$ and $\\ln u^{y} = y \\ln u$"),
            step(
                -log(ell * p_next),
                -log(ell) - log(p_next),
                "one more independent example multiplies the likelihood $\\mathcal{L}_N$ of the "
                "first $N$ by its $P^{(N+1)}$, adds its cost to $-\\ln \\mathcal{L}_N$: by "
                "induction, $-\\ln \\mathcal{L}_N$ is the sum of the examples' costs, any $N$",
            ),
            step(
                C,
                logits,
                "$\\ln a = -\\ln(1 + e^{-z})$ and $\\ln(1 - a) = -z - \\ln(1 + e^{-z})$",
            ),
            step(Derivative(C, z), slope, "differentiate"),
            then(a - y, "$e^{-z}/(1 + e^{-z}) = 1 - a$"),
            step(
                _gradient(C),
                ImmutableMatrix([product_of(a - y, x), a - y]),
                "chain rule: $\\partial z/\\partial w = x$, $\\partial z/\\partial b = 1$",
            ),
        ),
        result=Eq(_gradient(C), ImmutableMatrix([product_of(error, x), error]), evaluate=False),
        domains={x: MODERATE, w: MODERATE, b: MODERATE},
        intro=(
            "Motivation: the squared error is the natural cost for a number with Gaussian noise, "
            "but a neuron that outputs $a = \\sigma(z)$ for a yes-or-no target $y$ is stating "
            "a probability. The right cost for a probability is the one statistics uses: the "
            "negative logarithm of the probability the model gave to what was observed, whose "
            "minimum over the weights is the maximum-likelihood estimate "
            "[cite:bishop2006]. The target is a Bernoulli variable with mean $a$; examples are "
            "independent, so their likelihoods multiply. Here $P$ is the probability of one "
            "example's target and $\\mathcal{L}_N$ the likelihood of $N$ examples."
        ),
        reading=(
            "So binary cross-entropy is not one cost among many: it is $-\\ln$ of the Bernoulli "
            "likelihood, and minimizing its sum over the examples is maximum likelihood. Its "
            "gradient for one example is the error $a - y$ times the input (and times 1 for "
            "the bias), as found by the chain rule in Section 3. Summed over the examples and "
            "set to zero it gives Bishop's condition for the maximum: "
            "$\\sum_i (a^{(i)} - y^{(i)}) x^{(i)} = 0$ and $\\sum_i (a^{(i)} - y^{(i)}) = 0$ "
            "[cite:bishop2006]. The formula for the cost also makes sense for a target "
            "probability $y$ in $[0, 1]$, where it is the cross-entropy between two Bernoulli "
            "distributions; the lines above prove it for $y = 0$ and $y = 1$, one case each."
        ),
    )


def canonical_link() -> Derivation:
    p = Symbol("p", positive=True)
    slope = Derivative(logit(a), a)
    with evaluate(False):
        ratio = frac(a - y, a * (1 - a))
        family = exp(y * z - log(1 + exp(z)))
        bernoulli = a**y * (1 - a) ** (1 - y)
    return Derivation(
        "canonical-link",
        "The canonical link: why the sigmoid's derivative cancels",
        (
            step(
                Derivative(logit(p), p),
                frac(1, p) + frac(1, 1 - p),
                "$\\operatorname{logit} p = \\ln p - \\ln(1 - p)$",
            ),
            then(frac(1, p * (1 - p)), "common denominator"),
            define(a, sigmoid(z), "the output for the input $z$"),
            step(Derivative(a, z), a * (1 - a), "Section 1"),
            then(frac(1, slope), "the line above with $p = a$: the inverse function rule"),
            define(C, BCE_LOSS, "cross-entropy against the target $y$"),
            step(Derivative(C, a), ratio, "Section 3"),
            then(product_of(a - y, slope), "the first two lines"),
            step(Derivative(C, z), product_of(Derivative(C, a), Derivative(a, z)), "chain rule"),
            then(product_of(a - y, slope, frac(1, slope)), "the lines above"),
            then(a - y, "the logit's derivative cancels"),
            step(logit(a), z, "the log-odds of the output: the logit inverts the sigmoid"),
            assume(y, BINARY, "the target is a class: 0 or 1", relation="in"),
            step(bernoulli, family, "$a = e^{z}/(1 + e^{z})$, $1 - a = 1/(1 + e^{z})$"),
        ),
        result=Eq(Derivative(C, z), a - y),
        domains={**TARGET},
        intro=(
            "Motivation: the gradient of cross-entropy with respect to $z$ is exactly "
            "$a - y$, and that is no accident of this one cost. In the language of generalized "
            "linear models, the function that maps the mean $a$ of the target to the linear "
            "score $z$ is the link, and the logit $z = \\ln(a/(1 - a))$ is the canonical link "
            "of the Bernoulli distribution [cite:bishop2006]. The derivative of the logit is "
            "$1/(p(1 - p))$, the reciprocal of $\\sigma'$:"
        ),
        reading=(
            "The cost's derivative in $a$ carries the logit's derivative $1/(a(1 - a))$, and "
            "the chain rule multiplies by its reciprocal $\\sigma'(z) = a(1 - a)$. The last "
            "lines show why this pairing is canonical: written in the log-odds "
            "$\\operatorname{logit} a$, which is the neuron's $z$, the Bernoulli probability is "
            "$\\exp(yz - \\ln(1 + e^{z}))$, with $y$ multiplying $z$ alone: $z$ is the "
            "distribution's natural parameter. A distribution of this exponential-family form "
            "with unit scale, matched with its canonical link, gives the gradient (prediction "
            "minus target) times the input: the Gaussian of variance 1 with the identity link "
            "(linear regression and the squared error), the categorical with the softmax "
            "(Section 7). With a scale parameter $s$, such as a Gaussian's variance, the "
            "gradient is that times $1/s$ (Bishop's equation 4.124) [cite:bishop2006]."
        ),
    )


def cross_entropy_by_integration() -> Derivation:
    g = Symbol("g", real=True)
    k = Symbol("beta", real=True)  # a constant (C is the cost, c_0 a coefficient in 2.3)
    with evaluate(False):
        required = frac(a - y, a * (1 - a))
        fractions = -frac(y, a) + frac(1 - y, 1 - a)
        integrand = -frac(y, t) + frac(1 - y, 1 - t)
        integral = -y * log(2 * a) - (1 - y) * log(2 * (1 - a))
        found = -(y * log(a) + (1 - y) * log(1 - a)) + k
    return Derivation(
        "cross-entropy-by-integration",
        "Cross-entropy found by integration",
        (
            define(a, sigmoid(z), "the output for the input $z$"),
            define(g, required, "the slope in $a$ that the cost must have"),
            step(product_of(g, Derivative(a, z)), a - y, "$\\sigma'(z) = a(1 - a)$ cancels"),
            step(g, fractions, "partial fractions"),
            step(
                Integral(integrand, (t, Rational(1, 2), a)),
                integral,
                "$\\int d\\tilde a/\\tilde a = \\ln \\tilde a$ and "
                "$\\int d\\tilde a/(1 - \\tilde a) = -\\ln(1 - \\tilde a)$",
            ),
            then(BCE_LOSS - log(2), "$\\ln 2u = \\ln 2 + \\ln u$"),
            define(C, found, "a cost with the slope $g$: the integral plus a constant $\\beta$"),
            step(Derivative(C, a), g, "differentiate, as a check"),
            step(Derivative(C, z), a - y, "the first claim: no factor $\\sigma'(z)$"),
        ),
        result=Eq(Derivative(C, z), a - y),
        domains={**TARGET, **PROBABILITY},
        intro=(
            "Motivation: Nielsen [cite:nielsen2015] asks the question the other way round. "
            "The squared error learns slowly because its gradient carries $\\sigma'(z)$. Is "
            "there a cost $C(a)$ whose gradient with respect to $z$ is just the error "
            "$a - y$? By the chain rule "
            "$\\partial C/\\partial z = (\\partial C/\\partial a)\\, a(1 - a)$, so the "
            "cost's slope in $a$ must be $g = (a - y)/(a(1 - a))$, and the cost is its "
            "integral. Below, $\\tilde a$ is the variable of integration and $\\beta$ a constant."
        ),
        reading=(
            "Integrating from $1/2$ gives the cross-entropy up to the constant $\\ln 2$, so "
            "every cost whose gradient with respect to $z$ is exactly $a - y$ is the "
            "cross-entropy plus a constant, and a constant does not change a gradient. "
            "Nielsen's route needs no probability at all; the previous two derivations "
            "explain why it lands on the negative log-likelihood."
        ),
    )


def bce_convexity() -> Derivation:
    """The bce-convexity derivation: BCE's Hessian is positive semidefinite, MSE's is not.

    Long because it lists the derivation's steps in reading order, one claim per line; splitting
    it would scatter one argument.
    """
    u1, u2 = Symbol("u_1", real=True), Symbol("u_2", real=True)
    c_mse = Symbol("C_MSE", real=True)
    prime = a * (1 - a)
    rank_one = ImmutableMatrix([[x**2, x], [x, 1]])
    matrix = r"\begin{pmatrix} x^{2} & x \\ x & 1 \end{pmatrix}"

    def hessian(cost, tex):
        return named_matrix(
            [
                [Derivative(cost, w, 2), Derivative(cost, w, b)],
                [Derivative(cost, b, w), Derivative(cost, b, 2)],
            ],
            rf"\nabla^2 {tex}",
        )

    def times_matrix(factor):
        return named_matrix((factor * rank_one).tolist(), (factor, " " + matrix))

    with evaluate(False):
        quadratic = Add(
            u1**2 * Derivative(C, w, 2),
            2 * u1 * u2 * Derivative(C, w, b),
            u2**2 * Derivative(C, b, 2),
        )
        square = prime * (u1 * x + u2) ** 2
        curvature = prime * (prime + (a - y) * (1 - 2 * a))
        trace = Add(Derivative(c_mse, w, 2), Derivative(c_mse, b, 2))
    out = sigmoid(w * x + b)
    mse_z = Derivative(c_mse, z, 2)
    return Derivation(
        "bce-convexity",
        "Cross-entropy is convex in the weight and the bias; the squared error is not",
        (
            *_neuron(),
            define(C, BCE_LOSS, "cross-entropy against the target $y$"),
            step(Derivative(C, z, 2), prime, "differentiate $\\partial C/\\partial z = a - y$"),
            step(
                hessian(C, "C"),
                times_matrix(Derivative(C, z, 2)),
                "chain rule: $z$ is linear in $w$ and $b$, with "
                "$\\partial z/\\partial w = x$ and $\\partial z/\\partial b = 1$",
            ),
            step(
                shown(quadratic, r"\mathbf{u}^\top \nabla^2 C\, \mathbf{u}"),
                square,
                "in a direction $\\mathbf{u} = (u_1, u_2)$",
            ),
            then(
                sigmoid(z) * sigmoid(-z) * (u1 * x + u2) ** 2,
                "$a = \\sigma(z)$, $1 - a = \\sigma(-z)$",
            ),
            then(0, "$\\sigma > 0$ and a square is never negative", relation=">="),
            define(c_mse, (a - y) ** 2 / 2, "the squared error"),
            step(mse_z, curvature, "differentiate $(a - y)a(1 - a)$ in $z$"),
            step(hessian(c_mse, r"C_{\mathrm{MSE}}"), times_matrix(mse_z), "likewise"),
            substitute(y, 0, "take the target"),
            substitute(x, 1, "the input"),
            substitute(w, 0, "the weight"),
            substitute(b, log(3), "and the bias, so that $a = \\sigma(\\ln 3) = 3/4$:"),
            step(Derivative(c_mse, b, 2), Rational(-9, 256), "the curvature above at $a = 3/4$"),
            then(0, "downward along $b$", relation="<"),
            step(trace, Rational(-9, 128), "$x^2 + 1 = 2$ times the same"),
            then(0, "the determinant is 0: the eigenvalues are 0 and this", relation="<"),
        ),
        # The Hessian in base symbols. (Stating "quadratic >= 0" itself trips the numeric
        # sampler, which loses w and b when a Derivative of C sits inside a sum.)
        result=Eq(hessian(C, "C"), times_matrix(out * (1 - out))),
        domains={**TARGET, x: MODERATE, w: MODERATE, b: MODERATE},
        intro=(
            "Motivation: a convex cost has no local minimum other than a global one, so "
            "gradient descent cannot get stuck in a worse one. A function of $(w, b)$ is "
            "convex when its matrix of second derivatives, the Hessian $\\nabla^2 C$, is "
            "positive semidefinite: $\\mathbf{u}^\\top \\nabla^2 C\\, \\mathbf{u} \\ge 0$ "
            "for every direction $\\mathbf{u} = (u_1, u_2)$. The "
            "neuron is the one of Section 3, with a target $y$ in $[0, 1]$."
        ),
        reading=(
            "Both Hessians are a number, the cost's second derivative in $z$, times the "
            "matrix with rows $(x^2, x)$ and $(x, 1)$, whose determinant is 0 and trace "
            "$x^2 + 1$: its eigenvalues are 0 and $x^2 + 1$. For cross-entropy the number is "
            "$\\sigma'(z) > 0$, so the Hessian is positive semidefinite at every $(w, b)$ "
            "and for every example, and a sum over examples stays so: cross-entropy is convex "
            "in $(w, b)$ [cite:bishop2006]. For the squared error the number is "
            "$a(1 - a)(a(1 - a) + (a - y)(1 - 2a))$, negative when the output is far on the "
            "wrong side (above $2/3$ for target 0, below $1/3$ for target 1). At target 0, "
            "input 1 and output $3/4$ the Hessian's eigenvalues are 0 and $-9/128$: the "
            "squared error curves downward along $b$, so it is not convex, and its surface "
            "has the plateaus of Section 3's learning slowdown. Convexity does not promise a "
            "minimum: when a line separates the examples of the two classes, cross-entropy "
            "keeps falling as the weights grow along it, so it has no minimizer and gradient "
            "descent lets the weights diverge (Bishop, Section 4.3.2) [cite:bishop2006]."
        ),
    )


def derivations() -> list[Derivation]:
    """The derivations of this topic, in reading order."""
    return [
        bernoulli_likelihood(),
        canonical_link(),
        cross_entropy_by_integration(),
        bce_convexity(),
    ]
