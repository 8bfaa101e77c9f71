"""The notebook display of a derivation, drawn by MathJax 3 (what Jupyter uses).

Checked on MathJax's own tree, not on the LaTeX string: the title is the first
row, above the steps; each claim's proof mark opens its line; the stated result
with its mark is the last row; without a report, nothing looks checked.
"""

import re
import xml.etree.ElementTree as ET

import pytest

from derivations.catalog import catalog, get
from derivations.notebook import notebook_latex
from tests.document_fixtures import stand_in_report
from tests.mathjax_check import render_mathml

MATHML = "{http://www.w3.org/1998/Math/MathML}"


def drawn(latex: str) -> ET.Element:
    """MathJax's MathML for the notebook LaTeX (one $$ display), after checking it has no error."""
    assert latex.startswith("$$\n") and latex.endswith("\n$$")
    ((error, mathml),) = render_mathml([(latex[2:-2], True)])
    assert error is None, error
    return ET.fromstring(mathml)


def rows(table: ET.Element) -> list[ET.Element]:
    return table.findall(f"{MATHML}mtr")


def text(element: ET.Element) -> str:
    """The element's characters, without spaces (MathJax spaces tokens out)."""
    return re.sub(r"\s", "", "".join(element.itertext()))


def layout(tree: ET.Element) -> tuple[str, list[str], str]:
    """(title row's text, the first cell of each step row, result row's text)."""
    outer = tree.find(f"{MATHML}mtable") or tree.find(f".//{MATHML}mtable")
    title, steps, result = rows(outer)
    inner = steps.find(f".//{MATHML}mtable")
    return text(title), [text(r[0]) for r in rows(inner)], text(result)


def test_every_derivation_draws_without_error_verified_or_not():
    derivations = list(catalog().values())
    snippets = [
        (notebook_latex(d, report)[2:-2], True)
        for d in derivations
        for report in (stand_in_report(d), None)
    ]
    drawn_all = render_mathml(snippets)
    failures = [(tex[:200], e) for (tex, _), (e, _) in zip(snippets, drawn_all, strict=True) if e]
    assert not failures


def test_title_above_the_steps_marks_first_result_last():
    d = get("sigmoid-derivative")
    report = stand_in_report(d)
    title, first_cells, result = layout(drawn(notebook_latex(d, report)))
    assert title.startswith("Thederivative:") and len(title) > len("Thederivative:")
    claims = [report.step(i).mark for i, s in enumerate(d.steps, 1) if s.is_claim]
    assert [c for c in first_cells if c] == claims
    assert len(first_cells) >= len(claims)
    assert result.startswith("ResultS:") and len(result) > len("ResultS:")


def test_a_verified_derivation_shows_its_real_marks():
    d = get("sigmoid-two-forms")
    report = d.verify()
    title, first_cells, result = layout(drawn(notebook_latex(d, report)))
    assert title == d.title.replace(" ", "")
    claims = [report.step(i).mark for i, s in enumerate(d.steps, 1) if s.is_claim]
    assert [c for c in first_cells if c] == claims and claims
    assert result.startswith(f"Result{report.result.mark}:")


def test_an_unverified_derivation_says_so_and_shows_no_marks():
    d = get("sigmoid-two-forms")
    title, first_cells, result = layout(drawn(notebook_latex(d)))
    assert title == d.title.replace(" ", "")
    assert not any(cell in ("S", "N") for cell in first_cells)
    assert "notverified" in result


@pytest.mark.parametrize("slug", ["gaussian-posterior", "stable-forms", "batch-gradients"])
def test_substitutions_cases_and_matrices_draw(slug):
    d = get(slug)
    title, _, result = layout(drawn(notebook_latex(d, stand_in_report(d))))
    assert title and result.startswith("ResultS:")
