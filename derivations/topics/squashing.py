r"""Why the sigmoid: seven S-curves, their losses and slopes, the softmax, gradient descent.

Each S-curve is squashed into (0, 1) as a probability p(x). For a target of
1 the loss is L = -ln p(x); its slope dL/dx far on the wrong side (x -> -oo)
decides whether a badly wrong output still gets a gradient. ``CURVES`` holds
the textbook forms, the slopes and their limits there, and the tail forms that
the NumPy functions evaluate (``Tail``); every one of them is verified by a
derivation below.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sympy import (
    Abs,
    Derivative,
    Eq,
    Expr,
    Function,
    Integer,
    Interval,
    Limit,
    Piecewise,
    Rational,
    S,
    Subs,
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
    rsolve,
    sinc,
    sinh,
    sqrt,
    tanh,
)
from sympy.codegen.cfunctions import log1p
from sympy.core.function import ArgumentIndexError

from derivations.engine import Derivation, assume, canonical, define, step, then
from derivations.functions import sigmoid
from derivations.kernels import KernelSpec
from derivations.notation import applied, frac, negated, product_of, sum_of

__all__ = [
    "CURVES",
    "Curve",
    "Tail",
    "curve_forms",
    "derivations",
    "erfcx",
    "kernels",
    "loss_slope_limits",
]

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


def same_value(shown: Expr, computed: Expr) -> bool:
    """True when two forms differ only in display or in the grouping of their factors.

    Both are rebuilt with evaluation on; they must then be one expression, or differ by
    what ``cancel`` removes (1/(2t + 2) against (1/(t + 1))/2).

    >>> same_value(sum_of(Integer(1), x**2), x**2 + 1)
    True
    """
    a, b = canonical(shown), canonical(computed)
    return a == b or cancel(a - b) == 0


@dataclass(frozen=True)
class Tail:
    """One curve away from the middle, in t = |x| > 0, in forms that keep every digit.

    ``q`` is the wrong side's probability p(-t), which is also 1 - p(t); ``minus_log_q``
    its loss; ``density`` the derivative p'(t) = p'(-t); ``ratio`` = density/q, minus the
    slope of the loss at x = -t. These are the forms as displayed; ``grouped`` holds, under
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
    slope: Expr  # dL/dx for L = -ln p, in x, as displayed
    why_slope: str
    limit: Expr  # of the slope as x -> -oo
    tail_slope: Expr  # equal to the slope for x < 0, and exact far out there
    why_limit: str
    tail: Tail | None = None  # None: the stable forms of the sigmoid serve

    @property
    def p(self) -> Expr:
        """The textbook p(x)."""
        return self.form(x)

    def named(self, letter: str) -> Symbol:
        """The symbol ``letter`` with this curve's subscript: p_alg, q_alg, p'_alg."""
        return Symbol(f"{letter}_{{\\mathrm{{{self.label}}}}}", positive=True)

    @property
    def symbol(self) -> Symbol:
        """The name under which the derivations show p."""
        return self.named("p")


_ht = sqrt(1 + t**2)  # NumPy evaluates it as hypot(1, t)
_HALF = Rational(1, 2)


def _one_plus_square(v: Expr) -> Expr:
    return sum_of(Integer(1), v**2)


def _logistic() -> Curve:
    return Curve(
        "logistic",
        "logistic",
        "logistic",
        sigmoid,
        sigmoid,
        slope=-sigmoid(-x),
        why_slope="$\\sigma' = \\sigma(1 - \\sigma)$, $1 - \\sigma(x) = \\sigma(-x)$",
        limit=Integer(-1),
        tail_slope=-sigmoid(-x),
        why_limit="$\\sigma(-x) \\to 1$",
    )


def _tanh() -> Curve:
    return Curve(
        "tanh",
        "tanh",
        "tanh",
        lambda u: (1 + tanh(u)) / 2,
        lambda u: frac(sum_of(Integer(1), tanh(u)), 2),
        slope=-2 * sigmoid(-2 * x),
        why_slope="$\\tanh x - 1 = -2\\sigma(-2x)$",
        limit=Integer(-2),
        tail_slope=-2 * sigmoid(-2 * x),
        why_limit="$\\sigma(-2x) \\to 1$",
    )


def _arctan() -> Curve:
    angle = acot(t)  # = pi/2 - atan t, computed without the cancellation
    slope = negated(frac(1, product_of(_one_plus_square(x), sum_of(pi / 2, atan(x)))))
    return Curve(
        "arctan",
        "arctan",
        "arctan",
        lambda u: _HALF + atan(u) / pi,
        lambda u: sum_of(_HALF, frac(applied(atan, u), pi)),
        slope=slope,
        why_slope="$\\arctan' x = 1/(1 + x^2)$",
        limit=S.Zero,
        tail_slope=slope,
        why_limit="like $-1/\\lvert x\\rvert$",
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
    h = sqrt(_one_plus_square(x))
    slope = frac(sum_of(x, -h), _one_plus_square(x))
    ht = sqrt(_one_plus_square(t))
    return Curve(
        "algebraic",
        "algebraic",
        "alg",
        lambda u: (1 + u / sqrt(1 + u**2)) / 2,
        lambda u: product_of(_HALF, sum_of(Integer(1), frac(u, sqrt(_one_plus_square(u))))),
        slope=slope,
        why_slope="$(x/\\sqrt{1 + x^2})' = (1 + x^2)^{-3/2}$",
        limit=S.Zero,
        tail_slope=slope,
        why_limit="like $-2/\\lvert x\\rvert$",
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
        slope=negated(frac(2 * exp(-(x**2)), product_of(sqrt(pi), sum_of(Integer(1), erf(x))))),
        why_slope="$\\operatorname{erf}' x = 2e^{-x^2}/\\sqrt{\\pi}$",
        limit=-oo,
        tail_slope=negated(frac(2 * exp(-(x**2)), product_of(sqrt(pi), erfc(_a)))),
        why_limit="like $2x$",
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
    slope = negated(frac(1, product_of(sum_of(Integer(1), _a), sum_of(Integer(1), _a, x))))
    return Curve(
        "softsign",
        "softsign",
        "soft",
        lambda u: (1 + u / (1 + Abs(u))) / 2,
        lambda u: product_of(_HALF, sum_of(Integer(1), frac(u, sum_of(Integer(1), Abs(u))))),
        slope=slope,
        why_slope="$(x/(1 + \\lvert x\\rvert))' = (1 + \\lvert x\\rvert)^{-2}$",
        limit=S.Zero,
        tail_slope=slope,
        why_limit="$-1/(1 + \\lvert x\\rvert)$ for $x < 0$",
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
    # gd(x) = 2 atan(e^x) - pi/2, so p = 1/2 + gd(x)/pi = (2/pi) atan(e^x).
    u = exp(-t)
    angle = atan(u)
    return Curve(
        "gudermannian",
        "Gudermannian",
        "gd",
        lambda v: 2 * atan(exp(v)) / pi,
        lambda v: frac(2 * atan(exp(v)), pi),
        slope=negated(frac(exp(x), product_of(sum_of(Integer(1), exp(2 * x)), atan(exp(x))))),
        why_slope="$p' = 1/(\\pi\\cosh x)$",
        limit=Integer(-1),
        tail_slope=negated(frac(exp(x), product_of(sum_of(Integer(1), exp(2 * x)), atan(exp(x))))),
        why_limit="$\\arctan e^{x} \\approx e^{x}$",
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
            difference = sum_of(atan(sinh(x)), -gd)
            steps += [
                define(gd, sum_of(2 * atan(exp(x)), -pi / 2), "the Gudermannian function"),
                step(Derivative(difference, x), 0, "the two differ by a constant"),
                step(Subs(difference, x, 0), 0, "which is 0"),
                define(p, sum_of(_HALF, frac(gd, pi)), "the Gudermannian curve in $(0, 1)$"),
            ]
        else:
            steps.append(define(p, c.written(x), f"the {c.title} curve in $(0, 1)$"))
        if c.name == "tanh":
            steps.append(step(p, sigmoid(2 * x), "$\\tanh$ is a rescaled sigmoid"))
        steps.append(step(Derivative(-log(p), x), c.slope, c.why_slope))
        if c.name == "erf":
            steps.append(
                step(
                    sum_of(Integer(1), applied(erf, -t)),
                    erfc(t),
                    "at $x = -t < 0$: erf is odd",
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
            "Each S-curve below is shifted and scaled into $(0, 1)$, so that $p(x)$ can be read "
            "as the predicted probability of class 1. For a target of 1 the loss is "
            "$L = -\\ln p(x)$, and its slope $dL/dx = -p'(x)/p(x)$ is what gradient descent "
            "follows. SymPy has no Gudermannian function; it is defined here as "
            "$\\operatorname{gd} x = 2\\arctan(e^{x}) - \\pi/2$, and two steps check that this "
            "is $\\arctan(\\sinh x)$. The numeric checks sample $x$ in $[-4, 4]$, where 50 "
            "digits resolve $1 + \\operatorname{erf} x$; SymPy's proofs hold for every $x$."
        ),
        reading=(
            "The result is the sigmoid's line: its loss is $\\ln(1 + e^{-x})$, and the slope "
            "$-\\sigma(-x)$ costs no more than $\\sigma$ itself. Every slope is negative: "
            "raising $x$ always lowers the loss. In the middle the seven curves look alike "
            "({fig:squashing-curves}); they differ in how fast they approach 0 and 1, and so "
            "in how large the slope stays far on the wrong side, where $x \\to -\\infty$. "
            "That is the next derivation."
        ),
    )


_ABS = "\\lvert x\\rvert"  # |x| would end a cell of the Markdown table
_LIMITS_TABLE = "\n".join(
    [
        "| curve | $p(x)$ | $dL/dx$ as $x \\to -\\infty$ | behaviour | at $\\sigma$'s slope at 0 |",
        "|---|---|---|---|---|",
        "| logistic | $\\sigma(x)$ | $-1$ | constant | $-1$ |",
        "| tanh | $(1 + \\tanh x)/2$ | $-2$ | constant | $-1$ |",
        f"| arctan | $1/2 + \\arctan(x)/\\pi$ | $0$ | like $-1/{_ABS}$ | like $-1/{_ABS}$ |",
        f"| algebraic | $(1 + x/\\sqrt{{1 + x^2}})/2$ | $0$ | like $-2/{_ABS}$ "
        f"| like $-2/{_ABS}$ |",
        f"| erf | $(1 + \\operatorname{{erf}} x)/2$ | $-\\infty$ | like $-2{_ABS}$ "
        f"| like $-\\pi{_ABS}/8$ |",
        f"| softsign | $(1 + x/(1 + {_ABS}))/2$ | $0$ | like $-1/{_ABS}$ | like $-1/{_ABS}$ |",
        "| Gudermannian | $1/2 + \\operatorname{gd}(x)/\\pi$ | $-1$ | constant | $-\\pi/4$ |",
    ]
)

# Each curve's slope p'(0), written out from the textbook derivatives (sech^2/2, 1/(pi(1 + x^2)),
# (1 + x^2)^(-3/2)/2, e^(-x^2)/sqrt(pi), 1/(2(1 + |x|)^2), sech(x)/pi at x = 0); the
# squashing-slope-limits derivation verifies each.
SLOPE_AT_0 = {
    "logistic": Rational(1, 4),
    "tanh": Rational(1, 2),
    "arctan": 1 / pi,
    "algebraic": Rational(1, 2),
    "erf": 1 / sqrt(pi),
    "softsign": Rational(1, 2),
    "gudermannian": 1 / pi,
}


def squashing_slope_limits() -> Derivation:
    steps = []
    for c in CURVES.values():
        steps.append(step(Limit(c.tail_slope, x, -oo), c.limit, f"{c.title}: {c.why_limit}"))
    for k, c in enumerate(CURVES.values()):
        why = f"{c.title}: $p \\to 1$, $p' \\to 0$" if k == 0 else c.title
        steps.append(step(Limit(c.slope, x, oo), 0, why))
    for k, c in enumerate(CURVES.values()):
        why = f"{c.title}: the slope of $p$ at 0" if k == 0 else c.title
        steps.append(step(Subs(Derivative(c.written(x), x), x, 0), SLOPE_AT_0[c.name], why))
    # The two constant slopes other than the sigmoid's, each curve scaled to the sigmoid's
    # slope 1/4 at 0: p(alpha x) with alpha = 1/(4 p'(0)), whose loss slope is alpha times
    # p's at alpha x (the tail forms, which 50 digits evaluate far out).
    for name, shown_scale in (("tanh", "x/2"), ("gudermannian", "\\pi x/4")):
        c = CURVES[name]
        alpha = 1 / (4 * SLOPE_AT_0[name])
        steps.append(
            step(
                Limit(product_of(alpha, c.tail_slope.subs(x, alpha * x)), x, -oo),
                alpha * c.limit,
                f"{c.title} at ${shown_scale}$, whose slope at 0 is $1/4$: $\\alpha$ times the "
                "slope at $\\alpha x$",
            )
        )
    logistic = CURVES["logistic"]
    return Derivation(
        "squashing-slope-limits",
        "The slope of the loss far on the wrong side, and far on the right side",
        tuple(steps),
        result=Eq(Limit(logistic.slope, x, -oo), -1, evaluate=False),
        intro=(
            "The slopes of the last derivation far out: the first seven lines on the wrong "
            "side, $x \\to -\\infty$, the next seven on the right side, $x \\to \\infty$, where "
            "$p \\to 1$ and $p' \\to 0$. SymPy's limit computes each of them; the numeric "
            "check evaluates the slope at $x = \\mp 10^{30}$ with 50 digits. But how steep a "
            "curve is at 0 is a matter of the unit of $x$: $p(\\alpha x)$ is as good a curve "
            "as $p(x)$, and its loss has the slope $\\alpha$ times that of $p$ at $\\alpha x$. "
            "So the next seven lines give each curve's slope $p'(0)$, and the last two compare "
            "the constant slopes with each curve scaled by $\\alpha = 1/(4p'(0))$ to the "
            "sigmoid's slope $1/4$ at 0."
        ),
        reading=(
            "The result is the sigmoid's: however wrong the prediction, the slope stays $-1$. "
            "All seven curves side by side:\n\n"
            + _LIMITS_TABLE
            + "\n\nThree curves keep a constant slope, as the sigmoid does. Its value means "
            "little: tanh's $-2$ is twice the sigmoid's only because $(1 + \\tanh x)/2 = "
            "\\sigma(2x)$ is twice as steep at 0, and scaled to the same slope at 0 it is the "
            "sigmoid itself; the scaled Gudermannian keeps $-\\pi/4$. The last column gives "
            "every curve at the sigmoid's slope at 0: a slope that vanishes like $-c/|x|$ keeps "
            "its $c$, and erf's growth $-2|x|$ becomes $-\\pi|x|/8$. What does not change "
            "under any scaling is the class: constant, vanishing or growing. Three curves lose "
            "the slope, so a badly wrong unit learns ever more slowly. The error function goes "
            "the other way: its slope grows without bound, so one badly wrong example can "
            "swamp all the others. On the "
            "right side every slope vanishes, as it should once the prediction is right. "
            "{fig:squashing-losses} shows the losses and their slopes."
        ),
    )


def squashing_tails() -> Derivation:
    steps = []
    for c in CURVES.values():
        k = c.tail
        if k is None:
            continue
        q, density = c.named("q"), c.named("p'")
        steps.append(define(q, k.q, f"the {c.title} curve at $x = -t$"))
        symmetry = "at $x = t$: $p(t) = 1 - p(-t)$"
        if canonical(c.written(-t)) == canonical(k.q):  # the textbook form keeps its digits
            symmetry = f"at $x = t$: {k.why_q}"
        else:
            steps.append(step(c.written(-t), q, k.why_q, numeric=k.numeric_q))
        steps.append(step(c.written(t), 1 - q, symmetry, numeric=k.numeric_q))
        if k.via is None:
            steps.append(step(-log(q), k.minus_log_q, f"the loss: {k.why_log}"))
        else:
            steps += [
                step(-log(q), k.via[0], f"the loss: {k.via[1]}"),
                then(k.minus_log_q, k.why_log),
            ]
        steps += [
            define(density, Derivative(c.written(t), t), "the density, the same at $-t$"),
            step(density, k.density, "differentiate"),
            step(frac(density, q), k.ratio, f"minus the slope at $x = -t$: {k.why_ratio}"),
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
            "not be taken after it has underflowed to 0. For each curve, with $t > 0$, the "
            "lines give the probability $q = p(-t)$ on the wrong side; $p(t) = 1 - q$ on the "
            "right side; the loss $-\\ln q$; the density $p' = dp/dt$, the same at $t$ and "
            "$-t$; and $p'/q$, minus the slope of the loss at $x = -t$. The logistic and tanh "
            "curves need nothing new: they are $\\sigma(x)$ and $\\sigma(2x)$, whose stable "
            "forms end Section 1. Two functions appear that may be new: the scaled "
            "complementary error function $\\operatorname{erfcx} t = e^{t^2}"
            "\\operatorname{erfc} t$, which falls only like $1/(t\\sqrt{\\pi})$, and "
            "$\\operatorname{sinc} u = \\sin(u)/u$; the Gudermannian's loss uses "
            "$\\theta = \\sin\\theta/\\operatorname{sinc}\\theta$ with "
            "$\\theta = \\arctan e^{-t}$, $\\sin\\theta = e^{-t}/\\sqrt{1 + e^{-2t}}$. The "
            "numeric checks sample $t$ in $(0, 5)$, where 50 digits resolve $1 - p(t)$ for "
            "every curve."
        ),
        reading=(
            "The result is the erf curve's loss, the one that fails first when written as in a "
            "textbook: $1 + \\operatorname{erf} x$ is exactly 0 in floating point already at "
            "$x = -6$, and $-\\ln 0$ is infinite, while $t^2 + \\ln 2 - \\ln "
            "\\operatorname{erfcx} t$ is finite for every $t$ and grows like $t^2$."
        ),
    )


def curve_forms(name: str) -> tuple[Expr, Expr, Expr]:
    """p(x), the loss -ln p(x) and its slope, in the verified forms that NumPy evaluates.

    For the tanh and logistic curves these are the sigmoid's stable forms at x or 2x;
    for the others, the tail forms of ``squashing-tails`` with t = |x|, on the wrong
    side as they are and on the right side through 1 - q.

    >>> p, loss, slope = curve_forms("softsign")
    >>> p
    Piecewise((1/(Abs(x) + 1)/2, x < 0), (1 - 1/(Abs(x) + 1)/2, True))
    """
    from derivations.topics.sigmoid import kernels as sigmoid_kernels

    c = CURVES[name]
    if c.tail is None:
        log_sigmoid = next(k for k in sigmoid_kernels() if k.name == "log_sigmoid")
        (z,) = log_sigmoid.args
        k = {"logistic": 1, "tanh": 2}[name]
        return sigmoid(k * x), -log_sigmoid.stable.subs(z, k * x), -k * sigmoid(-k * x)
    k = c.tail
    q, minus_log_q, density, ratio = (
        k.numpy_form(part).subs(t, _a) for part in ("q", "minus_log_q", "density", "ratio")
    )
    return (
        Piecewise((q, x < 0), (1 - q, True)),
        Piecewise((minus_log_q, x < 0), (-log1p(-q), True)),
        Piecewise((-ratio, x < 0), (-density / (1 - q), True)),
    )


def kernels() -> tuple[KernelSpec, ...]:
    """The NumPy kernels of the seven curves: ``{curve}_p``, ``{curve}_loss``, ``{curve}_slope``.

    Each is assembled from forms that ``squashing-tails`` verifies (for the logistic and
    tanh curves, the sigmoid's stable forms, which ``squashing-functions`` applies):
    the wrong side's form at t = -x and the right side's through 1 - q.
    ``numeric.squashing`` exports them through ``squash``, ``loss`` and ``loss_slope``.

    >>> [k.name for k in kernels()][:3]
    ['logistic_p', 'logistic_loss', 'logistic_slope']
    """
    specs = []
    for name, c in CURVES.items():
        slug = "squashing-functions" if c.tail is None else "squashing-tails"
        textbook = (c.p, -log(c.p), canonical(c.slope))
        parts = zip(("p", "loss", "slope"), textbook, curve_forms(name), strict=True)
        for part, book, form in parts:
            why = f"the {c.title} curve's {part}: the small side computed directly, in t = |x|"
            specs.append(KernelSpec(f"{name}_{part}", (x,), book, form, slug, why, public=False))
    return tuple(specs)


def softmax_two_class() -> Derivation:
    z0, z1 = Symbol("z_0", real=True), Symbol("z_1", real=True)
    c = Symbol("gamma", real=True)  # a shift (c(x) is the common part in Section 7.2)
    s1 = Symbol(r"\operatorname{softmax}(z)_1", positive=True)
    zk = Symbol("z_k", real=True)
    total = Symbol("Z", positive=True)  # the normaliser of any number of scores
    difference = sum_of(z1, -z0)
    return Derivation(
        "softmax-two-class",
        "The softmax of two scores is a sigmoid, and a shift changes nothing",
        (
            define(s1, frac(exp(z1), sum_of(exp(z0), exp(z1))), "class 1 of the two scores"),
            step(s1, frac(1, sum_of(Integer(1), frac(exp(z0), exp(z1)))), "divide by $e^{z_1}$"),
            then(
                frac(1, sum_of(Integer(1), exp(negated(difference)))),
                "$e^{z_0}/e^{z_1} = e^{z_0 - z_1}$",
            ),
            then(sigmoid(difference), "definition of $\\sigma$"),
            step(
                exp(sum_of(zk, c)),
                product_of(exp(c), exp(zk)),
                "add $\\gamma$ to a score; summed over all scores, $Z$ becomes $e^{\\gamma} Z$",
            ),
            step(
                frac(exp(sum_of(zk, c)), product_of(exp(c), total)),
                frac(exp(zk), total),
                "cancel $e^{\\gamma}$",
            ),
        ),
        result=Eq(s1, sigmoid(difference), evaluate=False),
        intro=(
            "The softmax turns scores $z_k$ into probabilities $e^{z_k}/Z$, with the "
            "normaliser $Z = \\sum_j e^{z_j}$. With two classes it is the sigmoid of the "
            "difference of the two scores. The last two lines hold for any number of scores: "
            "the first for each score, so for their sum $Z$, and the second for any $Z > 0$."
        ),
        reading=(
            "Only differences of scores matter: adding the same $\\gamma$ to every score cancels. "
            "Taking $\\gamma = -\\max_j z_j$ makes every exponent at most 0, so $e^{z}$ cannot "
            "overflow, and the largest term is exactly 1."
        ),
    )


def standardized_sigmoid() -> Derivation:
    n = Symbol("n", integer=True, positive=True)
    xi, m = Symbol("x_i", real=True), Symbol("m", real=True)
    q = Symbol("Q", positive=True)  # the sum of squared deviations
    lam = Symbol("lambda", positive=True)  # a change of units
    s_pop = Symbol(r"s_{\mathrm{pop}}", positive=True)
    s_smp = Symbol(r"s_{\mathrm{sample}}", positive=True)
    deviation = sum_of(xi, -m)
    shrink = sqrt(frac(sum_of(n, -1), n))
    rescaled = product_of(lam, deviation)
    s_new = Symbol(r"\tilde{s}_{\mathrm{pop}}", positive=True)
    return Derivation(
        "standardized-sigmoid",
        "The standardized sigmoid: sample or population deviation, and the variance",
        (
            define(s_pop, sqrt(frac(q, n)), "the population standard deviation"),
            define(s_smp, sqrt(frac(q, sum_of(n, -1))), "the sample standard deviation"),
            assume(n, 2, "at least two values", relation=">="),
            step(frac(s_smp, s_pop), sqrt(frac(n, sum_of(n, -1))), "depends on $n$ alone"),
            step(
                frac(deviation, s_smp),
                product_of(shrink, frac(deviation, s_pop)),
                "so one factor for every value",
            ),
            define(s_new, sqrt(frac(product_of(lam**2, q), n)), "the same in new units"),
            step(frac(rescaled, s_new), frac(deviation, s_pop), "the standardized value stays"),
            step(
                frac(rescaled, s_new**2),
                product_of(frac(1, lam), frac(deviation, s_pop**2)),
                "the value over the variance changes",
            ),
        ),
        result=Eq(
            frac(deviation, s_smp), product_of(shrink, frac(deviation, s_pop)), evaluate=False
        ),
        intro=(
            "The sigmoid of a vector acts on each value alone. The softmax divides by a sum "
            "over all of them, so one large value takes all the probability. The standardized "
            "sigmoid $\\sigma((x_i - m)/s)$ first subtracts the mean $m$ of the $n$ values and "
            "divides by their standard deviation $s$, so an outlier moves the others only "
            "through $m$ and $s$. With $Q = \\sum_i (x_i - m)^2$, the standard deviation is "
            "$\\sqrt{Q/n}$ for the values as a whole population, or $\\sqrt{Q/(n - 1)}$ as "
            "an estimate from a sample; NumPy chooses with `ddof` (divide by $n$ minus "
            "`ddof`, so 0 or 1). Changing units, say from metres to millimetres, multiplies "
            "every $x_i$ and $m$ by some $\\lambda > 0$, and $Q$ by $\\lambda^2$; "
            "$\\tilde{s}_{\\mathrm{pop}}$ is the population deviation in the new units."
        ),
        reading=(
            "With $n = 5$ values, the sample deviation shrinks every standardized value by "
            "$\\sqrt{4/5} \\approx 0.894$, which moves every sigmoid toward $1/2$: two "
            "implementations that disagree on the deviation disagree on every output. "
            "Dividing by the variance instead is not a standardization at all: the result "
            "changes with the units, by the factor $1/\\lambda$, and with a spread in the "
            "thousands it squashes everything to $1/2$ ({fig:softmax-outlier})."
        ),
    )


def gradient_descent_quadratic() -> Derivation:
    f = Symbol("f", real=True)
    eta = Symbol("eta", positive=True)
    x0 = Symbol("x_0", real=True)
    n = Symbol("n", integer=True, nonnegative=True)
    xn = Symbol("x_n", real=True)
    xnext = Symbol("x_{n+1}", real=True)
    g = Function("g")
    solved = rsolve(g(n + 1) - (g(n) - eta * (2 * g(n) - 4)), g(n), {g(0): x0})

    def closed(k: Expr) -> Expr:
        return sum_of(Integer(2), product_of((1 - 2 * eta) ** k, x0 - 2))

    if (solved - canonical(closed(n))).expand() != 0:  # pragma: no cover (a SymPy regression)
        raise AssertionError(f"rsolve returned {solved}, expected {closed(n)}")
    example = sum_of(Integer(2), product_of(6, Rational(4, 5) ** n))
    return Derivation(
        "gradient-descent-quadratic",
        "Gradient descent on a parabola: the closed form and the step-size rule",
        (
            define(f, x**2 - 4 * x + 6, "the function to minimise"),
            step(f, sum_of((x - 2) ** 2, 2), "its minimum is 2, at $x = 2$"),
            step(Derivative(x**2 - 4 * x + 6, x), 2 * x - 4, "the gradient $f'(x)$"),
            step(
                Derivative(x**2 - 4 * x + 6, (x, 2)),
                2,
                "the curvature $f''$, the same at every $x$",
            ),
            define(
                xnext, sum_of(xn, -eta * (2 * xn - 4)), "one step from $x_n$, learning rate $\\eta$"
            ),
            step(
                sum_of(xnext, -2),
                product_of(1 - 2 * eta, xn - 2),
                "so each step multiplies the distance to 2 by $1 - \\eta f'' = 1 - 2\\eta$",
            ),
            step(
                sum_of(xn, -product_of(Rational(1, 2), 2 * xn - 4)),
                2,
                "with $\\eta = 1/2 = 1/f''$ one step lands on the minimum, from any $x_n$",
            ),
            step(Subs(closed(n), n, 0), x0, "the closed form for $x_n$ holds at $n = 0$"),
            assume(xn, closed(n), "suppose it holds at $n$"),
            step(xnext, closed(n + 1), "then at $n + 1$: by induction, at every $n$"),
            step(
                sum_of((1 - 2 * eta) ** 2, -1),
                product_of(4, eta, eta - 1),
                "$x_n$ converges iff $\\lvert 1 - 2\\eta\\rvert < 1$, iff this is negative: "
                "iff $0 < \\eta < 1$",
            ),
            assume(x0, 8, "the start of the example"),
            assume(eta, Rational(1, 10), "the learning rate of the example"),
            step(xn, example, "$x_0 - 2 = 6$ and $1 - 2\\eta = 4/5$"),
        ),
        result=Eq(xn, example, evaluate=False),
        intro=(
            "Gradient descent on $f(x) = x^2 - 4x + 6$ moves against the slope $f'(x)$ with "
            "a learning rate $\\eta > 0$: $x_{n+1} = x_n - \\eta f'(x_n)$. The lines derive "
            "the iterates in closed form, $x_n = 2 + (1 - 2\\eta)^n (x_0 - 2)$, by induction "
            "on $n$, and the rule for the learning rate; then they follow the example that "
            "starts at $x_0 = 8$ with $\\eta = 0.1$."
        ),
        reading=(
            "The closed form is the one SymPy's `rsolve` finds for the recurrence (the module "
            "checks that it does). From $x_0 = 8$ it is $x_n = 2 + 6(1 - 2\\eta)^n$, and with "
            "$\\eta = 0.1$ each step multiplies the distance to the minimum by $0.8$: "
            "$x_1 = 6.8$, $x_2 = 5.84$, $x_3 = 5.072$, and after 50 steps the distance is "
            "$6 \\cdot 0.8^{50} \\approx 8.6 \\cdot 10^{-5}$. The iterates converge exactly "
            "when $\\lvert 1 - \\eta f''\\rvert < 1$, that is for $0 < \\eta < 2/f'' = 1$: "
            "$(1 - 2\\eta)^2 - 1 = 4\\eta(\\eta - 1)$ is negative exactly there. At "
            "$\\eta = 1/2 = 1/f''$ the first step lands on the minimum. For $\\eta$ between "
            "$1/2$ and 1 the iterates overshoot and alternate about 2 but still converge; at "
            "$\\eta = 1$ they jump between 8 and $-4$ forever, and beyond 1 they diverge. "
            "The same holds for any parabola, with its own $f''$: near a minimum, where $f$ "
            "is close to a parabola, the rule $\\eta < 2/f''$ still decides."
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
