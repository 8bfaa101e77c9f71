r"""Check your own math: is a formula you derived by hand equal to a reference?

A formula may be a SymPy expression, a string in Python syntax, or a LaTeX
string (detected by a backslash); a :class:`~derivations.engine.Derivation` as
the reference means the right-hand side of its result, under its definitions,
assumptions and sampling domains. Strings are read by the safe parsers of
:mod:`derivations.parsing` and :mod:`derivations.parse_latex`, never evaluated.

Equality is decided as every step of a derivation is: a symbolic proof attempt
under a time limit, then always a numeric comparison with mpmath at 50 digits
at 30 or more seeded points drawn from each symbol's domain (a positive symbol
is sampled positive, and so on), with a relative tolerance of 1e-30. "Equal"
is said only when no point differs; ``proven`` tells whether SymPy also proved it.

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
decided by the numeric check (mpmath at 50 digits, point 1 of 30)
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import mpmath
from sympy import (
    Basic,
    Expr,
    Float,
    MatrixBase,
    Rational,
    Set,
    Symbol,
    default_sort_key,
    pretty,
)
from sympy.core.relational import Relational

from derivations.engine import Derivation
from derivations.parsing import Builder, Names, ParseError, parse_python
from derivations.verify import DEFAULT_TIME_LIMIT, DIGITS, check_claim, result_context

__all__ = [
    "POINTS",
    "Counterexample",
    "ParseError",
    "Verdict",
    "assert_equivalent",
    "equivalent",
    "parse",
]

POINTS = 30  # the fewest numeric points a verdict rests on
SEED = "derivations.check"
SYNTAXES = ("auto", "python", "latex")


@dataclass(frozen=True)
class Counterexample:
    """A point where the two formulas differ: symbol values by name, and both values there.

    A value is None where that formula is not a real number (log of a negative, say).
    """

    point: dict[str, Any]
    candidate: Any
    reference: Any

    def __str__(self) -> str:
        where = ", ".join(f"{k} = {_number(v)}" for k, v in self.point.items()) or "any point"
        return (
            f"at {where}: candidate = {_number(self.candidate)}, "
            f"reference = {_number(self.reference)}"
        )


@dataclass(frozen=True)
class Verdict:
    """Whether a candidate formula equals a reference, and how that was decided.

    ``equal`` is True only when no numeric point differs; ``proven`` is True when
    SymPy also proved the identity (False when only the numbers decided);
    ``method`` names what decided; ``counterexample`` is set when they differ.
    ``candidate`` and ``reference`` are the two formulas as SymPy objects, as read.
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

    def __bool__(self) -> bool:
        return self.equal

    def __str__(self) -> str:
        if self.equal and self.proven:
            return f"equal: proven by SymPy ({self.method}) and checked at {self.points} points"
        if self.equal:
            return f"equal: checked numerically ({self.method}); SymPy found no proof"
        if self.counterexample is not None:
            return f"NOT equal: {self.counterexample} (numeric check: {self.method})"
        return f"NOT equal: {self.method}"


def _number(value: Any) -> str:
    if value is None:
        return "not a real number"
    if isinstance(value, (mpmath.mpf, mpmath.mpc)):
        return mpmath.nstr(value, 15)
    return str(value)


# --------------------------------------------------------------------------- reading


def _exact(expr: Any) -> Any:
    """Floats turned into the exact decimals they print as: 0.5*x is x/2."""
    if isinstance(expr, MatrixBase):
        return expr.applyfunc(_exact)
    floats = expr.atoms(Float) if isinstance(expr, Basic) else set()
    return expr.xreplace({f: _decimal(str(f)) for f in floats}) if floats else expr


def _decimal(text: str) -> Rational:
    value = Fraction(Decimal(text))
    return Rational(value.numerator, value.denominator)


def _symbols_of(obj: Any) -> dict[str, Symbol]:
    """The free symbols of a SymPy object by name; two different symbols of one name is an error."""
    found: dict[str, Symbol] = {}
    atoms = obj.free_symbols if isinstance(obj, (Basic, MatrixBase)) else set()
    for s in sorted(atoms, key=default_sort_key):
        if not isinstance(s, Symbol):
            continue
        if s.name in found and found[s.name] != s:
            raise ValueError(
                f"two different symbols are both named {s.name!r} "
                f"({found[s.name].assumptions0} and {s.assumptions0}): rename one"
            )
        found[s.name] = s
    return found


def _given_symbols(symbols: Iterable[Symbol] | Mapping[str, Symbol] | None) -> dict[str, Symbol]:
    if symbols is None:
        return {}
    if isinstance(symbols, Mapping):
        items = list(symbols.items())
    else:
        items = [(getattr(s, "name", None), s) for s in symbols]
    found = {}
    for name, s in items:
        if not isinstance(s, Symbol) or not isinstance(name, str):
            raise TypeError(
                f"symbols= takes SymPy Symbols (or a mapping name -> Symbol), got {s!r}"
            )
        found[name] = s
    return found


def _merge(known: dict[str, Symbol], extra: Mapping[str, Symbol], where: str) -> None:
    for name, s in extra.items():
        if name in known and known[name] != s:
            raise ValueError(
                f"symbols= gives {name!r} other assumptions than the {where} has "
                f"({s.assumptions0} against {known[name].assumptions0})"
            )
        known.setdefault(name, s)


def _syntax_of(text: str, syntax: str) -> str:
    if syntax not in SYNTAXES:
        raise ValueError(f"syntax must be one of {SYNTAXES}, not {syntax!r}")
    if syntax == "auto":
        return "latex" if "\\" in text else "python"
    return syntax


def _read_string(text: str, names: Names, syntax: str) -> Expr:
    if _syntax_of(text, syntax) == "latex":
        from derivations.parse_latex import parse_latex  # imports ANTLR: only when needed

        return parse_latex(text, names)
    return parse_python(text, names)


def _read(obj: Any, names: Names, syntax: str, role: str) -> Any:
    """A candidate or reference as a SymPy object, its symbols unified by name with ``names``."""
    if isinstance(obj, str):
        return _read_string(obj, names, syntax)
    if isinstance(obj, bool) or isinstance(obj, Derivation):
        what = "a Derivation" if isinstance(obj, Derivation) else "a bool"
        raise TypeError(f"the {role} cannot be {what}")
    if isinstance(obj, int):
        return Builder().number(obj)
    if isinstance(obj, float):
        return _decimal(repr(obj))
    if isinstance(obj, Relational):
        raise TypeError(f"the {role} is a relation ({obj}): pass one side only")
    if isinstance(obj, (Expr, MatrixBase)):
        # The same name means the same symbol: a plain Symbol("x") is the reference's x.
        mapping = {
            s: names.symbols[s.name]
            for s in _symbols_of(obj).values()
            if s.name in names.symbols and names.symbols[s.name] != s
        }
        return _exact(obj.xreplace(mapping) if mapping else obj)
    raise TypeError(
        f"the {role} must be a SymPy expression, a string or a number, not {type(obj).__name__}"
    )


def _component(rhs: Any, component: int | None, label: str) -> Any:
    if component is None:
        return rhs
    if not isinstance(rhs, MatrixBase):
        raise ValueError(f"{label} is not a matrix: leave out component")
    if not isinstance(component, int) or not 0 <= component < len(rhs):
        raise ValueError(f"{label} has components 0 to {len(rhs) - 1}, not {component!r}")
    return rhs[component]


def _reference(
    reference: Any, component: int | None, given: dict[str, Symbol], candidate: Any, syntax: str
) -> tuple[Any, dict[str, Any], Names]:
    """The reference as SymPy, the context it holds under, and the names strings may use."""
    if isinstance(reference, Derivation):
        label = f"the result of {reference.slug!r}"
        expr = _component(reference.result.rhs, component, label)
        known = {n: s for n, s in reference.symbols.items() if isinstance(s, Symbol)}
        _merge(known, given, "derivation")
        return expr, result_context(reference), Names(known)
    if isinstance(reference, str):
        known = dict(given)
        if isinstance(candidate, (Expr, MatrixBase)):
            _merge(known, _symbols_of(candidate), "candidate")
        names = Names(known, open=True)
        expr = _read_string(reference, names, syntax)
        names.open = False
        return _component(expr, component, "the reference"), {}, names
    expr = _read(reference, Names({}), syntax, "reference")
    known = _symbols_of(expr)
    _merge(known, given, "reference")
    return _component(expr, component, "the reference"), {}, Names(known)


def parse(
    text: str,
    reference: Any = None,
    *,
    symbols: Iterable[Symbol] | Mapping[str, Symbol] | None = None,
    syntax: str = "auto",
) -> Any:
    r"""Read ``text`` as the checker reads a candidate: useful to see what a string means.

    Names are the reference's symbols (and ``symbols=``); without a reference,
    unknown names become real symbols.

    >>> parse(r"\frac{1}{1 + e^{-z}}")
    1/(1 + exp(-z))
    >>> parse("exp(z)/(1 + exp(z))").free_symbols.pop().is_real
    True
    """
    given = _given_symbols(symbols)
    if reference is None:
        return _read_string(text, Names(given, open=True), syntax)
    _, _, names = _reference(reference, None, given, None, syntax)
    return _read(text, names, syntax, "formula")


# --------------------------------------------------------------------------- deciding


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
    it from. ``points`` (at least 30) numeric points decide; ``time_limit`` (in
    seconds, None for none) bounds the symbolic attempt.

    >>> v = equivalent("1/(1 + exp(z))", "sigmoid(z)")  # a flipped sign
    >>> v.equal, v.proven
    (False, False)
    >>> equivalent("(1 + tanh(z/2))/2", "sigmoid(z)").equal
    True
    """
    if not isinstance(points, int) or points < POINTS:
        raise ValueError(f"points must be an integer of at least {POINTS}, not {points!r}")
    start = time.perf_counter()
    given = _given_symbols(symbols)
    ref, context, names = _reference(reference, component, given, candidate, syntax)
    cand = _read(candidate, names, syntax, "candidate")
    if isinstance(cand, MatrixBase) != isinstance(ref, MatrixBase) or (
        isinstance(ref, MatrixBase) and cand.shape != ref.shape
    ):
        shape = f"a {ref.shape[0]}x{ref.shape[1]} matrix" if isinstance(ref, MatrixBase) else None
        hint = f"; pass component=0..{len(ref) - 1} to compare one entry" if shape else ""
        raise ValueError(
            f"the candidate is {_shape(cand)} but the reference is {_shape(ref)}{hint}"
        )
    if domains:
        merged = dict(context.get("domains", {}))
        for key, domain in domains.items():
            s = names.symbols.get(key) if isinstance(key, str) else key
            if s is None:
                raise ValueError(f"domains= names {key!r}, which is not a symbol of the reference")
            merged[s] = domain
        context = {**context, "domains": merged}
    claim = check_claim(
        cand, ref, "=", **context, points=points, seed=SEED, time_limit_s=time_limit
    )
    method = claim.method
    counterexample = None
    if claim.counterexample is not None:
        c = claim.counterexample
        counterexample = Counterexample(dict(c.point), c.lhs, c.rhs)
        method = f"mpmath at {DIGITS} digits, point {claim.points} of {points}"
    elif not claim.holds:
        method = (
            f"mpmath, {DIGITS} digits: only {claim.points} of {points} points could be "
            "evaluated (elsewhere both formulas are undefined or not real)"
        )
    return Verdict(
        equal=claim.holds,
        proven=claim.proven,
        method=method,
        candidate=cand,
        reference=ref,
        counterexample=counterexample,
        points=claim.points,
        seconds=time.perf_counter() - start,
    )


def _shape(obj: Any) -> str:
    if isinstance(obj, MatrixBase):
        return f"a {obj.shape[0]}x{obj.shape[1]} matrix"
    return "a scalar"


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
        where = ", ".join(f"{k} = {_number(v)}" for k, v in c.point.items()) or "any point"
        lines += [
            f"they differ at {where}:",
            f"    candidate = {_number(c.candidate)}",
            f"    reference = {_number(c.reference)}",
            f"decided by the numeric check ({verdict.method})",
        ]
    else:
        lines.append(f"decided by the numeric check: {verdict.method}")
    return "\n".join(lines)


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
    decided by the numeric check (mpmath at 50 digits, point 1 of 30)
    """
    verdict = equivalent(candidate, reference, **options)
    if not verdict.equal:
        raise AssertionError(failure_message(verdict))
