"""Every derivation of the toolkit and every NumPy kernel they prove, by topic.

The registry: topics define derivations (``derivations()``) and the kernels they
prove (``kernels()``); this module collects both. The document decides its own
order and sections (``derivations.book``); a test checks that the two agree.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from derivations.engine import Derivation
from derivations.kernels import KernelSpec
from derivations.topics import (
    deep,
    finite_differences,
    gaussians,
    likelihood,
    losses,
    sigmoid,
    squashing,
)

__all__ = ["TOPICS", "catalog", "get", "kernel_specs"]

# The topic modules, in reading order; each has derivations() and may have kernels().
TOPICS = (sigmoid, gaussians, losses, likelihood, deep, squashing, finite_differences)


@cache
def _all() -> dict[str, Derivation]:
    found: dict[str, Derivation] = {}
    for topic in TOPICS:
        for d in topic.derivations():
            if d.slug in found:
                raise ValueError(f"two derivations share the slug {d.slug!r}")
            # The catalog is strict: a claim SymPy does not prove must be marked numeric in
            # its source, so a lost proof is an error, never a silently weaker mark.
            found[d.slug] = replace(d, strict=True, result=d.shown_result)
    return found


def catalog() -> dict[str, Derivation]:
    """Every derivation, by slug, topic by topic in reading order.

    >>> list(catalog())[:3]
    ['sigmoid-two-forms', 'sigmoid-symmetry', 'sigmoid-derivative']
    """
    return dict(_all())


def get(slug: str) -> Derivation:
    """The derivation with this slug; KeyError (listing the known slugs) if there is none.

    >>> get("sigmoid-derivative").result
    Eq(Derivative(sigmoid(z), z), (1 - sigmoid(z))*sigmoid(z))
    """
    derivations = _all()
    if slug not in derivations:
        known = ", ".join(derivations)
        raise KeyError(f"no derivation {slug!r}; known slugs: {known}")
    return derivations[slug]


@cache
def _kernels() -> dict[str, KernelSpec]:
    found: dict[str, KernelSpec] = {}
    for topic in TOPICS:
        for spec in getattr(topic, "kernels", tuple)():
            if spec.name in found:
                raise ValueError(f"two kernels share the name {spec.name!r}")
            found[spec.name] = spec
    return found


def kernel_specs() -> dict[str, KernelSpec]:
    """Every NumPy kernel that a derivation proves, by name, topic by topic.

    ``numeric`` is generated from these (``python -m numeric.generate``).

    >>> spec = kernel_specs()["sigmoid_prime"]
    >>> spec.proven_by, spec.args, spec.public
    ('stable-forms', (z,), True)
    """
    return dict(_kernels())
