"""Publishing your own derivations: a LaTeX, PDF and Markdown document with figures.

:func:`publish` gives a list of your derivations the built-in book's guarantees: every
derivation is verified before anything is written, the output depends only on what you pass
(the same bytes on every run), each file is written under a temporary name and renamed into
place, and a missing ``pdflatex`` is said in words. Bad input (something that is not a
``Derivation``, two derivations with one slug, a section naming a derivation or figure you
did not give) raises :class:`PublishError` before the output folder is created, and a
failure while writing removes the folder if this call created it.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from derivations.build import (
    PDFLATEX_PACKAGES,
    BuildError,
    BuildSummary,
    OutputFolderError,
    write_document,
)
from derivations.engine import Derivation
from derivations.errors import DerivationError, DerivationsError

__all__ = ["PublishError", "checked", "publish"]


class PublishError(DerivationsError, ValueError):
    """What was given to :func:`publish` (or a module's ``derivations()``) cannot be published."""


def checked(derivations: Any, origin: str = "the list") -> list[Derivation]:
    """``derivations`` as a list, after checking each is a Derivation and the slugs are unique.

    >>> checked([_example(), "oops"])
    Traceback (most recent call last):
    ...
    derivations.publishing.PublishError: item 1 of the list is str ('oops'), not a Derivation
    """
    if isinstance(derivations, (str, bytes, Derivation)) or not isinstance(derivations, Iterable):
        raise PublishError(
            f"{origin} must be a list of Derivation objects, got {type(derivations).__name__}"
        )
    items = list(derivations)
    for i, d in enumerate(items):
        if not isinstance(d, Derivation):
            raise PublishError(
                f"item {i} of {origin} is {type(d).__name__} ({d!r:.40}), not a Derivation"
            )
    seen: dict[str, int] = {}
    for i, d in enumerate(items):
        if d.slug in seen:
            raise PublishError(
                f"items {seen[d.slug]} and {i} of {origin} share the slug {d.slug!r}"
            )
        seen[d.slug] = i
    if not items:
        raise PublishError(f"{origin} has no derivations")
    return items


def _example() -> Derivation:
    """A small derivation for the examples: softplus' = sigma."""
    from sympy import Derivative, Symbol, exp, log

    from derivations.engine import step, then
    from derivations.functions import sigmoid

    z = Symbol("z", real=True)
    return Derivation(
        "softplus-slope",
        "The slope of the softplus",
        [
            step(Derivative(log(1 + exp(z)), z), exp(z) / (1 + exp(z)), "chain rule"),
            then(sigmoid(z), "the sigmoid's second form"),
        ],
    )


def publish(
    derivations: Sequence[Derivation],
    out: Path | str,
    *,
    title: str = "Derivations",
    subtitle: str = "",
    sections: Sequence[Any] | None = None,
    figures: Sequence[Any] = (),
    name: str = "derivations",
    pdf: bool | None = None,
    strict: bool | None = None,
    echo: Callable[[str], None] = print,
) -> BuildSummary:
    """Verify ``derivations``, then write ``NAME.tex``, ``NAME.md``, ``NAME.pdf`` and figures.

    ``out`` is the folder (created if needed; other files in it, images in ``out/figures``
    included, are left alone). ``sections``
    (``derivations.document.Part`` or ``derivations.book.Section`` objects) group the
    derivations under headings with prose; every derivation must then be in one.
    ``figures`` are ``numeric.figures.FigureSpec(name, caption, draw)`` objects (``draw()``
    returns a matplotlib Figure, e.g. from ``numeric.plot_derivative``), placed by the
    sections that name them, or after the derivations without sections. ``pdf``: None
    builds the PDF when ``pdflatex`` is installed and says so when it is not; True requires
    it (BuildError without it); False skips it. ``strict``: None verifies each derivation
    as it says (its ``strict``, lenient by default: a claim only the numeric check confirms
    gets the mark N and a note); True makes such a claim an error. The first failure is
    raised (a DerivationError listing the failing steps) and nothing is written.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     summary = publish([_example()], folder, title="Mine", pdf=False,
    ...                       echo=lambda line: None)
    ...     sorted(p.name for p in summary.files)
    ['derivations.md', 'derivations.tex']
    """
    start = time.perf_counter()
    items = checked(derivations)
    by_slug = {d.slug: d for d in items}
    specs = _figures(figures)
    parts = _parts(sections, by_slug, specs)
    if not name or "/" in name or name.startswith("."):
        raise PublishError(f"name must be a plain file stem, got {name!r}")
    if pdf and shutil.which("pdflatex") is None:
        raise BuildError(f"pdflatex not found: install it ({PDFLATEX_PACKAGES}) or pass pdf=False")
    out = Path(out)
    _check_writable(out)
    reports = _verify(items, strict, echo)
    created = not out.exists()
    try:
        written = _write(items, reports, out, title, subtitle, parts, specs, name, pdf, echo)
    except BaseException:
        if created:
            shutil.rmtree(out, ignore_errors=True)
        raise
    seconds = time.perf_counter() - start
    proven = sum(r.proven for r in reports.values())
    numeric = sum(r.numeric for r in reports.values())
    echo(f"done: {len(items)} derivations, {len(written)} files written, {seconds:.1f} s")
    made_pdf = any(p.suffix == ".pdf" for p in written)
    return BuildSummary(len(items), proven, numeric, tuple(written), seconds, made_pdf)


def _figures(figures: Sequence[Any]) -> dict[str, Any]:
    specs: dict[str, Any] = {}
    for i, spec in enumerate(figures):
        if not all(hasattr(spec, a) for a in ("name", "caption", "draw")) or not callable(
            spec.draw
        ):
            raise PublishError(
                f"figure {i} is {type(spec).__name__}, not a numeric.figures.FigureSpec "
                "(name, caption, draw)"
            )
        if spec.name in specs:
            raise PublishError(f"two figures share the name {spec.name!r}")
        specs[spec.name] = spec
    return specs


def _parts(sections: Sequence[Any] | None, by_slug: Mapping[str, Derivation], specs) -> list:
    from derivations.document import Part

    if sections is None:
        if not specs:
            return []
        return [Part("Derivations", "", tuple(by_slug), tuple(specs))]
    parts = []
    for i, s in enumerate(sections):
        if not all(hasattr(s, a) for a in ("title", "intro", "slugs")):
            raise PublishError(f"section {i} is {type(s).__name__}, not a Part or Section")
        unknown = [x for x in s.slugs if x not in by_slug]
        if unknown:
            raise PublishError(f"section {s.title!r} names unknown derivations: {unknown}")
        missing = [f for f in s.figures if f not in specs]
        if missing:
            raise PublishError(f"section {s.title!r} names figures not given: {missing}")
        parts.append(
            Part(s.title, s.intro, tuple(s.slugs), tuple(s.figures), s.outro, dict(s.placement))
        )
    placed = {x for p in parts for x in p.slugs}
    left = [slug for slug in by_slug if slug not in placed]
    if left:
        raise PublishError(f"derivations in no section: {', '.join(left)}")
    return parts


def _check_writable(out: Path) -> None:
    """OutputFolderError now, before verifying, if ``out`` could not be created or written."""
    import os

    if out.exists() and not out.is_dir():
        raise OutputFolderError(f"cannot write into {out}: it is not a folder")
    existing = out
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise OutputFolderError(f"cannot write into {out}: {existing} is not a writable folder")


def _verify(items: list[Derivation], strict: bool | None, echo) -> dict[str, Any]:
    reports = {}
    for d in items:
        try:
            report = d.verify(strict=strict)
        except DerivationError:
            echo(f"FAILED {d.slug}")
            raise
        reports[d.slug] = report
        echo(f"verified {d.slug}: {report.proven} proven, {report.numeric} numeric")
        for note in report.notes:
            echo(f"  note, {note}")
    return reports


def _write(items, reports, out, title, subtitle, parts, specs, name, pdf, echo) -> list[Path]:
    from numeric.figures.files import figure_bytes

    out.mkdir(parents=True, exist_ok=True)
    used = [f for p in parts for f in p.figures]
    # Drawn here, in this process: the figures call the user's own functions.
    drawings = {f: figure_bytes(specs[f]) for f in used}
    captions = {f: specs[f].caption for f in used}
    document = dict(title=title, subtitle=subtitle, parts=parts)
    names = (f"{name}.tex", f"{name}.md")
    written, _ = write_document(
        out, items, reports, document, drawings, captions, names=names, pdf=pdf, echo=echo,
        prune=False,  # the folder is the user's: images they put there stay
    )  # fmt: skip
    return written
