"""The public names of 0.1 still work for one release, with a DeprecationWarning naming the new."""

import importlib

import pytest

import numeric
from numeric._renamed import RENAMED

MODULES = {
    "sigmoid_prime": "numeric.activations",
    "mse_grad": "numeric.losses",
    "bce_grad": "numeric.losses",
    "mse_grad_batch": "numeric.losses",
    "bce_grad_batch": "numeric.losses",
    "derivative": "numeric.finite_differences",
}


@pytest.mark.parametrize("old", sorted(RENAMED))
def test_an_old_name_warns_and_is_the_new_function(old):
    new = RENAMED[old]
    assert new in numeric.__all__ and old not in numeric.__all__
    with pytest.warns(DeprecationWarning, match=f"numeric.{old} is deprecated.*numeric.{new}"):
        assert getattr(numeric, old) is getattr(numeric, new)
    module = importlib.import_module(MODULES[old])
    with pytest.warns(DeprecationWarning, match=f"use {MODULES[old]}.{new}"):
        assert getattr(module, old) is getattr(module, new)


def test_an_unknown_name_is_still_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'sigmoid_primes'"):
        numeric.sigmoid_primes  # noqa: B018
