"""Krippendorff's alpha (nominal), checked against published worked examples."""
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.scoring import FLAG_CATEGORIES, NEUTRAL, OPINION, SOURCED, UNSOURCED, alpha_of_totals, score
from annotations.scoring.agreement import TOO_FEW, UNDEFINED, Units, nominal_alpha

METHODOLOGY = (Path(__file__).parents[3] / "docs" / "methodology.md").read_text()

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


def test_the_matrix_alpha_reproduces_krippendorffs_published_examples_too():
    # The same two examples as counts per unit (units x values 1-5); units of one value drop out.
    binary = columns([0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0])
    assert round(Units([[unit.count(v) for v in (0, 1)] for unit in binary], 2).alpha().value, 3) == 0.095
    nominal = columns(
        [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
        [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
    )
    units = Units([[unit.count(v) for v in range(1, 6)] for unit in nominal], 4)
    assert units.units == 11 and round(units.alpha().value, 3) == 0.743


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


# The methodology's ten-passage article (rule 7): Ana's and Ben's categories, N also for unflagged.
CODES = {"S": SOURCED, "U": UNSOURCED, "O": OPINION, "N": NEUTRAL}
ANA, BEN = "SSSUUOONNN", "SSUUUONNNN"
TEN = [(f"Q{i + 1}", 100) for i in range(10)]


def ten_passage_reviews():
    return {
        name: {f"Q{i + 1}": {CODES[code]} for i, code in enumerate(codes) if code != "N"}
        for name, codes in (("Ana", ANA), ("Ben", BEN))
    }


def test_worked_ten_passage_article_has_alpha_216_292nds_full_fact_agreement_and_too_few_for_sourcing():
    result = score(TEN, ten_passage_reviews())
    assert result.agreement.value == pytest.approx(216 / 292)
    assert result.agreement.value == pytest.approx(nominal_alpha([[CODES[a], CODES[b]] for a, b in zip(ANA, BEN)]))
    assert result.alpha_fact.value == pytest.approx(1.0)
    assert result.alpha_sourcing.value is None and result.alpha_sourcing.missing == TOO_FEW
    for figure in ["1 − 76/292 = **α = 0.740**", "**α claim of fact = 1.00**", "**α sourcing is \"too few\"**"]:
        assert figure in METHODOLOGY


def test_the_five_passage_worked_article_is_too_few_for_any_alpha():
    passages = [("P1", 120), ("P2", 80), ("P3", 200), ("P4", 50), ("P5", 150)]
    reviews = {"Ana": {"P1": {SOURCED}, "P2": {UNSOURCED}, "P3": {OPINION}, "P4": {NEUTRAL}},
               "Ben": {"P1": {SOURCED}, "P2": {UNSOURCED}, "P3": {UNSOURCED}}}
    result = score(passages, reviews)
    assert [result.agreement.missing, result.alpha_fact.missing, result.alpha_sourcing.missing] == [TOO_FEW] * 3


def test_one_submitted_review_is_too_few_however_many_passages():
    result = score(TEN, {"Ana": ten_passage_reviews()["Ana"]})
    assert result.agreement.value is None and result.agreement.missing == TOO_FEW


def test_every_reviewer_giving_every_passage_one_category_leaves_alpha_undefined():
    same = {name: {passage: {OPINION} for passage, _ in TEN} for name in ("a", "b", "c")}
    result = score(TEN, same, seed=5)
    assert result.agreement.value is None and result.agreement.missing == UNDEFINED
    assert result.intervals.agreement is None and result.alpha_reliable is None


def test_worked_pooled_sourcing_alpha_over_two_articles():
    # Rule 9: each article has six sourcing passages (too few alone); pooled, alpha is 240/286.
    a = Units([[2, 0], [2, 0], [0, 2], [0, 2], [1, 1], [2, 0]], 2).totals()
    b = Units([[2, 0], [0, 2], [0, 2], [2, 0], [0, 2], [2, 0]], 2).totals()
    assert (a.units, a.sourced, a.unsourced, a.disagreement) == (6, 7, 5, 2.0)
    pooled = alpha_of_totals([a.sourced + b.sourced, a.unsourced + b.unsourced], a.disagreement + b.disagreement)
    assert float(pooled) == pytest.approx(240 / 286)
    assert "1 − 46/286 = **α sourcing = 0.839**" in METHODOLOGY


def test_the_sourcing_alpha_counts_only_passages_two_reviewers_called_sourced_or_unsourced():
    # Twelve passages: ten where both chose sourced or unsourced, two where only one did.
    counts = [[2, 0, 0, 0]] * 5 + [[0, 2, 0, 0]] * 4 + [[1, 1, 0, 0]] + [[1, 0, 1, 0], [0, 1, 0, 1]]
    sourcing = Units(counts, 2).sourcing()
    assert sourcing.units == 10
    assert sourcing.alpha().value == pytest.approx(
        nominal_alpha([["s", "s"]] * 5 + [["u", "u"]] * 4 + [["s", "u"], ["s"], ["u"]])
    )


@given(st.lists(st.lists(st.sampled_from(FLAG_CATEGORIES), min_size=2, max_size=5), min_size=10, max_size=20))
def test_the_matrix_alpha_equals_the_exact_textbook_computation(units):
    counts = [[unit.count(category) for category in FLAG_CATEGORIES] for unit in units]
    alpha = Units(counts, reviewers=5).alpha()
    exact = nominal_alpha(units)
    if exact is None:
        assert alpha.value is None and alpha.missing == UNDEFINED
    else:
        assert alpha.value == pytest.approx(exact)


@given(st.integers(10, 20), st.integers(2, 5), st.sampled_from(FLAG_CATEGORIES))
def test_an_article_on_which_everyone_gave_every_passage_one_category_has_no_alpha(passages, reviewers, category):
    result = score([(f"P{i}", 10) for i in range(passages)],
                   {f"R{r}": {f"P{i}": {category} for i in range(passages)} for r in range(reviewers)})
    assert result.agreement.value is None and result.agreement.missing == UNDEFINED
