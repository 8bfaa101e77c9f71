"""The kernel registry agrees with the catalog (each stable form is proven) and with numeric."""

from dataclasses import replace

import mpmath
import pytest
from sympy import Piecewise, Rational

import numeric
from derivations.catalog import get, kernel_specs
from derivations.engine import Kind, canonical
from derivations.kernels import KernelSpec

SPECS = kernel_specs()
# The squashing curves' kernels are assembled from several claims (the wrong side's form at
# t = |x|, the right side's through 1 - q), not one: they are checked at high precision below.
ASSEMBLED = {"squashing-tails", "squashing-functions"}


def _chains(derivation):
    """Each chain of '=' claims as the list of its sides (definitions expanded on the left)."""
    definitions, chains = {}, []
    for s in derivation.steps:
        if s.kind is Kind.DEFINITION:
            definitions[s.lhs] = s.rhs
        elif s.is_claim and s.relation == "=":
            if not s.continues:
                chains.append([canonical(s.lhs), canonical(definitions.get(s.lhs, s.lhs))])
            chains[-1].append(canonical(s.rhs))
    result = derivation.result
    chains.append([canonical(result.lhs), canonical(result.rhs)])
    return chains, [canonical(v) for v in definitions.values()]


def _is_claimed(spec: KernelSpec) -> bool:
    """True when the derivation ``spec.proven_by`` claims textbook = stable (KeyError: no slug)."""
    chains, defined = _chains(get(spec.proven_by))
    textbook, stable = canonical(spec.textbook), canonical(spec.stable)
    if textbook == stable:  # nothing to prove: the form must be the derivation's own
        return any(textbook in chain for chain in chains) or textbook in defined
    return any(textbook in chain and stable in chain for chain in chains)


@pytest.mark.parametrize(
    "name", sorted(n for n, k in SPECS.items() if k.proven_by not in ASSEMBLED)
)
def test_each_stable_form_is_a_claim_of_the_derivation_it_names(name):
    spec = SPECS[name]
    assert _is_claimed(spec), f"{spec.proven_by} has no claim {spec.textbook} = {spec.stable}"


def test_the_check_fails_for_a_form_that_is_not_proven():
    # Another kernel's stable form, or the right one under another slug, is not claimed.
    prime, log_sigmoid = SPECS["sigmoid_derivative"], SPECS["log_sigmoid"]
    assert not _is_claimed(replace(prime, stable=log_sigmoid.stable))
    assert not _is_claimed(replace(prime, proven_by="sigmoid-two-forms"))
    with pytest.raises(KeyError):
        _is_claimed(replace(prime, proven_by="no-such-derivation"))


@pytest.mark.parametrize("name", sorted(n for n, k in SPECS.items() if k.proven_by in ASSEMBLED))
def test_assembled_kernels_equal_their_textbook_forms_at_30_digits(name):
    spec = SPECS[name]
    get(spec.proven_by)  # the slug exists
    (x,) = spec.args
    assert isinstance(spec.stable, Piecewise) or spec.proven_by == "squashing-functions"
    # Both sides of x = 0 (the branches), evaluated by SymPy at 30 digits: an independent
    # evaluation of the textbook formula, which the kernel must equal.
    for value in (Rational(-7, 2), Rational(-3, 4), Rational(1, 2), Rational(9, 4)):
        with mpmath.workdps(40):
            want = spec.textbook.subs(x, value).doit().evalf(30)
            got = spec.stable.subs(x, value).doit().evalf(30)
        assert abs(got - want) <= 1e-25 * max(1, abs(want)), (name, value, got, want)


def test_public_kernels_are_exactly_numerics_exports():
    public = {n for n, k in SPECS.items() if k.public}
    exported = set(numeric.__all__) - set(numeric.NOT_KERNELS)
    assert public == exported, (
        f"registered but not exported: {sorted(public - exported)}; "
        f"exported but not registered: {sorted(exported - public)}"
    )
    assert set(numeric.NOT_KERNELS) <= set(numeric.__all__)


def test_why_is_plain_text_and_names_are_identifiers():
    for spec in SPECS.values():
        assert "$" not in spec.why and "\\" not in spec.why, spec.name
    with pytest.raises(ValueError, match="plain text"):
        KernelSpec("k", (), SPECS["sigmoid"].textbook, SPECS["sigmoid"].stable, "s", "$x$")
