"""Finite-difference derivatives, and the checkers that hold analytic derivatives to them."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
from numpy.exceptions import ComplexWarning
from numpy.typing import ArrayLike, NDArray

from numeric._renamed import renamed
from numeric._validation import refuse_masked
from numeric.errors import DerivativeMismatch, NotComplexAnalytic

__all__ = ["check_derivative", "check_gradient", "finite_difference"]

Method = Literal["central", "richardson", "complex"]
Function = Callable[[NDArray[Any]], ArrayLike]
Floats = NDArray[np.float64]
Describe = Callable[[int], str]

_EPS = float(np.finfo(np.float64).eps)
# The spacing of the subnormal numbers: every float64 is a multiple of it, so a value that
# small carries an absolute rounding error of up to half of it, whatever its size.
_SUBNORMAL = 2.0**-1074
_ADVICE = "use method='central' or method='richardson' instead"

# Default steps per unit of scale max(|x|, 1), from each method's error model, truncation plus
# rounding (f is rounded by about eps |f|, so a difference quotient by about eps |f| / h):
# - central: h**2 |f'''| / 6 + eps |f| / h is least near h = eps**(1/3) ~ 6e-6; error ~ eps**(2/3).
# - richardson: central at h, h/2, h/4, combined to cancel the h**2 and h**4 terms, leaves
#   h**6 |f^(7)| / 322560 + 7 eps |f| / h. h = eps**(1/7) ~ 6e-3 balances the powers of h and eps
#   but not the small constant, which high derivatives (n! / radius**n) soon outgrow.
# - complex: Im f(x + ih) / h subtracts nothing, so h can be tiny and the h**2 |f'''| / 6 vanishes.
_STEP = {"central": _EPS ** (1 / 3), "richardson": _EPS ** (1 / 7), "complex": 1e-20}

# Default rtol (and atol) of the checkers. The numeric error is the error model's unit
# (eps**(2/3) ~ 4e-11, eps**(6/7) ~ 4e-14) times a factor that depends on f (|f'''|, |f| / |f'|);
# that factor stays below about 50 for smooth functions at moderate arguments, and 4096 leaves
# room to spare. The complex step is exact to rounding: 128 eps covers rounding in f and in df.
_RTOL = dict(central=4096 * _EPS ** (2 / 3), richardson=4096 * _EPS ** (6 / 7), complex=128 * _EPS)
# df is evaluated in the dtype of x, so rtol is at least 32 eps of that dtype, a few dozen
# roundings: 3.8e-6 for float32 x (where it dominates), 7e-15 for float64 (where it never does).
_DF_EPS = 32


def finite_difference(
    f: Function, x: ArrayLike, method: Method = "central", step: ArrayLike | None = None
) -> NDArray[np.floating]:
    """The derivative at the points x of f, a function that acts elementwise on arrays.

    ``step`` is an absolute step (the largest one for richardson); by default each point gets
    the step of the method's error model times max(|x|, 1), and where |x| > 1 the scales |x| /
    10, |x| / 100, ..., 1 are tried too, keeping the one whose estimate agrees best with the
    next smaller one (log suits the scale |x|, sin and exp the scale 1). On smooth functions the
    relative error is below 1e-8 (central), 1e-12 (richardson) or 1e-14 (complex) where f is
    evaluated to about eps |f|, and |f| is not far above |x f'|. The complex step needs a
    complex-analytic f, real on the real line, and checks it against central differences at x +-
    4 central steps and against the step 2h: it raises NotComplexAnalytic rather than give a
    wrong number, also where x is outside f's real domain or on a branch cut (sqrt or log of a
    negative x). Where |f'| is below about 1e-288, so that Im f(x + ih) would be subnormal, the
    default step grows (at most to the central step) and the accuracy is what the subnormal
    spacing allows; FloatingPointError where fewer than six digits would be left. f is evaluated
    in float64; the result is an array of the shape of x, float64, or float32 (float16) rounded
    from the float64 estimate when x is float32 (float16).

    >>> import numpy as np
    >>> finite_difference(np.sin, [0.0, np.pi], method="complex")
    array([ 1., -1.])
    >>> print(f"{finite_difference(np.exp, 1.0, method='richardson'):.12f}")
    2.718281828459
    """
    points, t = _points("finite_difference", x)
    numeric, _ = _estimate(f, t, np.maximum(np.abs(t), 1.0), method, step, _at(points))
    return np.asarray(numeric, dtype=_out_dtype(points.dtype))


def check_derivative(
    f: Function,
    df: Function,
    x: ArrayLike,
    *,
    method: Method = "richardson",
    step: ArrayLike | None = None,
    rtol: float | None = None,
    atol: float | None = None,
) -> None:
    """Check the analytic derivative df of an elementwise function f at the points x.

    Returns None if ``|df(x) - numeric| <= atol + rtol * |numeric|`` at every point, else raises
    DerivativeMismatch naming the worst point. df gets x in its own dtype. rtol defaults to
    1.5e-7 (central), 1.6e-10 (richardson) or 2.8e-14 (complex), but to at least 3.8e-6 for
    float32 x; atol defaults to rtol, which suits derivatives of order one.

    >>> import numpy as np
    >>> check_derivative(np.tanh, lambda x: 1 - np.tanh(x) ** 2, np.linspace(-3, 3, 7))
    >>> check_derivative(np.tanh, lambda x: 1 + np.tanh(x) ** 2, [0.5, 1.0])
    Traceback (most recent call last):
    ...
    numeric.errors.DerivativeMismatch: df(x) disagrees with finite differences at x = 1.0 ...
    """
    points, t = _points("check_derivative", x)
    analytic = _broadcast(df(points), points.shape, "df(x)")
    options = (method, step, rtol, atol)
    _check(f, t, np.maximum(np.abs(t), 1.0), analytic, points.dtype, options, "df(x)", _at(points))


def check_gradient(
    f: Function,
    grad: Function,
    x: ArrayLike,
    *,
    method: Method = "richardson",
    step: ArrayLike | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    directions: int | None = None,
    seed: int = 0,
) -> None:
    """Check the gradient grad of a scalar function f at the point x.

    Each component of grad(x) is compared with the derivative of f along its coordinate, and a
    failure names the worst component; with ``directions=k``, grad(x) . v is compared instead
    along k random unit vectors v drawn with ``seed``, at a cost that does not grow with the
    size of x. The rest is as in check_derivative.

    >>> import numpy as np
    >>> def f(x):
    ...     return np.sum(x**2) + x[0] * x[2]
    >>> check_gradient(f, lambda x: 2 * x + np.array([x[2], 0, x[0]]), np.array([1.0, 2.0, 3.0]))
    >>> check_gradient(f, lambda x: 2 * x, np.array([1.0, 2.0, 3.0]))
    Traceback (most recent call last):
    ...
    numeric.errors.DerivativeMismatch: grad(x) disagrees with finite differences in component 0 ...
    """
    points, x0 = _points("check_gradient", x)
    if np.ndim(value := f(points)) != 0:
        raise ValueError(f"f must return a scalar, got shape {np.shape(value)}")
    g = _broadcast(grad(points), points.shape, "grad(x)").ravel()
    if directions is None:
        moves, t0, analytic = None, x0.ravel(), g
        scale = np.maximum(np.abs(t0), 1.0)

        def describe(i: int) -> str:
            j = _index(i, x0.shape)
            return f"in component {j} (x[{j}] = {float(t0[i])!r}) at x = {_show(x0)}"
    else:
        if not isinstance(directions, (int, np.integer)) or isinstance(directions, bool):
            raise TypeError(
                f"check_gradient: directions must be a positive integer or None, got {directions!r}"
            )
        if directions < 1:
            raise ValueError(f"directions must be a positive integer or None, got {directions}")
        v = np.random.default_rng(seed).standard_normal((directions, x0.size))
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        moves, t0, analytic = v.reshape((directions, *x0.shape)), np.zeros(directions), v @ g
        scale = np.full(directions, max(float(np.max(np.abs(x0), initial=0.0)), 1.0))

        def describe(i: int) -> str:
            return (
                f"along random direction {i} (seed {seed}; directions=None finds the component) "
                f"at x = {_show(x0)}"
            )

    options = (method, step, rtol, atol)
    _check(_along(f, x0, moves), t0, scale, analytic, points.dtype, options, "grad(x)", describe)


def _points(function: str, x: ArrayLike) -> tuple[NDArray[Any], Floats]:
    refuse_masked(function, "x", x)
    points = np.asarray(x)
    if points.dtype.kind not in "iuf":
        raise TypeError(f"x must hold real numbers, got dtype {points.dtype}")
    if not np.all(np.isfinite(points)):
        raise ValueError(f"x must be finite, got {_show(points)}")
    return points, points.astype(np.float64)


def _out_dtype(dtype: np.dtype[Any]) -> np.dtype[Any]:
    return dtype if dtype.kind == "f" and dtype.itemsize < 8 else np.dtype(np.float64)


def _show(x: NDArray[Any]) -> str:
    return np.array2string(x, 10**6, separator=", ", threshold=8, floatmode="unique")


def _index(i: int, shape: tuple[int, ...]) -> int | tuple[int, ...]:
    return i if len(shape) <= 1 else tuple(int(k) for k in np.unravel_index(i, shape))


def _at(points: NDArray[Any]) -> Describe:
    return lambda i: f"at x = {float(points.flat[i])!r} (index {_index(i, points.shape)})"


def _broadcast(values: ArrayLike, shape: tuple[int, ...], name: str) -> Floats:
    values = np.asarray(values, dtype=np.float64)
    try:
        return np.broadcast_to(values, shape)
    except ValueError:
        raise ValueError(f"{name} must have the shape of x, {shape}, got {values.shape}") from None


def _estimate(
    f: Function, t: Floats, scale: Floats, method: str, step: ArrayLike | None, describe: Describe
) -> tuple[Floats, Floats]:
    """The derivative of f at the points t, and the step used at each."""
    if method not in _STEP:
        raise ValueError(f"unknown method {method!r}; use 'central', 'richardson' or 'complex'")
    h = _STEP[method] * scale if step is None else np.asarray(step, dtype=np.float64)
    if not np.all((h > 0) & np.isfinite(h)):
        raise ValueError(f"step must be positive and finite, got {step!r}")
    h = np.broadcast_to(h, t.shape)
    if method == "complex":
        return _complex_step(f, t, h, _STEP["central"] * scale, describe, adapt=step is None)
    if step is None and np.any(scale > 1):
        return _ladder(f, t, scale, method)
    return _difference(f, t, h, method), h


def _difference(f: Function, t: Floats, h: Floats, method: str) -> Floats:
    """The central difference, or Richardson's extrapolation of it, at the steps h."""
    return _rounded_difference(f, t, h, method)[0]


def _rounded_difference(f: Function, t: Floats, h: Floats, method: str) -> tuple[Floats, Floats]:
    """:func:`_difference`, and its rounding error, with each value of f off by 4 eps |f|."""
    halvings = 0 if method == "central" else 2
    d, yp, ym = _central(f, t, h, halvings)
    hs = h / 2.0 ** np.arange(halvings + 1).reshape((-1,) + (1,) * t.ndim)
    with np.errstate(invalid="ignore", over="ignore"):
        rounding = 4 * _EPS * (np.abs(yp) + np.abs(ym)) / (2 * hs)
    if method == "central":
        return d[0], rounding[0]
    # With D(h) = f' + a h**2 + b h**4 + O(h**6), these weights cancel both a and b
    extrapolated = (64 * d[2] - 20 * d[1] + d[0]) / 45
    return extrapolated, (64 * rounding[2] + 20 * rounding[1] + rounding[0]) / 45


def _ladder(f: Function, t: Floats, scale: Floats, method: str) -> tuple[Floats, Floats]:
    """The default estimate where |x| > 1: the best of the scales |x|, |x|/10, ..., 1.

    The scale |x| suits a function that varies on the scale of x (log x at 1e6: a step of 1
    would leave eps |f| / h of rounding against an f' of 1e-6); the scale 1 suits one that
    varies on a fixed scale however large x is (sin x, e^x at 50: a step of 0.3 would leave
    a truncation error of 1e-9). Which one f is cannot be known in advance, so each point
    tries the scales |x| 10**-k down to 1 and, one decade further, 0.1. The error of the
    estimate at one scale is its truncation error, measured as its difference from the next
    smaller scale's beyond both rounding errors (the truncation error shrinks by 10**2
    (central) or 10**6 (Richardson) a decade), plus its own rounding error (which grows by 10
    a decade, with each value of f off by a few roundings): the point keeps the estimate
    whose measured error is least, and a smaller scale wins only when it is at least ten
    times better, so a function that is accurate at the scale |x| keeps it.
    """
    flat, s = t.ravel(), scale.ravel()
    # Levels above the scale 1, at most 17: further down the steps are below a few float
    # spacings of x (eps |x| = 2.2e-16 |x|), where every rung is the floor below
    decades = np.minimum(np.ceil(np.log10(s)), 17).astype(int)
    # x + h must differ from x by a few float spacings (at 1e12 they are 1.2e-4 apart)
    floor = 4 * np.spacing(np.abs(flat))
    steps = [np.maximum(_STEP[method] * s, floor)]
    for k in range(1, int(decades.max()) + 2):
        level = np.where(k <= decades, np.maximum(s / 10.0**k, 1.0), 0.1)
        steps.append(np.maximum(_STEP[method] * level, floor))
    estimates, roundings = zip(
        *(_rounded_difference(f, flat, h, method) for h in steps), strict=True
    )
    best, error, chosen = estimates[0], np.full(flat.shape, np.inf), steps[0]
    for k in range(int(decades.max()) + 1):
        with np.errstate(invalid="ignore", divide="ignore"):
            # Relative: far too large a step gives estimates near 0 that agree absolutely
            size = np.fmax(np.abs(estimates[k]), np.abs(estimates[k + 1]))
            difference = np.abs(estimates[k] - estimates[k + 1])
            noise = roundings[k] + roundings[k + 1]
            measured = (np.maximum(difference - noise, 0.0) + roundings[k]) / size
            # Two estimates at one step (both at the floor) agree without measuring anything;
            # the first scale, |x|, is kept unless a later one measures better
            distinct = (k <= decades) & ((steps[k + 1] <= steps[k] / 4) | (k == 0))
            better = distinct & (measured < error / 10)
        best, error = np.where(better, estimates[k], best), np.where(better, measured, error)
        chosen = np.where(better, steps[k], chosen)
    return best.reshape(t.shape), chosen.reshape(t.shape)


def _central(f: Function, t: Floats, h: Floats, halvings: int = 0) -> tuple[Floats, ...]:
    """Central differences with steps h, h/2, ..., h/2**halvings, stacked on a new first axis,
    and the values of f at t + step and t - step."""
    hs = h / 2.0 ** np.arange(halvings + 1).reshape((-1,) + (1,) * t.ndim)
    tp, tm = t + hs, t - hs
    y = _call(f, np.concatenate([tp, tm]))
    if np.iscomplexobj(y):
        raise TypeError("f returned complex values for real input")
    yp, ym = y[: halvings + 1], y[halvings + 1 :]
    # Dividing by the distance between the points evaluated absorbs the rounding of t +- h
    return (yp - ym) / (tp - tm), yp, ym


def _complex_step(
    f: Function, t: Floats, h: Floats, hc: Floats, describe: Describe, adapt: bool
) -> tuple[Floats, Floats]:
    """Im f(t + ih) / h, checked against central differences and against the step 2h."""
    # The real reference first, so that an f that fails on real input fails as itself. Its
    # floating-point warnings are silenced: past the edge of f's domain it only leaves NaN,
    # where nothing is judged
    with np.errstate(all="ignore"):
        (d4, d2, d1), yp, ym = _central(f, t, 4 * hc, halvings=2)
        # The spread of d1, d2, d4 bounds the truncation error of d1 (d2 - d1 = 3 a hc**2,
        # d4 - d1 = 15 a hc**2, with a = f''' / 6) and that of the complex step (-a h**2)
        spread = np.maximum(np.abs(d2 - d1), np.abs(d4 - d1))
        if adapt:
            h = _grown_step(h, hc, d1, spread)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", ComplexWarning)
            # Two steps, h and 2h: for an analytic f, real on the real line, Im f(x + ih)/h
            # does not depend on h (to rounding and O(h**2))
            y = _call(f, t + 1j * np.stack([h, 2 * h]))
    except (TypeError, ComplexWarning) as err:
        raise _not_analytic(f"f raised {type(err).__name__} on complex input: {err}") from err
    if not np.iscomplexobj(y):
        raise _not_analytic(f"f returned real dtype {y.dtype} for complex input")
    d, d_twice = y[0].imag / h, y[1].imag / (2 * h)
    with np.errstate(invalid="ignore", over="ignore"):
        # f is rounded relative to the size of its terms, which can exceed |f| by far near a
        # root (cancellation): take |f| + |x f'| + |x**2 f''| / 2, with f'' from the sums
        # f(t + a) + f(t - a) = 2 f + a**2 f'' + ... at a = 4 hc and 2 hc; and never by less
        # than half the subnormal spacing, which is all there is of a subnormal f
        scale = hc / _EPS ** (1 / 3)
        f2 = np.abs(yp[0] + ym[0] - yp[1] - ym[1]) / (12 * hc**2)
        size = np.abs(yp[2]) + scale * np.abs(d1) + scale**2 * f2 / 2
        error = spread * (1 + (h / hc) ** 2) + 4 * (_EPS * size + _SUBNORMAL) / hc
        # The complex step's own rounding: relative, and absolute where Im f is subnormal
        granularity = _SUBNORMAL / h
        error = error + granularity
    # An error bound beyond the float range stays infinite (no judgement there), not a warning.
    tolerance = np.nan_to_num(error, posinf=np.inf) + 16 * _EPS * np.abs(d)
    _refuse_moving_estimate(d, d_twice, h, tolerance, describe)
    _refuse_underflow(d, d1, y[0].real, error, granularity, describe)
    with np.errstate(invalid="ignore"):
        # Where d1, d2, d4 differ by 1% they are rounding noise and cannot judge anything
        wrong = (spread < 0.01 * np.abs(d1)) & ~(np.abs(d - d1) <= 8 * error)
    if np.any(wrong):
        i = int(np.flatnonzero(wrong)[0])
        raise _not_analytic(
            f"the complex step gives {float(d.flat[i])!r} but central differences give "
            f"{float(d1.flat[i])!r} {describe(i)}, beyond their error of about "
            f"{float(error.flat[i]):.1g} ({np.count_nonzero(wrong)} of {d.size} disagree)"
        )
    return d, h


def _refuse_moving_estimate(
    d: Floats, d_twice: Floats, h: Floats, tolerance: Floats, describe: Describe
) -> None:
    """NotComplexAnalytic where Im f(x + ih)/h changes with h: f is not analytic at x.

    So it is where x lies outside f's real domain or on a branch cut (sqrt or log of a
    negative number: Im f tends to a nonzero constant, and Im f / h grows like 1/h) and at
    a branch point (sqrt at 0: like h**-1/2). There the complex step returns a number that
    is no derivative of f, and the central reference, NaN or one-sided, cannot judge it.
    """
    with np.errstate(invalid="ignore"):
        moved = ~(np.abs(d_twice - d) <= tolerance) & ~(np.isnan(d) & np.isnan(d_twice))
    if np.any(moved):
        i = int(np.flatnonzero(moved)[0])
        raise NotComplexAnalytic(
            f"the complex step gives {float(d.flat[i])!r} with the step "
            f"{float(h.flat[i]):.3g} but {float(d_twice.flat[i])!r} with twice that step "
            f"{describe(i)}: f is not complex-analytic there, with real values on the real "
            "line (x is outside f's real domain, on a branch cut, or at a branch point), so "
            "the complex step gives no derivative of f"
        )


def _grown_step(h: Floats, hc: Floats, d1: Floats, spread: Floats) -> Floats:
    """The complex step, grown where Im f(x + ih) would lose digits to the subnormal spacing.

    Im f(x + ih) ~ h f' is a multiple of _SUBNORMAL: d errs by up to _SUBNORMAL / h, which
    exceeds eps |f'| at the default step where |f'| is below about 2e-288. There h becomes
    the one that minimizes that error plus the truncation error a h**2, at most the central
    step (where the complex step's truncation error is the central one's).
    """
    a = spread / (15 * hc**2)
    best = np.cbrt(_SUBNORMAL / (2 * a))  # a = 0 (a quadratic): inf, so the central step
    grow = (_SUBNORMAL / h > _EPS * np.abs(d1)) & (d1 != 0) & ~np.isnan(best)
    return np.where(grow, np.clip(best, h, hc), h)


def _refuse_underflow(
    d: Floats, d1: Floats, real: Floats, error: Floats, granularity: Floats, describe: Describe
) -> None:
    """FloatingPointError where the subnormal spacing leaves fewer than 6 digits of d.

    Unless f' is 0: that is so where central differences cannot tell f' from 0 either and
    f itself (the real part of f(x + ih)) is not subnormal.
    """
    tiny = np.finfo(np.float64).tiny
    with np.errstate(invalid="ignore"):
        subnormal = (real != 0) & (np.abs(real) < tiny)
        # Judged against the larger of d and d1: a d of 0 where h d1 is far above the
        # subnormal range is no underflow but a function that drops Im (judged after this)
        size = np.fmax(np.abs(d), np.abs(d1))
        lost = (granularity > 2.0**-20 * size) & ((np.abs(d1) > 8 * error) | subnormal)
    if np.any(lost):
        raise FloatingPointError(
            f"the complex step underflows {describe(int(np.flatnonzero(lost)[0]))}: "
            "Im f(x + ih) ~ h f' is subnormal even with the step h grown to the central one, "
            f"and fewer than six digits of f' survive; {_ADVICE}"
        )


def _not_analytic(reason: str) -> NotComplexAnalytic:
    return NotComplexAnalytic(
        f"{reason}, so f is not complex-analytic as written, which the complex step needs "
        "(np.logaddexp and casts to float reject complex input, np.abs and np.real drop its "
        "imaginary part, np.maximum and comparisons order complex numbers lexicographically); "
        f"{_ADVICE}"
    )


def _call(f: Function, t: NDArray[Any]) -> NDArray[Any]:
    y = np.asarray(f(t))
    if y.shape != t.shape:
        raise ValueError(f"f must act elementwise, but it returned shape {y.shape} for {t.shape}")
    return y


def _along(f: Function, x0: Floats, moves: Floats | None) -> Function:
    """phi(t)[..., j] is f at x0 with coordinate j set to t, or at x0 + t * moves[j]."""

    def phi(t: NDArray[Any]) -> NDArray[Any]:
        values = []
        for k in np.ndindex(t.shape):
            if moves is None:
                # Setting the coordinate, not adding a step to it, keeps the step exact
                p = x0.astype(np.result_type(x0, t))
                p.flat[k[-1]] = t[k]
            else:
                p = x0 + t[k] * moves[k[-1]]
            values.append(f(p))
        return np.asarray(values).reshape(t.shape)

    return phi


def _check(
    f: Function,
    t: Floats,
    scale: Floats,
    analytic: Floats,
    dtype: np.dtype[Any],
    options: tuple[str, ArrayLike | None, float | None, float | None],
    subject: str,
    describe: Describe,
) -> None:
    method, step, rtol, atol = options
    numeric, steps = _estimate(f, t, scale, method, step, describe)
    if rtol is None:
        rtol = max(_RTOL[method], _DF_EPS * float(np.finfo(_out_dtype(dtype)).eps))
    atol = rtol if atol is None else atol
    a, n = analytic.ravel(), numeric.ravel()
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        error = np.abs(a - n)
        failing = ~((error <= atol + rtol * np.abs(n)) | (a == n))
        # The worst point is the one furthest beyond its tolerance; NaN is the furthest of all
        excess = np.where(np.isnan(error), np.inf, error / (atol + rtol * np.abs(n)))
        relative = error / np.abs(n)
    if np.any(failing):
        i = int(np.argmax(np.where(failing, excess, -np.inf)))
        raise DerivativeMismatch(
            f"{subject} disagrees with finite differences {describe(i)}, the worst of "
            f"{np.count_nonzero(failing)} failing out of {a.size}:\n"
            f"  analytic {float(a[i])!r}\n"
            f"  numeric  {float(n[i])!r} (method={method!r}, step={float(steps.flat[i]):.3g})\n"
            f"  abs error {float(error[i]):.3g}, rel error {float(relative[i]):.3g}; "
            f"allowed: atol {atol:.3g} + rtol {rtol:.3g} * |numeric|"
        )


__getattr__ = renamed(__name__, globals())  # the names of 0.1, deprecated
