r"""Rendering derivations as LaTeX (``align*``) and as Markdown with ``$$`` math.

Justifications are plain text; a part written between dollar signs is LaTeX
math (``"multiply by $e^{z}$"``). Long right-hand sides are broken at their
top-level terms so that no line overflows a page.
"""

from __future__ import annotations

import re
from typing import Any

from sympy import Add, Basic, Derivative, MatrixBase, Mul, Set, Symbol
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE, precedence_traditional

from derivations.engine import Derivation, Kind, Step, implement

__all__ = [
    "derivation_latex",
    "escape_text",
    "latex",
    "line_marks",
    "note_latex",
    "numeric_notes",
]

LINE_WIDTH = 62  # visible characters of math that fit one line of the article's text width
RELATION_LATEX = {
    "=": "=",
    "<=": r"\le",
    "<": "<",
    ">=": r"\ge",
    ">": ">",
    "!=": r"\ne",
    "in": r"\in",
}
MARKS = {"proven": r"\mathsf{S}", "numeric": r"\mathsf{N}", "given": ""}


class _Printer(LatexPrinter):
    """SymPy's LaTeX printer with textbook notation: ln, partial derivatives of names, H(z)."""

    def __init__(self) -> None:
        super().__init__(
            {"ln_notation": True, "mat_delim": "(", "mat_str": "matrix", "inv_trig_style": "full"}
        )

    def _print_Symbol(self, expr: Basic, style: str = "plain") -> str:
        # C_MSE: a subscript that is a name, not a product of variables, is upright.
        return re.sub(r"_\{([A-Z]{2,})\}", r"_{\\mathrm{\1}}", super()._print_Symbol(expr, style))

    def _print_MatrixBase(self, expr: Basic) -> str:
        tex = super()._print_MatrixBase(expr)
        # Stacked fractions in neighbouring rows touch without a little extra space.
        return tex.replace(r"\\", r"\\[6pt]") if r"\frac" in tex else tex

    def _print_Add(self, expr: Add, order: str | None = None) -> str:
        if _is_canonical(expr):
            return super()._print_Add(expr, order)
        # Built with evaluate=False: keep the author's order of terms.
        out = []
        for k, term in enumerate(expr.args):
            if term.could_extract_minus_sign():
                out.append(f"- {self._bracket_term(-term)}")
            else:
                out.append(f"+ {self._bracket_term(term)}" if k else self._bracket_term(term))
        return " ".join(out)

    def _bracket_term(self, term: Basic) -> str:
        tex = self._print(term)
        return rf"\left({tex}\right)" if _is_sum(term) else tex

    def _print_Mul(self, expr: Mul) -> str:
        if not isinstance(expr, Mul) or _is_canonical(expr) or _is_plain_fraction(expr):
            return super()._print_Mul(expr)
        # Built with evaluate=False: keep the author's order of factors.
        factors = expr.args
        parts = []
        if len(factors) > 1 and factors[0] == -1:
            parts.append("-")  # -(u + v) as written, not (-1)(u + v)
            factors = factors[1:]
        previous = None
        for factor in factors:
            tex = self._print(factor)
            if _is_sum(factor) or (factor.is_Number and factor.is_negative):
                tex = rf"\left({tex}\right)"
            if previous is not None and factor.is_Number and previous.is_Number:
                parts.append(r"\cdot")
            parts.append(tex)
            previous = factor
        return " ".join(parts)

    def _print_Derivative(self, expr: Derivative) -> str:
        if isinstance(expr.expr, Symbol) and len(expr.variable_count) == 1:
            var, n = expr.variable_count[0]
            power = "" if n == 1 else f"^{{{n}}}"
            return (
                rf"\frac{{\partial{power} {self._print(expr.expr)}}}"
                rf"{{\partial {self._print(var)}{power}}}"
            )
        tex, body = super()._print_Derivative(expr), self._print(expr.expr)
        if (
            precedence_traditional(expr.expr) <= PRECEDENCE["Mul"]
            and tex.endswith(" " + body)
            and not _is_one_fraction(body)
        ):
            # d/dz (z sigma(z)): SymPy leaves a product bare, which reads as (d/dz z) sigma(z).
            tex = rf"{tex[: -len(body)]}\left({body}\right)"
        return tex

    def _print_log1p(self, expr: Basic, exp: str | None = None) -> str:
        inner = self._print(1 + expr.args[0])
        tex = rf"\ln{{\left({inner} \right)}}"
        return tex if exp is None else rf"\left({tex}\right)^{{{exp}}}"

    def _print_expm1(self, expr: Basic, exp: str | None = None) -> str:
        tex = rf"\left(e^{{{self._print(expr.args[0])}}} - 1\right)"
        return tex if exp is None else rf"{tex}^{{{exp}}}"

    def _print_Heaviside(self, expr: Basic, exp: str | None = None) -> str:
        tex = rf"H\left({self._print(expr.args[0])}\right)"
        return tex if exp is None else rf"{tex}^{{{exp}}}"


def _is_one_fraction(tex: str) -> bool:
    r"""True for LaTeX that is one ``\frac{...}{...}``, which needs no parentheses."""
    if not tex.startswith(r"\frac"):
        return False
    _, i = _group(tex, len(r"\frac"))
    _, i = _group(tex, i)
    return i == len(tex)


def _is_sum(expr: Basic) -> bool:
    """A sum, plain or written (``notation.sum_of``): bracketed among factors and terms."""
    return isinstance(expr, Add) or getattr(expr, "precedence", None) == PRECEDENCE["Add"]


def _is_canonical(expr: Basic) -> bool:
    """True when rebuilding the node with evaluation changes nothing, its order included.

    (A sum compares equal to its reordering, so the arguments are compared as written.)
    """
    try:
        rebuilt = type(expr)(*expr.args)
    except (TypeError, ValueError):
        return True
    return rebuilt == expr and rebuilt.args == expr.args


def _is_reciprocal(factor: Basic) -> bool:
    return bool(factor.is_Pow and factor.exp.is_negative)


def _is_plain_fraction(expr: Mul) -> bool:
    """One reciprocal factor, and no fraction among the others: printed as one fraction."""
    reciprocals = [f for f in expr.args if _is_reciprocal(f)]
    others = [f for f in expr.args if not _is_reciprocal(f)]
    return len(reciprocals) == 1 and not any(
        f.is_Mul and any(_is_reciprocal(g) for g in f.args) for f in others
    )


_PRINTER = _Printer()


def latex(expr: Any) -> str:
    r"""LaTeX for a SymPy object, in the toolkit's notation.

    >>> from sympy import Symbol, Derivative, log
    >>> C, w = Symbol("C"), Symbol("w")
    >>> latex(Derivative(C, w)), latex(log(w))
    ('\\frac{\\partial C}{\\partial w}', '\\ln{\\left(w \\right)}')
    """
    return _PRINTER.doprint(expr)


_ESCAPES = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def escape_text(text: str) -> str:
    r"""Escape plain text for LaTeX text mode.

    >>> escape_text("50% of a_b")
    '50\\% of a\\_b'
    """
    return "".join(_ESCAPES.get(c, c) for c in text)


def note_latex(text: str) -> str:
    r"""A justification as math-mode LaTeX: plain parts in ``\text{}``, ``$...$`` parts as math.

    >>> note_latex("multiply by $e^{z}$")
    '\\text{multiply by }e^{z}'
    """
    out = []
    for part in re.split(r"(\$.+?\$|`[^`]+`)", text):
        if part.startswith("$") and len(part) > 1:
            out.append(part[1:-1])
        elif part.startswith("`") and len(part) > 1:
            out.append(rf"\texttt{{{escape_text(part[1:-1])}}}")
        elif part:
            out.append(rf"\text{{{escape_text(part)}}}")
    return "".join(out)


# ----------------------------------------------------------------- width estimate


def _group(s: str, i: int) -> tuple[str, int]:
    """The brace group (or single token) starting at ``s[i]``, and the index after it."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i >= len(s):
        return "", i
    if s[i] == "{":
        depth = 0
        for j in range(i, len(s)):
            depth += {"{": 1, "}": -1}.get(s[j], 0)
            if depth == 0:
                return s[i + 1 : j], j + 1
        return s[i + 1 :], len(s)
    if s[i] == "\\":
        m = re.match(r"\\[A-Za-z]+|\\.", s[i:])
        return m.group(0), i + len(m.group(0))
    return s[i], i + 1


_ZERO_WIDTH = {r"\left", r"\right", r"\displaystyle", r"\limits", r"\mathrm", r"\mathsf"}
_TEXT = {r"\text", r"\operatorname", r"\textsf", r"\mathrm"}


def visible_width(s: str) -> float:
    r"""A rough width of LaTeX math in characters: fractions count their wider part.

    >>> visible_width(r"\frac{1}{1 + e^{- z}}")
    4.9
    """
    width, i = 0.0, 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            cmd, i = _group(s, i)
            if cmd in (r"\frac", r"\dfrac", r"\tfrac"):
                top, i = _group(s, i)
                bottom, i = _group(s, i)
                width += max(visible_width(top), visible_width(bottom)) + 0.5
            elif cmd in _TEXT:
                text, i = _group(s, i)
                width += len(text) * 0.9
            elif cmd == r"\quad":
                width += 2
            elif cmd == r"\qquad":
                width += 4
            elif cmd in _ZERO_WIDTH or cmd in (r"\,", r"\;", r"\!", r"\ "):
                width += 0.3 if cmd in (r"\,", r"\;", r"\ ") else 0
            else:
                width += 1
        elif c in "^_":
            sub, i = _group(s, i + 1)
            width += 0.7 * visible_width(sub)
        elif c == "{":
            sub, i = _group(s, i)
            width += visible_width(sub)
        elif c in " }&":
            i += 1
        else:
            width += 1
            i += 1
    return round(width, 6)


# ----------------------------------------------------------------- rows


def _terms(expr: Any) -> list[str] | None:
    """Top-level terms as LaTeX with their signs (' + t', ' - t'), or None when not a sum."""
    if hasattr(expr, "written_terms"):  # notation.sum_of: the terms in the order written
        return expr.written_terms(_PRINTER)
    if not isinstance(expr, Add):
        return None
    out = []
    for k, term in enumerate(_PRINTER._as_ordered_terms(expr)):
        if term.could_extract_minus_sign():
            out.append(f"- {_PRINTER._print(-term)}")
        else:
            out.append(f"+ {_PRINTER._print(term)}" if k else _PRINTER._print(term))
    return out


def _wrap_rhs(rhs: Any, budget: float) -> list[str]:
    """The right-hand side as one or more lines, each within ``budget`` characters if it can be."""
    whole = latex(rhs)
    terms = _terms(rhs)
    if visible_width(whole) <= budget or not terms:
        return [whole]
    lines, current = [], ""
    for t in terms:
        if current and visible_width(current + " " + t) > budget:
            lines.append(current)
            current = t
        else:
            current = f"{current} {t}".strip()
    lines.append(current)
    return lines


def _left(s: Step) -> str:
    return latex(s.lhs)


def _relation(s: Step) -> str:
    if s.kind is Kind.DEFINITION:
        return r"\mathrel{:=}"
    return RELATION_LATEX[s.relation]


def _note_text(s: Step) -> str:
    label = {
        Kind.DEFINITION: "definition",
        Kind.SUBSTITUTION: "substitution",
        Kind.ASSUMPTION: "assumption",
    }.get(s.kind)
    return s.why if label is None or s.why == label else f"{label}: {s.why}"


def note_text_mode(text: str) -> str:
    r"""A justification in LaTeX text mode: plain parts escaped, ``$...$`` kept as math.

    >>> note_text_mode("multiply by $e^{z}$ (50%) in `np.exp`")
    'multiply by $e^{z}$ (50\\%) in \\texttt{np.exp}'
    """
    out = []
    for p in re.split(r"(\$.+?\$|`[^`]+`)", text):
        if p.startswith("$") and len(p) > 1:
            out.append(p)
        elif p.startswith("`") and len(p) > 1:
            out.append(rf"\texttt{{{escape_text(p[1:-1])}}}")
        else:
            out.append(escape_text(p))
    return "".join(out)


def _substitution_row(s: Step, tags: bool) -> str:
    """A substitution is a sentence between the lines, not an equation of the chain."""
    equation = f"{latex(s.lhs)} = {latex(s.rhs)}"
    if tags:
        return rf"\intertext{{\small Substitute ${equation}$: {note_text_mode(s.why)}}}"
    return rf"&\text{{Substitute }} {equation}\text{{: }}{note_latex(s.why)}"


def numeric_notes(derivation: Derivation, report=None) -> dict[int, tuple[int, str]]:
    """Why SymPy did not prove each line checked numerically only: step index (0: the
    result) -> (note number, reason), for the lines whose step states the reason
    (``numeric=``, ``numeric_result=``). Numbered in reading order, the result last;
    lines with the same reason share a number.

    >>> from sympy import Symbol, acos, asin, pi
    >>> from derivations.engine import step
    >>> x = Symbol("x", real=True)
    >>> arcs = step(acos(x / 5) + asin(x / 5), pi / 2, "angles", numeric="no rule for arcs")
    >>> d = Derivation("arcs", "Arcs", [step(x + x, 2 * x, "add"), arcs])
    >>> numeric_notes(d, d.verify())
    {2: (1, 'no rule for arcs')}
    """
    if report is None:
        return {}
    reasons = {i: s.numeric for i, s in enumerate(derivation.steps, 1)}
    reasons[0] = derivation.numeric_result
    numbers: dict[str, int] = {}
    notes = {}
    for i, reason in reasons.items():
        if reason and report.step(i).status == "numeric":
            notes[i] = (numbers.setdefault(reason, len(numbers) + 1), reason)
    return notes


def line_marks(derivation: Derivation, report=None) -> dict[int, str]:
    r"""The proof mark of each line as LaTeX, by step index (0: the result); a line with a
    note of :func:`numeric_notes` carries its number (``\mathsf{N}^{1}``)."""
    if report is None:
        return {i: "" for i in range(len(derivation.steps) + 1)}
    notes = numeric_notes(derivation, report)
    marks = {}
    for i in range(len(derivation.steps) + 1):
        mark = MARKS[report.step(i).status]
        marks[i] = f"{mark}^{{{notes[i][0]}}}" if i in notes else mark
    return marks


def derivation_rows(derivation: Derivation, report=None, *, tags: bool = True) -> list[str]:
    r"""The lines of the display, one or more per step (without trailing ``\\``).

    With ``tags`` (LaTeX), the justification and mark are a ``\tag*`` that amsmath
    sets at the right margin, or under the line when there is no room; without
    (Markdown, whose ``aligned`` has no tags), they are extra columns.
    """
    rows = []
    marks = line_marks(derivation, report)
    for i, s in enumerate(derivation.steps, 1):
        if s.kind is Kind.SUBSTITUTION:
            rows.append(_substitution_row(s, tags))
            continue
        left = "" if s.continues else latex(s.lhs)
        mark = marks[i]
        why = _note_text(s)
        if s.relation == "!=" and report is not None:
            why += f" ({report.step(i).method})"  # the counterexample is the evidence
        if tags:
            text = note_text_mode(why) + (rf"\quad ${mark}$" if mark else "")
            tail = rf" \tag*{{\small {text}}}"
            budget = max(LINE_WIDTH - visible_width(left), 30)
        else:
            note = note_latex(why)
            tail = f" && {note}" + (rf" & {mark}" if mark else "")
            budget = max(LINE_WIDTH - visible_width(left) - 0.9 * visible_width(note), 30)
        if isinstance(s.rhs, (MatrixBase, Set)):
            rhs_lines = [latex(s.rhs)]
        else:
            rhs_lines = _wrap_rhs(s.rhs, budget)
        rows.append(f"{left} &{_relation(s)} {rhs_lines[0]}{tail}")
        rows.extend(rf"&\quad {line}" for line in rhs_lines[1:])
    return rows


def derivation_latex(derivation: Derivation, report=None) -> str:
    r"""The steps as an ``align*`` block.

    >>> from sympy import Symbol, exp
    >>> from derivations.engine import Derivation, step, then
    >>> from derivations.functions import sigmoid
    >>> z = Symbol("z", real=True)
    >>> d = Derivation("demo", "Demo", [step(sigmoid(z), 1 / (1 + exp(-z)), "definition")])
    >>> print(d.to_latex())
    \begin{align*}
    \sigma\left(z\right) &= \frac{1}{1 + e^{- z}} \tag*{\small definition}
    \end{align*}
    """
    rows = derivation_rows(derivation, report, tags=True)
    # Rows end in \\, except an \intertext, which must not (it would add an empty line).
    body = "".join(
        row + ("\n" if row.startswith(r"\intertext") or k == len(rows) - 1 else " \\\\\n")
        for k, row in enumerate(rows)
    ).rstrip("\n")
    return "\\begin{align*}\n" + body + "\n\\end{align*}"


def result_latex(derivation: Derivation) -> str:
    """The stated result as one line of math, in the form its author wrote it."""
    r = derivation.shown_result
    op = {"==": "=", "<=": r"\le", "<": "<", ">=": r"\ge", ">": ">", "!=": r"\ne"}[r.rel_op]
    return f"{latex(r.lhs)} {op} {latex(r.rhs)}"


def report_markdown(report) -> str:
    """A verification report as a Markdown table (what Jupyter shows for it)."""
    rows = ["| step | kind | status | method |", "|---|---|---|---|"]
    for r in (*report.steps, report.result):
        label = "result" if r.index == 0 else str(r.index)
        method = r.method + (f" ({r.note})" if r.note else "")
        rows.append(f"| {label} | {r.kind} | {r.status} | {method} |")
    head = f"**{report.title}** (`{report.slug}`): {report.proven} proven, {report.numeric} numeric"
    return head + "\n\n" + "\n".join(rows)


def report_latex(report) -> str:
    """A verification report as a LaTeX array, one row per step."""
    body = r" \\ ".join(
        rf"\text{{{'result' if r.index == 0 else r.index}}} & \text{{{r.status}}} "
        rf"& \text{{{escape_text(r.method)}}}"
        for r in (*report.steps, report.result)
    )
    return rf"$\begin{{array}}{{lll}} {body} \end{{array}}$"


implement("latex", derivation_latex)
implement("report_markdown", report_markdown)
implement("report_latex", report_latex)
