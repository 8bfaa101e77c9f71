"""Arrays of other libraries (the Python array API standard): their namespace, via array-api-compat.

NumPy input never comes here. For a PyTorch, JAX, CuPy, Dask or array-api-strict array the
functions run the kernel's ``xp`` form (numeric._generated): the same stable form, with that
library's own operations, returning that library's array (a Dask array stays lazy).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["foreign_namespace", "real_floating"]

_LIBRARIES = ("torch", "jax", "jaxlib", "cupy", "dask", "array_api_strict", "sparse", "ndonnx")


def _is_foreign(value: Any) -> bool:
    if isinstance(value, (np.ndarray, np.generic)):
        return False
    kind = type(value)
    return hasattr(kind, "__array_namespace__") or kind.__module__.split(".")[0] in _LIBRARIES


def foreign_namespace(function: str, **values: Any) -> Any | None:
    """The array namespace of the non-NumPy arrays among ``values``; None when there are none.

    A mix of libraries, or of such an array with a NumPy array, raises TypeError naming both.

    >>> foreign_namespace("f", x=np.zeros(2)) is None
    True
    """
    foreign = {name: v for name, v in values.items() if _is_foreign(v)}
    if not foreign:
        return None
    import array_api_compat

    numpy_ones = [n for n, v in values.items() if isinstance(v, np.ndarray)]
    try:
        if numpy_ones:
            raise TypeError("NumPy")
        return array_api_compat.array_namespace(*foreign.values())
    except TypeError:
        kinds = {n: type(v).__module__.split(".")[0] for n, v in values.items()}
        kinds.update({n: "numpy" for n in numpy_ones})
        named = ", ".join(f"{n} ({k})" for n, k in kinds.items() if n in foreign or n in numpy_ones)
        raise TypeError(f"{function}: arrays of different libraries in one call: {named}") from None


def real_floating(function: str, name: str, xp: Any, array: Any) -> Any:
    """``array`` as float32 or float64 of its library: integers and booleans become float64.

    Other dtypes (float16, complex) raise TypeError, as they do for NumPy input.
    """
    if array.dtype in (xp.float32, xp.float64):
        return array
    if xp.isdtype(array.dtype, ("integral", "bool")):
        return xp.astype(array, xp.float64)
    raise TypeError(
        f"{function}: {name} has dtype {array.dtype}; supported: float32 and float64 "
        "(integers and booleans are converted to float64)"
    )
