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
