r"""Check your own math: is a formula you derived by hand equal to a reference?

A formula may be a SymPy expression, a string in Python syntax, or a LaTeX
string (detected by a backslash); a :class:`~derivations.engine.Derivation` as
the reference means the right-hand side of its result, under its definitions,
assumptions and sampling domains. Strings are read by the safe parsers of
:mod:`derivations.parsing` and :mod:`derivations.parse_latex`, never evaluated.

Equality is decided in a worker process under a time limit (8 s by default,
``time_limit=`` in seconds; it works from any thread): the formulas are read,
then compared with mpmath at 50 digits at 30 seeded random points drawn from
each symbol's domain (a positive symbol is sampled positive, and so on), at a
ladder of magnitudes (0, +-1, +-1e-9 ... +-1e3) and at the breakpoints of Abs,
Max, Min, sign, Heaviside and Piecewise with points on both sides of them
(see :mod:`derivations.verify.points`), to a relative tolerance of 1e-30; a
disagreement is re-evaluated with more digits before it counts. A point where
one formula is defined and the other is not is a difference. Then SymPy tries
to prove the identity; a difference that simplifies to a nonzero constant is
"not equal" however small it is (decimals are exact). Where SymPy finds no
proof, the difference is evaluated exactly at exact points (magnitudes to
1e+-30 and beside every breakpoint that ``solveset`` finds, see
:mod:`derivations.verify.disprove`): a certifiably nonzero value is "not equal".
"Equal" is said only when no point differs; ``proven`` tells whether SymPy also proved it. Out of
time, or where a value overflows, :class:`Undecided` is raised: the checker
never says "equal" when it cannot decide.

>>> import derivations
>>> from derivations import check
>>> reference = derivations.get("sigmoid-derivative")  # sigma'(z) = sigma(z)(1 - sigma(z))
>>> verdict = check.equivalent(r"\frac{e^{-z}}{\left(1 + e^{-z}\right)^{2}}", reference)
>>> verdict.equal, verdict.proven
(True, True)
>>> slip = check.equivalent("z*(1 - z)", reference)  # x(1 - x) handed the input z
>>> slip.equal
False
>>> print(slip.counterexample)  # doctest: +ELLIPSIS
at z = ...: candidate = ..., reference = ...
>>> check.assert_equivalent("exp(z)/(1 + exp(z))**2", reference)  # passes: returns None
>>> check.assert_equivalent("2*sigmoid(z)", "sigmoid(z)")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
AssertionError: the candidate is not equivalent to the reference
candidate:
    2*sigmoid(z)
reference:
    sigmoid(z)
they differ at z = ...:
    candidate = ...
    reference = ...
decided by the numeric check (mpmath at 50 digits, point 1: a random point in the domains)
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import mpmath
from sympy import (
    FiniteSet,
    MatrixBase,
    Set,
    Symbol,
    cancel,
    pretty,
    together,
)

from derivations._timeout import (
    DeadlineExceeded,
    NoGuard,
    TimeLimitExceeded,
    WorkerDied,
    call_with_deadline,
    time_limit,
)
from derivations.errors import DerivationsError
from derivations.meaning import symbolic_meaning
from derivations.parsing import (
    ParseError,
)
from derivations.reading import CheckError, read_pair, read_text
from derivations.verify.disprove import exact_disproof
from derivations.verify.report import Counterexample, format_value
from derivations.verify.sampling import DEFAULT_POINTS, DIGITS, sample_check
from derivations.verify.symbolic import prove

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "POINTS",
    "CheckError",
    "Counterexample",
    "ParseError",
    "Undecided",
    "Verdict",
    "assert_equivalent",
    "equivalent",
    "parse",
]

POINTS = DEFAULT_POINTS  # the fewest random points a verdict rests on (the ladder comes on top)
DEFAULT_TIME_LIMIT = 8.0  # seconds for a whole decision, reading included
MAX_TIME_LIMIT = 1e6  # seconds (11.6 days); None is no limit
SYMBOLIC_SECONDS = 4.0  # the most that SymPy's proof attempt gets of it
SEED = "derivations.check"


class Undecided(DerivationsError):
    """No verdict: the decision ran out of time, or a value overflowed at a sampled point.

    The checker never says "equal" when it cannot decide; it raises this instead.
    """


@dataclass(frozen=True)
class Verdict:
    """Whether a candidate formula equals a reference, and how that was decided.

    ``equal`` is True only when no numeric point differs; ``proven`` is True when
    SymPy also proved the identity (False when only the numbers decided);
    ``method`` names what decided; ``counterexample`` is set when they differ.
    ``candidate`` and ``reference`` are the two formulas as SymPy objects, as read.
    ``points`` counts the points evaluated and ``plan`` says which they were
    (random points, the ladder of magnitudes, breakpoints).
    A verdict is truthy when the formulas are equal.
    """

    equal: bool
    proven: bool
    method: str
    candidate: Any
    reference: Any
    counterexample: Counterexample | None = None
    points: int = 0
    seconds: float = 0.0
    plan: str = ""

    def __bool__(self) -> bool:
        return self.equal

    def __str__(self) -> str:
        if self.equal and self.proven:
            return (
                f"equal: proven by SymPy ({self.method}) and checked at {self.points} points "
                f"({self.plan})"
            )
        if self.equal:
            return (
                f"equal: checked numerically ({self.method}) at {self.points} points "
                f"({self.plan}); SymPy found no proof"
            )
        if self.counterexample is not None:
            return f"NOT equal: {self.counterexample} (numeric check: {self.method})"
        return f"NOT equal: {self.method}"


def parse(
    text: str,
    reference: Any = None,
    *,
    symbols: Iterable[Symbol] | Mapping[str, Symbol] | None = None,
    syntax: str = "auto",
    time_limit: float | None = DEFAULT_TIME_LIMIT,
) -> Any:
    r"""Read ``text`` as the checker reads a candidate: useful to see what a string means.

    Names are the reference's symbols (and ``symbols=``); without a reference,
    unknown names become real symbols. Reading runs in a worker process under
    ``time_limit`` seconds, as in :func:`equivalent` (:class:`Undecided` if it
    runs out).

    >>> parse(r"\frac{1}{1 + e^{-z}}")
    1/(1 + exp(-z))
    >>> parse("exp(z)/(1 + exp(z))").free_symbols.pop().is_real
    True
    """
    seconds = _time_limit(time_limit)
    return _in_worker(read_text, (text, reference, symbols, syntax), seconds, "reading the formula")


# --------------------------------------------------------------------------- deciding


def _time_limit(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CheckError(f"time_limit must be a number of seconds or None, not {value!r}")
    try:
        fine = math.isfinite(value) and 0 < value <= MAX_TIME_LIMIT
    except OverflowError:  # an int too large for a float
        fine = False
    if not fine:
        raise CheckError(
            f"time_limit must be a positive number of seconds of at most {MAX_TIME_LIMIT:g} "
            f"(or None for no limit), not {value!r}"
        )
    return float(value)


def _in_worker(fn: Any, args: tuple, time_limit: float | None, what: str) -> Any:
    try:
        return call_with_deadline(fn, args, seconds=time_limit)
    except DeadlineExceeded:
        raise Undecided(
            f"no verdict: {what} took longer than the time limit of {time_limit:g} s "
            "(it was stopped); simplify the formula or pass a larger time_limit="
        ) from None
    except WorkerDied as error:
        raise Undecided(f"no verdict: {error}") from None
    except NoGuard as error:
        raise Undecided(f"no verdict: {error}; pass time_limit=None to run unguarded") from None


def equivalent(
    candidate: Any,
    reference: Any,
    *,
    symbols: Iterable[Symbol] | Mapping[str, Symbol] | None = None,
    component: int | None = None,
    syntax: str = "auto",
    domains: Mapping[Symbol | str, Set] | None = None,
    points: int = POINTS,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
) -> Verdict:
    r"""Decide whether ``candidate`` equals ``reference`` for every value of their symbols.

    ``candidate`` and ``reference`` are SymPy expressions, strings in Python
    syntax (``"exp(z)/(1 + exp(z))"``) or LaTeX (``r"\frac{e^{z}}{1+e^{z}}"``,
    recognised by a backslash; ``syntax="python"`` or ``"latex"`` forces one),
    or numbers. The reference may be a ``Derivation``: the right-hand side of its
    result. A matrix result (a gradient) is compared entry by entry with a
    matrix candidate, or one entry with ``component=`` (0-based, row by row).

    Names in strings, and SymPy symbols, are matched by name to the reference's
    symbols, so ``x`` is the reference's ``x`` with its assumptions. A name the
    reference lacks may be declared with ``symbols=``; otherwise it is a
    :class:`ParseError` that lists the known names. A reference given as a
    string makes its names real symbols (or those of ``symbols=``).
    ``domains`` maps a symbol (or its name) to an Interval or FiniteSet to sample
    it from. ``points`` (at least 30) random points are used, besides the ladder
    of magnitudes and the breakpoints (see the module's documentation).

    ``time_limit`` is in seconds (default 8; None for none): the whole decision
    (reading, SymPy's attempt, the numeric check) runs in a worker process,
    stopped when its time is up; that works from any thread. Out of time, or
    where a value overflows, :class:`Undecided` is raised: the checker never
    says "equal" when it cannot decide. SymPy's proof attempt gets what is left
    of the time after the numeric check, at most 4 s.

    >>> v = equivalent("1/(1 + exp(z))", "sigmoid(z)")  # a flipped sign
    >>> v.equal, v.proven
    (False, False)
    >>> equivalent("(1 + tanh(z/2))/2", "sigmoid(z)").equal
    True
    """
    if isinstance(points, bool) or not isinstance(points, int) or points < POINTS:
        raise CheckError(f"points must be an integer of at least {POINTS}, not {points!r}")
    seconds = _time_limit(time_limit)
    start = time.perf_counter()
    request = (candidate, reference, symbols, component, syntax, domains, points, seconds)
    verdict = _in_worker(_decide, request, seconds, "the check")
    return replace(verdict, seconds=time.perf_counter() - start)


def _decide(candidate, reference, symbols, component, syntax, domains, points, seconds) -> Verdict:
    """The whole decision, run in the worker process (see :func:`equivalent`)."""
    start = time.monotonic()
    try:
        cand, ref, context = read_pair(candidate, reference, symbols, component, syntax, domains)
    except (OverflowError, MemoryError, RecursionError) as error:
        raise ParseError(f"the formula is too large to build ({type(error).__name__})") from None
    with mpmath.workdps(DIGITS):
        sampled = sample_check(
            "=",
            cand,
            ref,
            definitions=context.get("definitions", {}),
            substitutions=context.get("substitutions", {}),
            constraints=context.get("constraints", ()),
            domains=context.get("domains", {}),
            points=points,
            seed=SEED,
        )
    if sampled.counterexample is not None:
        c = replace(sampled.counterexample, labels=("candidate", "reference"))
        method = f"mpmath at {DIGITS} digits, point {sampled.points}: {sampled.where}"
        return Verdict(False, False, method, cand, ref, c, sampled.points, plan=sampled.plan)
    if sampled.overflow is not None:
        disproved = _disproved(cand, ref, context, sampled)
        if disproved is not None:
            return disproved
        where = ", ".join(f"{k} = {format_value(v)}" for k, v in sampled.overflow.items())
        raise Undecided(
            f"no verdict: a value overflowed at {where or 'any point'} ({sampled.plan})"
        )
    if not sampled.holds:
        method = (
            f"mpmath at {DIGITS} digits: only {sampled.points} points could be evaluated, "
            f"{points} random ones are needed (elsewhere both formulas are undefined or not "
            f"real): {sampled.plan}"
        )
        return Verdict(False, False, method, cand, ref, None, sampled.points, plan=sampled.plan)
    budget = SYMBOLIC_SECONDS if seconds is None else (seconds - (time.monotonic() - start)) * 0.8
    constant, method = _symbolic(cand, ref, context, min(SYMBOLIC_SECONDS, budget))
    if constant is not None:
        method = f"the difference simplifies to the nonzero constant {constant}"
        c = None
        if not getattr(cand, "free_symbols", None) and not getattr(ref, "free_symbols", None):
            with mpmath.workdps(DIGITS):  # two numbers: their values are the counterexample
                values = [mpmath.mpf(str(e.evalf(DIGITS + 10))) for e in (cand, ref)]
            c = Counterexample({}, *values, labels=("candidate", "reference"))
        return Verdict(False, False, method, cand, ref, c, sampled.points, plan=sampled.plan)
    proven = method is not None
    if not proven:
        disproved = _disproved(cand, ref, context, sampled)
        if disproved is not None:
            return disproved
    method = method or f"mpmath at {DIGITS} digits"
    return Verdict(True, proven, method, cand, ref, None, sampled.points, plan=sampled.plan)


def _disproved(cand: Any, ref: Any, context: dict, sampled: Any) -> Verdict | None:
    """A "not equal" verdict from an exact disproof (see :mod:`derivations.verify.disprove`)."""
    found = _disproof(cand, ref, context)
    if found is None:
        return None
    c, method = found
    return Verdict(False, False, method, cand, ref, c, sampled.points, plan=sampled.plan)


def _disproof(cand: Any, ref: Any, context: dict) -> tuple[Counterexample, str] | None:
    """A point where the difference is exactly, certifiably nonzero (see verify.disprove)."""
    if context.get("constraints"):
        return None  # the points would have to satisfy them as well
    definitions = context.get("definitions", {})
    substitutions = context.get("substitutions", {})
    try:
        a = symbolic_meaning(cand, definitions, substitutions)
        b = symbolic_meaning(ref, definitions, substitutions)
        pairs = list(zip(a, b, strict=True)) if isinstance(a, MatrixBase) else [(a, b)]
        for x, y in pairs:
            d = x - y
            domains = context.get("domains", {})
            point = exact_disproof(d, list(d.free_symbols), domains, abs(x) + abs(y))
            if point is not None:
                values = [_exact_value(e, point) for e in (x, y)]
                where = {str(k): _exact_value(v, {}) for k, v in point.items()}
                c = Counterexample(where, *values, labels=("candidate", "reference"))
                shown = ", ".join(f"{k} = {v}" for k, v in point.items()) or "every point"
                return c, f"SymPy, exactly: the difference is certifiably nonzero at {shown}"
    except (OverflowError, MemoryError, RecursionError, TypeError, ValueError):
        return None
    return None


def _exact_value(e: Any, point: dict) -> Any:
    """``e`` at ``point`` as an mpf at the working precision (None if not a real number)."""
    value = e.subs(point).doit().evalf(DIGITS)
    if not value.is_real or not value.is_finite:
        return None
    with mpmath.workdps(DIGITS):
        return mpmath.mpf(value)


def _symbolic(cand: Any, ref: Any, context: dict, seconds: float) -> tuple[Any, str | None]:
    """(a nonzero constant that the difference equals, or None; SymPy's proof method or None)."""
    if seconds <= 0:
        return None, None
    definitions = context.get("definitions", {})
    substitutions = context.get("substitutions", {})
    finite = {s: d for s, d in context.get("domains", {}).items() if isinstance(d, FiniteSet)}
    try:
        with time_limit(seconds):
            a = symbolic_meaning(cand, definitions, substitutions)
            b = symbolic_meaning(ref, definitions, substitutions)
            if not isinstance(a, MatrixBase):
                difference = cancel(together(a - b))
                if difference.is_number and difference.is_zero is False:
                    return difference, None
            return None, prove("=", a, b, finite)
    except TimeLimitExceeded:
        return None, None
    except (OverflowError, MemoryError, RecursionError, TypeError, ValueError):
        return None, None


def _pretty(expr: Any) -> str:
    return "\n".join("    " + line for line in pretty(expr, use_unicode=False).splitlines())


def failure_message(verdict: Verdict) -> str:
    """What :func:`assert_equivalent` says when the formulas differ."""
    lines = [
        "the candidate is not equivalent to the reference",
        "candidate:",
        _pretty(verdict.candidate),
        "reference:",
        _pretty(verdict.reference),
    ]
    c = verdict.counterexample
    if c is not None:
        where = ", ".join(f"{k} = {format_value(v)}" for k, v in c.point.items()) or "any point"
        lines += [
            f"they differ at {where}:",
            f"    candidate = {format_value(c.candidate)}",
            f"    reference = {format_value(c.reference)}",
            f"decided by {_decider(verdict.method)}",
        ]
    else:
        lines.append(f"decided by the numeric check: {verdict.method}")
    return "\n".join(lines)


def _decider(method: str) -> str:
    if method.startswith("SymPy, exactly"):
        return f"an exact evaluation ({method})"
    return f"the numeric check ({method})"


def assert_equivalent(candidate: Any, reference: Any, **options: Any) -> None:
    """Raise ``AssertionError`` unless ``candidate`` equals ``reference`` (see :func:`equivalent`).

    The message shows both formulas pretty-printed, the point where they
    differ, both values there, and what decided.

    >>> assert_equivalent("x/2", "0.5*x")
    >>> assert_equivalent("2*x", "x")
    Traceback (most recent call last):
    ...
    AssertionError: the candidate is not equivalent to the reference
    candidate:
        2*x
    reference:
        x
    they differ at x = ...:
        candidate = ...
        reference = ...
    decided by the numeric check (mpmath at 50 digits, point 1: a random point in the domains)
    """
    verdict = equivalent(candidate, reference, **options)
    if not verdict.equal:
        raise AssertionError(failure_message(verdict))
