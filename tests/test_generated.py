"""numeric/_generated.py is what `python -m numeric.generate` writes, and numeric runs without SymPy."""

import inspect
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from numeric import _generated
from numeric._codegen import compile_kernel, generated
from numeric.generate import COMMAND, PATH, source
from tests.reference import ulp_error

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=True
    )


def test_the_committed_module_is_what_the_generator_writes():
    assert PATH.read_text(encoding="utf-8") == source(), (
        f"numeric/_generated.py is stale: run {COMMAND}"
    )


def test_generation_is_the_same_under_other_hash_seeds():
    # Set iteration order changes with the hash seed; the generated text must not.
    code = "import sys; from numeric.generate import source; sys.stdout.write(source())"
    committed = PATH.read_text(encoding="utf-8")
    for seed in ("0", "4242"):
        assert _run(code, PYTHONHASHSEED=seed).stdout == committed, f"PYTHONHASHSEED={seed}"


def test_numeric_runs_without_importing_sympy_or_derivations():
    code = (
        "import sys, numeric; numeric.sigmoid(0.5); numeric.bce_with_logits([1.0, -2.0], 1.0);"
        "numeric.squashing.loss('erf', [-3.0]); numeric.gaussian_posterior(0.0, -1.0, 1.0, 1.5);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sympy', 'derivations')))"
    )
    assert _run(code).stdout.strip() == "[]"


def test_every_kernel_has_a_block_form_and_public_ones_the_other_two():
    from derivations.catalog import kernel_specs

    specs = kernel_specs()
    assert list(_generated.KERNELS) == list(specs)
    for name, spec in specs.items():
        if spec.public:
            assert generated(name).xp is not None and generated(name).scalar is not None, name


def test_run_time_compilation_still_works_for_other_expressions():
    from sympy import Symbol, exp

    x = Symbol("x", real=True)
    kernel = compile_kernel(x * exp(-x), [x])
    values = np.linspace(-3, 3, 7)
    np.testing.assert_array_equal(kernel(values), values * np.exp(-values))


# Kernels whose nodes all have array-API forms (the others call numeric._erfc or numpy.sinc).
WITH_XP = sorted(name for name, entry in _generated.KERNELS.items() if entry[6] is not None)


def _condition(kernel, args):
    """Each value's relative condition number in the arguments, by a relative step of 2**-30.

    The largest over the arguments, at least 1; of the last output (dC/dz of a gradient, whose
    x times it, dC/dw, has the same). A residual sigma(z) - y near its root has a large one:
    there a relative error e in a term becomes (y/|sigma(z) - y|) e in the result.
    """

    def last(values):
        return values[-1] if isinstance(values, tuple) else values

    base, step = last(kernel(*args)), 2.0**-30
    condition = np.ones_like(base)
    for k in range(len(args)):
        moved = last(kernel(*[a * (1 + step) if i == k else a for i, a in enumerate(args)]))
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.abs(moved - base) / (np.abs(base) * step)
        condition = np.fmax(condition, np.nan_to_num(ratio, posinf=0))
    return condition


@pytest.mark.parametrize("name", WITH_XP)
def test_the_xp_form_computes_what_the_block_form_does(name, rng):
    # The same operations in the same order through numpy as the namespace: the same bits.
    # Except for a far-tail kernel (numeric._kernel._tail_piecewise): its block evaluates the
    # fast form, its xp form the safe one, two forms the derivation proves equal, each within
    # 2 ULP of the truth (the accuracy tests) where the value is well conditioned, so within 4
    # ULP of each other; near a root of a residual (y in (0, 1) is drawn here) both carry the
    # rounding errors of their terms magnified by the value's condition number (_condition).
    kernel = generated(name)
    tail = "_tail_patch" in inspect.getsource(kernel.block)
    arity = kernel.block.__code__.co_argcount - kernel.outputs - kernel.floats - kernel.bools
    args = [rng.uniform(0.05, 0.95, 64) for _ in range(arity)]  # inside every domain
    args[0] = np.concatenate([rng.uniform(-40, 40, 32), args[0][:32]])
    want = kernel(*args)
    with np.errstate(divide="ignore", invalid="ignore"):
        got = kernel.xp(np, *args)
    if kernel.outputs == 1:
        want, got = (want,), (got,)
    for w, g in zip(want, got, strict=True):
        if tail:
            assert np.all(ulp_error(g, w) <= 4 * _condition(kernel, args)), name
        else:
            np.testing.assert_array_equal(g, w)


PUBLIC_XP = [
    "sigmoid",
    "sigmoid_derivative",
    "log_sigmoid",
    "softplus",
    "bce_with_logits",
    "bce_gradient",
]


@pytest.mark.parametrize("library", ["array_api_strict", "dask.array"])
@pytest.mark.parametrize("name", PUBLIC_XP)
def test_the_xp_form_runs_on_other_array_libraries(name, library, rng):
    # The stable form through the library's own operations gives NumPy's numbers (to 2 ULP:
    # another library may round its exp differently), also where the textbook form overflows.
    array_api_compat = pytest.importorskip("array_api_compat")
    module = pytest.importorskip(library)
    kernel = generated(name)
    arity = kernel.block.__code__.co_argcount - kernel.outputs - kernel.floats - kernel.bools
    columns = [np.concatenate([[-800.0, -40.0, 0.0, 40.0, 800.0], rng.uniform(-30, 30, 59)])]
    columns += [rng.uniform(0, 1, 64) for _ in range(arity - 1)]
    arrays = [module.asarray(c) for c in columns]
    xp = array_api_compat.array_namespace(*arrays)
    got = kernel.xp(xp, *arrays)
    want = kernel(*columns)
    if kernel.outputs == 1:
        got, want = (got,), (want,)
    for g, w in zip(got, want, strict=True):
        if library == "dask.array":
            g = g.compute()
        g = np.asarray(g)
        assert g.dtype == np.float64
        np.testing.assert_array_max_ulp(g, w, maxulp=2)


def test_the_constant_of_erfc_is_one_over_the_square_root_of_pi():
    import mpmath

    from numeric import _erfc

    assert _erfc._ONE_OVER_SQRT_PI == float(1 / mpmath.sqrt(mpmath.pi))


def test_the_command_checks_and_rewrites(tmp_path, monkeypatch, capsys):
    from numeric import generate

    assert generate.main(["--check"]) == 0
    stale = tmp_path / "_generated.py"
    stale.write_text("KERNELS = {}\n", encoding="utf-8")
    monkeypatch.setattr(generate, "PATH", stale)
    assert generate.main(["--check"]) == 1
    assert COMMAND in capsys.readouterr().err
    assert generate.main([]) == 0
    assert stale.read_text(encoding="utf-8") == source()
    assert generate.main(["--check"]) == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stale.stat().st_mode & 0o777 == 0o666 & ~umask  # written with the umask's mode
    assert [p.name for p in tmp_path.iterdir()] == ["_generated.py"]  # no temporary left
