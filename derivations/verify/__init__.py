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

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import mpmath
from sympy import FiniteSet, MatrixBase, Set, Symbol, default_sort_key, solve

from derivations._timeout import TimeLimitExceeded, time_limit
from derivations.engine import Derivation, Kind, Step
from derivations.errors import DerivationError
from derivations.meaning import symbolic_meaning
from derivations.verify.report import ClaimCheck, Counterexample, StepReport, VerificationReport
from derivations.verify.sampling import DEFAULT_POINTS, DIGITS, numeric_check
from derivations.verify.symbolic import exact_counterexample, prove

__all__ = [
    "DEFAULT_POINTS",
    "DEFAULT_TIME_LIMIT",
    "DIGITS",
    "ClaimCheck",
    "Counterexample",
    "StepReport",
    "VerificationReport",
    "check_claim",
    "result_context",
    "verify",
]

DEFAULT_TIME_LIMIT = 4.0  # seconds of symbolic effort per claim


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
    >>> from derivations.functions import sigmoid
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
                exact_point = exact_counterexample(a - b, symbols)
                if exact_point is not None:
                    shown = ", ".join(f"{k} = {v}" for k, v in exact_point.items())
                    method = f"exact counterexample at {shown}"
            else:
                method = prove(relation, a, b, finite)
    except TimeLimitExceeded:
        method = None
    with mpmath.workdps(DIGITS):
        holds, used, counterexample = numeric_check(
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
