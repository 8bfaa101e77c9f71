"""The numeric side of verification: a claim evaluated with mpmath at many points.

Seeded random points in each symbol's domain, a ladder of magnitudes and the
formula's breakpoints (see :mod:`derivations.verify.points`). A disagreement
is re-evaluated with more digits before it counts. A limit is evaluated at a
sequence of points going out (10**2, 10**4, ..., 10**128) and must converge:
see :func:`derivations.verify.compare.limit_holds`.
"""

from __future__ import annotations

import builtins
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import mpmath
from sympy import (
    Basic,
    Derivative,
    Dummy,
    Heaviside,
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
from derivations.verify.compare import limit_contradicts, limit_holds, real, relation_holds
from derivations.verify.points import OFFSETS, allowed, interior, ladder_values, special_roots
from derivations.verify.report import Counterexample

DIGITS = 50
DEFAULT_POINTS = 30  # random points in the domains; the ladder and breakpoints come on top
MAX_DIGITS = 2000  # the most digits a disagreement is re-evaluated with
STABLE = mpmath.mpf(10) ** -30  # a value that moves more with twice the digits is unstable
LIMIT_STEPS = 7  # a limit is evaluated at 10**(2**j) (or z0 +- 10**-(2**j)), j = 1..LIMIT_STEPS
_STEP = "limit step"  # the key of the limit step in an evaluation point


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
    if isinstance(outer, Basic) and outer.has(S.ComplexInfinity, S.NaN):
        return _undefined  # complex infinity or nan: not a real number anywhere
    args = tuple(sorted(outer.free_symbols, key=default_sort_key))
    f = _lambdified(outer, args)
    inner = {d: _compile_special(node, definitions, substitutions) for node, d in dummies.items()}

    def evaluate(env: dict) -> Any:
        local = dict(env)
        for d, g in inner.items():
            local[d] = g(env)
        return f(*[local[a] for a in args])

    return evaluate


def _undefined(env: dict) -> Any:
    raise ValueError("complex infinity or nan")


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
    # Limit(e, z, z0, dir): e at the point's limit step j, z = 10**(2**j) (or z0 +- 10**-(2**j)).
    e, z, z0, direction = node.args
    g = _compile(e, definitions, substitutions)
    point = _compile(z0, definitions, substitutions) if z0.is_finite else None
    if point is None:
        sense = -1 if z0 in (-oo, S.NegativeInfinity) else 1
    else:
        sense = -1 if str(direction) == "-" else 1

    def limit(env: dict) -> Any:
        far = mpmath.mpf(10) ** (2 ** env.get(_STEP, LIMIT_STEPS))
        at = sense * far if point is None else point(env) + sense / far
        return g({**env, z: at})

    return limit


def _evaluate(f: Callable, env: dict) -> tuple[str, list[Any]]:
    """("ok", real values or None per entry), ("undefined", []) or ("overflow", [])."""
    try:
        raw = f(env)
    except (OverflowError, MemoryError):
        # MemoryError: mpmath allocating an exponent too large to store (exp(exp(exp(z)))).
        return "overflow", []
    except (ValueError, TypeError, ArithmeticError, KeyError, NameError):
        return "undefined", []
    if isinstance(raw, mpmath.matrix):
        raw = [raw[i, j] for i in range(raw.rows) for j in range(raw.cols)]
    return "ok", [real(v) for v in (raw if isinstance(raw, list) else [raw])]


class _Claim:
    """Both sides compiled, evaluated at one point: at DIGITS, higher where they disagree."""

    def __init__(
        self, relation: str, left: Callable, right: Callable, limit: bool, proven: bool = False
    ):
        self.relation, self.left, self.right, self.limit = relation, left, right, limit
        self.proven = proven  # SymPy evaluated the limit: only a clear contradiction differs

    def values(self, env: dict, digits: int) -> tuple[str, list, list]:
        steps = range(1, LIMIT_STEPS + 1) if self.limit else [None]
        lefts, rights = [], []
        for j in steps:
            local = env if j is None else {**env, _STEP: j}
            with mpmath.workdps(digits if j is None else digits + 2 ** (j + 1)):
                (ls, lv), (rs, rv) = _evaluate(self.left, local), _evaluate(self.right, local)
            if "overflow" in (ls, rs):
                if j is not None and j > 4:
                    break  # the sequence goes out as far as the arithmetic reaches
                return "overflow", [], []
            lefts.append(lv if ls == "ok" else None)
            rights.append(rv if rs == "ok" else None)
        return "ok", lefts, rights

    def at(self, env: dict) -> tuple[str, Any, Any]:
        """("same" | "differs" | "undefined" | "overflow", left value, right value)."""
        status, lefts, rights = self.values(env, DIGITS)
        verdict = self.compare(lefts, rights) if status == "ok" else ("overflow", None, None)
        if verdict[0] == "differs":
            # Re-evaluate with more digits before calling it a difference: a cancellation at a
            # large point (1 - sigmoid(1000)) is exact zero at 50 digits, 5e-435 at 500.
            size = max([abs(v) for v in env.values() if isinstance(v, mpmath.mpf)] or [0])
            digits = int(min(MAX_DIGITS, DIGITS + 50 + min(size, 10**6) / 2))
            status, lefts, rights = self.values(env, digits)
            verdict = self.compare(lefts, rights) if status == "ok" else ("overflow", None, None)
            if verdict[0] == "differs" and not self.limit:
                # A difference counts only where each side's value is stable: the same to
                # 30 digits at twice the digits (cosh(1000)**2 - sinh(1000)**2 is not, at 600).
                again, lefts2, rights2 = self.values(env, 2 * digits)
                if again != "ok" or not (_stable(lefts, lefts2) and _stable(rights, rights2)):
                    return "unstable", verdict[1], verdict[2]
        return verdict

    def compare(self, lefts: list, rights: list) -> tuple[str, Any, Any]:
        known = [v for v in lefts + rights if v is not None]
        n = max((len(v) for v in known), default=1)
        lefts = [v if v is not None else [None] * n for v in lefts]
        rights = [v if v is not None else [None] * n for v in rights]
        relation = "=" if self.relation == "!=" else self.relation
        evaluated = False
        for i in range(n):
            a, b = [v[i] for v in lefts], [v[i] for v in rights]
            if all(x is None for x in a + b):
                continue  # this entry is undefined on both sides
            evaluated = True
            if any(x is None for x in a + b):
                return "differs", a[-1], b[-1]  # defined on one side only
            if self.limit:
                same = limit_holds(relation, a, b) or (
                    self.proven and not limit_contradicts(relation, a, b)
                )
            else:
                same = relation_holds(relation, a[0], b[0])
            if not same:
                return "differs", a[-1], b[-1]
        return ("same" if evaluated else "undefined"), lefts[-1][0], rights[-1][0]


def _stable(first: list, second: list) -> bool:
    """Whether values (per limit step, per entry) at two precisions agree to 30 digits."""
    for a, b in zip(first, second, strict=True):
        if (a is None) != (b is None):
            return False
        for x, y in zip(a or [], b or [], strict=True):
            if (x is None) != (y is None):
                return False
            if x is not None and not mpmath.almosteq(x, y, STABLE, 0):
                return False
    return True


def _roots(exprs: list, definitions: Mapping, substitutions: Mapping, symbols: list) -> list:
    """The breakpoints of the claim in its base symbols (a derivative has its body's)."""
    if not symbols:
        return []
    bodies = [
        e.replace(lambda n: isinstance(n, Derivative), lambda n: n.expr)
        if isinstance(e, (Basic, MatrixBase))
        else e
        for e in exprs
    ]
    expanded = [
        expand_definitions(expand_definitions(e, definitions), substitutions) for e in bodies
    ]
    return special_roots(expanded, symbols)


def _has_limit(expr: Any) -> bool:
    if isinstance(expr, MatrixBase):
        return any(_has_limit(e) for e in expr)
    return isinstance(expr, Basic) and expr.has(Limit)


@dataclass(frozen=True)
class Sampled:
    """What the numeric check found: whether the claim held, at how many points, and where not.

    ``points`` counts the points where the claim was evaluated; ``undefined``
    the points skipped because both sides are undefined there; ``overflow`` is
    a point where a value was too large to compute (no verdict can rest on it);
    ``plan`` says which points were used.
    """

    holds: bool
    points: int
    counterexample: Counterexample | None = None
    undefined: int = 0
    overflow: dict[str, Any] | None = None
    plan: str = ""
    where: str = ""  # what kind of point the counterexample is


def _satisfies(checks: list, env: dict) -> bool:
    try:
        return all(
            (a := real(f(env))) is not None
            and (b := real(g(env))) is not None
            and relation_holds(r, a, b)
            for r, f, g in checks
        )
    except (ValueError, TypeError, ArithmeticError, MemoryError, KeyError, NameError):
        return False


def _ladder(symbols: list[Symbol], domains: Mapping) -> Iterator[dict]:
    """Every symbol through every rung; symbol k is k rungs ahead, so that the ladder does
    not make two symbols equal (mu_0 = mu_1), which random points never do either."""
    values = {s: ladder_values(s, domains.get(s)) for s in symbols}
    rungs = max((len(v) for v in values.values()), default=0)
    for i in range(rungs):
        if all(values[s] for s in symbols):
            yield {s: values[s][(i + k) % len(values[s])] for k, s in enumerate(symbols)}


def _breakpoints(roots: list, symbols: list, domains: Mapping, rng: random.Random) -> Iterator:
    for s, root in roots:
        base = {t: interior(t, domains.get(t), rng) for t in symbols}
        status, found = _evaluate(_compile(root, {}, {}), base)
        r = found[0] if status == "ok" else None
        if r is None or not mpmath.isfinite(r):
            continue
        size = max(1, abs(r))
        near = [r + sign * size * mpmath.mpf(10) ** -k for k in OFFSETS for sign in (-1, 1)]
        for v in [r, *near]:
            if allowed(s, domains.get(s), v):
                yield {**base, s: v}


def sample_check(
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
    proven_limit: bool = False,
) -> Sampled:
    """Check the claim at ``points`` random points, the ladder and the breakpoints.

    A point where one side is defined and the other is not is a difference; a
    point where both are undefined is skipped and counted; a value that
    overflows ends the check without a verdict of "holds". Without symbols one
    point is enough. ``proven_limit``: SymPy evaluated the claim's limits and
    they agree, so a limit fails only where the values clearly contradict it
    (see :func:`~derivations.verify.compare.limit_contradicts`).
    """
    left = _compile(lhs, definitions, substitutions)
    right = _compile(rhs, definitions, substitutions)
    symbols = _numeric_symbols([lhs, rhs], definitions, substitutions, constraints)
    checks = [
        (r, _compile(a, definitions, substitutions), _compile(b, definitions, substitutions))
        for r, a, b in constraints
    ]
    claim = _Claim(relation, left, right, _has_limit(lhs) or _has_limit(rhs), proven_limit)
    rng = random.Random(seed)
    roots = _roots([lhs, rhs], definitions, substitutions, symbols)
    required = points if symbols else 1
    randoms = ({s: interior(s, domains.get(s), rng) for s in symbols} for _ in range(required * 20))
    counts = {"random": 0, "ladder": 0, "breakpoints": 0, "undefined": 0, "unstable": 0}
    plans = [("random", randoms), ("ladder", _ladder(symbols, domains))]
    plans.append(("breakpoints", _breakpoints(roots, symbols, domains, rng)))
    for kind, envs in plans:
        for env in envs:
            if kind == "random" and counts["random"] >= required:
                break
            if not _satisfies(checks, env):
                continue
            status, lv, rv = claim.at(env)
            point = {s.name: env[s] for s in symbols}
            if status in ("undefined", "unstable"):
                counts[status] += 1
                continue
            if status == "overflow":
                return _done(False, counts, roots, None, point)
            counts[kind] += 1
            if status == "differs":
                found = Counterexample(point, lv, rv)
                return replace(_done(relation == "!=", counts, roots, found), where=_KINDS[kind])
    holds = relation != "!=" and counts["random"] >= required
    return _done(holds, counts, roots, None)


_KINDS = {
    "random": "a random point in the domains",
    "ladder": "a point of the ladder of magnitudes",
    "breakpoints": "a point at or beside a breakpoint",
}


def _done(holds: bool, counts: dict, roots: list, found: Any, overflow: Any = None) -> Sampled:
    total = counts["random"] + counts["ladder"] + counts["breakpoints"]
    plan = (
        f"{counts['random']} random points in the domains, {counts['ladder']} on the ladder "
        "0, +-1, +-1e-9 ... +-1e3"
    )
    if roots:
        plan += f", {counts['breakpoints']} at and beside {len(roots)} breakpoints"
    if counts["undefined"]:
        plan += f"; {counts['undefined']} points skipped where both sides are undefined"
    if counts["unstable"]:
        plan += f"; {counts['unstable']} points not evaluable (the values changed with more digits)"
    return Sampled(holds, total, found, counts["undefined"], overflow, plan)


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
    proven_limit: bool = False,
) -> tuple[bool, int, Counterexample | None]:
    """:func:`sample_check` as (holds, points used, counterexample); a value that overflows
    is reported as a counterexample whose values say so.

    Call it inside ``mpmath.workdps(DIGITS)``.
    """
    found = sample_check(
        relation,
        lhs,
        rhs,
        definitions=definitions,
        substitutions=substitutions,
        constraints=constraints,
        domains=domains,
        points=points,
        seed=seed,
        proven_limit=proven_limit,
    )
    if found.overflow is not None:
        return False, found.points, Counterexample(found.overflow, "overflow", "overflow")
    return found.holds, found.points, found.counterexample


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
