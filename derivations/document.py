r"""Whole documents: a standalone LaTeX article and a Markdown page.

``latex_article`` and ``markdown_page`` take any derivations (with their
verification reports, to mark each step proven or checked numerically) and
optional sections and figures; the output depends only on their content, so
it is the same on every run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from derivations.engine import Derivation
from derivations.render import derivation_latex, derivation_markdown, escape_text, result_latex
from derivations.verify import VerificationReport

__all__ = [
    "Figure",
    "Part",
    "derivation_block_latex",
    "derivation_block_markdown",
    "latex_article",
    "markdown_page",
]

LEGEND = (
    "Marks on the right of each line: $\\mathsf{S}$, proven symbolically by SymPy; "
    "$\\mathsf{N}$, checked numerically only (mpmath, 50 digits, at 24 random points). "
    "Lines without a mark are definitions, substitutions and assumptions."
)


@dataclass(frozen=True)
class Figure:
    """A figure as the document sees it: file stem (under figures/) and caption."""

    name: str
    caption: str


@dataclass(frozen=True)
class Part:
    """A section of the document: title, prose, derivations (by slug) and figures."""

    title: str
    intro: str
    slugs: tuple[str, ...]
    figures: tuple[str, ...] = ()
    outro: str = ""


def prose_latex(text: str) -> str:
    r"""Plain prose with ``$...$`` math, escaped for LaTeX.

    >>> prose_latex("50% of $x_1$")
    '50\\% of $x_1$'
    """
    parts = re.split(r"(\$[^$]+\$)", text)
    return "".join(
        p if p.startswith("$") and p.endswith("$") and len(p) > 1 else escape_text(p) for p in parts
    )


def _pdf_string(title: str) -> str:
    """A title for PDF bookmarks: math as plain characters."""
    plain = re.sub(
        r"\$([^$]*)\$", lambda m: re.sub(r"\\[A-Za-z]+\s?|[{}^_\\]", "", m.group(1)), title
    )
    return escape_text(plain)


def _heading_latex(command: str, title: str, label: str) -> str:
    tex = prose_latex(title)
    if "$" in title:
        tex = rf"\texorpdfstring{{{tex}}}{{{_pdf_string(title)}}}"
    return rf"\{command}{{{tex}}}\label{{{label}}}"


def derivation_block_latex(d: Derivation, report: VerificationReport | None = None) -> str:
    """One derivation as the document shows it: heading, prose, steps, result."""
    out = [_heading_latex("subsection", d.title, f"der:{d.slug}")]
    if d.intro:
        out.append(prose_latex(d.intro))
    out.append(derivation_latex(d, report))
    mark = rf"\qquad \mathsf{{{report.result.mark}}}" if report is not None else ""
    out.append(
        r"\noindent\textbf{Result} (\texttt{" + escape_text(d.slug) + "}):\n"
        r"\begin{equation*}" + "\n" + result_latex(d) + mark + "\n" + r"\end{equation*}"
    )
    if d.reading:
        out.append(prose_latex(d.reading))
    return "\n\n".join(out)


def _figure_latex(figure: Figure) -> str:
    return "\n".join(
        [
            r"\begin{figure}[htbp]",
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
\usepackage{amsmath,amssymb}
\usepackage{graphicx}
\usepackage[hidelinks,pdfcreator={sigmoid-derivations},pdfproducer={pdfTeX}]{hyperref}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.6em}
"""


def latex_article(
    derivations: Sequence[Derivation],
    reports: Mapping[str, VerificationReport] | None = None,
    *,
    title: str = "Derivations",
    subtitle: str = "",
    parts: Sequence[Part] = (),
    figures: Mapping[str, Figure] | None = None,
) -> str:
    r"""A standalone LaTeX article (amsmath) of the given derivations.

    Without ``parts`` every derivation follows the title in the order given;
    with them, each part is a section with its prose, derivations and figures.

    >>> from derivations.catalog import get
    >>> tex = latex_article([get("sigmoid-two-forms")])
    >>> tex.startswith("\\documentclass") and tex.rstrip().endswith("\\end{document}")
    True
    """
    reports = reports or {}
    figures = figures or {}
    by_slug = {d.slug: d for d in derivations}
    body = [
        PREAMBLE,
        rf"\title{{{prose_latex(title)}}}",
        r"\date{}",
        r"\begin{document}",
        r"\maketitle",
    ]
    if subtitle:
        body.append(prose_latex(subtitle))
    body.append(prose_latex(LEGEND) if reports else "")
    if parts:
        body.append(r"\tableofcontents")
        for k, part in enumerate(parts, 1):
            body.append(_heading_latex("section", part.title, f"sec:{k}"))
            if part.intro:
                body.append(prose_latex(part.intro))
            for slug in part.slugs:
                body.append(derivation_block_latex(by_slug[slug], reports.get(slug)))
            for name in part.figures:
                body.append(_figure_latex(figures[name]))
            if part.outro:
                body.append(prose_latex(part.outro))
    else:
        for d in derivations:
            body.append(derivation_block_latex(d, reports.get(d.slug)))
    body.append(r"\end{document}")
    return "\n\n".join(b for b in body if b) + "\n"


# ------------------------------------------------------------------ Markdown


def _anchor(title: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", title.lower())
    return text.replace(" ", "-")


def derivation_block_markdown(d: Derivation, report: VerificationReport | None = None) -> str:
    """One derivation as the Markdown page shows it."""
    out = [f"### {d.title}"]
    if d.intro:
        out.append(d.intro)
    out.append(derivation_markdown(d, report))
    mark = f" \\qquad \\mathsf{{{report.result.mark}}}" if report is not None else ""
    out.append(f"**Result** (`{d.slug}`):\n\n$$\n{result_latex(d)}{mark}\n$$")
    if d.reading:
        out.append(d.reading)
    return "\n\n".join(out)


def markdown_page(
    derivations: Sequence[Derivation],
    reports: Mapping[str, VerificationReport] | None = None,
    *,
    title: str = "Derivations",
    subtitle: str = "",
    parts: Sequence[Part] = (),
    figures: Mapping[str, Figure] | None = None,
) -> str:
    """The same content as :func:`latex_article`, as Markdown with ``$$`` math (GitHub).

    >>> from derivations.catalog import get
    >>> print(markdown_page([get("sigmoid-two-forms")]).splitlines()[0])
    # Derivations
    """
    reports = reports or {}
    figures = figures or {}
    by_slug = {d.slug: d for d in derivations}
    out = [f"# {title}"]
    if subtitle:
        out.append(subtitle)
    if reports:
        out.append(LEGEND)
    if parts:
        contents = ["## Contents", ""]
        for k, part in enumerate(parts, 1):
            heading = f"{k}. {part.title}"
            contents.append(f"{k}. [{part.title}](#{_anchor(heading)})")
        out.append("\n".join(contents))
        number = 0
        for k, part in enumerate(parts, 1):
            out.append(f"## {k}. {part.title}")
            if part.intro:
                out.append(part.intro)
            for slug in part.slugs:
                out.append(derivation_block_markdown(by_slug[slug], reports.get(slug)))
            for name in part.figures:
                number += 1
                figure = figures[name]
                out.append(
                    f"![{figure.caption}](figures/{figure.name}.svg)\n\n"
                    f"*Figure {number}: {figure.caption}*"
                )
            if part.outro:
                out.append(part.outro)
    else:
        out += [derivation_block_markdown(d, reports.get(d.slug)) for d in derivations]
    return "\n\n".join(out) + "\n"
