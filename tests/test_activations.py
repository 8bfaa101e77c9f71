"""numeric.sigmoid and family: accuracy against mpmath, dtypes, bad input, properties."""

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import numeric
from numeric.finite_differences import check_derivative
from tests.reference import magnitudes, reference, ulp_error

# Textbook formulas, written with mpmath and evaluated at 60 digits: the references.
# ln(1 + u) is mpmath's log1p, so that 60 digits suffice even where u is 1e-300.
TEXTBOOK = {
    "sigmoid": lambda z: 1 / (1 + mpmath.exp(-z)),
    "sigmoid_derivative": lambda z: mpmath.exp(-z) / (1 + mpmath.exp(-z)) ** 2,
    "log_sigmoid": lambda z: -mpmath.log1p(mpmath.exp(-z)),
    "softplus": lambda z: mpmath.log1p(mpmath.exp(z)),
}
MAX_ULP = 4


@pytest.mark.parametrize("name", sorted(TEXTBOOK))
def test_float64_accuracy_over_every_magnitude(name):
    # Every magnitude from 1e-300 up to 800, past exp's overflow at 709.78, both signs.
    z = magnitudes(800.0)
    got = getattr(numeric, name)(z)
    want = reference(TEXTBOOK[name], z)
    errors = ulp_error(got, want)
    worst = int(np.argmax(errors))
    assert errors[worst] <= MAX_ULP, f"{name}({z[worst]!r}) is {errors[worst]:.1f} ULP off"
    assert got.dtype == np.float64


@pytest.mark.parametrize("name", sorted(TEXTBOOK))
def test_float32_accuracy_and_dtype(name):
    # float32 overflows exp at 88.7: sweep past it. ULPs are float32 ULPs.
    z = magnitudes(100.0).astype(np.float32)
    got = getattr(numeric, name)(z)
    assert got.dtype == np.float32
    want = reference(TEXTBOOK[name], z, dtype=np.float32)
    errors = ulp_error(got, want)
    worst = int(np.argmax(errors))
    assert errors[worst] <= MAX_ULP, f"{name}({z[worst]!r}) is {errors[worst]:.1f} ULP off"


def test_edges_where_exp_overflows():
    # Around exp's overflow (709.78 in float64, 88.72 in float32) the naive formula fails.
    for dtype, edges in (
        (np.float64, [709.0, 710.0, 745.0, 746.0]),
        (np.float32, [88.0, 89.0, 104.0]),
    ):
        z = np.array(edges + [-e for e in edges], dtype=dtype)
        for name, formula in TEXTBOOK.items():
            got = getattr(numeric, name)(z)
            assert np.all(ulp_error(got, reference(formula, z, dtype=dtype)) <= MAX_ULP), name


def test_logit_accuracy_including_both_ends():
    # Uniform p, tiny p down to 1e-300, p near 1 down to 1 - 1e-16, and exactly 1/2.
    rng = np.random.default_rng(7)
    p = np.concatenate(
        [
            rng.uniform(0, 1, 2000),
            10.0 ** rng.uniform(-300, 0, 500),
            1 - 10.0 ** rng.uniform(-16, -1, 500),
            [0.5],
        ]
    )
    got = numeric.logit(p)
    want = reference(lambda q: mpmath.log(q / (1 - q)), p)
    assert np.max(ulp_error(got, want)) <= MAX_ULP
    assert numeric.logit(0.5) == 0.0


def test_limits_at_infinity_and_nan_propagates():
    z = np.array([-np.inf, np.inf])
    np.testing.assert_array_equal(numeric.sigmoid(z), [0.0, 1.0])
    np.testing.assert_array_equal(numeric.sigmoid_derivative(z), [0.0, 0.0])
    np.testing.assert_array_equal(numeric.log_sigmoid(z), [-np.inf, 0.0])
    np.testing.assert_array_equal(numeric.softplus(z), [0.0, np.inf])
    np.testing.assert_array_equal(numeric.logit([0.0, 1.0]), [-np.inf, np.inf])
    assert np.isnan(numeric.sigmoid(np.nan))


def test_scalars_lists_integers_and_booleans():
    assert isinstance(numeric.sigmoid(0.0), np.float64) and numeric.sigmoid(0) == 0.5
    assert numeric.sigmoid([0, 1]).dtype == np.float64
    assert numeric.sigmoid(np.array([True, False])).dtype == np.float64
    assert numeric.sigmoid(np.arange(3, dtype=np.int8)).dtype == np.float64
    assert numeric.sigmoid(np.float32(2.0)).dtype == np.float32
    assert numeric.sigmoid(np.zeros((2, 3, 4), np.float32)).shape == (2, 3, 4)
    big = np.linspace(-50, 50, 100_003)  # more than one block, odd length
    np.testing.assert_array_equal(numeric.sigmoid(big)[::1000], numeric.sigmoid(big[::1000]))


@pytest.mark.parametrize(
    "bad",
    [np.array([1j]), np.array(["a"]), np.array([object()]), np.array([1.0], np.float16), "1.0"],
)
def test_unsupported_dtypes_raise_type_error_naming_them(bad):
    with pytest.raises(TypeError, match=r"sigmoid: z .*supported: float32 and float64"):
        numeric.sigmoid(bad)


def test_logit_refuses_values_outside_the_unit_interval():
    with pytest.raises(
        ValueError, match=r"logit: p must lie in \[0, 1\]; got .*1\.5.* at index \(1,\)"
    ):
        numeric.logit([0.5, 1.5])
    with pytest.raises(ValueError, match="-1e-300"):
        numeric.logit(-1e-300)


finite = st.floats(-800, 800, allow_nan=False)


@given(hnp.arrays(np.float64, st.integers(1, 50), elements=finite))
def test_symmetry_and_bounds(z):
    s, s_neg = numeric.sigmoid(z), numeric.sigmoid(-z)
    assert np.all((0 <= s) & (s <= 1))
    # sigma(-z) = 1 - sigma(z): to within one rounding of each side.
    np.testing.assert_allclose(s + s_neg, 1.0, rtol=0, atol=2 * np.finfo(float).eps)
    # sigma' <= 1/4, to within the 4 ULP the function promises (near z = 0 the exact value
    # is 1/4 - z^2/16, so a correctly rounded result can be 1/4 and one ULP more is allowed).
    assert np.all(numeric.sigmoid_derivative(z) <= 0.25 + 4 * np.spacing(0.25))


@given(hnp.arrays(np.float64, st.integers(2, 50), elements=finite))
def test_monotone(z):
    z = np.sort(z)
    assert np.all(np.diff(numeric.sigmoid(z)) >= 0)
    assert np.all(np.diff(numeric.log_sigmoid(z)) >= 0)


@given(hnp.arrays(np.float64, st.integers(1, 20), elements=st.floats(-30, 30)))
def test_derivatives_against_finite_differences(z):
    check_derivative(numeric.sigmoid, numeric.sigmoid_derivative, z)
    check_derivative(numeric.log_sigmoid, lambda t: numeric.sigmoid(-t), z)
    check_derivative(numeric.softplus, numeric.sigmoid, z)


@given(hnp.arrays(np.float64, st.integers(1, 20), elements=st.floats(1e-6, 1 - 1e-6)))
def test_logit_inverts_sigmoid(p):
    np.testing.assert_allclose(numeric.sigmoid(numeric.logit(p)), p, rtol=8 * np.finfo(float).eps)


def test_no_warning_for_any_finite_input():
    # RuntimeWarnings are errors in this suite; the extremes of float64 must pass silently.
    extremes = np.array([-np.finfo(float).max, -1e300, -745.2, 745.2, 1e300, np.finfo(float).max])
    for name in TEXTBOOK:
        assert np.all(np.isfinite(getattr(numeric, name)(extremes)) | (name == "softplus"))
    assert np.all(np.isfinite(numeric.softplus(extremes[:-1])))


def test_a_python_int_beyond_float64_is_refused_saying_so():
    # float(10**400) raises OverflowError; the message says which argument and why
    with pytest.raises(ValueError, match=r"sigmoid: z is a Python int of 1329 bits, too large"):
        numeric.sigmoid(10**400)
    assert numeric.sigmoid(10**300) == 1.0  # a large int that float64 holds is fine


_z = sympy.Symbol("z", real=True)


def _masked_calls():
    """One call per public function of numeric, each with a masked array for one argument."""
    m = np.ma.array([0.25, 0.5], mask=[0, 1])
    m2 = np.ma.array(np.eye(2), mask=[[0, 1], [0, 0]])
    calls = {
        "sigmoid": (lambda: numeric.sigmoid(m), "z"),
        "sigmoid_derivative": (lambda: numeric.sigmoid_derivative(m), "z"),
        "log_sigmoid": (lambda: numeric.log_sigmoid(m), "z"),
        "softplus": (lambda: numeric.softplus(m), "z"),
        "logit": (lambda: numeric.logit(m), "p"),
        "finite_difference": (lambda: numeric.finite_difference(np.sin, m), "x"),
        "check_derivative": (lambda: numeric.check_derivative(np.sin, np.cos, m), "x"),
        "check_gradient": (lambda: numeric.check_gradient(np.sum, np.ones_like, m), "x"),
        "gaussian_posterior": (lambda: numeric.gaussian_posterior(m, 0.0, 1.0, 1.0), "x"),
        "gaussian_posterior_multivariate": (
            lambda: numeric.gaussian_posterior_multivariate([0.0, 0.0], [0, 0], [1, 0], m2),
            "sigma",
        ),
        "gaussian_posterior_unequal_variance": (
            lambda: numeric.gaussian_posterior_unequal_variance(0.0, 0.0, 1.0, m, 1.0),
            "s0",
        ),
        "mse_loss": (lambda: numeric.mse_loss(0.5, m), "y"),
        "bce_loss": (lambda: numeric.bce_loss(m, 0.5), "a"),
        "bce_with_logits": (lambda: numeric.bce_with_logits(m, 0.5), "z"),
        "mse_gradient": (lambda: numeric.mse_gradient(1.0, 0.5, m, 0.0), "w"),
        "bce_gradient": (lambda: numeric.bce_gradient(m, 0.5, 1.0, 0.0), "x"),
        "mse_mean_gradient": (lambda: numeric.mse_mean_gradient(m2, m, np.ones(2), 0.0), "X"),
        "bce_mean_gradient": (
            lambda: numeric.bce_mean_gradient(np.eye(2), m, np.ones(2), 0.0),
            "y",
        ),
        "softmax": (lambda: numeric.softmax(m), "z"),
        "standardized_sigmoid": (lambda: numeric.standardized_sigmoid(m), "x"),
        "plot_derivative": (lambda: numeric.plot_derivative(np.sin, np.cos, m), "x"),
        "lambdify": (lambda: numeric.lambdify(_z, _z)(m), "z"),
    }
    assert set(calls) | {"DerivativeMismatch", "NotComplexAnalytic", "NumericError"} == set(
        numeric.__all__
    )
    return calls


@pytest.mark.parametrize(("name", "call"), sorted(_masked_calls().items()))
def test_every_public_function_refuses_masked_arrays(name, call):
    # NumPy functions would drop the mask silently, computing with the hidden values: each
    # public function refuses the masked array, naming its parameter
    function, parameter = call
    with pytest.raises(TypeError, match=rf"{name}: {parameter} is a masked array"):
        function()
