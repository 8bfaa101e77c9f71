r"""Whole documents: a standalone LaTeX article and a Markdown page.

``latex_article`` and ``markdown_page`` take any derivations (with their
verification reports, to mark each step proven or checked numerically) and
optional parts (sections) and figures; the output depends only on their
content, so it is the same on every run.

Prose is plain text with four kinds of markup: ``$...$`` is inline math,
```code``` is code (typewriter in LaTeX), ``{fig:name}`` refers to a figure
("Figure 3"), numbered in order of appearance in both outputs, and
``[cite:key]`` cites a reference (derivations.citations).

The Markdown is written for GitHub, whose math is MathJax 3: display math in
fenced ``math`` blocks, proof marks at the start of each line
(derivations.mathjax says why).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from derivations import citations
from derivations.bookmarks import pdf_string
from derivations.citations import CitationError
from derivations.engine import Derivation
from derivations.marks import SECTION_LEGEND, legend
from derivations.mathjax import display_markdown, inline_markdown, marked_aligned
from derivations.prose import prose_latex, prose_markdown
from derivations.render import (
    derivation_latex,
    escape_text,
    line_marks,
    numeric_notes,
    result_latex,
)
from derivations.verify import VerificationReport

__all__ = [
    "CitationError",
    "Figure",
    "Part",
    "derivation_block_latex",
    "derivation_block_markdown",
    "latex_article",
    "markdown_page",
    "prose_latex",
    "prose_markdown",
]


@dataclass(frozen=True)
class Figure:
    """A figure as the document sees it: file stem (under figures/) and caption."""

    name: str
    caption: str


@dataclass(frozen=True)
class Part:
    """A section of the document: title, prose, derivations (by slug) and figures.

    A figure is placed after the derivation that ``placement`` names for it,
    or at the end of the part.
    """

    title: str
    intro: str
    slugs: tuple[str, ...]
    figures: tuple[str, ...] = ()
    outro: str = ""
    placement: Mapping[str, str] = field(default_factory=dict)

    def layout(self) -> list[tuple[str, str]]:
        """The part's items in order: ("derivation", slug) and ("figure", name)."""
        items: list[tuple[str, str]] = []
        for slug in self.slugs:
            items.append(("derivation", slug))
            items += [("figure", f) for f in self.figures if self.placement.get(f) == slug]
        items += [("figure", f) for f in self.figures if self.placement.get(f) not in self.slugs]
        return items


# ------------------------------------------------------------------ prose


def _heading_latex(command: str, title: str, label: str) -> str:
    tex = prose_latex(title)
    if "$" in title:
        tex = rf"\texorpdfstring{{{tex}}}{{{pdf_string(title)}}}"
    return rf"\{command}{{{tex}}}\label{{{label}}}"


# ------------------------------------------------------------------ both


def _prose_in_order(
    derivations: Sequence[Derivation],
    subtitle: str,
    parts: Sequence[Part],
    figures: Mapping[str, Figure],
) -> list[str]:
    """Every piece of prose in the order the document shows it (to number citations)."""
    by_slug = {d.slug: d for d in derivations}
    texts = [subtitle]
    if not parts:
        return texts + [t for d in derivations for t in (d.intro, d.reading)]
    for part in parts:
        texts.append(part.intro)
        for kind, name in part.layout():
            if kind == "derivation":
                texts += [by_slug[name].intro, by_slug[name].reading]
            else:
                texts.append(figures[name].caption)
        texts.append(part.outro)
    return texts


def _book_references() -> Mapping[str, str]:
    from derivations import book

    return getattr(book, "REFERENCES", {})


def numeric_notes_prose(d: Derivation, report: VerificationReport | None) -> str:
    r"""Under a derivation: why SymPy did not prove each line marked with a numbered
    $\mathsf{N}$, one paragraph per reason (empty when there is none).

    >>> from sympy import Symbol, acos, asin, pi
    >>> from derivations.engine import step
    >>> x = Symbol("x", real=True)
    >>> arcs = step(acos(x / 5) + asin(x / 5), pi / 2, "angles", numeric="no rule for arcs")
    >>> d = Derivation("arcs", "Arcs", [arcs])
    >>> print(numeric_notes_prose(d, d.verify()))
    $\mathsf{N}^{1}$ Not proven symbolically: no rule for arcs.
    """
    notes = sorted(set(numeric_notes(d, report).values()))
    return "\n\n".join(
        f"$\\mathsf{{N}}^{{{number}}}$ Not proven symbolically: {reason.rstrip('.')}."
        for number, reason in notes
    )


def _first_marked(part: Part, reports: Mapping[str, VerificationReport]) -> str | None:
    """The slug of the part's first derivation with a report: where its marks first appear."""
    return next((slug for slug in part.slugs if slug in reports), None)


# ------------------------------------------------------------------ LaTeX


def derivation_block_latex(
    d: Derivation, report: VerificationReport | None = None, *, legend: bool = False
) -> str:
    """One derivation as the document shows it: heading, prose, steps, result.

    With ``legend``, the short legend of the proof marks stands just above the steps.
    """
    out = [_heading_latex("subsection", d.title, f"der:{d.slug}")]
    if d.intro:
        out.append(prose_latex(d.intro))
    if legend and report is not None:
        out.append(r"{\small " + prose_latex(SECTION_LEGEND) + "}")
    out.append(derivation_latex(d, report))
    mark = rf"\qquad {line_marks(d, report)[0]}" if report is not None else ""
    out.append(
        r"\noindent\textbf{Result} (\texttt{" + escape_text(d.slug) + "}):\n"
        r"\begin{equation*}" + "\n" + result_latex(d) + mark + "\n" + r"\end{equation*}"
    )
    if notes := numeric_notes_prose(d, report):
        out.append(r"{\small " + prose_latex(notes) + "\n\n}")
    if d.reading:
        out.append(prose_latex(d.reading))
    # cases as mathtools' dcases: its fractions full size, not script size.
    return re.sub(r"\\(begin|end)\{cases\}", r"\\\1{dcases}", "\n\n".join(out))


def _figure_latex(figure: Figure) -> str:
    # A float, placed at the top or bottom of a page (or a page of floats) near where the
    # text puts it; [H] pinned it in place and left the rest of a page empty.
    return "\n".join(
        [
            r"\begin{figure}[tbp]",
            r"\centering",
            rf"\includegraphics[width=\linewidth]{{figures/{figure.name}.png}}",
            rf"\caption{{{prose_latex(figure.caption)}}}\label{{fig:{figure.name}}}",
            r"\end{figure}",
        ]
    )


PREAMBLE = r"""\documentclass[11pt]{article}
\pdfinfoomitdate=1
\pdftrailerid{}
\usepackage[utf8]{inputenc}
\usepackage[margin=2.5cm]{geometry}
\usepackage{amsmath,amssymb,mathtools}
\usepackage{graphicx}
\usepackage{booktabs}
\usepackage[unicode,hidelinks,pdfcreator={sigmoid-derivations},pdfproducer={pdfTeX}]{hyperref}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.6em}
% Floats: up to three on a page, a page of floats only when it is three quarters full,
% and text may take as little as a sixth of a page that has floats.
\setcounter{topnumber}{3}
\setcounter{bottomnumber}{2}
\setcounter{totalnumber}{4}
\renewcommand{\topfraction}{0.85}
\renewcommand{\bottomfraction}{0.7}
\renewcommand{\textfraction}{0.15}
\renewcommand{\floatpagefraction}{0.75}
"""


def latex_article(
    derivations: Sequence[Derivation],
    reports: Mapping[str, VerificationReport] | None = None,
    *,
    title: str = "Derivations",
    subtitle: str = "",
    parts: Sequence[Part] = (),
    figures: Mapping[str, Figure] | None = None,
    references: Mapping[str, str] | None = None,
) -> str:
    r"""A standalone LaTeX article (amsmath) of the given derivations.

    Without ``parts`` every derivation follows the title in the order given;
    with them, each part is a section with its prose, derivations and figures.
    ``references`` (key -> entry, default: the book's ``REFERENCES``, if any) are
    listed at the end, numbered in the order of their first ``[cite:key]``.

    >>> from derivations.catalog import get
    >>> tex = latex_article([get("sigmoid-two-forms")])
    >>> tex.startswith("\\documentclass") and tex.rstrip().endswith("\\end{document}")
    True
    """
    reports = reports or {}
    figures = figures or {}
    references = _book_references() if references is None else references
    numbers = citations.numbering(
        _prose_in_order(derivations, subtitle, parts, figures), references
    )
    by_slug = {d.slug: d for d in derivations}
    body = [
        PREAMBLE,
        rf"\hypersetup{{pdftitle={{{pdf_string(title)}}}}}",
        rf"\title{{{prose_latex(title)}}}",
        r"\date{}",
        r"\begin{document}",
        r"\maketitle",
    ]
    if subtitle:
        body.append(prose_latex(subtitle))
    body.append(
        prose_latex(legend("at the right margin, after its justification")) if reports else ""
    )
    if parts:
        body.append(r"\tableofcontents")
        for k, part in enumerate(parts, 1):
            body.append(_heading_latex("section", part.title, f"sec:{k}"))
            if part.intro:
                body.append(prose_latex(part.intro))
            first = _first_marked(part, reports)
            for kind, name in part.layout():
                if kind == "derivation":
                    block = derivation_block_latex(
                        by_slug[name], reports.get(name), legend=name == first
                    )
                    body.append(block)
                else:
                    body.append(_figure_latex(figures[name]))
            if part.outro:
                body.append(prose_latex(part.outro))
    else:
        for d in derivations:
            body.append(derivation_block_latex(d, reports.get(d.slug)))
    body.append(citations.bibliography_latex(numbers, references, prose_latex))
    body.append(r"\end{document}")
    return "\n\n".join(b for b in body if b) + "\n"


# ------------------------------------------------------------------ Markdown


def derivation_block_markdown(
    d: Derivation,
    report: VerificationReport | None = None,
    *,
    number: str = "",
    figure_numbers: Mapping[str, int] | None = None,
    reference_numbers: Mapping[str, int] | None = None,
    legend: bool = False,
) -> str:
    """One derivation as the Markdown page shows it (an anchor named after its slug).

    The steps are a fenced ``math`` block with each proof mark at the start of its
    line; with ``legend``, the short legend of the marks stands just above them.
    """
    prose = lambda text: prose_markdown(text, figure_numbers or {}, reference_numbers)  # noqa: E731
    heading = f"{number} {prose(d.title)}".strip()
    out = [f'<a id="{d.slug}"></a>\n\n### {heading}']
    if d.intro:
        out.append(prose(d.intro))
    if legend and report is not None:
        out.append(prose(SECTION_LEGEND))
    out.append(display_markdown(marked_aligned(d, report)))
    mark = "" if report is None else " " + inline_markdown(line_marks(d, report)[0])
    out.append(f"**Result**{mark} (`{d.slug}`):\n\n" + display_markdown(result_latex(d)))
    if notes := numeric_notes_prose(d, report):
        out.append(prose(notes))
    if d.reading:
        out.append(prose(d.reading))
    return "\n\n".join(out)


def markdown_page(
    derivations: Sequence[Derivation],
    reports: Mapping[str, VerificationReport] | None = None,
    *,
    title: str = "Derivations",
    subtitle: str = "",
    parts: Sequence[Part] = (),
    figures: Mapping[str, Figure] | None = None,
    references: Mapping[str, str] | None = None,
) -> str:
    """The same content as :func:`latex_article`, as Markdown for GitHub.

    >>> from derivations.catalog import get
    >>> print(markdown_page([get("sigmoid-two-forms")]).splitlines()[0])
    # Derivations

    Long because it lays out the whole page in reading order (title, contents, legend, sections,
    references); splitting it would scatter one layout.
    """
    reports = reports or {}
    figures = figures or {}
    references = _book_references() if references is None else references
    cited = citations.numbering(_prose_in_order(derivations, subtitle, parts, figures), references)

    def prose(text: str, figure_numbers: Mapping[str, int] = MappingProxyType({})) -> str:
        return prose_markdown(text, figure_numbers, cited)

    by_slug = {d.slug: d for d in derivations}
    out = [f"# {prose(title)}"]
    if subtitle:
        out.append(prose(subtitle))
    if reports:
        out.append(prose(legend("at the start of its line")))
    if not parts:
        out += [
            derivation_block_markdown(d, reports.get(d.slug), reference_numbers=cited)
            for d in derivations
        ]
        out.append(citations.bibliography_markdown(cited, references, prose))
        return "\n\n".join(o for o in out if o) + "\n"
    numbers = {}
    for part in parts:
        for kind, name in part.layout():
            if kind == "figure":
                numbers[name] = len(numbers) + 1
    contents = ["## Contents", ""]
    for k, part in enumerate(parts, 1):
        contents.append(f"{k}. [{prose(part.title)}](#part-{k})")
        for j, slug in enumerate(part.slugs, 1):
            contents.append(f"   - [{k}.{j} {prose(by_slug[slug].title)}](#{slug})")
    if cited:
        contents.append(f"{len(parts) + 1}. [References](#references)")
    out.append("\n".join(contents))
    for k, part in enumerate(parts, 1):
        out.append(f'<a id="part-{k}"></a>\n\n## {k}. {prose(part.title)}')
        if part.intro:
            out.append(prose(part.intro, numbers))
        first = _first_marked(part, reports)
        j = 0
        for kind, name in part.layout():
            if kind == "derivation":
                j += 1
                out.append(
                    derivation_block_markdown(
                        by_slug[name],
                        reports.get(name),
                        number=f"{k}.{j}",
                        figure_numbers=numbers,
                        reference_numbers=cited,
                        legend=name == first,
                    )
                )
            else:
                caption = prose(figures[name].caption, numbers)
                out.append(
                    f'<a id="fig-{name}"></a>\n\n'
                    f"![Figure {numbers[name]}](figures/{name}.svg)\n\n"
                    f"*Figure {numbers[name]}: {caption}*"
                )
        if part.outro:
            out.append(prose(part.outro, numbers))
    out.append(citations.bibliography_markdown(cited, references, prose))
    return "\n\n".join(o for o in out if o) + "\n"
