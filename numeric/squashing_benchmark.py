"""Deprecated: the squashing benchmark is ``python -m numeric.benchmark --suite squashing``.

Its functions live in :mod:`numeric.benchmark.squashing`; the names here still work, with a
DeprecationWarning, for one release, and running this module runs the suite.
"""

from __future__ import annotations

import sys
import warnings
from typing import Any

__all__ = ["main"]  # Row, measure and table too, deprecated (module __getattr__)

_MOVED = "numeric.squashing_benchmark moved: run `python -m numeric.benchmark --suite squashing`"


def main(argv: list[str] | None = None) -> int:
    """Run ``python -m numeric.benchmark --suite squashing`` with the same options."""
    from numeric.benchmark.cli import main as benchmark_main

    warnings.warn(_MOVED, DeprecationWarning, stacklevel=2)
    argv = list(sys.argv[1:] if argv is None else argv)
    argv = ["--sizes" if a == "--size" else a for a in argv]  # the old option's name
    return benchmark_main(["--suite", "squashing", *argv])


def __getattr__(name: str) -> Any:
    if name in ("Row", "measure", "table"):
        from numeric.benchmark import squashing

        warnings.warn(
            f"numeric.squashing_benchmark.{name} moved to numeric.benchmark.squashing.{name}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(squashing, name)
    raise AttributeError(f"module 'numeric.squashing_benchmark' has no attribute {name!r}")


if __name__ == "__main__":
    print(_MOVED, file=sys.stderr)
    raise SystemExit(main())
