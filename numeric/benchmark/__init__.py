"""Speed and accuracy of the toolkit's NumPy functions beside the code users would write instead.

Run ``python -m numeric.benchmark`` (``--help`` for the options). For each function it
times the toolkit against the obvious hand-written NumPy, SymPy's plain ``lambdify`` of the
textbook formula, and SciPy and PyTorch when they are installed (a note says when they are
not), beside a plain copy of the input, the memory-bandwidth floor. Beside each speed it
gives the largest error in ULPs against mpmath on a grid reaching the tails, and the counts
of inf, nan and warnings. Then the SymPy side: imports, first calls, verification.
How memory effects are controlled is in :mod:`numeric.benchmark.measure` and the output.

>>> results = run(functions=["sigmoid"], sizes=[1000], repeats=3, subprocess=False, sympy=False)
>>> row = results["functions"]["sigmoid"]["timing"]["1e3"]["numpy"]
>>> row["ratio"] > 0
True
>>> accuracy = results["functions"]["sigmoid"]["accuracy"]
>>> accuracy["numeric"]["max_ulp"] <= 4, accuracy["numpy"]["warnings"] > 0
(True, True)
"""

from __future__ import annotations

from numeric.benchmark.cli import main, run

__all__ = ["main", "run"]
