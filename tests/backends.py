"""The array libraries the tests run the toolkit's functions on, beside NumPy.

array-api-strict and Dask are test extras; PyTorch and JAX are tested when installed, and
their parameters are skipped with a reason otherwise. Each backend: how to make its array
from a NumPy one, the type it must come back as, and how to read it back into NumPy.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest


@dataclass(frozen=True)
class Backend:
    name: str
    make: Callable[[Any], Any]
    kind: type
    # XLA on CPU flushes subnormal results to zero: a JAX result below the smallest normal
    # number is compared with the reference flushed the same way
    flushes_subnormals: bool = False

    def numpy(self, array: Any) -> np.ndarray:
        if hasattr(array, "compute"):
            array = array.compute()
        if hasattr(array, "detach"):
            array = array.detach()
        return np.asarray(array)

    def expected(self, reference: np.ndarray) -> np.ndarray:
        if not self.flushes_subnormals:
            return reference
        return np.where(np.abs(reference) < np.finfo(reference.dtype).tiny, 0.0, reference)


def _strict() -> Backend:
    strict = importlib.import_module("array_api_strict")
    return Backend("array_api_strict", strict.asarray, type(strict.asarray(0.0)))


def _dask() -> Backend:
    da = importlib.import_module("dask.array")
    return Backend("dask", lambda a: da.from_array(np.asarray(a), chunks=37), da.Array)


def _torch() -> Backend:
    torch = importlib.import_module("torch")
    return Backend("torch", lambda a: torch.asarray(np.asarray(a)), torch.Tensor)


def _jax() -> Backend:
    jax = importlib.import_module("jax")
    jax.config.update("jax_enable_x64", True)  # float64 as float64, as the other libraries
    jnp = importlib.import_module("jax.numpy")
    return Backend("jax", lambda a: jnp.asarray(np.asarray(a)), jax.Array, True)


def backends(*names: str) -> list[Any]:
    """pytest parameters, one per backend; one that is not installed is skipped, saying so."""
    made = {"array_api_strict": _strict, "dask": _dask, "torch": _torch, "jax": _jax}
    params = []
    for name in names or made:
        try:
            params.append(pytest.param(made[name](), id=name))
        except ImportError:
            skip = pytest.mark.skip(reason=f"{name} is not installed")
            params.append(pytest.param(None, id=name, marks=skip))
    return params
