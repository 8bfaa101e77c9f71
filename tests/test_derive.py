"""derivations.differentiate: generated derivations, their rules, their results, bad input.

References: the catalog's hand-written derivations (compared with check.equivalent, which
proves with SymPy and evaluates with mpmath at 50 digits), and sympy.diff of the expression
with every intermediate substituted, evaluated with mpmath at 40 digits at seeded points.
"""

from __future__ import annotations

import random
import shutil
import subprocess

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import (
    Abs,
    Derivative,
    Function,
    Heaviside,
    ImmutableMatrix,
    Integer,
    Max,
    Piecewise,
    Rational,
    Symbol,
    diff,
    exp,
    lambdify,
    log,
    tanh,
)

import derivations
from derivations import check, differentiate, sigmoid
from derivations.derive import RULES, DifferentiationError, rule_of
from derivations.derive_catalog import SPECS, catalog_agreement
from derivations.document import PREAMBLE, derivation_block_latex
from derivations.engine import Derivation, Kind, define, step, then
from derivations.meaning import expand_definitions

HAVE_PDFLATEX = shutil.which("pdflatex") is not None

x = Symbol("x", real=True)
w = Symbol("w", real=True)
b = Symbol("b", real=True)
y = Symbol("y", real=True)
z = Symbol("z", real=True)
a = Symbol("a", real=True)
NEURON = {z: w * x + b, a: sigmoid(z)}
BCE = -(y * log(a) + (1 - y) * log(1 - a))


def definitions_of(d: Derivation) -> dict:
    return {s.lhs: s.rhs for s in d.steps if s.kind is Kind.DEFINITION}


def assert_matches_sympy_diff(d: Derivation, expr, variables, through, points: int = 8):
    """The result equals sympy.diff of the fully substituted expression, at mpmath precision.

    Recipe: substitute every intermediate (except the variable itself, when it is one),
    differentiate with sympy.diff, substitute the rest, evaluate both with
    mpmath at 40 digits at seeded points in [-2, 2]; relative difference at most 1e-25.
    """
    through = through or {}
    result = d.result.rhs
    entries = list(result) if isinstance(result, ImmutableMatrix) else [result]
    mine = [expand_definitions(e, definitions_of(d)) for e in entries]
    # With respect to an intermediate v (the delta dC/dz): v is kept while substituting.
    reference = [
        expand_definitions(diff(expand_definitions(expr, through, keep=frozenset({v})), v), through)
        for v in variables
    ]
    symbols = sorted(
        set().union(*(e.free_symbols for e in mine + reference)) | set(variables), key=str
    )
    rng = random.Random(20261206)
    with mpmath.workdps(40):
        for m, r in zip(mine, reference, strict=True):
            f, g = (lambdify(symbols, e, modules="mpmath") for e in (m, r))
            for _ in range(points):
                point = [mpmath.mpf(rng.uniform(-2, 2)) for _ in symbols]
                fv, gv = f(*point), g(*point)
                assert abs(fv - gv) <= mpmath.mpf(10) ** -25 * max(1, abs(gv)), (m, r, point)


def assert_rules_named(d: Derivation):
    for s in d.steps:
        assert rule_of(s) in RULES, s.why


# --------------------------------------------------------------------------- the catalog


@pytest.mark.parametrize("slug", list(SPECS))
def test_the_catalog_gradients_are_reproduced(slug):
    agreement = catalog_agreement(slug)
    assert agreement.verdicts and all(v.equal for v in agreement.verdicts), agreement.verdicts
    assert agreement.report.numeric + agreement.report.proven >= 1
    assert_rules_named(agreement.generated)
    spec = SPECS[slug]
    names = {s.name: s for s in agreement.generated.symbols.values() if isinstance(s, Symbol)}
    through = {names[k]: check.parse(v, symbols=names) for k, v in spec.through.items()}
    expr = check.parse(spec.expr, symbols=names)
    assert_matches_sympy_diff(
        agreement.generated, expr, [names[v] for v in spec.wrt], through, points=4
    )


def test_the_bce_gradient_of_a_sigmoid_neuron_reads_a_minus_y_times_x():
    d = differentiate(BCE, [w, b], through=NEURON)
    assert d.result.rhs == ImmutableMatrix([(a - y) * x, a - y])
    assert r"\left(a - y\right) x" in derivations.render.latex(d.shown_result.rhs)
    verdict = check.equivalent(d.result.rhs[0], derivations.get("bce-gradient"), component=0)
    assert verdict.equal and verdict.proven


def test_the_delta_is_derived_once_and_reused_for_every_parameter():
    d = differentiate(BCE, [w, b], through=NEURON)
    starts = [s.lhs for s in d.steps if s.is_claim and not s.continues]
    assert starts.count(Derivative(Symbol("C", real=True), z)) == 1
    order = [str(s) for s in starts]
    # backpropagation's order: dC/da, da/dz, the delta dC/dz, then dz/dw and dC/dw
    assert order[:3] == ["Derivative(C, a)", "Derivative(a, z)", "Derivative(C, z)"]
    chain = [s for s in d.steps if rule_of(s) == "chain rule"]
    assert [str(s.lhs) for s in chain] == [
        "Derivative(C, z)",
        "Derivative(C, w)",
        "Derivative(C, b)",
    ]
    sigmoid_line = next(s for s in d.steps if rule_of(s) == "known derivative")
    assert "sigmoid-derivative" in sigmoid_line.why


def test_a_neuron_gradient_through_two_intermediates_verifies():
    # The derivations whose timing is reported: generated and verified (no time asserted).
    for loss in (BCE, (a - y) ** 2 / 2):
        d = differentiate(loss, [w, b], through=NEURON)
        report = d.verify()
        assert report.numeric == 0 and report.proven == sum(s.is_claim for s in d.steps) + 1
        assert_matches_sympy_diff(d, loss, [w, b], NEURON)


# --------------------------------------------------------------------------- rules, results


def test_wrt_not_in_the_expression_gives_a_derivation_of_zero():
    d = differentiate(exp(y) * sigmoid(w), x)
    assert d.result.rhs == 0
    assert [rule_of(s) for s in d.steps] == ["constant"]
    d.verify()
    d = differentiate(BCE, Symbol("q", real=True), through=NEURON)
    assert d.result.rhs == 0 and d.verify().proven >= 1


def test_strings_python_and_latex_read_safely():
    d = differentiate(r"\frac{1}{1 + e^{-x}}", "x")
    assert_matches_sympy_diff(d, 1 / (1 + exp(-x)), [x], None)
    d = differentiate("(a - y)**2/2", ["w", "b"], through={"z": "w*x + b", "a": "sigmoid(z)"})
    assert check.equivalent(d.result.rhs[1], derivations.get("mse-gradient"), component=1).equal


@pytest.mark.parametrize("text", ["E*x", "pi*x", "x + log(2)*x"])
def test_a_derivative_that_is_a_constant_such_as_e_verifies(text):
    # The verifier's numeric check once read mpmath's constant e as "not a real number".
    d = differentiate(text, "x")
    assert d.verify().numeric == 0


def test_softplus_and_tanh_use_their_known_derivatives():
    d = differentiate(log(1 + exp(x)) + tanh(x), x)
    notes = " ".join(s.why for s in d.steps if rule_of(s) == "known derivative")
    assert "bce-logits" in notes and "sigmoid-tanh" in notes
    assert d.result.rhs == sigmoid(x) + 1 - tanh(x) ** 2
    d.verify()


@st.composite
def expressions(draw, leaves, depth=2):
    """Random expressions from + - * / ** exp log sigmoid tanh softplus, real everywhere."""
    if depth == 0 or draw(st.booleans()):
        return draw(st.sampled_from(leaves))
    u = draw(expressions(leaves, depth - 1))
    v = draw(expressions(leaves, depth - 1))
    kind = draw(st.integers(0, 11))
    return [
        u + v,
        u - v,
        u * v,
        u / (1 + v**2),
        u**2,
        u**3,
        1 / sigmoid(u),
        exp(u / 2),
        log(1 + u**2),
        sigmoid(u),
        tanh(u),
        log(1 + exp(u)),  # softplus
    ][kind]


CONSTANTS = [Integer(2), Rational(1, 2), Integer(-3)]


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_random_expressions_through_intermediates(data):
    u = Symbol("u", real=True)
    v = Symbol("v", real=True)
    first = data.draw(expressions([x, w, *CONSTANTS]), label="u")
    second = data.draw(expressions([u, x, *CONSTANTS]), label="v")
    expr = data.draw(expressions([u, v, w, *CONSTANTS]), label="C")
    through = {u: first, v: second}
    d = differentiate(expr, [x, w], through=through)
    d.verify()  # raises DerivationError naming the step, should any line be false
    assert_rules_named(d)
    assert_matches_sympy_diff(d, expr, [x, w], through, points=4)


@settings(max_examples=25, deadline=None)
@given(expr=expressions([x, y, *CONSTANTS], depth=3))
def test_random_expressions_without_intermediates(expr):
    d = differentiate(expr, x)
    d.verify()
    assert_rules_named(d)
    assert_matches_sympy_diff(d, expr, [x], None, points=4)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("expr", "piece"),
    [
        (Abs(x) * x, "Abs"),
        (Max(x, 0) + 1, "Max"),
        (Heaviside(x), "Heaviside"),
        (Piecewise((x, x > 0), (0, True)), "Piecewise"),
    ],
)
def test_pieces_without_a_derivative_everywhere_are_refused_by_name(expr, piece):
    with pytest.raises(DifferentiationError, match=piece):
        differentiate(expr, x)


def test_a_piece_without_a_derivative_is_fine_where_it_is_constant():
    d = differentiate(Abs(y) * x**2 + Max(y, 1), x)
    assert d.result.rhs == 2 * x * Abs(y)
    d.verify()


def test_an_unknown_function_is_refused_with_the_known_ones():
    with pytest.raises(DifferentiationError, match=r"no rule for f;.*sigmoid.*softplus"):
        differentiate(Function("f")(x) + x, x)


def test_through_chains_with_a_cycle_or_a_name_used_early_are_refused():
    with pytest.raises(DifferentiationError, match="cycle: a -> b -> a"):
        differentiate("a", "x", through={"a": "b*x", "b": "a + 1"})
    with pytest.raises(DifferentiationError, match="cycle: a -> a"):
        differentiate("a", "x", through={"a": "a*x"})
    with pytest.raises(DifferentiationError, match="defines only later"):
        differentiate("a", "x", through={"a": "b*x", "b": "x"})
    with pytest.raises(DifferentiationError, match="not a name"):
        differentiate("a", "x", through={"2a": "x"})


@pytest.mark.parametrize(
    "text", ["9**9**9**9", "x.__class__", "__import__('os')", "(" * 40 + "x" + ")" * 40]
)
def test_hostile_strings_are_refused_by_the_safe_parser(text):
    with pytest.raises(check.ParseError):
        differentiate(text, "x")
    with pytest.raises(check.ParseError):
        differentiate("a", "x", through={"a": text})


def test_misuse_raises_type_and_value_errors():
    with pytest.raises(TypeError, match="wrt"):
        differentiate(x**2, 3)
    with pytest.raises(TypeError, match="wrt must name symbols"):
        differentiate(x**2, [x + 1])
    with pytest.raises(ValueError, match="twice"):
        differentiate(x**2, [x, x])
    with pytest.raises(ValueError, match="empty"):
        differentiate(x**2, [])
    with pytest.raises(TypeError, match="through"):
        differentiate(x**2, x, through=[(z, x)])
    with pytest.raises(ValueError, match="two different symbols"):
        differentiate(Symbol("x") * x, x)


def test_a_derivative_of_a_name_inside_a_product_keeps_its_variable():
    # SymPy drops z from the free symbols of d p/dz when p is a symbol; the verifier must
    # still sample z, which here appears nowhere else (a regression test of verify.py).
    p, q = Symbol("p", real=True), Symbol("q", real=True)
    d = Derivation(
        "product-of-derivative",
        "demo",
        [
            define(p, exp(2 * z), "p"),
            define(q, 3 * p, "q"),
            step(y * Derivative(q, z), y * 3 * Derivative(p, z), "linearity"),
            then(6 * y * p, "exponential"),
        ],
    )
    assert d.verify().numeric == 0


# --------------------------------------------------------------------------- rendering

BCE_LATEX = r"""\begin{align*}
z &\mathrel{:=} b + w x \tag*{\small definition: an intermediate} \\
a &\mathrel{:=} \sigma\left(z\right) \tag*{\small definition: an intermediate} \\
C &\mathrel{:=} - y \ln{\left(a \right)} - \left(1 - y\right) \ln{\left(1 - a \right)} \tag*{\small definition: the expression to differentiate} \\
\frac{\partial C}{\partial a} &= \frac{\partial}{\partial a} \left(- y \ln{\left(a \right)} - \left(1 - y\right) \ln{\left(1 - a \right)}\right) \tag*{\small definition of $C$} \\
 &= - y \frac{d}{d a} \ln{\left(a \right)} - \left(1 - y\right) \frac{d}{d a} \ln{\left(1 - a \right)} \tag*{\small linearity: $(au + bv)' = au' + bv'$} \\
 &= - \frac{\left(1 - y\right) \frac{d}{d a} \left(1 - a\right)}{1 - a} - \frac{y}{a} \tag*{\small logarithm: $(\ln u)' = u'/u$} \\
 &= - \frac{y}{a} + \frac{1 - y}{1 - a} \tag*{\small linearity: $(au + bv)' = au' + bv'$} \\
 &= \frac{a - y}{a \left(1 - a\right)} \tag*{\small simplification} \\
\frac{\partial a}{\partial z} &= \frac{d}{d z} \sigma\left(z\right) \tag*{\small definition of $a$} \\
 &= \sigma\left(z\right) \left(1 - \sigma\left(z\right)\right) \tag*{\small known derivative: $\sigma' = \sigma(1 - \sigma)$ (\texttt{sigmoid-derivative})} \\
 &= a \left(1 - a\right) \tag*{\small definition: $a = \sigma\left(z\right)$} \\
\frac{\partial C}{\partial z} &= \frac{\partial C}{\partial a} \frac{\partial a}{\partial z} \tag*{\small chain rule: $C$ depends on $z$ only through $a$} \\
 &= \frac{a - y}{a \left(1 - a\right)} a \left(1 - a\right) \tag*{\small derived above} \\
 &= a - y \tag*{\small simplification} \\
\frac{\partial z}{\partial w} &= \frac{\partial}{\partial w} \left(b + w x\right) \tag*{\small definition of $z$} \\
 &= x \tag*{\small linearity: $(au + bv)' = au' + bv'$} \\
\frac{\partial C}{\partial w} &= \frac{\partial C}{\partial z} \frac{\partial z}{\partial w} \tag*{\small chain rule: $C$ depends on $w$ only through $z$} \\
 &= \left(a - y\right) x \tag*{\small derived above} \\
\frac{\partial z}{\partial b} &= \frac{\partial}{\partial b} \left(b + w x\right) \tag*{\small definition of $z$} \\
 &= 1 \tag*{\small linearity: $(au + bv)' = au' + bv'$} \\
\frac{\partial C}{\partial b} &= \frac{\partial C}{\partial z} \frac{\partial z}{\partial b} \tag*{\small chain rule: $C$ depends on $b$ only through $z$} \\
 &= a - y \tag*{\small derived above}
\end{align*}"""

PRODUCT_LATEX = r"""\begin{align*}
\frac{d}{d x} \left(x^{2} \sigma\left(x\right)\right) &= \sigma\left(x\right) \frac{d}{d x} x^{2} + x^{2} \frac{d}{d x} \sigma\left(x\right) \tag*{\small product rule: $(uv)' = u'v + uv'$} \\
 &= 2 x \sigma\left(x\right) + x^{2} \frac{d}{d x} \sigma\left(x\right) \tag*{\small power rule: $(u^n)' = n u^{n-1} u'$} \\
 &= x^{2} \sigma\left(x\right) \left(1 - \sigma\left(x\right)\right) + 2 x \sigma\left(x\right) \tag*{\small known derivative: $\sigma' = \sigma(1 - \sigma)$ (\texttt{sigmoid-derivative})}
\end{align*}"""


def test_snapshot_of_the_bce_gradient():
    assert differentiate(BCE, [w, b], through=NEURON).to_latex() == BCE_LATEX


def test_snapshot_of_a_product():
    assert differentiate(x**2 * sigmoid(x), x).to_latex() == PRODUCT_LATEX


@pytest.mark.skipif(not HAVE_PDFLATEX, reason="pdflatex is not installed (texlive-latex-base)")
def test_the_rendered_latex_compiles(tmp_path):
    blocks = []
    for d in (
        differentiate(BCE, [w, b], through=NEURON),
        differentiate(x**2 * exp(-x) / (1 + x**2) + log(1 + exp(x)), x),
    ):
        blocks.append(derivation_block_latex(d, d.verify()))
    source = PREAMBLE + "\\begin{document}\n" + "\n\n".join(blocks) + "\n\\end{document}\n"
    (tmp_path / "derive.tex").write_text(source)
    run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "derive.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-2000:]
    assert (tmp_path / "derive.pdf").stat().st_size > 0
