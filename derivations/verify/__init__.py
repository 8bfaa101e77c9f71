"""Verification of derivations: a symbolic proof attempt, then always a numeric check.

Every claim is first given to SymPy (cheap normal forms, then ``simplify``,
logarithm expansion, rewrites to exponentials, and case splits on the sign of
the arguments of Abs, Max, Min and Heaviside), in a fixed order and bounded by
the size of the expression, never by time: a claim's mark is the same on any
machine. Whatever SymPy says, the claim is then evaluated with mpmath at 50
digits at seeded random points drawn from each symbol's domain; derivatives
are evaluated there by mpmath's own numerical differentiation and limits by
evaluating far out, so the numeric route does not reuse SymPy's calculus. A
claim is "proven" only when SymPy proved it; one that only the numbers
confirm is "checked numerically"; any disagreement is an error.

A claim that the author expects only the numbers to confirm says so in its
step (``numeric="why SymPy cannot prove it"``). In a strict verification (the
catalog's) an unmarked claim that SymPy does not prove, and a marked one that
it does, is an error; otherwise each is a note in the report.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import mpmath
from sympy import (
    Basic,
    FiniteSet,
    Limit,
    MatrixBase,
    MatrixSymbol,
    Set,
    Symbol,
    default_sort_key,
    solve,
)
from sympy.core.function import AppliedUndef

from derivations.engine import Derivation, Kind, Step, implement
from derivations.errors import DerivationError, DerivationsError
from derivations.meaning import symbolic_meaning
from derivations.verify.report import (
    ClaimCheck,
    Counterexample,
    Failure,
    StepReport,
    VerificationReport,
)
from derivations.verify.sampling import DEFAULT_POINTS, DIGITS, numeric_check
from derivations.verify.symbolic import evaluated_limits, exact_counterexample, prove, undefined

__all__ = [
    "DEFAULT_POINTS",
    "DEFAULT_TIME_LIMIT",
    "DIGITS",
    "ClaimCheck",
    "Counterexample",
    "Failure",
    "StepReport",
    "VerificationReport",
    "check_claim",
    "result_context",
    "verify",
]

# Seconds; no longer used by verification (proof attempts are bounded by work). Kept for
# derivations.check, whose guard protects users' formulas from hanging.
DEFAULT_TIME_LIMIT = 4.0

_UNSET: Any = object()


def _deprecated_time_limit(value: Any) -> None:
    if value is not _UNSET:
        warnings.warn(
            "time_limit_s no longer does anything: proof attempts are bounded by work, not "
            "time, so that a claim's mark never depends on the machine; the keyword goes in "
            "the next release",
            DeprecationWarning,
            stacklevel=3,
        )


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
    time_limit_s: Any = _UNSET,
) -> ClaimCheck:
    """Check ``lhs <relation> rhs``: a symbolic proof attempt, then the numeric check.

    A side that is undefined (complex infinity from a division by zero, or nan)
    makes the claim fail, with the reason as its method. ``time_limit_s`` is
    deprecated and ignored.

    >>> from sympy import Symbol, exp
    >>> from derivations.functions import sigmoid
    >>> z = Symbol("z", real=True)
    >>> c = check_claim(sigmoid(z), exp(z) / (1 + exp(z)))
    >>> c.holds, c.proven, c.method
    (True, True, 'cancel')
    >>> check_claim(sigmoid(z), 1 / (1 + exp(z))).holds
    False
    """
    _deprecated_time_limit(time_limit_s)
    definitions = dict(definitions or {})
    substitutions = dict(substitutions or {})
    domains = dict(domains or {})
    start = time.perf_counter()
    a = symbolic_meaning(lhs, definitions, substitutions)
    b = symbolic_meaning(rhs, definitions, substitutions)
    reason = _unusable(a, b)
    if reason:
        return ClaimCheck(False, False, reason, 0, None, time.perf_counter() - start)
    limits = any(isinstance(v, Basic) and v.has(Limit) for v in (lhs, rhs))
    evaluated, how = evaluated_limits(relation, a, b, limits)
    if evaluated is False:
        return ClaimCheck(False, False, how, 0, None, time.perf_counter() - start)
    method = _symbolic(relation, a, b, domains) or (how if evaluated else None)
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
            proven_limit=bool(evaluated),
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


def _symbolic(relation: str, a: Any, b: Any, domains: Mapping[Symbol, Set]) -> str | None:
    """How SymPy establishes the claim (a proof, or for "!=" an exact point), or None."""
    if relation == "!=" and not isinstance(a, MatrixBase):
        symbols = sorted((a - b).free_symbols, key=default_sort_key)
        exact_point = exact_counterexample(a - b, symbols)
        if exact_point is None:
            return None
        shown = ", ".join(f"{k} = {v}" for k, v in exact_point.items())
        return f"exact counterexample at {shown}"
    finite = {s: d for s, d in domains.items() if isinstance(d, FiniteSet)}
    return prove(relation, a, b, finite)


def _unusable(a: Any, b: Any) -> str | None:
    """Why the claim a = b (both sides in base symbols) cannot be checked, or None."""
    shapes = [getattr(v, "shape", None) if isinstance(v, MatrixBase) else None for v in (a, b)]
    if shapes[0] != shapes[1]:
        shown = [f"a {r}x{c} matrix" if r else "a scalar" for r, c in (s or (0, 0) for s in shapes)]
        return f"the two sides have different shapes: {shown[0]} and {shown[1]}"
    for side, value in (("left", a), ("right", b)):
        if undefined(value):
            return f"the {side} side is undefined (complex infinity or nan): {value}"
        entries = value if isinstance(value, MatrixBase) else [value]
        for e in entries:
            if not isinstance(e, Basic):
                continue
            unknown = sorted(
                {str(f.func) for f in e.atoms(AppliedUndef)}
                | {str(m) for m in e.atoms(MatrixSymbol)}
            )
            if unknown:
                return (
                    f"the {side} side uses {', '.join(unknown)}, which has no formula: the "
                    "numeric check cannot evaluate it (define it, or write it out)"
                )
    return None


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


@dataclass(frozen=True)
class _Claim:
    """One claim to check: a step (index from 1, as written) or the result (index 0)."""

    index: int
    lhs: Any
    rhs: Any
    relation: str
    why: str
    numeric: str | None
    identical: bool = False  # both sides already the same expression as SymPy built them


def verify(
    derivation: Derivation,
    *,
    points: int = DEFAULT_POINTS,
    strict: bool | None = None,
    time_limit_s: Any = _UNSET,
) -> VerificationReport:
    """Verify every claim of ``derivation`` and its result; raise on any failure.

    Every claim is checked; one :class:`DerivationError` then lists every
    failing one (its ``failures``), numbered as written. ``strict`` (None: the
    derivation's own ``strict``) makes an unmarked claim that SymPy does not
    prove, or a claim marked ``numeric=`` that it does, a failure; otherwise
    each is a note in the report. ``time_limit_s`` is deprecated and ignored.

    >>> from sympy import Symbol, acos, asin, pi
    >>> from derivations.engine import step
    >>> x = Symbol("x", real=True)
    >>> d = Derivation("arcs", "Arcs", [step(acos(x / 5) + asin(x / 5), pi / 2, "angles")])
    >>> print(d.verify().notes[0])
    step 1: SymPy found no proof, the numeric check confirms it; ...
    """
    _deprecated_time_limit(time_limit_s)
    strict = derivation.strict if strict is None else strict
    start = time.perf_counter()
    context = _Context(domains=dict(derivation.domains))
    reports: list[StepReport] = []
    failures: list[Failure] = []
    for i, s in enumerate(derivation.steps, 1):
        if not s.is_claim:
            _take(derivation, context, s, i)
            reports.append(StepReport(i, str(s.kind), "given", s.why))
            continue
        claim = _Claim(i, s.lhs, s.rhs, s.relation, s.why, s.numeric, s.lhs == s.rhs)
        reports.append(_check_in(derivation, context, claim, points, strict, failures))
    result = derivation.result
    final = _Context(
        definitions=context.definitions,
        assumed=context.assumed,
        constraints=context.constraints,
        domains=context.domains,
    )
    relation = _relation_of(result)
    claim = _Claim(0, result.lhs, result.rhs, relation, "", derivation.numeric_result)
    result_report = _check_in(derivation, final, claim, points, strict, failures)
    if failures:
        raise _error(derivation, failures)
    return VerificationReport(
        derivation.slug,
        derivation.title,
        tuple(reports),
        result_report,
        time.perf_counter() - start,
    )


def _take(derivation: Derivation, context: _Context, s: Step, index: int) -> None:
    """Put a definition, substitution or assumption in force; one that cannot be used (an
    equality SymPy cannot solve) is an error naming the step."""
    try:
        context.take(s)
    except (ValueError, NotImplementedError) as error:
        raise DerivationError(
            f"{derivation.slug}: step {index} cannot be used: {s.lhs} {s.relation} {s.rhs} "
            f"(justification: {s.why}); {error}",
            slug=derivation.slug,
            step=index,
        ) from error


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


def _check_in(derivation, context, claim: _Claim, points, strict, failures) -> StepReport:
    """Check one claim; append to ``failures`` what fails; return its report line."""
    kind = "result" if claim.index == 0 else "claim"
    try:
        check = check_claim(
            claim.lhs,
            claim.rhs,
            claim.relation,
            definitions=context.definitions,
            substitutions={**context.assumed, **context.substitutions},
            constraints=context.constraints,
            domains=context.domains,
            points=points,
            seed=f"{derivation.slug}:{claim.index}",
        )
    except DerivationsError:
        raise
    except Exception as error:  # reported with the step's number, not as a traceback
        detail = f"{type(error).__name__}: {error}"
        failures.append(_failure(claim, "could not be evaluated by the verifier", detail))
        return StepReport(claim.index, kind, "numeric", detail)
    if not check.holds:
        detail = _detail(claim, check)
        failures.append(_failure(claim, "does not hold", detail, check.counterexample))
        return StepReport(claim.index, kind, "numeric", check.method, check.points)
    note, problem = _judge(claim, check, strict)
    if problem:
        failures.append(_failure(claim, *problem))
    status = "proven" if check.proven else "numeric"
    return StepReport(claim.index, kind, status, check.method, check.points, check.seconds, note)


def _judge(claim: _Claim, check: ClaimCheck, strict: bool) -> tuple[str, tuple[str, ...]]:
    """A note for the report, or (in strict mode) a failure (verdict, detail), about how
    the claim was established."""
    if claim.identical and claim.relation == "=":
        text = (
            "both sides are the same expression as SymPy built them (it evaluates what was "
            "written, e.g. log(exp(z)) to z), so the step proves nothing"
        )
        return ("", ("proves nothing", text)) if strict else (text, ())
    if check.proven and claim.numeric:
        text = f"marked numeric ({claim.numeric}), but SymPy proves it ({check.method})"
        return ("", ("has a stale mark", text + ": remove the mark")) if strict else (text, ())
    if not check.proven and claim.numeric:
        return f"numeric by design: {claim.numeric}", ()
    if not check.proven:
        if strict:
            text = f"expected a proof; SymPy found none ({check.method} confirm it)"
            return "", ("is not proven", text)
        return (
            "SymPy found no proof, the numeric check confirms it; say why with "
            'numeric="..." on the step, or verify(strict=True) to make this an error',
            (),
        )
    return "", ()


def _failure(claim: _Claim, verdict: str, detail: str, counterexample=None) -> Failure:
    return Failure(claim.index, claim.why, _shown(claim), verdict, detail, counterexample)


def _shown(claim: _Claim) -> str:
    return f"{claim.lhs} {claim.relation} {claim.rhs}"


def _detail(claim: _Claim, check: ClaimCheck) -> str:
    c = check.counterexample
    if c is not None:
        return f"{_differing(c)} ({check.method})"
    if check.points == 0 and not check.method.startswith("mpmath"):
        return check.method
    if claim.relation == "!=":
        return f"no point where the two sides differ was found ({check.method})"
    return f"only {check.points} points could be evaluated ({check.method})"


def _differing(c: Counterexample) -> str:
    """The point and both sides, to as many digits as it takes to tell them apart."""
    where = ", ".join(f"{k} = {mpmath.nstr(v, 15)}" for k, v in c.point.items()) or "any point"
    a, b = c.lhs, c.rhs
    if not all(isinstance(v, (mpmath.mpf, int, float)) for v in (a, b)):
        return f"at {where}: left side = {a}, right side = {b}"
    with mpmath.workdps(DIGITS):  # the values carry DIGITS digits; keep them all
        a, b = mpmath.mpf(a), mpmath.mpf(b)
        digits = 12
        while digits < DIGITS and mpmath.nstr(a, digits) == mpmath.nstr(b, digits):
            digits += 4
        return (
            f"at {where}: left side = {mpmath.nstr(a, digits)}, "
            f"right side = {mpmath.nstr(b, digits)}, difference {mpmath.nstr(a - b, 6)}"
        )


def _error(derivation: Derivation, failures: list[Failure]) -> DerivationError:
    lines = [str(f) for f in failures]
    if len(lines) == 1:
        message = f"{derivation.slug}: {lines[0]}"
    else:
        message = f"{derivation.slug}: {len(lines)} claims fail:\n" + "\n".join(
            f"  {line}" for line in lines
        )
    return DerivationError(
        message,
        slug=derivation.slug,
        step=failures[0].step,
        counterexample=failures[0].counterexample,
        failures=failures,
    )


implement("verify", verify)
