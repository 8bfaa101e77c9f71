"""One look for every figure: size, fonts, colours, grid."""

from __future__ import annotations

from contextlib import contextmanager

import matplotlib as mpl
from matplotlib.figure import Figure

__all__ = ["COLORS", "new_figure", "style"]

# Colour-blind-safe (Okabe and Ito), in the order lines are usually drawn.
COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

RC = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=COLORS),
    "lines.linewidth": 1.8,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "svg.hashsalt": "sigmoid-derivations",
    "svg.fonttype": "path",
    "path.simplify": False,
}


@contextmanager
def style():
    """Apply the figures' rcParams for the duration of the block."""
    with mpl.rc_context(RC):
        yield


def new_figure(
    columns: int = 1,
    rows: int = 1,
    width: float = 6.4,
    height: float = 3.6,
    height_ratios: tuple[float, ...] | None = None,
):
    """A Figure (no pyplot) with a grid of axes, in the common style; returns (fig, axes)."""
    with style():
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(rows, columns, squeeze=False, height_ratios=height_ratios)
    return fig, axes
