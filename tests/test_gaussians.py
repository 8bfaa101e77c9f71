"""The Gaussian-posterior derivations: verified, written in base symbols, and true by other routes.

The independent routes are Bayes' rule with the Gaussian densities written out
in mpmath at 50 digits, and the textbook coefficients (Bishop, PRML 4.65-4.67)
typed here, not taken from the derivations.
"""

import mpmath
import numpy as np
import pytest
from sympy import Poly, Symbol, default_sort_key, expand, lambdify, log, simplify

import numeric
from derivations.functions import sigmoid
from derivations.topics import gaussians, gaussians_multivariate
from tests.reference import ulp_error

SLUGS = (
    "gaussian-posterior",
    "gaussian-decision-boundary",
    "gaussian-posterior-unequal-variance",
    "gaussian-posterior-multivariate",
    "softmax-from-gaussians",
)
DIGITS = 50


@pytest.fixture(scope="module")
def derivations():
    # The topic in two modules: one dimension, and d dimensions with K classes.
    both = [*gaussians.derivations(), *gaussians_multivariate.derivations()]
    return {d.slug: d for d in both}


@pytest.fixture(scope="module")
def reports(derivations):
    return {slug: d.verify() for slug, d in derivations.items()}


def symbol(derivation, name):
    return derivation.symbols[name]


def gaussian(x, mu, s):
    return mpmath.exp(-((x - mu) ** 2) / (2 * s**2)) / (mpmath.sqrt(2 * mpmath.pi) * s)


def bayes(x, mu0, mu1, s0, s1, pi1):
    joint_1, joint_0 = gaussian(x, mu1, s1) * pi1, gaussian(x, mu0, s0) * (1 - pi1)
    return joint_1 / (joint_1 + joint_0)


# ----------------------------------------------------------------- the catalog's derivations


def test_the_topic_holds_the_registered_slugs_in_reading_order(derivations):
    assert tuple(derivations) == SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_every_claim_is_proven_by_sympy(reports, derivations, slug):
    report = reports[slug]
    claims = sum(s.is_claim for s in derivations[slug].steps) + 1  # and the result
    assert (report.proven, report.numeric) == (claims, 0), report.table()


def test_public_symbols_of_the_one_dimensional_derivations(derivations):
    names = {"x", "mu_0", "mu_1", "s", "pi_0", "pi_1"}
    assert names <= set(derivations["gaussian-posterior"].symbols)
    unequal = {"x", "mu_0", "mu_1", "s_0", "s_1", "pi_0", "pi_1"}
    assert unequal <= set(derivations["gaussian-posterior-unequal-variance"].symbols)
    x, s = (
        symbol(derivations["gaussian-posterior"], "x"),
        symbol(derivations["gaussian-posterior"], "s"),
    )
    assert x.is_real and s.is_positive


def test_the_posterior_is_a_sigmoid_of_a_line_with_the_textbook_slope_and_shift(derivations):
    d = derivations["gaussian-posterior"]
    x, mu_0, mu_1, s, pi_0, pi_1 = (
        symbol(d, n) for n in ("x", "mu_0", "mu_1", "s", "pi_0", "pi_1")
    )
    rhs = d.result.rhs
    assert rhs.func is sigmoid
    assert rhs.free_symbols == {x, mu_0, mu_1, s, pi_0, pi_1}  # no a, b or densities left
    line = Poly(rhs.args[0], x)
    assert line.degree() == 1
    slope, shift = line.all_coeffs()
    # The a and b, typed here.
    assert simplify(slope - (mu_1 - mu_0) / s**2) == 0
    assert expand(shift - ((mu_0**2 - mu_1**2) / (2 * s**2) + log(pi_1 / pi_0))) == 0


def test_the_result_equals_bayes_rule_at_random_points(derivations, rng):
    d = derivations["gaussian-posterior"]
    args = [symbol(d, n) for n in ("x", "mu_0", "mu_1", "s", "pi_0", "pi_1")]
    posterior = lambdify(args, d.result.rhs.rewrite("exp"), modules="mpmath")
    with mpmath.workdps(DIGITS):
        for _ in range(40):
            x, mu0, mu1 = (mpmath.mpf(v) for v in rng.uniform(-6, 6, 3))
            s, pi1 = mpmath.mpf(10 ** rng.uniform(-1, 1)), mpmath.mpf(rng.uniform(0.01, 0.99))
            want = bayes(x, mu0, mu1, s, s, pi1)
            got = posterior(x, mu0, mu1, s, 1 - pi1, pi1)
            assert abs(got - want) <= mpmath.mpf(10) ** (5 - DIGITS) * want


def test_decision_boundary_is_where_the_posterior_is_one_half(derivations):
    boundary = derivations["gaussian-decision-boundary"]
    posterior = derivations["gaussian-posterior"].result.rhs
    d = derivations["gaussian-posterior"]
    x, mu_0, mu_1, pi_0, pi_1 = (symbol(d, n) for n in ("x", "mu_0", "mu_1", "pi_0", "pi_1"))
    x_b = boundary.result.rhs
    assert simplify(posterior.args[0].subs(x, x_b)) == 0
    # Equal priors: the midpoint of the means.
    assert simplify(x_b.subs(pi_1, pi_0) - (mu_0 + mu_1) / 2) == 0


def test_unequal_variances_give_a_sigmoid_of_a_quadratic(derivations):
    d = derivations["gaussian-posterior-unequal-variance"]
    x, s_0, s_1 = (symbol(d, n) for n in ("x", "s_0", "s_1"))
    rhs = d.result.rhs
    assert rhs.func is sigmoid
    quadratic = Poly(rhs.args[0], x)
    assert quadratic.degree() == 2
    assert simplify(quadratic.LC() - (1 / (2 * s_0**2) - 1 / (2 * s_1**2))) == 0
    # Equal spreads: back to the line of the equal-variance derivation.
    s = symbol(derivations["gaussian-posterior"], "s")
    equal = rhs.args[0].subs({s_0: s, s_1: s})
    line = derivations["gaussian-posterior"].result.rhs.args[0]
    assert expand(expand(equal) - expand(line)) == 0


@pytest.mark.parametrize(("s0", "s1", "tail", "middle"), [(1, 2, 1, -1), (2, 1, 0, 3)])
def test_the_wider_class_takes_both_tails(derivations, s0, s1, tail, middle):
    d = derivations["gaussian-posterior-unequal-variance"]
    args = [symbol(d, n) for n in ("x", "mu_0", "mu_1", "s_0", "s_1", "pi_0", "pi_1")]
    posterior = lambdify(args, d.result.rhs.rewrite("exp"), modules="mpmath")
    with mpmath.workdps(DIGITS):
        mu0, mu1, pi1 = mpmath.mpf(-1), mpmath.mpf(3), mpmath.mpf("0.3")
        points = (-60, middle, 60)  # middle: the mean of the narrower class
        values = {x: posterior(mpmath.mpf(x), mu0, mu1, s0, s1, 1 - pi1, pi1) for x in points}
        for x, value in values.items():
            assert abs(value - bayes(mpmath.mpf(x), mu0, mu1, s0, s1, pi1)) < mpmath.mpf(10) ** -40
        # Far out on both sides the wider class wins, so the posterior is not monotone.
        assert abs(values[-60] - tail) < 1e-100 and abs(values[60] - tail) < 1e-100
        assert abs(values[middle] - tail) > 0.5


# ----------------------------------------------------------------- d dimensions, K classes


# The document says that this test proves d = 3 (the intros of the two derivations).
@pytest.mark.parametrize(
    "build",
    [gaussians_multivariate.multivariate_posterior, gaussians_multivariate.softmax_from_gaussians],
)
def test_three_dimensional_versions_are_proven_too(build):
    d = build(3)
    report = d.verify()
    assert report.numeric == 0, report.table()
    assert {"u_11", "u_12", "u_13", "u_22", "u_23", "u_33", "x_3"} <= set(d.symbols)


def random_spd(rng, d):
    a = rng.normal(size=(d, d))
    return a @ a.T + 0.5 * np.eye(d)


def mp_log_gaussian(x, mu, sigma):
    """ln N(x | mu, Sigma) at mpmath precision, through Sigma's Cholesky factor."""
    lower = mpmath.cholesky(sigma)
    v = mpmath.lu_solve(lower, x - mu)  # L v = x - mu, so v^T v = (x - mu)^T Sigma^-1 (x - mu)
    log_det = 2 * sum(mpmath.log(lower[i, i]) for i in range(sigma.rows))
    return -(sigma.rows * mpmath.log(2 * mpmath.pi) + log_det + (v.T * v)[0]) / 2


def mp_posterior(x, means, sigma, priors, c):
    """P(C_c | x) by Bayes' rule with the Gaussian densities written out, at mpmath precision."""
    joints = [
        mpmath.exp(mp_log_gaussian(x, m, sigma)) * p for m, p in zip(means, priors, strict=True)
    ]
    return joints[c] / sum(joints)


def mp_column(values):
    return mpmath.matrix([mpmath.mpf(float(v)) for v in values])


def multivariate_bound(x, mu0, mu1, sigma, pi1):
    """A bound in ULPs on numeric.gaussian_posterior_multivariate's error at each row of x.

    The recipe: P = sigma(t), t = w^T c + l with w = Sigma^-1 b, b = mu1 - mu0,
    c = x - m, m = mu0/2 + mu1/2, l = ln(pi1 / (1 - pi1)); u is the unit roundoff.
    - w: b is rounded (moves t by u |v|^T |b|, v = Sigma^-1 c); the Cholesky factor and
      the two solves are backward stable, w solving (Sigma + E) w = b with
      |E| <= (7 d + 1) u |L| |L^T| (Higham, Accuracy and Stability, Thms 10.3 and 8.5 for the
      factor and each solve), which moves t by at most (7 d + 1) u |v|^T |L| |L^T| |w|.
    - c: m and x - m are rounded, u (|m| + |c|); the dot product w^T c adds d u |w|^T |c|.
    - l: 2 u for pi0 and the ratio, 8 u |l| for NumPy's log (4 ULPs); the sum, u |t|.
    - P: dP / P = sigma(-t) dt and one ULP of P is at least u P; the sigmoid adds its 4 ULPs.
    Norms of the exact quantities, computed in float64 (a relative error of 1e-13 in a bound).
    """
    lower = np.linalg.cholesky(sigma)
    b = mu1 - mu0
    w = np.linalg.solve(sigma, b)
    m = mu0 / 2 + mu1 / 2
    c = x - m
    v = np.linalg.solve(sigma, c.T).T
    ell = np.log(pi1 / (1 - pi1))
    t = c @ w + ell
    d = len(b)
    backward = (7 * d + 1) * (np.abs(v) @ np.abs(lower) @ np.abs(lower.T) @ np.abs(w))
    rounding = backward + np.abs(v) @ np.abs(b) + (d + 1) * (np.abs(c) @ np.abs(w))
    rounding += np.abs(w) @ np.abs(m) + 2 + 8 * abs(ell) + np.abs(t)
    return 4 + rounding / (1 + np.exp(t))


def test_numeric_posterior_in_ten_dimensions_is_bayes_rule(rng):
    # numeric.gaussian_posterior_multivariate (PRML 4.65-4.67) against Bayes' rule with the
    # densities at 50 digits, within the rounding bound above.
    d = 10
    sigma = random_spd(rng, d)
    mu0, mu1 = rng.normal(size=(2, d))
    x = 2 * rng.normal(size=(40, d))
    pi1 = 0.35
    got = numeric.gaussian_posterior_multivariate(x, mu0, mu1, sigma, pi1)
    with mpmath.workdps(DIGITS):
        mp_sigma = mpmath.matrix(sigma.tolist())
        means, priors = [mp_column(mu0), mp_column(mu1)], [1 - mpmath.mpf(pi1), mpmath.mpf(pi1)]
        want = np.array([float(mp_posterior(mp_column(r), means, mp_sigma, priors, 1)) for r in x])
    errors, bound = ulp_error(got, want), multivariate_bound(x, mu0, mu1, sigma, pi1)
    assert np.all(errors <= bound), (errors, bound)
    assert 0 < want.min() < 0.01 and 0.99 < want.max() < 1  # both tails, not only the middle


def test_the_multivariate_derivation_in_three_dimensions_is_bayes_rule(rng):
    # The derivation's own result, written through U with Sigma^-1 = U^T U, against Bayes'
    # rule at 50 digits.
    d = gaussians_multivariate.multivariate_posterior(3)
    names = [f"u_{i}{j}" for i in range(1, 4) for j in range(i, 4)]
    names += [f"{v}_{i}" for v in ("x", "mu_0", "mu_1") for i in range(1, 4)]
    args = [d.symbols[n] for n in [*names, "pi_0", "pi_1"]]
    posterior = lambdify(args, d.result.rhs.doit().rewrite("exp"), modules="mpmath")
    with mpmath.workdps(DIGITS):
        for _ in range(5):
            sigma = mpmath.matrix(random_spd(rng, 3).tolist())
            upper = mpmath.cholesky(sigma**-1).T  # Sigma^-1 = L L^T, so U = L^T
            mu0, mu1, x = (mp_column(rng.normal(size=3)) for _ in range(3))
            pi1 = mpmath.mpf(rng.uniform(0.05, 0.95))
            u = [upper[i, j] for i in range(3) for j in range(i, 3)]
            got = posterior(*u, *x, *mu0, *mu1, 1 - pi1, pi1)
            want = mp_posterior(x, [mu0, mu1], sigma, [1 - pi1, pi1], 1)
            assert abs(got - want) <= mpmath.mpf(10) ** (10 - DIGITS) * want


def test_the_softmax_derivation_is_bayes_rule_for_three_classes(rng):
    # softmax-from-gaussians' result (K = 3, d = 2) against Bayes' rule at 50 digits.
    d = gaussians_multivariate.softmax_from_gaussians(2)
    names = ["u_11", "u_12", "u_22", "x_1", "x_2"]
    names += [f"mu_{k}_{i}" for k in range(3) for i in (1, 2)] + ["pi_0", "pi_1", "pi_2"]
    posterior = lambdify(
        [d.symbols[n] for n in names], d.result.rhs.doit().rewrite("exp"), modules="mpmath"
    )
    with mpmath.workdps(DIGITS):
        for _ in range(5):
            sigma = mpmath.matrix(random_spd(rng, 2).tolist())
            upper = mpmath.cholesky(sigma**-1).T
            means = [mp_column(rng.normal(size=2)) for _ in range(3)]
            priors = [mpmath.mpf(p) for p in rng.dirichlet(np.ones(3))]
            x = mp_column(2 * rng.normal(size=2))
            u = [upper[0, 0], upper[0, 1], upper[1, 1]]
            got = posterior(*u, *x, *[v for m in means for v in m], *priors)
            want = mp_posterior(x, means, sigma, priors, 1)
            assert abs(got - want) <= mpmath.mpf(10) ** (10 - DIGITS) * want


def test_numeric_softmax_of_the_textbook_scores_is_bayes_rule(rng):
    # Four classes in five dimensions: the scores w_k^T x + b_k of PRML 4.68-4.70, typed here
    # and rounded once to float64 (an error of at most u |score|), then numeric.softmax, against
    # Bayes' rule at 50 digits. d ln p_c = d u_c - sum_j p_j d u_j moves p by at most
    # 2 max |d u| <= max |score| u relative, max |score| ULPs; the softmax adds its 4.
    d, k = 5, 4
    sigma = random_spd(rng, d)
    means = rng.normal(size=(k, d))
    priors = rng.dirichlet(np.ones(k))
    with mpmath.workdps(DIGITS):
        mp_sigma = mpmath.matrix(sigma.tolist())
        inverse = mp_sigma**-1
        mp_means, mp_priors = [mp_column(m) for m in means], [mpmath.mpf(p) for p in priors]
        for _ in range(10):
            x = mp_column(2 * rng.normal(size=d))
            exact = [
                (m.T * inverse * x)[0] - (m.T * inverse * m)[0] / 2 + mpmath.log(p)
                for m, p in zip(mp_means, mp_priors, strict=True)
            ]
            scores = np.array([float(e) for e in exact])
            want = np.array(
                [float(mp_posterior(x, mp_means, mp_sigma, mp_priors, c)) for c in range(k)]
            )
            errors = ulp_error(numeric.softmax(scores), want)
            assert np.all(errors <= 4 + np.max(np.abs(scores))), (errors, scores)


def test_symbols_sort_the_same_on_every_run(derivations):
    names = list(derivations["gaussian-posterior"].symbols)
    assert names == sorted(names, key=lambda n: default_sort_key(Symbol(n)))
