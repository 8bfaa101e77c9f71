"""Cross-entropy from likelihood: each derivation verifies, and each result holds by another route.

The other routes: the Bernoulli probability and the costs written out with mpmath at 50
digits, derivatives by mpmath's numerical differentiation or by finite differences
(numeric.check_gradient), integrals by mpmath.quad, and Hessians by second differences.
"""

import mpmath
import numpy as np
import pytest
from sympy import Symbol, lambdify

from derivations import get
from derivations.meaning import expand_definitions
from derivations.topics import likelihood
from numeric.finite_differences import check_gradient

SLUGS = ["bernoulli-likelihood", "canonical-link", "cross-entropy-by-integration", "bce-convexity"]
DIGITS = 50
# Results compared with mpmath's numerical differentiation at 50 digits: 1e-30 is far above
# its error (about 1e-40 here) and far below any real discrepancy.
TOLERANCE = mpmath.mpf(10) ** -30


def sigma(z):
    return 1 / (1 + mpmath.exp(-z))


def bernoulli(y, a):
    """P(y | a): a for y = 1, 1 - a for y = 0, written case by case (not as a^y (1 - a)^(1 - y))."""
    return a if y == 1 else 1 - a


def bce(y, a):
    return -(y * mpmath.log(a) + (1 - y) * mpmath.log(1 - a))


def test_the_topic_holds_the_slugs_in_reading_order():
    assert [d.slug for d in likelihood.derivations()] == SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_each_derivation_verifies_and_sympy_proves_every_claim(slug):
    report = get(slug).verify()
    assert report.numeric == 0, report.table()
    assert report.result.status == "proven"
    assert report.proven >= 5


def test_negative_log_likelihood_is_cross_entropy_and_sums_over_examples(rng):
    # -ln of the product of the examples' Bernoulli probabilities, against the sum of their
    # cross-entropies, at 50 digits, for N = 1 to 6 examples (the derivation proves any N).
    with mpmath.workdps(DIGITS):
        for n in range(1, 7):
            outs = [mpmath.mpf(v) for v in rng.uniform(0.01, 0.99, n)]
            ys = [int(v) for v in rng.integers(0, 2, n)]
            likelihood_n = mpmath.fprod(bernoulli(y, a) for y, a in zip(ys, outs, strict=True))
            costs = mpmath.fsum(bce(y, a) for y, a in zip(ys, outs, strict=True))
            assert abs(-mpmath.log(likelihood_n) - costs) <= TOLERANCE * max(1, costs)


def test_maximum_likelihood_gradient_against_finite_differences(rng):
    # The stated gradient (a - y)(x, 1), summed over a batch, against central differences of
    # the negative log-likelihood, -sum ln P(y_n | sigma(w x_n + b)), written out with NumPy.
    result = get("bernoulli-likelihood").result
    x, w, b, y = (Symbol(n, real=True) for n in "xwby")
    stated = lambdify((x, w, b, y), list(result.rhs), "numpy")
    xs, ys = rng.uniform(-2, 2, 8), rng.integers(0, 2, 8)

    def nll(p):
        out = 1 / (1 + np.exp(-(p[0] * xs + p[1])))
        return -np.sum(np.log(np.where(ys == 1, out, 1 - out)))

    def grad(p):
        return np.array([np.sum(g) for g in stated(xs, p[0], p[1], ys)], dtype=float)

    for point in rng.uniform(-1, 1, (5, 2)):
        check_gradient(nll, grad, point)


def test_logit_derivative_and_exponential_family_form(rng):
    with mpmath.workdps(DIGITS):
        for p in rng.uniform(0.01, 0.99, 10):
            p = mpmath.mpf(p)
            slope = mpmath.diff(lambda q: mpmath.log(q / (1 - q)), p)
            assert abs(slope - 1 / (p * (1 - p))) <= TOLERANCE * slope
        for z in rng.uniform(-5, 5, 10):
            z = mpmath.mpf(z)
            for y in (0, 1):
                family = mpmath.exp(y * z - mpmath.log(1 + mpmath.exp(z)))
                assert abs(family - bernoulli(y, sigma(z))) <= TOLERANCE


def test_cancelled_gradient_against_mpmath(rng):
    # d/dz of cross-entropy of sigma(z) is sigma(z) - y for any target in [0, 1].
    with mpmath.workdps(DIGITS):
        for z, y in zip(rng.uniform(-6, 6, 10), rng.uniform(0, 1, 10), strict=True):
            z, y = mpmath.mpf(z), mpmath.mpf(y)
            slope = mpmath.diff(lambda t, y=y: bce(y, sigma(t)), z)
            assert abs(slope - (sigma(z) - y)) <= TOLERANCE


def test_integral_of_the_required_slope_is_cross_entropy_minus_ln_2(rng):
    # Nielsen's integral, by mpmath's quadrature: int_{1/2}^{a} (t - y)/(t (1 - t)) dt.
    with mpmath.workdps(30):
        for a, y in zip(rng.uniform(0.02, 0.98, 8), rng.uniform(0, 1, 8), strict=True):
            a, y = mpmath.mpf(a), mpmath.mpf(y)
            integral = mpmath.quad(lambda t, y=y: (t - y) / (t * (1 - t)), [mpmath.mpf(1) / 2, a])
            assert abs(integral - (bce(y, a) - mpmath.log(2))) <= mpmath.mpf(10) ** -25


def _hessian(cost, w, b, x, y):
    """The Hessian in (w, b) of cost(y, sigma(w x + b)), by mpmath's numerical differentiation."""

    def f(u, v):
        return cost(y, sigma(u * x + v))

    hww = mpmath.diff(f, (w, b), (2, 0))
    hwb = mpmath.diff(f, (w, b), (1, 1))
    hbb = mpmath.diff(f, (w, b), (0, 2))
    return mpmath.matrix([[hww, hwb], [hwb, hbb]])


def test_bce_hessian_is_the_stated_matrix_and_positive_semidefinite(rng):
    result = get("bce-convexity").result
    x, w, b = (Symbol(n, real=True) for n in "xwb")
    stated = lambdify((x, w, b), list(result.rhs), "mpmath")  # row by row
    with mpmath.workdps(DIGITS):
        for x0, w0, b0, y0 in rng.uniform(-3, 3, (10, 4)):
            y0 = abs(y0) / 3
            x0, w0, b0, y0 = (mpmath.mpf(v) for v in (x0, w0, b0, y0))
            h = _hessian(bce, w0, b0, x0, y0)
            hww, hwb, hbw, hbb = stated(x0, w0, b0)
            want = mpmath.matrix([[hww, hwb], [hbw, hbb]])
            assert mpmath.mnorm(h - want, 1) <= TOLERANCE
            eigenvalues = mpmath.eigsy(h)[0]
            # One eigenvalue is 0 (to rounding), the other sigma'(z) (x^2 + 1) > 0.
            assert min(eigenvalues) >= -TOLERANCE and max(eigenvalues) > 0


def test_mse_hessian_has_a_negative_eigenvalue_at_the_stated_point():
    # Target 0, input 1, weight 0, bias ln 3 (output 3/4): eigenvalues 0 and -9/128.
    with mpmath.workdps(DIGITS):
        h = _hessian(lambda y, a: (a - y) ** 2 / 2, 0, mpmath.log(3), 1, 0)
        eigenvalues = sorted(mpmath.eigsy(h)[0])
        assert abs(eigenvalues[0] - mpmath.mpf(-9) / 128) <= TOLERANCE
        assert abs(eigenvalues[1]) <= TOLERANCE


def test_the_stated_curvature_is_what_the_numbers_give():
    # The derivation's definitions give the MSE curvature in z; at a = 3/4 and y = 0 it is
    # a(1 - a)(a(1 - a) + a(1 - 2a)) = -9/256, the value the derivation states.
    d = get("bce-convexity")
    definitions = {s.lhs: s.rhs for s in d.steps if s.kind == "definition"}
    c_mse = Symbol("C_MSE", real=True)
    expr = expand_definitions(c_mse, definitions)
    x, w, b, y = (Symbol(n, real=True) for n in "xwby")
    f = lambdify((x, w, b, y), expr, "mpmath")
    with mpmath.workdps(DIGITS):
        curvature = mpmath.diff(lambda t: f(1, 0, t, 0), mpmath.log(3), 2)
        assert abs(curvature - mpmath.mpf(-9) / 256) <= TOLERANCE
