"""Tests of numeric.finite_differences against derivatives known in closed form."""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from numeric.errors import DerivativeMismatch, NotComplexAnalytic
from numeric.finite_differences import check_derivative, check_gradient, finite_difference
from tests.reference import reference

EPS = float(np.finfo(np.float64).eps)
EPS32 = float(np.finfo(np.float32).eps)
METHODS = ["central", "richardson", "complex"]

# The relative accuracy each method must reach on smooth functions at moderate arguments. The
# issue asks 1e-8, 1e-12 and 1e-14; for the complex step, which is exact to rounding, 16 eps
# (3.6e-15) is asked instead, as scipy asks of expit.
ACCURACY = {"central": 1e-8, "richardson": 1e-12, "complex": 16 * EPS}
# The default steps, per unit of max(|x|, 1), that the error models give
STEPS = {"central": EPS ** (1 / 3), "richardson": EPS ** (1 / 7), "complex": 1e-20}


def sigmoid(x: Any) -> Any:
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(x: Any) -> Any:
    """sigma'(x) = e^-x / (1 + e^-x)^2, written out by hand; NumPy or mpmath."""
    e = mpmath.exp(-x) if isinstance(x, mpmath.mpf) else np.exp(-x)
    return e / (1 + e) ** 2


def softplus_stable(x: Any) -> Any:
    """log(1 + e^x) in its stable real-only form; its derivative is the sigmoid."""
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


# name: (f in NumPy, f' in closed form for mpmath, f' in NumPy, moderate arguments)
SMOOTH = {
    "exp": (np.exp, mpmath.exp, np.exp, np.linspace(-5, 5, 41)),
    "sin": (np.sin, mpmath.cos, np.cos, np.linspace(-1.5, 1.5, 41)),
    "log": (np.log, lambda x: 1 / x, lambda x: 1 / x, np.geomspace(0.5, 100, 41)),
    "cube": (
        lambda x: x**3,
        lambda x: 3 * x**2,
        lambda x: 3 * x**2,
        np.concatenate([-np.geomspace(10, 0.1, 20), np.geomspace(0.1, 10, 20)]),
    ),
    "sigmoid": (sigmoid, sigmoid_derivative, sigmoid_derivative, np.linspace(-3, 3, 41)),
}


def cube(x: Any) -> Any:
    return x * x * x


class Recorder:
    """Wraps f and keeps every array that it was called with."""

    def __init__(self, f: Callable[[Any], Any]) -> None:
        self.f, self.calls = f, []

    def __call__(self, x: Any) -> Any:
        self.calls.append(np.array(x, copy=True))
        return self.f(x)


# --- derivative: accuracy and the error models ---------------------------------------------


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", SMOOTH)
def test_accuracy_on_smooth_functions(name: str, method: str) -> None:
    f, df, _, x = SMOOTH[name]
    np.testing.assert_allclose(
        finite_difference(f, x, method), reference(df, x), rtol=ACCURACY[method], atol=0
    )


def test_central_error_is_the_truncation_term_of_its_model() -> None:
    # For exp at 0, (e^h - e^-h) / 2h = sinh(h) / h = 1 + h**2 / 6 + h**4 / 120 + ...
    h = 1e-2
    assert finite_difference(np.exp, 0.0, step=h) - 1 == pytest.approx(h**2 / 6, rel=1e-3)


def test_richardson_cancels_the_h2_and_h4_terms() -> None:
    # Two levels from sinh(s) / s at s = h, h/2, h/4 leave h**6 f^(7) / 322560 + O(h**8)
    h = 0.2
    with mpmath.workdps(50):
        central = [
            mpmath.sinh(s) / s for s in (mpmath.mpf(h), mpmath.mpf(h) / 2, mpmath.mpf(h) / 4)
        ]
        expected = float((64 * central[2] - 20 * central[1] + central[0]) / 45 - 1)
    error = finite_difference(np.exp, 0.0, "richardson", step=h) - 1
    assert error == pytest.approx(expected, rel=1e-4)
    assert error == pytest.approx(h**6 / 322560, rel=1e-3)


@pytest.mark.parametrize("method", ["central", "richardson"])
def test_default_step_is_the_error_model_optimum_scaled_by_max_abs_x_1(method: str) -> None:
    x = np.array([0.0, 0.5, -3.0, 40.0])
    recorder = Recorder(np.exp)
    finite_difference(recorder, x, method)
    offsets = np.abs(np.concatenate([c.reshape(-1, x.size) for c in recorder.calls]) - x)
    # x + h is rounded, by up to eps |x| / 2, which is 2e-11 of the smallest step
    np.testing.assert_allclose(
        offsets.max(axis=0), STEPS[method] * np.maximum(np.abs(x), 1), rtol=1e-10
    )


def test_default_complex_step_is_1e_minus_20_scaled_by_max_abs_x_1() -> None:
    x = np.array([0.0, 0.5, -3.0, 40.0])
    recorder = Recorder(np.exp)
    finite_difference(recorder, x, "complex")
    (complex_call,) = [c for c in recorder.calls if np.iscomplexobj(c)]
    # One call at the steps h and 2h, stacked: the second checks that Im f(x + ih)/h does
    # not depend on h
    h = 1e-20 * np.maximum(np.abs(x), 1)
    np.testing.assert_array_equal(complex_call.real, [x, x])
    np.testing.assert_array_equal(complex_call.imag, [h, 2 * h])


@pytest.mark.parametrize("method", ["central", "richardson"])
def test_an_explicit_step_is_used_as_given(method: str) -> None:
    recorder = Recorder(np.sin)
    finite_difference(recorder, [1.0, 2.0], method, step=1e-3)
    offsets = np.abs(np.concatenate(recorder.calls) - [1.0, 2.0])
    np.testing.assert_allclose(offsets.max(axis=0), 1e-3, rtol=1e-12)


# --- derivative: shapes and dtypes ------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "x", [0.5, [0.5, 1.5], np.linspace(-2, 2, 12).reshape(3, 4), np.zeros((2, 0))], ids=str
)
def test_result_has_the_shape_of_x_and_is_computed_pointwise(x: Any, method: str) -> None:
    result = finite_difference(np.sin, x, method)
    assert isinstance(result, np.ndarray)
    assert result.shape == np.shape(x)
    assert result.dtype == np.float64
    # Products are correctly rounded, so the cube is the same whether SIMD loops run or not
    pointwise = [finite_difference(cube, v, method) for v in np.ravel(x)]
    np.testing.assert_array_equal(finite_difference(cube, x, method).ravel(), pointwise)


@pytest.mark.parametrize(
    "x", [[1, 2, 3], np.arange(3, dtype=np.int32), np.arange(3, dtype=np.uint8)]
)
def test_integer_x_gives_float64(x: Any) -> None:
    result = finite_difference(lambda t: t**2, x, "richardson")
    assert result.dtype == np.float64
    np.testing.assert_allclose(
        result, 2 * np.asarray(x, dtype=np.float64), rtol=ACCURACY["richardson"]
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
@pytest.mark.parametrize("method", METHODS)
def test_narrow_floats_are_differenced_in_float64_and_rounded_once(
    dtype: type, method: str
) -> None:
    x = np.linspace(-1.5, 1.5, 13, dtype=dtype)
    recorder = Recorder(np.sin)
    result = finite_difference(recorder, x, method)
    assert result.dtype == dtype
    assert all(c.dtype in (np.float64, np.complex128) for c in recorder.calls)
    np.testing.assert_array_equal(
        result, finite_difference(np.sin, x.astype(np.float64), method).astype(dtype)
    )
    # So the result is the float64 derivative rounded once: within half an eps of the dtype
    rtol = np.finfo(dtype).eps / 2 + ACCURACY[method]
    np.testing.assert_allclose(result, reference(mpmath.cos, x.astype(np.float64)), rtol=rtol)


# --- derivative: misuse -----------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (
            {"method": "forward"},
            ValueError,
            r"unknown method 'forward'; use 'central', 'richardson'",
        ),
        ({"step": 0.0}, ValueError, "step must be positive and finite"),
        ({"step": -1e-3}, ValueError, "step must be positive and finite"),
        ({"step": np.nan}, ValueError, "step must be positive and finite"),
        ({"step": np.inf}, ValueError, "step must be positive and finite"),
        ({"x": [1.0, np.nan]}, ValueError, r"x must be finite, got \[ 1., nan\]"),
        ({"x": np.inf}, ValueError, "x must be finite"),
        ({"x": 1 + 2j}, TypeError, "x must hold real numbers, got dtype complex128"),
        ({"x": ["a"]}, TypeError, "x must hold real numbers"),
        ({"f": np.sum}, ValueError, "f must act elementwise"),
        (
            {"x": np.ma.array([1.0, 2.0], mask=[0, 1])},
            TypeError,
            r"finite_difference: x is a masked array, whose mask would be ignored",
        ),
    ],
)
def test_misuse_is_refused_clearly(kwargs: dict[str, Any], error: type, match: str) -> None:
    arguments = {"f": np.sin, "x": [1.0, 2.0], **kwargs}
    with pytest.raises(error, match=match):
        finite_difference(**arguments)


# --- derivative: the complex step refuses what is not complex-analytic --------------------


def rejects_complex(x: Any) -> Any:
    """Like the toolkit's own NumPy functions, which reject complex dtypes with TypeError."""
    x = np.asarray(x)
    if np.iscomplexobj(x):
        raise TypeError(f"expected real input, got dtype {x.dtype}")
    return np.exp(x)


NOT_ANALYTIC = [
    pytest.param(
        lambda x: np.logaddexp(0.0, x),
        "raised TypeError on complex input: ufunc 'logaddexp'",
        id="np.logaddexp",
    ),
    pytest.param(
        rejects_complex,
        "raised TypeError on complex input: expected real input",
        id="toolkit TypeError",
    ),
    pytest.param(
        lambda x: np.abs(x) ** 3, "returned real dtype float64 for complex input", id="np.abs"
    ),
    pytest.param(
        lambda x: np.exp(x.astype(np.float64)),
        "raised ComplexWarning on complex input",
        id="cast to float",
    ),
    pytest.param(
        softplus_stable,
        r"complex step gives 0.0 but central differences give 0.0521",
        id="np.maximum + np.abs",
    ),
    pytest.param(lambda x: x * np.conj(x), "central differences give -5.79999", id="np.conj"),
    pytest.param(lambda x: np.sign(x) * x**2, "complex step gives 8.7", id="np.sign"),
]


@pytest.mark.parametrize("f, reason", NOT_ANALYTIC)
def test_complex_step_raises_instead_of_returning_a_wrong_number(
    f: Callable[[Any], Any], reason: str
) -> None:
    x = np.linspace(-2.9, 3.1, 7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning, nor any other, may leak
        with pytest.raises(NotComplexAnalytic, match=reason) as excinfo:
            finite_difference(f, x, "complex")
    message = str(excinfo.value)
    assert "not complex-analytic" in message
    assert "use method='central' or method='richardson' instead" in message
    assert isinstance(excinfo.value, TypeError)


def test_complex_step_names_the_point_where_it_disagrees() -> None:
    # np.maximum orders complex numbers lexicographically: at 0 it compares the imaginary parts
    with pytest.raises(
        NotComplexAnalytic,
        match=r"gives 1.0 but central differences give 0.5 at x = 0.0 \(index 1\)",
    ):
        finite_difference(lambda x: np.maximum(x, 0), [-1.0, 0.0, 1.0], "complex")


def test_a_type_error_is_kept_as_the_cause() -> None:
    with pytest.raises(NotComplexAnalytic) as excinfo:
        finite_difference(rejects_complex, [1.0], "complex")
    assert isinstance(excinfo.value.__cause__, TypeError)


def test_a_type_error_on_real_input_is_not_blamed_on_the_complex_step() -> None:
    def broken(x: Any) -> Any:
        raise TypeError("broken for every input")

    with pytest.raises(TypeError, match="broken for every input") as excinfo:
        finite_difference(broken, [1.0], "complex")
    assert not isinstance(excinfo.value, NotComplexAnalytic)


def test_the_advice_is_right_central_and_richardson_handle_those_functions() -> None:
    x = np.linspace(-3, 3, 41)
    np.testing.assert_allclose(
        finite_difference(softplus_stable, x, "richardson"),
        reference(lambda v: 1 / (1 + mpmath.exp(-v)), x),
        rtol=ACCURACY["richardson"],
    )


def stable_sigmoid(x: Any) -> Any:
    # Branches on x >= 0 are complex-analytic on each side, so the complex step may use them
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))


@pytest.mark.parametrize(
    "f, df, x, size",
    # size: that of the terms of f', which the complex step rounds; atol is 16 eps of it
    [
        (stable_sigmoid, sigmoid_derivative, np.linspace(-30, 30, 601), 0),
        # f' of sin(fl(40 x)), as NumPy rounds 40 x; the central step has 40**3 |f'''| to cope with
        (
            lambda x: np.sin(40 * x),
            lambda x: 40 * mpmath.cos(float(40 * x)),
            np.linspace(-2, 2, 401),
            0,
        ),
        # f' = 2x - 6 cancels near the vertex at 3, in the imaginary parts too
        (lambda x: x**2 - 6 * x + 9, lambda x: 2 * x - 6, np.linspace(2, 4, 401), 6),
        # Central differences at x - 4 * 6e-6 < 0 give NaN (silently): nothing to judge there
        (np.log, lambda x: 1 / x, np.geomspace(1e-6, 1e6, 121), 0),
    ],
    ids=["where branches", "high frequency", "expanded square", "log near 0"],
)
def test_complex_step_accepts_analytic_functions_that_are_hard_to_cross_check(
    f: Any, df: Any, x: np.ndarray, size: float
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = finite_difference(f, x, "complex")
    np.testing.assert_allclose(
        result, reference(df, x), rtol=ACCURACY["complex"], atol=ACCURACY["complex"] * size
    )


def test_complex_step_refuses_to_underflow() -> None:
    # sigma'(-740) ~ 4e-322 is itself subnormal: a few spacings of 2**-1074, and 1e-318 sin
    # has values of about 2e5 spacings, its derivative times the central step 6e-6 one of them
    with pytest.raises(FloatingPointError, match=r"underflows at x = -740.0 \(index 0\)"):
        with np.errstate(all="ignore"):  # stable_sigmoid evaluates both branches of its where
            finite_difference(stable_sigmoid, [-740.0], "complex")
    with pytest.raises(FloatingPointError, match=r"underflows at x = 1.0 \(index 0\)"):
        finite_difference(lambda x: 1e-318 * np.sin(x), [1.0], "complex")


def test_complex_step_grows_where_im_f_would_be_subnormal() -> None:
    # sigma'(x) ~ e^x is 1e-307..1e-300 here, so Im f(x + ih) ~ 1e-20 sigma'(x) would be
    # subnormal. The step grows to balance the subnormal spacing, a relative error
    # g / h with g = 2**-1074 / sigma'(x), against the truncation h**2 f^(3)/(6 f') ~ h**2 / 6:
    # their least sum is 1.04 g**(2/3), 4e-12 at x = -705 (twice that allowed)
    x = np.linspace(-708, -690, 37)
    with np.errstate(all="ignore"):  # stable_sigmoid evaluates both branches of its where
        got = finite_difference(stable_sigmoid, x, "complex")
    want = reference(sigmoid_derivative, x)
    g = 2.0**-1074 / want
    assert np.all(np.abs(got - want) <= (2 * g ** (2 / 3) + 16 * EPS) * want)


def test_complex_step_of_a_function_with_subnormal_values() -> None:
    # 1e-310 sin x is analytic, but its values are subnormal: the complex step (grown to the
    # central step hc = eps**(1/3)) resolves f' = 1e-310 cos 1 to the subnormal spacing
    # 2**-1074 over hc, a relative 1.5e-8; the check against central differences must allow
    # for that spacing instead of calling f not analytic
    c = 1e-310
    got = finite_difference(lambda x: c * np.sin(x), 1.0, "complex")
    want = float(mpmath.mpf(c) * mpmath.cos(1))
    assert abs(got - want) <= 2.0**-1074 / STEPS["central"]


BRANCHES = [
    pytest.param(np.sqrt, -1.0, id="sqrt(-1): outside the real domain"),
    pytest.param(np.log, -1.0, id="log(-1): on the branch cut"),
    pytest.param(np.arcsin, 2.0, id="arcsin(2): on the branch cut"),
    pytest.param(np.sqrt, 0.0, id="sqrt at 0: a branch point, f' infinite"),
]


@pytest.mark.parametrize("f, x", BRANCHES)
def test_complex_step_off_the_real_domain_is_refused(f: Callable[[Any], Any], x: float) -> None:
    # sqrt(-1 + ih) ~ i, so Im f / h was 1e20, returned as the derivative and accepted by
    # check_derivative; Im f(x + ih) / h at h and 2h tell it: there it halves (or, at a
    # branch point, shrinks by sqrt 2), where for an analytic f it is the same to rounding
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(NotComplexAnalytic, match="with twice that step at x = "):
            finite_difference(f, [x], "complex")
        with pytest.raises(NotComplexAnalytic, match="outside f's real domain, on a branch cut"):
            # The 1e20 that the complex step gave for sqrt at -1 was accepted before
            check_derivative(f, lambda t: np.full_like(t, 1e20), [x], method="complex")


def test_complex_step_near_a_branch_point_is_accepted() -> None:
    # At 1e-6 the central stencil reaches below 0 (NaN there), but x + ih is far from the
    # branch point: sqrt'(x) = 1/(2 sqrt x) to rounding
    got = finite_difference(np.sqrt, [1e-6, 1e-3], "complex")
    np.testing.assert_allclose(
        got, reference(lambda v: 1 / (2 * mpmath.sqrt(v)), [1e-6, 1e-3]), rtol=ACCURACY["complex"]
    )


# --- check_derivative ------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", SMOOTH)
def test_check_derivative_passes_correct_derivatives(name: str, method: str) -> None:
    f, _, df, x = SMOOTH[name]
    assert check_derivative(f, df, x, method=method) is None


def test_check_derivative_passes_over_a_wide_sweep() -> None:
    # Far out sigma' ~ 1e-17: the error is then measured against atol, on the scale of sigma
    check_derivative(sigmoid, sigmoid_derivative, np.linspace(-40, 40, 801))


# Far from 0, functions that vary on a fixed scale (sin, e^x) need a step that does not grow
# with |x|, and functions that vary on the scale of x (log) one that does: the default tries both.
FAR = {
    "sin": (np.sin, mpmath.cos, np.cos, np.array([-1e6, -1e3, 50.0, 100.0, 1e4, 1e6])),
    "exp": (np.exp, mpmath.exp, np.exp, np.array([-300.0, -50.0, 50.0, 100.0, 300.0, 700.0])),
    "log": (np.log, lambda x: 1 / x, lambda x: 1 / x, np.array([50.0, 1e4, 1e6, 1e12])),
}


@pytest.mark.parametrize("method", ["central", "richardson"])
@pytest.mark.parametrize("name", FAR)
def test_far_from_zero_the_default_step_keeps_the_accuracy(name: str, method: str) -> None:
    # Reference: the closed-form derivative in mpmath at 50 digits, rounded once.
    f, exact, df, x = FAR[name]
    np.testing.assert_allclose(
        finite_difference(f, x, method), reference(exact, x), rtol=ACCURACY[method], atol=0
    )
    assert check_derivative(f, df, x, method=method) is None
    # ... and a derivative wrong by one part in 1e5 (central) or 1e8 (Richardson) still fails
    slip = {"central": 1e-5, "richardson": 1e-8}[method]
    with pytest.raises(DerivativeMismatch):
        check_derivative(f, lambda v: df(v) * (1 + slip), x, method=method)


def test_check_derivative_names_the_worst_point_both_values_the_method_and_the_step() -> None:
    x = np.array([0.1, 0.5, 1.0])
    with pytest.raises(DerivativeMismatch) as excinfo:
        check_derivative(np.sin, lambda x: 2 * np.cos(x), x)  # a factor of 2 too many
    message = str(excinfo.value)
    numeric = finite_difference(np.sin, x, "richardson")
    # Every point is off by |cos x|, furthest beyond rtol |cos x| + atol where |cos x| is largest
    assert message.startswith("df(x) disagrees with finite differences at x = 0.1 (index 0)")
    assert "the worst of 3 failing out of 3" in message
    analytic, numeric = float(2 * np.cos(x)[0]), float(numeric[0])
    assert f"analytic {analytic!r}" in message
    assert f"numeric  {numeric!r} (method='richardson', step={STEPS['richardson']:.3g})" in message
    assert f"abs error {abs(analytic - numeric):.3g}, rel error 1;" in message
    assert isinstance(excinfo.value, AssertionError)


def test_check_derivative_reports_a_dropped_inner_factor_with_the_central_method() -> None:
    x = np.linspace(0.1, 1.0, 10)
    with pytest.raises(DerivativeMismatch) as excinfo:
        check_derivative(lambda x: np.sin(3 * x), lambda x: np.cos(3 * x), x, method="central")
    message = str(excinfo.value)
    i = int(np.argmax(np.abs(np.cos(3 * x))))
    step = STEPS["central"] * max(abs(x[i]), 1)
    assert f"at x = {float(x[i])!r} (index {i})" in message
    assert f"analytic {float(np.cos(3 * x)[i])!r}" in message
    assert f"(method='central', step={step:.3g})" in message


def test_check_derivative_names_a_multi_dimensional_index() -> None:
    x = np.array([[0.5, 1.0], [2.0, 3.0]])
    with pytest.raises(DerivativeMismatch, match=r"at x = 3.0 \(index \(1, 1\)\)"):
        check_derivative(lambda x: x**3, lambda x: 3 * x**2 + (x == 3.0), x)


@pytest.mark.parametrize(
    "method, passes, fails",
    # The smallest relative errors in df that each default rtol must let pass and must catch
    [("central", 1e-9, 1e-6), ("richardson", 1e-12, 1e-9), ("complex", 4 * EPS, 1e-12)],
)
def test_default_tolerances_are_tight_for_each_method(
    method: str, passes: float, fails: float
) -> None:
    x = np.linspace(-2, 2, 21)
    check_derivative(np.exp, lambda x: np.exp(x) * (1 + passes), x, method=method)
    with pytest.raises(DerivativeMismatch, match=f"method='{method}'"):
        check_derivative(np.exp, lambda x: np.exp(x) * (1 + fails), x, method=method)


def test_check_derivative_honours_rtol_and_atol() -> None:
    x = np.linspace(-2, 2, 21)
    check_derivative(np.exp, lambda x: np.exp(x) * (1 + 1e-6), x, rtol=2e-6)
    with pytest.raises(DerivativeMismatch, match=r"allowed: atol 0 \+ rtol 1e-09"):
        check_derivative(np.exp, lambda x: np.exp(x) * (1 + 1e-6), x, rtol=1e-9, atol=0)


def test_a_nan_derivative_is_the_worst_point() -> None:
    with pytest.raises(DerivativeMismatch, match=r"(?s)at x = 2.0 \(index 1\).*analytic nan"):
        check_derivative(np.exp, lambda x: np.where(x == 2.0, np.nan, 2 * np.exp(x)), [1.0, 2.0])


def test_check_derivative_in_float32() -> None:
    x = np.linspace(-8, 8, 33, dtype=np.float32)
    # df runs in float32: the stable sigma(x) sigma(-x) is within a few eps of float32
    check_derivative(sigmoid, lambda x: sigmoid(x) * sigmoid(-x), x)
    # but the float32 default rtol, 32 eps, still catches a relative error of 1e-5 (with
    # atol = 0, as |sigma'| <= 1/4 keeps that error below the default atol = rtol)
    with pytest.raises(DerivativeMismatch, match=re.escape(f"rtol {32 * EPS32:.3g}")):
        check_derivative(sigmoid, lambda x: sigmoid(x) * sigmoid(-x) * (1 + 1e-5), x, atol=0)


@pytest.mark.parametrize("method", METHODS)
def test_check_derivative_refuses_misuse(method: str) -> None:
    with pytest.raises(ValueError, match=r"df\(x\) must have the shape of x, \(3,\), got \(2,\)"):
        check_derivative(np.exp, lambda x: np.exp(x[:2]), [1.0, 2.0, 3.0], method=method)
    with pytest.raises(ValueError, match="unknown method 'Richardson'"):
        check_derivative(np.exp, np.exp, [1.0], method="Richardson")


def test_check_derivative_accepts_a_constant_derivative() -> None:
    check_derivative(lambda x: 3 * x - 1, lambda x: 3.0, np.linspace(-5, 5, 11))


# --- check_gradient --------------------------------------------------------------------


def logistic_loss(
    X: np.ndarray, y: np.ndarray
) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """Binary cross-entropy of a logistic regression with labels y in {-1, 1}, and its gradient."""

    def loss(w: np.ndarray) -> Any:
        return np.sum(np.logaddexp(0.0, -y * (X @ w)))

    def grad(w: np.ndarray) -> Any:
        # d/dz log(1 + e^-z) = -sigma(-z), and z = y X w
        return -X.T @ (y * sigmoid(-y * (X @ w)))

    return loss, grad


def quadratic(
    n: int, seed: int = 0
) -> tuple[Callable[[Any], Any], Callable[[Any], Any], np.ndarray]:
    """1/2 x.A x + b.x with a random A and b, its gradient, and a random point."""
    rng = np.random.default_rng(seed)
    A, b = rng.standard_normal((n, n)), rng.standard_normal(n)
    return (
        (lambda x: 0.5 * x @ A @ x + b @ x),
        (lambda x: 0.5 * (A + A.T) @ x + b),
        rng.standard_normal(n),
    )


@pytest.fixture
def regression() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 4))
    return X, np.where(rng.random(20) < 0.5, -1.0, 1.0), rng.standard_normal(4)


@pytest.mark.parametrize("method", METHODS)
def test_check_gradient_passes_a_correct_gradient(method: str) -> None:
    f, grad, x = quadratic(5, seed=5)
    assert check_gradient(f, grad, x, method=method) is None
    assert check_gradient(f, grad, x, method=method, directions=3) is None


@pytest.mark.parametrize("method", ["central", "richardson"])
def test_check_gradient_of_the_logistic_loss(regression: Any, method: str) -> None:
    X, y, w = regression
    loss, grad = logistic_loss(X, y)
    check_gradient(loss, grad, w, method=method)


def test_check_gradient_refuses_the_complex_step_on_a_stable_real_only_loss(
    regression: Any,
) -> None:
    X, y, w = regression
    with pytest.raises(NotComplexAnalytic, match=r"np\.logaddexp"):
        check_gradient(*logistic_loss(X, y), w, method="complex")


def test_check_gradient_names_the_worst_component(regression: Any) -> None:
    X, y, w = regression
    loss, grad = logistic_loss(X, y)

    def wrong(w: np.ndarray) -> Any:
        return -grad(w)  # the sign slip of writing 1/(1 + e^z) for 1/(1 + e^-z)

    with pytest.raises(DerivativeMismatch) as excinfo:
        check_gradient(loss, wrong, w)
    message = str(excinfo.value)
    # Every component is off by 2 |g_j|, furthest beyond the tolerance where |g_j| is largest
    g = grad(w)
    j = int(np.argmax(np.abs(g)))
    step = STEPS["richardson"] * max(abs(w[j]), 1)

    def along_j(t: np.ndarray) -> np.ndarray:
        return np.array(
            [loss(np.concatenate([w[:j], [v], w[j + 1 :]])) for v in t.ravel()]
        ).reshape(t.shape)

    numeric = float(finite_difference(along_j, w[j], "richardson"))
    where = f"in component {j} (x[{j}] = {float(w[j])!r}) at x = ["
    assert message.startswith(f"grad(x) disagrees with finite differences {where}")
    assert f"the worst of {len(w)} failing out of {len(w)}" in message
    assert f"analytic {float(-g[j])!r}" in message
    assert f"numeric  {numeric!r} (method='richardson', step={step:.3g})" in message
    assert "rel error 2;" in message


def test_check_gradient_names_a_component_of_a_matrix_argument() -> None:
    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(DerivativeMismatch, match=r"in component \(1, 0\) \(x\[\(1, 0\)\] = 3.0\)"):
        check_gradient(lambda W: np.sum(W**3), lambda W: 3 * W**2 + (W == 3.0), W)


def test_check_gradient_along_random_directions_reports_the_direction_and_seed() -> None:
    f, grad, x = quadratic(50, seed=50)
    with pytest.raises(DerivativeMismatch) as excinfo:
        check_gradient(f, lambda x: grad(x) + (np.arange(x.size) == 17), x, directions=4, seed=3)
    message = str(excinfo.value)
    assert re.search(
        r"along random direction \d \(seed 3; directions=None finds the component\)", message
    )
    with pytest.raises(DerivativeMismatch, match=r"in component 17 "):
        check_gradient(f, lambda x: grad(x) + (np.arange(x.size) == 17), x)


def test_random_directions_are_reproducible() -> None:
    f, grad, x = quadratic(8, seed=8)
    messages = []
    for _ in range(2):
        with pytest.raises(DerivativeMismatch) as excinfo:
            check_gradient(f, lambda x: grad(x) * 1.01, x, directions=2, seed=7)
        messages.append(str(excinfo.value))
    assert messages[0] == messages[1]


def test_check_gradient_in_float32() -> None:
    f, grad, x = quadratic(4, seed=4)
    x32 = x.astype(np.float32)
    check_gradient(f, lambda x: grad(x).astype(np.float32), x32)
    with pytest.raises(DerivativeMismatch, match=re.escape(f"rtol {32 * EPS32:.3g}")):
        check_gradient(f, lambda x: (grad(x) * (1 + 1e-5)).astype(np.float32), x32)


def test_check_gradient_refuses_misuse() -> None:
    f, grad, x = quadratic(3, seed=3)
    with pytest.raises(ValueError, match=r"f must return a scalar, got shape \(3,\)"):
        check_gradient(lambda x: x**2, grad, x)
    with pytest.raises(ValueError, match=r"grad\(x\) must have the shape of x, \(3,\), got \(2,\)"):
        check_gradient(f, lambda x: grad(x)[:2], x)
    with pytest.raises(ValueError, match="directions must be a positive integer or None, got 0"):
        check_gradient(f, grad, x, directions=0)
    with pytest.raises(TypeError, match="check_gradient: directions must be a positive integer"):
        check_gradient(f, grad, x, directions=1.5)
    with pytest.raises(TypeError, match="check_gradient: x is a masked array"):
        check_gradient(f, grad, np.ma.array(x, mask=[0, 1, 0]))
    with pytest.raises(ValueError, match="step must be positive and finite"):
        check_gradient(f, grad, x, step=-1.0)


# --- random smooth polynomials and quadratic forms ------------------------------------------

# Coefficients and points with at most 6 decimals keep the derivatives far from underflow
coefficients = st.lists(st.floats(-10, 10).map(lambda c: round(c, 6)), min_size=1, max_size=7)
points = st.floats(-5, 5).map(lambda x: round(x, 6))


def polynomial(c: list[float]) -> Callable[[Any], Any]:
    return lambda x: np.polyval(c, x)


def exact_derivative(c: list[float], x: float) -> float:
    n = len(c) - 1
    with mpmath.workdps(50):
        return float(
            sum(
                mpmath.mpf(ck) * (n - k) * mpmath.mpf(x) ** (n - k - 1)
                for k, ck in enumerate(c[:-1])
            )
        )


def size(c: list[float], x: float) -> float:
    """sum |c_k| |x|^k: the size of the terms that Horner's rule rounds."""
    return float(np.polyval(np.abs(c), abs(x)))


def derivative_size(c: list[float], x: float) -> float:
    """sum k |c_k| |x|^(k-1): the size of the terms of the derivative."""
    return float(np.polyval(np.polyder(np.abs(c)), abs(x))) if len(c) > 1 else 0.0


@given(coefficients, points)
def test_richardson_is_exact_up_to_rounding_on_polynomials_of_degree_6(
    c: list[float], x: float
) -> None:
    # Central differences of a degree-6 polynomial have only h**2 and h**4 terms, which
    # Richardson cancels. What is left is rounding: Horner errs by 2n eps, at most 12 eps, of
    # the size of the terms, and Richardson's weights amplify that by 6.6 / h
    h = STEPS["richardson"] * max(abs(x), 1)
    bound = 7 * 12 * EPS * size(c, abs(x) + h) / h + 4 * EPS * derivative_size(c, x)
    assert abs(finite_difference(polynomial(c), x, "richardson") - exact_derivative(c, x)) <= bound


@given(coefficients, points)
def test_complex_step_is_exact_up_to_rounding_on_polynomials(c: list[float], x: float) -> None:
    # Horner in complex arithmetic carries the derivative in the imaginary part, rounded by
    # 2n eps, at most 12 eps, of the size of the derivative's terms. The truncation error,
    # sum over j >= 3 of h**(j - 1) |f^(j)| / j!, is negligible except where all else vanishes
    h = STEPS["complex"] * max(abs(x), 1)
    truncation = sum(
        h ** (j - 1) * np.polyval(np.polyder(np.abs(c), j), abs(x)) / math.factorial(j)
        for j in range(3, len(c))
    )
    bound = 2 * 12 * EPS * derivative_size(c, x) + (1 + 12 * EPS) * truncation
    assert abs(finite_difference(polynomial(c), x, "complex") - exact_derivative(c, x)) <= bound


@given(
    st.integers(1, 6),
    st.integers(0, 2**32 - 1),
    st.data(),
    st.sampled_from(METHODS),
)
def test_check_gradient_finds_any_single_wrong_component(
    n: int, seed: int, data: st.DataObject, method: str
) -> None:
    f, grad, x = quadratic(n, seed)
    check_gradient(f, grad, x, method=method)
    j = data.draw(st.integers(0, n - 1), label="j")
    # Off by 1e-6 relative, or absolute for small components: above every default tolerance
    off = data.draw(st.sampled_from([-1.0, 1.0])) * 1e-6 * (1 + abs(grad(x)[j]))
    with pytest.raises(
        DerivativeMismatch, match=rf"in component {j} \(.* the worst of 1 failing out of {n}:"
    ):
        check_gradient(f, lambda x: grad(x) + off * (np.arange(n) == j), x, method=method)


@pytest.mark.parametrize("x", [709.0, 709.5, 709.7])
def test_the_complex_step_near_the_overflow_of_exp_gives_exp_without_a_warning(x):
    # d/dx e^x = e^x, finite up to x = 709.78; the error bound of the check overflows first.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = finite_difference(np.exp, x, method="complex")
    assert got == pytest.approx(float(mpmath.exp(x)), rel=4 * np.finfo(float).eps)


def test_the_step_ladder_is_short_even_for_huge_arguments():
    # 1e300 would have 300 decades above the scale 1; below |x| 1e-17 every step is the
    # floor of a few float spacings, so at most 17 rungs, a comparator and the first step.
    recorder = Recorder(np.log)
    finite_difference(recorder, np.array([1e300, 0.5]), "central")
    assert len(recorder.calls) <= 19
