"""The build: the committed docs/ is what it makes, twice the same bytes, PDF checked."""

import os
import shutil
import stat
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from derivations.build import (
    BuildError,
    OutputFolderError,
    build,
    check_out,
    compile_pdf,
    remove_stale_figures,
    write_atomic,
)

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


FIGURE_PACKAGES = ("matplotlib", "numpy", "pillow", "fonttools")


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


@pytest.mark.skipif(
    any(version(p) != pinned(p) for p in FIGURE_PACKAGES),
    reason="the committed figures were made with "
    + ", ".join(f"{p} {pinned(p)}" for p in FIGURE_PACKAGES)
    + "; the bytes depend on their versions",
)
def test_committed_figures_are_the_ones_the_build_makes(two_builds):
    (first, _), _ = two_builds
    built, committed = files(first / "figures"), files(DOCS / "figures")
    assert sorted(committed) == sorted(built)
    differing = [name for name in built if built[name] != committed[name]]
    assert not differing, (
        f"docs/figures/ differ from a rebuild: {differing}: run "
        "`python -m derivations build` and commit docs/"
    )


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


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_written_files_get_the_mode_the_umask_gives(tmp_path, umask, mode):
    # The mode open() would give a new file: 0o666 with the umask's bits cleared.
    previous = os.umask(umask)
    try:
        write_atomic(tmp_path / "new.txt", b"new")
        write_atomic(tmp_path / "new.txt", b"replaced")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == mode


def test_every_file_the_build_writes_is_readable_by_others(tmp_path, monkeypatch, umask_022):
    monkeypatch.setattr("derivations.build.shutil.which", lambda name: None)
    summary = build(tmp_path, slugs=["sigmoid-two-forms"], echo=lambda line: None)
    assert summary.files
    modes = {str(p): oct(stat.S_IMODE(p.stat().st_mode)) for p in summary.files}
    assert set(modes.values()) == {"0o644"}, modes


def test_an_output_folder_that_cannot_be_written_is_refused(tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    with pytest.raises(OutputFolderError, match="a-file: it is not a folder"):
        check_out(a_file)
    with pytest.raises(OutputFolderError, match="a-file/docs: Not a directory"):
        check_out(a_file / "docs")
    check_out(tmp_path / "new" / "docs")  # made, with its parents
    assert (tmp_path / "new" / "docs").is_dir()
    assert not list((tmp_path / "new" / "docs").iterdir())


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere"
)
def test_a_read_only_output_folder_is_refused(tmp_path):
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o555)
    try:
        with pytest.raises(OutputFolderError, match="read-only: Permission denied"):
            check_out(folder)
    finally:
        folder.chmod(0o755)


def test_a_figure_removed_by_a_concurrent_build_is_not_an_error(tmp_path, monkeypatch):
    for name in ("kept.svg", "kept.png", "stale.svg", "notes.txt"):
        (tmp_path / name).write_text("")
    listed = [*sorted(tmp_path.glob("*")), tmp_path / "gone.png"]  # gone: the other build
    monkeypatch.setattr(type(tmp_path), "glob", lambda self, pattern: iter(listed))
    removed = remove_stale_figures(tmp_path, ["kept"])
    assert removed == [tmp_path / "stale.svg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.png", "kept.svg", "notes.txt"]
