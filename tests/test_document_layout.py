"""The document's layout: floats, display-style cases, math in captions, the legend, citations."""

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from sympy import Symbol, exp

from derivations.build import compile_pdf
from derivations.document import CitationError, Part, latex_article, markdown_page, prose_latex
from derivations.engine import Derivation, step, then
from derivations.functions import sigmoid
from derivations.marks import SECTION_LEGEND
from tests import page_fill
from tests.document_fixtures import book_content, stand_in_report
from tests.mathjax_check import markdown_math, render_errors

HAVE_PDFLATEX = shutil.which("pdflatex") is not None

# Math written as plain text: a one-letter name (maybe subscripted) in a relation with a
# number or name, outside $...$ and code, as in "peaks at z = 0".
TEXT_MODE_MATH = re.compile(r"(?<![\w$\\])[A-Za-z](?:_\w+)?\s*(?:=|<|>|≤|≥)\s*-?[\w./]+")


def text_mode_math(text: str) -> list[str]:
    plain = re.sub(r"\$[^$]+\$|`[^`]+`", "", text)
    return [m.group(0) for m in TEXT_MODE_MATH.finditer(plain)]


def test_text_mode_math_is_found():
    assert text_mode_math("peaks at z = 0 and x_0 < 1") == ["z = 0", "x_0 < 1"]
    assert text_mode_math("peaks at $z = 0$, see `x = 1`, a class-1 value") == []


def test_no_prose_or_caption_writes_math_as_text():
    content = book_content()
    texts = [content["subtitle"]]
    texts += [t for p in content["parts"] for t in (p.title, p.intro, p.outro)]
    texts += [f.caption for f in content["figures"].values()]
    texts += [t for d in content["derivations"] for t in (d.title, d.intro, d.reading)]
    found = [(hit, text[:60]) for text in texts for hit in text_mode_math(text)]
    assert not found


@pytest.fixture(scope="module")
def book_tex() -> str:
    return latex_article(**book_content())


def test_figures_float_and_cases_are_display_style(book_tex):
    figures = book_content()["figures"]
    assert "[H]" not in book_tex and r"\usepackage{float}" not in book_tex
    assert book_tex.count(r"\begin{figure}[tbp]") == len(figures)
    assert r"\begin{cases}" not in book_tex and r"\begin{dcases}" in book_tex
    assert re.search(r"\\usepackage\{[^}]*mathtools", book_tex)


def test_the_legend_says_what_marks_certify_and_each_section_repeats_it(book_tex):
    content = book_content()
    page = markdown_page(**content)
    for document in (book_tex, page):
        for relation in ("An equation marked", "An inequality", "A limit marked", r"\ne"):
            assert relation in document
    marked_parts = [p for p in content["parts"] if p.slugs]
    # The Markdown: once per section, after its heading and before the section's first mark.
    sections = re.split(r'<a id="part-\d+"></a>', page)[1:]
    assert len(sections) == len(content["parts"])
    for part, section in zip(content["parts"], sections, strict=True):
        legends = section.count(SECTION_LEGEND.split(";")[0].split("$")[0])
        assert legends == (1 if part.slugs else 0), part.title
        if part.slugs:
            assert section.index("Marks: ") < section.index("\\mathsf{S} &&")
    # The LaTeX: the same count, each before the first \mathsf mark of its section.
    latex_sections = re.split(r"\\section\{", book_tex)[1:]
    assert sum("{\\small Marks: " in s for s in latex_sections) == len(marked_parts)
    for s in latex_sections:
        if "{\\small Marks: " in s:
            assert s.index("{\\small Marks: ") < s.index(r"\quad $\mathsf{")


# ------------------------------------------------------------------ citations

REFERENCES = {
    "bishop": "C. M. Bishop, Pattern Recognition and Machine Learning, Springer, 2006, "
    "sections 4.2 and 4.3.",
    "nielsen": "M. Nielsen, Neural Networks and Deep Learning, chapter 3, "
    "http://neuralnetworksanddeeplearning.com/chap3.html.",
    "sympy": "A. Meurer et al., SymPy: symbolic computing in Python, PeerJ Computer Science 3, "
    "e103, 2017.",
}


def small_document(intro: str = "As in [cite:nielsen], with $e^{-z}$.") -> dict:
    z = Symbol("z", real=True)
    d = Derivation(
        "demo",
        "Demo",
        [step(sigmoid(z), 1 / (1 + exp(-z)), "definition"), then(exp(z) / (exp(z) + 1), "x")],
        intro=intro,
    )
    part = Part("Part", "See [cite:bishop, nielsen] and [cite:sympy].", ("demo",))
    return {"derivations": [d], "reports": {"demo": stand_in_report(d)}, "parts": [part]}


def test_citations_in_latex_are_numbered_by_first_citation():
    tex = latex_article(**small_document(), references=REFERENCES)
    assert r"\cite{bishop,nielsen}" in tex and r"\cite{sympy}" in tex and r"\cite{nielsen}" in tex
    assert re.findall(r"\\bibitem\{(\w+)\}", tex) == ["bishop", "nielsen", "sympy"]
    assert r"\url{http://neuralnetworksanddeeplearning.com/chap3.html}." in tex
    assert tex.index(r"\begin{thebibliography}") > tex.index(r"\cite{nielsen}")


def test_citations_in_markdown_link_to_a_numbered_list():
    page = markdown_page(**small_document(), references=REFERENCES)
    assert "See [[1](#ref-bishop), [2](#ref-nielsen)] and [[3](#ref-sympy)]." in page
    assert "As in [[2](#ref-nielsen)]" in page
    assert "\n## References\n" in page and "(#references)" in page
    numbered = re.findall(r'^(\d+)\. <a id="ref-(\w+)"></a>', page, flags=re.M)
    assert numbered == [("1", "bishop"), ("2", "nielsen"), ("3", "sympy")]
    assert "<http://neuralnetworksanddeeplearning.com/chap3.html>." in page
    snippets = markdown_math(page)
    assert snippets and not any(render_errors(snippets))


def test_an_unknown_citation_is_an_error_naming_it():
    with pytest.raises(CitationError, match=r"\[cite:knuth\]"):
        latex_article(**small_document("As in [cite:knuth]."), references=REFERENCES)
    with pytest.raises(CitationError, match=r"\[cite:knuth\]"):
        markdown_page(**small_document("As in [cite:knuth]."), references=REFERENCES)


def test_without_references_there_is_no_list(monkeypatch):
    import derivations.book

    monkeypatch.delattr(derivations.book, "REFERENCES", raising=False)
    z = Symbol("z", real=True)
    d = Derivation("demo", "Demo", [step(sigmoid(z), 1 / (1 + exp(-z)), "definition")])
    assert "thebibliography" not in latex_article([d])
    assert "References" not in markdown_page([d])
    with pytest.raises(CitationError):
        latex_article(**small_document())  # cites, but the book has no references


@pytest.mark.skipif(not HAVE_PDFLATEX, reason="pdflatex is not installed (texlive-latex-base)")
def test_cited_article_compiles_with_every_citation_defined(tmp_path):
    # compile_pdf raises on an undefined citation or reference, and on an overfull line.
    tex = latex_article(**small_document(), references=REFERENCES)
    assert compile_pdf(tex, tmp_path).startswith(b"%PDF")


# ------------------------------------------------------------------ why a line is numeric only

# Two claims SymPy does not prove (it does not combine acos and asin, see engine.step), one
# stated twice with the same reason, and a claim without a stated reason.
ARCS = "SymPy does not combine acos and asin"
ARC_SUM = "the arcs of $x/7$ add up to a right angle"


def numeric_document() -> tuple[Derivation, object]:
    from sympy import acos, asin, pi

    x = Symbol("x", real=True)
    d = Derivation(
        "arcs",
        "Arcs",
        [
            step(acos(x / 5) + asin(x / 5), pi / 2, "complementary", numeric=ARCS),
            step(acos(x / 3) + asin(x / 3), pi / 2, "again", numeric=ARCS),
            step(acos(x / 7) + asin(x / 7), pi / 2, "once more", numeric=ARC_SUM),
            step(acos(x / 9) + asin(x / 9), pi / 2, "unexplained"),
        ],
        numeric_result=ARC_SUM,
    )
    return d, d.verify()  # not strict: the last claim may go without a reason


def test_each_numeric_only_line_says_why_sympy_did_not_prove_it():
    d, report = numeric_document()
    assert [r.status for r in (*report.steps, report.result)] == ["numeric"] * 5
    tex = latex_article([d], {d.slug: report})
    page = markdown_page([d], {d.slug: report})
    # The line carries the number of its note; equal reasons share one; no reason, no number.
    marks = re.findall(r"\\quad \$(\\mathsf\{N\}(?:\^\{\d\})?)\$\}", tex)
    assert marks == [r"\mathsf{N}^{1}", r"\mathsf{N}^{1}", r"\mathsf{N}^{2}", r"\mathsf{N}"]
    assert "$$" not in page
    rows = re.findall(r"^(\\mathsf\{N\}(?:\^\{\d\})?) &&", page, flags=re.M)
    assert rows == marks
    # The result's mark too, and the notes under the block, in both documents.
    assert r"\qquad \mathsf{N}^{2}" in tex and r"**Result** $\mathsf{N}^{2}$" in page
    for note, reason in ((1, ARCS), (2, ARC_SUM)):
        line = f"$\\mathsf{{N}}^{{{note}}}$ Not proven symbolically: {reason}."
        assert tex.count(line) == 1 and page.count(line) == 1
    assert tex.index("Not proven symbolically") > tex.index(r"\end{equation*}")
    assert page.count("Not proven symbolically") == 2


def test_every_reason_of_the_book_is_in_both_documents(book_tex):
    # The stand-in reports mark each claim with numeric= N, as the strict catalog does.
    content = book_content()
    page = markdown_page(**content)
    reasons = {
        (d.slug, s.numeric) for d in content["derivations"] for s in d.steps if s.numeric
    } | {(d.slug, d.numeric_result) for d in content["derivations"] if d.numeric_result}
    assert reasons, "the catalog has numeric-only lines, each with a reason"
    assert book_tex.count("Not proven symbolically: ") == len(reasons)
    assert page.count("Not proven symbolically: ") == len(reasons)
    for _, reason in reasons:
        assert prose_latex(reason) in book_tex


# ------------------------------------------------------------------ how full the pages are


def test_empty_fraction_is_the_longest_blank_run_of_the_text_block():
    # A 50-dpi letter page (550 x 425) with 2.5 cm margins (49 px): its text block is rows
    # 49 to 500, 452 rows. Ink on rows 49-149 and 300-310 leaves 150 blank rows between them
    # and 190 below; a mark in the bottom margin (a page number) does not count.
    page = np.full((550, 425), 255, np.uint8)
    page[49:150, 60:300] = 0
    page[300:311, 60:100] = 100
    page[520, 200:210] = 0
    assert page_fill.empty_fraction(page) == 190 / 452
    page[400:410, 60:100] = 0  # now the longest run is the 150 rows between the first two
    assert page_fill.empty_fraction(page) == 150 / 452
    page[400:410, 60:100] = 200  # light gray is not ink
    assert page_fill.empty_fraction(page) == 190 / 452
    assert page_fill.empty_fraction(np.full((550, 425), 255, np.uint8)) == 1.0


@pytest.mark.skipif(not page_fill.HAVE_PDFTOPPM, reason="pdftoppm is not installed (poppler)")
def test_no_page_of_the_committed_pdf_is_more_than_a_quarter_empty():
    # Issue 16: "no page more than a quarter empty"; the last page ends the document.
    fractions = page_fill.page_fractions(Path(__file__).parents[1] / "docs" / "derivations.pdf")
    assert len(fractions) > 10
    too_empty = {k: f"{f:.0%}" for k, f in enumerate(fractions[:-1], 1) if f > 0.25}
    assert not too_empty
