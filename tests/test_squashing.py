"""The seven S-curves: derivations, the limits table, NumPy accuracy in the far tails, cost."""

import json
import re

import mpmath
import numpy as np
import pytest
from sympy import Derivative, Symbol, diff, exp, lambdify, limit, log, oo

from derivations import get, sigmoid
from derivations.squashing import CURVES, loss_slope_limits
from derivations.topics.curves import curve_forms
from numeric import _erfc as erfc_module
from numeric import squashing as sq
from numeric.benchmark.cli import main
from numeric.benchmark.squashing import measure
from numeric.finite_differences import check_derivative
from tests.reference import reference, ulp_error

mp = mpmath
z = Symbol("z", real=True)  # the weighted input, the curves' argument

# ----------------------------------------------------------------- references
# Textbook p(x) written with mpmath, evaluated at 60 digits (tests.reference). Where the
# textbook form cancels in the tail even at 60 digits, a standard identity replaces it (said
# next to it); the algebraic and softsign curves use the textbook form verbatim, at a
# precision raised with |x| so that 1 + x/sqrt(1 + x^2) keeps 60 digits.


def _erfc(a):
    # mpmath's erfc gives up near 1e100: beyond 1e5 its asymptotic series, whose next term
    # (15/8)/a**6 is below 1e-30 there.
    if a < 1e5:
        return mp.erfc(a)
    return mp.exp(-a * a) / (a * mp.sqrt(mp.pi)) * (1 - 1 / (2 * a * a) + 3 / (4 * a**4))


def _log_erfc(a):
    if a < 1e5:
        return mp.log(mp.erfc(a))
    return -a * a - mp.log(a * mp.sqrt(mp.pi)) + mp.log1p(-1 / (2 * a * a) + 3 / (4 * a**4))


def _verbatim(formula, digits_per_decade):
    def p(v):
        with mp.workdps(60 + digits_per_decade * int(mp.log10(abs(v) + 1))):
            return +formula(v)

    return p


P = {
    "logistic": lambda v: 1 / (1 + mp.exp(-v)),
    "tanh": lambda v: 1 / (1 + mp.exp(-2 * v)),  # (1 + tanh v)/2 = sigma(2v)
    "arctan": lambda v: mp.atan2(1, -v) / mp.pi,  # 1/2 + atan(v)/pi without cancellation
    "algebraic": _verbatim(lambda v: (1 + v / mp.sqrt(1 + v * v)) / 2, 2),
    "erf": lambda v: _erfc(-v) / 2 if v < 0 else 1 - _erfc(v) / 2,  # 1 + erf v = erfc(-v)
    "softsign": _verbatim(lambda v: (1 + v / (1 + abs(v))) / 2, 1),
    "gudermannian": lambda v: 2 * mp.atan(mp.exp(v)) / mp.pi,  # 1/2 + gd(v)/pi
}
DENSITY = {  # p'(x), differentiated by hand
    "logistic": lambda v: mp.exp(-abs(v)) / (1 + mp.exp(-abs(v))) ** 2,
    "tanh": lambda v: 2 * mp.exp(-2 * abs(v)) / (1 + mp.exp(-2 * abs(v))) ** 2,
    "arctan": lambda v: 1 / (mp.pi * (1 + v * v)),
    "algebraic": lambda v: 1 / (2 * (1 + v * v) ** mp.mpf(1.5)),
    "erf": lambda v: mp.exp(-v * v) / mp.sqrt(mp.pi),
    "softsign": lambda v: 1 / (2 * (1 + abs(v)) ** 2),
    "gudermannian": lambda v: mp.sech(v) / mp.pi,
}


def _loss(name):
    def loss(v):
        if name == "erf" and v < 0:
            return mp.log(2) - _log_erfc(-v)
        if v > 0:
            return -mp.log1p(-P[name](-v))  # 1 - p(v) = p(-v): every curve is symmetric
        return -mp.log(P[name](v))

    return loss


def _slope(name):
    def slope(v):
        if name == "erf" and v < -1e5:  # -p'/p = -2/(sqrt(pi) erfcx|v|), erfcx by its series
            a = -v
            return -2 * a / (1 - 1 / (2 * a * a) + 3 / (4 * a**4))
        return -DENSITY[name](v) / P[name](v)

    return slope


LOSS = {name: _loss(name) for name in P}
SLOPE = {name: _slope(name) for name in P}
FUNCTIONS = {
    "squash": (sq.squash, P),
    "loss": (sq.loss, LOSS),
    "loss_slope": (sq.loss_slope, SLOPE),
}

BIGGEST = np.finfo(np.float64).max
# Every magnitude from 1e-300 to the largest float, both signs, 0, and [-40, 40] densely.
SWEEP = np.unique(
    np.concatenate(
        [
            -np.geomspace(1e-300, 1.7e308, 300),
            np.geomspace(1e-300, 1.7e308, 300),
            [0.0, BIGGEST, -BIGGEST],
            np.linspace(-40, 40, 401),
        ]
    )
)
# The worst errors measured over these sweeps are 5 ULP in float64 (the algebraic curve's slope
# near 0) and 6 in float32; a mistake in a tail form costs thousands.
MAX_ULP = 8


# ----------------------------------------------------------------- derivations


@pytest.mark.parametrize(
    ("slug", "numeric_only"),
    [
        ("squashing-functions", 0),
        ("squashing-slope-limits", 0),
        # arctan t + arccot t = pi/2 (twice) and arctan e^t + arctan e^-t = pi/2: SymPy's
        # simplifier cannot show these, so only the 50-digit check stands behind them.
        ("squashing-tails", 3),
    ],
)
def test_derivations_verify(slug, numeric_only):
    report = get(slug).verify()
    assert report.numeric == numeric_only, report.table()


def test_limits_table_names_values_and_order():
    assert loss_slope_limits() == {
        "logistic": -1,
        "tanh": -2,
        "arctan": 0,
        "algebraic": 0,
        "erf": -oo,
        "softsign": 0,
        "gudermannian": -1,
    }
    assert tuple(loss_slope_limits()) == sq.NAMES == tuple(CURVES)


@pytest.mark.parametrize("name", ["logistic", "arctan", "softsign"])
def test_sympy_limit_of_the_textbook_slope(name):
    # SymPy's limit of d/dz(-ln p) with p as the issue writes it (the fast ones; the
    # derivation covers all seven).
    slope = diff(-log(CURVES[name].p), z)
    assert limit(slope, z, -oo) == loss_slope_limits()[name]
    assert limit(slope, z, oo) == 0


@pytest.mark.parametrize("name", sq.NAMES)
def test_limits_agree_with_the_slope_far_out(name):
    # An independent route: the hand-written -p'/p in mpmath at x = -1e6 and -1e12.
    with mp.workdps(60):
        near, far = SLOPE[name](mp.mpf(-1e6)), SLOPE[name](mp.mpf(-1e12))
    value = loss_slope_limits()[name]
    if value == -oo:
        assert near < -1e6 and far < -1e12  # grows like 2x
    elif value == 0:
        assert 0 > far > -3e-12 and abs(far) < abs(near) * 1e-5  # fades like 1/|x|
    else:
        assert abs(far - float(value)) < 1e-11


@pytest.mark.parametrize("name", sq.NAMES)
def test_kernels_are_the_verified_forms_evaluated(name):
    # What NumPy lambdifies equals the textbook p and its loss at exact rational points.
    p, loss, _ = curve_forms(name)
    for v in (-3, -1, 0, 2):
        with mp.workdps(30):
            assert abs(p.subs(z, v).doit().evalf(25) - P[name](mp.mpf(v))) < 1e-20
            assert abs(loss.subs(z, v).doit().evalf(25) - LOSS[name](mp.mpf(v))) < 1e-20


# ----------------------------------------------------------------- NumPy accuracy


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
@pytest.mark.parametrize("name", sq.NAMES)
def test_float64_accuracy_over_the_whole_range(name, function):
    apply, textbook = FUNCTIONS[function]
    got = apply(name, SWEEP)
    want = reference(textbook[name], SWEEP)
    assert got.dtype == np.float64
    errors = ulp_error(got, want)
    worst = int(np.argmax(errors))
    assert errors[worst] <= MAX_ULP, (
        f"{function}({name!r}, {SWEEP[worst]!r}) = {got[worst]!r}, want {want[worst]!r}: "
        f"{errors[worst]:.1f} ULP"
    )


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
@pytest.mark.parametrize("name", sq.NAMES)
def test_float32_accuracy_and_dtype(name, function):
    apply, textbook = FUNCTIONS[function]
    big = np.geomspace(1e-40, 3e38, 150)
    points = np.unique(np.concatenate([-big, big, np.linspace(-40, 40, 161)])).astype(np.float32)
    got = apply(name, points)
    assert got.dtype == np.float32
    with np.errstate(over="ignore"):  # losses beyond float32's range (tanh, erf) round to inf
        want = reference(textbook[name], points, dtype=np.float32)
    errors = ulp_error(got, want)
    worst = int(np.argmax(errors))
    assert errors[worst] <= MAX_ULP, f"{function}({name!r}, {points[worst]!r}): {errors[worst]}"


@pytest.mark.parametrize("name", sq.NAMES)
def test_the_wrong_side_is_finite_and_smooth(name):
    # The tail that plots of naive formulas cut off: the loss grows and its slope changes
    # monotonically, with no step, NaN or infinity, from -20 to -1e5 and on to -1e150.
    v = -np.geomspace(20, 1e150, 2000)
    losses, slopes = sq.loss(name, v), sq.loss_slope(name, v)
    assert np.all(np.isfinite(losses)) and np.all(np.isfinite(slopes))
    assert np.all(np.diff(losses) > 0)
    assert np.all(np.diff(slopes) <= 0) or np.all(np.diff(slopes) >= 0)


def test_inf_only_where_the_exact_loss_exceeds_the_float_range():
    # -ln p ~ -2x (tanh) and ~ x^2 (erf): beyond the float range, inf is the rounded value.
    assert sq.loss("tanh", -1e308) == np.inf and np.isfinite(sq.loss("tanh", -8e307))
    assert sq.loss("erf", -1e155) == np.inf and np.isfinite(sq.loss("erf", -1e154))
    assert sq.loss_slope("erf", -1e308) == -np.inf  # the slope ~ 2x
    assert sq.loss_slope("tanh", -BIGGEST) == -2.0 and sq.loss_slope("logistic", -BIGGEST) == -1.0
    for name in ("logistic", "arctan", "algebraic", "softsign", "gudermannian"):
        assert np.isfinite(sq.loss(name, -BIGGEST)), name


@pytest.mark.parametrize("name", sq.NAMES)
def test_slope_is_the_derivative_of_the_loss(name):
    # The gradient checker (Richardson extrapolation) away from x = 0, where softsign has a kink
    # in its second derivative.
    points = np.concatenate([-np.linspace(0.1, 12, 40), np.linspace(0.1, 12, 40)])
    check_derivative(lambda v: sq.loss(name, v), lambda v: sq.loss_slope(name, v), points)


@pytest.mark.parametrize("name", sq.NAMES)
def test_symmetry_and_the_middle(name):
    v = np.linspace(-30, 30, 121)
    np.testing.assert_allclose(sq.squash(name, -v), 1 - sq.squash(name, v), atol=4e-16)
    assert sq.squash(name, 0.0) == 0.5
    assert sq.loss(name, 0.0) == pytest.approx(np.log(2), rel=1e-15)


def test_bad_input():
    with pytest.raises(ValueError, match="unknown curve 'sine'; known: logistic, tanh"):
        sq.squash("sine", 0.0)
    with pytest.raises(TypeError, match="loss: x has dtype complex128"):
        sq.loss("erf", np.array([1j]))
    assert sq.loss_slope("tanh", [1, 2]).dtype == np.float64
    assert sq.squash("arctan", np.zeros((2, 3), np.float32)).shape == (2, 3)


# ----------------------------------------------------------------- erfc without SciPy


def _erfcx(a):
    if a < 1e5:
        return mp.exp(a * a) * mp.erfc(a)
    return 1 / (a * mp.sqrt(mp.pi)) * (1 - 1 / (2 * a * a) + 3 / (4 * a**4))


def test_erfc_and_erfcx_against_mpmath():
    t = np.unique(np.concatenate([np.linspace(0, 30, 3001), np.geomspace(1e-300, 1.7e308, 300)]))
    assert np.max(ulp_error(erfc_module.erfcx(t), reference(_erfcx, t))) <= 3
    small = t[t < 40]
    want = reference(mp.erfc, small)
    assert np.max(ulp_error(erfc_module.erfc(small), want)) <= 4
    exact = reference(lambda a: mp.exp(-a * a), small)
    assert np.max(ulp_error(erfc_module.exp_minus_square(small), exact)) <= 2


# ----------------------------------------------------------------- cost


def test_benchmark_rows_and_table(capsys):
    rows = measure(size=500, repeats=3)
    assert [(r.function, r.curve) for r in rows[:2]] == [("sigmoid", "logistic"), ("p", "logistic")]
    assert len(rows) == 1 + 3 * len(sq.NAMES)
    assert rows[0].ratio == 1.0 and all(r.nanoseconds > 0 and r.low <= r.high for r in rows)
    assert main(["--suite", "squashing", "--sizes", "300", "--repeats", "2"]) == 0
    printed = capsys.readouterr().out
    assert "ratio (quartiles)" in printed and all(name in printed for name in sq.NAMES)
    assert printed.startswith("300 float64 points uniform in [-20, 20], 2 interleaved repeats")
    assert main(["--suite", "squashing", "--sizes", "200", "--repeats", "2", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["sizes"]["200"]
    assert len(rows) == 1 + 3 * len(sq.NAMES) and rows[0]["ratio"] == 1.0
    with pytest.raises(ValueError, match="size and repeats must be positive"):
        measure(size=0)


def test_the_old_benchmark_module_is_a_deprecated_shim(capsys):
    import numeric.squashing_benchmark as old

    with pytest.deprecated_call(match="numeric.benchmark.squashing.measure"):
        assert old.measure is measure
    with pytest.deprecated_call(match="--suite squashing"):
        assert old.main(["--size", "100", "--repeats", "1"]) == 0
    assert capsys.readouterr().out.startswith("100 float64 points")


# ----------------------------------------------------------------- figures


def test_figures_draw_every_curve_in_full():
    from numeric.figures.squashing import FIGURES

    for spec in FIGURES:
        fig = spec.draw()
        for ax in fig.axes:
            assert ax.get_xlabel() or ax.get_title(), spec.name
            for line in ax.get_lines():
                assert np.all(np.isfinite(line.get_ydata())), (spec.name, line.get_label())
        assert fig.legends or any(ax.get_legend() for ax in fig.axes), spec.name


def test_result_of_the_functions_derivation_is_the_logistic_loss_slope():
    # The result d/dz(-ln sigma(z)) = -sigma(-z), against the slope of the textbook loss
    # ln(1 + e^{-z}) differentiated by mpmath at 50 digits, and against NumPy's loss_slope.
    result = get("squashing-functions").result
    assert result.lhs == Derivative(-log(sigmoid(z)), z)
    slope = lambdify(z, result.rhs.rewrite(exp), "mpmath")
    points = np.array([-30.0, -2.5, 0.0, 0.5, 3.0, 30.0])
    with mp.workdps(50):
        for point in map(mp.mpf, points):
            want = mp.diff(lambda t: mp.log(1 + mp.exp(-t)), point)
            assert abs(slope(point) - want) <= mp.mpf(10) ** -40 * abs(want), point
    want = reference(lambda t: slope(t), points)
    assert np.max(ulp_error(sq.loss_slope("logistic", points), want)) <= MAX_ULP


@pytest.mark.parametrize("name", [n for n in sq.NAMES if CURVES[n].tail is not None])
def test_numpy_forms_are_the_displayed_forms_regrouped(name):
    # squashing-tails displays each tail form; NumPy evaluates the same expression with its
    # factors kept apart. Both, rebuilt by SymPy, agree exactly at rational points.
    from derivations.engine import canonical

    tail = CURVES[name].tail
    t = Symbol("t", positive=True)
    for part in ("q", "minus_log_q", "density", "ratio"):
        shown, computed = canonical(getattr(tail, part)), canonical(tail.numpy_form(part))
        for v in (mpmath.mpf(1) / 3, 2, 7):
            assert abs(shown.subs(t, v).evalf(40) - computed.subs(t, v).evalf(40)) < 1e-35


def test_the_display_keeps_the_written_order():
    from derivations.render import result_latex

    assert result_latex(get("squashing-tails")).endswith(
        r"= t^{2} + \ln{\left(2 \right)} - \ln{\left(\operatorname{erfcx}\left(t\right) \right)}"
    )
    table = get("squashing-slope-limits").reading
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    assert len(rows) == 1 + len(CURVES)  # the header and one row per curve


# ----------------------------------------------------------------- same slope at 0


@pytest.mark.parametrize("name", sq.NAMES)
def test_slope_at_zero_and_the_comparison_at_the_sigmoids_slope(name):
    # p'(0) against the hand-written density DENSITY and against mpmath's numerical
    # derivative of P; then the curve scaled to the sigmoid's slope 1/4 at 0, q(x) = p(alpha x)
    # with alpha = 1/(4 p'(0)): its loss slope -alpha p'(alpha x)/p(alpha x) far out, which
    # the table's last column and the derivation's last two lines state.
    from derivations.topics.squashing import SLOPE_AT_0

    with mp.workdps(40):
        value = mp.mpf(SLOPE_AT_0[name].evalf(45))
        assert abs(DENSITY[name](mp.mpf(0)) - value) < mp.mpf(10) ** -35
        assert abs(mp.diff(P[name], mp.mpf(0)) - value) < mp.mpf(10) ** -20
        alpha = 1 / (4 * value)
        far = -(mp.mpf(10) ** 6)

        def scaled(v):
            return alpha * SLOPE[name](alpha * v)

        matched = {
            "logistic": -1,
            "tanh": -1,
            "gudermannian": -mp.pi / 4,
            "arctan": -1 / abs(far),
            "softsign": -1 / abs(far),
            "algebraic": -2 / abs(far),
            "erf": -mp.pi * abs(far) / 8,
        }[name]
        assert abs(scaled(far) / matched - 1) < 1e-5, (name, scaled(far), matched)
    table = get("squashing-slope-limits").reading
    row = next(line for line in table.splitlines() if line.startswith(f"| {CURVES[name].title}"))
    assert row.count("|") == 6  # five cells: the curve, p, the limit, its class, matched


# ----------------------------------------------------------------- notation


# The letter x as a symbol of its own in LaTeX or prose: not part of a word or a command
# (\exp, \max, erfcx), so "x", "2x", "|x|" and "e^{-x}" are found.
LONE_X = re.compile(r"(?<![A-Za-z\\])x(?![A-Za-z])")


def test_section_6_calls_the_weighted_input_z_as_the_notation_table_does():
    # The notation table (derivations.book.NOTATION) names a unit's weighted input z. Section 6
    # uses no other input, so no x may appear anywhere in it: its prose, its derivations as
    # rendered (the lines, their justifications and the results), its figures' captions and
    # every text drawn in them (titles, axis labels, legends).
    import matplotlib.pyplot as plt

    from derivations.book import NOTATION, SECTIONS
    from derivations.render import derivation_latex, result_latex
    from numeric.figures.squashing import FIGURES

    assert "| $z$, $z_k$ | a unit's weighted input" in NOTATION
    section = next(s for s in SECTIONS if s.key == "why-sigmoid")
    texts = {"intro": section.intro, "outro": section.outro}
    for slug in section.slugs:
        d = get(slug)
        texts |= {f"{slug} intro": d.intro, f"{slug} reading": d.reading}
        texts |= {slug: derivation_latex(d), f"{slug} result": result_latex(d)}
    for spec in FIGURES:
        if spec.name not in section.figures:
            continue
        texts[f"{spec.name} caption"] = spec.caption
        fig = spec.draw()
        drawn = [t.get_text() for t in fig.findobj(plt.Text)]
        plt.close(fig)
        assert "$z$" in drawn, spec.name  # the horizontal axis is labelled z
        texts[f"{spec.name} drawn"] = "\n".join(drawn)
    assert len(texts) == 2 + 4 * len(section.slugs) + 2 * len(section.figures)
    found = {where: LONE_X.findall(text) for where, text in texts.items()}
    assert not {where: hits for where, hits in found.items() if hits}
    assert LONE_X.findall(r"$p(x)$, $2x$, $e^{-x}$, \exp, \max, erfcx") == ["x", "x", "x"]
