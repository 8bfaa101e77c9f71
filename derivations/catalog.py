"""Every derivation of the toolkit, by slug, in the order of the document."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from importlib import import_module

from derivations.engine import Derivation
from derivations.kernels import KernelSpec

__all__ = ["catalog", "get", "kernel_specs"]

# The modules that define derivations; each has a derivations() function.
TOPIC_MODULES = (
    "derivations.topics.sigmoid",
    "derivations.topics.gaussians",
    "derivations.topics.losses",
    "derivations.topics.likelihood",
    "derivations.topics.deep",
    "derivations.topics.squashing",
    "derivations.topics.finite_differences",
)


@cache
def _all() -> dict[str, Derivation]:
    from derivations.book import SECTIONS

    found: dict[str, Derivation] = {}
    for name in TOPIC_MODULES:
        try:
            module = import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue  # a topic not written yet
        for d in module.derivations():
            if d.slug in found:
                raise ValueError(f"two derivations share the slug {d.slug!r}")
            # The catalog is strict: a claim SymPy does not prove must be marked numeric in
            # its source, so a lost proof is an error, never a silently weaker mark.
            found[d.slug] = replace(d, strict=True, result=d.shown_result)
    order = [slug for section in SECTIONS for slug in section.slugs if slug in found]
    rest = [slug for slug in found if slug not in order]
    return {slug: found[slug] for slug in order + rest}


def catalog() -> dict[str, Derivation]:
    """Every derivation, by slug, in document order.

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
    for name in TOPIC_MODULES:
        for spec in getattr(import_module(name), "kernels", tuple)():
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
