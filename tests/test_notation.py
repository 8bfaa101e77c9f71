"""derivations.notation: written order in the LaTeX, the plain value for verification.

References: the exact LaTeX strings a reader expects, written out by hand; the
derivatives from ``sympy.diff`` of the plain expression; and the verifier, which
must prove the written steps and reject a written step that is false.
"""

from __future__ import annotations

import pytest
import sympy
from sympy import (
    Derivative,
    Eq,
    Matrix,
    Symbol,
    diff,
    erf,
    exp,
    preorder_traversal,
    simplify,
    tanh,
)

from derivations.engine import Derivation, canonical, define, step, then
from derivations.errors import DerivationError
from derivations.functions import sigmoid
from derivations.notation import (
    Named,
    Written,
    applied,
    difference,
    frac,
    gradient,
    named_matrix,
    negated,
    parenthesized,
    product_of,
    shown,
    sum_of,
)
from derivations.render import latex, result_latex

z, w, x, b, y, u, v, t = (Symbol(n, real=True) for n in "zwxbyuvt")
a = Symbol("a", positive=True)
C = Symbol("C", real=True)


def _has_display_form(expr) -> bool:
    return any(isinstance(node, Written) for node in preorder_traversal(expr))


# ----------------------------------------------------------------- written order


@pytest.mark.parametrize("printer", [latex, sympy.latex], ids=["toolkit", "sympy"])
def test_sums_products_and_differences_print_as_written(printer):
    # What SymPy does without the helpers, so that these tests mean something.
    assert printer(1 + exp(z)) == "e^{z} + 1"
    assert printer(w * x + b) == "b + w x"
    assert printer(sum_of(1, exp(z))) == "1 + e^{z}"
    assert printer(sum_of(product_of(w, x), b)) == "w x + b"
    assert printer(difference(v, u)) == "v - u"
    assert printer(difference(v, sum_of(u, 1))) == r"v - \left(u + 1\right)"
    assert printer(sum_of(x**2, -t, 1)) == "x^{2} - t + 1"
    assert printer(product_of(a - y, x)) == r"\left(a - y\right) x"
    assert printer(product_of(x, difference(1, x))) == r"x \left(1 - x\right)"
    assert printer(negated(difference(x, t))) == r"- \left(x - t\right)"
    assert printer(product_of(2, 3)) == r"2 \cdot 3"


def test_written_forms_nest_and_bracket_by_context():
    assert latex(difference(x, b) ** 2) == r"\left(x - b\right)^{2}"
    assert latex(sigmoid(sum_of(product_of(w, x), b))) == r"\sigma\left(w x + b\right)"
    assert latex(parenthesized(sum_of(x, 1))) == r"\left(x + 1\right)"
    assert latex(applied(erf, -t)) == r"\operatorname{erf}{\left(- t \right)}"
    # subs rebuilds the form from its parts: the order survives.
    assert latex(sum_of(exp(x), -(x**2)).subs(x, 1)) == "e - 1"


def test_shown_means_its_value_and_prints_its_formula():
    shown_norm = shown(u**2 + 1, r"\left(\|u\|^2 + 1\right)")
    assert latex(3 * shown_norm) == r"3 \left(\|u\|^2 + 1\right)"
    assert (3 * shown_norm).doit() == 3 * u**2 + 3
    assert shown_norm.diff(u) == 2 * u
    assert shown_norm.is_positive and shown(u, "u").is_positive is None
    parts = shown(u**2 / 2, [r"\tfrac{1}{2} ", shown(u**2, r"\|u\|^2")])
    assert latex(parts) == r"\tfrac{1}{2} \|u\|^2"
    with pytest.raises(TypeError, match="display"):
        shown(u, [1.5])


def test_named_symbols_with_different_formulas_are_different():
    one, other = Named("N_1", r"\mathcal{N}_1"), Named("N_1", r"\mathcal{N}(x)")
    assert one != other and hash(one) != hash(other)
    assert latex(one * 2) == r"2 \mathcal{N}_1"


def test_gaussians_shown_is_a_deprecated_alias():
    from derivations.topics import gaussians

    with pytest.warns(DeprecationWarning, match="derivations.notation.shown"):
        old = gaussians.Shown
    assert old is shown


# ----------------------------------------------------------------- verification sees the value


def test_canonical_and_doit_see_the_plain_expression():
    written = product_of(difference(1, exp(z)), sum_of(w, b))
    plain = (1 - exp(z)) * (w + b)
    assert canonical(written) == plain and not _has_display_form(canonical(written))
    assert written.doit() == plain
    assert canonical(written.diff(z)) == diff(plain, z)


def test_a_step_written_with_the_helpers_is_proven_and_displayed_as_written():
    d = Derivation(
        "swish-derivative",
        "The derivative of swish",
        [
            step(
                Derivative(product_of(z, sigmoid(z)), z),
                sum_of(sigmoid(z), product_of(z, sigmoid(z), difference(1, sigmoid(z)))),
                "product rule, $\\sigma' = \\sigma(1 - \\sigma)$",
            ),
            then(product_of(sigmoid(z), sum_of(1, product_of(z, sigmoid(-z)))), "factor"),
        ],
    )
    report = d.verify(strict=True)
    assert [report.step(i).status for i in (1, 2)] == ["proven", "proven"]
    assert not _has_display_form(d.result)
    tex = d.to_latex()
    assert (
        r"\frac{d}{d z} \left(z \sigma\left(z\right)\right) &= \sigma\left(z\right) "
        r"+ z \sigma\left(z\right) \left(1 - \sigma\left(z\right)\right)"
    ) in tex
    assert result_latex(d).endswith(
        r"= \sigma\left(z\right) \left(1 + z \sigma\left(- z\right)\right)"
    )


def test_a_false_step_written_with_the_helpers_is_rejected():
    d = Derivation("wrong", "Wrong", [step(sum_of(1, exp(z)), sum_of(exp(z), 2), "off by one")])
    with pytest.raises(DerivationError):
        d.verify()


# ----------------------------------------------------------------- gradients and matrices


def test_gradient_is_the_column_of_partial_derivatives():
    cost = (tanh(w * x + b) - y) ** 2 / 2
    column = gradient(cost, [w, b])
    assert column.shape == (2, 1)
    expected = Matrix([diff(cost, w), diff(cost, b)])
    assert simplify(column.doit() - expected) == Matrix([0, 0])
    assert latex(gradient(C, [w, b], r"\nabla C")) == r"\nabla C"
    assert gradient(C, [w, b], r"\nabla C") == Matrix([Derivative(C, w), Derivative(C, b)])
    with pytest.raises(TypeError, match="Symbols"):
        gradient(C, [w + b])
    with pytest.raises(TypeError, match="Symbols"):
        gradient(C, [])


def test_a_gradient_result_in_one_call_verifies():
    zz = Symbol("z_n", real=True)
    d = Derivation(
        "tanh-neuron-gradient",
        "The gradient of a tanh neuron's squared error",
        [
            define(zz, sum_of(product_of(w, x), b), "weighted input"),
            define(a, tanh(zz), "output"),
            define(C, difference(a, y) ** 2 / 2, "squared error"),
            step(
                gradient(C, [w, b], r"\nabla C"),
                Matrix([product_of(difference(a, y), 1 - a**2, x), (a - y) * (1 - a**2)]),
                "chain rule, $\\tanh' = 1 - \\tanh^2$",
            ),
        ],
    )
    report = d.verify(strict=True)
    assert report.step(4).status == "proven"
    assert r"\nabla C &= " in d.to_latex()
    assert r"z_{n} &\mathrel{:=} w x + b" in d.to_latex()


def test_a_wrong_gradient_entry_is_rejected():
    d = Derivation(
        "wrong-gradient",
        "Wrong",
        [
            define(C, (w * x + b - y) ** 2 / 2, "squared error"),
            step(gradient(C, [w, b]), Matrix([(w * x + b - y) * x, w * x + b]), "forgot y"),
        ],
    )
    with pytest.raises(DerivationError):
        d.verify()


def test_named_matrix_prints_its_name_until_rebuilt():
    m = named_matrix([[x, 1], [1, x]], r"\mathbf{M}")
    assert latex(m) == r"\mathbf{M}" and m.shape == (2, 2)
    assert latex(named_matrix(Matrix([x, 1]), [x, r" \mathbf{1}"])) == r"x \mathbf{1}"
    # A matrix computed from it is another matrix: shown entry by entry.
    assert latex(m.applyfunc(lambda e: 2 * e)).startswith(r"\left(\begin{matrix}2 x & 2")


# ----------------------------------------------------------------- derivatives


@pytest.mark.parametrize(
    ("expr", "tex"),
    [
        (z * sigmoid(z), r"\frac{d}{d z} \left(z \sigma\left(z\right)\right)"),
        (z + sigmoid(z), r"\frac{d}{d z} \left(z + \sigma\left(z\right)\right)"),
        (-z * sigmoid(z), r"\frac{d}{d z} \left(- z \sigma\left(z\right)\right)"),
        (product_of(z, sigmoid(z)), r"\frac{d}{d z} \left(z \sigma\left(z\right)\right)"),
        # A power, one fraction or one function needs no parentheses.
        (z**2, r"\frac{d}{d z} z^{2}"),
        (exp(z) / z, r"\frac{d}{d z} \frac{e^{z}}{z}"),
        (sigmoid(z), r"\frac{d}{d z} \sigma\left(z\right)"),
    ],
)
def test_the_derivative_of_a_product_or_sum_is_parenthesized(expr, tex):
    assert latex(Derivative(expr, z)) == tex


def test_the_stated_result_keeps_its_written_form_through_replace():
    from dataclasses import replace

    d = Derivation("order", "Order", [step(exp(z) + 1, sum_of(1, exp(z)), "as written")])
    strict = replace(d, strict=True)
    assert result_latex(strict) == result_latex(d) == "e^{z} + 1 = 1 + e^{z}"
    # A new result, written differently, is shown as now written.
    changed = replace(d, result=Eq(sum_of(exp(z), 1), exp(z) + 1, evaluate=False))
    assert result_latex(changed) == "e^{z} + 1 = e^{z} + 1"


def test_a_defined_fraction_is_differentiated_through():
    # frac once hid its parts from SymPy's diff: the chain rule through C failed to evaluate.
    d = Derivation(
        "half-square",
        "Half square",
        [
            define(C, frac(difference(a, y) ** 2, 2), "half the squared error"),
            step(Derivative(C, a), difference(a, y), "power rule"),
        ],
    )
    assert d.verify(strict=True).step(2).status == "proven"
    assert r"C &\mathrel{:=} \frac{\left(a - y\right)^{2}}{2}" in d.to_latex()
    assert (
        frac(exp(z), exp(z)).doit() == 1 and latex(frac(exp(z), exp(z))) == r"\frac{e^{z}}{e^{z}}"
    )


def test_a_long_written_sum_breaks_between_its_terms_in_order():
    ws = [Symbol(f"w_{i}", real=True) for i in range(14)]
    xs = [Symbol(f"x_{i}", real=True) for i in range(14)]
    total = sum_of(*[product_of(wi, xi) for wi, xi in zip(ws, xs, strict=True)])
    tex = Derivation("long", "Long", [step(z, total, "a long sum")]).to_latex()
    lines = tex.splitlines()[1:-1]
    assert len(lines) > 1 and lines[1].startswith(r"&\quad + w_{")
    # Every term once, in the order written, across the lines.
    order = [tex.index(f"w_{{{i}}} x_{{{i}}}") for i in range(14)]
    assert order == sorted(order)
