"""The sources admin: adding a feed with its outlet, and Poll now as a job."""
import pytest
from django.urls import reverse
from webserver import Route, page

from dossier import polling
from dossier.models import Article, Job, Outlet, Source

pytestmark = pytest.mark.django_db
POLL = reverse("admin:dossier_source_poll")


@pytest.fixture
def feed(web, monkeypatch):
    monkeypatch.setattr(polling, "PACE", 0)
    outlet = Outlet.objects.create(name="Example News")
    items = f"<item><title>A</title><link>{web.url('/a')}</link></item>"
    web.routes["/feed.xml"] = Route(f'<rss version="2.0"><channel><title>N</title>{items}</channel></rss>'.encode(),
                                    content_type="application/rss+xml")
    web.routes["/a"] = Route(page("Story A", ["Officials met on the border on Tuesday, the ministry said."]))
    return Source.objects.create(kind=Source.Kind.FEED, url=web.url("/feed.xml"), outlet=outlet)


def test_an_admin_adds_a_source_with_its_outlet(client, admin):
    outlet = Outlet.objects.create(name="Example News")
    client.force_login(admin)
    response = client.post(reverse("admin:dossier_source_add"),
                           {"kind": "feed", "url": "news.example/feed", "outlet": outlet.pk, "active": "on"})

    assert response.status_code == 302
    assert Source.objects.get().url == "https://news.example/feed"


def test_the_changelist_has_the_poll_now_button(client, admin, feed):
    client.force_login(admin)
    content = client.get(reverse("admin:dossier_source_changelist")).content.decode()
    assert f'action="{POLL}"' in content and "Poll active sources now" in content


def test_poll_now_runs_a_job_and_shows_its_progress_and_counts(client, admin, feed):
    client.force_login(admin)
    response = client.post(POLL, follow=True)

    job = Job.objects.get()
    assert response.redirect_chain == [(f"{POLL}?job={job.pk}", 302)]
    assert (job.kind, job.status, job.done) == ("poll", "done", 1)
    content = response.content.decode()
    assert f"{feed.url}: 1 new, 0 unchanged, 0 failed" in content
    assert Article.objects.get().outlet == feed.outlet
    feed.refresh_from_db()
    assert feed.last_new == 1


def test_the_poll_selected_action_polls_only_those(client, admin, feed, web):
    other = Source.objects.create(kind=Source.Kind.FEED, url=web.url("/other.xml"), outlet=feed.outlet)
    client.force_login(admin)
    client.post(reverse("admin:dossier_source_changelist"),
                {"action": "poll_selected", "_selected_action": [feed.pk]}, follow=True)

    feed.refresh_from_db()
    other.refresh_from_db()
    assert feed.last_polled_at is not None and other.last_polled_at is None


def test_reviewers_and_editors_cannot_poll(client, editor, feed):
    client.force_login(editor)
    assert client.post(POLL).status_code == 302  # to the admin login: not staff
    assert not Job.objects.exists()
