"""Wall-clock guards: a call run in a worker process under a deadline, from any thread.

SymPy and mpmath have no cancellation API, and a user's formula can make them
run for ever (``sin(exp(10**6*z))`` asks for a sine of a number with 434,000
digits). :func:`call_with_deadline` runs such work in a worker process and kills
it when its time is up: this works in any thread and needs no SIGALRM. The
worker is started lazily, forked from the caller (it inherits the loaded
modules, so a call costs a pipe round trip), kept for the next call with its
caches warm, and restarted after a kill. It is a daemon, is killed at exit, and
exits by itself when its parent process is gone (even after a SIGKILL): no
worker outlives the interpreter. A call whose arguments cannot be pickled, or made while the
worker is busy with another thread's call, runs in a worker of its own.

:func:`time_limit` is the older in-process guard (SIGALRM, main thread only).
"""

from __future__ import annotations

import atexit
import itertools
import math
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

__all__ = [
    "DeadlineExceeded",
    "NoGuard",
    "TimeLimitExceeded",
    "WorkerDied",
    "call_with_deadline",
    "time_limit",
]


class TimeLimitExceeded(BaseException):
    """Raised inside a :func:`time_limit` block when its time is up.

    A BaseException, so that SymPy's own ``except Exception`` clauses cannot
    swallow it.
    """


class DeadlineExceeded(Exception):
    """:func:`call_with_deadline` gave up: the call ran past its deadline (and was killed)."""


class NoGuard(Exception):
    """:func:`call_with_deadline` cannot enforce a deadline here, so it refuses the call."""


class WorkerDied(Exception):
    """The worker process ended without an answer (killed from outside, out of memory)."""


def _can_use_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


# Each alarm arms the next one this much later, until the block is left. Python ignores an
# exception raised in a garbage-collector callback, a __del__ method or a weakref callback,
# and a bare "except:" (mpmath has some) swallows it too: a lost alarm would let the guarded
# call run on unguarded, so it is raised again, except while a TimeLimitExceeded is still
# being handled (its cleanup and fallback code run uninterrupted).
RETRY_SECONDS = 0.1


class _TimeLimit:
    """The guard of :func:`time_limit` (a SIGALRM handler, armed for the block)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.active = False

    def _raise(self, signum: int, frame: Any) -> None:
        if not self.active or os.getpid() != self.pid:
            return  # the block is over, or this is a forked child that inherited the handler
        signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS)
        if frame is not None and frame.f_code in _LEAVING_CODES:
            # In a guard's exit: this one's (which disarms the alarm), or an inner guard's
            # that has just given this one its time back, where the exception would replace
            # the inner one: raised after that exit instead.
            return
        if isinstance(sys.exc_info()[1], TimeLimitExceeded):
            return  # one is being handled: its cleanup or fallback runs uninterrupted
        raise TimeLimitExceeded(f"time limit of {self.shown:g} s exceeded")

    def __enter__(self) -> None:
        if not _can_use_alarm():  # entered in another thread than the one that made it
            return
        self.pid = os.getpid()
        self.outer_left, self.outer_interval = signal.getitimer(signal.ITIMER_REAL)
        self.start = time.monotonic()
        self.previous = signal.getsignal(signal.SIGALRM)
        outer = getattr(self.previous, "__self__", None)
        # The alarm comes at the outer limit when that is sooner: named as the outer one
        sooner = isinstance(outer, _TimeLimit) and 0 < self.outer_left < self.seconds
        self.shown = outer.shown if sooner else self.seconds
        self.active = True
        try:
            signal.signal(signal.SIGALRM, self._raise)
            first = min(self.seconds, self.outer_left) if self.outer_left else self.seconds
            signal.setitimer(signal.ITIMER_REAL, first)
        except BaseException:  # the alarm (or an outer one) came before the block began
            self._leave()
            raise

    def __exit__(self, *exc_info: Any) -> None:
        self._leave()

    def _leave(self) -> None:
        """Disarm, then give back the handler and the outer limit's time (even if interrupted)."""
        if not self.active:
            return
        self.active = False
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            try:
                signal.signal(signal.SIGALRM, self.previous)
            finally:
                if self.outer_left:
                    # What is left of the outer limit's time (a tick if none is)
                    left = self.outer_left - (time.monotonic() - self.start)
                    signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), self.outer_interval)


_LEAVING_CODES = frozenset({_TimeLimit.__exit__.__code__, _TimeLimit._leave.__code__})


def time_limit(seconds: float | None) -> AbstractContextManager[None]:
    """Raise :class:`TimeLimitExceeded` in the block after ``seconds`` of wall time.

    Enforced only in the main thread of a POSIX process; ``None``, ``inf`` or
    more than ``threading.TIMEOUT_MAX`` is no limit. Nested limits work: the
    inner one never outlives the outer one. Where the exception is swallowed
    (by a garbage-collector callback, a ``__del__`` method, a bare ``except:``)
    it is raised again :data:`RETRY_SECONDS` later, until the block is left:
    to go on after a timeout, catch it outside the ``with``.

    >>> with time_limit(1.0):
    ...     sum(range(10))
    45
    """
    if seconds is not None and math.isnan(seconds):
        raise ValueError("a time limit cannot be nan")
    if seconds is None or not seconds < threading.TIMEOUT_MAX or not _can_use_alarm():
        return nullcontext()
    return _TimeLimit(max(float(seconds), 1e-3))


# --------------------------------------------------------------------------- worker processes


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _die_with_parent() -> None:
    """Exit when the parent process is gone (even killed by SIGKILL), checked twice a second.

    (Linux's PR_SET_PDEATHSIG would be simpler, but it fires when the *thread* that
    started the worker ends, and a worker started from a thread pool must outlive that.)
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def _run(fn: Callable, args: tuple, kwargs: dict) -> tuple[str, Any]:
    try:
        return "ok", fn(*args, **kwargs)
    except Exception as error:  # every failure goes back to the caller
        return "error", error


def _send(conn: Any, ident: Any, message: tuple[str, Any]) -> None:
    """Send ``message`` tagged with the request's id ``ident``."""
    try:
        conn.send((ident, message))
    except (pickle.PicklingError, TypeError, AttributeError) as error:
        failure = RuntimeError(f"the worker's answer cannot be sent back: {error}")
        conn.send((ident, ("error", failure)))


def _serve(conn: Any) -> None:
    """The persistent worker's loop: run each request, send back its outcome."""
    _die_with_parent()
    while True:
        try:
            ident, fn, args, kwargs = conn.recv()
        except (EOFError, OSError):
            return
        except Exception:  # pickled, but it cannot be unpickled (some SymPy matrix products)
            conn.send((None, ("unreadable", None)))
            continue
        _send(conn, ident, _run(fn, args, kwargs))


def _once(conn: Any, fn: Callable, args: tuple, kwargs: dict) -> None:
    _die_with_parent()
    _send(conn, None, _run(fn, args, kwargs))


class _Unreadable(Exception):
    """The persistent worker could not unpickle the request."""


class _Worker:
    """One lazily started worker process and the pipe to it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.process: Any = None
        self.conn: Any = None
        self.child: Any = None  # the worker's end of the pipe, until the worker has it

    def start(self) -> None:
        context = _context()
        self.conn, self.child = context.Pipe()
        self.process = context.Process(target=_serve, args=(self.child,), daemon=True)
        self.process.start()
        self.child.close()
        self.child = None

    def stop(self) -> None:
        """Kill the worker and close the pipe; safe at any point of :meth:`start`."""
        process, ends = self.process, (self.conn, self.child)
        self.process = self.conn = self.child = None
        if process is not None and process.pid is not None:  # no pid: start() was interrupted
            process.kill()
            process.join()
        for end in ends:
            if end is not None:
                end.close()  # the worker's recv sees EOF and it exits, if it was forked


_WORKER = _Worker()
_IDS = itertools.count(1)
atexit.register(_WORKER.stop)


def _wait(conn: Any, process: Any, seconds: float | None, ident: Any = None) -> tuple[str, Any]:
    """(status, value) answering request ``ident``; answers to other requests are dropped.

    A limit beyond what a poll can wait (about 9e9 s here) is no limit.
    """
    if seconds is not None and not seconds < threading.TIMEOUT_MAX:
        seconds = None
    deadline = None if seconds is None else time.monotonic() + seconds
    while True:
        left = None if deadline is None else max(deadline - time.monotonic(), 0.0)
        if not conn.poll(left):
            raise DeadlineExceeded(f"no answer within {seconds:g} s")
        try:
            tag, (status, value) = conn.recv()
        except (EOFError, OSError):
            process.join(1)
            raise WorkerDied(
                f"the worker process died (exit code {process.exitcode}), out of memory perhaps"
            ) from None
        if tag == ident or status == "unreadable":
            return status, value


def _outcome(status: str, value: Any) -> Any:
    if status == "error":
        raise value
    if status == "unreadable":
        raise _Unreadable
    return value


def _call_alone(fn: Callable, args: tuple, kwargs: dict, seconds: float | None) -> Any:
    context = _context()
    conn, child = context.Pipe(duplex=False)
    process = context.Process(target=_once, args=(child, fn, args, kwargs), daemon=True)
    process.start()
    child.close()
    try:
        return _outcome(*_wait(conn, process, seconds))
    finally:
        process.kill()
        process.join()
        conn.close()


def _call_in_place(fn: Callable, args: tuple, kwargs: dict, seconds: float | None) -> Any:
    """A daemonic process (a ``multiprocessing.Pool`` worker) may not start processes.

    Its main thread (where a pool runs its tasks) is guarded by SIGALRM; elsewhere no
    guard is possible and a limited call is refused (:class:`NoGuard`).
    """
    if seconds is None:
        return fn(*args, **kwargs)
    if not _can_use_alarm():
        raise NoGuard(
            "no time limit can be enforced in this thread of a daemonic process (a "
            "multiprocessing.Pool worker may not start processes, and SIGALRM works only in "
            "its main thread)"
        )
    try:
        with time_limit(seconds):
            return fn(*args, **kwargs)
    except TimeLimitExceeded:
        raise DeadlineExceeded(f"no answer within {seconds:g} s") from None


def call_with_deadline(
    fn: Callable, args: tuple = (), kwargs: dict | None = None, *, seconds: float | None
) -> Any:
    """``fn(*args, **kwargs)`` in a worker process; :class:`DeadlineExceeded` after ``seconds``.

    ``fn`` must be a module-level function; its exceptions are raised here. A
    call that runs out of time is killed, with its worker. ``seconds=None``
    waits as long as it takes. In a daemonic process (a ``multiprocessing.Pool``
    worker), which may not start processes, ``fn`` runs in place under SIGALRM in
    the main thread; in its other threads a limited call raises :class:`NoGuard`.

    >>> call_with_deadline(pow, (2, 10), seconds=5)
    1024
    """
    kwargs = kwargs or {}
    if multiprocessing.current_process().daemon:
        return _call_in_place(fn, args, kwargs, seconds)
    if not _WORKER.lock.acquire(blocking=False):
        return _call_alone(fn, args, kwargs, seconds)  # another thread's call is running
    try:
        ident = next(_IDS)
        try:
            if _WORKER.process is None or not _WORKER.process.is_alive():
                _WORKER.stop()
                _WORKER.start()
            _WORKER.conn.send((ident, fn, args, kwargs))
        except (pickle.PicklingError, TypeError, AttributeError, NotImplementedError):
            return _call_alone(fn, args, kwargs, seconds)  # the fork inherits the arguments
        except BaseException:
            _WORKER.stop()  # interrupted while starting or sending: a half-sent request
            raise
        try:
            answer = _wait(_WORKER.conn, _WORKER.process, seconds, ident)
        except BaseException:
            # Left while the request is outstanding (out of time, a signal handler raising,
            # Ctrl-C, a test's timeout): stop the worker, so that its answer can never be
            # read as the next call's (the request id guards against that as well).
            _WORKER.stop()
            raise
        try:
            return _outcome(*answer)
        except _Unreadable:
            return _call_alone(fn, args, kwargs, seconds)  # the fork inherits the arguments
    finally:
        _WORKER.lock.release()
