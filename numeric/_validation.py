"""Input checks shared by the NumPy functions: dtypes, shapes and ranges."""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import numpy as np

__all__ = [
    "as_float_arrays",
    "broadcast_shape",
    "plain_floats",
    "refuse_masked",
    "require_finite",
    "require_in_range",
    "within",
]

SUPPORTED = (np.dtype(np.float32), np.dtype(np.float64))
# Up to this many elements a NaN-free extreme is found faster by argmin/argmax than by a
# reduction (NumPy 2.4: 0.3 us against 1 us of fixed cost; beyond, the reduction's SIMD wins)
FEW = 4096
_SUPPORTED_TEXT = "float32 and float64 (integers and booleans are converted to float64)"


def as_float_arrays(function: str, **values: Any) -> tuple[list[np.ndarray], np.dtype]:
    """Arrays of one floating dtype for the named inputs, or a TypeError naming the culprit.

    float32 stays float32 (unless mixed with float64); Python numbers adapt
    to the arrays they meet, as in NumPy; integers and booleans become float64.

    >>> arrays, dtype = as_float_arrays("f", x=np.float32([1, 2]), y=0.5)
    >>> dtype, arrays[1].dtype
    (dtype('float32'), dtype('float32'))
    >>> as_float_arrays("f", x=np.array([1j]))
    Traceback (most recent call last):
    ...
    TypeError: f: x has dtype complex128; supported: float32 and float64 ...
    """
    arrays: dict[str, np.ndarray] = {}
    for name, value in values.items():
        refuse_masked(function, name, value)
        if _is_weak(value):
            arrays[name] = np.asarray(_python_float(function, name, value))
            continue
        try:
            array = np.asarray(value)
        except (TypeError, ValueError) as error:
            raise TypeError(f"{function}: {name} is not an array of numbers ({error})") from None
        if array.dtype.kind in "biu":
            array = array.astype(np.float64)
        elif array.dtype not in SUPPORTED:
            raise TypeError(
                f"{function}: {name} has dtype {array.dtype}; supported: {_SUPPORTED_TEXT}"
            )
        arrays[name] = array
    strong = [a.dtype for n, a in arrays.items() if not _is_weak(values[n])]
    dtype = np.result_type(*strong) if strong else np.dtype(np.float64)
    return [a.astype(dtype, copy=False) for a in arrays.values()], dtype


def plain_floats(*values: Any) -> np.dtype | None:
    """The dtype of ``values`` if they are NumPy arrays of one shape and one float dtype, else None.

    Such input has nothing to convert, check or broadcast: the functions' fast path for
    arrays, which skips :func:`as_float_arrays` and :func:`broadcast_shape` (their checks
    cost a few microseconds, as much as the work on a thousand elements). Subclasses such
    as masked arrays take the full path.

    >>> plain_floats(np.zeros(2, np.float32), np.ones(2, np.float32))
    dtype('float32')
    >>> plain_floats(np.zeros(2), np.ones(3)) is None, plain_floats(np.zeros(2), 1.0) is None
    (True, True)
    """
    first = values[0]
    if type(first) is not np.ndarray or first.dtype not in SUPPORTED:
        return None
    dtype, shape = first.dtype, first.shape
    for value in values[1:]:
        if type(value) is not np.ndarray or value.dtype != dtype or value.shape != shape:
            return None
    return dtype


def refuse_masked(function: str, name: str, value: Any) -> None:
    """Raise TypeError for a masked array: NumPy functions would silently drop its mask.

    >>> refuse_masked("f", "x", np.ma.array([1.0, 2.0], mask=[0, 1]))
    Traceback (most recent call last):
    ...
    TypeError: f: x is a masked array, whose mask would be ignored; pass x.filled(value) or ...
    """
    if isinstance(value, np.ma.MaskedArray):
        raise TypeError(
            f"{function}: {name} is a masked array, whose mask would be ignored; "
            f"pass {name}.filled(value) or {name}.compressed()"
        )


def broadcast_shape(function: str, **arrays: np.ndarray) -> tuple[int, ...]:
    """The shape that the named arrays broadcast to, or a ValueError naming them and their shapes.

    >>> broadcast_shape("f", a=np.zeros(3), y=np.zeros(2))
    Traceback (most recent call last):
    ...
    ValueError: f: the shapes of a (3,) and y (2,) do not broadcast together
    """
    try:  # np.broadcast of the arrays costs a quarter of np.broadcast_shapes of their shapes
        return np.broadcast(*arrays.values()).shape
    except ValueError:
        listed = [f"{name} {array.shape}" for name, array in arrays.items()]
        names = ", ".join(listed[:-1]) + " and " + listed[-1]
        raise ValueError(f"{function}: the shapes of {names} do not broadcast together") from None


def _python_float(function: str, name: str, value: bool | int | float) -> float:
    try:
        return float(value)
    except OverflowError:
        raise ValueError(
            f"{function}: {name} is a Python int of {int(value).bit_length()} bits, too large "
            f"for float64 (whose largest value is about 1.8e308)"
        ) from None


def _is_weak(value: Any) -> bool:
    return isinstance(value, (bool, int, float)) and not isinstance(value, np.generic)


def within(array: np.ndarray, low: float, high: float) -> bool:
    """Whether every value lies in [low, high], by one or two reductions: False at a NaN.

    >>> within(np.array([0.0, 1.0]), 0.0, 1.0), within(np.array([0.0, np.nan]), 0.0, 1.0)
    (True, False)
    """
    # Up to a few thousand elements, argmin and argmax cost a third of min and max (whose
    # fixed cost is a microsecond each); beyond, min and max are the faster loops.
    if array.size <= FEW:
        if not array.size:
            return True
        return bool(array.flat[array.argmin()] >= low and array.flat[array.argmax()] <= high)
    if low == 0 and 0 <= high < math.inf and array.flags.c_contiguous and array.dtype.isnative:
        # [0, high] by one reduction, half the time of min and max: read as unsigned integers
        # (IEEE 754 bits), the floats from +0 to high are the integers up to high's bits, and
        # a negative float or a NaN is above them (-0.0 too: the exact test lets it pass).
        unsigned, top = _float_bits(array.dtype, high)
        return bool(array.view(unsigned).max() <= top)
    return bool(array.min() >= low and array.max() <= high)


@cache
def _float_bits(dtype: np.dtype, value: float) -> tuple[np.dtype, Any]:
    """The unsigned integer dtype of ``dtype``'s size, and ``value``'s bits in it.

    >>> _float_bits(np.dtype(np.float64), 1.0)
    (dtype('uint64'), np.uint64(4607182418800017408))
    """
    integers = np.dtype(f"u{dtype.itemsize}")
    return integers, np.array(value, dtype).view(integers)[()]


def require_in_range(function: str, name: str, array: np.ndarray, low: float, high: float) -> None:
    """Raise ValueError unless every value (NaN aside) lies in [low, high]."""
    # Two reductions decide the common case without temporaries; a NaN fails both
    # comparisons and so takes the exact check below, which lets it pass.
    if within(array, low, high):
        return
    bad = (array < low) | (array > high)
    if np.any(bad):
        index = _index(np.argmax(bad), array.shape)
        raise ValueError(
            f"{function}: {name} must lie in [{low:g}, {high:g}]; "
            f"got {float(array[index])!r} at index {index}"
        )


def require_finite(function: str, name: str, array: np.ndarray) -> None:
    """Raise ValueError if any value is infinite or NaN."""
    if not np.all(np.isfinite(array)):
        index = _index(np.argmin(np.isfinite(array)), array.shape)
        raise ValueError(
            f"{function}: {name} must be finite; got {float(array[index])!r} at index {index}"
        )


def _index(flat: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(int(i) for i in np.unravel_index(flat, shape)) if shape else ()
