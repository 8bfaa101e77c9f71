"""The rivals' candidates: PyTorch (one thread and two), JAX's jit, SciPy, out=, the copy floor.

Each helper returns the candidates it can build (none when the library is not installed).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import numpy as np

from numeric.benchmark.candidate import Candidate, optional_module

__all__ = [
    "copy_floor",
    "jax_candidate",
    "jax_nn",
    "out_candidate",
    "scipy_candidate",
    "torch_candidate",
]


def copy_floor() -> Candidate:
    def prepare(inputs: tuple) -> tuple:
        first = np.asarray(inputs[0])
        return np.empty_like(first), first  # np.copyto(destination, source)

    return Candidate(
        "copy", "np.copyto(out, input): memory floor", np.copyto, prepare, lambda _: None
    )


def torch_candidate(label: str, run: Callable) -> list[Candidate]:
    """PyTorch on one thread ("torch"), and on two ("torch2"), each call set to its count."""
    torch = optional_module("torch")
    if torch is None:
        return []

    def prepare(inputs: tuple) -> tuple:
        return tuple(torch.from_numpy(np.asarray(a, dtype=np.float64)) for a in inputs)

    def finish(out: Any) -> Any:
        return tuple(o.numpy() for o in out) if isinstance(out, tuple) else out.numpy()

    def threads(count: int) -> Callable:
        def call(*t: Any) -> Any:
            torch.set_num_threads(count)
            return run(torch, *t)

        return call

    return [
        Candidate("torch", f"{label} (1 thread)", threads(1), prepare, finish),
        Candidate("torch2", f"{label} (2 threads)", threads(2), prepare, finish),
    ]


def jax_candidate(label: str, run: Callable) -> list[Candidate]:
    """JAX's jit of ``run(jnp, ...)`` in float64, waited for (block_until_ready)."""
    jax = optional_module("jax")
    if jax is None:
        return []
    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy
    jitted = jax.jit(lambda *a: run(jnp, *a))

    def prepare(inputs: tuple) -> tuple:
        return tuple(jnp.asarray(np.asarray(a, dtype=np.float64)) for a in inputs)

    def call(*a: Any) -> Any:
        return jax.block_until_ready(jitted(*a))

    def finish(out: Any) -> Any:
        return tuple(map(np.asarray, out)) if isinstance(out, tuple) else np.asarray(out)

    return [Candidate("jax", f"jax.jit({label})", call, prepare, finish)]


def out_candidate(name: str) -> Candidate:
    """The toolkit function writing into a preallocated array (out=)."""
    import numeric

    function = getattr(numeric, name)

    def prepare(inputs: tuple) -> tuple:
        shape = np.broadcast_shapes(*(np.shape(a) for a in inputs))
        return (*inputs, np.empty(shape))

    return Candidate(
        "out", f"numeric.{name}(..., out=buffer)", lambda *a: function(*a[:-1], out=a[-1]), prepare
    )


def scipy_candidate(label: str, run: Callable) -> list[Candidate]:
    special = optional_module("scipy.special")
    return [] if special is None else [Candidate("scipy", label, lambda *a: run(special, *a))]


def jax_nn() -> Any:
    return importlib.import_module("jax.nn")


def swish_expressions() -> tuple:
    """swish z*sigma(z) and its derivative, as SymPy expressions of z (the lambdify case)."""
    from sympy import Symbol, diff

    from derivations.functions import sigmoid

    z = Symbol("z", real=True)
    return (z,), (z * sigmoid(z), diff(z * sigmoid(z), z))


def swish_numpy(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s = 1 / (1 + np.exp(-z))
    return z * s, s + z * s * (1 - s)


def lambdify_candidates() -> list[Candidate]:
    """numeric.lambdify against sympy.lambdify(cse=True) of the same expressions."""
    from sympy import lambdify

    import numeric

    args, exprs = swish_expressions()
    ours = numeric.lambdify(args, exprs)
    theirs = lambdify(args, exprs, modules="numpy", cse=True)
    return [
        Candidate("numeric", "numeric.lambdify(z, (z*sigmoid(z), diff(...)))", ours),
        Candidate("numpy", "s = 1/(1+np.exp(-z)); z*s, s + z*s*(1-s)", swish_numpy),
        Candidate("lambdify", "sympy.lambdify(z, (z*sigmoid(z), diff(...)), cse=True)", theirs),
        copy_floor(),
    ]
