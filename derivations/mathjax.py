r"""Math for MathJax 3, which draws the math of GitHub's Markdown and of Jupyter.

MathJax reads LaTeX with two differences that matter here: its text mode
(``\text{}``, ``\texttt{}``) knows no macros, so LaTeX's text escapes
(``\%``, ``\_``) would be shown as written; and it has no tags inside
``aligned``. And on GitHub the Markdown pass runs before MathJax: in ``$$``
blocks and ``$...$`` it eats the backslash of ``\\``, ``\{`` or ``\,``.
So display math goes in fenced ``math`` blocks and sensitive inline math in
GitHub's ``$`...`$``, both of which GitHub hands to MathJax verbatim.

A proof mark goes at the start of its line (the first column of the
``aligned`` block): a reader sees it without scrolling a wide block sideways,
and it stands next to the line it certifies.
"""

from __future__ import annotations

import re

from derivations.engine import Derivation, Kind, implement
from derivations.render import derivation_rows, line_marks

__all__ = [
    "derivation_markdown",
    "display_markdown",
    "inline_markdown",
    "marked_aligned",
    "mathjax_text",
]

# Characters that GitHub's Markdown pass may change or read as markup inside $...$:
# a backslash before anything but a letter (an escape: \\, \{, \,), emphasis, code,
# HTML, strike-through, links and table cells.
_SENSITIVE = re.compile(r"\\[^A-Za-z]|[_*`~<>&\[\]|]")


def inline_markdown(tex: str) -> str:
    r"""Inline math for GitHub: ``$tex$`` when nothing in it is Markdown, else ``$`tex`$``.

    >>> inline_markdown(r"\sigma(z)"), inline_markdown(r"x_1 \, y")
    ('$\\sigma(z)$', '$`x_1 \\, y`$')
    """
    if "`" in tex:
        raise ValueError(f"inline math cannot hold a backtick: {tex!r}")
    tex = mathjax_text(tex)
    return f"$`{tex}`$" if _SENSITIVE.search(tex) else f"${tex}$"


def display_markdown(tex: str) -> str:
    """Display math for GitHub: a fenced ``math`` block, which GitHub renders verbatim.

    >>> print(display_markdown("a = b"))
    ```math
    a = b
    ```
    """
    return f"```math\n{mathjax_text(tex)}\n```"


# LaTeX text-mode escapes (derivations.render.escape_text) and what MathJax's text mode
# needs instead: it reads every character literally except braces, dollars and backslashes.
_TEXT_ESCAPES = {
    r"\%": "%",
    r"\&": "&",
    r"\#": "#",
    r"\_": "_",
    r"\textasciitilde{}": "~",
    r"\textasciicircum{}": "^",
}
_TEXT_COMMAND = re.compile(r"\\(?:text|texttt|textbf|textsf|textit|textrm|mbox)\{")


def mathjax_text(tex: str) -> str:
    r"""``tex`` with LaTeX's text escapes inside ``\text{}`` (and the like) undone for MathJax.

    >>> mathjax_text(r"x \text{ at 50\% of a\_b} \% y")
    'x \\text{ at 50% of a_b} \\% y'
    """
    out, i = [], 0
    for match in _TEXT_COMMAND.finditer(tex):
        if match.start() < i:
            continue  # inside a text group already rewritten
        end = _closing_brace(tex, match.end() - 1)
        inner = tex[match.end() : end]
        for escaped, plain in _TEXT_ESCAPES.items():
            inner = inner.replace(escaped, plain)
        out += [tex[i : match.end()], inner]
        i = end
    out.append(tex[i:])
    return "".join(out)


def _closing_brace(tex: str, start: int) -> int:
    """The index of the brace that closes the one at ``start`` (escaped braces skipped)."""
    depth, i = 0, start
    while i < len(tex):
        if tex[i] == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(tex[i], 0)
        if depth == 0:
            return i
        i += 1
    raise ValueError(f"unbalanced braces in {tex!r}")


def marked_aligned(derivation: Derivation, report=None) -> str:
    r"""The steps as an ``aligned`` block, each proof mark at the start of its line.

    Columns: the mark, the left-hand side, the relation and right-hand side, the
    justification. Without a report there are no marks and no mark column.

    >>> from sympy import Symbol, exp
    >>> from derivations.engine import Derivation, step
    >>> from derivations.functions import sigmoid
    >>> z = Symbol("z", real=True)
    >>> d = Derivation("demo", "Demo", [step(sigmoid(z), 1 / (1 + exp(-z)), "definition")])
    >>> print(marked_aligned(d, d.verify()))
    \begin{aligned}
    \mathsf{S} && \sigma\left(z\right) &= \frac{1}{1 + e^{- z}} && \text{definition}
    \end{aligned}
    """
    rows = derivation_rows(derivation, report, tags=False)
    if report is not None:
        rows = _marks_first(derivation, report, rows)
    return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"


def _marks_first(derivation: Derivation, report, rows: list[str]) -> list[str]:
    """Move each step's mark from the end of its first row to a new first column."""
    out, k = [], 0
    marks = line_marks(derivation, report)
    for i, s in enumerate(derivation.steps, 1):
        mark = marks[i] if s.kind is not Kind.SUBSTITUTION else ""
        first = rows[k]
        if mark:
            suffix = f" & {mark}"
            if not first.endswith(suffix):
                raise AssertionError(f"step {i} of {derivation.slug}: no mark in {first!r}")
            first = first[: -len(suffix)]
        out.append(f"{mark} && {first}" if mark else f"&& {first}")
        k += 1
        while k < len(rows) and rows[k].startswith(r"&\quad "):  # the line continues
            out.append(f"&& {rows[k]}")
            k += 1
    if k != len(rows):
        raise AssertionError(f"{derivation.slug}: {len(rows) - k} rows not matched to steps")
    return out


def derivation_markdown(derivation: Derivation, report=None) -> str:
    """The steps as a fenced ``math`` block, each proof mark first on its line (GitHub-safe)."""
    return display_markdown(marked_aligned(derivation, report))


implement("markdown", derivation_markdown)
