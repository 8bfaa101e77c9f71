"""Publishing your own derivations: derivations.publish and ``python -m derivations --module``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sympy import Derivative, Symbol, acos, asin, exp, log, pi

from derivations import Derivation, DerivationError, sigmoid, step, then
from derivations.build import BuildError, OutputFolderError
from derivations.document import Part
from derivations.publishing import PublishError, publish
from numeric.figures import FigureSpec
from numeric.figures.style import new_figure

z = Symbol("z", real=True)
x = Symbol("x", real=True)
QUIET = {"echo": lambda line: None}


def softplus_slope() -> Derivation:
    return Derivation(
        "softplus-slope",
        "The slope of the softplus",
        [
            step(Derivative(log(1 + exp(z)), z), exp(z) / (1 + exp(z)), "chain rule"),
            then(sigmoid(z), "the sigmoid's second form"),
        ],
    )


def angles() -> Derivation:
    # SymPy does not combine acos and asin: only the numeric check confirms this claim.
    return Derivation(
        "angles", "Complementary angles", [step(acos(x / 5) + asin(x / 5), pi / 2, "identity")]
    )


def _curve() -> FigureSpec:
    def draw():
        fig, axes = new_figure()
        axes[0, 0].plot([0, 1, 2], [0, 1, 4], label="x^2")
        return fig

    return FigureSpec("curve", "A parabola.", draw)


def test_publish_writes_the_document_deterministically(tmp_path):
    parts = [Part("Mine", "Two results.", ("softplus-slope", "angles"), ("curve",))]
    kwargs = dict(title="My notes", sections=parts, figures=[_curve()], pdf=False, **QUIET)
    first = publish([softplus_slope(), angles()], tmp_path / "a", **kwargs)
    publish([softplus_slope(), angles()], tmp_path / "b", **kwargs)
    names = sorted(str(p.relative_to(tmp_path / "a")) for p in first.files)
    assert names == ["derivations.md", "derivations.tex", "figures/curve.png", "figures/curve.svg"]
    for name in names:  # the same bytes on every run
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    tex = (tmp_path / "a" / "derivations.tex").read_text()
    assert r"\title{My notes}" in tex and r"\section{Mine}" in tex and "figures/curve" in tex
    markdown = (tmp_path / "a" / "derivations.md").read_text()
    assert '<a id="softplus-slope"></a>' in markdown and "figures/curve.svg" in markdown
    # lenient by default: the claim only mpmath confirms (and so the result) gets the N mark
    assert first.numeric == 2 and r"\mathsf{N}" in markdown
    mode = 0o666 & ~_umask()
    assert all(p.stat().st_mode & 0o777 == mode for p in first.files)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_publish_builds_the_same_pdf_twice(tmp_path):
    for folder in ("a", "b"):
        publish([softplus_slope()], tmp_path / folder, title="Mine", **QUIET)
    pdf = (tmp_path / "a" / "derivations.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf == (tmp_path / "b" / "derivations.pdf").read_bytes()


def test_a_missing_pdflatex_is_said(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    lines = []
    publish([softplus_slope()], tmp_path / "out", echo=lines.append)
    assert any("pdflatex not found" in line for line in lines)
    with pytest.raises(BuildError, match="pdflatex not found"):
        publish([softplus_slope()], tmp_path / "new", pdf=True, **QUIET)
    assert not (tmp_path / "new").exists()


WRONG = Derivation(
    "wrong", "Wrong", [step(exp(z) * exp(z), exp(z**2), "exponents multiply, wrongly")]
)


@pytest.mark.parametrize(
    ("items", "options", "error", "message"),
    [
        ([softplus_slope(), "oops"], {}, PublishError, "item 1 of the list is str"),
        (softplus_slope(), {}, PublishError, "must be a list of Derivation objects"),
        ([softplus_slope(), softplus_slope()], {}, PublishError, "share the slug 'softplus-slope'"),
        ([], {}, PublishError, "has no derivations"),
        ([softplus_slope()], {"sections": [Part("S", "", ("nope",))]}, PublishError, "nope"),
        ([softplus_slope()], {"sections": [Part("S", "", ())]}, PublishError, "in no section"),
        ([softplus_slope()], {"figures": ["curve"]}, PublishError, "figure 0 is str"),
        ([angles()], {"strict": True}, DerivationError, "angles"),
        ([softplus_slope(), WRONG], {}, DerivationError, "wrong"),
    ],
)
def test_bad_input_leaves_no_output_folder(tmp_path, items, options, error, message):
    with pytest.raises(error, match=message):
        publish(items, tmp_path / "out", pdf=False, **{**QUIET, **options})
    assert not (tmp_path / "out").exists()


def test_an_output_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(OutputFolderError, match="not a folder"):
        publish([softplus_slope()], tmp_path / "file", pdf=False, **QUIET)


MODULE = """
from sympy import Derivative, Symbol, exp, log
from derivations import Derivation, sigmoid, step, then

z = Symbol("z", real=True)
TITLE = "My notes"


def derivations():
    return [
        Derivation("softplus-slope", "The slope of the softplus", [
            step(Derivative(log(1 + exp(z)), z), exp(z) / (1 + exp(z)), "chain rule"),
            then(sigmoid(z), "the sigmoid's second form"),
        ]),
    ]
"""


def _cli(folder: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "derivations", *arguments],
        cwd=folder,
        capture_output=True,
        text=True,
    )


def test_a_user_module_goes_through_the_command_line(tmp_path):
    (tmp_path / "mynotes.py").write_text(MODULE)
    run = _cli(tmp_path, "--module", "mynotes", "list")
    assert run.returncode == 0 and run.stdout.split() == [
        "softplus-slope",
        "The",
        "slope",
        "of",
        "the",
        "softplus",
    ]
    run = _cli(tmp_path, "--module", "mynotes.py", "check")
    assert run.returncode == 0 and "1 derivations, all verified" in run.stdout
    run = _cli(tmp_path, "--module", "mynotes", "show", "softplus-slope")
    assert run.returncode == 0 and run.stdout.startswith("The slope of the softplus")
    run = _cli(tmp_path, "--module", "mynotes", "build", "--out", "doc", "--no-pdf")
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (tmp_path / "doc").iterdir()) == [
        "derivations.md",
        "derivations.tex",
    ]
    assert "My notes" in (tmp_path / "doc" / "derivations.md").read_text()
    for slug in ("softplus-slope", "sigmoid-two-forms"):  # the user's, and the catalog's
        run = _cli(tmp_path, "--module", "mynotes", "verify", "1/(1 + exp(-z))", "--against", slug)
        assert run.returncode == 0 and "equal" in run.stdout, run.stderr
    run = _cli(tmp_path, "--module", "mynotes", "verify", "exp(z)", "--against", "softplus-slope")
    assert run.returncode == 1


@pytest.mark.parametrize(
    ("source", "module", "message"),
    [
        (None, "nosuch", "no module named 'nosuch'"),
        (None, "nosuch.py", "no such file: nosuch.py"),
        ("x = 1\n", "mod", "module 'mod' has no derivations() function"),
        ("def derivations():\n    return [1]\n", "mod", "item 0 of mod.derivations() is int"),
        ("1/0\n", "mod", "cannot import mod: ZeroDivisionError"),
        (
            "import mynotes\ndef derivations():\n    return mynotes.derivations() * 2\n",
            "mod",
            "share the slug 'softplus-slope'",
        ),
    ],
)
def test_a_bad_module_exits_2_with_one_line(tmp_path, source, module, message):
    (tmp_path / "mynotes.py").write_text(MODULE)
    if source is not None:
        (tmp_path / "mod.py").write_text(source)
    for command in (["list"], ["build", "--out", "doc"]):
        run = _cli(tmp_path, "--module", module, *command)
        assert run.returncode == 2
        assert run.stderr.count("\n") == 1 and message in run.stderr, run.stderr
        assert not (tmp_path / "doc").exists()


def test_the_catalog_stays_the_default():
    from derivations.user import resolve

    assert resolve("sigmoid-tanh").slug == "sigmoid-tanh"


def test_publishing_leaves_the_users_own_images_alone(tmp_path):
    # The output folder is the user's: an image they keep in its figures/ folder stays.
    out = tmp_path / "mine"
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "logo.png").write_bytes(b"not ours")
    publish([softplus_slope()], out, pdf=False, echo=lambda line: None)
    assert (out / "figures" / "logo.png").read_bytes() == b"not ours"
