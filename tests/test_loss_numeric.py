"""numeric's losses and gradients: accuracy against mpmath, finite differences, shapes, dtypes."""

import mpmath
import numpy as np
import pytest

import numeric
from numeric._codegen import BLOCK_BYTES
from numeric.finite_differences import check_gradient
from tests.reference import magnitudes, reference, ulp_error

MAX_ULP = 4  # the bound for bce_with_logits and the BCE gradients


def deep(formula):
    """``formula`` at 500 digits, then rounded to the caller's precision.

    The textbook forms subtract nearly equal numbers in the tails: ln(1 + e^z) - z for y = 1
    and sigma(z) - 1 lose about z / 2.3 digits, so at |z| <= 1000 they need ~435 digits more
    than the 60 of tests.reference to come out exact.
    """

    def evaluate(*args):
        with mpmath.workdps(500):
            return +formula(*args)

    return evaluate


def sigma(t):
    return 1 / (1 + mpmath.exp(-t))


# Textbook formulas, written with mpmath: the references.
BCE_LOGITS = deep(lambda t, target: mpmath.log(1 + mpmath.exp(t)) - target * t)
BCE_DZ = deep(lambda t, target: sigma(t) - target)
MSE_DZ = deep(lambda t, target: (sigma(t) - target) * sigma(t) * (1 - sigma(t)))


def _sweep(dtype, limit=1000.0):
    # Every magnitude up to 1000 (float32: up to 100, past its exp overflow at 88.7).
    return magnitudes(limit if dtype == np.float64 else 100.0).astype(dtype)


def _worst(errors, z):
    i = int(np.argmax(errors))
    return f"{errors[i]:.1f} ULP at z = {z[i]!r}"


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("target", [0.0, 1.0])
def test_bce_with_logits_and_gradient_at_integer_targets(dtype, target):
    z = _sweep(dtype)
    y = np.full_like(z, target)
    loss = numeric.bce_with_logits(z, y)
    assert loss.dtype == dtype
    errors = ulp_error(loss, reference(BCE_LOGITS, z, y, dtype=dtype))
    assert errors.max() <= MAX_ULP, _worst(errors, z)
    # x = 1, b = 0: then z = w x + b is exact, and dC/dw = dC/db = dC/dz.
    dw, db = numeric.bce_gradient(dtype(1), y, z, dtype(0))
    assert dw.dtype == db.dtype == dtype
    want = reference(BCE_DZ, z, y, dtype=dtype)
    for got in (dw, db):
        errors = ulp_error(got, want)
        assert errors.max() <= MAX_ULP, _worst(errors, z)


def _away_from_root(z, y):
    """Where the gradient sigma(z) - y is well conditioned.

    Computed as (1 - y) sigma(z) - y sigma(-z), its rounding errors are about eps times
    (1 - y) sigma(z) + y sigma(-z); relative to |sigma(z) - y| that is the condition number.
    Keep the points where it is at most 2, away from the root sigma(z) = y.
    """
    s = (1 + np.tanh(z.astype(np.float64) / 2)) / 2  # the sigmoid, without overflow
    return (1 - y) * s + y * (1 - s) <= 2 * np.abs(s - y)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_bce_with_logits_and_gradient_at_fractional_targets(dtype, rng):
    z = np.repeat(_sweep(dtype)[::4], 3)
    y = rng.uniform(0, 1, z.size).astype(dtype)
    # The loss is a sum of terms that are never negative: accurate everywhere.
    errors = ulp_error(numeric.bce_with_logits(z, y), reference(BCE_LOGITS, z, y, dtype=dtype))
    assert errors.max() <= MAX_ULP, _worst(errors, z)
    keep = _away_from_root(z, y)
    assert keep.mean() > 0.5  # most of the sweep is tested
    _, db = numeric.bce_gradient(dtype(1), y[keep], z[keep], dtype(0))
    errors = ulp_error(db, reference(BCE_DZ, z[keep], y[keep], dtype=dtype))
    assert errors.max() <= MAX_ULP, _worst(errors, z[keep])


def test_naive_gradient_would_lose_every_digit():
    # The reason for the stable form: sigma(z) - 1 at z = 40 is -4.2e-18, but 1/(1 + e^-40)
    # rounds to 1 in float64, so the naive difference is 0.
    naive = 1 / (1 + np.exp(-40.0)) - 1
    _, db = numeric.bce_gradient(1.0, 1.0, 40.0, 0.0)
    assert naive == 0.0
    assert ulp_error(db, reference(BCE_DZ, 40.0, 1.0)) <= 1


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_mse_gradient_accuracy(dtype, rng):
    # Error budget of ((1 - y) s(z) - y s(-z)) s(z) s(-z), s the stable sigmoid: about 3 ULP in
    # the residual where it is well conditioned, 1.5 in each sigmoid factor, 0.5 per product.
    z = np.repeat(_sweep(dtype)[::2], 2)
    y = np.concatenate([np.zeros(z.size // 2), np.ones(z.size // 2)]).astype(dtype)
    y[::7] = rng.uniform(0, 1, y[::7].size)
    keep = _away_from_root(z, y)
    _, db = numeric.mse_gradient(dtype(1), y[keep], z[keep], dtype(0))
    assert db.dtype == dtype
    errors = ulp_error(db, reference(MSE_DZ, z[keep], y[keep], dtype=dtype))
    assert errors.max() <= 8, _worst(errors, z[keep])


def test_gradients_of_w_carry_the_input(rng):
    # dC/dw = x dC/dz: with z exact (b = 0, x a power of two), exactly x times dC/db.
    z = rng.uniform(-30, 30, 200)
    for x in (0.5, -2.0, 8.0):
        for gradient in (numeric.bce_gradient, numeric.mse_gradient):
            dw, db = gradient(x, 1.0, z / x, 0.0)
            np.testing.assert_array_equal(dw, x * db)


@pytest.mark.parametrize(
    ("loss", "gradient"), [("mse", numeric.mse_gradient), ("bce", numeric.bce_gradient)]
)
def test_neuron_gradients_against_finite_differences(loss, gradient, rng):
    def cost(p, x, y):
        z = p[0] * x + p[1]
        if loss == "mse":
            return float(numeric.mse_loss(numeric.sigmoid(z), y))
        return float(numeric.bce_with_logits(z, y))

    for x, y, w, b in rng.uniform([-3, 0, -3, -3], [3, 1, 3, 3], (10, 4)):
        check_gradient(
            lambda p, x=x, y=y: cost(p, x, y),
            lambda p, x=x, y=y: np.array(gradient(x, y, p[0], p[1])),
            np.array([w, b]),
        )


def test_elementwise_functions_broadcast():
    x = np.linspace(-2, 2, 5)[:, None]
    w = np.array([0.5, -1.0, 3.0])
    dw, db = numeric.bce_gradient(x, 0.0, w, 0.25)
    assert dw.shape == db.shape == (5, 3)
    assert numeric.mse_loss(np.zeros((2, 1)), np.ones(4)).shape == (2, 4)


def test_bce_loss_accuracy_and_conventions(rng):
    a = np.concatenate(
        [
            rng.uniform(0, 1, 500),
            10.0 ** rng.uniform(-300, -1, 200),
            1 - 10.0 ** rng.uniform(-16, -1, 200),
        ]
    )
    y = rng.uniform(0, 1, a.size)
    y[::3] = np.round(y[::3])
    got = numeric.bce_loss(a, y)
    # ln(1 - p) as mpmath's log1p(-p): 60 digits then suffice for p down to 1e-300.
    want = reference(lambda p, t: -(t * mpmath.log(p) + (1 - t) * mpmath.log1p(-p)), a, y)
    errors = ulp_error(got, want)
    assert errors.max() <= MAX_ULP, f"{errors.max():.1f} ULP at a = {a[np.argmax(errors)]!r}"
    # 0 ln 0 = 0: certain and right costs exactly +0; certain and wrong costs inf.
    right = numeric.bce_loss([0.0, 1.0], [0.0, 1.0])
    np.testing.assert_array_equal(right, [0.0, 0.0])
    assert not np.any(np.signbit(right))
    np.testing.assert_array_equal(numeric.bce_loss([0.0, 1.0, 0.0], [1.0, 0.0, 0.5]), np.inf)


def test_losses_against_their_formulas():
    a, y = np.array([0.2, 0.9]), np.array([0.0, 1.0])
    np.testing.assert_allclose(numeric.mse_loss(a, y), (a - y) ** 2 / 2, rtol=0, atol=0)
    # bce_with_logits(z, y) is bce_loss(sigma(z), y) where sigma(z) is not rounded to 0 or 1
    z = np.linspace(-5, 5, 11)
    np.testing.assert_allclose(
        numeric.bce_with_logits(z, 0.3),
        numeric.bce_loss(numeric.sigmoid(z), 0.3),
        rtol=16 * np.finfo(float).eps,
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: numeric.bce_loss(1.5, 0.0), r"bce_loss: a must lie in \[0, 1\]"),
        (lambda: numeric.bce_loss(0.5, -0.1), r"bce_loss: y must lie in \[0, 1\]"),
        (lambda: numeric.bce_with_logits(0.0, 2.0), r"bce_with_logits: y must lie in \[0, 1\]"),
        (lambda: numeric.bce_gradient(1.0, 1.5, 0.0, 0.0), r"bce_gradient: y must lie in \[0, 1\]"),
    ],
)
def test_out_of_range_values_raise(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_dtypes():
    assert numeric.bce_with_logits(np.float32(3.0), np.float32(1.0)).dtype == np.float32
    assert numeric.bce_loss(np.float32([0.0, 0.25]), np.float32(1.0)).dtype == np.float32
    assert numeric.mse_gradient(np.float32(1.0), 0.0, np.float32(2.0), 0.5)[0].dtype == np.float32
    assert numeric.mse_loss(np.array([1, 2]), 0).dtype == np.float64  # integers -> float64
    with pytest.raises(TypeError, match="mse_gradient: x has dtype complex128"):
        numeric.mse_gradient(np.array([1j]), 0.0, 1.0, 0.0)


def test_no_warning_inf_or_nan_for_extreme_finite_input():
    # RuntimeWarnings are errors in this test suite; w x overflows to inf here.
    big = np.array([-1e300, -1e3, 1e3, 1e300])
    for target in (0.0, 0.5, 1.0):
        for values in (
            numeric.bce_with_logits(big, target),
            *numeric.bce_gradient(big, target, big, 1.0),
            *numeric.mse_gradient(big, target, big, -1.0),
        ):
            assert np.all(np.isfinite(values))


MSE_LOSS = lambda a, target: (a - target) ** 2 / 2  # noqa: E731 (the textbook form)


def test_mse_loss_is_finite_wherever_the_loss_is():
    # (a - y)**2 overflows from |a - y| = 1.34e154, the loss (a - y)**2 / 2 only from
    # 1.9e154: the half is taken first (exactly), so the one rounding is the product's
    assert numeric.mse_loss(1.5e154, 0.0) == reference(MSE_LOSS, 1.5e154, 0.0)
    assert numeric.mse_loss(1.5e154, 0.0) / 1.125e308 - 1 <= 2 * np.finfo(float).eps
    top = np.sqrt(2.0) * np.sqrt(np.finfo(np.float64).max)  # 1.896e154: the loss reaches the top
    a = np.concatenate([np.geomspace(1e150, top, 200), -np.geomspace(1e-150, top, 200)])
    a *= 1 - 2.0**-40  # |a - y| stays below the top
    y = np.resize([0.0, 1e140, 1e-300, 0.5], a.size) * np.sign(a)
    got = numeric.mse_loss(a, y)
    want = reference(MSE_LOSS, a, y)
    assert np.all(np.isfinite(want))
    errors = ulp_error(got, want)
    # a - y is rounded (its error doubled by the square), then the product: 3 eps relative,
    # at most 3 ULP; within the 4 ULP of the other losses
    assert errors.max() <= MAX_ULP, _worst(errors, a)
    # float32: the loss reaches its top 3.4e38 at |a - y| = 2.6e19
    a32 = np.float32([2.0e19, -2.5e19, 1e-20])
    got32 = numeric.mse_loss(a32, np.float32(0))
    assert got32.dtype == np.float32
    # y = 0: a - y is exact and the one rounding is the product's
    assert ulp_error(got32, reference(MSE_LOSS, a32, 0.0, dtype=np.float32)).max() <= 0.5


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("tails", [False, True])
def test_mse_gradient_is_finite_for_huge_targets(dtype, tails):
    # (sigma(z) - y) sigma'(z) is at most (1 + |y|)/4: finite for every finite y, but the
    # stable form's (N - y) - y e^-|z| reaches 2|y| and overflowed for |y| above 9e307
    assert numeric.mse_gradient(1.0, -1e308, 0.0, 0.0) == (
        reference(MSE_DZ, 0.0, -1e308),
        reference(MSE_DZ, 0.0, -1e308),
    )
    top = np.finfo(dtype).max
    y = (np.linspace(0.125, 1.0, 15) * top).astype(dtype)
    # Where e^|z| overflows (the fast form raises), e^-|z| just below the normal range
    far = 709.9 if dtype == np.float64 else 88.8
    zs = [-3, 0, 0.5, 5, 40, -40] + ([far, -far] if tails else [])
    y, z = np.repeat(np.concatenate([-y, y]), len(zs)), np.resize(np.float32(zs), 30 * len(zs))
    z = z.astype(dtype)
    want = reference(MSE_DZ, z, y, dtype=dtype)
    assert np.all(np.isfinite(want))
    # As they are (small: the targets are tested first, and the huge ones halved), and
    # repeated past two blocks: without a far tail, each block's fast form takes the huge
    # targets as they are (it has no tail to overflow); past the split, the blocks' full form
    # runs, finds them (a late bound), and the whole input is evaluated again with them halved.
    many = 2 * BLOCK_BYTES // np.dtype(dtype).itemsize // y.size + 1
    for count in (1, many):
        dw, db = numeric.mse_gradient(dtype(1), np.tile(y, count), np.tile(z, count), dtype(0))
        assert db.dtype == dtype
        for got in (dw, db):
            errors = ulp_error(got, np.tile(want, count))
            assert errors.max() <= 8, _worst(
                errors, np.tile(z, count)
            )  # test_mse_gradient_accuracy's


@pytest.mark.parametrize("rows_per_block", [None, 3])
def test_batch_gradients_are_finite_where_the_mean_is(monkeypatch, rows_per_block):
    if rows_per_block is not None:  # blocks of 3 rows and 1: the halved targets per block
        monkeypatch.setattr(numeric.losses, "_BATCH_BYTES", rows_per_block * 2 * 8)
    # Four examples with r = (sigma(0) + 1.7e308) / 4 each: their sum overflows, their mean
    # does not. Reference: the mean of the mpmath residuals, times X.
    X, y = np.array([[1.0, 0.5], [1.0, 0.5], [1.0, -0.5], [1.0, 0.25]]), np.full(4, -1.7e308)
    grad_w, grad_b = numeric.mse_mean_gradient(X, y, np.zeros(2), 0.0)
    r = float(reference(MSE_DZ, 0.0, -1.7e308))
    with mpmath.workdps(60):
        want_w = [float(mpmath.fsum(mpmath.mpf(r) * mpmath.mpf(v) for v in col) / 4) for col in X.T]
    np.testing.assert_allclose(grad_w, want_w, rtol=4 * np.finfo(float).eps)
    assert grad_b == r
    # Huge and moderate targets mixed: each residual as mse_gradient gives it (its tests above)
    y = np.array([-1.7e308, 0.25, 1e308, 0.75])
    X = np.array([[1.0, 2.0], [-1.0, 0.5], [0.5, 0.5], [2.0, -1.0]])
    w = np.array([0.5, -0.25])
    grad_w, grad_b = numeric.mse_mean_gradient(X, y, w, 0.125)
    _, r = numeric.mse_gradient(1.0, y, X @ w + 0.125, 0.0)
    with mpmath.workdps(60):
        want_w = [
            float(
                mpmath.fsum(mpmath.mpf(a) * mpmath.mpf(b) for a, b in zip(r, col, strict=True)) / 4
            )
            for col in X.T
        ]
        want_b = float(mpmath.fsum(mpmath.mpf(a) for a in r) / 4)
    np.testing.assert_allclose(grad_w, want_w, rtol=4 * 4 * np.finfo(float).eps)
    np.testing.assert_allclose(grad_b, want_b, rtol=4 * 4 * np.finfo(float).eps)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: numeric.mse_loss(np.zeros(3), np.zeros(2)),
            ValueError,
            r"mse_loss: the shapes of a \(3,\) and y \(2,\) do not broadcast together",
        ),
        (
            lambda: numeric.bce_with_logits(np.zeros(3), np.zeros((2, 1, 4))),
            ValueError,
            r"bce_with_logits: the shapes of z \(3,\) and y \(2, 1, 4\) do not broadcast",
        ),
        (
            lambda: numeric.bce_gradient(np.zeros(3), 0.5, np.zeros(2), 0.0),
            ValueError,
            r"bce_gradient: the shapes of x \(3,\), y \(\), w \(2,\) and b \(\) do not",
        ),
        (
            lambda: numeric.mse_loss(10**400, 0.0),
            ValueError,
            r"mse_loss: a is a Python int of 1329 bits, too large for float64",
        ),
        (
            lambda: numeric.mse_mean_gradient(
                np.ma.array(np.ones((2, 2))), np.ones(2), np.ones(2), 0.0
            ),
            TypeError,
            r"mse_mean_gradient: X is a masked array",
        ),
    ],
)
def test_bad_shapes_and_values_name_the_parameter(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ------------------------------------------------------------------ batches


def _batch(rng, n=50, d=7):
    X = rng.normal(size=(n, d))
    return X, rng.uniform(0, 1, n), rng.normal(size=d), float(rng.normal())


@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_batch_gradient_against_finite_differences(loss, rng):
    X, y, w, b = _batch(rng)
    gradient = getattr(numeric, f"{loss}_mean_gradient")

    def mean_loss(p):
        z = X @ p[:-1] + p[-1]
        if loss == "mse":
            return float(np.mean(numeric.mse_loss(numeric.sigmoid(z), y)))
        return float(np.mean(numeric.bce_with_logits(z, y)))

    def grad(p):
        grad_w, grad_b = gradient(X, y, p[:-1], p[-1])
        return np.append(grad_w, grad_b)

    check_gradient(mean_loss, grad, np.append(w, b))


@pytest.mark.parametrize("rows_per_block", [None, 3])
@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_batch_gradient_against_mpmath(loss, rng, monkeypatch, rows_per_block):
    X, y, w, b = _batch(rng, n=40, d=3)
    X[:5] *= 100  # some saturated examples, far into the tails
    if rows_per_block is not None:  # one pass over X in blocks of 3 rows (and one of 1)
        monkeypatch.setattr(numeric.losses, "_BATCH_BYTES", rows_per_block * 3 * 8)
    grad_w, grad_b = getattr(numeric, f"{loss}_mean_gradient")(X, y, w, b)
    residual = BCE_DZ if loss == "bce" else MSE_DZ
    with mpmath.workdps(60):
        z = [
            mpmath.fsum(
                mpmath.mpf(float(v)) * mpmath.mpf(float(u)) for v, u in zip(row, w, strict=True)
            )
            + mpmath.mpf(b)
            for row in X
        ]
    r = [residual(t, mpmath.mpf(float(target))) for t, target in zip(z, y, strict=True)]
    n = len(r)
    want_w = [
        float(mpmath.fsum(ri * mpmath.mpf(float(X[i, j])) for i, ri in enumerate(r)) / n)
        for j in range(X.shape[1])
    ]
    want_b = float(mpmath.fsum(r) / n)
    # Sums of N terms: the bound of a dot product in floating point, gamma_N * sum |terms|,
    # with z = X w + b itself rounded (relative error ~ d eps in z, times |dr/dz| <= 1).
    eps = np.finfo(float).eps
    scale = np.abs(X).T @ (np.abs(X) @ np.abs(w) + abs(b) + 1) / n
    np.testing.assert_array_less(np.abs(grad_w - want_w), 4 * (n + 3) * eps * scale)
    assert abs(grad_b - want_b) <= 4 * (n + 3) * eps * np.mean(np.abs(X) @ np.abs(w) + abs(b) + 1)


def test_batch_shapes_are_strict(rng):
    X, y, w, b = _batch(rng, n=6, d=3)
    cases = [
        (
            (X, y[:, None], w, b),
            r"y must have shape \(6,\) to match X of shape \(6, 3\), got shape \(6, 1\)",
        ),
        (
            (X, y, w[:, None], b),
            r"w must have shape \(3,\) to match X of shape \(6, 3\), got shape \(3, 1\)",
        ),
        ((X, y, w, np.array([b])), r"b must have shape \(\) to match X .*got shape \(1,\)"),
        ((X[0], y, w, b), r"X must have shape \(N, d\), got shape \(3,\)"),
        ((X[:0], y[:0], w, b), r"X has shape \(0, 3\); the mean of no examples is undefined"),
    ]
    for name in ("mse_mean_gradient", "bce_mean_gradient"):
        for args, message in cases:
            with pytest.raises(ValueError, match=f"{name}: {message}"):
                getattr(numeric, name)(*args)
    with pytest.raises(ValueError, match=r"bce_mean_gradient: y must lie in \[0, 1\]"):
        numeric.bce_mean_gradient(X, y + 1, w, b)


def test_batch_float32_stays_float32(rng):
    X, y, w, _ = _batch(rng, n=20, d=4)
    X, y, w = X.astype(np.float32), y.astype(np.float32), w.astype(np.float32)
    grad_w, grad_b = numeric.bce_mean_gradient(X, y, w, 0.5)
    assert grad_w.dtype == np.float32 and grad_b.dtype == np.float32
    # The same inputs in float64: the differences are float32 rounding, bounded as above.
    want_w, _ = numeric.bce_mean_gradient(X.astype(float), y.astype(float), w.astype(float), 0.5)
    eps32 = np.finfo(np.float32).eps
    scale = np.abs(X).T @ (np.abs(X) @ np.abs(w) + 1.5) / 20
    np.testing.assert_array_less(np.abs(grad_w - want_w), 4 * (20 + 4) * eps32 * scale)


def test_large_batch_matches_the_two_pass_formula(rng):
    # Past the codegen's block size (8192), so the residual is evaluated block by block.
    X, y, w, b = _batch(rng, n=30_000, d=5)
    grad_w, grad_b = numeric.bce_mean_gradient(X, y, w, b)
    # X.T (sigma(X w + b) - y) / N with the sigmoid written out; |z| < 20 here, so the naive
    # form loses nothing.
    z = X @ w + b
    assert np.abs(z).max() < 20
    r = 1 / (1 + np.exp(-z)) - y
    np.testing.assert_allclose(grad_w, X.T @ r / X.shape[0], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(grad_b, r.mean(), rtol=1e-12, atol=1e-15)


def test_batch_gradients_are_the_same_bits_on_any_number_of_threads(rng, monkeypatch):
    # 40 blocks of 3 rows, shared out among 1, 2 or 3 threads: each block's r_blk X_blk is
    # summed in block order, so the threads change nothing. Huge MSE targets take the halved
    # path inside the workers. Reference for the values: the two-pass form, where |z| < 40
    # keeps the naive sigmoid exact to rounding.
    X, y, w, b = _batch(rng, n=119, d=3)
    huge = y.copy()
    huge[::7] = 1.7e308
    monkeypatch.setattr(numeric.losses, "_BATCH_BYTES", 3 * 3 * 8)
    results = []
    for threads in ("1", "2", "3"):
        monkeypatch.setenv("OPENBLAS_NUM_THREADS", threads)
        assert numeric.losses._workers(40) == int(threads)
        results.append(
            [
                *numeric.bce_mean_gradient(X, y, w, b),
                *numeric.mse_mean_gradient(X, huge, w, b),
            ]
        )
    for other in results[1:]:
        for got, want in zip(other, results[0], strict=True):
            np.testing.assert_array_equal(got, want)
    r = 1 / (1 + np.exp(-(X @ w + b))) - y
    np.testing.assert_allclose(results[0][0], X.T @ r / len(y), rtol=1e-13)


def test_a_helper_threads_error_reaches_the_caller(monkeypatch):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    taken = threading.Event()

    def run(indices):
        if threading.current_thread() is threading.main_thread():
            taken.wait(timeout=60)  # until the helper has taken a block (it then raises)
            assert list(indices) == list(range(1, 8))  # the blocks the helper did not take
        else:
            for i in indices:
                taken.set()
                raise MemoryError(f"block {i}")

    with pytest.raises(MemoryError, match="block 0"):
        numeric.losses._share_out(run, 8)
    # Called from a thread other than the main one (a Dask chunk, the caller's own pool),
    # the blocks stay on that thread.
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(numeric.losses._workers, 100).result() == 1


def test_batch_gradient_of_a_very_wide_x_needs_no_copy_of_it():
    # 100 rows of 131072 columns (100 MiB): a block is one row, and per-block partial sums
    # would take as much memory as X itself; the running sum takes one row.
    import tracemalloc

    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(100, 131072)), rng.uniform(0, 1, 100)
    w = np.zeros(131072)
    tracemalloc.start()
    try:
        numeric.bce_mean_gradient(X, y, w, 0.0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < X.nbytes / 8
