"""Outlets' and authors' stored totals stay exact through every change, and recompute_summaries proves it;
the rankings and profile pages read them at a cost that does not grow with the articles."""
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import make_article, make_review

from dossier.ingest import import_file
from dossier.models import Article, Author, Outlet

from annotations import aggregates, totals
from annotations.models import ArticleSummary, AuthorTotals, Flag, OutletTotals, Review, Ruling

pytestmark = pytest.mark.django_db


def check():
    """recompute_summaries --check's output; raises CommandError on any difference."""
    out = StringIO()
    try:
        call_command("recompute_summaries", "--check", stdout=out, stderr=StringIO())
    except CommandError:
        print(out.getvalue())
        raise
    return out.getvalue()


def stored(model, name):
    return totals.KINDS[model].objects.get(name=name)


def test_every_imported_article_has_a_summary_and_counts_in_its_outlet_and_authors():
    records = [{"title": f"T{n}", "body": f"Claim {n}. Said {n}.", "outlet": "Wire", "authors": ["Ann", "Bo"]}
               for n in range(3)]
    result = import_file("three.jsonl", "\n".join(json.dumps(record) for record in records).encode())
    assert not result.failed, result.error
    assert ArticleSummary.objects.count() == 3
    assert {summary.status for summary in ArticleSummary.objects.all()} == {ArticleSummary.Status.NOT_STARTED}
    assert stored(Outlet, "Wire").article_count == 3 and stored(Outlet, "Wire").reviewed_count == 0
    assert stored(Author, "Bo").article_count == 3
    assert "So are the outlets' and authors' totals." in check()


def test_totals_follow_reviews_submits_rulings_deletions_and_revisions(reviewer, other_reviewer, editor):
    url = "https://wire.example/story"
    article = make_article(body="Tanks moved. Analysts say.", outlet="Wire", authors=["Ann"], url=url)
    other = make_article(body="Rain fell. It was wet.", outlet="Wire", authors=["Ann", "Bo"])
    make_review(article, reviewer, {0: "q", 1: "u"})
    wire = stored(Outlet, "Wire")
    assert (wire.article_count, wire.reviewed_count, wire.sourced_chars) == (2, 1, 12)
    assert wire.flag_uses == {str(Flag.objects.get(shortcut="q").pk): 1, str(Flag.objects.get(shortcut="u").pk): 1}
    check()

    make_review(other, reviewer, {0: "o"}, submit=False)  # in progress: nothing counted yet
    assert stored(Author, "Bo").reviewed_count == 0
    Review.objects.get(article=other).submit()
    assert stored(Author, "Bo").reviewed_count == 1 and stored(Author, "Bo").opinion_chars == 10
    check()

    # A disputed passage ruled on: the totals add up the summary after its refresh.
    make_review(article, other_reviewer, {0: "u", 1: "u"})
    ruling = Ruling.objects.rule(article.passages.first(), Flag.Category.SOURCED, "Named source.", editor)
    check()
    ruling.delete()
    check()

    # A new version moves the article to another outlet and another author: both sides recounted.
    revised = import_file("again.json", json.dumps({
        "title": "Tanks", "body": "Tanks moved. Analysts say. More news.", "url": url, "outlet": "Post",
        "authors": ["Cy"],
    }).encode())
    assert not revised.failed, revised.error
    assert stored(Outlet, "Wire").article_count == 1 and stored(Outlet, "Post").reviewed_count == 1
    assert stored(Author, "Ann").article_count == 1 and stored(Author, "Cy").article_count == 1
    check()

    other.authors.remove(Author.objects.get(name="Bo"))
    assert stored(Author, "Bo").article_count == 0
    Article.objects.get(pk=other.pk).delete()
    assert stored(Outlet, "Wire").article_count == 0 and stored(Outlet, "Wire").flag_uses == {}
    Review.objects.filter(article=article).delete()
    assert stored(Outlet, "Post").reviewed_count == 0
    assert ArticleSummary.objects.get(article=article).status == ArticleSummary.Status.NOT_STARTED
    check()


def test_a_tampered_or_missing_total_fails_the_check_and_a_rebuild_mends_it(reviewer):
    article = make_article(outlet="Wire", authors=["Ann"])
    make_review(article, reviewer, {0: "q"})
    OutletTotals.objects.update(sourced_chars=99)
    AuthorTotals.objects.all().delete()
    with pytest.raises(CommandError, match="1 outlets' stored totals differ.*1 authors' stored totals differ"):
        check()
    call_command("recompute_summaries", stdout=StringIO())
    assert "So are the outlets' and authors' totals." in check()


def test_a_renamed_outlet_is_renamed_in_its_totals():
    make_article(outlet="Wire")
    outlet = Outlet.objects.get(name="Wire")
    outlet.name = "The Wire"
    outlet.save()
    assert OutletTotals.objects.get(pk=outlet.pk).name == "The Wire"
    check()


def test_the_profile_reads_its_distribution_and_flags_from_the_stored_totals(reviewer):
    for body in ("Tanks moved. Analysts say.", "Rain fell. It was wet."):
        make_review(make_article(body=body, outlet="Wire"), reviewer, {0: "q", 1: "o"})
    wire = stored(Outlet, "Wire")
    distribution = aggregates.distribution(wire)
    assert [band.count for band in distribution.bands] == [0] * 9 + [2] and distribution.without_facts == 0
    assert aggregates.most_used_flags(wire)[0][2] == 2
    assert wire.intervals_stale  # a submit leaves the resampling to the page
    resampled = aggregates.uncertainty(Article.objects.filter(outlet=wire.pk), seed=wire.pk)
    read = totals.of(Outlet, wire.pk, intervals=True)
    assert aggregates.stored_uncertainty(read) == resampled and resampled.sourced_fact_share is not None
    assert not stored(Outlet, "Wire").intervals_stale
    check()
    OutletTotals.objects.update(sourced_fact_share_ci_low=0.01)  # no longer stale: a wrong interval is caught
    with pytest.raises(CommandError, match="1 outlets' stored totals differ"):
        check()


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_rankings_and_profiles_cost_the_same_queries_for_any_number_of_articles(client, editor, reviewer):
    def counts(n):
        for _ in range(n):
            make_review(make_article(outlet="Same", authors=["Same Author"]), reviewer, {0: "u", 1: "q"})
        outlet, author = Outlet.objects.get(name="Same"), Author.objects.get(name="Same Author")
        return [_queries(client, url) for _ in range(2) for url in (
            reverse("annotations:outlets"), reverse("annotations:authors"),
            reverse("annotations:outlet", args=[outlet.pk]), reverse("annotations:author", args=[author.pk]),
        )]

    client.force_login(editor)
    # Rankings: session, user, roles, the ranked table's keyset page, the too-few table's page (neither counts).
    # Profiles: session, user, roles, the subject, its totals (with its intervals), the most used flags' names,
    # then the articles table's count, rows and authors; the first view after a submit resamples the
    # stale intervals (the sums, flag uses and reviewed summaries read again, stored, read back).
    assert counts(1) == counts(12) == [5, 5, 14, 14, 5, 5, 9, 9]


def test_a_submit_costs_the_same_queries_however_many_articles_its_outlet_and_authors_have(reviewer):
    def submit_one(n):
        for _ in range(n):
            make_review(make_article(outlet="Same", authors=["Ann", "Bo"]), reviewer, {0: "u", 1: "q"})
        review = make_review(make_article(outlet="Same", authors=["Ann", "Bo"]), reviewer, {0: "q"}, submit=False)
        with CaptureQueriesContext(connection) as queries:
            review.submit()
        return len(queries)

    # The submit, then its summary (lock, passages, reviews, annotations, upsert, flag uses replaced),
    # and the totals as deltas: the old summary with its outlet, its authors, its flag uses, then per
    # kind the locked totals rows and an UPDATE of each; never the group's other articles. One more: the
    # campaigns holding the article, whose stored figures the submit puts behind (campaigns.signals).
    assert submit_one(1) == submit_one(12) == 22
    assert stored(Outlet, "Same").reviewed_count == 15 and stored(Author, "Bo").article_count == 15
    check()


def test_a_deletion_of_many_articles_refreshes_their_outlets_and_authors_once(reviewer):
    def delete_all(n):
        for i in range(n):
            make_review(make_article(outlet="Wire", authors=["Ann", f"Writer {i % 3}"]), reviewer, {0: "q"})
        kept = make_article(outlet="Wire", authors=["Ann"])
        doomed = Article.objects.exclude(pk=kept.pk)
        with CaptureQueriesContext(connection) as queries:
            doomed.delete()
        assert stored(Outlet, "Wire").article_count == 1 and stored(Author, "Ann").article_count == 1
        assert stored(Outlet, "Wire").reviewed_count == 0 and stored(Author, "Writer 0").article_count == 0
        check()
        kept.delete()
        # The totals' own work (the audit trail still writes a row per deleted review, as it should).
        return sum("totals" in query["sql"] or "dossier_article_authors" in query["sql"]
                   for query in queries.captured_queries)

    # Once an article, every article deleted cost a refresh of every group it was in.
    assert delete_all(2) == delete_all(9)
