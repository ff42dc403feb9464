"""Importing by address (dossier.ingest.import_urls) from a local server, and versions of an article."""
import pytest
from factories import table_counts
from webserver import Route, page

from dossier.ingest import import_url, import_urls
from dossier.models import Archive, Article, ArticleVersion, normalise_address

pytestmark = pytest.mark.django_db

PARAGRAPHS = [
    "Iran and Pakistan agreed on Tuesday to patrol their shared border together, officials in both capitals said.",
    "Reports indicate that smuggling across the border has grown in the past year.",
    "The Foreign Ministry spokesperson asked both sides to keep the talks going.",
]


def test_a_page_is_fetched_extracted_and_kept_as_the_articles_archive(web):
    web.routes["/news/story"] = Route(page("Border deal", PARAGRAPHS))

    result = import_url(web.url("/news/story"))

    assert not result.failed, result.error
    article = Article.objects.get()
    assert article.title == "Border deal"
    assert article.url == web.url("/news/story")
    assert article.body.split("\n\n") == PARAGRAPHS
    assert article.language == "en"  # from <html lang>
    archive = article.archives.get()
    assert archive.content() == web.routes["/news/story"].body
    assert archive.size == len(web.routes["/news/story"].body) and len(bytes(archive.data)) < archive.size
    assert (archive.url, archive.status, archive.content_type, archive.version) == (
        web.url("/news/story"), 200, "text/html", 1)
    assert archive.http_date is not None and archive.fetched_at is not None


def test_the_article_keeps_the_final_address_after_a_redirect(web):
    web.routes["/short"] = Route(status=301, headers={"Location": "/news/story"})
    web.routes["/news/story"] = Route(page("Border deal", PARAGRAPHS))

    import_url(web.url("/short"))

    assert Article.objects.get().url == web.url("/news/story")


@pytest.mark.parametrize("route, reason", [
    (Route(b"%PDF", content_type="application/pdf"), "not HTML or XML"),
    (Route(b"<rss/>", content_type="application/rss+xml"), "not HTML or XML"),
    (Route(b"<html><head><title>Empty</title></head><body><div></div></body></html>"), "no article text found"),
    (Route(b"<h1>Gone</h1>", status=410), "HTTP error (410 Gone)"),
])
def test_a_failed_fetch_names_the_address_and_reason_and_saves_nothing(web, route, reason):
    web.routes["/bad"] = route

    result = import_url(web.url("/bad"))

    assert result.failed and reason in result.error
    assert result.summary().startswith(web.url("/bad"))
    assert table_counts() == (0, 0, 0, 0) and not Archive.objects.exists()


def test_a_refused_address_saves_nothing(settings):
    settings.DOSSIER_FETCH_ALLOW_LOOPBACK = False
    result = import_url("http://127.0.0.1:9/x")

    assert result.failed and "refused address" in result.error
    assert table_counts() == (0, 0, 0, 0)


def test_one_failing_address_does_not_stop_the_others(web):
    web.routes["/a"] = Route(page("First", PARAGRAPHS))
    web.routes["/c"] = Route(page("Third", PARAGRAPHS[::-1]))

    report = import_urls([web.url("/a"), web.url("/missing"), web.url("/c")])

    assert (report.imported, report.failed) == (2, 1)
    assert sorted(Article.objects.values_list("title", flat=True)) == ["First", "Third"]


def test_the_same_page_again_is_a_duplicate_and_changes_nothing(web):
    web.routes["/story"] = Route(page("Border deal", PARAGRAPHS))
    import_url(web.url("/story"))

    again = import_url(web.url("/story"))

    assert again.duplicates == ["Border deal"] and not again.imported
    assert Article.objects.get().version == 1
    assert Archive.objects.count() == 1 and not ArticleVersion.objects.exists()


def test_a_changed_page_at_the_same_address_becomes_a_new_version_of_the_same_article(web):
    web.routes["/story"] = Route(page("Border deal", PARAGRAPHS))
    import_url(web.url("/story"))
    first = Article.objects.get()
    old_body = first.body
    edited = [PARAGRAPHS[0], "Reports indicate that smuggling has doubled.", PARAGRAPHS[2]]
    web.routes["/story"] = Route(page("Border deal, updated", edited))

    result = import_url(web.url("/story?utm_source=feed#top"))  # the same address, normalised

    assert result.imported == ["Border deal, updated (version 2)"]
    article = Article.objects.get()
    assert (article.pk, article.version, article.title) == (first.pk, 2, "Border deal, updated")
    assert article.body.split("\n\n") == edited
    assert [p.text for p in article.passages.all()] == edited
    old = article.versions.get()
    assert (old.number, old.title, old.body) == (1, "Border deal", old_body)
    assert [" ".join(paragraph) for paragraph in old.paragraphs()] == PARAGRAPHS
    assert list(article.archives.values_list("version", flat=True)) == [2, 1]


def test_addresses_are_normalised_for_identity():
    assert normalise_address("HTTPS://Example.COM:443/a/?utm_source=x&b=2&a=1#frag") == "https://example.com/a?a=1&b=2"
    assert normalise_address("http://example.com") == "http://example.com/"
    assert normalise_address("http://example.com:8080/x") == "http://example.com:8080/x"
    assert normalise_address("") == ""
