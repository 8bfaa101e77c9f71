"""PDF bookmark text (hyperref's unicode option): a title's math spelled in Unicode."""

from __future__ import annotations

import re
import unicodedata

from derivations.render import escape_text

__all__ = ["pdf_string"]

_GREEK = ("sigma", "Sigma", "mu", "pi", "eta", "delta", "theta", "alpha", "beta")
_UNICODE = {
    **{
        name: unicodedata.lookup(f"GREEK {'CAPITAL' if name[0].isupper() else 'SMALL'} LETTER "
                                 f"{name.upper()}")
        for name in _GREEK
    },
    "partial": "\N{PARTIAL DIFFERENTIAL}", "infty": "\N{INFINITY}",
    "le": "\N{LESS-THAN OR EQUAL TO}", "ge": "\N{GREATER-THAN OR EQUAL TO}",
    "ne": "\N{NOT EQUAL TO}", "cdot": "\N{MIDDLE DOT}", "top": "T",
    "operatorname": "", "left": "", "right": "", "quad": " ", "mathrm": "", "mathbf": "",
    "frac": "",
}  # fmt: skip


def pdf_string(title: str) -> str:
    r"""A title for PDF bookmarks: the math spelled in Unicode (hyperref's unicode option).

    >>> ascii(pdf_string(r"Bound: $\partial C \le 1$"))
    "'Bound: \\u2202 C \\u2264 1'"
    """

    def spell(math: str) -> str:
        math = re.sub(r"\\([A-Za-z]+)", lambda m: _UNICODE.get(m.group(1), m.group(1)), math)
        return re.sub(r"[{}\\]", "", math).replace("-", "\N{MINUS SIGN}")

    return escape_text(re.sub(r"\$([^$]*)\$", lambda m: spell(m.group(1)), title))
