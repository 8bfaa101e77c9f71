"""The command line: ``python -m derivations {list,show,check,build,verify}``.

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

from sympy import sstr

from derivations.catalog import catalog, get
from derivations.errors import DerivationsError
from derivations.runner import verify_many

__all__ = ["main"]


def _derivation_or_exit(slug: str):
    try:
        return get(slug)
    except KeyError as error:
        raise SystemExit(f"derivations: error: {error.args[0]}") from None


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _list(args: argparse.Namespace) -> int:
    for slug, d in catalog().items():
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


def _show(args: argparse.Namespace) -> int:
    from derivations.document import derivation_block_latex, derivation_block_markdown

    d = _derivation_or_exit(args.slug)
    report = d.verify()
    if args.format == "latex":
        print(derivation_block_latex(d, report))
    elif args.format == "markdown":
        print(derivation_block_markdown(d, report))
    else:
        print(_text(d, report))
    return 0


def _check(args: argparse.Namespace) -> int:
    derivations = catalog()
    slugs = args.slugs or list(derivations)
    for slug in slugs:
        _derivation_or_exit(slug)
    start = time.perf_counter()
    failures = 0
    print(f"{'derivation':<40} {'steps':>5} {'proven':>6} {'numeric':>7} {'seconds':>8}")
    with closing(verify_many(slugs, args.jobs)) as outcomes:
        for slug, report in outcomes:
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
                f"{report.seconds:>8.2f}"
            )
    verdict = "all verified" if not failures else f"{failures} FAILED"
    print(f"{len(slugs)} derivations, {verdict}, {time.perf_counter() - start:.1f} s")
    return 1 if failures else 0


def _build(args: argparse.Namespace) -> int:
    from derivations.build import OutputFolderError, build

    try:
        build(args.out, pdf=not args.no_pdf, jobs=args.jobs)
    except OutputFolderError as error:
        print(f"derivations: error: --out: {error}", file=sys.stderr)
        return 2
    except (DerivationsError, OSError) as error:
        print(f"derivations: build failed: {error}", file=sys.stderr)
        return 1
    return 0


def _verify(args: argparse.Namespace) -> int:
    # Exit 0: equal; 1: not equal (the counterexample is printed); 2: the formula, the slug or
    # the component cannot be used; 3: undecided (out of time, or a value overflowed).
    from derivations import check

    try:
        reference = get(args.against)
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


def parser() -> argparse.ArgumentParser:
    """The argument parser of the command line."""
    p = argparse.ArgumentParser(
        prog="derivations",
        description="Verified derivations about the logistic sigmoid and its gradients.",
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
        except BrokenPipeError:
            # The reader went away (`derivations list | head -1`). As the Python docs
            # recommend, point stdout at devnull so that the flush at exit cannot fail
            # again, and exit 1 without a traceback.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
    return status
