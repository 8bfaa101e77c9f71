"""The public kernels without a hand-written function, made NumPy functions from their specs.

``python -m numeric.generate`` writes ``numeric._generated.PUBLIC``: for every public kernel
of the registry that ``numeric`` has no hand-written function for, its argument names, the
ranges its ``KernelSpec`` declares, and a docstring made from the spec (with the example its
author wrote). Each becomes a function named like the kernel, with those parameters and a
keyword-only ``out=``, which behaves like the hand-written ones:

- a Python float (every argument one) takes the kernel's scalar form, with no array;
- NumPy input is converted and checked by ``numeric._validation`` (TypeError or ValueError
  naming the parameter; ranges as ``require_in_range`` checks them), broadcast, kept in
  float32 when it is float32, and evaluated block by block (``numeric._codegen.evaluate``);
- arrays of another library of the array API standard take the kernel's ``xp`` form and come
  back as that library's arrays (``numeric._namespace``); a declared range is checked with
  that library's operations, which computes a lazy (Dask) array's check at once.

``numeric`` exports them under their names (its ``__getattr__`` and ``__all__``), and their
functions live in this module's namespace, where ``pytest --doctest-modules`` runs their
examples.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from numeric._codegen import Bound, evaluate, generated, in_range, scalar_call
from numeric._generated import PUBLIC
from numeric._namespace import foreign_namespace, real_floating
from numeric._validation import as_float_arrays, broadcast_shape, plain_floats

Ranges = dict[str, tuple[float | None, float | None]]


def _bounds(bounds: tuple[float | None, float | None]) -> tuple[float, float]:
    """A declared range with its open ends (None) as -inf and inf."""
    low, high = bounds
    return -math.inf if low is None else low, math.inf if high is None else high


def _range_bounds(name: str, values: dict[str, Any], arrays: list, ranges: Ranges) -> list[Bound]:
    """The declared ranges as :func:`evaluate`'s bounds (``arrays`` in the order of ``values``)."""
    order = list(values)
    return [
        in_range(name, argument, arrays, order.index(argument), *_bounds(bounds))
        for argument, bounds in ranges.items()
    ]


def _in_ranges(values: dict[str, Any], ranges: Ranges) -> bool:
    """True when every Python-float value with a declared range lies in it."""
    for name, bounds in ranges.items():
        low, high = _bounds(bounds)
        if not low <= values[name] <= high:
            return False
    return True


def _foreign(name: str, xp: Any, values: dict[str, Any], ranges: Ranges) -> Any:
    """The kernel's ``xp`` form on another library's arrays (Python numbers join them)."""
    kernel = generated(name)
    if kernel.xp is None:
        raise TypeError(f"{name}: takes NumPy arrays only (its kernel has no array-API form)")
    arrays = {k: v for k, v in values.items() if hasattr(v, "dtype")}
    arrays = {k: real_floating(name, k, xp, v) for k, v in arrays.items()}
    dtype = xp.result_type(*arrays.values())
    converted = {
        k: arrays[k] if k in arrays else xp.asarray(v, dtype=dtype) for k, v in values.items()
    }
    for argument, bounds in ranges.items():
        a, (low, high) = converted[argument], _bounds(bounds)
        if bool(xp.any((a < low) | (a > high))):
            raise ValueError(f"{name}: {argument} must lie in [{low:g}, {high:g}]")
    if kernel.quiet:  # as Kernel.run: a discarded branch may divide by zero where unused
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return kernel.xp(xp, *converted.values())
    return kernel.xp(xp, *converted.values())


def call(name: str, values: dict[str, Any], ranges: Ranges, out: np.ndarray | None) -> Any:
    """The public kernel ``name`` at ``values`` (argument name -> value), as documented above."""
    kernel = generated(name)
    if out is None and all(type(v) is float for v in values.values()):
        if _in_ranges(values, ranges):  # Python floats: the scalar form, no array at all
            number = scalar_call(name, *values.values())
            if number is not None:
                return number
    else:
        dtype = plain_floats(*values.values())
        if dtype is not None:  # float arrays of one shape and dtype: nothing to convert
            arrays = list(values.values())
            bounds = _range_bounds(name, values, arrays, ranges)
            return evaluate(kernel, arrays, dtype, kernel.outputs, out, name, bounds)
    xp = foreign_namespace(name, **values)
    if xp is not None:
        if out is not None:
            raise TypeError(f"{name}: out= takes NumPy arrays; got arrays of another library")
        return _foreign(name, xp, values, ranges)
    arrays, dtype = as_float_arrays(name, **values)
    named = dict(zip(values, arrays, strict=True))
    if len(named) > 1:
        broadcast_shape(name, **named)
    bounds = _range_bounds(name, values, arrays, ranges)
    return evaluate(kernel, arrays, dtype, kernel.outputs, out, name, bounds)


def _function(name: str, arguments: tuple[str, ...], ranges: Ranges, doc: str) -> Callable:
    """The function ``name(*arguments, out=None)`` that runs :func:`call`."""
    parameters = [inspect.Parameter(a, inspect.Parameter.POSITIONAL_OR_KEYWORD) for a in arguments]
    parameters.append(inspect.Parameter("out", inspect.Parameter.KEYWORD_ONLY, default=None))
    signature = inspect.Signature(parameters)

    unary = len(arguments) == 1 and not ranges

    def function(*args: ArrayLike, **kwargs: Any) -> Any:
        if not kwargs and len(args) == len(arguments):  # the common call: all positional
            if unary and type(args[0]) is float:  # one Python float: the shortest path
                number = scalar_call(name, args[0])
                if number is not None:
                    return number
            return call(name, dict(zip(arguments, args, strict=True)), ranges, None)
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as error:
            raise TypeError(f"{name}: {error}") from None
        bound.apply_defaults()
        values = {a: bound.arguments[a] for a in arguments}
        return call(name, values, ranges, bound.arguments["out"])

    function.__name__ = function.__qualname__ = name
    function.__doc__ = doc
    function.__signature__ = signature  # type: ignore[attr-defined]
    function.__annotations__ = {**dict.fromkeys(arguments, "ArrayLike"), "out": "np.ndarray | None"}
    return function


FUNCTIONS: dict[str, Callable] = {
    name: _function(name, arguments, ranges, doc)
    for name, (arguments, ranges, doc) in PUBLIC.items()
}
# In this module's namespace: ``from numeric._public import name`` works, and doctest finds
# each function's example here (a function belongs to the module of its globals).
globals().update(FUNCTIONS)

__all__ = ["FUNCTIONS", "call", *sorted(FUNCTIONS)]
