import pytest
from django.urls import reverse
from factories import make_article

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_login(client):
    article = make_article()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


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
    # session, user, roles, article+outlet, authors, passages, versions, archives
    with django_assert_num_queries(8):
        client.get(short.get_absolute_url())
    with django_assert_num_queries(8):
        client.get(long.get_absolute_url())


def test_markup_in_titles_and_text_is_shown_as_text(client, reviewer):
    article = make_article(title="<script>alert(1)</script>", body="<img src=x onerror=alert(2)> Hello.")
    client.force_login(reviewer)
    content = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "<img src=x" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_missing_article_is_a_404(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("dossier:article-detail", args=[999999])).status_code == 404
