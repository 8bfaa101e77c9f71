"""Reading what a user hands the checker: strings, SymPy objects, numbers, a Derivation.

Strings go through the safe parsers (:mod:`derivations.parsing`,
:mod:`derivations.parse_latex`); SymPy objects are checked for what the
checker cannot evaluate or could never finish building; symbols are unified by
name with the reference's, so ``x`` means the reference's ``x``.

>>> from sympy import Symbol
>>> read_pair("x/2", "0.5*x", None, None, "auto", None)[0]
x/2
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sympy import (
    Basic,
    Expr,
    FiniteSet,
    Float,
    Interval,
    Lambda,
    MatrixBase,
    Rational,
    S,
    Symbol,
    default_sort_key,
)
from sympy.core.function import AppliedUndef
from sympy.core.relational import Relational

from derivations.engine import Derivation
from derivations.errors import DerivationsError
from derivations.parsing import (
    MAX_EXPONENT,
    MAX_NUMBER_BITS,
    Builder,
    Names,
    ParseError,
    parse_python,
    too_big,
    too_big_exponent,
)
from derivations.verify import result_context

__all__ = ["CheckError", "read_pair", "read_text"]

SYNTAXES = ("auto", "python", "latex")
_NOT_FINITE = (S.NaN, S.ComplexInfinity, S.Infinity, S.NegativeInfinity)


class CheckError(DerivationsError, ValueError):
    """A check that cannot be made as asked: a bad option, or formulas of different shapes."""


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
    if isinstance(obj, float):  # numpy.float64 too: its repr is not a decimal
        if not math.isfinite(obj):
            raise ParseError(f"the {role} is not a finite number: {float(obj)!r}")
        return _decimal(repr(float(obj)))
    if isinstance(obj, Relational):
        raise TypeError(f"the {role} is a relation ({obj}): pass one side only")
    if isinstance(obj, (Expr, MatrixBase)):
        _refuse_unreadable(obj, role)
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


def _refuse_unreadable(obj: Any, role: str) -> None:
    """ParseError for a SymPy input the checker cannot evaluate, or that is too large."""
    entries = list(obj) if isinstance(obj, MatrixBase) else [obj]
    for node in (n for e in entries for n in _nodes(e)):
        if isinstance(node, AppliedUndef):
            raise ParseError(
                f"the {role} calls {node.func}, a function SymPy knows nothing about: "
                "write out its formula"
            )
        if isinstance(node, Lambda):
            raise ParseError(f"the {role} holds a Lambda ({node}): apply it, or pass its body")
        if node in _NOT_FINITE:
            raise ParseError(f"the {role} holds {node}: infinite or undefined")
        if node.is_Rational and too_big(node):
            raise ParseError(f"the {role} holds a number of more than {MAX_NUMBER_BITS} bits")
        if node.is_Pow and node.exp.is_Rational and too_big_exponent(node.exp):
            raise ParseError(
                f"the {role} has the exponent {node.exp}, more than {MAX_EXPONENT} in size"
            )


def _nodes(obj: Any) -> list[Any]:
    found, stack = [], [obj]
    while stack:
        e = stack.pop()
        found.append(e)
        stack.extend(a for a in getattr(e, "args", ()) if isinstance(a, Basic))
    return found


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


def read_pair(candidate, reference, symbols, component, syntax, domains):
    """The candidate and the reference as SymPy objects, and the context they are compared in
    (keyword arguments of the sampler: definitions, substitutions, constraints, domains)."""
    given = _given_symbols(symbols)
    ref, context, names = _reference(reference, component, given, candidate, syntax)
    cand = _read(candidate, names, syntax, "candidate")
    if isinstance(cand, MatrixBase) != isinstance(ref, MatrixBase) or (
        isinstance(ref, MatrixBase) and cand.shape != ref.shape
    ):
        shape = f"a {ref.shape[0]}x{ref.shape[1]} matrix" if isinstance(ref, MatrixBase) else None
        hint = f"; pass component=0..{len(ref) - 1} to compare one entry" if shape else ""
        raise CheckError(
            f"the candidate is {_shape(cand)} but the reference is {_shape(ref)}{hint}"
        )
    if domains is not None and not isinstance(domains, Mapping):
        raise TypeError(
            f"domains must be a mapping from symbols (or their names) to SymPy sets, "
            f"such as {{z: Interval(0, 1)}}, not {type(domains).__name__}"
        )
    if domains:
        merged = dict(context.get("domains", {}))
        for key, domain in domains.items():
            _check_domain(key, domain)
            s = names.symbols.get(key) if isinstance(key, str) else key
            if s is None:
                raise CheckError(f"domains= names {key!r}, which is not a symbol of the reference")
            merged[s] = domain
        context = {**context, "domains": merged}
    return cand, ref, context


def _check_domain(key: Any, domain: Any) -> None:
    """A sampling domain: an Interval with real (or infinite) ends, or a FiniteSet of reals."""
    if isinstance(domain, Interval):
        ends = (domain.start, domain.end)
        fine = all(e.is_extended_real and (e.is_number or e.is_infinite) for e in ends)
    elif isinstance(domain, FiniteSet):
        fine = len(domain) > 0 and all(e.is_number and e.is_real for e in domain)
    else:
        fine = False
    if not fine:
        raise CheckError(
            f"domains[{key!r}] must be an Interval with real numbers (or oo) as its ends or a "
            f"FiniteSet of real numbers, not {domain!r}"
        )


def _shape(obj: Any) -> str:
    if isinstance(obj, MatrixBase):
        return f"a {obj.shape[0]}x{obj.shape[1]} matrix"
    return "a scalar"


def read_text(text: str, reference: Any, symbols: Any, syntax: str) -> Any:
    """``text`` read as the checker reads a candidate against ``reference`` (or none)."""
    given = _given_symbols(symbols)
    try:
        if reference is None:
            return _read_string(text, Names(given, open=True), syntax)
        _, _, names = _reference(reference, None, given, None, syntax)
        return _read(text, names, syntax, "formula")
    except (OverflowError, MemoryError, RecursionError) as error:
        raise ParseError(f"the formula is too large to build ({type(error).__name__})") from None
