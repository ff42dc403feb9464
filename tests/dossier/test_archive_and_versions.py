"""The reading page's archive and versions, the archived copy under its own CSP, a version's diff."""
import json

import pytest
from django.urls import reverse
from factories import make_article, make_review
from webserver import Route, page

from dossier.ingest import import_file, import_url
from dossier.models import Article

pytestmark = pytest.mark.django_db
URL = "https://news.example/story"


@pytest.fixture
def fetched(web):
    web.routes["/story"] = Route(page("Border deal", ["Iran and Pakistan agreed to patrol the border together."]))
    result = import_url(web.url("/story"))
    assert not result.failed, result.error
    return Article.objects.get()


def test_the_reading_page_links_to_the_archived_copy(client, reviewer, fetched):
    client.force_login(reviewer)
    content = client.get(fetched.get_absolute_url()).content.decode()

    archive = fetched.archives.get()
    assert f'href="{archive.get_absolute_url()}"' in content
    assert "shown without its scripts" in content


def test_the_archived_copy_is_served_as_fetched_under_a_policy_that_runs_no_script(client, reviewer, fetched):
    client.force_login(reviewer)
    response = client.get(fetched.archives.get().get_absolute_url())

    assert response.status_code == 200
    assert b"<script>document.title='pwned'</script>" in response.content  # kept, byte for byte
    policy = response["Content-Security-Policy"]
    assert "sandbox" in policy and "script-src 'none'" in policy and "default-src 'none'" in policy
    assert "'self'" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_archived_copy_needs_a_role(client, outsider, fetched):
    client.force_login(outsider)
    assert client.get(fetched.archives.get().get_absolute_url()).status_code == 403


def test_the_archived_copy_refuses_post(client, reviewer, fetched):
    client.force_login(reviewer)
    assert client.post(fetched.archives.get().get_absolute_url()).status_code == 405


def test_the_reading_page_lists_versions_and_a_version_page_shows_the_diff(client, reviewer):
    article = make_article(body="The army moved in. It was dawn.\n\nNobody was hurt.", title="Story", url=URL)
    import_file("v2.json", json.dumps({"title": "Story", "url": URL,
                                       "body": "The army moved in. It was night.\n\nNobody was hurt."}).encode())
    client.force_login(reviewer)

    content = client.get(article.get_absolute_url()).content.decode()
    version_url = reverse("dossier:article-version", args=[article.pk, 1])
    assert f'href="{version_url}"' in content and "version 2 (this text)" in content

    page_content = client.get(version_url).content.decode()
    assert "<del><span class=\"muted\">removed:</span> It was dawn.</del>" in page_content
    assert "<ins><span class=\"muted\">added:</span> It was night.</ins>" in page_content
    assert "The army moved in." in page_content


def test_a_version_that_does_not_exist_is_a_404(client, reviewer):
    article = make_article(url=URL)
    client.force_login(reviewer)
    assert client.get(reverse("dossier:article-version", args=[article.pk, 1])).status_code == 404


def test_orphaned_flags_are_listed_for_editors_on_the_summary(client, editor, reviewer):
    article = make_article(body="Reports indicate smuggling grew. The talks went on.", title="Story", url=URL)
    make_review(article, reviewer, {0: "v"})
    import_file("v2.json", json.dumps({"title": "Story", "url": URL, "body": "The talks went on."}).encode())
    client.force_login(editor)

    content = client.get(reverse("annotations:summary", args=[article.pk])).content.decode()
    assert "Orphaned flags" in content and "Reports indicate smuggling grew." in content
