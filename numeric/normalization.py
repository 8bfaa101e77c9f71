"""The softmax of a vector, and the standardized sigmoid sigma((x - mean)/std).

The softmax is computed after subtracting the largest score: the ``softmax-two-class``
derivation shows that adding the same constant to every score changes nothing, and with
every exponent at most 0, exp cannot overflow. Where every score of a block lies well inside
exp's range (the common case), the constant 0 serves as well, in fewer passes. The
standardized sigmoid applies the stable ``numeric.sigmoid`` to standardized values; the
``standardized-sigmoid`` derivation shows how ddof and the variance change them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from numeric._namespace import foreign_namespace, is_traced, real_floating
from numeric._validation import as_float_arrays, require_finite
from numeric.activations import sigmoid

__all__ = ["softmax", "standardized_sigmoid"]


def _axis(function: str, axis: Any, ndim: int) -> int:
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"{function}: axis must be an integer, got {axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{function}: axis {axis} is out of range for {ndim} dimensions")
    return int(axis) % ndim


def softmax(z: ArrayLike, axis: int = -1) -> Any:
    """exp(z) / sum(exp(z)) along ``axis``: probabilities that sum to 1, each in [0, 1].

    Scores may be as large as the float range allows; -inf is a score of probability 0,
    but a slice must hold at least one finite score. float32 stays float32.

    >>> softmax([1000.0, 1000.0, 0.0])
    array([0.5, 0.5, 0. ])
    >>> softmax(np.float32([[0, np.log(3)], [5, 5]]), axis=1)
    array([[0.25, 0.75],
           [0.5 , 0.5 ]], dtype=float32)
    >>> softmax([np.nan, 1.0])
    Traceback (most recent call last):
    ...
    ValueError: softmax: z must not hold NaN or +inf; got nan at (0,)
    """
    xp = foreign_namespace("softmax", z=z)
    if xp is not None:  # a PyTorch, JAX, Dask... array: the same identity, its own operations
        return _softmax_xp(xp, real_floating("softmax", "z", xp, z), axis)
    (array,), _ = as_float_arrays("softmax", z=z)
    if array.ndim == 0:
        raise ValueError("softmax: z must have at least one dimension; got a scalar")
    axis = _axis("softmax", axis, array.ndim)
    if array.shape[axis] == 0:
        raise ValueError(f"softmax: z has no values along axis {axis}")
    if array.size == 0:
        return np.empty_like(array)
    # Rows along the last axis, C-contiguous: one block of rows at a time stays in cache.
    rows = np.ascontiguousarray(np.moveaxis(array, axis, -1))
    flat = rows.reshape(-1, rows.shape[-1])
    result = np.empty_like(flat)
    step = max(1, _BLOCK // flat.shape[1])
    buffers = [np.empty((min(step, len(flat)), flat.shape[1]), flat.dtype) for _ in range(3)]
    for start in range(0, len(flat), step):
        block = flat[start : start + step]
        parts = [b[: len(block)] for b in buffers]
        if not _softmax_rows(block, result[start : start + step], parts):
            _refuse(array, axis)
    return np.moveaxis(result.reshape(rows.shape), -1, axis)


# Elements per block of rows: the block and its three buffers stay in cache (512 KiB each).
_BLOCK = 65536


def _softmax_rows(z: np.ndarray, out: np.ndarray, buffers: list[np.ndarray]) -> bool:
    """The softmax of each row of ``z`` (2-d, C-contiguous) into ``out``, with three buffers.

    False (nothing written) when a row's largest score is NaN, +inf or -inf.
    """
    # The identity of softmax-two-class with c = 0 where it is exact enough: with every score
    # in [low, high], each e^z is a normal number (its rounding relative, never absolute) and
    # no row's sum overflows, so e^z/sum is rounded as little as e^(z - max)/sum would be,
    # without the rounding of z - max: two passes and two reductions, as the textbook's
    # max-subtracted form takes. NaN fails both comparisons.
    low, high = _exp_range(z.dtype, z.shape[1])
    if np.min(z) >= low and np.max(z) <= high:
        e = buffers[0]
        np.exp(z, out=e)
        np.divide(e, np.sum(e, axis=1, keepdims=True), out=out)
        return True
    top = np.max(z, axis=1, keepdims=True)
    if not np.all(np.isfinite(top)):
        return False
    shifted, back, error = buffers
    # The identity of softmax-two-class with c = -max: every exponent <= 0, the largest 1.
    # z - max is rounded, and exp magnifies an absolute error e into a relative one (100
    # ULP at z - max = -200): TwoSum recovers e exactly, and exp(s + e) = exp(s)(1 + e).
    # Eleven passes over a block in cache cost about what five over memory do.
    with np.errstate(over="ignore", invalid="ignore"):
        np.subtract(z, top, out=shifted)
        np.subtract(shifted, z, out=back)
        np.subtract(shifted, back, out=error)
        np.subtract(z, error, out=error)
        np.subtract(-top, back, out=back)
        np.add(error, back, out=error)
        np.exp(shifted, out=back)
        np.multiply(error, back, out=error)
        np.add(back, error, out=back)
        total = np.sum(back, axis=1, keepdims=True)
        if not np.all(np.isfinite(total)):
            # A -inf score, or z - max beyond the float range: there exp(z - max) is 0
            # whatever the error, which is not finite (inf - inf). Rare: this block again,
            # with the error set to 0 where z - max is not finite.
            back = shifted - z
            error = (z - (shifted - back)) + (-top - back)
            error = np.where(np.isfinite(shifted), error, 0)
            back = np.exp(shifted) * (1 + error)
            total = np.sum(back, axis=1, keepdims=True)
    np.divide(back, total, out=out)
    return True


def _softmax_xp(xp: Any, z: Any, axis: Any) -> Any:
    """:func:`softmax` for another library's array: max-subtracted, with the TwoSum error.

    One form for every block (no unshifted fast path); a lazy (Dask) or traced (jax.jit)
    array is not checked for NaN, +inf or an all -inf slice, which give NaN there.
    """
    import array_api_compat  # only for other libraries' arrays: not on NumPy's import path

    if z.ndim == 0:
        raise ValueError("softmax: z must have at least one dimension; got a scalar")
    axis = _axis("softmax", axis, z.ndim)
    top = xp.max(z, axis=axis, keepdims=True)
    lazy = array_api_compat.is_dask_array(top) or is_traced(top)
    if not lazy and not bool(xp.all(xp.isfinite(top))):
        raise ValueError("softmax: z must not hold NaN or +inf, nor a slice that is all -inf")
    # As _softmax_rows: exp(s + e) = exp(s)(1 + e), with s = z - max rounded and e its
    # rounding error (TwoSum). A -inf score is computed as the row's largest and its
    # exponential then set to 0: inf - inf would warn, and a NaN or inf in the branch the
    # where discards would still spoil an autograd gradient through it (0 * inf).
    finite = xp.isfinite(z)
    z = xp.where(finite, z, top)
    shifted = z - top
    back = shifted - z
    error = (z - (shifted - back)) + (-top - back)
    e = xp.where(finite, xp.exp(shifted) * (1 + error), 0.0)
    return e / xp.sum(e, axis=axis, keepdims=True)


def _exp_range(dtype: np.dtype, n: int) -> tuple[float, float]:
    """Scores z for which e^z is normal and a sum of ``n`` of them finite, one unit inside."""
    info = np.finfo(dtype)
    return math.log(info.tiny) + 1, math.log(info.max) - math.log(n) - 1


def _refuse(array: np.ndarray, axis: int) -> None:
    """The ValueError for a slice whose largest score is NaN, +inf or -inf (all -inf)."""
    bad = np.isnan(array) | (array == np.inf)
    if np.any(bad):
        index = tuple(int(i) for i in np.unravel_index(np.argmax(bad), array.shape))
        raise ValueError(f"softmax: z must not hold NaN or +inf; got {array[index]} at {index}")
    raise ValueError(f"softmax: a slice of z along axis {axis} is all -inf; its softmax is 0/0")


def standardized_sigmoid(x: ArrayLike, ddof: int = 0, *, axis: int | None = None) -> Any:
    """sigma((x - mean)/std), with numpy's std: std = sqrt(sum((x - mean)^2)/(n - ddof)).

    ddof = 0 (the default, as in numpy) divides by n, the population standard deviation;
    ddof = 1 by n - 1, the sample standard deviation, which is larger by sqrt(n/(n - 1)) and
    so pulls every output toward 1/2. The mean and std are taken over ``axis`` (None: the
    whole array, as in numpy). The result does not depend on the units of x, and values as
    large as the float range allows are fine.

    A constant x (std 0) raises ValueError: (x - mean)/std is then 0/0, and any number in
    its place, such as sigma(0) = 1/2, would silently pass for a verdict about data that
    carry none. So does n - ddof <= 0, where std is not defined.

    >>> standardized_sigmoid([1.0, 1.2, 0.8, 1.1, 5000.0]).round(4)
    array([0.3775, 0.3776, 0.3775, 0.3775, 0.8808])
    >>> standardized_sigmoid([1.0, 1.2, 0.8, 1.1, 5000.0], ddof=1).round(4)
    array([0.39  , 0.39  , 0.39  , 0.39  , 0.8568])
    >>> standardized_sigmoid([2.0, 2.0, 2.0])
    Traceback (most recent call last):
    ...
    ValueError: standardized_sigmoid: x is constant (standard deviation 0), so (x - mean)/std is 0/0
    """
    xp = foreign_namespace("standardized_sigmoid", x=x)
    if xp is not None:
        library = xp.__name__.removeprefix("array_api_compat.")
        raise TypeError(
            f"standardized_sigmoid: x is an array of {library}; this function takes NumPy "
            "arrays (np.asarray(x) for data on the CPU)"
        )
    (array,), dtype = as_float_arrays("standardized_sigmoid", x=x)
    require_finite("standardized_sigmoid", "x", array)
    if not isinstance(ddof, (int, np.integer)) or isinstance(ddof, bool) or ddof < 0:
        raise ValueError(f"standardized_sigmoid: ddof must be a non-negative integer, got {ddof!r}")
    if axis is not None:
        if array.ndim == 0:
            raise ValueError(
                f"standardized_sigmoid: axis={axis!r} needs an array with dimensions, but x is "
                "a scalar (0-dimensional); use axis=None"
            )
        axis = _axis("standardized_sigmoid", axis, array.ndim)
    n = array.size if axis is None else array.shape[axis]
    if n - ddof <= 0:
        raise ValueError(
            f"standardized_sigmoid: ddof={ddof} needs more than {ddof} values; got {n}"
        )
    wide = array.astype(np.float64)
    # Scale by a power of two >= max|x| (exact): no square overflows or underflows, and the
    # standardized values do not change (the derivation: they are the same in any units).
    biggest = np.max(np.abs(wide), axis=axis, keepdims=True)
    _, exponent = np.frexp(biggest)
    scaled = np.ldexp(wide, -exponent)
    # The rounded mean can be off by half an ULP, as much as the spread of nearly equal
    # values: the mean of the deviations corrects it (the corrected two-pass algorithm). For
    # nearly equal values the deviations are exact (Sterbenz's lemma), and so is the result.
    deviation = scaled - np.mean(scaled, axis=axis, keepdims=True)
    deviation -= np.mean(deviation, axis=axis, keepdims=True)
    std = np.sqrt(np.sum(deviation * deviation, axis=axis, keepdims=True) / (n - ddof))
    if np.any(std == 0):  # only for a constant slice: distinct values leave a deviation
        raise ValueError(
            "standardized_sigmoid: x is constant (standard deviation 0), so (x - mean)/std is 0/0"
        )
    return sigmoid((deviation / std).astype(dtype))
