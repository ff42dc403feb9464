import socket

import pytest
from webserver import Route, page

from dossier.ingest import fetching
from dossier.ingest.fetching import MAX_REDIRECTS, Fetcher, Refused, fetch


def refused(url, reason):
    with pytest.raises(Refused) as caught:
        fetch(url)
    assert caught.value.reason == reason
    assert url in str(caught.value)
    return caught.value


def test_fetch_reads_a_page_with_its_final_address_status_date_and_type(web):
    web.routes["/story"] = Route(page("Story", ["Text."]))

    fetched = fetch(web.url("/story"))

    assert fetched.status == 200 and fetched.url == web.url("/story")
    assert fetched.content == web.routes["/story"].body
    assert fetched.content_type == "text/html" and fetched.is_html
    assert fetched.http_date.tzinfo is not None  # the server's Date header, read as UTC


def test_fetch_follows_redirects_and_reports_the_final_address(web):
    web.routes["/old"] = Route(status=301, headers={"Location": "/new"})
    web.routes["/new"] = Route(page("New", ["Text."]))

    assert fetch(web.url("/old")).url == web.url("/new")


def test_fetch_follows_at_most_five_redirects(web):
    for hop in range(MAX_REDIRECTS + 1):
        web.routes[f"/hop{hop}"] = Route(status=302, headers={"Location": f"/hop{hop + 1}"})
    web.routes[f"/hop{MAX_REDIRECTS + 1}"] = Route(page("End", ["Text."]))
    web.routes["/five"] = Route(status=302, headers={"Location": "/hop2"})  # five hops to the page

    assert fetch(web.url("/five")).url.endswith(f"/hop{MAX_REDIRECTS + 1}")
    error = refused(web.url("/hop0"), "too_many_redirects")
    assert "more than 5" in str(error)


def test_a_redirect_loop_is_refused_by_name(web):
    web.routes["/a"] = Route(status=302, headers={"Location": "/b"})
    web.routes["/b"] = Route(status=302, headers={"Location": "/a"})

    assert "redirect loop" in str(refused(web.url("/a"), "redirect_loop"))


def test_a_slow_answer_is_refused_as_too_slow(web, settings):
    settings.DOSSIER_FETCH_TIMEOUT = 0.3
    web.routes["/slow"] = Route(page("Slow", ["Text."]), delay=1.0)

    assert "too slow" in str(refused(web.url("/slow"), "too_slow"))


def test_an_oversized_answer_is_refused_by_its_length_header(web, settings):
    settings.DOSSIER_MAX_IMPORT_BYTES = 1000
    web.routes["/big"] = Route(b"<p>" + b"x" * 5000 + b"</p>")

    assert "too large" in str(refused(web.url("/big"), "too_large"))


def test_an_oversized_answer_without_a_length_is_refused_while_streaming(web, settings):
    settings.DOSSIER_MAX_IMPORT_BYTES = 1000
    # No length stated: the limit holds as the bytes arrive.
    web.routes["/big"] = Route(b"<p>" + b"x" * 100_000 + b"</p>", length=False)

    assert "more than" in str(refused(web.url("/big"), "too_large"))


def test_anything_but_html_or_xml_is_refused(web):
    web.routes["/file.pdf"] = Route(b"%PDF-1.4", content_type="application/pdf")
    web.routes["/none"] = Route(b"hello", content_type="")

    assert "application/pdf" in str(refused(web.url("/file.pdf"), "not_html"))
    refused(web.url("/none"), "not_html")


def test_feeds_and_sitemaps_are_xml_and_accepted(web):
    web.routes["/feed"] = Route(b"<rss/>", content_type="application/rss+xml")
    web.routes["/sitemap.xml"] = Route(b"<urlset/>", content_type="application/xml")

    assert fetch(web.url("/feed")).content == b"<rss/>"
    assert not fetch(web.url("/sitemap.xml")).is_html


def test_an_http_error_is_refused_with_its_status(web):
    assert "404 Not Found" in str(refused(web.url("/missing"), "http_error"))


def test_a_conditional_fetch_returns_not_modified(web):
    web.routes["/feed"] = Route(b"<rss/>", content_type="application/rss+xml", etag='"v1"')

    first = fetch(web.url("/feed"))
    again = fetch(web.url("/feed"), etag=first.etag)

    assert first.etag == '"v1"'
    assert again.not_modified and again.content == b""


@pytest.mark.parametrize("url", ["ftp://example.com/", "file:///etc/passwd", "javascript:alert(1)", "http:///path",
                                 "http://user:secret@example.com/"])
def test_only_http_and_https_addresses_are_fetched(url):
    refused(url, "bad_address")


@pytest.mark.parametrize("url, why", [
    ("http://127.0.0.1/", "loopback"),
    ("http://127.1.2.3:8000/", "loopback"),
    ("http://10.0.0.1/", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://172.16.0.1/", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://224.0.0.1/", "multicast"),
    ("http://240.0.0.1/", "reserved"),
    ("http://100.64.0.1/", "not a public address"),
    ("http://[::1]/", "loopback"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://[::ffff:10.0.0.1]/", "private"),
    ("http://[fe80::1]/", "link-local"),
    ("http://[fc00::1]/", "private"),
    ("http://[::]/", "unspecified"),
    ("http://[ff02::1]/", "multicast"),
])
def test_non_public_addresses_are_refused_before_connecting(url, why):
    error = refused(url, "refused_address")
    assert why in str(error)


def test_a_name_that_resolves_to_loopback_is_refused():
    error = refused("http://localhost/", "refused_address")
    assert "localhost is " in str(error) and "loopback" in str(error)


def test_a_name_with_any_private_address_among_its_addresses_is_refused(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 80)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 80)),
    ])
    assert "10.1.2.3, private" in str(refused("http://mixed.example/", "refused_address"))


def test_a_name_that_does_not_resolve_is_refused_by_name():
    refused("http://no-such-host.invalid/", "unresolvable")


def test_loopback_stays_refused_with_the_setting_off_even_for_the_local_server(web, settings):
    settings.DOSSIER_FETCH_ALLOW_LOOPBACK = False
    refused(web.url("/"), "refused_address")


def test_the_setting_allows_loopback_only_not_private_or_link_local(settings):
    settings.DOSSIER_FETCH_ALLOW_LOOPBACK = True
    refused("http://10.0.0.1/", "refused_address")
    refused("http://169.254.169.254/", "refused_address")


def test_a_redirect_to_loopback_is_refused(web, settings, monkeypatch):
    # The first hop stands for a public server: allowed once, then the setting is off for the redirect.
    web.routes["/out"] = Route(status=302, headers={"Location": "http://127.0.0.1:9/admin"})
    real, calls = fetching.refusal, []

    def first_hop_public(ip):
        calls.append(ip)
        return "" if len(calls) == 1 else real(ip)

    settings.DOSSIER_FETCH_ALLOW_LOOPBACK = False
    monkeypatch.setattr(fetching, "refusal", first_hop_public)
    error = refused(web.url("/out"), "refused_address")
    assert "redirected to http://127.0.0.1:9/admin: 127.0.0.1, loopback" in str(error)


def test_a_redirect_to_a_private_address_is_refused(web):
    web.routes["/out"] = Route(status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    assert "link-local" in str(refused(web.url("/out"), "refused_address"))


def test_the_connection_goes_to_the_address_checked_with_no_second_lookup(web, monkeypatch):
    # A name that answers loopback when checked and a private address after: DNS rebinding.
    answers = iter(["127.0.0.1", "10.0.0.1"])
    lookups, real = [], socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host != "rebinding.test":
            return real(host, port, *args, **kwargs)  # an address: no lookup at all
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    web.routes["/story"] = Route(page("Story", ["Text."]))

    fetched = fetch(f"http://rebinding.test:{web.port}/story")

    assert fetched.status == 200 and lookups == ["rebinding.test"]
    path, headers = web.requests[-1]
    assert headers["Host"] == f"rebinding.test:{web.port}"  # the name travels in the Host header


def test_a_proxy_in_the_environment_is_not_used(web, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://10.9.9.9:3128")
    monkeypatch.setenv("ALL_PROXY", "http://10.9.9.9:3128")
    web.routes["/story"] = Route(page("Story", ["Text."]))

    assert fetch(web.url("/story")).status == 200


def test_a_paced_fetcher_waits_between_two_requests_to_one_host(web, monkeypatch):
    pauses = []
    monkeypatch.setattr(fetching.time, "sleep", pauses.append)
    web.routes["/a"] = Route(page("A", ["Text."]))

    with Fetcher(pace=1.0) as fetcher:
        fetcher.fetch(web.url("/a"))
        fetcher.fetch(web.url("/a"))

    assert len(pauses) == 1 and 0 < pauses[0] <= 1.0


# --- post(): webhooks go out through the same checks --------------------------------------------

def post(url, content=b'{"a":1}', headers=None):
    with Fetcher() as fetcher:
        return fetcher.post(url, content, headers or {"Content-Type": "application/json"})


def test_post_sends_the_body_and_headers_and_returns_any_status_and_type(web):
    web.routes["/hook"] = Route(b"nope", status=503, content_type="text/plain")

    answer = post(web.url("/hook"), b'{"x":"\xc3\xa9"}', {"Content-Type": "application/json", "X-Test": "1"})

    assert (answer.status, answer.content, answer.content_type) == (503, b"nope", "text/plain")
    (sent,) = web.posts
    assert sent.path == "/hook" and sent.body == b'{"x":"\xc3\xa9"}'
    assert sent.headers["X-Test"] == "1" and sent.headers["Content-Type"] == "application/json"
    assert sent.headers["Host"] == f"127.0.0.1:{web.port}"
    assert "text/html" not in sent.headers.get("Accept", "")  # a page's Accept is for fetch()


def test_post_follows_no_redirect_and_says_where_it_pointed(web):
    web.routes["/moved"] = Route(status=307, headers={"Location": "/elsewhere"})

    with pytest.raises(Refused) as caught:
        post(web.url("/moved"))

    assert caught.value.reason == "redirected"
    assert caught.value.why == "redirects are not followed (307 to /elsewhere)"
    assert [sent.path for sent in web.posts] == ["/moved"] and web.requests == []


@pytest.mark.parametrize(("url", "why"), [
    ("http://127.0.0.1:9/hook", "loopback"),
    ("http://10.0.0.1/hook", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
])
def test_post_refuses_non_public_addresses_before_connecting(url, why, monkeypatch):
    monkeypatch.setattr(fetching.httpx.Client, "send", lambda *args, **kwargs: pytest.fail("connected"))
    with pytest.raises(Refused) as caught:
        post(url)
    assert caught.value.reason == "refused_address" and why in caught.value.why


def test_post_keeps_the_size_and_time_limits_on_the_answer(web, settings):
    web.routes["/big"] = Route(b"x" * 2000, content_type="text/plain")
    web.routes["/slow"] = Route(b"ok", delay=1.0)
    with Fetcher(max_bytes=1000, timeout=0.3) as fetcher:
        with pytest.raises(Refused) as big:
            fetcher.post(web.url("/big"), b"{}", {})
        with pytest.raises(Refused) as slow:
            fetcher.post(web.url("/slow"), b"{}", {})
    assert (big.value.reason, slow.value.reason) == ("too_large", "too_slow")
