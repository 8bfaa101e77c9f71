"""NumPy functions lambdified from the verified derivations, and tools to check gradients.

>>> import numeric
>>> float(numeric.sigmoid(0.0))
0.5
"""

from numeric.activations import log_sigmoid, logit, sigmoid, sigmoid_prime, softplus
from numeric.errors import DerivativeMismatch, NotComplexAnalytic, NumericError

__all__ = [
    "DerivativeMismatch",
    "NotComplexAnalytic",
    "NumericError",
    "log_sigmoid",
    "logit",
    "sigmoid",
    "sigmoid_prime",
    "softplus",
]
