"""Helpers of the generated kernels (imported by numeric._generated, without SymPy).

:func:`param`: an operation on parameters only (such as a Gaussian's mean and variance, 0-d
in a block) computes one number instead of filling a block-sized buffer with it.

A kernel whose stable form reads ``Piecewise((safe, u < c), (fast, True))`` with ``c`` at
the edge of the float range (numeric._kernel: a "tail" Piecewise) evaluates ``fast`` over a
whole block, in fewer passes, and only where ``u < c`` (rare: ``u`` below -100) recomputes
the value with ``safe``, the form that is valid everywhere, through :func:`patch`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["param", "patch"]


def param(ufunc: np.ufunc, out: np.ndarray, *args: Any) -> Any:
    """``ufunc(*args)``: into ``out`` if an argument is an array, as one number if none is.

    >>> buffer = np.zeros(3)
    >>> param(np.add, buffer, np.float64(1.0), 2.0), buffer
    (np.float64(3.0), array([0., 0., 0.]))
    >>> param(np.add, buffer, np.ones(3), 2.0)
    array([3., 3., 3.])
    """
    for a in args:
        if type(a) is not float and a.ndim:
            return ufunc(*args, out=out)
    return ufunc(*args)


def patch(u: np.ndarray, c: float, target: np.ndarray, form: Callable, *leaves: Any) -> None:
    """``target[u < c] = form(numpy, *leaves at u < c)``, each leaf broadcast to ``target``.

    A positive ``c`` is an upper tail: the elements where ``u > c`` are patched.

    ``c`` is the float64 split, at the end of its range (e^700 of 1.8e308); float32's range
    ends at 3.4e38, about e^88.7, an eighth of the exponent: there the split is c/8. The
    derivation proves both forms equal for every z, so where they split is the numerics' choice.
    Nothing happens (and nothing is allocated) when no element is below the split.

    >>> target = np.array([1.0, 2.0, 3.0])
    >>> patch(np.array([-800.0, 0, -900]), -700.0, target, lambda xp, u: -u, np.array([5.0, 6, 7]))
    >>> target
    array([-5.,  2., -7.])
    >>> patch(np.array([800.0, 0, 0]), 700.0, target, lambda xp, u: -u, np.array([1.0, 1, 1]))
    >>> target
    array([-1.,  2., -7.])
    """
    if u.dtype == np.float32:
        c = c / 8
    # The common case: one reduction (fmin: a NaN elsewhere must not hide a tail), no mask.
    if c > 0:
        if not u.size or not np.fmax.reduce(u, axis=None) > c:
            return
        mask = np.broadcast_to(u > c, target.shape)
    else:
        if not u.size or not np.fmin.reduce(u, axis=None) < c:
            return
        mask = np.broadcast_to(u < c, target.shape)
    picked = [np.broadcast_to(leaf, target.shape)[mask] for leaf in leaves]
    target[mask] = form(np, *picked)
