"""Polling feeds and sitemaps from a local server (dossier.polling, manage.py poll_sources)."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from webserver import Route, page

from dossier import polling
from dossier.ingest.drafts import BadInput
from dossier.ingest.feeds import feed_entries, sitemap_entries
from dossier.models import Article, Outlet, Source

pytestmark = pytest.mark.django_db


def rss(*links):
    items = "".join(f"<item><title>{link}</title><link>{link}</link><pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate>"
                    "</item>" for link in links)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{items}</channel></rss>'.encode()


def sitemap(*links):
    urls = "".join(f"<url><loc>{link}</loc><lastmod>2026-12-01</lastmod></url>" for link in links)
    return (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
            .encode())


def story(number):
    return page(f"Story {number}", [f"Story number {number} says that officials met on the border on Tuesday.",
                                    "Reports indicate that smuggling has grown."])


@pytest.fixture(autouse=True)
def no_pause(monkeypatch):
    # The pace between requests to one host is tested with the fetcher; here it would only slow the tests.
    monkeypatch.setattr(polling, "PACE", 0)


@pytest.fixture
def outlet():
    return Outlet.objects.create(name="Example News")


def feed_source(web, outlet, path="/feed.xml", kind=Source.Kind.FEED):
    return Source.objects.create(kind=kind, url=web.url(path), outlet=outlet)


def test_a_feed_poll_imports_its_entries_under_the_sources_outlet(web, outlet):
    web.routes["/feed.xml"] = Route(rss(web.url("/a"), web.url("/b")), content_type="application/rss+xml")
    web.routes["/a"], web.routes["/b"] = Route(story(1)), Route(story(2))
    source = feed_source(web, outlet)

    [result] = polling.poll_sources()

    assert (result.new, result.unchanged, result.failed) == (2, 0, 0)
    assert sorted(Article.objects.values_list("title", "outlet__name")) == [
        ("Story 1", "Example News"), ("Story 2", "Example News")]
    source.refresh_from_db()
    assert (source.last_new, source.last_unchanged, source.last_failed) == (2, 0, 0)
    assert source.last_polled_at is not None


def test_a_second_poll_counts_seen_entries_as_unchanged_and_fetches_none_of_them(web, outlet):
    web.routes["/feed.xml"] = Route(rss(web.url("/a")), content_type="application/rss+xml")
    web.routes["/a"] = Route(story(1))
    feed_source(web, outlet)
    polling.poll_sources()
    web.requests.clear()

    [result] = polling.poll_sources()

    assert (result.new, result.unchanged, result.failed) == (0, 1, 0)
    assert [path for path, _ in web.requests] == ["/feed.xml"]


def test_a_feed_that_answers_not_modified_to_its_etag_imports_nothing(web, outlet):
    web.routes["/feed.xml"] = Route(rss(web.url("/a")), content_type="application/rss+xml", etag='"v1"')
    web.routes["/a"] = Route(story(1))
    source = feed_source(web, outlet)
    polling.poll_sources()

    [result] = polling.poll_sources()

    source.refresh_from_db()
    assert source.etag == '"v1"'
    assert web.requests[-1][1]["If-None-Match"] == '"v1"'
    assert (result.new, result.unchanged, result.failed, result.error) == (0, 0, 0, "")


def test_a_failing_entry_is_named_and_does_not_stop_the_others(web, outlet):
    web.routes["/feed.xml"] = Route(rss(web.url("/a"), web.url("/gone"), web.url("/c")),
                                    content_type="application/rss+xml")
    web.routes["/a"], web.routes["/c"] = Route(story(1)), Route(story(3))
    source = feed_source(web, outlet)

    [result] = polling.poll_sources()

    assert (result.new, result.failed) == (2, 1)
    source.refresh_from_db()
    assert f"{web.url('/gone')}: failed: HTTP error (404 Not Found)" in source.last_error


def test_a_sitemap_poll_imports_its_pages(web, outlet):
    web.routes["/sitemap.xml"] = Route(sitemap(web.url("/a"), web.url("/b")), content_type="application/xml")
    web.routes["/a"], web.routes["/b"] = Route(story(1)), Route(story(2))
    feed_source(web, outlet, "/sitemap.xml", Source.Kind.SITEMAP)

    [result] = polling.poll_sources()

    assert result.new == 2 and Article.objects.count() == 2


def test_a_sitemap_index_is_followed_one_level(web, outlet):
    index = (f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>{web.url("/s1.xml")}'
             "</loc></sitemap></sitemapindex>").encode()
    web.routes["/index.xml"] = Route(index, content_type="application/xml")
    web.routes["/s1.xml"] = Route(sitemap(web.url("/a")), content_type="application/xml")
    web.routes["/a"] = Route(story(1))
    feed_source(web, outlet, "/index.xml", Source.Kind.SITEMAP)

    assert polling.poll_sources()[0].new == 1


@pytest.mark.parametrize("kind, body, reason", [
    (Source.Kind.FEED, b"<html><body>not a feed</body></html>", "malformed feed"),
    (Source.Kind.SITEMAP, b"<urlset><url><loc>x</loc></urlset>", "malformed sitemap: "),
    (Source.Kind.SITEMAP, b"<rss/>", "the root element is <rss>"),
])
def test_a_malformed_feed_or_sitemap_is_reported_with_its_parse_error(web, outlet, kind, body, reason):
    web.routes["/source.xml"] = Route(body, content_type="application/xml")
    source = feed_source(web, outlet, "/source.xml", kind)

    [result] = polling.poll_sources()

    assert reason in result.error
    source.refresh_from_db()
    assert reason in source.last_error and Article.objects.count() == 0


def test_a_sitemap_never_expands_entities():
    bomb = b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaaaa">]><urlset><url><loc>&a;</loc></url></urlset>'
    try:
        entries, _ = sitemap_entries(bomb)
    except BadInput:
        return
    assert entries == [] or "aaaaaaaaaa" not in entries[0][0]


def test_feed_entries_read_rss_and_atom():
    atom = (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
            b'<entry><title>E</title><link href="https://news.example/e"/><updated>2026-12-01T10:00:00Z</updated>'
            b"</entry></feed>")
    assert feed_entries(atom) == [("https://news.example/e", "2026-12-01T10:00:00Z")]
    assert feed_entries(rss("https://news.example/r"))[0][0] == "https://news.example/r"


def test_the_command_polls_prints_counts_and_fails_on_a_failed_source(web, outlet):
    web.routes["/feed.xml"] = Route(rss(web.url("/a")), content_type="application/rss+xml")
    web.routes["/a"] = Route(story(1))
    feed_source(web, outlet)
    Source.objects.create(kind=Source.Kind.FEED, url=web.url("/missing.xml"), outlet=outlet)
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match="1 source\\(s\\) failed"):
        call_command("poll_sources", stdout=out, stderr=err)

    assert "2 sources: 1 new, 0 unchanged, 0 failed entries, 1 failed sources." in out.getvalue()
    assert f"{web.url('/missing.xml')}: failed: HTTP error (404 Not Found)" in err.getvalue()


def test_the_command_with_no_sources_says_so():
    with pytest.raises(CommandError, match="No sources to poll"):
        call_command("poll_sources", stdout=StringIO())
