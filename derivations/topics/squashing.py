r"""Why the sigmoid: seven S-curves, their losses and slopes, the softmax, gradient descent.

Each S-curve is squashed into (0, 1) as a probability p(x). For a target of
1 the loss is L = -ln p(x); its slope dL/dx far on the wrong side (x -> -oo)
decides whether a badly wrong output still gets a gradient. ``CURVES`` holds
the textbook forms, the slopes and their limits there, and the tail forms that
the NumPy functions evaluate (``Tail``); every one of them is verified by a
derivation below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sympy import (
    Abs,
    Add,
    Derivative,
    Eq,
    Expr,
    Function,
    Integer,
    Interval,
    Limit,
    Mul,
    Piecewise,
    Rational,
    S,
    Symbol,
    UnevaluatedExpr,
    acot,
    asinh,
    atan,
    erf,
    erfc,
    exp,
    log,
    oo,
    pi,
    rsolve,
    sinc,
    sinh,
    sqrt,
    tanh,
)
from sympy.codegen.cfunctions import log1p
from sympy.core.function import ArgumentIndexError
from sympy.core.parameters import evaluate

from derivations.engine import Derivation, assume, define, step, then
from derivations.functions import sigmoid
from derivations.notation import frac

__all__ = ["CURVES", "Curve", "Tail", "derivations", "erfcx", "kernels", "loss_slope_limits"]

x = Symbol("x", real=True)
t = Symbol("t", positive=True)
_a = Abs(x)
_h = sqrt(1 + x**2)  # NumPy evaluates it as hypot(1, x): the same number, and x**2 never overflows


class erfcx(Function):
    r"""The scaled complementary error function, erfcx(u) = e^{u^2} erfc(u).

    It tends to 0 like 1/(u sqrt(pi)) where erfc(u) underflows, so ln erfc(u) =
    ln erfcx(u) - u^2 stays finite. SymPy has no such function: ``doit`` writes
    out the definition, which is what the verifier sees.

    >>> u = Symbol("u", positive=True)
    >>> erfcx(u).doit()
    exp(u**2)*erfc(u)
    >>> erfcx(0), erfcx(Rational(1, 2)).evalf(15)
    (1, 0.615690344192926)
    """

    nargs = 1

    @classmethod
    def eval(cls, arg):
        if arg.is_zero:
            return S.One
        if arg is S.Infinity:
            return S.Zero
        return None

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return 2 * self.args[0] * self - 2 / sqrt(pi)

    def doit(self, **hints):
        u = self.args[0].doit(**hints) if hints.get("deep", True) else self.args[0]
        return exp(u**2) * erfc(u)

    def _eval_rewrite_as_erfc(self, arg, **kwargs):
        return exp(arg**2) * erfc(arg)

    def _eval_evalf(self, prec):
        return self.doit()._eval_evalf(prec)

    def _eval_is_positive(self):
        return True if self.args[0].is_extended_real else None

    def _latex(self, printer, exp=None):
        power = "" if exp is None else f"^{{{exp}}}"
        return rf"\operatorname{{erfcx}}{power}\left({printer._print(self.args[0])}\right)"


def _u(expr: Expr) -> Expr:
    """A factor that SymPy keeps whole, so that NumPy computes it before multiplying.

    (1/h)(1/h) is a tiny number even where h*h overflows; SymPy would merge it into 1/h**2.
    """
    return UnevaluatedExpr(expr)


@dataclass(frozen=True)
class Tail:
    """One curve away from the middle, in t = |x| > 0, in forms that keep every digit.

    ``q`` is the wrong side's probability p(-t), which is also 1 - p(t); ``minus_log_q``
    its loss; ``density`` the derivative p'(t) = p'(-t); ``ratio`` = density/q, minus the
    slope of the loss at x = -t.
    """

    q: Expr
    minus_log_q: Expr
    density: Expr
    ratio: Expr
    why_q: str
    why_log: str
    why_ratio: str


@dataclass(frozen=True)
class Curve:
    """An S-curve squashed into (0, 1), with its loss slope and the limit far on the wrong side."""

    name: str
    label: str  # LaTeX subscript of p
    form: Callable[[Expr], Expr]  # the textbook p at an argument
    slope: Expr  # dL/dx for L = -ln p, in x
    why_slope: str
    limit: Expr  # of the slope as x -> -oo
    tail_slope: Expr  # equal to the slope for x < 0, and exact far out there
    why_limit: str
    tail: Tail | None = None  # None: the stable forms of the sigmoid serve

    @property
    def p(self) -> Expr:
        """The textbook p(x)."""
        return self.form(x)

    @property
    def symbol(self) -> Symbol:
        """The name under which the derivations show p."""
        return Symbol(f"p_{{\\mathrm{{{self.label}}}}}", positive=True)

    def shown(self, argument: Expr) -> Expr:
        """The textbook p at ``argument``, as written (p(-t) shows its -t)."""
        with evaluate(False):
            return self.form(argument)


_ht = sqrt(1 + t**2)  # NumPy evaluates it as hypot(1, t)
_HALF = Rational(1, 2)


def _logistic() -> Curve:
    return Curve(
        "logistic",
        "logistic",
        sigmoid,
        slope=-sigmoid(-x),
        why_slope="$\\sigma' = \\sigma(1 - \\sigma)$ and $1 - \\sigma(x) = \\sigma(-x)$",
        limit=Integer(-1),
        tail_slope=-sigmoid(-x),
        why_limit="$-\\sigma(-x) \\to -\\sigma(\\infty)$",
    )


def _tanh() -> Curve:
    return Curve(
        "tanh",
        "tanh",
        lambda u: (1 + tanh(u)) / 2,
        slope=-2 * sigmoid(-2 * x),
        why_slope="$\\tanh' = 1 - \\tanh^2$: the slope is $\\tanh x - 1 = -2\\sigma(-2x)$",
        limit=Integer(-2),
        tail_slope=-2 * sigmoid(-2 * x),
        why_limit="twice the sigmoid's slope",
    )


def _arctan() -> Curve:
    angle = acot(t)  # = pi/2 - atan t, computed without the cancellation
    slope = -1 / ((1 + x**2) * (pi / 2 + atan(x)))
    return Curve(
        "arctan",
        "arctan",
        lambda u: _HALF + atan(u) / pi,
        slope=slope,
        why_slope="$\\arctan' x = 1/(1 + x^2)$",
        limit=S.Zero,
        tail_slope=slope,
        why_limit="$\\pi/2 + \\arctan x \\approx 1/|x|$: like $-1/|x|$",
        tail=Tail(
            angle / pi,
            log(pi) - log(angle),
            _u(1 / _ht) ** 2 / pi,
            _u(1 / _ht) * _u(1 / (_ht * angle)),
            "$\\pi/2 - \\arctan t = \\operatorname{arccot} t$ for $t > 0$",
            "the logarithm of a quotient",
            "as two factors, neither of which can overflow",
        ),
    )


def _algebraic() -> Curve:
    slope = (x - sqrt(1 + x**2)) / (1 + x**2)
    return Curve(
        "algebraic",
        "alg",
        lambda u: (1 + u / sqrt(1 + u**2)) / 2,
        slope=slope,
        why_slope="$(x/\\sqrt{1 + x^2})' = (1 + x^2)^{-3/2}$; multiply by the conjugate",
        limit=S.Zero,
        tail_slope=slope,
        why_limit="like $-2/|x|$",
        tail=Tail(
            _u(1 / (2 * _ht)) * _u(1 / (_ht + t)),
            log(2) + log(_ht) + asinh(t),
            _u(1 / _ht) ** 3 / 2,
            (1 + t / _ht) / _ht,
            "multiply by the conjugate $\\sqrt{1 + t^2} + t$",
            "$\\ln(t + \\sqrt{1 + t^2}) = \\operatorname{arsinh} t$, finite for any $t$",
            "written so that nothing overflows",
        ),
    )


def _erf() -> Curve:
    return Curve(
        "erf",
        "erf",
        lambda u: (1 + erf(u)) / 2,
        slope=-2 * exp(-(x**2)) / (sqrt(pi) * (1 + erf(x))),
        why_slope="$\\operatorname{erf}' x = 2e^{-x^2}/\\sqrt{\\pi}$",
        limit=-oo,
        tail_slope=-2 * exp(-(x**2)) / (sqrt(pi) * erfc(_a)),
        why_limit="on $x < 0$, $1 + \\operatorname{erf} x = \\operatorname{erfc}|x|$: like $2x$",
        tail=Tail(
            erfc(t) / 2,
            t**2 + log(2) - log(erfcx(t)),
            exp(-(t**2)) / sqrt(pi),
            2 / (sqrt(pi) * erfcx(t)),
            "erf is odd, and $1 - \\operatorname{erf} = \\operatorname{erfc}$",
            "$\\operatorname{erfc} t = e^{-t^2}\\operatorname{erfcx} t$",
            "$e^{-t^2}/\\operatorname{erfc} t = 1/\\operatorname{erfcx} t$",
        ),
    )


def _softsign() -> Curve:
    slope = -1 / ((1 + _a) * (1 + _a + x))
    return Curve(
        "softsign",
        "soft",
        lambda u: (1 + u / (1 + Abs(u))) / 2,
        slope=slope,
        why_slope="$(x/(1 + |x|))' = 1/(1 + |x|)^2$",
        limit=S.Zero,
        tail_slope=slope,
        why_limit="on $x < 0$ it is $-1/(1 + |x|)$",
        tail=Tail(
            _u(1 / (1 + t)) / 2,
            log(2) + log1p(t),
            _u(1 / (1 + t)) ** 2 / 2,
            1 / (1 + t),
            "$1 - t/(1 + t) = 1/(1 + t)$",
            "the logarithm of a product",
            "cancel",
        ),
    )


def _gudermannian() -> Curve:
    # gd(x) = 2 atan(e^x) - pi/2, so p = 1/2 + gd(x)/pi = (2/pi) atan(e^x).
    u = exp(-t)
    angle = atan(u)
    slope = -exp(x) / ((1 + exp(2 * x)) * atan(exp(x)))
    return Curve(
        "gudermannian",
        "gd",
        lambda v: 2 * atan(exp(v)) / pi,
        slope=slope,
        why_slope="$p' = (2/\\pi)e^{x}/(1 + e^{2x}) = 1/(\\pi\\cosh x)$",
        limit=Integer(-1),
        tail_slope=slope,
        why_limit="$\\arctan e^{x} \\approx e^{x}$, as for the sigmoid",
        tail=Tail(
            2 * angle / pi,
            log(pi / 2) + t + log1p(u**2) / 2 + log(sinc(angle)),
            2 * u / (pi * (1 + u**2)),
            sinc(angle) / sqrt(1 + u**2),
            "$\\arctan e^{t} + \\arctan e^{-t} = \\pi/2$",
            "with $u = e^{-t}$, $\\arctan u = u/(\\sqrt{1 + u^2}\\operatorname{sinc}\\arctan u)$",
            "the same identity",
        ),
    )


CURVES: dict[str, Curve] = {
    c.name: c
    for c in (_logistic(), _tanh(), _arctan(), _algebraic(), _erf(), _softsign(), _gudermannian())
}


def loss_slope_limits() -> dict[str, Expr]:
    """The limit of dL/dx as x -> -oo, L = -ln p(x), for each curve, as SymPy values.

    The ``squashing-slope-limits`` derivation verifies each with SymPy's limit
    and by evaluating the slope at x = -1e30.

    >>> limits = loss_slope_limits()
    >>> limits["logistic"], limits["tanh"], limits["arctan"], limits["erf"]
    (-1, -2, 0, -oo)
    """
    return {name: c.limit for name, c in CURVES.items()}


# --------------------------------------------------------------------------- derivations


def squashing_functions() -> Derivation:
    gd = Symbol(r"\operatorname{gd}", real=True)
    steps = []
    for c in CURVES.values():
        p = c.symbol
        if c.name == "gudermannian":
            with evaluate(False):
                difference = atan(sinh(x)) - gd
                squashed = _HALF + gd / pi
            steps += [
                define(gd, 2 * atan(exp(x)) - pi / 2, "the Gudermannian function"),
                step(
                    Derivative(difference, x),
                    0,
                    "and $\\arctan \\sinh x$ differ by a constant, which is 0 at $x = 0$",
                ),
                define(p, squashed, "the Gudermannian curve in (0, 1)"),
            ]
        else:
            steps.append(define(p, c.shown(x), f"the {c.name} curve in (0, 1)"))
        if c.name == "tanh":
            steps.append(step(p, sigmoid(2 * x), "$\\tanh$ is a rescaled sigmoid"))
        steps.append(step(Derivative(-log(p), x), c.slope, c.why_slope))
        if c.name == "erf":
            steps.append(
                step(
                    Add(1, erf(-t), evaluate=False),
                    erfc(t),
                    "at $x = -t < 0$: erf is odd, $\\operatorname{erfc} = 1 - \\operatorname{erf}$",
                )
            )
    logistic = CURVES["logistic"]
    return Derivation(
        "squashing-functions",
        "Seven S-curves and the slopes of their losses",
        tuple(steps),
        result=Eq(Derivative(-log(sigmoid(x)), x), logistic.slope, evaluate=False),
        domains={x: Interval(-4, 4)},
        intro=(
            "Each S-curve below is shifted and scaled into (0, 1), so that $p(x)$ can be read "
            "as the predicted probability of class 1. For a target of 1 the loss is "
            "$L = -\\ln p(x)$, and its slope $dL/dx = -p'(x)/p(x)$ is what gradient descent "
            "follows. SymPy has no Gudermannian function; it is defined here as "
            "$2\\arctan(e^{x}) - \\pi/2$, and a step checks that this is $\\arctan \\sinh x$. "
            "(The numeric checks sample $x$ in $[-4, 4]$, where 50 digits resolve "
            "$1 + \\operatorname{erf} x$; SymPy's proofs hold for every $x$.)"
        ),
        reading=(
            "Every slope is negative: raising $x$ always lowers the loss. How large it stays "
            "far on the wrong side, where $x \\to -\\infty$, is the next derivation."
        ),
    )


def squashing_slope_limits() -> Derivation:
    steps = []
    for c in CURVES.values():
        steps.append(step(Limit(c.tail_slope, x, -oo), c.limit, f"{c.name}: {c.why_limit}"))
    for c in CURVES.values():
        steps.append(step(Limit(c.slope, x, oo), 0, f"{c.name}: $p \\to 1$, $p' \\to 0$"))
    logistic = CURVES["logistic"]
    return Derivation(
        "squashing-slope-limits",
        "The slope of the loss far on the wrong side, and far on the right side",
        tuple(steps),
        result=Eq(Limit(logistic.slope, x, -oo), -1, evaluate=False),
        intro=(
            "The slopes of the last derivation, far out on either side. SymPy's limit computes "
            "each line; the numeric check evaluates the slope at $x = \\mp 10^{30}$ with 50 "
            "digits."
        ),
        reading=(
            "Three curves keep a constant slope however wrong the prediction: the logistic "
            "sigmoid and the Gudermannian ($-1$) and tanh ($-2$, because $(1 + \\tanh x)/2 = "
            "\\sigma(2x)$). Three lose it: arctan, the algebraic curve and softsign, whose "
            "slopes fade like $1/|x|$, so a badly wrong unit learns ever more slowly. The "
            "error function goes the other way: its slope grows like $2x$, so one badly "
            "wrong example can swamp all the others. On the right side every slope "
            "vanishes, as it should once the prediction is right."
        ),
    )


def squashing_tails() -> Derivation:
    steps = []
    for c in CURVES.values():
        k = c.tail
        if k is None:
            continue
        wrong, right = c.form(-t), c.form(t)
        if wrong != k.q.doit():
            steps.append(step(wrong, k.q, f"{c.name} at $x = -t$: {k.why_q}"))
            steps.append(step(right, 1 - k.q, "at $x = t$: the symmetry $p(-x) = 1 - p(x)$"))
        else:
            steps.append(step(right, 1 - k.q, f"{c.name} at $x = t$: {k.why_q}"))
        steps += [
            step(-log(k.q), k.minus_log_q, f"the loss at $x = -t$: {k.why_log}"),
            step(Derivative(right, t), k.density, "the density $p'(t) = p'(-t)$"),
            step(frac(k.density, k.q), k.ratio, f"minus the slope at $x = -t$: {k.why_ratio}"),
        ]
    erf_tail = CURVES["erf"].tail
    return Derivation(
        "squashing-tails",
        "The curves away from the middle, in forms that keep every digit",
        tuple(steps),
        result=Eq(-log(erf_tail.q), erf_tail.minus_log_q, evaluate=False),
        domains={t: Interval.open(0, 5)},
        intro=(
            "Far on the wrong side, at $x = -t$ with $t$ large, $p$ is tiny. It must be "
            "computed as it is, never as 1 minus a number close to 1, and its logarithm must "
            "not be taken after it has underflowed to zero. For each curve below, with $t > 0$: "
            "the probability $q(t) = p(-t)$ on the wrong side, which is also $1 - p(t)$; the "
            "loss $-\\ln q(t)$; the density $p'(t)$, the same at $-t$; and $p'(t)/q(t)$, minus "
            "the slope of the loss at $x = -t$. NumPy evaluates exactly these forms with "
            "$t = |x|$: $p = q$, $L = -\\ln q$ and $dL/dx = -p'/q$ for $x < 0$, and $p = 1 - q$, "
            "$L = -\\ln(1 - q)$ and $dL/dx = -p'/(1 - q)$ otherwise. The logistic and "
            "tanh curves need nothing new: they are $\\sigma(x)$ and $\\sigma(2x)$, whose stable "
            "forms are in the first section. $\\operatorname{erfcx} t = e^{t^2}"
            "\\operatorname{erfc} t$ is the scaled complementary error function, and "
            "$\\operatorname{sinc} u = \\sin(u)/u$. (The numeric checks sample $t$ in (0, 5), "
            "where 50 digits resolve $1 - p(t)$ for every curve; the tests of the NumPy "
            "functions compare the far tails with mpmath.)"
        ),
    )


def kernels(name: str) -> tuple[Expr, Expr, Expr]:
    """p(x), the loss -ln p(x) and its slope, in the verified forms that NumPy evaluates.

    For the tanh and logistic curves these are the sigmoid's stable forms at x or 2x;
    for the others, the tail forms of ``squashing-tails`` with t = |x|, on the wrong
    side as they are and on the right side through 1 - q.

    >>> p, loss, slope = kernels("softsign")
    >>> p
    Piecewise((1/(Abs(x) + 1)/2, x < 0), (1 - 1/(Abs(x) + 1)/2, True))
    """
    from derivations.topics.sigmoid import STABLE_FORMS

    c = CURVES[name]
    if c.tail is None:
        (z,), _, log_sigmoid, _ = STABLE_FORMS["log_sigmoid"]
        k = {"logistic": 1, "tanh": 2}[name]
        return sigmoid(k * x), -log_sigmoid.subs(z, k * x), -k * sigmoid(-k * x)
    k = c.tail
    q, minus_log_q, density, ratio = (
        e.subs(t, _a) for e in (k.q, k.minus_log_q, k.density, k.ratio)
    )
    return (
        Piecewise((q, x < 0), (1 - q, True)),
        Piecewise((minus_log_q, x < 0), (-log1p(-q), True)),
        Piecewise((-ratio, x < 0), (-density / (1 - q), True)),
    )


def softmax_two_class() -> Derivation:
    z0, z1, c = Symbol("z_0", real=True), Symbol("z_1", real=True), Symbol("c", real=True)
    s1 = Symbol(r"\operatorname{softmax}(z)_1", positive=True)
    z2 = Symbol("z_2", real=True)
    zs = (z0, z1, z2)
    with evaluate(False):
        divided = 1 / (exp(z0) / exp(z1) + 1)
        as_sigmoid = 1 / (1 + exp(-(z1 - z0)))
        shifted = exp(z1 + c) / Add(*[exp(z + c) for z in zs])
        factored = (exp(c) * exp(z1)) / (exp(c) * Add(*[exp(z) for z in zs]))
        plain = exp(z1) / Add(*[exp(z) for z in zs])
    return Derivation(
        "softmax-two-class",
        "The softmax of two scores is a sigmoid, and a shift changes nothing",
        (
            define(s1, exp(z1) / (exp(z0) + exp(z1)), "the softmax of $(z_0, z_1)$, class 1"),
            step(s1, divided, "divide numerator and denominator by $e^{z_1}$"),
            then(as_sigmoid, "$e^{z_0}/e^{z_1} = e^{-(z_1 - z_0)}$"),
            then(sigmoid(z1 - z0), "definition of $\\sigma$"),
            step(shifted, factored, "add $c$ to every score: $e^{z + c} = e^{c}e^{z}$"),
            then(plain, "cancel $e^{c}$"),
        ),
        result=Eq(s1, sigmoid(z1 - z0), evaluate=False),
        intro=(
            "The softmax turns scores $z_k$ into probabilities $e^{z_k}/\\sum_j e^{z_j}$. "
            "With two classes it is the sigmoid of the difference of the two scores."
        ),
        reading=(
            "Only differences of scores matter: adding the same $c$ to every score cancels. "
            "Taking $c = -\\max_j z_j$ makes every exponent at most 0, so $e^{z}$ cannot "
            "overflow and the largest term is exactly 1; this is how numeric.softmax is "
            "computed, and why it is exact to do so."
        ),
    )


def standardized_sigmoid() -> Derivation:
    n = Symbol("n", integer=True, positive=True)
    d = Symbol("d", real=True)  # x_i - mean, one deviation
    q = Symbol("Q", positive=True)  # the sum of squared deviations
    k = Symbol("k", positive=True)  # a change of units
    s0, s1 = Symbol("s_0", positive=True), Symbol("s_1", positive=True)
    with evaluate(False):
        ratio = s1 / s0
        sample = d / s1
        shrunk = sqrt((n - 1) / n) * (d / s0)
        by_variance = d / s0**2
        twice = (d / s0) / s0
        scaled_sd = (k * d) / sqrt(k**2 * q / n)
        scaled_var = (k * d) / (k**2 * q / n)
    return Derivation(
        "standardized-sigmoid",
        "The standardized sigmoid: sample or population deviation, and the variance",
        (
            define(s0, sqrt(q / n), "population standard deviation (numpy's ddof = 0)"),
            define(s1, sqrt(q / (n - 1)), "sample standard deviation (ddof = 1)"),
            assume(n, 2, "at least two values", relation=">="),
            step(ratio, sqrt(n / (n - 1)), "the ratio depends on $n$ alone"),
            step(sample, shrunk, "so ddof = 1 shrinks every standardized value by one factor"),
            step(scaled_sd, d / s0, "change units ($x \\to kx$): the standardized value stays"),
            step(by_variance, twice, "dividing by the variance divides once more by $s_0$"),
            step(scaled_var, d / s0**2, "and changes with the units", relation="!="),
        ),
        result=Eq(d / s1, sqrt((n - 1) / n) * d / s0, evaluate=False),
        intro=(
            "The sigmoid of a vector acts on each value alone. The softmax divides by a sum "
            "over all of them, so one large value takes all the probability. The standardized "
            "sigmoid $\\sigma((x_i - m)/s)$ first subtracts the mean $m$ and divides by the "
            "standard deviation $s$ of the values, so an outlier moves the others only through "
            "$m$ and $s$. Below, $d = x_i - m$ and $Q = \\sum_i (x_i - m)^2$."
        ),
        reading=(
            "With $n = 5$ values, ddof = 1 shrinks every standardized value by "
            "$\\sqrt{4/5} \\approx 0.894$, which moves every sigmoid toward 1/2: two "
            "implementations that disagree on ddof disagree on every output. Dividing by the "
            "variance instead is not a standardization at all: the result depends on the units "
            "of $x$, and with a spread in the thousands it squashes everything to 1/2."
        ),
    )


def gradient_descent_quadratic() -> Derivation:
    y = Symbol("y", real=True)
    eta = Symbol("eta", positive=True)
    x0 = Symbol("x_0", real=True)
    n = Symbol("n", integer=True, nonnegative=True)
    xn = Symbol("x_n", real=True)
    xnext = Symbol("x_{n+1}", real=True)
    f = Function("f")
    solved = rsolve(f(n + 1) - (f(n) - eta * (2 * f(n) - 4)), f(n), {f(0): x0})

    def closed(k: Expr) -> Expr:
        with evaluate(False):
            return Add(2, Mul((1 - 2 * eta) ** k, x0 - 2))

    if (solved - closed(n).doit()).expand() != 0:  # pragma: no cover (a SymPy regression)
        raise AssertionError(f"rsolve returned {solved}, expected {closed(n)}")
    with evaluate(False):
        square = (x - 2) ** 2 + 2
        descent = Add(xn, -eta * (2 * xn - 4))
        distance = (1 - 2 * eta) * (xn - 2)
        concrete = Add(2, Mul(6, Rational(4, 5) ** n))
    return Derivation(
        "gradient-descent-quadratic",
        "Gradient descent on a parabola, solved in closed form",
        (
            define(y, x**2 - 4 * x + 6, "the function to minimise"),
            step(y, square, "complete the square: the minimum is 2, at $x = 2$"),
            step(Derivative(y, x), 2 * x - 4, "the gradient"),
            define(xn, closed(n), "SymPy's rsolve: the solution of the recurrence below"),
            define(xnext, descent, "one step of gradient descent with learning rate $\\eta$"),
            step(xnext, closed(n + 1), "so $x_n$ solves the recurrence"),
            step(closed(0), x0, "and starts at $x_0$"),
            step(xnext - 2, distance, "each step multiplies the distance to 2 by $1 - 2\\eta$"),
            assume(eta, 1, "a learning rate below 1", relation="<"),
            step(
                Abs(1 - 2 * eta),
                1,
                "so the iterates converge to 2 when $0 < \\eta < 1$",
                relation="<",
            ),
            assume(eta, Rational(1, 10), "the learning rate of the example"),
            assume(x0, 8, "the start of the example"),
            step(xn, concrete, "$1 - 2\\eta = 4/5$ and $x_0 - 2 = 6$"),
        ),
        result=Eq(xn, 2 + 6 * Rational(4, 5) ** n, evaluate=False),
        intro=(
            "Gradient descent on $y = x^2 - 4x + 6$ from $x_0 = 8$ with learning rate "
            "$\\eta = 0.1$: each step moves against the slope, "
            "$x_{n+1} = x_n - \\eta(2x_n - 4)$. SymPy's rsolve solves the recurrence for any "
            "$\\eta$ and $x_0$, and the steps check its solution."
        ),
        reading=(
            "The distance to the minimum shrinks by the factor $1 - 2\\eta$ at every step: "
            "$x_1 = 6.8$, $x_2 = 5.84$, $x_3 = 5.072$, and after 50 steps the distance is "
            "$6 \\cdot 0.8^{50} \\approx 8.6 \\cdot 10^{-5}$. For $\\eta$ between 1/2 and 1 "
            "the iterates overshoot and alternate about 2 but still converge; at $\\eta = 1$ "
            "they jump between 8 and $-4$ forever, and beyond 1 they diverge."
        ),
    )


def derivations() -> list[Derivation]:
    """The derivations of this topic, in reading order."""
    return [
        squashing_functions(),
        squashing_slope_limits(),
        squashing_tails(),
        softmax_two_class(),
        standardized_sigmoid(),
        gradient_descent_quadratic(),
    ]
