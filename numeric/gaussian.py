"""The posterior of a Gaussian class in NumPy, from the verified derivations.

``gaussian_posterior`` is the result of the ``gaussian-posterior`` derivation,
sigma((mu1 - mu0) (x - (mu0 + mu1)/2) / s^2 + ln(pi1/pi0)), lambdified with the
sigmoid's stable form, so it stays accurate where both densities underflow and
Bayes' rule in floating point gives 0/0. ``gaussian_posterior_multivariate``
evaluates the argument that ``gaussian-posterior-multivariate`` verifies,
w^T (x - (mu0 + mu1)/2) + ln(pi1/pi0) with w = Sigma^-1 (mu1 - mu0), through a
Cholesky factorisation. ``gaussian_posterior_unequal_variance`` is the result
of ``gaussian-posterior-unequal-variance``. Priors are pi1 and pi0 = 1 - pi1.

Accuracy: the posterior is sigma(t), whose relative condition number is
|t| sigma(-t). Counting one rounding (of u = 2^-53) per operation, the
computed t is off by at most u (5 |q| + |x - mu0/2| |d| / s^2 + 2 + 8 |L| + |t|),
with q = d h / s^2 the product term, d = mu1 - mu0, h = x - mu0/2 - mu1/2
(its first subtraction rounds x - mu0/2) and L = ln(pi1/pi0) (numpy's log
allowed 4 ULPs). The error in ULPs is then at most the sigmoid's own 4
plus sigma(-t) times that bracket. With equal priors and h not much smaller
than x this is about 4 + 6 |t| sigma(-t): at most a few ULPs where P >= 1/2
(1 ULP measured), growing with |t| in the left tail, where P is that
sensitive to its inputs. tests/test_gaussian_numeric.py checks the bound
against Bayes' rule in mpmath, in float64 and float32.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from numeric._codegen import evaluate, generated
from numeric._namespace import foreign_kernel
from numeric._validation import (
    as_float_arrays,
    broadcast_shape,
    require_finite,
    require_in_range,
)
from numeric.activations import sigmoid

__all__ = [
    "gaussian_posterior",
    "gaussian_posterior_multivariate",
    "gaussian_posterior_unequal_variance",
]


# Arrays of other libraries (PyTorch, JAX, Dask...) run the kernel's xp form with their own
# operations: pi1 is checked to lie in [0, 1] (lazily for Dask), but not the spreads' sign,
# the finiteness of the inputs, nor are huge inputs rescaled as for NumPy input.
_PRIOR = {"pi1": (0.0, 1.0)}


def _check_priors(function: str, pi1: np.ndarray) -> None:
    require_finite(function, "pi1", pi1)
    bad = (pi1 <= 0) | (pi1 >= 1)
    if np.any(bad):
        index = np.unravel_index(np.argmax(bad), pi1.shape) if pi1.ndim else ()
        raise ValueError(
            f"{function}: pi1 must lie strictly between 0 and 1; "
            f"got {pi1[index]!r} at index {index}"
        )


def _check_spread(function: str, name: str, s: np.ndarray) -> None:
    require_finite(function, name, s)
    bad = s <= 0
    if np.any(bad):
        index = np.unravel_index(np.argmax(bad), s.shape) if s.ndim else ()
        raise ValueError(f"{function}: {name} must be positive; got {s[index]!r} at index {index}")


def _balanced(
    x: np.ndarray, mu0: np.ndarray, mu1: np.ndarray, s: np.ndarray
) -> tuple[np.ndarray, ...]:
    """x, mu0, mu1 and s times one power of two per element, which leaves the posterior as is.

    The power makes the largest of |x|, |mu0|, |mu1| and the spread reciprocal,
    so that their products and s^2 stay inside the exponent range unless the
    posterior is 0 or 1 to the last bit; it never lets the largest pass a
    quarter of the range's top. Multiplying by a power of two is exact, and the
    posterior does not depend on the unit of x (gaussian-decision-boundary).
    """
    largest = np.maximum(np.maximum(np.abs(x), np.abs(mu0)), np.abs(mu1))
    top = np.frexp(largest)[1]
    shift = np.minimum(-((top + np.frexp(s)[1]) // 2), np.finfo(x.dtype).maxexp - 2 - top)
    return tuple(np.ldexp(v, shift).astype(x.dtype, copy=False) for v in (x, mu0, mu1, s))


def _needs_scaling(values: list[np.ndarray], s: np.ndarray) -> bool:
    """False when no product of two inputs, nor one over s^2, can leave the normal range."""
    if not s.size or not all(v.size for v in values):
        return False
    limit = np.finfo(s.dtype).maxexp // 5  # 204 for float64, 25 for float32
    top = max(int(np.frexp(np.max(np.abs(v)))[1]) for v in values)
    spread = [int(np.frexp(np.min(s))[1]), int(np.frexp(np.max(s))[1])]
    return top > limit or max(abs(e) for e in spread) > limit


def gaussian_posterior(
    x: ArrayLike, mu0: ArrayLike, mu1: ArrayLike, s: ArrayLike, pi1: ArrayLike = 0.5
) -> Any:
    """P(C1 | x) for Gaussian classes with means mu0, mu1, one spread s, and prior pi1 of class 1.

    Broadcasts over all arguments; float32 stays float32. Exact to the
    sigmoid's 4 ULPs plus the conditioning of the problem (module docstring).

    >>> gaussian_posterior([-800.0, 0.0, 800.0], mu0=-1.0, mu1=1.0, s=1.5)
    array([1.47356204e-309, 5.00000000e-001, 1.00000000e+000])
    >>> float(gaussian_posterior(0.0, -1.0, 1.0, 1.5, pi1=0.8))
    0.8
    >>> gaussian_posterior(0.0, -1.0, 1.0, s=0.0)
    Traceback (most recent call last):
    ...
    ValueError: gaussian_posterior: s must be positive; got np.float64(0.0) at index ()
    """
    name = "gaussian_posterior"
    result = foreign_kernel(name, name, None, _PRIOR, x=x, mu0=mu0, mu1=mu1, s=s, pi1=pi1)
    if result is not None:
        return result
    (x, mu0, mu1, s, pi1), dtype = as_float_arrays(name, x=x, mu0=mu0, mu1=mu1, s=s, pi1=pi1)
    broadcast_shape(name, x=x, mu0=mu0, mu1=mu1, s=s, pi1=pi1)
    for label, value in (("x", x), ("mu0", mu0), ("mu1", mu1)):
        require_finite(name, label, value)
    _check_spread(name, "s", s)
    _check_priors(name, pi1)
    if not _needs_scaling([x, mu0, mu1], s):
        return evaluate(generated("gaussian_posterior"), [x, mu0, mu1, s, pi1], dtype)
    x, mu0, mu1, s = _balanced(x, mu0, mu1, s)
    # Overflow here means |t| beyond the float range, where sigma(t) is 0 or 1 exactly. The
    # one 0 * inf or 0/0 left is where (mu1 - mu0)(x - midpoint) is exactly 0: then t is
    # ln(pi1/pi0) and the posterior is pi1.
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        posterior = evaluate(generated("gaussian_posterior"), [x, mu0, mu1, s, pi1], dtype)
    undefined = np.isnan(posterior)
    if np.any(undefined):
        posterior = np.where(undefined, np.broadcast_to(pi1, np.shape(posterior)), posterior)
        posterior = posterior.astype(dtype, copy=False)[()]
    return posterior


def gaussian_posterior_unequal_variance(
    x: ArrayLike,
    mu0: ArrayLike,
    mu1: ArrayLike,
    s0: ArrayLike,
    s1: ArrayLike,
    pi1: ArrayLike = 0.5,
) -> Any:
    """P(C1 | x) when class 0 has spread s0 and class 1 spread s1: a sigmoid of a quadratic.

    Lambdified from the result of gaussian-posterior-unequal-variance. The
    quadratic's terms (x^2/s^2 and the like) stay finite for |x|, |mu0|,
    |mu1| at most B and spreads in [1/B, B], with B = 2**(maxexp/8) (3.4e38 for
    float64, 65536 for float32); values outside raise ValueError.

    >>> gaussian_posterior_unequal_variance([-30.0, 0.0, 30.0], 0.0, 0.0, 1.0, 2.0)
    array([1.        , 0.33333333, 1.        ])
    """
    name = "gaussian_posterior_unequal_variance"
    values = {"x": x, "mu0": mu0, "mu1": mu1, "s0": s0, "s1": s1, "pi1": pi1}
    result = foreign_kernel(name, name, None, _PRIOR, **values)
    if result is not None:
        return result
    arrays, dtype = as_float_arrays(name, x=x, mu0=mu0, mu1=mu1, s0=s0, s1=s1, pi1=pi1)
    x, mu0, mu1, s0, s1, pi1 = arrays
    broadcast_shape(name, x=x, mu0=mu0, mu1=mu1, s0=s0, s1=s1, pi1=pi1)
    bound = 2.0 ** (np.finfo(dtype).maxexp // 8)
    for label, value in (("x", x), ("mu0", mu0), ("mu1", mu1)):
        require_finite(name, label, value)
        require_in_range(name, label, value, -bound, bound)
    for label, value in (("s0", s0), ("s1", s1)):
        _check_spread(name, label, value)
        require_in_range(name, label, value, 1 / bound, bound)
    _check_priors(name, pi1)
    return evaluate(generated("gaussian_posterior_unequal_variance"), arrays, dtype)


def _symmetric_positive_definite(name: str, sigma: np.ndarray, d: int) -> np.ndarray:
    """The lower Cholesky factor of sigma, or a ValueError saying what is wrong."""
    if sigma.shape != (d, d):
        raise ValueError(f"{name}: sigma must have shape ({d}, {d}); got {sigma.shape}")
    require_finite(name, "sigma", sigma)
    scale = np.max(np.abs(sigma)) if sigma.size else 0.0
    # sigma built as A @ A.T can differ from its transpose by a rounding or two per entry.
    tolerance = 8 * d * np.finfo(sigma.dtype).eps * scale
    asymmetry = np.max(np.abs(sigma - sigma.T)) if sigma.size else 0.0
    if asymmetry > tolerance:
        raise ValueError(
            f"{name}: sigma must be symmetric; sigma - sigma.T reaches {asymmetry:.3g}"
        )
    try:
        return np.linalg.cholesky((sigma + sigma.T) / 2)
    except np.linalg.LinAlgError:
        raise ValueError(f"{name}: sigma must be positive definite") from None


def gaussian_posterior_multivariate(
    x: ArrayLike, mu0: ArrayLike, mu1: ArrayLike, sigma: ArrayLike, pi1: ArrayLike = 0.5
) -> Any:
    """P(C1 | x) for d-dimensional Gaussian classes sharing the covariance ``sigma``.

    ``x`` has shape (..., d): one point per row; ``mu0`` and ``mu1`` shape (d,);
    ``sigma`` (d, d), symmetric positive definite; ``pi1`` broadcasts against
    x's leading shape. Returns an array of shape x.shape[:-1].

    >>> sigma = [[2.0, 0.5], [0.5, 1.0]]
    >>> gaussian_posterior_multivariate([[0.0, 0.0], [400.0, 0.0]], [-1.0, 0.0], [1.0, 0.0], sigma)
    array([0.5, 1. ])
    >>> not_positive = [[1.0, 2.0], [2.0, 1.0]]
    >>> gaussian_posterior_multivariate([0.0, 0.0], [-1.0, 0.0], [1.0, 0.0], not_positive)
    Traceback (most recent call last):
    ...
    ValueError: gaussian_posterior_multivariate: sigma must be positive definite
    """
    name = "gaussian_posterior_multivariate"
    (x, mu0, mu1, sigma, pi1), dtype = as_float_arrays(
        name, x=x, mu0=mu0, mu1=mu1, sigma=sigma, pi1=pi1
    )
    if x.ndim < 1:
        raise ValueError(f"{name}: x must have shape (..., d), one point per row; got a scalar")
    d = x.shape[-1]
    for label, mean in (("mu0", mu0), ("mu1", mu1)):
        if mean.shape != (d,):
            raise ValueError(
                f"{name}: {label} must have shape ({d},) like a row of x; got {mean.shape}"
            )
        require_finite(name, label, mean)
    require_finite(name, "x", x)
    _check_priors(name, pi1)
    try:
        np.broadcast_shapes(x.shape[:-1], pi1.shape)
    except ValueError:
        raise ValueError(
            f"{name}: pi1 of shape {pi1.shape} does not broadcast against the leading shape "
            f"{x.shape[:-1]} of x (one prior per point, or one for all)"
        ) from None
    lower = _symmetric_positive_definite(name, sigma, d)
    # w = Sigma^-1 (mu1 - mu0) through the Cholesky factor: Sigma = L L^T.
    weights = np.linalg.solve(lower.T, np.linalg.solve(lower, mu1 - mu0))
    if not np.all(np.isfinite(weights)):
        raise ValueError(f"{name}: sigma is too close to singular for sigma^-1 (mu1 - mu0)")
    midpoint = mu0 / 2 + mu1 / 2
    with np.errstate(over="ignore"):
        score = (x - midpoint) @ weights + np.log(pi1 / (1 - pi1))
    if np.any(np.isnan(score)):
        raise ValueError(f"{name}: w^T (x - midpoint) overflows; rescale x, the means and sigma")
    return sigmoid(score.astype(dtype, copy=False))
