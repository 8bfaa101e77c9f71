"""Verification of derivations: a symbolic proof attempt, then always a numeric check.

Every claim is first given to SymPy (cheap normal forms, then ``simplify``,
logarithm expansion, rewrites to exponentials, and case splits on the sign of
the arguments of Abs, Max, Min and Heaviside), each attempt under a time
limit. Whatever SymPy says, the claim is then evaluated with mpmath at 50
digits at seeded random points drawn from each symbol's domain; derivatives
are evaluated there by mpmath's own numerical differentiation and limits by
evaluating far out, so the numeric route does not reuse SymPy's calculus. A
claim is "proven" only when SymPy proved it; one that only the numbers
confirm is "checked numerically"; any disagreement is an error.
"""

from __future__ import annotations

import builtins
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import mpmath
from sympy import (
    Abs,
    And,
    Basic,
    Derivative,
    Dummy,
    Eq,
    Expr,
    FiniteSet,
    Heaviside,
    Interval,
    Limit,
    MatrixBase,
    Max,
    Min,
    Piecewise,
    Rational,
    S,
    Set,
    Subs,
    Symbol,
    asinh,
    cancel,
    default_sort_key,
    erf,
    erfc,
    exp,
    expand,
    expand_log,
    factor,
    lambdify,
    log,
    logcombine,
    oo,
    piecewise_fold,
    powsimp,
    sign,
    simplify,
    sin,
    sinc,
    solve,
    sqrt,
    together,
)
from sympy.codegen.cfunctions import expm1, log1p

from derivations._timeout import TimeLimitExceeded, time_limit
from derivations.engine import Derivation, Kind, Step
from derivations.errors import DerivationError
from derivations.functions import logit, sigmoid
from derivations.meaning import expand_definitions, symbolic_meaning

__all__ = [
    "ClaimCheck",
    "Counterexample",
    "StepReport",
    "VerificationReport",
    "check_claim",
    "result_context",
    "verify",
]

DIGITS = 50
DEFAULT_POINTS = 24
DEFAULT_TIME_LIMIT = 4.0  # seconds of symbolic effort per claim
RELATIVE_TOLERANCE = mpmath.mpf(10) ** -30
ABSOLUTE_TOLERANCE = mpmath.mpf(10) ** -40
LIMIT_TOLERANCE = mpmath.mpf(10) ** -12  # limits are checked by evaluating at 10**30
FAR = mpmath.mpf(10) ** 30


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Counterexample:
    """A point where the two sides of a claim differ, with both values."""

    point: dict[str, Any]
    lhs: Any
    rhs: Any

    def __str__(self) -> str:
        where = ", ".join(f"{k} = {_short(v)}" for k, v in self.point.items()) or "any point"
        return f"at {where}: left side = {_short(self.lhs)}, right side = {_short(self.rhs)}"


@dataclass(frozen=True)
class ClaimCheck:
    """The outcome of checking one claim."""

    holds: bool
    proven: bool
    method: str
    points: int
    counterexample: Counterexample | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class StepReport:
    """How one step (index 0 is the stated result) was established."""

    index: int
    kind: str
    status: str  # "proven", "numeric" or "given"
    method: str
    points: int = 0
    seconds: float = 0.0

    @property
    def mark(self) -> str:
        """One letter: S proven symbolically, N checked numerically, - taken as given."""
        return {"proven": "S", "numeric": "N"}.get(self.status, "-")


@dataclass(frozen=True)
class VerificationReport:
    """Per-step outcome of verifying a derivation."""

    slug: str
    title: str
    steps: tuple[StepReport, ...]
    result: StepReport
    seconds: float

    @property
    def proven(self) -> int:
        """Claims (steps and the result) that SymPy proved."""
        return sum(r.status == "proven" for r in (*self.steps, self.result))

    @property
    def numeric(self) -> int:
        """Claims that only the numeric check confirmed."""
        return sum(r.status == "numeric" for r in (*self.steps, self.result))

    @property
    def given(self) -> int:
        """Definitions, substitutions and assumptions (not claims)."""
        return sum(r.status == "given" for r in self.steps)

    def step(self, index: int) -> StepReport:
        """The report of step ``index`` (1-based; 0 is the result)."""
        return self.result if index == 0 else self.steps[index - 1]

    def table(self) -> str:
        """A plain-text table, one line per step."""
        lines = [f"{self.slug}: {self.title}"]
        for r in (*self.steps, self.result):
            label = "result" if r.index == 0 else f"step {r.index}"
            lines.append(f"  {label:>8}  {r.status:<8} {r.kind:<12} {r.method}")
        lines.append(
            f"  {self.proven} proven, {self.numeric} checked numerically, "
            f"{self.given} given, {self.seconds:.2f} s"
        )
        return "\n".join(lines)

    __str__ = table

    def _repr_markdown_(self) -> str:
        rows = ["| step | kind | status | method |", "|---|---|---|---|"]
        for r in (*self.steps, self.result):
            label = "result" if r.index == 0 else str(r.index)
            rows.append(f"| {label} | {r.kind} | {r.status} | {r.method} |")
        head = f"**{self.title}** (`{self.slug}`): {self.proven} proven, {self.numeric} numeric"
        return head + "\n\n" + "\n".join(rows)

    def _repr_latex_(self) -> str:
        body = r" \\ ".join(
            rf"\text{{{'result' if r.index == 0 else r.index}}} & \text{{{r.status}}} "
            rf"& \text{{{_latex_text(r.method)}}}"
            for r in (*self.steps, self.result)
        )
        return rf"$\begin{{array}}{{lll}} {body} \end{{array}}$"


def _latex_text(text: str) -> str:
    from derivations.render import escape_text

    return escape_text(text)


def _short(value: Any) -> str:
    if isinstance(value, (mpmath.mpf, mpmath.mpc)):
        return mpmath.nstr(value, 12)
    if isinstance(value, float):
        return f"{value:.12g}"
    return str(value)


# --------------------------------------------------------------------------- symbolic


def _elementary(expr: Any) -> Any:
    """Rewrite the toolkit's functions in exp and log, which SymPy's simplifier knows.

    erfc, sinc and asinh, which SymPy leaves alone, become 1 - erf, sin(u)/u and a logarithm.
    """
    return (
        expr.replace(sigmoid, lambda u: 1 / (1 + exp(-u)))
        .replace(logit, lambda p: log(p / (1 - p)))
        .replace(log1p, lambda u: log(1 + u))
        .replace(expm1, lambda u: exp(u) - 1)
        .replace(erfc, lambda u: 1 - erf(u))
        .replace(sinc, lambda u: sin(u) / u)
        .replace(asinh, lambda u: log(u + sqrt(u**2 + 1)))
    )


def _is_zero(expr: Any) -> bool:
    return expr == 0 or expr.is_zero is True


def _branches(d: Any) -> Any:
    """Zero if every branch of the folded Piecewise is, a branch under ``Eq(s, v)`` with s = v.

    Ignoring the other conditions of a branch only asks more of it, so this is
    sound; ``simplify`` proves the same, but slowly.
    """
    folded = piecewise_fold(_elementary(d))
    if not isinstance(folded, Piecewise):
        return folded
    for value, condition in folded.args:
        case: dict[Basic, Any] = {}
        for c in condition.args if isinstance(condition, And) else (condition,):
            if isinstance(c, Eq):
                s, v = (c.lhs, c.rhs) if c.rhs.is_number else (c.rhs, c.lhs)
                if isinstance(s, Symbol) and v.is_number:
                    if case.get(s, v) != v:
                        break  # contradictory equalities: the branch is never taken
                    case[s] = v
        else:
            if not _is_zero(cancel(together(value.subs(case)))):
                return folded
    return S.Zero


_CHEAP_STRATEGIES: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("identical", lambda d: d),
    # sigmoid(u) and the like kept whole: the chain rule's products need no more, and
    # rewriting several of them in exponentials makes cancel slow.
    ("polynomial", expand),
    ("cancel", lambda d: cancel(together(_elementary(d)))),
    ("branches", lambda d: _branches(d) if d.has(Piecewise) else d),
    ("exponential form", lambda d: cancel(together(_elementary(d).rewrite(exp)))),
    ("expand", lambda d: expand(powsimp(_elementary(d)))),
)
_COSTLY_STRATEGIES: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("simplify", lambda d: simplify(_elementary(d))),
    ("expand_log", lambda d: simplify(expand_log(_elementary(d)))),
    ("logcombine", lambda d: simplify(logcombine(_elementary(d)))),
)

_CASE_TYPES = (Abs, Max, Min, Heaviside, sign, Piecewise)


def _case_arguments(expr: Basic) -> list[Expr]:
    """Arguments whose sign decides the branch of an Abs, Max, Min, Heaviside or sign."""
    found: list[Expr] = []
    for node in expr.atoms(*_CASE_TYPES):
        if isinstance(node, (Max, Min)):
            a, b, *rest = sorted(node.args, key=default_sort_key)
            candidates = [a - b] if not rest else []
        elif isinstance(node, Piecewise):
            candidates = []
        else:
            candidates = [node.args[0]]
        for c in candidates:
            c = c.expand()
            if c.free_symbols and not any((c + f).expand() == 0 or c == f for f in found):
                found.append(c)
    return sorted(found, key=default_sort_key)


def _split_on_sign(argument: Expr) -> list[dict[Symbol, Expr]] | None:
    """Substitutions that make ``argument`` positive, negative and zero in turn."""
    for s in sorted(argument.free_symbols, key=default_sort_key):
        if not isinstance(s, Symbol) or s.is_positive or s.is_negative:
            continue
        if argument.diff(s).free_symbols & {s} or argument.diff(s) == 0:
            continue  # only a symbol that the argument is linear in
        t = Dummy("t", positive=True)
        cases = []
        for target in (t, -t, S.Zero):
            solved = solve(argument - target, s, dict=True)
            if len(solved) != 1:
                break
            cases.append(solved[0])
        else:
            return cases
    return None


def _first_zero(d: Any, strategies) -> str | None:
    for name, strategy in strategies:
        try:
            if _is_zero(strategy(d)):
                return name
        except (TypeError, ValueError, NotImplementedError, AttributeError, RecursionError):
            continue
    return None


def _decide_max_min(expr: Any) -> Any:
    """Replace Max(a, b) and Min(a, b) by a or b where the sign of a - b is known.

    Besides SymPy's assumptions, positive a and b are compared through their
    logarithms (exp(-t) <= 1 because -t <= 0), which is what a case split
    on the sign of z leaves in the stable forms.
    """

    def order(a: Any, b: Any) -> bool | None:
        difference = a - b
        if difference.is_nonnegative:
            return True
        if difference.is_nonpositive:
            return False
        if a.is_positive and b.is_positive:
            logs = expand_log(log(a) - log(b))
            if logs.is_nonnegative:
                return True
            if logs.is_nonpositive:
                return False
        return None

    def pick(node: Any) -> Any:
        if len(node.args) != 2:
            return node
        a, b = node.args
        a_first = order(a, b)
        if a_first is None:
            return node
        bigger, smaller = (a, b) if a_first else (b, a)
        return bigger if isinstance(node, Max) else smaller

    return expr.replace(lambda e: isinstance(e, (Max, Min)), pick)


def _prove_zero(d: Any, depth: int = 0) -> str | None:
    """The name of a strategy that shows ``d`` is identically zero, or None.

    Cheap normal forms first; then, if the expression has branches (Abs, Max,
    Min, Heaviside, sign), a split on the sign of their arguments; the costly
    simplifications last.
    """
    found = _first_zero(d, _CHEAP_STRATEGIES)
    if found:
        return found
    if depth < 2:
        for argument in _case_arguments(d):
            cases = _split_on_sign(argument)
            if cases is not None and all(
                _prove_zero(_decide_max_min(d.subs(case)), depth + 1) for case in cases
            ):
                return f"cases on the sign of {argument}"
    if depth > 0:
        d = d.replace(lambda e: isinstance(e, (Max, Min)), lambda e: e.rewrite(Piecewise))
    return _first_zero(d, _COSTLY_STRATEGIES)


def _prove_nonnegative(d: Any, strict: bool) -> str | None:
    attribute = "is_positive" if strict else "is_nonnegative"
    for name, strategy in (
        ("sign", lambda e: e),
        ("factor", factor),
        ("simplify", simplify),
        ("factor(exp)", lambda e: factor(simplify(_elementary(e)))),
    ):
        try:
            if getattr(strategy(d), attribute) is True:
                return name
        except (TypeError, ValueError, NotImplementedError, AttributeError):
            continue
    return None


def _exact_counterexample(d: Any, symbols: Sequence[Symbol]) -> dict[Symbol, Any] | None:
    """An exact point where ``d`` is provably nonzero, tried among small rationals."""
    candidates = (S.Zero, S.One, S.Half, -S.One, Rational(2), Rational(1, 3), Rational(-3, 2))
    rng = random.Random(0)
    for attempt in range(12):
        point = {}
        for i, s in enumerate(symbols):
            pool = [c for c in candidates if _allowed(s, c)]
            point[s] = pool[(attempt + i) % len(pool)] if attempt < 4 else rng.choice(pool)
        try:
            value = simplify(_elementary(d.subs(point)))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if value.is_zero is False and value.is_finite:
            return point
    return None


def _allowed(s: Symbol, value: Any) -> bool:
    if s.is_positive and not value > 0:
        return False
    if s.is_nonnegative and not value >= 0:
        return False
    if s.is_negative and not value < 0:
        return False
    return not (s.is_integer and not value.is_integer)


def _symbolic(relation: str, lhs: Any, rhs: Any, finite: Mapping[Symbol, Set]) -> str | None:
    """Try to prove the claim symbolically; return the method, or None."""
    if isinstance(lhs, MatrixBase) or isinstance(rhs, MatrixBase):
        if relation != "=" or getattr(lhs, "shape", None) != getattr(rhs, "shape", None):
            return None
        methods = []
        for a, b in zip(lhs, rhs, strict=True):
            m = _symbolic("=", a, b, finite)
            if m is None:
                return None
            methods.append(m)
        return "entrywise: " + ", ".join(sorted(set(methods)))
    if relation == "!=":
        return None  # proven by an exact counterexample, handled by the caller
    cases = _finite_cases(finite, lhs, rhs)
    methods = set()
    for case in cases:
        a, b = (lhs.subs(case), rhs.subs(case)) if case else (lhs, rhs)
        if relation == "=":
            # Two equal infinities (a limit of -oo) are identical, though oo - oo is nan.
            m = "identical" if a == b else _prove_zero(a - b)
        elif relation in ("<=", "<"):
            m = _prove_nonnegative(b - a, strict=relation == "<")
        else:
            m = _prove_nonnegative(a - b, strict=relation == ">")
        if m is None:
            return None
        methods.add(m)
    prefix = "each value of " + ", ".join(str(s) for s in finite) + ": " if finite else ""
    return prefix + ", ".join(sorted(methods))


def _finite_cases(finite: Mapping[Symbol, Set], lhs: Any, rhs: Any) -> list[dict]:
    used = {s: v for s, v in finite.items() if _contains(lhs, s) or _contains(rhs, s)}
    cases: list[dict] = [{}]
    for s, values in used.items():
        cases = [{**c, s: v} for c in cases for v in sorted(values, key=default_sort_key)]
    return cases


def _contains(expr: Any, s: Symbol) -> bool:
    if isinstance(expr, MatrixBase):
        return any(_contains(e, s) for e in expr)
    return isinstance(expr, Basic) and s in expr.free_symbols


# --------------------------------------------------------------------------- numeric


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


def _numeric(
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
    return found - (e.atoms(Symbol) - e.free_symbols)  # drop bound variables (Sum, Limit)


# --------------------------------------------------------------------------- claims


def check_claim(
    lhs: Any,
    rhs: Any,
    relation: str = "=",
    *,
    definitions: Mapping | None = None,
    substitutions: Mapping | None = None,
    constraints: Sequence[tuple[str, Any, Any]] = (),
    domains: Mapping[Symbol, Set] | None = None,
    points: int = DEFAULT_POINTS,
    seed: str = "claim",
    time_limit_s: float | None = DEFAULT_TIME_LIMIT,
) -> ClaimCheck:
    """Check ``lhs <relation> rhs``: a symbolic proof attempt, then the numeric check.

    >>> from sympy import Symbol, exp
    >>> z = Symbol("z", real=True)
    >>> c = check_claim(sigmoid(z), exp(z) / (1 + exp(z)))
    >>> c.holds, c.proven, c.method
    (True, True, 'cancel')
    >>> check_claim(sigmoid(z), 1 / (1 + exp(z))).holds
    False
    """
    definitions = dict(definitions or {})
    substitutions = dict(substitutions or {})
    domains = dict(domains or {})
    start = time.perf_counter()
    method = None
    exact_point = None
    finite = {s: d for s, d in domains.items() if isinstance(d, FiniteSet)}
    try:
        if time_limit_s is not None and time_limit_s <= 0:
            raise TimeLimitExceeded("no time for a proof: numeric check only")
        with time_limit(time_limit_s):
            a = symbolic_meaning(lhs, definitions, substitutions)
            b = symbolic_meaning(rhs, definitions, substitutions)
            if relation == "!=" and not isinstance(a, MatrixBase):
                symbols = sorted((a - b).free_symbols, key=default_sort_key)
                exact_point = _exact_counterexample(a - b, symbols)
                if exact_point is not None:
                    shown = ", ".join(f"{k} = {v}" for k, v in exact_point.items())
                    method = f"exact counterexample at {shown}"
            else:
                method = _symbolic(relation, a, b, finite)
    except TimeLimitExceeded:
        method = None
    with mpmath.workdps(DIGITS):
        holds, used, counterexample = _numeric(
            relation,
            lhs,
            rhs,
            definitions=definitions,
            substitutions=substitutions,
            constraints=constraints,
            domains=domains,
            points=points,
            seed=seed,
        )
    seconds = time.perf_counter() - start
    numeric_method = f"mpmath, {DIGITS} digits, {used} points"
    if relation == "!=" and counterexample is not None and holds:
        # For "differs", the counterexample is the evidence, not a failure.
        return ClaimCheck(
            True, method is not None, method or numeric_method, used, counterexample, seconds
        )
    if method is not None and not holds:
        method = f"SymPy said {method}, but the numeric check disagrees"
    return ClaimCheck(
        holds,
        holds and method is not None,
        method if holds and method else numeric_method,
        used,
        counterexample,
        seconds,
    )


# --------------------------------------------------------------------------- derivations


@dataclass
class _Context:
    definitions: dict = field(default_factory=dict)
    substitutions: dict = field(default_factory=dict)
    assumed: dict = field(default_factory=dict)  # equality assumptions, solved
    constraints: list = field(default_factory=list)
    domains: dict = field(default_factory=dict)

    def take(self, s: Step) -> None:
        if s.kind is Kind.DEFINITION:
            self.definitions[s.lhs] = s.rhs
        elif s.kind is Kind.SUBSTITUTION:
            self.substitutions[s.lhs] = s.rhs
        elif s.kind is Kind.ASSUMPTION:
            if s.relation == "in":
                self.domains[s.lhs] = s.rhs
            elif s.relation == "=":
                solved = solve(s.lhs - s.rhs, s.solve_for, dict=True)
                if len(solved) != 1:
                    raise ValueError(
                        f"cannot solve the assumption {s.lhs} = {s.rhs} for {s.solve_for}"
                    )
                self.assumed[s.solve_for] = solved[0][s.solve_for]
            else:
                self.constraints.append((s.relation, s.lhs, s.rhs))


def verify(
    derivation: Derivation,
    *,
    points: int = DEFAULT_POINTS,
    time_limit_s: float | None = DEFAULT_TIME_LIMIT,
) -> VerificationReport:
    """Verify every claim of ``derivation`` and its result; raise on any failure."""
    start = time.perf_counter()
    context = _Context(domains=dict(derivation.domains))
    reports = []
    for i, s in enumerate(derivation.steps, 1):
        if not s.is_claim:
            context.take(s)
            reports.append(StepReport(i, str(s.kind), "given", s.why))
            continue
        check = _check_in(derivation, context, s.lhs, s.rhs, s.relation, i, points, time_limit_s)
        reports.append(_report(i, "claim", check))
    result = derivation.result
    final = _Context(
        definitions=context.definitions,
        assumed=context.assumed,
        constraints=context.constraints,
        domains=context.domains,
    )
    check = _check_in(
        derivation, final, result.lhs, result.rhs, _relation_of(result), 0, points, time_limit_s
    )
    return VerificationReport(
        derivation.slug,
        derivation.title,
        tuple(reports),
        _report(0, "result", check),
        time.perf_counter() - start,
    )


def result_context(derivation: Derivation) -> dict[str, Any]:
    """What the stated result of ``derivation`` is verified under, as keyword arguments of
    :func:`check_claim`: its definitions, its equality assumptions (solved) as
    substitutions, its inequality assumptions as constraints, and its sampling domains.

    >>> from derivations.catalog import get
    >>> sorted(result_context(get("derivative-from-output"))["definitions"], key=str)
    [a]
    """
    context = _Context(domains=dict(derivation.domains))
    for s in derivation.steps:
        if not s.is_claim:
            context.take(s)
    return {
        "definitions": dict(context.definitions),
        "substitutions": dict(context.assumed),
        "constraints": list(context.constraints),
        "domains": dict(context.domains),
    }


def _relation_of(rel: Any) -> str:
    return {"==": "=", "<=": "<=", "<": "<", ">=": ">=", ">": ">", "!=": "!="}[rel.rel_op]


def _check_in(derivation, context, lhs, rhs, relation, index, points, time_limit_s) -> ClaimCheck:
    substitutions = {**context.assumed, **context.substitutions}
    check = check_claim(
        lhs,
        rhs,
        relation,
        definitions=context.definitions,
        substitutions=substitutions,
        constraints=context.constraints,
        domains=context.domains,
        points=points,
        seed=f"{derivation.slug}:{index}",
        time_limit_s=time_limit_s,
    )
    if not check.holds:
        where = "the stated result" if index == 0 else f"step {index}"
        detail = (
            str(check.counterexample)
            if check.counterexample
            else (
                f"only {check.points} points could be evaluated"
                if relation != "!="
                else "no point where the two sides differ was found"
            )
        )
        raise DerivationError(
            f"{derivation.slug}: {where} does not hold: {lhs} {relation} {rhs}; {detail} "
            f"({check.method})",
            slug=derivation.slug,
            step=index,
            counterexample=check.counterexample,
        )
    return check


def _report(index: int, kind: str, check: ClaimCheck) -> StepReport:
    status = "proven" if check.proven else "numeric"
    return StepReport(index, kind, status, check.method, check.points, check.seconds)
