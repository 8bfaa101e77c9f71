"""Reference values by an independent route: mpmath at high precision, and ULP distances.

Tests compare the toolkit's float results with values computed here from the
textbook formula in mpmath at 60 digits, rounded once to the tested dtype. ``ulp_error`` is
numeric's own (numeric._ulp), which the benchmark uses too.
"""

from __future__ import annotations

from collections.abc import Callable

import mpmath
import numpy as np

from numeric._ulp import ulp_error

__all__ = ["DIGITS", "magnitudes", "reference", "ulp_error"]

DIGITS = 60


def reference(formula: Callable, *columns, dtype=np.float64) -> np.ndarray:
    """``formula`` (written with mpmath functions) at each point, at DIGITS digits.

    The result is rounded to ``dtype``; +-inf stays infinite.
    """
    arrays = np.broadcast_arrays(*[np.asarray(c, dtype=np.float64) for c in columns])
    out = np.empty(arrays[0].shape, dtype=np.float64)
    with mpmath.workdps(DIGITS):
        for index in np.ndindex(out.shape):
            args = [mpmath.mpf(float(a[index])) for a in arrays]
            out[index] = float(formula(*args))
    return out.astype(dtype)


def magnitudes(limit: float, count: int = 400) -> np.ndarray:
    """A sweep of every magnitude from 1e-300 to ``limit``, both signs, and 0: the tails included."""
    logs = np.linspace(-300, np.log10(limit), count)
    positive = 10.0**logs
    linear = np.linspace(-limit, limit, count)
    return np.unique(np.concatenate([-positive, [0.0], positive, linear]))
