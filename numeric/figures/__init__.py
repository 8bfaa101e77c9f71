"""The figures of the document, drawn with matplotlib from the toolkit's own NumPy functions.

Each topic module defines ``FIGURES``, a tuple of :class:`FigureSpec`. Drawing
returns a ``matplotlib.figure.Figure`` and touches no global pyplot state;
saving (deterministically) is the build's job. :mod:`numeric.figures.derivative_plot`
holds the public ``numeric.plot_derivative``, which draws ``sigmoid-and-derivative`` too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module

from matplotlib.figure import Figure

__all__ = ["FigureSpec", "figures"]

FIGURE_MODULES = (
    "numeric.figures.sigmoid",
    "numeric.figures.gaussians",
    "numeric.figures.losses",
    "numeric.figures.squashing",
)


@dataclass(frozen=True)
class FigureSpec:
    """A named figure: its file stem, its caption, and the function that draws it."""

    name: str
    caption: str
    draw: Callable[[], Figure]


@cache
def _all() -> dict[str, FigureSpec]:
    found: dict[str, FigureSpec] = {}
    for name in FIGURE_MODULES:
        try:
            module = import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue  # a topic not written yet
        for spec in module.FIGURES:
            if spec.name in found:
                raise ValueError(f"two figures share the name {spec.name!r}")
            found[spec.name] = spec
    return found


def figures() -> dict[str, FigureSpec]:
    """Every figure, by name.

    >>> "sigmoid-and-derivative" in figures()
    True
    """
    return dict(_all())
