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
    gaussians_multivariate,
    gradient_descent,
    likelihood,
    losses,
    losses_batch,
    sigmoid,
    softmax,
    squashing,
)

__all__ = ["TOPICS", "catalog", "get", "kernel_specs", "topics"]

# The topic modules, in reading order; each has derivations() and may have kernels().
TOPICS = (
    sigmoid,
    gaussians,
    gaussians_multivariate,
    gradient_descent,
    losses,
    losses_batch,
    likelihood,
    deep,
    squashing,
    softmax,
    finite_differences,
)


@cache
def _registry() -> tuple[dict[str, Derivation], dict[str, tuple[str, ...]]]:
    """Every derivation by slug, and the slugs of each topic (by its module's short name)."""
    found: dict[str, Derivation] = {}
    by_topic: dict[str, tuple[str, ...]] = {}
    for topic in TOPICS:
        mine = topic.derivations()
        for d in mine:
            if d.slug in found:
                raise ValueError(f"two derivations share the slug {d.slug!r}")
            # The catalog is strict: a claim SymPy does not prove must be marked numeric in
            # its source, so a lost proof is an error, never a silently weaker mark.
            found[d.slug] = replace(d, strict=True, result=d.shown_result)
        by_topic[topic.__name__.rsplit(".", 1)[-1]] = tuple(d.slug for d in mine)
    return found, by_topic


def _all() -> dict[str, Derivation]:
    return _registry()[0]


def catalog() -> dict[str, Derivation]:
    """Every derivation, by slug, topic by topic in reading order.

    >>> list(catalog())[:3]
    ['sigmoid-two-forms', 'sigmoid-symmetry', 'sigmoid-derivative']
    """
    return dict(_all())


def topics() -> dict[str, tuple[str, ...]]:
    """The slugs of each topic (its module's name in ``derivations.topics``), in reading order.

    >>> topics()["deep"]
    ('hidden-layer-delta', 'vanishing-gradient')
    """
    return dict(_registry()[1])


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

    >>> spec = kernel_specs()["sigmoid_derivative"]
    >>> spec.proven_by, spec.args, spec.public
    ('stable-forms', (z,), True)
    """
    return dict(_kernels())
