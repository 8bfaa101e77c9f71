"""The figures as files: SVG and PNG bytes that do not depend on the machine that draws them.

Several figures plot rounding errors (finite differences, relative differences), whose
last bits depend on which SIMD loops NumPy dispatches on the CPU at hand: with AVX-512 an
exponential may round differently than with AVX2. So the files are drawn in a child
process in which NumPy runs only its baseline loops (``NPY_DISABLE_CPU_FEATURES`` set to
every feature it would dispatch), and every x86-64 machine with the same library versions
writes the same bytes. ``python -m numeric.figures.files FOLDER NAME...`` is that child.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

__all__ = ["baseline_environment", "draw_files", "figure_bytes"]


def baseline_environment() -> dict[str, str]:
    """The environment variables that make NumPy use only its baseline SIMD code here.

    >>> sorted(baseline_environment())
    ['NPY_DISABLE_CPU_FEATURES']
    """
    from numpy._core import _multiarray_umath

    dispatched = getattr(_multiarray_umath, "__cpu_dispatch__", [])
    return {"NPY_DISABLE_CPU_FEATURES": " ".join(dispatched)}


def figure_bytes(spec) -> tuple[bytes, bytes]:
    """The figure ``spec`` drawn and saved as (SVG, PNG), with no date or tool in the files."""
    from numeric.figures.style import style

    fig = spec.draw()
    with style():
        svg, png = io.BytesIO(), io.BytesIO()
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
        fig.savefig(png, format="png", metadata={"Software": None})
    return svg.getvalue(), png.getvalue()


def draw_files(names: Iterable[str], folder: Path) -> None:
    """Write ``NAME.svg`` and ``NAME.png`` into ``folder`` for each figure, in a child process.

    Raises ``RuntimeError`` with the child's output if drawing fails. An interruption
    (KeyboardInterrupt, or SystemExit from a SIGTERM handler) kills the child first.
    """
    command = [sys.executable, "-m", "numeric.figures.files", str(folder), *names]
    run = subprocess.run(
        command,
        env={**os.environ, **baseline_environment()},
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"drawing the figures failed:\n{run.stdout}{run.stderr}")


def main(argv: list[str]) -> int:
    from numeric.figures import figures

    folder, *names = argv
    specs = figures()
    for name in names:
        svg, png = figure_bytes(specs[name])
        (Path(folder) / f"{name}.svg").write_bytes(svg)
        (Path(folder) / f"{name}.png").write_bytes(png)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
