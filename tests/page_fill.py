"""How empty each page of the built PDF is: the largest blank stretch of its text block.

Each page is rendered with poppler's ``pdftoppm -r 50 -gray``; a row of the text block (the
page less the 2.5 cm margins of ``derivations.document.PREAMBLE``) is blank when no pixel in it
is darker than ``INK``. A page's empty fraction is its longest run of blank rows (at the bottom,
or between floats) over the height of the text block. The page number, in the bottom margin, is
not part of the text block.

    python -m tests.page_fill docs/derivations.pdf
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

DPI = 50
MARGIN_IN = 2.5 / 2.54  # geometry's margin=2.5cm
INK = 160  # a gray level darker than this is ink (0 black, 255 white)
HAVE_PDFTOPPM = shutil.which("pdftoppm") is not None


def _read_pgm(path: Path) -> np.ndarray:
    """A binary (P5) 8-bit PGM file as a 2-D array, as pdftoppm -gray writes it."""
    data = path.read_bytes()
    fields, start = [], 0
    while len(fields) < 4:  # magic, width, height, maxval, separated by whitespace
        while data[start : start + 1].isspace():
            start += 1
        end = start
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[start:end])
        start = end
    if fields[0] != b"P5" or fields[3] != b"255":
        raise ValueError(f"{path}: not an 8-bit binary PGM file")
    width, height = int(fields[1]), int(fields[2])
    pixels = np.frombuffer(data, np.uint8, width * height, start + 1)
    return pixels.reshape(height, width)


def empty_fraction(page: np.ndarray) -> float:
    """The longest run of blank rows of ``page``'s text block, as a fraction of its height."""
    margin = round(MARGIN_IN * DPI)
    block = page[margin : page.shape[0] - margin, margin : page.shape[1] - margin]
    inked = np.flatnonzero((block < INK).any(axis=1))
    if inked.size == 0:
        return 1.0
    edges = np.concatenate(([-1], inked, [block.shape[0]]))
    return float((np.diff(edges) - 1).max() / block.shape[0])


def page_fractions(pdf: Path) -> list[float]:
    """The empty fraction of every page of ``pdf``, in page order."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            ["pdftoppm", "-r", str(DPI), "-gray", str(pdf), f"{folder}/page"],
            check=True,
            capture_output=True,
        )
        # pdftoppm pads the page numbers to one width, so the names sort in page order
        return [empty_fraction(_read_pgm(p)) for p in sorted(Path(folder).glob("page-*.pgm"))]


def main(argv: list[str]) -> int:
    for k, fraction in enumerate(page_fractions(Path(argv[0])), 1):
        print(f"page {k:2d}: {fraction:6.1%} empty")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
