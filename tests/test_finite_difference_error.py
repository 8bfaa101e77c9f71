"""The finite-difference error model: the derivation verifies, its best steps minimize the bound,
and real float64 difference quotients of the sigmoid stay inside the bound.

The reference derivative is mpmath's at 50 digits. "Correctly rounded" sigma is mpmath's value
at the float argument rounded once to float64, the model's assumption; numeric.sigmoid (what
the figure uses) is measured too, for the numbers the text states.
"""

import mpmath
import numpy as np
import pytest

from derivations import get
from numeric import sigmoid

EPS = 2.0**-52  # float64's machine epsilon, the model's epsilon
TINY = 1e-13  # the step of the figure


def exact(x):
    """sigma, sigma', sigma'' and sigma''' at x, at 50 digits."""
    with mpmath.workdps(50):
        s = 1 / (1 + mpmath.exp(-mpmath.mpf(x)))
        d = s * (1 - s)
        return s, d, d * (1 - 2 * s), d * (1 - 6 * s + 6 * s**2)


def rounded_sigmoid(x):
    with mpmath.workdps(50):
        return float(1 / (1 + mpmath.exp(-mpmath.mpf(x))))


def rounding(x, arguments=1):
    """The model's R at x: two correctly rounded values of sigma, each within eps sigma / 2,
    and the rounding of x + h (and for a central difference of x - h too), each of which
    moves an argument by up to eps |x| / 2."""
    s, d, _, _ = exact(x)
    return EPS * (s + arguments * abs(x) * d / 2)


def test_the_derivation_verifies_and_sympy_proves_every_claim():
    report = get("finite-difference-error").verify()
    assert report.numeric == 0, report.table()
    assert report.result.status == "proven"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_best_steps_minimize_the_bounds(seed):
    # The bounds evaluated on a fine logarithmic grid of steps: the least grid value is at
    # the derived step (to the grid's spacing) and equals the derived least value.
    rng = np.random.default_rng(seed)
    m2, m3, r = 10 ** rng.uniform(-3, 1, 3) * np.array([1, 1, 1e-16])
    hs = np.logspace(-12, 0, 120001)  # spacing 1e-4 in log10 h
    forward = hs * m2 / 2 + r / hs
    central = hs**2 * m3 / 6 + r / (2 * hs)
    h_f, h_c = np.sqrt(2 * r / m2), np.cbrt(3 * r / (2 * m3))
    assert abs(np.log10(hs[np.argmin(forward)] / h_f)) <= 1e-4
    assert abs(np.log10(hs[np.argmin(central)] / h_c)) <= 1e-4
    # Near its minimum a bound is flat to second order: the grid's least value is the
    # derived one to within a relative (ln 10 * 1e-4)^2, about 5e-8.
    assert forward.min() == pytest.approx(np.sqrt(2 * r * m2), rel=1e-7)
    assert central.min() == pytest.approx(m3 * h_c**2 / 2, rel=1e-7)


def _forward(f, x, h):
    return (f(x + h) - f(x)) / h


def test_the_forward_difference_with_a_tiny_step_stays_inside_the_bound():
    # Every point of the figure's grid: the error of the correctly rounded difference quotient
    # against truncation h |sigma''| / 2 (the largest |sigma''| is within 1e-13 of x's, far
    # below the terms' size) plus rounding R / h plus the final division's half-ulp.
    for x in np.linspace(-8.0, 8.0, 1601):
        _, d, d2, _ = exact(x)
        estimate = _forward(rounded_sigmoid, x, TINY)
        bound = TINY * abs(d2) / 2 + rounding(x) / TINY + EPS * abs(estimate)
        assert abs(estimate - d) <= bound, x


def test_the_tiny_step_keeps_about_three_digits_as_the_text_says():
    # x = 1 with numeric.sigmoid, as in the figure: error 1.0e-4, relative 5.2e-4, inside the
    # model's bound 1.84e-3; over the figure's grid, at most about 2.5e-3.
    _, d, d2, _ = exact(1.0)
    error = abs(_forward(sigmoid, 1.0, TINY) - d)
    assert error == pytest.approx(1.0e-4, rel=0.05)
    assert 1e-4 < error / d < 1e-3  # three correct digits, thirteen of the sixteen lost
    assert error <= TINY * abs(d2) / 2 + rounding(1.0) / TINY
    worst = max(abs(_forward(sigmoid, x, TINY) - exact(x)[1]) for x in np.linspace(-8, 8, 1601))
    assert 2.0e-3 <= worst <= 3.0e-3


def test_the_best_steps_at_x_1_as_the_text_says():
    _, d, d2, d3 = exact(1.0)
    r, r_c, m2, m3 = rounding(1.0), rounding(1.0, arguments=2), abs(d2), abs(d3)
    h_f, h_c = float(mpmath.sqrt(2 * r / m2)), float(mpmath.cbrt(3 * r_c / (2 * m3)))
    assert h_f == pytest.approx(6.4e-8, rel=0.01) and h_c == pytest.approx(2.1e-5, rel=0.02)
    bound_f, bound_c = float(mpmath.sqrt(2 * r * m2)), float(m3 * h_c**2 / 2)
    assert bound_f == pytest.approx(5.8e-9, rel=0.01)
    assert bound_c == pytest.approx(7.5e-12, rel=0.01)
    # Measured with numeric.sigmoid, the figure's function: inside the bounds, and the values
    # the text gives. (Truncation at these steps moves |sigma''| and |sigma'''| by under 1e-4
    # of themselves; the half of each bound to spare covers it.)
    forward = abs(_forward(sigmoid, 1.0, h_f) - d)
    central = abs((sigmoid(1.0 + h_c) - sigmoid(1.0 - h_c)) / (2 * h_c) - d)
    assert forward <= bound_f and central <= bound_c
    assert forward == pytest.approx(3.6e-9, rel=0.05)
    assert central == pytest.approx(3.8e-12, rel=0.05)
