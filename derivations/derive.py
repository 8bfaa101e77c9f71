r"""Derive it for me: derivatives and gradients, written out rule by rule and verified.

:func:`differentiate` turns an expression into a :class:`~derivations.engine.Derivation`
whose every line applies one rule of :data:`~derivations.derive_rules.RULES`, named at
the start of its justification (:func:`rule_of` reads it back). With ``through``, named
intermediates, it follows the chain rule as backpropagation does: the derivative of the
cost with respect to each intermediate (the delta) is derived once and reused for every
parameter. The result is a derivation like a hand-written one: ``verify()`` checks every
line with SymPy and mpmath, and it renders to LaTeX and Markdown the same way.
:func:`derivations.derive_catalog.catalog_agreement` generates the catalog's gradients and
checks them equal to the hand-written ones.

>>> from derivations import differentiate
>>> d = differentiate("-(y*log(a) + (1 - y)*log(1 - a))", ["w", "b"],
...                   through={"z": "w*x + b", "a": "sigmoid(z)"})
>>> d.result.rhs
Matrix([
[x*(a - y)],
[    a - y]])
>>> d.verify().numeric
0
>>> [rule_of(s) for s in d.steps][3:6]
['definition', 'linearity', 'logarithm']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from sympy import (
    Basic,
    Derivative,
    Eq,
    Expr,
    ImmutableMatrix,
    Interval,
    Mul,
    Pow,
    Symbol,
    cancel,
    collect,
    count_ops,
    default_sort_key,
    expand,
    factor,
    fraction,
    preorder_traversal,
)

from derivations.derive_inputs import reaches, read_arguments
from derivations.derive_rules import (
    RULES,
    DifferentiationError,
    Rules,
    replace,
    rule_name,
    tidy,
)
from derivations.engine import Derivation, Kind, Step, canonical, define, step, then
from derivations.render import latex

__all__ = [
    "RULES",
    "DifferentiationError",
    "differentiate",
    "rule_of",
]

OUTPUT_NAMES = ("C", "L", "J", "F")
# Where the numeric check samples a real symbol without a sign, as the catalog's neurons are
# sampled: at z = wx + b = -1000, a = sigma(z) ~ 1e-434, and a numerical derivative of
# ln a there steps outside (0, 1); no finite step can evaluate it.
SAMPLED = Interval(-3, 3)
# The last line is simplified only up to this size (in operations): a size, not a time, so
# that the lines written never depend on the machine's speed or load.
MAX_SIMPLIFY_OPS = 120


def rule_of(s: Step) -> str | None:
    """The rule a step of a generated derivation applies (a key of ``RULES``), or None.

    >>> from derivations.engine import define
    >>> from sympy import Symbol
    >>> rule_of(define(Symbol("z"), 1, "an intermediate"))
    'definition'
    """
    if s.kind is Kind.DEFINITION:
        return "definition"
    return rule_name(s.why)


def differentiate(
    expr: Any,
    wrt: Any,
    *,
    through: Mapping[Any, Any] | None = None,
    slug: str | None = None,
    title: str | None = None,
) -> Derivation:
    r"""The derivative of ``expr`` with respect to ``wrt``, derived rule by rule.

    ``expr`` is a SymPy expression or a string (Python syntax or LaTeX, read by the
    toolkit's safe parser, never evaluated); ``wrt`` a symbol or its name, or a sequence
    of them (the result is then the gradient, a column). ``through`` names intermediates
    in order, inputs first, as in ``{"z": "w*x + b", "a": "sigmoid(z)"}``; the expression
    is then called ``C`` (or ``L``, ... if ``C`` is taken) and its derivatives follow the
    chain rule through the intermediates. Names in strings are real symbols, or the
    symbols of the same name used elsewhere in the arguments.

    Raises :class:`DifferentiationError` (a ``ValueError``) for a piece that has no
    derivative everywhere (Abs, Max, Min, Heaviside, Piecewise, sign), an unknown
    function, or a ``through`` chain with a cycle or a name used before its definition;
    ``check.ParseError`` for a string that cannot be read; ``TypeError`` for arguments of
    the wrong kind.

    >>> from sympy import Symbol
    >>> from derivations import sigmoid
    >>> x = Symbol("x", real=True)
    >>> d = differentiate(x**2 * sigmoid(x), x)
    >>> print(d.steps[0].why)
    product rule: $(uv)' = u'v + uv'$
    >>> d.result
    Eq(Derivative(x**2*sigmoid(x), x), x**2*(1 - sigmoid(x))*sigmoid(x) + 2*x*sigmoid(x))
    >>> differentiate("exp(y)", "x").result
    Eq(Derivative(exp(y), x), 0)
    """
    target, variables, definitions = read_arguments(expr, wrt, through)
    writer = _Writer(target, definitions)
    results = [writer.derivative(x) for x in variables]
    lhs = [writer.lhs(x) for x in variables]
    if isinstance(wrt, (str, Basic)):
        result = Eq(lhs[0], results[0], evaluate=False)
    else:
        result = Eq(ImmutableMatrix(lhs), ImmutableMatrix(results), evaluate=False)
    names = ", ".join(f"${latex(x)}$" for x in variables)
    what = "derivative" if len(variables) == 1 else "gradient"
    of = f" of ${latex(writer.name)}$" if writer.name is not None else ""
    base = set().union(*(e.free_symbols for e in [target, *definitions.values()]))
    signs = ("positive", "negative", "nonnegative", "nonpositive", "zero")
    domains = {
        s: SAMPLED
        for s in base - set(definitions)
        if not any(getattr(s, f"is_{sign}") for sign in signs)
    }
    return Derivation(
        slug or "generated-" + "-".join(str(x) for x in variables),
        title or f"The {what}{of} with respect to {names}",
        tuple(writer.steps),
        result=result,
        domains=domains,
        intro=(
            "Generated by `derivations.differentiate`: each line applies the rule named "
            "on its right, and is verified like every other line."
        ),
    )


# --------------------------------------------------------------------------- writing


class _Writer:
    """Writes the lines: a chain of steps for each derivative, sub-derivatives first."""

    def __init__(self, target: Expr, definitions: dict[Symbol, Expr]):
        self.definitions = dict(definitions)
        self.steps: list[Step] = [define(u, v, "an intermediate") for u, v in definitions.items()]
        if target in definitions:
            self.name: Symbol | None = target
        elif definitions:
            self.name = _fresh_name(target, definitions)
            self.definitions[self.name] = target
            self.steps.append(define(self.name, target, "the expression to differentiate"))
        else:
            self.name = None
        self.target = target
        self.rules = Rules(self.definitions)
        self.memo: dict[tuple[Symbol, Symbol], Any] = {}
        self.started = False

    def lhs(self, x: Symbol) -> Any:
        return Derivative(self.name if self.name is not None else self.target, x)

    def derivative(self, x: Symbol) -> Any:
        """The derivative with respect to ``x``, writing the lines that derive it."""
        if x == self.name:
            raise ValueError(f"wrt names {x}, the expression itself")
        of = self.name if self.name is not None else self.target
        if not self.rules.depends(of, x):
            name = f"${latex(of)}$" if self.name is not None else "it"
            why = f"constant: {name} does not depend on ${latex(x)}$"
            self.steps.append(step(self.lhs(x), 0, why))
            return 0
        if self.name is None:
            self.started = False
            return self.walk(self.lhs(x), Derivative(self.target, x))
        return self.derive(self.name, x)

    def derive(self, node: Symbol, v: Symbol) -> Any:
        """d node / d v for a defined ``node``, backpropagation's way, memoized."""
        if (node, v) in self.memo:
            return self.memo[(node, v)]
        through = self.dominator(node, v)
        lhs = Derivative(node, v)
        if through is not None:
            left, right = self.derive(node, through), self.derive(through, v)
            self.emit_first(
                lhs,
                Mul(Derivative(node, through), Derivative(through, v), evaluate=False),
                f"chain rule: ${latex(node)}$ depends on ${latex(v)}$ only through "
                f"${latex(through)}$",
            )
            current = tidy(Mul(left, right, evaluate=False))
            self.emit(current, "derived above")
            result = self.finish(current)
        else:
            value = self.definitions[node]
            for u in sorted(value.free_symbols & set(self.definitions), key=default_sort_key):
                if u != v and self.rules.depends(u, v):
                    self.derive(u, v)
            self.emit_first(lhs, self.rules.d(value, v), f"definition of ${latex(node)}$")
            result = self.walk(lhs, self.rules.d(value, v), started=True)
        self.memo[(node, v)] = result
        return result

    def dominator(self, node: Symbol, v: Symbol) -> Symbol | None:
        """The intermediate nearest ``v`` that every dependence of ``node`` on ``v`` goes
        through, or None."""
        depends = self.rules.depends
        candidates = [
            u
            for u in self.definitions
            if u not in (node, v) and depends(u, v) and reaches(node, u, self.definitions)
        ]
        found = [u for u in candidates if not self.path_avoiding(v, node, u)]
        nearest = [u for u in found if not any(c != u and depends(u, c) for c in found)]
        return nearest[0] if nearest else None

    def path_avoiding(self, start: Symbol, goal: Symbol, avoid: Symbol) -> bool:
        """True when ``goal`` uses ``start`` along some path that does not pass ``avoid``."""
        users = {u for u, value in self.definitions.items() if start in value.free_symbols}
        return any(u == goal or (u != avoid and self.path_avoiding(u, goal, avoid)) for u in users)

    def names(self) -> dict[Any, Any]:
        return _names_of(self.definitions, self.name)

    # -- lines

    def emit_first(self, lhs: Any, rhs: Any, why: str) -> None:
        self.steps.append(step(lhs, rhs, why))
        self.started = True

    def emit(self, rhs: Any, why: str, lhs: Any = None) -> None:
        if self.started:
            self.steps.append(then(rhs, why))
        else:
            self.steps.append(step(lhs, rhs, why))
            self.started = True

    def walk(self, lhs: Any, current: Any, *, started: bool = False) -> Any:
        """Apply the rules until no derivative is left; return the simplified result."""
        self.started = started
        while True:
            nodes = list(
                dict.fromkeys(n for n in preorder_traversal(current) if isinstance(n, Derivative))
            )
            if not nodes:
                break
            ruled = [n for n in nodes if n.expr == n.variables[0] or n.expr not in self.definitions]
            if ruled:
                rule = self.rules.classify(ruled[0])
                chosen = [n for n in ruled if self.rules.classify(n) == rule]
                mapping = {n: self.rules.apply(n) for n in chosen}
                why = self.rules.note(rule, chosen)
            else:
                mapping = {n: self.memo[(n.expr, n.variables[0])] for n in nodes}
                why = "derived above"
            current = tidy(replace(current, mapping))
            self.emit(current, why, lhs)
        return self.finish(current)

    def finish(self, current: Any) -> Any:
        """Write the result with the intermediates' names, then simplify it, where that helps."""
        names = self.names()
        used = {h: names[h] for h in names if current.has(h)}
        if used:
            named = tidy(replace(current, used))
            pairs = [(v, h) if v in self.definitions else (h, v) for h, v in used.items()]
            shown = ", ".join(f"${latex(lhs)} = {latex(rhs)}$" for lhs, rhs in pairs)
            self.emit(named, f"definition: {shown}")
            current = named
        simpler = readable(current, self.definitions)
        if simpler is not None:
            self.emit(simpler, "simplification")
            current = simpler
        return current


def _names_of(definitions: Mapping[Symbol, Expr], skip: Any) -> dict[Any, Any]:
    """What may be written with the intermediates' names: each definition (sigma(z) is a),
    and a function in a quotient of names (e^{z_0} is p_0 Z when p_0 := e^{z_0}/Z)."""
    names: dict[Any, Any] = {}
    for u, value in definitions.items():
        if u == skip or isinstance(value, Symbol):
            continue
        names[value] = u
        if value.is_Mul:
            others = [
                f
                for f in value.args
                if f.is_Symbol
                or f.is_Number
                or (f.is_Pow and f.base in definitions and f.exp.is_Number)
            ]
            rest = [f for f in value.args if f not in others]
            if len(rest) == 1 and rest[0].is_Function and others:
                names.setdefault(rest[0], Mul(u, *[1 / f for f in others]))
    return names


def _fresh_name(target: Expr, definitions: Mapping[Symbol, Expr]) -> Symbol:
    taken = {s.name for e in [target, *definitions.values()] for s in e.free_symbols}
    taken |= {s.name for s in definitions}
    for name in OUTPUT_NAMES:
        if name not in taken:
            return Symbol(name, real=True)
    i = 0
    while f"C_{i}" in taken:
        i += 1
    return Symbol(f"C_{i}", real=True)


# --------------------------------------------------------------------------- simplifying


def readable(expr: Any, names: Iterable[Symbol] = ()) -> Any:
    """A simpler form of ``expr`` for the last line, or None when none is simpler; sums are
    also collected in ``names`` (the intermediates).

    >>> from sympy import symbols
    >>> a, y = symbols("a y")
    >>> readable(-y / a + (1 - y) / (1 - a))
    (a - y)/(a*(1 - a))
    >>> readable(a**2 * (1 - y) + 2 * a) is None  # no fraction, and factoring saves little
    True
    """
    plain = canonical(expr)
    if count_ops(plain) > MAX_SIMPLIFY_OPS:
        return None  # factor and cancel can take minutes on a large expression
    forms = [factor(plain), cancel(plain)]
    names = sorted(set(names) & plain.free_symbols, key=default_sort_key)
    if names and plain.is_Add:
        forms.append(collect(expand(plain), names))
    candidates = [plain, *(f for form in forms for f in _signs(form))]
    best = min(candidates, key=_cost)
    # Without a fraction to combine or cancel, only a much shorter form is worth a line:
    # x^2 sigma'(x) + 2x sigma(x) reads better than its factored form.
    fractions = any(p.exp.is_negative for p in expr.atoms(Pow) if not p.base.is_number)
    if _cost(best) < (_cost(expr) if fractions else 0.6 * _cost(expr)):
        return best
    return None


def _cost(expr: Any) -> float:
    """Operations as written, and leading minus signs (of the whole and of each sum) at half an
    operation each."""
    leading = len(re.findall(r"(^|\\left\(|\{)\s*-", latex(expr)))
    return float(count_ops(expr, visual=False)) + 0.5 * leading


def _signs(expr: Any) -> list[Any]:
    """``expr`` and its forms with a minus sign moved into one sum: -(y - a)/(a(a - 1)) is also
    (a - y)/(a(1 - a)), and -a(a - 1) is a(1 - a)."""
    n, d = fraction(expr)
    forms = [expr]
    factors = Mul.make_args(d)
    for i, f in enumerate(factors):
        if f.is_Add:
            flipped = Mul(*factors[:i], -f, *factors[i + 1 :])
            forms.append(Mul(-n, Pow(flipped, -1)))
    c, rest = expr.as_coeff_Mul()
    if c.is_negative:
        factors = Mul.make_args(rest)
        for i, f in enumerate(factors):
            if f.is_Add:
                forms.append(Mul(-c, *factors[:i], -f, *factors[i + 1 :]))
    return forms
