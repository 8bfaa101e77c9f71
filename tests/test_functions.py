"""The SymPy functions sigmoid and logit: values, limits, derivatives, rewrites, printing."""

import mpmath
import numpy as np
import pytest
from sympy import (
    Derivative,
    E,
    Rational,
    S,
    Symbol,
    diff,
    exp,
    lambdify,
    latex,
    limit,
    log,
    oo,
    simplify,
    tanh,
)

from derivations import logit, sigmoid

z = Symbol("z", real=True)
p = Symbol("p", positive=True)


def test_special_values_and_limits():
    assert sigmoid(0) == S.Half
    assert sigmoid(oo) == 1 and sigmoid(-oo) == 0
    assert limit(sigmoid(z), z, oo) == 1
    assert limit(sigmoid(z), z, -oo) == 0
    assert logit(S.Half) == 0
    assert logit(0) == -oo and logit(1) == oo


def test_derivative_is_sigma_times_one_minus_sigma():
    assert diff(sigmoid(z), z) == sigmoid(z) * (1 - sigmoid(z))
    # The chain rule through an inner function, as SymPy applies it.
    assert diff(sigmoid(3 * z), z) == 3 * sigmoid(3 * z) * (1 - sigmoid(3 * z))
    assert simplify(diff(logit(p), p) - 1 / (p * (1 - p))) == 0


def test_rewrites():
    assert sigmoid(z).rewrite(exp) == 1 / (1 + exp(-z))
    assert sigmoid(z).rewrite(tanh) == (1 + tanh(z / 2)) / 2
    assert logit(p).rewrite(log) == log(p / (1 - p))


def test_inverse_pair():
    assert logit(sigmoid(z)) == z
    assert sigmoid(logit(p)) == p
    assert sigmoid(z).inverse() is logit


def test_evalf_matches_mpmath_at_50_digits():
    # Reference: 1/(1 + e^-2) with mpmath at 60 digits, an independent route.
    got = sigmoid(2).evalf(50)
    with mpmath.workdps(60):
        want = 1 / (1 + mpmath.exp(-2))
        assert abs(mpmath.mpf(str(got)) - want) < mpmath.mpf(10) ** -48
    assert sigmoid(Rational(-800)).evalf(20) > 0  # no underflow in arbitrary precision


def test_assumptions():
    assert sigmoid(z).is_real and sigmoid(z).is_positive and sigmoid(z).is_finite
    assert sigmoid(Symbol("c")).is_positive is None  # complex argument: unknown
    assert sigmoid(E).is_positive


def test_latex():
    assert latex(sigmoid(z)) == r"\sigma\left(z\right)"
    assert latex(sigmoid(z) ** 2) == r"\sigma^{2}\left(z\right)"
    assert latex(logit(p)) == r"\operatorname{logit}\left(p\right)"


def test_plain_lambdify_is_stable():
    # A user's own sympy.lambdify of sigmoid(z) must not overflow in the tails.
    f = lambdify(z, sigmoid(z), "numpy")
    values = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow is exact here
        got = f(values)
    # Reference: mpmath at 60 digits, rounded to float64.
    with mpmath.workdps(60):
        want = [float(1 / (1 + mpmath.exp(-mpmath.mpf(v)))) for v in values]
    np.testing.assert_array_max_ulp(got, np.array(want), maxulp=4)


def test_derivative_object_prints_and_evaluates():
    d = Derivative(sigmoid(z), z)
    assert d.doit() == sigmoid(z) * (1 - sigmoid(z))
    assert "\\sigma" in latex(d)


@pytest.mark.parametrize("value", [-3, Rational(1, 3), 7])
def test_sigmoid_of_negative_is_one_minus(value):
    assert simplify((sigmoid(-value) - (1 - sigmoid(value))).rewrite(exp)) == 0
