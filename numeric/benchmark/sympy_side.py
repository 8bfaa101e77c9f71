"""The cost of the SymPy side: imports, the first call of each function, verification.

``import numeric`` is lazy; the first call of a function imports its kernel, generated
ahead of time (no SymPy), while ``numeric.lambdify`` compiles a user's expression at run
time. Each of these is timed in a fresh process, as a user meets it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any

__all__ = ["check_seconds", "first_call_seconds", "import_seconds", "verify_seconds"]

# Small arguments for a first call of each function.
FIRST_CALLS = {
    "sigmoid": "numeric.sigmoid(0.5)",
    "sigmoid_derivative": "numeric.sigmoid_derivative(0.5)",
    "log_sigmoid": "numeric.log_sigmoid(0.5)",
    "bce_with_logits": "numeric.bce_with_logits(0.5, 1.0)",
    "mse_gradient": "numeric.mse_gradient(1.0, 0.0, 2.0, 2.0)",
    "bce_gradient": "numeric.bce_gradient(1.0, 0.0, 2.0, 2.0)",
    "bce_mean_gradient": "numeric.bce_mean_gradient([[1.0, 2.0]], [1.0], [0.5, 0.5], 0.0)",
    "gaussian_posterior": "numeric.gaussian_posterior(0.5, -1.0, 1.0, 1.5)",
    "softmax": "numeric.softmax([1.0, 2.0])",
    # Your own expression compiles at run time: SymPy's import and cse are part of it
    "lambdify": (
        "import sympy; from derivations.functions import sigmoid; z = sympy.Symbol('z'); "
        "numeric.lambdify(z, z * sigmoid(z))(0.5)"
    ),
}


def _seconds_in_fresh_process(setup: str, statement: str) -> float:
    code = (
        f"import time\n{setup}\nstart = time.perf_counter()\n{statement}\n"
        "print(time.perf_counter() - start)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def import_seconds(module: str, repeats: int = 3) -> float:
    """Median time of ``import module`` in a fresh process."""
    times = sorted(_seconds_in_fresh_process("", f"import {module}") for _ in range(repeats))
    return times[len(times) // 2]


def first_call_seconds(function: str) -> float:
    """Time of the first call of numeric.FUNCTION in a fresh process, after ``import numeric``."""
    return _seconds_in_fresh_process("import numeric", FIRST_CALLS[function])


def verify_seconds(slugs: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Each derivation's verify() in this process, one after another: seconds and claims."""
    from derivations.catalog import catalog

    derivations = catalog()
    rows = []
    for slug in slugs or list(derivations):
        start = time.perf_counter()
        report = derivations[slug].verify()
        rows.append(
            {
                "slug": slug,
                "seconds": time.perf_counter() - start,
                "proven": report.proven,
                "numeric": report.numeric,
            }
        )
    return rows


def check_seconds(slugs: Sequence[str] | None = None) -> dict[str, Any]:
    """Wall time of ``python -m derivations check`` (parallel workers), and its verdict."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "derivations", "check", *(slugs or [])],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    reported = re.search(r"([0-9.]+) s$", summary)
    return {
        "wall_seconds": wall,
        "reported_seconds": float(reported.group(1)) if reported else None,
        "summary": summary,
        "ok": done.returncode == 0,
    }
