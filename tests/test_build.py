"""The build: the committed docs/ is what it makes, twice the same bytes, PDF checked."""

import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from derivations.build import BuildError, build, compile_pdf, write_atomic

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
HAVE_PDFLATEX = shutil.which("pdflatex") is not None


def pinned(package: str) -> str | None:
    """The version of ``package`` in .ci/constraints.txt (CI's versions)."""
    for line in (ROOT / ".ci" / "constraints.txt").read_text().splitlines():
        if line.startswith(f"{package}=="):
            return line.split("==")[1].strip()
    return None


@pytest.fixture(scope="session")
def two_builds(tmp_path_factory):
    """Two complete builds, in two processes at once (the machine has two cores)."""
    folders = [tmp_path_factory.mktemp(name) for name in ("first", "second")]
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "derivations", "build", "--out", str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for folder in folders
    ]
    outputs = [run.communicate()[0] for run in runs]
    for run, output in zip(runs, outputs, strict=True):
        assert run.returncode == 0, output
    return folders, outputs


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_two_builds_are_byte_identical(two_builds):
    (first, second), _ = two_builds
    a, b = files(first), files(second)
    assert sorted(a) == sorted(b)
    differing = [name for name in a if a[name] != b[name]]
    assert not differing, f"these files differ between two builds: {differing}"
    assert "derivations.tex" in a and "README.md" in a
    assert any(name.endswith(".svg") for name in a) and any(name.endswith(".png") for name in a)
    if HAVE_PDFLATEX:
        assert a["derivations.pdf"].startswith(b"%PDF")
    assert not [name for name in a if name.endswith(".tmp")]


def test_build_reports_progress_and_a_summary(two_builds):
    _, (output, _) = two_builds
    lines = output.splitlines()
    assert any(line.startswith("verified sigmoid-derivative") for line in lines)
    assert any(line.startswith("wrote ") and line.endswith(" s)") for line in lines)
    assert lines[-1].startswith("done: ") and "claims proven symbolically" in lines[-1]


@pytest.mark.skipif(
    version("sympy") != pinned("sympy"),
    reason=f"the committed docs/ were built with SymPy {pinned('sympy')}, "
    f"whose LaTeX printer may differ from this {version('sympy')}",
)
@pytest.mark.parametrize("name", ["derivations.tex", "README.md"])
def test_committed_docs_are_current(two_builds, name):
    (first, _), _ = two_builds
    committed = (DOCS / name).read_text()
    assert (first / name).read_text() == committed, (
        f"docs/{name} is stale: run `python -m derivations build` and commit docs/"
    )


def test_committed_figures_are_the_ones_the_build_makes(two_builds):
    (first, _), _ = two_builds
    built = sorted(p.name for p in (first / "figures").iterdir())
    assert sorted(p.name for p in (DOCS / "figures").iterdir()) == built


def test_the_document_has_the_parts_a_reader_needs(two_builds):
    (first, _), _ = two_builds
    tex = (first / "derivations.tex").read_text()
    for needed in (
        r"\tableofcontents",
        r"\usepackage{amsmath",
        r"\usepackage{graphicx}",
        "hidelinks",
        r"\includegraphics",
        r"\caption{",
        r"\tag*{",
    ):
        assert needed in tex
    markdown = (first / "README.md").read_text()
    assert "```math\n" in markdown and "$$" not in markdown  # GitHub-safe display math
    assert "](figures/" in markdown and ".svg)" in markdown


def test_without_pdflatex_the_build_says_so_and_writes_the_rest(tmp_path, monkeypatch):
    monkeypatch.setattr("derivations.build.shutil.which", lambda name: None)
    lines = []
    summary = build(tmp_path, slugs=["sigmoid-two-forms"], echo=lines.append)
    assert not summary.pdf and not (tmp_path / "derivations.pdf").exists()
    assert (tmp_path / "derivations.tex").exists() and (tmp_path / "README.md").exists()
    missing = [line for line in lines if line.startswith("pdflatex not found")]
    assert missing == [
        "pdflatex not found: derivations.pdf not built "
        "(install texlive-latex-base and texlive-latex-recommended)"
    ]


MINIMAL = r"""\documentclass{article}
\begin{document}
%s
\end{document}
"""


@pytest.mark.skipif(not HAVE_PDFLATEX, reason="pdflatex is not installed (texlive-latex-base)")
def test_pdf_compiles_and_its_log_is_checked(tmp_path):
    assert compile_pdf(MINIMAL % "Hello.", tmp_path).startswith(b"%PDF")
    with pytest.raises(BuildError, match="undefined"):
        compile_pdf(MINIMAL % r"See \ref{nowhere}.", tmp_path)
    with pytest.raises(BuildError, match="Overfull"):
        compile_pdf(MINIMAL % ("$" + "x + " * 200 + "x$" + r"\mbox{" + "w" * 200 + "}"), tmp_path)
    with pytest.raises(BuildError, match="pdflatex failed"):
        compile_pdf(MINIMAL % r"\undefinedcommand", tmp_path)


def test_writes_are_atomic(tmp_path, monkeypatch):
    target = tmp_path / "file.txt"
    write_atomic(target, b"old")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("derivations.build.os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new, half written")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]  # no temporary left behind
