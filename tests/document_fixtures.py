"""The book's content as the document renderer takes it, with stand-in verification reports.

Verifying the whole catalog takes a minute; the layout of the marks does not depend
on which claims SymPy proved, so these reports mark the claims S and N in turn
(both letters appear), a claim marked ``numeric=`` N (as a strict verification
does), and leave definitions, substitutions and assumptions unmarked, as the
verifier does.
"""

from __future__ import annotations

from derivations.engine import Derivation
from derivations.verify import StepReport, VerificationReport


def stand_in_report(d: Derivation) -> VerificationReport:
    """A report marking the claims of ``d`` S, N, S, ... (N where ``numeric=`` says why)
    and its result S (N where ``numeric_result=`` says why)."""
    steps, claims = [], 0
    for i, s in enumerate(d.steps, 1):
        if s.is_claim:
            claims += 1
            status = "proven" if claims % 2 and not s.numeric else "numeric"
        else:
            status = "given"
        steps.append(StepReport(i, str(s.kind), status, "stand-in"))
    return VerificationReport(
        d.slug,
        d.title,
        tuple(steps),
        StepReport(0, "result", "numeric" if d.numeric_result else "proven", "stand-in"),
        0.0,
    )


def book_content() -> dict:
    """The keyword arguments that build() gives latex_article and markdown_page."""
    from derivations.book import SECTIONS, SUBTITLE, TITLE
    from derivations.build import generated
    from derivations.catalog import catalog
    from derivations.document import Figure, Part
    from numeric.figures import figures

    specs = figures()
    # The catalog, and the gradients the book shows derived by the toolkit itself.
    every = {**catalog(), **{d.slug: d for d in generated()}}
    parts = [
        Part(s.title, s.intro, s.slugs, s.figures, s.outro, dict(s.placement)) for s in SECTIONS
    ]
    return {
        # In document order (the sections'), as the page shows them.
        "derivations": [every[slug] for s in SECTIONS for slug in s.slugs],
        "reports": {slug: stand_in_report(d) for slug, d in every.items()},
        "title": TITLE,
        "subtitle": SUBTITLE,
        "parts": parts,
        "figures": {name: Figure(name, specs[name].caption) for p in parts for name in p.figures},
    }
