"""The seven S-curves squashed into (0, 1): their forms, slopes, limits and stable tails.

Each S-curve is squashed into (0, 1) as a probability p(z). For a target of 1 the loss is
L = -ln p(z); its slope dL/dz far on the wrong side (z -> -oo) decides whether a badly wrong
output still gets a gradient. ``CURVES`` holds the textbook forms, the slopes and their
limits there, and the tail forms that the NumPy functions evaluate (``Tail``); the
derivations of ``derivations.topics.squashing`` verify every one of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sympy import (
    Abs,
    Expr,
    Integer,
    Piecewise,
    Rational,
    S,
    Symbol,
    UnevaluatedExpr,
    acot,
    asinh,
    atan,
    cancel,
    erf,
    erfc,
    exp,
    log,
    oo,
    pi,
    sinc,
    sqrt,
    tanh,
)
from sympy.codegen.cfunctions import log1p

from derivations.engine import canonical
from derivations.functions import erfcx, sigmoid
from derivations.notation import applied, frac, negated, product_of, sum_of

__all__ = [
    "CURVES",
    "HALF",
    "Curve",
    "Tail",
    "curve_forms",
    "loss_slope_limits",
    "same_value",
    "t",
    "z",
]

z = Symbol("z", real=True)
t = Symbol("t", positive=True)
_a = Abs(z)
_h = sqrt(1 + z**2)  # NumPy evaluates it as hypot(1, z): the same number, and z**2 never overflows


def _u(expr: Expr) -> Expr:
    """A factor that SymPy keeps whole, so that NumPy computes it before multiplying.

    (1/h)(1/h) is a tiny number even where h*h overflows; SymPy would merge it into 1/h**2.
    """
    return UnevaluatedExpr(expr)


def same_value(shown: Expr, computed: Expr) -> bool:
    """True when two forms differ only in display or in the grouping of their factors.

    Both are rebuilt with evaluation on; they must then be one expression, or differ by
    what ``cancel`` removes (1/(2t + 2) against (1/(t + 1))/2).

    >>> same_value(sum_of(Integer(1), z**2), z**2 + 1)
    True
    """
    a, b = canonical(shown), canonical(computed)
    return a == b or cancel(a - b) == 0


@dataclass(frozen=True)
class Tail:
    """One curve away from the middle, in t = |z| > 0, in forms that keep every digit.

    ``q`` is the wrong side's probability p(-t), which is also 1 - p(t); ``minus_log_q``
    its loss; ``density`` the derivative p'(t) = p'(-t); ``ratio`` = density/q, minus the
    slope of the loss at z = -t. These are the forms as displayed; ``grouped`` holds, under
    the same names, the same expressions with factors kept apart so that NumPy's
    intermediate results do not overflow (``numpy_form`` checks that they are the same).
    """

    q: Expr
    minus_log_q: Expr
    density: Expr
    ratio: Expr
    why_q: str
    why_log: str
    why_ratio: str
    grouped: Mapping[str, Expr] = field(default_factory=dict)
    via: tuple[Expr, str] | None = None  # a form of the loss on the way, and its reason
    # Why SymPy cannot prove the steps for q and p(t) = 1 - q (numeric= of those steps).
    numeric_q: str | None = None

    def numpy_form(self, part: str) -> Expr:
        """The form of ``part`` that NumPy evaluates: the displayed one, grouped for NumPy."""
        shown = getattr(self, part)
        form = self.grouped.get(part, canonical(shown))
        if not same_value(shown, form):  # pragma: no cover (a mistake in a curve below)
            raise AssertionError(f"{part}: NumPy's {form} is not the displayed {shown}")
        return form


@dataclass(frozen=True)
class Curve:
    """An S-curve squashed into (0, 1), with its loss slope and the limit far on the wrong side."""

    name: str
    title: str  # the name in prose, capitalized where it is a person's
    label: str  # LaTeX subscript of p
    form: Callable[[Expr], Expr]  # the textbook p at an argument, evaluated
    written: Callable[[Expr], Expr]  # the same, as displayed
    slope: Expr  # dL/dz for L = -ln p, in z, as displayed
    why_slope: str
    limit: Expr  # of the slope as z -> -oo
    tail_slope: Expr  # equal to the slope for z < 0, and exact far out there
    why_limit: str
    tail: Tail | None = None  # None: the stable forms of the sigmoid serve

    @property
    def p(self) -> Expr:
        """The textbook p(z)."""
        return self.form(z)

    def named(self, letter: str) -> Symbol:
        """The symbol ``letter`` with this curve's subscript: p_alg, q_alg, p'_alg."""
        return Symbol(f"{letter}_{{\\mathrm{{{self.label}}}}}", positive=True)

    @property
    def symbol(self) -> Symbol:
        """The name under which the derivations show p."""
        return self.named("p")


_ht = sqrt(1 + t**2)  # NumPy evaluates it as hypot(1, t)
HALF = Rational(1, 2)


def _one_plus_square(v: Expr) -> Expr:
    return sum_of(Integer(1), v**2)


def _logistic() -> Curve:
    return Curve(
        "logistic",
        "logistic",
        "logistic",
        sigmoid,
        sigmoid,
        slope=-sigmoid(-z),
        why_slope="$\\sigma' = \\sigma(1 - \\sigma)$, $1 - \\sigma(z) = \\sigma(-z)$",
        limit=Integer(-1),
        tail_slope=-sigmoid(-z),
        why_limit="$\\sigma(-z) \\to 1$",
    )


def _tanh() -> Curve:
    return Curve(
        "tanh",
        "tanh",
        "tanh",
        lambda u: (1 + tanh(u)) / 2,
        lambda u: frac(sum_of(Integer(1), tanh(u)), 2),
        slope=-2 * sigmoid(-2 * z),
        why_slope="$\\tanh z - 1 = -2\\sigma(-2z)$",
        limit=Integer(-2),
        tail_slope=-2 * sigmoid(-2 * z),
        why_limit="$\\sigma(-2z) \\to 1$",
    )


def _arctan() -> Curve:
    angle = acot(t)  # = pi/2 - atan t, computed without the cancellation
    slope = negated(frac(1, product_of(_one_plus_square(z), sum_of(pi / 2, atan(z)))))
    return Curve(
        "arctan",
        "arctan",
        "arctan",
        lambda u: HALF + atan(u) / pi,
        lambda u: sum_of(HALF, frac(applied(atan, u), pi)),
        slope=slope,
        why_slope="$\\arctan' z = 1/(1 + z^2)$",
        limit=S.Zero,
        tail_slope=slope,
        why_limit="like $-1/\\lvert z\\rvert$",
        tail=Tail(
            frac(angle, pi),
            sum_of(log(pi), -log(angle)),
            frac(1, product_of(pi, _one_plus_square(t))),
            frac(1, product_of(_one_plus_square(t), angle)),
            "$\\pi/2 - \\arctan t = \\operatorname{arccot} t$ for $t > 0$",
            "the logarithm of a quotient",
            "cancel $\\pi$",
            numeric_q=(
                "SymPy has no rule for $\\pi/2 - \\arctan t = \\operatorname{arccot} t$ with "
                "$t > 0$ (cancel, simplify and the exp rewrite all leave the two functions apart)"
            ),
            grouped={
                "density": _u(1 / _ht) ** 2 / pi,
                "ratio": _u(1 / _ht) * _u(1 / (_ht * angle)),
            },
        ),
    )


def _algebraic() -> Curve:
    h = sqrt(_one_plus_square(z))
    slope = frac(sum_of(z, -h), _one_plus_square(z))
    ht = sqrt(_one_plus_square(t))
    return Curve(
        "algebraic",
        "algebraic",
        "alg",
        lambda u: (1 + u / sqrt(1 + u**2)) / 2,
        lambda u: product_of(HALF, sum_of(Integer(1), frac(u, sqrt(_one_plus_square(u))))),
        slope=slope,
        why_slope="$(z/\\sqrt{1 + z^2})' = (1 + z^2)^{-3/2}$",
        limit=S.Zero,
        tail_slope=slope,
        why_limit="like $-2/\\lvert z\\rvert$",
        tail=Tail(
            frac(1, product_of(2, ht, sum_of(t, ht))),
            sum_of(log(2), log(ht), asinh(t)),
            frac(1, product_of(2, _one_plus_square(t) ** Rational(3, 2))),
            product_of(frac(1, ht), sum_of(Integer(1), frac(t, ht))),
            "multiply by the conjugate $t + \\sqrt{1 + t^2}$",
            "$\\ln(t + \\sqrt{1 + t^2}) = \\operatorname{arsinh} t$",
            "cancel",
            grouped={
                "q": _u(1 / (2 * _ht)) * _u(1 / (_ht + t)),
                "density": _u(1 / _ht) ** 3 / 2,
            },
        ),
    )


def _erf() -> Curve:
    return Curve(
        "erf",
        "erf",
        "erf",
        lambda u: (1 + erf(u)) / 2,
        lambda u: frac(sum_of(Integer(1), applied(erf, u)), 2),
        slope=negated(frac(2 * exp(-(z**2)), product_of(sqrt(pi), sum_of(Integer(1), erf(z))))),
        why_slope="$\\operatorname{erf}' z = 2e^{-z^2}/\\sqrt{\\pi}$",
        limit=-oo,
        tail_slope=negated(frac(2 * exp(-(z**2)), product_of(sqrt(pi), erfc(_a)))),
        why_limit="like $2z$",
        tail=Tail(
            frac(erfc(t), 2),
            sum_of(t**2, log(2), -log(erfcx(t))),
            frac(exp(-(t**2)), sqrt(pi)),
            frac(2, product_of(sqrt(pi), erfcx(t))),
            "erf is odd; $1 - \\operatorname{erf} = \\operatorname{erfc}$",
            "$\\operatorname{erfc} t = e^{-t^2}\\operatorname{erfcx} t$",
            "cancel $e^{-t^2}$",
        ),
    )


def _softsign() -> Curve:
    slope = negated(frac(1, product_of(sum_of(Integer(1), _a), sum_of(Integer(1), _a, z))))
    return Curve(
        "softsign",
        "softsign",
        "soft",
        lambda u: (1 + u / (1 + Abs(u))) / 2,
        lambda u: product_of(HALF, sum_of(Integer(1), frac(u, sum_of(Integer(1), Abs(u))))),
        slope=slope,
        why_slope="$(z/(1 + \\lvert z\\rvert))' = (1 + \\lvert z\\rvert)^{-2}$",
        limit=S.Zero,
        tail_slope=slope,
        why_limit="$-1/(1 + \\lvert z\\rvert)$ for $z < 0$",
        tail=Tail(
            frac(1, product_of(2, sum_of(Integer(1), t))),
            sum_of(log(2), log1p(t)),
            frac(1, product_of(2, sum_of(Integer(1), t) ** 2)),
            frac(1, sum_of(Integer(1), t)),
            "$1 - t/(1 + t) = 1/(1 + t)$",
            "the logarithm of a product",
            "cancel",
            grouped={
                "q": _u(1 / (1 + t)) / 2,
                "density": _u(1 / (1 + t)) ** 2 / 2,
            },
        ),
    )


def _gudermannian() -> Curve:
    # gd(z) = 2 atan(e^z) - pi/2, so p = 1/2 + gd(z)/pi = (2/pi) atan(e^z).
    u = exp(-t)
    angle = atan(u)
    return Curve(
        "gudermannian",
        "Gudermannian",
        "gd",
        lambda v: 2 * atan(exp(v)) / pi,
        lambda v: frac(2 * atan(exp(v)), pi),
        slope=negated(frac(exp(z), product_of(sum_of(Integer(1), exp(2 * z)), atan(exp(z))))),
        why_slope="$p' = 1/(\\pi\\cosh z)$",
        limit=Integer(-1),
        tail_slope=negated(frac(exp(z), product_of(sum_of(Integer(1), exp(2 * z)), atan(exp(z))))),
        why_limit="$\\arctan e^{z} \\approx e^{z}$",
        tail=Tail(
            frac(2 * angle, pi),
            sum_of(log(pi / 2), t, log1p(u**2) / 2, log(sinc(angle))),
            frac(2 * u, product_of(pi, sum_of(Integer(1), u**2))),
            frac(sinc(angle), sqrt(sum_of(Integer(1), u**2))),
            "$\\arctan e^{t} + \\arctan e^{-t} = \\pi/2$",
            "$\\theta = \\sin\\theta/\\operatorname{sinc}\\theta$",
            "the same identity",
            via=(sum_of(log(pi / 2), -log(angle)), "the logarithm of a quotient"),
            numeric_q=(
                "SymPy has no rule for $\\arctan u + \\arctan(1/u) = \\pi/2$ with "
                "$u = e^{t} > 0$ (simplify leaves the two arctangents apart)"
            ),
        ),
    )


CURVES: dict[str, Curve] = {
    c.name: c
    for c in (_logistic(), _tanh(), _arctan(), _algebraic(), _erf(), _softsign(), _gudermannian())
}


def loss_slope_limits() -> dict[str, Expr]:
    """The limit of dL/dz as z -> -oo, L = -ln p(z), for each curve, as SymPy values.

    The ``squashing-slope-limits`` derivation verifies each with SymPy's limit
    and by evaluating the slope at z = -1e30.

    >>> limits = loss_slope_limits()
    >>> limits["logistic"], limits["tanh"], limits["arctan"], limits["erf"]
    (-1, -2, 0, -oo)
    """
    return {name: c.limit for name, c in CURVES.items()}


def curve_forms(name: str) -> tuple[Expr, Expr, Expr]:
    """p(z), the loss -ln p(z) and its slope, in the verified forms that NumPy evaluates.

    For the tanh and logistic curves these are the sigmoid's stable forms at z or 2z;
    for the others, the tail forms of ``squashing-tails`` with t = |z|, on the wrong
    side as they are and on the right side through 1 - q.

    >>> p, loss, slope = curve_forms("softsign")
    >>> p
    Piecewise((1/(Abs(z) + 1)/2, z < 0), (1 - 1/(Abs(z) + 1)/2, True))
    """
    from derivations.topics.sigmoid import kernels as sigmoid_kernels

    c = CURVES[name]
    if c.tail is None:
        log_sigmoid = next(k for k in sigmoid_kernels() if k.name == "log_sigmoid")
        (arg,) = log_sigmoid.args
        k = {"logistic": 1, "tanh": 2}[name]
        return sigmoid(k * z), -log_sigmoid.stable.subs(arg, k * z), -k * sigmoid(-k * z)
    k = c.tail
    q, minus_log_q, density, ratio = (
        k.numpy_form(part).subs(t, _a) for part in ("q", "minus_log_q", "density", "ratio")
    )
    return (
        Piecewise((q, z < 0), (1 - q, True)),
        Piecewise((minus_log_q, z < 0), (-log1p(-q), True)),
        Piecewise((-ratio, z < 0), (-density / (1 - q), True)),
    )
