"""The sigmoid family in NumPy, lambdified from the verified stable forms.

Each function is ``numeric._codegen.compile_kernel`` applied to a right-hand
side of the ``stable-forms`` derivation, which SymPy has proven equal to the
textbook formula. They broadcast, keep float32 as float32, and never overflow.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from numpy.typing import ArrayLike

from numeric._codegen import compile_kernel, evaluate
from numeric._validation import as_float_arrays, require_in_range

__all__ = ["log_sigmoid", "logit", "sigmoid", "sigmoid_prime", "softplus"]


@cache
def _kernel(name: str):
    from derivations.topics.sigmoid import STABLE_FORMS

    args, _, stable, _ = STABLE_FORMS[name]
    return compile_kernel(stable, args)


def _unary(name: str, argument: str, value: ArrayLike) -> Any:
    (array,), dtype = as_float_arrays(name, **{argument: value})
    return evaluate(_kernel(name), [array], dtype)


def sigmoid(z: ArrayLike) -> Any:
    """The logistic sigmoid 1/(1 + e^-z), accurate in both tails.

    >>> sigmoid([-800.0, 0.0, 2.0])
    array([0.        , 0.5       , 0.88079708])
    >>> import numpy as np
    >>> sigmoid(np.float32(1.0)).dtype
    dtype('float32')
    """
    return _unary("sigmoid", "z", z)


def sigmoid_prime(z: ArrayLike) -> Any:
    """The sigmoid's derivative sigma(z)(1 - sigma(z)), without cancellation.

    >>> sigmoid_prime([0.0, 40.0])
    array([2.50000000e-01, 4.24835426e-18])
    """
    return _unary("sigmoid_prime", "z", z)


def log_sigmoid(z: ArrayLike) -> Any:
    """ln sigma(z) = -ln(1 + e^-z), finite for every finite z.

    >>> log_sigmoid([-1000.0, 0.0, 40.0])
    array([-1.00000000e+03, -6.93147181e-01, -4.24835426e-18])
    """
    return _unary("log_sigmoid", "z", z)


def softplus(z: ArrayLike) -> Any:
    """ln(1 + e^z), finite for every finite z.

    >>> softplus([-40.0, 0.0, 1000.0])
    array([4.24835426e-18, 6.93147181e-01, 1.00000000e+03])
    """
    return _unary("softplus", "z", z)


def logit(p: ArrayLike) -> Any:
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
    (array,), dtype = as_float_arrays("logit", p=p)
    require_in_range("logit", "p", array, 0.0, 1.0)
    return evaluate(_kernel("logit"), [array], dtype)
