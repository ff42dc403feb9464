"""The assignment rule on any pool and article set: exact counts, distinct reviewers, balance, conflicts."""
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaigns.assigning import Unassignable, assign, reliability_sample, tie_break

pools = st.lists(st.integers(1, 10_000), min_size=1, max_size=12, unique=True)


@st.composite
def plans(draw, conflicts=False):
    reviewers = draw(pools)
    articles = draw(st.lists(st.integers(1, 100_000), min_size=0, max_size=60, unique=True))
    n = draw(st.integers(1, len(reviewers)))
    needs = {article: draw(st.integers(1, n)) for article in articles}
    excluded = {}
    if conflicts:
        for article in articles:
            excluded[article] = set(draw(st.lists(st.sampled_from(reviewers), max_size=len(reviewers) - needs[article],
                                                  unique=True)))
    return reviewers, needs, excluded, draw(st.integers(0, 2**31))


@settings(max_examples=150, deadline=None)
@given(plans())
def test_every_article_gets_exactly_its_count_of_distinct_reviewers_and_no_one_is_over_the_mean_by_more_than_one(
    plan,
):
    reviewers, needs, excluded, seed = plan
    loads = {}
    pairs = assign(needs, reviewers, excluded, loads, seed)
    per_article = Counter(article for article, _ in pairs)
    assert per_article == Counter({article: count for article, count in needs.items()})
    assert len(set(pairs)) == len(pairs)
    assert set(reviewer for _, reviewer in pairs) <= set(reviewers)
    mean = len(pairs) / len(reviewers)
    assert max(loads.values()) <= mean + 1
    assert sum(loads.values()) == len(pairs)


@settings(max_examples=150, deadline=None)
@given(plans(conflicts=True))
def test_a_conflicted_reviewer_is_never_assigned_and_every_article_still_gets_its_count(plan):
    reviewers, needs, excluded, seed = plan
    pairs = assign(needs, reviewers, excluded, {}, seed)
    assert not [(article, reviewer) for article, reviewer in pairs if reviewer in excluded[article]]
    assert Counter(article for article, _ in pairs) == Counter(needs)


@settings(max_examples=50, deadline=None)
@given(plans(), st.integers(0, 5))
def test_the_same_seed_gives_the_same_assignment(plan, _):
    reviewers, needs, excluded, seed = plan
    assert assign(needs, reviewers, excluded, {}, seed) == assign(needs, list(reversed(reviewers)), excluded, {}, seed)


def test_starting_from_uneven_loads_new_work_goes_to_the_least_loaded_first():
    loads = {1: 5, 2: 0, 3: 0}
    pairs = assign({10: 2, 11: 2}, [1, 2, 3], {}, loads, seed=1)
    assert {reviewer for _, reviewer in pairs} == {2, 3}
    assert loads == {1: 5, 2: 2, 3: 2}


def test_an_article_with_too_few_eligible_reviewers_is_refused_before_anything_is_assigned():
    loads = {}
    with pytest.raises(Unassignable, match="Article 7 needs 2 reviewers but only 1"):
        assign({6: 1, 7: 2}, [1, 2], {7: {2}}, loads, seed=0)
    assert loads == {1: 0, 2: 0}


def test_the_tie_break_is_a_fixed_order_from_the_seed():
    assert tie_break([3, 1, 2], 42) == tie_break([1, 2, 3], 42)
    assert sorted(tie_break([1, 2, 3], 42).values()) == [0, 1, 2]


@given(st.lists(st.integers(1, 10**6), unique=True, max_size=200), st.floats(0, 1), st.integers(0, 2**31))
def test_the_reliability_sample_is_its_share_of_the_articles_and_the_seed_fixes_it(articles, share, seed):
    sample = reliability_sample(articles, share, seed)
    assert sample <= set(articles)
    assert len(sample) == round(share * len(articles))
    assert sample == reliability_sample(list(reversed(articles)), share, seed)
