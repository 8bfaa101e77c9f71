r"""The rules of differentiation that :func:`derivations.differentiate` applies, one per line.

Each rule rewrites one unevaluated ``Derivative(f, x)`` by looking only at the
outermost operation of ``f``; the derivatives it leaves behind (``u'`` below)
are rewritten by later lines. Derivatives that are plainly 1 (of the variable
itself) or 0 (of anything that does not depend on it) are written as such at
once, and products of numbers, factors of 1 and terms of 0 are tidied away:
that is arithmetic, not a rule. A justification (``why``) starts with the
rule's name, so :func:`rule_name` reads it back.

>>> from sympy import Symbol, Derivative, exp
>>> x = Symbol("x", real=True)
>>> rules = Rules({})
>>> rules.classify(Derivative(exp(2 * x), x))
'exponential'
>>> rules.apply(Derivative(exp(2 * x), x))
exp(2*x)*Derivative(2*x, x)
>>> rules.classify(Derivative(2 * x, x)), rules.apply(Derivative(2 * x, x))
('constant factor', 2)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from sympy import (
    Abs,
    Add,
    Basic,
    Derivative,
    Expr,
    Function,
    Heaviside,
    Max,
    Min,
    Mul,
    Piecewise,
    Pow,
    S,
    Symbol,
    acos,
    acosh,
    asin,
    asinh,
    atan,
    atanh,
    ceiling,
    cos,
    cosh,
    erf,
    erfc,
    exp,
    floor,
    log,
    sign,
    sin,
    sinh,
    tan,
    tanh,
)
from sympy.codegen.cfunctions import expm1, log1p

from derivations.errors import DerivationsError
from derivations.functions import logit, sigmoid
from derivations.meaning import expand_definitions

__all__ = [
    "KNOWN",
    "RULES",
    "DifferentiationError",
    "Known",
    "Rules",
    "replace",
    "rule_name",
    "tidy",
]

# name -> what the rule says; a generated step's justification starts with one of these names.
RULES: dict[str, str] = {
    "definition": "a name replaced by what it stands for, or an expression by its name",
    "constant": "the derivative of what does not depend on the variable is 0",
    "variable": "the derivative of the variable itself is 1",
    "linearity": "(a u + b v)' = a u' + b v' for constants a, b; constant terms drop out",
    "constant factor": "(c u)' = c u' for a constant c",
    "product rule": "(u v)' = u' v + u v'",
    "quotient rule": "(u/v)' = (u' v - u v')/v^2",
    "power rule": "(u^n)' = n u^(n-1) u' for a constant n",
    "exponential": "(e^u)' = e^u u', (b^u)' = b^u ln(b) u', u^v = e^(v ln u)",
    "logarithm": "(ln u)' = u'/u",
    "known derivative": "f(u)' = f'(u) u' for a function whose derivative is known",
    "chain rule": "dC/dv = dC/du du/dv when C depends on v only through u",
    "derived above": "a derivative replaced by its value, derived in earlier lines",
    "simplification": "algebra: common denominators, cancelling, factoring",
}


class DifferentiationError(DerivationsError, ValueError):
    """An expression or a ``through`` chain that :func:`derivations.differentiate` refuses."""


@dataclass(frozen=True)
class Known:
    """A function whose derivative the rules know: its name and derivative in LaTeX, and the
    catalog's derivation that proves it (None where SymPy's table is the source)."""

    name: str
    derivative: str
    slug: str | None = None


KNOWN: dict[type, Known] = {
    sigmoid: Known(r"\sigma", r"\sigma' = \sigma(1 - \sigma)", "sigmoid-derivative"),
    tanh: Known(r"\tanh", r"\tanh' = 1 - \tanh^2", "sigmoid-tanh"),
    logit: Known(
        r"\operatorname{logit}", r"\operatorname{logit}'(p) = 1/(p(1 - p))", "logit-inverse"
    ),
    erf: Known(
        r"\operatorname{erf}",
        r"\operatorname{erf}'(u) = 2e^{-u^2}/\sqrt{\pi}",
        "squashing-functions",
    ),
    atan: Known(r"\arctan", r"\arctan'(u) = 1/(1 + u^2)", "squashing-functions"),
    erfc: Known(r"\operatorname{erfc}", r"\operatorname{erfc}'(u) = -2e^{-u^2}/\sqrt{\pi}"),
    log1p: Known(r"\ln(1 + u)", r"(\ln(1 + u))' = 1/(1 + u)"),
    expm1: Known(r"e^u - 1", r"(e^u - 1)' = e^u"),
    sin: Known(r"\sin", r"\sin' = \cos"),
    cos: Known(r"\cos", r"\cos' = -\sin"),
    tan: Known(r"\tan", r"\tan' = 1 + \tan^2"),
    asin: Known(r"\arcsin", r"\arcsin'(u) = 1/\sqrt{1 - u^2}"),
    acos: Known(r"\arccos", r"\arccos'(u) = -1/\sqrt{1 - u^2}"),
    sinh: Known(r"\sinh", r"\sinh' = \cosh"),
    cosh: Known(r"\cosh", r"\cosh' = \sinh"),
    asinh: Known(r"\operatorname{arsinh}", r"\operatorname{arsinh}'(u) = 1/\sqrt{1 + u^2}"),
    acosh: Known(r"\operatorname{arcosh}", r"\operatorname{arcosh}'(u) = 1/\sqrt{u^2 - 1}"),
    atanh: Known(r"\operatorname{artanh}", r"\operatorname{artanh}'(u) = 1/(1 - u^2)"),
}
SOFTPLUS = Known(r"\operatorname{softplus}", r"\ln(1 + e^{u})' = \sigma(u)", "bce-logits")
NOT_DIFFERENTIABLE = (Abs, Max, Min, Heaviside, Piecewise, sign, floor, ceiling)


def known_functions() -> str:
    """The functions the rules differentiate, for error messages."""
    names = sorted({f.__name__ for f in KNOWN} | {"exp", "log", "sqrt", "softplus"})
    return ", ".join(names)


def rule_name(why: str) -> str | None:
    """The rule a justification names (the longest rule name it starts with), or None.

    >>> rule_name("power rule: $(u^n)' = n u^{n-1} u'$")
    'power rule'
    >>> rule_name("whatever") is None
    True
    """
    found = [name for name in RULES if why == name or why.startswith((name + ":", name + " "))]
    return max(found, key=len) if found else None


# --------------------------------------------------------------------------- tidying


def tidy(expr: Any) -> Any:
    """``expr`` as written, with factors of 1, terms of 0 and nested sums and products removed,
    and the numbers of each product multiplied into one (no other change of form).

    >>> from sympy import Symbol, Rational
    >>> x = Symbol("x")
    >>> e = Add(Mul(Rational(1, 2), Mul(2, x - 1, evaluate=False), 1, evaluate=False), 0,
    ...         evaluate=False)
    >>> tidy(e)
    x - 1
    """
    if not isinstance(expr, Basic) or not expr.args or isinstance(expr, Derivative):
        return expr
    args = [tidy(a) for a in expr.args]
    if expr.is_Add:
        terms = [t for a in args for t in (a.args if a.is_Add else (a,)) if t != 0]
        return S.Zero if not terms else terms[0] if len(terms) == 1 else Add(*terms, evaluate=False)
    if expr.is_Mul:
        # Nested products are flattened, except fractions where that would put two
        # denominators side by side: a/(b c) times d/e stays two fractions.
        flat = [f for a in args for f in (a.args if a.is_Mul else (a,))]
        keep = sum(map(_is_denominator, flat)) > 1
        number, factors = S.One, []
        for a in args:
            nested = a.is_Mul and not (keep and any(map(_is_denominator, a.args)))
            for f in a.args if nested else (a,):
                if f.is_Number:
                    number = Mul(number, f, evaluate=True)
                else:
                    factors.append(f)
        if number == 0 or not factors:
            return number
        if number != 1:
            factors.insert(0, number)
        return factors[0] if len(factors) == 1 else Mul(*factors, evaluate=False)
    if expr.is_Pow:
        base, n = args
        if n == 1:
            return base
        if n == 0:
            return S.One
        return Pow(base, n, evaluate=bool(base.is_Number and n.is_Number))
    return expr.func(*args)


# --------------------------------------------------------------------------- rules


class Rules:
    """The rules, for expressions whose defined names (``definitions``) are functions of the
    base symbols: ``Derivative(u, x)`` of a defined ``u`` is left for earlier lines to supply."""

    def __init__(self, definitions: Mapping[Symbol, Expr]):
        self.definitions = dict(definitions)
        self._depends = cache(self._depends_uncached)

    def depends(self, expr: Any, x: Symbol) -> bool:
        """True when ``expr`` changes with ``x``, its defined names seen through."""
        return isinstance(expr, Basic) and self._depends(expr, x)

    def _depends_uncached(self, expr: Basic, x: Symbol) -> bool:
        if x not in self.definitions and not self.definitions:
            return x in expr.free_symbols
        return x in expand_definitions(expr, self.definitions, keep=frozenset({x})).free_symbols

    def d(self, f: Any, x: Symbol) -> Any:
        """``Derivative(f, x)``, or 1 or 0 when that is plain."""
        if f == x:
            return S.One
        if not self.depends(f, x):
            return S.Zero
        return Derivative(f, x)

    def classify(self, node: Derivative) -> str:
        """The rule that rewrites ``node``: a name from :data:`RULES`."""
        f, x = node.expr, node.variables[0]
        if f == x:
            return "variable"
        if isinstance(f, Symbol):
            return "derived above"
        if f.is_Add:
            return "linearity"
        if f.is_Mul:
            constant = [a for a in f.args if not self.depends(a, x)]
            if constant:
                return "constant factor"
            if any(_is_denominator(a) for a in f.args) and not all(
                _is_denominator(a) for a in f.args
            ):
                return "quotient rule"
            return "product rule"
        if f.is_Pow:
            return "exponential" if self.depends(f.exp, x) else "power rule"
        if isinstance(f, exp):
            return "exponential"
        if isinstance(f, log):
            return "known derivative" if _softplus_argument(f) is not None else "logarithm"
        if type(f) in KNOWN:
            return "known derivative"
        raise refusal(f)

    def apply(self, node: Derivative) -> Any:
        """``node`` rewritten by its rule (one application, as written)."""
        f, x = node.expr, node.variables[0]
        d = lambda u: self.d(u, x)  # noqa: E731
        rule = self.classify(node)
        if rule == "variable":
            return S.One
        if rule == "linearity":
            return tidy(_add(*[self._linear_term(t, x) for t in f.args]))
        if rule == "constant factor":
            constant = [a for a in f.args if not self.depends(a, x)]
            rest = [a for a in f.args if self.depends(a, x)]
            return tidy(_mul(*constant, d(_mul(*rest) if len(rest) > 1 else rest[0])))
        if rule == "quotient rule":
            top = tidy(_mul(*[a for a in f.args if not _is_denominator(a)]))
            bottom = tidy(_mul(*[_pow(a.base, -a.exp) for a in f.args if _is_denominator(a)]))
            numerator = _add(_mul(d(top), bottom), _mul(-1, top, d(bottom)))
            return tidy(_mul(tidy(numerator), _pow(_pow(bottom, 2), -1)))
        if rule == "product rule":
            factors = list(f.args)
            terms = [
                _mul(*factors[:i], d(factors[i]), *factors[i + 1 :]) for i in range(len(factors))
            ]
            return tidy(_add(*terms))
        if rule == "power rule":
            base, n = f.args
            return tidy(_mul(n, _pow(base, n - 1), d(base)))
        if rule == "exponential":
            return tidy(self._exponential(f, x))
        if rule == "logarithm":
            return tidy(_mul(d(f.args[0]), _pow(f.args[0], -1)))
        if rule == "known derivative":
            u = _softplus_argument(f)
            if u is not None:
                return tidy(_mul(sigmoid(u), d(u)))
            # sigma' as the textbook writes it, sigma (1 - sigma); the others as SymPy's table
            prime = _mul(f, 1 - f) if isinstance(f, sigmoid) else f.fdiff()
            return tidy(_mul(prime, d(f.args[0])))
        raise ValueError(f"{node} is a derivative of a name: it is derived above, not by a rule")

    def _linear_term(self, term: Any, x: Symbol) -> Any:
        if term.is_Mul:
            constant = [a for a in term.args if not self.depends(a, x)]
            rest = [a for a in term.args if self.depends(a, x)]
            if constant and rest:
                return _mul(*constant, self.d(_mul(*rest) if len(rest) > 1 else rest[0], x))
        return self.d(term, x)

    def _exponential(self, f: Any, x: Symbol) -> Any:
        if isinstance(f, exp):
            return _mul(f, self.d(f.args[0], x))
        base, power = f.args
        if self.depends(base, x):  # u^v = e^(v ln u)
            return _mul(f, self.d(power * log(base), x))
        return _mul(f, log(base), self.d(power, x))

    def note(self, rule: str, nodes: list[Derivative]) -> str:
        """The justification of a line that applies ``rule`` to ``nodes``."""
        if rule == "known derivative":
            return "known derivative: " + "; ".join(
                dict.fromkeys(_known_note(n.expr) for n in nodes)
            )
        if rule == "exponential" and any(
            n.expr.is_Pow and self.depends(n.expr.base, n.variables[0]) for n in nodes
        ):
            return "exponential: $u^v = e^{v \\ln u}$ and $(e^w)' = e^w w'$"
        return f"{rule}: {NOTES[rule]}"


NOTES = {
    "variable": "$dx/dx = 1$",
    "linearity": "$(au + bv)' = au' + bv'$",
    "constant factor": "$(cu)' = cu'$",
    "product rule": "$(uv)' = u'v + uv'$",
    "quotient rule": "$(u/v)' = (u'v - uv')/v^2$",
    "power rule": "$(u^n)' = n u^{n-1} u'$",
    "exponential": "$(e^u)' = e^u u'$",
    "logarithm": "$(\\ln u)' = u'/u$",
}


def _known_note(f: Any) -> str:
    known = SOFTPLUS if _softplus_argument(f) is not None else KNOWN[type(f)]
    cite = f" (`{known.slug}`)" if known.slug else ""
    return f"${known.derivative}${cite}"


def _add(*terms: Any) -> Any:
    return Add(*terms, evaluate=False)


def _mul(*factors: Any) -> Any:
    return Mul(*factors, evaluate=False)


def _pow(base: Any, n: Any) -> Any:
    return Pow(base, n, evaluate=False)


def replace(expr: Any, mapping: Mapping[Any, Any]) -> Any:
    """``expr`` with the subexpressions in ``mapping`` replaced, the rest kept as written."""
    if expr in mapping:
        return mapping[expr]
    if not isinstance(expr, Basic) or not expr.args or isinstance(expr, Derivative):
        return expr
    args = [replace(a, mapping) for a in expr.args]
    if args == list(expr.args):
        return expr
    if expr.is_Add or expr.is_Mul or expr.is_Pow:
        return expr.func(*args, evaluate=False)
    return expr.func(*args)


def _is_denominator(factor: Any) -> bool:
    return bool(factor.is_Pow and factor.exp.is_number and factor.exp.is_negative)


def _softplus_argument(f: Any) -> Any:
    """u when ``f`` is ln(1 + e^u), softplus(u); else None."""
    if not isinstance(f, log) or not f.args[0].is_Add or len(f.args[0].args) != 2:
        return None
    one, e = sorted(f.args[0].args, key=lambda t: not t.is_Number)
    return e.args[0] if one == 1 and isinstance(e, exp) else None


def refusal(piece: Any) -> DifferentiationError:
    """The error for a piece that the rules cannot differentiate."""
    if isinstance(piece, NOT_DIFFERENTIABLE):
        name = type(piece).__name__
        return DifferentiationError(
            f"cannot differentiate {piece}: {name} is not differentiable everywhere "
            "(it has a kink or a jump); split the cases by hand and differentiate each"
        )
    if isinstance(piece, (Function, Derivative)) or isinstance(piece, Basic):
        name = getattr(type(piece), "__name__", str(piece))
        return DifferentiationError(
            f"cannot differentiate {piece}: no rule for {name}; the known functions are "
            f"{known_functions()}"
        )
    raise TypeError(f"not a SymPy expression: {piece!r}")  # pragma: no cover


def check_pieces(expr: Any) -> None:
    """Raise :class:`DifferentiationError` for the first piece of ``expr`` that is not a
    number, a symbol, + * **, exp, log or a known function. Abs, Max, Min, Heaviside,
    Piecewise and sign pass here: they are refused only where a line must differentiate
    them (a constant |y| is a constant factor like any other)."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, NOT_DIFFERENTIABLE):
            continue
        if not (
            isinstance(node, Symbol)
            or node.is_Number
            or node.is_NumberSymbol
            or node.is_Add
            or node.is_Mul
            or node.is_Pow
            or isinstance(node, (exp, log))
            or type(node) in KNOWN
        ):
            raise refusal(node)
        stack.extend(reversed(node.args))
