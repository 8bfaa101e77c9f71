"""The exceptions of the derivations package: one base, specific subclasses."""

from __future__ import annotations

__all__ = ["DerivationError", "DerivationsError"]


class DerivationsError(Exception):
    """Base class of every error that the derivations package raises on its own."""


class DerivationError(DerivationsError):
    """A step of a derivation failed its verification.

    ``slug`` names the derivation, ``step`` the 1-based index of the failing
    step (0 for the stated result), and ``counterexample`` holds the point and
    the values of both sides there, when there is one.
    """

    def __init__(self, message: str, *, slug: str, step: int, counterexample=None):
        super().__init__(message)
        self.slug = slug
        self.step = step
        self.counterexample = counterexample

    def __reduce__(self):
        # Keyword-only arguments: tell pickle how to rebuild (errors cross process boundaries).
        return _rebuild, (str(self), self.slug, self.step, self.counterexample)


def _rebuild(message: str, slug: str, step: int, counterexample) -> DerivationError:
    return DerivationError(message, slug=slug, step=step, counterexample=counterexample)
