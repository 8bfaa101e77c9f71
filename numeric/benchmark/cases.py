"""What is measured: each toolkit function, its rivals, the inputs they are timed on, the grid.

A :class:`Case` holds, for one function of the toolkit, the candidates that compute the same
thing (the toolkit's, the obvious hand-written NumPy, SymPy's plain ``lambdify`` of the
textbook formula, SciPy and PyTorch where installed, and a plain copy of the input as the
memory floor), a builder of timing inputs of a given size, and a fixed accuracy grid with
its mpmath reference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import mpmath
import numpy as np

from numeric.benchmark.candidate import Candidate, optional_module
from numeric.benchmark.grids import (
    batch_grid,
    batch_reference,
    elementwise,
    neuron_grid,
    sigma,
    softmax_grid,
    softmax_reference,
    sweep,
    swish_reference,
    targets_grid,
)
from numeric.benchmark.rivals import (
    copy_floor,
    jax_candidate,
    jax_nn,
    lambdify_candidates,
    out_candidate,
    scipy_candidate,
    torch_candidate,
)

__all__ = ["BASELINE", "CASES", "FLOOR_BYTES", "Candidate", "Case", "optional_module"]

# The competent baseline of each function (issue 19): the candidate its Targets compare with.
BASELINE = {
    "sigmoid": "numpy",
    "sigmoid_derivative": "numpy",
    "log_sigmoid": "competent",
    "bce_with_logits": "competent",
    "mse_gradient": "numpy",
    "bce_gradient": "numpy",
    "softmax": "competent",
    "gaussian_posterior": "numpy",
}
# Bytes per element that a function must read and write at least, each array once (the
# memory floor: the copy's time, which reads 8 and writes 8, scaled by these over 16). The
# batch gradients' floor is one matrix-vector product, timed as the "matvec" row.
FLOOR_BYTES = {
    "sigmoid": 16,
    "sigmoid_derivative": 16,
    "log_sigmoid": 16,
    "bce_with_logits": 24,
    "mse_gradient": 32,
    "bce_gradient": 32,
    "gaussian_posterior": 16,
    "softmax": 16,
}


@dataclass(frozen=True)
class Case:
    """One toolkit function and everything measured about it."""

    function: str
    inputs: Callable[[Any, np.random.Generator], tuple]  # timing inputs: n, or (rows, columns)
    grid: Callable[[], tuple]  # accuracy inputs: fixed, reaching the tails
    grid_text: str
    reference: Callable[..., tuple[np.ndarray, ...]]  # exact outputs on the grid (mpmath)
    candidates: Callable[[], list[Candidate]]
    notes: tuple[str, ...] = field(default=())
    batch: bool = False  # timed on a design matrix of the --batch-shape, not on n elements


# ----------------------------------------------------------------- timing inputs


def _logits(n: int, rng: np.random.Generator) -> tuple[np.ndarray]:
    return (rng.uniform(-20.0, 20.0, n),)


def _labels(n: int, rng: np.random.Generator) -> np.ndarray:
    return (rng.uniform(size=n) < 0.5).astype(np.float64)


def _logits_and_targets(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    return rng.uniform(-20.0, 20.0, n), _labels(n, rng)


def _neuron_inputs(n: int, rng: np.random.Generator) -> tuple:
    return rng.normal(0.0, 3.0, n), _labels(n, rng), 1.5, 0.2


def _gaussian_inputs(n: int, rng: np.random.Generator) -> tuple:
    return rng.normal(0.0, 3.0, n), -1.0, 1.0, 1.5, 0.5


def _softmax_inputs(n: int, rng: np.random.Generator) -> tuple[np.ndarray]:
    return (rng.normal(0.0, 3.0, (max(n // 100, 1), 100)),)


def _batch_inputs(shape: tuple[int, int], rng: np.random.Generator) -> tuple:
    rows, columns = shape
    X = rng.normal(size=(rows, columns))
    return X, _labels(rows, rng), rng.normal(size=columns) * 0.3, 0.2


# ----------------------------------------------------------------- candidates


@cache
def _textbook(name: str) -> Callable:
    """SymPy's plain lambdify of the textbook formula: sigma written 1/(1 + e^-u), no cse."""
    from sympy import exp, lambdify

    from derivations.functions import sigmoid

    expr, args = _textbook_formula(name)
    plain = tuple(e.replace(sigmoid, lambda u: 1 / (1 + exp(-u))) for e in expr)
    return lambdify(args, plain if len(plain) > 1 else plain[0], modules="numpy")


def _textbook_formula(name: str) -> tuple[tuple, tuple]:
    """The textbook side of the pair that a derivation verifies equal to the stable form."""
    from derivations.catalog import kernel_specs

    specs = kernel_specs()
    if name in (
        "sigmoid",
        "sigmoid_derivative",
        "log_sigmoid",
        "bce_with_logits",
        "mse_gradient",
        "bce_gradient",
    ):
        return specs[name].textbook_forms, specs[name].args
    if name == "bce_mean_gradient":
        return specs["bce_residual"].textbook_forms, specs["bce_residual"].args
    if name == "gaussian_posterior":
        # The derivation's result itself, with the sigmoid written 1/(1 + e^-u) by the caller.
        return specs[name].forms, specs[name].args
    raise KeyError(name)


def _numeric(name: str) -> Candidate:
    import numeric

    return Candidate("numeric", f"numeric.{name}", getattr(numeric, name))


def _lambdified(name: str, label: str) -> Candidate:
    return Candidate("lambdify", label, lambda *a: _textbook(name)(*a))


def _sigmoid_candidates() -> list[Candidate]:
    return [
        _numeric("sigmoid"),
        Candidate("numpy", "1/(1+np.exp(-z))", lambda z: 1 / (1 + np.exp(-z))),
        _lambdified("sigmoid", "lambdify(z, 1/(1+exp(-z)))"),
        *scipy_candidate("expit(z)", lambda sp, z: sp.expit(z)),
        *torch_candidate("torch.sigmoid(z)", lambda torch, z: torch.sigmoid(z)),
        *jax_candidate("jax.nn.sigmoid(z)", lambda jnp, z: jax_nn().sigmoid(z)),
        out_candidate("sigmoid"),
        copy_floor(),
    ]


def _sigmoid_prime_numpy(z: np.ndarray) -> np.ndarray:
    s = 1 / (1 + np.exp(-z))
    return s * (1 - s)


def _sigmoid_prime_candidates() -> list[Candidate]:
    def with_scipy(sp: Any, z: np.ndarray) -> np.ndarray:
        s = sp.expit(z)
        return s * (1 - s)

    def with_torch(torch: Any, z: Any) -> Any:
        s = torch.sigmoid(z)
        return s * (1 - s)

    return [
        _numeric("sigmoid_derivative"),
        Candidate("numpy", "s = 1/(1+np.exp(-z)); s*(1-s)", _sigmoid_prime_numpy),
        _lambdified("sigmoid_derivative", "lambdify of sigma(z)(1 - sigma(z))"),
        *scipy_candidate("s = expit(z); s*(1-s)", with_scipy),
        *torch_candidate("s = torch.sigmoid(z); s*(1-s)", with_torch),
        out_candidate("sigmoid_derivative"),
        copy_floor(),
    ]


def _log_sigmoid_candidates() -> list[Candidate]:
    return [
        _numeric("log_sigmoid"),
        Candidate("competent", "-np.logaddexp(0, -z)", lambda z: -np.logaddexp(0, -z)),
        Candidate("numpy", "-np.log(1+np.exp(-z))", lambda z: -np.log(1 + np.exp(-z))),
        _lambdified("log_sigmoid", "lambdify of ln(1/(1+exp(-z)))"),
        *scipy_candidate("log_expit(z)", lambda sp, z: sp.log_expit(z)),
        *torch_candidate(
            "torch.nn.functional.logsigmoid(z)",
            lambda torch, z: torch.nn.functional.logsigmoid(z),
        ),
        *jax_candidate("jax.nn.log_sigmoid(z)", lambda jnp, z: jax_nn().log_sigmoid(z)),
        out_candidate("log_sigmoid"),
        copy_floor(),
    ]


def _bce_logits_numpy(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    a = 1 / (1 + np.exp(-z))
    return -(y * np.log(a) + (1 - y) * np.log(1 - a))


def _bce_with_logits_candidates() -> list[Candidate]:
    def with_scipy(sp: Any, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        return -(y * sp.log_expit(z) + (1 - y) * sp.log_expit(-z))

    def with_torch(torch: Any, z: Any, y: Any) -> Any:
        return torch.nn.functional.binary_cross_entropy_with_logits(z, y, reduction="none")

    return [
        _numeric("bce_with_logits"),
        Candidate("competent", "np.logaddexp(0, z) - y*z", lambda z, y: np.logaddexp(0, z) - y * z),
        Candidate("numpy", "a = 1/(1+np.exp(-z)); -(y ln a + (1-y) ln(1-a))", _bce_logits_numpy),
        _lambdified("bce_with_logits", "lambdify(z, y, ln(1 + exp(z)) - y z)"),
        *scipy_candidate("-(y log_expit(z) + (1-y) log_expit(-z))", with_scipy),
        *torch_candidate("binary_cross_entropy_with_logits(z, y)", with_torch),
        *jax_candidate("jnp.logaddexp(0, z) - y*z", lambda jnp, z, y: jnp.logaddexp(0, z) - y * z),
        out_candidate("bce_with_logits"),
        copy_floor(),
    ]


def _neuron_numpy(mse: bool) -> Callable:
    def gradient(x: Any, y: Any, w: Any, b: Any) -> tuple:
        if not mse:  # one expression: NumPy reuses each temporary in place (issue 19's form)
            r = 1 / (1 + np.exp(-(w * x + b))) - y
            return r * x, r
        a = 1 / (1 + np.exp(-(w * x + b)))  # the exponential computed once
        r = (a - y) * a * (1 - a)
        return r * x, r

    return gradient


def _neuron_candidates(name: str) -> list[Candidate]:
    mse = name == "mse_gradient"
    residual = "(a-y)*a*(1-a)" if mse else "a-y"

    def with_scipy(sp: Any, x: Any, y: Any, w: Any, b: Any) -> tuple:
        a = sp.expit(w * x + b)
        r = (a - y) * a * (1 - a) if mse else a - y
        return r * x, r

    def with_torch(torch: Any, x: Any, y: Any, w: Any, b: Any) -> tuple:
        a = torch.sigmoid(w * x + b)
        r = (a - y) * a * (1 - a) if mse else a - y
        return r * x, r

    plain = (
        "a = 1/(1+np.exp(-(w*x+b))); r = (a-y)*a*(1-a)" if mse else "r = 1/(1+np.exp(-(w*x+b))) - y"
    )
    return [
        _numeric(name),
        Candidate("numpy", f"{plain}; (r*x, r)", _neuron_numpy(mse)),
        _lambdified(name, "lambdify of the textbook (dC/dw, dC/db)"),
        *scipy_candidate(f"a = expit(w*x+b); r = {residual}; (r*x, r)", with_scipy),
        *torch_candidate(f"a = torch.sigmoid(w*x+b); r = {residual}; (r*x, r)", with_torch),
        copy_floor(),
    ]


def _batch_candidates() -> list[Candidate]:
    def numpy_version(X: Any, y: Any, w: Any, b: Any) -> tuple:
        r = 1 / (1 + np.exp(-(X @ w + b))) - y
        return X.T @ r / X.shape[0], r.mean()

    def lambdify_version(X: Any, y: Any, w: Any, b: Any) -> tuple:
        r = _textbook("bce_mean_gradient")(X @ w + b, y)
        return X.T @ r / X.shape[0], r.mean()

    def with_scipy(sp: Any, X: Any, y: Any, w: Any, b: Any) -> tuple:
        r = sp.expit(X @ w + b) - y
        return X.T @ r / X.shape[0], r.mean()

    def with_torch(torch: Any, X: Any, y: Any, w: Any, b: Any) -> tuple:
        r = torch.sigmoid(X @ w + b) - y
        return X.T @ r / X.shape[0], r.mean()

    return [
        _numeric("bce_mean_gradient"),
        Candidate("numpy", "r = 1/(1+np.exp(-(X@w+b))) - y; (X.T@r/N, r.mean())", numpy_version),
        Candidate(
            "lambdify", "r = lambdify(z, y, 1/(1+exp(-z)) - y)(X@w+b, y); ...", lambdify_version
        ),
        *scipy_candidate("r = expit(X@w+b) - y; (X.T@r/N, r.mean())", with_scipy),
        *torch_candidate("r = torch.sigmoid(X@w+b) - y; (X.T@r/N, r.mean())", with_torch),
        Candidate(
            "matvec", "X @ w: one matrix-vector product (the floor)", lambda X, y, w, b: X @ w
        ),
        copy_floor(),
    ]


def _gaussian_numpy(x: Any, mu0: Any, mu1: Any, s: Any, pi1: Any) -> Any:
    # Bayes' rule with the two densities; their common factor 1/(s sqrt(2 pi)) cancels.
    p1 = pi1 * np.exp(-((x - mu1) ** 2) / (2 * s**2))
    p0 = (1 - pi1) * np.exp(-((x - mu0) ** 2) / (2 * s**2))
    return p1 / (p0 + p1)


def _gaussian_candidates() -> list[Candidate]:
    def linear(x: Any, mu0: Any, mu1: Any, s: Any, pi1: Any, log: Any = np.log) -> Any:
        return (mu1 - mu0) * (x - (mu0 + mu1) / 2) / s**2 + log(pi1 / (1 - pi1))

    def with_torch(torch: Any, *args: Any) -> Any:
        return torch.sigmoid(linear(*args, log=torch.log))

    return [
        _numeric("gaussian_posterior"),
        Candidate(
            "numpy", "p1 = pi1 exp(-(x-mu1)^2/(2s^2)); p0 = ...; p1/(p0+p1)", _gaussian_numpy
        ),
        _lambdified(
            "gaussian_posterior", "lambdify of the derivation's sigma(t), sigma written out"
        ),
        *scipy_candidate(
            "expit((mu1-mu0)(x-(mu0+mu1)/2)/s^2 + ln(pi1/pi0))", lambda sp, *a: sp.expit(linear(*a))
        ),
        *torch_candidate("torch.sigmoid(same t)", with_torch),
        copy_floor(),
    ]


def _softmax_candidates() -> list[Candidate]:
    def numpy_version(z: np.ndarray) -> np.ndarray:
        e = np.exp(z)
        return e / e.sum(axis=-1, keepdims=True)

    def competent(z: np.ndarray) -> np.ndarray:
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    return [
        _numeric("softmax"),
        Candidate(
            "competent",
            "e = np.exp(z - z.max(-1, keepdims=True)); e / e.sum(-1, keepdims=True)",
            competent,
        ),
        Candidate("numpy", "e = np.exp(z); e / e.sum(axis=-1, keepdims=True)", numpy_version),
        *scipy_candidate("scipy.special.softmax(z, axis=-1)", lambda sp, z: sp.softmax(z, axis=-1)),
        *torch_candidate("torch.softmax(z, dim=-1)", lambda torch, z: torch.softmax(z, dim=-1)),
        *jax_candidate("jax.nn.softmax(z, axis=-1)", lambda jnp, z: jax_nn().softmax(z, axis=-1)),
        copy_floor(),
    ]


def _gaussian_reference(x: Any, mu0: Any, mu1: Any, s: Any, pi1: Any) -> Any:
    def density(mu: Any) -> Any:
        return mpmath.exp(-((x - mu) ** 2) / (2 * s**2))

    return pi1 * density(mu1) / (pi1 * density(mu1) + (1 - pi1) * density(mu0))


def _bce_residual(t: Any, y: Any) -> Any:
    return sigma(t) - y


def _mse_residual(t: Any, y: Any) -> Any:
    return (sigma(t) - y) * sigma(t) * (1 - sigma(t))


def _neuron_reference(residual: Callable) -> Callable:
    def gradient(x: Any, y: Any, w: Any, b: Any) -> tuple:
        r = residual(w * x + b, y)
        return r * x, r

    return elementwise(gradient, outputs=2)


_Z_GRID = "z: every magnitude from 1e-300 to 1000, both signs"

CASES: dict[str, Case] = {
    "sigmoid": Case(
        "sigmoid", _logits, lambda: (sweep(),), _Z_GRID, elementwise(sigma), _sigmoid_candidates
    ),
    "sigmoid_derivative": Case(
        "sigmoid_derivative",
        _logits,
        lambda: (sweep(),),
        _Z_GRID,
        elementwise(lambda t: sigma(t) * sigma(-t)),
        _sigmoid_prime_candidates,
    ),
    "log_sigmoid": Case(
        "log_sigmoid",
        _logits,
        lambda: (sweep(),),
        _Z_GRID,
        elementwise(lambda t: -mpmath.log(1 + mpmath.exp(-t))),
        _log_sigmoid_candidates,
    ),
    "bce_with_logits": Case(
        "bce_with_logits",
        _logits_and_targets,
        targets_grid,
        _Z_GRID + ", targets 0 and 1",
        elementwise(lambda t, y: mpmath.log(1 + mpmath.exp(t)) - y * t),
        _bce_with_logits_candidates,
    ),
    "mse_gradient": Case(
        "mse_gradient",
        _neuron_inputs,
        neuron_grid,
        "w: " + _Z_GRID[3:] + ", x = 1, b = 0, targets 0 and 1",
        _neuron_reference(_mse_residual),
        lambda: _neuron_candidates("mse_gradient"),
    ),
    "bce_gradient": Case(
        "bce_gradient",
        _neuron_inputs,
        neuron_grid,
        "w: " + _Z_GRID[3:] + ", x = 1, b = 0, targets 0 and 1",
        _neuron_reference(_bce_residual),
        lambda: _neuron_candidates("bce_gradient"),
    ),
    "bce_mean_gradient": Case(
        "bce_mean_gradient",
        _batch_inputs,
        batch_grid,
        "X: 64 x 3, positive, rows scaled up to |z| ~ 1000; targets 1",
        batch_reference,
        _batch_candidates,
        batch=True,
    ),
    "gaussian_posterior": Case(
        "gaussian_posterior",
        _gaussian_inputs,
        lambda: (sweep(), -1.0, 1.0, 1.5, 0.5),
        "x: every magnitude from 1e-300 to 1000, both signs; mu0 = -1, mu1 = 1, s = 1.5",
        elementwise(_gaussian_reference),
        _gaussian_candidates,
    ),
    "softmax": Case(
        "softmax",
        _softmax_inputs,
        softmax_grid,
        "rows (t, 0, -t/2), t: every magnitude up to 1000, both signs",
        softmax_reference,
        _softmax_candidates,
        notes=("softmax: rows of 100 scores; no lambdify row (no elementwise textbook formula)",),
    ),
    "lambdify": Case(
        "lambdify",
        _logits,
        lambda: (sweep(),),
        _Z_GRID + "; swish z*sigma(z) and its derivative",
        elementwise(swish_reference, outputs=2),
        lambdify_candidates,
    ),
}
