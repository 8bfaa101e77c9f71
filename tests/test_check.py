r"""derivations.check: true rewrites are accepted, real slips are caught, with usable messages.

Every counterexample is re-evaluated here by an independent route: the two
formulas written out with mpmath in the test, at the reported point.
"""

import re
from pathlib import Path

import mpmath
import pytest
from sympy import Derivative, Eq, Float, Interval, Matrix, Symbol, exp, log, pretty, sqrt, symbols

import derivations
from derivations import Derivation, check, define, sigmoid, step
from derivations.check import Counterexample, ParseError, Verdict

# Module-level symbols, made once: SymPy caches expressions, and symbols re-created after
# its cache has evicted them are equal but not identical objects, which tests elsewhere see.
z, x, w, b, y = symbols("z x w b y", real=True)
a = Symbol("a", positive=True)
C = Symbol("C", real=True)
SIGMA = sigmoid(z)


def mp_sigmoid(u):
    return 1 / (1 + mpmath.exp(-u))


# --------------------------------------------------------------------------- the sigmoid


@pytest.mark.parametrize(
    "candidate",
    [
        "exp(z)/(1 + exp(z))",
        r"\frac{e^{z}}{1+e^{z}}",
        "(1 + tanh(z/2))/2",
        r"\frac{1}{2}\left(1 + \tanh\frac{z}{2}\right)",
        "1 - sigma(-z)",
        r"1 - \sigma(-z)",
        "1/(1 + e**-z)",
        r"\frac{1}{1 + \exp(-z)}",
        "sigmoid(z)",
        exp(z) / (exp(z) + 1),
    ],
)
def test_true_rewrites_of_the_sigmoid_are_equal(candidate):
    verdict = check.equivalent(candidate, SIGMA)
    assert verdict.equal and verdict.proven
    assert verdict.points >= check.POINTS
    assert verdict.counterexample is None


# (candidate, mpmath formula of the candidate): the formula is an independent statement
# of what the candidate string means, used to re-evaluate the counterexample.
SIGMOID_SLIPS = [
    ("1/(1 + exp(z))", lambda z: 1 / (1 + mpmath.exp(z))),  # the flipped sign of a popular answer
    (r"\frac{1}{1+e^{z}}", lambda z: 1 / (1 + mpmath.exp(z))),
    ("exp(-z)/(1 + exp(-z))", lambda z: mpmath.exp(-z) / (1 + mpmath.exp(-z))),
    ("2*sigmoid(z)", lambda z: 2 * mp_sigmoid(z)),
    ("sigmoid(z) + 1e-9", lambda z: mp_sigmoid(z) + mpmath.mpf("1e-9")),
    ("(1 + tanh(z))/2", lambda z: (1 + mpmath.tanh(z)) / 2),
]


@pytest.mark.parametrize(("candidate", "formula"), SIGMOID_SLIPS)
def test_slips_are_caught_with_a_true_counterexample(candidate, formula):
    verdict = check.equivalent(candidate, SIGMA)
    assert not verdict.equal and not verdict.proven
    c = verdict.counterexample
    assert set(c.point) == {"z"}
    with mpmath.workdps(50):
        at = c.point["z"]
        assert mpmath.almosteq(c.candidate, formula(at), rel_eps=mpmath.mpf(10) ** -40)
        assert mpmath.almosteq(c.reference, mp_sigmoid(at), rel_eps=mpmath.mpf(10) ** -40)
        assert not mpmath.almosteq(c.candidate, c.reference, rel_eps=mpmath.mpf(10) ** -12)


def test_a_difference_of_one_part_in_a_billion_is_caught():
    assert not check.equivalent(SIGMA * (1 + Float("1e-9")), SIGMA).equal
    assert not check.equivalent("sigmoid(z)*(1 + 10**-9)", SIGMA).equal


def test_floats_are_exact_decimals():
    assert check.equivalent("0.5*x", x / 2).proven
    assert check.equivalent(Float(0.5) * x, "x/2").proven
    assert check.equivalent(0.1, "1/10").proven
    # 1/3 is not 0.3333333333: the tight tolerance sees it
    assert not check.equivalent("0.3333333333*x", x / 3).equal


# --------------------------------------------------------------------------- domains


def test_sqrt_of_a_square_is_the_symbol_only_for_a_positive_symbol():
    s_positive = Symbol("s", positive=True)
    s_real = Symbol("s", real=True)
    verdict = check.equivalent("sqrt(s**2)", s_positive)
    assert verdict.equal and verdict.proven
    verdict = check.equivalent("sqrt(s**2)", s_real)
    assert not verdict.equal
    c = verdict.counterexample
    assert c.point["s"] < 0
    assert c.candidate == -c.point["s"] and c.reference == c.point["s"]
    # the same in LaTeX, and with the reference as a string and symbols= giving assumptions
    assert not check.equivalent(r"\sqrt{s^2}", s_real).equal
    assert check.equivalent("sqrt(s**2)", "s", symbols=[s_positive]).equal
    assert not check.equivalent("sqrt(s**2)", "s").equal  # a string's names are real


def test_a_plain_symbol_is_the_references_symbol_of_that_name():
    plain = Symbol("s")  # no assumptions: the reference's s (positive) is meant
    s_positive = Symbol("s", positive=True)
    verdict = check.equivalent(sqrt(plain**2), s_positive)
    assert verdict.equal
    assert verdict.candidate == s_positive


def test_domains_restrict_the_sampling():
    p = Symbol("p", real=True)
    # log(p**2) = 2 log(p) only for p > 0
    assert not check.equivalent("log(p**2)", 2 * log(p)).equal
    assert check.equivalent("log(p**2)", 2 * log(p), domains={"p": Interval.open(0, 1)}).equal


def test_formulas_undefined_at_every_point_are_not_called_equal():
    u = Symbol("u", positive=True)
    verdict = check.equivalent("log(-u)", "log(-u)", symbols=[u])
    assert not verdict.equal
    assert "only 0 points could be evaluated, 30 random ones are needed" in verdict.method


# --------------------------------------------------------------------------- derivations


def test_a_derivation_means_its_results_right_hand_side():
    d = derivations.get("sigmoid-derivative")
    assert check.equivalent(r"\frac{e^{-z}}{\left(1 + e^{-z}\right)^{2}}", d).proven
    # x(1 - x) handed the input, not the output
    verdict = check.equivalent("z*(1 - z)", d)
    assert not verdict.equal
    c = verdict.counterexample
    with mpmath.workdps(50):
        assert mpmath.almosteq(c.candidate, c.point["z"] * (1 - c.point["z"]), rel_eps=1e-40)


def test_a_derivation_brings_its_definitions():
    # derivative-from-output defines a := sigma(z): a*(1 - a) may be written either way
    d = derivations.get("derivative-from-output")
    assert check.equivalent("a*(1 - a)", d).equal
    assert check.equivalent("sigmoid(z)*(1 - sigmoid(z))", d).equal
    assert not check.equivalent("z*(1 - z)", d).equal
    assert not check.equivalent("sigmoid(a)*(1 - sigmoid(a))", d).equal


def _bce() -> Derivation:
    # A small stand-in for the loss derivations: the BCE gradient of one sigmoid neuron.
    return Derivation(
        "bce-test",
        "BCE gradient",
        (
            define(z, w * x + b, "weighted input"),
            define(a, sigmoid(z), "output"),
            define(C, -(y * log(a) + (1 - y) * log(1 - a)), "binary cross-entropy"),
            step(Derivative(C, w), (a - y) * x, "chain rule"),
            step(Derivative(C, b), a - y, "chain rule"),
        ),
        result=Eq(
            Matrix([Derivative(C, w), Derivative(C, b)]),
            Matrix([(sigmoid(w * x + b) - y) * x, sigmoid(w * x + b) - y]),
        ),
        domains={y: Interval(0, 1)},
    )


BCE_ACCEPTED = [
    "(sigmoid(w*x + b) - y)*x",
    "(a - y)*x",
    "x*a - x*y",
    r"\left(\sigma(wx+b) - y\right) x",
    r"(a - y) \cdot x",
    r"\left(\frac{1}{1+e^{-(wx+b)}} - y\right)x",
]

BCE_SLIPS = [
    "sigmoid(w*x + b) - y",  # the input factor dropped
    "2*(a - y)*x",  # a factor of two
    "(a - y)*a*(1 - a)*x",  # the MSE gradient's sigma'(z) kept
    "(y - a)*x",  # the sign
    r"\left(\frac{1}{1+e^{wx+b}} - y\right)x",  # the flipped exponent
]


@pytest.mark.parametrize("candidate", BCE_ACCEPTED)
def test_bce_gradient_rewrites_are_equal(candidate):
    assert check.equivalent(candidate, _bce(), component=0).equal


@pytest.mark.parametrize("candidate", BCE_SLIPS)
def test_bce_gradient_slips_are_caught(candidate):
    verdict = check.equivalent(candidate, _bce(), component=0)
    assert not verdict.equal
    point = verdict.counterexample.point
    assert set(point) == {"b", "w", "x", "y"}
    assert 0 <= point["y"] <= 1  # the derivation's domain for the target
    with mpmath.workdps(50):
        want = (mp_sigmoid(point["w"] * point["x"] + point["b"]) - point["y"]) * point["x"]
        assert mpmath.almosteq(verdict.counterexample.reference, want, rel_eps=1e-40)


def test_a_matrix_result_compares_a_component_or_the_whole_matrix():
    d = _bce()
    assert check.equivalent("a - y", d, component=1).equal
    whole = Matrix([(sigmoid(w * x + b) - y) * x, sigmoid(w * x + b) - y])
    assert check.equivalent(whole, d).equal
    assert not check.equivalent(Matrix([whole[0], 2 * whole[1]]), d).equal
    with pytest.raises(ValueError, match=r"pass component=0\.\.1"):
        check.equivalent("(a - y)*x", d)
    with pytest.raises(ValueError, match="components 0 to 1"):
        check.equivalent("(a - y)*x", d, component=2)
    with pytest.raises(ValueError, match="not a matrix"):
        check.equivalent("x", SIGMA, component=0)


def test_the_catalogs_bce_gradient():
    d = derivations.get("bce-gradient")
    assert check.equivalent("(sigmoid(w*x + b) - y)*x", d.result.rhs[0]).equal
    assert check.equivalent("(a - y)*x", d, component=0).equal
    assert not check.equivalent("sigmoid(w*x + b) - y", d, component=0).equal
    with pytest.raises(ParseError, match="unknown name 'a'"):
        check.equivalent("(a - y)*x", d.result.rhs[0])  # a plain expression has no a


def test_the_catalogs_gaussian_posterior():
    d = derivations.get("gaussian-posterior")
    bayes = (
        r"\frac{\pi_1 e^{-\frac{(x-\mu_1)^2}{2 s^2}}}"
        r"{\pi_1 e^{-\frac{(x-\mu_1)^2}{2 s^2}} + \pi_0 e^{-\frac{(x-\mu_0)^2}{2 s^2}}}"
    )
    assert check.equivalent(bayes, d).equal
    swapped = bayes.replace(r"\pi_0 e", r"\pi_1 e", 1).replace(r"\pi_1 e", r"\pi_0 e", 1)
    assert not check.equivalent(swapped, d).equal


# --------------------------------------------------------------------------- names


def test_unknown_names_are_an_error_listing_the_known_ones():
    with pytest.raises(ParseError, match=r"unknown name 'q'; known symbols: z;"):
        check.equivalent("q*z", SIGMA)
    with pytest.raises(ParseError, match=r"unknown name 'q'"):
        check.equivalent(r"q \sigma(z)", SIGMA)


def test_symbols_declares_extra_names():
    q = Symbol("q", real=True)
    verdict = check.equivalent("sigmoid(z) + q - q", SIGMA, symbols=[q])
    assert verdict.equal
    assert check.equivalent("sigmoid(z) + q - q", SIGMA, symbols={"q": q}).equal
    with pytest.raises(ValueError, match="other assumptions"):
        check.equivalent("z", z, symbols=[Symbol("z", positive=True)])
    with pytest.raises(TypeError, match="symbols="):
        check.equivalent("z", z, symbols=["z"])


def test_names_that_mpmath_uses_are_ordinary_symbols():
    # lambdify's namespace holds mpmath's names (mpf, beta, ...): a symbol may still have one
    assert check.equivalent("mpf/2 + beta", "0.5*mpf + beta").equal
    assert not check.equivalent("mpf/2", "mpf/3").equal


def test_syntax_can_be_forced():
    assert check.equivalent("e^{z}/(1 + e^{z})", SIGMA, syntax="latex").equal
    with pytest.raises(ParseError, match="exclusive-or"):
        check.equivalent("e^{z}/(1 + e^{z})", SIGMA)
    with pytest.raises(ValueError, match="syntax must be"):
        check.equivalent("z", z, syntax="mathml")


def test_bad_inputs_are_type_errors():
    with pytest.raises(TypeError, match="relation"):
        check.equivalent(Eq(z, 1), z)
    with pytest.raises(TypeError, match="Derivation"):
        check.equivalent(derivations.get("sigmoid-derivative"), z)
    with pytest.raises(TypeError, match="list"):
        check.equivalent([z], z)
    with pytest.raises(ValueError, match="at least 30"):
        check.equivalent(z, z, points=10)


def test_parse_shows_how_a_string_is_read():
    assert check.parse(r"\frac{1}{1+e^{-z}}", SIGMA) == 1 / (1 + exp(-z))
    assert check.parse("sigma(z)", SIGMA) == SIGMA


# --------------------------------------------------------------------------- reporting


def test_a_verdict_says_what_decided():
    verdict = check.equivalent("exp(z)/(1 + exp(z))", SIGMA)
    assert isinstance(verdict, Verdict) and bool(verdict)
    assert str(verdict) == (
        f"equal: proven by SymPy (cancel) and checked at {verdict.points} points ({verdict.plan})"
    )
    # 30 random points, then the 17 rungs of the ladder (0, +-1, +-10**k for k = -9..3)
    assert verdict.plan.startswith("30 random points in the domains, 17 on the ladder")
    assert verdict.points == 47
    verdict = check.equivalent("1/(1 + exp(z))", SIGMA)
    assert not verdict
    assert isinstance(verdict.counterexample, Counterexample)
    assert str(verdict).startswith("NOT equal: at z = ")
    assert "mpmath at 50 digits, point 1: a random point in the domains" in str(verdict)


def test_the_assertion_message_shows_both_formulas_the_point_and_both_values():
    with pytest.raises(AssertionError) as caught:
        check.assert_equivalent("1/(1 + exp(z))", SIGMA)
    message = str(caught.value)
    verdict = check.equivalent("1/(1 + exp(z))", SIGMA)
    c = verdict.counterexample
    candidate = "\n".join(
        "    " + line for line in pretty(verdict.candidate, use_unicode=False).splitlines()
    )
    assert "------" in candidate  # pretty-printed: a fraction over three lines
    assert f"candidate:\n{candidate}\nreference:\n    sigmoid(z)\n" in message
    assert f"they differ at z = {mpmath.nstr(c.point['z'], 15)}:" in message
    assert f"candidate = {mpmath.nstr(c.candidate, 15)}" in message
    assert f"reference = {mpmath.nstr(c.reference, 15)}" in message
    decided = "decided by the numeric check (mpmath at 50 digits, point 1: a random point in"
    assert decided in message


def test_assert_equivalent_passes_quietly_for_equal_formulas():
    assert check.assert_equivalent("(1 + tanh(z/2))/2", SIGMA) is None


def test_a_hard_identity_is_decided_by_the_numbers_when_sympy_has_no_proof():
    u = Symbol("u", positive=True)
    hard = "(sqrt(u) + 1)**8 - (u + 2*sqrt(u) + 1)**4 + exp(log(u)) - u + sigmoid(u)"
    verdict = check.equivalent(hard, sigmoid(u))
    assert verdict.equal


def test_the_package_exposes_check():
    import derivations as package

    assert package.check is check
    assert "check" in package.__all__


def test_the_readme_section_runs_as_a_doctest():
    readme = Path(__file__).resolve().parent.parent / "README.md"
    text = readme.read_text()
    match = re.search(r"^## Check your own derivation\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match is not None, "the README has no section 'Check your own derivation'"
    import doctest

    parser = doctest.DocTestParser()
    test = parser.get_doctest(match.group(1), {}, "README", str(readme), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0 and runner.tries > 0
