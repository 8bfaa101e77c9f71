"""Stopping `check` and `build` with SIGTERM or Ctrl-C leaves no process and no temporary folder.

Each test starts the real command in its own session, waits (polling /proc) until the
work to interrupt is under way, signals it, and then polls /proc until no process of
that session is left, failing if one still runs after a generous deadline. The session
id survives reparenting, so an orphaned worker (adopted by init) is still found.
"""

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from derivations.catalog import catalog
from derivations.runner import _signals_held, verify_many

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="reads processes from Linux's /proc"
)

ROOT = Path(__file__).resolve().parent.parent


def session(sid: int) -> dict[int, tuple[int, str]]:
    """The live processes of session ``sid``: pid -> (parent pid, command name)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended while we looked
        # "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses.
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        state, ppid, _, sess = stat[stat.rindex(")") + 2 :].split()[:4]
        if int(sess) == sid and state not in ("Z", "X"):  # a zombie has ended
            found[int(entry.name)] = (int(ppid), name)
    return found


def wait_for(condition, seconds: float, what: str):
    """Poll ``condition`` until it returns something true; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"gave up after {seconds} s waiting for {what}")


def start(args: list[str], tmp_path: Path, **env) -> tuple[subprocess.Popen, Path]:
    temporary = tmp_path / "tmpdir"
    temporary.mkdir()
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temporary), **env}
    log = (tmp_path / "output.txt").open("w")  # a file, not a pipe an orphan could hold open
    process = subprocess.Popen(
        [sys.executable, "-m", "derivations", *args],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=environment,
        start_new_session=True,
    )
    log.close()
    return process, temporary


def assert_all_gone(process: subprocess.Popen, tmp_path: Path) -> None:
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail("the command did not end within 60 s of the signal")
    deadline = time.monotonic() + 10
    while (left := session(process.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    output = (tmp_path / "output.txt").read_text()
    assert not left, f"processes outlived the command: {left}\n{output}"


@pytest.mark.parametrize(
    ("command", "signum", "target"),
    [
        ("check", signal.SIGTERM, "command"),
        ("check", signal.SIGTERM, "group"),
        ("check", signal.SIGINT, "group"),  # Ctrl-C in a terminal
        ("check", signal.SIGKILL, "command"),  # no cleanup runs: PR_SET_PDEATHSIG
        ("build", signal.SIGTERM, "command"),
    ],
)
def test_a_signal_during_verification_ends_every_worker(tmp_path, command, signum, target):
    args = ["check"] if command == "check" else ["build", "--out", str(tmp_path / "out")]
    process, temporary = start([*args, "--jobs", "2"], tmp_path)

    def workers():
        return [pid for pid, (ppid, _) in session(process.pid).items() if ppid == process.pid]

    wait_for(lambda: len(workers()) == 2, 120, "the two worker processes")
    if target == "group":
        os.killpg(process.pid, signum)
    else:
        os.kill(process.pid, signum)
    assert_all_gone(process, tmp_path)
    assert not list(temporary.iterdir())
    assert not list((tmp_path / "out").rglob("*.tmp"))
    if signum == signal.SIGTERM:
        # The CLI's cleanup path ran.
        assert process.returncode == 128 + signal.SIGTERM, (tmp_path / "output.txt").read_text()


def test_sigterm_to_the_group_while_pdflatex_runs_leaves_no_temporary_folder(tmp_path):
    # A stand-in pdflatex that runs until it is killed: the build is then certainly
    # inside compile_pdf, with its derivations-tex-* folder made, when the signal comes.
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    (bin_folder / "pdflatex").write_text("#!/bin/sh\nexec sleep 600\n")
    (bin_folder / "pdflatex").chmod(0o755)
    out = tmp_path / "out"
    process, temporary = start(
        ["build", "--out", str(out)],
        tmp_path,
        PATH=f"{bin_folder}{os.pathsep}{os.environ['PATH']}",
    )
    wait_for(
        lambda: (
            list(temporary.glob("derivations-tex-*"))
            and "sleep" in [name for _, name in session(process.pid).values()]
        ),
        600,  # a whole build comes first: minutes on a loaded machine
        "pdflatex to start",
    )
    os.killpg(process.pid, signal.SIGTERM)
    assert_all_gone(process, tmp_path)
    assert not list(temporary.glob("derivations-tex-*"))
    assert not list(out.rglob("*.tmp"))
    assert process.returncode == 128 + signal.SIGTERM, (tmp_path / "output.txt").read_text()
    assert (out / "derivations.tex").exists()  # it was past writing the LaTeX


def test_stopping_early_kills_the_workers_instead_of_finishing_the_queue():
    before = set(multiprocessing.active_children())
    outcomes = verify_many(list(catalog()), jobs=2)
    next(outcomes)
    workers = [child for child in multiprocessing.active_children() if child not in before]
    assert len(workers) == 2
    outcomes.close()  # what a SIGTERM or Ctrl-C in the caller's loop comes down to
    # Killed by the runner (not ended by running out of work: most of the catalog
    # was still queued), and already reaped when close() returns.
    assert [w.exitcode for w in workers] == [-signal.SIGKILL] * 2
    assert set(multiprocessing.active_children()) == before


def test_signals_during_pool_start_are_held_back_and_then_delivered():
    # The runner starts its pool in such a block: a SystemExit from the command line's
    # SIGTERM handler halfway through starting it left a pool that could not be shut down.
    reached_the_end = False
    with pytest.raises(KeyboardInterrupt):
        with _signals_held():
            signal.raise_signal(signal.SIGINT)
            reached_the_end = True
    assert reached_the_end
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
