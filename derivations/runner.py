"""Verifying many derivations at once, in parallel worker processes.

Derivations are independent, so ``check`` and ``build`` spread them over the
machine's cores. Workers are forked (where the platform can) so that they
inherit the catalog already built; results come back in the order asked.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from derivations.catalog import get
from derivations.errors import DerivationsError
from derivations.verify import VerificationReport

__all__ = ["default_jobs", "verify_many"]

Outcome = VerificationReport | DerivationsError


def default_jobs() -> int:
    """The number of cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return os.cpu_count() or 1


def _verify(slug: str) -> Outcome:
    try:
        return get(slug).verify()
    except DerivationsError as error:
        return error  # returned, not raised: the caller reports every failure


def verify_many(slugs: Iterable[str], jobs: int | None = None) -> Iterator[tuple[str, Outcome]]:
    """Verify each slug; yield (slug, report or the DerivationsError), in the order given.

    >>> [type(outcome).__name__ for _, outcome in verify_many(["sigmoid-tanh"], jobs=1)]
    ['VerificationReport']
    """
    slugs = list(slugs)
    for slug in slugs:
        get(slug)  # an unknown slug is a KeyError here, before any work starts
    jobs = min(default_jobs() if jobs is None else jobs, len(slugs))
    if jobs <= 1 or not sys.platform.startswith("linux"):
        # Forking is what makes workers cheap; elsewhere stay in this process.
        for slug in slugs:
            yield slug, _verify(slug)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        futures = [pool.submit(_verify, slug) for slug in slugs]
        for slug, future in zip(slugs, futures, strict=True):
            yield slug, future.result()
