"""The sigmoid and the softmax from Gaussian classes in d dimensions, with a shared covariance.

The posterior of one of two classes is the sigmoid of a linear score w^T x + b, and of one of
K classes the softmax of K linear scores; both are derived for explicit sizes (d = 2, K = 3,
as their titles say), in vector notation, with a Cholesky factor standing for the inverse
covariance.
"""

from __future__ import annotations

from functools import reduce

from sympy import (
    Eq,
    Expr,
    Interval,
    Matrix,
    Mul,
    Rational,
    S,
    Symbol,
    exp,
    log,
    pi,
    symbols,
)
from sympy.core.parameters import evaluate

from derivations.engine import Derivation, define, step, then
from derivations.functions import sigmoid
from derivations.notation import (
    Named,
    difference,
    frac,
    product_of,
    shown,
    sum_of,
)
from derivations.topics.gaussians import (
    HALF,
    PRIOR_LOG_ODDS,
    PRIORS,
    b,
    bayes,
    bayes_to_sigmoid,
    density_symbol,
    z,
)

__all__ = ["derivations", "multivariate_posterior", "softmax_from_gaussians"]


def _column(name: str, d: int) -> Matrix:
    return Matrix([Symbol(f"{name}_{i}", real=True) for i in range(1, d + 1)])


def _cholesky_factor(d: int) -> Matrix:
    """U with Sigma^-1 = U^T U: upper triangular with a positive diagonal.

    Every symmetric positive definite matrix, and so the inverse of every
    covariance matrix, has this Cholesky factor: nothing is lost, every
    sampled Sigma is positive definite, and every form below is a polynomial.
    """
    return Matrix(
        d,
        d,
        lambda i, j: Symbol(f"u_{i + 1}{j + 1}", positive=i == j, real=True) if j >= i else 0,
    )


class _Vectors:
    """x and the class means in d dimensions; forms y^T Sigma^-1 v, displayed as such."""

    def __init__(self, d: int, classes: tuple[str, ...]):
        factor = _cholesky_factor(d)
        self.d = d
        # Whitened vectors: y^T Sigma^-1 v = (U y) . (U v).
        self.white = {"x": factor * _column("x", d)}
        for k in classes:
            self.white[k] = factor * _column(f"mu_{k}", d)
        self.root_det = reduce(Mul, [factor[i, i] for i in range(d)], S.One)  # |Sigma|^(-1/2)

    @staticmethod
    def tex(name: str) -> str:
        return r"\mathbf{x}" if name == "x" else rf"\boldsymbol{{\mu}}_{name}"

    def dot(self, left: Matrix, right: str) -> Expr:
        return (left.T * self.white[right])[0, 0]

    def form(self, left: str, right: str) -> Expr:
        """left^T Sigma^-1 right."""
        return shown(
            self.dot(self.white[left], right),
            rf"{self.tex(left)}^\top \Sigma^{{-1}} {self.tex(right)}",
        )

    def weights_x(self, whitened_weights: Matrix, tex: str) -> Expr:
        """w^T x for w = Sigma^-1 m, given U m."""
        return shown(self.dot(whitened_weights, "x"), tex)

    def mahalanobis(self, k: str) -> Expr:
        """(x - mu_k)^T Sigma^-1 (x - mu_k)."""
        v = self.white["x"] - self.white[k]
        diff = rf"(\mathbf{{x}} - {self.tex(k)})"
        return shown((v.T * v)[0, 0], rf"{diff}^\top \Sigma^{{-1}} {diff}")

    def constant(self) -> Expr:
        """(2 pi)^(d/2) |Sigma|^(1/2), the reciprocal of the density's normalising factor."""
        return shown(
            (2 * pi) ** Rational(self.d, 2) / self.root_det, r"(2\pi)^{d/2} |\Sigma|^{1/2}"
        )

    def density(self, k: str) -> Expr:
        """The Gaussian density of class k, in vector notation, constant first."""
        with evaluate(False):
            exponent = -HALF * self.mahalanobis(k)
            # exp(...) on the line: a superscript would set the quadratic form too small.
            written = shown(
                exp(exponent), (r"\exp\left(-\tfrac{1}{2} ", self.mahalanobis(k), r"\right)")
            )
            return product_of(frac(1, self.constant()), written)


def multivariate_posterior(d: int = 2) -> Derivation:
    """The shared-covariance posterior in d dimensions, verified with explicit d x d matrices."""
    vec = _Vectors(d, ("0", "1"))
    posterior = Named("P", r"P(\mathcal{C}_1 \mid \mathbf{x})", positive=True)
    n_1, n_0 = density_symbol("1"), density_symbol("0")
    bias = b
    weights = vec.white["1"] - vec.white["0"]  # U w, with w = Sigma^-1 (mu_1 - mu_0)
    w_x = vec.weights_x(weights, r"\mathbf{w}^\top \mathbf{x}")
    gap = vec.weights_x(
        weights, r"(\boldsymbol{\mu}_1 - \boldsymbol{\mu}_0)^\top \Sigma^{-1} \mathbf{x}"
    )
    centred = shown(
        vec.dot(weights, "x") - vec.dot(weights, "0") / 2 - vec.dot(weights, "1") / 2,
        r"\mathbf{w}^\top \left(\mathbf{x} - "
        r"\frac{\boldsymbol{\mu}_0 + \boldsymbol{\mu}_1}{2}\right)",
    )
    quadratic_terms = (-HALF * vec.form("1", "1"), HALF * vec.form("0", "0"))
    with evaluate(False):
        exponents = frac(difference(vec.mahalanobis("0"), vec.mahalanobis("1")), 2)
        linear = sum_of(gap, *quadratic_terms)
    return Derivation(
        "gaussian-posterior-multivariate",
        f"$d$ dimensions, one covariance: a sigmoid of a linear function, proven for $d = {d}$",
        (
            *bayes_to_sigmoid(posterior, n_1, n_0, full=False),
            define(n_1, vec.density("1"), "class 1"),
            define(n_0, vec.density("0"), "class 0"),
            step(log(frac(n_1, n_0)), exponents, "the constants cancel"),
            then(linear, "expand; $\\Sigma^{-1}$ is symmetric"),
            define(bias, sum_of(*quadratic_terms, PRIOR_LOG_ODDS), "the bias"),
            step(
                z,
                sum_of(w_x, bias),
                "with $\\mathbf{w} = \\Sigma^{-1}(\\boldsymbol{\\mu}_1 - \\boldsymbol{\\mu}_0)$",
            ),
            then(sum_of(centred, PRIOR_LOG_ODDS), "a difference of two squares"),
        ),
        result=Eq(posterior, sigmoid(sum_of(centred, PRIOR_LOG_ODDS))),
        domains=PRIORS,
        intro=(
            "In $d$ dimensions let class $k$ be Gaussian with mean $\\boldsymbol{\\mu}_k$ and "
            "a covariance matrix $\\Sigma$ that both classes share, so that its density is "
            "$\\mathcal{N}_k = \\mathcal{N}(\\mathbf{x} \\mid \\boldsymbol{\\mu}_k, \\Sigma)$ "
            "([cite:bishop2006], equations 4.65 to 4.67). The "
            "argument is that of Section 2.1, with vectors. The steps are proven for $d = "
            f"{d}$ only, with explicit symbolic ${d} \\times {d}$ matrices (and also for "
            "$d = 3$, Appendix), written through the Cholesky factor "
            "$U$ of $\\Sigma^{-1} = U^\\top U$ (upper triangular, positive diagonal). Every "
            "symmetric positive definite matrix has one, so no covariance is left out."
        ),
        reading=(
            "Expanded, each quadratic form "
            "$(\\mathbf{x} - \\boldsymbol{\\mu}_k)^\\top \\Sigma^{-1} "
            "(\\mathbf{x} - \\boldsymbol{\\mu}_k)$ "
            "holds the same $\\mathbf{x}^\\top \\Sigma^{-1} \\mathbf{x}$, which cancels as $x^2$ "
            "did in Section 2.1. "
            "The posterior is $\\sigma(\\mathbf{w}^\\top \\mathbf{x} + b)$: the weights "
            "$\\mathbf{w}$ play the part of the weight $w$ of Section 2.1. "
            "The decision boundary, where the posterior is one half, is the hyperplane "
            "$\\mathbf{w}^\\top \\mathbf{x} + b = 0$."
        ),
    )


def softmax_from_gaussians(d: int = 2) -> Derivation:
    """K = 3 Gaussian classes with a shared covariance: the posterior is a softmax of lines.

    Long because it lists the derivation's steps in reading order, one claim per line; splitting
    it would scatter one argument.
    """
    classes = ("0", "1", "2")
    vec = _Vectors(d, classes)
    priors = symbols("pi_0 pi_1 pi_2", positive=True)
    posterior = Named("P", r"P(\mathcal{C}_1 \mid \mathbf{x})", positive=True)
    densities = [density_symbol(k) for k in classes]
    scores = [Named(f"u_{k}", f"z_{k}", real=True) for k in classes]  # z_k: a class's score
    common = Named("c", r"c(\mathbf{x})", real=True)
    joints = [n * p for n, p in zip(densities, priors, strict=True)]
    weights_x = [
        vec.weights_x(vec.white[k], rf"\mathbf{{w}}_{k}^\top \mathbf{{x}}") for k in classes
    ]
    expanded = [
        sum_of(w_x, -HALF * vec.form(k, k), log(p))
        for w_x, k, p in zip(weights_x, classes, priors, strict=True)
    ]
    lines = [
        shown(e.doit(), rf"\mathbf{{w}}_{k}^\top \mathbf{{x}} + b_{k}")
        for e, k in zip(expanded, classes, strict=True)
    ]
    bias_difference = vec.dot(vec.white["0"], "0") / 2 - vec.dot(vec.white["1"], "1") / 2
    bias_difference += log(priors[1] / priors[0])
    two_class_w = vec.white["1"] - vec.white["0"]
    notes = ("the score of class 0", "of class 1", "of class 2")
    with evaluate(False):
        softmax = frac(exp(scores[1]), sum_of(*[exp(u) for u in scores]))
        shared = sum_of(-log(vec.constant()), -HALF * vec.form("x", "x"))
        two_scores = frac(exp(scores[1]), sum_of(exp(scores[0]), exp(scores[1])))
        gap = sum_of(
            vec.weights_x(two_class_w, r"(\mathbf{w}_1 - \mathbf{w}_0)^\top \mathbf{x}"),
            shown(bias_difference, "b_1 - b_0"),
        )
        two_class = sum_of(
            vec.weights_x(two_class_w, r"\mathbf{w}^\top \mathbf{x}"), shown(bias_difference, "b")
        )
        result = frac(exp(lines[1]), sum_of(*[exp(u) for u in lines]))
    return Derivation(
        "softmax-from-gaussians",
        f"$K$ Gaussian classes: the posterior is a softmax of linear scores, proven for "
        f"$K = 3$, $d = {d}$",
        (
            *[
                define(u, sum_of(log(j), -common), note)
                for u, j, note in zip(scores, joints, notes, strict=True)
            ],
            step(bayes(joints, 1), softmax, "Bayes' rule; divide by $e^{c(\\mathbf{x})}$"),
            define(posterior, softmax, "the posterior"),
            *[
                define(n, vec.density(k), f"class {k}")
                for n, k in zip(densities, classes, strict=True)
            ],
            define(common, shared, "common to all classes"),
            step(
                Matrix(scores),
                Matrix(expanded),
                "$\\mathbf{w}_k = \\Sigma^{-1} \\boldsymbol{\\mu}_k$; the rest is $b_k$",
            ),
            step(
                two_scores,
                sigmoid(difference(scores[1], scores[0])),
                "two classes (0 and 1): divide by $e^{z_1}$",
            ),
            step(gap, two_class, "$\\mathbf{w}$, $b$ of Section 2.4"),
        ),
        result=Eq(posterior, result),
        domains={p: Interval.open(0, 1) for p in priors},
        intro=(
            "Now let there be $K$ classes, each Gaussian with its own mean "
            "$\\boldsymbol{\\mu}_k$ and one shared covariance $\\Sigma$, with density "
            "$\\mathcal{N}_k = \\mathcal{N}(\\mathbf{x} \\mid \\boldsymbol{\\mu}_k, \\Sigma)$. "
            "The posterior of class 1 is written out, and proven, for $K = 3$ classes (0, 1 "
            f"and 2) with explicit ${d} \\times {d}$ matrices as in Section 2.4 (and also for "
            "$K = 3$, $d = 3$, Appendix); other $K$ go the same way, unproven here. "
            "Each class gets a score $z_k$: its log joint density less a part "
            "$c(\\mathbf{x})$, the same for every class, which is chosen later. Class $k$ has "
            "the weights $\\mathbf{w}_k = \\Sigma^{-1} \\boldsymbol{\\mu}_k$ and the bias "
            "$b_k = -\\tfrac{1}{2} \\boldsymbol{\\mu}_k^\\top \\Sigma^{-1} \\boldsymbol{\\mu}_k + "
            "\\ln \\pi_k$."
        ),
        reading=(
            "So each class gets a linear score $\\mathbf{w}_k^\\top \\mathbf{x} + b_k$, and the "
            "posterior is the softmax of the scores. The quadratic "
            "term $\\mathbf{x}^\\top \\Sigma^{-1} \\mathbf{x}$ and the normalising constant are "
            "the same for every class and cancel. With two classes the softmax is the "
            "sigmoid of the difference of the two scores, which is the two-class "
            "$\\mathbf{w}^\\top \\mathbf{x} + b$ of Section 2.4."
        ),
    )


def derivations() -> list[Derivation]:
    """The derivations of this topic, in reading order."""
    return [multivariate_posterior(2), softmax_from_gaussians(2)]
