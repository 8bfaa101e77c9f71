"""Helpers of the generated kernels (imported by numeric._generated, without SymPy).

:func:`param`: an operation on parameters only (such as a Gaussian's mean and variance, 0-d
in a block) computes one number instead of filling a block-sized buffer with it.

A kernel whose stable form reads ``Piecewise((safe, u < c), (fast, True))`` with ``c`` at
the edge of the float range (numeric._kernel: a "tail" Piecewise) evaluates ``fast`` over a
whole block, in fewer passes, and only where ``u < c`` (rare: ``u`` below -100) recomputes
the value with ``safe``, the form that is valid everywhere: :func:`mask` finds those elements,
:func:`patch` recomputes them. A block gets there only after its fast form alone raised a
floating-point error (numeric._codegen.Kernel), as ``fast`` does a little beyond the split.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["mask", "param", "patch"]


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


def mask(u: np.ndarray, c: float) -> np.ndarray | None:
    """Where the tail is: ``u < c`` for a split ``c < 0``, ``u > c`` for ``c > 0``; None if nowhere.

    ``c`` is the float64 split, at the end of its range (e^700 of 1.8e308); float32's range
    ends at 3.4e38, about e^88.7, an eighth of the exponent: there the split is c/8. The
    derivation proves both forms equal for every z, so where they split is the numerics' choice.
    It costs one reduction (fmin or fmax: a NaN elsewhere must not hide a tail): a block gets
    here only where its fast form raised, so this is the rare path. A kernel tests ``u`` as
    soon as it is computed, so that its buffer is free for the rest of the block (``-z`` of
    ``e^-z``, say, overwritten by ``e^-z``).

    >>> mask(np.array([-800.0, 0, -900]), -700.0)
    array([ True, False,  True])
    >>> print(mask(np.array([800.0, 0]), -700.0), mask(np.array([800.0, 0]), 700.0))
    None [ True False]
    """
    if u.dtype == np.float32:
        c = c / 8
    if c < 0:
        return u < c if u.size and np.fmin.reduce(u, axis=None) < c else None
    return u > c if u.size and np.fmax.reduce(u, axis=None) > c else None


def patch(where: np.ndarray | None, target: np.ndarray, form: Callable, *leaves: Any) -> None:
    """``target[where] = form(numpy, *leaves at where)``, each leaf broadcast to ``target``.

    ``where`` is :func:`mask`'s answer: nothing happens (and nothing is allocated) for None.

    >>> target = np.array([1.0, 2.0, 3.0])
    >>> where = mask(np.array([-800.0, 0, -900]), -700.0)
    >>> patch(where, target, lambda xp, u: -u, np.array([5.0, 6, 7]))
    >>> target
    array([-5.,  2., -7.])
    """
    if where is None:
        return
    where = np.broadcast_to(where, target.shape)
    picked = [np.broadcast_to(leaf, target.shape)[where] for leaf in leaves]
    target[where] = form(np, *picked)
