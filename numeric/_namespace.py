"""Arrays of other libraries (the Python array API standard): their namespace, via array-api-compat.

NumPy input never comes here. For a PyTorch, JAX, CuPy, Dask or array-api-strict array the
functions run the kernel's ``xp`` form (numeric._generated): the same stable form, with that
library's own operations, returning that library's array (a Dask array stays lazy).
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

__all__ = ["checked_range", "foreign_kernel", "foreign_namespace", "is_traced", "real_floating"]

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


def foreign_kernel(
    function: str,
    kernel: str,
    out: Any = None,
    ranges: dict[str, tuple[float, float]] | None = None,
    **values: Any,
) -> Any | None:
    """Kernel ``kernel`` at ``values`` when one of them is another library's array, else None.

    The arrays become float32 or float64 of their library (:func:`real_floating`), Python
    numbers 0-d arrays of the result's dtype on the arrays' device; then the kernel's
    ``xp`` form runs with that library's operations. ``ranges`` names the inputs that must
    lie in [low, high]: checked now for eager arrays; for a Dask array the check is a step
    of its graph that raises ValueError when that chunk is computed (nothing is computed
    here). ``out=`` takes NumPy arrays only (TypeError).
    """
    xp = foreign_namespace(function, **values)
    if xp is None:
        return None
    from numeric._codegen import generated

    if out is not None:
        raise TypeError(f"{function}: out= takes NumPy arrays; got arrays of {xp.__name__}")
    compiled = generated(kernel)
    form = compiled.xp
    if form is None:
        raise TypeError(f"{function}: has no array-API form; pass NumPy arrays")
    arrays = _as_arrays(function, xp, values)
    for name, (low, high) in (ranges or {}).items():
        arrays[name] = checked_range(function, name, xp, arrays[name], low, high)
    if not compiled.quiet:
        return form(xp, *arrays.values())
    # A where() evaluates both branches; the unused one may divide by zero. Libraries that
    # compute with NumPy (array-api-strict, Dask) would warn: not where it is not used.
    import array_api_compat

    parts = list(arrays.values())
    if compiled.outputs == 1 and any(map(array_api_compat.is_dask_array, parts)):
        import dask.array as da

        dtype = xp.result_type(*(a.dtype for a in parts))
        return da.map_blocks(_quietly, *parts, form=form, dtype=dtype)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return form(xp, *arrays.values())


def _as_arrays(function: str, xp: Any, values: dict[str, Any]) -> dict[str, Any]:
    """The foreign arrays as real floats, Python numbers as 0-d arrays of their dtype."""
    import array_api_compat

    arrays = {n: real_floating(function, n, xp, v) for n, v in values.items() if _is_foreign(v)}
    first = next(iter(arrays.values()))
    dtype = xp.result_type(*(a.dtype for a in arrays.values()))
    device = array_api_compat.device(first)
    result = {}
    for name, value in values.items():
        if name in arrays:
            result[name] = arrays[name]
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
            raise TypeError(
                f"{function}: {name} is a {type(value).__name__}; with arrays of "
                f"{xp.__name__}, pass arrays of that library or Python numbers"
            )
        result[name] = xp.asarray(float(value), dtype=dtype, device=device)
    return result


def _quietly(*blocks: Any, form: Any) -> Any:
    """``form`` on NumPy blocks (a Dask chunk), without the warnings of an unused branch."""
    import array_api_compat.numpy as xp

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return form(xp, *blocks)


def is_traced(array: Any) -> bool:
    """A JAX array being traced (inside ``jax.jit`` or ``jax.grad``): no values yet.

    >>> is_traced(np.zeros(2))
    False
    """
    jax = sys.modules.get("jax")  # imported by the caller if its arrays are JAX's
    return jax is not None and isinstance(array, jax.core.Tracer)


def checked_range(function: str, name: str, xp: Any, array: Any, low: float, high: float) -> Any:
    """``array``, after checking that its values (NaN aside) lie in [low, high].

    Eager arrays are checked now (ValueError). A Dask array is not computed: the check
    becomes a step of its graph, run on each chunk when (and if) the result is computed.
    A JAX array being traced (inside ``jax.jit``) has no values yet: it is not checked.
    """
    import array_api_compat

    if array_api_compat.is_dask_array(array):
        return array.map_blocks(_in_range, function, name, low, high, dtype=array.dtype)
    if is_traced(array):
        return array
    if bool(xp.any((array < low) | (array > high))):
        raise ValueError(f"{function}: {name} must lie in [{low:g}, {high:g}]")
    return array


def _in_range(block: Any, function: str, name: str, low: float, high: float) -> Any:
    bad = (block < low) | (block > high)
    if np.any(bad):
        value = float(np.asarray(block)[np.asarray(bad)][0])
        raise ValueError(f"{function}: {name} must lie in [{low:g}, {high:g}]; got {value!r}")
    return block
