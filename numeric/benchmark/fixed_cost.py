"""The fixed cost of a call: numeric's functions beside the hand-written NumPy expression.

On one Python float, on 10 and on 1e3 elements, the sizes where the per-call work of validation,
dispatch and buffers shows; timed with timeit in this process, candidates interleaved
round by round, medians reported as ratios (numeric's time over the hand-written one's).
``python -m numeric.benchmark --fixed-cost`` prints the table.
"""

from __future__ import annotations

import statistics
import timeit
from collections.abc import Callable
from functools import partial

import numpy as np

__all__ = ["HAND_WRITTEN", "TARGETS", "measure", "table"]


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _sigmoid_prime(z):
    s = 1 / (1 + np.exp(-z))
    return s * (1 - s)


def _log_sigmoid(z):
    return -np.logaddexp(0, -z)


def _bce_with_logits(z, y):
    return np.logaddexp(0, z) - y * z


# The targets of issue 17: the largest ratio allowed per input (none on 10 elements).
TARGETS = {"float": 3.0, "1e3": 1.5}

# numeric's name -> (the hand-written NumPy expression, its text, how many arguments)
HAND_WRITTEN: dict[str, tuple[Callable, str, int]] = {
    "sigmoid": (_sigmoid, "1/(1 + np.exp(-z))", 1),
    "sigmoid_derivative": (_sigmoid_prime, "s*(1 - s) of that", 1),
    "log_sigmoid": (_log_sigmoid, "-np.logaddexp(0, -z)", 1),
    "bce_with_logits": (_bce_with_logits, "np.logaddexp(0, z) - y*z", 2),
}


def measure(rounds: int = 15, number: int = 2000, seed: int = 0) -> list[dict]:
    """One row per function and input (a Python float, 10, 1e3 elements): medians and ratio."""
    import numeric

    rng = np.random.default_rng(seed)
    inputs = {
        "float": (0.5, 1.0),
        "10": (rng.uniform(-10, 10, 10), rng.uniform(0, 1, 10)),
        "1e3": (rng.uniform(-10, 10, 1000), rng.uniform(0, 1, 1000)),
    }
    rows = []
    for label, values in inputs.items():
        for name, (hand, text, arity) in HAND_WRITTEN.items():
            ours, args = getattr(numeric, name), values[:arity]
            calls = {"numeric": partial(ours, *args), "hand": partial(hand, *args)}
            times: dict[str, list[float]] = {"numeric": [], "hand": []}
            for call in calls.values():
                call()  # warm up
            for _ in range(rounds):
                for key, call in calls.items():
                    times[key].append(timeit.timeit(call, number=number))
            mine, theirs = (statistics.median(times[k]) / number for k in ("numeric", "hand"))
            rows.append(
                {
                    "function": name,
                    "input": label,
                    "numeric_s": mine,
                    "hand_s": theirs,
                    "ratio": mine / theirs,
                    "target": TARGETS.get(label),
                    "hand": text,
                }
            )
    return rows


def table(rounds: int = 15) -> str:
    """The rows of :func:`measure` as text."""
    lines = [
        f"{'input':<6} {'function':<18} {'numeric':>10} {'hand':>10} {'ratio':>6}  "
        f"{'target':<14} hand-written"
    ]
    for r in measure(rounds):
        bound = r["target"]
        verdict = (
            "-"
            if bound is None
            else f"<= {bound:g} " + ("met" if r["ratio"] <= bound else "NOT met")
        )
        lines.append(
            f"{r['input']:<6} {r['function']:<18} {r['numeric_s'] * 1e6:8.2f}us "
            f"{r['hand_s'] * 1e6:8.2f}us {r['ratio']:6.2f}  {verdict:<14} {r['hand']}"
        )
    return "\n".join(lines)
