"""The sigmoid family on arrays of other libraries: their own type back, the stable form's values.

References: mpmath at 60 digits (tests.reference), as for NumPy input, on the tail grid.
"""

import mpmath
import numpy as np
import pytest

import numeric
from tests.backends import backends
from tests.reference import magnitudes, reference, ulp_error

strict = pytest.importorskip("array_api_strict")
da = pytest.importorskip("dask.array")

TEXTBOOK = {
    "sigmoid": lambda z: 1 / (1 + mpmath.exp(-z)),
    "sigmoid_derivative": lambda z: mpmath.exp(-z) / (1 + mpmath.exp(-z)) ** 2,
    "log_sigmoid": lambda z: -mpmath.log1p(mpmath.exp(-z)),
    "softplus": lambda z: mpmath.log1p(mpmath.exp(z)),
}
MAX_ULP = 4
Z = magnitudes(800.0, count=120)  # past exp's overflow at 709.78, both signs


@pytest.mark.parametrize("backend", backends())
@pytest.mark.parametrize("name", sorted(TEXTBOOK))
def test_other_libraries_arrays_come_back_as_such_and_accurate(name, backend):
    for dtype in (np.float64, np.float32):
        z = Z.astype(dtype)
        got = getattr(numeric, name)(backend.make(z))
        assert isinstance(got, backend.kind)
        values = backend.numpy(got)
        assert values.dtype == dtype
        want = backend.expected(reference(TEXTBOOK[name], z, dtype=dtype))
        assert np.max(ulp_error(values, want)) <= MAX_ULP, dtype


@pytest.mark.parametrize("name", sorted(TEXTBOOK))
def test_dask_arrays_stay_lazy_and_chunked(name):
    lazy = da.from_array(Z, chunks=50)
    got = getattr(numeric, name)(lazy)
    assert isinstance(got, da.Array) and got.chunks == lazy.chunks  # nothing computed yet
    errors = ulp_error(got.compute(), reference(TEXTBOOK[name], Z))
    assert np.max(errors) <= MAX_ULP


def test_float32_stays_float32_and_integers_become_float64():
    z32 = strict.asarray(np.linspace(-100, 100, 41, dtype=np.float32))
    got = numeric.sigmoid(z32)
    assert got.dtype == strict.float32
    want = reference(TEXTBOOK["sigmoid"], np.asarray(z32), dtype=np.float32)
    assert np.max(ulp_error(np.asarray(got), want)) <= MAX_ULP
    assert numeric.sigmoid(strict.asarray([0, 1])).dtype == strict.float64


def test_bad_input_of_other_libraries():
    with pytest.raises(TypeError, match=r"sigmoid: z has dtype .*complex128"):
        numeric.sigmoid(strict.asarray([1j]))
    with pytest.raises(TypeError, match="supported: float32 and float64"):
        numeric.sigmoid(da.from_array(np.zeros(3, np.float16)))
    with pytest.raises(TypeError, match="out= takes NumPy arrays"):
        numeric.sigmoid(strict.asarray([1.0]), out=np.empty(1))


def test_a_mix_of_libraries_is_refused_naming_both():
    from numeric._namespace import foreign_namespace

    with pytest.raises(TypeError, match=r"f: .*x \(numpy\), y \(array_api_strict\)"):
        foreign_namespace("f", x=np.zeros(2), y=strict.asarray([1.0]))
    with pytest.raises(TypeError, match=r"y \(array_api_strict\), z \(dask\)"):
        foreign_namespace("f", y=strict.asarray([1.0]), z=da.zeros(2))


def softmax_reference(rows):
    """exp(z_k - max) / sum exp(z_i - max) per row, in mpmath at 60 digits (-inf gives 0)."""
    out = np.empty_like(rows)
    with mpmath.workdps(60):
        for r, row in enumerate(rows):
            top = max(mpmath.mpf(float(v)) for v in row)
            e = [mpmath.exp(mpmath.mpf(float(v)) - top) for v in row]
            out[r] = [float(v / sum(e)) for v in e]
    return out


@pytest.mark.parametrize("backend", backends())
def test_softmax_on_other_libraries(backend):
    rng = np.random.default_rng(3)
    rows = np.concatenate(
        [rng.normal(0, 1, (4, 7)), rng.normal(0, 300, (4, 7)), rng.normal(-5e5, 200, (2, 7))]
    )
    rows[0, 3] = -np.inf
    got = numeric.softmax(backend.make(rows))
    assert isinstance(got, backend.kind)
    errors = ulp_error(backend.numpy(got), backend.expected(softmax_reference(rows)))
    assert np.max(errors) <= MAX_ULP
    columns = numeric.softmax(backend.make(rows.T), axis=0)
    np.testing.assert_array_equal(backend.numpy(columns), backend.numpy(got).T)


def test_standardized_sigmoid_refuses_other_libraries_by_name():
    with pytest.raises(TypeError, match="standardized_sigmoid: x is an array of array_api_strict"):
        numeric.standardized_sigmoid(strict.asarray([1.0, 2.0]))
