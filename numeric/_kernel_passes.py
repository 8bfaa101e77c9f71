"""Passes of the kernel generator (numeric._kernel) that save NumPy passes over a block.

:func:`hide_tails` finds the far-tail Piecewises of a stable form (a fast form valid but for
a tail at the edge of the float range, and a safe form for that tail); :func:`divide_not_invert`
turns a reciprocal that ``cse`` shared between products back into divisions;
:func:`parameter_ops` finds the operations on parameters alone, which need no block-sized buffer;
:func:`allocate` gives the others their buffers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sympy import Basic, Function, Mul, Piecewise, Pow, preorder_traversal
from sympy.core.relational import Relational
from sympy.logic.boolalg import BooleanTrue

__all__ = [
    "TAIL",
    "allocate",
    "divide_not_invert",
    "hide_tails",
    "is_quiet",
    "parameter_ops",
    "tail_piecewise",
]

# A Piecewise((safe, u < c), (fast, True)) with c at most this is a far tail (tail_piecewise).
TAIL = -100


def is_quiet(exprs: Sequence[Basic]) -> bool:
    """True when a kernel evaluates both branches of a Piecewise (numpy.where)."""
    return any(isinstance(e, Basic) and e.has(Piecewise) for e in exprs)


def tail_piecewise(node: Piecewise) -> tuple[Basic, Basic, Basic, float] | None:
    """(safe, fast, u, c) of a far-tail Piecewise, or None.

    Both branches are the same function (the derivation proves each equal to the textbook
    form); ``fast`` costs fewer passes but is not evaluable (it overflows) below ``c``, which
    is at the edge of the float range, where data rarely are. So a block evaluates ``fast``
    everywhere and patches the few elements below ``c`` with ``safe`` (numeric._tails).
    ``u > -c`` (SymPy's canonical form of ``-u < c``) is the upper tail of ``u``: it comes
    back as ``(safe, fast, u, -c)``, a positive split, so that no pass computes ``-u``.
    """
    if len(node.args) != 2 or not isinstance(node.args[1][1], BooleanTrue):
        return None
    (safe, condition), (fast, _) = node.args
    if not isinstance(condition, Relational) or not condition.rhs.is_Number:
        return None
    if condition.rel_op == "<" and condition.rhs <= TAIL:
        return safe, fast, condition.lhs, float(condition.rhs)
    if condition.rel_op == ">" and condition.rhs >= -TAIL:
        return safe, fast, condition.lhs, float(condition.rhs)
    return None


def hide_tails(exprs: Sequence[Basic], dialect: str) -> tuple[list[Basic], dict]:
    """The far-tail Piecewises of ``exprs``: their safe form alone (outside blocks), or (in
    blocks) a call ``_tailK(u, fast)`` of an undefined function, so that ``cse`` shares
    ``u`` and ``fast`` with the rest but nothing of the safe form, which is computed on the
    patched elements only. Returns the expressions and each such function's (safe, c).

    Where ``fast`` computes ``-u`` (the ``e^-z`` of ``z = w x + b``) and ``u`` is not an
    argument, the call tests ``-u > -c`` instead: the same elements, on the value that the
    block computes anyway (``-w x - b``), so ``u`` itself costs no pass.
    """
    tails: dict[Any, tuple[Basic, float]] = {}
    calls: dict[Basic, Basic] = {}  # one function per distinct Piecewise: one patch

    def hide(node: Piecewise) -> Basic:
        safe, fast, u, c = tail_piecewise(node)
        if dialect == "xp":  # another library's arrays: the form without overflow, whole
            return safe
        if node not in calls:
            function = Function(f"_tail{len(tails)}")
            if not u.is_Symbol and fast.has(-u):
                u, c = -u, -c
            tails[function] = (safe, c)
            calls[node] = function(u, fast)
        return calls[node]

    def is_tail(node: Basic) -> bool:
        return isinstance(node, Piecewise) and tail_piecewise(node) is not None

    return [e.replace(is_tail, hide) if isinstance(e, Basic) else e for e in exprs], tails


def divide_not_invert(replacements: list, reduced: list) -> tuple[list, list]:
    """``cse``'s output with each shared reciprocal ``r = 1/d`` replaced by divisions by ``d``.

    ``cse`` shares the 1/d of a/d, b/d, ...: one pass for 1/d, then one multiplication per
    product. Dividing each by d instead takes one pass fewer and one rounding fewer per
    product. Only where every use of ``r`` is a factor of a product (elsewhere 1/d would be
    computed again) and ``d`` is not a constant; ``d`` itself then takes ``r``'s place among
    the shared expressions.
    """
    replacements = list(replacements)
    for k in range(len(replacements)):
        symbol, value = replacements[k]
        if not (isinstance(value, Pow) and value.exp == -1) or value.base.is_number:
            continue  # 1/pi and the like cost no pass: one number
        everything = [v for _, v in replacements[k + 1 :]] + list(reduced)
        if symbol in reduced:
            continue
        uses = [n for e in everything for n in preorder_traversal(e) if symbol in n.args]
        if not uses or not all(isinstance(n, Mul) for n in uses):
            continue
        divide = {symbol: Pow(symbol, -1)}
        replacements[k] = (symbol, value.base)
        replacements[k + 1 :] = [(s, v.xreplace(divide)) for s, v in replacements[k + 1 :]]
        reduced = [e.xreplace(divide) for e in reduced]
    return replacements, reduced


def parameter_ops(ops: list[Any], final: dict[str, str]) -> dict[str, str]:
    """The ufunc calls that do not depend on the first argument, each as a ``_param`` call.

    The first argument is the data (z, x, a); the others are often parameters, 0-d in a
    block (a mean, a variance, a weight). An operation on those alone then computes one
    number (numeric._tails.param) instead of filling its block-sized buffer, one pass
    saved per operation; its value is held in a local named after the operation. A far
    tail's fast value stays in its buffer: the patch (numeric._tails.patch) writes into it.
    """
    data = {"a0"}
    patched = {o.inputs[1] for o in ops if o.template.startswith("_tail_patch(")}
    calls = {}
    for o in ops:
        in_buffer = o.kind != "float" or o.output in final or o.output in patched
        if in_buffer or any(n in data for n in o.inputs):
            data.add(o.output)
            continue
        name, arguments = o.template[len("numpy.") : -len(", out={out})")].split("(", 1)
        calls[o.output] = f"{o.output} = _param(numpy.{name}, {{out}}, {arguments})"
    return calls


def allocate(
    ops: list[Any], results: list[str], final: dict[str, str]
) -> tuple[dict[str, str], int, int]:
    """Physical buffers for virtual ones: a value's buffer is free after its last use.

    An output written by an operation (``final``: value -> out0, out1, ...) serves as a
    buffer too until that operation: a value that dies by then may live there. Fewer
    buffers, so fewer cache lines per block (the outputs are written anyway): bce_gradient
    needs one scratch buffer instead of three.
    """
    last_use: dict[str, int] = {}
    for i, o in enumerate(ops):
        for name in o.inputs:
            last_use[name] = i
    for name in results:
        last_use[name] = len(ops)  # outputs live to the end
    written = {final[o.output]: i for i, o in enumerate(ops) if o.output in final}
    free: dict[str, list[str]] = {"float": sorted(written), "bool": []}
    count = {"float": 0, "bool": 0}
    where: dict[str, str] = {}
    kind_of = {o.output: o.kind for o in ops}
    for i, o in enumerate(ops):
        # Inputs dying here free their buffers first: out= may alias an input. Each once:
        # an operand used twice (u*u) must not return its buffer to the pool twice.
        dying = []
        for name in dict.fromkeys(o.inputs):
            if last_use.get(name) == i and name in where and kind_of.get(name) in free:
                free[kind_of[name]].append(where[name])
                dying.append(where[name])
        if o.output in final:
            written.pop(final[o.output])
            if final[o.output] in free["float"]:
                free["float"].remove(final[o.output])  # from here on, it holds the output
            continue
        if o.kind in free:
            dies = last_use.get(o.output, i)
            pool = free[o.kind]
            # In place first (a buffer an input leaves), then an output's, then the last freed.
            # The outputs only once a scratch buffer exists: the block's first value goes to
            # scratch, which stays in cache from block to block (measured: sigmoid ~6% faster).
            fits = [b for b in pool if b not in written or (count["float"] and dies <= written[b])]
            fits.sort(key=lambda b: (b in dying, b in written))
            if fits:
                where[o.output] = fits[-1]
                pool.remove(where[o.output])
            else:
                prefix = "f" if o.kind == "float" else "b"
                where[o.output] = f"{prefix}{count[o.kind]}"
                count[o.kind] += 1
        if o.output not in last_use and o.kind in free:  # dead on arrival: never read
            free[o.kind].append(where[o.output])
    return where, count["float"], count["bool"]
