"""Derivations as data: a slug, a title and an ordered sequence of steps.

A step is a claim ``lhs <relation> rhs`` with a short justification, or a
definition, substitution or assumption, labelled as such. ``then(...)``
continues a chain: it claims that the previous right-hand side equals (or is
bounded by) a new expression, and renders as ``&= ...`` under it. Only pure
SymPy objects live here; verification and rendering are separate modules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from sympy import (
    Basic,
    Eq,
    Float,
    Ge,
    Gt,
    Integer,
    Le,
    Lt,
    MatrixBase,
    MatrixSymbol,
    Ne,
    Set,
    Symbol,
    UnevaluatedExpr,
    default_sort_key,
)
from sympy.core.relational import Relational

from derivations.notation import Written

__all__ = [
    "Derivation",
    "Kind",
    "Step",
    "assume",
    "define",
    "step",
    "substitute",
    "then",
]

RELATIONS = ("=", "<=", "<", ">=", ">", "!=", "in")

# What a chain a = b <= c < d ... implies about its ends, by the relations it uses.
_CHAIN_RELATIONS = {
    frozenset(): Eq,
    frozenset({"<="}): Le,
    frozenset({"<"}): Lt,
    frozenset({"<=", "<"}): Lt,
    frozenset({">="}): Ge,
    frozenset({">"}): Gt,
    frozenset({">=", ">"}): Gt,
    frozenset({"!="}): Ne,
}


class Kind(StrEnum):
    """What a step is: a verified claim, or something taken as given."""

    CLAIM = "claim"
    DEFINITION = "definition"
    SUBSTITUTION = "substitution"
    ASSUMPTION = "assumption"


@dataclass(frozen=True)
class Step:
    """One line of a derivation.

    >>> from sympy import Symbol, exp
    >>> z = Symbol("z", real=True)
    >>> step(exp(z) * exp(-z), 1, "exponents add").kind
    <Kind.CLAIM: 'claim'>
    """

    lhs: Any
    rhs: Any
    why: str
    kind: Kind = Kind.CLAIM
    relation: str = "="
    continues: bool = False
    solve_for: Symbol | None = None
    numeric: str | None = None  # why only the numeric check is expected to confirm the claim

    def __post_init__(self):
        object.__setattr__(self, "lhs", as_sympy(self.lhs))
        object.__setattr__(self, "rhs", as_sympy(self.rhs))
        if self.relation not in RELATIONS:
            raise ValueError(f"relation must be one of {RELATIONS}, not {self.relation!r}")
        if self.relation == "in" and not isinstance(self.rhs, Set):
            raise TypeError("a step with relation 'in' needs a SymPy Set on the right")
        if self.kind in (Kind.DEFINITION, Kind.SUBSTITUTION) and not isinstance(self.lhs, Symbol):
            raise TypeError(f"a {self.kind} names a Symbol on the left, got {self.lhs!r}")
        if not isinstance(self.why, str) or not self.why.strip():
            raise ValueError("every step needs a justification (why)")
        if self.numeric is not None and (
            not isinstance(self.numeric, str) or not self.numeric.strip()
        ):
            raise ValueError("numeric= gives the reason SymPy cannot prove the claim: a text")
        if self.numeric is not None and self.kind is not Kind.CLAIM:
            raise ValueError(f"only a claim can be marked numeric, not a {self.kind}")

    @property
    def is_claim(self) -> bool:
        """True for a step whose relation the verifier must establish."""
        return self.kind is Kind.CLAIM


_CONTINUE = object()


def as_sympy(value: Any) -> Any:
    """SymPy numbers for Python numbers; strings are refused (the toolkit never parses them here).

    >>> as_sympy(2), as_sympy(0.5)
    (2, 0.500000000000000)
    """
    if value is _CONTINUE or isinstance(value, (Basic, MatrixBase)):
        return value
    if isinstance(value, str):
        raise TypeError(f"a step needs SymPy objects, not the string {value[:40]!r}")
    if isinstance(value, bool):
        raise TypeError("a step needs SymPy objects, not a bool")
    if isinstance(value, int):
        return Integer(value)
    if isinstance(value, float):
        return Float(value)
    return value


def step(lhs: Any, rhs: Any, why: str, relation: str = "=", *, numeric: str | None = None) -> Step:
    """A claim ``lhs <relation> rhs``, starting a new line of the form ``lhs &= rhs``.

    ``numeric="reason"`` marks a claim that only the numeric check is expected to
    confirm, with the reason SymPy cannot prove it; a strict verification
    (every catalog derivation) makes any other claim that SymPy does not prove an error.

    >>> from sympy import Symbol, acos, asin, pi
    >>> x = Symbol("x", real=True)
    >>> step(acos(x / 5) + asin(x / 5), pi / 2, "complementary angles",
    ...      numeric="SymPy does not combine acos and asin").numeric
    'SymPy does not combine acos and asin'
    """
    return Step(lhs, rhs, why, Kind.CLAIM, relation, numeric=numeric)


def then(rhs: Any, why: str, relation: str = "=", *, numeric: str | None = None) -> Step:
    """A claim that the previous right-hand side ``<relation>`` ``rhs`` (``numeric`` as in
    :func:`step`)."""
    return Step(_CONTINUE, rhs, why, Kind.CLAIM, relation, continues=True, numeric=numeric)


def define(name: Symbol, expr: Any, why: str = "definition") -> Step:
    """Introduce ``name := expr``; later steps may use ``name`` (and derivatives of it)."""
    return Step(name, expr, why, Kind.DEFINITION)


def substitute(name: Symbol, value: Any, why: str) -> Step:
    """Set ``name = value`` for the steps that follow (a special case, not the result)."""
    return Step(name, value, why, Kind.SUBSTITUTION)


def assume(
    lhs: Any, rhs: Any, why: str, relation: str = "=", solve_for: Symbol | None = None
) -> Step:
    """Take ``lhs <relation> rhs`` as given from here on, the stated result included.

    An equality is used by solving it for ``solve_for`` (by default ``lhs``
    when that is a symbol); an inequality restricts the points the numeric
    check samples; ``relation="in"`` with a finite set is checked case by case.
    """
    if relation == "=" and solve_for is None:
        if not isinstance(lhs, Symbol):
            raise TypeError(
                "an equality assumption needs solve_for= unless its left side is a Symbol"
            )
        solve_for = lhs
    return Step(lhs, rhs, why, Kind.ASSUMPTION, relation, solve_for=solve_for)


def _symbols_in(objects: Iterable[Any]) -> dict[str, Basic]:
    found: set[Basic] = set()
    for obj in objects:
        if isinstance(obj, Basic):
            found |= obj.atoms(Symbol, MatrixSymbol)
        elif isinstance(obj, MatrixBase):
            for entry in obj:
                found |= entry.atoms(Symbol, MatrixSymbol)
    named = sorted(found, key=default_sort_key)
    return {s.name: s for s in named if not s.name.startswith("_")}


@dataclass(frozen=True)
class Derivation:
    """A titled, ordered sequence of steps with a stated result.

    >>> from sympy import Symbol, exp
    >>> from derivations.functions import sigmoid
    >>> z = Symbol("z", real=True)
    >>> d = Derivation("two-forms", "Two forms", [
    ...     step(sigmoid(z), 1 / (1 + exp(-z)), "definition of the sigmoid"),
    ...     then(exp(z) / (exp(z) + 1), "multiply numerator and denominator by $e^{z}$"),
    ... ])
    >>> d.result
    Eq(sigmoid(z), exp(z)/(exp(z) + 1))
    >>> d.verify().proven
    3

    Steps are numbered as written, from 1, definitions and assumptions included
    (the document shows each as a line); the stated result is step 0. With
    ``strict=True`` (as every catalog derivation is), a claim not marked
    ``numeric=`` that SymPy does not prove, or a marked one that it does, is an
    error; otherwise it is a note in the report. ``numeric_result`` marks the
    stated result as :func:`step`'s ``numeric`` marks a step. ``shown_result`` is the
    result as written, for display; it is set from ``result`` (leave it out).
    """

    slug: str
    title: str
    steps: tuple[Step, ...]
    result: Any = None
    intro: str = ""
    reading: str = ""
    domains: Mapping[Symbol, Set] = field(default_factory=dict)
    strict: bool = False
    numeric_result: str | None = None
    shown_result: Any = field(default=None, repr=False, compare=False)
    # The report of the last successful verify(): what the notebook display marks.
    last_report: Any = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self):
        steps = tuple(self.steps)
        if self.numeric_result is not None and (
            not isinstance(self.numeric_result, str) or not self.numeric_result.strip()
        ):
            raise ValueError("numeric_result= gives the reason SymPy cannot prove it: a text")
        if not steps:
            raise ValueError(f"derivation {self.slug!r} has no steps")
        resolved: list[Step] = []
        previous_claim: Step | None = None
        for i, s in enumerate(steps, 1):
            if not isinstance(s, Step):
                raise TypeError(f"step {i} of {self.slug!r} is {type(s).__name__}, not a Step")
            if s.lhs is _CONTINUE:
                if previous_claim is None or resolved[-1] is not previous_claim:
                    raise ValueError(
                        f"step {i} of {self.slug!r} continues a chain, "
                        "but the step before it is not a claim"
                    )
                s = replace(s, lhs=previous_claim.rhs)
            if s.is_claim:
                previous_claim = s
            resolved.append(s)
        object.__setattr__(self, "steps", tuple(resolved))
        object.__setattr__(self, "domains", dict(self.domains))
        result = self._default_result() if self.result is None else self.result
        if not isinstance(result, Relational):
            raise TypeError(f"the result of {self.slug!r} must be a SymPy relation such as Eq")
        # The result is for users' code: canonical SymPy, whatever display form it was built in;
        # the document shows it as written. dataclasses.replace passes both back in, the result
        # canonical: the shown form is kept while it is that result as written.
        lhs, rhs = canonical(result.lhs), canonical(result.rhs)
        shown = self.shown_result
        if not (
            isinstance(shown, Relational)
            and shown.func == result.func
            and (result.lhs, result.rhs) == (lhs, rhs)
            and (canonical(shown.lhs), canonical(shown.rhs)) == (lhs, rhs)
        ):
            shown = result
        object.__setattr__(self, "shown_result", shown)
        object.__setattr__(self, "result", result.func(lhs, rhs, evaluate=False))

    def _default_result(self) -> Eq:
        claims = [i for i, s in enumerate(self.steps) if s.is_claim]
        if not claims:
            raise ValueError(f"derivation {self.slug!r} has no claim to take a result from")
        last = claims[-1]
        first = last
        while self.steps[first].continues:
            first -= 1
        if any(s.kind is Kind.SUBSTITUTION for s in self.steps[:first]):
            raise ValueError(
                f"derivation {self.slug!r} ends in a special case (after a substitution): "
                "state result="
            )
        chain = self.steps[first : last + 1]
        relations = {s.relation for s in chain} - {"="}
        combined = _CHAIN_RELATIONS.get(frozenset(relations))
        if combined is None or (relations == {"!="} and len(chain) > 1):
            raise ValueError(
                f"derivation {self.slug!r} ends in a chain that implies no single relation "
                f"({', '.join(sorted(relations))}): state result="
            )
        return combined(chain[0].lhs, chain[-1].rhs, evaluate=False)

    @property
    def symbols(self) -> dict[str, Basic]:
        """Every symbol used in the steps and the result, by name, in sorted order."""
        objects: list[Any] = [self.result.lhs, self.result.rhs]
        for s in self.steps:
            objects += [s.lhs, s.rhs]
        return _symbols_in(objects)

    def verify(self, **options):
        """Verify every step; return a report or raise :class:`DerivationError`.

        Options: ``points`` (numeric points per claim) and ``strict`` (None: this
        derivation's ``strict``), see :func:`derivations.verify.verify`.
        """
        report = implementation("verify")(self, **options)
        object.__setattr__(self, "last_report", report)
        return report

    def to_latex(self, report=None) -> str:
        """The steps as an ``align*`` block (status marks when a report is given)."""
        return implementation("latex")(self, report)

    def to_markdown(self, report=None) -> str:
        """The steps as a fenced ``math`` block, which GitHub renders verbatim."""
        return implementation("markdown")(self, report)

    def _repr_latex_(self) -> str:
        # The title above the steps, and the proof marks once verify() has run.
        return implementation("display_latex")(self, self.last_report)

    def __repr__(self) -> str:
        return f"<Derivation {self.slug!r}: {self.title}, {len(self.steps)} steps>"


# The layers above the model (verification, rendering) register what the convenience
# methods of Derivation call, when they are imported; ``import derivations`` imports them.
# So the model imports nothing above it, not even inside a function.
_IMPLEMENTATIONS: dict[str, Callable[..., Any]] = {}


def implement(name: str, function: Callable[..., Any]) -> None:
    """Register ``function`` as the implementation of ``name`` ("verify", "latex", ...).

    Called by the modules that provide it, at import.
    """
    _IMPLEMENTATIONS[name] = function


def implementation(name: str) -> Callable[..., Any]:
    """The registered implementation of ``name``.

    >>> implementation("verify").__module__
    'derivations.verify'
    """
    try:
        return _IMPLEMENTATIONS[name]
    except KeyError:
        raise LookupError(
            f"nothing provides {name!r}: import derivations (it loads verification and "
            "rendering) before calling it"
        ) from None


def canonical(expr: Any) -> Any:
    """Rebuild ``expr`` with evaluation on, undoing display forms.

    The forms of :mod:`derivations.notation` become their values, an ``UnevaluatedExpr``
    its argument. Derivatives stay unevaluated (their constructor does not evaluate).

    >>> from sympy import Mul, Symbol
    >>> x = Symbol("x")
    >>> canonical(Mul(x, 2, evaluate=False))
    2*x
    """
    if isinstance(expr, MatrixBase):
        return expr.applyfunc(canonical)
    if not isinstance(expr, Basic) or not expr.args:
        return expr
    if isinstance(expr, (UnevaluatedExpr, Written)):
        return canonical(expr.args[0])
    args = [canonical(a) for a in expr.args]
    return expr.func(*args)
