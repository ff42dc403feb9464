"""An archived page shows in a real Chromium without running any of its scripts or loading anything."""
import pytest
from factories import make_article

from dossier.models import Archive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HOSTILE = (b"<!doctype html><html><head><title>Archived story</title>"
           b"<script>document.title = 'pwned'</script></head>"
           b"<body onload=\"document.body.dataset.ran = 'yes'\"><h1>Archived story</h1>"
           b"<img src=\"http://127.0.0.1:9/track.png\" onerror=\"document.title = 'pwned too'\">"
           b"<p id=\"text\">The words of the page.</p></body></html>")


def test_an_archived_page_runs_none_of_its_scripts_and_loads_nothing(page, live_server, login, admin):
    article = make_article(title="Fetched", body="One claim.")
    archive = Archive.objects.create(article=article, version=1, url="https://news.example/story", status=200,
                                     content_type="text/html", fetched_at=article.imported_at, size=len(HOSTILE),
                                     data=Archive.compress(HOSTILE))
    loaded, blocked = [], []
    page.on("response", lambda response: loaded.append(response.url))
    page.on("requestfailed", lambda request: blocked.append((request.url, request.failure)))
    login(page, live_server, "ada")

    response = page.goto(live_server.url + archive.get_absolute_url())
    page.wait_for_load_state("load")

    assert response.status == 200 and "sandbox" in response.headers["content-security-policy"]
    assert page.inner_text("#text") == "The words of the page."
    assert page.title() == "Archived story"
    # The sandbox runs no script of the page's; Playwright's own evaluation still reads its DOM.
    assert page.get_attribute("body", "data-ran") is None
    # The tracking image is refused by the policy before any connection is tried.
    assert not [url for url in loaded if "track.png" in url]
    assert [failure for url, failure in blocked if "track.png" in url] == ["csp"]
