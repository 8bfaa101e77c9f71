"""Shared test setup: fixed seeds, and hypothesis settings that suit a 2-core CI machine."""

import numpy as np
import pytest
from hypothesis import settings

settings.register_profile("default", max_examples=60, deadline=None)
settings.load_profile("default")


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded generator, so that every run draws the same numbers."""
    return np.random.default_rng(20261123)
