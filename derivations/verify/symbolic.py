"""The symbolic side of verification: SymPy proof strategies for one claim.

The strategies run in a fixed order and are bounded by work, never by time, so
whether a claim is proven is the same on any machine under any load: the
simplify-class strategies only see expressions of at most ``MAX_COSTLY_OPS``
operations (SymPy's ``count_ops``), the rewrites at most ``MAX_REWRITE_OPS``,
and case splits nest at most ``MAX_CASE_DEPTH`` deep over at most
``MAX_CASE_ARGUMENTS`` arguments each. A claim past a bound is left to the
numeric check: in a strict verification that is an error naming it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sympy import (
    Abs,
    AccumBounds,
    And,
    Basic,
    Dummy,
    Eq,
    Expr,
    Heaviside,
    Limit,
    MatrixBase,
    Max,
    Min,
    Piecewise,
    Rational,
    S,
    Set,
    Symbol,
    asinh,
    cancel,
    count_ops,
    default_sort_key,
    erf,
    erfc,
    exp,
    expand,
    expand_log,
    factor,
    log,
    logcombine,
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
from sympy.core.function import PoleError

from derivations.functions import logit, sigmoid


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

# Work bounds, in SymPy's count_ops of the difference of the two sides. In the catalog the
# largest difference that reaches the rewrites (after "identical", "polynomial" and
# "cancel") has 32 operations, the largest given to simplify 26, the largest sign claim 8;
# rewriting or simplifying a few hundred can take minutes.
MAX_REWRITE_OPS = 240
MAX_COSTLY_OPS = 80
_REWRITES = frozenset({"branches", "exponential form", "expand"})
MAX_CASE_DEPTH = 2
MAX_CASE_ARGUMENTS = 6

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
    return sorted(found, key=default_sort_key)[:MAX_CASE_ARGUMENTS]


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


def _small(d: Any) -> bool:
    """Whether ``d`` is small enough for the simplify-class strategies."""
    return count_ops(d) <= MAX_COSTLY_OPS


def _first_zero(d: Any, strategies) -> str | None:
    ops = None  # counted when a rewrite is reached: most claims are settled before
    for name, strategy in strategies:
        if name in _REWRITES:
            ops = count_ops(d) if ops is None else ops
            if ops > MAX_REWRITE_OPS:
                continue
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
    if depth < MAX_CASE_DEPTH:
        for argument in _case_arguments(d):
            cases = _split_on_sign(argument)
            if cases is not None and all(
                _prove_zero(_decide_max_min(d.subs(case)), depth + 1) for case in cases
            ):
                return f"cases on the sign of {argument}"
    if depth > 0:
        d = d.replace(lambda e: isinstance(e, (Max, Min)), lambda e: e.rewrite(Piecewise))
    return _first_zero(d, _COSTLY_STRATEGIES) if _small(d) else None


def _prove_nonnegative(d: Any, strict: bool) -> str | None:
    attribute = "is_positive" if strict else "is_nonnegative"
    strategies = [("sign", lambda e: e), ("factor", factor)]
    if _small(d):
        strategies += [
            ("simplify", simplify),
            ("factor(exp)", lambda e: factor(simplify(_elementary(e)))),
        ]
    for name, strategy in strategies:
        try:
            if getattr(strategy(d), attribute) is True:
                return name
        except (TypeError, ValueError, NotImplementedError, AttributeError):
            continue
    return None


def exact_counterexample(d: Any, symbols: Sequence[Symbol]) -> dict[Symbol, Any] | None:
    """An exact point where ``d`` is provably nonzero, tried among small rationals."""
    candidates = (S.Zero, S.One, S.Half, -S.One, Rational(2), Rational(1, 3), Rational(-3, 2))
    rng = random.Random(0)
    for attempt in range(12):
        point = {}
        for i, s in enumerate(symbols):
            pool = [c for c in candidates if _allowed(s, c)]
            point[s] = pool[(attempt + i) % len(pool)] if attempt < 4 else rng.choice(pool)
        try:
            value = _elementary(d.subs(point))
            value = simplify(value) if _small(value) else value
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


def prove(relation: str, lhs: Any, rhs: Any, finite: Mapping[Symbol, Set]) -> str | None:
    """Try to prove the claim symbolically; return the method, or None."""
    if isinstance(lhs, MatrixBase) or isinstance(rhs, MatrixBase):
        if relation != "=" or getattr(lhs, "shape", None) != getattr(rhs, "shape", None):
            return None
        methods = []
        for a, b in zip(lhs, rhs, strict=True):
            m = prove("=", a, b, finite)
            if m is None:
                return None
            methods.append(m)
        return "entrywise: " + ", ".join(sorted(set(methods)))
    if relation == "!=":
        return None  # proven by an exact counterexample, handled by the caller
    if undefined(lhs) or undefined(rhs):
        return None  # zoo = zoo and oo <= 5 prove nothing
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


def undefined(expr: Any) -> bool:
    """Whether ``expr`` contains complex infinity (zoo, a division by zero) or nan.

    >>> from sympy import Symbol, zoo
    >>> undefined(Symbol("x") + zoo), undefined(Symbol("x"))
    (True, False)
    """
    if isinstance(expr, MatrixBase):
        return any(undefined(e) for e in expr)
    return isinstance(expr, Basic) and expr.has(S.ComplexInfinity, S.NaN)


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


def evaluated_limits(relation: str, a: Any, b: Any, limits: bool) -> tuple[bool | None, str]:
    """(True: SymPy evaluates the claim's limits and the sides agree; False: they provably
    differ; None: no limit, or SymPy cannot tell) and what SymPy found.

    Only for "=" between scalars: ``Limit(x/10**300, x, oo) = 0`` is False (the
    limit is oo), whatever a few numeric steps going out suggest. ``limits``:
    the claim as written has a limit (``a`` and ``b`` may have it evaluated).
    """
    if relation != "=" or isinstance(a, MatrixBase) or isinstance(b, MatrixBase):
        return None, ""
    if not limits:
        return None, ""
    try:
        va, vb = (S(v).doit() if S(v).has(Limit) else S(v) for v in (a, b))
    except (NotImplementedError, ValueError, TypeError, RecursionError, PoleError):
        return None, ""
    if va.has(Limit, S.NaN, AccumBounds) or vb.has(Limit, S.NaN, AccumBounds):
        return None, ""
    shown = f"SymPy evaluates the limit: {va} against {vb}"
    if va == vb:
        return True, shown
    if va.free_symbols or vb.free_symbols:
        return None, ""
    if va.is_infinite or vb.is_infinite:
        return (False, shown) if va != vb else (True, shown)
    difference = va - vb
    if difference.is_zero is False:
        return False, shown
    return (True, shown) if difference.is_zero else (None, "")
