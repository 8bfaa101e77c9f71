r"""Write a step the way it should read: terms, factors and names in the order written.

SymPy evaluates as it builds and its printer sorts: ``1 + exp(z)`` prints as
``e^{z} + 1``, ``w*x + b`` as ``b + w x``, ``exp(z)/exp(z)`` is already 1. The
helpers here build display forms that keep what the author wrote, for SymPy's
LaTeX printer (``sympy.latex``) and the toolkit's alike, while verification,
:func:`derivations.engine.canonical` and a derivation's ``result`` see only the
plain value (``doit`` unwraps them). Authors never touch ``sympy.evaluate``:

>>> from sympy import Derivative, Symbol, exp, latex
>>> z, w, x, b = (Symbol(n, real=True) for n in "zwxb")
>>> latex(1 + exp(z)), latex(sum_of(1, exp(z)))
('e^{z} + 1', '1 + e^{z}')
>>> latex(sum_of(product_of(w, x), b)), latex(difference(w, b))
('w x + b', 'w - b')
>>> latex(product_of(difference(1, exp(z)), x)), sum_of(1, exp(z)).doit()
('\\left(1 - e^{z}\\right) x', exp(z) + 1)

- :func:`sum_of`, :func:`difference`, :func:`product_of`, :func:`negated`: the
  terms or factors in the given order; a sum among factors (or terms) is
  bracketed, as it would be on paper.
- :func:`frac`: a fraction of the two expressions as written (SymPy would merge
  fractions inside it).
- :func:`applied`: ``f(args)`` as written (``erf(-t)`` stays ``erf(-t)``).
- :func:`parenthesized`: ``(expr)`` as written, where SymPy would leave it bare.
- :func:`shown`: an expression displayed as a formula of your own
  (``\mathbf{w}^\top \mathbf{x}``); :class:`Named`: a symbol displayed as one.
- :func:`gradient` and :func:`named_matrix`: a column of partial derivatives
  (optionally displayed under a name such as ``\nabla C``), and any matrix so named.

A display form survives ``subs`` and ``xreplace``; it is dropped by ``doit`` and
``canonical``, so two steps that differ only in display are the same claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sympy import (
    Add,
    Basic,
    Derivative,
    Expr,
    ImmutableDenseMatrix,
    ImmutableMatrix,
    Matrix,
    Mul,
    Pow,
    S,
    Symbol,
    Tuple,
)
from sympy.core.symbol import Str
from sympy.printing.precedence import PRECEDENCE, precedence_traditional

__all__ = [
    "Named",
    "Written",
    "applied",
    "difference",
    "frac",
    "gradient",
    "named_matrix",
    "negated",
    "parenthesized",
    "product_of",
    "shown",
    "sum_of",
]


class Written(Expr):
    """A value (``args[0]``) with a display form; the base of every helper's result.

    It behaves as its value for SymPy (derivative, assumptions, ``doit``,
    ``evalf``) and prints as written; ``canonical`` replaces it by its value.
    """

    is_commutative = True

    @property
    def value(self) -> Expr:
        """What the display form means."""
        return self.args[0]

    def doit(self, **hints):
        return self.value.doit(**hints) if hints.get("deep", True) else self.value

    def _eval_derivative(self, symbol):
        return self.value.diff(symbol)

    def _eval_evalf(self, prec):
        return self.value._eval_evalf(prec)

    def _eval_is_extended_real(self):
        return self.value.is_extended_real

    def _eval_is_positive(self):
        return self.value.is_positive

    def _eval_is_negative(self):
        return self.value.is_negative

    def _eval_is_zero(self):
        return self.value.is_zero

    def _eval_is_finite(self):
        return self.value.is_finite

    def _sympystr(self, printer) -> str:
        return printer._print(self.value)

    def _latex(self, printer, exp=None) -> str:
        tex = self._display(printer)
        return tex if exp is None else rf"\left({tex}\right)^{{{exp}}}"

    def _display(self, printer) -> str:
        raise NotImplementedError


def _bracketed(printer, expr: Basic, level: str) -> str:
    tex = printer._print(expr)
    return rf"\left({tex}\right)" if precedence_traditional(expr) < PRECEDENCE[level] else tex


class _Sum(Written):
    @property
    def precedence(self) -> int:
        return PRECEDENCE["Add"]

    def written_terms(self, printer) -> list[str]:
        """The terms as LaTeX with their signs ('t', '+ t', '- t'): where a long line may break."""
        out = []
        for k, term in enumerate(self.args[1].args):
            if term.could_extract_minus_sign():
                out.append("- " + _bracketed(printer, _minus(term), "Mul"))
            else:
                out.append(("+ " if k else "") + _bracketed(printer, term, "Mul"))
        return out

    def _display(self, printer) -> str:
        return " ".join(self.written_terms(printer))


class _Product(Written):
    @property
    def precedence(self) -> int:
        return PRECEDENCE["Add" if self.could_extract_minus_sign() else "Mul"]

    def could_extract_minus_sign(self) -> bool:
        return len(self.args[1].args) > 1 and self.args[1].args[0] == -1

    def _display(self, printer) -> str:
        factors = list(self.args[1].args)
        parts = []
        if factors[0] == -1 and len(factors) > 1:
            parts.append("-")  # -(u + v) as written, not (-1)(u + v)
            factors = factors[1:]
        previous = None
        for factor in factors:
            if previous is not None and previous.is_Number and factor.is_Number:
                parts.append(r"\cdot")
            tex = _bracketed(printer, factor, "Mul")
            if previous is not None and tex.startswith("-"):
                tex = rf"\left({tex}\right)"  # a (-b), not a - b
            parts.append(tex)
            previous = factor
        return " ".join(parts)


class _Fraction(Written):
    @property
    def precedence(self) -> int:
        return PRECEDENCE["Pow"]  # bracketed as the base of a power, not among factors

    def _display(self, printer) -> str:
        top, bottom = (printer._print(part) for part in self.args[1:])
        return rf"\frac{{{top}}}{{{bottom}}}"


class _Shown(Written):
    @property
    def precedence(self) -> int:
        return PRECEDENCE["Atom"]

    def _display(self, printer) -> str:
        return _joined(printer, self.args[1:])


def _joined(printer, parts: Iterable[Any]) -> str:
    return "".join(p.name if isinstance(p, Str) else printer._print(p) for p in parts)


def _display_parts(display: str | Basic | Sequence[str | Basic]) -> tuple[Basic, ...]:
    if isinstance(display, (str, Basic)):
        display = (display,)
    parts = tuple(Str(p) if isinstance(p, str) else p for p in display)
    if not parts or not all(isinstance(p, Basic) for p in parts):
        raise TypeError("a display is LaTeX text, a SymPy object, or a sequence of them")
    return parts


def _minus(term: Expr) -> Expr:
    """-term, keeping the form of the rest of a product that starts with -1."""
    if isinstance(term, Mul) and term.args[0] == -1:
        rest = term.args[1:]
        return rest[0] if len(rest) == 1 else Mul(*rest, evaluate=False)
    if isinstance(term, _Product) and term.could_extract_minus_sign():
        rest = term.args[1].args[1:]
        return rest[0] if len(rest) == 1 else product_of(*rest)
    return -term


def sum_of(*terms: Any) -> Expr:
    r"""The sum of ``terms``, displayed in this order; a negative term shows as ``- t``.

    >>> from sympy import Symbol, latex
    >>> x, t = Symbol("x"), Symbol("t")
    >>> latex(sum_of(x**2, -t, 1)), latex(sum_of(x, -sum_of(t, 1)))
    ('x^{2} - t + 1', 'x - \\left(t + 1\\right)')
    """
    if not terms:
        raise TypeError("sum_of() needs at least one term")
    terms = tuple(S(t) for t in terms)
    return _Sum(Add(*terms), Tuple(*terms))


def difference(left: Any, right: Any) -> Expr:
    r"""``left - right``, displayed in that order (SymPy would print ``-right + left``).

    >>> from sympy import Symbol, latex
    >>> u, v = Symbol("u"), Symbol("v")
    >>> latex(difference(v, u)), latex(difference(v, sum_of(u, 1)))
    ('v - u', 'v - \\left(u + 1\\right)')
    """
    return sum_of(left, Mul(-1, S(right), evaluate=False))


def product_of(*factors: Any) -> Expr:
    r"""The product of ``factors``, displayed in this order; a leading -1 shows as a minus.

    >>> from sympy import Symbol, latex
    >>> a, y, x = Symbol("a"), Symbol("y"), Symbol("x")
    >>> latex(product_of(a - y, x)), latex(product_of(-1, a - y)), latex(product_of(2, 3))
    ('\\left(a - y\\right) x', '- \\left(a - y\\right)', '2 \\cdot 3')
    """
    if not factors:
        raise TypeError("product_of() needs at least one factor")
    factors = tuple(S(f) for f in factors)
    return _Product(Mul(*factors), Tuple(*factors))


def negated(expr: Any) -> Expr:
    r"""``-expr``, displayed as a minus sign in front of ``expr`` as written.

    >>> from sympy import Symbol, latex
    >>> x, t = Symbol("x"), Symbol("t")
    >>> latex(negated(difference(x, t))), negated(difference(x, t)).doit()
    ('- \\left(x - t\\right)', t - x)
    """
    return product_of(-1, expr)


def shown(value: Any, display: str | Basic | Sequence[str | Basic]) -> Expr:
    r"""``value``, displayed as ``display``: LaTeX text, or a sequence of parts (LaTeX text
    or SymPy objects, printed in their place) written one after the other.

    >>> from sympy import Symbol, latex
    >>> u = Symbol("u", real=True)
    >>> norm = shown(u**2, r"\|u\|^2")
    >>> latex(2 * norm), (2 * norm).doit(), norm.is_nonnegative
    ('2 \\|u\\|^2', 2*u**2, True)
    >>> latex(shown(u**2 / 2, [r"\tfrac{1}{2} ", norm]))
    '\\tfrac{1}{2} \\|u\\|^2'
    """
    return _Shown(S(value), *_display_parts(display))


def parenthesized(expr: Any) -> Expr:
    r"""``expr`` in parentheses, as written (say a sum under a limit, which SymPy leaves bare).

    >>> from sympy import Symbol, latex
    >>> x = Symbol("x")
    >>> latex(parenthesized(sum_of(x, 1)) ** 2), latex(parenthesized(x))
    ('\\left(x + 1\\right)^{2}', '\\left(x\\right)')
    """
    return shown(expr, (r"\left(", S(expr), r"\right)"))


def applied(function: Any, *args: Any) -> Expr:
    r"""``function(*args)`` as written: ``applied(erf, -t)`` stays ``erf(-t)``.

    >>> from sympy import Symbol, erf, latex
    >>> t = Symbol("t")
    >>> latex(applied(erf, -t)), latex(erf(-t))
    ('\\operatorname{erf}{\\left(- t \\right)}', '- \\operatorname{erf}{\\left(t \\right)}')
    """
    return function(*args, evaluate=False)


def frac(numerator: Any, denominator: Any) -> Expr:
    r"""``numerator / denominator``, printed as one fraction of the two, as written.

    SymPy would merge the fractions inside it, or cancel it (``e^z/e^z`` is 1).

    >>> from sympy import Symbol, latex
    >>> x = Symbol("x")
    >>> latex(frac(1 / x, 2 / x)), latex(2 * frac(1, x))
    ('\\frac{\\frac{1}{x}}{\\frac{2}{x}}', '2 \\frac{1}{x}')
    >>> frac(1 / x, 2 / x).doit(), frac(1, x).diff(x)
    (1/2, -1/x**2)
    """
    numerator, denominator = S(numerator), S(denominator)
    return _Fraction(Mul(numerator, Pow(denominator, -1)), numerator, denominator)


class Named(Symbol):
    r"""A symbol that prints as a formula, such as $P(C_1 \mid x)$.

    The formula is part of the symbol's identity, so two symbols that share a
    name but not a formula never meet in SymPy's caches.

    >>> from sympy import latex
    >>> latex(Named("P", r"P(C_1 \mid x)") + 1)
    'P(C_1 \\mid x) + 1'
    """

    __slots__ = ("tex",)

    def __new__(cls, name: str, tex: str, **assumptions):
        cls._sanitize(assumptions, cls)
        named = Symbol.__xnew__(cls, name, **assumptions)
        named.tex = tex
        return named

    def __getnewargs_ex__(self):
        return (self.name, self.tex), self._assumptions_orig

    def _hashable_content(self):
        return (*super()._hashable_content(), self.tex)

    def _latex(self, printer, exp=None):
        return self.tex if exp is None else rf"\left({self.tex}\right)^{{{exp}}}"


class _NamedMatrix(ImmutableDenseMatrix):
    """A matrix displayed under a name; a matrix built from it shows its entries again."""

    display: tuple[Basic, ...] | None = None

    def _latex(self, printer, exp=None):
        if self.display is None:
            return printer._print_MatrixBase(self)
        return _joined(printer, self.display)


def named_matrix(entries: Any, display: str | Basic | Sequence[str | Basic]) -> ImmutableMatrix:
    r"""A matrix of ``entries`` (a list: a column; a list of rows), displayed as ``display``.

    Verification compares its entries; ``display`` is as for :func:`shown`.

    >>> from sympy import Symbol, latex
    >>> x = Symbol("x")
    >>> m = named_matrix([[x, 1], [1, x]], "M")
    >>> latex(m), m.shape, latex(m.applyfunc(lambda e: 2 * e))
    ('M', (2, 2), '\\left[\\begin{matrix}2 x & 2\\\\2 & 2 x\\end{matrix}\\right]')
    """
    entries = Matrix(entries)  # a copy: an immutable matrix would come back as itself
    matrix = _NamedMatrix(entries.rows, entries.cols, list(entries))
    matrix.display = _display_parts(display)
    return matrix


def gradient(
    f: Any, variables: Sequence[Symbol], name: str | Basic | None = None
) -> ImmutableMatrix:
    r"""The column of partial derivatives of ``f`` in ``variables``, displayed as ``name`` if given.

    The left side of a gradient step or result: ``Eq(gradient(C, [w, b]), column)``.

    >>> from sympy import Derivative, Eq, Matrix, Symbol, latex
    >>> C, w, b = Symbol("C"), Symbol("w"), Symbol("b")
    >>> gradient(C, [w, b]) == Matrix([Derivative(C, w), Derivative(C, b)])
    True
    >>> latex(gradient(C, [w, b], r"\nabla C"))
    '\\nabla C'
    """
    variables = list(variables)
    if not variables or not all(isinstance(v, Symbol) for v in variables):
        raise TypeError("gradient() needs a non-empty sequence of Symbols to differentiate in")
    column = [Derivative(f, v) for v in variables]
    return ImmutableMatrix(column) if name is None else named_matrix(column, name)
