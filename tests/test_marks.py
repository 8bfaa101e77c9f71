"""The catalog's proof marks: written in its source, and the same on an idle and a busy machine.

A claim is marked S when SymPy proves it and N when only the numeric check confirms it. Which
claims are N is part of each derivation's source (``numeric="why"`` on the step), and the
verifier's strategies are bounded by work, not time, so no load can change a mark.
"""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

from derivations.catalog import catalog
from derivations.engine import Kind

ROOT = Path(__file__).resolve().parent.parent

MARKS_SCRIPT = """
import json
from derivations.catalog import catalog
marks = {}
for slug, d in catalog().items():
    report = d.verify()
    marks[slug] = [r.mark for r in report.steps] + [report.result.mark]
print(json.dumps(marks))
"""


def source_marks() -> dict[str, list[str]]:
    """What each derivation's source says its marks are: N where marked numeric, else S."""
    marks = {}
    for slug, d in catalog().items():
        steps = [("N" if s.numeric else "S") if s.kind is Kind.CLAIM else "-" for s in d.steps]
        marks[slug] = [*steps, "N" if d.numeric_result else "S"]
    return marks


def marks_in_subprocess(busy: int) -> dict[str, list[str]]:
    """The catalog's marks, verified in a fresh process while ``busy`` busy loops run."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    loops = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(busy)]
    try:
        done = subprocess.run(
            [sys.executable, "-c", MARKS_SCRIPT],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,  # a guard against a hang, not a timing assertion
            check=True,
        )
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()
    return json.loads(done.stdout)


def test_the_catalog_is_strict():
    assert all(d.strict for d in catalog().values())


def test_marks_equal_the_source_idle_and_under_heavy_load():
    expected = source_marks()
    assert sum(m.count("N") for m in expected.values()) == 3  # the three marked claims
    idle = marks_in_subprocess(busy=0)
    loaded = marks_in_subprocess(busy=2)
    assert idle == expected
    assert loaded == expected


MODEL = ("engine", "errors", "functions", "meaning", "notation")


def test_the_model_imports_nothing_above_it():
    # Every import, including those inside functions, of the model's modules and of the
    # verifier's report types: only the model itself (and the outside world) is allowed.
    for name, allowed in [*((m, MODEL) for m in MODEL), ("verify/report", MODEL)]:
        tree = ast.parse((ROOT / "derivations" / f"{name}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                if module == "derivations" or module.startswith("derivations."):
                    assert module.split(".")[1] in allowed, f"{name} imports {module}"
