"""The registries agree: the catalog, the book's sections, the figures and the kernels.

A derivation that no section places would be verified but left out of the document; a
section or figure name without a definition would fail the build late. These tests fail
first, naming what disagrees.
"""

from collections import Counter

from derivations.book import SECTIONS
from derivations.catalog import catalog
from numeric.figures import figures


def test_every_derivation_is_in_exactly_one_section():
    placed = Counter(slug for section in SECTIONS for slug in section.slugs)
    twice = sorted(slug for slug, n in placed.items() if n > 1)
    assert not twice, f"in more than one section: {twice}"
    missing = sorted(set(catalog()) - set(placed))
    assert not missing, f"in the catalog but in no section of the book: {missing}"
    unknown = sorted(set(placed) - set(catalog()))
    assert not unknown, f"named by the book but not in the catalog: {unknown}"


def test_every_figure_is_placed_once_and_exists():
    named = Counter(name for section in SECTIONS for name in section.figures)
    unknown = sorted(set(named) - set(figures()))
    assert not unknown, f"the book names figures that do not exist: {unknown}"
    unused = sorted(set(figures()) - set(named))
    assert not unused, f"figures drawn but placed in no section: {unused}"
    assert max(named.values()) == 1, named


def test_figures_follow_derivations_of_their_own_section():
    for section in SECTIONS:
        for figure, slug in section.placement.items():
            assert figure in section.figures, (section.key, figure)
            assert slug in section.slugs, (section.key, slug)
