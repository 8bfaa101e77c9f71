"""Public names renamed in 0.2, kept for one release with a DeprecationWarning.

The new names say what each function gives: ``*_derivative`` the derivative of a function
of one variable, ``*_gradient`` the gradient (dC/dw, dC/db) of one example, ``*_mean_gradient``
its mean over a batch, ``finite_difference`` a finite-difference estimate.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

__all__ = ["RENAMED", "renamed"]

RENAMED = {
    "sigmoid_prime": "sigmoid_derivative",
    "mse_grad": "mse_gradient",
    "bce_grad": "bce_gradient",
    "mse_grad_batch": "mse_mean_gradient",
    "bce_grad_batch": "bce_mean_gradient",
    "derivative": "finite_difference",
}


def renamed(module: str, namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that answers an old name with the new one, and warns.

    >>> import numeric.activations as activations
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     activations.sigmoid_prime is activations.sigmoid_derivative
    True
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    numeric.activations.sigmoid_prime is deprecated and goes in the next release:
    use numeric.activations.sigmoid_derivative
    """

    def __getattr__(name: str) -> Any:
        new = RENAMED.get(name)
        if new is None or new not in namespace:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        warnings.warn(
            f"{module}.{name} is deprecated and goes in the next release: use {module}.{new}",
            DeprecationWarning,
            stacklevel=2,
        )
        return namespace[new]

    return __getattr__
