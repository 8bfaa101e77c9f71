"""The document's prose: plain text with $...$ math, `code`, figure and citation references,
and paragraphs written as Markdown tables, turned into LaTeX or GitHub Markdown."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from derivations import citations
from derivations.citations import CITE, CitationError
from derivations.mathjax import inline_markdown
from derivations.render import (
    escape_text,
)

__all__ = ["prose_latex", "prose_markdown"]


_MARKUP = re.compile(
    r"(\$[^$]+\$|`[^`]+`|\{fig:[\w-]+\}|" + CITE.pattern.replace("(", "(?:", 1) + ")"
)


def _prose(
    text: str, math: Callable, code: Callable, figure: Callable, plain: Callable, cite: Callable
) -> str:
    out = []
    for piece in _MARKUP.split(text):
        if piece.startswith("$") and piece.endswith("$") and len(piece) > 1:
            out.append(math(piece))
        elif piece.startswith("`") and piece.endswith("`") and len(piece) > 1:
            out.append(code(piece[1:-1]))
        elif piece.startswith("{fig:"):
            out.append(figure(piece[5:-1]))
        elif match := CITE.fullmatch(piece):
            out.append(cite(match.group(1)))
        else:
            out.append(plain(piece))
    return "".join(out)


def _table_rows(paragraph: str) -> list[list[str]] | None:
    """The cells of a paragraph written as a Markdown table, or None if it is not one."""
    lines = [line.strip() for line in paragraph.strip().splitlines()]
    if len(lines) < 3 or not all(line.startswith("|") and line.endswith("|") for line in lines):
        return None
    rows = [[cell.strip() for cell in line[1:-1].split("|")] for line in lines]
    if not all(set(cell) <= set("-: ") for cell in rows[1]):
        return None
    return [rows[0], *rows[2:]]


def _table_latex(rows: list[list[str]]) -> str:
    header, *body = rows
    line = lambda cells: " & ".join(_prose_line_latex(c) for c in cells) + r" \\"  # noqa: E731
    return "\n".join(
        [
            r"\begin{center}",
            r"\begin{tabular}{" + "l" * len(header) + "}",
            r"\toprule",
            line(header),
            r"\midrule",
            *(line(r) for r in body),
            r"\bottomrule",
            r"\end{tabular}",
            r"\end{center}",
        ]
    )


def prose_latex(text: str) -> str:
    r"""Prose for LaTeX: text escaped, math kept, code in typewriter, figures referenced.

    A paragraph written as a Markdown table (``| a | b |`` lines, the second a rule)
    becomes a table.

    >>> prose_latex("50% of $x_1$, see `np.exp` and {fig:curves} [cite:bishop]")
    '50\\% of $x_1$, see \\texttt{np.exp} and Figure~\\ref{fig:curves} \\cite{bishop}'
    """
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join(
        _table_latex(rows) if (rows := _table_rows(p)) else _prose_line_latex(p) for p in paragraphs
    )


def _prose_line_latex(text: str) -> str:
    return _prose(
        text,
        math=lambda m: m,
        code=lambda c: rf"\texttt{{{escape_text(c)}}}",
        figure=lambda name: rf"Figure~\ref{{fig:{name}}}",
        plain=escape_text,
        cite=citations.cite_latex,
    )


def prose_markdown(
    text: str, numbers: Mapping[str, int], references: Mapping[str, int] | None = None
) -> str:
    """Prose for Markdown: figures as "Figure N", citations as numbered links, GitHub math.

    ``numbers`` numbers the figures, ``references`` the references (by key); without
    it (a derivation shown on its own) a citation is its keys in brackets.

    >>> prose_markdown("see {fig:curves} [cite:bishop] and $x_1$", {"curves": 3}, {"bishop": 1})
    'see [Figure 3](#fig-curves) [[1](#ref-bishop)] and $`x_1`$'
    >>> prose_markdown("see [cite:bishop]", {})
    'see [bishop]'
    """

    def cite(keys: str) -> str:
        if references is None:
            return "[" + ", ".join(citations.keys(keys)) + "]"
        missing = [k for k in citations.keys(keys) if k not in references]
        if missing:
            raise CitationError(f"[cite:{missing[0]}] names no reference")
        return citations.cite_markdown(keys, references)

    return _prose(
        text,
        math=lambda m: inline_markdown(m[1:-1]),
        code=lambda c: f"`{c}`",
        figure=lambda name: f"[Figure {numbers[name]}](#fig-{name})",
        plain=lambda p: p,
        cite=cite,
    )
