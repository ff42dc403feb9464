"""The worked examples of docs/methodology.md, reproduced exactly."""
from pathlib import Path

import pytest

from annotations.scoring import (
    DISPUTED,
    NEUTRAL,
    NOT_REVIEWED,
    OPINION,
    SOURCED,
    UNSOURCED,
    Shares,
    consensus,
    reviewer_category,
    score,
)

METHODOLOGY = (Path(__file__).parents[3] / "docs" / "methodology.md").read_text()


@pytest.mark.parametrize("categories, expected", [
    ([SOURCED, OPINION], SOURCED),  # Quotes named official or expert + Loaded language
    ([UNSOURCED, SOURCED], UNSOURCED),  # Unsourced claim + Quotes named official or expert
    ([OPINION, NEUTRAL], OPINION),  # Opinion + Background / common knowledge
    ([UNSOURCED, OPINION], UNSOURCED),  # Vague attribution + Opinion
    ([], None),
])
def test_one_reviewers_flags_give_the_first_category_in_precedence(categories, expected):
    assert reviewer_category(categories) == expected


@pytest.mark.parametrize("categories, expected", [
    ([UNSOURCED, UNSOURCED, SOURCED], UNSOURCED),
    ([UNSOURCED, SOURCED], DISPUTED),
    ([OPINION, None, None], OPINION),
    ([SOURCED, OPINION, NEUTRAL], DISPUTED),
    ([SOURCED, SOURCED, None, OPINION], SOURCED),
    ([None, None], NOT_REVIEWED),
    ([], NOT_REVIEWED),
])
def test_consensus_needs_more_than_half_of_the_reviewers_who_flagged_the_passage(categories, expected):
    assert consensus(categories) == expected


# The methodology's article: five passages, Ana and Ben.
PASSAGES = [("P1", 120), ("P2", 80), ("P3", 200), ("P4", 50), ("P5", 150)]
REVIEWS = {
    "Ana": {"P1": {SOURCED}, "P2": {UNSOURCED}, "P3": {OPINION}, "P4": {NEUTRAL}},
    "Ben": {"P1": {SOURCED}, "P2": {UNSOURCED}, "P3": {UNSOURCED}},
}


def test_worked_article_consensus_shares_and_headline():
    result = score(PASSAGES, REVIEWS)
    assert result.consensus == {"P1": SOURCED, "P2": UNSOURCED, "P3": DISPUTED, "P4": NEUTRAL, "P5": NOT_REVIEWED}
    assert result.shares.chars == {
        SOURCED: 120, UNSOURCED: 80, OPINION: 0, NEUTRAL: 50, DISPUTED: 200, NOT_REVIEWED: 150,
    }
    percentages = {category: f"{result.shares.share(category):.1%}" for category in result.shares.chars}
    assert percentages == {
        SOURCED: "20.0%", UNSOURCED: "13.3%", OPINION: "0.0%", NEUTRAL: "8.3%", DISPUTED: "33.3%",
        NOT_REVIEWED: "25.0%",
    }
    assert result.shares.sourced_fact_share == 0.6
    assert result.agreement == pytest.approx(12 / 22)
    assert result.disagreements == {"P3"}
    assert result.reviewers == 2
    for figure in ["| Sourced | 120 | 20.0% |", "| Disputed | 200 | 33.3% |", "**60.0%**", "α = 0.545"]:
        assert figure in METHODOLOGY


def test_worked_outlet_weighs_articles_by_their_text():
    article = score(PASSAGES, REVIEWS).shares
    other = Shares.of({SOURCED: 300, UNSOURCED: 0, OPINION: 100})
    # As aggregates.with_credibility() does in SQL: add up each category's characters.
    outlet = Shares.of({category: article.chars[category] + other.chars[category] for category in article.chars})
    assert outlet.total == 1000
    assert outlet.sourced_fact_share == 0.84
    assert outlet.share(OPINION) == 0.1
    assert (article.sourced_fact_share + other.sourced_fact_share) / 2 == pytest.approx(0.8)
    assert "**84.0%**" in METHODOLOGY and "**10.0%**" in METHODOLOGY


def test_an_article_without_submitted_reviews_is_wholly_not_reviewed():
    result = score(PASSAGES, {})
    assert result.shares.share(NOT_REVIEWED) == 1.0
    assert result.shares.sourced_fact_share is None
    assert result.agreement is None and result.reviewers == 0


def test_pure_opinion_has_no_sourced_fact_share():
    result = score([("P1", 10)], {"Ana": {"P1": {OPINION}}})
    assert result.shares.share(OPINION) == 1.0
    assert result.shares.sourced_fact_share is None


def test_an_article_without_passages_has_no_shares():
    shares = score([], {"Ana": {}}).shares
    assert shares.total == 0 and shares.share(SOURCED) is None and shares.segments() == []


def test_bar_segments_skip_empty_categories_and_follow_on_from_each_other():
    segments = score(PASSAGES, REVIEWS).shares.segments()
    assert [segment.category for segment in segments] == [SOURCED, UNSOURCED, NEUTRAL, DISPUTED, NOT_REVIEWED]
    assert segments[1].offset == pytest.approx(0.2)
    assert segments[-1].offset + segments[-1].share == pytest.approx(1.0)
