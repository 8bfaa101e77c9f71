"""An exact disproof: a point where candidate - reference is certifiably nonzero.

Sampling in floating point misses a difference that starts beyond the sampled
magnitudes, a bump narrower than the sample spacing, a step narrower than the
working precision, or a change at a single point. This step evaluates the
difference ``d`` exactly (SymPy, at exact points) and says "not equal" only when
a value is certifiably nonzero: an exact nonzero rational, or a value that
SymPy's ``evalf`` computes to 15 certified digits (``strict=True``) as nonzero.

The points, in a fixed order (deterministic, bounded by counts, never by time):

- small rationals and a ladder of exact magnitudes 10**k, k = -30 ... 30,
  both signs, and, for a bounded interval domain, its ends and points inside;
- breakpoints: the real zeros (found by ``solveset``, arguments of at most
  ``MAX_OPS`` operations) of the arguments of Abs, sign, Heaviside, of the
  differences of Max/Min arguments and of the sides of Piecewise conditions,
  and the zeros and turning points of the arguments of smooth functions (the
  centre of a bump); each breakpoint ``r`` also at ``r +- 10**-k * max(1, |r|)``
  for k up to 30, and at ``r +- 1``, ``2r``, ``10r``.

One symbol varies at a time; the others stay at a base point in their domains.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sympy import (
    Abs,
    Basic,
    FiniteSet,
    ImageSet,
    Integers,
    Interval,
    Max,
    Rational,
    S,
    Set,
    Symbol,
    Union,
    count_ops,
    default_sort_key,
    diff,
    solveset,
)
from sympy.core.evalf import PrecisionExhausted

from derivations.verify.points import branch_arguments, unfolded

__all__ = ["exact_disproof"]

MAX_OPS = 60  # the largest argument (count_ops) handed to solveset
MAX_ROOTS = 64  # breakpoints per symbol
MAX_POINTS = 1500  # exact evaluations per check
_SMALL = (0, 1, -1, Rational(1, 2), -Rational(1, 2), 2, -2, Rational(1, 3), Rational(7, 3), 3, -3)
_EXPONENTS = (1, 2, 3, 6, 9, 12, 15, 20, 30)
_OFFSETS = (1, 3, 6, 9, 12, 13, 15, 20, 30)
_IMAGE_INDICES = (0, 1, -1)


def _magnitudes() -> list[Any]:
    values: list[Any] = [S(v) for v in _SMALL]
    for k in _EXPONENTS:
        for v in (S(10) ** k, S(10) ** -k):
            values += [v, -v]
    return values


def _elements(found: Set) -> list[Any]:
    """A few real elements of a solution set (FiniteSet, ImageSet over the integers, unions)."""
    if isinstance(found, FiniteSet):
        return [e for e in found.args if e.is_real is not False]
    if isinstance(found, Union):
        return [e for part in found.args for e in _elements(part)]
    if isinstance(found, ImageSet) and found.base_sets == (Integers,):
        (n,) = found.lamda.variables
        return [found.lamda.expr.subs(n, k) for k in _IMAGE_INDICES]
    return []


def _zeros(u: Basic, s: Symbol) -> list[Any]:
    if count_ops(u) > MAX_OPS:
        return []
    try:
        return _elements(solveset(u, s, S.Reals))
    except (NotImplementedError, TypeError, ValueError, RecursionError, AttributeError):
        return []


def _breakpoints(expr: Basic, s: Symbol, base: Mapping[Symbol, Any]) -> list[Any]:
    """Zeros of kink arguments, zeros and turning points of smooth ones, in ``s``."""
    kinks, smooth = branch_arguments(expr)
    others = {t: v for t, v in base.items() if t != s}
    found: list[Any] = []
    for arguments, turning in ((kinks, False), (smooth, True)):
        for u in sorted(set(arguments), key=default_sort_key):
            if s not in u.free_symbols:
                continue
            for variant in unfolded(u.subs(others)):
                targets = [variant, diff(variant, s)] if turning else [variant]
                for target in targets:
                    for r in _zeros(target, s):
                        if r.is_number and r not in found:
                            found.append(r)
                if len(found) >= MAX_ROOTS:
                    return found[:MAX_ROOTS]
    return found


def _near(r: Any) -> list[Any]:
    scale = Max(1, Abs(r))
    steps = [scale * S(10) ** -k for k in _OFFSETS]
    return [r, r + 1, r - 1, 2 * r, 10 * r, *(r + h for h in steps), *(r - h for h in steps)]


def _inside(domain: Set | None) -> list[Any]:
    if isinstance(domain, Interval) and domain.start.is_finite and domain.end.is_finite:
        lo, hi = domain.start, domain.end
        return [lo, hi, (lo + hi) / 2, *(lo + (hi - lo) * S(10) ** -k for k in (1, 3, 6, 9))]
    if isinstance(domain, FiniteSet):
        return list(domain.args)
    return []


def _allowed(s: Symbol, domain: Set | None, value: Any) -> bool:
    checks = (
        (s.is_positive, value.is_positive),
        (s.is_nonnegative, value.is_nonnegative),
        (s.is_negative, value.is_negative),
        (s.is_integer, value.is_integer),
        (s.is_real, value.is_real),
    )
    if any(wanted and has is not True for wanted, has in checks):
        return False
    return domain is None or domain.contains(value) is S.true


def _nonzero(value: Any) -> bool:
    """Whether the exact number ``value`` is certifiably real and nonzero."""
    if not getattr(value, "is_number", False) or value.has(S.NaN, S.ComplexInfinity):
        return False
    if value.is_Rational:
        return value != 0
    if value.is_real is not True or value.is_finite is not True:
        return False
    try:
        rough = value.evalf(15, maxn=30)  # cheap: an exact zero stays (about) zero here
        if not rough.is_Float or rough == 0 or rough._prec < 10:
            return False
        approximation = value.evalf(15, strict=True, maxn=400)
    except (PrecisionExhausted, ValueError, TypeError, ZeroDivisionError, OverflowError):
        return False
    return approximation.is_Float and approximation != 0


def exact_disproof(
    d: Any, symbols: Sequence[Symbol], domains: Mapping[Symbol, Set], scale: Any = None
) -> dict[Symbol, Any] | None:
    """An exact point where ``d`` (a SymPy expression) is certifiably nonzero, or None.

    With ``scale`` (an expression, the size of the values compared), a point
    where ``|d| > 1e-30 * |scale|`` is preferred (a difference that shows in
    the digits printed); the first nonzero point is returned if there is none.

    >>> from sympy import Min, Symbol
    >>> z = Symbol("z", real=True)
    >>> exact_disproof(Min(z, 10**6) - z, [z], {})
    {z: 1000000000}
    """
    symbols = sorted(symbols, key=default_sort_key)
    base: dict[Symbol, Any] = {}
    for s in symbols:
        pool = _inside(domains.get(s)) + [S(v) for v in _SMALL[1:]] + [S(0)]
        base[s] = next((v for v in pool if _allowed(s, domains.get(s), v)), S.One)
    if not symbols:
        return {} if _nonzero(_value(d, {})) else None
    evaluated, first = 0, None
    for s in symbols:
        domain = domains.get(s)
        values = _inside(domain) + _magnitudes()
        values += [v for r in _breakpoints(d, s, base) for v in _near(r)]
        for v in values:
            if evaluated >= MAX_POINTS:
                return first
            if not _allowed(s, domain, v):
                continue
            evaluated += 1
            point = {**base, s: v}
            value = _value(d, point)
            if _nonzero(value):
                if scale is None or _visible(value, _value(scale, point)):
                    return point
                first = first or point
    return first


def _visible(value: Any, scale: Any) -> bool:
    try:
        return bool(abs(value.evalf(15)) > abs(scale.evalf(15)) * S(10) ** -30)
    except (TypeError, ValueError):
        return False


def _value(d: Any, point: Mapping[Symbol, Any]) -> Any:
    try:
        return d.xreplace(point).doit()
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, RecursionError):
        return S.NaN
