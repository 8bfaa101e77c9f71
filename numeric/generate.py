"""Write numeric/_generated.py: every kernel of the registry as Python source, ahead of time.

The NumPy functions never import SymPy: their kernels are compiled here, once, from
``derivations.catalog.kernel_specs()`` (the stable forms that the derivations verify), and
committed with the package. Run after changing a derivation's kernel::

    python -m numeric.generate            # rewrite numeric/_generated.py
    python -m numeric.generate --check    # exit status 1 if the committed file is stale

Each kernel ``name`` becomes three functions: ``name_block`` (one ufunc call per
operation, into reusable buffers: what the NumPy functions run), ``name_xp`` (the same
operations on any array namespace ``xp`` of the array API standard) and ``name_scalar``
(Python floats and ``math``, for one number); the last two are left out where a node
has only a NumPy implementation. A kernel with far tails has a fourth, ``name_block_fast``
(the block without the tails, tried first). ``KERNELS`` maps each name to them.

``PUBLIC`` describes the public kernels that have no hand-written function in ``numeric``
(``numeric._EXPORTS``): their argument names, the ranges their ``KernelSpec`` declares and a
docstring made from the spec (the textbook form, why the stable form is safe, the slug that
proves it, and the author's example); ``numeric._public`` makes each a NumPy function.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from pathlib import Path
from typing import Any

__all__ = ["PATH", "main", "source"]

PATH = Path(__file__).with_name("_generated.py")
COMMAND = "python -m numeric.generate"

_HEADER = f'''"""Kernels generated from the verified derivations. Do not edit: run ``{COMMAND}``.

Generated from ``derivations.catalog.kernel_specs()`` by numeric/generate.py;
tests/test_generated.py fails when this file differs from what that command writes.
``KERNELS`` maps each kernel's name to (block function, its fast form without the far tails
or None, float buffers, bool buffers, outputs, quiet, xp function or None, scalar function
or None); numeric._codegen runs them.
``PUBLIC`` maps each public kernel without a hand-written function to (argument names,
ranges, docstring); numeric._public makes it a NumPy function.
"""
'''


def _numpy_ready(expr: Any) -> Any:
    """The squashing curves' forms with the functions NumPy lacks bound to numeric._erfc's.

    erfc, erfcx (of |x| >= 0) and exp(-x**2) are numeric._erfc's, the last with x**2 split
    exactly; sqrt(x**2 + 1) is numpy.hypot(1, x), the same number without the overflow of x**2.
    """
    from sympy import Function, Pow, Symbol, erfc, exp
    from sympy.codegen.cfunctions import hypot

    from derivations.topics.curves import erfcx
    from numeric import _erfc

    def bound(name: str, implementation: Any) -> type:
        return type(name, (Function,), {"nargs": 1, "_imp_": staticmethod(implementation)})

    x = Symbol("x", real=True)
    expr = expr.replace(erfc, bound("erfc_nonnegative", _erfc.erfc))
    expr = expr.replace(erfcx, bound("erfcx_nonnegative", _erfc.erfcx))
    expr = expr.xreplace({exp(-(x**2)): bound("exp_minus_square", _erfc.exp_minus_square)(x)})

    def is_hypot_power(e: Any) -> bool:
        return isinstance(e, Pow) and e.base == x**2 + 1

    return expr.replace(is_hypot_power, lambda e: hypot(1, x) ** (2 * e.exp))


def _sigmoid_form(u: Any) -> Any:
    """sigma(u) inside a form (such as the Gaussian posterior's) as the kernel sigmoid has it.

    u stays whole (an UnevaluatedExpr): SymPy would otherwise rewrite e^-(a + ln r) as
    e^-a / r, which overflows where e^-(a + ln r) does not.
    """
    from sympy import Dummy, UnevaluatedExpr

    from derivations.topics.sigmoid import tail_sigmoid

    t = Dummy("t", real=True)
    return tail_sigmoid(t).xreplace({t: UnevaluatedExpr(u)})


def _kernel_source(spec: Any) -> tuple[str, str, set[str]]:
    """The three functions of one kernel, its KERNELS entry, and the imports they need."""
    from sympy.printing.numpy import NumPyPrinter

    from derivations.functions import sigmoid
    from numeric._kernel import Unsupported, emit_source
    from numeric._kernel_passes import is_quiet

    forms = tuple(_numpy_ready(e.replace(sigmoid, _sigmoid_form)) for e in spec.forms)
    arguments = ", ".join(str(a) for a in spec.args)
    block, floats, bools, names = emit_source(
        forms, spec.args, NumPyPrinter(), f"{spec.name}_block"
    )
    fast = f"{spec.name}_block_fast" if f"def {spec.name}_block_fast(" in block else "None"
    parts = [f"# {spec.name}({arguments}): {spec.why}; proven by {spec.proven_by}\n{block}"]
    entry = [f"{spec.name}_block", fast, str(floats), str(bools), str(len(forms))]
    entry.append(str(is_quiet(forms)))
    for dialect in ("xp", "scalar"):
        try:
            text, *_ = emit_source(forms, spec.args, None, f"{spec.name}_{dialect}", dialect)
        except Unsupported:
            entry.append("None")
            continue
        parts.append(text)
        entry.append(f"{spec.name}_{dialect}")
    imports = {
        f"from {f.__module__} import {f.__name__} as {name}" for name, f in sorted(names.items())
    }
    return "\n\n\n".join(parts), f'    "{spec.name}": ({", ".join(entry)}),', imports


def _docstring(spec: Any) -> str:
    """The docstring of a generic public function: what it computes, why, what proves it."""
    arguments = ", ".join(str(a) for a in spec.args)
    forms = "; ".join(str(form) for form in spec.textbook_forms)
    if len(spec.textbook_forms) > 1:
        forms = f"the tuple ({forms})"
    why = (
        f"Stable form: {spec.why}. Proven by the derivation {spec.proven_by!r} "
        f"(derivations.get({spec.proven_by!r})); generated from its KernelSpec."
    )
    usage = (
        "Broadcasts, keeps float32 as float32, and writes into ``out`` when it is given (an "
        "array of the result's shape and dtype, which is returned). Arrays of another library "
        "of the array API standard come back as that library's arrays."
    )
    ranges = " ".join(
        f"{name} must lie in [{_bound(low, '-inf')}, {_bound(high, 'inf')}] (ValueError otherwise)."
        for name, (low, high) in spec.ranges.items()
    )
    paragraphs = [f"{spec.name}({arguments}) = {forms}, computed in a stable form."]
    paragraphs += [textwrap.fill(p, 88) for p in (why, usage, ranges) if p]
    return "\n\n".join([*paragraphs, spec.example.strip()]) + "\n"


def _bound(value: float | None, unbounded: str) -> str:
    return unbounded if value is None else f"{value:g}"


def _public_entry(spec: Any) -> str:
    """The PUBLIC entry of a public kernel that numeric has no hand-written function for."""
    if not spec.example:
        raise ValueError(
            f"kernel {spec.name!r} is public with no hand-written function in numeric: "
            "its KernelSpec needs an example (doctest text) for the generated docstring"
        )
    names = tuple(str(a) for a in spec.args)
    ranges = {name: spec.ranges[name] for name in names if name in spec.ranges}
    return f"    {spec.name!r}: ({names!r}, {ranges!r}, {_docstring(spec)!r}),"


def source() -> str:
    """The text of numeric/_generated.py, the same in every process."""
    from derivations.catalog import kernel_specs
    from numeric import _EXPORTS

    functions, entries, imports, public = [], [], set(), []
    for spec in kernel_specs().values():
        text, entry, needs = _kernel_source(spec)
        functions.append(text)
        entries.append(entry)
        imports |= needs
        if spec.public and spec.name not in _EXPORTS:  # a hand-written function wins
            public.append(_public_entry(spec))
    head = [_HEADER, "import math", "", "import numpy", "", *sorted(imports)]
    table = ["KERNELS = {", *entries, "}"]
    body = "\n\n\n".join([*functions, "\n".join(table), "\n".join(["PUBLIC = {", *public, "}"])])
    return "\n".join(head) + "\n\n\n" + body + "\n"


def _write(path: Path, text: str) -> None:
    """Replace ``path`` by ``text`` at once, the new file with the umask's mode."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) numeric/_generated.py; the exit status."""
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is stale")
    options = parser.parse_args(argv)
    text = source()
    current = PATH.read_text(encoding="utf-8") if PATH.exists() else None
    if options.check:
        if current != text:
            print(f"{PATH} is out of date: run {COMMAND}", file=sys.stderr)
            return 1
        return 0
    if current != text:
        _write(PATH, text)
        print(f"wrote {PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
