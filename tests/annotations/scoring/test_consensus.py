"""The worked examples of docs/methodology.md (method version 2), reproduced exactly, and the invariants
consensus, shares and bounds hold for any flags."""
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.scoring import (
    DISPUTED,
    FLAG_CATEGORIES,
    METHOD_VERSION,
    NEUTRAL,
    NOT_REVIEWED,
    OPINION,
    SHARE_CATEGORIES,
    SOURCED,
    UNSOURCED,
    Shares,
    consensus,
    reviewer_category,
    score,
)

METHODOLOGY = (Path(__file__).parents[3] / "docs" / "methodology.md").read_text()


def test_the_methodology_is_version_two_as_the_code_is():
    assert METHOD_VERSION == 2
    assert METHODOLOGY.startswith("# How Dossier scores an article (method version 2)")


@pytest.mark.parametrize("categories, expected", [
    ([SOURCED, OPINION], SOURCED),  # Quotes named official or expert + Loaded language
    ([UNSOURCED, SOURCED], UNSOURCED),  # Unsourced claim + Quotes named official or expert
    ([OPINION, NEUTRAL], OPINION),  # Opinion + Background / common knowledge
    ([UNSOURCED, OPINION], UNSOURCED),  # Vague attribution + Opinion
    ([], NEUTRAL),  # unflagged
])
def test_one_reviewers_flags_give_the_first_category_in_precedence_and_unflagged_is_neutral(categories, expected):
    assert reviewer_category(categories) == expected
    assert "| (none) | neutral |" in METHODOLOGY


_ = NEUTRAL  # a reviewer who left the passage unflagged


@pytest.mark.parametrize("categories, expected", [
    ([UNSOURCED, UNSOURCED, SOURCED], UNSOURCED),
    ([UNSOURCED, SOURCED], DISPUTED),
    ([OPINION, _, _], NEUTRAL),
    ([SOURCED, OPINION, NEUTRAL], DISPUTED),
    ([SOURCED, SOURCED, _, _], DISPUTED),
    ([_, _], NEUTRAL),
    ([], NOT_REVIEWED),
])
def test_consensus_needs_more_than_half_of_every_submitted_reviewer(categories, expected):
    assert consensus(categories) == expected


def test_two_of_four_choosing_sourced_while_two_left_it_unflagged_is_disputed_not_unanimous():
    result = score([("P", 10)], {"a": {"P": {SOURCED}}, "b": {"P": {SOURCED}}, "c": {}, "d": {}})
    assert result.consensus == {"P": DISPUTED}
    assert "| sourced, sourced, —, — | disputed (2 of 4 is not more than half) |" in METHODOLOGY


# The methodology's article: five passages, Ana and Ben.
PASSAGES = [("P1", 120), ("P2", 80), ("P3", 200), ("P4", 50), ("P5", 150)]
REVIEWS = {
    "Ana": {"P1": {SOURCED}, "P2": {UNSOURCED}, "P3": {OPINION}, "P4": {NEUTRAL}},
    "Ben": {"P1": {SOURCED}, "P2": {UNSOURCED}, "P3": {UNSOURCED}},
}


def test_worked_article_consensus_shares_and_headline():
    result = score(PASSAGES, REVIEWS)
    assert result.consensus == {"P1": SOURCED, "P2": UNSOURCED, "P3": DISPUTED, "P4": NEUTRAL, "P5": NEUTRAL}
    assert result.shares.chars == {
        SOURCED: 120, UNSOURCED: 80, OPINION: 0, NEUTRAL: 200, DISPUTED: 200, NOT_REVIEWED: 0,
    }
    percentages = {category: f"{result.shares.share(category):.1%}" for category in result.shares.chars}
    assert percentages == {
        SOURCED: "20.0%", UNSOURCED: "13.3%", OPINION: "0.0%", NEUTRAL: "33.3%", DISPUTED: "33.3%",
        NOT_REVIEWED: "0.0%",
    }
    assert result.shares.sourced_fact_share == 0.6
    assert result.disagreements == {"P3"}
    assert result.reviewers == 2
    for figure in ["| Sourced | 120 | 20.0% |", "| Neutral | 200 | 33.3% |", "| Not reviewed | 0 | 0.0% |",
                   "**60.0%**"]:
        assert figure in METHODOLOGY


def test_worked_article_fact_coverage_counts_passages_most_reviewers_took_for_facts():
    result = score(PASSAGES, REVIEWS)
    assert f"{result.fact_coverage:.1%}" == "33.3%"
    assert not result.few_facts
    assert "(120 + 80) / 600 =\n**33.3%**" in METHODOLOGY


def test_one_sourced_sentence_among_opinion_has_a_full_headline_but_few_claims_of_fact():
    passages = [(f"P{i}", 100) for i in range(50)]
    result = score(passages, {"Ana": {"P0": {SOURCED}} | {f"P{i}": {OPINION} for i in range(1, 50)}})
    assert result.shares.sourced_fact_share == 1.0
    assert f"{result.fact_coverage:.1%}" == "2.0%" and result.few_facts
    assert "100 / 5,000 =\n**2.0%**" in METHODOLOGY


def test_worked_article_bounds_treat_the_disputed_passage_both_ways():
    low, high = score(PASSAGES, REVIEWS).bounds
    assert (f"{low:.1%}", f"{high:.1%}") == ("30.0%", "60.0%")
    assert "**[30.0%, 60.0%]**" in METHODOLOGY


def test_bounds_are_absent_without_disputes_and_without_a_headline():
    assert score([("P", 10)], {"a": {"P": {SOURCED}}}).bounds is None
    assert score([("P", 10)], {"a": {"P": {OPINION}}, "b": {"P": {NEUTRAL}}}).bounds is None


def test_a_passage_a_minority_called_unsourced_is_listed():
    assert score(PASSAGES, REVIEWS).minority_unsourced == ["P3"]
    three = {"a": {"P": {SOURCED}}, "b": {"P": {SOURCED}}, "c": {"P": {UNSOURCED}}}
    result = score([("P", 10)], three)
    assert result.consensus == {"P": SOURCED} and result.minority_unsourced == ["P"]
    unanimous = {"a": {"P": {UNSOURCED}}, "b": {"P": {UNSOURCED}}, "c": {"P": {SOURCED}}}
    assert score([("P", 10)], unanimous).minority_unsourced == []


def test_worked_outlet_weighs_articles_by_their_text():
    article = score(PASSAGES, REVIEWS).shares
    other = Shares.of({SOURCED: 300, UNSOURCED: 0, OPINION: 100})
    # As annotations/totals.fresh() does in SQL: add up each category's characters.
    outlet = Shares.of({category: article.chars[category] + other.chars[category] for category in article.chars})
    assert outlet.total == 1000
    assert outlet.sourced_fact_share == 0.84
    assert outlet.share(OPINION) == 0.1
    assert (article.sourced_fact_share + other.sourced_fact_share) / 2 == pytest.approx(0.8)
    assert "**84.0%**" in METHODOLOGY and "**10.0%**" in METHODOLOGY


def test_an_article_without_submitted_reviews_is_wholly_not_reviewed():
    result = score(PASSAGES, {}, seed=1)
    assert result.shares.share(NOT_REVIEWED) == 1.0
    assert result.shares.sourced_fact_share is None and result.fact_coverage is None
    assert result.agreement.value is None and result.reviewers == 0
    assert result.intervals.sourced_fact_share is None and result.alpha_reliable is None


def test_an_empty_submitted_review_makes_the_whole_article_neutral():
    result = score(PASSAGES, {"Ana": {}})
    assert result.shares.share(NEUTRAL) == 1.0 and result.shares.share(NOT_REVIEWED) == 0


def test_pure_opinion_has_no_sourced_fact_share():
    result = score([("P1", 10)], {"Ana": {"P1": {OPINION}}})
    assert result.shares.share(OPINION) == 1.0
    assert result.shares.sourced_fact_share is None


def test_an_article_without_passages_has_no_shares():
    shares = score([], {"Ana": {}}, seed=3).shares
    assert shares.total == 0 and shares.share(SOURCED) is None and shares.segments() == []


def test_bar_segments_skip_empty_categories_and_follow_on_from_each_other():
    segments = score(PASSAGES, REVIEWS).shares.segments()
    assert [segment.category for segment in segments] == [SOURCED, UNSOURCED, NEUTRAL, DISPUTED]
    assert segments[1].offset == pytest.approx(0.2)
    assert segments[-1].offset + segments[-1].share == pytest.approx(1.0)


# Any article: up to 15 passages of 1 to 300 characters, up to 5 reviewers, each flagging any passages
# with any categories.
articles = st.integers(1, 15).flatmap(lambda size: st.tuples(
    st.lists(st.integers(1, 300), min_size=size, max_size=size),
    st.lists(
        st.lists(st.frozensets(st.sampled_from(FLAG_CATEGORIES), max_size=2), min_size=size, max_size=size),
        max_size=5,
    ),
))


def _scored(article, seed=None):
    lengths, reviewers = article
    passages = [(f"P{i}", length) for i, length in enumerate(lengths)]
    reviews = {f"R{r}": {f"P{i}": flags for i, flags in enumerate(flags_of)} for r, flags_of in enumerate(reviewers)}
    return score(passages, reviews, seed=seed)


@given(articles)
def test_shares_sum_to_one_and_not_reviewed_is_all_or_nothing(article):
    result = _scored(article)
    total = sum(result.shares.share(category) for category in SHARE_CATEGORIES)
    assert total == pytest.approx(1.0)
    assert result.shares.share(NOT_REVIEWED) == (0.0 if result.reviewers else 1.0)


@given(articles)
def test_every_consensus_is_a_majority_category_or_disputed(article):
    result = _scored(article)
    for passage_id, category in result.consensus.items():
        given_ = [review[passage_id] for review in result.by_review.values()]
        if category in FLAG_CATEGORIES:
            assert given_.count(category) * 2 > len(given_)
        elif category == DISPUTED:
            assert all(given_.count(choice) * 2 <= len(given_) for choice in FLAG_CATEGORIES)
        else:
            assert category == NOT_REVIEWED and not given_


@given(articles)
def test_low_bound_is_at_most_the_headline_and_the_headline_at_most_the_high_bound(article):
    result = _scored(article)
    headline = result.shares.sourced_fact_share
    if result.bounds is None:
        return
    low, high = result.bounds
    assert headline is not None
    assert low <= headline <= high
    assert 0 <= result.fact_coverage <= 1


@given(articles, st.integers(0, 2**32))
def test_intervals_contain_only_possible_values_and_repeat_with_the_seed(article, seed):
    first, again = _scored(article, seed), _scored(article, seed)
    assert first.intervals == again.intervals
    share = first.intervals.sourced_fact_share
    if share is not None:
        assert 0 <= share[0] <= share[1] <= 1
    for name in ("agreement", "alpha_fact", "alpha_sourcing"):
        interval = getattr(first.intervals, name)
        assert (interval is None) or (interval[0] <= interval[1] <= 1)
        if getattr(first, name).value is None:
            assert interval is None
