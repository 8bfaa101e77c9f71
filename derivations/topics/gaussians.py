r"""The sigmoid from Gaussian classes: posteriors with priors, unequal variances, d dims, K classes.

Bayes' rule turns class-conditional densities and priors into the posterior of
a class: for two classes the sigmoid of the log-odds, for K the softmax. With
Gaussians of one shared variance (or covariance) the log-odds are linear in x;
with unequal variances they are quadratic. The d-dimensional derivations are
verified with explicit symbolic matrices (``multivariate_posterior(d)``; the
catalog holds d = 2) and displayed in vector notation through :class:`Shown`.
"""

from __future__ import annotations

from functools import reduce

from sympy import (
    Add,
    Derivative,
    Eq,
    Expr,
    Interval,
    Limit,
    Matrix,
    Mul,
    Rational,
    S,
    Symbol,
    exp,
    log,
    oo,
    pi,
    sqrt,
    symbols,
)
from sympy.core.parameters import evaluate
from sympy.core.symbol import Str

from derivations.engine import Derivation, define, step, substitute, then
from derivations.functions import sigmoid
from derivations.notation import frac

__all__ = ["Named", "Shown", "derivations", "multivariate_posterior", "softmax_from_gaussians"]


class Named(Symbol):
    r"""A symbol that prints as a formula, such as $P(C_1 \mid x)$.

    The formula is part of the symbol's identity, so two symbols that share a
    name but not a formula never meet in SymPy's caches.

    >>> from derivations.render import latex
    >>> latex(Named("P", r"P(C_1 \mid x)") + 1)
    'P(C_1 \\mid x) + 1'
    """

    __slots__ = ("tex",)

    def __new__(cls, name: str, tex: str, **assumptions):
        cls._sanitize(assumptions, cls)
        named = Symbol.__xnew__(cls, name, **assumptions)
        named.tex = tex
        return named

    def __getnewargs_ex__(self):
        return (self.name, self.tex), self._assumptions_orig

    def _hashable_content(self):
        return (*super()._hashable_content(), self.tex)

    def _latex(self, printer, exp=None):
        return self.tex if exp is None else rf"\left({self.tex}\right)^{{{exp}}}"


class Shown(Expr):
    r"""An expression displayed as a formula (say $\mathbf{w}^\top\mathbf{x}$) that means ``expr``.

    Verification sees only ``expr`` (``doit`` unwraps it); readers see the
    formula. A derivation checked with explicit 2 x 2 matrices thus reads in
    vector notation, and a difference can keep the order it is written in.

    >>> from derivations.render import latex
    >>> u = Symbol("u", real=True)
    >>> norm = Shown(u**2, r"\|u\|^2")
    >>> latex(2 * norm), (2 * norm).doit()
    ('2 \\|u\\|^2', 2*u**2)
    """

    is_commutative = True

    def __new__(cls, expr: Expr, tex: str | Str):
        return Expr.__new__(cls, expr, tex if isinstance(tex, Str) else Str(tex))

    @property
    def expr(self) -> Expr:
        """What the formula means."""
        return self.args[0]

    @property
    def tex(self) -> str:
        """The formula, in LaTeX."""
        return self.args[1].name

    def doit(self, **hints):
        return self.expr.doit(**hints) if hints.get("deep", True) else self.expr

    def _eval_derivative(self, symbol):
        return self.expr.diff(symbol)

    def _eval_is_extended_real(self):
        return self.expr.is_extended_real

    def _eval_is_positive(self):
        return self.expr.is_positive

    def _latex(self, printer, exp=None):
        return self.tex if exp is None else rf"\left({self.tex}\right)^{{{exp}}}"

    def _sympystr(self, printer):
        return self.tex


def _minus(left: Expr, right: Expr, *, bracket: bool = False, group: bool = False) -> Shown:
    """``left - right``, displayed in that order (SymPy would print ``-right + left``).

    ``bracket`` puts the difference in parentheses (as a factor of a product
    needs); ``group`` puts each side in parentheses (for sums).
    """
    from derivations.render import latex

    left_tex, right_tex = latex(left), latex(right)
    if group:
        left_tex, right_tex = rf"\left({left_tex}\right)", rf"\left({right_tex}\right)"
    tex = f"{left_tex} - {right_tex}"
    return Shown(left - right, rf"\left({tex}\right)" if bracket else tex)


def _sum(*terms: Expr) -> Expr:
    """A sum displayed in the order written."""
    return Add(*terms, evaluate=False)


# --------------------------------------------------------------------------- shared pieces

x = Symbol("x", real=True)
mu_0, mu_1 = symbols("mu_0 mu_1", real=True)
s, s_0, s_1 = symbols("s s_0 s_1", positive=True)
pi_0, pi_1 = symbols("pi_0 pi_1", positive=True)
PRIORS = {pi_0: Interval.open(0, 1), pi_1: Interval.open(0, 1)}
PRIOR_LOG_ODDS = log(pi_1 / pi_0)
HALF = Rational(1, 2)

z = Symbol("z", real=True)
a, b = symbols("a b", real=True)


def normal_density(at: Expr, mean: Expr, sd: Expr) -> Expr:
    """The Gaussian density written out as a textbook writes it (unevaluated, for display)."""
    with evaluate(True):
        exponent = -((mean - at) ** 2) / (2 * sd**2)
    with evaluate(False):
        return frac(1, sqrt(2 * pi) * sd) * exp(exponent)


def _bayes_to_sigmoid(posterior: Symbol, n_1: Symbol, n_0: Symbol) -> tuple:
    """Bayes' rule to the sigmoid of the log-odds.

    These steps come before the densities are defined, so they are verified
    for any two positive densities (and cheaply).
    """
    joint_1, joint_0 = n_1 * pi_1, n_0 * pi_0
    with evaluate(False):
        bayes = frac(joint_1, _sum(joint_1, joint_0))
        divided = frac(1, _sum(1, frac(joint_0, joint_1)))
    return (
        define(posterior, bayes, "Bayes' rule: the share of class 1 in the density at $x$"),
        define(z, log(frac(joint_1, joint_0)), "the log-odds of class 1"),
        step(posterior, divided, "divide the numerator and the denominator by the numerator"),
        then(1 / (1 + exp(-z)), "$e^{-z}$ is the ratio of the two joint densities"),
        then(sigmoid(z), "definition of $\\sigma$: true for any two densities"),
        _split_log_odds(n_1, n_0),
    )


def _posterior_as_sigmoid(posterior: Symbol, n_1: Symbol, n_0: Symbol) -> tuple:
    """The posterior as the sigmoid of the log-odds, which gaussian-posterior derives.

    Defining P as sigma(z) makes every later claim about P a claim about the
    log-odds, which SymPy settles by expanding logarithms; the claim after the
    definitions checks, for any two positive densities, that it is Bayes' rule.
    """
    joint_1, joint_0 = n_1 * pi_1, n_0 * pi_0
    with evaluate(False):
        bayes = frac(joint_1, _sum(joint_1, joint_0))
    return (
        define(z, log(frac(joint_1, joint_0)), "the log-odds of class 1"),
        define(posterior, sigmoid(z), "the sigmoid of the log-odds, as for equal variances"),
        step(posterior, bayes, "which is Bayes' rule, for any two densities"),
        _split_log_odds(n_1, n_0),
    )


def _split_log_odds(n_1: Symbol, n_0: Symbol):
    with evaluate(False):
        split = log(frac(n_1, n_0)) + PRIOR_LOG_ODDS
    return step(z, split, "the logarithm of a product is the sum of the logarithms")


# --------------------------------------------------------------------------- one dimension


def _posterior_1d() -> Named:
    return Named("P", r"P(C_1 \mid x)", positive=True)


def _densities_1d(spread_1: str, spread_0: str) -> tuple[Named, Named]:
    return tuple(
        Named(f"N_{k}", rf"\mathcal{{N}}(x \mid \mu_{k}, {spread}^2)", positive=True)
        for k, spread in ((1, spread_1), (0, spread_0))
    )


def _squared_out(mean: Symbol) -> Expr:
    """(mean - x)^2 expanded, displayed as x^2 - 2 mean x + mean^2."""
    return _sum(x**2, -2 * mean * x, mean**2)


def gaussian_posterior() -> Derivation:
    """Bayes' rule, the log-odds, and the sigmoid of a line: equal spreads, any priors."""
    posterior = _posterior_1d()
    n_1, n_0 = _densities_1d("s", "s")
    e_1, e_0 = -((mu_1 - x) ** 2) / (2 * s**2), -((mu_0 - x) ** 2) / (2 * s**2)
    difference = _minus(mu_1, mu_0)
    squares = _minus(_squared_out(mu_0), _squared_out(mu_1), group=True)
    with evaluate(False):
        written = log(frac(normal_density(x, mu_1, s), normal_density(x, mu_0, s)))
        constants_cancel = log(frac(exp(e_1), exp(e_0)))
        exponents = frac(_sum((mu_0 - x) ** 2, -((mu_1 - x) ** 2)), 2 * s**2)
        expanded = frac(squares, 2 * s**2)
        cancelled = frac(
            _sum(2 * _minus(mu_1, mu_0, bracket=True) * x, mu_0**2, -(mu_1**2)), 2 * s**2
        )
        linear = _sum(frac(difference, s**2) * x, frac(mu_0**2 - mu_1**2, 2 * s**2))
        slope = frac(difference, s**2)
    # a x + b as a (x - (mu_0 + mu_1)/2) + ln(pi_1/pi_0): one product, no mu_0^2 - mu_1^2.
    centred = (mu_1 - mu_0) * (x - (mu_0 + mu_1) / 2) / s**2 + PRIOR_LOG_ODDS
    return Derivation(
        "gaussian-posterior",
        "Two Gaussians with one variance: the posterior is a sigmoid",
        (
            *_bayes_to_sigmoid(posterior, n_1, n_0),
            define(n_1, normal_density(x, mu_1, s), "class 1: Gaussian, mean $\\mu_1$, spread $s$"),
            define(n_0, normal_density(x, mu_0, s), "class 0: mean $\\mu_0$, the same spread $s$"),
            step(log(frac(n_1, n_0)), written, "write the densities out"),
            then(constants_cancel, "the normalising constants $1/(\\sqrt{2\\pi}\\,s)$ cancel"),
            then(exponents, "$\\ln(e^{u}/e^{v}) = u - v$"),
            then(expanded, "expand the squares"),
            then(cancelled, "the $x^2$ terms cancel: the variances are equal"),
            then(linear, "a linear function of $x$"),
            define(a, slope, "the squashing factor: the slope of the log-odds"),
            define(b, _sum(frac(mu_0**2 - mu_1**2, 2 * s**2), PRIOR_LOG_ODDS), "the shift"),
            step(z, a * x + b, "add $\\ln(\\pi_1/\\pi_0)$: so $P = \\sigma(z) = \\sigma(a x + b)$"),
        ),
        result=Eq(posterior, sigmoid(centred)),
        domains=PRIORS,
        intro=(
            "A value $x$ comes from class 1 or class 0, with prior probabilities $\\pi_1$ "
            "and $\\pi_0$. Within each class it is normally distributed, with means "
            "$\\mu_1$ and $\\mu_0$ and one standard deviation $s$. Bayes' rule gives the "
            "probability that $x$ came from class 1. The first lines hold for any two "
            "densities; the Gaussians enter through the log-odds $z$."
        ),
        reading=(
            "The $x^2$ terms cancel because both classes have the same spread, so the "
            "log-odds are a line in $x$ and the posterior is exactly a sigmoid of that "
            "line: the squashing factor $a = (\\mu_1 - \\mu_0)/s^2$ sets its steepness and "
            "the shift $b$ its position. The result writes $a x + b$ as "
            "$a(x - (\\mu_0 + \\mu_1)/2) + \\ln(\\pi_1/\\pi_0)$: a single product, which "
            "floating point evaluates without the cancellation in $\\mu_0^2 - \\mu_1^2$. "
            "numeric.gaussian_posterior is lambdified from it."
        ),
    )


def decision_boundary() -> Derivation:
    """Where the posterior is one half, how steep it is there, and what moves it."""
    boundary = Named("x_b", "x_{b}", real=True)
    slope = (mu_1 - mu_0) / s**2
    with evaluate(False):
        midpoint = frac(mu_0 + mu_1, 2)
        at_boundary = midpoint - PRIOR_LOG_ODDS / a
        posterior = sigmoid(a * _minus(x, boundary, bracket=True))
    c = Symbol("c", positive=True)
    with evaluate(False):
        rescaled = _sum(
            frac(_minus(c * mu_1, c * mu_0), (c * s) ** 2) * (c * x),
            frac(_minus((c * mu_0) ** 2, (c * mu_1) ** 2), 2 * (c * s) ** 2),
            PRIOR_LOG_ODDS,
        )
    # x_b in the base symbols, displayed as x_b: a substituted value may not use defined symbols.
    value = Shown(at_boundary.doit().subs(a, slope), "x_{b}")
    return Derivation(
        "gaussian-decision-boundary",
        "How the means, the spread and the priors move the sigmoid",
        (
            define(a, frac(_minus(mu_1, mu_0), s**2), "the squashing factor, as above"),
            define(b, _sum(frac(mu_0**2 - mu_1**2, 2 * s**2), PRIOR_LOG_ODDS), "the shift"),
            step(Derivative(a, s), -2 * a / s, "a wider spread flattens the sigmoid"),
            step(rescaled, a * x + b, "other units: $x$, the means and $s$ times $c > 0$"),
            define(boundary, at_boundary, "the decision boundary"),
            step(
                a * x + b,
                a * _minus(x, boundary, bracket=True),
                "$\\mu_0^2 - \\mu_1^2 = -(\\mu_1 - \\mu_0)(\\mu_0 + \\mu_1)$: "
                "so $P = \\sigma(a(x - x_b))$",
            ),
            step(Derivative(posterior, x), a * posterior * (1 - posterior), "chain rule"),
            substitute(x, value, "at the decision boundary"),
            step(posterior, S.Half, "the two classes are equally likely there"),
            step(Derivative(posterior, x), a / 4, "and the posterior is steepest: slope $a/4$"),
            substitute(pi_1, pi_0, "equal priors"),
            step(boundary, midpoint, "$\\ln 1 = 0$: the boundary is the midpoint of the means"),
        ),
        result=Eq(boundary, value.expr),
        domains=PRIORS,
        intro=(
            "The posterior $\\sigma(a x + b)$ is one half where $a x + b = 0$: at that "
            "point the two classes are equally likely. Where it lies, and how fast the "
            "posterior switches there, follow from $a$ and $b$."
        ),
        reading=(
            "Means further apart, or a smaller spread, make $a$ larger and the switch "
            "sharper. With equal priors the boundary is the midpoint of the means; a "
            "prior that favours class 1 moves it towards class 0 by "
            "$\\ln(\\pi_1/\\pi_0)/a$: little when the classes are well separated, much "
            "when they overlap. Nothing depends on the unit of $x$, which is why "
            "numeric.gaussian_posterior may rescale its inputs by a power of two."
        ),
    )


def unequal_variance() -> Derivation:
    """Unequal spreads: a sigmoid of a quadratic, and the wider class wins both tails."""
    posterior = _posterior_1d()
    n_1, n_0 = _densities_1d("s_1", "s_0")
    delta = Symbol("delta", positive=True)
    c_2, c_1, c_0 = symbols("c_2 c_1 c_0", real=True)
    curvature = 1 / (2 * s_0**2) - 1 / (2 * s_1**2)
    linear = mu_1 / s_1**2 - mu_0 / s_0**2
    constant = mu_0**2 / (2 * s_0**2) - mu_1**2 / (2 * s_1**2) + log(s_0 / s_1)
    quadratic = _sum(c_2 * x**2, c_1 * x, c_0)
    log_odds = _sum(c_2 * x**2, c_1 * x, c_0, PRIOR_LOG_ODDS)
    with evaluate(False):
        written = log(frac(normal_density(x, mu_1, s_1), normal_density(x, mu_0, s_0)))
        constants = _sum(
            log(frac(s_0, s_1)),
            frac((mu_0 - x) ** 2, 2 * s_0**2),
            -frac((mu_1 - x) ** 2, 2 * s_1**2),
        )
        right, left = Limit(log_odds, x, oo), Limit(log_odds, x, -oo)
    return Derivation(
        "gaussian-posterior-unequal-variance",
        "Unequal variances: the log-odds are quadratic",
        (
            *_posterior_as_sigmoid(posterior, n_1, n_0),
            define(n_1, normal_density(x, mu_1, s_1), "class 1: mean $\\mu_1$, spread $s_1$"),
            define(n_0, normal_density(x, mu_0, s_0), "class 0: mean $\\mu_0$, spread $s_0$"),
            define(c_2, _sum(1 / (2 * s_0**2), -1 / (2 * s_1**2)), "coefficients, found below"),
            define(c_1, _sum(mu_1 / s_1**2, -mu_0 / s_0**2), "(linear)"),
            define(c_0, constant, "(constant)"),
            step(log(frac(n_1, n_0)), written, "write the densities out"),
            then(constants, "the normalising constants no longer cancel"),
            then(quadratic, "expand the squares; collect powers of $x$"),
            step(
                c_2,
                frac(_minus(s_1**2, s_0**2), 2 * s_0**2 * s_1**2),
                "zero only when $s_0 = s_1$: otherwise $x^2$ stays",
            ),
            step(posterior, sigmoid(log_odds), "$P = \\sigma(z)$: a sigmoid of a quadratic"),
            substitute(
                s_0,
                s_1 / sqrt(1 + delta),
                "class 1 is the wider: $s_1^2 = (1 + \\delta)\\, s_0^2$ with $\\delta > 0$",
            ),
            step(c_2, delta / (2 * s_1**2), "the $x^2$ term has a positive coefficient"),
            step(sigmoid(right), 1, "so the log-odds grow without bound to the right"),
            step(sigmoid(left), 1, "and to the left: the posterior tends to 1 at both ends"),
        ),
        result=Eq(posterior, sigmoid(curvature * x**2 + linear * x + constant + PRIOR_LOG_ODDS)),
        domains=PRIORS,
        intro=(
            "Now let the classes have different spreads, $s_1$ and $s_0$. The posterior "
            "is still the sigmoid of the log-odds, but the two Gaussians no longer share "
            "their normalising constant or their $x^2$ term."
        ),
        reading=(
            "The log-odds are quadratic in $x$, with leading coefficient "
            "$1/(2 s_0^2) - 1/(2 s_1^2)$, zero only when $s_0 = s_1$. If class 1 is the "
            "wider, its density decays more slowly and wins far out on both sides: its "
            "posterior tends to 1 at both ends (with the labels swapped, class 0's does). "
            "A sigmoid of a line tends to 0 at one end and to 1 at the other, so the "
            "posterior is a sigmoid of a line only when the spreads are equal."
        ),
    )


# --------------------------------------------------------------------------- d dimensions


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

    def form(self, left: str, right: str) -> Shown:
        """left^T Sigma^-1 right."""
        return Shown(
            self.dot(self.white[left], right),
            rf"{self.tex(left)}^\top \Sigma^{{-1}} {self.tex(right)}",
        )

    def weights_x(self, whitened_weights: Matrix, tex: str) -> Shown:
        """w^T x for w = Sigma^-1 m, given U m."""
        return Shown(self.dot(whitened_weights, "x"), tex)

    def mahalanobis(self, k: str) -> Shown:
        """(x - mu_k)^T Sigma^-1 (x - mu_k)."""
        v = self.white["x"] - self.white[k]
        diff = rf"(\mathbf{{x}} - {self.tex(k)})"
        return Shown((v.T * v)[0, 0], rf"{diff}^\top \Sigma^{{-1}} {diff}")

    def normaliser(self) -> Shown:
        return Shown(
            self.root_det / (2 * pi) ** Rational(self.d, 2), r"(2\pi)^{-d/2} |\Sigma|^{-1/2}"
        )

    def density(self, k: str) -> Expr:
        """The Gaussian density of class k, in vector notation."""
        with evaluate(False):
            return self.normaliser() * exp(-HALF * self.mahalanobis(k))


def _vector_density_symbol(k: str) -> Named:
    tex = rf"\mathcal{{N}}(\mathbf{{x}} \mid \boldsymbol{{\mu}}_{k}, \Sigma)"
    return Named(f"N_{k}", tex, positive=True)


MULTIVARIATE_INTRO = (
    "The steps are verified with explicit symbolic {d} x {d} matrices, written through "
    "the Cholesky factor $U$ of $\\Sigma^{{-1}} = U^\\top U$ (upper triangular, positive "
    "diagonal). Every symmetric positive definite matrix has one, so no covariance is "
    "left out, and every covariance sampled is positive definite."
)


def multivariate_posterior(d: int = 2) -> Derivation:
    """The shared-covariance posterior in d dimensions, verified with explicit d x d matrices."""
    vec = _Vectors(d, ("0", "1"))
    posterior = Named("P", r"P(C_1 \mid \mathbf{x})", positive=True)
    n_1, n_0 = _vector_density_symbol("1"), _vector_density_symbol("0")
    w_0 = Named("w_0", "w_0", real=True)
    weights = vec.white["1"] - vec.white["0"]  # U w, with w = Sigma^-1 (mu_1 - mu_0)
    w_x = vec.weights_x(weights, r"\mathbf{w}^\top \mathbf{x}")
    difference = vec.weights_x(
        weights, r"(\boldsymbol{\mu}_1 - \boldsymbol{\mu}_0)^\top \Sigma^{-1} \mathbf{x}"
    )
    midpoint_score = Shown(
        vec.dot(weights, "0") / 2 + vec.dot(weights, "1") / 2,
        r"\tfrac{1}{2}\mathbf{w}^\top (\boldsymbol{\mu}_0 + \boldsymbol{\mu}_1)",
    )
    quadratic_terms = _sum(-HALF * vec.form("1", "1"), HALF * vec.form("0", "0"))
    with evaluate(False):
        exponents = _sum(-HALF * vec.mahalanobis("1"), HALF * vec.mahalanobis("0"))
        expanded = _sum(vec.form("x", "x"), -2 * vec.form("1", "x"), vec.form("1", "1"))
        linear = _sum(difference, *quadratic_terms.args)
    return Derivation(
        "gaussian-posterior-multivariate",
        "$d$ dimensions, one covariance: a sigmoid of a linear function",
        (
            *_posterior_as_sigmoid(posterior, n_1, n_0),
            define(
                n_1, vec.density("1"), "class 1: mean $\\boldsymbol{\\mu}_1$, covariance $\\Sigma$"
            ),
            define(
                n_0, vec.density("0"), "class 0: mean $\\boldsymbol{\\mu}_0$, the same $\\Sigma$"
            ),
            step(
                vec.mahalanobis("1"),
                expanded,
                "$\\Sigma^{-1}$ is symmetric: "
                "$\\mathbf{x}^\\top \\Sigma^{-1} \\boldsymbol{\\mu}_1 = "
                "\\boldsymbol{\\mu}_1^\\top \\Sigma^{-1} \\mathbf{x}$",
            ),
            step(log(frac(n_1, n_0)), exponents, "the normalising constants cancel"),
            then(
                linear,
                "expand both (as above): $\\mathbf{x}^\\top \\Sigma^{-1} \\mathbf{x}$ cancels",
            ),
            define(
                w_0,
                _sum(*quadratic_terms.args, PRIOR_LOG_ODDS),
                "the bias; the weights are $\\mathbf{w} = \\Sigma^{-1}(\\boldsymbol{\\mu}_1 - "
                "\\boldsymbol{\\mu}_0)$",
            ),
            step(
                z,
                _sum(w_x, w_0),
                "$\\Sigma^{-1}$ is symmetric, so $\\mathbf{w}^\\top = "
                "(\\boldsymbol{\\mu}_1 - \\boldsymbol{\\mu}_0)^\\top \\Sigma^{-1}$",
            ),
            step(posterior, sigmoid(_sum(w_x, w_0)), "$P = \\sigma(z)$"),
            step(
                w_0,
                _sum(-midpoint_score, PRIOR_LOG_ODDS),
                "a difference of two squares; $\\Sigma^{-1}$ is symmetric",
            ),
        ),
        result=Eq(posterior, sigmoid(w_x + quadratic_terms + PRIOR_LOG_ODDS)),
        domains=PRIORS,
        intro=(
            "In $d$ dimensions let class $k$ be Gaussian with mean $\\boldsymbol{\\mu}_k$ and "
            "a covariance matrix $\\Sigma$ that both classes share (Bishop, Pattern "
            "Recognition and Machine Learning, 4.65 to 4.67). " + MULTIVARIATE_INTRO.format(d=d)
        ),
        reading=(
            "The posterior is $\\sigma(\\mathbf{w}^\\top \\mathbf{x} + w_0)$, and the decision "
            "boundary, where it is one half, is the hyperplane "
            "$\\mathbf{w}^\\top \\mathbf{x} + w_0 = 0$. The last line gives the argument as "
            "$\\mathbf{w}^\\top(\\mathbf{x} - (\\boldsymbol{\\mu}_0 + \\boldsymbol{\\mu}_1)/2) + "
            "\\ln(\\pi_1/\\pi_0)$, the form numeric.gaussian_posterior_multivariate evaluates."
        ),
    )


def softmax_from_gaussians(d: int = 2) -> Derivation:
    """K = 3 Gaussian classes with a shared covariance: the posterior is a softmax of lines."""
    classes = ("0", "1", "2")
    vec = _Vectors(d, classes)
    priors = symbols("pi_0 pi_1 pi_2", positive=True)
    posterior = Named("P", r"P(C_1 \mid \mathbf{x})", positive=True)
    densities = [_vector_density_symbol(k) for k in classes]
    scores = [Named(f"u_{k}", f"u_{k}", real=True) for k in classes]
    common = Named("c", r"c(\mathbf{x})", real=True)
    t_0, t_1 = symbols("t_0 t_1", real=True)
    joints = [n * p for n, p in zip(densities, priors, strict=True)]
    weights_x = [
        vec.weights_x(vec.white[k], rf"\mathbf{{w}}_{k}^\top \mathbf{{x}}") for k in classes
    ]
    expanded = [
        _sum(w_x, -HALF * vec.form(k, k), log(p))
        for w_x, k, p in zip(weights_x, classes, priors, strict=True)
    ]
    lines = [
        Shown(e.doit(), rf"\mathbf{{w}}_{k}^\top \mathbf{{x}} + b_{k}")
        for e, k in zip(expanded, classes, strict=True)
    ]
    bias_difference = vec.dot(vec.white["0"], "0") / 2 - vec.dot(vec.white["1"], "1") / 2
    bias_difference += log(priors[1] / priors[0])
    two_class_w = vec.white["1"] - vec.white["0"]
    with evaluate(False):
        softmax = frac(exp(scores[1]), _sum(*[exp(u) for u in scores]))
        bayes = frac(joints[1], _sum(*joints))
        shared = _sum(-HALF * vec.form("x", "x"), log(vec.normaliser()))
        two_scores = frac(exp(t_1), _sum(exp(t_0), exp(t_1)))
        difference = _sum(
            vec.weights_x(two_class_w, r"(\mathbf{w}_1 - \mathbf{w}_0)^\top \mathbf{x}"),
            Shown(bias_difference, "b_1 - b_0"),
        )
        two_class = _sum(
            vec.weights_x(two_class_w, r"\mathbf{w}^\top \mathbf{x}"),
            Shown(bias_difference, "w_0"),
        )
        result = frac(exp(lines[1]), _sum(*[exp(u) for u in lines]))
    return Derivation(
        "softmax-from-gaussians",
        "$K$ Gaussian classes: the posterior is a softmax of linear scores",
        (
            *[
                define(
                    u, _sum(log(j), -common), "a score: the log joint density, less a common part"
                )
                for u, j in zip(scores, joints, strict=True)
            ],
            define(posterior, softmax, "the softmax of the scores"),
            step(
                posterior,
                bayes,
                "which is Bayes' rule: $e^{c(\\mathbf{x})}$ cancels, whatever it is",
            ),
            *[
                define(
                    n,
                    vec.density(k),
                    f"class {k}: mean $\\boldsymbol{{\\mu}}_{k}$, shared $\\Sigma$",
                )
                for n, k in zip(densities, classes, strict=True)
            ],
            define(common, shared, "the part of the log joint density that is the same for all"),
            step(
                Matrix(scores),
                Matrix(expanded),
                "expand; $\\mathbf{w}_k = \\Sigma^{-1} \\boldsymbol{\\mu}_k$",
            ),
            step(
                two_scores,
                sigmoid(_minus(t_1, t_0)),
                "for two classes, divide by $e^{t_1}$: a sigmoid of the difference",
            ),
            step(difference, two_class, "with $\\mathbf{w}$ and $w_0$ of two classes (above)"),
        ),
        result=Eq(posterior, result),
        domains={p: Interval.open(0, 1) for p in priors},
        intro=(
            "With $K$ classes, each Gaussian with its own mean $\\boldsymbol{\\mu}_k$ and one "
            "shared covariance $\\Sigma$, the posterior of class 1 is written here for "
            "$K = 3$ (classes 0, 1, 2; any $K$ goes the same way). "
            + MULTIVARIATE_INTRO.format(d=d)
        ),
        reading=(
            "Each class gets a linear score $\\mathbf{w}_k^\\top \\mathbf{x} + b_k$ with "
            "$\\mathbf{w}_k = \\Sigma^{-1} \\boldsymbol{\\mu}_k$ and "
            "$b_k = -\\tfrac{1}{2} \\boldsymbol{\\mu}_k^\\top \\Sigma^{-1} \\boldsymbol{\\mu}_k + "
            "\\ln \\pi_k$, and the posterior is the softmax of the scores. The quadratic "
            "term and the normalising constant are the same for every class and cancel. "
            "With two classes the softmax is the sigmoid of the difference of the two "
            "scores, which is the two-class $\\mathbf{w}^\\top \\mathbf{x} + w_0$."
        ),
    )


def derivations() -> list[Derivation]:
    """The derivations of this topic, in reading order."""
    return [
        gaussian_posterior(),
        decision_boundary(),
        unequal_variance(),
        multivariate_posterior(2),
        softmax_from_gaussians(2),
    ]
