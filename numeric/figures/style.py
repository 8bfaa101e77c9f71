"""One look for every figure: size, fonts, colours, grid."""

from __future__ import annotations

from contextlib import contextmanager

import matplotlib as mpl
from matplotlib.figure import Figure

__all__ = ["COLORS", "DASHES", "HATCHES", "MARKERS", "curve", "new_figure", "points", "style"]

# Colour-blind-safe (Okabe and Ito), in the order lines are usually drawn.
COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
# A dash pattern and a marker for each colour, in the same order, so that curves stay apart in
# grayscale too: solid, dashed, dash-dot, dotted, long dashes, dash-dot-dot, short dashes.
DASHES = (
    "-",
    (0, (5, 2)),
    (0, (6, 2, 1.5, 2)),
    (0, (1, 1.5)),
    (0, (10, 3)),
    (0, (5, 1.5, 1.5, 1.5, 1.5, 1.5)),
    (0, (2.5, 1.5)),
)
MARKERS = ("o", "s", "^", "D", "X", "P", "v")
# Bars carry a hatch each, for the same reason.
HATCHES = ("", "////", "....", "xxxx", "\\\\\\\\", "++++", "oo")
# Markers on a curve sit this far apart along it (a fraction of the Axes' diagonal); curve k
# starts (k + 1/2)/7 of that further on, so the markers of curves that run together do not coincide.
MARK_SPACING = 0.09

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
    "axes.prop_cycle": mpl.cycler(color=COLORS) + mpl.cycler(linestyle=DASHES),
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


def curve(k: int, *, marked: bool = False, **extra) -> dict:
    """Line properties of curve k: colour and dash k, and with ``marked`` marker k as well.

    Markers, spaced along the curve and offset by k, keep curves apart that coincide.

    >>> curve(1)["linestyle"]
    (0, (5, 2))
    >>> curve(2, marked=True)["marker"]
    '^'
    """
    line = {"color": COLORS[k], "linestyle": DASHES[k]}
    if marked:
        start = MARK_SPACING * (0.5 + k) / len(COLORS)
        line |= {"marker": MARKERS[k], "markevery": (start, MARK_SPACING), "markersize": 4.5}
    return line | extra


def points(k: int, **extra) -> dict:
    """Properties of a series drawn as markers only: colour and marker k, no line.

    >>> points(0)["linestyle"], points(0)["marker"]
    ('none', 'o')
    """
    return {"color": COLORS[k], "linestyle": "none", "marker": MARKERS[k]} | extra
