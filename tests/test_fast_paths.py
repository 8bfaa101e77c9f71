"""One number takes the kernels' scalar form, small arrays skip the blocking, and out= works.

Accuracy of the scalar path is checked against mpmath (tests.reference), the same references
and bounds as the array path's tests; types and special values against the array path.
"""

import warnings

import mpmath
import numpy as np
import pytest

import numeric
from tests.reference import magnitudes, reference, ulp_error

MAX_ULP = 4


def deep(formula):
    """``formula`` at 500 digits: the textbook losses cancel ~435 digits at |z| = 1000."""

    def evaluate(*args):
        with mpmath.workdps(500):
            return +formula(*args)

    return evaluate


def sigma(t):
    return 1 / (1 + mpmath.exp(-t))


# Textbook formulas in mpmath; ln(1 + u) as log1p so that 60 digits suffice at u = 1e-300.
TEXTBOOK = {
    "sigmoid": lambda z: 1 / (1 + mpmath.exp(-z)),
    "sigmoid_derivative": lambda z: mpmath.exp(-z) / (1 + mpmath.exp(-z)) ** 2,
    "log_sigmoid": lambda z: -mpmath.log1p(mpmath.exp(-z)),
    "softplus": lambda z: mpmath.log1p(mpmath.exp(z)),
}
BCE_LOGITS = deep(lambda t, y: mpmath.log(1 + mpmath.exp(t)) - y * t)
BCE_DZ = deep(lambda t, y: sigma(t) - y)
SPECIAL = [0.0, -0.0, 5e-324, -5e-324, 1e-300, 1e308, -1e308, np.inf, -np.inf, np.nan]


def _scalars(name, values, *more):
    function = getattr(numeric, name)
    results = [function(float(v), *more) for v in values]
    assert all(type(r) is np.float64 for r in results), name
    return np.array(results)


@pytest.mark.parametrize("name", sorted(TEXTBOOK))
def test_python_floats_are_accurate_over_every_magnitude(name):
    z = magnitudes(800.0, count=150)
    got = _scalars(name, z)
    errors = ulp_error(got, reference(TEXTBOOK[name], z))
    worst = int(np.argmax(errors))
    assert errors[worst] <= MAX_ULP, f"{name}({z[worst]!r}) is {errors[worst]:.1f} ULP off"


@pytest.mark.parametrize("target", [0.0, 1.0, 0.25])
def test_bce_with_logits_and_its_gradient_at_python_floats(target):
    z = magnitudes(1000.0, count=60)
    got = _scalars("bce_with_logits", z, target)
    assert np.max(ulp_error(got, reference(BCE_LOGITS, z, target))) <= MAX_ULP
    # bce_gradient at x = 1, b = 0 is (dC/dz, dC/dz) at z = w.
    pairs = [numeric.bce_gradient(1.0, target, float(w), 0.0) for w in z]
    assert all(type(dw) is np.float64 and dw == db for dw, db in pairs)
    got = np.array([dw for dw, _ in pairs])
    assert np.max(ulp_error(got, reference(BCE_DZ, z, target))) <= MAX_ULP


@pytest.mark.parametrize("name", [*sorted(TEXTBOOK), "logit"])
def test_special_values_match_the_array_path_without_warnings(name):
    function = getattr(numeric, name)
    values = [0.0, 0.25, 0.5, 1.0, 5e-324, np.nan] if name == "logit" else SPECIAL
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        one = np.array([function(float(v)) for v in values])
    np.testing.assert_array_equal(one, function(np.array(values)))


def test_every_kind_of_number_gives_the_dtype_numpy_would():
    want = numeric.sigmoid(np.array([2.0]))[0]
    for value in (2.0, 2, np.float64(2.0), np.array(2.0)):
        got = numeric.sigmoid(value)
        assert type(got) is np.float64 and got == want, type(value)
    assert type(numeric.sigmoid(np.float32(2.0))) is np.float32
    assert type(numeric.bce_with_logits(2, np.float32(1.0))) is np.float32
    dw, db = numeric.mse_gradient(1, 0.0, 2, 2)
    assert type(dw) is np.float64 and type(db) is np.float64


def test_bad_values_still_raise_on_the_scalar_path():
    with pytest.raises(ValueError, match="y must lie in"):
        numeric.bce_with_logits(0.5, 1.5)
    with pytest.raises(ValueError, match="y must lie in"):
        numeric.bce_gradient(1.0, -0.5, 1.0, 0.0)
    with pytest.raises(ValueError, match="p must lie in"):
        numeric.logit(1.5)


# ----------------------------------------------------------------- out=

ELEMENTWISE = {
    "sigmoid": 1,
    "sigmoid_derivative": 1,
    "log_sigmoid": 1,
    "softplus": 1,
    "logit": 1,
    "mse_loss": 2,
    "bce_loss": 2,
    "bce_with_logits": 2,
}


def _inputs(name, n, dtype, rng):
    first = rng.uniform(0.01, 0.99, n) if name in ("logit", "bce_loss", "mse_loss") else None
    first = rng.uniform(-30, 30, n) if first is None else first
    return [first.astype(dtype), rng.uniform(0, 1, n).astype(dtype)][: ELEMENTWISE[name]]


@pytest.mark.parametrize("n", [0, 7, 5000, 300_001])  # empty, small, one block, many blocks
@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_out_receives_the_result_and_is_returned(name, n, rng):
    function = getattr(numeric, name)
    for dtype in (np.float64, np.float32):
        args = _inputs(name, n, dtype, rng)
        out = np.full(n, np.nan, dtype)
        assert function(*args, out=out) is out
        np.testing.assert_array_equal(out, function(*args))


def test_out_may_be_the_input_or_a_strided_view(rng):
    z = rng.uniform(-30, 30, 200_000)
    want = numeric.sigmoid(z)
    same = z.copy()
    assert numeric.sigmoid(same, out=same) is same
    np.testing.assert_array_equal(same, want)
    wide = np.zeros(2 * z.size)
    numeric.sigmoid(z, out=wide[::2])
    np.testing.assert_array_equal(wide[::2], want)
    assert not np.any(wide[1::2])
    y = rng.uniform(0, 1, 5)
    grid = np.empty((4, 5))  # broadcast of (4, 1) against (5,)
    numeric.bce_with_logits(z[:4, None], y, out=grid)
    np.testing.assert_array_equal(grid, numeric.bce_with_logits(z[:4, None], y))


@pytest.mark.parametrize(
    "out, message",
    [
        (np.empty(3), r"sigmoid: out must have shape \(2,\) and dtype float64.*shape \(3,\)"),
        (np.empty(2, np.float32), r"sigmoid: out must have shape .* dtype float32"),
        (np.empty((1, 2)), r"sigmoid: out must have shape \(2,\)"),
    ],
)
def test_out_of_the_wrong_shape_or_dtype_raises_value_error(out, message):
    with pytest.raises(ValueError, match=message):
        numeric.sigmoid(np.array([1.0, 2.0]), out=out)


def test_out_must_be_an_array():
    with pytest.raises(TypeError, match="out must be a NumPy array"):
        numeric.bce_with_logits([1.0], [0.0], out=[0.0])


def test_small_inputs_of_changing_shapes_reuse_no_stale_buffer(rng):
    # Small inputs borrow per-thread buffers, views kept for the last shape: alternate shapes
    # and kernels, and compare with the same block form run on fresh buffers of its own.
    from numeric._codegen import generated

    for shape in [(7,), (3, 4), (7,), (), (4096,), (1, 1), (3, 4), (2, 0)]:
        z = rng.uniform(-30, 30, shape)
        for name in ("sigmoid", "log_sigmoid", "bce_with_logits"):
            args = (z, rng.uniform(0, 1, shape))[: 2 if name == "bce_with_logits" else 1]
            got = getattr(numeric, name)(*args)
            np.testing.assert_array_equal(got, generated(name)(*args))
            assert np.shape(got) == shape


@pytest.mark.parametrize("n", [5, 5000])  # argmin/argmax find the extremes, then min/max do
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_range_checks_of_float_arrays_of_one_shape(n, dtype, rng):
    # Float arrays of one shape and dtype skip the conversions, not the range check of y.
    z = rng.uniform(-30, 30, n).astype(dtype)
    for bad in (1.5, -0.25):
        y = rng.uniform(0, 1, n).astype(dtype)
        y[0], y[n // 2] = np.nan, bad  # a NaN is an extreme for argmin/argmax, and passes
        message = rf"bce_with_logits: y must lie in \[0, 1\]; got {bad!r} at index \({n // 2},\)"
        with pytest.raises(ValueError, match=message):
            numeric.bce_with_logits(z, y)
    y[n // 2] = 1.0
    got = numeric.bce_with_logits(z, y)
    assert got.dtype == dtype and np.isnan(got[0]) and np.all(np.isfinite(got[1:]))
    # Mixed dtypes take the full path: float64, as NumPy promotes them.
    assert numeric.bce_with_logits(z, y.astype(np.float64)).dtype == np.float64


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_every_path_is_accurate_and_silent_on_the_tail_grid(dtype):
    # The tail grid (every magnitude to 1000, past exp's overflow, and the splits of the tail
    # forms) repeated to each size the functions treat apart: pooled buffers of a small
    # input, one block, many blocks. RuntimeWarnings are errors in this suite, so any
    # warning fails; the values are compared with mpmath at each grid point.
    grid = np.concatenate([magnitudes(1000.0, count=60), [-745.5, -709.9, -700.5, -350.5, -88.8]])
    grid = grid.astype(dtype)
    y = np.resize([0.0, 1.0, 0.25], grid.size).astype(dtype)
    want = {name: reference(TEXTBOOK[name], grid, dtype=dtype) for name in TEXTBOOK}
    want["bce_with_logits"] = reference(BCE_LOGITS, grid, y, dtype=dtype)
    for n in (grid.size, 5000, 300_001):
        z = np.resize(grid, n)
        for name, expected in want.items():
            args = (z, np.resize(y, n)) if name == "bce_with_logits" else (z,)
            got = getattr(numeric, name)(*args)
            assert got.dtype == dtype
            errors = ulp_error(got, np.resize(expected, n))
            assert errors.max() <= MAX_ULP, f"{name}, {n} elements: {errors.max():.1f} ULP"


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_ranges_of_large_inputs_are_checked_block_by_block(dtype, rng):
    # Inputs of several blocks have their ranges tested block by block (numeric._codegen):
    # the message still names the first bad index of the whole input, a NaN or a -0.0 in
    # an earlier block passes, and the results equal those of the same inputs in pieces
    # small enough for one block.
    from numeric._codegen import BLOCK_BYTES

    block = BLOCK_BYTES // np.dtype(dtype).itemsize
    n = 3 * block + 17
    z = rng.uniform(-30, 30, n).astype(dtype)
    y = rng.uniform(0, 1, n).astype(dtype)
    y[5], y[block + 3] = np.nan, -0.0
    calls = {
        "bce_with_logits": lambda y: numeric.bce_with_logits(z, y),
        "bce_gradient": lambda y: numeric.bce_gradient(z, y, dtype(0.5), dtype(0.25)),
        "bce_loss": lambda y: numeric.bce_loss(y, y),
        "logit": lambda y: numeric.logit(y),
    }
    for name, call in calls.items():
        for bad in (1.5, -0.25, -1e-300 if dtype == np.float64 else -1e-40):
            wrong = y.copy()
            wrong[2 * block + 7] = bad
            label = "a" if name == "bce_loss" else "p" if name == "logit" else "y"
            shown = repr(float(dtype(bad)))
            message = (
                rf"{name}: {label} must lie in \[0, 1\]; got {shown} at index \({2 * block + 7},\)"
            )
            with pytest.raises(ValueError, match=message):
                call(wrong)
        result = call(y)  # the NaN and the -0.0 pass the checks
        values = result[1] if name == "bce_gradient" else result
        assert np.isnan(values[5]) and not np.isnan(np.delete(values, 5)).any()
    dw, db = numeric.bce_gradient(z, y, dtype(0.5), dtype(0.25))
    for start in (0, block - 3, 2 * block + 5, n - 900):
        part = slice(start, start + 900)
        small_dw, small_db = numeric.bce_gradient(z[part], y[part], dtype(0.5), dtype(0.25))
        np.testing.assert_array_equal(dw[part], small_dw)
        np.testing.assert_array_equal(db[part], small_db)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_huge_mse_target_in_a_late_block_is_rescaled(dtype, rng):
    # A target beyond a quarter of the float range only in the last block: found when that
    # block is tested, and the whole input is evaluated again with it halved (losses.py).
    from numeric._codegen import BLOCK_BYTES

    block = BLOCK_BYTES // np.dtype(dtype).itemsize
    n = 2 * block + 11
    z = rng.uniform(-6, 6, n).astype(dtype)
    y = rng.uniform(-2, 2, n).astype(dtype)
    y[n - 4] = np.finfo(dtype).max * dtype(0.75)
    y[3] = np.nan  # fails the fast test of the first block, and is not a huge target
    dw, db = numeric.mse_gradient(dtype(1), y, z, dtype(0))
    assert np.isnan(db[3]) and np.all(np.isfinite(np.delete(db, 3)))
    small_dw, small_db = numeric.mse_gradient(dtype(1), y[-10:], z[-10:], dtype(0))
    np.testing.assert_array_equal(db[-10:], small_db)
    np.testing.assert_array_equal(dw[-10:], small_dw)


@pytest.mark.parametrize("name", ["bce_gradient", "mse_gradient"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gradients_with_python_float_parameters_equal_the_full_path(name, dtype, rng):
    # Float arrays x, y of one shape with Python floats w, b skip the conversions (losses.py);
    # the full path (0-d arrays of the same values) is the reference, bit for bit, over the
    # sizes evaluated apart and z reaching both tails.
    function = getattr(numeric, name)
    for n in (7, 5000, 300_001):
        x = np.resize(magnitudes(1000.0, count=40), n).astype(dtype)
        y = rng.uniform(0, 1, n).astype(dtype)
        for w, b in ((1.5, 0.2), (-0.7, 3.0), (1e-30, -1e30)):
            fast = function(x, y, w, b)
            full = function(x, y, np.asarray(w, dtype), np.asarray(b, dtype))
            for got, want in zip(fast, full, strict=True):
                assert got.dtype == dtype
                np.testing.assert_array_equal(got, want)
    if name == "bce_gradient":  # and the range of y is still checked
        with pytest.raises(ValueError, match=r"bce_gradient: y must lie in \[0, 1\]"):
            function(x, y + 1, 1.0, 0.0)


def test_the_first_bad_parameter_is_named_whatever_the_size_and_out_is_left_alone():
    # Several bad inputs: the message names the first parameter in the signature's order
    # (not whichever block comes first), for one block and for many; and a caller's out=
    # array is not written when an input is refused.
    for n in (10, 300_000):
        a, y = np.full(n, 0.5), np.full(n, 0.5)
        a[-1], y[0] = 2.0, -1.0
        with pytest.raises(
            ValueError, match=rf"bce_loss: a must lie in \[0, 1\]; got 2.0 at index \({n - 1},\)"
        ):
            numeric.bce_loss(a, y)
        with pytest.raises(
            ValueError, match=r"bce_loss: a must lie in \[0, 1\]; got 2.0 at index \(\)"
        ):
            numeric.bce_loss(2.0, y)
        p, out = np.full(n, 0.7), np.zeros(n)
        p[-1] = 2.0
        with pytest.raises(ValueError, match=r"logit: p must lie in"):
            numeric.logit(p, out=out)
        assert not out.any()
