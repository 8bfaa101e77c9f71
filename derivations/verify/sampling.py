"""The numeric side of verification: a claim evaluated with mpmath at seeded random points."""

from __future__ import annotations

import builtins
import random
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

import mpmath
from sympy import (
    Basic,
    Derivative,
    Dummy,
    FiniteSet,
    Heaviside,
    Interval,
    Limit,
    MatrixBase,
    Piecewise,
    S,
    Set,
    Subs,
    Symbol,
    default_sort_key,
    lambdify,
    oo,
)

from derivations.meaning import expand_definitions
from derivations.verify.report import Counterexample

DIGITS = 50
DEFAULT_POINTS = 24
RELATIVE_TOLERANCE = mpmath.mpf(10) ** -30
ABSOLUTE_TOLERANCE = mpmath.mpf(10) ** -40
LIMIT_TOLERANCE = mpmath.mpf(10) ** -12  # limits are checked by evaluating at 10**30
FAR = mpmath.mpf(10) ** 30


def _prepare(expr: Any) -> Any:
    """Forms that lambdify's mpmath printer handles (Heaviside as a Piecewise)."""
    return expr.replace(Heaviside, lambda *args: Heaviside(*args).rewrite(Piecewise))


@cache
def _lambdified(expr: Basic, args: tuple[Symbol, ...]) -> Callable:
    # Dummies only where two arguments share a name: replacing every symbol by a dummy
    # rebuilds the expression, which re-runs SymPy's assumption queries on every exp and
    # log in it and can cost ten times the lambdify itself. (lambdify still replaces
    # names that are not Python identifiers.)
    names = [str(a) for a in args]
    if len(set(names)) < len(names) or not _RESERVED.isdisjoint(names):
        # Rename rather than dummify: lambdify also puts every symbol's name into the
        # generated code's namespace, so a symbol called mpf (a user's formula may have
        # one) would replace mpmath's mpf even with dummify=True.
        fresh = tuple(Dummy(f"arg{i}", **a.assumptions0) for i, a in enumerate(args))
        expr, args = expr.xreplace(dict(zip(args, fresh, strict=True))), fresh
    return lambdify(args, _prepare(expr), modules="mpmath", dummify=False)


_RESERVED = frozenset(dir(mpmath)) | frozenset(dir(builtins))


def _compile(expr: Any, definitions: Mapping, substitutions: Mapping) -> Callable[[dict], Any]:
    """An evaluator of ``expr`` at a point (a dict from symbol to mpf), at mpmath precision."""
    if isinstance(expr, MatrixBase):
        entries = [_compile(e, definitions, substitutions) for e in expr]
        return lambda env: [f(env) for f in entries]
    if not isinstance(expr, Basic):
        value = expr
        return lambda env: value
    specials = _outermost(expr)
    dummies = {node: Dummy(f"n{i}") for i, node in enumerate(specials)}
    outer = expand_definitions(expr.xreplace(dummies), definitions)
    if substitutions:
        outer = expand_definitions(outer, substitutions)
    outer = outer.doit()
    args = tuple(sorted(outer.free_symbols, key=default_sort_key))
    f = _lambdified(outer, args)
    inner = {d: _compile_special(node, definitions, substitutions) for node, d in dummies.items()}

    def evaluate(env: dict) -> Any:
        local = dict(env)
        for d, g in inner.items():
            local[d] = g(env)
        return f(*[local[a] for a in args])

    return evaluate


def _outermost(expr: Basic) -> list[Basic]:
    found: list[Basic] = []

    def walk(e: Basic) -> None:
        if isinstance(e, (Derivative, Limit, Subs)):
            found.append(e)
            return
        for a in e.args:
            if isinstance(a, Basic):
                walk(a)

    walk(expr)
    return sorted(set(found), key=default_sort_key)


def _compile_special(node: Basic, definitions: Mapping, substitutions: Mapping) -> Callable:
    if isinstance(node, Subs):
        # Subs(e, (z,), (z0,)): e evaluated with z set to z0's value at the point.
        expr, variables, points = node.args
        keep = {k: v for k, v in substitutions.items() if k not in variables}
        g = _compile(expr, {k: v for k, v in definitions.items() if k not in variables}, keep)
        at = [_compile(p, definitions, substitutions) for p in points]
        return lambda env: g({**env, **{v: a(env) for v, a in zip(variables, at, strict=True)}})
    if isinstance(node, Derivative):
        variables = [v for v, _ in node.variable_count]
        orders = [int(n) for _, n in node.variable_count]
        body = expand_definitions(node.expr, definitions, keep=frozenset(variables))
        g = _compile(
            body,
            {k: v for k, v in definitions.items() if k not in variables},
            {k: v for k, v in substitutions.items() if k not in variables},
        )
        at = [_compile(v, definitions, substitutions) for v in variables]

        def derivative(env: dict) -> Any:
            x0 = [a(env) for a in at]

            def h(*xs):
                return g({**env, **dict(zip(variables, xs, strict=True))})

            if len(variables) == 1:
                return mpmath.diff(h, x0[0], orders[0])
            return mpmath.diff(h, tuple(x0), tuple(orders))

        return derivative
    # Limit(e, z, z0, dir): evaluate far out (or very close to z0).
    e, z, z0, direction = node.args
    g = _compile(e, definitions, substitutions)
    if z0 in (oo, S.Infinity):
        far = FAR
    elif z0 in (-oo, S.NegativeInfinity):
        far = -FAR
    else:
        point = _compile(z0, definitions, substitutions)
        step = -1 if str(direction) == "-" else 1
        return lambda env: g({**env, z: point(env) + step / FAR})
    return lambda env: g({**env, z: far})


def _sample(s: Symbol, domain: Set | None, rng: random.Random) -> Any:
    if isinstance(domain, FiniteSet):
        return rng.choice(sorted(domain, key=default_sort_key))
    if isinstance(domain, Interval):
        lo, hi = domain.start, domain.end
        lo = float(lo) if lo.is_finite else (min(-4.0, float(hi) - 8) if hi.is_finite else -4.0)
        hi = float(hi) if hi.is_finite else max(4.0, lo + 8)
        width = hi - lo
        return mpmath.mpf(lo + width * (0.02 + 0.96 * rng.random()))
    if s.is_integer:
        if s.is_positive:
            return mpmath.mpf(rng.randint(1, 6))
        if s.is_nonnegative:
            return mpmath.mpf(rng.randint(0, 6))
        return mpmath.mpf(rng.randint(-6, 6))
    scale = 4.0 if rng.random() < 0.8 else 12.0
    if s.is_positive or s.is_nonnegative:
        return mpmath.mpf(10 ** rng.uniform(-1.0, 1.0))
    if s.is_negative or s.is_nonpositive:
        return -mpmath.mpf(10 ** rng.uniform(-1.0, 1.0))
    return mpmath.mpf(rng.uniform(-scale, scale))


def _real(value: Any) -> Any:
    """The value as a real mpf, or None when it is not a finite-or-infinite real number."""
    if isinstance(value, mpmath.mpc):
        if abs(value.imag) <= ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * abs(value.real):
            return value.real
        return None
    if isinstance(value, (int, float, mpmath.mpf)):
        value = mpmath.mpf(value)
        return None if mpmath.isnan(value) else value
    if isinstance(value, Basic):
        try:
            return _real(
                mpmath.mpmathify(complex(value)) if not value.is_real else mpmath.mpf(value)
            )
        except (TypeError, ValueError):
            return None
    return None


def _close(a: Any, b: Any, loose: bool) -> bool:
    if mpmath.isinf(a) or mpmath.isinf(b):
        if loose:  # a limit that grows without bound: far out, the value is huge
            finite = b if mpmath.isinf(a) else a
            infinite = a if mpmath.isinf(a) else b
            return bool(mpmath.sign(finite) == mpmath.sign(infinite) and abs(finite) > 10**10)
        return a == b
    if loose:
        return abs(a - b) <= LIMIT_TOLERANCE * max(1, abs(a), abs(b))
    return abs(a - b) <= max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE * max(abs(a), abs(b)))


def _holds(relation: str, a: Any, b: Any, loose: bool) -> bool:
    tolerance = (LIMIT_TOLERANCE if loose else RELATIVE_TOLERANCE) * max(1, abs(a), abs(b))
    if relation == "=":
        return _close(a, b, loose)
    if relation == "!=":
        return not _close(a, b, loose)
    if relation in ("<=", "<"):
        return a <= b + tolerance
    return a + tolerance >= b


def _has_limit(expr: Any) -> bool:
    if isinstance(expr, MatrixBase):
        return any(_has_limit(e) for e in expr)
    return isinstance(expr, Basic) and expr.has(Limit)


def numeric_check(
    relation: str,
    lhs: Any,
    rhs: Any,
    *,
    definitions: Mapping,
    substitutions: Mapping,
    constraints: Sequence[tuple[str, Any, Any]],
    domains: Mapping[Symbol, Set],
    points: int,
    seed: str,
) -> tuple[bool, int, Counterexample | None]:
    """Check the claim at ``points`` random points; return (holds, points used, counterexample).

    Call it inside ``mpmath.workdps(DIGITS)``.
    """
    left = _compile(lhs, definitions, substitutions)
    right = _compile(rhs, definitions, substitutions)
    symbols = _numeric_symbols([lhs, rhs], definitions, substitutions, constraints)
    checks = [
        (r, _compile(a, definitions, substitutions), _compile(b, definitions, substitutions))
        for r, a, b in constraints
    ]
    loose = _has_limit(lhs) or _has_limit(rhs)
    rng = random.Random(seed)
    used, differing = 0, None
    for _ in range(points * 20):
        if used >= points:
            break
        env = {s: _sample(s, domains.get(s), rng) for s in symbols}
        try:
            if not all(_holds(r, _real(a(env)), _real(b(env)), False) for r, a, b in checks):
                continue
            lv, rv = left(env), right(env)
        except (ValueError, TypeError, ArithmeticError, MemoryError):
            # ArithmeticError: overflow, 1/0. MemoryError: mpmath allocating an exponent too
            # large to store, as for exp(exp(exp(exp(z)))): skip the point like an overflow.
            continue
        pairs = list(zip(lv, rv, strict=True)) if isinstance(lv, list) else [(lv, rv)]
        values = [(_real(a), _real(b)) for a, b in pairs]
        if any(a is None and b is None for a, b in values):
            continue  # outside the real domain of both sides
        used += 1
        point = {s.name: env[s] for s in symbols}
        bad = [
            (a, b)
            for a, b in values
            if a is None
            or b is None
            or not _holds("=" if relation == "!=" else relation, a, b, loose)
        ]
        if relation == "!=":
            if bad:
                return True, used, Counterexample(point, bad[0][0], bad[0][1])
            continue
        if bad:
            differing = Counterexample(point, bad[0][0], bad[0][1])
            return False, used, differing
    if relation == "!=":
        return False, used, None
    return used >= points, used, differing


def _numeric_symbols(
    exprs: Sequence[Any], definitions: Mapping, substitutions: Mapping, constraints: Sequence
) -> list[Symbol]:
    """The base symbols that the claim's value depends on: the ones to sample."""
    found: set[Symbol] = set()
    for e in [*exprs, *(a for _, a, _ in constraints), *(b for _, _, b in constraints)]:
        for entry in e if isinstance(e, MatrixBase) else [e]:
            found |= _base_symbols(entry, definitions)
    for s, value in substitutions.items():
        if s in found:
            found.discard(s)
            found |= getattr(value, "free_symbols", set())
    return sorted(
        (s for s in found if isinstance(s, Symbol) and s not in definitions), key=default_sort_key
    )


def _base_symbols(e: Any, definitions: Mapping) -> set[Symbol]:
    """Free base symbols of ``e`` with definitions seen through (derivatives respected)."""
    if isinstance(e, Symbol):
        return _base_symbols(definitions[e], definitions) if e in definitions else {e}
    if not isinstance(e, Basic) or not e.args:
        return set()
    if isinstance(e, Derivative):
        variables = {v for v, _ in e.variable_count}
        inner = {k: v for k, v in definitions.items() if k not in variables}
        found = _base_symbols(e.expr, inner) - variables
        for v in variables:
            found |= _base_symbols(v, definitions)
        return found
    found = set().union(*(_base_symbols(a, definitions) for a in e.args))
    # Drop bound variables (Sum, Limit), not the variables of derivatives, which SymPy
    # also leaves out of free_symbols.
    variables = {v for d in e.atoms(Derivative) for v, _ in d.variable_count}
    return found - (e.atoms(Symbol) - e.free_symbols - variables)
