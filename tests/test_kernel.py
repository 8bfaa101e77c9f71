"""The kernel compiler: generated code computes what the expression says, in any shape."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sympy import Abs, Max, Min, Piecewise, Rational, Symbol, exp, lambdify, log, sqrt

from numeric._codegen import compile_kernel, evaluate

x = Symbol("x", real=True)
m = Symbol("m", real=True)
s = Symbol("s", positive=True)

# Expressions that exercise each node kind; reference: SymPy's own lambdify of the same
# expression (an independent code path), on moderate inputs where both are accurate.
CASES = [
    (x - m) ** 2 / s**2,  # a temporary used twice by one operation
    s**3 + (x - m) ** 4 / (1 + s),
    exp(-Abs(x)) / (1 + exp(-Abs(x))) ** 2,
    Max(x, m, 0) - Min(x, 1) + sqrt(s) + log(s) * x,
    Piecewise((x, x < m), (m * s, True)),
    -(x + m) / (2 * s) + Rational(1, 3),
    (x * m - s) * (x * m - s) * (x * m + s),
]


@pytest.mark.parametrize("expr", CASES, ids=str)
def test_generated_code_agrees_with_plain_lambdify(expr, rng):
    args = (x, m, s)
    values = [rng.uniform(-3, 3, 1000), rng.uniform(-3, 3, 1000), rng.uniform(0.1, 3, 1000)]
    want = lambdify(args, expr, "numpy")(*values)
    got = compile_kernel(expr, args)(*values)
    np.testing.assert_allclose(got, want, rtol=64 * np.finfo(float).eps, atol=1e-300)


@given(st.integers(1, 200_000))
def test_blocked_evaluation_matches_one_piece(n):
    kernel = compile_kernel((x - m) ** 2 / s**2, (x, m, s))
    values = np.linspace(-5, 5, n)
    got = evaluate(kernel, [values, np.array(0.5), np.array(2.0)], np.dtype(float))
    np.testing.assert_array_equal(got, ((values - 0.5) ** 2) / 4.0)


def test_two_outputs_and_broadcasting():
    kernel = compile_kernel((x * m, x + m), (x, m))
    a, b = evaluate(kernel, [np.arange(3.0)[:, None], np.arange(4.0)[None, :]], np.dtype(float), 2)
    np.testing.assert_array_equal(a, np.arange(3.0)[:, None] * np.arange(4.0))
    np.testing.assert_array_equal(b, np.arange(3.0)[:, None] + np.arange(4.0))


def test_inputs_are_never_written():
    values = np.linspace(-2, 2, 100_001)
    copy = values.copy()
    evaluate(compile_kernel(exp(-Abs(x)) + x, (x,)), [values], np.dtype(float))
    np.testing.assert_array_equal(values, copy)


def _block_lines(kernel):
    """The statements of a compiled kernel's block function, without its tail helpers.

    (A far-tail kernel's fast form, ``kernel_fast``, follows the block in the source.)
    """
    block = kernel.source.split("def kernel(", 1)[1].split("\n\n\n", 1)[0]
    return [line.strip() for line in block.splitlines()[1:]]


def test_a_negation_costs_no_pass_over_the_data(rng):
    # -(m x + s) as x * (-m) - s and -2 x as x * (-2.0): the sign on a parameter (one number
    # for 0-d m and s) or on the constant; rounding is symmetric, so NumPy's -(m*x + s) and
    # -(2*x) are matched bit for bit.
    values = rng.uniform(-3, 3, 1000)
    for expr, want in [
        (-(m * x + s), -(0.7 * values + 1.3)),
        (-2 * x * exp(x), -(2 * values * np.exp(values))),
    ]:
        kernel = compile_kernel(expr, (x, m, s))
        assert not [line for line in _block_lines(kernel) if line.startswith("numpy.negative")]
        got = evaluate(kernel, [values, np.array(0.7), np.array(1.3)], np.dtype(float))
        np.testing.assert_array_equal(got, want)


def test_a_far_tail_is_tested_on_the_exponent_before_it_is_overwritten(rng):
    # sigma'(u), u = m x + s, as e^-u/(1 + e^-u)^2 (e^-u shared by cse), with e^u/(1 + e^u)^2
    # patched in below u = -350: the block tests -u > 350 as soon as -u exists (before e^-u
    # overwrites it), and computes no u. Reference: the two sides written out with NumPy,
    # each exact to a few ULP where it is used.
    u = m * x + s
    fast, safe = exp(-u) / (1 + exp(-u)) ** 2, exp(u) / (1 + exp(u)) ** 2
    kernel = compile_kernel(Piecewise((safe, u < -350), (fast, True)), (x, m, s))
    lines = _block_lines(kernel)
    masks = [k for k, line in enumerate(lines) if "_tail_mask(" in line and "350.0)" in line]
    exps = [k for k, line in enumerate(lines) if line.startswith("numpy.exp(")]
    assert len(masks) == 1 and len(exps) == 1 and masks[0] < exps[0]
    values = np.concatenate([rng.uniform(-900, 40, 1000), [-751.0, -350.5, -349.5]])
    got = evaluate(kernel, [values, np.array(1.0), np.array(-0.25)], np.dtype(float))
    e = np.exp(-np.abs(values - 0.25))
    want = e / (1 + e) ** 2
    np.testing.assert_allclose(got, want, rtol=8 * np.finfo(float).eps, atol=0)


def test_a_shared_reciprocal_becomes_divisions(rng):
    # m/(1 + x) + x/(1 + x): two divisions by 1 + x, not 1/(1 + x) and two products; the
    # same operations as NumPy's m/(1 + x) + x/(1 + x), so the same bits.
    kernel = compile_kernel(m / (1 + x) + x / (1 + x), (x, m))
    lines = _block_lines(kernel)
    assert sum(line.startswith("numpy.divide(") for line in lines) == 2
    assert not [line for line in lines if line.startswith("numpy.multiply(")]
    values, other = rng.uniform(0, 3, 1000), rng.uniform(-3, 3, 1000)
    got = evaluate(kernel, [values, other], np.dtype(float))
    np.testing.assert_array_equal(got, other / (1 + values) + values / (1 + values))
