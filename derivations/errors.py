"""The exceptions of the derivations package: one base, specific subclasses."""

from __future__ import annotations

__all__ = ["DerivationError", "DerivationsError"]


class DerivationsError(Exception):
    """Base class of every error that the derivations package raises on its own."""


class DerivationError(DerivationsError):
    """A step of a derivation failed its verification.

    ``slug`` names the derivation, ``step`` the 1-based index of the failing
    step (0 for the stated result), and ``counterexample`` holds the point and
    the values of both sides there, when there is one. When several steps fail,
    ``failures`` lists every one (``derivations.verify.report.Failure``: step,
    justification, claim, message, counterexample) and ``step`` and
    ``counterexample`` are the first one's.
    """

    def __init__(self, message: str, *, slug: str, step: int, counterexample=None, failures=()):
        super().__init__(message)
        self.slug = slug
        self.step = step
        self.counterexample = counterexample
        self.failures = list(failures)

    def __reduce__(self):
        # Keyword-only arguments: tell pickle how to rebuild (errors cross process boundaries).
        return _rebuild, (str(self), self.slug, self.step, self.counterexample, self.failures)


def _rebuild(message: str, slug: str, step: int, counterexample, failures=()) -> DerivationError:
    return DerivationError(
        message, slug=slug, step=step, counterexample=counterexample, failures=failures
    )
