"""What each squashing function, its loss and its slope cost per element, relative to the sigmoid.

Run ``python -m numeric.benchmark --suite squashing`` (``--sizes``, ``--repeats`` and
``--seed`` apply; ``--help`` for the rest). Every repeat
times every function once on the same array, in a rotated order, so that all of them
share the machine's state of the moment; each function's cost is then divided by the
sigmoid's in the same repeat. The table gives the median ratio over the repeats and its
spread (the quartiles), and the median time per element.

>>> rows = measure(size=2000, repeats=3)
>>> rows[0].function, rows[0].curve, rows[0].ratio
('sigmoid', 'logistic', 1.0)
>>> sorted({row.function for row in rows})
['loss', 'p', 'sigmoid', 'slope']
>>> print(table(rows).splitlines()[4][:8])
logistic
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from numeric.activations import sigmoid
from numeric.squashing import NAMES, loss, loss_slope, squash

__all__ = ["DEFAULT_SIZE", "Row", "measure", "table"]

DEFAULT_SIZE = 200_000


@dataclass(frozen=True)
class Row:
    """One function's cost: median time per element, and its ratio to the sigmoid's."""

    function: str  # "sigmoid", "p", "loss" or "slope"
    curve: str
    nanoseconds: float  # median time per element
    ratio: float  # median over repeats of (time / the sigmoid's time in that repeat)
    low: float  # first quartile of the ratio
    high: float  # third quartile of the ratio


def _candidates() -> list[tuple[str, str, Callable]]:
    found: list[tuple[str, str, Callable]] = [("sigmoid", "logistic", sigmoid)]
    for function, apply in (("p", squash), ("loss", loss), ("slope", loss_slope)):
        found += [(function, name, partial(apply, name)) for name in NAMES]
    return found


def measure(size: int = DEFAULT_SIZE, repeats: int = 21, seed: int = 0) -> list[Row]:
    """Time every function on ``size`` points uniform in [-20, 20], ``repeats`` times.

    The first row is the sigmoid itself (ratio 1).
    """
    if size < 1 or repeats < 1:
        raise ValueError(f"measure: size and repeats must be positive, got {size} and {repeats}")
    x = np.random.default_rng(seed).uniform(-20.0, 20.0, size)
    candidates = _candidates()
    for _, _, f in candidates:
        f(x)  # compile the kernel, warm the caches
    seconds = np.empty((repeats, len(candidates)))
    for r in range(repeats):
        order = np.roll(np.arange(len(candidates)), r)
        for i in order:
            start = time.perf_counter()
            candidates[i][2](x)
            seconds[r, i] = time.perf_counter() - start
    ratios = seconds / seconds[:, :1]
    rows = []
    for i, (function, curve, _) in enumerate(candidates):
        low, median, high = np.percentile(ratios[:, i], [25, 50, 75])
        nanoseconds = float(np.median(seconds[:, i])) / size * 1e9
        rows.append(Row(function, curve, nanoseconds, float(median), float(low), float(high)))
    return rows


def table(rows: Sequence[Row]) -> str:
    """The rows as a plain-text table: one line per curve, p, loss and slope side by side."""
    by_key = {(row.function, row.curve): row for row in rows}
    base = by_key["sigmoid", "logistic"]
    lines = [
        f"sigmoid: {base.nanoseconds:.1f} ns per element (the unit of the ratios below)",
        "",
        f"{'curve':<14}" + "".join(f"{h:>24}" for h in ("p(x)", "-ln p(x)", "d(-ln p)/dx")),
        f"{'':<14}" + "".join(f"{'ratio (quartiles)  ns':>24}" for _ in range(3)),
    ]
    for name in NAMES:
        cells = []
        for function in ("p", "loss", "slope"):
            row = by_key[function, name]
            quartiles = f"({row.low:4.1f}-{row.high:4.1f})"
            cells.append(f"{row.ratio:5.1f} {quartiles} {row.nanoseconds:5.1f}")
        lines.append(f"{name:<14}" + "".join(f"{c:>24}" for c in cells))
    return "\n".join(lines)
