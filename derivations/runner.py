"""Verifying many derivations at once, in parallel worker processes.

Derivations are independent, so ``check`` and ``build`` spread them over the
machine's cores. Workers are forked (where the platform can) so that they
inherit the catalog already built; results come back in the order asked.
No worker outlives the call: when the caller is interrupted (SIGTERM turned
into SystemExit by the command line, Ctrl-C, or it stops iterating early) the
workers are killed at once instead of finishing their queue.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

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
    pool = None
    try:
        # Starting a pool is not safe to interrupt halfway (its manager thread can be
        # left started but not joinable): a signal that comes meanwhile is held back
        # and delivered when the `with` ends, inside this `try`.
        with _signals_held():
            pool = ProcessPoolExecutor(
                jobs, mp_context=context, initializer=_worker_setup, initargs=(os.getpid(),)
            )
            futures = [pool.submit(_verify, slug) for slug in slugs]
        for slug, future in zip(slugs, futures, strict=True):
            yield slug, future.result()
        pool.shutdown()
    except BaseException:
        # Includes GeneratorExit (the caller stopped early) and SystemExit. Leaving
        # a `with` block here would wait for every queued derivation to finish.
        if pool is not None:
            with _signals_held():
                _stop(pool)
        raise


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGTERM and SIGINT back while in the block; deliver them when it ends.

    Python runs signal handlers in the main thread only, so elsewhere there is
    nothing to hold back.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = {
        signum: signal.signal(signum, lambda signum, frame: held.append(signum))
        for signum in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        for signum in dict.fromkeys(held):
            signal.raise_signal(signum)  # runs the handler just restored


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel the tasks not yet started and kill the workers in the middle of theirs."""
    # The pool has no public way to end its workers before Python 3.14
    # (terminate_workers), so take them from its process table before shutdown clears it.
    workers = list((pool._processes or {}).values())
    for worker in workers:
        worker.kill()  # SIGKILL: a worker holds nothing that needs cleaning up
    # The pool's own thread sees the workers die, fails what was pending and reaps
    # them; joining here as well would race it for their exit status.
    pool.shutdown(wait=True, cancel_futures=True)
    for worker in workers:
        worker.join()  # returns at once, unless the pool's thread never started


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _worker_setup(parent: int) -> None:
    """Run first in each worker: signals as a worker needs them, and die with the parent."""
    # A forked worker inherits the parent's handlers: those of _signals_held, or the
    # command line's, which raises SystemExit (the pool would catch that as the task's
    # outcome and the worker would go on). SIGTERM's default action ends it at once.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # Ctrl-C reaches the whole process group: the parent gets KeyboardInterrupt and
    # stops the pool, so the workers leave it to the parent.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # An extra guard for a parent that runs no cleanup at all (SIGKILL, os._exit):
    # Linux sends SIGKILL to this worker when its parent dies. Strictly, when the
    # parent's thread that forked it ends; the pool forks every worker from the
    # thread that first submits work, the one iterating verify_many.
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return  # not Linux's C library: the parent's cleanup is the only guard
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
