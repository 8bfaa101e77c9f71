"""NumPy functions lambdified from the verified derivations, and tools to check gradients.

Names are imported on first use, so ``import numeric`` stays fast. A public kernel of the
registry (``derivations.catalog.kernel_specs()``) with no hand-written function below is
exported too, as the function that ``numeric._public`` makes from its spec: ``__all__``
lists both kinds, the hand-written function winning where there is one.

>>> import numeric
>>> float(numeric.sigmoid(0.0))
0.5
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Re-exported (``__all__`` is computed on first use, so the aliases say so to linters).
from numeric._renamed import RENAMED, renamed
from numeric.errors import DerivativeMismatch as DerivativeMismatch
from numeric.errors import NotComplexAnalytic as NotComplexAnalytic
from numeric.errors import NumericError as NumericError

# public name -> the module that defines it by hand (it wins over a generated function)
_EXPORTS = {
    "sigmoid": "numeric.activations",
    "sigmoid_derivative": "numeric.activations",
    "log_sigmoid": "numeric.activations",
    "logit": "numeric.activations",
    "softplus": "numeric.activations",
    "finite_difference": "numeric.finite_differences",
    "check_derivative": "numeric.finite_differences",
    "check_gradient": "numeric.finite_differences",
    "plot_derivative": "numeric.figures.derivative_plot",
    "gaussian_posterior": "numeric.gaussian",
    "gaussian_posterior_multivariate": "numeric.gaussian",
    "gaussian_posterior_unequal_variance": "numeric.gaussian",
    "mse_loss": "numeric.losses",
    "bce_loss": "numeric.losses",
    "bce_with_logits": "numeric.losses",
    "mse_gradient": "numeric.losses",
    "bce_gradient": "numeric.losses",
    "mse_mean_gradient": "numeric.losses",
    "bce_mean_gradient": "numeric.losses",
    "softmax": "numeric.normalization",
    "standardized_sigmoid": "numeric.normalization",
    "lambdify": "numeric.compiler",
}

_ERRORS = ["DerivativeMismatch", "NotComplexAnalytic", "NumericError"]

# Exported names that are not one kernel of the registry (derivations.catalog.kernel_specs()),
# and why; every other exported function is the registry's kernel of the same name.
NOT_KERNELS = {
    "DerivativeMismatch": "an exception",
    "NotComplexAnalytic": "an exception",
    "NumericError": "an exception",
    "finite_difference": "finite differences of the caller's function",
    "check_derivative": "finite differences of the caller's function",
    "check_gradient": "finite differences of the caller's function",
    "gaussian_posterior_multivariate": "a linear solve, then the sigmoid kernel",
    "mse_mean_gradient": "matrix products around the mse_residual kernel",
    "bce_mean_gradient": "matrix products around the bce_residual kernel",
    "softmax": "a reduction along an axis",
    "standardized_sigmoid": "a mean and standard deviation, then the sigmoid kernel",
    "plot_derivative": "a matplotlib figure of the caller's function",
    "lambdify": "compiles the caller's expression at run time",
}


def _generic() -> dict[str, str]:
    """The generated functions (numeric._public), by name; importing their table needs NumPy."""
    from numeric._generated import PUBLIC

    return dict.fromkeys(PUBLIC, "numeric._public")


def __getattr__(name: str) -> Any:
    if name == "__all__":  # computed on first use: it lists the generated functions too
        value = [*_ERRORS, *sorted({**_generic(), **_EXPORTS})]
    elif name in ("training", "figures", "benchmark", "squashing"):
        return import_module(f"numeric.{name}")
    elif name in RENAMED:  # a name of 0.1: warns each time, so it is not cached
        return renamed("numeric", {RENAMED[name]: __getattr__(RENAMED[name])})(name)
    elif name in _EXPORTS or (not name.startswith("_") and name in _generic()):
        module = _EXPORTS.get(name, "numeric._public")
        value = getattr(import_module(module), name)
    else:
        raise AttributeError(f"module 'numeric' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS) | set(_generic()))
