"""The command line, end to end: list, show, check, build, errors and help."""

import os
import subprocess
import sys

import pytest

from derivations.catalog import catalog
from derivations.cli import main


def test_list_prints_every_slug_with_its_title(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for slug, d in catalog().items():
        assert f"{slug:<40} {d.title}" in out


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("latex", r"\begin{align*}"),
        ("markdown", r"\begin{aligned}"),
        ("text", "[1] sigmoid(-z) = 1/(exp(z) + 1)"),
    ],
)
def test_show_in_each_format(capsys, fmt, expected):
    assert main(["show", "sigmoid-symmetry", "--format", fmt]) == 0
    assert expected in capsys.readouterr().out


def test_show_latex_is_exactly_the_documents_block(capsys):
    from derivations.catalog import get
    from derivations.document import derivation_block_latex

    d = get("derivative-from-output")
    main(["show", "derivative-from-output", "--format", "latex"])
    assert capsys.readouterr().out == derivation_block_latex(d, d.verify()) + "\n"


def test_check_prints_a_table_and_exits_zero(capsys):
    assert main(["check", "sigmoid-two-forms", "sigmoid-symmetry"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["derivation", "steps", "proven", "numeric", "seconds"]
    assert lines[1].split()[:4] == ["sigmoid-two-forms", "3", "4", "0"]
    assert lines[-1].startswith("2 derivations, all verified")


def test_check_exits_one_when_a_derivation_fails(capsys, monkeypatch):
    from sympy import Symbol, exp

    from derivations import Derivation, sigmoid, step

    z = Symbol("z", real=True)
    broken = Derivation("broken", "Broken", [step(sigmoid(z), 1 / (1 + exp(z)), "sign slip")])
    monkeypatch.setattr("derivations.cli.catalog", lambda: {"broken": broken})
    monkeypatch.setattr("derivations.cli.get", lambda slug: broken)
    monkeypatch.setattr("derivations.runner.get", lambda slug: broken)
    assert main(["check", "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    assert "broken" in out and "FAILED" in out and "step 1 does not hold" in out


def test_parallel_check_reports_in_catalog_order(capsys):
    slugs = ["sigmoid-tanh", "sigmoid-two-forms", "logit-inverse"]
    assert main(["check", "--jobs", "2", *slugs]) == 0
    lines = capsys.readouterr().out.splitlines()[1:-1]
    assert [line.split()[0] for line in lines] == slugs


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux")
def test_a_failure_in_a_worker_process_is_reported(capsys, monkeypatch):
    # A derivation that fails its verification inside a worker process: the error
    # crosses the process boundary (pickled) with its slug and step, and the other
    # derivation, verified in the other worker, still passes.
    from concurrent.futures import ProcessPoolExecutor

    from sympy import Symbol, exp

    from derivations import Derivation, DerivationError, sigmoid, step
    from derivations.catalog import get
    from derivations.runner import verify_many

    z = Symbol("z", real=True)
    broken = Derivation("broken", "Broken", [step(sigmoid(z), 1 / (1 + exp(z)), "sign slip")])
    table = {"sigmoid-two-forms": get("sigmoid-two-forms"), "broken": broken}
    monkeypatch.setattr("derivations.cli.catalog", lambda: table)
    monkeypatch.setattr("derivations.cli.get", table.__getitem__)
    monkeypatch.setattr("derivations.runner.get", table.__getitem__)  # forked workers see it
    pools = []

    class CountedPool(ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pools.append(self)

    monkeypatch.setattr("derivations.runner.ProcessPoolExecutor", CountedPool)
    assert main(["check", "--jobs", "2", "sigmoid-two-forms", "broken"]) == 1
    assert len(pools) == 1  # verified in worker processes, not in this one
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split()[:4] == ["sigmoid-two-forms", "3", "4", "0"]
    assert lines[2].startswith("broken") and "FAILED: " in lines[2]
    failure = "\n".join(lines[2:-1])  # the failing steps follow, indented
    assert "step 1" in failure and "sign slip" in failure, failure
    assert lines[-1].startswith("2 derivations, 1 FAILED")
    outcomes = dict(verify_many(["sigmoid-two-forms", "broken"], jobs=2))
    assert len(pools) == 2
    error = outcomes["broken"]
    assert isinstance(error, DerivationError) and (error.slug, error.step) == ("broken", 1)


def test_unknown_slug_is_a_clear_error():
    with pytest.raises(SystemExit, match="no derivation 'nope'; known slugs: sigmoid-two-forms"):
        main(["show", "nope"])
    with pytest.raises(SystemExit, match="no derivation 'nope'"):
        main(["check", "sigmoid-two-forms", "nope"])


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["show"], ["show", "x", "--format", "pdf"]])
def test_bad_arguments_exit_with_status_two(argv, capsys):
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert "usage: derivations" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["list", "show", "check", "build"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as caught:
        main([command, "--help"])
    assert caught.value.code == 0
    assert "usage: derivations " + command in capsys.readouterr().out


def test_an_output_folder_that_is_a_file_fails_at_once_with_status_two(
    tmp_path, capsys, monkeypatch
):
    def verify_all(*args, **kwargs):
        raise AssertionError("verified before checking --out")

    monkeypatch.setattr("derivations.build.verify_all", verify_all)
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    for out in (a_file, a_file / "docs"):
        assert main(["build", "--out", str(out)]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.startswith(f"derivations: error: --out: cannot write into {out}: ")
        assert captured.err.count("\n") == 1


@pytest.mark.parametrize("command", [["list"], ["check", "sigmoid-two-forms", "sigmoid-tanh"]])
def test_a_closed_pipe_ends_the_command_quietly(command):
    # `derivations list | head -1`: the reader is gone before the output is written.
    # Its end of the pipe is closed before the command starts, so every write fails.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        run = subprocess.run(
            [sys.executable, "-m", "derivations", *command],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
        )
    finally:
        os.close(write_end)
    assert run.stderr == ""
    assert run.returncode == 1  # what Python's documentation recommends for EPIPE


def test_python_dash_m_runs_the_cli():
    run = subprocess.run(
        [sys.executable, "-m", "derivations", "show", "sigmoid-tanh", "--format", "text"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("The sigmoid and tanh")


def test_the_generated_gradients_are_slugs_of_check_and_show(capsys):
    # check prints a row for each gradient the toolkit derives itself; the same slugs work
    # as arguments of check and show.
    assert main(["check", "generated-bce-gradient"]) == 0
    rows = capsys.readouterr().out.splitlines()
    slug, _steps, proven, numeric, _seconds = rows[1].split()
    assert slug == "generated-bce-gradient" and int(proven) > 0 and numeric == "0"
    assert main(["show", "generated-bce-gradient", "--format", "text"]) == 0
    assert "the hand-written result of bce-gradient" in capsys.readouterr().out
