r"""Formulas typed by people, read without ever evaluating them; Python syntax lives here.

SymPy's ``sympify`` and ``parse_expr`` run ``eval`` on the text even with a
restricted namespace (SymPy issue 10805), and ``Expr.equals``, ``subs`` and
``simplify`` sympify strings too. So this module never hands user text to any
of them: ``ast.parse`` only parses, and an allow-list walk over its tree builds
SymPy objects directly. Allowed: numbers, known names, ``+ - * / **``, unary
signs, and calls of known functions without keywords. Anything else raises
:class:`ParseError` before anything is built.

Limits, each checked before any work that could be slow (a refusal takes milliseconds):

- at most ``MAX_LENGTH`` = 10,000 characters (LaTeX: ``MAX_LATEX_LENGTH`` = 1,000);
- brackets nested at most ``MAX_BRACKET_DEPTH`` = 30 deep, and an expression
  tree at most ``MAX_TREE_DEPTH`` = 100 levels deep;
- exact numbers of at most ``MAX_NUMBER_BITS`` = 4096 bits, so a power such as
  ``9**9**9**9`` is refused from the sizes of its base and exponent before
  SymPy could try to compute it; a numeric exponent is at most
  ``MAX_EXPONENT`` = 1000 in size (numerator and denominator), ``(x**100)**100``
  and ``exp(10**8*log(10))`` (which SymPy builds into powers) included.

Floats are read as the exact decimals they are written as: ``0.1`` is 1/10.

>>> from sympy import Symbol
>>> z = Symbol("z", real=True)
>>> parse_python("exp(z)/(1 + exp(z))", Names({"z": z}))
exp(z)/(exp(z) + 1)
>>> parse_python("0.5*z", Names({"z": z}))
z/2
>>> parse_python("z.__class__", Names({"z": z}))
Traceback (most recent call last):
...
derivations.parsing.ParseError: attribute access is not allowed: z.__class__
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from sympy import (
    Abs,
    Add,
    E,
    Expr,
    Integer,
    Max,
    Min,
    Mul,
    Pow,
    Rational,
    S,
    Symbol,
    acos,
    acosh,
    asin,
    asinh,
    atan,
    atanh,
    cos,
    cosh,
    erf,
    erfc,
    exp,
    log,
    pi,
    sign,
    sin,
    sinh,
    sqrt,
    tan,
    tanh,
)
from sympy.codegen.cfunctions import expm1, log1p

from derivations.errors import DerivationsError
from derivations.functions import logit, sigmoid

__all__ = [
    "CONSTANTS",
    "FUNCTIONS",
    "MAX_BRACKET_DEPTH",
    "MAX_EXPONENT",
    "MAX_LATEX_LENGTH",
    "MAX_LENGTH",
    "MAX_NUMBER_BITS",
    "MAX_TREE_DEPTH",
    "Builder",
    "Names",
    "ParseError",
    "check_text",
    "log_of",
    "parse_python",
    "too_big",
    "too_big_exponent",
]

MAX_LENGTH = 10_000
# LaTeX is parsed by ANTLR's pure-Python runtime, at up to 0.15 ms a character: this
# keeps the slowest refusal of a LaTeX string near 0.15 s. The toolkit's longest
# formula written out in LaTeX (the two-Gaussian posterior) has about 130 characters.
MAX_LATEX_LENGTH = 1_000
MAX_BRACKET_DEPTH = 30
MAX_TREE_DEPTH = 100
MAX_NUMBER_BITS = 4096
MAX_EXPONENT = 1000


class ParseError(DerivationsError, ValueError):
    """A formula that the toolkit refuses to read: bad syntax, or something not allowed.

    ``text`` is the formula; ``detail`` says what is wrong, naming the offending part.
    """

    def __init__(self, detail: str, text: str | None = None):
        super().__init__(detail)
        self.detail = detail
        self.text = text


# fmt: off
# name -> (SymPy function, numbers of arguments it takes; None: two or more)
FUNCTIONS: dict[str, tuple[Callable[..., Expr], tuple[int, ...] | None]] = {
    **{name: (f, (1,)) for name, f in (
        ("exp", exp), ("ln", log), ("log1p", log1p), ("expm1", expm1), ("sqrt", sqrt),
        ("sin", sin), ("cos", cos), ("tan", tan), ("asin", asin), ("acos", acos), ("atan", atan),
        ("arcsin", asin), ("arccos", acos), ("arctan", atan), ("sinh", sinh), ("cosh", cosh),
        ("tanh", tanh), ("asinh", asinh), ("acosh", acosh), ("atanh", atanh),
        ("arcsinh", asinh), ("arccosh", acosh), ("arctanh", atanh), ("erf", erf), ("erfc", erfc),
        ("abs", Abs), ("Abs", Abs), ("sign", sign), ("sigma", sigmoid), ("sigmoid", sigmoid),
        ("logit", logit), ("softplus", lambda u: log(1 + exp(u))),
    )},
    "log": (lambda u, base=None: log_of(u, base), (1, 2)),
    **{name: (f, None) for name, f in (("max", Max), ("Max", Max), ("min", Min), ("Min", Min))},
}
# fmt: on
# fmt: on

CONSTANTS: dict[str, Expr] = {"e": E, "E": E, "pi": pi}


class Names:
    """What the names in a formula mean: symbols by name, then constants and functions.

    A name that is a symbol here is that symbol (with its assumptions), even
    ``e`` or ``pi``; otherwise ``e``/``E`` is Euler's number and ``pi`` is pi.
    Function names are recognised where they are called. With ``open=True``
    (a reference typed as a string) an unknown name becomes a new real symbol;
    otherwise it is an error that lists the known names.

    >>> Names({}, open=True).symbol("x")
    x
    >>> Names({}).symbol("x")
    Traceback (most recent call last):
    ...
    derivations.parsing.ParseError: unknown name 'x'; known symbols: none; constants: E, e, pi; ...
    """

    def __init__(self, symbols: Mapping[str, Expr], *, open: bool = False):
        self.symbols: dict[str, Expr] = dict(symbols)
        self.open = open

    def has_symbol(self, name: str) -> bool:
        """True when ``name`` is one of the symbols (not a constant or a function)."""
        return name in self.symbols

    def symbol(self, name: str) -> Expr:
        """The symbol or constant called ``name``."""
        if name in self.symbols:
            return self.symbols[name]
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in FUNCTIONS:
            raise ParseError(f"{name} is a function: call it, as in {name}(z)")
        if self.open:
            self.symbols[name] = Symbol(name, real=True)
            return self.symbols[name]
        raise ParseError(f"unknown name {name!r}; {self.known()}")

    def function(self, name: str) -> tuple[Callable[..., Expr], tuple[int, ...] | None] | None:
        """The function called ``name`` and the numbers of arguments it takes, or None."""
        return FUNCTIONS.get(name)

    def known(self) -> str:
        """The known names, for error messages."""
        symbols = ", ".join(sorted(self.symbols)) or "none"
        constants = ", ".join(sorted(c for c in CONSTANTS if c not in self.symbols))
        functions = ", ".join(sorted(FUNCTIONS))
        return f"known symbols: {symbols}; constants: {constants}; functions: {functions}"


# --------------------------------------------------------------------------- building


_NOT_FINITE = (S.ComplexInfinity, S.NaN, S.Infinity, S.NegativeInfinity)
_INFINITE = "the formula divides by zero or is otherwise infinite or undefined"


def too_big(number: Expr) -> bool:
    """Whether an exact rational number has more than MAX_NUMBER_BITS bits."""
    return max(abs(number.p).bit_length(), number.q.bit_length()) > MAX_NUMBER_BITS


def too_big_exponent(exponent: Expr) -> bool:
    """Whether a rational exponent is more than MAX_EXPONENT in size (numerator or denominator)."""
    return abs(exponent.p) > MAX_EXPONENT or exponent.q > MAX_EXPONENT


def _exponential_guard(argument: Expr) -> None:
    """Refuse exp(c*log(b)) with a huge c: SymPy builds it into b**c (10**(10**100): no end)."""
    for term in Add.make_args(argument):
        coefficient, rest = term.as_coeff_Mul()
        if rest.has(log) and coefficient.is_Rational and too_big_exponent(coefficient):
            raise ParseError(
                f"exp({_short(str(term))}) would be a power with the exponent "
                f"{_short(str(coefficient))}: at most {MAX_EXPONENT} in size"
            )


def log_of(u: Expr, base: Expr | None = None) -> Expr:
    """log(u), or log(u, base) for a base that is not a number <= 0 or 1 (those are undefined)."""
    if base is None:
        return log(u)
    if base.is_number and (base.is_positive is False or base == 1 or base.is_real is False):
        raise ParseError(f"a logarithm to the base {base} is undefined")
    return log(u, base)


class Builder:
    """SymPy constructors that refuse what could be huge, infinite or undefined.

    Every node is checked as it is built, so an oversized number or a ``zoo``
    from a division by zero never reaches a larger expression.

    >>> Builder().power(Integer(9), Integer(387420489))
    Traceback (most recent call last):
    ...
    derivations.parsing.ParseError: the exponent 387420489 is too large (at most 1000 in size)
    """

    def checked(self, expr: Expr) -> Expr:
        """``expr`` itself, after checking that it holds no huge or non-finite number."""
        numbers = [expr, expr.args[0]] if (expr.is_Add or expr.is_Mul) else [expr]
        for n in numbers:
            if n in _NOT_FINITE:
                raise ParseError(_INFINITE)
            if n.is_Rational and too_big(n):
                raise ParseError(f"a number in the formula has more than {MAX_NUMBER_BITS} bits")
        if expr.is_Pow and expr.exp.is_Rational and too_big_exponent(expr.exp):
            raise ParseError(f"the exponent {_short(str(expr.exp))} is too large (at most 1000)")
        return expr

    def number(self, value: Fraction | int) -> Expr:
        """An exact rational number."""
        value = Fraction(value)
        if max(abs(value.numerator).bit_length(), value.denominator.bit_length()) > MAX_NUMBER_BITS:
            raise ParseError(f"the number {_short(str(value))} is too large")
        return Rational(value.numerator, value.denominator)

    def decimal(self, text: str) -> Expr:
        """The exact value of a decimal literal such as ``0.1`` or ``2.5e-3`` (1/10, 1/400)."""
        try:
            d = Decimal(text)
        except InvalidOperation:
            raise ParseError(f"not a number: {_short(text)}") from None
        if not d.is_finite():
            raise ParseError(f"not a finite number: {_short(text)}")
        if d and (abs(d.adjusted()) > 300 or len(d.as_tuple().digits) > 400):
            raise ParseError(f"the number {_short(text)} is out of range")
        return self.number(Fraction(d))

    def add(self, terms: list[Expr]) -> Expr:
        return self.checked(Add(*terms))

    def mul(self, factors: list[Expr]) -> Expr:
        return self.checked(Mul(*factors))

    def neg(self, operand: Expr) -> Expr:
        return self.checked(-operand)

    def power(self, base: Expr, exponent: Expr) -> Expr:
        """``base**exponent``, refused when an exact result could be enormous."""
        if exponent.is_Number:
            if not exponent.is_Rational:
                raise ParseError(f"the exponent {exponent} is not exact")
            if too_big_exponent(exponent):
                raise ParseError(
                    f"the exponent {_short(str(exponent))} is too large "
                    f"(at most {MAX_EXPONENT} in size)"
                )
            if base.is_Rational:
                bits = max(abs(base.p).bit_length(), base.q.bit_length()) * abs(exponent.p)
                if bits > MAX_NUMBER_BITS:
                    raise ParseError(
                        f"{_short(str(base))}**{exponent} has more than {MAX_NUMBER_BITS} bits"
                    )
        if base == E:
            _exponential_guard(exponent)
        return self.checked(Pow(base, exponent))

    def divide(self, numerator: Expr, denominator: Expr) -> Expr:
        return self.mul([numerator, self.power(denominator, Integer(-1))])

    def function(self, name: str, names: Names) -> tuple[Callable[..., Expr], Any]:
        """The known function ``name`` and the numbers of arguments it takes; or ParseError."""
        found = names.function(name)
        if found is None:
            if names.has_symbol(name) or name in CONSTANTS:
                raise ParseError(f"{name} is not a function: write {name}*(...) for a product")
            raise ParseError(f"unknown function {name!r}; {names.known()}")
        return found

    def call(self, name: str, names: Names, args: list[Expr]) -> Expr:
        """The known function ``name`` applied to ``args``."""
        function, arities = self.function(name, names)
        if arities is None and len(args) < 2:
            raise ParseError(f"{name} takes two or more arguments")
        if arities is not None and len(args) not in arities:
            counts = " or ".join(map(str, arities))
            raise ParseError(f"{name} takes {counts} argument{'s' if arities != (1,) else ''}")
        if function is exp:
            _exponential_guard(args[0])
        return self.checked(function(*args))


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_text(text: Any, max_length: int = MAX_LENGTH) -> str:
    """``text`` if it is a string of allowed size and bracket depth; ParseError otherwise.

    >>> check_text("(" * 31 + "x" + ")" * 31)
    Traceback (most recent call last):
    ...
    derivations.parsing.ParseError: brackets are nested more than 30 deep
    """
    if not isinstance(text, str):
        raise TypeError(f"a formula must be a string, not {type(text).__name__}")
    if len(text) > max_length:
        raise ParseError(f"the formula has {len(text)} characters; at most {max_length} are read")
    depth = deepest = 0
    for c in text:
        if c in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in ")]}":
            depth -= 1
    if deepest > MAX_BRACKET_DEPTH:
        raise ParseError(f"brackets are nested more than {MAX_BRACKET_DEPTH} deep")
    if not text.strip():
        raise ParseError("the formula is empty")
    return text


# --------------------------------------------------------------------------- Python syntax

_NOT_ALLOWED = {
    ast.Attribute: "attribute access is not allowed",
    ast.Subscript: "subscripts are not allowed",
    ast.Lambda: "lambda is not allowed",
    **dict.fromkeys(
        (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp),
        "comprehensions are not allowed",
    ),
    ast.JoinedStr: "f-strings are not allowed",
    ast.Starred: "starred arguments are not allowed",
    ast.Compare: "a comparison is not a formula: give one side only",
    ast.BoolOp: "and/or are not allowed",
    ast.IfExp: "conditional expressions are not allowed",
    ast.NamedExpr: "assignment expressions are not allowed",
    ast.Tuple: "a tuple is not a formula",
    ast.List: "a list is not a formula",
    ast.Set: "braces are not allowed (is this LaTeX? then pass syntax='latex')",
    ast.Dict: "braces are not allowed (is this LaTeX? then pass syntax='latex')",
}

_OPERATORS = {
    ast.BitXor: "'^' is exclusive-or in Python syntax: write ** for a power",
    ast.FloorDiv: "'//' (floor division) is not allowed: write /",
    ast.Mod: "'%' is not allowed",
    ast.MatMult: "'@' is not allowed",
    **{op: f"'{s}' is not allowed" for op, s in ((ast.BitAnd, "&"), (ast.BitOr, "|"))},
    **{op: f"'{s}' is not allowed" for op, s in ((ast.LShift, "<<"), (ast.RShift, ">>"))},
}


def parse_python(text: str, names: Names) -> Expr:
    """Read ``text``, a formula in Python syntax, as a SymPy expression; never evaluates it."""
    check_text(text)
    source = text.strip()
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        hint = " (write 2*x, not 2x)" if "decimal literal" in str(error.msg) else ""
        raise ParseError(f"not a formula in Python syntax: {error.msg}{hint}", text) from None
    except (RecursionError, MemoryError, ValueError):
        # CPython's own parser guards its recursion this way (a very long or deep input).
        raise ParseError("the formula is too long or too deeply nested to read", text) from None
    try:
        return _PythonReader(source, names).read(tree.body, 0)
    except ParseError as error:
        raise ParseError(error.detail, text) from None


class _PythonReader:
    def __init__(self, source: str, names: Names):
        self.source = source
        self.names = names
        self.build = Builder()

    def where(self, node: ast.AST) -> str:
        return _short(ast.get_source_segment(self.source, node) or type(node).__name__)

    def read(self, node: ast.AST, depth: int) -> Expr:
        if depth > MAX_TREE_DEPTH:
            raise ParseError(f"the formula is nested more than {MAX_TREE_DEPTH} levels deep")
        for kind, message in _NOT_ALLOWED.items():
            if isinstance(node, kind):
                raise ParseError(f"{message}: {self.where(node)}")
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.names.symbol(node.id)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return self.build.neg(self.read(node.operand, depth + 1))
            if isinstance(node.op, ast.UAdd):
                return self.read(node.operand, depth + 1)
            raise ParseError(f"only + and - may stand before a term: {self.where(node)}")
        if isinstance(node, ast.BinOp):
            return self.binary(node, depth)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        raise ParseError(
            f"{type(node).__name__} is not allowed: {self.where(node)}; a formula has only "
            "numbers, names, + - * / **, and calls of known functions"
        )

    def constant(self, node: ast.Constant) -> Expr:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParseError(f"only numbers are allowed as literals, not {self.where(node)}")
        if isinstance(value, int):
            return self.build.number(value)
        # The literal as written (1e-400 is not 0): Decimal reads it exactly.
        return self.build.decimal(ast.get_source_segment(self.source, node) or repr(value))

    def operator(self, node: ast.BinOp) -> None:
        message = _OPERATORS.get(type(node.op))
        if message is not None:
            raise ParseError(f"{message}: {self.where(node)}")

    def binary(self, node: ast.BinOp, depth: int) -> Expr:
        self.operator(node)
        if isinstance(node.op, (ast.Add, ast.Sub)):
            # a + b - c + ... is a left-leaning chain: walk it in a loop, not by recursion.
            chain: list[tuple[bool, ast.AST]] = []
            while isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
                chain.append((isinstance(node.op, ast.Sub), node.right))
                node = node.left
            terms = [self.read(node, depth + 1)]
            for negate, right in reversed(chain):
                term = self.read(right, depth + 1)
                terms.append(self.build.neg(term) if negate else term)
            return self.build.add(terms)
        if isinstance(node.op, (ast.Mult, ast.Div)):
            chain = []
            while isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
                chain.append((isinstance(node.op, ast.Div), node.right))
                node = node.left
            factors = [self.read(node, depth + 1)]
            for invert, right in reversed(chain):
                factor = self.read(right, depth + 1)
                factors.append(self.build.power(factor, Integer(-1)) if invert else factor)
            return self.build.mul(factors)
        if isinstance(node.op, ast.Pow):
            base = self.read(node.left, depth + 1)
            exponent = self.read(node.right, depth + 1)
            return self.build.power(base, exponent)
        raise ParseError(f"operator not allowed: {self.where(node)}")

    def call(self, node: ast.Call, depth: int) -> Expr:
        if not isinstance(node.func, ast.Name):
            self.read(node.func, depth + 1)  # names what is wrong (attribute access, ...) if it can
            raise ParseError(f"only known functions may be called, by name: {self.where(node)}")
        if node.keywords:
            raise ParseError(f"keyword arguments are not allowed: {self.where(node)}")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise ParseError(f"starred arguments are not allowed: {self.where(node)}")
        name = node.func.id
        self.build.function(name, self.names)  # an unknown name fails before its arguments
        args = [self.read(a, depth + 1) for a in node.args]
        return self.build.call(name, self.names, args)
