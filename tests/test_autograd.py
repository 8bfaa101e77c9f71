"""Automatic differentiation through the stable forms, in PyTorch and JAX (when installed).

The stable forms are smooth functions built of pieces with a kink at z = 0 (|z|, max(z, 0),
max(e^-|z|, H(z))); the gradient a library's autograd computes through them must be the
derivative of the smooth function, at z = 0 too, and never NaN in the tails. References:
the derivative in closed form, written out here, in mpmath at 60 digits (tests.reference).
"""

import mpmath
import numpy as np
import pytest

import numeric
from tests.backends import backends
from tests.reference import magnitudes, reference, ulp_error

Z = np.concatenate([[0.0, -0.0, 5e-324, -1e-300], magnitudes(800.0, count=60)])
EPS = float(np.finfo(np.float64).eps)


def logistic(z):
    return 1 / (1 + mpmath.exp(-z))


# name: (the function of z, its derivative in closed form)
DERIVATIVES = {
    "sigmoid": (numeric.sigmoid, lambda z: mpmath.exp(-z) / (1 + mpmath.exp(-z)) ** 2),
    "log_sigmoid": (numeric.log_sigmoid, lambda z: 1 / (1 + mpmath.exp(z))),
    "softplus": (numeric.softplus, logistic),
    # d/dz BCE(sigma(z), y) = sigma(z) - y = (1 - y - y e^-z) / (1 + e^-z), without cancellation
    **{
        f"bce_with_logits y={y}": (
            lambda z, y=y: numeric.bce_with_logits(z, y),
            lambda z, y=y: (1 - y - y * mpmath.exp(-z)) / (1 + mpmath.exp(-z)),
        )
        for y in (0.0, 1.0, 0.3)
    },
}
# Each derivative above is a chain of a few roundings (exp, log1p's derivative 1/(1 + e), a
# product, a sum of terms of one sign): 2 ULP measured, 4 allowed, as for the values.
MAX_ULP = 4


def gradient(backend, function, z):
    """The gradient of sum(function(z)) with respect to z, by the backend's autograd."""
    if backend.name == "torch":
        import torch

        t = torch.tensor(z, requires_grad=True)
        (g,) = torch.autograd.grad(function(t).sum(), t)
        return g.numpy()
    import jax

    return np.asarray(jax.jit(jax.grad(lambda v: function(v).sum()))(backend.make(z)))


@pytest.mark.parametrize("backend", backends("torch", "jax"))
@pytest.mark.parametrize("name", sorted(DERIVATIVES))
def test_autograd_through_the_stable_form_is_the_derivative(name, backend):
    function, derivative = DERIVATIVES[name]
    got = gradient(backend, function, Z)
    want = backend.expected(reference(derivative, Z))
    assert not np.any(np.isnan(got))
    errors = ulp_error(got, want)
    # Z holds 0 and -0, where a piece's own choice of derivative would be off by 0.25 or more
    assert np.max(errors) <= MAX_ULP, Z[np.argmax(errors)]


@pytest.mark.parametrize("backend", backends("torch", "jax"))
def test_second_derivative_of_the_sigmoid_by_autograd(backend):
    # sigma''(z) = sigma'(z) (1 - 2 sigma(z)) vanishes at 0, where autograd subtracts e^-|z|
    # from 1: the error is absolute, a few eps times sigma'(z) (0.63 eps measured).
    # sigma'' = sigma' (1 - 2 sigma) = e^-z expm1(-z) / (1 + e^-z)^3, exact near 0 in mpmath
    second = reference(lambda z: mpmath.exp(-z) * mpmath.expm1(-z) / (1 + mpmath.exp(-z)) ** 3, Z)
    first = reference(DERIVATIVES["sigmoid"][1], Z)
    got = gradient(backend, numeric.sigmoid_derivative, Z)
    assert np.all(
        np.abs(got - backend.expected(second)) <= 2 * EPS * first + 4 * np.spacing(np.abs(second))
    )


@pytest.mark.parametrize("backend", backends("torch"))
def test_batch_gradient_equals_autograd_of_the_mean_loss(backend):
    # The toolkit's mean BCE gradient of a logistic regression against PyTorch's autograd of
    # the mean of bce_with_logits (a separate route through the same stable form), at w = 0
    # (every z = 0: the kink) and at random weights.
    import torch

    rng = np.random.default_rng(7)
    X, y = rng.normal(size=(50, 3)), rng.uniform(0, 1, 50)
    for w0 in (np.zeros(3), rng.normal(size=3)):
        w = torch.tensor(w0, requires_grad=True)
        b = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
        z = torch.tensor(X) @ w + b
        grad_w, grad_b = torch.autograd.grad(
            numeric.bce_with_logits(z, torch.tensor(y)).mean(), (w, b)
        )
        mine_w, mine_b = numeric.bce_mean_gradient(X, y, w0, 0.0)
        np.testing.assert_allclose(grad_w.numpy(), mine_w, rtol=64 * EPS, atol=64 * EPS)
        assert abs(float(grad_b) - float(mine_b)) <= 64 * EPS


@pytest.mark.parametrize("backend", backends("torch", "jax"))
def test_autograd_through_softmax_is_its_jacobian(backend):
    # d p_0 / d z_j = p_0 ([j = 0] - p_j), with p in mpmath at 60 digits; the rows include
    # scores far apart and a -inf (probability 0, gradient 0, never NaN).
    rows = np.array([[0.5, -1.0, 2.0, 0.0], [700.0, 0.0, -700.0, 1.0], [3.0, -np.inf, 3.0, 2.0]])
    for row in rows:
        with mpmath.workdps(60):
            e = [mpmath.exp(mpmath.mpf(float(v)) - max(row)) for v in row]
            p = [v / sum(e) for v in e]
            want = np.array([float(p[0] * ((j == 0) - p[j])) for j in range(len(row))])
        got = gradient(backend, lambda v: numeric.softmax(v)[:1], row)
        # A few roundings of the e^(z - max), their sum and p_0: relative to p_0 (p_j <= 1)
        assert not np.any(np.isnan(got))
        assert np.all(
            np.abs(got - want) <= MAX_ULP * np.spacing(np.abs(want)) + 4 * EPS * float(p[0])
        )


@pytest.mark.parametrize("backend", backends("torch", "jax"))
def test_softmax_gradient_with_a_minus_inf_score_far_below_zero(backend):
    # The -inf score's branch must not hold inf either (0 * inf in the backward pass): with
    # the largest score at -800, p = (1, 0) and its gradient is exactly 0.
    got = gradient(backend, lambda v: numeric.softmax(v)[:1], np.array([-800.0, -np.inf]))
    assert np.array_equal(got, [0.0, 0.0])
