"""The exceptions of the numeric package: one base, specific subclasses."""

from __future__ import annotations

__all__ = ["DerivativeMismatch", "NotComplexAnalytic", "NumericError"]


class NumericError(Exception):
    """Base class of every error that the numeric package raises on its own."""


class DerivativeMismatch(NumericError, AssertionError):
    """An analytic derivative disagrees with its finite-difference estimate.

    An AssertionError, so pytest reports it as a failed check.
    """


class NotComplexAnalytic(NumericError, TypeError):
    """The complex-step method was asked of a function that is not complex-analytic."""
