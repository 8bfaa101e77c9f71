"""numeric.lambdify: against mpmath at 50 digits (|z| up to 800) and against sympy.lambdify."""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest
import sympy
from sympy import Derivative, Symbol, diff, exp, log
from sympy.codegen.cfunctions import log1p

import derivations
import numeric
from derivations import check, sigmoid
from numeric.compiler import stable_rewrite
from tests.reference import ulp_error

z = Symbol("z", real=True)
y = Symbol("y", real=True)


def _s(t):
    return 1 / (1 + mpmath.exp(-t))


def _cancelling(formula):
    # sigma(-t) - sigma(t) cancels about 300 digits at t = 1e-300: 700 digits keep 50 of them
    with mpmath.workdps(700):
        return +formula()


# name -> (expression of z, its mpmath value, the scale of its rounding error). The scale is
# the sum of the magnitudes of the terms the value is a sum of (a sum's rounding error bound,
# relative to its terms; it is the value itself for a single term), recipe: Higham, ch. 4.
CASES = {
    "swish": (z * sigmoid(z), lambda t: t * _s(t), None),
    "swish'": (
        diff(z * sigmoid(z), z),
        lambda t: _s(t) + t * _s(t) * _s(-t),
        lambda t: abs(_s(t)) + abs(t * _s(t) * _s(-t)),
    ),
    "log sigmoid": (log(sigmoid(z)), lambda t: -mpmath.log1p(mpmath.exp(-t)), None),
    "log(1 - sigmoid)": (log(1 - sigmoid(z)), lambda t: -mpmath.log1p(mpmath.exp(t)), None),
    "softplus": (log(1 + exp(z)), lambda t: mpmath.log1p(mpmath.exp(t)), None),
    "softplus'": (diff(log(1 + exp(z)), z), _s, None),
    "softplus''": (diff(log(1 + exp(z)), z, 2), lambda t: _s(t) * _s(-t), None),
    "sigmoid''": (
        diff(sigmoid(z), z, 2),
        lambda t: _cancelling(lambda: _s(t) * _s(-t) * (_s(-t) - _s(t))),
        None,
    ),
}


def _grid(limit: float) -> np.ndarray:
    return np.unique(np.concatenate([np.linspace(-limit, limit, 801), [-1e-300, 0.0, 1e-300]]))


def _assert_accurate(got: np.ndarray, t: np.ndarray, value, scale, ulps: float) -> None:
    # |got - exact| <= ulps * eps * scale + ulps * tiny: relative to the terms' magnitudes,
    # and absolute below the smallest normal number (where a float has fewer digits).
    finfo = np.finfo(got.dtype)
    with mpmath.workdps(50):
        for g, x in zip(got.tolist(), t.tolist(), strict=True):
            exact = value(mpmath.mpf(x))
            size = abs(exact) if scale is None else scale(mpmath.mpf(x))
            bound = ulps * float(finfo.eps) * float(size) + ulps * float(finfo.tiny)
            assert abs(mpmath.mpf(g) - exact) <= bound, (x, g, exact)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", list(CASES))
def test_against_mpmath_reaching_800(name, dtype):
    expr, value, scale = CASES[name]
    f = numeric.lambdify([z], expr)
    t = _grid(800.0).astype(dtype)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        got = f(t)  # no warning for finite input: every true value here is finite
    assert got.dtype == dtype
    assert np.all(np.isfinite(got))
    _assert_accurate(got, t, value, scale, ulps=8)


@pytest.mark.parametrize("name", list(CASES))
def test_against_sympy_lambdify_on_a_moderate_grid(name):
    expr, value, scale = CASES[name]
    t = _grid(30.0)
    ours = numeric.lambdify([z], expr)(t)
    theirs = sympy.lambdify([z], expr, modules="numpy", cse=True)(t)
    # At every point at least as accurate as SymPy's (against mpmath), within 8 ULP of the
    # terms' size; and the same values wherever SymPy's are that accurate too.
    with mpmath.workdps(50):
        exact = [value(mpmath.mpf(x)) for x in t.tolist()]
        size = [
            abs(e) if scale is None else scale(mpmath.mpf(x))
            for e, x in zip(exact, t.tolist(), strict=False)
        ]
    eps = np.finfo(float).eps
    for o, s, e, m in zip(ours.tolist(), theirs.tolist(), exact, size, strict=True):
        ours_error, their_error = abs(o - e), abs(s - e)
        assert ours_error <= max(their_error, 8 * eps * m + 1e-300), (o, s, e)
    _assert_accurate(ours, t, value, scale, ulps=8)


def test_a_derivation_with_a_matrix_result_gives_one_output_per_entry():
    x, w, b = (Symbol(n, real=True) for n in "xwb")
    gradient = numeric.lambdify([x, y, w, b], derivations.get("mse-gradient"))
    rng = np.random.default_rng(1)
    # w x + b is exact in float64 (integers times eighths, plus a half), so the reference
    # needs no rounding of the weighted input
    x_, w_ = rng.integers(-30, 31, 200).astype(float), rng.integers(-24, 25, 200) / 8
    args = [x_, rng.uniform(0, 1, 200), w_, 0.5]
    dw, db = gradient(*args)
    # the textbook gradient (a - y) a (1 - a) (x, 1) at 50 digits; its error bound is relative
    # to the terms of a - y: |a| + |y| times the rest
    with mpmath.workdps(50):
        for k in range(200):
            xk, yk, wk = (mpmath.mpf(float(v[k])) for v in args[:3])
            a = _s(wk * xk + mpmath.mpf(0.5))
            scale = (abs(a) + abs(yk)) * a * (1 - a)
            for got, factor in ((dw[k], xk), (db[k], 1)):
                exact = (a - yk) * a * (1 - a) * factor
                assert abs(got - exact) <= 8 * np.finfo(float).eps * scale * abs(factor) + 1e-300


def test_broadcasting_float32_out_and_scalars():
    f = numeric.lambdify((z, y), y * log(sigmoid(z)))
    got = f(np.zeros((3, 1), np.float32), np.ones(4, np.float32))
    assert got.shape == (3, 4) and got.dtype == np.float32
    np.testing.assert_array_equal(got, np.float32(-np.log(2.0)))
    out = np.empty((3, 4))
    assert f(np.zeros((3, 1)), np.ones(4), out=out) is out
    assert isinstance(f(0.0, 1.0), np.float64)
    (one,) = numeric.lambdify(z, (sigmoid(z),))(np.zeros(2))  # a tuple in, a tuple out
    np.testing.assert_array_equal(one, [0.5, 0.5])
    pair = numeric.lambdify(z, (sigmoid(z), 1 - sigmoid(z)))
    with pytest.raises(ValueError, match="out= takes one array"):
        pair(np.zeros(3), out=np.empty(3))


def test_a_symbol_is_its_name_whatever_its_assumptions():
    plain = Symbol("z")  # not the real z of the expression
    assert float(numeric.lambdify(plain, sigmoid(z) + z)(0.0)) == 0.5


def test_derivatives_are_evaluated_and_definitions_substituted():
    f = numeric.lambdify(z, Derivative(log(1 + exp(z)), z))
    assert float(f(800.0)) == 1.0
    a = Symbol("a", real=True)
    d = derivations.Derivation(
        "mine",
        "Mine",
        [derivations.define(a, sigmoid(z)), derivations.step(a * (1 - a), a - a**2, "expand")],
    )
    assert float(numeric.lambdify(z, d)(0.0)) == 0.25
    assert float(numeric.lambdify([a], d)(0.5)) == 0.25


@pytest.mark.parametrize(
    ("args", "expr", "error", "message"),
    [
        (["z"], z, TypeError, r"args\[0\] is 'z' \(str\), not a SymPy Symbol"),
        ([z, z + 1], z, TypeError, r"args\[1\] is z \+ 1"),
        ([z], z * y, ValueError, "uses y, which is not in args"),
        ([z, Symbol("z")], z, ValueError, "names z more than once"),
        ([z], "z**2", TypeError, "expr is str, not a SymPy expression"),
        ([z], (z, "1"), TypeError, r"expr\[1\] is str"),
        ([z], sympy.Function("f")(z), ValueError, "undefined function"),
    ],
)
def test_bad_definitions(args, expr, error, message):
    with pytest.raises(error, match=message):
        numeric.lambdify(args, expr)


def test_bad_inputs_name_the_parameter():
    f = numeric.lambdify([z, y], z * y)
    with pytest.raises(TypeError, match="y has dtype complex128"):
        f(1.0, np.array([1j]))
    with pytest.raises(TypeError, match="z is a masked array"):
        f(np.ma.array([1.0], mask=[1]), 1.0)
    with pytest.raises(TypeError, match="z has dtype object"):
        f(np.array([None]), 1.0)
    with pytest.raises(TypeError, match="takes 2 arguments"):
        f(1.0)
    with pytest.raises(ValueError, match="do not broadcast"):
        f(np.zeros(3), np.zeros(2))


# Each rewrite: (the pattern, what stable_rewrite makes of it, the derivation proving it).
TAIL_SOFTPLUS = sympy.Piecewise(
    (sympy.Max(0, z) + log1p(exp(-abs(z))), z > 700), (log1p(exp(z)), True)
)
REWRITES = [
    (1 / (1 + exp(-z)), sigmoid(z), "sigmoid-two-forms"),
    (1 - sigmoid(z), sigmoid(-z), "sigmoid-symmetry"),
    (sigmoid(z) - 1, -sigmoid(-z), "sigmoid-symmetry"),
    (2 * sigmoid(z) - 1, sympy.tanh(z / 2), "sigmoid-tanh"),
    (exp(z) * sigmoid(-z), sigmoid(z), "sigmoid-two-forms"),
    # sigma' in the registry's form: e^z/(e^z + 1)^2 up to z = 350, e^-|z|/(1 + e^-|z|)^2 beyond
    (
        sigmoid(z) * sigmoid(-z),
        sympy.Piecewise(
            (exp(-abs(z)) / (1 + exp(-abs(z))) ** 2, z > 350),
            (exp(z) / (exp(z) + 1) ** 2, True),
        ),
        "stable-forms",
    ),
    (log(sigmoid(z)), sympy.Min(0, z) - log1p(exp(-abs(z))), "stable-forms"),
    # softplus's tail form: log1p(e^z) up to z = 700, the stable form above
    (log(1 + exp(z)), TAIL_SOFTPLUS, "stable-forms"),
    (log1p(exp(z)), TAIL_SOFTPLUS, "stable-forms"),
    (log(1 + exp(-z)), TAIL_SOFTPLUS.xreplace({z: -z}), "stable-forms"),
]


def test_other_expressions_compile_as_written():
    w = Symbol("w", real=True)
    for expr in (sympy.tanh(w * z) * (1 - sympy.tanh(w * z) ** 2), exp(z) + log(y), 2 - sigmoid(z)):
        assert stable_rewrite(expr) == expr


@pytest.mark.parametrize(("pattern", "rewritten", "slug"), REWRITES)
def test_each_rewrite_is_an_identity_of_its_derivation(pattern, rewritten, slug):
    assert derivations.get(slug).verify()  # the cited derivation exists and verifies
    got = stable_rewrite(pattern)
    assert sympy.srepr(derivations.engine.canonical(got)) == sympy.srepr(rewritten)
    verdict = check.equivalent(got, pattern)  # and it is an identity (mpmath at 50 digits too)
    assert verdict.equal


def test_import_numeric_does_not_import_sympy_until_lambdify_is_called():
    import subprocess
    import sys

    code = (
        "import sys, numeric; numeric.lambdify; "
        "print(any(m.split('.')[0] == 'sympy' for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_a_function_without_a_numpy_form_is_refused_by_name():
    # SymPy prints erf and gamma with Python's math module, which takes no arrays.
    with pytest.raises(ValueError, match=r"no NumPy form.*erf"):
        numeric.lambdify(z, sympy.erf(z))


def test_the_notation_display_forms_compile_as_what_they_mean():
    # frac(1, sum_of(1, e^-z)) displays 1/(1 + e^{-z}) as written and means the sigmoid,
    # which lambdify writes in its stable form: no overflow at -800.
    from derivations.notation import frac, sum_of

    f = numeric.lambdify(z, frac(1, sum_of(1, exp(-z))))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = f(np.array([0.0, 800.0, -800.0]))
    assert got[0] == 0.5 and got[1] == 1.0
    assert got[2] == float(mpmath.exp(-800) / (1 + mpmath.exp(-800)))  # 0.0 after rounding


# softplus's tail form on both sides of its split (700 for float64, 700/8 = 87.5 for float32,
# where float32's exp overflows at 88.7), up to far past the overflow of e^z; in every block.
SPLIT = {np.float64: 700.0, np.float32: 87.5}
SOFTPLUS_FORMS = {
    "log(1 + exp(z))": (log(1 + exp(z)), 1),
    "log1p(exp(z))": (log1p(exp(z)), 1),
    "log(1 + exp(-z))": (log(1 + exp(-z)), -1),  # the same tail, at z < -700
    "-log(1 + exp(-z))": (-log(1 + exp(-z)), -1),  # log sigma(z) written out
}


def _softplus_points(dtype, sign):
    split = SPLIT[dtype]
    near = split + np.array([-10, -1, -1e-3, 0, 1e-3, 1, 8.0, 9.0, 9.7, 9.8, 10, 45, 100, 300])
    far = np.array([1e4, 1e10, 1e30, float(np.finfo(dtype).max)])
    low = np.array([-1e3, -745.2, -100, -37.5, -1.0, -1e-10, 0.0, 1e-10, 2.0, 37.5])
    t = np.concatenate([near, -near, far, -far, low]).astype(dtype)
    return t, sign * t  # the points, and e's argument at them


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("form", list(SOFTPLUS_FORMS))
def test_softplus_tail_form_on_both_sides_of_its_split(form, dtype):
    expr, sign = SOFTPLUS_FORMS[form]
    f = numeric.lambdify(z, expr)
    t, u = _softplus_points(dtype, sign)
    outer = -1.0 if form.startswith("-") else 1.0
    # mpmath at 50 digits: ln(1 + e^u) = u + ln(1 + e^-u) for u > 0 (no e^1e30 to build)
    with mpmath.workdps(50):
        exact = [
            outer * (v + mpmath.log1p(mpmath.exp(-v)) if v > 0 else mpmath.log1p(mpmath.exp(v)))
            for v in (mpmath.mpf(float(x)) for x in u)
        ]
    want = np.array([float(e) for e in exact]).astype(dtype)
    # Spread over a million elements, so that the patch runs in several blocks of them.
    big = np.zeros(10**6, dtype)
    where = np.linspace(0, 10**6 - 1, t.size).astype(int)
    big[where] = t
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        got, got_big = f(t), f(big)  # no warning: every true value here is finite
    assert got.dtype == got_big.dtype == dtype
    assert np.max(ulp_error(got, want)) <= 2, (t, got, want)
    np.testing.assert_array_equal(got_big[where], got)
    rest = np.delete(got_big, where)  # softplus(0) = ln 2 elsewhere
    np.testing.assert_array_equal(rest, np.full_like(rest, outer * np.log(dtype(2))))
    assert "_tail_patch" in f.source  # the fast form over the block, the patch on its tail


def test_softplus_tail_form_scalars_warn_nowhere():
    f = numeric.lambdify(z, log(1 + exp(z)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for value, want in ((1000.0, 1000.0), (-1000.0, 0.0), (np.float32(100), np.float32(100))):
            got = f(value)
            assert got == want and got.dtype == np.asarray(want).dtype
        tiny = f(np.float32(-100))  # e^-100, a float32 subnormal
        assert ulp_error(tiny, np.float32(float(mpmath.exp(-100)))) <= 1


def test_softplus_tail_form_takes_two_passes_over_the_block():
    # exp and log1p: no pass computes -z or max(z, 0). The fast form, tried first, is just
    # those; the block that runs where it overflows also tests z itself for the tail.
    source = numeric.lambdify(z, log(1 + exp(z))).source
    block, fast = source[source.index("def kernel(") :].split("\n\n\n")

    def calls(function):
        return [line.split("(")[0].strip() for line in function.strip().splitlines()[1:]]

    assert calls(block) == ["x1 = _tail_mask", "numpy.exp", "numpy.log1p", "_tail_patch"], block
    assert fast.startswith("def kernel_fast(") and calls(fast) == ["numpy.exp", "numpy.log1p"]


def test_a_tail_of_a_parameter_is_patched_when_the_data_come_first():
    # y (an array) first, z (0-d) second: the fast value of a tail of z is one number in a
    # block, but the patch needs an array to write into. References: softplus(z) - y z with
    # softplus(800) = 800 (e^-800 is below float64's half ULP of 800), and sigma'(800) = e^-800,
    # which rounds to 0; both at 50 digits by mpmath below.
    bce = numeric.lambdify([y, z], log(1 + exp(z)) - y * z)
    slope = numeric.lambdify([y, z], y * sigmoid(z) * sigmoid(-z))
    targets = np.array([0.0, 0.25, 1.0])
    with mpmath.workdps(50):
        exact = [float(mpmath.log1p(mpmath.exp(800)) - t * 800) for t in targets.tolist()]
        tiny = float(_s(800) * _s(-800))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(bce(targets, 800.0), exact)
        np.testing.assert_array_equal(slope(targets, 800.0), targets * tiny)
        assert bce(0.25, np.float32(100)) == np.float32(75)
