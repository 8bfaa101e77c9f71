"""The proof marks: what each means, said once at the start and briefly in each section.

The numbers in the legend (digits, points, how far out a limit is evaluated) are
the verifier's own constants, so the legend cannot drift from what was done.
"""

from __future__ import annotations

import mpmath

from derivations.verify import DEFAULT_POINTS, DIGITS
from derivations.verify.compare import RELATIVE_TOLERANCE
from derivations.verify.sampling import LIMIT_STEPS

__all__ = ["SECTION_LEGEND", "legend"]


def _digits(tolerance) -> int:
    return round(-float(mpmath.log10(tolerance)))


def legend(where: str) -> str:
    """The legend of the proof marks; ``where`` says where the marks stand on the page."""
    return (
        f"Each claim carries a mark {where}: $\\mathsf{{S}}$, proven symbolically by SymPy; "
        f"$\\mathsf{{N}}$, checked numerically only (mpmath at {DIGITS} digits, at "
        f"{DEFAULT_POINTS} random points, a ladder of magnitudes from $10^{{-9}}$ to $10^{{3}}$ "
        "of both signs, and both sides of every kink of $|\\cdot|$, max and min; where a "
        "derivation names the domain or the points it samples, those instead). A numbered "
        "$\\mathsf{N}$, such as $\\mathsf{N}^{1}$, refers to the note under its derivation "
        "that says why SymPy did not prove it. Lines without a mark are definitions, "
        "substitutions and assumptions.\n\n"
        "What a mark certifies depends on the relation. An equation marked $\\mathsf{S}$: "
        "SymPy reduced the difference of its sides to zero for every value the symbols may "
        "take; marked $\\mathsf{N}$: its sides agree to "
        f"{_digits(RELATIVE_TOLERANCE)} significant digits at every sampled point. An "
        "inequality ($\\le$, $<$, $\\ge$, $>$) marked $\\mathsf{S}$: SymPy showed that the "
        "difference of its sides has the stated sign everywhere; marked $\\mathsf{N}$: it has "
        "that sign at every sampled point, which is evidence, not proof, as a violation "
        "between the points would go unseen. A limit marked $\\mathsf{S}$: SymPy evaluated "
        "the limit; marked $\\mathsf{N}$: the expression, evaluated at $10^{2}, 10^{4}, "
        f"\\ldots, 10^{{{2**LIMIT_STEPS}}}$ (or as close to a finite point), approaches the "
        "stated value, reaching it or converging geometrically towards it, evidence that the "
        "limit is right, not proof. A line with $\\ne$ is settled by one point where its sides "
        "differ, named in its justification: marked $\\mathsf{S}$ when SymPy found the "
        "point and showed exactly that the sides differ there, $\\mathsf{N}$ when the point "
        f"is a sampled one where they differ at {DIGITS} digits."
    )


SECTION_LEGEND = (
    "Marks: $\\mathsf{S}$ proven by SymPy, $\\mathsf{N}$ checked numerically only; the "
    "legend at the start of the document says what each certifies."
)
