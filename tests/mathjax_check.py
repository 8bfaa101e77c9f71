"""MathJax 3 (the npm package mathjax-full, run by node) as the tests' math renderer.

tests/js/render.js renders a list of snippets in one node process and returns,
for each, None or the error. MathJax is what GitHub uses for the math of
Markdown and what Jupyter uses for notebooks, so a snippet it renders without
error renders there. Only its "base", "ams" and "boldsymbol" packages are
loaded (GitHub's and Jupyter's MathJax both have them), undefined macros are
errors, and so is a macro that text mode would show by name.

Outside CI, on a machine without node or without the package, the tests that
need it are skipped and say why; in CI (``CI=true``, set by .ci/run) they must
run, and .ci/run installs node and the package (``npm ci`` in tests/js).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parent / "js"
NODE = shutil.which("node") or shutil.which("nodejs")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_mathjax() -> None:
    """Skip the calling test when node is absent outside CI; fail when MathJax cannot run.

    Without node, or without the package (``npm ci`` not run in tests/js), the test is
    skipped and says which; CI (which .ci/run marks with CI=true) never skips: it fails.
    """
    if NODE is None:
        if IN_CI:
            pytest.fail("CI must render the math, but node is not installed (see .ci/run)")
        pytest.skip("node is not installed (Debian: apt-get install nodejs npm)")
    if not (JS / "node_modules" / "mathjax-full").is_dir():
        if IN_CI:
            pytest.fail("CI must render the math, but MathJax is not installed (see .ci/run)")
        pytest.skip("MathJax is not installed: run `npm ci` in tests/js")


def render_errors(snippets: list[tuple[str, bool]]) -> list[str | None]:
    """Render every (tex, display) snippet with MathJax 3; one error or None for each."""
    return _run({"snippets": [{"tex": tex, "display": display} for tex, display in snippets]})


def render_mathml(snippets: list[tuple[str, bool]]) -> list[tuple[str | None, str | None]]:
    """Render every (tex, display) snippet; (error or None, MathML or None) for each."""
    request = {"snippets": [{"tex": t, "display": d} for t, d in snippets], "mathml": True}
    return [tuple(pair) for pair in _run(request)]


def _run(request: dict) -> list:
    """One node process for all the snippets."""
    require_mathjax()
    snippets = request["snippets"]
    run = subprocess.run(
        [NODE, str(JS / "render.js")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    errors = json.loads(run.stdout)
    assert len(errors) == len(snippets)
    return errors


_FENCED = re.compile(r"^```math\n(.*?)\n```$", re.MULTILINE | re.DOTALL)
_CODE_MATH = re.compile(r"\$`([^`]+)`\$")
_DOLLARS = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_CODE = re.compile(r"^```.*?^```$|`[^`\n]+`", re.MULTILINE | re.DOTALL)
_INLINE = re.compile(r"\$([^$\n]+)\$")


def markdown_math(markdown: str) -> list[tuple[str, bool]]:
    """Every math snippet of a GitHub Markdown page, as (tex, display).

    Fenced ``math`` blocks and ``$$...$$`` are display math; ``$`...`$`` and
    ``$...$`` outside code are inline math.
    """
    found = [(m.group(1), True) for m in _FENCED.finditer(markdown)]
    rest = _FENCED.sub("", markdown)
    found += [(m.group(1), True) for m in _DOLLARS.finditer(rest)]
    rest = _DOLLARS.sub("", rest)
    found += [(m.group(1), False) for m in _CODE_MATH.finditer(rest)]
    rest = _CODE.sub("", _CODE_MATH.sub("", rest))
    found += [(m.group(1), False) for m in _INLINE.finditer(rest)]
    return found
