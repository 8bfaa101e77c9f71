"""Gradient descent on a parabola: the iterates in closed form and the step-size rule."""

from __future__ import annotations

from sympy import (
    Derivative,
    Eq,
    Expr,
    Function,
    Integer,
    Rational,
    Subs,
    Symbol,
    rsolve,
)

from derivations.engine import Derivation, assume, canonical, define, step
from derivations.notation import product_of, sum_of

__all__ = ["derivations", "gradient_descent_quadratic"]

x = Symbol("x", real=True)  # the point that gradient descent moves


def gradient_descent_quadratic() -> Derivation:
    """Gradient descent quadratic.

    Long because it lists the derivation's steps in reading order, one claim per line; splitting
    it would scatter one argument.
    """
    f = Symbol("f", real=True)
    eta = Symbol("eta", positive=True)
    x0 = Symbol("x_0", real=True)
    n = Symbol("n", integer=True, nonnegative=True)
    xn = Symbol("x_n", real=True)
    xnext = Symbol("x_{n+1}", real=True)
    g = Function("g")
    solved = rsolve(g(n + 1) - (g(n) - eta * (2 * g(n) - 4)), g(n), {g(0): x0})

    def closed(k: Expr) -> Expr:
        return sum_of(Integer(2), product_of((1 - 2 * eta) ** k, x0 - 2))

    if (solved - canonical(closed(n))).expand() != 0:  # pragma: no cover (a SymPy regression)
        raise AssertionError(f"rsolve returned {solved}, expected {closed(n)}")
    example = sum_of(Integer(2), product_of(6, Rational(4, 5) ** n))
    return Derivation(
        "gradient-descent-quadratic",
        "Gradient descent on a parabola: the closed form and the step-size rule",
        (
            define(f, x**2 - 4 * x + 6, "the function to minimise"),
            step(f, sum_of((x - 2) ** 2, 2), "its minimum is 2, at $x = 2$"),
            step(Derivative(x**2 - 4 * x + 6, x), 2 * x - 4, "the gradient $f'(x)$"),
            step(
                Derivative(x**2 - 4 * x + 6, (x, 2)),
                2,
                "the curvature $f''$, the same at every $x$",
            ),
            define(
                xnext, sum_of(xn, -eta * (2 * xn - 4)), "one step from $x_n$, learning rate $\\eta$"
            ),
            step(
                sum_of(xnext, -2),
                product_of(1 - 2 * eta, xn - 2),
                "so each step multiplies the distance to 2 by $1 - \\eta f'' = 1 - 2\\eta$",
            ),
            step(
                sum_of(xn, -product_of(Rational(1, 2), 2 * xn - 4)),
                2,
                "with $\\eta = 1/2 = 1/f''$ one step lands on the minimum, from any $x_n$",
            ),
            step(Subs(closed(n), n, 0), x0, "the closed form for $x_n$ holds at $n = 0$"),
            assume(xn, closed(n), "suppose it holds at $n$"),
            step(xnext, closed(n + 1), "then at $n + 1$: by induction, at every $n$"),
            step(
                sum_of((1 - 2 * eta) ** 2, -1),
                product_of(4, eta, eta - 1),
                "$x_n$ converges iff $\\lvert 1 - 2\\eta\\rvert < 1$, iff this is negative: "
                "iff $0 < \\eta < 1$",
            ),
            assume(x0, 8, "the start of the example"),
            assume(eta, Rational(1, 10), "the learning rate of the example"),
            step(xn, example, "$x_0 - 2 = 6$ and $1 - 2\\eta = 4/5$"),
        ),
        result=Eq(xn, example, evaluate=False),
        intro=(
            "Gradient descent on $f(x) = x^2 - 4x + 6$ moves against the slope $f'(x)$ with "
            "a learning rate $\\eta > 0$: $x_{n+1} = x_n - \\eta f'(x_n)$. The lines derive "
            "the iterates in closed form, $x_n = 2 + (1 - 2\\eta)^n (x_0 - 2)$, by induction "
            "on $n$, and the rule for the learning rate; then they follow the example that "
            "starts at $x_0 = 8$ with $\\eta = 0.1$. Here $x$ is the variable of $f$, not a "
            "neuron's input, and $n$ counts the steps."
        ),
        reading=(
            "The closed form solves the recurrence, as the induction shows. From $x_0 = 8$ it "
            "is $x_n = 2 + 6(1 - 2\\eta)^n$, and with "
            "$\\eta = 0.1$ each step multiplies the distance to the minimum by $0.8$: "
            "$x_1 = 6.8$, $x_2 = 5.84$, $x_3 = 5.072$, and after 50 steps the distance is "
            "$6 \\cdot 0.8^{50} \\approx 8.6 \\cdot 10^{-5}$. The iterates converge exactly "
            "when $\\lvert 1 - \\eta f''\\rvert < 1$, that is for $0 < \\eta < 2/f'' = 1$: "
            "$(1 - 2\\eta)^2 - 1 = 4\\eta(\\eta - 1)$ is negative exactly there. At "
            "$\\eta = 1/2 = 1/f''$ the first step lands on the minimum. For $\\eta$ between "
            "$1/2$ and 1 the iterates overshoot and alternate about 2 but still converge; at "
            "$\\eta = 1$ they jump between 8 and $-4$ forever, and beyond 1 they diverge. "
            "The same holds for any parabola, with its own $f''$: near a minimum, where $f$ "
            "is close to a parabola, the rule $\\eta < 2/f''$ still decides."
        ),
    )


def derivations() -> list[Derivation]:
    """The derivations of this topic, in reading order."""
    return [gradient_descent_quadratic()]
