"""Losses of a sigmoid neuron and their gradients, lambdified from the verified derivations.

Every kernel is a stable form of ``derivations.topics.losses.kernels()``, which a step of a
derivation proves equal to the textbook formula, generated ahead of time (numeric._generated).
The elementwise functions broadcast, keep float32 as float32 and take ``out=`` (an array of
the result's shape and dtype, written and returned); the batch gradients take a design matrix.
All also take the arrays of other libraries of the array API standard (PyTorch, JAX, CuPy,
Dask...), returning that library's arrays computed with its own operations from the same
stable forms; Dask arrays stay lazy, and the checks of y in [0, 1] run when they are
computed. For them, MSE targets beyond a quarter of the float range are not rescaled
(their residual overflows, as the textbook form's does).
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from numeric._codegen import Bound, evaluate, generated, in_range, scalar_call
from numeric._foreign_batch import foreign_batch
from numeric._namespace import foreign_kernel
from numeric._renamed import renamed
from numeric._validation import (
    as_float_arrays,
    broadcast_shape,
    plain_floats,
    require_in_range,
    within,
)

__all__ = [
    "bce_gradient",
    "bce_loss",
    "bce_mean_gradient",
    "bce_with_logits",
    "mse_gradient",
    "mse_loss",
    "mse_mean_gradient",
]


def mse_loss(a: ArrayLike, y: ArrayLike, *, out: np.ndarray | None = None) -> Any:
    """The squared error (a - y)^2 / 2 of outputs a against targets y.

    >>> mse_loss([0.5, 1.0], [0.0, 1.0])
    array([0.125, 0.   ])
    """
    result = foreign_kernel("mse_loss", "mse_loss", out, a=a, y=y)
    if result is not None:
        return result
    (a_, y_), dtype = as_float_arrays("mse_loss", a=a, y=y)
    broadcast_shape("mse_loss", a=a_, y=y_)
    return evaluate(generated("mse_loss"), [a_, y_], dtype, out=out, function="mse_loss")


def bce_loss(a: ArrayLike, y: ArrayLike, *, out: np.ndarray | None = None) -> Any:
    """Binary cross-entropy -[y ln a + (1 - y) ln(1 - a)] of probabilities a against targets y.

    Both lie in [0, 1] (otherwise ValueError); 0 ln 0 counts as 0, so a correct and certain
    prediction costs exactly 0, and a certain wrong one costs inf. From logits, prefer
    :func:`bce_with_logits`, which never rounds the probability to 0 or 1.

    >>> bce_loss([0.0, 1.0, 0.5, 1.0], [0.0, 1.0, 1.0, 0.0])
    array([0.        , 0.        , 0.69314718,        inf])
    """
    ranges = {"a": (0.0, 1.0), "y": (0.0, 1.0)}
    result = foreign_kernel("bce_loss", "bce_loss", out, ranges, a=a, y=y)
    if result is not None:
        return result
    (a_, y_), dtype = as_float_arrays("bce_loss", a=a, y=y)
    broadcast_shape("bce_loss", a=a_, y=y_)
    arrays = [a_, y_]
    bounds = [in_range("bce_loss", n, arrays, i, 0.0, 1.0) for i, n in enumerate("ay")]
    return evaluate(
        generated("bce_loss"), arrays, dtype, out=out, function="bce_loss", bounds=bounds
    )


def bce_with_logits(z: ArrayLike, y: ArrayLike, *, out: np.ndarray | None = None) -> Any:
    """Binary cross-entropy of sigma(z) against targets y in [0, 1], from the logit z.

    Computed as ln(1 + e^-|z|) + (1 - y) max(z, 0) + y max(-z, 0), a sum of terms that are
    never negative: finite and accurate to a few units in the last place for every finite z.

    >>> bce_with_logits([-1000.0, 0.0, 40.0], [0.0, 1.0, 1.0])
    array([0.00000000e+00, 6.93147181e-01, 4.24835426e-18])
    """
    name = "bce_with_logits"
    dtype = plain_floats(z, y)
    if dtype is not None:  # float arrays of one shape and dtype: nothing to convert
        bounds = [in_range(name, "y", [z, y], 1, 0.0, 1.0)]
        return evaluate(generated(name), [z, y], dtype, out=out, function=name, bounds=bounds)
    if out is None and type(y) is float and 0.0 <= y <= 1.0:
        number = scalar_call("bce_with_logits", z, y)
        if number is not None:
            return number
    result = foreign_kernel(name, name, out, {"y": (0.0, 1.0)}, z=z, y=y)
    if result is not None:
        return result
    (z_, y_), dtype = as_float_arrays("bce_with_logits", z=z, y=y)
    broadcast_shape("bce_with_logits", z=z_, y=y_)
    bounds = [in_range(name, "y", [z_, y_], 1, 0.0, 1.0)]
    return evaluate(generated(name), [z_, y_], dtype, out=out, function=name, bounds=bounds)


def _neuron_gradient(loss: str, name: str, x: Any, y: Any, w: Any, b: Any) -> tuple[Any, Any]:
    if type(y) is float and (loss == "mse" or 0.0 <= y <= 1.0):
        numbers = scalar_call(name, x, y, w, b)  # Python floats: w x + b overflows to inf quietly
        if numbers is not None:
            return numbers
    dtype = plain_floats(x, y)
    if dtype is not None and type(w) is float and type(b) is float and _fits(dtype, w, b):
        arrays = [x, y, dtype.type(w), dtype.type(b)]  # nothing to convert or broadcast
    else:
        ranges = {"y": (0.0, 1.0)} if loss == "bce" else None
        result = foreign_kernel(name, name, None, ranges, x=x, y=y, w=w, b=b)
        if result is not None:  # other libraries: targets beyond 4.5e307 are not rescaled
            return result
        arrays, dtype = as_float_arrays(name, x=x, y=y, w=w, b=b)
        broadcast_shape(name, **dict(zip("xywb", arrays, strict=True)))
    if loss == "bce":
        bounds = [in_range(name, "y", arrays, 1, 0.0, 1.0)]
    else:  # beyond a quarter of the float range, the tails of the MSE residual need y halved
        top = float(np.finfo(dtype).max / 4)
        bounds = [Bound(1, -top, top, partial(_refuse_huge_targets, arrays[1]), late=True)]
    # w x + b may overflow to +-inf for huge finite inputs: that is saturation, which the
    # stable forms evaluate exactly (e^-inf = 0), so the overflow is not an error here.
    with np.errstate(over="ignore"):
        try:
            return evaluate(generated(name), arrays, dtype, outputs=2, bounds=bounds)
        except _HugeTargets:
            huge = _huge_targets(loss, arrays[1])
            arrays[1] = np.where(huge, arrays[1] / 2, arrays[1])
            dw, db = evaluate(generated(name), arrays, dtype, outputs=2)
    return _doubled(huge, dw, db)


def _fits(dtype: np.dtype, *numbers: float) -> bool:
    """Whether the Python floats stay finite in ``dtype`` (rounded to it without overflow)."""
    largest = float(np.finfo(dtype).max)
    return all(-largest <= n <= largest for n in numbers)


class _HugeTargets(Exception):
    """Some target y is so large that the MSE residual overflows (see :func:`_huge_targets`)."""


def _refuse_huge_targets(y: np.ndarray) -> None:
    """Raise _HugeTargets where some |y| is huge (the fast test also fails on a NaN alone)."""
    if _huge_targets("mse", y) is not None:
        raise _HugeTargets


def _huge_targets(loss: str, y: np.ndarray) -> np.ndarray | None:
    """Where y is so large that the MSE residual's (N - y) - y e^-|z| would overflow.

    That sum reaches 2|y|, past the float range for |y| above a quarter of it. The residual
    is affine in y, not linear, but for such y, N (at most 1) is below half an ULP of y, so
    N - y rounds to -y: with y halved, every operation sees exactly half its operands, and
    the result doubled is the unhalved one bit for bit, without the overflow. None when no
    entry is that large (the common case, found by a reduction or two; a NaN takes the exact test).
    """
    top = float(np.finfo(y.dtype).max / 4)
    if loss != "mse" or within(y, -top, top):
        return None
    huge = np.abs(y) > top
    return huge if huge.any() else None


def _doubled(huge: np.ndarray, *results: Any) -> tuple[Any, ...]:
    """Each result times 2 where ``huge`` (its target was halved), else as it is."""
    with np.errstate(over="ignore"):  # only where the true value is beyond the float range
        return tuple(np.where(huge, r * 2, r)[()] for r in results)


def mse_gradient(x: ArrayLike, y: ArrayLike, w: ArrayLike, b: ArrayLike) -> tuple[Any, Any]:
    """(dC/dw, dC/db) of C = (a - y)^2 / 2 with a = sigma(w x + b), elementwise.

    Both carry the factor sigma'(z), which vanishes when the neuron saturates.

    >>> dw, db = mse_gradient(1.0, 0.0, 2.0, 2.0)
    >>> float(dw), float(db)
    (0.0173450210708..., 0.0173450210708...)
    """
    return _neuron_gradient("mse", "mse_gradient", x, y, w, b)


def bce_gradient(x: ArrayLike, y: ArrayLike, w: ArrayLike, b: ArrayLike) -> tuple[Any, Any]:
    """(dC/dw, dC/db) = ((a - y) x, a - y) of binary cross-entropy, a = sigma(w x + b).

    y must lie in [0, 1]. Accurate to a few units in the last place for every finite input,
    including a - y for y = 1 and large z, where the naive sigma(z) - 1 rounds to 0.

    >>> dw, db = bce_gradient(1.0, 1.0, 20.0, 20.0)
    >>> float(dw), float(db)
    (-4.2483542552915...e-18, -4.2483542552915...e-18)
    """
    return _neuron_gradient("bce", "bce_gradient", x, y, w, b)


def batch_inputs(loss: str, name: str, X: Any, y: Any, w: Any, b: Any) -> tuple:
    """The inputs of a batch gradient as arrays of one dtype, their shapes and range checked."""
    (X_, y_, w_, b_), dtype = as_float_arrays(name, X=X, y=y, w=w, b=b)
    if X_.ndim != 2:
        raise ValueError(f"{name}: X must have shape (N, d), got shape {X_.shape}")
    n, d = X_.shape
    expected = {"y": (y_.shape, (n,)), "w": (w_.shape, (d,)), "b": (b_.shape, ())}
    for what, (shape, want) in expected.items():
        if shape != want:
            raise ValueError(
                f"{name}: {what} must have shape {want} to match X of shape {X_.shape}, "
                f"got shape {shape}"
            )
    if n == 0:
        raise ValueError(f"{name}: X has shape {X_.shape}; the mean of no examples is undefined")
    if loss == "bce":
        require_in_range(name, "y", y_, 0.0, 1.0)
    return X_, y_, w_, b_, dtype


def mean_gradient(loss: str, X: Any, y: Any, w: Any, b: Any, dtype: Any) -> tuple[Any, Any]:
    """((1/N) X^T r, mean r) with r = dC/dz at z = X w + b, for checked inputs.

    One pass over X: a block of rows gives X_blk w, then r_blk, then r_blk X_blk while the
    block is still in cache (a second pass over X would read it from memory again). The
    blocks' products are too small for the BLAS to run on several threads, so the blocks
    are shared among as many threads as it would use for X @ w (:func:`_share_out`); the
    blocks' r_blk X_blk are summed in block order, so the result does not depend on how many.
    Package-internal (numeric.training uses it), so its name has no underscore.
    """
    huge = _huge_targets(loss, y)
    halved = y if huge is None else np.where(huge, y / 2, y)
    n, d = X.shape
    if not X.flags.c_contiguous:
        X = np.ascontiguousarray(X)
    step = max(1, min(n, _BATCH_BYTES // max(1, d * dtype.itemsize)))
    starts = range(0, n, step)
    r = np.empty(n, dtype)
    # Row i: r_blk X_blk of block i, summed in block order at the end. That costs 1/step of
    # X's memory: for very wide X (few rows a block) one thread keeps a running sum instead.
    shared = step >= 64
    shares = np.empty((len(starts), d), dtype) if shared else np.zeros((1, d), dtype)
    kernel = generated(f"{loss}_residual")

    def run(blocks: Iterable[int]) -> None:  # the blocks it is given: their r and shares
        z = np.empty(step, dtype)
        buffers = kernel.buffers((step,), dtype)
        # w x + b may overflow to +-inf for huge finite inputs: that is saturation, which
        # the stable forms evaluate exactly (e^-inf = 0), so the overflow is not an error
        # here. (errstate holds in the thread that enters it: each worker enters its own.)
        with np.errstate(over="ignore"):
            for i in blocks:
                part = slice(starts[i], starts[i] + step)
                rows, rk = X[part], r[part]
                zk = z[: len(rows)]
                np.matmul(rows, w, out=zk)
                zk += b
                kernel.run([zk, halved[part]], [rk], [f[: len(rows)] for f in buffers])
                if huge is not None:
                    rk[...] = _doubled(huge[part], rk)[0]
                if shared:
                    np.matmul(rk, rows, out=shares[i])
                else:
                    shares[0] += rk @ rows

    if shared:
        _share_out(run, len(starts))
    else:
        run(range(len(starts)))
    with np.errstate(over="ignore"):  # a sum may overflow where the mean does not: see below
        grad_w = np.add.reduce(shares, axis=0) / n
        grad_b = r.mean(dtype=dtype)
    if np.isfinite(grad_b) and np.all(np.isfinite(grad_w)):
        return grad_w, grad_b
    return _scaled_means(r, X)


# Bytes of X per block of rows: the block stays in cache (L2/L3) between X_blk w and r_blk
# X_blk. Not more: OpenBLAS runs a matrix-vector product of 4 MiB or more on several threads,
# whose start costs milliseconds per call on a loaded machine (measured on a 2-core AMD EPYC
# with 200000 x 50: 1 MiB blocks 1.1-1.7 x one X @ w, 4 MiB blocks 34 x with two BLAS
# threads; 256 KiB blocks 2.3-2.6 x, from the per-block Python calls). Below 4 MiB each
# product runs on one thread (OpenBLAS 0.3.31), so the blocks themselves are shared among
# threads: with two BLAS threads, 1.6-2.1 x one X @ w instead of 2.3-2.5 x on one thread.
_BATCH_BYTES = 1024 * 1024


def _share_out(run: Callable[[Iterable[int]], None], blocks: int) -> None:
    """``run(indices)`` on this thread and on :func:`_workers` - 1 helpers, over ``blocks``.

    Every thread takes the next block from one counter, so a helper that the system starts
    late (a loaded machine) takes fewer blocks or none, and costs nothing: it is cancelled
    if it has not started when this thread runs out of blocks.
    """
    helpers = _workers(blocks) - 1
    if not helpers:
        run(range(blocks))
        return
    counter = itertools.count()

    def indices() -> Iterator[int]:
        return itertools.takewhile(lambda i: i < blocks, counter)

    others = [_helpers().submit(run, indices()) for _ in range(helpers)]
    run(indices())
    for other in others:
        if not other.cancel():  # it took blocks: wait for them (and raise what it raised)
            other.result()


_POOL: tuple[int, ThreadPoolExecutor] | None = None


def _helpers() -> ThreadPoolExecutor:
    """The threads that help the main one: created once per process (a fork has none)."""
    global _POOL
    if _POOL is None or _POOL[0] != os.getpid():
        pool = ThreadPoolExecutor(os.cpu_count() or 1, thread_name_prefix="numeric-batch")
        _POOL = (os.getpid(), pool)
    return _POOL[1]


def _workers(blocks: int) -> int:
    """Threads for ``blocks`` blocks of rows: as many as the BLAS would use for X @ w.

    That is OPENBLAS_NUM_THREADS, else OMP_NUM_THREADS, else the cores this process may
    run on; at most one per 4 blocks (handing blocks over costs about 10 us), and 1 outside
    the main thread (a Dask chunk or the caller's own pool already runs in parallel).
    """
    if blocks < 8 or threading.current_thread() is not threading.main_thread():
        return 1
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(variable, "").strip()
        if value.isdigit() and int(value) > 0:
            return min(int(value), blocks // 4)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, blocks // 4))


def _scaled_means(r: np.ndarray, X: np.ndarray) -> tuple[Any, Any]:
    """((1/N) X^T r, mean r) where a sum overflows but the mean may not: the slow path.

    r and X are scaled by powers of two that bring their largest entries below 1, so that
    no product or sum of N terms overflows; dividing by N and scaling back is then exact
    (but for the smallest terms, which fall below the normal range only where they are
    negligible next to the largest).
    """
    er = int(np.frexp(np.max(np.abs(r)))[1])
    ex = int(np.frexp(np.max(np.abs(X)))[1])
    rs, Xs = np.ldexp(r, -er).astype(r.dtype), np.ldexp(X, -ex).astype(X.dtype)
    with np.errstate(over="ignore"):  # only where the mean itself is beyond the range
        grad_w = np.ldexp((rs @ Xs) / X.shape[0], er + ex).astype(r.dtype)
        grad_b = np.ldexp(rs.mean(dtype=r.dtype), er).astype(r.dtype)[()]
    return grad_w, grad_b


def mse_mean_gradient(X: ArrayLike, y: ArrayLike, w: ArrayLike, b: ArrayLike) -> tuple[Any, Any]:
    """Gradient of the mean squared error over a batch: ((1/N) X^T r, mean r).

    Here r = (a - y) a (1 - a) with a = sigma(X w + b); X has shape (N, d), y shape (N,),
    w shape (d,), and b is a scalar. Other shapes raise ValueError: y of shape (N, 1) is
    not silently broadcast.

    >>> X = np.array([[0.0, 1.0], [1.0, 1.0]])
    >>> grad_w, grad_b = mse_mean_gradient(X, np.array([0.0, 1.0]), np.zeros(2), 0.0)
    >>> grad_w, float(grad_b)
    (array([-0.0625,  0.    ]), 0.0)
    """
    result = foreign_batch("mse", "mse_mean_gradient", X, y, w, b, mean_gradient)
    if result is not None:
        return result
    return mean_gradient("mse", *batch_inputs("mse", "mse_mean_gradient", X, y, w, b))


def bce_mean_gradient(X: ArrayLike, y: ArrayLike, w: ArrayLike, b: ArrayLike) -> tuple[Any, Any]:
    """Gradient of the mean binary cross-entropy over a batch: ((1/N) X^T (a - y), mean(a - y)).

    Here a = sigma(X w + b); shapes as in :func:`mse_mean_gradient`, and y in [0, 1].

    >>> X = np.array([[0.0, 1.0], [1.0, 1.0]])
    >>> grad_w, grad_b = bce_mean_gradient(X, np.array([0.0, 1.0]), np.zeros(2), 0.0)
    >>> grad_w, float(grad_b)
    (array([-0.25,  0.  ]), 0.0)
    """
    result = foreign_batch("bce", "bce_mean_gradient", X, y, w, b, mean_gradient)
    if result is not None:
        return result
    return mean_gradient("bce", *batch_inputs("bce", "bce_mean_gradient", X, y, w, b))


__getattr__ = renamed(__name__, globals())  # the names of 0.1, deprecated
