"""Reference values by an independent route: mpmath at high precision, and ULP distances.

Tests compare the toolkit's float results with values computed here from the
textbook formula in mpmath at 60 digits, rounded once to the tested dtype.
"""

from __future__ import annotations

from collections.abc import Callable

import mpmath
import numpy as np

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


def ulp_error(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    """|got - want| in units of the last place of ``want`` (in the dtype of ``got``).

    Equal infinities count 0; an infinity against a finite value counts inf.
    Below the smallest normal number, the unit is the subnormal spacing.
    """
    got = np.asarray(got)
    want = np.asarray(want, dtype=got.dtype)
    both_inf = np.isinf(got) & np.isinf(want) & (np.sign(got) == np.sign(want))
    with np.errstate(invalid="ignore", over="ignore"):
        spacing = np.spacing(np.abs(want))
        error = np.abs(got.astype(np.float64) - want.astype(np.float64)) / spacing.astype(
            np.float64
        )
    error = np.where(both_inf, 0.0, error)
    return np.where(np.isnan(error) & ~both_inf, np.inf, error)


def magnitudes(limit: float, count: int = 400) -> np.ndarray:
    """A sweep of every magnitude from 1e-300 to ``limit``, both signs, and 0: the tails included."""
    logs = np.linspace(-300, np.log10(limit), count)
    positive = 10.0**logs
    linear = np.linspace(-limit, limit, count)
    return np.unique(np.concatenate([-positive, [0.0], positive, linear]))
