"""Gradient descent on y = x^2 - 4x + 6: the iterates, their closed form, the rate condition."""

from fractions import Fraction

import numpy as np
import pytest
from sympy import Eq, Function, Integer, Rational, Subs, Symbol, rsolve, simplify

from derivations import get
from derivations.engine import canonical
from numeric.training import gradient_descent


def grad(x):
    return 2 * x - 4


def exact_iterates(lr: Fraction, x0: Fraction, steps: int) -> list[Fraction]:
    """The recurrence x <- x - lr (2x - 4) in exact rational arithmetic."""
    xs = [x0]
    for _ in range(steps):
        xs.append(xs[-1] - lr * (2 * xs[-1] - 4))
    return xs


def test_iterates_against_exact_arithmetic_and_the_closed_form():
    steps = 200
    got = gradient_descent(grad, 8.0, lr=0.1, steps=steps)
    assert got.shape == (steps + 1,) and got[0] == 8.0
    exact = exact_iterates(Fraction(1, 10), Fraction(8), steps)
    # x_n = 2 + 6 (4/5)^n: the derivation's result, here in exact arithmetic.
    assert all(x == 2 + 6 * Fraction(4, 5) ** n for n, x in enumerate(exact))
    # Each step rounds twice, at most one ULP of 8 in all, and the error contracts by 4/5
    # per step: it stays below 5 ULP of 8 (0.1 itself is 1/10 to 5.6e-18).
    worst = max(abs(float(Fraction(g) - e)) for g, e in zip(got, exact, strict=True))
    assert worst <= 5 * np.spacing(8.0)


def test_the_iterates_listed_in_the_question():
    np.testing.assert_allclose(
        gradient_descent(grad, 8.0, lr=0.1, steps=3), [8.0, 6.8, 5.84, 5.072], rtol=1e-15
    )


@pytest.mark.parametrize(
    ("lr", "behaviour"),
    [(0.1, "monotone"), (0.75, "alternating"), (1.0, "cycle"), (1.1, "diverges")],
)
def test_the_learning_rate_condition(lr, behaviour):
    # The derivation: x_n - 2 = (1 - 2 lr)^n (x_0 - 2), so |1 - 2 lr| < 1, 0 < lr < 1.
    distance = gradient_descent(grad, 8.0, lr=lr, steps=60) - 2
    if behaviour == "monotone":
        assert np.all(np.diff(distance) < 0) and distance[-1] < 1e-5
    elif behaviour == "alternating":
        assert np.all(np.sign(distance[1:11]) == [(-1) ** k for k in range(1, 11)])
        assert abs(distance[-1]) < 1e-15
    elif behaviour == "cycle":
        np.testing.assert_array_equal(distance[:5] + 2, [8.0, -4.0, 8.0, -4.0, 8.0])
    else:
        assert abs(distance[-1]) > 1e3 * abs(distance[0])


def as_fraction(value) -> Fraction:
    assert value.is_Rational, value
    return Fraction(int(value.p), int(value.q))


@pytest.mark.parametrize("lr", [Fraction(1, 4), Fraction(3, 10), Fraction(3, 4), Fraction(9, 10)])
def test_the_derivations_closed_form_is_what_gradient_descent_computes(lr):
    d = get("gradient-descent-quadratic")
    eta, x_0, n = d.symbols["eta"], d.symbols["x_0"], d.symbols["n"]
    (closed,) = {s.rhs for s in d.steps if s.lhs == d.symbols["x_n"] and eta in s.rhs.free_symbols}
    # The derivation's closed form for any rate is SymPy's own solution of the recurrence.
    f = Function("f")
    solved = rsolve(f(n + 1) - f(n) + eta * (2 * f(n) - 4), f(n), {f(0): x_0})
    assert simplify(solved - closed) == 0
    # And numeric.gradient_descent follows it, to rounding: each step rounds 2x - 4, lr (once,
    # to the nearest float), lr g and x - lr g, adding at most u (3 lr |g| + |x|), and
    # |1 - 2 lr| < 1 contracts every earlier error, so the total stays below that / (1 - rho).
    steps = 60
    got = gradient_descent(grad, 8.0, lr=float(lr), steps=steps)
    at = {eta: Rational(lr.numerator, lr.denominator), x_0: 8}
    exact = [as_fraction(closed.subs({**at, n: k}).doit()) for k in range(steps + 1)]
    assert exact == exact_iterates(lr, Fraction(8), steps)  # the closed form, step by step
    u = np.finfo(np.float64).eps / 2
    per_step = u * (3 * lr * max(abs(2 * x - 4) for x in exact) + max(abs(x) for x in exact))
    bound = float(per_step) / (1 - abs(1 - 2 * float(lr)))
    worst = max(abs(float(Fraction(g) - e)) for g, e in zip(got, exact, strict=True))
    assert worst <= bound, (worst, bound)


def test_derivation_verifies_and_states_the_closed_form():
    d = get("gradient-descent-quadratic")
    report = d.verify()
    # Every claim proven: the closed form by induction (base case, then n to n + 1), the
    # step-size rule through (1 - 2 eta)^2 - 1 = 4 eta (eta - 1), the one-step rate 1/2.
    assert report.numeric == 0, report.table()
    n = Symbol("n", integer=True, nonnegative=True)
    assert d.result == Eq(Symbol("x_n", real=True), 2 + 6 * Rational(4, 5) ** n)
    eta, x_n = d.symbols["eta"], d.symbols["x_n"]
    claims = {(canonical(s.lhs), canonical(s.rhs)) for s in d.steps if s.is_claim}
    assert ((1 - 2 * eta) ** 2 - 1, 4 * eta * (eta - 1)) in claims
    assert (Integer(2), Integer(2)) in claims  # x_n - (2 x_n - 4)/2, with eta = 1/2 = 1/f''
    kinds = [(s.kind, s.lhs) for s in d.steps]
    # The closed form is assumed at n (the induction hypothesis) only after its base case.
    assert kinds.index(("assumption", x_n)) > next(
        i for i, s in enumerate(d.steps) if isinstance(s.lhs, Subs)
    )


def test_the_display_reads_as_written():
    from derivations.render import derivation_latex, result_latex

    d = get("gradient-descent-quadratic")
    assert r"x_{n+1} &\mathrel{:=} x_{n} - \eta \left(2 x_{n} - 4\right)" in derivation_latex(d)
    assert result_latex(d) == r"x_{n} = 2 + 6 \left(\frac{4}{5}\right)^{n}"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"lr": "0.1"}, TypeError, "gradient_descent: lr must be a real number, got str"),
        ({"lr": np.nan}, ValueError, "gradient_descent: lr must be finite"),
        ({"lr": -0.1}, ValueError, "gradient_descent: lr must be positive"),
        ({"steps": 2.5}, TypeError, "gradient_descent: steps must be an integer, got 2.5"),
        ({"steps": -1}, ValueError, "gradient_descent: steps must be a non-negative integer"),
        ({"x0": np.ma.array([1.0], mask=[1])}, TypeError, "gradient_descent: x0 is a masked"),
    ],
)
def test_bad_arguments_name_the_parameter(kwargs, error, match):
    arguments = {"x0": 8.0, "lr": 0.1, "steps": 3, **kwargs}
    with pytest.raises(error, match=match):
        gradient_descent(grad, **arguments)
