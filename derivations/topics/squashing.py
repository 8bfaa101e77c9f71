r"""Why the sigmoid: the derivations about seven S-curves, their losses and slopes.

The curves themselves (``derivations.topics.curves.CURVES``: textbook forms, slopes,
limits and the tail forms the NumPy functions evaluate) are verified here: their
definitions, the limits of the loss slopes far on the wrong side, and the stable tails.
"""

from __future__ import annotations

from sympy import (
    Derivative,
    Eq,
    Integer,
    Interval,
    Limit,
    Rational,
    Subs,
    Symbol,
    atan,
    erf,
    erfc,
    exp,
    log,
    oo,
    pi,
    sinh,
    sqrt,
)

from derivations.engine import Derivation, canonical, define, step, then
from derivations.functions import sigmoid
from derivations.kernels import KernelSpec
from derivations.notation import applied, frac, product_of, sum_of
from derivations.topics.curves import (
    CURVES,
    HALF,
    curve_forms,
    t,
    z,
)

__all__ = ["SLOPE_AT_0", "derivations", "kernels"]

# --------------------------------------------------------------------------- derivations


def squashing_functions() -> Derivation:
    gd = Symbol(r"\operatorname{gd}", real=True)
    steps = []
    for c in CURVES.values():
        p = c.symbol
        if c.name == "gudermannian":
            difference = sum_of(atan(sinh(z)), -gd)
            steps += [
                define(gd, sum_of(2 * atan(exp(z)), -pi / 2), "the Gudermannian function"),
                step(Derivative(difference, z), 0, "the two differ by a constant"),
                step(Subs(difference, z, 0), 0, "which is 0"),
                define(p, sum_of(HALF, frac(gd, pi)), "the Gudermannian curve in $(0, 1)$"),
            ]
        else:
            steps.append(define(p, c.written(z), f"the {c.title} curve in $(0, 1)$"))
        if c.name == "tanh":
            steps.append(step(p, sigmoid(2 * z), "$\\tanh$ is a rescaled sigmoid"))
        steps.append(step(Derivative(-log(p), z), c.slope, c.why_slope))
        if c.name == "erf":
            steps.append(
                step(
                    sum_of(Integer(1), applied(erf, -t)),
                    erfc(t),
                    "at $z = -t < 0$: erf is odd",
                )
            )
    logistic = CURVES["logistic"]
    return Derivation(
        "squashing-functions",
        "Seven S-curves and the slopes of their losses",
        tuple(steps),
        result=Eq(Derivative(-log(sigmoid(z)), z), logistic.slope, evaluate=False),
        domains={z: Interval(-4, 4)},
        intro=(
            "Each S-curve below is shifted and scaled into $(0, 1)$, so that $p(z)$, at a unit's "
            "weighted input $z$, can be read as the predicted probability of class 1. For a "
            "target of 1 the loss is $\\ell = -\\ln p(z)$, and its slope "
            "$d\\ell/dz = -p'(z)/p(z)$ is "
            "what gradient descent follows. SymPy has no Gudermannian function; it is defined "
            "here as $\\operatorname{gd} z = 2\\arctan(e^{z}) - \\pi/2$, and two steps check "
            "that this is $\\arctan(\\sinh z)$. The numeric checks sample $z$ in $[-4, 4]$, "
            "where 50 digits resolve $1 + \\operatorname{erf} z$; SymPy's proofs hold for every "
            "$z$."
        ),
        reading=(
            "The result is the sigmoid's line: its loss is $\\ln(1 + e^{-z})$, and its slope "
            "is $-\\sigma(-z)$, the sigmoid once more. Every slope is negative: "
            "raising $z$ always lowers the loss. In the middle the seven curves look alike "
            "({fig:squashing-curves}); they differ in how fast they approach 0 and 1, and so "
            "in how large the slope stays far on the wrong side, where $z \\to -\\infty$. "
            "That is the next derivation."
        ),
    )


_ABS = "\\lvert z\\rvert"  # |z| would end a cell of the Markdown table
_LIMITS_TABLE = "\n".join(
    [
        "| curve | $p(z)$ | $d\\ell/dz$ as $z \\to -\\infty$ | behaviour "
        "| at $\\sigma$'s slope at 0 |",
        "|---|---|---|---|---|",
        "| logistic | $\\sigma(z)$ | $-1$ | constant | $-1$ |",
        "| tanh | $(1 + \\tanh z)/2$ | $-2$ | constant | $-1$ |",
        f"| arctan | $1/2 + \\arctan(z)/\\pi$ | $0$ | like $-1/{_ABS}$ | like $-1/{_ABS}$ |",
        f"| algebraic | $(1 + z/\\sqrt{{1 + z^2}})/2$ | $0$ | like $-2/{_ABS}$ "
        f"| like $-2/{_ABS}$ |",
        f"| erf | $(1 + \\operatorname{{erf}} z)/2$ | $-\\infty$ | like $-2{_ABS}$ "
        f"| like $-\\pi{_ABS}/8$ |",
        f"| softsign | $(1 + z/(1 + {_ABS}))/2$ | $0$ | like $-1/{_ABS}$ | like $-1/{_ABS}$ |",
        "| Gudermannian | $1/2 + \\operatorname{gd}(z)/\\pi$ | $-1$ | constant | $-\\pi/4$ |",
    ]
)


# Each curve's slope p'(0), written out from the textbook derivatives (sech^2/2, 1/(pi(1 + z^2)),
# (1 + z^2)^(-3/2)/2, e^(-z^2)/sqrt(pi), 1/(2(1 + |z|)^2), sech(z)/pi at z = 0); the
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
        steps.append(step(Limit(c.tail_slope, z, -oo), c.limit, f"{c.title}: {c.why_limit}"))
    for k, c in enumerate(CURVES.values()):
        why = f"{c.title}: $p \\to 1$, $p' \\to 0$" if k == 0 else c.title
        steps.append(step(Limit(c.slope, z, oo), 0, why))
    for k, c in enumerate(CURVES.values()):
        why = f"{c.title}: the slope of $p$ at 0" if k == 0 else c.title
        steps.append(step(Subs(Derivative(c.written(z), z), z, 0), SLOPE_AT_0[c.name], why))
    # The two constant slopes other than the sigmoid's, each curve scaled to the sigmoid's
    # slope 1/4 at 0: p(alpha z) with alpha = 1/(4 p'(0)), whose loss slope is alpha times
    # p's at alpha z (the tail forms, which 50 digits evaluate far out).
    for name, shown_scale in (("tanh", "z/2"), ("gudermannian", "\\pi z/4")):
        c = CURVES[name]
        alpha = 1 / (4 * SLOPE_AT_0[name])
        steps.append(
            step(
                Limit(product_of(alpha, c.tail_slope.subs(z, alpha * z)), z, -oo),
                alpha * c.limit,
                f"{c.title} at ${shown_scale}$, whose slope at 0 is $1/4$: $\\alpha$ times the "
                "slope at $\\alpha z$",
            )
        )
    logistic = CURVES["logistic"]
    return Derivation(
        "squashing-slope-limits",
        "The slope of the loss far on the wrong side, and far on the right side",
        tuple(steps),
        result=Eq(Limit(logistic.slope, z, -oo), -1, evaluate=False),
        intro=(
            "The slopes of the last derivation far out: the first seven lines on the wrong "
            "side, $z \\to -\\infty$, the next seven on the right side, $z \\to \\infty$, where "
            "$p \\to 1$ and $p' \\to 0$. SymPy's limit computes each of them; the numeric "
            "check evaluates the slope at $z = \\mp 10^{30}$ with 50 digits. But how steep a "
            "curve is at 0 is a matter of the unit of $z$: $p(\\alpha z)$ is as good a curve "
            "as $p(z)$, and its loss has the slope $\\alpha$ times that of $p$ at $\\alpha z$. "
            "So the next seven lines give each curve's slope $p'(0)$, and the last two compare "
            "the constant slopes with each curve scaled by $\\alpha = 1/(4p'(0))$ to the "
            "sigmoid's slope $1/4$ at 0."
        ),
        reading=(
            "The result is the sigmoid's: however wrong the prediction, the slope stays $-1$. "
            "All seven curves side by side:\n\n"
            + _LIMITS_TABLE
            + "\n\nTwo curves besides the sigmoid keep a constant slope. Its value means "
            "little: tanh's $-2$ is twice the sigmoid's only because $(1 + \\tanh z)/2 = "
            "\\sigma(2z)$ is twice as steep at 0, and scaled to the same slope at 0 it is the "
            "sigmoid itself; the scaled Gudermannian keeps $-\\pi/4$. The last column gives "
            "every curve at the sigmoid's slope at 0: a slope that vanishes like $-c/|z|$ keeps "
            "its $c$, and erf's growth $-2|z|$ becomes $-\\pi|z|/8$. What does not change "
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
        steps.append(define(q, k.q, f"the {c.title} curve at $z = -t$"))
        symmetry = "at $z = t$: $p(t) = 1 - p(-t)$"
        if canonical(c.written(-t)) == canonical(k.q):  # the textbook form keeps its digits
            symmetry = f"at $z = t$: {k.why_q}"
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
            step(frac(density, q), k.ratio, f"minus the slope at $z = -t$: {k.why_ratio}"),
        ]
    erf_tail = CURVES["erf"].tail
    return Derivation(
        "squashing-tails",
        "The curves away from the middle, in forms that keep every digit",
        tuple(steps),
        result=Eq(-log(erf_tail.q), erf_tail.minus_log_q, evaluate=False),
        domains={t: Interval.open(0, 5)},
        intro=(
            "Far on the wrong side, at $z = -t$ with $t$ large, $p$ is tiny. It must be "
            "computed as it is, never as 1 minus a number close to 1, and its logarithm must "
            "not be taken after it has underflowed to 0. For each curve, with $t > 0$, the "
            "lines give the probability $q = p(-t)$ on the wrong side; $p(t) = 1 - q$ on the "
            "right side; the loss $-\\ln q$; the density $p' = dp/dt$, the same at $t$ and "
            "$-t$; and $p'/q$, minus the slope of the loss at $z = -t$. The logistic and tanh "
            "curves need nothing new: they are $\\sigma(z)$ and $\\sigma(2z)$, whose stable "
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
            "The result is the erf curve's loss, the one that fails first when written as "
            "defined in Section 6.1: $1 + \\operatorname{erf} z$ is exactly 0 in floating point "
            "already at "
            "$z = -6$, and $-\\ln 0$ is infinite, while $t^2 + \\ln 2 - \\ln "
            "\\operatorname{erfcx} t$ is finite for every $t$ and grows like $t^2$."
        ),
    )


def kernels() -> tuple[KernelSpec, ...]:
    """The NumPy kernels of the seven curves: ``{curve}_p``, ``{curve}_loss``, ``{curve}_slope``.

    Each is assembled from forms that ``squashing-tails`` verifies (for the logistic and
    tanh curves, the sigmoid's stable forms, which ``squashing-functions`` applies):
    the wrong side's form at t = -z and the right side's through 1 - q.
    ``numeric.squashing`` exports them through ``squash``, ``loss`` and ``loss_slope``,
    whose argument is named ``x``, as NumPy names a function's input: the kernels take the
    weighted input z under that name.

    >>> [k.name for k in kernels()][:3]
    ['logistic_p', 'logistic_loss', 'logistic_slope']
    >>> kernels()[0].args
    (x,)
    """
    x = Symbol("x", real=True)
    specs = []
    for name, c in CURVES.items():
        slug = "squashing-functions" if c.tail is None else "squashing-tails"
        textbook = (c.p, -log(c.p), canonical(c.slope))
        parts = zip(("p", "loss", "slope"), textbook, curve_forms(name), strict=True)
        for part, book, form in parts:
            book, form = book.subs(z, x), form.subs(z, x)
            why = f"the {c.title} curve's {part}: the small side computed directly, in t = |x|"
            specs.append(KernelSpec(f"{name}_{part}", (x,), book, form, slug, why, public=False))
    return tuple(specs)


def derivations() -> list[Derivation]:
    """The derivations of this topic, in reading order."""
    return [squashing_functions(), squashing_slope_limits(), squashing_tails()]
