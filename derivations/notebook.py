r"""A derivation as a notebook shows it (Jupyter's ``_repr_latex_``), for MathJax 3.

One display: the title (bold) above the steps, the steps with each proof mark
at the start of its line (as on the Markdown page), the stated result with its
mark, and why SymPy did not prove each line marked with a numbered N. Without
a report the steps have no marks and the result says that the derivation has
not been verified, so an unchecked derivation never looks like a checked one.
"""

from __future__ import annotations

from derivations.engine import Derivation, implement
from derivations.mathjax import marked_aligned, mathjax_text
from derivations.render import line_marks, note_latex, numeric_notes, result_latex

__all__ = ["notebook_latex"]


def _bold_title(title: str) -> str:
    # The title's text parts in bold, its $...$ parts as math.
    return note_latex(title).replace(r"\text{", r"\textbf{")


def notebook_latex(derivation: Derivation, report=None) -> str:
    r"""LaTeX for a notebook: the title above the steps, proof marks, the stated result.

    ``report`` is the derivation's :class:`~derivations.verify.VerificationReport`
    (from ``derivation.verify()``); without it nothing is marked as checked.

    >>> from sympy import Symbol, exp
    >>> from derivations.engine import Derivation, step
    >>> from derivations.functions import sigmoid
    >>> z = Symbol("z", real=True)
    >>> steps = [step(sigmoid(z), 1 / (1 + exp(-z)), "definition")]
    >>> d = Derivation("demo", "The sigmoid, $\\sigma$", steps)
    >>> print(notebook_latex(d, d.verify()))
    $$
    \begin{array}{l}
    \textbf{The sigmoid, }\sigma \\[1ex]
    \begin{aligned}
    \mathsf{S} && \sigma\left(z\right) &= \frac{1}{1 + e^{- z}} && \text{definition}
    \end{aligned} \\[1ex]
    \textbf{Result}\ \mathsf{S}\colon\quad \sigma\left(z\right) = \frac{1}{1 + e^{- z}}
    \end{array}
    $$
    """
    if report is None:
        result = r"\textbf{Result (not verified: call verify())}\colon\quad "
    else:
        result = rf"\textbf{{Result}}\ {line_marks(derivation, report)[0]}\colon\quad "
    rows = [
        _bold_title(derivation.title),
        marked_aligned(derivation, report),
        result + result_latex(derivation),
    ]
    # Why SymPy did not prove a numbered N line, as on the page.
    for number, reason in sorted(set(numeric_notes(derivation, report).values())):
        rows.append(rf"\small \mathsf{{N}}^{{{number}}}\ " + note_latex("not proven: " + reason))
    body = " \\\\[1ex]\n".join(rows)
    return mathjax_text("$$\n\\begin{array}{l}\n" + body + "\n\\end{array}\n$$")


implement("display_latex", notebook_latex)
