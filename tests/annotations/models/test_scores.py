import pytest
from factories import make_article, make_review

from annotations.models import ArticleSummary, ScoredArticle

pytestmark = pytest.mark.django_db


def test_for_table_gives_stored_scores_and_status_in_one_query(reviewer, other_reviewer, django_assert_num_queries):
    reviewed = make_article(body="Claim one. Claim two.")
    make_review(reviewed, reviewer, {0: "q", 1: "u"})
    started = make_article()
    make_review(started, other_reviewer, {0: "o"}, submit=False)
    untouched = make_article()
    with django_assert_num_queries(1):
        rows = {row.pk: row for row in ScoredArticle.objects.for_table().prefetch_related(None)}
    assert rows[reviewed.pk].status == ArticleSummary.Status.REVIEWED and rows[reviewed.pk].reviewers == 1
    assert 0 < rows[reviewed.pk].sourced_fact_share < 1
    assert rows[started.pk].status == ArticleSummary.Status.IN_REVIEW and rows[started.pk].reviews_in_progress == 1
    assert rows[untouched.pk].status == ArticleSummary.Status.NOT_STARTED
    assert rows[untouched.pk].sourced_fact_share is None and rows[untouched.pk].reviewers == 0


@pytest.mark.parametrize("status", ArticleSummary.Status.values)
def test_with_status_agrees_with_the_status_annotation(reviewer, other_reviewer, status):
    make_review(make_article(), reviewer, {0: "q"})
    make_review(make_article(), other_reviewer, {0: "o"}, submit=False)
    make_article()
    filtered = set(ScoredArticle.objects.with_summary().with_status(status).values_list("pk", flat=True))
    annotated = set(ScoredArticle.objects.with_summary().filter(status=status).values_list("pk", flat=True))
    assert filtered == annotated and len(filtered) == 1


@pytest.mark.parametrize("descending", [False, True])
def test_by_score_puts_undefined_scores_last_either_way_and_breaks_ties_on_the_id(reviewer, descending):
    low, high, tie = (make_article(body=f"Claim {n}. Claim two.") for n in range(3))
    make_review(low, reviewer, {0: "u", 1: "u"})  # 0% sourced
    make_review(high, reviewer, {0: "q", 1: "q"})  # 100% sourced
    make_review(tie, reviewer, {0: "q", 1: "q"})
    unreviewed = make_article()
    order = list(ScoredArticle.objects.with_summary().by_score("sourced_fact_share", descending)
                 .values_list("pk", flat=True))
    # Equal scores fall back to the id, in the same direction, so pages never shuffle them.
    expected = [tie.pk, high.pk, low.pk] if descending else [low.pk, high.pk, tie.pk]
    assert order == [*expected, unreviewed.pk]


def test_next_for_is_the_review_in_progress_then_the_newest_not_started(reviewer, django_assert_num_queries):
    older, newer, done = make_article(), make_article(), make_article()
    make_review(done, reviewer, {0: "q"})
    with django_assert_num_queries(1):
        assert ScoredArticle.objects.next_for(reviewer).pk == newer.pk
    make_review(older, reviewer, {0: "q"}, submit=False)
    assert ScoredArticle.objects.next_for(reviewer).pk == older.pk
    make_review(newer, reviewer, {})
    older.reviews.get().submit()
    assert ScoredArticle.objects.next_for(reviewer) is None
