r"""Citations in prose, ``[cite:key]`` (or ``[cite:a, b]``), and the list of references.

References are numbered in the order the document first cites them, the same
in the LaTeX article (``\cite`` and ``thebibliography``) and the Markdown page
(numbered links to a "References" list); references never cited come last. An
entry is prose (``$...$`` math, ```code```); a web address in it becomes a link.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from derivations.errors import DerivationsError

__all__ = ["CITE", "CitationError", "bibliography_latex", "bibliography_markdown", "numbering"]

CITE = re.compile(r"\[cite:([\w.-]+(?:\s*,\s*[\w.-]+)*)\]")
_URL = re.compile(r"(https?://[^\s<>]*[^\s<>.,;:)])")


class CitationError(DerivationsError, KeyError):
    """Prose cites a key that the references do not have."""

    def __str__(self) -> str:  # KeyError would print the message in quotes
        return str(self.args[0])


def keys(citation: str) -> list[str]:
    """The keys of one ``[cite:...]`` (the part after the colon).

    >>> keys("bishop, nielsen")
    ['bishop', 'nielsen']
    """
    return [k.strip() for k in citation.split(",")]


def numbering(texts: Iterable[str], references: Mapping[str, str]) -> dict[str, int]:
    """Each reference's number: by first citation in ``texts``, then the uncited ones.

    >>> numbering(["see [cite:b] and [cite:a, b]"], {"a": "A.", "b": "B.", "c": "C."})
    {'b': 1, 'a': 2, 'c': 3}
    """
    order: list[str] = []
    for text in texts:
        for match in CITE.finditer(text):
            for key in keys(match.group(1)):
                if key not in references:
                    known = ", ".join(references) or "none"
                    raise CitationError(f"[cite:{key}] names no reference (known: {known})")
                if key not in order:
                    order.append(key)
    order += [key for key in references if key not in order]
    return {key: n for n, key in enumerate(order, 1)}


def _entry(text: str, prose: Callable[[str], str], link: Callable[[str], str]) -> str:
    return "".join(
        link(piece) if k % 2 else prose(piece) for k, piece in enumerate(_URL.split(text))
    )


def bibliography_latex(
    numbers: Mapping[str, int], references: Mapping[str, str], prose: Callable[[str], str]
) -> str:
    r"""The references as ``thebibliography``, listed in the order of their numbers."""
    if not numbers:
        return ""
    width = "9" * len(str(len(numbers)))
    items = [
        rf"\bibitem{{{key}}} "
        + _latex_marks(_entry(references[key], prose, lambda u: rf"\url{{{u}}}"))
        for key in sorted(numbers, key=numbers.get)
    ]
    return "\n".join(
        [
            r"\phantomsection\addcontentsline{toc}{section}{References}",
            r"\begingroup\small",  # a list of four entries should not spill over a page
            rf"\begin{{thebibliography}}{{{width}}}",
            *items,
            r"\end{thebibliography}",
            r"\endgroup",
        ]
    )


def _latex_marks(entry: str) -> str:
    r"""An entry's ``*title*`` in italics and ``"title"`` in TeX's quotes.

    >>> print(_latex_marks('A, *Book*, and "Post".'))
    A, \emph{Book}, and ``Post''.
    """
    entry = re.sub(r"\*([^*]+)\*", r"\\emph{\1}", entry)
    return re.sub(r'"([^"]+)"', r"``\1''", entry)


def bibliography_markdown(
    numbers: Mapping[str, int], references: Mapping[str, str], prose: Callable[[str], str]
) -> str:
    """The references as a numbered list, each with an anchor ``ref-KEY``."""
    if not numbers:
        return ""
    items = [
        f'{numbers[key]}. <a id="ref-{key}"></a>' + _entry(references[key], prose, "<{}>".format)
        for key in sorted(numbers, key=numbers.get)
    ]
    return '<a id="references"></a>\n\n## References\n\n' + "\n".join(items)


def cite_latex(citation: str) -> str:
    r"""``\cite`` for the keys of one citation.

    >>> cite_latex("bishop, nielsen")
    '\\cite{bishop,nielsen}'
    """
    return rf"\cite{{{','.join(keys(citation))}}}"


def cite_markdown(citation: str, numbers: Mapping[str, int]) -> str:
    """Numbered links to the references list, in brackets.

    >>> cite_markdown("bishop, nielsen", {"nielsen": 1, "bishop": 2})
    '[[2](#ref-bishop), [1](#ref-nielsen)]'
    """
    links = ", ".join(f"[{numbers[key]}](#ref-{key})" for key in keys(citation))
    return f"[{links}]"
