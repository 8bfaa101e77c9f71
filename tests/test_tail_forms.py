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
    z = magnitudes(1000.0, count=150).astype(dtype)
    return np.concatenate([z, np.float64([-745.5, -709.9, -700.5, -350.5, -88.8]).astype(dtype)])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sigmoid_and_its_derivative(dtype):
    z = _grid(dtype)
    got = numeric.sigmoid(z)
    assert got.dtype == dtype
    assert np.max(ulp_error(got, _reference(_sigma, z, dtype=dtype))) <= MAX_ULP
    prime = _reference(lambda t: _sigma(t) * _sigma(-t), z, dtype=dtype)
    assert np.max(ulp_error(numeric.sigmoid_derivative(z), prime)) <= MAX_ULP


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("target", [0.0, 1.0, 0.25])
def test_bce_gradient(dtype, target):
    z = _grid(dtype)
    y = np.full_like(z, target)
    dw, db = numeric.bce_gradient(np.ones_like(z), y, z, dtype(0))
    # sigma(z) - y at 500 digits (it cancels for y = 1), rounded to the dtype.
    want = np.array([float(BCE_DZ(mpmath.mpf(float(t)), mpmath.mpf(target))) for t in z])
    want = want.astype(dtype)
    assert np.max(ulp_error(db, want)) <= MAX_ULP and np.array_equal(dw, db)
    mse = np.array([float(MSE_DZ(mpmath.mpf(float(t)), mpmath.mpf(target))) for t in z])
    _, mse_db = numeric.mse_gradient(np.ones_like(z), y, z, dtype(0))
    assert np.max(ulp_error(mse_db, mse.astype(dtype))) <= 8  # test_mse_gradient_accuracy's


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gaussian_posterior(dtype):
    # With mu0 = -1, mu1 = 1, s = 1 and pi1 = 1/2 the log-odds is exactly 2x: sigma(2x).
    x = _grid(dtype) / 2
    got = numeric.gaussian_posterior(x, dtype(-1), dtype(1), dtype(1))
    assert got.dtype == dtype
    assert np.max(ulp_error(got, _reference(lambda t: _sigma(2 * t), x, dtype=dtype))) <= MAX_ULP


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
