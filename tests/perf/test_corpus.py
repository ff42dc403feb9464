"""The synthetic corpus: deterministic, segmented as an import would be, with exact stored summaries."""
import unicodedata
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dossier.ingest.cleaning import normalise_body
from dossier.ingest.segmenting import segment
from dossier.models import Article, Outlet

from annotations import summaries
from annotations.models import Annotation, ArticleSummary, Review

from perf import corpus

pytestmark = pytest.mark.django_db


def contents():
    """The corpus by what it says, not by its ids: articles, passages, reviews and annotations."""
    articles = {}
    for article in Article.objects.prefetch_related("passages", "authors").select_related("outlet"):
        articles[article.body] = (
            article.title, article.outlet.name, article.language, sorted(a.name for a in article.authors.all()),
            [(p.paragraph, p.sentence, p.start, p.end) for p in article.passages.all()],
        )
    reviews = sorted(
        (review.article.body[:40], review.reviewer.username, review.status)
        for review in Review.objects.select_related("article", "reviewer")
    )
    annotations = sorted(Annotation.objects.values_list(
        "review__reviewer__username", "passage__article__content_hash", "passage__paragraph", "passage__sentence",
        "flag__name", "note",
    ))
    return articles, reviews, annotations


def test_passages_are_what_the_segmenter_finds_in_normalised_text():
    corpus.generate(40, 4, "segments")
    articles = Article.objects.prefetch_related("passages")
    assert len(articles) == 40
    for article in articles:
        assert normalise_body(article.body) == article.body
        assert unicodedata.is_normalized("NFC", article.body)
        found = [(s.paragraph, s.sentence, s.start, s.end) for s in segment(article.body)]
        assert [(p.paragraph, p.sentence, p.start, p.end) for p in article.passages.all()] == found
        assert article.word_count == len(article.body.split())


def test_stored_summaries_are_exact_and_the_check_command_agrees():
    corpus.generate(40, 5, "exact")
    ids = list(Article.objects.values_list("pk", flat=True))
    assert list(summaries.differences(ids)) == []
    out = StringIO()
    call_command("recompute_summaries", "--check", stdout=out, stderr=StringIO())
    assert "All 40 stored summaries are exact" in out.getvalue()


def test_the_corpus_is_varied_like_a_real_one():
    corpus.generate(300, 6, "variety")
    languages = set(Article.objects.values_list("language", flat=True))
    # Each outlet writes in one of five languages (Latin, Turkish, Cyrillic, Persian and Arabic script).
    assert len(languages) >= 3 and languages & {"ru", "fa", "ar"}
    assert languages <= {language.code for language in corpus.LANGUAGES}
    assert Outlet.objects.count() == corpus.outlets_for(300)
    passages = [article.passages.count() for article in Article.objects.all()[:50]]
    assert 40 <= sum(passages) / len(passages) <= 80  # about 60
    statuses = {summary.status for summary in ArticleSummary.objects.all()}
    assert {"in_review", "reviewed"} <= statuses <= {"not_started", "in_review", "reviewed"}
    assert ArticleSummary.objects.count() == Article.objects.count() == 300
    not_started = ArticleSummary.status_is(ArticleSummary.Status.NOT_STARTED, through="")
    assert ArticleSummary.objects.filter(not_started).exists()  # nobody started some
    agreement = [a for a in ArticleSummary.objects.values_list("agreement", flat=True) if a is not None]
    assert min(agreement) < 0.4 and max(agreement) > 0.8  # reviewers agree more on some articles
    assert Review.objects.filter(status="submitted").values("article").distinct().count() > 150
    categories = set(Annotation.objects.values_list("flag__category", flat=True))
    assert categories == {"sourced", "unsourced", "opinion", "neutral"}


def test_the_same_seed_and_size_give_the_same_corpus():
    corpus.generate(12, 3, "again")
    first = contents()
    Article.objects.all().delete()
    corpus.generate(12, 3, "again")
    assert contents() == first


def test_another_seed_gives_another_corpus_and_the_same_seed_twice_is_refused():
    corpus.generate(5, 2, "one")
    corpus.generate(5, 2, "two")
    assert Article.objects.count() == 10
    with pytest.raises(ValueError, match="seed one are in the database already"):
        corpus.generate(5, 2, "one")
    assert Article.objects.count() == 10


def test_the_command_reports_and_refuses_bad_sizes():
    out = StringIO()
    call_command("generate_corpus", "--articles", "3", "--reviewers", "2", "--seed", "cmd", stdout=out,
                 stderr=StringIO())
    assert "Generated 3 articles (seed cmd, 2 reviewers)" in out.getvalue()
    assert Article.objects.count() == 3
    with pytest.raises(CommandError, match="already"):
        call_command("generate_corpus", "--articles", "3", "--seed", "cmd", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError):
        call_command("generate_corpus", "--articles", "0", stdout=StringIO(), stderr=StringIO())


def test_too_few_reviewers_for_every_review_still_gives_exact_summaries_and_totals():
    # Three reviewers: an article drawn to have three submitted reviews and one in progress gets only
    # the three, and its summary must not count the fourth.
    call_command("generate_corpus", "--articles", "300", "--reviewers", "3", "--seed", "1", stdout=StringIO())
    out = StringIO()
    call_command("recompute_summaries", "--check", stdout=out, stderr=StringIO())
    assert "All 300 stored summaries are exact. So are the outlets' and authors' totals." in out.getvalue()
    assert ArticleSummary.objects.count() == 300
