"""Finite-difference derivatives, and the checkers that hold analytic derivatives to them."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
from numpy.exceptions import ComplexWarning
from numpy.typing import ArrayLike, NDArray

from numeric.errors import DerivativeMismatch, NotComplexAnalytic

__all__ = ["check_derivative", "check_gradient", "derivative"]

Method = Literal["central", "richardson", "complex"]
Array = NDArray[np.float64]

_EPS = float(np.finfo(np.float64).eps)

# Default step per unit of scale max(|x|, 1), from each method's error model (truncation plus
# rounding, the rounding being about eps*|f|/h):
# - central: h**2 |f'''|/6 + eps |f|/h is smallest near h = eps**(1/3) ~ 6e-6, error ~ eps**(2/3).
# - richardson (central at h, h/2, h/4, the h**2 and h**4 terms eliminated): the truncation is
#   O(h**6) and the rounding grows to ~7 eps |f|/h, balanced near h = eps**(1/7) ~ 6e-3.
# - complex: Im f(x + ih)/h subtracts nothing, so h can be tiny and the O(h**2) error vanishes.
_STEP = {"central": _EPS ** (1 / 3), "richardson": _EPS ** (1 / 7), "complex": 1e-20}

# Default rtol (and atol) of the checkers, float64. The numeric error is the error model's unit
# (eps**(2/3) ~ 4e-11 for central, eps**(6/7) ~ 4e-14 for richardson, eps for complex) times a
# factor that depends on f (|f'''|, |f|/|f'|, ...) and is below ~100 for smooth functions at
# moderate arguments; the tolerances allow that factor and some more.
_RTOL = {"central": 1e-7, "richardson": 1e-10, "complex": 128 * _EPS}
# The analytic derivative is evaluated in the dtype of x: allow it 128 of that dtype's eps, which
# dominates for float32 (1.5e-5) and costs nothing for float64.
_ANALYTIC_ULPS = 128

_ADVICE = "use method='central' or method='richardson' instead"


def derivative(
    f: Callable[[Any], Any], x: ArrayLike, method: Method = "central", step: ArrayLike | None = None
) -> NDArray[np.floating]:
    """The derivative of an elementwise function f at the points x, by finite differences.

    f must map an array to an array of the same shape. ``step`` is an absolute step (the first
    one for richardson); by default it is chosen per point from the method's error model,
    relative to max(|x|, 1). Accuracy on smooth functions at moderate arguments: central about
    1e-8 relative or better, richardson 1e-12, complex 1e-14 (the complex step needs a
    complex-analytic f and raises NotComplexAnalytic when it sees that f is not).

    f is always evaluated in float64; the result has the shape of x and dtype float64, or the
    dtype of x when that is float32 or float16 (rounded from the float64 estimate).

    >>> import numpy as np
    >>> derivative(np.sin, [0.0, np.pi], method="complex")
    array([ 1., -1.])
    >>> print(f"{derivative(np.exp, 1.0, method='richardson'):.13f}")
    2.7182818284590
    """
    points = _points(x)
    scale = np.maximum(np.abs(points.astype(np.float64)), 1.0)
    numeric, _ = _estimate(f, points.astype(np.float64), method, step, scale, _at_x(points))
    return numeric.astype(_out_dtype(points))


def check_derivative(
    f: Callable[[Any], Any],
    df: Callable[[Any], Any],
    x: ArrayLike,
    *,
    method: Method = "richardson",
    step: ArrayLike | None = None,
    rtol: float | None = None,
    atol: float | None = None,
) -> None:
    """Check the analytic derivative df of an elementwise f against finite differences at x.

    Passes (returns None) when ``|df(x) - numeric| <= atol + rtol * |numeric|`` at every point;
    else raises DerivativeMismatch naming the worst point. df is evaluated at x in its own dtype,
    f in float64. rtol defaults by method (central 1e-7, richardson 1e-10, complex 128 eps) and
    is at least 128 eps of the dtype of x (1.5e-5 for float32); atol defaults to rtol.

    >>> import numpy as np
    >>> check_derivative(np.tanh, lambda x: 1 - np.tanh(x) ** 2, np.linspace(-3, 3, 7))
    >>> check_derivative(np.tanh, lambda x: 1 + np.tanh(x) ** 2, [0.5, 1.0])
    Traceback (most recent call last):
    ...
    numeric.errors.DerivativeMismatch: analytic derivative is wrong at index 1, x = 1.0 ...
    """
    points = _points(x)
    scale = np.maximum(np.abs(points.astype(np.float64)), 1.0)
    numeric, steps = _estimate(f, points.astype(np.float64), method, step, scale, _at_x(points))
    analytic = _broadcast(df(points), points.shape, "df(x)")
    rtol, atol = _tolerances(points, method, rtol, atol)
    worst = _worst(analytic, numeric, rtol, atol)
    if worst is not None:
        i, failing = worst
        where = np.unravel_index(i, points.shape) if points.ndim > 1 else i
        header = f"analytic derivative is wrong at index {where}, x = {float(points.flat[i])!r}"
        raise DerivativeMismatch(
            _report(header, failing, "df(x)", "f'(x)", analytic, numeric, i, method, steps, rtol, atol)
        )


def check_gradient(
    f: Callable[[Any], Any],
    grad: Callable[[Any], Any],
    x: ArrayLike,
    *,
    method: Method = "richardson",
    step: ArrayLike | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    directions: int | None = None,
    seed: int = 0,
) -> None:
    """Check the gradient grad of a scalar function f at the point x against finite differences.

    By default each component is checked along its coordinate; with ``directions=k`` the
    directional derivatives along k seeded random unit directions are checked instead (cheaper
    for large x). Tolerances and the step are as for check_derivative; f and grad receive arrays
    of the shape of x, and grad must return that shape.

    >>> import numpy as np
    >>> def f(x):
    ...     return np.sum(x**2) + x[0] * x[1]
    >>> check_gradient(f, lambda x: 2 * x + x[::-1] * [1, 1, 0][::-1], np.array([1.0, 2.0, 3.0]))
    Traceback (most recent call last):
    ...
    numeric.errors.DerivativeMismatch: gradient component 2 is wrong at x = [1.0, 2.0, 3.0] ...
    """
    points = _points(x)
    x0 = points.astype(np.float64)
    if np.ndim(f(points)) != 0:
        raise ValueError(f"f must return a scalar, got shape {np.shape(f(points))}")
    g = _broadcast(grad(points), points.shape, "grad(x)").ravel()
    if directions is None:
        moves, t0 = None, x0.ravel()
        scale = np.maximum(np.abs(t0), 1.0)
        analytic = g
        label, noun = (lambda j: f"d f / d x[{_index(j, x0.shape)}]"), "gradient component"
    else:
        if directions < 1:
            raise ValueError(f"directions must be a positive number, got {directions}")
        moves = np.random.default_rng(seed).standard_normal((directions, x0.size))
        moves /= np.linalg.norm(moves, axis=1, keepdims=True)
        t0 = np.zeros(directions)
        scale = np.full(directions, max(float(np.max(np.abs(x0), initial=0.0)), 1.0))
        analytic = moves @ g
        moves = moves.reshape((directions, *x0.shape))
        label, noun = (lambda j: f"f' along direction {j}"), "directional derivative"
    phi = _along(f, x0, moves)
    describe = lambda j: f"{noun} {j}"  # noqa: E731
    numeric, steps = _estimate(phi, t0, method, step, scale, describe)
    rtol, atol = _tolerances(points, method, rtol, atol)
    worst = _worst(analytic, numeric, rtol, atol)
    if worst is not None:
        j, failing = worst
        header = f"{noun} {_index(j, x0.shape) if moves is None else j} is wrong at x = {x0.tolist()}"
        if moves is not None:
            header += f" (random direction {j} of {directions}, seed {seed}; directions=None finds the component)"
        raise DerivativeMismatch(
            _report(header, failing, "grad(x)", label(j), analytic, numeric, j, method, steps, rtol, atol)
        )


def _points(x: ArrayLike) -> NDArray[Any]:
    points = np.asarray(x)
    if points.dtype.kind not in "biuf":
        raise TypeError(f"x must hold real numbers, got dtype {points.dtype}")
    if not np.all(np.isfinite(points)):
        raise ValueError(f"x must be finite, got {points.tolist()}")
    return points


def _out_dtype(points: NDArray[Any]) -> np.dtype[Any]:
    narrow = points.dtype.kind == "f" and points.dtype.itemsize < 8
    return points.dtype if narrow else np.dtype(np.float64)


def _at_x(points: NDArray[Any]) -> Callable[[int], str]:
    return lambda i: f"x = {float(points.flat[i])!r} (index {_index(i, points.shape)})"


def _index(i: int, shape: tuple[int, ...]) -> int | tuple[int, ...]:
    return i if len(shape) <= 1 else tuple(int(k) for k in np.unravel_index(i, shape))


def _broadcast(values: Any, shape: tuple[int, ...], name: str) -> Array:
    values = np.asarray(values, dtype=np.float64)
    try:
        return np.broadcast_to(values, shape)
    except ValueError:
        raise ValueError(f"{name} must have the shape of x, {shape}; got {values.shape}") from None


def _estimate(f, x, method, step, scale, describe) -> tuple[Array, Array]:
    if method not in _STEP:
        raise ValueError(f"unknown method {method!r}; expected 'central', 'richardson' or 'complex'")
    if step is None:
        h = _STEP[method] * scale
    else:
        h = np.asarray(step, dtype=np.float64)
        if not np.all((h > 0) & np.isfinite(h)):
            raise ValueError(f"step must be positive and finite, got {step!r}")
        h = np.broadcast_to(h, x.shape)
    if method == "central":
        return _central(f, x, h)[0], h
    if method == "richardson":
        d = _central(f, x, h, halvings=2)
        # D(h) = f' + a h**2 + b h**4 + O(h**6); this combination of D(h), D(h/2), D(h/4) cancels a and b
        return (64 * d[2] - 20 * d[1] + d[0]) / 45, h
    return _complex_step(f, x, h, _STEP["central"] * scale, describe), h


def _central(f, x: Array, h: Array, halvings: int = 0) -> Array:
    hs = h / 2.0 ** np.arange(halvings + 1).reshape((-1,) + (1,) * x.ndim)
    # Dividing by the distance between the points actually evaluated absorbs the rounding of x +- h
    xp, xm = x + hs, x - hs
    y = _call(f, np.concatenate([xp, xm]))
    if np.iscomplexobj(y):
        raise TypeError("f returned complex values for real input")
    return (y[: halvings + 1] - y[halvings + 1 :]) / (xp - xm)


def _complex_step(f, x: Array, h: Array, hc: Array, describe: Callable[[int], str]) -> Array:
    # Evaluate real points first, so that an f that fails on real input fails as itself
    d2, d1 = _central(f, x, 2 * hc, halvings=1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", ComplexWarning)
            y = _call(f, x + 1j * h)
    except (TypeError, ComplexWarning) as err:
        raise NotComplexAnalytic(
            f"the complex step needs f to accept complex input, but f raised "
            f"{type(err).__name__}: {err}; real-only forms (np.logaddexp, casts to float) are "
            f"not complex-analytic: {_ADVICE}"
        ) from err
    if not np.iscomplexobj(y):
        raise NotComplexAnalytic(
            f"f returned real dtype {y.dtype} for complex input, so it drops the imaginary part "
            f"(np.abs, np.real, ...) and the complex step would read 0: {_ADVICE}"
        )
    d = y.imag / h
    with np.errstate(invalid="ignore", over="ignore"):
        # d1 errs by c hc**2 plus rounding; d2 errs by 4 c hc**2, so |d2 - d1|/3 estimates the former
        err = np.abs(d2 - d1) / 3 + 4 * _EPS * np.abs(y.real) / hc + 4 * _EPS * np.abs(d1)
        wrong = np.isfinite(d1) & ~(np.abs(d - d1) <= 8 * err)
    if np.any(wrong):
        i = int(np.flatnonzero(wrong)[0])
        raise NotComplexAnalytic(
            f"the complex step gives {d.flat[i]!r} but central differences give {d1.flat[i]!r} "
            f"at {describe(i)}, beyond the central error ~{err.flat[i]:.1g} "
            f"({np.count_nonzero(wrong)} of {d.size} points disagree): f is not complex-analytic "
            f"as written (np.abs, np.real, np.maximum and comparisons, which order complex "
            f"numbers lexicographically, drop or mangle the imaginary part): {_ADVICE}"
        )
    return d


def _call(f, points: NDArray[Any]) -> NDArray[Any]:
    y = np.asarray(f(points))
    if y.shape != points.shape:
        raise ValueError(
            f"f must act elementwise, returning the shape of its input; got {y.shape} "
            f"for input of shape {points.shape}"
        )
    return y


def _along(f, x0: Array, moves: Array | None) -> Callable[[Array], NDArray[Any]]:
    """phi(t)[..., j] is f at x0 with coordinate j set to t, or at x0 + t * moves[j]."""

    def phi(t: NDArray[Any]) -> NDArray[Any]:
        values = []
        for k in np.ndindex(t.shape):
            j = k[-1]
            if moves is None:
                # Setting the coordinate (not adding a step to it) keeps the step exact
                p = x0.astype(np.result_type(x0, t))
                p.flat[j] = t[k]
            else:
                p = x0 + t[k] * moves[j]
            values.append(f(p))
        return np.asarray(values).reshape(t.shape)

    return phi


def _tolerances(points, method, rtol, atol) -> tuple[float, float]:
    if rtol is None:
        rtol = max(_RTOL[method], _ANALYTIC_ULPS * float(np.finfo(_out_dtype(points)).eps))
    return rtol, rtol if atol is None else atol


def _worst(analytic: Array, numeric: Array, rtol: float, atol: float) -> tuple[int, int] | None:
    """The flat index of the point most beyond its tolerance, and how many are beyond it."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        error = np.abs(analytic - numeric).ravel()
        allowed = atol + rtol * np.abs(numeric).ravel()
        excess = np.where(np.isnan(error), np.inf, error / allowed)
        failing = ~(error <= allowed) & ~(analytic.ravel() == numeric.ravel())
    if not np.any(failing):
        return None
    return int(np.argmax(np.where(failing, excess, -np.inf))), int(np.count_nonzero(failing))


def _report(header, failing, a_name, n_name, analytic, numeric, i, method, steps, rtol, atol) -> str:
    a, n = float(analytic.flat[i]), float(numeric.flat[i])
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        error = abs(a - n)
        relative = error / abs(n) if n else np.inf
    return (
        f"{header} (the worst of {failing} failing out of {analytic.size}):\n"
        f"  analytic {a_name:<14} = {a!r}\n"
        f"  numeric  {n_name:<14} = {n!r}  (method={method!r}, step={float(steps.flat[i]):.3g})\n"
        f"  abs error {error:.3g}, rel error {relative:.3g}; allowed atol={atol:.3g} + rtol={rtol:.3g} * |numeric|"
    )
