r"""LaTeX formulas read strictly: SymPy's ANTLR grammar, and a walk of our own that builds SymPy.

Why this route. SymPy's LaTeX parser has two back ends. The Lark one returns
ambiguous trees and wrong products for ordinary input without an error (SymPy
issue 30486 lists many). The ANTLR one is older and predictable, but its converter
(``sympy.parsing.latex._parse_latex_antlr``) reads numbers with
``sympy.Number(text)``, which sympifies the matched text; builds ``Function(name)``
for any name followed by parentheses, so ``a(1-a)`` becomes a function ``a``
(SymPy issue 19676); reads ``e`` and ``\pi`` as plain symbols (issue 20306); and
re-parses the numerator of ``\frac{d...}{dx}`` without strict mode, which drops
trailing input. So this module uses only SymPy's generated ANTLR lexer and
parser (a grammar: nothing in it evaluates text) and converts the parse tree
itself through the same allow-list and size limits as the Python syntax
(:mod:`derivations.parsing`). No matched text ever reaches ``sympify`` or
``eval``: names are looked up in a table, numbers are read with ``Decimal``.

Strictness: the whole input must be consumed (the grammar's start rule has no
end-of-input anchor, so ANTLR alone would silently drop a trailing ``)``), and a
relation, integral, sum, limit, derivative, factorial, prime or anything not in
the tables below is refused. TeX's one-token rule is enforced: ``x^23`` and
``x_12`` are refused (TeX reads them as ``x^{2}3`` and ``x_{1}2``) rather than
guessed. ANTLR's SLL prediction mode is used: the default LL mode gave the same
trees on every formula tested here but took seconds for a few hundred characters.

Conventions: ``e`` is Euler's number and ``\pi`` is pi, unless the reference has
a symbol of that name; ``\sigma(...)``, ``\operatorname{sigmoid}(...)`` are the
sigmoid; ``\ln`` and ``\log`` are the natural logarithm, ``\lg`` base 10;
``\left``, ``\right``, ``\big`` and the like are ignored; a subscript is part of a
name (``\mu_{0}`` is the symbol ``mu_0``, or ``mu0``); a symbol followed by
parentheses is a product (``a(1-a)``); ``\cdot``, ``\times``, ``*`` and
juxtaposition multiply.

>>> from sympy import Symbol
>>> from derivations.parsing import Names
>>> z = Symbol("z", real=True)
>>> parse_latex(r"\frac{e^{z}}{1+e^{z}}", Names({"z": z}))
exp(z)/(exp(z) + 1)
>>> parse_latex(r"\sigma(z)\left(1 - \sigma(z)\right)", Names({"z": z}))
(1 - sigmoid(z))*sigmoid(z)
"""

from __future__ import annotations

import re
from functools import cache
from importlib import metadata
from typing import Any

from sympy import (
    Abs,
    E,
    Expr,
    Integer,
    acos,
    acosh,
    acot,
    acsc,
    asec,
    asin,
    asinh,
    atan,
    atanh,
    cos,
    cosh,
    cot,
    csc,
    exp,
    log,
    sec,
    sin,
    sinh,
    tan,
    tanh,
)

from derivations.parsing import (
    FUNCTIONS,
    MAX_LATEX_LENGTH,
    MAX_TREE_DEPTH,
    Builder,
    Names,
    ParseError,
    check_text,
    log_of,
)

__all__ = ["parse_latex"]

ANTLR_VERSION = "4.11"  # the version SymPy's generated parser was built with

# \ln, \sin, ... : the grammar's own function tokens (func_normal), without the backslash.
_NORMAL = {
    "exp": exp, "log": log, "ln": log, "lg": log,
    "sin": sin, "cos": cos, "tan": tan, "csc": csc, "sec": sec, "cot": cot,
    "arcsin": asin, "arccos": acos, "arctan": atan, "arccsc": acsc, "arcsec": asec, "arccot": acot,
    "sinh": sinh, "cosh": cosh, "tanh": tanh, "arsinh": asinh, "arcosh": acosh, "artanh": atanh,
}  # fmt: skip
_INVERSES = {sin: asin, cos: acos, tan: atan, sinh: asinh, cosh: acosh, tanh: atanh}

_REFUSED_COMMANDS = {
    "partial": "derivatives are not supported: write out the derivative's formula",
    "nabla": "gradients are not supported: write out each component",
    "infty": "infinity is not allowed in a formula",
    "text": r"\text is not allowed",
    "mathrm": r"\mathrm is allowed only around a name, as in \mathrm{e} or \mathrm{erf}",
    "operatorname": r"\operatorname is allowed only around a name, as in \operatorname{sigmoid}",
}

# Pure notation, removed before parsing: \displaystyle, \big( and friends, \left. and \right.
_NOTATION = re.compile(
    r"\\(?:displaystyle|textstyle|[Bb]igg?[lrm]?(?![a-zA-Z]))|\\(?:left|right)\.(?![a-zA-Z])"
)
_ABS_BARS = re.compile(r"\\(?:left|right)\|")  # the grammar's abs_group wants a plain |
_NAMED = re.compile(r"\\(?:operatorname|mathrm)\s*\{\s*([a-zA-Z]+)\s*\}")
_DOLLARS = re.compile(r"^\s*\${1,2}(.*?)\${1,2}\s*$", re.DOTALL)


def _named(match: re.Match) -> str:
    name = match.group(1)
    return name if len(name) == 1 else f"\\{name} "


def _prepare(text: str) -> str:
    text = _DOLLARS.sub(r"\1", text)
    text = _NOTATION.sub(" ", text)
    text = _ABS_BARS.sub("|", text)
    return _NAMED.sub(_named, text)


@cache
def _antlr() -> tuple[Any, ...]:
    try:
        version = metadata.version("antlr4-python3-runtime")
    except metadata.PackageNotFoundError:
        version = None
    if version is None or not version.startswith(ANTLR_VERSION):
        raise ImportError(
            f"LaTeX input needs antlr4-python3-runtime {ANTLR_VERSION} (found {version}): "
            f"pip install 'antlr4-python3-runtime=={ANTLR_VERSION}.1'"
        )
    import antlr4
    from antlr4.atn.PredictionMode import PredictionMode
    from antlr4.error.ErrorListener import ErrorListener
    from sympy.parsing.latex._antlr.latexlexer import LaTeXLexer
    from sympy.parsing.latex._antlr.latexparser import LaTeXParser

    class Refuse(ErrorListener):
        def __init__(self, text: str):
            super().__init__()
            self.text = text

        def syntaxError(self, recognizer, offending, line, column, msg, e):
            marker = " " * column + "^"
            if " expecting " in msg and len(msg) > 80:
                msg = msg.split(" expecting ")[0]  # the list of every token the grammar has
            raise ParseError(f"cannot read this LaTeX ({msg}):\n{self.text}\n{marker}", self.text)

    return antlr4, PredictionMode, Refuse, LaTeXLexer, LaTeXParser


def parse_latex(text: str, names: Names) -> Expr:
    """Read ``text``, a LaTeX formula, as a SymPy expression; refuse anything unclear."""
    check_text(text, MAX_LATEX_LENGTH)
    source = _prepare(text).strip()
    if not source:
        raise ParseError("the formula is empty", text)
    antlr4, prediction, refuse, lexer_class, parser_class = _antlr()
    listener = refuse(source)
    lexer = lexer_class(antlr4.InputStream(source))
    lexer.removeErrorListeners()
    lexer.addErrorListener(listener)
    parser = parser_class(antlr4.CommonTokenStream(lexer))
    parser.removeErrorListeners()
    parser.addErrorListener(listener)
    parser._interp.predictionMode = prediction.SLL
    try:
        tree = parser.math()
        rest = parser.getCurrentToken()
        if rest.type != antlr4.Token.EOF:
            marker = " " * rest.column + "^"
            raise ParseError(
                f"cannot read this LaTeX past {rest.text!r}:\n{source}\n{marker}", text
            )
        return _LatexReader(source, names, parser_class).read(tree.relation(), 0)
    except RecursionError:
        raise ParseError("the formula is too long or too deeply nested to read", text) from None
    except ParseError as error:
        raise ParseError(error.detail, text) from None


class _LatexReader:
    def __init__(self, source: str, names: Names, parser_class: Any):
        self.source = source
        self.names = names
        self.build = Builder()
        self.P = parser_class

    def text(self, ctx: Any) -> str:
        return self.source[ctx.start.start : ctx.stop.stop + 1]

    def refuse(self, message: str, ctx: Any) -> ParseError:
        snippet = self.text(ctx)
        snippet = snippet if len(snippet) <= 40 else snippet[:37] + "..."
        return ParseError(f"{message}: {snippet}")

    def read(self, ctx: Any, depth: int) -> Expr:
        if depth > MAX_TREE_DEPTH:
            raise ParseError(f"the formula is nested more than {MAX_TREE_DEPTH} levels deep")
        method = getattr(self, "_" + type(ctx).__name__.removesuffix("Context").lower(), None)
        if method is None:
            raise self.refuse("not allowed in a formula", ctx)
        return method(ctx, depth + 1)

    # ----------------------------------------------------------------- structure

    def _relation(self, ctx: Any, depth: int) -> Expr:
        if ctx.expr() is None:
            raise self.refuse("a relation is not a formula: give one side only", ctx)
        return self.read(ctx.expr(), depth)

    def _expr(self, ctx: Any, depth: int) -> Expr:
        return self.read(ctx.additive(), depth)

    def _additive(self, ctx: Any, depth: int) -> Expr:
        # a + b - c is a left-leaning chain of binary nodes: walk it in a loop.
        chain = []
        while ctx.getChildCount() == 3:
            chain.append((ctx.SUB() is not None, ctx.additive(1)))
            ctx = ctx.additive(0)
        terms = [self.read(ctx.mp(), depth)]
        for negate, right in reversed(chain):
            term = self.read(right, depth)
            terms.append(self.build.neg(term) if negate else term)
        return self.build.add(terms)

    def _mp(self, ctx: Any, depth: int) -> Expr:
        chain = []
        while ctx.getChildCount() == 3:
            if ctx.COLON() is not None:
                raise self.refuse("':' is not allowed: write \\frac or /", ctx)
            chain.append((ctx.DIV() is not None or ctx.CMD_DIV() is not None, ctx.getChild(2)))
            ctx = ctx.getChild(0)
        factors = [self.read(ctx.getChild(0), depth)]
        for invert, right in reversed(chain):
            factor = self.read(right, depth)
            factors.append(self.build.power(factor, Integer(-1)) if invert else factor)
        return self.build.mul(factors)

    _mp_nofunc = _mp

    def _unary(self, ctx: Any, depth: int) -> Expr:
        inner = ctx.getChild(1) if ctx.SUB() is not None or ctx.ADD() is not None else None
        if inner is not None:
            value = self.read(inner, depth)
            return self.build.neg(value) if ctx.SUB() is not None else value
        # Juxtaposition: x y, 2\pi, (1-y)\ln(1-a) multiply.
        return self.build.mul([self.read(c, depth) for c in ctx.getChildren()])

    _unary_nofunc = _unary

    def _postfix(self, ctx: Any, depth: int) -> Expr:
        if ctx.postfix_op():
            raise self.refuse("factorials and evaluation bars are not allowed", ctx)
        return self.read(ctx.getChild(0), depth)

    _postfix_nofunc = _postfix

    def _exp(self, ctx: Any, depth: int) -> Expr:
        if ctx.getChildCount() == 1:
            return self.read(ctx.getChild(0), depth)
        if ctx.subexpr() is not None:
            raise self.refuse("a subscript after a power is not allowed", ctx)
        base = self.read(ctx.getChild(0), depth)
        return self.build.power(base, self.superscript(ctx, depth))

    _exp_nofunc = _exp

    def superscript(self, ctx: Any, depth: int) -> Expr:
        """The exponent after ^: a braced expression, or one token as TeX takes it."""
        if ctx.expr() is not None:
            return self.read(ctx.expr(), depth)
        atom = ctx.atom()
        self.one_token(atom, "an exponent", "^")
        return self.read(atom, depth)

    def one_token(self, atom: Any, what: str, mark: str) -> None:
        text = self.text(atom)
        single = (
            atom.frac() is not None
            or atom.mathit() is not None
            or (
                atom.subexpr() is None
                and atom.SINGLE_QUOTES() is None
                and (len(text) == 1 or atom.SYMBOL() is not None)
            )
        )
        if not single:
            braced, first = f"{mark}{{{text}}}", f"{mark}{{{text[0]}}}{text[1:]}"
            raise self.refuse(f"TeX takes one token as {what}: write {braced} or {first}", atom)

    def _comp(self, ctx: Any, depth: int) -> Expr:
        if ctx.floor() is not None or ctx.ceil() is not None:
            raise self.refuse("floor and ceiling are not allowed", ctx)
        return self.read(ctx.getChild(0), depth)

    _comp_nofunc = _comp

    def _group(self, ctx: Any, depth: int) -> Expr:
        return self.read(ctx.expr(), depth)

    def _abs_group(self, ctx: Any, depth: int) -> Expr:
        return self.build.checked(Abs(self.read(ctx.expr(), depth)))

    # ----------------------------------------------------------------- atoms

    def _atom(self, ctx: Any, depth: int) -> Expr:
        if ctx.number() is not None:
            return self.build.decimal(ctx.number().getText().replace(",", ""))
        if ctx.LETTER() is not None or ctx.SYMBOL() is not None:
            if ctx.SINGLE_QUOTES() is not None:
                raise self.refuse("primes (derivatives) are not supported", ctx)
            return self.name(ctx, ctx.subexpr())
        if ctx.frac() is not None:
            return self.read(ctx.frac(), depth)
        if ctx.mathit() is not None:
            return self.names.symbol(ctx.mathit().mathit_text().getText())
        if ctx.DIFFERENTIAL() is not None:
            raise self.refuse(
                "d followed by a letter reads as a differential (derivatives and integrals are "
                "not supported); for a product write d \\cdot x",
                ctx,
            )
        raise self.refuse("not allowed in a formula", ctx)

    def name(self, ctx: Any, subscript: Any) -> Expr:
        token = ctx.LETTER() or ctx.SYMBOL()
        base = token.getText().removeprefix("\\")
        if base in _REFUSED_COMMANDS:
            raise self.refuse(_REFUSED_COMMANDS[base], ctx)
        if subscript is None:
            return self.names.symbol(base)
        sub = self.subscript(subscript)
        spellings = (f"{base}_{sub}", f"{base}{sub}", f"{base}_{{{sub}}}")
        for spelling in spellings:
            if self.names.has_symbol(spelling):
                return self.names.symbol(spelling)
        if self.names.open:
            return self.names.symbol(spellings[0])
        raise ParseError(f"unknown name {token.getText()}_{{{sub}}}; {self.names.known()}")

    def subscript(self, ctx: Any) -> str:
        """The text of a subscript that is part of a name: letters and digits only."""
        if ctx.atom() is not None:
            self.one_token(ctx.atom(), "a subscript", "_")
        text = self.text(ctx).removeprefix("_").strip().removeprefix("{").removesuffix("}")
        text = text.strip().removeprefix("\\")
        if not re.fullmatch(r"[A-Za-z0-9]+", text):
            raise self.refuse("a subscript must be letters or digits, as in x_{1}", ctx)
        return text

    def _frac(self, ctx: Any, depth: int) -> Expr:
        upper = self.read(ctx.upper, depth) if ctx.upper is not None else None
        lower = self.read(ctx.lower, depth) if ctx.lower is not None else None
        if upper is None:
            upper = self.build.decimal(ctx.upperd.text)
        if lower is None:
            lower = self.build.decimal(ctx.lowerd.text)
        return self.build.divide(upper, lower)

    # ----------------------------------------------------------------- functions

    def _func(self, ctx: Any, depth: int) -> Expr:
        if ctx.func_normal() is not None:
            return self.normal_function(ctx, depth)
        if ctx.FUNC_SQRT() is not None:
            radicand = self.read(ctx.base, depth)
            if ctx.root is None:
                return self.build.power(radicand, Integer(1) / 2)
            index = self.read(ctx.root, depth)
            return self.build.power(radicand, self.build.power(index, Integer(-1)))
        if ctx.LETTER() is not None or ctx.SYMBOL() is not None:
            return self.named_function(ctx, depth)
        for token, what in (
            (ctx.FUNC_INT(), "integrals"),
            (ctx.FUNC_SUM(), "sums"),
            (ctx.FUNC_PROD(), "products"),
            (ctx.FUNC_LIM(), "limits"),
            (ctx.FUNC_OVERLINE(), "\\overline"),
        ):
            if token is not None:
                raise self.refuse(f"{what} are not supported", ctx)
        raise self.refuse("not allowed in a formula", ctx)

    def arguments(self, ctx: Any, depth: int) -> list[Expr]:
        # args: expr (',' args)? and func_arg: expr | expr ',' func_arg, both right-recursive.
        found = []
        while ctx is not None:
            found.append(self.read(ctx.expr(), depth))
            ctx = ctx.args() if type(ctx).__name__ == "ArgsContext" else ctx.func_arg()
        return found

    def normal_function(self, ctx: Any, depth: int) -> Expr:
        name = ctx.func_normal().getText().removeprefix("\\")
        function = _NORMAL[name]
        if ctx.L_PAREN() is not None:
            args = self.arguments(ctx.func_arg(), depth)
            if len(args) != 1:
                raise self.refuse(f"\\{name} takes one argument", ctx)
            arg = args[0]
        else:
            arg = self.read(ctx.func_arg_noparens().mp_nofunc(), depth)
        base = None
        if ctx.subexpr() is not None:
            if name not in ("log", "ln", "lg"):
                raise self.refuse(f"a subscript on \\{name} is not allowed", ctx)
            base = self.script(ctx.subexpr(), depth)
        elif name == "lg":
            base = Integer(10)
        power = self.script(ctx.supexpr(), depth) if ctx.supexpr() is not None else None
        if power == -1 and function in _INVERSES:
            return self.build.checked(_INVERSES[function](arg))  # \sin^{-1} is arcsin
        if function is exp:
            return (
                self.build.power(E, arg)
                if power is None
                else self.build.power(self.build.power(E, arg), power)
            )
        value = self.build.checked(log_of(arg, base) if base is not None else function(arg))
        return value if power is None else self.build.power(value, power)

    def script(self, ctx: Any, depth: int) -> Expr:
        """The value of a sub- or superscript: ^{expr} or ^token."""
        if ctx.expr() is not None:
            return self.read(ctx.expr(), depth)
        self.one_token(ctx.atom(), "a script", "^" if ctx.getChild(0).getText() == "^" else "_")
        return self.read(ctx.atom(), depth)

    def named_function(self, ctx: Any, depth: int) -> Expr:
        # f(x) in the grammar: a letter or command, then arguments in parentheses.
        if ctx.SINGLE_QUOTES() is not None:
            raise self.refuse("primes (derivatives) are not supported", ctx)
        token = ctx.LETTER() or ctx.SYMBOL()
        name = token.getText().removeprefix("\\")
        args = self.arguments(ctx.args(), depth)
        if ctx.subexpr() is None and name in FUNCTIONS:
            return self.build.call(name, self.names, args)
        # Not a function: a symbol times a bracket, as in a(1 - a).
        value = self.name(ctx, ctx.subexpr())
        if len(args) != 1:
            raise self.refuse(f"{token.getText()} is not a function", ctx)
        return self.build.mul([value, args[0]])
