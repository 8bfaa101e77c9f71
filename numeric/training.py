"""Plain gradient descent, and the classic training demonstrations."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["gradient_descent"]


def gradient_descent(
    grad: Callable[[np.ndarray], np.ndarray], x0, *, lr: float, steps: int
) -> np.ndarray:
    """Iterate x <- x - lr * grad(x); return every iterate, x0 first (steps + 1 rows).

    >>> gradient_descent(lambda x: 2 * x - 4, 8.0, lr=0.1, steps=3)
    array([8.   , 6.8  , 5.84 , 5.072])
    """
    if not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"gradient_descent: steps must be a non-negative integer, got {steps!r}")
    if not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"gradient_descent: lr must be positive and finite, got {lr!r}")
    x = np.asarray(x0, dtype=np.float64)
    iterates = np.empty((steps + 1, *x.shape))
    iterates[0] = x
    for k in range(steps):
        x = x - lr * np.asarray(grad(x), dtype=np.float64)
        iterates[k + 1] = x
    return iterates
