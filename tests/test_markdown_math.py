"""The Markdown page's math renders on GitHub: every snippet through MathJax 3, GitHub-safe syntax.

GitHub draws Markdown math with MathJax 3, after its Markdown pass has run over
``$$...$$`` and ``$...$`` (where it eats the backslash of ``\\\\``, ``\\{``, ``\\,``).
Fenced ``math`` blocks and ``$`...`$`` reach MathJax verbatim. So the page must
(1) put display math only in fenced blocks, (2) use ``$...$`` only for math the
Markdown pass cannot change, and (3) hold no snippet that MathJax rejects.
"""

import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import pytest

from derivations.document import markdown_page
from derivations.render import numeric_notes
from tests.document_fixtures import book_content
from tests.mathjax_check import markdown_math, render_errors, render_mathml

ROOT = Path(__file__).resolve().parent.parent
MATHML = "{http://www.w3.org/1998/Math/MathML}"

# CommonMark: a backslash before any ASCII punctuation character is an escape, and
# _ and * delimit emphasis. Written out from the spec, independently of the renderer.
ASCII_PUNCTUATION = re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
MARKDOWN_SENSITIVE = re.compile(rf"\\[{ASCII_PUNCTUATION}]|[_*]")


@cache
def fresh_page() -> str:
    return markdown_page(**book_content())


def assert_renders(markdown: str) -> int:
    snippets = markdown_math(markdown)
    errors = render_errors(snippets)
    bad = [
        f"{error}\n    in: {tex[:300]}"
        for (tex, _), error in zip(snippets, errors, strict=True)
        if error
    ]
    assert not bad, f"{len(bad)} of {len(snippets)} math snippets fail in MathJax:\n" + "\n".join(
        bad
    )
    return len(snippets)


def assert_github_safe(markdown: str) -> None:
    assert "$$" not in markdown, "display math must be a fenced math block, not $$"
    plain = re.sub(r"\$`[^`]+`\$", "", re.sub(r"```math\n.*?\n```", "", markdown, flags=re.S))
    plain = re.sub(r"`[^`\n]+`", "", plain)
    risky = [m for m in re.findall(r"\$([^$\n]+)\$", plain) if MARKDOWN_SENSITIVE.search(m)]
    assert not risky, f"inline math that GitHub's Markdown pass would change: {risky[:5]}"


def test_every_math_snippet_of_the_page_renders_in_mathjax():
    page = fresh_page()
    count = assert_renders(page)
    derivations = book_content()["derivations"]
    # Each derivation has two fenced blocks (its steps, its result); prose adds inline math.
    assert page.count("```math\n") == 2 * len(derivations)
    assert count > 2 * len(derivations)


def test_the_page_is_github_safe():
    page = fresh_page()
    assert_github_safe(page)
    assert "$`" in page  # sensitive inline math is there, in the verbatim form


@pytest.mark.parametrize("check", [assert_renders, assert_github_safe])
def test_the_committed_readme_renders_on_github(check):
    # Fails until docs/ is rebuilt with this renderer (python -m derivations build).
    check((ROOT / "docs" / "README.md").read_text())


def test_the_checker_finds_errors():
    # The renderer must reject what GitHub would show as an error or as raw source.
    snippets = [
        (r"\frac{1}{2", True),  # unbalanced
        (r"\undefinedmacro x", False),  # unknown macro
        (r"\text{50\% of it}", False),  # LaTeX's text escape, shown as written
        (r"\begin{dcases} 1 & x \end{dcases}", True),  # mathtools: not loaded on GitHub
        (r"\sigma(z) = \frac{1}{1 + e^{-z}}", True),  # fine
    ]
    errors = render_errors(snippets)
    assert [e is not None for e in errors] == [True, True, True, True, False]
    with pytest.raises(AssertionError, match="in MathJax"):
        assert_renders("```math\n\\frac{1}{2\n```")
    with pytest.raises(AssertionError, match="fenced"):
        assert_github_safe("$$\na \\\\ b\n$$")
    with pytest.raises(AssertionError, match="Markdown pass"):
        assert_github_safe(r"where $a \, b_1$ holds")


def test_each_proof_mark_is_the_first_cell_of_its_line():
    # Read back from MathJax's tree: in each derivation's table, the rows that certify
    # a claim begin with the mark, so it is seen without scrolling a wide block.
    content = book_content()
    page = markdown_page(**content)
    blocks = re.findall(r"```math\n(\\begin\{aligned\}.*?)\n```", page, flags=re.S)
    # In the page's order, the sections' (the catalog's is the topics').
    by_slug = {d.slug: d for d in content["derivations"]}
    derivations = [by_slug[slug] for part in content["parts"] for slug in part.slugs]
    assert len(blocks) == len(derivations) == len(by_slug)
    rendered = render_mathml([(b, True) for b in blocks])
    for d, (error, mathml) in zip(derivations, rendered, strict=True):
        assert error is None, error
        report = content["reports"][d.slug]
        # A numeric-only line whose step says why carries the number of its note: N1.
        notes = {i: str(n) for i, (n, _) in numeric_notes(d, report).items()}
        expected = [
            report.step(i).mark + notes.get(i, "") for i, s in enumerate(d.steps, 1) if s.is_claim
        ]
        table = ET.fromstring(mathml).find(f".//{MATHML}mtable")
        first_cells = [
            "".join("".join(row[0].itertext()).split()) for row in table.findall(f"{MATHML}mtr")
        ]
        assert [c for c in first_cells if c] == expected, d.slug


def test_only_a_machine_without_node_or_mathjax_skips_and_ci_never(monkeypatch, tmp_path):
    import tests.mathjax_check as check

    monkeypatch.setattr(check, "NODE", None)
    monkeypatch.setattr(check, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match="node is not installed"):
        check.require_mathjax()
    monkeypatch.setattr(check, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="CI must render the math"):
        check.require_mathjax()
    monkeypatch.setattr(check, "NODE", "node")
    monkeypatch.setattr(check, "JS", tmp_path)  # node, but no npm ci
    with pytest.raises(pytest.fail.Exception, match="MathJax is not installed"):
        check.require_mathjax()
    monkeypatch.setattr(check, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match="run `npm ci` in tests/js"):
        check.require_mathjax()
