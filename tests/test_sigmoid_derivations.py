"""The derivations about the sigmoid itself: each verifies, and states the documented result."""

import pytest
from sympy import Derivative, Eq, Rational, Subs, Symbol, exp, log, tanh

import derivations
from derivations import get, sigmoid
from derivations.topics.sigmoid import kernels

z = Symbol("z", real=True)
p = Symbol("p", positive=True)
a = Symbol("a", positive=True)

SLUGS = [
    "sigmoid-two-forms",
    "sigmoid-symmetry",
    "sigmoid-derivative",
    "sigmoid-tanh",
    "logit-inverse",
    "derivative-from-output",
    "stable-forms",
]


@pytest.mark.parametrize("slug", SLUGS)
def test_each_derivation_verifies_and_sympy_proves_every_claim(slug):
    report = get(slug).verify()
    assert report.numeric == 0, report.table()
    assert report.proven >= 2


def test_catalog_order_and_lookup():
    slugs = list(derivations.catalog())
    assert slugs[: len(SLUGS)] == SLUGS
    with pytest.raises(KeyError, match="no derivation 'nope'; known slugs: sigmoid-two-forms"):
        get("nope")


@pytest.mark.parametrize(
    ("slug", "result"),
    [
        ("sigmoid-two-forms", Eq(sigmoid(z), exp(z) / (exp(z) + 1))),
        ("sigmoid-symmetry", Eq(sigmoid(-z), 1 - sigmoid(z))),
        ("sigmoid-derivative", Eq(Derivative(sigmoid(z), z), sigmoid(z) * (1 - sigmoid(z)))),
        ("sigmoid-tanh", Eq(tanh(z), 2 * sigmoid(2 * z) - 1)),
        ("logit-inverse", Eq(derivations.logit(p), log(p / (1 - p)))),
        ("derivative-from-output", Eq(Derivative(sigmoid(z), z), a * (1 - a))),
    ],
)
def test_results_are_the_documented_sympy_objects(slug, result):
    assert get(slug).result == result
    assert list(get(slug).symbols) == sorted(get(slug).symbols)


def test_derivative_from_output_shows_the_two_misuses_with_counterexamples():
    report = get("derivative-from-output").verify()
    misuses = [
        r
        for r, s in zip(report.steps, get("derivative-from-output").steps, strict=True)
        if s.relation == "!="
    ]
    assert len(misuses) == 2
    assert all("counterexample at z = 0" in r.method for r in misuses)


def test_the_derivative_peaks_at_a_quarter():
    steps = get("sigmoid-derivative").steps
    quarter = Rational(1, 4)
    assert any(s.relation == "<=" and s.rhs == quarter for s in steps)
    at_zero = Subs(Derivative(sigmoid(z), z), z, 0)
    assert any(s.lhs == at_zero and s.rhs == quarter for s in steps)


def test_stable_forms_are_the_textbook_functions_and_numeric_evaluates_them():
    # Each claim of stable-forms, read from the derivation (not from the table it was built
    # from): its right-hand side, evaluated by mpmath at 50 digits, is the textbook function
    # typed here, in both tails (at 400 digits: ln(1 + e^-700) needs 304 just to see e^-700);
    # and numeric's function of that name is within 4 ULP of it.
    import mpmath
    import numpy as np
    from sympy import lambdify

    import numeric
    from tests.reference import ulp_error

    textbook = {
        sigmoid(z): (lambda t: 1 / (1 + mpmath.exp(-t)), numeric.sigmoid),
        (1 - sigmoid(z)) * sigmoid(z): (
            lambda t: mpmath.exp(-t) / (1 + mpmath.exp(-t)) ** 2,
            numeric.sigmoid_derivative,
        ),
        log(sigmoid(z)): (lambda t: -mpmath.log(1 + mpmath.exp(-t)), numeric.log_sigmoid),
        log(exp(z) + 1): (lambda t: mpmath.log(1 + mpmath.exp(t)), numeric.softplus),
        derivations.logit(p): (lambda q: mpmath.log(q / (1 - q)), numeric.logit),
    }
    zs = np.array([-700.0, -30.0, -1.0, -1e-3, 0.0, 1e-3, 2.0, 30.0, 700.0])
    ps = np.array([1e-300, 1e-5, 0.2, 0.25, 0.5 - 1e-9, 0.5, 0.7, 1 - 1e-12])
    d = get("stable-forms")
    seen = set()
    for claim in [*d.steps, d.result]:
        if claim.lhs not in textbook:
            continue
        seen.add(claim.lhs)
        want, function = textbook[claim.lhs]
        (symbol,) = claim.rhs.free_symbols
        stable = lambdify(symbol, claim.rhs, "mpmath")
        points = zs if symbol == z else ps
        with mpmath.workdps(400):
            exact = [want(mpmath.mpf(point)) for point in points]
        with mpmath.workdps(50):
            for point, value in zip(points, exact, strict=True):
                assert abs(stable(mpmath.mpf(point)) - value) <= mpmath.mpf(10) ** -45 * abs(value)
        rounded = np.array([float(value) for value in exact])
        assert np.max(ulp_error(function(points), rounded)) <= 4, claim.lhs
    assert seen == set(textbook)
    specs = {k.name: k for k in kernels()}
    rhs = [s.rhs for s in d.steps]
    for spec in specs.values():
        assert spec.stable in rhs
    # The textbook side of the derivative's stable form is the sigmoid-derivative result.
    assert specs["sigmoid_derivative"].textbook == get("sigmoid-derivative").result.rhs


LATEX_TWO_FORMS = r"""\begin{align*}
\sigma\left(z\right) &= \frac{1}{1 + e^{- z}} \tag*{\small definition of the logistic sigmoid\quad $\mathsf{S}$} \\
 &= \frac{e^{z}}{\left(1 + e^{- z}\right) e^{z}} \tag*{\small multiply numerator and denominator by $e^{z}$\quad $\mathsf{S}$} \\
 &= \frac{e^{z}}{e^{z} + 1} \tag*{\small distribute: $e^{-z} e^{z} = 1$\quad $\mathsf{S}$}
\end{align*}"""


def test_latex_snapshot_of_the_two_forms():
    d = get("sigmoid-two-forms")
    assert d.to_latex(d.verify()) == LATEX_TWO_FORMS
