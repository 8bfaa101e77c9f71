"""Helpers to write a step's expression the way it should be displayed.

SymPy evaluates as it builds (``e**z / e**z`` becomes 1), so an intermediate
form of a derivation must be built unevaluated. ``sympy.evaluate(False)``
covers most cases; :func:`frac` covers a fraction whose numerator and
denominator are themselves fractions. Verification evaluates them (``doit``).
"""

from __future__ import annotations

from sympy import Expr, Mul, Pow, UnevaluatedExpr

__all__ = ["frac"]


def frac(numerator: Expr, denominator: Expr) -> Expr:
    r"""``numerator / denominator``, printed as one fraction of the two, as written.

    >>> from sympy import Symbol
    >>> from derivations.render import latex
    >>> x = Symbol("x")
    >>> latex(frac(1 / x, 2 / x))
    '\\frac{\\frac{1}{x}}{\\frac{2}{x}}'
    >>> frac(1 / x, 2 / x).doit()
    1/2
    """
    return Mul(
        UnevaluatedExpr(numerator),
        Pow(UnevaluatedExpr(denominator), -1, evaluate=False),
        evaluate=False,
    )
