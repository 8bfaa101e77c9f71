"""Straight-line NumPy code for a SymPy expression, writing into reusable buffers.

``lambdify`` prints an expression as nested NumPy calls, and each call
allocates its result. Evaluated block by block, that is a fresh temporary per
operation per block. Here the expression (after common subexpressions are
shared, by SymPy's ``cse``) becomes one ufunc call per node, each writing
with ``out=`` into a buffer; a liveness pass lets buffers be reused as soon
as their value is dead, so a long expression needs a handful of block-sized
buffers, allocated once per call and kept in cache. The code is generated
as Python source and compiled, as lambdify does; nodes without a ufunc
(arctan of a reciprocal, a Piecewise) fall back to SymPy's NumPy printer.

The same statements print in two more dialects (``emit_source``): ``"xp"``, plain
expressions of an array namespace ``xp`` (``xp.exp``, ``xp.where``; any library of
the array API standard), and ``"scalar"``, Python floats with ``math`` (for one
number, where a ufunc call would cost more than the arithmetic).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sympy import (
    Abs,
    Add,
    Basic,
    Dummy,
    Heaviside,
    Max,
    Min,
    Mul,
    Piecewise,
    Pow,
    Rational,
    Symbol,
    UnevaluatedExpr,
    cse,
    numbered_symbols,
)
from sympy.core.relational import Relational
from sympy.logic.boolalg import BooleanTrue

from numeric import _tails
from numeric._kernel_passes import allocate, divide_not_invert, hide_tails, is_quiet, parameter_ops

__all__ = ["Program", "Unsupported", "emit_source", "generate"]

# SymPy function name -> NumPy ufunc of one argument.
_UNARY = {
    "exp": "exp",
    "log": "log",
    "log1p": "log1p",
    "expm1": "expm1",
    "sqrt": "sqrt",
    "tanh": "tanh",
    "atan": "arctan",
    "asinh": "arcsinh",
    "sin": "sin",
    "cos": "cos",
}
_RELATIONS = {"<": "less", "<=": "less_equal", ">": "greater", ">=": "greater_equal", "==": "equal"}
_INFIX = {
    "add": "{0} + {1}",
    "subtract": "{0} - {1}",
    "multiply": "{0} * {1}",
    "divide": "{0} / {1}",
    "negative": "-{0}",
    "power": "{0} ** {1}",
    "less": "{0} < {1}",
    "less_equal": "{0} <= {1}",
    "greater": "{0} > {1}",
    "greater_equal": "{0} >= {1}",
    "equal": "{0} == {1}",
}
# NumPy ufunc -> the array API's name, and Python's (math) for one float.
_XP_NAMES = {"absolute": "abs", "arctan": "atan", "arcsinh": "asinh"}
_SCALAR = {
    **{u: f"math.{m}({{0}})" for u, m in zip(_UNARY.values(), _UNARY, strict=True)},
    "absolute": "abs({0})",
    "power": "math.pow({0}, {1})",  # a ValueError, not a complex number, for (-8) ** (1/3)
    # NaN propagates as in numpy.maximum/minimum.
    "maximum": "{0} if {0} >= {1} or {0} != {0} else {1}",
    "minimum": "{0} if {0} <= {1} or {0} != {0} else {1}",
}


class Unsupported(Exception):
    """A node that the requested dialect cannot print (a NumPy-only implementation)."""


@dataclass
class _Op:
    """One statement: ``template`` formatted with operand names and the output's."""

    template: str
    inputs: list[str]
    output: str
    kind: str  # "float" or "bool": a buffer of that kind; "value": a fresh array; "effect": none


@dataclass
class Program:
    """A compiled kernel: ``run(inputs, outputs, buffers)`` evaluates one block."""

    source: str
    run: Callable
    floats: int
    bools: int
    quiet: bool
    namespace: dict = field(repr=False, default_factory=dict)
    fast: Callable | None = None  # emit_source's name_fast, where the block has one

    def buffers(self, shape: tuple[int, ...], dtype: np.dtype) -> list[np.ndarray]:
        """Fresh buffers of ``shape``: the float ones, then the boolean ones."""
        return [np.empty(shape, dtype) for _ in range(self.floats)] + [
            np.empty(shape, bool) for _ in range(self.bools)
        ]


class _Emitter:
    def __init__(
        self,
        inputs: dict[Basic, str],
        fallback_printer: Any,
        dialect: str = "block",
        name: str = "kernel",
    ):
        self.dialect = dialect
        self.name = name
        self.helpers: list[str] = []
        self.tails: dict[Any, tuple[Basic, float]] = {}  # hide_tails's functions
        self.ops: list[_Op] = []
        self.names = dict(inputs)
        self.parameters = set(list(inputs.values())[1:])  # the first argument is the data
        self.tests: dict[Basic, list[Any]] = {}  # tested u -> the tails that test it
        self.masks: dict[Any, str] = {}  # a tail's function -> its mask's name
        self.namespace: dict[str, Any] = {}
        self.printer = fallback_printer
        self.counter = 0

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def op(self, template: str, inputs: list[str], kind: str = "float") -> str:
        output = self.fresh({"float": "v", "bool": "m", "value": "x"}[kind])
        self.ops.append(_Op(template, inputs, output, kind))
        return output

    def ufunc(self, name: str, *inputs: str, kind: str = "float") -> str:
        slots = ", ".join("{" + str(i) + "}" for i in range(len(inputs)))
        if self.dialect == "block":
            return self.op(f"numpy.{name}({slots}, out={{out}})", list(inputs), kind)
        if self.dialect == "scalar" and name in _SCALAR:
            code = _SCALAR[name]
        elif name in _INFIX:
            code = _INFIX[name]
        elif self.dialect == "xp":
            code = f"xp.{_XP_NAMES.get(name, name)}({slots})"
        else:
            raise Unsupported(f"no scalar form of numpy.{name}")
        return self.op("{out} = " + code, list(inputs), "value")

    # -------------------------------------------------------------- nodes

    def start_tails(self, tails: dict, exprs: Sequence[Any]) -> None:
        """hide_tails's functions, and the ``u`` that each tail of ``exprs`` tests."""
        self.tails = tails
        calls: set[Basic] = set()
        for e in exprs if tails else ():
            calls |= e.atoms(*tails) if isinstance(e, Basic) else set()
        for call in sorted(calls, key=str):
            self.tests.setdefault(call.args[0], []).append(call.func)
        for argument, name in list(self.names.items()):  # the arguments: tested first
            self.tested(argument, name)

    def emit(self, node: Basic) -> str:
        if node in self.names:
            return self.names[node]
        return self.tested(node, self._emit(node))

    def tested(self, node: Basic, name: str) -> str:
        """``name`` of ``node``, after the masks of the tails that test it (in a block).

        Each mask is taken as soon as its ``u`` exists, so ``u``'s buffer is free for
        what follows (numeric._tails.mask).
        """
        if self.dialect == "block":
            for function in self.tests.pop(node, ()):
                c = self.tails[function][1]
                self.namespace["_tail_mask"] = _tails.mask
                template = f"{{out}} = _tail_mask({{0}}, {c!r})"
                self.masks[function] = self.op(template, [name], "value")
        return name

    def _emit(self, node: Basic) -> str:
        if node.is_Number or node.is_NumberSymbol:
            return f"({float(node)!r})"
        if self.dialect != "block" and node.is_number:  # ln 2: a constant, not a call
            return f"({float(node)!r})"
        if isinstance(node, UnevaluatedExpr):
            return self.emit(node.args[0])  # its grouping is the tree's own
        if node.func in self.tails:
            return self._tail(node)
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            for name in _UNARY:
                if type(node).__name__ == name:
                    return self.ufunc(_UNARY[name], self.emit(node.args[0]))
            return self._other(node)
        return method(node)

    def _Add(self, node: Add) -> str:
        terms = list(node.args)
        positive = [t for t in terms if not t.could_extract_minus_sign()]
        negative = [-t for t in terms if t.could_extract_minus_sign()]
        if not positive:  # -a - b - ...: the sign on the first term, where _Mul may fold it
            positive, negative = [-negative[0]], negative[1:]
        acc = self.emit(positive[0])
        for t in positive[1:]:
            acc = self.ufunc("add", acc, self.emit(t))
        for t in negative:
            acc = self.ufunc("subtract", acc, self.emit(t))
        return acc

    def _Mul(self, node: Mul) -> str:
        coefficient = Rational(1)
        numerators, denominators = [], []
        for f in node.args:
            if f.is_Number:
                coefficient *= f
            elif isinstance(f, Pow) and f.exp.is_Number and f.exp.is_negative:
                denominators.append(f.base if f.exp == -1 else Pow(f.base, -f.exp))
            else:
                numerators.append(f)
        sign, magnitude = (-1, -coefficient) if coefficient < 0 else (1, coefficient)
        # The sign goes where it costs no pass over the data (rounding is symmetric, so the
        # numbers are the same): into the constant, or onto a parameter (0-d in a block).
        if sign < 0 and (magnitude != 1 or not numerators):
            sign, magnitude = 1, -magnitude
        flip = None
        if sign < 0:
            flip = next((f for f in numerators if self.names.get(f) in self.parameters), None)
            sign = 1 if flip is not None else sign
        if numerators:
            acc = None
            for f in numerators:
                name = self.emit(f)
                name = self.ufunc("negative", name) if f is flip else name
                acc = name if acc is None else self.ufunc("multiply", acc, name)
            if magnitude != 1:
                acc = self.ufunc("multiply", acc, self.emit(magnitude))
        else:
            acc = self.emit(magnitude)
        for d in denominators:
            acc = self.ufunc("divide", acc, self.emit(d))
        if not numerators and not denominators:
            acc = self.ufunc("multiply", acc, "1.0")  # a constant: make it an array
        return self.ufunc("negative", acc) if sign < 0 else acc

    def _Pow(self, node: Pow) -> str:
        base, exponent = node.args
        if exponent.is_Integer and 2 <= exponent <= 4:
            b = self.emit(base)
            acc = self.ufunc("multiply", b, b)
            for _ in range(int(exponent) - 2):
                acc = self.ufunc("multiply", acc, b)
            return acc
        if exponent.is_Number and exponent.is_negative:
            return self.ufunc("divide", "(1.0)", self.emit(Pow(base, -exponent)))
        if exponent == Rational(1, 2):
            return self.ufunc("sqrt", self.emit(base))
        return self.ufunc("power", self.emit(base), self.emit(exponent))

    def _Abs(self, node: Abs) -> str:
        if self.dialect == "xp":  # |u| as u at u = 0 (see _tie)
            u = self.emit(node.args[0])
            return self.op("{out} = xp.where({0} < 0.0, -{0}, {0})", [u], "value")
        return self.ufunc("absolute", self.emit(node.args[0]))

    def _chain(self, ufunc: str, args: Sequence[Basic]) -> str:
        if self.dialect == "xp" and len(args) == 2 and (tie := self._tie(ufunc, *args)):
            return tie
        acc = self.emit(args[0])
        for a in args[1:]:
            acc = self.ufunc(ufunc, acc, self.emit(a))
        return acc

    def _tie(self, ufunc: str, a: Basic, b: Basic) -> str | None:
        """max(a, b) or min(a, b) for another library, its tie at u = 0 broken as at u > 0.

        The stable forms are smooth but built of pieces with a kink at u = 0 (|u|, max(u, 0),
        max(e^-|u|, H(u))), and automatic differentiation gives each piece a derivative there
        of its own choosing (PyTorch: |u|' = 0, max splits its gradient between the two): the
        sigmoid's derivative at 0 came out 0. Taken as at u > 0 by every piece, the kinks
        cancel as they do in the value, and the derivative is the one of the smooth function.
        Returns None for a pair this does not recognise (printed as the library's max).
        """
        if isinstance(a, Heaviside) or a == 0:
            a, b = b, a
        if isinstance(b, Heaviside):  # max(e^-|u|, H(u)) is H(u) = 1 at u >= 0
            wins_above = b if ufunc == "maximum" else a
        elif b == 0:  # max(u, 0) is u above 0, max(-u, 0) is 0; min the other way round
            above = a if not a.could_extract_minus_sign() else b
            wins_above = above if ufunc == "maximum" else (b if above is a else a)
        else:
            return None
        other = b if wins_above is a else a
        winner, loser = self.emit(wins_above), self.emit(other)
        # NaN propagates as in numpy.maximum: a comparison with NaN is false, so the value
        # picked when it fails is the one that can be NaN (H(u) and numbers cannot)
        if isinstance(wins_above, Heaviside) or wins_above.is_number:
            code = "{0} >= {1}" if ufunc == "maximum" else "{0} <= {1}"
            return self.op(f"{{out}} = xp.where({code}, {{0}}, {{1}})", [winner, loser], "value")
        code = "{1} > {0}" if ufunc == "maximum" else "{1} < {0}"
        return self.op(f"{{out}} = xp.where({code}, {{1}}, {{0}})", [winner, loser], "value")

    def _Max(self, node: Max) -> str:
        return self._chain("maximum", node.args)

    def _Min(self, node: Min) -> str:
        return self._chain("minimum", node.args)

    def _Heaviside(self, node: Heaviside) -> str:
        u = node.args[0]
        if len(node.args) != 2 or node.args[1] != 1:
            return self._other(node)
        if self.dialect != "block":  # H(u) as a number, 1.0 or 0.0
            code = {
                "xp": "xp.astype({0} >= 0.0, {0}.dtype)",
                "scalar": "1.0 if {0} >= 0.0 else 0.0",
            }
            return self.op("{out} = " + code[self.dialect], [self.emit(u)], "value")
        # H(u) with H(0) = 1 is u >= 0; H(-v) is v <= 0, without computing -v.
        if u.could_extract_minus_sign():
            return self.ufunc("less_equal", self.emit(-u), "(0.0)", kind="bool")
        return self.ufunc("greater_equal", self.emit(u), "(0.0)", kind="bool")

    def _relation(self, node: Relational) -> str:
        ufunc = _RELATIONS.get(node.rel_op)
        if ufunc is None:
            return self._other(node)
        return self.ufunc(ufunc, self.emit(node.lhs), self.emit(node.rhs), kind="bool")

    _StrictLessThan = _LessThan = _StrictGreaterThan = _GreaterThan = _Equality = _relation

    def _Piecewise(self, node: Piecewise) -> str:
        *pieces, (last, condition) = node.args
        if not isinstance(condition, BooleanTrue):
            return self._other(node)
        acc = self.emit(last)
        for value, cond in reversed(pieces):
            operands = [self.emit(cond), self.emit(value), acc]
            code = {"block": "numpy.where({0}, {1}, {2})", "xp": "xp.where({0}, {1}, {2})"}
            acc = self.op(
                "{out} = " + code.get(self.dialect, "{1} if {0} else {2}"), operands, "value"
            )
        return acc

    def _tail(self, node: Basic) -> str:
        """A far-tail Piecewise: ``fast`` everywhere, ``safe`` (a helper) beyond c.

        Beyond c is u < c for c < 0, u > c for c > 0 (hide_tails). In a block, ``safe`` is
        patched in there (numeric._tails); for one number, it is taken there (``fast`` may
        have overflowed to inf: unused, or an OverflowError of ``math``, which sends the
        number to the array path).
        """
        safe, c = self.tails[node.func]
        u, fast = node.args
        u_name = self.tested(u, self.emit(u))  # a constant or an argument: tested here
        leaves = sorted(safe.free_symbols, key=str)
        leaf_names = [self.emit(leaf) for leaf in leaves]
        helper = f"{self.name}_tail{len(self.helpers)}"
        dialect = "scalar" if self.dialect == "scalar" else "xp"
        text, *_ = emit_source([safe], leaves, None, helper, dialect)
        self.helpers.append(text)
        acc = self.emit(fast)
        if self.dialect == "scalar":
            call = f"{helper}({', '.join(leaf_names)})"
            beyond = "<" if c < 0 else ">"
            template = f"{{out}} = {call} if {{0}} {beyond} {c!r} else {{1}}"
            return self.op(template, [u_name, acc], "value")
        slots = ", ".join("{" + str(i) + "}" for i in range(2, 2 + len(leaves)))
        template = f"_tail_patch({{0}}, {{1}}, {helper}, {slots})"
        self.namespace["_tail_patch"] = _tails.patch
        where = self.masks[node.func]
        self.ops.append(_Op(template, [where, acc, *leaf_names], self.fresh("t"), "effect"))
        return acc

    def _other(self, node: Basic) -> str:
        """A node without a ufunc: SymPy's printer, or the function's own implementation."""
        if self.dialect != "block":
            raise Unsupported(f"no {self.dialect} form of {type(node).__name__}")
        operands = [self.emit(a) for a in node.args]
        implementation = getattr(type(node), "_imp_", None)
        if implementation is not None:
            name = f"_f_{type(node).__name__}"
            self.namespace[name] = implementation
            slots = ", ".join("{" + str(i) + "}" for i in range(len(operands)))
            return self.op(f"{{out}} = {name}({slots})", operands, kind="value")
        placeholders = [Symbol(f"_arg{i}") for i in range(len(operands))]
        code = self.printer.doprint(node.func(*placeholders))
        for i in range(len(operands)):
            code = code.replace(f"_arg{i}", "{" + str(i) + "}")
        return self.op("{out} = " + code, operands, kind="value")


def emit_source(
    exprs: Sequence[Basic], args: Sequence[Symbol], printer: Any, name: str, dialect: str = "block"
) -> tuple[str, int, int, dict[str, Any]]:
    """Source of a function ``name`` computing ``exprs``, its buffer counts and the names it uses.

    ``dialect`` "block" writes ``name(a0, ..., out0, ..., f0, ..., b0, ...)`` into the
    outputs with one ufunc call per node (``floats`` and ``bools`` buffers of the block's
    shape); "xp" returns ``name(xp, a0, ...)`` from array-API calls; "scalar" returns
    ``name(a0, ...)`` for Python floats, with ``math``. Deterministic: the same
    expressions give the same text in every process. Raises :class:`Unsupported` when a
    node has no form in the dialect.

    A block with far tails (``hide_tails``) and no other Piecewise comes with ``name_fast``,
    the same statements without the tails' masks and patches (a pass fewer per tail). A
    tail's fast form overflows a little beyond its split, so where ``name_fast`` raises no
    floating-point error, it gives ``name``'s numbers (numeric._codegen.Kernel tries it first).
    """
    inputs = {a: f"a{i}" for i, a in enumerate(args)}
    exprs, tails = hide_tails(exprs, dialect)
    replacements, reduced = cse(list(exprs), symbols=numbered_symbols("_c", cls=Dummy))
    replacements, reduced = divide_not_invert(replacements, reduced)
    emitter = _Emitter(inputs, printer, dialect, name)
    emitter.start_tails(tails, [*(value for _, value in replacements), *reduced])
    for symbol, value in replacements:
        emitter.names[symbol] = emitter.tested(symbol, emitter.emit(value))
    results = [emitter.emit(e) for e in reduced]
    ops = emitter.ops
    if dialect != "block":
        body = [o.template.format(*o.inputs, out=o.output) for o in ops]
        body.append(f"return {', '.join(results)}")
        head = ", ".join([*(["xp"] if dialect == "xp" else []), *inputs.values()])
        lines = "\n".join(f"    {line}" for line in body)
    helpers = "".join(f"{h}\n\n\n" for h in emitter.helpers)
    if dialect != "block":
        return f"{helpers}def {name}({head}):\n{lines}", 0, 0, {}
    # An output computed by a ufunc is written straight into its target, unless an
    # earlier output already took that value.
    final = {}
    for k, result in enumerate(results):
        producer = next((o for o in ops if o.output == result), None)
        if producer is not None and producer.kind != "value" and result not in final:
            final[result] = f"out{k}"
    where, floats, bools = allocate(ops, results, final)
    params = parameter_ops(ops, final)
    if params:
        emitter.namespace["_param"] = _tails.param
    body, fast = [], []  # fast: without the tails' masks and patches
    for o in ops:
        operands = [final.get(n, n if n in params else where.get(n, n)) for n in o.inputs]
        target = final.get(o.output, where.get(o.output, o.output))
        line = params.get(o.output, o.template).format(*operands, out=target)
        body.append(line)
        if not o.template.startswith(("{out} = _tail_mask(", "_tail_patch(")):
            fast.append(line)
    for k, result in enumerate(results):
        if final.get(result) != f"out{k}":
            body.append(f"out{k}[...] = {final.get(result, where.get(result, result))}")
            fast.append(body[-1])
    signature = [*inputs.values(), *(f"out{k}" for k in range(len(results)))]
    signature += [f"f{i}" for i in range(floats)] + [f"b{i}" for i in range(bools)]
    functions = [(name, body)] + (
        [(f"{name}_fast", fast)] if fast != body and not is_quiet(exprs) else []
    )
    source = helpers + "\n\n\n".join(
        f"def {f}({', '.join(signature)}):\n" + "\n".join(f"    {b}" for b in lines)
        for f, lines in functions
    )
    return source, floats, bools, emitter.namespace


def generate(exprs: Sequence[Basic], args: Sequence[Symbol], printer: Any) -> Program:
    """Compile ``exprs`` (functions of ``args``) into a :class:`Program`.

    >>> from sympy import Symbol, exp
    >>> from sympy.printing.numpy import NumPyPrinter
    >>> z = Symbol("z")
    >>> program = generate([1 / (1 + exp(-z))], [z], NumPyPrinter())
    >>> print(program.source)
    def kernel(a0, out0, f0):
        numpy.negative(a0, out=f0)
        numpy.exp(f0, out=f0)
        numpy.add((1.0), f0, out=f0)
        numpy.divide((1.0), f0, out=out0)
    """
    source, floats, bools, names = emit_source(exprs, args, printer, "kernel")
    namespace = {"numpy": np, **names}
    exec(compile(source, "<numeric kernel>", "exec"), namespace)  # our own generated code
    fast = namespace.get("kernel_fast")
    return Program(source, namespace["kernel"], floats, bools, is_quiet(exprs), namespace, fast)
