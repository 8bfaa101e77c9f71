"""Seven S-curves squashed into (0, 1), their losses -ln p(x) and the slopes of those losses.

Each function runs a kernel generated (numeric._generated) from the forms that the
``squashing-tails`` derivation (and, for the logistic and tanh curves, ``stable-forms`` and
``squashing-functions``) verifies equal to the textbook ones
(``derivations.topics.squashing.kernels()``): on the wrong side (x < 0) the small
probability q = p(x) and its logarithm are computed directly, on the right side
1 - p = q(|x|) is, so the tails keep their digits all the way to the ends of the float range.
The argument x is what the document calls z, a unit's weighted input.

Where the exact loss exceeds the largest float (tanh below -8.99e307, erf below -1.34e154,
where it is about x^2) the loss is inf, as rounding the exact value gives; everywhere else
every result is finite. Far on the right side a probability, loss or slope below the
smallest float is 0, and below the smallest normal float (2.2e-308) it is subnormal and
carries fewer digits, as in NumPy's own functions.

>>> squash("arctan", [-1e300, 0.0, 1e300])
array([3.18309886e-301, 5.00000000e-001, 1.00000000e+000])
>>> loss("erf", -30.0), loss("erf", -1e5)
(np.float64(904.6672642912038), np.float64(10000000012.778439))
>>> loss_slope("softsign", -1e9), loss_slope("gudermannian", -1e9)
(np.float64(-9.99999999e-10), np.float64(-1.0))
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from numeric._codegen import evaluate, generated
from numeric._namespace import foreign_kernel
from numeric._validation import as_float_arrays

__all__ = ["NAMES", "loss", "loss_slope", "squash"]

# The order of the issue and of the derivations (derivations.topics.curves.CURVES).
NAMES = ("logistic", "tanh", "arctan", "algebraic", "erf", "softsign", "gudermannian")


def _apply(function: str, part: str, name: str, x: ArrayLike) -> Any:
    if name not in NAMES:
        raise ValueError(f"{function}: unknown curve {name!r}; known: {', '.join(NAMES)}")
    result = foreign_kernel(function, f"{name}_{part}", x=x)
    if result is not None:  # the curves with an array-API form (TypeError for the others)
        return result
    (array,), dtype = as_float_arrays(function, x=x)
    # 2x (tanh) and x**2 (erf) overflow only where the exact loss does, or where the
    # result is already its limit (the slope of tanh at |x| > 9e307): that is not an error.
    with np.errstate(over="ignore"):
        return evaluate(generated(f"{name}_{part}"), [array], dtype)


def squash(name: str, x: ArrayLike) -> Any:
    """p(x), the named S-curve squashed into (0, 1); ``name`` is one of NAMES.

    >>> squash("tanh", [-1.0, 0.0, 1.0])
    array([0.11920292, 0.5       , 0.88079708])
    >>> squash("gudermannian", np.float32(-30.0))
    np.float32(5.957248e-14)
    """
    return _apply("squash", "p", name, x)


def loss(name: str, x: ArrayLike) -> Any:
    """-ln p(x), the loss of the named curve for a target of 1.

    >>> loss("logistic", [-1000.0, 0.0, 40.0])
    array([1.00000000e+03, 6.93147181e-01, 4.24835426e-18])
    >>> loss("softsign", 1e300)
    np.float64(5e-301)
    """
    return _apply("loss", "loss", name, x)


def loss_slope(name: str, x: ArrayLike) -> Any:
    """dL/dx for L = -ln p(x): the gradient that a target of 1 sends back through the curve.

    >>> loss_slope("logistic", [-50.0, 0.0, 50.0])
    array([-1.00000000e+00, -5.00000000e-01, -1.92874985e-22])
    >>> print(f"{loss_slope('erf', -20.0):.10f}")
    -40.0498757741
    >>> loss_slope("sine", 0.0)
    Traceback (most recent call last):
    ...
    ValueError: loss_slope: unknown curve 'sine'; known: logistic, tanh, arctan, ...
    """
    return _apply("loss_slope", "slope", name, x)
