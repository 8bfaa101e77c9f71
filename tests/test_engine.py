"""The derivation engine: steps, chains, definitions, verification, failures, rendering."""

import time

import pytest
from sympy import (
    Derivative,
    Eq,
    FiniteSet,
    Interval,
    Matrix,
    Rational,
    Symbol,
    acos,
    asin,
    exp,
    log,
    oo,
    pi,
    sqrt,
)

import derivations.verify as verify_module
import derivations.verify.symbolic as symbolic_module
from derivations import (
    Derivation,
    DerivationError,
    assume,
    check_claim,
    define,
    sigmoid,
    step,
    substitute,
    then,
)
from derivations.render import visible_width

x = Symbol("x", real=True)
z = Symbol("z", real=True)
w = Symbol("w", real=True)
b = Symbol("b", real=True)
y = Symbol("y", real=True)
s = Symbol("s", positive=True)
a = Symbol("a")
C = Symbol("C")
u = Symbol("u")


def two_forms(last=None):
    return Derivation(
        "two-forms",
        "Two forms",
        [
            step(sigmoid(z), 1 / (1 + exp(-z)), "definition"),
            then(last if last is not None else exp(z) / (exp(z) + 1), "multiply by $e^{z}$"),
        ],
    )


def test_a_correct_chain_is_proven_and_the_result_defaults_to_the_chain():
    d = two_forms()
    assert d.result == Eq(sigmoid(z), exp(z) / (exp(z) + 1))
    report = d.verify()
    assert report.proven == 3 and report.numeric == 0
    assert [r.status for r in report.steps] == ["proven", "proven"]
    assert d.steps[1].continues and d.steps[1].lhs == d.steps[0].rhs


def test_a_wrong_step_is_caught_and_named_with_a_counterexample():
    # The sign slip of a popular answer: 1/(1 + e^z) is not the sigmoid.
    d = two_forms(last=1 / (1 + exp(z)))
    with pytest.raises(DerivationError, match=r"two-forms: step 2 does not hold") as caught:
        d.verify()
    error = caught.value
    assert error.slug == "two-forms" and error.step == 2
    point = error.counterexample.point
    assert set(point) == {"z"} and point["z"] != 0
    # The counterexample's values really differ there (checked independently).
    value = float(point["z"])
    assert abs(float(error.counterexample.lhs) - 1 / (1 + 2.718281828459045**-value)) < 1e-12
    assert abs(float(error.counterexample.lhs) - float(error.counterexample.rhs)) > 1e-3


def test_a_wrong_result_is_caught_as_step_zero():
    d = Derivation(
        "bad-result",
        "Bad result",
        [step(sigmoid(z), 1 / (1 + exp(-z)), "definition")],
        result=Eq(sigmoid(z), 2 / (1 + exp(-z))),
    )
    with pytest.raises(DerivationError, match="the stated result does not hold") as caught:
        d.verify()
    assert caught.value.step == 0


def test_a_true_step_sympy_cannot_prove_is_labelled_numeric():
    # arccos + arcsin = pi/2 on [-1, 1]: true, but none of the engine's strategies proves it.
    d = Derivation(
        "arcs", "Arcs", [step(acos(x / 5) + asin(x / 5), pi / 2, "complementary angles")]
    )
    report = d.verify()
    assert report.steps[0].status == "numeric"
    assert report.steps[0].method.startswith("mpmath, 50 digits")
    assert report.steps[0].mark == "N"


def test_without_time_for_proofs_every_claim_is_numeric():
    report = two_forms().verify(time_limit_s=0)
    assert report.proven == 0 and report.numeric == 3


def test_a_hard_proof_attempt_is_cut_off_by_the_time_limit(monkeypatch):
    def endless(expression):
        while True:
            time.sleep(0.01)

    monkeypatch.setattr(symbolic_module, "_CHEAP_STRATEGIES", (("endless", endless),))
    start = time.perf_counter()
    check = check_claim(sigmoid(z), exp(z) / (1 + exp(z)), time_limit_s=0.3)
    assert time.perf_counter() - start < 3
    assert check.holds and not check.proven


def test_definitions_give_the_chain_rule_its_meaning():
    # C = (a - y)^2/2, a = sigma(z), z = w x + b: dC/dw = dC/da * da/dz * dz/dw.
    d = Derivation(
        "chain",
        "Chain rule",
        [
            define(z, w * x + b),
            define(a, sigmoid(z)),
            define(C, (a - y) ** 2 / 2),
            step(
                Derivative(C, w),
                Derivative(C, a) * Derivative(a, z) * Derivative(z, w),
                "chain rule",
            ),
            then((a - y) * sigmoid(z) * (1 - sigmoid(z)) * x, "each factor"),
        ],
    )
    report = d.verify()
    assert [r.status for r in report.steps] == ["given"] * 3 + ["proven", "proven"]
    # Dropping the input factor x is caught.
    wrong = Derivation("chain", "Chain", [*d.steps[:3], step(Derivative(C, w), (a - y), "slip")])
    with pytest.raises(DerivationError, match="step 4"):
        wrong.verify()


def test_a_substitution_holds_for_later_steps_but_not_for_the_result():
    d = Derivation(
        "peak",
        "Peak",
        [
            step(Derivative(sigmoid(z), z), sigmoid(z) * (1 - sigmoid(z)), "derivative"),
            substitute(z, 0, "at the origin"),
            step(Derivative(sigmoid(z), z), Rational(1, 4), "the maximum"),
        ],
        result=Eq(Derivative(sigmoid(z), z), sigmoid(z) * (1 - sigmoid(z))),
    )
    report = d.verify()
    assert report.steps[1].status == "given" and report.steps[2].status == "proven"
    assert report.result.status == "proven"  # the general statement, without z = 0


def test_assumptions_equality_inequality_and_finite_sets():
    k = Symbol("k", real=True)
    d = Derivation(
        "assumed",
        "Assumed",
        [
            assume(k, 1 - y, "the labels sum to one"),
            step(k + y, 1, "by the assumption"),
            assume(x, 0, "positive inputs", relation=">"),
            step(sqrt(x**2), x, "x is positive"),
            assume(y, FiniteSet(0, 1), "a binary label", relation="in"),
            step(y**2, y, "0 and 1 are their own squares"),
        ],
        result=Eq(y**2, y),
    )
    report = d.verify()
    assert [r.status for r in report.steps[1::2]] == ["proven", "numeric", "proven"]
    # Without the inequality, sqrt(x^2) = x is false for negative x.
    with pytest.raises(DerivationError):
        Derivation("no", "No", [step(sqrt(x**2), x, "false for x < 0")]).verify()


def test_inequalities_limits_and_counterexample_claims():
    d = Derivation(
        "misc",
        "Misc",
        [
            step(sigmoid(z) * (1 - sigmoid(z)), Rational(1, 4), "never above a quarter", "<="),
            step(z * (1 - z), Derivative(sigmoid(z), z), "not the derivative", "!="),
            step(sigmoid(z).rewrite(exp).limit(z, oo), 1, "the upper limit"),
        ],
    )
    report = d.verify()
    assert all(r.status == "proven" for r in report.steps)
    assert "counterexample" in report.steps[1].method
    with pytest.raises(DerivationError, match="no point where the two sides differ"):
        Derivation("same", "Same", [step(sigmoid(-z), 1 - sigmoid(z), "equal", "!=")]).verify()


def test_matrix_results_are_checked_entrywise():
    d = Derivation(
        "gradient",
        "Gradient",
        [
            step(
                Matrix(
                    [Derivative(log(1 + exp(w * x + b)), w), Derivative(log(1 + exp(w * x + b)), b)]
                ),
                Matrix([sigmoid(w * x + b) * x, sigmoid(w * x + b)]),
                "chain rule",
            )
        ],
    )
    report = d.verify()
    assert report.steps[0].status == "proven"
    assert report.steps[0].method.startswith("entrywise")


def test_domains_restrict_sampling():
    p = Symbol("p", real=True)
    d = Derivation(
        "odds",
        "Odds",
        [step(log(p / (1 - p)), log(p) - log(1 - p), "log of a ratio")],
        domains={p: Interval.open(0, 1)},
    )
    assert d.verify().steps[0].points >= verify_module.DEFAULT_POINTS


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Derivation("e", "E", []), "has no steps"),
        (lambda: Derivation("t", "T", [then(z, "no chain to continue")]), "continues a chain"),
        (lambda: step(z, z, "x", relation="=="), "relation must be one of"),
        (lambda: define(z + 1, z, "x"), "names a Symbol"),
        (lambda: step(z, z, "  "), "needs a justification"),
        (lambda: step("exp(z)", z, "strings"), "not the string"),
        (
            lambda: Derivation("sp", "Sp", [substitute(z, 0, "z = 0"), step(z, 0, "zero")]),
            "ends in a special case",
        ),
    ],
)
def test_malformed_derivations_are_refused(build, message):
    with pytest.raises((ValueError, TypeError), match=message):
        build()


def test_symbols_by_name_sorted():
    d = Derivation("chain", "C", [define(z, w * x + b), step(sigmoid(z), sigmoid(w * x + b), "z")])
    assert list(d.symbols) == ["b", "w", "x", "z"]
    assert d.symbols["w"] == w


LATEX = r"""\begin{align*}
\sigma\left(z\right) &= \frac{1}{1 + e^{- z}} \tag*{\small definition} \\
 &= \frac{e^{z}}{e^{z} + 1} \tag*{\small multiply by $e^{z}$}
\end{align*}"""

MARKDOWN = r"""$$
\begin{aligned}
\sigma\left(z\right) &= \frac{1}{1 + e^{- z}} && \text{definition} & \mathsf{S} \\
 &= \frac{e^{z}}{e^{z} + 1} && \text{multiply by }e^{z} & \mathsf{S}
\end{aligned}
$$"""


def test_latex_and_markdown_snapshots():
    d = two_forms()
    assert d.to_latex() == LATEX
    assert d.to_markdown(d.verify()) == MARKDOWN
    assert d._repr_latex_().startswith("$$") and "aligned" in d._repr_latex_()
    report = d.verify()
    assert "| 1 | claim | proven |" in report._repr_markdown_()
    assert "two-forms" in str(report)


def test_long_sums_are_broken_across_lines():
    terms = sum(
        Symbol(f"x_{k}", real=True) ** 2 * exp(Symbol(f"x_{k}", real=True)) for k in range(12)
    )
    d = Derivation("long", "Long", [step(Symbol("S"), terms, "a long sum")])
    lines = d.to_latex().splitlines()[1:-1]
    assert len(lines) > 1
    assert all(visible_width(line.split(r"\tag")[0]) < 75 for line in lines)


def test_escaping_of_justifications():
    d = Derivation("esc", "Esc", [step(z, z, "50% of #1 & a_b")])
    assert r"50\% of \#1 \& a\_b" in d.to_latex()
