"""What the expressions of a derivation mean, once its definitions are in force.

A defined symbol (``z := w*x + b``) stands for its definition. A derivative of
a defined symbol with respect to another one, ``Derivative(C, a)``, is the
partial derivative of C's definition with ``a`` held as an independent
variable; with respect to a base symbol it is the total derivative. This is
the reading of the chain rule that textbooks use, made precise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sympy import Basic, Derivative, MatrixBase, Symbol, diff

__all__ = ["expand_definitions", "symbolic_meaning"]

Substitutions = Mapping[Symbol, Any]


def expand_definitions(expr: Any, definitions: Substitutions, keep: frozenset = frozenset()) -> Any:
    """Replace defined symbols by their definitions until none is left.

    Symbols in ``keep`` are left alone. Derivatives are not evaluated.

    >>> from sympy import symbols
    >>> a, z, w, x, b = symbols("a z w x b")
    >>> expand_definitions(a**2, {a: 2*z, z: w*x + b})
    4*(b + w*x)**2
    """
    mapping = {k: v for k, v in definitions.items() if k not in keep}
    for _ in range(len(mapping) + 1):
        if not mapping or not _has_any(expr, mapping):
            return expr
        expr = expr.xreplace(mapping)
    raise ValueError("the definitions are circular: " + ", ".join(map(str, mapping)))


def _has_any(expr: Any, symbols: Mapping) -> bool:
    if isinstance(expr, MatrixBase):
        return any(_has_any(e, symbols) for e in expr)
    return isinstance(expr, Basic) and bool(expr.free_symbols & set(symbols))


def symbolic_meaning(expr: Any, definitions: Substitutions, substitutions: Substitutions) -> Any:
    """The expression in base symbols: derivatives evaluated, definitions and substitutions applied.

    >>> from sympy import symbols, Derivative
    >>> C, a, y = symbols("C a y")
    >>> symbolic_meaning(Derivative(C, a), {C: (a - y)**2 / 2, a: 3*y}, {})
    2*y
    """
    if isinstance(expr, MatrixBase):
        return expr.applyfunc(lambda e: symbolic_meaning(e, definitions, substitutions))
    if not isinstance(expr, Basic):
        return expr

    def evaluate(d: Derivative) -> Any:
        variables = frozenset(v for v, _ in d.variable_count)
        inner = expand_definitions(d.expr, definitions, keep=variables)
        return diff(inner, *d.variable_count)

    # Innermost derivatives first, so that nested ones see evaluated arguments.
    expr = expr.replace(lambda e: isinstance(e, Derivative), evaluate)
    expr = expand_definitions(expr, definitions)
    if substitutions:
        expr = expand_definitions(expr, substitutions)
    return expr.doit() if isinstance(expr, Basic) else expr
