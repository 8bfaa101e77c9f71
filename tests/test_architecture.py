"""The layers hold: import-linter's contracts (pyproject.toml) and a size limit per module."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept():
    # lint-imports is installed next to the interpreter (a test extra); imports inside
    # functions count, so no layer can reach above itself even lazily.
    script = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run(
        [str(script), "--no-logo", "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "BROKEN" not in run.stdout and " KEPT" in run.stdout, run.stdout


def _python_modules():
    for package in ("derivations", "numeric"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.name != "_generated.py":  # written by python -m numeric.generate
                yield path


def test_no_module_is_over_500_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for p in _python_modules()
        if (n := len(p.read_text().splitlines())) > 500
    }
    assert not long, f"modules over 500 lines (split them by purpose): {long}"


def test_a_function_over_60_lines_says_why_in_its_docstring():
    # Lines of code, docstring excluded; a long one must say "Long because ..." in it.
    import ast

    unexplained = []
    for path in _python_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            docstring = ast.get_docstring(node) or ""
            body = node.body[1:] if docstring else node.body
            lines = node.end_lineno - (body[0].lineno if body else node.lineno) + 1
            if lines > 60 and "Long because" not in docstring:
                unexplained.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({lines})")
    assert not unexplained, "functions over 60 lines without a reason: " + ", ".join(unexplained)
