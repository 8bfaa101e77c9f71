"""Losses, logit, the Gaussian posteriors and the batch gradients on other libraries' arrays.

References: mpmath (tests.reference, and the 500-digit textbook forms of test_loss_numeric)
on the tail grid, as for NumPy input; where the NumPy function's own accuracy is bounded by
the problem's conditioning (the Gaussian posterior, the batch means), the NumPy result,
itself tested against mpmath, is the reference.
"""

import mpmath
import numpy as np
import pytest

import numeric
from tests.reference import magnitudes, reference, ulp_error
from tests.test_loss_numeric import BCE_DZ, BCE_LOGITS, MSE_DZ

strict = pytest.importorskip("array_api_strict")
da = pytest.importorskip("dask.array")

MAX_ULP = 4
Z = magnitudes(1000.0, count=60)  # every magnitude, both signs, past exp's overflow
BACKENDS = {
    "array_api_strict": (strict.asarray, type(strict.asarray(0.0))),
    "dask": (lambda a: da.from_array(np.asarray(a), chunks=37), da.Array),
}


def _numpy(array):
    return np.asarray(array.compute() if hasattr(array, "compute") else array)


LOSSES = {
    "bce_with_logits": (lambda z, y: numeric.bce_with_logits(z, y), BCE_LOGITS),
    "bce_gradient": (lambda z, y: numeric.bce_gradient(1.0, y, z, 0.0)[1], BCE_DZ),
    "mse_gradient": (lambda z, y: numeric.mse_gradient(1.0, y, z, 0.0)[1], MSE_DZ),
}


@pytest.mark.parametrize("backend", sorted(BACKENDS))
@pytest.mark.parametrize("name", sorted(LOSSES))
@pytest.mark.parametrize("target", [0.0, 1.0, 0.25])
def test_losses_and_gradients_come_back_as_the_callers_and_accurate(name, backend, target):
    make, kind = BACKENDS[backend]
    function, textbook = LOSSES[name]
    got = function(make(Z), make(np.full_like(Z, target)))
    assert isinstance(got, kind)  # a Dask result is still lazy here
    want = reference(textbook, Z, target)
    assert np.max(ulp_error(_numpy(got), want)) <= MAX_ULP


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_logit_and_its_lazy_range_check(backend):
    make, kind = BACKENDS[backend]
    p = np.concatenate([10.0 ** -np.linspace(1, 300, 40), 1 - 2.0 ** -np.arange(2, 53)])
    got = numeric.logit(make(p))
    assert isinstance(got, kind)
    want = reference(lambda q: mpmath.log(q / (1 - q)), p)
    assert np.max(ulp_error(_numpy(got), want)) <= MAX_ULP
    if backend == "dask":
        lazy = numeric.logit(make(p + 1))  # out of range: refused when computed, not before
        with pytest.raises(ValueError, match=r"logit: p must lie in \[0, 1\]"):
            lazy.compute()
    else:
        with pytest.raises(ValueError, match=r"logit: p must lie in \[0, 1\]"):
            numeric.logit(make(p + 1))


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_probability_losses_and_posteriors_match_numpy(backend, rng):
    # The same stable forms through another library's operations: NumPy's numbers, to the
    # few ULP by which two implementations of exp and log may differ.
    make, kind = BACKENDS[backend]
    a, y = rng.uniform(0, 1, 64), rng.uniform(0, 1, 64)
    x = magnitudes(700.0, count=30)
    calls = [
        (numeric.mse_loss, (a, y)),
        (numeric.bce_loss, (a, y)),
        (lambda *v: numeric.gaussian_posterior(*v, 1.0, 1.5, 0.3), (x, np.full_like(x, -1.0))),
        (lambda *v: numeric.gaussian_posterior_unequal_variance(*v, 1.0, 2.0, 0.5), (x, 0 * x)),
    ]
    for function, args in calls:
        got = function(*(make(v) for v in args))
        assert isinstance(got, kind)
        assert np.max(ulp_error(_numpy(got), function(*args))) <= MAX_ULP


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_batch_gradients_on_other_libraries(loss, backend, rng):
    make, kind = BACKENDS[backend]
    X = rng.normal(size=(300, 5))
    X[:10] *= 100  # saturated examples
    y, w, b = rng.uniform(0, 1, 300), rng.normal(size=5), 0.25
    gradient = getattr(numeric, f"{loss}_mean_gradient")
    want_w, want_b = gradient(X, y, w, b)  # NumPy, tested against mpmath
    if backend == "dask":  # chunked along the columns too: rechunked to whole rows, lazily
        Xb = da.from_array(X, chunks=(70, 2))
        got_w, got_b = gradient(Xb, make(y), make(w), b)
        assert got_w.shape == (5,) and got_b.shape == ()
    else:
        got_w, got_b = gradient(make(X), make(y), make(w), b)
    assert isinstance(got_w, kind) and isinstance(got_b, kind)
    # Sums of 300 terms in another order: the bound of a dot product, (n + 3) eps |terms|.
    scale = np.abs(X).T @ (np.abs(X) @ np.abs(w) + abs(b) + 1) / 300
    eps = np.finfo(float).eps
    assert np.all(np.abs(_numpy(got_w) - want_w) <= 4 * 303 * eps * scale)
    assert abs(_numpy(got_b) - want_b) <= 4 * 303 * eps * np.max(scale)


def test_dask_batch_gradient_is_lazy_and_checks_targets_when_computed(rng):
    X = da.from_array(rng.normal(size=(400, 3)), chunks=(100, 3))
    y = da.from_array(rng.uniform(0, 1, 400) + 1, chunks=100)  # out of [0, 1]
    grad_w, _ = numeric.bce_mean_gradient(X, y, da.zeros(3), 0.0)  # nothing computed yet
    with pytest.raises(ValueError, match=r"bce_mean_gradient: y must lie in \[0, 1\]"):
        grad_w.compute()
    # One task per chunk of rows before the reduction: X is read chunk by chunk.
    good, _ = numeric.mse_mean_gradient(X, y - 1, da.zeros(3), 0.0)
    assert len(good.__dask_graph__()) < 40


def test_mixed_libraries_and_bad_input():
    with pytest.raises(TypeError, match=r"z \(numpy\), y \(array_api_strict\)"):
        numeric.bce_with_logits(np.zeros(2), strict.asarray([0.0, 1.0]))
    with pytest.raises(TypeError, match="out= takes NumPy arrays"):
        numeric.mse_loss(strict.asarray([1.0]), 0.0, out=np.empty(1))
    ints = numeric.bce_with_logits(strict.asarray([0, 1]), strict.asarray([1, 0]))
    assert ints.dtype == strict.float64  # integers become float64, as NumPy's do
    with pytest.raises(ValueError, match=r"bce_with_logits: y must lie in \[0, 1\]"):
        numeric.bce_with_logits(strict.asarray([0.0]), 2.0)
    with pytest.raises(ValueError, match=r"X must have shape \(N, d\)"):
        numeric.bce_mean_gradient(strict.asarray([1.0]), 0.0, strict.asarray([1.0]), 0.0)


@pytest.mark.parametrize("module", ["torch", "jax.numpy"])
def test_torch_and_jax_when_installed(module):
    lib = pytest.importorskip(module, reason=f"{module} is not installed")
    if module == "jax.numpy":
        import jax

        jax.config.update("jax_enable_x64", True)
    z, y = lib.asarray(Z, dtype=lib.float64), lib.asarray(np.ones_like(Z), dtype=lib.float64)
    got = numeric.bce_with_logits(z, y)
    assert type(got) is type(z)
    want = reference(BCE_LOGITS, Z, 1.0)
    assert np.max(ulp_error(np.asarray(got), want)) <= MAX_ULP
