"""A wall-clock limit for SymPy calls that may run for a very long time.

SymPy has no cancellation API, so this uses SIGALRM (an interval timer) in the
main thread of a POSIX process. Elsewhere (other threads, Windows) the limit
is not enforced, which only makes a hard proof attempt slow, never wrong.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["TimeLimitExceeded", "time_limit"]


class TimeLimitExceeded(BaseException):
    """Raised inside the guarded block when its time is up.

    A BaseException, so that SymPy's own ``except Exception`` clauses cannot
    swallow it.
    """


def _can_use_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in the block after ``seconds`` of wall time.

    Nested limits work: the inner one never outlives the outer one.

    >>> with time_limit(1.0):
    ...     sum(range(10))
    45
    """
    if seconds is None or not _can_use_alarm():
        yield
        return
    seconds = max(float(seconds), 1e-3)

    def _raise(signum, frame):
        raise TimeLimitExceeded(f"time limit of {seconds:g} s exceeded")

    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    previous = signal.signal(signal.SIGALRM, _raise)
    start = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer_left) if outer_left else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:
            # Give the outer limit what is left of its time (a tick if none is).
            left = outer_left - (time.monotonic() - start)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6))
