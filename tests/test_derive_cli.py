"""python -m derivations derive: the derivation, verified, in each format; exit 2 on bad input."""

from __future__ import annotations

import subprocess
import sys

import pytest

from derivations.cli import main

NEURON = ["--through", "z=w*x + b", "--through", "a=sigmoid(z)"]
BCE = "-(y*log(a) + (1 - y)*log(1 - a))"


def test_text_shows_every_line_verified_and_the_result(capsys):
    assert main(["derive", BCE, "--wrt", "w", "--wrt", "b", *NEURON]) == 0
    out = capsys.readouterr().out
    assert "chain rule: $C$ depends on $z$ only through $a$ (proven" in out
    assert "result: Eq(Matrix([" in out and "x*(a - y)" in out
    assert "numeric" not in out.split("result:")[0].replace("(given", "")


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("latex", r"\begin{align*}"),
        ("markdown", "\\begin{aligned}"),
    ],
)
def test_latex_and_markdown_as_the_document_shows_them(capsys, fmt, expected):
    assert main(["derive", "(a - y)**2/2", "--wrt", "w", *NEURON, "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert expected in out
    assert r"\mathsf{S}" in out and "sigmoid-derivative" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x^2", "--wrt", "x"], "exclusive-or"),
        (["abs(x)*x", "--wrt", "x"], "Abs is not differentiable"),
        (["a", "--wrt", "x", "--through", "a=b*x", "--through", "b=a"], "cycle"),
        (["x", "--wrt", "x", "--through", "z"], "NAME=FORMULA"),
        (["x", "--wrt", "x", "--through", "z=x", "--through", "z=2"], "twice"),
        (["9**9**9**9", "--wrt", "x"], "too large"),
        (["x.__class__", "--wrt", "x"], "attribute access"),
    ],
)
def test_unreadable_input_exits_2_with_one_line(capsys, args, message):
    assert main(["derive", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], captured.err


def test_the_module_runs_as_a_command():
    run = subprocess.run(
        [sys.executable, "-m", "derivations", "derive", "x**2", "--wrt", "x"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "power rule" in run.stdout and "result: Eq(Derivative(x**2, x), 2*x)" in run.stdout
    run = subprocess.run(
        [sys.executable, "-m", "derivations", "derive", "foo(x)", "--wrt", "x"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.count("\n") == 1 and "unknown function 'foo'" in run.stderr
