"""numeric.softmax and numeric.standardized_sigmoid: accuracy, stability, axes, dtypes, errors."""

import statistics

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import numeric
from derivations import get
from tests.reference import reference, ulp_error

mp = mpmath
MAX_ULP = 4


def softmax_reference(z, dtype=np.float64):
    """exp(z_i) / sum_j exp(z_j) as written, in mpmath at 60 digits (no shift: none is needed)."""
    with mp.workdps(60):
        weights = [mp.exp(mp.mpf(float(v))) for v in z]
        total = mp.fsum(weights)
        return np.array([float(w / total) for w in weights]).astype(dtype)


def standardized_reference(values, ddof):
    """sigma((x - mean)/std) as written, with numpy's ddof, in mpmath at 60 digits."""
    with mp.workdps(60):
        xs = [mp.mpf(float(v)) for v in values]
        mean = mp.fsum(xs) / len(xs)
        spread = mp.sqrt(mp.fsum((v - mean) ** 2 for v in xs) / (len(xs) - ddof))
        return np.array([float(1 / (1 + mp.exp(-(v - mean) / spread))) for v in xs])


# ----------------------------------------------------------------- softmax


@pytest.mark.parametrize("scale", [1.0, 30.0, 1000.0, 1e6, 1e300])
def test_softmax_accuracy_at_every_scale(rng, scale):
    for _ in range(20):
        z = rng.normal(0, 1, rng.integers(1, 8)) * scale
        got = numeric.softmax(z)
        want = softmax_reference(z)
        assert np.max(ulp_error(got, want)) <= MAX_ULP, z


def test_softmax_does_not_overflow_at_1000():
    np.testing.assert_array_equal(numeric.softmax([1000.0, 1000.0, 0.0]), [0.5, 0.5, 0.0])
    np.testing.assert_array_equal(numeric.softmax([-1e308, 1e308]), [0.0, 1.0])
    assert numeric.softmax(np.float32([100.0, 0.0])).tolist() == [1.0, np.exp(np.float32(-100))]


def test_softmax_two_classes_is_the_sigmoid_of_the_difference(rng):
    z = rng.normal(0, 5, (200, 2))
    got = numeric.softmax(z)[:, 1]
    # sigma(z_1 - z_0) with the difference taken exactly, at 60 digits
    want = reference(lambda a, b: 1 / (1 + mp.exp(a - b)), z[:, 0], z[:, 1])
    assert np.max(ulp_error(got, want)) <= MAX_ULP


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3])
def test_softmax_along_any_axis(rng, axis):
    z = rng.normal(0, 10, (3, 4, 5))
    got = numeric.softmax(z, axis=axis)
    moved = np.moveaxis(z, axis, -1)
    want = np.moveaxis(
        np.array([softmax_reference(row) for row in moved.reshape(-1, moved.shape[-1])]).reshape(
            moved.shape
        ),
        -1,
        axis,
    )
    assert got.shape == z.shape
    assert np.max(ulp_error(got, want)) <= MAX_ULP


def test_softmax_keeps_float32(rng):
    z = (rng.normal(0, 30, (50, 6))).astype(np.float32)
    got = numeric.softmax(z)
    assert got.dtype == np.float32
    want = np.array([softmax_reference(row, np.float32) for row in z])
    assert np.max(ulp_error(got, want)) <= MAX_ULP


@given(
    hnp.arrays(np.float64, st.integers(1, 6), elements=st.floats(-700, 700)),
    st.floats(-1e3, 1e3),
)
def test_softmax_sums_to_one_and_ignores_a_shift(z, c):
    p = numeric.softmax(z)
    assert np.all((p >= 0) & (p <= 1))
    assert abs(np.sum(p) - 1) <= z.size * np.finfo(float).eps
    # The shift itself rounds z + c by up to |z + c| eps, which moves exp by that much.
    tolerance = 8 * np.finfo(float).eps * (1 + np.max(np.abs(z)) + abs(c))
    np.testing.assert_allclose(numeric.softmax(z + c), p, rtol=tolerance, atol=1e-300)


def test_softmax_masks_with_minus_infinity():
    np.testing.assert_array_equal(numeric.softmax([0.0, -np.inf, 0.0]), [0.5, 0.0, 0.5])


@pytest.mark.parametrize(
    ("z", "kwargs", "error", "match"),
    [
        (1.0, {}, ValueError, "at least one dimension"),
        (np.zeros((2, 0)), {}, ValueError, "no values along axis 1"),
        ([np.nan, 1.0], {}, ValueError, r"NaN or \+inf; got nan at \(0,\)"),
        ([1.0, np.inf], {}, ValueError, r"got inf at \(1,\)"),
        ([-np.inf, -np.inf], {}, ValueError, "all -inf"),
        ([1.0, 2.0], {"axis": 1}, ValueError, "axis 1 is out of range for 1 dimensions"),
        ([1.0, 2.0], {"axis": 0.5}, TypeError, "axis must be an integer"),
        (np.array([1j]), {}, TypeError, "z has dtype complex128"),
    ],
)
def test_softmax_bad_input(z, kwargs, error, match):
    with pytest.raises(error, match=match):
        numeric.softmax(z, **kwargs)


# ----------------------------------------------------------------- standardized sigmoid


@pytest.mark.parametrize("ddof", [0, 1, 2])
def test_standardized_sigmoid_against_the_textbook(rng, ddof):
    for size in (3, 5, 40):
        values = rng.normal(3, 7, size)
        got = numeric.standardized_sigmoid(values, ddof=ddof)
        assert np.max(ulp_error(got, standardized_reference(values, ddof))) <= MAX_ULP


def test_standardized_sigmoid_follows_numpy_and_statistics_ddof():
    values = [1.0, 1.2, 0.8, 1.1, 5000.0]
    for ddof, spread in ((0, statistics.pstdev(values)), (1, statistics.stdev(values))):
        mean = statistics.fmean(values)
        want = 1 / (1 + np.exp(-(np.array(values) - mean) / spread))
        np.testing.assert_allclose(
            numeric.standardized_sigmoid(values, ddof=ddof), want, rtol=1e-14
        )
    # The outlier example: each output within MAX_ULP of mpmath's sigma((x - m)/s) at 60
    # digits, and so the sigmoid of four values half a deviation below the mean and one two
    # above (to 2e-4, a fact of these numbers: (x - m)/s = -0.500125, ..., 2.0).
    out = numeric.standardized_sigmoid(values)
    assert np.max(ulp_error(out, standardized_reference(values, 0))) <= MAX_ULP
    assert np.max(np.abs(numeric.logit(out) - [-0.5, -0.5, -0.5, -0.5, 2.0])) < 2e-4


def test_ddof_one_shrinks_every_standardized_value_by_one_factor(rng):
    # The derivation's result: (x - m)/s_1 = sqrt((n - 1)/n) (x - m)/s_0.
    values = rng.normal(0, 1, 5)
    logit0 = numeric.logit(numeric.standardized_sigmoid(values))
    logit1 = numeric.logit(numeric.standardized_sigmoid(values, ddof=1))
    np.testing.assert_allclose(logit1, np.sqrt(4 / 5) * logit0, rtol=1e-12)


def test_standardized_sigmoid_does_not_depend_on_units(rng):
    values = rng.normal(0, 1, 9)
    base = numeric.standardized_sigmoid(values)
    np.testing.assert_array_equal(numeric.standardized_sigmoid(values * 2.0**600), base)
    for scale in (1e-300, 3.7, 1e300):
        np.testing.assert_allclose(numeric.standardized_sigmoid(values * scale), base, rtol=1e-14)
    # The largest floats and the smallest subnormals do not overflow or underflow the spread.
    extreme = numeric.standardized_sigmoid([1.7e308, -1.7e308, 1e308])
    np.testing.assert_allclose(extreme, standardized_reference([1.7e308, -1.7e308, 1e308], 0))
    tiny = numeric.standardized_sigmoid([5e-324, 1e-323, 1.5e-323])
    np.testing.assert_allclose(tiny, standardized_reference([1.0, 2.0, 3.0], 0), rtol=1e-15)


def test_standardized_sigmoid_along_an_axis_and_float32(rng):
    values = rng.normal(0, 1, (4, 6)).astype(np.float32)
    got = numeric.standardized_sigmoid(values, axis=0)
    assert got.dtype == np.float32 and got.shape == (4, 6)
    for column in range(6):
        want = standardized_reference(values[:, column], 0).astype(np.float32)
        assert np.max(ulp_error(got[:, column], want)) <= MAX_ULP
    whole = numeric.standardized_sigmoid(values)
    np.testing.assert_allclose(whole.ravel(), standardized_reference(values.ravel(), 0), rtol=1e-6)


def test_any_two_distinct_values_standardize_to_minus_one_and_one():
    # With ddof = 0, (x - mean)/std of two values is -1 and +1 whatever they are: sigma(-+1).
    # The rounded mean of 1 and 1 + 2**-52 is 1 (half an ULP off), which made them 0 and
    # sqrt(2): sigma = 0.5 and 0.804
    want = 1 / (1 + np.exp([1.0, -1.0]))
    tiny = np.nextafter(0.0, 1.0)
    for pair in ([1.0, 1.0 + 2**-52], [1e300, np.nextafter(1e300, 2e300)], [0.0, tiny]):
        got = numeric.standardized_sigmoid(pair)
        assert np.max(ulp_error(got, standardized_reference(pair, 0))) <= MAX_ULP, pair
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("ddof", [0, 1])
def test_nearly_constant_vectors_against_the_textbook(rng, ddof):
    # Values a few ULPs apart, where the rounded mean is off by as much as their spread; the
    # reference takes mean and std in mpmath at 60 digits from the same floats
    for base in (1.0, 3.0, -7.5e-200, 6.02e23, -1e300):
        ulps = rng.integers(-4, 5, 9)
        values = base + ulps * np.spacing(abs(base))
        if np.ptp(values) == 0:
            continue
        got = numeric.standardized_sigmoid(values, ddof=ddof)
        errors = ulp_error(got, standardized_reference(values, ddof))
        assert np.max(errors) <= MAX_ULP, (base, values)


@pytest.mark.parametrize(
    ("values", "kwargs", "match"),
    [
        (np.array(3.0), {"axis": 0}, r"axis=0 needs an array with dimensions, but x is a scalar"),
        ([2.0, 2.0, 2.0], {}, "constant"),
        ([0.0, 0.0], {}, "constant"),
        ([1.0, 2.0], {"ddof": 2}, "ddof=2 needs more than 2 values; got 2"),
        ([1.0, 2.0], {"ddof": -1}, "non-negative integer"),
        ([1.0, 2.0], {"ddof": 0.5}, "non-negative integer"),
        ([1.0, np.inf], {}, "x must be finite"),
        ([[1.0, 2.0], [1.0, 3.0]], {"axis": 0}, "constant"),
        ([1.0, 2.0], {"axis": 2}, "axis 2 is out of range"),
    ],
)
def test_standardized_sigmoid_bad_input(values, kwargs, match):
    with pytest.raises(ValueError, match=match):
        numeric.standardized_sigmoid(values, **kwargs)


def test_derivations_verify_with_every_claim_proven():
    for slug in ("softmax-two-class", "standardized-sigmoid"):
        report = get(slug).verify()
        assert report.numeric == 0, report.table()


def test_results_are_displayed_as_written():
    from derivations.render import result_latex

    assert result_latex(get("softmax-two-class")).endswith(r"\sigma\left(z_{1} - z_{0}\right)")
    assert r"\frac{z_{k} - m}{s_{\mathrm{sample}}}" in result_latex(get("standardized-sigmoid"))


def test_numeric_softmax_is_the_function_whichever_import_came_first():
    import importlib

    importlib.import_module("numeric.normalization")
    assert callable(numeric.softmax) and numeric.softmax.__name__ == "softmax"
    assert numeric.softmax([0.0, 0.0]).tolist() == [0.5, 0.5]
