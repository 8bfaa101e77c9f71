"""Where the numeric check looks: random points, a ladder of magnitudes, and breakpoints.

Random points in a symbol's domain see what a formula does in its interior;
they miss a difference that only starts at z = 50, or a bump of width 1e-6.
So every check also uses

- a ladder of magnitudes (0, 1, -1, and +-1e-9, 1e-6, 1e-3, 0.1, 10, 100, 1000),
  all symbols at the same rung, each within its domain (the ends of a bounded
  interval and points just inside them stand in for the ladder there);
- breakpoints: the zeros of the arguments of Abs, sign, Heaviside, of the
  differences of the arguments of Max and Min and of the sides of Piecewise
  conditions, plus the turning points of quadratic arguments of smooth
  functions (the centre of a narrow bump such as exp(-10**12*(z - c)**2)),
  each with points on both sides of it at distances of 1e-1 to 1e-9 of its size.

The roots are found by SymPy deterministically where an argument is of degree
one or two in the symbol (other symbols may appear: the root is then
evaluated at the point's values of them).
"""

from __future__ import annotations

import random
from functools import cache
from typing import Any

import mpmath
from sympy import (
    Abs,
    Basic,
    FiniteSet,
    Function,
    Heaviside,
    Interval,
    Max,
    Min,
    Piecewise,
    Poly,
    PolynomialError,
    Pow,
    Set,
    Symbol,
    default_sort_key,
    sign,
    sqrt,
)
from sympy.core.relational import Relational

__all__ = [
    "LADDER",
    "OFFSETS",
    "allowed",
    "branch_arguments",
    "interior",
    "ladder_values",
    "special_roots",
    "unfolded",
]

LADDER_EXPONENTS = (-9, -6, -3, -1, 1, 2, 3)
LADDER = ("0", "1", "-1", *(f"{s}1e{k}" for k in LADDER_EXPONENTS for s in ("", "-")))
OFFSETS = (1, 3, 6, 9)  # a breakpoint b is also sampled at b +- 10**-k * max(1, |b|)
MAX_ROOTS = 8  # breakpoints per claim, so that a long formula stays quick to check
_KINKS = (Abs, sign, Heaviside)


def allowed(s: Symbol, domain: Set | None, value: Any) -> bool:
    """Whether ``value`` (an mpf) is a value ``s`` may take: its assumptions and domain."""
    if not mpmath.isfinite(value):
        return False
    if (s.is_positive and value <= 0) or (s.is_nonnegative and value < 0):
        return False
    if (s.is_negative and value >= 0) or (s.is_nonpositive and value > 0):
        return False
    if s.is_integer and value != mpmath.floor(value):
        return False
    if isinstance(domain, FiniteSet):
        return any(mpmath.almosteq(value, mpmath.mpf(v), 0, 0) for v in domain)
    if isinstance(domain, Interval):
        lo, hi = _end(domain.start), _end(domain.end)
        if value < lo or value > hi:
            return False
        return not ((domain.left_open and value == lo) or (domain.right_open and value == hi))
    return True


@cache
def _end(value: Basic) -> Any:
    if value.is_finite:
        return mpmath.mpf(str(value.evalf(60)))
    return mpmath.inf if value.is_extended_positive else -mpmath.inf


def interior(s: Symbol, domain: Set | None, rng: random.Random) -> Any:
    """A seeded random value of ``s`` inside its domain (a moderate one where it is unbounded)."""
    if isinstance(domain, FiniteSet):
        return mpmath.mpf(str(rng.choice(sorted(domain, key=default_sort_key)).evalf(60)))
    if isinstance(domain, Interval):
        lo, hi = _end(domain.start), _end(domain.end)
        if mpmath.isinf(lo) and mpmath.isinf(hi):
            lo, hi = mpmath.mpf(-4), mpmath.mpf(4)
        elif mpmath.isinf(lo):
            lo = min(mpmath.mpf(-4), hi - 8)
        elif mpmath.isinf(hi):
            hi = max(mpmath.mpf(4), lo + 8)
        if hi - lo > 10**6 and lo < 0 < hi:  # a huge interval: any magnitude, either sign
            side = hi if rng.random() < 0.5 else lo
            return side * mpmath.mpf(10) ** (-rng.uniform(0, float(mpmath.log10(abs(side))) + 3))
        return lo + (hi - lo) * (mpmath.mpf("0.02") + mpmath.mpf("0.96") * rng.random())
    if s.is_integer:
        low = 1 if s.is_positive else 0 if s.is_nonnegative else -6
        return mpmath.mpf(rng.randint(low, 6))
    if s.is_positive or s.is_nonnegative:
        return mpmath.mpf(10) ** rng.uniform(-1.0, 1.0)
    if s.is_negative or s.is_nonpositive:
        return -(mpmath.mpf(10) ** rng.uniform(-1.0, 1.0))
    return mpmath.mpf(rng.uniform(-4.0, 4.0) if rng.random() < 0.8 else rng.uniform(-12.0, 12.0))


def ladder_values(s: Symbol, domain: Set | None) -> list[Any]:
    """The values of ``s`` on the ladder of magnitudes that its domain allows.

    For a bounded interval: its ends (where closed) and points just inside them.
    """
    if isinstance(domain, FiniteSet):
        return [mpmath.mpf(str(v.evalf(60))) for v in sorted(domain, key=default_sort_key)]
    values = [mpmath.mpf(v) for v in LADDER]
    if isinstance(domain, Interval):
        lo, hi = _end(domain.start), _end(domain.end)
        for end, inward in ((lo, 1), (hi, -1)):
            if mpmath.isinf(end):
                continue
            width = hi - lo if mpmath.isfinite(hi - lo) else max(1, abs(end))
            values += [end] + [end + inward * width * mpmath.mpf(10) ** -k for k in OFFSETS]
    return [v for v in values if allowed(s, domain, v)]


def branch_arguments(expr: Basic) -> tuple[list[Basic], list[Basic]]:
    """Expressions whose zeros are breakpoints; smooth arguments whose turning points matter."""
    kinks: list[Basic] = []
    smooth: list[Basic] = []
    for node in _nodes(expr):
        if isinstance(node, (Max, Min)):
            kinks += [a - b for i, a in enumerate(node.args) for b in node.args[i + 1 :]]
        elif isinstance(node, Piecewise):
            for _, condition in node.args:
                kinks += [r.lhs - r.rhs for r in condition.atoms(Relational)]
        elif isinstance(node, _KINKS):
            kinks.append(node.args[0])
        elif isinstance(node, (Function, Pow)):
            smooth += [a for a in node.args if not a.is_number]
    return kinks, smooth


def _nodes(expr: Basic) -> list[Basic]:
    found, stack = [], [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, Basic):
            found.append(e)
            stack.extend(e.args)
    return found


def unfolded(u: Basic) -> list[Basic]:
    """``u`` with each Abs taken as + and as - its argument: where |x| - c is zero, x is +-c."""
    if not u.has(Abs):
        return [u]
    return [u.replace(Abs, lambda w: w), u.replace(Abs, lambda w: -w)]


def _roots(u: Basic, s: Symbol, turning: bool) -> list[Basic]:
    """Roots in ``s`` of ``u`` (or of its derivative) where u is of degree 1 or 2 in s."""
    if turning and not any(p.exp == 2 and p.base.has(s) for p in u.atoms(Pow)):
        return []  # no square of s: no turning point (and no costly Poly)
    if u.atoms(Function):
        return []
    try:
        p = Poly(u, s)
    except PolynomialError:
        return []
    if p.degree() not in (1, 2):
        return []
    coefficients = p.all_coeffs()
    if len(coefficients) == 2:
        return [] if turning else [-coefficients[1] / coefficients[0]]
    a, b, c = coefficients
    if turning:
        return [-b / (2 * a)]
    d = sqrt(b**2 - 4 * a * c)
    return [(-b + d) / (2 * a), (-b - d) / (2 * a)]


def special_roots(exprs: list[Any], symbols: list[Symbol]) -> list[tuple[Symbol, Basic]]:
    """(symbol, root) pairs: breakpoints and turning points of ``exprs`` (see the module)."""
    found: list[tuple[Symbol, Basic]] = []
    allowed_symbols = set(symbols)
    for expr in exprs:
        entries = list(expr) if hasattr(expr, "shape") else [expr]
        for entry in entries:
            if not isinstance(entry, Basic):
                continue
            kinks, smooth = branch_arguments(entry)
            for arguments, turning in ((kinks, False), (smooth, True)):
                for u in sorted(set(arguments), key=default_sort_key):
                    for s in sorted(u.free_symbols & allowed_symbols, key=default_sort_key):
                        for variant in unfolded(u):
                            for r in _roots(variant, s, turning):
                                if r.free_symbols <= allowed_symbols - {s} and (s, r) not in found:
                                    found.append((s, r))
                            if len(found) >= MAX_ROOTS:
                                return found
    return found
