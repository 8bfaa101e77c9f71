r"""python -m derivations verify: exit 0 when equal, 1 when not (with the point), 2 when it cannot check."""

import subprocess
import sys

import pytest
from sympy import Derivative, Eq, Matrix, Symbol, symbols

from derivations import Derivation, define, sigmoid, step
from derivations.cli import main


def test_an_equal_formula_exits_zero(capsys):
    assert main(["verify", r"\frac{e^{-z}}{(1+e^{-z})^2}", "--against", "sigmoid-derivative"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "candidate: exp(-z)/(1 + exp(-z))**2"
    assert out[1] == "reference: (1 - sigmoid(z))*sigmoid(z)  (sigmoid-derivative)"
    assert out[2].startswith("equal: proven by SymPy")


def test_a_wrong_formula_exits_one_with_the_counterexample(capsys):
    assert main(["verify", "z*(1 - z)", "--against", "sigmoid-derivative"]) == 1
    verdict = capsys.readouterr().out.splitlines()[-1]
    assert verdict.startswith("NOT equal: at z = ")
    assert "candidate = " in verdict and "reference = " in verdict


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["x.__class__", "--against", "sigmoid-derivative"], "cannot read the formula: attribute"),
        (
            ["9**9**9**9", "--against", "sigmoid-derivative"],
            "cannot read the formula: the exponent",
        ),
        (["q", "--against", "sigmoid-derivative"], "unknown name 'q'; known symbols: z"),
        (["z", "--against", "no-such-slug"], "no derivation 'no-such-slug'; known slugs: "),
    ],
)
def test_what_cannot_be_checked_exits_two(capsys, argv, message):
    assert main(["verify", *argv]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


x, w, b, z = symbols("x w b z", real=True)  # once: see tests/test_check.py
a = Symbol("a", positive=True)


def _gradient() -> Derivation:
    return Derivation(
        "gradient",
        "A gradient",
        (
            define(z, w * x + b, "weighted input"),
            define(a, sigmoid(z), "output"),
            step(Derivative(a, w), a * (1 - a) * x, "chain rule"),
            step(Derivative(a, b), a * (1 - a), "chain rule"),
        ),
        result=Eq(
            Matrix([Derivative(a, w), Derivative(a, b)]), Matrix([a * (1 - a) * x, a * (1 - a)])
        ),
    )


def test_a_matrix_result_needs_a_component(capsys, monkeypatch):
    monkeypatch.setattr("derivations.cli.get", lambda slug: _gradient())
    assert main(["verify", "a*(1 - a)", "--against", "gradient", "--component", "1"]) == 0
    assert "(gradient, component 1)" in capsys.readouterr().out
    assert main(["verify", "a*(1 - a)", "--against", "gradient", "--component", "0"]) == 1
    capsys.readouterr()
    assert main(["verify", "a*(1 - a)", "--against", "gradient"]) == 2
    assert "has 2 components: pass --component N, N from 0 to 1" in capsys.readouterr().err
    assert main(["verify", "a", "--against", "gradient", "--component", "7"]) == 2
    assert "components 0 to 1, not 7" in capsys.readouterr().err


def test_syntax_can_be_forced(capsys):
    argv = ["verify", "e^{z}/(1+e^{z})", "--against", "sigmoid-two-forms"]
    assert main(argv) == 2
    assert "exclusive-or" in capsys.readouterr().err
    assert main([*argv, "--syntax", "latex"]) == 0


def test_the_module_runs_as_a_program_and_exits_with_the_status():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "derivations",
            "verify",
            "1 - sigmoid(-z)",
            "--against",
            "sigmoid-symmetry",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[-1].startswith("NOT equal: at z = ")


def test_the_other_commands_are_still_there(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("list", "show", "check", "build", "verify"):
        assert command in out
