"""Keyset pages (dossier.tables.KeysetPaginator) on the articles table, the queue, the rankings and profiles:
every page at any depth is the rows a full sorted read gives at that position, NULLs last either way."""
import datetime

import pytest
from django.core import signing
from django.urls import reverse
from factories import make_article, make_review

from dossier.models import Article, Outlet
from dossier.tables import KeysetPaginator

from annotations import columns

pytestmark = pytest.mark.django_db
LIST, QUEUE = reverse("annotations:articles"), reverse("annotations:queue")
ON_PAGE = [column.name for column in columns.CREDIBILITY if column.on_page and column.name in columns.SORTABLE]


@pytest.fixture
def corpus(reviewer, other_reviewer):
    """13 articles with ties in every column, NULL dates, outlets and scores, a review or two on most."""
    flags = [{0: "q"}, {0: "u"}, {0: "o"}, {0: "q", 1: "u"}, {}, {0: "q"}]
    for n in range(13):
        article = make_article(
            title=f"Title {n}", body=f"Claim {n} here. Second part. " + "More words. " * (n % 3),
            outlet=f"Outlet {n % 3}" if n % 5 else None, language=["en", "tr", "fa"][n % 3],
            published=(datetime.date(2024, 1, 1 + n % 2).isoformat() if n % 4 else None),
        )
        Article.objects.filter(pk=article.pk).update(title=f"Title {n % 4}")  # ties (make_article finds by title)
        if n % 6 != 4:
            make_review(article, reviewer, flags[n % 6], submit=n % 7 != 3)
        if n % 3 == 0:
            make_review(article, other_reviewer, flags[(n + 1) % 6])


def walk(client, url, query, per_page=2):
    """Every page's ids following Next from the first page, then Previous back from the last one."""
    forward, cursor, pages = [], None, 0
    while True:
        page = client.get(url, {**query, "per_page": per_page, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200
        table = page.context["table"]
        forward.append([row.record.pk for row in table.page.object_list])
        cursor, pages = table.page.next_cursor, pages + 1
        if cursor is None:
            break
        assert pages < 50
    backward, cursor = [forward[-1]], table.page.previous_cursor
    while cursor is not None:
        table = client.get(url, {**query, "per_page": per_page, "cursor": cursor}).context["table"]
        backward.insert(0, [row.record.pk for row in table.page.object_list])
        cursor = table.page.previous_cursor
    return forward, backward


def whole(client, url, query):
    """The full sorted read: every row on one page (the first, which has no cursor)."""
    table = client.get(url, {**query, "per_page": 100}).context["table"]
    assert table.page.next_cursor is None
    return [row.record for row in table.page.object_list]


@pytest.mark.parametrize("sort", [*ON_PAGE, *(f"-{name}" for name in ON_PAGE), ""])
@pytest.mark.parametrize("query", [{}, {"status": "reviewed"}])
def test_every_page_of_the_articles_table_is_the_full_reads_rows_at_its_position(
    client, editor, corpus, sort, query
):
    client.force_login(editor)
    query = {**query, "sort": sort}
    rows = whole(client, LIST, query)
    ids = [row.pk for row in rows]
    forward, backward = walk(client, LIST, query)
    assert [pk for page in forward for pk in page] == ids
    assert [len(page) for page in forward[:-1]] == [2] * (len(forward) - 1)
    assert backward == forward  # Previous leads back through the same pages
    column = columns.SORTABLE.get(sort.removeprefix("-"))
    if column is not None and column.path != columns.AUTHORS:
        # Undefined values last, in either direction.
        undefined = [column.read(row) is None for row in rows]
        assert undefined == sorted(undefined)


@pytest.mark.parametrize("sort", ["", "title", "-title", "outlet", "-outlet", "language", "-word_count",
                                  "review_status", "-review_status"])
def test_every_page_of_the_queue_is_the_full_reads_rows_at_its_position(client, reviewer, corpus, sort):
    client.force_login(reviewer)
    ids = [row.pk for row in whole(client, QUEUE, {"sort": sort})]
    forward, backward = walk(client, QUEUE, {"sort": sort}, per_page=3)
    assert [pk for page in forward for pk in page] == ids and backward == forward


def test_the_queue_defaults_to_the_newest_articles_first(client, reviewer, corpus):
    client.force_login(reviewer)
    expected = list(Article.objects.order_by("-imported_at", "-id").values_list("pk", flat=True))
    assert [row.pk for row in whole(client, QUEUE, {})] == expected


def test_pages_are_stable_under_inserts(client, reviewer, corpus):
    client.force_login(reviewer)
    first = client.get(QUEUE, {"per_page": 4}).context["table"].page
    second = client.get(QUEUE, {"per_page": 4, "cursor": first.next_cursor}).context["table"]
    make_article(title="Newest of all", body="Just in. Yes.")  # sorts first: shifts no page after the cursor
    again = client.get(QUEUE, {"per_page": 4, "cursor": first.next_cursor}).context["table"]
    assert [r.record.pk for r in again.page.object_list] == [r.record.pk for r in second.page.object_list]


@pytest.mark.parametrize("url, sort", [(LIST, "title"), (LIST, "-word_count"), (QUEUE, ""), (QUEUE, "title")])
def test_a_deep_page_costs_the_queries_of_the_first(client, editor, reviewer, corpus, django_assert_num_queries,
                                                    url, sort):
    client.force_login(editor if url == LIST else reviewer)
    query = {"sort": sort, "per_page": 2}
    # session, user, roles, rows, authors; the count and the filter's flags (articles) or the assigned work (queue)
    queries = 7 if url == LIST else 6
    with django_assert_num_queries(queries):
        page = client.get(url, query).context["table"].page
    for _ in range(4):
        with django_assert_num_queries(queries):
            page = client.get(url, {**query, "cursor": page.next_cursor}).context["table"].page


@pytest.mark.parametrize("sort", ["-sourced_fact_share", "opinion_share"])
def test_a_score_sorts_pages_cost_the_first_pages_queries_but_where_scores_give_way_to_none(
    client, editor, corpus, sort
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(editor)
    counts, cursor = [], None
    while True:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(LIST, {"sort": sort, "per_page": 2, **({"cursor": cursor} if cursor else {})})
        counts.append(len(queries))
        cursor = page.context["table"].page.next_cursor
        if cursor is None:
            break
    # Each run (scores, then none) walks its own index: the page where the scores end also looks into the
    # NULLs (and reads their authors if it finds some), which one page or two can cost.
    assert set(counts) <= {counts[0], counts[0] + 1, counts[0] + 2}
    assert len([count for count in counts if count > counts[0]]) <= 2


def test_the_pager_links_first_previous_and_next_and_a_sort_starts_again(client, reviewer, corpus):
    client.force_login(reviewer)
    first = client.get(QUEUE, {"per_page": 4})
    html = first.content.decode()
    assert 'rel="next"' in html and 'rel="prev"' not in html and ">First<" not in html
    cursor = first.context["table"].page.next_cursor
    html = client.get(QUEUE, {"per_page": 4, "cursor": cursor}).content.decode()
    assert 'rel="prev"' in html and 'rel="next"' in html and '>First</a>' in html
    assert 'aria-label="My review queue pages"' in html
    head = html.split("<thead")[1].split("</thead>")[0]
    assert "cursor=" not in head  # a new sort starts from its first page


@pytest.mark.parametrize("cursor", [
    "garbage",
    signing.dumps({"s": [["title", False], ["id", False]], "v": ["x", 1]}, salt="other.salt"),
    signing.dumps({"s": [["title", False], ["id", False]], "v": ["x", 1]}, salt=KeysetPaginator.SALT),  # another sort
    signing.dumps({"s": [["imported_at", True], ["id", True]], "v": ["not a date", "x"]}, salt=KeysetPaginator.SALT),
    signing.dumps({"s": [["imported_at", True], ["id", True]], "v": [1]}, salt=KeysetPaginator.SALT),
    signing.dumps(["a list"], salt=KeysetPaginator.SALT),
])
def test_a_bad_or_stale_cursor_shows_the_first_page_and_says_so(client, reviewer, corpus, cursor):
    client.force_login(reviewer)
    response = client.get(QUEUE, {"per_page": 4, "cursor": cursor})
    assert response.status_code == 200
    first = client.get(QUEUE, {"per_page": 4}).context["table"].page.object_list
    assert [r.record.pk for r in response.context["table"].page.object_list] == [r.record.pk for r in first]
    assert "That page link is out of date or damaged" in response.content.decode()


def test_pages_keep_their_filter_and_page_size(client, editor, corpus):
    client.force_login(editor)
    forward, _ = walk(client, LIST, {"language": "en"}, per_page=1)
    assert len(forward) == Article.objects.filter(language="en").count()
    page = client.get(LIST, {"per_page": 500}).context["table"].paginator
    assert page.per_page == 100


def test_a_profiles_articles_come_in_keyset_pages(client, editor, corpus):
    client.force_login(editor)
    outlet = Outlet.objects.get(name="Outlet 1")
    url = reverse("annotations:outlet", args=[outlet.pk])
    forward, backward = walk(client, url, {"sort": "-sourced_fact_share"})
    assert sorted(pk for page in forward for pk in page) == sorted(outlet.articles.values_list("pk", flat=True))
    assert backward == forward


@pytest.mark.parametrize("sort", ["", "name", "-article_count", "sourced_fact_share", "-reviewed_count"])
def test_the_rankings_come_in_keyset_pages(client, editor, reviewer, sort, monkeypatch):
    from annotations import aggregates

    monkeypatch.setattr(aggregates, "MIN_RANKED", 1)
    for n in range(7):
        article = make_article(body=f"Claim {n}. Another {n}.", outlet=f"Outlet {n % 5}", authors=[f"Author {n}"])
        if n % 3:
            make_review(article, reviewer, {0: "qu"[n % 2]})
    client.force_login(editor)
    for name in ("outlets", "authors"):
        url = reverse(f"annotations:{name}")
        table = client.get(url, {"sort": sort, "per_page": 100}).context["table"]
        ids = [row.record.pk for row in table.page.object_list]
        forward, backward = walk(client, url, {"sort": sort})
        assert [pk for page in forward for pk in page] == ids and backward == forward



def test_previous_back_to_the_start_costs_the_first_pages_queries(client, reviewer, corpus,
                                                                   django_assert_num_queries):
    client.force_login(reviewer)
    second = client.get(QUEUE, {"per_page": 3, "cursor": client.get(QUEUE, {"per_page": 3})
                                .context["table"].page.next_cursor}).context["table"].page
    with django_assert_num_queries(6):
        first = client.get(QUEUE, {"per_page": 3, "cursor": second.previous_cursor}).context["table"].page
    assert not first.has_previous() and first.has_next()
