"""erfc and the scaled erfcx = exp(t^2) erfc(t) for t >= 0, and exp(-t^2), to a few ULPs.

NumPy has no error function (SciPy is not a dependency). The method:

- t < 6: a Taylor polynomial of degree 16 about the centre of each interval of width 1/4.
  erfcx solves f' = 2 t f - 2/sqrt(pi), so its Taylor coefficients about c follow from
  f(c) by the recurrence (k + 1) a[k+1] = 2 c a[k] + 2 a[k-1]. They are computed once, with
  mpmath at 120 digits (the recurrence loses up to 30 of them), and rounded to float64.
  With |t - c| <= 1/8 the truncation error is below 1e-18 relative.
- t >= 6: Laplace's continued fraction erfcx(t) = 1/(sqrt(pi) (t + (1/2)/(t + 1/(t +
  (3/2)/(t + ...))))), 20 levels deep, which converges to 1e-21 or better there.

erfc(t) = erfcx(t) exp(-t^2) with t^2 split exactly into hi + lo (Veltkamp), so that the
rounding of t^2, magnified by t^2 in exp, costs nothing. Both functions take arrays of
float32 or float64 (t >= 0, NaN passes through), compute in float64 and return the input's
dtype.
"""

from __future__ import annotations

from functools import cache

import numpy as np

__all__ = ["erfc", "erfcx", "exp_minus_square"]

_WIDTH = 0.25
_TAYLOR_END = 6.0
_DEGREE = 16
_DEPTH = 20
_ONE_OVER_SQRT_PI = 0.5641895835477563  # 1/sqrt(pi) rounded to float64 (tests check it)


@cache
def _coefficients() -> np.ndarray:
    """Taylor coefficients of erfcx, one row per interval [j w, (j + 1) w), centre (j + 1/2) w."""
    import mpmath  # here, not at import: numeric's import stays light

    rows = []
    with mpmath.workdps(120):
        two_over_sqrt_pi = 2 / mpmath.sqrt(mpmath.pi)
        for j in range(int(_TAYLOR_END / _WIDTH)):
            c = (j + mpmath.mpf(1) / 2) * mpmath.mpf(_WIDTH)
            a = [mpmath.exp(c * c) * mpmath.erfc(c)]
            a.append(2 * c * a[0] - two_over_sqrt_pi)
            for k in range(1, _DEGREE):
                a.append((2 * c * a[k] + 2 * a[k - 1]) / (k + 1))
            rows.append([float(v) for v in a])
    return np.array(rows)


def _taylor(t: np.ndarray) -> np.ndarray:
    table = _coefficients()
    index = np.minimum((t / _WIDTH).astype(np.intp), len(table) - 1)
    h = t - (index + 0.5) * _WIDTH
    rows = table[index]
    result = rows[:, _DEGREE]
    for k in range(_DEGREE - 1, -1, -1):
        result = result * h + rows[:, k]
    return result


def _continued_fraction(t: np.ndarray) -> np.ndarray:
    r = t.copy()
    for n in range(_DEPTH, 0, -1):
        r = t + (0.5 * n) / r
    return _ONE_OVER_SQRT_PI / r  # not 1/(sqrt(pi) r): that product overflows at 1e308


def erfcx(t: np.ndarray) -> np.ndarray:
    """exp(t^2) erfc(t) for t >= 0.

    >>> erfcx(np.array([0.0, 1.0, 1e300]))
    array([1.00000000e+000, 4.27583576e-001, 5.64189584e-301])
    """
    t = np.asarray(t)
    wide = t.astype(np.float64)
    out = np.empty_like(wide)
    near = wide < _TAYLOR_END
    out[near] = _taylor(wide[near])
    far = ~near
    out[far] = _continued_fraction(wide[far])  # NaN lands here and stays NaN
    return out.astype(t.dtype, copy=False) if t.dtype == np.float32 else out


def exp_minus_square(t: np.ndarray) -> np.ndarray:
    """exp(-t^2), with t^2 split exactly so that its rounding, magnified t^2 times, does not count.

    >>> float(exp_minus_square(np.array(20.0))) == float(np.exp(-400.0))
    True
    """
    t = np.asarray(t)
    # Beyond 28, exp(-t^2) is 0 in float64: clip so that t*t cannot overflow.
    wide = np.minimum(np.abs(t.astype(np.float64)), 28.0)
    split = 134217729.0 * wide  # 2**27 + 1
    high = split - (split - wide)
    low = wide - high
    square = wide * wide
    error = ((high * high - square) + 2 * high * low) + low * low  # wide**2 = square + error
    out = np.exp(-square) * (1.0 - error)
    return out.astype(t.dtype, copy=False) if t.dtype == np.float32 else out


def erfc(t: np.ndarray) -> np.ndarray:
    """The complementary error function for t >= 0; it underflows to 0 beyond t = 27.3.

    >>> erfc(np.array([0.0, 1.0, 10.0, 30.0]))
    array([1.00000000e+00, 1.57299207e-01, 2.08848758e-45, 0.00000000e+00])
    """
    t = np.asarray(t)
    wide = t.astype(np.float64)
    out = erfcx(wide) * exp_minus_square(wide)
    return out.astype(t.dtype, copy=False) if t.dtype == np.float32 else out
