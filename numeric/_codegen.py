"""Turning symbolic results into fast NumPy kernels.

A kernel is compiled from a stable symbolic form the way ``sympy.lambdify``
compiles an expression (generated Python source), with common
subexpressions shared (SymPy's ``cse``) and no data-dependent branches:
``Max``/``Min`` become ``numpy.maximum``/``numpy.minimum``, ``Heaviside(u, 1)``
the boolean ``u >= 0`` (which ``maximum`` promotes to 0.0/1.0), and a
two-branch ``Piecewise`` ``numpy.where``. A branch chosen by the data would
cost a misprediction per element on mixed-sign input.

Kernels are evaluated in blocks of 512 KiB, so the values of a long expression
stay in cache instead of streaming megabytes through memory once per
operation; ``numeric._kernel`` turns the expression into straight-line ufunc
calls that write into a few reusable block-sized buffers. Measured with
``python -m numeric.benchmark``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sympy import Symbol
from sympy.printing.numpy import NumPyPrinter

from derivations.functions import sigmoid, stable_sigmoid
from numeric._kernel import Program, generate

__all__ = ["BLOCK_BYTES", "Kernel", "compile_kernel", "evaluate"]

# Bytes per block and buffer. Each block costs one Python-level ufunc call per operation
# (about a microsecond each), so blocks must be large enough to amortize that, and small
# enough that a kernel's few buffers stay in cache: measured best from 512 KiB up.
BLOCK_BYTES = 512 * 1024


class Kernel:
    """An elementwise NumPy function of several arrays, compiled from SymPy expressions.

    Calling it evaluates everything at once; :func:`evaluate` runs it block by block.
    """

    def __init__(self, program: Program, outputs: int):
        self.program = program
        self.outputs = outputs

    def run(self, arrays: Sequence[Any], targets: Sequence[np.ndarray], buffers: list) -> None:
        """Evaluate into ``targets`` (arrays of the broadcast shape), using ``buffers``."""
        if self.program.quiet:
            # numpy.where evaluates both branches; the discarded one may divide by
            # zero or overflow where it is not used, which is expected.
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                self.program.run(*arrays, *targets, *buffers)
        else:
            self.program.run(*arrays, *targets, *buffers)

    def __call__(self, *arrays: Any) -> Any:
        arrays = [np.asarray(a) for a in arrays]
        dtype = np.result_type(*arrays, np.float32)
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
        targets = [np.empty(shape, dtype) for _ in range(self.outputs)]
        self.run(arrays, targets, self.program.buffers(shape, dtype))
        return tuple(targets) if self.outputs > 1 else targets[0]


def compile_kernel(expr: Any, args: Sequence[Symbol]) -> Kernel:
    """An elementwise NumPy function of ``args`` computing ``expr`` (or a tuple of them).

    Every ``sigmoid(u)`` is first written in its stable form.

    >>> from sympy import Symbol
    >>> z = Symbol("z", real=True)
    >>> f = compile_kernel(sigmoid(z), [z])
    >>> float(f(np.array(-800.0))), float(f(np.array(800.0)))
    (0.0, 1.0)
    """
    exprs = tuple(expr) if isinstance(expr, (tuple, list)) else (expr,)
    exprs = tuple(e.replace(sigmoid, stable_sigmoid) for e in exprs)
    return Kernel(generate(exprs, list(args), NumPyPrinter()), len(exprs))


def evaluate(kernel: Kernel, arrays: Sequence[np.ndarray], dtype: np.dtype, outputs: int = 1):
    """Evaluate ``kernel`` elementwise over the broadcast of ``arrays``, block by block.

    Returns one array (or a tuple of ``outputs`` arrays) of the broadcast shape
    and ``dtype``; a 0-d result is returned as a NumPy scalar, as ufuncs do.
    """
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    block = max(BLOCK_BYTES // np.dtype(dtype).itemsize, 1)
    final = tuple(np.empty(shape, dtype) for _ in range(outputs))
    if int(np.prod(shape)) <= block:
        kernel.run(arrays, final, kernel.program.buffers(shape, dtype))
    elif all(a.size == 1 or (a.shape == shape and a.flags.c_contiguous) for a in arrays):
        # The common case: slice flat views directly, with no copy into buffers.
        flat = [a.reshape(-1) if a.size > 1 else a.reshape(()) for a in arrays]
        targets = [r.reshape(-1) for r in final]
        buffers = kernel.program.buffers((block,), dtype)
        size = targets[0].size
        for start in range(0, size, block):
            n = min(block, size - start)
            part = slice(start, start + n)
            kernel.run(
                [a[part] if a.ndim else a for a in flat],
                [t[part] for t in targets],
                buffers if n == block else [b[:n] for b in buffers],
            )
    else:
        op_flags = [["readonly"]] * len(arrays) + [["writeonly", "allocate"]] * outputs
        iterator = np.nditer(
            [*arrays] + [None] * outputs,
            flags=["external_loop", "buffered", "zerosize_ok", "refs_ok"],
            op_flags=op_flags,
            op_dtypes=[dtype] * (len(arrays) + outputs),
            buffersize=block,
            casting="same_kind",
        )
        buffers = kernel.program.buffers((block,), dtype)
        with iterator:
            for chunks in iterator:
                n = chunks[0].shape[0]
                kernel.run(
                    chunks[: len(arrays)],
                    chunks[len(arrays) :],
                    buffers if n == block else [b[:n] for b in buffers],
                )
            final = tuple(iterator.operands[len(arrays) :])
    final = tuple(r[()] if r.ndim == 0 else r for r in final)
    return final if outputs > 1 else final[0]
