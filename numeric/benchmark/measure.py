"""Timing (interleaved rounds, optionally one fresh process per case) and accuracy in ULPs.

Memory effects on a small shared machine are as large as the differences measured: a fresh
80 MB temporary costs milliseconds in page faults, and timings move 2 to 4 times between
processes. So every candidate of a case is timed in the same process on the same
preallocated inputs, in rounds that run each candidate once in a rotated order, and the
figure of merit is the ratio of two times taken in the same round. By default each case
runs in a fresh process whose C allocator keeps freed temporaries up to 32 MiB mapped
(STEADY_MALLOC), so no candidate pays page faults for reusing memory; larger arrays are
always fresh mappings, for every candidate alike.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import warnings
from functools import cache
from typing import Any

import numpy as np

from numeric._ulp import ulp_error
from numeric.benchmark.cases import CASES, FLOOR_BYTES, Candidate, Case

__all__ = ["STEADY_MALLOC", "accuracy", "time_case", "time_case_in_subprocess", "ulp_error"]

# glibc's allocator: serve allocations up to 32 MiB (its maximum) from the heap and never
# give freed memory back to the system, so a temporary freed in one round is reused in the
# next without page faults. Without these, whether a candidate pays page faults depends on
# what ran before it.
STEADY_MALLOC = {
    "MALLOC_MMAP_THRESHOLD_": str(32 * 1024 * 1024),
    "MALLOC_TRIM_THRESHOLD_": str(1024**3),
}


def _spec_text(spec: Any) -> str:
    return "x".join(str(s) for s in spec) if isinstance(spec, tuple) else str(spec)


def _elements(spec: Any) -> int:
    return int(np.prod(spec)) if isinstance(spec, tuple) else int(spec)


def time_case(function: str, spec: Any, repeats: int, seed: int = 0) -> dict[str, Any]:
    """Time every candidate of CASES[function] on inputs of size ``spec``, interleaved.

    Returns, per candidate: its label, the median seconds, nanoseconds per element, and
    the median and quartiles over rounds of (toolkit's time / this candidate's time).
    """
    case = CASES[function]
    inputs = case.inputs(spec, np.random.default_rng(seed))
    prepared = [(c, c.prepare(inputs)) for c in case.candidates()]
    for candidate, args in prepared:
        candidate.run(*args)  # compile kernels and lambdified functions, warm the caches
    seconds = np.empty((repeats, len(prepared)))
    for r in range(repeats):
        for i in np.roll(np.arange(len(prepared)), r):
            candidate, args = prepared[i]
            start = time.perf_counter()
            candidate.run(*args)
            seconds[r, i] = time.perf_counter() - start
    names = [c.name for c, _ in prepared]
    labels = [c.label for c, _ in prepared]
    if "copy" in names and function in FLOOR_BYTES:
        # The memory floor: the copy's time (8 bytes read and 8 written per element) scaled
        # to the bytes this function must read and write, each array once.
        bytes_ = FLOOR_BYTES[function]
        floor = seconds[:, names.index("copy")] * bytes_ / 16
        seconds = np.column_stack([seconds, floor])
        names.append("floor")
        labels.append(f"{bytes_} bytes per element read and written, at the copy's speed")
    ratios = seconds[:, :1] / seconds
    elements = _elements(spec)
    rows = {}
    for i, name in enumerate(names):
        low, median, high = np.percentile(ratios[:, i], [25, 50, 75])
        rows[name] = {
            "label": labels[i],
            "seconds": float(np.median(seconds[:, i])),
            "ns_per_element": float(np.median(seconds[:, i])) / elements * 1e9,
            "ratio": float(median),
            "ratio_low": float(low),
            "ratio_high": float(high),
        }
    return rows


def time_case_in_subprocess(
    function: str, spec: Any, repeats: int, seed: int = 0, malloc: str = "steady"
) -> dict[str, Any]:
    """time_case in a fresh Python process (with STEADY_MALLOC unless malloc="default")."""
    env = dict(os.environ)
    if malloc == "steady":
        env.update(STEADY_MALLOC)
    command = [
        sys.executable,
        "-m",
        "numeric.benchmark",
        "--worker",
        function,
        _spec_text(spec),
        str(repeats),
        str(seed),
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(
            f"benchmark worker for {function} at {_spec_text(spec)} failed:\n{done.stderr}"
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


@cache
def _reference(function: str) -> tuple[tuple, tuple[np.ndarray, ...]]:
    case = CASES[function]
    grid = case.grid()
    return grid, tuple(np.asarray(w, dtype=np.float64) for w in case.reference(*grid))


def _outputs(candidate: Candidate, grid: tuple) -> tuple[tuple[np.ndarray, ...], int]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
            out = candidate.finish(candidate.run(*candidate.prepare(grid)))
    out = out if isinstance(out, tuple) else (out,)
    return tuple(np.asarray(o, dtype=np.float64) for o in out), len(caught)


def accuracy(function: str) -> dict[str, dict[str, Any]]:
    """Per candidate: the largest error in ULPs on the case's grid, and inf, nan, warnings."""
    case: Case = CASES[function]
    grid, want = _reference(function)
    rows = {}
    for candidate in case.candidates():
        if candidate.name in ("copy", "matvec"):  # floors: not the function's values
            continue
        got, warned = _outputs(candidate, grid)
        errors = [ulp_error(g, w) for g, w in zip(got, want, strict=True)]
        rows[candidate.name] = {
            "max_ulp": float(max(e.max() for e in errors)),
            "points": int(sum(w.size for w in want)),
            "inf": int(sum(np.isinf(g).sum() for g in got)),
            "nan": int(sum(np.isnan(g).sum() for g in got)),
            "warnings": warned,
        }
    return rows
