"""NumPy functions lambdified from the verified derivations, and tools to check gradients.

Names are imported on first use, so ``import numeric`` stays fast.

>>> import numeric
>>> float(numeric.sigmoid(0.0))
0.5
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from numeric.errors import DerivativeMismatch, NotComplexAnalytic, NumericError

# public name -> the module that defines it
_EXPORTS = {
    "sigmoid": "numeric.activations",
    "sigmoid_prime": "numeric.activations",
    "log_sigmoid": "numeric.activations",
    "logit": "numeric.activations",
    "softplus": "numeric.activations",
    "derivative": "numeric.finite_differences",
    "check_derivative": "numeric.finite_differences",
    "check_gradient": "numeric.finite_differences",
    "plot_derivative": "numeric.figures.derivative_plot",
    "gaussian_posterior": "numeric.gaussian",
    "gaussian_posterior_multivariate": "numeric.gaussian",
    "gaussian_posterior_unequal_variance": "numeric.gaussian",
    "mse_loss": "numeric.losses",
    "bce_loss": "numeric.losses",
    "bce_with_logits": "numeric.losses",
    "mse_grad": "numeric.losses",
    "bce_grad": "numeric.losses",
    "mse_grad_batch": "numeric.losses",
    "bce_grad_batch": "numeric.losses",
    "softmax": "numeric.normalization",
    "standardized_sigmoid": "numeric.normalization",
}

__all__ = ["DerivativeMismatch", "NotComplexAnalytic", "NumericError", *sorted(_EXPORTS)]

# Exported names that are not one kernel of the registry (derivations.catalog.kernel_specs()),
# and why; every other exported function is the registry's kernel of the same name.
NOT_KERNELS = {
    "DerivativeMismatch": "an exception",
    "NotComplexAnalytic": "an exception",
    "NumericError": "an exception",
    "derivative": "finite differences of the caller's function",
    "check_derivative": "finite differences of the caller's function",
    "check_gradient": "finite differences of the caller's function",
    "gaussian_posterior_multivariate": "a linear solve, then the sigmoid kernel",
    "mse_grad_batch": "matrix products around the mse_residual kernel",
    "bce_grad_batch": "matrix products around the bce_residual kernel",
    "softmax": "a reduction along an axis",
    "standardized_sigmoid": "a mean and standard deviation, then the sigmoid kernel",
    "plot_derivative": "a matplotlib figure of the caller's function",
}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    if name in ("training", "figures", "benchmark", "squashing"):
        return import_module(f"numeric.{name}")
    raise AttributeError(f"module 'numeric' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
