import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factories import make_article

pytestmark = pytest.mark.django_db
LIST = reverse("dossier:article-list")


def test_anonymous_visitors_are_sent_to_login(client):
    article = make_article()
    for url in (LIST, article.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_article_list_shows_articles_with_outlet_and_authors(client, reviewer):
    make_article(title="Border talks", outlet="Example Times", authors=["Jane Doe"])
    client.force_login(reviewer)
    response = client.get(LIST)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Border talks" in content and "Example Times" in content and "Jane Doe" in content


def test_article_list_filters_by_title_and_language(client, reviewer):
    make_article(title="Border talks", language="en")
    make_article(title="Sınır görüşmeleri", language="tr")
    client.force_login(reviewer)

    by_title = client.get(LIST, {"q": "SINIR"}).content.decode()
    by_language = client.get(LIST, {"language": "en"}).content.decode()

    assert "Sınır görüşmeleri" in client.get(LIST, {"q": "görüş"}).content.decode()
    assert "Border talks" not in by_title
    assert "Border talks" in by_language and "Sınır" not in by_language


def test_article_list_has_a_helpful_empty_state(client, reviewer):
    client.force_login(reviewer)
    assert "No articles match" in client.get(LIST).content.decode()


def test_article_list_costs_the_same_queries_for_any_page_size(client, reviewer, django_assert_num_queries):
    client.force_login(reviewer)
    make_article(authors=["A"], outlet="O")
    # session, user, roles, count, page, authors prefetch, outlets for the filter's select
    with django_assert_num_queries(7):
        client.get(LIST)
    for n in range(30):
        make_article(body=f"Text number {n}.", authors=[f"Author {n}"], outlet=f"Outlet {n}")
    with django_assert_num_queries(7):
        client.get(LIST)


def test_article_page_shows_paragraphs_of_passages(client, reviewer):
    article = make_article(title="Headline", body="One. Two.\n\nThree.", authors=["Jane Doe"])
    client.force_login(reviewer)
    response = client.get(article.get_absolute_url())
    content = response.content.decode()
    assert content.count('class="paragraph"') == 2
    assert content.count('class="passage"') == 3
    assert "Jane Doe" in content


def test_article_page_query_count_does_not_grow_with_passages(client, reviewer, django_assert_num_queries):
    short = make_article(body="One.")
    long = make_article(body=" ".join(f"Sentence {n}." for n in range(200)))
    client.force_login(reviewer)
    # session, user, roles, article+outlet, authors, passages
    with django_assert_num_queries(6):
        client.get(short.get_absolute_url())
    with django_assert_num_queries(6):
        client.get(long.get_absolute_url())


def test_markup_in_titles_and_text_is_shown_as_text(client, reviewer):
    article = make_article(title="<script>alert(1)</script>", body="<img src=x onerror=alert(2)> Hello.")
    client.force_login(reviewer)
    for url in (LIST, article.get_absolute_url()):
        content = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in content
        assert "<img src=x" not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_missing_article_is_a_404(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("dossier:article-detail", args=[999999])).status_code == 404


@pytest.mark.parametrize(("per_page", "rows"), [("-1", 1), ("0", 50), ("100000", 100), ("abc", 50)])
def test_per_page_from_the_url_stays_within_bounds(client, reviewer, per_page, rows):
    import json as _json

    from dossier.importing import import_file

    records = "\n".join(_json.dumps({"title": f"T{n}", "body": f"Body {n}."}) for n in range(120))
    import_file("many.jsonl", records.encode())
    client.force_login(reviewer)
    response = client.get(LIST, {"per_page": per_page})
    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) == rows


def test_paging_through_one_import_shows_every_article_once(client, reviewer):
    import json as _json

    from dossier.importing import import_file

    records = "\n".join(_json.dumps({"title": f"Same time {n}", "body": f"Body {n}.", "language": "en"}) for n in range(120))
    import_file("many.jsonl", records.encode())  # one imported_at for all
    client.force_login(reviewer)
    for sort in ("", "language", "-imported_at"):
        seen = []
        for page in (1, 2, 3):
            table = client.get(LIST, {"page": page, "sort": sort}).context["table"]
            seen += [row.record.pk for row in table.page.object_list]
        assert len(seen) == len(set(seen)) == 120


def test_sorting_cannot_reach_into_related_fields(client, reviewer):
    make_article()
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"sort": "imported_by__password"})
    assert response.status_code == 200
    assert not any("password" in q["sql"] and "dossier_article" in q["sql"] for q in queries.captured_queries)
