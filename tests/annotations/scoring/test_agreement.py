"""Krippendorff's alpha (nominal), checked against published worked examples."""
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.scoring.agreement import nominal_alpha

_ = None  # a value the coder did not give


def columns(*coders):
    """Units from one row of values per coder, dropping missing values."""
    return [[value for value in unit if value is not None] for unit in zip(*coders)]


def test_alpha_matches_krippendorffs_binary_example_with_two_observers():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section A: alpha = 0.095.
    units = columns([0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0])
    assert nominal_alpha(units) == pytest.approx(2 / 21)
    assert round(nominal_alpha(units), 3) == 0.095


def test_alpha_matches_krippendorffs_nominal_example_with_missing_values():
    # Krippendorff (2011), section C: four observers, twelve units, missing values; nominal alpha = 0.743.
    units = columns(
        [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
        [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
    )
    assert round(nominal_alpha(units), 3) == 0.743


def test_alpha_of_the_methodology_example_is_twelve_twenty_seconds():
    units = [["sourced", "sourced"], ["unsourced", "unsourced"], ["opinion", "unsourced"], ["neutral"], []]
    assert nominal_alpha(units) == pytest.approx(12 / 22)
    assert "α = 0.545" in (Path(__file__).parents[3] / "docs" / "methodology.md").read_text()


def test_perfect_agreement_with_variation_is_one():
    assert nominal_alpha([["a", "a"], ["b", "b", "b"], ["c", "c"]]) == 1.0


def test_alpha_is_undefined_without_pairable_units_or_without_variation():
    assert nominal_alpha([]) is None
    assert nominal_alpha([["a"], ["b"], []]) is None
    assert nominal_alpha([["a", "a"], ["a", "a", "a"]]) is None


def test_systematic_disagreement_is_below_zero():
    assert nominal_alpha([["a", "b"], ["b", "a"]]) < 0


@given(st.lists(st.lists(st.sampled_from("abcd"), max_size=5), max_size=12), st.randoms())
def test_alpha_does_not_depend_on_the_order_of_units_or_values(units, random):
    shuffled = [random.sample(unit, len(unit)) for unit in units]
    random.shuffle(shuffled)
    assert nominal_alpha(units) == nominal_alpha(shuffled)
    if (alpha := nominal_alpha(units)) is not None:
        assert alpha <= 1.0
