import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from factories import make_article

from dossier.models import Article, Passage, content_hash

pytestmark = pytest.mark.django_db


def test_content_hash_and_word_count_are_derived_from_the_body():
    article = make_article(body="Üç kelime burada.")
    assert article.content_hash == content_hash("Üç kelime burada.")
    assert article.word_count == 3


def test_database_refuses_two_articles_with_the_same_text():
    article = make_article(body="Same words.")
    clone = Article(title="Clone", body=article.body, original_text=article.body)
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_database_refuses_two_passages_at_the_same_position():
    article = make_article(body="Only one sentence.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Passage.objects.create(article=article, paragraph=0, sentence=0, start=0, end=4)


@pytest.mark.parametrize(("start", "end"), [(5, 5), (6, 2)])
def test_database_refuses_a_passage_that_does_not_start_before_it_ends(start, end):
    article = make_article(body="Only one sentence.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Passage.objects.create(article=article, paragraph=9, sentence=0, start=start, end=end)


def test_body_cannot_change_once_passages_exist():
    article = make_article(body="Original words here.")
    article.body = "Edited words here."
    with pytest.raises(ValidationError, match="cannot change"):
        article.full_clean()


def test_paragraphs_group_passages_in_reading_order_with_one_query(django_assert_num_queries):
    article = make_article(body="A one. A two.\n\nB one.")
    article = Article.objects.get(pk=article.pk)
    with django_assert_num_queries(1):
        paragraphs = [[p.text for p in paragraph] for paragraph in article.paragraphs()]
    assert paragraphs == [["A one.", "A two."], ["B one."]]


def test_the_text_as_imported_reads_back_exactly_and_costs_nothing_when_it_is_the_body():
    same = make_article(body="Already clean text.")
    assert bytes(same.original) == b"" and same.original_text == "Already clean text."
    raw = "  Не  чистый\u00a0текст.\r\n\r\n\r\nВторой абзац.  " * 20
    cleaned = make_article(body=raw)
    stored = Article.objects.get(pk=cleaned.pk)
    assert stored.original_text == raw != stored.body
    assert 0 < len(bytes(stored.original)) < len(raw.encode("utf-8")) / 4  # compressed
    # Deferred as the lists defer it, then read: still the text as imported.
    assert Article.objects.for_list().get(pk=cleaned.pk).original_text == raw
