"""The forms rewritten for speed (far-tail kernels, blocked softmax) against mpmath, on both SIMD paths.

Each rewritten form at every magnitude of its argument (the tail grid, both signs, up to
1000, so past exp's overflow), float64 and float32, within 4 ULP of the textbook formula
evaluated by mpmath at 50 digits (500 where the textbook form cancels). The same tests run
again in a child process with NumPy's AVX-512 loops disabled (NPY_DISABLE_CPU_FEATURES), whose
exp and log round differently, so that both paths NumPy may dispatch are covered.
"""

import os
import subprocess
import sys
import warnings

import mpmath
import numpy as np
import pytest

import numeric
import numeric.normalization
from numeric._codegen import _RAISING, generated
from numeric._generated import KERNELS
from tests.reference import magnitudes, ulp_error
from tests.test_loss_numeric import BCE_DZ, MSE_DZ

MAX_ULP = 4
DISABLED = "X86_V4 AVX512_ICL"


def _reference(formula, *columns, dtype, digits=50):
    arrays = np.broadcast_arrays(*[np.asarray(c, dtype=np.float64) for c in columns])
    out = np.empty(arrays[0].shape)
    with mpmath.workdps(digits):
        for index in np.ndindex(out.shape):
            out[index] = float(formula(*[mpmath.mpf(float(a[index])) for a in arrays]))
    return out.astype(dtype)


def _sigma(t):
    return 1 / (1 + mpmath.exp(-t))


def _grid(dtype):
    # Every magnitude, and both sides of each split (700 and 350, float32's an eighth of
    # them) and of each overflow (e^u at 709.78, (1 + e^u)^2 at 354.9; 88.72 and 44.36).
    z = magnitudes(1000.0, count=150)
    edges = np.float64([745.5, 709.9, 709.5, 705, 700.5, 354.5, 352, 350.5, 88.8, 88.6, 88.1])
    edges = np.concatenate([edges, [87.6, 44.5, 44.1, 43.8]])
    return np.concatenate([z, edges, -edges]).astype(dtype)


def _both_ways(function, *columns):
    """``function`` of the whole columns, and of each element alone (numbers stay numbers).

    A far-tail kernel's block is first tried without its tails (numeric._codegen.Kernel);
    where some element overflows, the whole block is evaluated with the tails patched. The
    grid has a tail, so the first call takes that route; the second takes the fast form
    wherever an element alone raises no floating-point error.
    """
    whole = function(*columns)
    parts = [
        function(*(c[i : i + 1] if np.ndim(c) else c for c in columns))
        for i in range(len(columns[0]))
    ]
    if isinstance(whole, tuple):
        return [whole, tuple(np.concatenate(p) for p in zip(*parts, strict=True))]
    return [(whole,), (np.concatenate(parts),)]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sigmoid_and_its_derivative(dtype):
    z = _grid(dtype)
    want = _reference(_sigma, z, dtype=dtype)
    prime = _reference(lambda t: _sigma(t) * _sigma(-t), z, dtype=dtype)
    for (got,) in _both_ways(numeric.sigmoid, z):
        assert got.dtype == dtype
        assert np.max(ulp_error(got, want)) <= MAX_ULP
    for (got,) in _both_ways(numeric.sigmoid_derivative, z):
        assert np.max(ulp_error(got, prime)) <= MAX_ULP


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("target", [0.0, 1.0, 0.25])
def test_bce_gradient(dtype, target):
    z = _grid(dtype)
    y = np.full_like(z, target)
    # sigma(z) - y at 500 digits (it cancels for y = 1), rounded to the dtype.
    want = np.array([float(BCE_DZ(mpmath.mpf(float(t)), mpmath.mpf(target))) for t in z])
    mse = np.array([float(MSE_DZ(mpmath.mpf(float(t)), mpmath.mpf(target))) for t in z])
    for dw, db in _both_ways(numeric.bce_gradient, np.ones_like(z), y, z, dtype(0)):
        assert np.max(ulp_error(db, want.astype(dtype))) <= MAX_ULP and np.array_equal(dw, db)
    for _, mse_db in _both_ways(numeric.mse_gradient, np.ones_like(z), y, z, dtype(0)):
        assert np.max(ulp_error(mse_db, mse.astype(dtype))) <= 8  # test_mse_gradient_accuracy's


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gaussian_posterior(dtype):
    # With mu0 = -1, mu1 = 1, s = 1 and pi1 = 1/2 the log-odds is exactly 2x: sigma(2x).
    x = _grid(dtype) / 2
    want = _reference(lambda t: _sigma(2 * t), x, dtype=dtype)
    for (got,) in _both_ways(numeric.gaussian_posterior, x, dtype(-1), dtype(1), dtype(1)):
        assert got.dtype == dtype
        assert np.max(ulp_error(got, want)) <= MAX_ULP


def _softmax_reference(rows, dtype):
    # exp(z_i)/sum_j exp(z_j) as written, in mpmath at 50 digits (no shift: none is needed).
    def exact(row):
        weights = [mpmath.exp(mpmath.mpf(float(v))) for v in row]
        total = mpmath.fsum(weights)
        return [float(w / total) for w in weights]

    with mpmath.workdps(50):
        return np.array([exact(row) for row in rows]).astype(dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_rows_in_blocks(dtype, monkeypatch):
    # Rows (t, 0, -t/2) for every magnitude t, in blocks of 7 rows (and one shorter).
    monkeypatch.setattr(numeric.normalization, "_BLOCK", 21)
    t = magnitudes(1000.0, count=60).astype(dtype)
    rows = np.stack([t, np.zeros_like(t), -t / 2], axis=1)
    got = numeric.softmax(rows)
    assert got.dtype == dtype
    assert np.max(ulp_error(got, _softmax_reference(rows, dtype))) <= MAX_ULP


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_at_the_ends_of_the_unshifted_form(dtype, monkeypatch):
    # One row per block: e^z/sum unshifted where every score of the block lies in [low, high]
    # (e^z a normal number, the sum of 3 finite), e^(z - max)/sum where one does not; rows
    # at each end and just past it, and across the whole range. No warning either way.
    monkeypatch.setattr(numeric.normalization, "_BLOCK", 3)
    info = np.finfo(dtype)
    low, high = np.log(info.tiny) + 1, np.log(info.max) - np.log(3) - 1
    rows = np.array(
        [
            [low, low + 0.5, low + 3],
            [low - 0.01, low + 0.5, low + 3],
            [high, high - 1, high - 30],
            [high + 0.01, high - 1, high - 30],
            [high, low, 0],
            [high * 1.01, low * 1.01, 0],
            [low - 20, low - 21, low - 22],  # every e^z subnormal: only the shifted form
            [high + 2, high + 2, high + 1],  # the unshifted sum overflows
        ]
    ).astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = numeric.softmax(rows)
    assert got.dtype == dtype
    assert np.max(ulp_error(got, _softmax_reference(rows, dtype))) <= MAX_ULP


@pytest.mark.skipif(os.environ.get("NPY_DISABLE_CPU_FEATURES") == DISABLED, reason="the child")
def test_the_same_with_avx512_disabled():
    from numpy._core._multiarray_umath import __cpu_features__

    if not __cpu_features__.get("AVX512F"):
        pytest.skip("this CPU has no AVX-512: the tests above ran on its only path")
    env = {**os.environ, "NPY_DISABLE_CPU_FEATURES": DISABLED}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", __file__]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "skipped" in done.stdout  # the child ran the tests above, not this one


# Every kernel with a fast form (the block without its far tails' masks and patches, tried
# first by numeric._codegen.Kernel) gives the block's numbers wherever it raises no
# floating-point error: one element at a time, over the tail grid, around each split (700,
# 350 and an eighth of them for float32) and each overflow of e^u or (1 + e^u)^2, at +-inf
# and NaN. Bit for bit, except past a split before the overflow, where the block patches
# the safe form and the fast form keeps its own: 3 ULP apart at most (measured); the
# functions above are held to mpmath both ways. Where it raises, the block runs.
FAST = sorted(name for name, entry in KERNELS.items() if entry[1] is not None)
EIGHTH_OF = {np.float64: 1.0, np.float32: 1 / 8}  # float32's splits are an eighth of float64's


def _around_the_splits(dtype):
    edges = [700.0, 709.79, 745.2, 350.0, 354.9, 87.5, 88.73, 103.98, 43.75, 44.37]
    steps = np.linspace(-2, 2, 41)
    around = np.array([e + s for e in edges for s in steps])
    special = [np.inf, -np.inf, np.nan]
    values = np.concatenate([_grid(dtype).astype(np.float64), around, -around, special])
    return values.astype(dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", FAST)
def test_a_fast_form_that_raises_no_error_gives_the_blocks_numbers(name, dtype):
    kernel = generated(name)
    arity = kernel.block.__code__.co_argcount - kernel.outputs - kernel.floats - kernel.bools
    column = _around_the_splits(dtype)
    fast = _RAISING(kernel.fast)
    taken = 0
    for other in (0.5, 1.0, 0.0):  # the other arguments, one number each (w = 1: z = x)
        args = [column] + [np.asarray(other, dtype) for _ in range(arity - 1)]
        block = [np.empty_like(column) for _ in range(kernel.outputs)]
        with np.errstate(all="ignore"):
            kernel.block(*args, *block, *kernel.buffers(column.shape, dtype))
        buffers = kernel.buffers((1,), dtype)
        for i in range(column.size):
            one = [np.empty(1, dtype) for _ in range(kernel.outputs)]
            try:
                fast(column[i : i + 1], *args[1:], *one, *buffers)
            except FloatingPointError:
                continue
            taken += 1
            for got, want in zip(one, block, strict=True):
                if not np.array_equal(got, want[i : i + 1], equal_nan=True):
                    assert abs(column[i]) > EIGHTH_OF[dtype] * 350, (name, column[i])
                    assert ulp_error(got, want[i : i + 1])[0] <= 3, (name, column[i])
                assert np.signbit(got[0]) == np.signbit(want[i]), (name, column[i])
    assert taken > column.size / 2  # the fast form ran on most values of some setting
