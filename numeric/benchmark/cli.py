"""The command line of ``python -m numeric.benchmark``, and :func:`run`, which it prints."""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import platform
import subprocess as subprocess_module
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

from numeric.benchmark import measure, report, squashing, sympy_side
from numeric.benchmark.cases import CASES, optional_module

__all__ = ["main", "run"]

DEFAULT_SIZES = (10_000, 1_000_000, 10_000_000)
# --simd avx2: NumPy's AVX-512 loops disabled (its AVX2 ones run), in every process.
AVX2 = {"NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL"}


def simd() -> str:
    """The SIMD targets NumPy dispatches in this process (its build's, less those disabled)."""
    from numpy._core._multiarray_umath import (
        __cpu_baseline__,
        __cpu_dispatch__,
        __cpu_features__,
    )

    used = [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]
    disabled = os.environ.get("NPY_DISABLE_CPU_FEATURES", "").split()
    used = [f for f in used if f not in disabled]
    text = f"NumPy SIMD: baseline {' '.join(__cpu_baseline__)}; dispatched {' '.join(used)}"
    return text + (f" (disabled: {' '.join(disabled)})" if disabled else "")


DEFAULT_BATCH = (200_000, 50)


def _size_text(size: int) -> str:
    """1e6 for 1000000; other sizes as they are."""
    exponent = len(str(size)) - 1
    return f"1e{exponent}" if size == 10**exponent else str(size)


def _machine() -> str:
    model = platform.machine()
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def _versions() -> tuple[str, list[str]]:
    import sympy

    parts = [
        f"Python {platform.python_version()}",
        f"NumPy {np.__version__}",
        f"SymPy {sympy.__version__}",
    ]
    notes = []
    scipy = optional_module("scipy")
    if scipy is None:
        notes.append("SciPy is not installed: no scipy rows (pip install scipy to add them)")
    else:
        parts.append(f"SciPy {scipy.__version__}")
    torch = optional_module("torch")
    if torch is None:
        notes.append("PyTorch is not installed: no torch rows")
    else:
        parts.append(f"PyTorch {torch.__version__} on the CPU (torch: 1 thread, torch2: 2)")
    jax = optional_module("jax")
    if jax is None:
        notes.append("JAX is not installed: no jax rows")
    else:
        parts.append(f"JAX {jax.__version__} (jit, float64)")
    return ", ".join(parts), notes


def _method(subprocess: bool, malloc: str, repeats: int) -> str:
    where = "each function and size in a fresh Python process" if subprocess else "in one process"
    if subprocess and malloc == "steady":
        settings = " ".join(f"{k}={v}" for k, v in measure.STEADY_MALLOC.items())
        memory = (
            f"with {settings}, so freed temporaries up to 32 MiB are reused without page "
            "faults by every candidate (larger ones are fresh mappings for all alike)"
        )
    else:
        memory = "with the allocator's default settings"
    return (
        f"Timing: {where}, {memory}; inputs built once and reused; {repeats} rounds, each "
        "running every candidate once in a rotated order; ratios are times of the same round."
    )


def run(
    functions: Sequence[str] | None = None,
    sizes: Sequence[int] = DEFAULT_SIZES,
    batch_shape: tuple[int, int] = DEFAULT_BATCH,
    repeats: int = 15,
    seed: int = 0,
    subprocess: bool = True,
    malloc: str = "steady",
    sympy: bool = True,
    derivations: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Measure; return the results as a JSON-ready dict (see :mod:`numeric.benchmark`)."""
    functions = list(functions or CASES)
    unknown = [f for f in functions if f not in CASES]
    if unknown:
        raise ValueError(f"unknown functions {unknown}; known: {', '.join(CASES)}")
    if repeats < 1 or any(s < 1 for s in sizes) or min(batch_shape) < 1:
        raise ValueError("repeats, sizes and the batch shape must be positive")
    versions, notes = _versions()
    results: dict[str, Any] = {
        "date": datetime.date.today().isoformat(),
        "machine": _machine(),
        "versions": versions + "; " + simd(),
        "method": _method(subprocess, malloc, repeats),
        "notes": notes + [n for f in functions for n in CASES[f].notes],
        "repeats": repeats,
        "functions": {},
    }
    for function in functions:
        case = CASES[function]
        specs = (
            [(f"{batch_shape[0]}x{batch_shape[1]}", batch_shape)]
            if case.batch
            else [(_size_text(s), s) for s in sizes]
        )
        timing = {}
        for text, spec in specs:
            if subprocess:
                timing[text] = measure.time_case_in_subprocess(
                    function, spec, repeats, seed, malloc
                )
            else:
                timing[text] = measure.time_case(function, spec, repeats, seed)
        labels = {c.name: c.label for c in case.candidates()}
        labels.update({n: r["label"] for n, r in next(iter(timing.values())).items()})
        results["functions"][function] = {
            "grid": case.grid_text,
            "labels": labels,
            "timing": timing,
            "accuracy": measure.accuracy(function),
        }
    if sympy:
        results["sympy"] = {
            "import_numeric": sympy_side.import_seconds("numeric"),
            "import_derivations": sympy_side.import_seconds("derivations"),
            "first_call": {f: sympy_side.first_call_seconds(f) for f in functions},
            "verify": sympy_side.verify_seconds(derivations),
            "check": sympy_side.check_seconds(derivations),
        }
    results["targets"] = report.targets(results)
    return results


def _sizes(text: str) -> list[int]:
    try:
        return [int(float(s)) for s in text.split(",") if s]
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes must be numbers like 1e6, got {text!r}") from None


def _shape(text: str) -> tuple[int, int]:
    try:
        rows, columns = (int(float(s)) for s in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"shape must be ROWSxCOLUMNS, got {text!r}") from None
    return rows, columns


def _worker(argv: Sequence[str]) -> int:
    function, spec, repeats, seed = argv
    size = _shape(spec) if "x" in spec else int(spec)
    print(json.dumps(measure.time_case(function, size, int(repeats), int(seed))))
    return 0


def _squashing_suite(sizes: list[int] | None, repeats: int | None, seed: int, as_json: bool) -> int:
    """Print the squashing suite's table (or its rows as JSON) for each size."""
    repeats = repeats or 21
    tables = {}
    for size in sizes or [squashing.DEFAULT_SIZE]:
        rows = squashing.measure(size, repeats, seed)
        tables[_size_text(size)] = [dataclasses.asdict(row) for row in rows]
        if not as_json:
            print(f"{size} float64 points uniform in [-20, 20], {repeats} interleaved repeats\n")
            print(squashing.table(rows) + "\n")
    if as_json:
        print(json.dumps({"suite": "squashing", "repeats": repeats, "sizes": tables}, indent=1))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options, measure, print the table (or JSON with --json).

    Long because it declares every option of the benchmark (argparse) before dispatching to the
    suites; the help a user sees is this function, top to bottom.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--worker"]:
        return _worker(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python -m numeric.benchmark",
        description="Speed and accuracy of numeric's functions beside hand-written NumPy, "
        "plain lambdify, SciPy and PyTorch; and the cost of the SymPy side.",
    )
    parser.add_argument(
        "--functions",
        default=",".join(CASES),
        help=f"comma-separated, from: {', '.join(CASES)} (default: all)",
    )
    parser.add_argument(
        "--suite",
        choices=["functions", "squashing"],
        default="functions",
        help="functions: each public function beside the alternatives (default); squashing: the "
        "seven S-curves, their losses and slopes, in ratios to the sigmoid (--sizes, --repeats, "
        "--seed and --json apply)",
    )
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=None,
        help="elements (default 1e4,1e6,1e7; for --suite squashing 200000)",
    )
    parser.add_argument(
        "--batch-shape",
        type=_shape,
        default=DEFAULT_BATCH,
        help="X for the batch gradients (200000x50)",
    )
    parser.add_argument(
        "--repeats", type=int, default=None, help="interleaved rounds (default 15; squashing 21)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the timing inputs")
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="time every case in this process instead of a fresh process per case",
    )
    parser.add_argument(
        "--malloc",
        choices=["steady", "default"],
        default="steady",
        help="steady: the workers keep freed memory (no page faults on reuse); default: as is",
    )
    parser.add_argument("--no-sympy", action="store_true", help="skip the SymPy side")
    parser.add_argument(
        "--derivations", default="", help="comma-separated slugs for the SymPy side (default: all)"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--simd",
        choices=["default", "avx2"],
        default="default",
        help="avx2: rerun everything with NumPy's AVX-512 loops disabled "
        '(NPY_DISABLE_CPU_FEATURES="X86_V4 AVX512_ICL" in this process and its workers)',
    )
    parser.add_argument(
        "--fixed-cost",
        action="store_true",
        help="only the per-call cost on a Python float and 1e3 elements, beside hand NumPy",
    )
    args = parser.parse_args(argv)
    if (
        args.simd == "avx2"
        and os.environ.get("NPY_DISABLE_CPU_FEATURES") != AVX2["NPY_DISABLE_CPU_FEATURES"]
    ):  # NumPy reads the variable when it starts: the whole run again, in a child
        rest = [a for a in argv if a not in ("--simd", "avx2", "--simd=avx2")]
        command = [sys.executable, "-m", "numeric.benchmark", *rest, "--simd", "avx2"]
        return subprocess_module.run(command, env={**os.environ, **AVX2}, check=False).returncode
    if args.fixed_cost:
        from numeric.benchmark import fixed_cost

        print(fixed_cost.table(args.repeats or 15))
        return 0
    if args.suite == "squashing":
        return _squashing_suite(args.sizes, args.repeats, args.seed, args.json)
    functions = [f for f in args.functions.split(",") if f]
    unknown = [f for f in functions if f not in CASES]
    if unknown:
        parser.error(f"unknown function(s) {', '.join(unknown)}; known: {', '.join(CASES)}")
    results = run(
        functions,
        args.sizes or DEFAULT_SIZES,
        args.batch_shape,
        args.repeats or 15,
        args.seed,
        subprocess=not args.in_process,
        malloc=args.malloc,
        sympy=not args.no_sympy,
        derivations=[s for s in args.derivations.split(",") if s] or None,
    )
    print(json.dumps(results, indent=1) if args.json else report.text(results))
    return 0
