"""A derivative checked by eye: a function, its analytic derivative, a finite difference over it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray

from numeric._validation import as_float_arrays
from numeric.figures.style import COLORS, curve, new_figure, style
from numeric.figures.style import points as points_style
from numeric.finite_differences import Method, finite_difference

__all__ = ["FLOOR", "plot_derivative", "relative_difference"]

# Two different float64 numbers differ relatively by at least 2**-53 (subnormals aside), so a
# relative difference drawn at 2**-54 is an exact agreement, below every other point.
FLOOR = 2.0**-54
METHODS = ("central", "richardson", "complex")


def relative_difference(estimate: ArrayLike, exact: ArrayLike) -> NDArray[np.float64]:
    """|estimate - exact| / max(|estimate|, |exact|): 0 where they agree, at most 2.

    Where both are 0 it is 0. This is the lower panel of :func:`plot_derivative`, before
    exact agreements are raised to FLOOR.

    >>> relative_difference([1.0, 0.0, 0.0, 2.0], [1.0, 0.0, 1e-12, 1.0])
    array([0. , 0. , 1. , 0.5])
    """
    a, b = np.asarray(estimate, dtype=np.float64), np.asarray(exact, dtype=np.float64)
    size = np.maximum(np.abs(a), np.abs(b))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(size == 0, 0.0, np.abs(a - b) / np.where(size == 0, 1.0, size))


def plot_derivative(
    f: Callable[[NDArray[Any]], ArrayLike],
    fprime: Callable[[NDArray[Any]], ArrayLike],
    x: ArrayLike,
    *,
    method: Method = "central",
) -> Figure:
    """A Figure that checks the analytic derivative ``fprime`` of ``f`` on the points ``x``.

    The upper panel draws f(x) (solid), fprime(x) (dashed) and, over it as hollow markers,
    the finite-difference derivative ``numeric.finite_difference(f, x, method=method)``; the lower
    panel draws their :func:`relative_difference` on a log scale, where an exact agreement
    (relative difference 0) is drawn at ``FLOOR`` = 2**-54 and said so in the panel. f and
    fprime act elementwise on a float64 array; x is a 1-d array of at least two finite real
    numbers (evaluated in float64). The legend names f and fprime by their ``__name__``; the
    returned Figure uses no pyplot state, so drawing opens no window.

    >>> import io
    >>> import numpy as np
    >>> fig = plot_derivative(np.sin, np.cos, np.linspace(0.0, 6.0, 61))
    >>> top, bottom = fig.axes
    >>> [line.get_label() for line in top.get_lines()]
    ['sin(x)', 'cos(x), analytic', 'central difference']
    >>> bottom.get_yscale(), bottom.get_ylabel()
    ('log', 'relative difference')
    >>> fig.savefig(io.BytesIO(), format="png")  # rendered by Agg, no window
    """
    points = _checked(f, fprime, x, method)
    values = _values(f, points, "f")
    exact = _values(fprime, points, "fprime")
    estimate = np.asarray(finite_difference(f, points, method=method), dtype=np.float64)
    difference = relative_difference(estimate, exact)
    with style():
        fig, ((top,), (bottom,)) = new_figure(rows=2, height=4.4, height_ratios=(2, 1))
        top.sharex(bottom)
        top.plot(points, values, **curve(0), label=f"{_name(f, 'f')}(x)")
        top.plot(points, exact, **curve(6), label=f"{_name(fprime, 'fprime')}(x), analytic")
        # The estimate as hollow markers, spaced along it: the analytic curve shows through.
        hollow = {"markerfacecolor": "none", "markersize": 5, "markevery": (0.01, 0.035)}
        top.plot(points, estimate, **points_style(1, **hollow), label=_METHOD[method])
        top.set_ylabel("value")
        top.legend(loc="best")
        top.tick_params(labelbottom=False)
        bottom.semilogy(points, np.maximum(difference, FLOOR), color=COLORS[0])
        bottom.set_xlabel("$x$")
        bottom.set_ylabel("relative difference")
        if np.any(difference == 0):
            bottom.text(0.01, 0.02, "exact agreement drawn at $2^{-54}$", fontsize=8,
                        transform=bottom.transAxes, color="0.3")  # fmt: skip
    return fig


_METHOD = {
    "central": "central difference",
    "richardson": "Richardson extrapolation",
    "complex": "complex step",
}


def _name(function: Callable[..., Any], default: str) -> str:
    name = getattr(function, "__name__", "")
    return name if name.isidentifier() else default


def _checked(f: Any, fprime: Any, x: ArrayLike, method: Any) -> NDArray[np.float64]:
    for name, value in (("f", f), ("fprime", fprime)):
        if not callable(value):
            raise TypeError(f"plot_derivative: {name} must be callable, got {type(value).__name__}")
    if method not in METHODS:
        raise ValueError(f"plot_derivative: method must be one of {METHODS}, got {method!r}")
    (points,), _ = as_float_arrays("plot_derivative", x=x)
    if points.ndim != 1 or points.size < 2:
        raise ValueError(
            f"plot_derivative: x must be 1-d with at least two points, got shape {points.shape}"
        )
    if not np.all(np.isfinite(points)):
        raise ValueError("plot_derivative: x must be finite")
    return points.astype(np.float64)


def _values(function: Callable[..., ArrayLike], points: NDArray[np.float64], name: str):
    values = np.asarray(function(points))
    if values.dtype.kind not in "biuf":
        raise TypeError(f"plot_derivative: {name}(x) must be real, got dtype {values.dtype}")
    if values.shape != points.shape:
        raise ValueError(
            f"plot_derivative: {name}(x) must have the shape of x, {points.shape}, "
            f"got {values.shape}"
        )
    return values.astype(np.float64)
