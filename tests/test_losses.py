"""The loss derivations: each verifies, and each result agrees with an independent computation."""

import mpmath
import numpy as np
import pytest
from sympy import (
    Derivative,
    Eq,
    ImmutableMatrix,
    Interval,
    Piecewise,
    Symbol,
    diff,
    exp,
    lambdify,
    log,
    nan,
)

from derivations import get, sigmoid
from derivations.engine import canonical
from derivations.meaning import expand_definitions
from derivations.render import latex
from derivations.topics.losses import kernels
from derivations.topics.losses_batch import TESTED_BATCH_SIZES, batch_gradients
from derivations.verify import check_claim
from numeric.finite_differences import check_gradient

x, w, b, y = (Symbol(name, real=True) for name in "xwby")
z = Symbol("z", real=True)
a = Symbol("a", positive=True)
C = Symbol("C", real=True)

SLUGS = [
    "mse-gradient",
    "bce-gradient",
    "bce-logits",
    "learning-slowdown",
    "batch-gradients",
    "backprop-delta",
    "loss-stable-forms",
    "softmax-cross-entropy",
]


@pytest.mark.parametrize("slug", SLUGS)
def test_each_derivation_verifies_and_sympy_proves_every_claim(slug):
    report = get(slug).verify()
    assert report.numeric == 0, report.table()
    assert report.proven >= 2


def _textbook_gradient(loss):
    """(dC/dw, dC/db) of a loss of a = sigma(w x + b), by SymPy's diff, written out here."""
    return [diff(loss(1 / (1 + exp(-(w * x + b)))), v) for v in (w, b)]


@pytest.mark.parametrize(
    ("slug", "loss"),
    [
        ("mse-gradient", lambda out: (out - y) ** 2 / 2),
        ("bce-gradient", lambda out: -(y * log(out) + (1 - y) * log(1 - out))),
    ],
)
def test_neuron_results_are_the_gradients_in_base_symbols(slug, loss, rng):
    result = get(slug).result
    assert result.lhs == ImmutableMatrix([Derivative(C, w), Derivative(C, b)])
    assert result.rhs.free_symbols <= {x, w, b, y}
    # The stated right-hand side against the textbook loss differentiated from scratch, at
    # random points: equal to 1e-12 (double precision; both sides are O(1)).
    stated = lambdify((x, w, b, y), list(result.rhs), "mpmath")
    textbook = lambdify((x, w, b, y), _textbook_gradient(loss), "mpmath")
    for point in rng.uniform(-3, 3, (20, 4)):
        point[3] = abs(point[3]) / 3  # a target in [0, 1]
        for got, want in zip(stated(*point), textbook(*point), strict=True):
            assert abs(got - want) <= 1e-12 * max(1, abs(want))


def test_mse_gradient_carries_the_sigmoid_derivative_and_bce_does_not():
    s = sigmoid(w * x + b)
    mse, bce = get("mse-gradient").result.rhs, get("bce-gradient").result.rhs
    assert (mse[1] - (s - y) * s * (1 - s)).expand() == 0
    assert (bce[0] - (s - y) * x).expand() == 0
    assert (bce[1] - (s - y)).expand() == 0


def test_bce_logits_result_at_high_precision():
    result = get("bce-logits").result
    assert result == Eq(result.lhs, log(exp(z) + 1) - y * z)
    # -[y ln sigma(z) + (1 - y) ln(1 - sigma(z))] in mpmath at 50 digits, far into both tails
    lhs = lambdify((z, y), result.lhs, "mpmath")
    with mpmath.workdps(50):
        for zv in map(mpmath.mpf, (-40, -3, 0.5, 7, 40)):
            for yv in map(mpmath.mpf, (0, 0.3, 1)):
                want = mpmath.log(1 + mpmath.exp(zv)) - yv * zv
                assert abs(lhs(zv, yv) - want) < mpmath.mpf(10) ** -30


def test_learning_slowdown_result_is_sigma_prime_times_the_bce_gradient():
    result = get("learning-slowdown").result
    s = sigmoid(z)
    c_mse, c_bce = Symbol("C_MSE", real=True), Symbol("C_BCE", real=True)
    assert result.lhs == Derivative(c_mse, z)
    assert result.rhs == s * (1 - s) * Derivative(c_bce, z)
    # The bound 1/4 and the limits are claims of the derivation; here, the numbers behind them,
    # numeric's gradients at z = 10 with target 0 against a = sigma(10) at 30 digits: MSE's
    # a^2 (1 - a) (the BCE gradient a times sigma'(z)) is below 5e-5, BCE's a above 0.9999.
    import numeric
    from tests.reference import ulp_error

    mse_db, bce_db = (
        numeric.mse_gradient(1.0, 0.0, 10.0, 0.0)[1],
        numeric.bce_gradient(1.0, 0.0, 10.0, 0.0)[1],
    )
    with mpmath.workdps(30):
        out = 1 / (1 + mpmath.exp(-10))
        assert ulp_error(mse_db, float(out**2 * (1 - out))) <= 4
        assert ulp_error(bce_db, float(out)) <= 4
    assert mse_db < 5e-5 and bce_db > 0.9999


# The sizes the document names as proven by the tests (its intro reads the same constant).
@pytest.mark.parametrize(("n", "d"), TESTED_BATCH_SIZES)
def test_batch_gradients_verify_at_larger_sizes(n, d):
    derivation = batch_gradients(n, d)
    report = derivation.verify()
    assert report.numeric == 0, report.table()
    assert derivation.result.lhs.shape == (d + 1, 1)


def test_batch_gradient_result_against_finite_differences(rng):
    # The stated result for N = 2, d = 2, against central differences of the mean loss, which
    # the test writes out with NumPy.
    derivation = get("batch-gradients")
    definitions = {s.lhs: s.rhs for s in derivation.steps if s.kind == "definition"}
    # The result uses the outputs a_i; their definitions put it in the base symbols.
    stated = expand_definitions(derivation.result.rhs, definitions)
    symbols = sorted(stated.free_symbols, key=lambda s: s.name)
    names = ["b", "w_1", "w_2", "x_11", "x_12", "x_21", "x_22", "y_1", "y_2"]
    assert [s.name for s in symbols] == names
    gradient = lambdify(symbols, list(stated), "numpy")
    X = rng.uniform(-2, 2, (2, 2))
    targets = rng.uniform(0, 1, 2)

    def loss(p):
        out = 1 / (1 + np.exp(-(X @ p[:2] + p[2])))
        return np.mean(-(targets * np.log(out) + (1 - targets) * np.log(1 - out)))

    def grad(p):
        return np.array(gradient(p[2], p[0], p[1], *X.ravel(), *targets), dtype=float)

    check_gradient(loss, grad, rng.uniform(-1, 1, 3))


def test_backprop_delta_result():
    result = get("backprop-delta").result
    assert result == Eq(Derivative(C, z), -Symbol("delta", real=True))


def test_softmax_cross_entropy_gradient_against_finite_differences(rng):
    result = get("softmax-cross-entropy").result
    # For any class k of any number of classes: dC/dz_k = p_k - y_k (the document says that
    # this test checks it for K = 3).
    assert str(result.lhs) == "Derivative(C, z_k)" and str(result.rhs) == "p_k - y_k"
    # p - y, with p the softmax written out here, against differences of the loss.
    scores = rng.normal(size=3)
    target = rng.dirichlet(np.ones(3))

    def loss(v):
        return -np.sum(target * (v - np.log(np.sum(np.exp(v)))))

    check_gradient(loss, lambda v: np.exp(v) / np.sum(np.exp(v)) - target, scores)


# The kernels evaluated as they are proven (bce_gradient and mse_gradient reuse the residuals' claims).
SPECS = {k.name: k for k in kernels() if not k.given}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_stable_form_is_a_verified_step_of_its_derivation(name):
    textbook, stable, slug = SPECS[name].textbook, SPECS[name].stable, SPECS[name].proven_by
    derivation = get(slug)
    report = derivation.verify()
    # Some proven step claims textbook = stable. Its left side may be a name defined as the
    # textbook form, and it may display the stable form with its terms in another order:
    # both sides must mean the same expressions.
    # A chain of proven steps counts: textbook on one line, stable on a later one.
    definitions, found, lines = {}, textbook == stable, []
    for i, s in enumerate(derivation.steps, 1):
        if s.kind == "definition":
            definitions[s.lhs] = s.rhs
        elif s.is_claim:
            if not s.continues or report.step(i).status != "proven":
                lines = [canonical(definitions.get(s.lhs, s.lhs))]
            if report.step(i).status == "proven":
                lines.append(canonical(s.rhs))
                found |= canonical(textbook) in lines[:-1] and lines[-1] == canonical(stable)
    assert found
    # And on its own, outside the derivation's definitions:
    domains = {y: Interval(0, 1), a: Interval.open(0, 1)}
    check = check_claim(textbook, stable, domains=domains)
    assert check.holds and check.proven, check.method


def test_bce_loss_stable_form_takes_zero_log_zero_as_zero():
    textbook, stable = SPECS["bce_loss"].textbook, SPECS["bce_loss"].stable
    # A certain, correct prediction costs nothing; the textbook form is 0 * (-oo) there.
    assert textbook.subs({a: 1, y: 1}) is nan
    assert stable.subs({a: 0, y: 0}) == 0
    assert stable.subs({a: 1, y: 1}) == 0


def test_a_wrong_piecewise_branch_is_not_proven():
    # The 'branches' strategy substitutes y = 0 into the branch for y = 0: a wrong value there
    # must not be proven, even though random points (never exactly y = 0) cannot see it.
    wrong = Piecewise((1, Eq(y, 0)), (y * log(a), True))
    check = check_claim(y * log(a), wrong, domains={y: Interval(0, 1)})
    assert not check.proven


def test_negation_is_displayed_as_written():
    tex = latex(SPECS["bce_loss"].textbook)
    assert tex.startswith(r"- \left(y \ln")
    assert r"\left(-1\right)" not in tex


def test_numeric_check_divides_by_a_sigmoid_correctly():
    # mpmath code for y/sigma(z) once read y/1/(1 + exp(-z)); a claim that is false only
    # through that division must fail.
    check = check_claim(y / sigmoid(z), y * sigmoid(z))
    assert not check.holds
    assert check_claim(y / sigmoid(z), y * (1 + exp(-z))).holds
