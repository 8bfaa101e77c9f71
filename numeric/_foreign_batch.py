"""The batch gradients on arrays of other libraries (the array API standard), and on Dask.

An eager library (PyTorch, JAX, CuPy, array-api-strict) computes X w + b, the stable
residual (the kernel's xp form) and r X with its own operations. A Dask X is reduced chunk
by chunk: each chunk of rows gives its share of the mean with numeric's own one-pass NumPy
code (numeric.losses.mean_gradient, huge targets and overflowing sums included), and the
shares are summed by Dask's tree reduction; nothing is computed until the caller asks, and
no chunk needs more memory than itself. X chunked along its columns is rechunked to whole
rows (lazily).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from numeric._namespace import _as_arrays, checked_range, foreign_namespace

__all__ = ["foreign_batch"]


def foreign_batch(
    loss: str, name: str, X: Any, y: Any, w: Any, b: Any, mean_gradient: Callable
) -> tuple | None:
    """((1/N) X^T r, mean r) for another library's arrays; None for NumPy input.

    ``mean_gradient`` is numeric.losses.mean_gradient, the NumPy one each Dask chunk runs.
    """
    xp = foreign_namespace(name, X=X, y=y, w=w, b=b)
    if xp is None:
        return None
    import array_api_compat

    X, y, w, b = _as_arrays(name, xp, {"X": X, "y": y, "w": w, "b": b}).values()
    _check_shapes(name, X, y, w, b)
    if loss == "bce":
        y = checked_range(name, "y", xp, y, 0.0, 1.0)
    if array_api_compat.is_dask_array(X):
        return _dask(loss, X, y, w, b, mean_gradient)
    from numeric._codegen import generated

    n = X.shape[0]
    r = generated(f"{loss}_residual").xp(xp, xp.matmul(X, w) + b, y)
    return xp.matmul(r, X) / n, xp.mean(r)


def _check_shapes(name: str, X: Any, y: Any, w: Any, b: Any) -> None:
    if X.ndim != 2:
        raise ValueError(f"{name}: X must have shape (N, d), got shape {tuple(X.shape)}")
    n, d = X.shape
    for what, array, want in (("y", y, (n,)), ("w", w, (d,)), ("b", b, ())):
        if tuple(array.shape) != want:
            raise ValueError(
                f"{name}: {what} must have shape {want} to match X of shape "
                f"{tuple(X.shape)}, got shape {tuple(array.shape)}"
            )
    if n == 0:
        raise ValueError(
            f"{name}: X has shape {tuple(X.shape)}; the mean of no examples is undefined"
        )


def _dask(loss: str, X: Any, y: Any, w: Any, b: Any, mean_gradient: Callable) -> tuple:
    """Lazy ((1/N) X^T r, mean r): each chunk of rows its share, summed by a tree reduction."""
    import dask.array as da

    n, d = X.shape
    if len(X.chunks[1]) > 1:
        X = X.rechunk({1: -1})  # whole rows in each chunk: X_blk w needs every column
    y = y.rechunk((X.chunks[0],))
    w = w.rechunk(-1)
    shares = da.blockwise(
        _share, "ij", X, "ij", y, "i", w, "j", b, "", dtype=X.dtype,
        loss=loss, n=n, mean_gradient=mean_gradient,
        adjust_chunks={"i": 1, "j": d + 1}, concatenate=True,
    )  # fmt: skip
    total = shares.sum(axis=0)
    return total[:d], total[d]


def _share(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, b: np.ndarray, loss: str, n: int,
    mean_gradient: Callable,
) -> np.ndarray:  # fmt: skip
    """One chunk's share of the mean: its own mean gradient times its rows / N, as a row."""
    grad_w, grad_b = mean_gradient(loss, X, y, w, np.asarray(b)[()], X.dtype)
    share = len(y) / n
    return np.append(grad_w * share, grad_b * share)[None, :].astype(X.dtype)
