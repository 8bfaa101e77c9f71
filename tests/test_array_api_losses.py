"""Losses, logit, the Gaussian posteriors and the batch gradients on other libraries' arrays.

References: mpmath (tests.reference, and the 500-digit textbook forms of test_loss_numeric)
on the tail grid, as for NumPy input; where the NumPy function's own accuracy is bounded by
the problem's conditioning (the Gaussian posterior, the batch means), the NumPy result,
itself tested against mpmath, is the reference.
"""

import array_api_compat
import mpmath
import numpy as np
import pytest

import numeric
from tests.backends import backends
from tests.reference import magnitudes, reference, ulp_error
from tests.test_gaussian_numeric import bayes, error_bound
from tests.test_loss_numeric import BCE_DZ, BCE_LOGITS, MSE_DZ

strict = pytest.importorskip("array_api_strict")
da = pytest.importorskip("dask.array")

MAX_ULP = 4
Z = magnitudes(1000.0, count=60)  # every magnitude, both signs, past exp's overflow

LOSSES = {
    "bce_with_logits": (lambda z, y: numeric.bce_with_logits(z, y), BCE_LOGITS),
    "bce_gradient": (lambda z, y: numeric.bce_gradient(1.0, y, z, 0.0)[1], BCE_DZ),
    "mse_gradient": (lambda z, y: numeric.mse_gradient(1.0, y, z, 0.0)[1], MSE_DZ),
}


@pytest.mark.parametrize("backend", backends())
@pytest.mark.parametrize("name", sorted(LOSSES))
@pytest.mark.parametrize("target", [0.0, 1.0, 0.25])
def test_losses_and_gradients_come_back_as_the_callers_and_accurate(name, backend, target):
    function, textbook = LOSSES[name]
    got = function(backend.make(Z), backend.make(np.full_like(Z, target)))
    assert isinstance(got, backend.kind)  # a Dask result is still lazy here
    want = backend.expected(reference(textbook, Z, target))
    assert np.max(ulp_error(backend.numpy(got), want)) <= MAX_ULP


@pytest.mark.parametrize("backend", backends())
def test_logit_and_its_lazy_range_check(backend):
    p = np.concatenate([10.0 ** -np.linspace(1, 300, 40), 1 - 2.0 ** -np.arange(2, 53)])
    got = numeric.logit(backend.make(p))
    assert isinstance(got, backend.kind)
    want = reference(lambda q: mpmath.log(q / (1 - q)), p)
    assert np.max(ulp_error(backend.numpy(got), want)) <= MAX_ULP
    make = backend.make
    if backend.name == "dask":
        lazy = numeric.logit(make(p + 1))  # out of range: refused when computed, not before
        with pytest.raises(ValueError, match=r"logit: p must lie in \[0, 1\]"):
            lazy.compute()
    else:
        with pytest.raises(ValueError, match=r"logit: p must lie in \[0, 1\]"):
            numeric.logit(make(p + 1))


@pytest.mark.parametrize("backend", backends())
def test_probability_losses_and_posteriors_match_numpy(backend, rng):
    # The same stable forms through another library's operations: NumPy's numbers, to the
    # few ULP by which two implementations of exp and log may differ.
    a, y = rng.uniform(0, 1, 64), rng.uniform(0, 1, 64)
    x = magnitudes(700.0, count=30)
    calls = [
        (numeric.mse_loss, (a, y)),
        (numeric.bce_loss, (a, y)),
        (lambda *v: numeric.gaussian_posterior_unequal_variance(*v, 1.0, 2.0, 0.5), (x, 0 * x)),
    ]
    # bce_loss takes log1p(-a); a library whose log1p is less accurate than NumPy's passes that
    # on (XLA's, on CPU, is off by up to about 125 ULP near -0.41): its own error, measured here
    # against mpmath on the same arguments, is added to the allowance of the sum of the terms
    log1p = backend.numpy(array_api_compat.array_namespace(backend.make(a)).log1p(backend.make(-a)))
    own = np.max(ulp_error(log1p, reference(mpmath.log1p, -a)))
    for function, args in calls:
        got = function(*(backend.make(v) for v in args))
        assert isinstance(got, backend.kind)
        want = backend.expected(function(*args))
        allowed = MAX_ULP + (own if function is numeric.bce_loss else 0)
        assert np.max(ulp_error(backend.numpy(got), want)) <= allowed, function
    # The posterior's log-odds are large in the tails, and its relative error is theirs: an
    # order of operations other than NumPy's (XLA's) moves it by hundreds of ULP there. So it
    # is held to Bayes' rule in mpmath, within the bound that the kernel's roundings allow.
    columns = (
        x,
        np.full_like(x, -1.0),
        np.ones_like(x),
        np.full_like(x, 1.5),
        np.full_like(x, 0.3),
    )
    got = numeric.gaussian_posterior(*(backend.make(c) for c in columns))
    assert isinstance(got, backend.kind)
    errors = ulp_error(backend.numpy(got), backend.expected(reference(bayes, *columns)))
    assert np.all(errors <= error_bound(*columns))


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("backend", backends())
def test_batch_gradients_on_other_libraries(loss, backend, rng):
    make, kind, _numpy = backend.make, backend.kind, backend.numpy
    X = rng.normal(size=(300, 5))
    X[:10] *= 100  # saturated examples
    y, w, b = rng.uniform(0, 1, 300), rng.normal(size=5), 0.25
    gradient = getattr(numeric, f"{loss}_mean_gradient")
    want_w, want_b = gradient(X, y, w, b)  # NumPy, tested against mpmath
    if backend.name == "dask":  # chunked along the columns too: rechunked to whole rows, lazily
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
