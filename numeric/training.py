"""Plain gradient descent, and the classic training demonstrations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from numeric._validation import refuse_masked
from numeric.activations import sigmoid
from numeric.losses import (
    batch_inputs,
    bce_gradient,
    bce_with_logits,
    mean_gradient,
    mse_gradient,
    mse_loss,
)

__all__ = ["NeuronHistory", "gradient_descent", "train_logistic_layer", "train_neuron"]


def gradient_descent(
    grad: Callable[[np.ndarray], np.ndarray], x0, *, lr: float, steps: int
) -> np.ndarray:
    """Iterate x <- x - lr * grad(x); return every iterate, x0 first (steps + 1 rows).

    >>> gradient_descent(lambda x: 2 * x - 4, 8.0, lr=0.1, steps=3)
    array([8.   , 6.8  , 5.84 , 5.072])
    """
    if not isinstance(steps, (int, np.integer)) or isinstance(steps, bool):
        raise TypeError(f"gradient_descent: steps must be an integer, got {steps!r}")
    if steps < 0:
        raise ValueError(f"gradient_descent: steps must be a non-negative integer, got {steps!r}")
    lr = _scalar("gradient_descent", "lr", lr)
    if lr <= 0:
        raise ValueError(f"gradient_descent: lr must be positive and finite, got {lr!r}")
    refuse_masked("gradient_descent", "x0", x0)
    x = np.asarray(x0, dtype=np.float64)
    iterates = np.empty((steps + 1, *x.shape))
    iterates[0] = x
    for k in range(steps):
        x = x - lr * np.asarray(grad(x), dtype=np.float64)
        iterates[k + 1] = x
    return iterates


@dataclass(frozen=True)
class NeuronHistory:
    """One neuron's training: weight, bias, output and cost at every epoch, the start first."""

    loss: str
    w: np.ndarray
    b: np.ndarray
    output: np.ndarray
    cost: np.ndarray


def _scalar(function: str, name: str, value: float) -> float:
    if not isinstance(value, (int, float, np.integer, np.floating)) or isinstance(value, bool):
        raise TypeError(f"{function}: {name} must be a real number, got {type(value).__name__}")
    if not np.isfinite(value):
        raise ValueError(f"{function}: {name} must be finite, got {value!r}")
    return float(value)


def train_neuron(
    loss: Literal["mse", "bce"], *, w: float, b: float, x: float, y: float, lr: float, epochs: int
) -> NeuronHistory:
    """Gradient descent on one sigmoid neuron a = sigma(w x + b) with target y.

    Each epoch takes one step (w, b) <- (w, b) - lr * grad C, with the gradient of the squared
    error ("mse") or of binary cross-entropy ("bce"). The history has epochs + 1 entries.

    >>> far = train_neuron("mse", w=2.0, b=2.0, x=1.0, y=0.0, lr=0.15, epochs=300)
    >>> round(float(far.output[0]), 3), round(float(far.output[-1]), 3)
    (0.982, 0.203)
    >>> far = train_neuron("bce", w=2.0, b=2.0, x=1.0, y=0.0, lr=0.15, epochs=300)
    >>> round(float(far.output[-1]), 3)
    0.012
    """
    gradients = {"mse": mse_gradient, "bce": bce_gradient}
    if loss not in gradients:
        raise ValueError(f"train_neuron: loss must be 'mse' or 'bce', got {loss!r}")
    if not isinstance(epochs, (int, np.integer)) or isinstance(epochs, bool) or epochs < 0:
        raise ValueError(f"train_neuron: epochs must be a non-negative integer, got {epochs!r}")
    w, b, x, y = (
        _scalar("train_neuron", k, v) for k, v in (("w", w), ("b", b), ("x", x), ("y", y))
    )
    gradient = gradients[loss]
    gradient(x, y, w, b)  # validates y for cross-entropy before any step

    def grad(p: np.ndarray) -> np.ndarray:
        return np.array(gradient(x, y, p[0], p[1]))

    iterates = gradient_descent(grad, [w, b], lr=lr, steps=int(epochs))
    ws, bs = iterates[:, 0], iterates[:, 1]
    z = ws * x + bs
    output = sigmoid(z)
    cost = mse_loss(output, y) if loss == "mse" else bce_with_logits(z, y)
    return NeuronHistory(loss, ws, bs, output, cost)


def layer_iterates(X: ArrayLike, y: ArrayLike, iterations: int, seed: int) -> tuple:
    """The eleven-line network's weights at every iteration (the start first), and X.

    Package-internal (numeric.figures draws them); not part of ``__all__``.
    """
    name = "train_logistic_layer"
    if not isinstance(iterations, (int, np.integer)) or isinstance(iterations, bool):
        raise ValueError(f"{name}: iterations must be a positive integer, got {iterations!r}")
    if iterations < 1:
        raise ValueError(f"{name}: iterations must be a positive integer, got {iterations!r}")
    refuse_masked(name, "X", X)
    refuse_masked(name, "y", y)
    X_, y_ = np.asarray(X), np.asarray(y)
    if X_.ndim != 2:
        raise ValueError(f"{name}: X must have shape (N, d), got shape {X_.shape}")
    n, d = X_.shape
    if y_.shape not in ((n, 1), (n,)):
        raise ValueError(
            f"{name}: y must have shape ({n}, 1), as published, or ({n},) to match X of shape "
            f"{X_.shape}, got shape {y_.shape}"
        )
    X_, y_, _, _, _ = batch_inputs("mse", name, X_, y_.reshape(n), np.zeros(d), 0.0)
    X_, y_ = X_.astype(np.float64), y_.astype(np.float64)
    # RandomState(seed) is the generator that the published np.random.seed(seed) seeds, and
    # random_sample is np.random.random: the same weights, without touching global state.
    start = 2 * np.random.RandomState(seed).random_sample((d, 1)) - 1

    # syn0 += X.T @ l1_delta is minus the gradient of (1/2) sum (y - l1)^2 (backprop-delta),
    # N times the mean gradient of mse_mean_gradient: a step of gradient descent with rate 1.
    def grad(w: np.ndarray) -> np.ndarray:
        return n * mean_gradient("mse", X_, y_, w, 0.0, np.dtype(np.float64))[0]

    return gradient_descent(grad, start[:, 0], lr=1.0, steps=int(iterations)), X_


def train_logistic_layer(
    X: ArrayLike, y: ArrayLike, *, iterations: int = 10_000, seed: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """The widely copied eleven-line network: one sigmoid layer, full-batch updates.

    As published: weights 2 * random((d, 1)) - 1 after numpy's legacy np.random.seed(seed),
    then ``iterations`` times l1 = sigmoid(X @ syn0); syn0 += X.T @ ((y - l1) * l1 * (1 - l1)).
    The update is computed as minus the gradient of the squared error, from the library's
    derived functions. Returns (syn0, l1): the final weights, shape (d, 1), and the output of
    the last iteration (computed before its update, as the published code prints it).

    >>> X = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
    >>> train_logistic_layer(X, [[0, 0, 1, 1]])
    Traceback (most recent call last):
    ...
    ValueError: train_logistic_layer: y must have shape (4, 1), as published, or (4,) ...
    >>> weights, output = train_logistic_layer(X, [[0], [0], [1], [1]])
    >>> output.round(4).ravel()
    array([0.0097, 0.0079, 0.9936, 0.9921])
    """
    iterates, X = layer_iterates(X, y, iterations, seed)
    output = sigmoid(X @ iterates[-2])
    return iterates[-1][:, None], output[:, None]
