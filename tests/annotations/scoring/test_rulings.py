"""Figures after rulings: a ruled disputed passage counts as its ruling; nothing else moves, alpha least of all."""
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations import scoring

CATEGORIES = st.sampled_from(scoring.FLAG_CATEGORIES)


@st.composite
def articles(draw):
    passages = [(n, draw(st.integers(1, 200))) for n in range(draw(st.integers(1, 15)))]
    reviews = {
        key: {passage: {draw(CATEGORIES)} for passage, _ in passages if draw(st.booleans())}
        for key in range(draw(st.integers(1, 4)))
    }
    rulings = {passage: draw(CATEGORIES) for passage, _ in passages if draw(st.booleans())}
    return passages, reviews, rulings


@settings(max_examples=200, deadline=None)
@given(articles())
def test_rulings_replace_only_disputed_passages_and_leave_the_alphas_as_the_reviewers_gave_them(article):
    passages, reviews, rulings = article
    before = scoring.score(passages, reviews)
    after = scoring.score(passages, reviews, rulings=rulings)
    ruled = {p for p, _ in passages if before.consensus[p] == scoring.DISPUTED and p in rulings}
    for passage, _ in passages:
        expected = rulings[passage] if passage in ruled else before.consensus[passage]
        assert after.consensus[passage] == expected
    lengths = dict(passages)
    ruled_chars = sum(lengths[p] for p in ruled)
    assert after.shares.chars[scoring.DISPUTED] == before.shares.chars[scoring.DISPUTED] - ruled_chars
    assert after.shares.total == before.shares.total
    assert (after.agreement, after.alpha_fact, after.alpha_sourcing) == (
        before.agreement, before.alpha_fact, before.alpha_sourcing)
    if after.bounds is not None and after.shares.sourced_fact_share is not None:
        low, high = after.bounds
        assert low <= after.shares.sourced_fact_share <= high
