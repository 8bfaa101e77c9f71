"""The generic NumPy functions that numeric._public makes from public kernels' specs.

The registry's public kernels all have hand-written functions today, so the generic path is
exercised on their kernels: a generic function made from the spec of ``logit`` (one argument,
a range) or ``bce_with_logits`` (two, a range on y) must return what the hand-written one
returns, bit for bit (the same kernel), and the values that mpmath gives at 50 digits.
"""

import doctest
from dataclasses import replace

import mpmath
import numpy as np
import pytest

import numeric
from derivations.catalog import kernel_specs
from numeric import _EXPORTS, _generated, _public, generate

SPECS = kernel_specs()
strict = pytest.importorskip("array_api_strict")
da = pytest.importorskip("dask.array")


# The ranges that the hand-written functions check by hand, declared as a spec would.
RANGES = {"logit": {"p": (0, 1)}, "bce_with_logits": {"y": (0, 1)}}


def _generic(name: str, example: str = ""):
    """The function numeric._public would make for kernel ``name`` were it not hand-written."""
    spec = replace(SPECS[name], ranges=RANGES.get(name, {}), example=example or f">>> {name}")
    doc = generate._docstring(spec)
    return _public._function(name, tuple(str(a) for a in spec.args), dict(spec.ranges), doc)


@pytest.fixture(scope="module")
def logit():
    return _generic("logit")


@pytest.fixture(scope="module")
def bce():
    return _generic("bce_with_logits")


def test_generic_functions_match_the_hand_written_ones_bit_for_bit(logit, bce, rng):
    p = np.concatenate([[0.0, 1e-300, 0.5, 1 - 2**-53, 1.0], rng.uniform(0, 1, 200)])
    np.testing.assert_array_equal(logit(p), numeric.logit(p))
    np.testing.assert_array_equal(logit(p.astype(np.float32)), numeric.logit(p.astype(np.float32)))
    assert logit(p.astype(np.float32)).dtype == np.float32
    z = rng.uniform(-800, 800, (3, 1))
    np.testing.assert_array_equal(bce(z, p[:7]), numeric.bce_with_logits(z, p[:7]))
    assert bce(z, p[:7]).shape == (3, 7)  # broadcast


def test_generic_values_against_mpmath(logit):
    # logit(p) = ln(p/(1 - p)), written out at 50 digits: an independent reference.
    p = [1e-10, 0.25, 0.5 + 1e-9, 0.75, 1 - 1e-12]
    with mpmath.workdps(50):
        want = [float(mpmath.log(mpmath.mpf(v) / (1 - mpmath.mpf(v)))) for v in p]
    np.testing.assert_array_max_ulp(logit(np.array(p)), np.array(want), maxulp=2)


def test_python_floats_take_the_scalar_path_and_give_numpy_scalars(logit, bce):
    assert type(logit(0.75)) is np.float64 and logit(0.75) == numeric.logit(0.75)
    assert bce(40.0, 1.0) == numeric.bce_with_logits(40.0, 1.0)
    assert bce(z=0.0, y=1.0) == numeric.bce_with_logits(0.0, 1.0)  # by keyword too


def test_one_argument_without_a_range_takes_the_shortest_paths():
    sigmoid = _generic("sigmoid")
    for z in (-800.0, -1.5, 0.0, 2.0, 800.0):  # Python floats: the scalar form
        assert type(sigmoid(z)) is np.float64 and sigmoid(z) == numeric.sigmoid(z)
    for z in (np.linspace(-50, 50, 9), np.linspace(-50, 50, 9, dtype=np.float32), [0.0, 1], 3):
        got, want = sigmoid(z), numeric.sigmoid(z)
        np.testing.assert_array_equal(got, want)
        assert np.asarray(got).dtype == np.asarray(want).dtype


def test_out_is_written_and_returned(logit):
    out = np.empty(2)
    assert logit([0.25, 0.5], out=out) is out
    np.testing.assert_array_equal(out, numeric.logit([0.25, 0.5]))
    with pytest.raises(ValueError, match="logit: out must have shape"):
        logit([0.25, 0.5], out=np.empty(3))


def test_bad_input_names_the_parameter(logit, bce):
    with pytest.raises(ValueError, match=r"logit: p must lie in \[0, 1\]; got 1.5"):
        logit(1.5)  # a Python float out of range leaves the scalar path for the check
    with pytest.raises(ValueError, match=r"bce_with_logits: y must lie in \[0, 1\]"):
        bce([0.0], [2.0])
    with pytest.raises(TypeError, match="bce_with_logits: y has dtype complex128"):
        bce([0.0], [1j])
    with pytest.raises(ValueError, match=r"the shapes of z .* and y .* do not broadcast"):
        bce(np.zeros(3), np.zeros(2))
    with pytest.raises(TypeError, match="logit: missing a required argument: 'p'"):
        logit()
    with pytest.raises(TypeError, match="logit: too many positional arguments"):
        logit(0.5, np.empty(()))  # out is keyword-only


def test_other_libraries_come_back_as_such(logit, bce):
    p = np.linspace(0, 1, 11)
    got = logit(strict.asarray(p))
    assert type(got) is type(strict.asarray(0.0))
    np.testing.assert_array_equal(np.asarray(got), numeric.logit(p))
    z = da.from_array(np.linspace(-50, 50, 11), chunks=4)
    got = bce(z, 1.0)  # a Python number joins the library's array
    assert isinstance(got, da.Array)
    np.testing.assert_array_equal(got.compute(), numeric.bce_with_logits(z.compute(), 1.0))
    with pytest.raises(ValueError, match=r"logit: p must lie in \[0, 1\]"):
        logit(strict.asarray([0.5, 2.0]))
    with pytest.raises(TypeError, match="out= takes NumPy arrays"):
        logit(strict.asarray([0.5]), out=np.empty(1))


def test_the_docstring_says_what_why_and_which_slug_and_its_example_runs():
    example = ">>> logit([0.5, 0.75])\narray([0.        , 1.09861229])"
    function = _generic("logit", example)
    assert function.__doc__.startswith("logit(p) = logit(p), computed in a stable form.")
    text = " ".join(function.__doc__.split())  # the paragraphs are wrapped
    assert "Proven by the derivation 'stable-forms'" in text
    assert "p must lie in [0, 1] (ValueError otherwise)." in text

    def failures(doc: str) -> int:
        test = doctest.DocTestParser().get_doctest(doc, {"logit": function}, "logit", None, 0)
        runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
        runner.run(test, out=lambda _: None)
        return runner.failures

    assert failures(function.__doc__) == 0
    assert failures(function.__doc__.replace("1.09861229", "1.1")) == 1  # the example can fail


def test_a_generic_public_kernel_needs_an_example():
    with pytest.raises(ValueError, match="needs an example"):
        generate._public_entry(replace(SPECS["logit"], example=""))
    with pytest.raises(ValueError, match="doctest text"):
        replace(SPECS["logit"], example="logit(0.5)")
    with pytest.raises(ValueError, match="not an argument"):
        replace(SPECS["logit"], ranges={"q": (0, 1)})


def test_each_public_kernel_is_exported_once_hand_written_first():
    public = {n for n, k in SPECS.items() if k.public}
    generic = set(_generated.PUBLIC)
    hand_written = public & set(_EXPORTS)
    assert not generic & set(_EXPORTS), "a generated function where a hand-written one exists"
    assert hand_written | generic == public and not hand_written & generic
    assert len(numeric.__all__) == len(set(numeric.__all__))
    for name in generic:
        assert getattr(numeric, name) is _public.FUNCTIONS[name]
        assert ">>> " in _public.FUNCTIONS[name].__doc__  # its example: doctest runs it
