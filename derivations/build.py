"""The build: verify every derivation, then write the LaTeX, PDF, Markdown and figures.

Output is byte-for-byte reproducible: figures are saved with a fixed SVG hash
salt and no dates or version strings, pdflatex runs with SOURCE_DATE_EPOCH
and a preamble that omits dates and the trailer ID, and every file is written
to a temporary name in its folder and renamed into place (never half-written),
with the mode the umask gives. Two builds into one folder at once do not trip
over each other.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from derivations.catalog import catalog
from derivations.derive_catalog import for_document
from derivations.document import Figure, Part, latex_article, markdown_page
from derivations.engine import Derivation
from derivations.errors import DerivationsError
from derivations.runner import verify_many
from derivations.verify import VerificationReport
from numeric.figures import figures as all_figures
from numeric.figures.files import draw_files

__all__ = ["BuildError", "BuildSummary", "OutputFolderError", "build", "check_out", "verify_all"]

SOURCE_DATE_EPOCH = "1700000000"
PDFLATEX_PACKAGES = "texlive-latex-base and texlive-latex-recommended"


class BuildError(DerivationsError):
    """The document could not be built (a LaTeX error, an undefined reference, an overfull line)."""


class OutputFolderError(BuildError):
    """The output folder cannot be written: it is a file, or a place this process may not write."""


@dataclass(frozen=True)
class BuildSummary:
    """What a build did."""

    derivations: int
    proven: int
    numeric: int
    files: tuple[Path, ...]
    seconds: float
    pdf: bool


def verify_all(
    slugs: Iterable[str] | None = None,
    echo: Callable[[str], None] = print,
    jobs: int | None = None,
) -> dict[str, VerificationReport]:
    """Verify the named derivations (all by default) on ``jobs`` cores, printing one line each.

    The first failure is raised, after every derivation has been tried.
    """
    chosen = list(catalog()) if slugs is None else list(slugs)
    reports, failures = {}, []
    with closing(verify_many(chosen, jobs)) as outcomes:
        for slug, report in outcomes:
            if isinstance(report, DerivationsError):
                echo(f"FAILED {slug}: {report}")
                failures.append(report)
                continue
            reports[slug] = report
            echo(
                f"verified {slug:<40} {report.proven:>3} proven, {report.numeric:>2} numeric "
                f"({report.seconds:.2f} s)"
            )
    if failures:
        raise failures[0]
    return reports


def check_out(out: Path | str) -> None:
    """Create the output folder ``out`` if needed and make sure files can be written in it.

    Called before the slow verification, so that a wrong ``--out`` fails at once.

    >>> check_out("/dev/null")
    Traceback (most recent call last):
    ...
    derivations.build.OutputFolderError: cannot write into /dev/null: it is not a folder
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputFolderError(f"cannot write into {out}: it is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as error:
        raise OutputFolderError(f"cannot write into {out}: {error.strerror or error}") from None


def _new_temporary(path: Path) -> tuple[Path, int]:
    """Create a file with a fresh name beside ``path``; return its name and descriptor.

    Opened with mode 0o666 so that the umask decides the final mode, as for any
    file a program writes (tempfile.mkstemp would make it 0o600).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return temporary, os.open(temporary, flags, 0o666)
        except FileExistsError:
            continue


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename.

    The file gets the mode that the umask gives (0o644 under umask 022).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary, fd = _new_temporary(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def remove_stale_figures(folder: Path, keep: Iterable[str]) -> list[Path]:
    """Remove the figures (.svg, .png) in ``folder`` not named in ``keep``; return those removed.

    A file that another build removed first is skipped, not an error.
    """
    keep, removed = set(keep), []
    for stale in sorted(folder.glob("*")):
        if stale.suffix in (".svg", ".png") and stale.stem not in keep:
            try:
                stale.unlink()
            except FileNotFoundError:
                continue
            removed.append(stale)
    return removed


SUFFIXES = (".svg", ".png")


def write_document(
    out: Path,
    derivations: list[Derivation],
    reports: dict[str, VerificationReport],
    document: dict[str, Any],
    drawings: dict[str, tuple[bytes, bytes]],
    captions: dict[str, str],
    *,
    names: tuple[str, str],
    pdf: bool | None,
    echo: Callable[[str], None],
    prune: bool = True,
) -> tuple[list[Path], bool]:
    """Write the figures, the LaTeX, the Markdown and (when ``pdf``) the PDF into ``out``.

    The one writer of the built-in book and of users' documents: ``document`` holds
    ``title``, ``subtitle`` and ``parts``; ``drawings`` the (SVG, PNG) bytes of each figure;
    ``names`` the LaTeX and Markdown file names (the PDF is named after the LaTeX). Every
    file is written atomically; with ``prune``, figures in ``out/figures`` that the document
    no longer uses are removed (the built-in book owns its folder; a user's may hold other
    images, so publishing leaves them). Returns the files written and whether the PDF was
    made (``pdf`` None makes it when pdflatex is installed and says so when it is not).
    """
    written: list[Path] = []

    def emit(path: Path, data: bytes, began: float) -> None:
        write_atomic(path, data)
        written.append(path)
        echo(f"wrote {path} ({time.perf_counter() - began:.2f} s)")

    for name, data in drawings.items():
        for suffix, content in zip(SUFFIXES, data, strict=True):
            emit(out / "figures" / f"{name}{suffix}", content, time.perf_counter())
    if prune and (out / "figures").is_dir():
        for stale in remove_stale_figures(out / "figures", drawings):
            echo(f"removed stale {stale}")
    kwargs = dict(document, figures={name: Figure(name, c) for name, c in captions.items()})
    tex_name, markdown_name = names
    began = time.perf_counter()
    tex = latex_article(derivations, reports, **kwargs)
    emit(out / tex_name, tex.encode(), began)
    began = time.perf_counter()
    emit(out / markdown_name, markdown_page(derivations, reports, **kwargs).encode(), began)
    if pdf is False:
        return written, False
    if shutil.which("pdflatex") is None:
        pdf_name = Path(tex_name).with_suffix(".pdf").name
        echo(f"pdflatex not found: {pdf_name} not built (install {PDFLATEX_PACKAGES})")
        return written, False
    began = time.perf_counter()
    emit(out / Path(tex_name).with_suffix(".pdf"), compile_pdf(tex, out / "figures"), began)
    return written, True


def generated() -> list[Derivation]:
    """The catalog gradients the book shows derived by the toolkit itself (book.GENERATED)."""
    from derivations.book import GENERATED

    return [for_document(slug) for slug in GENERATED]


def _book():
    from derivations.book import SECTIONS, SUBTITLE, TITLE

    return TITLE, SUBTITLE, SECTIONS


def _parts(sections, derivations: dict, specs: dict, *, whole: bool) -> tuple[list, list]:
    """The book's sections as the document's parts (only what was verified), and the
    figures they use; BuildError for a derivation in no section or a missing figure."""
    parts = [
        Part(
            s.title,
            s.intro,
            tuple(x for x in s.slugs if x in derivations),
            s.figures,
            s.outro,
            dict(s.placement),
        )
        for s in sections
        if any(x in derivations for x in s.slugs) or (not s.slugs and whole)
    ]
    placed = {x for s in sections for x in s.slugs}
    unplaced = [slug for slug in derivations if slug not in placed]
    if unplaced:
        # Verified but in no section: it would silently be left out of the document.
        raise BuildError(f"derivations in no section of the book: {', '.join(unplaced)}")
    used = [name for p in parts for name in p.figures]
    missing = [name for name in used if name not in specs]
    if missing:
        raise BuildError(f"the book names figures that do not exist: {', '.join(missing)}")
    return parts, used


def build(
    out: Path | str = "docs",
    *,
    pdf: bool = True,
    slugs: Iterable[str] | None = None,
    echo: Callable[[str], None] = print,
    jobs: int | None = None,
) -> BuildSummary:
    """Verify the derivations (all by default) and write the document into ``out``."""
    start = time.perf_counter()
    out = Path(out)
    check_out(out)
    reports = verify_all(slugs, echo=echo, jobs=jobs)
    derivations = {slug: d for slug, d in catalog().items() if slug in reports}
    if slugs is None:  # the whole book: also the gradients the toolkit derives itself
        for d in generated():
            reports[d.slug] = report = d.verify()
            derivations[d.slug] = d
            echo(
                f"verified {d.slug:<40} {report.proven:>3} proven, {report.numeric:>2} numeric "
                f"({report.seconds:.2f} s)"
            )
    title, subtitle, sections = _book()

    specs = all_figures()
    parts, used = _parts(sections, derivations, specs, whole=slugs is None)
    with tempfile.TemporaryDirectory(prefix="derivations-figures-") as drawn:
        # In a child process with NumPy's baseline loops: the same bytes on every machine.
        draw_files(used, Path(drawn))
        drawings = {
            name: tuple((Path(drawn) / f"{name}{suffix}").read_bytes() for suffix in SUFFIXES)
            for name in used
        }
    captions = {name: specs[name].caption for name in used}
    document = dict(title=title, subtitle=subtitle, parts=parts)
    written, made_pdf = write_document(
        out, list(derivations.values()), reports, document, drawings, captions,
        names=("derivations.tex", "README.md"), pdf=pdf, echo=echo,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    proven = sum(r.proven for r in reports.values())
    numeric = sum(r.numeric for r in reports.values())
    echo(
        f"done: {len(reports)} derivations, {proven} claims proven symbolically, "
        f"{numeric} checked numerically only, {len(written)} files written, {seconds:.1f} s"
    )
    return BuildSummary(len(reports), proven, numeric, tuple(written), seconds, made_pdf)


MAX_RUNS = 5
_RERUN = re.compile(r"Rerun to get|Label\(s\) may have changed|\(rerunfilecheck\).*Rerun")
_ERROR = re.compile(r"^(!.*|.*:\d+: .*)$", re.MULTILINE)
_UNDEFINED = re.compile(r"(Reference|Citation) `[^']*' on page \d+ undefined|There were undefined")
_OVERFULL = re.compile(r"Overfull \\hbox \((\d+\.?\d*)pt too wide\)[^\n]*")


def compile_pdf(tex: str, figures: Path) -> bytes:
    """Run pdflatex on ``tex`` (figures beside it) until its references settle; check the log.

    At least two runs (the table of contents is read back on the second); more when
    the log asks for a rerun. Returns the PDF's bytes. When interrupted (an exception,
    SIGTERM turned into SystemExit by the command line), subprocess.run kills
    pdflatex and the temporary folder is removed on the way out.
    """
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "FORCE_SOURCE_DATE": "1"}
    with tempfile.TemporaryDirectory(prefix="derivations-tex-") as folder:
        work = Path(folder)
        (work / "derivations.tex").write_text(tex)
        if figures.is_dir():
            # Not the temporary files of a build writing into the same folder now.
            shutil.copytree(figures, work / "figures", ignore=shutil.ignore_patterns(".*"))
        command = [
            "pdflatex",
            "-interaction=nonstopmode",
            "-halt-on-error",
            "-file-line-error",
            "derivations.tex",
        ]
        previous = None
        for run_number in range(1, MAX_RUNS + 1):
            run = subprocess.run(
                command, cwd=work, env=env, capture_output=True, text=True, errors="replace"
            )
            log = (work / "derivations.log").read_text(errors="replace")
            if run.returncode != 0:
                errors = "\n".join(_ERROR.findall(log)[:10]) or run.stdout[-2000:]
                raise BuildError(f"pdflatex failed:\n{errors}")
            # Settled when the auxiliary files (labels, contents) are what this run read.
            state = tuple(
                (work / f"derivations.{ext}").read_bytes()
                for ext in ("aux", "toc", "out")
                if (work / f"derivations.{ext}").exists()
            )
            if run_number >= 2 and state == previous and not _RERUN.search(log):
                break
            previous = state
        else:
            raise BuildError(f"pdflatex had not settled after {MAX_RUNS} runs")
        problems = [m.group(0) for m in _UNDEFINED.finditer(log)] + [
            m.group(0) for m in _OVERFULL.finditer(log) if float(m.group(1)) > 1.0
        ]
        if problems:
            raise BuildError("the PDF has problems:\n" + "\n".join(map(str, problems)))
        return (work / "derivations.pdf").read_bytes()
