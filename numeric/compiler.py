"""``numeric.lambdify``: your own SymPy expression (or derivation) as a fast, stable NumPy function.

The public face of the toolkit's kernel compiler (``numeric._codegen.compile_kernel``):
SymPy's argument order, the built-in functions' input checks, dtypes and ``out=``. Before
compiling, the sigmoid family is written in the stable forms the catalog proves (each
rewrite below names the derivation that proves it), so that no exponential overflows
where the true value is finite. SymPy is imported when a function is compiled, not by
``import numeric``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

import numpy as np

from numeric._codegen import compile_kernel, evaluate
from numeric._validation import as_float_arrays, broadcast_shape

__all__ = ["lambdify", "stable_rewrite"]


def lambdify(args: Any, expr: Any) -> Callable[..., Any]:
    """A NumPy function of ``args`` computing ``expr``, stable where the textbook form overflows.

    ``args`` is a SymPy Symbol or a sequence of them (the function's parameters, in order);
    ``expr`` a SymPy expression, a tuple or list of them (the function returns a tuple), or a
    ``derivations.Derivation`` (its result's right-hand side; a matrix result gives one
    output per entry, and symbols the derivation defines with ``define`` are replaced by
    their definitions unless they are in ``args``). Unevaluated derivatives are evaluated.

    The function broadcasts its inputs, keeps float32 as float32, returns a NumPy scalar for
    0-d input, takes ``out=`` (one output) like the built-in functions, and raises TypeError
    naming the parameter for complex, object or masked input. Every sigmoid is evaluated in
    its stable form, ``log(sigmoid(u))``, ``log(1 + exp(u))`` (and ``log1p(exp(u))``),
    ``sigmoid(u)*(1 - sigmoid(u))``, ``1 - sigmoid(u)`` and ``exp(u)/(1 + exp(u))`` too
    (:func:`stable_rewrite`),
    and common subexpressions are computed once. Everything else (``tanh``, ``exp`` of your
    own arguments, ...) is evaluated as written: an exponential that overflows in your
    formula overflows here too.

    >>> from sympy import Symbol, diff
    >>> from derivations import sigmoid
    >>> z = Symbol("z", real=True)
    >>> swish, slope = lambdify(z, (z * sigmoid(z), diff(z * sigmoid(z), z)))(
    ...     np.array([-800.0, 0.0, 800.0]))
    >>> swish, slope
    (array([ -0., 0., 800.]), array([0. , 0.5, 1. ]))
    >>> lambdify([z], sigmoid(z))(np.float32(2)).dtype
    dtype('float32')
    >>> lambdify([Symbol("x")], sigmoid(z))
    Traceback (most recent call last):
    ...
    ValueError: lambdify: the expression uses z, which is not in args (x)
    """
    symbols = _symbols(args)
    names = [a.name for a in symbols]
    exprs, single = _expressions(expr, symbols)
    missing = sorted({s.name for e in exprs for s in e.free_symbols} - set(names))
    if missing:
        raise ValueError(
            f"lambdify: the expression uses {', '.join(missing)}, which "
            f"{'is' if len(missing) == 1 else 'are'} not in args ({', '.join(names)})"
        )
    # A symbol is its name: z of args stands for every z of expr, whatever its assumptions.
    by_name = {a.name: a for a in symbols}
    exprs = [e.xreplace({s: by_name[s.name] for s in e.free_symbols}) for e in exprs]
    kernel = compile_kernel(tuple(stable_rewrite(e) for e in exprs), symbols)
    outputs = len(exprs)

    def function(*values: Any, out: np.ndarray | None = None) -> Any:
        if len(values) != len(names):
            raise TypeError(
                f"{label}() takes {len(names)} arguments ({', '.join(names)}), got {len(values)}"
            )
        # Errors name the parameter as the built-in functions do: "lambdify: z has dtype ..."
        arrays, dtype = as_float_arrays("lambdify", **dict(zip(names, values, strict=True)))
        broadcast_shape("lambdify", **dict(zip(names, arrays, strict=True)))
        result = evaluate(kernel, arrays, dtype, outputs, out, "lambdify")
        return result if single or outputs > 1 else (result,)  # a 1-tuple for (expr,)

    label = f"lambdified({', '.join(names)})"
    function.__name__ = "lambdified"
    function.__qualname__ = label
    function.__doc__ = f"{label}: {', '.join(map(str, exprs))} (numeric.lambdify)"
    function.source = kernel.source  # type: ignore[attr-defined]
    return function


def _symbols(args: Any) -> list[Any]:
    """``args`` as a list of distinct SymPy Symbols, or an error naming the bad entry."""
    from sympy import Symbol

    symbols = list(args) if isinstance(args, (list, tuple)) else [args]
    for i, a in enumerate(symbols):
        if not isinstance(a, Symbol):
            raise TypeError(
                f"lambdify: args[{i}] is {a!r} ({type(a).__name__}), not a SymPy Symbol"
            )
    names = [a.name for a in symbols]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"lambdify: args names {', '.join(repeated)} more than once")
    return symbols


def _expressions(expr: Any, args: Sequence[Any]) -> tuple[list[Any], bool]:
    """The expressions to compile, and whether the function returns one array (not a tuple)."""
    from sympy import Basic, Derivative
    from sympy.matrices import MatrixBase

    from derivations.notation import Written

    single = True
    if hasattr(expr, "steps") and hasattr(expr, "result"):  # a derivations.Derivation
        expr = _derivation_result(expr, args)
    if isinstance(expr, MatrixBase):
        expr, single = list(expr), False
    elif isinstance(expr, (tuple, list)):
        expr, single = list(expr), False
    else:
        expr = [expr]
    exprs = []
    for i, e in enumerate(expr):
        if isinstance(e, bool) or not isinstance(e, (Basic, int, float)):
            where = "expr" if single else f"expr[{i}]"
            raise TypeError(
                f"lambdify: {where} is {type(e).__name__}, not a SymPy expression "
                "(strings are not parsed: build the expression with SymPy)"
            )
        e = _sympify_number(e)
        if e.has(Written):  # derivations.notation's display forms: compile what they mean
            e = e.replace(lambda node: isinstance(node, Written), lambda node: node.value)
        if e.has(Derivative):
            e = e.doit()
        undefined = sorted({type(f).__name__ for f in e.atoms(_applied_undef())})
        if undefined:
            raise ValueError(f"lambdify: undefined function(s) {', '.join(undefined)} in expr")
        exprs.append(e)
    if not exprs:
        raise ValueError("lambdify: expr is empty")
    return exprs, single


def _sympify_number(value: Any) -> Any:
    from sympy import Float, Integer

    if isinstance(value, int):
        return Integer(value)
    if isinstance(value, float):
        return Float(value)
    return value


def _applied_undef() -> type:
    from sympy.core.function import AppliedUndef

    return AppliedUndef


def _derivation_result(d: Any, args: Sequence[Any]) -> Any:
    """A derivation's result, with its definitions substituted for symbols not in ``args``."""
    rhs = d.result.rhs
    definitions = {
        s.lhs: s.rhs
        for s in d.steps
        if str(s.kind) == "definition" and s.lhs.name not in {a.name for a in args}
    }
    for _ in range(len(definitions)):  # a definition may use an earlier one
        if not any(rhs.has(name) for name in definitions):
            break
        rhs = rhs.xreplace(definitions) if not hasattr(rhs, "applyfunc") else rhs.subs(definitions)
    return rhs


# ------------------------------------------------------------------ stable rewrites


def stable_rewrite(expr: Any) -> Any:
    """``expr`` with the sigmoid family in the stable forms the catalog proves.

    Bottom-up, each node is rewritten by these identities (real arguments; NumPy's
    float inputs make every argument real), each a claim of the named derivation:

    - ``1/(1 + exp(v))**k`` -> ``sigmoid(-v)**k`` (sigmoid-two-forms, the definition)
    - ``1 - sigmoid(u)`` -> ``sigmoid(-u)`` (sigmoid-symmetry)
    - ``2*sigmoid(u) - 1`` -> ``tanh(u/2)`` (sigmoid-tanh)
    - ``exp(u) * sigmoid(-u)`` -> ``sigmoid(u)`` (sigmoid-two-forms)
    - ``sigmoid(u) * sigmoid(-u)`` -> the stable ``sigma'(u)`` (sigmoid-symmetry, stable-forms)
    - ``log(sigmoid(u))`` -> its stable form (stable-forms)
    - ``log(1 + exp(u))`` and ``log1p(exp(u))`` -> ``log1p(exp(u))`` where ``u <= 700``, the
      stable form above (stable-forms, softplus's tail form): the kernel evaluates
      ``log1p(exp(u))`` over a block and patches the stable form in where ``u > 700``

    then every remaining sigmoid is written in its stable form (stable-forms) by the
    compiler. Nothing else changes: an expression without these patterns compiles as written.

    >>> from sympy import Symbol, exp, log
    >>> from derivations import sigmoid
    >>> z = Symbol("z", real=True)
    >>> stable_rewrite(log(1 + exp(z)))
    Piecewise((log1p(exp(-Abs(z))) + Max(0, z), z > 700), (log1p(exp(z)), True))
    >>> stable_rewrite(exp(z) / (1 + exp(z)))
    sigmoid(z)
    """
    from sympy import Basic

    if not isinstance(expr, Basic) or not expr.args:
        return expr
    args = [stable_rewrite(a) for a in expr.args]
    node = expr.func(*args) if args != list(expr.args) else expr
    return _rewrite_node(node)


def _stable(name: str, u: Any) -> Any:
    """The registry's stable form of kernel ``name`` (proven in stable-forms) at ``u``."""
    from sympy import UnevaluatedExpr

    spec = _sigmoid_specs()[name]
    return UnevaluatedExpr(spec.stable.xreplace({spec.args[0]: u}))


@cache
def _sigmoid_specs() -> dict[str, Any]:
    from derivations.topics.sigmoid import kernels

    return {k.name: k for k in kernels()}


def _rewrite_node(node: Any) -> Any:
    from sympy import Add, Mul, Pow, S, exp, log
    from sympy.codegen.cfunctions import log1p

    from derivations.functions import sigmoid

    if isinstance(node, Pow) and node.exp.is_Integer and node.exp < 0:
        v = _one_plus_exp(node.base)
        if v is not None:  # 1/(1 + e^v) = sigma(-v): sigmoid-two-forms (its definition)
            return sigmoid(-v) ** (-node.exp)
    if isinstance(node, Add) and node.args[0] in (S.One, S.NegativeOne):
        rewritten = _rewrite_sum(node)
        if rewritten is not None:
            return rewritten
    if isinstance(node, Mul):
        return _rewrite_product(node)
    if isinstance(node, log):
        inner = node.args[0]
        if isinstance(inner, sigmoid):  # stable-forms: log_sigmoid
            return _stable("log_sigmoid", inner.args[0])
        v = _one_plus_exp(inner)
        if v is not None:  # stable-forms: softplus, in its tail form
            return _softplus(v)
    if isinstance(node, log1p) and isinstance(node.args[0], exp):  # log1p(x) is ln(1 + x)
        return _softplus(node.args[0].args[0])
    return node


def _softplus(v: Any) -> Any:
    """ln(1 + e^v): log1p(e^v), with the stable form patched in above v = 700 (stable-forms).

    The split stays a plain condition on ``v`` (``-z > 700`` is ``z < -700``), so that the
    kernel tests ``v`` itself, not a negated copy of it.
    """
    from sympy import UnevaluatedExpr

    from derivations.topics.sigmoid import tail_softplus

    t = _sigmoid_specs()["softplus"].args[0]
    return UnevaluatedExpr(tail_softplus(t).xreplace({t: v}))


def _rewrite_sum(node: Any) -> Any:
    """``1 - sigma(u)``, ``sigma(u) - 1``, ``2 sigma(u) - 1`` or ``1 - 2 sigma(u)`` inside a sum.

    ``1 - sigma(u) = sigma(-u)`` is sigmoid-symmetry; ``2 sigma(u) - 1 = tanh(u/2)`` is
    sigmoid-tanh (its step "solve for sigma, with z/2 for z"). Each keeps the digits that the
    subtraction would cancel. None when the sum has none of them.
    """
    from sympy import Add, tanh

    from derivations.functions import sigmoid

    one = node.args[0]
    for term in node.args[1:]:
        coefficient, rest = term.as_coeff_Mul()
        if not isinstance(rest, sigmoid) or coefficient * one not in (-1, -2):
            continue
        u = rest.args[0]
        if abs(coefficient) == 1:  # one * (1 - sigma(u)) = one * sigma(-u)
            value = one * sigmoid(-u)
        else:  # one * (1 - 2 sigma(u)) = -one * tanh(u/2)
            value = -one * tanh(u / 2)
        others = [t for t in node.args[1:] if t is not term]
        return Add(*others, value)
    return None


def _one_plus_exp(node: Any) -> Any:
    """``v`` if ``node`` is ``1 + exp(v)``, else None."""
    from sympy import Add, S, exp

    if isinstance(node, Add) and len(node.args) == 2 and S.One in node.args:
        other = node.args[0] if node.args[1] == S.One else node.args[1]
        if isinstance(other, exp):
            return other.args[0]
    return None


def _rewrite_product(node: Any) -> Any:
    """Pair exp(u) with sigma(-u), then sigma(u) with sigma(-u), in one product."""
    from sympy import Mul, Pow, exp

    from derivations.functions import sigmoid

    powers: dict[Any, Any] = {}  # base -> integer exponent, for sigmoids and exponentials
    others = []
    for factor in node.args:
        base, power = factor.as_base_exp() if isinstance(factor, Pow) else (factor, 1)
        if isinstance(base, (sigmoid, exp)) and getattr(power, "is_Integer", True) and power > 0:
            powers[base] = powers.get(base, 0) + int(power)
        else:
            others.append(factor)
    changed = False
    for base in list(powers):
        if isinstance(base, exp):  # e^u sigma(-u) = sigma(u): sigmoid-two-forms
            partner = sigmoid(-base.args[0])
            k = min(powers[base], powers.get(partner, 0))
            if k:
                powers[base] -= k
                powers[partner] -= k
                powers[sigmoid(base.args[0])] = powers.get(sigmoid(base.args[0]), 0) + k
                changed = True
    for base in sorted((b for b in powers if isinstance(b, sigmoid)), key=str):
        partner = sigmoid(-base.args[0])
        k = min(powers.get(base, 0), powers.get(partner, 0))
        if k and base != partner:  # sigma(u) sigma(-u) = sigma'(u): stable-forms
            powers[base] -= k
            powers[partner] -= k
            others.append(Pow(_stable("sigmoid_derivative", base.args[0]), k))
            changed = True
    if not changed:
        return node
    return Mul(*others, *(b**p for b, p in powers.items() if p))
