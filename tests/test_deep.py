"""Beyond one neuron: the derivations verify, the eleven-line network's two-layer update is minus
the gradient (by finite differences), and the sigmoid factors shrink like 4^-L.

The network is the post's (Trask, 2015): X with a column of ones, targets (0, 1, 1, 0), syn0 of
shape 3 x 4 and syn1 of shape 4 x 1, its deltas computed exactly as the post's code does.
"""

import mpmath
import numpy as np
import pytest

from derivations import get
from derivations.topics import deep
from numeric.finite_differences import check_derivative, check_gradient

SLUGS = ["hidden-layer-delta", "vanishing-gradient"]
X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
Y = np.array([[0], [1], [1], [0]], dtype=float)


def nonlin(x, deriv=False):
    """The post's function: the sigmoid, or, with deriv=True, x (1 - x) for an output x."""
    if deriv:
        return x * (1 - x)
    return 1 / (1 + np.exp(-x))


def test_the_topic_holds_the_slugs_in_reading_order():
    assert [d.slug for d in deep.derivations()] == SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_each_derivation_verifies_and_sympy_proves_every_claim(slug):
    report = get(slug).verify()
    assert report.numeric == 0, report.table()
    assert report.result.status == "proven"


@pytest.mark.parametrize("layers", [2, 4])
def test_vanishing_gradient_verifies_for_other_depths(layers):
    report = deep.vanishing_gradient(layers).verify()
    assert report.numeric == 0, report.table()


def _network(inputs, hidden, rng):
    syn0 = 2 * rng.random((inputs, hidden)) - 1
    syn1 = 2 * rng.random((hidden, 1)) - 1
    return syn0, syn1


def _post_update(l0, y, syn0, syn1):
    """One iteration of the post's loop: the amounts it adds to syn0 and syn1."""
    l1 = nonlin(np.dot(l0, syn0))
    l2 = nonlin(np.dot(l1, syn1))
    l2_delta = (y - l2) * nonlin(l2, deriv=True)
    l1_delta = l2_delta.dot(syn1.T) * nonlin(l1, deriv=True)
    return l0.T.dot(l1_delta), l1.T.dot(l2_delta)


def _squared_error(l0, y, shapes):
    (i, h), _ = shapes

    def cost(p):
        syn0, syn1 = p[: i * h].reshape(i, h), p[i * h :].reshape(h, 1)
        out = nonlin(nonlin(l0 @ syn0) @ syn1)
        return 0.5 * np.sum((y - out) ** 2)

    return cost


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_posts_update_is_minus_the_gradient_of_the_squared_error(seed):
    # The whole batch (four rows of X) and every weight: -update against Richardson
    # differences of C = sum (y - l2)^2 / 2 in all 16 weights.
    rng = np.random.default_rng(seed)
    syn0, syn1 = _network(3, 4, rng)
    cost = _squared_error(X, Y, (syn0.shape, syn1.shape))

    def gradient(p):
        s0, s1 = p[:12].reshape(3, 4), p[12:].reshape(4, 1)
        d0, d1 = _post_update(X, Y, s0, s1)
        return -np.concatenate([d0.ravel(), d1.ravel()])

    check_gradient(cost, gradient, np.concatenate([syn0.ravel(), syn1.ravel()]))


def test_the_update_is_minus_the_gradient_for_other_sizes(rng):
    # The derivation holds for any numbers of inputs and hidden units: 5 inputs, 7 hidden
    # units, 6 examples with real-valued targets.
    l0 = rng.uniform(-1, 1, (6, 5))
    y = rng.uniform(0, 1, (6, 1))
    syn0, syn1 = _network(5, 7, rng)
    cost = _squared_error(l0, y, (syn0.shape, syn1.shape))

    def gradient(p):
        d0, d1 = _post_update(l0, y, p[:35].reshape(5, 7), p[35:].reshape(7, 1))
        return -np.concatenate([d0.ravel(), d1.ravel()])

    check_gradient(cost, gradient, np.concatenate([syn0.ravel(), syn1.ravel()]))


def test_the_sigmoid_factors_of_l_layers_are_at_most_four_to_the_minus_l(rng):
    # At most 4^-L at any inputs, and exactly 4^-L when every z is 0: the bound is sharp.
    with mpmath.workdps(30):
        for layers in range(1, 11):
            for zs in rng.normal(0, 3, (20, layers)):
                factors = [1 / (1 + mpmath.exp(-z)) * (1 - 1 / (1 + mpmath.exp(-z))) for z in zs]
                assert mpmath.fprod(factors) <= mpmath.mpf(4) ** -layers
            assert mpmath.fprod([mpmath.mpf(1) / 4] * layers) == mpmath.mpf(4) ** -layers


def _chain(ws, bs, x):
    acts = []
    a = x
    for w, b in zip(ws, bs, strict=True):
        a = nonlin(w * a + b)
        acts.append(a)
    return acts


@pytest.mark.parametrize("layers", [3, 6])
def test_cross_entropy_removes_only_the_output_factor(layers, rng):
    # dC/db_1 through a chain of single sigmoid units, against Richardson differences: the
    # squared error's has one factor sigma'(z_l) per layer, cross-entropy's lacks the output's.
    ws, bs = rng.uniform(-2, 2, layers), rng.uniform(-1, 1, layers)
    x, y = 0.7, 0.2

    def output(b1):
        return _chain(ws, [b1, *bs[1:]], x)[-1]

    def mse(b1):
        return (output(b1) - y) ** 2 / 2

    def bce(b1):
        a = output(b1)
        return -(y * np.log(a) + (1 - y) * np.log(1 - a))

    acts = _chain(ws, bs, x)
    hidden = np.prod([ws[n + 1] * acts[n] * (1 - acts[n]) for n in range(layers - 1)])
    last = acts[-1]
    b1 = np.array([bs[0]])
    check_derivative(bce, lambda _: np.array([(last - y) * hidden]), b1)
    check_derivative(mse, lambda _: np.array([(last - y) * last * (1 - last) * hidden]), b1)
