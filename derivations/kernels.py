"""The contract between the derivations and ``numeric``: one typed record per NumPy kernel.

Each topic module defines the kernels its derivations prove (a ``kernels()`` function
returning :class:`KernelSpec` records) next to those derivations; ``derivations.catalog``
collects them, and ``python -m numeric.generate`` turns them into NumPy code ahead of time.

>>> from sympy import Symbol, exp
>>> z = Symbol("z", real=True)
>>> spec = KernelSpec("exp_minus", (z,), exp(-z), exp(-z), "some-slug", "nothing to rewrite")
>>> spec.forms
(exp(-z),)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from sympy import Basic, Symbol

__all__ = ["KernelSpec"]


@dataclass(frozen=True)
class KernelSpec:
    """One NumPy kernel: its arguments, the textbook and stable forms, and what proves them.

    ``textbook`` and ``stable`` are the two sides of a claim that the derivation
    ``proven_by`` verifies (on one line, or on two lines of one chain). ``why`` says in plain
    text (no LaTeX) why the stable form is safe. What NumPy evaluates is ``stable`` with the
    equalities ``given`` substituted (such as pi_0 = 1 - pi_1), unless ``outputs`` says how
    the results are built from it: then each output is written in terms of the symbol
    ``STABLE``, which stands for that substituted stable form. ``public`` marks a kernel that
    ``numeric`` exports under its name; the others serve exported functions.

    A public kernel without a hand-written function in ``numeric`` becomes one generically
    (``numeric._public``): its parameters are ``args``, ``ranges`` declares the closed
    interval each argument must lie in (``{"y": (0, 1)}``, ``None`` for an open end;
    ValueError naming the argument otherwise), and ``example`` is its docstring's example,
    doctest text that the author writes (``">>> swish([0.0, 1.0])\\narray([...])"``), which
    the test suite runs.

    The squashing curves' kernels are the exception: each is assembled (a Piecewise in x)
    from several claims of ``squashing-tails``, the wrong side's form and the right side's
    through 1 - q, so ``stable`` is that assembly; tests/test_registry.py checks those
    against the textbook form at 30 digits instead of finding one claim.
    """

    name: str
    args: tuple[Symbol, ...]
    textbook: Basic
    stable: Basic
    proven_by: str
    why: str
    given: tuple[tuple[Basic, Basic], ...] = ()
    outputs: tuple[Basic, ...] | None = None
    public: bool = True
    ranges: Mapping[str, tuple[float | None, float | None]] = field(
        default_factory=dict, hash=False
    )
    example: str = ""

    def __post_init__(self):
        if not self.name.isidentifier():
            raise ValueError(f"a kernel's name must be a Python identifier, got {self.name!r}")
        if "\\" in self.why or "$" in self.why:
            raise ValueError(f"kernel {self.name!r}: 'why' is plain text, without LaTeX")
        if self.example and not self.example.lstrip().startswith(">>> "):
            raise ValueError(f"kernel {self.name!r}: 'example' is doctest text, '>>> ' first")
        object.__setattr__(self, "args", tuple(self.args))
        object.__setattr__(self, "given", tuple((a, b) for a, b in self.given))
        object.__setattr__(self, "ranges", MappingProxyType(_ranges(self)))

    @property
    def forms(self) -> tuple[Basic, ...]:
        """The expressions NumPy evaluates, one per output, as functions of ``args``."""
        return self._outputs(self.stable)

    @property
    def textbook_forms(self) -> tuple[Basic, ...]:
        """The same outputs from the textbook form (what a plain lambdify would evaluate)."""
        return self._outputs(self.textbook)

    def _outputs(self, form: Basic) -> tuple[Basic, ...]:
        from sympy import UnevaluatedExpr

        value = form.subs(dict(self.given)) if self.given else form
        if self.outputs is None:
            return (value,)
        # Kept whole where it is multiplied, so that cse computes it once.
        return tuple(o.xreplace({STABLE: UnevaluatedExpr(value)}) for o in self.outputs)


def _ranges(spec: KernelSpec) -> dict[str, tuple[float | None, float | None]]:
    """``spec.ranges`` checked: argument names as keys, (low, high) with low < high."""
    names = [str(a) for a in spec.args]
    checked = {}
    for name, bounds in spec.ranges.items():
        if name not in names:
            raise ValueError(f"kernel {spec.name!r}: ranges names {name!r}, not an argument")
        low, high = (None if b is None else float(b) for b in bounds)
        if low is not None and high is not None and not low < high:
            raise ValueError(f"kernel {spec.name!r}: the range of {name} is empty")
        checked[name] = (low, high)
    return checked


STABLE = Symbol("STABLE", real=True)
"""In ``KernelSpec.outputs``: the stable form, after the ``given`` equalities."""
