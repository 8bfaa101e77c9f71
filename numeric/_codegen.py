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

The kernels of the registry (``derivations.catalog.kernel_specs()``) are
generated ahead of time into ``numeric._generated`` by ``python -m
numeric.generate``, so that the NumPy functions never import SymPy
(:func:`generated`); :func:`compile_kernel` compiles any other expression at
run time. Inputs of one block skip the blocking, and a Python number takes the
kernel's scalar form (:func:`scalar_call`).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from functools import cache, partial
from typing import Any, NamedTuple

import numpy as np

from numeric._validation import require_in_range, within

__all__ = [
    "BLOCK_BYTES",
    "Bound",
    "Kernel",
    "compile_kernel",
    "evaluate",
    "generated",
    "in_range",
    "scalar_call",
    "scalar_form",
]

# Bytes per block and buffer. Each block costs one Python-level ufunc call per operation
# (about a microsecond each), so blocks must be large enough to amortize that, and small
# enough that a kernel's few buffers stay in cache: measured best from 512 KiB up.
BLOCK_BYTES = 512 * 1024
_FLOAT64 = np.dtype(np.float64)
# Inputs up to this many elements borrow their buffers from a per-thread pool of each kernel
# instead of allocating them at every call (an allocation costs about as much as a ufunc call).
SMALL = 4096
_QUIET = np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore")
# A tail kernel's fast form runs first with every error but underflow raised: an overflow
# means some element is in a far tail (or an input is infinite), and the block is then
# evaluated again by the full form, which patches the tails (see Kernel).
_RAISING = np.errstate(divide="raise", invalid="raise", over="raise", under="ignore")


class Bound(NamedTuple):
    """Input ``position`` of :func:`evaluate` must lie in [``low``, ``high``] (NaN aside).

    Where the fast test (``numeric._validation.within``) fails, ``refuse()`` decides: it raises (a
    ValueError naming the parameter and the first bad index of the whole input, say), or
    returns when only a NaN failed the fast test. A ``late`` bound guards only a kernel's
    full form (its far tails): on a large input it is tested on the blocks where the fast
    form raised (see Kernel), after the full form, whose numbers are dropped if it raises.
    """

    position: int
    low: float
    high: float
    refuse: Callable[[], None]
    late: bool = False


def in_range(
    function: str, name: str, arrays: Sequence[Any], position: int, low: float, high: float
) -> Bound:
    """The :class:`Bound` of input ``position`` (``name``) whose refusal is require_in_range's."""
    refuse = partial(require_in_range, function, name, arrays[position], low, high)
    return Bound(position, low, high, refuse)


def _failed(bounds: Sequence[Bound], arrays: Sequence[np.ndarray]) -> bool:
    """Whether the fast test of some bound fails on ``arrays`` (blocks of the inputs)."""
    return not all(within(arrays[b.position], b.low, b.high) for b in bounds)


def _refuse(bounds: Sequence[Bound]) -> None:
    """Each bound's exact test on the whole input, in the order given (the first bad one raises)."""
    for b in bounds:
        b.refuse()


class Kernel:
    """An elementwise NumPy function of several arrays, from a generated or compiled block function.

    ``run(inputs, outputs, buffers)`` evaluates one block; ``floats`` and ``bools`` count
    the buffers it needs. ``xp`` (the same operations on an array namespace) and
    ``scalar`` (on Python floats) are the other forms of the same statements, or None.
    Calling the kernel evaluates everything at once; :func:`evaluate` runs it block by block.

    ``fast`` (a kernel with far tails: the block without the tails' masks and patches, see
    numeric._kernel.emit_source) is tried first: where it raises no floating-point error,
    its results are the block's, without the reduction that finds each tail; where it
    raises, the block runs. The tails start hundreds of units from zero: that is rare.
    """

    def __init__(
        self,
        block: Callable,
        floats: int,
        bools: int,
        outputs: int,
        quiet: bool,
        xp: Callable | None = None,
        scalar: Callable | None = None,
        source: str = "",
        fast: Callable | None = None,
    ):
        self.block, self.floats, self.bools, self.outputs = block, floats, bools, outputs
        self.quiet, self.xp, self.scalar, self.source = quiet, xp, scalar, source
        self.fast = fast
        # numpy.where evaluates both branches, and a tail kernel's fast form runs over the
        # whole block: where their values are not used they may divide by zero or overflow,
        # which is expected. One errstate object wraps the block as a decorator: no new
        # context manager per call (0.4 us a call instead of 1 us; thread-safe since NumPy 2.0,
        # whose error state is a context variable: hence numpy>=2.0 in pyproject.toml).
        self._block = _QUIET(block) if quiet else block
        self._fast = _RAISING(fast) if fast is not None else None
        self._pool = threading.local()

    def buffers(self, shape: tuple[int, ...], dtype: np.dtype) -> list[np.ndarray]:
        """Fresh buffers of ``shape``: the float ones, then the boolean ones."""
        return [np.empty(shape, dtype) for _ in range(self.floats)] + [
            np.empty(shape, bool) for _ in range(self.bools)
        ]

    def small_buffers(self, shape: tuple[int, ...], size: int, dtype: np.dtype) -> list:
        """Buffers of ``shape`` (``size`` <= SMALL elements) from this kernel's per-thread pool.

        The views of the last shape of each dtype are kept: a loop calling with one shape
        makes none, and the lookup is one attribute of a thread-local object.
        """
        last = getattr(self._pool, dtype.char, None)
        if last is not None and last[0] == shape:
            return last[2]
        arrays = self.buffers((SMALL,), dtype) if last is None else last[1]
        views = [a[:size].reshape(shape) for a in arrays]
        setattr(self._pool, dtype.char, (shape, arrays, views))
        return views

    def run(self, arrays: Sequence[Any], targets: Sequence[np.ndarray], buffers: list) -> bool:
        """Evaluate into ``targets`` (arrays of the broadcast shape), using ``buffers``.

        Returns whether the full form ran (there is no fast form, or it raised).
        """
        if self._fast is not None:
            try:
                self._fast(*arrays, *targets, *buffers)
                return False
            except FloatingPointError:
                pass  # some element is in a far tail: the block patches it
        self._block(*arrays, *targets, *buffers)
        return True

    def __call__(self, *arrays: Any) -> Any:
        arrays = [np.asarray(a) for a in arrays]
        dtype = np.result_type(*arrays, np.float32)
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
        targets = [np.empty(shape, dtype) for _ in range(self.outputs)]
        self.run(arrays, targets, self.buffers(shape, dtype))
        return tuple(targets) if self.outputs > 1 else targets[0]


@cache
def generated(name: str) -> Kernel:
    """The kernel ``name`` of the registry, as ``python -m numeric.generate`` wrote it.

    >>> float(generated("sigmoid")(np.array(800.0)))
    1.0
    """
    from numeric._generated import KERNELS

    block, fast, floats, bools, outputs, quiet, xp, scalar = KERNELS[name]
    return Kernel(block, floats, bools, outputs, quiet, xp, scalar, fast=fast)


def compile_kernel(expr: Any, args: Sequence[Any]) -> Kernel:
    """An elementwise NumPy function of ``args`` computing ``expr`` (or a tuple of them).

    Compiled now, with SymPy, for expressions outside the registry (the registry's own
    kernels are generated ahead of time). Every ``sigmoid(u)`` is first written in its
    stable form.

    >>> from sympy import Symbol
    >>> from derivations.functions import sigmoid
    >>> z = Symbol("z", real=True)
    >>> f = compile_kernel(sigmoid(z), [z])
    >>> float(f(np.array(-800.0))), float(f(np.array(800.0)))
    (0.0, 1.0)
    """
    from sympy.printing.numpy import NumPyPrinter

    from derivations.functions import sigmoid, stable_sigmoid
    from numeric._kernel import generate

    exprs = tuple(expr) if isinstance(expr, (tuple, list)) else (expr,)
    exprs = tuple(e.replace(sigmoid, stable_sigmoid) for e in exprs)
    program = generate(exprs, list(args), NumPyPrinter())
    if "math." in program.source:  # SymPy prints erf, erfc, gamma... for Python floats only
        raise ValueError(
            "no NumPy form for a function of this expression (SymPy prints it with Python's "
            "math module, which takes no arrays): " + ", ".join(sorted(_math_calls(program.source)))
        )
    return Kernel(
        program.run,
        program.floats,
        program.bools,
        len(exprs),
        program.quiet,
        source=program.source,
        fast=program.fast,
    )


@cache
def scalar_form(name: str) -> Callable | None:
    """The scalar form of kernel ``name`` (Python floats in, floats out), or None.

    It raises ArithmeticError or ValueError where ``math`` refuses what NumPy would turn
    into inf or nan: callers then take the array path, as :func:`scalar_call` does.
    """
    return generated(name).scalar


def scalar_call(name: str, *values: Any) -> Any:
    """The kernel ``name`` at Python numbers, as NumPy float64 scalars; None if it cannot.

    The path for one number: the kernel's scalar form (the same stable form, in Python
    floats with ``math``) when every value is a Python float or int, a NumPy float64 or
    a 0-d float64 array (float32 keeps its own arithmetic: it takes the array path).
    None (the caller then takes the array path) for other types, and where ``math``
    refuses a value that NumPy turns into inf or nan (log 0, an overflowing exp).

    >>> scalar_call("sigmoid", 0.0), scalar_call("sigmoid", [0.0])
    (np.float64(0.5), None)
    """
    function = scalar_form(name)
    if function is None:
        return None
    for v in values:
        if type(v) is not float:
            values = _floats(values)
            if values is None:
                return None
            break
    try:
        result = function(*values)
    except (ArithmeticError, ValueError):
        return None
    # Python's float arithmetic overflows to inf without an error: a result that is not
    # finite goes to the array path, which decides (and rescales where the true value is
    # finite) as it does for arrays.
    if type(result) is tuple:
        if not all(map(math.isfinite, result)):
            return None
        return tuple(np.float64(r) for r in result)
    return np.float64(result) if math.isfinite(result) else None


def _floats(values: Sequence[Any]) -> tuple[float, ...] | None:
    """The values as Python floats, if each is a float64 number or a 0-d float64 array."""
    numbers = []
    for v in values:
        kind = type(v)
        if kind is np.ndarray and v.ndim == 0 and v.dtype == _FLOAT64:
            v = v[()]
        elif kind not in (float, int, np.float64):
            return None
        try:
            numbers.append(float(v))
        except OverflowError:  # an integer beyond the float range: the array path says so
            return None
    return tuple(numbers)


def _check_out(function: str, out: Any, shape: tuple[int, ...], dtype: np.dtype) -> None:
    prefix = f"{function}: " if function else ""
    if not isinstance(out, np.ndarray):
        raise TypeError(f"{prefix}out must be a NumPy array, got {type(out).__name__}")
    if out.shape != shape or out.dtype != dtype:
        raise ValueError(
            f"{prefix}out must have shape {shape} and dtype {dtype}, the result's; "
            f"got shape {out.shape} and dtype {out.dtype}"
        )


def evaluate(
    kernel: Kernel,
    arrays: Sequence[np.ndarray],
    dtype: np.dtype,
    outputs: int = 1,
    out: np.ndarray | None = None,
    function: str = "",
    bounds: Sequence[Bound] = (),
):
    """Evaluate ``kernel`` elementwise over the broadcast of ``arrays``, block by block.

    Returns one array (or a tuple of ``outputs`` arrays) of the broadcast shape
    and ``dtype``; a 0-d result is returned as a NumPy scalar, as ufuncs do. With
    ``out`` (one output), the result is written there and ``out`` is returned; its
    shape and dtype must be the result's (ValueError otherwise).

    Each of ``bounds`` is tested on a large input block by block, just before the block
    is evaluated (a late one after, where the full form ran): the block is then read from
    cache, not from memory a second time (on 1e6 elements, 10 % of bce_gradient's time).
    Where a test fails, every bound is tested on the whole input in the order given, so
    the error names the same parameter and index as a test before the evaluation would.
    With ``out``, the bounds are tested first (a caller's array is not written when the
    input is refused).
    """
    first = arrays[0]
    if len(arrays) == 1:
        shape, size = first.shape, first.size
    else:
        shape = np.broadcast(*arrays).shape
        size = math.prod(shape)
    block = max(BLOCK_BYTES // dtype.itemsize, 1)
    if bounds and (size <= block or out is not None or not _flat(arrays, shape)):
        if _failed(bounds, arrays):
            _refuse(bounds)
        bounds = ()
    if size <= SMALL and out is None and outputs == 1:  # the most common small call, first
        result = np.empty(shape, dtype)
        kernel.run(arrays, (result,), kernel.small_buffers(shape, size, dtype))
        return result if result.ndim else result[()]
    if out is not None:
        if outputs != 1:
            raise ValueError(f"{function}: out= takes one array; this function has {outputs}")
        _check_out(function, out, shape, dtype)
        if any(np.may_share_memory(out, a) for a in arrays) or not out.flags.c_contiguous:
            np.copyto(out, evaluate(kernel, arrays, dtype))  # no input is overwritten early
            return out
    if size <= block:
        # One block: no blocking, no iterator; the buffers are as small as the input.
        final = [np.empty(shape, dtype) for _ in range(outputs)] if out is None else [out]
        if size <= SMALL:
            kernel.run(arrays, final, kernel.small_buffers(shape, size, dtype))
        else:
            kernel.run(arrays, final, kernel.buffers(shape, dtype))
    elif _flat(arrays, shape):
        final = [np.empty(shape, dtype) for _ in range(outputs)] if out is None else [out]
        _blocks(kernel, arrays, final, dtype, block, bounds)
    else:
        final = _iterate(kernel, arrays, dtype, outputs, block)
        if out is not None:
            np.copyto(out, final[0])
            final = [out]
    if out is not None:
        return out
    final = [r[()] if r.ndim == 0 else r for r in final]
    return tuple(final) if outputs > 1 else final[0]


def _flat(arrays: Sequence[np.ndarray], shape: tuple[int, ...]) -> bool:
    """Whether each array is one number or C-contiguous of the broadcast ``shape``."""
    return all(a.size == 1 or (a.shape == shape and a.flags.c_contiguous) for a in arrays)


def _blocks(
    kernel: Kernel,
    arrays: Sequence[np.ndarray],
    final: list,
    dtype,
    block: int,
    bounds: Sequence[Bound] = (),
) -> None:
    """The common large case: flat views of C-contiguous arrays, sliced with no copy."""
    flat = [a.reshape(-1) if a.size > 1 else a.reshape(()) for a in arrays]
    targets = [r.reshape(-1) for r in final]
    buffers = kernel.buffers((block,), dtype)
    size = targets[0].size
    # Bounds of one number are tested once, those of arrays on each block (late ones where
    # the full form ran); after a failed fast test, _refuse has tested them all on the whole
    # input (or raised).
    left = [b for b in bounds if flat[b.position].ndim]
    if _failed([b for b in bounds if b not in left], flat):
        _refuse(bounds)
        left = []
    late = [b for b in left if b.late]
    left = [b for b in left if not b.late]
    for start in range(0, size, block):
        n = min(block, size - start)
        part = slice(start, start + n)
        inputs = [a[part] if a.ndim else a for a in flat]
        if left and _failed(left, inputs):
            _refuse(bounds)
            left = late = []
        full = kernel.run(
            inputs, [t[part] for t in targets], buffers if n == block else [b[:n] for b in buffers]
        )
        if full and late and _failed(late, inputs):
            _refuse(bounds)
            left = late = []


def _iterate(kernel: Kernel, arrays: Sequence[np.ndarray], dtype, outputs: int, block: int):
    """Broadcast or strided inputs: NumPy's buffered iterator hands out contiguous chunks."""
    op_flags = [["readonly"]] * len(arrays) + [["writeonly", "allocate"]] * outputs
    iterator = np.nditer(
        [*arrays] + [None] * outputs,
        flags=["external_loop", "buffered", "zerosize_ok", "refs_ok"],
        op_flags=op_flags,
        op_dtypes=[dtype] * (len(arrays) + outputs),
        buffersize=block,
        casting="same_kind",
    )
    buffers = kernel.buffers((block,), dtype)
    with iterator:
        for chunks in iterator:
            n = chunks[0].shape[0]
            kernel.run(
                chunks[: len(arrays)],
                chunks[len(arrays) :],
                buffers if n == block else [b[:n] for b in buffers],
            )
        return list(iterator.operands[len(arrays) :])


def _math_calls(source: str) -> set[str]:
    import re

    return set(re.findall(r"math\.(\w+)\(", source))
