"""The command line: ``python -m derivations [--module M] {list,show,check,build,verify,derive}``.

With ``--module M`` (an importable module or a ``.py`` file whose ``derivations()`` returns
a list of derivations, see ``derivations.user``), the commands work on those derivations
instead of the built-in catalog; ``verify --against SLUG`` looks in both.

Also installed as the ``derivations`` console script. Exit status: 0 success,
1 failure (a derivation or the build failed), 2 bad usage (arguments, an output
folder that cannot be written), 143 stopped by SIGTERM.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from itertools import chain

from sympy import sstr

from derivations.book import GENERATED
from derivations.catalog import catalog, get
from derivations.derive_catalog import for_document
from derivations.errors import DerivationsError
from derivations.publishing import PublishError
from derivations.runner import verify_many

__all__ = ["main"]


def _derivations(args: argparse.Namespace) -> dict:
    """The derivations the command works on: the user's module's, or the catalog."""
    if args.module is None:
        return catalog()
    from derivations.user import derivations_of

    return derivations_of(args.module)


def _derivation_or_exit(slug: str, module: str | None = None):
    from derivations.user import resolve

    if module is None and slug.startswith("generated-") and slug[10:] in GENERATED:
        return for_document(slug[10:])  # a gradient the toolkit derives itself
    try:
        return resolve(slug, module) if module is not None else get(slug)
    except KeyError as error:
        raise SystemExit(f"derivations: error: {error.args[0]}") from None


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _list(args: argparse.Namespace) -> int:
    for slug, d in _derivations(args).items():
        print(f"{slug:<40} {d.title}")
    return 0


def _text(d, report) -> str:
    lines = [d.title, "=" * len(d.title)]
    for i, s in enumerate(d.steps, 1):
        status = report.step(i).status
        left = "  ..." if s.continues else sstr(s.lhs)
        relation = ":=" if str(s.kind) == "definition" else s.relation
        lines.append(f"[{i}] {left} {relation} {sstr(s.rhs)}")
        lines.append(f"      {s.why} ({status}: {report.step(i).method})")
    lines.append(f"result: {d.result}  ({report.result.status})")
    return "\n".join(lines)


def _print(d, report, format: str) -> None:
    """A verified derivation as ``show`` and ``derive`` print it: latex, markdown or text."""
    from derivations.document import derivation_block_latex, derivation_block_markdown

    if format == "latex":
        print(derivation_block_latex(d, report))
    elif format == "markdown":
        print(derivation_block_markdown(d, report))
    else:
        print(_text(d, report))


def _show(args: argparse.Namespace) -> int:

    d = _derivation_or_exit(args.slug, args.module)
    report = d.verify()
    _print(d, report, args.format)
    return 0


def _check(args: argparse.Namespace) -> int:
    derivations = _derivations(args)
    # The gradients the document shows derived by the toolkit itself (generated-SLUG): all of
    # them by default, or those named; their seconds are generation and verification together.
    generated = {f"generated-{slug}": slug for slug in GENERATED} if args.module is None else {}
    if args.slugs:
        generated = {g: slug for g, slug in generated.items() if g in args.slugs}
    slugs = [s for s in args.slugs if s not in generated] if args.slugs else list(derivations)
    for slug in slugs:
        if slug not in derivations:
            _derivation_or_exit(slug, args.module)  # exits, naming the known slugs
            raise SystemExit(f"derivations: error: {slug!r} is not in {args.module}")
    start = time.perf_counter()
    failures = 0
    print(f"{'derivation':<40} {'steps':>5} {'proven':>6} {'numeric':>7} {'seconds':>8}")
    if args.module is None:
        verified = verify_many(slugs, args.jobs)
    else:  # the user's derivations, in this process (leniently, unless they are strict)
        verified = ((slug, _outcome(derivations[slug])) for slug in slugs)
    slugs = [*slugs, *generated]
    derivations, seconds = dict(derivations), {}
    extra = _generate_and_verify(generated.values(), derivations, seconds)
    with closing(verified) as outcomes:
        for slug, report in chain(outcomes, extra):
            d = derivations[slug]
            if isinstance(report, DerivationsError):
                failures += 1
                first, *rest = str(report).splitlines()
                print(f"{slug:<40} FAILED: {first}")
                for line in rest:  # every failing step, indented under its derivation
                    print(f"    {line}")
                continue
            print(
                f"{slug:<40} {len(d.steps):>5} {report.proven:>6} {report.numeric:>7} "
                f"{seconds.get(slug, report.seconds):>8.2f}"
            )
    verdict = "all verified" if not failures else f"{failures} FAILED"
    print(f"{len(slugs)} derivations, {verdict}, {time.perf_counter() - start:.1f} s")
    return 1 if failures else 0


def _generate_and_verify(slugs, derivations: dict, seconds: dict):
    """Generate each catalog gradient's derivation, verify it; the seconds count both."""
    for slug in slugs:
        start = time.perf_counter()
        d = for_document(slug)
        derivations[d.slug] = d
        outcome = _outcome(d)
        seconds[d.slug] = time.perf_counter() - start
        yield d.slug, outcome


def _outcome(d):
    try:
        return d.verify()
    except DerivationsError as error:
        return error


def _publish(args: argparse.Namespace) -> None:
    from derivations.publishing import publish
    from derivations.user import derivations_of, load

    module = load(args.module)
    optional = {
        "sections": getattr(module, "sections", None),
        "figures": getattr(module, "figures", None),
    }
    publish(
        list(derivations_of(args.module).values()),
        args.out,
        title=getattr(module, "TITLE", "Derivations"),
        subtitle=getattr(module, "SUBTITLE", ""),
        pdf=False if args.no_pdf else None,
        **{k: f() for k, f in optional.items() if callable(f)},
    )


def _build(args: argparse.Namespace) -> int:
    from derivations.build import OutputFolderError, build

    try:
        if args.module is not None:
            _publish(args)
        else:
            build(args.out, pdf=not args.no_pdf, jobs=args.jobs)
    except OutputFolderError as error:
        print(f"derivations: error: --out: {error}", file=sys.stderr)
        return 2
    except PublishError:
        raise  # bad input, not a failed build: main() exits 2
    except (DerivationsError, OSError) as error:
        print(f"derivations: build failed: {error}", file=sys.stderr)
        return 1
    return 0


def _verify(args: argparse.Namespace) -> int:
    # Exit 0: equal; 1: not equal (the counterexample is printed); 2: the formula, the slug or
    # the component cannot be used; 3: undecided (out of time, or a value overflowed).
    from derivations import check
    from derivations.user import resolve

    try:
        reference = get(args.against) if args.module is None else resolve(args.against, args.module)
    except KeyError as error:
        print(f"derivations: error: {error.args[0]}", file=sys.stderr)
        return 2
    result = reference.result.rhs
    if args.component is None and getattr(result, "is_Matrix", False):
        print(
            f"derivations: error: the result of {args.against!r} has {len(result)} components: "
            f"pass --component N, N from 0 to {len(result) - 1}",
            file=sys.stderr,
        )
        return 2
    try:
        verdict = check.equivalent(
            args.expr,
            reference,
            component=args.component,
            syntax=args.syntax,
            time_limit=args.time_limit,
        )
    except check.ParseError as error:
        print(f"derivations: cannot read the formula: {_one_line(error)}", file=sys.stderr)
        return 2
    except check.Undecided as error:
        print(f"derivations: undecided: {_one_line(error)}", file=sys.stderr)
        return 3
    except (ValueError, TypeError, DerivationsError) as error:
        print(f"derivations: error: {_one_line(error)}", file=sys.stderr)
        return 2
    which = f", component {args.component}" if args.component is not None else ""
    print(f"candidate: {sstr(verdict.candidate)}")
    print(f"reference: {sstr(verdict.reference)}  ({args.against}{which})")
    print(verdict)
    return 0 if verdict.equal else 1


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive, finite number, got {text}")
    return value


def _derive(args: argparse.Namespace) -> int:
    # Exit 0: the derivation, verified; 2: the formula or an argument cannot be used.
    from derivations.derive import differentiate
    from derivations.errors import DerivationError

    through: dict[str, str] = {}
    for item in args.through:
        name, equals, formula = item.partition("=")
        name = name.strip()
        if not equals or not name.isidentifier() or not formula.strip():
            print(f"derivations: --through needs NAME=FORMULA, not {item!r}", file=sys.stderr)
            return 2
        if name in through:
            print(f"derivations: --through defines {name} twice", file=sys.stderr)
            return 2
        through[name] = formula
    wrt = args.wrt[0] if len(args.wrt) == 1 else args.wrt
    try:
        d = differentiate(args.expr, wrt, through=through or None)
        report = d.verify()
    except DerivationError as error:
        print(f"derivations: a generated line failed its verification: {error}", file=sys.stderr)
        return 1
    except (DerivationsError, ValueError, TypeError) as error:
        print(f"derivations: cannot derive: {error}", file=sys.stderr)
        return 2
    _print(d, report, args.format)
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser of the command line.

    Long because it declares every subcommand and option in one place, as argparse reads
    best: the help text a user sees is this function, top to bottom.
    """
    p = argparse.ArgumentParser(
        prog="derivations",
        description="Verified derivations about the logistic sigmoid and its gradients.",
    )
    p.add_argument(
        "--module",
        metavar="MODULE",
        help="your own derivations: an importable module or a .py file whose derivations() "
        "returns them (default: the built-in catalog)",
    )
    commands = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    c = commands.add_parser("list", help="list every derivation: slug and title")
    c.set_defaults(run=_list)
    c = commands.add_parser("show", help="verify one derivation and print it")
    c.add_argument("slug", help="the derivation's slug (see: list)")
    c.add_argument(
        "--format",
        choices=("latex", "markdown", "text"),
        default="text",
        help="latex: exactly what the document contains; markdown: as on GitHub; "
        "text: plain (default)",
    )
    c.set_defaults(run=_show)
    c = commands.add_parser(
        "check", help="verify derivations (all by default); exit 1 if any step fails"
    )
    c.add_argument("slugs", nargs="*", metavar="SLUG", help="derivations to verify")
    c.add_argument(
        "--jobs", type=_positive, metavar="N", help="worker processes (default: all cores)"
    )
    c.set_defaults(run=_check)
    c = commands.add_parser(
        "build", help="verify everything and write the LaTeX, PDF, Markdown and figures"
    )
    c.add_argument("--out", default="docs", help="output folder (default: docs)")
    c.add_argument("--no-pdf", action="store_true", help="do not run pdflatex")
    c.add_argument(
        "--jobs", type=_positive, metavar="N", help="worker processes (default: all cores)"
    )
    c.set_defaults(run=_build)
    c = commands.add_parser(
        "verify",
        help="check a formula of yours against a derivation's result; "
        "exit 0 if equal, 1 if not, 2 if it cannot be read, 3 if undecided in the time limit",
    )
    c.add_argument("expr", metavar="EXPR", help='Python syntax or LaTeX, e.g. "(a - y)*x"')
    c.add_argument("--against", required=True, metavar="SLUG", help="the derivation (see: list)")
    c.add_argument("--component", type=int, metavar="N", help="entry N (from 0) of a matrix result")
    c.add_argument(
        "--syntax",
        choices=("auto", "python", "latex"),
        default="auto",
        help="how to read EXPR (auto: LaTeX if it has a backslash)",
    )
    c.add_argument(
        "--time-limit",
        type=_seconds,
        default=8.0,
        metavar="SECONDS",
        help="give up (exit 3) after this long (default: 8)",
    )
    c.set_defaults(run=_verify)
    c = commands.add_parser(
        "derive",
        help="derive a derivative or gradient rule by rule, every line verified; "
        "exit 2 if the formula cannot be read",
    )
    c.add_argument("expr", metavar="EXPR", help='Python syntax or LaTeX, e.g. "(a - y)**2/2"')
    c.add_argument(
        "--wrt",
        action="append",
        required=True,
        metavar="NAME",
        help="a variable (repeat it for a gradient)",
    )
    c.add_argument(
        "--through",
        action="append",
        default=[],
        metavar="NAME=FORMULA",
        help='an intermediate, inputs first (repeatable), e.g. --through "z=w*x + b"',
    )
    c.add_argument(
        "--format",
        choices=("latex", "markdown", "text"),
        default="text",
        help="latex: as the document shows it; markdown: as on GitHub; text: plain (default)",
    )
    c.set_defaults(run=_derive)
    return p


@contextmanager
def _sigterm_raises_system_exit() -> Iterator[None]:
    """While in the block, SIGTERM raises SystemExit(143) in the main thread.

    SIGTERM's default action ends the process on the spot; as an exception it
    unwinds like Ctrl-C, so that ``finally`` blocks and context managers stop the
    worker processes, kill pdflatex and remove temporary files and folders.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return

    def _raise(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, _raise)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
    with _sigterm_raises_system_exit():
        try:
            status = args.run(args)
            sys.stdout.flush()  # a closed pipe shows here, not at exit
        except PublishError as error:  # the user's module or list: one line, exit 2
            print(f"derivations: error: {error}", file=sys.stderr)
            return 2
        except BrokenPipeError:
            # The reader went away (`derivations list | head -1`). As the Python docs
            # recommend, point stdout at devnull so that the flush at exit cannot fail
            # again, and exit 1 without a traceback.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
    return status
