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
