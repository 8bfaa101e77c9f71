"""The arguments of :func:`derivations.differentiate`, read and checked.

Strings are read by the toolkit's safe parser (``check.parse``), never evaluated;
names are unified across the expression, ``wrt`` and ``through``, so that ``"z"``
in one string and ``Symbol("z", real=True)`` in another are the same symbol.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sympy import Basic, Expr, Integer, MatrixBase, Symbol, default_sort_key
from sympy.core.relational import Relational

from derivations.derive_rules import DifferentiationError, check_pieces
from derivations.engine import canonical

__all__ = ["reaches", "read_arguments"]


def _fromlist(wrt: Any) -> list[Any]:
    if isinstance(wrt, (str, Basic)):
        return [wrt]
    if isinstance(wrt, Iterable) and not isinstance(wrt, Mapping):
        items = list(wrt)
        if not items:
            raise ValueError("wrt is empty: name at least one symbol")
        return items
    raise TypeError(f"wrt must be a symbol, a name, or a sequence of them, not {wrt!r}")


def read_arguments(
    expr: Any, wrt: Any, through: Mapping[Any, Any] | None
) -> tuple[Expr, list[Symbol], dict[Symbol, Expr]]:
    """The expression, the variables and the intermediates, as SymPy objects."""
    from derivations import check

    if through is not None and not isinstance(through, Mapping):
        raise TypeError(f"through must be a mapping from names to expressions, not {through!r}")
    items = list((through or {}).items())
    wrt_items = _fromlist(wrt)
    known: dict[str, Symbol] = {}
    for obj in [expr, *wrt_items, *(k for k, _ in items), *(v for _, v in items)]:
        _collect(obj, known)
    for key, _ in items:
        if isinstance(key, str):
            if not key.isidentifier():
                raise DifferentiationError(f"{key!r} is not a name: through maps names to formulas")
            known.setdefault(key, Symbol(key, real=True))
        elif not isinstance(key, Symbol):
            raise TypeError(f"a key of through must be a Symbol or a name, not {key!r}")

    def read(obj: Any, role: str) -> Expr:
        if isinstance(obj, str):
            value = check.parse(obj, symbols=known)
        elif isinstance(obj, bool) or not isinstance(obj, (int, Basic)):
            raise TypeError(f"{role} must be a SymPy expression or a string, not {obj!r}")
        elif isinstance(obj, (Relational, MatrixBase)):
            raise TypeError(f"{role} must be a scalar expression, not {obj!r}")
        else:
            value = canonical(obj) if isinstance(obj, Basic) else Integer(obj)
        value = _unify(value, known)
        for s in getattr(value, "free_symbols", ()):
            known.setdefault(s.name, s)
        return value

    definitions: dict[Symbol, Expr] = {}
    for key, value in items:
        name = known[key] if isinstance(key, str) else known[key.name]
        if name in definitions:
            raise DifferentiationError(f"through defines {name} twice")
        definitions[name] = read(value, f"the definition of {name}")
    target = read(expr, "expr")
    variables = []
    for v in wrt_items:
        if isinstance(v, str):
            if not v.isidentifier():
                raise DifferentiationError(f"wrt names a symbol: {v!r} is not a name")
            v = known.get(v) or Symbol(v, real=True)
        if not isinstance(v, Symbol):
            raise TypeError(f"wrt must name symbols, not {v!r}")
        v = known.get(v.name, v)
        if v in variables:
            raise ValueError(f"wrt names {v} twice")
        variables.append(v)
    _check_order(definitions, target)
    for e in [*definitions.values(), target]:
        check_pieces(e)
    return target, variables, definitions


def _collect(obj: Any, known: dict[str, Symbol]) -> None:
    symbols = [obj] if isinstance(obj, Symbol) else getattr(obj, "free_symbols", ())
    for s in sorted(symbols, key=default_sort_key):
        if isinstance(s, Symbol):
            if s.name in known and known[s.name] != s:
                raise ValueError(
                    f"two different symbols are both named {s.name!r} "
                    f"({known[s.name].assumptions0} and {s.assumptions0}): rename one"
                )
            known[s.name] = s


def _unify(value: Any, known: Mapping[str, Symbol]) -> Any:
    if not isinstance(value, Basic):
        return value
    mapping = {
        s: known[s.name]
        for s in value.free_symbols
        if isinstance(s, Symbol) and s.name in known and known[s.name] != s
    }
    return value.xreplace(mapping) if mapping else value


def _check_order(definitions: Mapping[Symbol, Expr], target: Expr) -> None:
    """Refuse a cycle, or an intermediate used before ``through`` defines it."""
    order = list(definitions)
    for i, (name, value) in enumerate(definitions.items()):
        for used in sorted(value.free_symbols & set(definitions), key=order.index):
            if used == name or reaches(used, name, definitions):
                cycle = _cycle(name, used, definitions)
                raise DifferentiationError(
                    "the through chain has a cycle: " + " -> ".join(map(str, cycle))
                )
            if order.index(used) > i:
                raise DifferentiationError(
                    f"the definition of {name} uses {used}, which through defines only later: "
                    "list the intermediates in order, inputs first"
                )


def reaches(start: Symbol, goal: Symbol, definitions: Mapping[Symbol, Expr]) -> bool:
    """True when ``start``'s definition uses ``goal``, directly or through others."""
    seen, stack = set(), [start]
    while stack:
        node = stack.pop()
        for used in definitions.get(node, 0).free_symbols if node in definitions else ():
            if used == goal:
                return True
            if used not in seen:
                seen.add(used)
                stack.append(used)
    return False


def _cycle(name: Symbol, used: Symbol, definitions: Mapping[Symbol, Expr]) -> list[Symbol]:
    path = [name, used]
    while path[-1] != name:
        node = path[-1]
        nxt = [
            u for u in definitions[node].free_symbols if u == name or reaches(u, name, definitions)
        ]
        path.append(sorted(nxt, key=default_sort_key)[0])
    return path
