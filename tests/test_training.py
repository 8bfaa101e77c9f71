"""The training demos: one neuron (MSE against BCE) and the eleven-line network."""

import mpmath
import numpy as np
import pytest

from numeric.figures.losses import FIGURES
from numeric.finite_differences import check_gradient
from numeric.training import NeuronHistory, train_logistic_layer, train_neuron

EPS = np.finfo(np.float64).eps
# The lecture's scenario: input 1, target 0, learning rate 0.15, 300 epochs.
SCENARIO = {"x": 1.0, "y": 0.0, "lr": 0.15, "epochs": 300}
NEAR, FAR = (0.6, 0.9), (2.0, 2.0)


def mpmath_neuron(loss, w, b, x, y, lr, epochs):
    """Gradient descent on one neuron at 30 digits, with the closed-form gradients.

    MSE: dC/dz = (a - y) a (1 - a); BCE: dC/dz = a - y; dC/dw = x dC/dz, dC/db = dC/dz.
    Returns the outputs a at every epoch, the start first.
    """
    with mpmath.workdps(30):
        w, b, x, y, lr = map(mpmath.mpf, (w, b, x, y, lr))
        outputs = []
        for _ in range(epochs + 1):
            a = 1 / (1 + mpmath.exp(-(w * x + b)))
            outputs.append(a)
            dz = (a - y) * a * (1 - a) if loss == "mse" else a - y
            w, b = w - lr * dz * x, b - lr * dz
        return np.array([float(a) for a in outputs])


@pytest.fixture(scope="module")
def runs():
    """Each loss from each start, with its 30-digit reference."""
    out = {}
    for loss in ("mse", "bce"):
        for name, (w, b) in (("near", NEAR), ("far", FAR)):
            history = train_neuron(loss, w=w, b=b, **SCENARIO)
            out[loss, name] = history, mpmath_neuron(loss, w, b, **SCENARIO)
    return out


def test_history_shapes_and_start(runs):
    history, _ = runs["mse", "far"]
    assert isinstance(history, NeuronHistory)
    for field in (history.w, history.b, history.output, history.cost):
        assert field.shape == (301,)
    assert (history.w[0], history.b[0]) == FAR


def test_trajectories_match_the_30_digit_reference(runs):
    # Each float64 step rounds by about an ulp; the steps damp old errors rather than grow
    # them, so the whole trajectory stays within a few ulps of the largest output (measured:
    # 1); 16 leaves room.
    for (loss, start), (history, reference) in runs.items():
        np.testing.assert_allclose(
            history.output,
            reference,
            rtol=0,
            atol=16 * EPS,
            err_msg=f"{loss} from the {start} start",
        )


def test_costs_are_the_losses_of_the_outputs(runs):
    history, _ = runs["mse", "near"]
    np.testing.assert_allclose(history.cost, history.output**2 / 2, rtol=4 * EPS)
    history, _ = runs["bce", "near"]
    np.testing.assert_allclose(history.cost, -np.log1p(-history.output), rtol=64 * EPS)


def test_the_lecture_learning_slowdown(runs):
    # On numeric.training's float64 runs (test_trajectories_match_the_30_digit_reference ties
    # them to mpmath): from the far start the squared error barely moves the output for a
    # hundred epochs, while cross-entropy takes it below 0.4 within 20.
    mse_far, bce_far = runs["mse", "far"][0].output, runs["bce", "far"][0].output
    assert mse_far[0] > 0.98
    assert mse_far[0] - mse_far[100] < 0.02  # 0.982 -> 0.964
    assert bce_far[20] < 0.4
    # From the near start both train: after 300 epochs each output is below 0.1.
    assert runs["mse", "near"][0].output[-1] < 0.1 and runs["bce", "near"][0].output[-1] < 0.1
    # And the first MSE step from the far start is smaller than BCE's by sigma'(z) at z = 4.
    mse_step = runs["mse", "far"][0].w[0] - runs["mse", "far"][0].w[1]
    bce_step = runs["bce", "far"][0].w[0] - runs["bce", "far"][0].w[1]
    with mpmath.workdps(30):
        a = 1 / (1 + mpmath.exp(-4))
        assert abs(mse_step / bce_step - float(a * (1 - a))) < 1e-13


def test_train_neuron_rejects_bad_arguments():
    with pytest.raises(ValueError, match="loss must be 'mse' or 'bce', got 'l2'"):
        train_neuron("l2", w=0.0, b=0.0, x=1.0, y=0.0, lr=0.1, epochs=3)
    with pytest.raises(ValueError, match="epochs must be a non-negative integer, got -1"):
        train_neuron("mse", w=0.0, b=0.0, x=1.0, y=0.0, lr=0.1, epochs=-1)
    with pytest.raises(ValueError, match=r"bce_gradient: y must lie in \[0, 1\]"):
        train_neuron("bce", w=0.0, b=0.0, x=1.0, y=2.0, lr=0.1, epochs=3)
    with pytest.raises(ValueError, match="w must be finite"):
        train_neuron("bce", w=np.nan, b=0.0, x=1.0, y=0.0, lr=0.1, epochs=3)
    with pytest.raises(TypeError, match="x must be a real number, got list"):
        train_neuron("bce", w=0.0, b=0.0, x=[1.0], y=0.0, lr=0.1, epochs=3)
    with pytest.raises(ValueError, match="lr must be positive"):
        train_neuron("bce", w=0.0, b=0.0, x=1.0, y=0.0, lr=0.0, epochs=3)


# ------------------------------------------------------------------ the eleven-line network

X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
Y = np.array([[0, 0, 1, 1]]).T


def published(iterations=10000, seed=1):
    """The eleven lines as published (Python 3 print aside), run as they stand."""

    def nonlin(x, deriv=False):
        if deriv:
            return x * (1 - x)
        return 1 / (1 + np.exp(-x))

    # The published code uses numpy's legacy global generator: so does this copy of it.
    np.random.seed(seed)  # noqa: NPY002
    syn0 = 2 * np.random.random((3, 1)) - 1  # noqa: NPY002
    for _ in range(iterations):
        l0 = X
        l1 = nonlin(np.dot(l0, syn0))
        l1_error = Y - l1
        l1_delta = l1_error * nonlin(l1, True)
        syn0 += np.dot(l0.T, l1_delta)
    return syn0, l1


@pytest.fixture(scope="module")
def eleven_lines():
    state = np.random.get_state()  # noqa: NPY002 (restored: other tests see no change)
    try:
        return published(), train_logistic_layer(X, Y)
    finally:
        np.random.set_state(state)  # noqa: NPY002


def test_reproduces_the_published_network(eleven_lines):
    (syn0, l1), (weights, output) = eleven_lines
    assert weights.shape == (3, 1) and output.shape == (4, 1)
    # The library computes l1_delta as minus the MSE gradient, with other roundings than
    # x * (1 - x) on the output: after 10,000 steps the two agree to a few ulps of the largest
    # weight (measured: 0.5); 16 leaves room.
    np.testing.assert_allclose(weights, syn0, rtol=0, atol=16 * EPS * np.abs(syn0).max())
    np.testing.assert_allclose(output, l1, rtol=0, atol=16 * EPS)
    # It learned the first input column: outputs near 0, 0, 1, 1.
    assert np.all(np.abs(output - Y) < 0.01)


@pytest.mark.parametrize("iterations", [1, 5, 200])
def test_each_update_is_minus_the_squared_error_gradient(iterations):
    # The update from the weights after k iterations is the step to k + 1. check_gradient holds
    # it to finite differences of E(w) = (1/2) sum (y - sigma(X w))^2, written out here.
    before, _ = train_logistic_layer(X, Y, iterations=iterations)
    after, _ = train_logistic_layer(X, Y, iterations=iterations + 1)
    update = (after - before).ravel()

    def squared_error(w):
        return 0.5 * np.sum((Y.ravel() - 1 / (1 + np.exp(-(X @ w)))) ** 2)

    check_gradient(squared_error, lambda w: -update, before.ravel())


def test_first_weights_and_output_follow_the_seed():
    # One iteration: the output is that of the seeded start, 2 * random((3, 1)) - 1.
    start = 2 * np.random.RandomState(7).random_sample((3, 1)) - 1
    _, output = train_logistic_layer(X, Y, iterations=1, seed=7)
    np.testing.assert_allclose(output, 1 / (1 + np.exp(-(X @ start))), rtol=4 * EPS)


def test_leaves_numpy_global_random_state_alone():
    before = np.random.get_state()  # noqa: NPY002 (the legacy state is what is tested)
    train_logistic_layer(X, Y, iterations=2)
    after = np.random.get_state()  # noqa: NPY002
    np.testing.assert_array_equal(before[1], after[1])
    assert before[2:] == after[2:]


def test_targets_as_a_column_or_a_vector():
    column = train_logistic_layer(X, Y, iterations=50)
    vector = train_logistic_layer(X, Y.ravel(), iterations=50)
    for a, b in zip(column, vector, strict=True):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match=r"y must have shape \(4, 1\), as published, or \(4,\)"):
        train_logistic_layer(X, Y.T)
    with pytest.raises(ValueError, match="iterations must be a positive integer, got 0"):
        train_logistic_layer(X, Y, iterations=0)


@pytest.mark.parametrize("spec", FIGURES, ids=lambda spec: spec.name)
def test_figures_draw_with_labels_and_legends(spec):
    figure = spec.draw()
    for ax in figure.axes:
        assert ax.get_xlabel() or ax.get_ylabel()
    assert any(ax.get_legend() is not None for ax in figure.axes)
    assert spec.caption.endswith(".")
