"""Comparing two values the way verification does: a tight tolerance, exact infinities,
and limits judged by the trend of a sequence of values going out.

>>> import mpmath
>>> relation_holds("<=", mpmath.inf, mpmath.mpf(5))  # no tolerance is infinite
False
"""

from __future__ import annotations

import itertools
from typing import Any

import mpmath
from sympy import Basic, S

__all__ = [
    "ABSOLUTE_TOLERANCE",
    "RELATIVE_TOLERANCE",
    "limit_contradicts",
    "limit_holds",
    "real",
    "relation_holds",
]

RELATIVE_TOLERANCE = mpmath.mpf(10) ** -30
ABSOLUTE_TOLERANCE = mpmath.mpf(10) ** -40
LIMIT_RATIO = mpmath.mpf("0.75")  # geometric convergence: successive changes shrink this fast
STALLED = mpmath.mpf("0.99")  # a distance to a proven limit that shrinks slower has settled


def real(value: Any) -> Any:
    """The value as a real mpf (infinities included), or None when it is not a real number."""
    if hasattr(value, "_mpf_") and not isinstance(value, mpmath.mpf):
        value = mpmath.mpf(value)  # mpmath's constants e and pi: a side that is exactly one
    if isinstance(value, mpmath.mpc):
        if abs(value.imag) <= ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * abs(value.real):
            return real(value.real)
        return None
    if isinstance(value, (int, float, mpmath.mpf)):
        value = mpmath.mpf(value)
        return None if mpmath.isnan(value) else value
    if isinstance(value, Basic):
        if value.has(S.ComplexInfinity, S.NaN) or not value.is_number:
            return None
        try:
            number = mpmath.mpf(value) if value.is_real else mpmath.mpmathify(complex(value))
            return real(number)
        except (TypeError, ValueError):
            return None
    return None


def _close(a: Any, b: Any) -> bool:
    if mpmath.isinf(a) or mpmath.isinf(b):
        return a == b  # an infinity equals only itself: no huge number is infinite
    return abs(a - b) <= max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE * max(abs(a), abs(b)))


def relation_holds(relation: str, a: Any, b: Any) -> bool:
    if relation == "=":
        return _close(a, b)
    if relation == "!=":
        return not _close(a, b)
    if mpmath.isinf(a) or mpmath.isinf(b):
        tolerance = 0  # no tolerance is infinite: oo <= 5 is false
    else:
        tolerance = RELATIVE_TOLERANCE * max(1, abs(a), abs(b))
    # A strict relation gets no tolerance: sides equal at the working precision (z**2 > 0 at
    # z = 0) do not satisfy it; a non-strict one allows the rounding of the evaluation.
    if relation == "<":
        return a < b
    if relation == ">":
        return a > b
    if relation == "<=":
        return a <= b + tolerance
    return a + tolerance >= b


def _converges(errors: list[Any]) -> bool:
    """Whether nonnegative ``errors`` (at limit steps 1, 2, ...) go to zero.

    Either they reach the tolerance at the last two steps, or they shrink
    geometrically at the last three (each at most LIMIT_RATIO of the one
    before: 1/log(x) at x = 10**(2**j) halves at each step) and the geometric
    tail that remains is far smaller than the error itself would allow.
    """
    small = RELATIVE_TOLERANCE
    if errors[-1] <= small and errors[-2] <= small:
        return True
    last = errors[-4:]
    if any(e == 0 for e in last[:-1]):
        return False
    ratios = [b / a for a, b in itertools.pairwise(last)]
    if not all(r <= LIMIT_RATIO for r in ratios):
        return False
    tail = last[-1] * ratios[-1] / (1 - ratios[-1])  # the sum of the remaining decrease
    return abs(last[-1] - tail) <= mpmath.mpf("0.01") * last[-1] or last[-1] <= small


def limit_holds(relation: str, a: list[Any], b: list[Any]) -> bool:
    """The relation between two sequences of values at growing limit steps."""
    if relation == "!=":
        return not limit_holds("=", a, b)
    if relation != "=":
        return relation_holds(relation, a[-1], b[-1])
    if mpmath.isinf(a[-1]) and mpmath.isinf(b[-1]):
        return a[-1] == b[-1] and all(x == a[-1] for x in a + b)
    if mpmath.isinf(a[-1]) or mpmath.isinf(b[-1]):
        infinite, finite = (a, b) if mpmath.isinf(a[-1]) else (b, a)
        if any(mpmath.sign(v) != mpmath.sign(infinite[-1]) for v in finite[-3:]):
            return False
        return _converges([abs(1 / v) for v in finite])  # 1/v goes to 0: v grows without bound
    errors = [abs(x - y) / max(1, abs(x), abs(y)) for x, y in zip(a, b, strict=True)]
    return _converges(errors)


def limit_contradicts(relation: str, a: list[Any], b: list[Any]) -> bool:
    """Whether the values clearly contradict a limit that SymPy proved.

    A slow convergence (1/log(log(x)) to 0) cannot be confirmed by a few steps
    going out, but it does not contradict the proof: the values must move away
    from the claimed value, or settle elsewhere (the distance stops shrinking),
    to contradict it.
    """
    if relation != "=" or (mpmath.isinf(a[-1]) and mpmath.isinf(b[-1])):
        return not limit_holds(relation, a, b)
    if mpmath.isinf(a[-1]) or mpmath.isinf(b[-1]):
        infinite, finite = (a, b) if mpmath.isinf(a[-1]) else (b, a)
        last = finite[-3:]
        if any(mpmath.sign(v) != mpmath.sign(infinite[-1]) for v in last):
            return True
        return not all(abs(u) < abs(v) for u, v in itertools.pairwise(last))  # must keep growing
    errors = [abs(x - y) / max(1, abs(x), abs(y)) for x, y in zip(a, b, strict=True)][-3:]
    if errors[-1] <= RELATIVE_TOLERANCE:
        return False
    return not all(v <= STALLED * u for u, v in itertools.pairwise(errors))
