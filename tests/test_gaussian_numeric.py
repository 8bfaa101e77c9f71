"""numeric.gaussian_posterior and friends: accuracy against Bayes' rule in mpmath, tails, errors.

References are Bayes' rule with the Gaussian densities written out in mpmath
at 60 digits (tests/reference.py), never the toolkit's own formula. The error
bound (error_bound below) counts the roundings of the operations that
numeric.gaussian_posterior performs, each weighted by how much it moves the log-odds t,
and multiplies by the sigmoid's sensitivity to t.
"""

import warnings

import mpmath
import numpy as np
import pytest

import numeric
from numeric.finite_differences import check_derivative
from tests.reference import magnitudes, reference, ulp_error


def bayes(x, mu0, mu1, s, pi1):
    # Bayes' rule with the densities written out; mpmath's exp does not underflow.
    def joint(mu, prior):
        return prior * mpmath.exp(-((x - mu) ** 2) / (2 * s**2)) / (mpmath.sqrt(2 * mpmath.pi) * s)

    return joint(mu1, pi1) / (joint(mu1, pi1) + joint(mu0, 1 - pi1))


def error_bound(x, mu0, mu1, s, pi1):
    """A bound, in ULPs of the result, on the error of numeric.gaussian_posterior at each point.

    The recipe, with u the unit roundoff (2^-53 in float64, 2^-24 in float32) and every
    quantity exact (evaluated in mpmath):
    - t = q + L with q = d h / s^2, d = mu1 - mu0, h = x - mu0/2 - mu1/2, L = ln(pi1 / pi0).
    - The kernel rounds, each by a relative u at most: d; x - mu0/2 (which moves h by
      u |x - mu0/2|, so t by u |x - mu0/2| |d| / s^2); then h; d h; s^2; the quotient: five
      roundings that each move t by u |q|. pi0 = 1 - pi1 and pi1 / pi0 move L by 2 u; NumPy's
      log is allowed 4 ULPs, 8 u |L|; the sum q + L moves t by u |t|. (mu/2 is exact.) So
      |t_computed - t| <= u B with B = 5 |q| + |x - mu0/2| |d| / s^2 + 2 + 8 |L| + |t|, to
      first order in u (B u is below 1e-10 on the samples, so the second order is negligible).
    - P = sigma(t) has dP/P = sigma(-t) dt, and one ULP of P is at least u P, so the error in
      t costs at most sigma(-t) B ULPs; the sigmoid itself adds at most 4 (numeric.sigmoid's
      accuracy, tests/test_activations.py).
    Every term is a worst case that some input reaches; on 4000 samples of ``sample`` the
    error reaches 31% of this bound (the worst, 1267 ULP, where the bound is 4146), and the
    bound's largest values (up to 1e5 ULP) are at points where |q| is about 2e4.
    """

    def bound(x, mu0, mu1, s, pi1):
        d, h = mu1 - mu0, x - mu0 / 2 - mu1 / 2
        q, log_prior = d * h / s**2, mpmath.log(pi1 / (1 - pi1))
        t = q + log_prior
        rounding = 5 * abs(q) + abs(x - mu0 / 2) * abs(d) / s**2 + 2 + 8 * abs(log_prior) + abs(t)
        return 4 + rounding / (1 + mpmath.exp(t))

    return reference(bound, x, mu0, mu1, s, pi1)


def sample(rng, n):
    x = rng.uniform(-20, 20, n)
    mu0, mu1 = rng.uniform(-5, 5, (2, n))
    s = 10 ** rng.uniform(-1, 1, n)
    pi1 = np.where(rng.random(n) < 0.5, 0.5, rng.uniform(0.01, 0.99, n))
    return x, mu0, mu1, s, pi1


def test_float64_accuracy_against_bayes_rule(rng):
    columns = sample(rng, 400)
    got = numeric.gaussian_posterior(*columns)
    errors = ulp_error(got, reference(bayes, *columns))
    bound = error_bound(*columns)
    worst = int(np.argmax(errors / bound))
    assert errors[worst] <= bound[worst], (
        f"{errors[worst]:.1f} ULP > bound {bound[worst]:.1f} at "
        + ", ".join(f"{c[worst]!r}" for c in columns)
    )
    assert got.dtype == np.float64
    # Where the posterior is at least one half the bound is a few ULPs: check it is met there.
    upper = got >= 0.5
    assert np.max(errors[upper]) <= np.max(bound[upper])
    # The bound is tight: where the conditioning term dominates (bound above 40 ULP, 133 of
    # these points) the error somewhere reaches a tenth of it (30%: 87 ULP of 289), so a bound
    # loosened tenfold, or one that stops tracking the conditioning, fails here.
    conditioned = bound > 40
    assert np.max(errors[conditioned] / bound[conditioned]) >= 0.1


def test_float32_accuracy_in_float32_ulps(rng):
    columns = [c.astype(np.float32) for c in sample(rng, 300)]
    got = numeric.gaussian_posterior(*columns)
    assert got.dtype == np.float32
    want = reference(bayes, *columns, dtype=np.float32)
    # The same operation count, in units of float32's u = 2^-24.
    errors, bound = ulp_error(got, want), error_bound(*columns).astype(np.float32)
    assert np.all(errors <= bound), float(np.max(errors / bound))


def test_tails_where_the_densities_underflow():
    x = np.array([-800.0, 800.0])
    # Bayes' rule in float64: both densities underflow to 0, and the ratio is 0/0.
    with np.errstate(all="ignore"):
        density = np.exp(-((x[:, None] - np.array([-1.0, 1.0])) ** 2) / (2 * 1.5**2))
        naive = density[:, 1] / density.sum(axis=1)
    assert np.all(density == 0) and np.all(np.isnan(naive))
    got = numeric.gaussian_posterior(x, -1.0, 1.0, 1.5)
    want = reference(bayes, x, -1.0, 1.0, 1.5, 0.5)
    assert got[1] == 1.0 and 0 < want[0] < np.finfo(np.float64).tiny  # a subnormal number
    assert np.all(ulp_error(got, want) <= error_bound(x, -1.0, 1.0, 1.5, 0.5))


def test_close_means_far_from_zero_lose_nothing():
    # mu0^2 - mu1^2 would cancel catastrophically here; the product form computes every
    # operation exactly at these points (d, h and h d are small integers over powers of two).
    mu0, mu1 = 1e8, 1e8 + 1
    x = mu0 + 0.5 + np.arange(-12, 13) / 4
    got = numeric.gaussian_posterior(x, mu0, mu1, 1.0)
    want = reference(bayes, x, mu0, mu1, 1.0, 0.5)
    assert np.max(ulp_error(got, want)) <= 4


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_every_magnitude_is_finite_monotone_and_quiet(dtype):
    info = np.finfo(dtype)
    x = magnitudes(1e307 if dtype == np.float64 else 1e38).astype(dtype)
    cases = [
        (-1.0, 1.0, 1.5),
        (-1.0, 1.0, float(info.tiny)),  # s^2 underflows without rescaling
        (float(info.max) / 4, float(info.max) / 3, 1.0),  # mu1 - mu0 near the top
        (2.0, 2.0, 1e-3),  # equal means: the posterior is the prior everywhere
    ]
    for mu0, mu1, s in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            got = numeric.gaussian_posterior(x, dtype(mu0), dtype(mu1), dtype(s), 0.25)
        assert got.dtype == dtype
        assert np.all((got >= 0) & (got <= 1)), (mu0, mu1, s)
        assert np.all(np.diff(got) >= 0), (mu0, mu1, s)  # mu1 >= mu0: nondecreasing in x
    assert np.all(got == dtype(0.25))


def test_scaling_is_exact_where_it_is_needed():
    # x and the means in units of 2^-600 (so rescaled inside): the same posteriors.
    x, mu0, mu1, s = np.linspace(-4, 4, 9), -1.0, 2.0, 1.5
    unit = 2.0**-600
    scaled = numeric.gaussian_posterior(x * unit, mu0 * unit, mu1 * unit, s * unit)
    np.testing.assert_array_equal(scaled, numeric.gaussian_posterior(x, mu0, mu1, s))


def test_broadcasting_and_priors():
    x = np.linspace(-3, 3, 7)[:, None]
    pi1 = np.array([0.2, 0.5, 0.8])
    got = numeric.gaussian_posterior(x, -1.0, 1.0, 2.0, pi1)
    assert got.shape == (7, 3)
    # At the midpoint of the means the posterior is the prior.
    np.testing.assert_allclose(got[3], pi1, rtol=4 * np.finfo(float).eps)


def test_slope_against_finite_differences():
    # d/dx sigma(a x + b) = a P (1 - P), with a = (mu1 - mu0)/s^2 (gaussian-decision-boundary).
    mu0, mu1, s = -1.0, 2.0, 1.5
    a = (mu1 - mu0) / s**2

    def posterior(x):
        return numeric.gaussian_posterior(x, mu0, mu1, s)

    def slope(x):
        p = posterior(x)
        return a * p * (1 - p)

    check_derivative(posterior, slope, np.linspace(-4, 5, 19))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"s": 0.0}, "s must be positive"),
        ({"s": -1.0}, "s must be positive"),
        ({"s": np.inf}, "s must be finite"),
        ({"x": np.nan}, "x must be finite"),
        ({"mu0": np.inf}, "mu0 must be finite"),
        ({"mu1": -np.inf}, "mu1 must be finite"),
        ({"pi1": 0.0}, "pi1 must lie strictly between 0 and 1"),
        ({"pi1": 1.0}, "pi1 must lie strictly between 0 and 1"),
        ({"pi1": np.nan}, "pi1 must be finite"),
    ],
)
def test_bad_parameters_raise_naming_the_parameter(kwargs, message):
    arguments = {"x": 0.0, "mu0": -1.0, "mu1": 1.0, "s": 1.0, "pi1": 0.5, **kwargs}
    with pytest.raises(ValueError, match=message):
        numeric.gaussian_posterior(**arguments)


def test_wrong_dtype_raises_type_error():
    with pytest.raises(TypeError, match="x has dtype complex128"):
        numeric.gaussian_posterior(np.array([1j]), 0.0, 1.0, 1.0)


# ----------------------------------------------------------------- unequal variances


def test_unequal_variances_against_bayes_rule(rng):
    n = 200
    x, mu0, mu1 = rng.uniform(-6, 6, (3, n))
    s0, s1 = 10 ** rng.uniform(-0.5, 0.5, (2, n))
    got = numeric.gaussian.gaussian_posterior_unequal_variance(x, mu0, mu1, s0, s1, 0.4)

    def exact(x, mu0, mu1, s0, s1):
        def joint(mu, s, prior):
            return prior * mpmath.exp(-((x - mu) ** 2) / (2 * s**2)) / s

        return joint(mu1, s1, 0.4) / (joint(mu1, s1, 0.4) + joint(mu0, s0, 0.6))

    want = reference(exact, x, mu0, mu1, s0, s1)
    # A quadratic in x with |x| <= 6 and spreads in [0.3, 3.2]: t carries a few hundred u at
    # most, and sigma(-t) |t| is at most about 300 there.
    np.testing.assert_allclose(got, want, rtol=2e-12, atol=0)


def test_unequal_variances_tails_and_range():
    x = np.array([-1e3, 0.0, 1e3])
    got = numeric.gaussian.gaussian_posterior_unequal_variance(x, -1.0, 1.0, 1.0, 2.5)
    assert got[0] == got[2] == 1.0 and got[1] < 0.5
    with pytest.raises(ValueError, match="s1 must lie in"):
        numeric.gaussian.gaussian_posterior_unequal_variance(0.0, 0.0, 1.0, 1.0, 1e300)


# ----------------------------------------------------------------- d dimensions


def log_gaussian(x, mu, lower):
    v = mpmath.lu_solve(lower, x - mu)
    log_det = 2 * sum(mpmath.log(lower[i, i]) for i in range(lower.rows))
    return -(lower.rows * mpmath.log(2 * mpmath.pi) + log_det + (v.T * v)[0]) / 2


def test_ten_dimensions_against_bayes_rule(rng):
    d, n = 10, 50
    a = rng.normal(size=(d, d))
    sigma = a @ a.T + 0.5 * np.eye(d)
    mu0, mu1 = rng.normal(size=(2, d))
    x = 2 * rng.normal(size=(n, d))
    got = numeric.gaussian_posterior_multivariate(x, mu0, mu1, sigma, 0.3)
    assert got.shape == (n,)
    with mpmath.workdps(60):
        lower = mpmath.cholesky(mpmath.matrix(sigma.tolist()))
        m0, m1 = mpmath.matrix(mu0.tolist()), mpmath.matrix(mu1.tolist())
        want, score = [], []
        for row in x:
            point = mpmath.matrix(row.tolist())
            t = log_gaussian(point, m1, lower) - log_gaussian(point, m0, lower)
            t += mpmath.log(mpmath.mpf(0.3) / (1 - mpmath.mpf(0.3)))
            want.append(float(1 / (1 + mpmath.exp(-t))))
            score.append(float(t))
    want, score = np.array(want), np.array(score)
    # Solving with Sigma loses up to cond(Sigma) u in w; the score's error is that times
    # |w| |x - midpoint| plus d roundings of the dot product, and sigma(-t) carries it to P.
    w = np.linalg.solve(sigma, mu1 - mu0)
    spread = np.abs(x - (mu0 + mu1) / 2) @ np.abs(w)
    score_error = np.finfo(float).eps * (4 * d * np.linalg.cond(sigma) * spread + np.abs(score) + 2)
    tolerance = 4 * np.spacing(want) + want * score_error / (1 + np.exp(score))
    assert np.all(np.abs(got - want) <= tolerance)


def test_one_dimension_agrees_with_the_scalar_function(rng):
    x = rng.uniform(-5, 5, 30)
    got = numeric.gaussian_posterior_multivariate(x[:, None], [-1.0], [2.0], [[2.25]], 0.7)
    want = numeric.gaussian_posterior(x, -1.0, 2.0, 1.5, 0.7)
    assert np.max(ulp_error(got, want)) <= 16


def test_multivariate_tails_and_dtype():
    sigma = np.array([[2.0, 0.5], [0.5, 1.0]], dtype=np.float32)
    x = np.array([[-800.0, 0.0], [800.0, 0.0]], dtype=np.float32)
    mu0, mu1 = np.float32([-1.0, 0.0]), np.float32([1.0, 0.0])
    got = numeric.gaussian_posterior_multivariate(x, mu0, mu1, sigma)
    assert got.dtype == np.float32 and got[0] == 0.0 and got[1] == 1.0


@pytest.mark.parametrize(
    ("sigma", "message"),
    [
        ([[1.0, 0.5], [0.4, 1.0]], "sigma must be symmetric"),
        ([[1.0, 2.0], [2.0, 1.0]], "sigma must be positive definite"),
        ([[1.0, 0.0], [0.0, -1.0]], "sigma must be positive definite"),
        ([[1.0]], r"sigma must have shape \(2, 2\)"),
        ([[1.0, np.nan], [np.nan, 1.0]], "sigma must be finite"),
    ],
)
def test_sigma_must_be_symmetric_positive_definite(sigma, message):
    with pytest.raises(ValueError, match=message):
        numeric.gaussian_posterior_multivariate([0.0, 0.0], [0.0, 0.0], [1.0, 0.0], sigma)


def test_multivariate_shapes_and_priors_are_checked():
    sigma = np.eye(2)
    with pytest.raises(ValueError, match=r"mu0 must have shape \(2,\)"):
        numeric.gaussian_posterior_multivariate([0.0, 0.0], [0.0], [1.0, 0.0], sigma)
    with pytest.raises(ValueError, match="pi1 must lie strictly between 0 and 1"):
        numeric.gaussian_posterior_multivariate([0.0, 0.0], [0.0, 0.0], [1.0, 0.0], sigma, 1.5)
    with pytest.raises(ValueError, match="x must have shape"):
        numeric.gaussian_posterior_multivariate(0.0, [0.0], [1.0], [[1.0]])


def test_shapes_that_do_not_broadcast_name_the_parameters():
    sigma = np.eye(2)
    with pytest.raises(
        ValueError,
        match=r"gaussian_posterior_multivariate: pi1 of shape \(2,\) does not broadcast "
        r"against the leading shape \(3,\) of x",
    ):
        numeric.gaussian_posterior_multivariate(
            np.zeros((3, 2)), [0, 1.0], [1, 0.0], sigma, [0.5] * 2
        )
    with pytest.raises(
        ValueError, match=r"gaussian_posterior: the shapes of x \(3,\), .* and pi1 \(2,\) do not"
    ):
        numeric.gaussian_posterior(np.zeros(3), -1.0, 1.0, 1.0, [0.5, 0.5])
    with pytest.raises(
        ValueError,
        match=r"gaussian_posterior_unequal_variance: the shapes of x \(3,\), .*s1 \(2,\)",
    ):
        numeric.gaussian_posterior_unequal_variance(np.zeros(3), 0.0, 1.0, 1.0, [1.0, 2.0])


def test_multivariate_errors_name_the_parameter_sigma():
    # The parameter is sigma: its errors say so (they said Sigma)
    with pytest.raises(ValueError, match=r"gaussian_posterior_multivariate: sigma must be") as info:
        numeric.gaussian_posterior_multivariate([0.0, 0.0], [0.0, 0.0], [1.0, 0.0], -np.eye(2))
    assert "Sigma" not in str(info.value)
    with pytest.raises(TypeError, match=r"gaussian_posterior_multivariate: sigma has dtype"):
        numeric.gaussian_posterior_multivariate([0.0, 0.0], [0.0, 0.0], [1.0, 0.0], np.eye(2) * 1j)
