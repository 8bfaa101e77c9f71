"""The sigmoid family in NumPy, generated from the verified stable forms.

Each function runs a kernel of ``derivations.topics.sigmoid.kernels()``: a right-hand
side of the ``stable-forms`` derivation, which SymPy has proven equal to the textbook
formula, compiled ahead of time into ``numeric._generated``. They broadcast, keep
float32 as float32, never overflow, and write into ``out`` when it is given (an array
of the result's shape and dtype, which is returned). ``sigmoid``, ``sigmoid_derivative``,
``log_sigmoid``, ``softplus`` and ``logit`` also take the arrays of other libraries of the
array API standard (PyTorch, JAX, CuPy, Dask...) and return that library's array, computed
with its own operations from the same stable form (for a Dask array, lazily: ``logit``'s
check of p in [0, 1] runs when the result is computed).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from numeric._codegen import evaluate, generated, in_range, scalar_call, scalar_form
from numeric._namespace import foreign_kernel, foreign_namespace, real_floating
from numeric._renamed import renamed
from numeric._validation import as_float_arrays

__all__ = ["log_sigmoid", "logit", "sigmoid", "sigmoid_derivative", "softplus"]


_FLOATS = (np.dtype(np.float64), np.dtype(np.float32))
_SCALAR = {name: scalar_form(name) for name in __all__}


def _unary(name: str, argument: str, value: ArrayLike, out: np.ndarray | None) -> Any:
    kind = type(value)
    if kind is float and out is None:  # one Python float: the scalar form, no array at all
        try:
            return np.float64(_SCALAR[name](value))
        except (ArithmeticError, ValueError):
            pass  # math refused what NumPy turns into inf or nan: the array path below
    elif kind is np.ndarray and value.dtype in _FLOATS:  # nothing to convert or check
        return evaluate(generated(name), [value], value.dtype, out=out, function=name)
    if out is None and kind is not list and kind is not float:
        number = scalar_call(name, value)
        if number is not None:
            return number
    xp = foreign_namespace(name, **{argument: value})
    if xp is not None:  # a PyTorch, JAX, Dask... array: the same form in its own operations
        if out is not None:
            raise TypeError(f"{name}: out= takes NumPy arrays; got a {type(value).__name__}")
        return generated(name).xp(xp, real_floating(name, argument, xp, value))
    (array,), dtype = as_float_arrays(name, **{argument: value})
    return evaluate(generated(name), [array], dtype, out=out, function=name)


def sigmoid(z: ArrayLike, *, out: np.ndarray | None = None) -> Any:
    """The logistic sigmoid 1/(1 + e^-z), accurate in both tails.

    >>> sigmoid([-800.0, 0.0, 2.0])
    array([0.        , 0.5       , 0.88079708])
    >>> import numpy as np
    >>> sigmoid(np.float32(1.0)).dtype
    dtype('float32')
    >>> out = np.empty(2)
    >>> sigmoid([0.0, 2.0], out=out) is out
    True
    >>> sigmoid([0.0, 2.0], out=np.empty(3))
    Traceback (most recent call last):
    ...
    ValueError: sigmoid: out must have shape (2,) and dtype float64, the result's; got ...
    """
    return _unary("sigmoid", "z", z, out)


def sigmoid_derivative(z: ArrayLike, *, out: np.ndarray | None = None) -> Any:
    """The sigmoid's derivative sigma(z)(1 - sigma(z)), without cancellation.

    >>> sigmoid_derivative([0.0, 40.0])
    array([2.50000000e-01, 4.24835426e-18])
    """
    return _unary("sigmoid_derivative", "z", z, out)


def log_sigmoid(z: ArrayLike, *, out: np.ndarray | None = None) -> Any:
    """ln sigma(z) = -ln(1 + e^-z), finite for every finite z.

    >>> log_sigmoid([-1000.0, 0.0, 40.0])
    array([-1.00000000e+03, -6.93147181e-01, -4.24835426e-18])
    """
    return _unary("log_sigmoid", "z", z, out)


def softplus(z: ArrayLike, *, out: np.ndarray | None = None) -> Any:
    """ln(1 + e^z), finite for every finite z.

    >>> softplus([-40.0, 0.0, 1000.0])
    array([4.24835426e-18, 6.93147181e-01, 1.00000000e+03])
    """
    return _unary("softplus", "z", z, out)


def logit(p: ArrayLike, *, out: np.ndarray | None = None) -> Any:
    """The log-odds ln(p/(1 - p)), the inverse of the sigmoid, for p in [0, 1].

    logit(0) is -inf and logit(1) is +inf, the limits; values outside [0, 1]
    raise ValueError.

    >>> logit([0.5, 0.75, 1.0])
    array([0.        , 1.09861229,        inf])
    >>> logit(1.5)
    Traceback (most recent call last):
    ...
    ValueError: logit: p must lie in [0, 1]; got 1.5 at index ()
    """
    if out is None and type(p) is float and 0.0 <= p <= 1.0:
        number = scalar_call("logit", p)
        if number is not None:
            return number
    result = foreign_kernel("logit", "logit", out, {"p": (0.0, 1.0)}, p=p)
    if result is not None:
        return result
    (array,), dtype = as_float_arrays("logit", p=p)
    bounds = [in_range("logit", "p", [array], 0, 0.0, 1.0)]
    return evaluate(generated("logit"), [array], dtype, out=out, function="logit", bounds=bounds)


__getattr__ = renamed(__name__, globals())  # the names of 0.1, deprecated
