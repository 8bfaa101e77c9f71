"""Verified derivations about the logistic sigmoid: why neural networks use it, and its gradients.

>>> import derivations
>>> d = derivations.get("sigmoid-derivative")
>>> d.result
Eq(Derivative(sigmoid(z), z), (1 - sigmoid(z))*sigmoid(z))
>>> d.verify().numeric
0
"""

# verify, render and the Markdown and notebook displays register what Derivation.verify,
# to_latex, to_markdown and _repr_latex_ call (the model imports nothing above it), so they
# load with the package.
import derivations.mathjax
import derivations.notebook
import derivations.render  # noqa: F401
from derivations.catalog import catalog, get
from derivations.engine import Derivation, Kind, Step, assume, define, step, substitute, then
from derivations.errors import DerivationError, DerivationsError
from derivations.functions import logit, sigmoid
from derivations.verify import VerificationReport, check_claim

__all__ = [
    "Derivation",
    "DerivationError",
    "DerivationsError",
    "Kind",
    "Step",
    "VerificationReport",
    "assume",
    "catalog",
    "check",
    "check_claim",
    "define",
    "get",
    "logit",
    "sigmoid",
    "step",
    "substitute",
    "then",
]


def __getattr__(name: str):
    # derivations.check (the equivalence checker for users' formulas) loads on first use.
    if name == "check":
        from importlib import import_module

        return import_module("derivations.check")
    raise AttributeError(f"module 'derivations' has no attribute {name!r}")
