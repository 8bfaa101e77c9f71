"""Distances in units of the last place (ULPs): the one measure of accuracy used everywhere."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["ulp_error"]


def ulp_error(got: ArrayLike, want: ArrayLike) -> NDArray[np.float64]:
    """|got - want| in units of the last place of ``want`` (in the dtype of ``got``).

    Equal infinities count 0; an infinity against a finite value, and nan, count inf.
    Below the smallest normal number, the unit is the subnormal spacing.

    >>> ulp_error([1.0, np.inf, np.nan], [1.0 + 2**-52, np.inf, 1.0])
    array([ 1.,  0., inf])
    >>> float(ulp_error(np.float32(1.0), 1.0 + 2**-23)[()])  # in float32 ULPs
    1.0
    """
    got = np.asarray(got)
    if got.dtype.kind != "f":
        got = got.astype(np.float64)
    want = np.asarray(want, dtype=got.dtype)
    both_inf = np.isinf(got) & np.isinf(want) & (np.sign(got) == np.sign(want))
    with np.errstate(invalid="ignore", over="ignore"):
        spacing = np.spacing(np.abs(want)).astype(np.float64)
        error = np.abs(got.astype(np.float64) - want.astype(np.float64)) / spacing
    error = np.where(both_inf, 0.0, error)
    return np.where(np.isnan(error) & ~both_inf, np.inf, error)
