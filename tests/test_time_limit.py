"""The in-process time guard (derivations._timeout.time_limit) and where Python swallows it."""

import gc
import signal
import sys
import time

import pytest

from derivations._timeout import TimeLimitExceeded, time_limit


def test_an_alarm_swallowed_in_a_gc_callback_is_raised_again(monkeypatch):
    # Python ignores an exception raised in a garbage-collector callback (it only reports
    # it to sys.unraisablehook). A callback that runs past the deadline takes the first
    # alarm; the guard must still end the block, within a few retries.
    swallowed = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: swallowed.append(u.exc_type))

    def slow_callback(phase, info):
        if phase == "start":
            end = time.monotonic() + 0.3
            while time.monotonic() < end:
                pass

    gc.callbacks.append(slow_callback)
    try:
        with pytest.raises(TimeLimitExceeded), time_limit(0.1):
            gc.collect()  # the first alarm comes inside the callback, and is lost there
            gc.callbacks.remove(slow_callback)
            end = time.monotonic() + 5
            while time.monotonic() < end:  # a one-shot alarm would let this run to its end
                pass
    finally:
        if slow_callback in gc.callbacks:
            gc.callbacks.remove(slow_callback)
    assert TimeLimitExceeded in swallowed  # the scenario happened: one alarm was lost
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # and no alarm is left behind


def test_an_outer_limit_gets_its_time_back_after_an_inner_one():
    with time_limit(30):
        with time_limit(0.05):
            pass
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 29 < left <= 30
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_inner_limit_never_outlives_the_outer_one():
    start = time.monotonic()
    with pytest.raises(TimeLimitExceeded), time_limit(0.1), time_limit(30):
        end = time.monotonic() + 5
        while time.monotonic() < end:
            pass
    assert time.monotonic() - start < 4
