"""The in-process time guard (derivations._timeout.time_limit) and where Python swallows it."""

import contextlib
import gc
import math
import signal
import sys
import time

import pytest

from derivations._timeout import TimeLimitExceeded, time_limit


def test_an_alarm_swallowed_in_a_gc_callback_is_raised_again(monkeypatch):
    # Python ignores an exception raised in a garbage-collector callback (it only reports
    # it to sys.unraisablehook). A callback that runs past the deadline takes the first
    # alarm; the guard must still end the block, RETRY_SECONDS later.
    interrupted, swallowed = [], []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: swallowed.append(u.exc_type))

    def slow_callback(phase, info):
        if phase == "start":
            end = time.monotonic() + 2  # the alarm comes in here, at 0.5 s
            try:
                while time.monotonic() < end:
                    pass
            except TimeLimitExceeded:
                interrupted.append(time.monotonic())
                raise  # into the garbage collector, which ignores it

    gc.callbacks.append(slow_callback)
    try:
        with pytest.raises(TimeLimitExceeded), time_limit(0.5):
            gc.collect()  # the first alarm comes inside the callback, and is lost there
            gc.callbacks.remove(slow_callback)
            end = time.monotonic() + 5
            while time.monotonic() < end:  # without a second alarm this runs to its end
                pass
        ended = time.monotonic()
    finally:
        if slow_callback in gc.callbacks:
            gc.callbacks.remove(slow_callback)
    assert interrupted  # the scenario happened: the first alarm was raised in the callback
    assert ended - interrupted[0] < 3  # and the second one ended the block
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # no alarm is left behind
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL
    # Python reported it as ignored (a later alarm may also land in another gc callback)
    assert swallowed and set(swallowed) == {TimeLimitExceeded}


def test_the_handling_of_the_alarm_is_never_interrupted_and_the_block_ends():
    # The block handles the alarm in an except clause: that fallback (past RETRY_SECONDS)
    # runs uninterrupted. Going on in the block after it is not allowed: the alarm comes
    # again (to go on after a timeout, catch it outside the with).
    finished = []
    start = time.monotonic()
    with pytest.raises(TimeLimitExceeded), time_limit(0.05):
        try:
            _spin(5)
        except TimeLimitExceeded:
            _spin(0.5)  # the fallback
            finished.append(True)
        _spin(5)
    assert finished and time.monotonic() - start < 3
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_alarm_swallowed_by_a_bare_except_is_raised_again():
    # mpmath has bare "except:" clauses: one that takes the alarm must not end the guard.
    swallowed = []
    start = time.monotonic()
    with pytest.raises(TimeLimitExceeded), time_limit(0.05):
        try:
            _spin(5)
        except:  # noqa: E722 (the point of the test)
            swallowed.append(True)
        _spin(5)
    assert swallowed and time.monotonic() - start < 3


def test_a_guard_used_twice_limits_both_blocks():
    guard = time_limit(0.05)
    for _ in range(2):
        start = time.monotonic()
        with pytest.raises(TimeLimitExceeded), guard:
            _spin(5)
        assert time.monotonic() - start < 3


def test_an_exit_interrupted_by_ctrl_c_still_gives_everything_back(monkeypatch):
    # KeyboardInterrupt while the guard disarms its alarm: the handler and the outer
    # limit's time are given back all the same.
    arm = signal.setitimer
    interrupted = []

    def interrupt_the_disarming(which, seconds, interval=0.0):
        arm(which, seconds, interval)
        if seconds == 0 and not interrupted:
            interrupted.append(True)
            raise KeyboardInterrupt

    with time_limit(30):
        monkeypatch.setattr(signal, "setitimer", interrupt_the_disarming)
        with pytest.raises(KeyboardInterrupt), time_limit(1):
            pass
        monkeypatch.undo()
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert interrupted and 25 < left <= 30
        assert getattr(signal.getsignal(signal.SIGALRM), "__self__", None) is not None
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL


@pytest.mark.parametrize("seconds", [None, math.inf, 1e10, 1e300])
def test_no_limit_is_no_guard(seconds):
    with time_limit(seconds):
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def _spin(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_an_alarm_before_the_block_begins_leaves_nothing_behind(monkeypatch):
    # The alarm may come while the guard is being set up (a process descheduled for longer
    # than the limit): the guard then raises, and leaves no handler or timer behind.
    arm = signal.setitimer

    def arm_then_wait(which, seconds, interval=0.0):
        arm(which, seconds, interval)
        if seconds:
            time.sleep(0.05)  # longer than the limit: the alarm is pending on return

    monkeypatch.setattr(signal, "setitimer", arm_then_wait)
    with pytest.raises(TimeLimitExceeded), time_limit(0.001):
        pytest.fail("the block began after its time was up")
    monkeypatch.undo()
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL


def test_an_outer_limit_gets_its_time_back_after_an_inner_one():
    with time_limit(30):
        with time_limit(0.05):
            pass
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 25 < left <= 30  # (a loaded machine may take a while between the two)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_inner_limit_never_outlives_the_outer_one():
    start = time.monotonic()
    with pytest.raises(TimeLimitExceeded), time_limit(0.1), time_limit(30):
        end = time.monotonic() + 5
        while time.monotonic() < end:
            pass
    assert time.monotonic() - start < 4


def test_an_outer_limit_that_passes_inside_an_inner_one_still_ends_its_block():
    # The outer limit (0.2 s) passes while the inner one (30 s) runs: the inner guard raises,
    # the block handles that, and the outer limit must still end the outer block.
    start = time.monotonic()
    with pytest.raises(TimeLimitExceeded, match=r"0\.2 s"), time_limit(0.2):
        with contextlib.suppress(TimeLimitExceeded), time_limit(30):
            end = time.monotonic() + 5
            while time.monotonic() < end:
                pass
        end = time.monotonic() + 5
        while time.monotonic() < end:  # would run its 5 s if the outer alarm were lost
            pass
    assert time.monotonic() - start < 3
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
