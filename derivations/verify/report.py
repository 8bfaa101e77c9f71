"""Report types of verification: counterexamples, claim checks, step and derivation reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import mpmath

from derivations.engine import implementation


@dataclass(frozen=True)
class Counterexample:
    """A point where the two sides of a claim (or a candidate and a reference) differ.

    ``point`` maps symbol names to values; ``lhs`` and ``rhs`` are the two
    values there, None where that side is not a real number (log of a negative,
    say) and the string "overflow" where it was too large to compute.
    ``labels`` name the two sides in the message; ``candidate`` and
    ``reference`` are the same values under the checker's names.
    """

    point: dict[str, Any]
    lhs: Any
    rhs: Any
    labels: tuple[str, str] = ("left side", "right side")

    @property
    def candidate(self) -> Any:
        """The first value (the candidate's, in :mod:`derivations.check`)."""
        return self.lhs

    @property
    def reference(self) -> Any:
        """The second value (the reference's, in :mod:`derivations.check`)."""
        return self.rhs

    def __str__(self) -> str:
        where = ", ".join(f"{k} = {format_value(v)}" for k, v in self.point.items()) or "any point"
        (first, second), left, right = self.labels, format_value(self.lhs), format_value(self.rhs)
        return f"at {where}: {first} = {left}, {second} = {right}"


@dataclass(frozen=True)
class ClaimCheck:
    """The outcome of checking one claim."""

    holds: bool
    proven: bool
    method: str
    points: int
    counterexample: Counterexample | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class StepReport:
    """How one step (index 0 is the stated result) was established."""

    index: int
    kind: str
    status: str  # "proven", "numeric" or "given"
    method: str
    points: int = 0
    seconds: float = 0.0
    note: str = ""  # what the author should know: an unmarked numeric claim, a stale mark ...

    @property
    def mark(self) -> str:
        """One letter: S proven symbolically, N checked numerically, - taken as given."""
        return {"proven": "S", "numeric": "N"}.get(self.status, "-")


@dataclass(frozen=True)
class VerificationReport:
    """Per-step outcome of verifying a derivation."""

    slug: str
    title: str
    steps: tuple[StepReport, ...]
    result: StepReport
    seconds: float

    @property
    def proven(self) -> int:
        """Claims (steps and the result) that SymPy proved."""
        return sum(r.status == "proven" for r in (*self.steps, self.result))

    @property
    def numeric(self) -> int:
        """Claims that only the numeric check confirmed."""
        return sum(r.status == "numeric" for r in (*self.steps, self.result))

    @property
    def given(self) -> int:
        """Definitions, substitutions and assumptions (not claims)."""
        return sum(r.status == "given" for r in self.steps)

    @property
    def notes(self) -> list[str]:
        """The notes of the steps and the result, each as "step N: note"."""
        return [
            f"{'the result' if r.index == 0 else f'step {r.index}'}: {r.note}"
            for r in (*self.steps, self.result)
            if r.note
        ]

    def step(self, index: int) -> StepReport:
        """The report of step ``index`` (1-based; 0 is the result)."""
        return self.result if index == 0 else self.steps[index - 1]

    def table(self) -> str:
        """A plain-text table, one line per step."""
        lines = [f"{self.slug}: {self.title}"]
        for r in (*self.steps, self.result):
            label = "result" if r.index == 0 else f"step {r.index}"
            lines.append(f"  {label:>8}  {r.status:<8} {r.kind:<12} {r.method}")
        lines.append(
            f"  {self.proven} proven, {self.numeric} checked numerically, "
            f"{self.given} given, {self.seconds:.2f} s"
        )
        lines += [f"  note, {note}" for note in self.notes]
        return "\n".join(lines)

    __str__ = table

    def _repr_markdown_(self) -> str:
        return implementation("report_markdown")(self)

    def _repr_latex_(self) -> str:
        return implementation("report_latex")(self)


@dataclass(frozen=True)
class Failure:
    """One failing claim of a derivation: where, what, and why it fails.

    ``step`` is numbered as the author wrote the steps, definitions included (0
    for the stated result); ``why`` is the step's justification; ``verdict``
    says what is wrong ("does not hold", "is not proven", ...) and ``detail``
    gives the evidence: the point, both sides and their difference.
    """

    step: int
    why: str
    claim: str
    verdict: str
    detail: str
    counterexample: Counterexample | None = None

    def __str__(self) -> str:
        where = "the stated result" if self.step == 0 else f"step {self.step}"
        why = f" (justification: {self.why})" if self.why else ""
        return f"{where} {self.verdict}: {self.claim}{why}; {self.detail}"


def format_value(value: Any) -> str:
    """A value as a counterexample shows it: 15 significant digits."""
    if value is None:
        return "not a real number"
    if isinstance(value, (mpmath.mpf, mpmath.mpc)):
        return mpmath.nstr(value, 15)
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)
