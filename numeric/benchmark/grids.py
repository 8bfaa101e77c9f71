"""The benchmark's accuracy grids (fixed, reaching the tails) and their mpmath references."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np

__all__ = ["DIGITS"]

DIGITS = 500  # sigma(z) - 1 and ln(1 + e^z) - z cancel ~z/2.3 digits; |z| <= 1000 on the grid


def sweep(limit: float = 1000.0, count: int = 200) -> np.ndarray:
    """Every magnitude from 1e-300 to ``limit``, both signs, 0, and a linear sweep."""
    positive = 10.0 ** np.linspace(-300, np.log10(limit), count)
    linear = np.linspace(-limit, limit, count)
    return np.unique(np.concatenate([-positive, [0.0], positive, linear]))


def elementwise(formula: Callable, outputs: int = 1) -> Callable[..., tuple[np.ndarray, ...]]:
    """A reference that evaluates ``formula`` (mpmath) at each grid point at DIGITS digits."""

    def reference(*columns: np.ndarray) -> tuple[np.ndarray, ...]:
        arrays = np.broadcast_arrays(*[np.asarray(c, dtype=np.float64) for c in columns])
        out = np.empty((outputs, *arrays[0].shape))
        with mpmath.workdps(DIGITS):
            for index in np.ndindex(arrays[0].shape):
                values = formula(*(mpmath.mpf(float(a[index])) for a in arrays))
                values = values if outputs > 1 else (values,)
                for k, v in enumerate(values):
                    out[(k, *index)] = float(v)
        return tuple(out)

    return reference


def sigma(t: Any) -> Any:
    return 1 / (1 + mpmath.exp(-t))


def targets_grid() -> tuple[np.ndarray, np.ndarray]:
    """z over the sweep, with targets 0 and 1 (the classification case) for each."""
    z = sweep()
    return np.concatenate([z, z]), np.concatenate([np.zeros(z.size), np.ones(z.size)])


def neuron_grid() -> tuple[np.ndarray, ...]:
    # x = 1 and b = 0, so that z = w x + b is exact and both gradients equal dC/dz.
    w, y = targets_grid()
    return np.ones(w.size), y, w, np.zeros(w.size)


def softmax_grid() -> tuple[np.ndarray]:
    t = sweep()
    return (np.stack([t, np.zeros_like(t), -t / 2], axis=1),)


def softmax_reference(z: np.ndarray) -> tuple[np.ndarray]:
    out = np.empty_like(z)
    with mpmath.workdps(DIGITS):
        for i, row in enumerate(z):
            weights = [mpmath.exp(mpmath.mpf(float(v))) for v in row]
            total = mpmath.fsum(weights)
            out[i] = [float(v / total) for v in weights]
    return (out,)


def batch_grid() -> tuple[np.ndarray, ...]:
    # Positive inputs and all targets 1: every residual sigma(z) - 1 is negative, so the
    # sums over examples are well conditioned and the error is the residual's. Rows up to
    # |z| ~ 1000 reach the tail where sigma(z) - 1 rounds to 0 in the naive form.
    rng = np.random.default_rng(20261123)
    X = np.abs(rng.normal(size=(64, 3)))
    X *= np.logspace(-1, 2.5, 64)[:, None]
    return X, np.ones(64), np.array([1.0, 2.0, 0.5]), 0.25


def batch_reference(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> tuple:
    with mpmath.workdps(DIGITS):
        residuals = []
        for row, target in zip(X, y, strict=True):
            z = mpmath.fsum(
                mpmath.mpf(float(u)) * mpmath.mpf(float(v)) for u, v in zip(row, w, strict=True)
            )
            residuals.append(sigma(z + mpmath.mpf(b)) - mpmath.mpf(float(target)))
        n = len(residuals)
        grad_w = [
            float(mpmath.fsum(r * mpmath.mpf(float(X[i, j])) for i, r in enumerate(residuals)) / n)
            for j in range(X.shape[1])
        ]
        grad_b = float(mpmath.fsum(residuals) / n)
    return np.array(grad_w), np.array(grad_b)


def swish_reference(t: Any) -> tuple:
    """swish t*sigma(t) and its derivative sigma(t) + t sigma(t) sigma(-t), in mpmath."""
    return t * sigma(t), sigma(t) + t * sigma(t) * sigma(-t)
