"""The registries agree: the catalog, the book's sections, the figures and the kernels.

A derivation that no section places would be verified but left out of the document (the
book places one that no section lists in the section of its topic); a section or figure
name without a definition would fail the build late. These tests fail first, naming what
disagrees. The kernel registry and ``numeric.__all__``: tests/test_registry.py.
"""

from collections import Counter

import pytest

from derivations.book import _LISTED, GENERATED_SLUGS, SECTIONS, TOPIC_SECTIONS, placed
from derivations.catalog import catalog, topics
from numeric.figures import figures


def test_every_derivation_is_in_exactly_one_section():
    placed = Counter(slug for section in SECTIONS for slug in section.slugs)
    twice = sorted(slug for slug, n in placed.items() if n > 1)
    assert not twice, f"in more than one section: {twice}"
    missing = sorted(set(catalog()) - set(placed))
    assert not missing, f"in the catalog but in no section of the book: {missing}"
    # Besides the catalog, the book shows gradients the toolkit derives itself.
    unknown = sorted(set(placed) - set(catalog()) - set(GENERATED_SLUGS))
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


def test_every_topic_has_a_section_for_its_new_derivations():
    keys = [section.key for section in SECTIONS]
    assert len(keys) == len(set(keys)), keys
    assert set(TOPIC_SECTIONS) == set(topics()), "TOPIC_SECTIONS and the catalog's topics differ"
    unknown = {t: k for t, k in TOPIC_SECTIONS.items() if k not in keys}
    assert not unknown, f"topics mapped to no section: {unknown}"


def test_an_unlisted_derivation_goes_to_the_end_of_its_topics_section():
    by_topic = {**topics(), "deep": (*topics()["deep"], "toy-new"), "likelihood": ("toy-2",)}
    sections = {s.key: s for s in placed(_LISTED, by_topic)}
    listed = {s.key: s.slugs for s in _LISTED}
    assert sections["deep"].slugs[: len(listed["deep"])] == listed["deep"]
    assert sections["deep"].slugs[-1] == "toy-new" and sections["likelihood"].slugs[-1] == "toy-2"
    # Everything else, and the order of what the book lists, is as written.
    assert [s for s in sections.values() if s.key not in ("deep", "likelihood")] == [
        s for s in _LISTED if s.key not in ("deep", "likelihood")
    ]
    with pytest.raises(ValueError, match="no section for the topic 'new_topic' of toy-3"):
        placed(_LISTED, {**topics(), "new_topic": ("toy-3",)})


def test_placement_only_appends_to_what_the_book_lists():
    for listed, section in zip(_LISTED, SECTIONS, strict=True):
        assert section.slugs[: len(listed.slugs)] == listed.slugs, section.key
        assert section == type(listed)(**{**vars(listed), "slugs": section.slugs})
