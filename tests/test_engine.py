"""The derivation engine: steps, chains, definitions, verification, failures, rendering."""

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
    with pytest.raises(DerivationError, match=r"two-forms: (?s:.*)step 2 does not hold") as caught:
        d.verify()
    error = caught.value
    assert error.slug == "two-forms" and error.step == 2
    # The wrong step makes the stated result (the chain's ends) wrong too: both are listed.
    assert [f.step for f in error.failures] == [2, 0]
    assert error.failures[0].why == "multiply by $e^{z}$"
    assert "(justification: multiply by $e^{z}$)" in str(error)
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


def arcs(**marks):
    # arccos + arcsin = pi/2 on [-1, 1]: true, but none of the engine's strategies proves it.
    return Derivation(
        "arcs",
        "Arcs",
        [step(acos(x / 5) + asin(x / 5), pi / 2, "complementary angles", **marks)],
        numeric_result=marks.get("numeric"),
    )


def test_a_true_step_sympy_cannot_prove_is_labelled_numeric_with_a_note():
    report = arcs().verify()
    assert report.steps[0].status == "numeric"
    assert report.steps[0].method.startswith("mpmath, 50 digits")
    assert report.steps[0].mark == "N"
    assert report.notes[0].startswith("step 1: SymPy found no proof, the numeric check confirms")
    assert "note, step 1: SymPy found no proof" in report.table()


def test_strict_verification_refuses_an_unproven_claim_that_is_not_marked():
    with pytest.raises(DerivationError) as caught:
        arcs().verify(strict=True)
    message = str(caught.value)
    assert "arcs: 2 claims fail" in message
    assert "step 1 is not proven: acos(x/5) + asin(x/5) = pi/2" in message
    assert "expected a proof; SymPy found none" in message
    assert [f.step for f in caught.value.failures] == [1, 0]


def test_a_claim_marked_numeric_passes_strict_verification_with_its_reason():
    report = arcs(numeric="SymPy does not combine acos and asin").verify(strict=True)
    assert [r.mark for r in report.steps] == ["N"] and report.result.mark == "N"
    assert report.steps[0].note == "numeric by design: SymPy does not combine acos and asin"


def test_a_stale_numeric_mark_is_an_error_in_strict_mode_and_a_note_otherwise():
    stale = Derivation(
        "stale",
        "Stale",
        [step(sigmoid(z), 1 / (1 + exp(-z)), "definition", numeric="none, in fact")],
    )
    with pytest.raises(DerivationError, match=r"step 1 has a stale mark: .*remove the mark"):
        stale.verify(strict=True)
    report = stale.verify()
    assert report.steps[0].status == "proven"
    assert report.steps[0].note.startswith("marked numeric (none, in fact), but SymPy proves it")


def test_a_step_that_sympy_made_identical_proves_nothing():
    # log(exp(z)) is z as soon as SymPy builds it: the step shows z = z.
    d = Derivation("same", "Same", [step(log(exp(z)), z, "the logarithm undoes exp")])
    assert d.steps[0].lhs == d.steps[0].rhs
    assert "proves nothing" in d.verify().steps[0].note
    with pytest.raises(DerivationError, match="step 1 proves nothing: z = z"):
        d.verify(strict=True)


def test_the_time_limit_keyword_is_deprecated_and_changes_nothing():
    with pytest.warns(DeprecationWarning, match="time_limit_s no longer does anything"):
        report = two_forms().verify(time_limit_s=0)
    assert report.proven == 3 and report.numeric == 0
    with pytest.warns(DeprecationWarning):
        assert check_claim(sigmoid(z), exp(z) / (1 + exp(z)), time_limit_s=0.3).proven


def test_a_lost_strategy_is_an_error_naming_the_claim_not_a_downgrade(monkeypatch):
    # Without "cancel" and the strategies after it, the catalog's sigmoid-two-forms loses its
    # proofs; strict verification must say which claim, never quietly mark it N.
    from derivations.catalog import get

    monkeypatch.setattr(symbolic_module, "_CHEAP_STRATEGIES", symbolic_module._CHEAP_STRATEGIES[:2])
    monkeypatch.setattr(symbolic_module, "_COSTLY_STRATEGIES", ())
    d = get("sigmoid-two-forms")
    with pytest.raises(DerivationError) as caught:
        d.verify()
    error = caught.value
    assert error.slug == "sigmoid-two-forms" and error.failures
    first = error.failures[0]
    assert first.verdict == "is not proven"
    assert first.claim == f"{d.steps[first.step - 1].lhs} = {d.steps[first.step - 1].rhs}"
    assert f"step {first.step} is not proven: {first.claim}" in str(error)


def test_every_failing_step_is_listed_with_digits_that_show_the_difference():
    # A slip of 1e-20: at 12 digits both sides print as 1.0; the report must show them apart.
    slip = 1 + Rational(1, 10**20)
    d = Derivation(
        "slips",
        "Slips",
        [
            define(a, sigmoid(z)),
            step(a + sigmoid(-z), slip, "the two probabilities add up"),
            step(sigmoid(z), 1 / (1 + exp(z)), "a sign slip"),
            step(sigmoid(-z), 1 - sigmoid(z), "fine"),
        ],
        result=Eq(sigmoid(z), sigmoid(z), evaluate=False),
    )
    with pytest.raises(DerivationError) as caught:
        d.verify()
    error = caught.value
    # Steps are numbered as written, the definition included: the slips are lines 2 and 3.
    assert [f.step for f in error.failures] == [2, 3]
    assert error.step == 2
    message = str(error)
    assert "slips: 2 claims fail" in message
    assert "right side = 1.00000000000000000001" in message
    assert "left side = 1.0," in message
    assert "difference -1.0e-20" in message
    assert "(justification: a sign slip)" in message


def test_undefined_sides_are_a_clear_failure():
    from sympy import Limit, zoo

    for lhs, rhs in [(1 / (x - x), 1), (Limit(1 / x, x, 0), zoo)]:
        d = Derivation("zoo", "Zoo", [step(lhs, rhs, "divide by zero")])
        with pytest.raises(DerivationError, match="is undefined \\(complex infinity or nan\\)"):
            d.verify()


def test_claims_the_verifier_cannot_evaluate_say_why():
    from sympy import Function, Matrix, MatrixSymbol

    f = Function("f")
    A = MatrixSymbol("A", 2, 2)
    for lhs, rhs, reason in [
        (Matrix([x, 1]), x, "different shapes: a 2x1 matrix and a scalar"),
        (f(x), f(x) + x - x, "the left side uses f, which has no formula"),
        (A[0, 0], 1, "the left side uses A, which has no formula"),
    ]:
        with pytest.raises(DerivationError, match=reason) as caught:
            Derivation("odd", "Odd", [step(lhs, rhs, "odd")]).verify()
        assert caught.value.step == 1


def test_an_assumption_that_cannot_be_solved_is_an_error_naming_its_step():
    d = Derivation(
        "roots", "Roots", [step(z, z + 0, "z"), assume(x**2, 4, "two roots", solve_for=x)]
    )
    with pytest.raises(DerivationError, match=r"roots: step 2 cannot be used: x\*\*2 = 4"):
        d.verify()


def test_infinity_is_not_proven_below_a_number():
    from sympy import Integer, zoo

    assert symbolic_module.prove("<=", oo, Integer(5), {}) is None
    assert symbolic_module.prove("<", oo, oo, {}) is None
    assert symbolic_module.prove("=", zoo, zoo, {}) is None


def test_a_derivative_by_a_symbol_used_nowhere_else_is_checked():
    # w appears only in z's definition and as the variable of dz/dw: it must still be sampled.
    d = Derivation(
        "chain-w",
        "Chain",
        [define(z, w * x), step(Derivative(a, z) * Derivative(z, w), 0, "a does not depend on z")],
    )
    assert d.verify().steps[1].status == "proven"


def test_derivation_errors_keep_their_failures_through_pickle():
    import pickle

    with pytest.raises(DerivationError) as caught:
        two_forms(last=1 / (1 + exp(z))).verify()
    copy = pickle.loads(pickle.dumps(caught.value))
    assert str(copy) == str(caught.value) and copy.failures == caught.value.failures


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

MARKDOWN = r"""```math
\begin{aligned}
\mathsf{S} && \sigma\left(z\right) &= \frac{1}{1 + e^{- z}} && \text{definition} \\
\mathsf{S} &&  &= \frac{e^{z}}{e^{z} + 1} && \text{multiply by }e^{z}
\end{aligned}
```"""


def test_latex_and_markdown_snapshots():
    d = two_forms()
    assert d.to_latex() == LATEX
    assert d.to_markdown(d.verify()) == MARKDOWN
    report = d.verify()
    # The notebook display marks the steps once verify() has run (a fresh derivation says
    # it is not verified: tests/test_notebook.py).
    shown = d._repr_latex_()
    assert shown.startswith("$$") and shown.count(r"\mathsf{S}") == 3, shown
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


def test_a_strict_inequality_that_is_an_equality_somewhere_does_not_hold():
    # z**2 > 0 and e^z > 1 + z are false at z = 0 (both sides equal there), which the
    # ladder of sampled points reaches; their non-strict forms hold.
    z = Symbol("z", real=True)
    assert not check_claim(z**2, 0, ">").holds
    assert check_claim(z**2, 0, ">=").holds
    with pytest.raises(DerivationError, match="does not hold"):
        Derivation("strict", "Strict", [step(exp(z), 1 + z, "tangent", relation=">")]).verify()
