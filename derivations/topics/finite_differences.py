r"""Finite differences: the error model, the best steps, and a step of $10^{-13}$ against them.

A difference quotient errs in two ways: truncation (the quotient is not the derivative, by
Taylor's theorem) and rounding (the two values of f are rounded, and their difference is
divided by the small step). The first grows with h and the second shrinks with it; the
best step balances them.
"""

from __future__ import annotations

from sympy import (
    Derivative,
    Eq,
    Pow,
    Rational,
    Subs,
    Symbol,
    cbrt,
    sqrt,
)
from sympy.core.parameters import evaluate

from derivations.engine import Derivation, define, step, substitute, then
from derivations.functions import sigmoid
from derivations.notation import Named, frac, shown

__all__ = ["EPSILON", "derivations"]

EPSILON = Rational(1, 2**52)  # float64's machine epsilon: the spacing of the floats at 1


def finite_difference_error() -> Derivation:
    """The finite-difference-error derivation: truncation against rounding, the best steps.

    Long because it lists the derivation's steps in reading order, one claim per line; splitting
    it would scatter one argument.
    """
    h = Symbol("h", positive=True)
    m = Symbol("M_2", positive=True)
    n = Symbol("M_3", positive=True)
    r = Symbol("R", positive=True)
    h_f, h_c = Named("h_fw", r"h_{\mathrm{fw}}", positive=True), Symbol("h_c", positive=True)
    e_fwd, e_cen = Named("E_fw", r"E_{\mathrm{fw}}", positive=True), Symbol("E_c", positive=True)
    one = sigmoid(1)
    prime = one * (1 - one)  # sigma'(1)
    tex_one = r"\sigma(1)"
    tiny = shown(Pow(10, -13), "10^{-13}")
    # |sigma''(1)| = sigma'(1) (2 sigma(1) - 1); R = eps (sigma(1) + sigma'(1)/2)
    curvature = shown(prime * (2 * one - 1), rf"{tex_one}(1 - {tex_one})(2{tex_one} - 1)")
    rounding = shown(
        EPSILON * (one + prime / 2),
        rf"2^{{-52}}\left({tex_one} + {tex_one}(1 - {tex_one})/2\right)",
    )
    with evaluate(False):
        forward = h * m / 2 + r / h
        central = h**2 * n / 6 + r / (2 * h)
        least_fwd = sqrt(2 * r * m)
        squared = least_fwd + (sqrt(h * m / 2) - sqrt(r / h)) ** 2
        slope_fwd = m / 2 - r / h**2
        slope_cen = frac(n, 3 * h**2) * (h**3 - h_c**3)
        relative = frac(e_fwd, shown(prime, r"\sigma'(1)"))
    return Derivation(
        "finite-difference-error",
        "The error of a finite difference, and the best step",
        (
            define(e_fwd, forward, "forward difference: truncation plus rounding"),
            step(Derivative(e_fwd, h), slope_fwd, "differentiate"),
            define(h_f, shown(sqrt(2 * r / m), r"\sqrt{2R/M_2}"), "the root of $M_2/2 = R/h^2$"),
            step(Subs(Derivative(e_fwd, h), h, h_f), 0, "so the slope is 0 at $h_{\\mathrm{fw}}$"),
            step(e_fwd, squared, "complete the square"),
            then(least_fwd, "a square is never negative; it is 0 at $h_{\\mathrm{fw}}$", ">="),
            define(e_cen, central, "central difference: truncation plus rounding"),
            define(
                h_c,
                shown(cbrt(3 * r / (2 * n)), r"\left(\frac{3R}{2M_3}\right)^{1/3}"),
                "the root of $h M_3/3 = R/(2h^2)$",
            ),
            step(
                Derivative(e_cen, h),
                slope_cen,
                "differentiate: negative below $h_c$, positive above it",
            ),
            step(Subs(e_cen, h, h_c), n * h_c**2 / 2, "the least value"),
            substitute(h, tiny, "the step of the figure"),
            substitute(m, curvature, "$\\lvert \\sigma''(1) \\rvert$, the sigmoid at $x = 1$"),
            substitute(r, rounding, "$\\epsilon(\\sigma(1) + \\sigma'(1)/2)$, see below"),
            step(e_fwd, Rational(2, 10**3), "$4.5 \\cdot 10^{-15} + 1.84 \\cdot 10^{-3}$", "<"),
            step(relative, Rational(1, 100), "relative to $\\sigma'(1) \\approx 0.197$", "<"),
            step(relative, Rational(1, 200), "and not much smaller", ">"),
        ),
        result=Eq(e_fwd, squared, evaluate=False),
        intro=(
            "Motivation: checking a derivative by finite differences needs a step $h$, and "
            "neither a large nor a tiny one works. For a "
            "function $f$, Taylor's theorem gives $f(x + h) = f(x) + h f'(x) + "
            "\\tfrac{1}{2}h^2 f''(\\xi)$ for some $\\xi$ between $x$ and $x + h$, so the "
            "forward difference $(f(x + h) - f(x))/h$ differs from $f'(x)$ by at most "
            "$hM_2/2$, where $M_2$ bounds $\\lvert f'' \\rvert$ there: the truncation error. "
            "The computed values of $f$ are rounded, so the numerator is off by some $R$, and "
            "the quotient by $R/h$: the rounding error. The central difference "
            "$(f(x + h) - f(x - h))/(2h)$ truncates only $h^2 M_3/6$, where $M_3$ bounds "
            "$\\lvert f''' \\rvert$, and its rounding error is $R/(2h)$. The sum of the two "
            "parts is the error bound $E_{\\mathrm{fw}}$ (forward) or $E_c$ (central) as a "
            "function of $h$. Here $x$ is the variable of $f$, and for $f = \\sigma$ it is the "
            "sigmoid's argument."
        ),
        reading=(
            "The forward bound is least at $h_{\\mathrm{fw}} = \\sqrt{2R/M_2}$, where it is "
            "$\\sqrt{2RM_2}$; "
            "the central bound is least at $h_c = (3R/(2M_3))^{1/3}$, where it is "
            "$\\tfrac{1}{2}M_3 h_c^2$. How large is $R$? The floats near a value $f$ are spaced "
            "about $\\epsilon\\lvert f \\rvert$ apart, with the machine epsilon "
            "$\\epsilon = 2^{-52} \\approx 2.2 \\cdot 10^{-16}$ of double precision; a "
            "correctly rounded value is within half a spacing of the truth, so the two values "
            "of $f$ contribute up to $\\epsilon\\lvert f \\rvert$, and rounding $x + h$ moves "
            "the argument by up to $\\epsilon\\lvert x \\rvert/2$, which adds "
            "$\\epsilon\\lvert x f' \\rvert/2$. With $R$ a small multiple of "
            "$\\epsilon\\lvert f \\rvert$ and $M_2$, $M_3$ of the size of $f$, the best forward "
            "step "
            "is of the order of $\\sqrt{\\epsilon} \\approx 1.5 \\cdot 10^{-8}$ with an error "
            "of the same order (about half of the sixteen digits), and the best central step "
            "of the order of $\\epsilon^{1/3} \\approx 6 \\cdot 10^{-6}$ with an error of the "
            "order of $\\epsilon^{2/3} \\approx 4 \\cdot 10^{-11}$ (about ten digits).\n\n"
            "The last lines take the step $h = 10^{-13}$ of {fig:sigmoid-forward-difference} "
            "for the sigmoid at $x = 1$. Truncation is negligible there, "
            "$h\\lvert\\sigma''(1)\\rvert/2 \\approx 5 \\cdot 10^{-15}$; rounding is "
            "everything: $R/h \\approx 1.8 \\cdot 10^{-3}$, about $10^{-2}$ of "
            "$\\sigma'(1) \\approx 0.197$: the model allows a relative error of up to "
            "$10^{-2}$ there, so such a step keeps two or three of the sixteen digits, and "
            "fewer where $\\sigma'$ is small against $\\sigma$. The model's best forward step "
            "at $x = 1$ is $h_{\\mathrm{fw}} \\approx 6.4 \\cdot 10^{-8}$, with the bound "
            "$\\sqrt{2RM_2} \\approx 5.8 \\cdot 10^{-9}$, about eight correct digits. The "
            "best central step, whose $R$ counts the rounding of both $x + h$ and $x - h$, is "
            "$h_c \\approx 2.1 \\cdot 10^{-5}$, with the bound $7.5 \\cdot 10^{-12}$, about "
            "eleven digits. These are bounds; the errors measured at these steps lie below "
            "them (Appendix)."
        ),
    )


def derivations() -> list[Derivation]:
    """The derivations of this topic, in reading order."""
    return [finite_difference_error()]
