"""One way to compute a benchmarked function (:class:`Candidate`), and optional libraries."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Candidate", "optional_module"]


@dataclass(frozen=True)
class Candidate:
    """One way to compute a case's function: ``run(*prepare(inputs))``, outputs via ``finish``."""

    name: str  # numeric, numpy, lambdify, scipy, torch or copy
    label: str  # the code, as a reader would write it
    run: Callable[..., Any]
    prepare: Callable[[tuple], tuple] = tuple
    finish: Callable[[Any], Any] = lambda out: out


def optional_module(name: str) -> Any | None:
    """The module, or None when it is not installed (SciPy and PyTorch are optional)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None
