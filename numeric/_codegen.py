"""Turning symbolic results into fast NumPy kernels.

A kernel is ``sympy.lambdify`` of a stable symbolic form, with common
subexpressions shared (``cse=True``) and a printer that emits branch-free
NumPy: ``Max``/``Min`` become ``numpy.maximum``/``numpy.minimum``,
``Heaviside(u, 1)`` the boolean ``u >= 0`` (which ``maximum`` promotes to
0.0/1.0), and a two-branch ``Piecewise`` ``numpy.where``. Branches chosen
by data would cost a misprediction per element on mixed-sign input.

Kernels are evaluated in blocks of a few thousand elements (``numpy.nditer``
with buffering), so the temporaries of a long expression stay in cache
instead of streaming megabytes through memory once per operation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sympy import Basic, Piecewise, Symbol, lambdify
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.precedence import precedence

from derivations.functions import sigmoid, stable_sigmoid

__all__ = ["BLOCK", "compile_kernel", "evaluate"]

BLOCK = 8192  # elements per block: a float64 temporary is 64 KiB, a few fit in L2


class StableNumPyPrinter(NumPyPrinter):
    """NumPy code without data-dependent branches (see the module docstring)."""

    def _binary(self, func: str, args: Sequence[Basic]) -> str:
        code = self._print(args[0])
        for a in args[1:]:
            code = f"{self._module_format(func)}({code}, {self._print(a)})"
        return code

    def _print_Max(self, expr: Basic) -> str:
        return self._binary("numpy.maximum", expr.args)

    def _print_Min(self, expr: Basic) -> str:
        return self._binary("numpy.minimum", expr.args)

    def _print_Heaviside(self, expr: Basic) -> str:
        if len(expr.args) != 2 or expr.args[1] != 1:
            return super()._print_Heaviside(expr)
        return f"{self._module_format('numpy.greater_equal')}({self._print(expr.args[0])}, 0)"

    def _print_Pow(self, expr: Basic, rational: bool = False) -> str:
        if expr.exp == -1:
            # numpy's u**(-1.0) takes twice as long as the same division 1/u
            return f"1/{self.parenthesize(expr.base, precedence(expr))}"
        return super()._print_Pow(expr, rational)

    def _print_UnevaluatedExpr(self, expr: Basic) -> str:
        # A factor kept whole on purpose, such as (1/h)*(1/(h*c)) where h*h would overflow:
        # parenthesized, so that Python computes it before multiplying it with the others.
        return f"({self._print(expr.args[0])})"

    def _print_Piecewise(self, expr: Basic) -> str:
        (value, condition), (otherwise, default) = expr.args[0], expr.args[-1]
        if len(expr.args) != 2 or (default is not True and default != True):  # noqa: E712
            return super()._print_Piecewise(expr)
        return (
            f"{self._module_format('numpy.where')}({self._print(condition)}, "
            f"{self._print(value)}, {self._print(otherwise)})"
        )


def compile_kernel(expr: Any, args: Sequence[Symbol]) -> Callable:
    """A NumPy function of ``args`` computing ``expr`` (a scalar or a tuple of them).

    Every ``sigmoid(u)`` is first written in its stable form.

    >>> from sympy import Symbol
    >>> z = Symbol("z", real=True)
    >>> f = compile_kernel(sigmoid(z), [z])
    >>> float(f(np.array(-800.0))), float(f(np.array(800.0)))
    (0.0, 1.0)
    """
    exprs = tuple(expr) if isinstance(expr, (tuple, list)) else (expr,)
    exprs = tuple(e.replace(sigmoid, stable_sigmoid) for e in exprs)
    function = lambdify(
        list(args),
        exprs if len(exprs) > 1 else exprs[0],
        modules="numpy",
        printer=StableNumPyPrinter,
        cse=True,
        docstring_limit=0,
    )
    if any(e.has(Piecewise) for e in exprs):
        # numpy.where evaluates both branches; the discarded one may divide by
        # zero or overflow where it is not used, which is expected.
        def quiet(*arrays):
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                return function(*arrays)

        return quiet
    return function


def evaluate(kernel: Callable, arrays: Sequence[np.ndarray], dtype: np.dtype, outputs: int = 1):
    """Evaluate ``kernel`` elementwise over the broadcast of ``arrays``, block by block.

    Returns one array (or a tuple of ``outputs`` arrays) of the broadcast shape
    and ``dtype``; a 0-d result is returned as a NumPy scalar, as ufuncs do.
    """
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    if int(np.prod(shape)) <= BLOCK:
        results = kernel(*arrays)
        results = results if outputs > 1 else (results,)
        final = tuple(np.broadcast_to(np.asarray(r, dtype=dtype), shape).copy() for r in results)
    elif all(a.size == 1 or (a.shape == shape and a.flags.c_contiguous) for a in arrays):
        # The common case: slice flat views directly, with no copy into buffers.
        flat = [a.reshape(-1) if a.size > 1 else a.reshape(()) for a in arrays]
        final = tuple(np.empty(shape, dtype) for _ in range(outputs))
        targets = [r.reshape(-1) for r in final]
        size = targets[0].size
        for start in range(0, size, BLOCK):
            block = slice(start, min(start + BLOCK, size))
            values = kernel(*(a[block] if a.ndim else a for a in flat))
            values = values if outputs > 1 else (values,)
            for target, value in zip(targets, values, strict=True):
                target[block] = value
    else:
        op_flags = [["readonly"]] * len(arrays) + [["writeonly", "allocate"]] * outputs
        iterator = np.nditer(
            [*arrays] + [None] * outputs,
            flags=["external_loop", "buffered", "zerosize_ok", "refs_ok"],
            op_flags=op_flags,
            op_dtypes=[dtype] * (len(arrays) + outputs),
            buffersize=BLOCK,
            casting="same_kind",
        )
        with iterator:
            for chunks in iterator:
                values = kernel(*chunks[: len(arrays)])
                values = values if outputs > 1 else (values,)
                for target, value in zip(chunks[len(arrays) :], values, strict=True):
                    target[...] = value
            final = tuple(iterator.operands[len(arrays) :])
    final = tuple(r[()] if r.ndim == 0 else r for r in final)
    return final if outputs > 1 else final[0]
