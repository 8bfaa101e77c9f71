"""The Gaussian-posterior derivations: verified, written in base symbols, and true by other routes.

The independent routes are Bayes' rule with the Gaussian densities written out
in mpmath at 50 digits, and the textbook coefficients (Bishop, PRML 4.65-4.67)
typed here, not taken from the derivations.
"""

import mpmath
import numpy as np
import pytest
from sympy import Poly, Symbol, default_sort_key, expand, lambdify, log, simplify

from derivations.functions import sigmoid
from derivations.topics import gaussians

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
    return {d.slug: d for d in gaussians.derivations()}


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


@pytest.mark.parametrize(
    "build", [gaussians.multivariate_posterior, gaussians.softmax_from_gaussians]
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


def test_bishop_formula_in_ten_dimensions(rng):
    # PRML 4.65-4.67 typed here, against Bayes' rule with the densities, both at 50 digits.
    d = 10
    with mpmath.workdps(DIGITS):
        sigma = mpmath.matrix(random_spd(rng, d).tolist())
        mu0, mu1 = (mpmath.matrix(rng.normal(size=d).tolist()) for _ in range(2))
        pi1 = mpmath.mpf("0.35")
        inverse = sigma**-1
        w = inverse * (mu1 - mu0)
        w0 = (-(mu1.T * inverse * mu1)[0] + (mu0.T * inverse * mu0)[0]) / 2 + mpmath.log(
            pi1 / (1 - pi1)
        )
        for _ in range(10):
            x = mpmath.matrix((2 * rng.normal(size=d)).tolist())
            a_1 = mp_log_gaussian(x, mu1, sigma) + mpmath.log(pi1)
            a_0 = mp_log_gaussian(x, mu0, sigma) + mpmath.log(1 - pi1)
            want = 1 / (1 + mpmath.exp(a_0 - a_1))
            got = 1 / (1 + mpmath.exp(-((w.T * x)[0] + w0)))
            assert abs(got - want) <= mpmath.mpf(10) ** (10 - DIGITS) * want


def test_softmax_of_linear_scores_for_four_classes_in_five_dimensions(rng):
    d, k = 5, 4
    with mpmath.workdps(DIGITS):
        sigma = mpmath.matrix(random_spd(rng, d).tolist())
        inverse = sigma**-1
        means = [mpmath.matrix(rng.normal(size=d).tolist()) for _ in range(k)]
        priors = [mpmath.mpf(p) for p in rng.dirichlet(np.ones(k))]
        x = mpmath.matrix(rng.normal(size=d).tolist())
        joints = [
            mpmath.exp(mp_log_gaussian(x, m, sigma)) * p for m, p in zip(means, priors, strict=True)
        ]
        scores = [
            (m.T * inverse * x)[0] - (m.T * inverse * m)[0] / 2 + mpmath.log(p)
            for m, p in zip(means, priors, strict=True)
        ]
        for c in range(k):
            want = joints[c] / sum(joints)
            got = mpmath.exp(scores[c]) / sum(mpmath.exp(u) for u in scores)
            assert abs(got - want) <= mpmath.mpf(10) ** (10 - DIGITS) * want
        # Two classes: the softmax is the sigmoid of the difference of the scores.
        two = mpmath.exp(scores[1]) / (mpmath.exp(scores[0]) + mpmath.exp(scores[1]))
        assert abs(two - 1 / (1 + mpmath.exp(scores[0] - scores[1]))) < mpmath.mpf(10) ** -45


def test_symbols_sort_the_same_on_every_run(derivations):
    names = list(derivations["gaussian-posterior"].symbols)
    assert names == sorted(names, key=lambda n: default_sort_key(Symbol(n)))
