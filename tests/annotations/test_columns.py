"""The one list of articles-table columns: the page, its rows and every export read it."""
import datetime

import pytest
from django.test import RequestFactory
from factories import make_article, make_review

from annotations import columns
from annotations.models import ScoredArticle
from annotations.tables import CredibilityTable

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_columns_on_the_page_in_the_lists_order_with_its_headers():
    table = CredibilityTable([])
    shown = [(column.name, column.header) for column in table.columns]
    assert shown == [(column.name, column.header) for column in columns.CREDIBILITY if column.on_page]


def test_sortable_columns_are_the_pages_orderable_ones():
    table = CredibilityTable([])
    assert set(columns.SORTABLE) == {column.name for column in table.columns.iterall() if column.orderable}


def test_percent_columns_say_so_in_the_export_header():
    headers = {column.name: column.export_header for column in columns.CREDIBILITY}
    assert headers["sourced_fact_share"] == "Sourced-fact share (%)" and headers["agreement"] == "Agreement (α)"


def test_a_cell_reads_through_missing_relations_as_undefined(reviewer):
    article = ScoredArticle.objects.for_table().get(pk=make_article(published="2025-03-04").pk)
    cells = {column.name: column.cell(article) for column in columns.CREDIBILITY}
    assert cells["outlet"] == "—" and cells["authors"] == "—" and cells["sourced_fact_share"] == "—"
    assert cells["published"] == "2025-03-04" and cells["status"] == "Not started"


def test_sort_drops_unknown_names_and_follows_the_rest():
    first, second = make_article(title="B"), make_article(title="A")
    articles = ScoredArticle.objects.for_table()
    assert list(columns.sort(articles, ["reviewer__password", "title"]).values_list("pk", flat=True)) == [
        second.pk, first.pk]
    assert list(columns.sort(articles, ["-title"]).values_list("pk", flat=True)) == [first.pk, second.pk]
    unchanged = columns.sort(articles, ["nonsense"])
    assert unchanged.query.order_by == articles.query.order_by


def test_a_score_sort_takes_over_and_puts_undefined_scores_last(reviewer):
    unsourced, sourced = make_article(body="Claim x. Claim y."), make_article(body="Claim z. Claim w.")
    make_review(unsourced, reviewer, {0: "u"})
    make_review(sourced, reviewer, {0: "q"})
    unreviewed = make_article()
    order = columns.sort(ScoredArticle.objects.for_table(), ["title", "-sourced_fact_share"])
    assert list(order.values_list("pk", flat=True)) == [sourced.pk, unsourced.pk, unreviewed.pk]


def test_export_values_are_plain_numbers_and_text():
    by_name = {column.name: column for column in columns.CREDIBILITY}
    assert by_name["sourced_fact_share"].export(0.4213) == 42.1
    assert by_name["agreement"].export(0.41666) == 0.417
    assert by_name["published"].export(datetime.date(2025, 1, 2)) == "2025-01-02"
    assert by_name["status"].export("in_review") == "In review"


def test_rows_give_each_article_its_summary_address(reviewer):
    from annotations.exports.rows import table_rows

    article = make_article()
    absolute = RequestFactory().get("/").build_absolute_uri
    header, row = table_rows(ScoredArticle.objects.for_table(), columns.CREDIBILITY, absolute)
    assert row[header.index("Summary URL")] == f"http://testserver/articles/{article.pk}/summary/"
    assert row[header.index("ID")] == article.pk and row[header.index("Source URL")] is None
