import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dossier.models import Article, Outlet

pytestmark = pytest.mark.django_db
URL = reverse("admin:dossier_article_import")


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_admin_imports_several_files_with_a_report_per_file(client, admin):
    client.force_login(admin)
    files = [
        upload("good.txt", b"Headline\n\nBody text here."),
        upload("bad.json", b"{oops"),
        upload("empty.txt", b""),
    ]
    response = client.post(URL, {"files": files, "outlet": "Example Times", "language": "en"}, follow=True)

    # Several files become a background job (run at once in tests); the page shows its report.
    assert response.redirect_chain[0][0].startswith(f"{URL}?job=")
    assert response.status_code == 200
    rows = response.context["report"].files
    assert [(r.name, r.failed) for r in rows] == [("good.txt", False), ("bad.json", True), ("empty.txt", True)]
    content = response.content.decode()
    assert "bad.json" in content and "malformed JSON at line 1" in content
    assert "the file is empty" in content
    assert "1 imported, 0 duplicate, 2 failed" in content
    article = Article.objects.get()
    assert (article.outlet.name, article.language, article.imported_by) == ("Example Times", "en", admin)


def test_admin_import_is_idempotent(client, admin):
    client.force_login(admin)
    data = json.dumps({"title": "T", "body": "Some text."}).encode()
    client.post(URL, {"files": [upload("a.json", data)]})
    response = client.post(URL, {"files": [upload("a.json", data)]})

    assert "0 imported, 1 duplicate, 0 failed" in response.content.decode()
    assert Article.objects.count() == 1


def test_admin_import_refuses_oversized_uploads_by_name(client, admin, settings):
    settings.DOSSIER_MAX_IMPORT_BYTES = 100
    client.force_login(admin)
    response = client.post(URL, {"files": [upload("huge.txt", b"Title\n\n" + b"x" * 500)]})

    assert "huge.txt" in response.content.decode()
    assert "over the 100" in response.content.decode()
    assert Article.objects.count() == 0


def test_admin_import_page_shows_the_form_on_get(client, admin):
    client.force_login(admin)
    response = client.get(URL)
    assert response.status_code == 200
    assert b'type="file"' in response.content and b"multiple" in response.content


def test_admin_import_without_files_is_a_form_error(client, admin):
    client.force_login(admin)
    response = client.post(URL, {"outlet": "X"})
    assert response.status_code == 200
    assert response.context["form"].errors["files"]
    assert not Outlet.objects.exists()


def test_anonymous_users_cannot_upload(client):
    response = client.post(URL, {"files": [upload("a.txt", b"Title\n\nBody.")]})
    assert response.status_code == 302 and "login/?next=/admin/dossier/article/import/" in response["Location"]
    assert Article.objects.count() == 0


def test_staff_without_the_import_permission_is_refused(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(clerk)
    response = client.post(URL, {"files": [upload("a.txt", b"Title\n\nBody.")]})
    assert response.status_code == 403
    assert Article.objects.count() == 0


def test_import_without_csrf_token_is_refused(admin):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    response = client.post(URL, {"files": [upload("a.txt", b"Title\n\nBody.")]})
    assert response.status_code == 403
    assert Article.objects.count() == 0


def test_article_admin_shows_passages_read_only(client, admin):
    from factories import make_article

    article = make_article(body="First sentence. Second sentence.")
    client.force_login(admin)
    response = client.get(reverse("admin:dossier_article_change", args=[article.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "First sentence." in content and "Second sentence." in content
    assert 'name="body"' not in content


def test_admin_imports_one_address_in_the_request_with_its_report(client, admin, web):
    from webserver import Route, page

    web.routes["/story"] = Route(page("Border deal", ["Iran and Pakistan agreed to patrol the border together."]))
    client.force_login(admin)
    response = client.post(URL, {"urls": web.url("/story")})

    assert response.status_code == 200
    [row] = response.context["report"].files
    assert (row.name, row.imported) == (web.url("/story"), ["Border deal"])
    assert Article.objects.get().archives.count() == 1


def test_admin_imports_several_addresses_as_a_job_and_shows_its_progress_and_report(client, admin, web):
    from webserver import Route, page

    from dossier.models import Job

    web.routes["/a"] = Route(page("First", ["Iran and Pakistan agreed to patrol the border together."]))
    client.force_login(admin)
    response = client.post(URL, {"urls": f"{web.url('/a')}\n{web.url('/gone')}\n"}, follow=True)

    job = Job.objects.get()
    assert response.redirect_chain == [(f"{URL}?job={job.pk}", 302)]
    assert (job.status, job.done, job.total, job.created_by) == ("done", 2, 2, admin)
    content = response.content.decode()
    assert f"{web.url('/gone')}" in content and "HTTP error (404 Not Found)" in content
    assert "1 imported, 0 duplicate, 1 failed" in content
    assert Article.objects.get().title == "First"


def test_admin_import_refuses_an_address_that_is_not_a_web_address(client, admin):
    client.force_login(admin)
    response = client.post(URL, {"urls": "ftp://example.com/file"})

    assert "ftp://example.com/file: not a web address" in str(response.context["form"].errors["urls"])
    assert not Article.objects.exists()


def test_another_admins_job_cannot_be_followed_by_a_staff_user_without_the_role(client, admin, django_user_model):
    from django.contrib.auth.models import Permission

    from dossier.models import Job

    job = Job.objects.create(kind=Job.Kind.IMPORT, created_by=admin)
    other = django_user_model.objects.create_user("staffer", password="x", is_staff=True)
    other.user_permissions.add(Permission.objects.get(codename="import_article"))
    client.force_login(other)

    assert client.get(f"{URL}?job={job.pk}").status_code == 403
    assert client.get(f"{URL}?job=nonsense").status_code == 404


def test_a_running_job_page_refreshes_itself(client, admin):
    from dossier.models import Job

    job = Job.objects.create(kind=Job.Kind.IMPORT, created_by=admin, total=3, done=1)
    client.force_login(admin)
    content = client.get(f"{URL}?job={job.pk}").content.decode()

    assert '<meta http-equiv="refresh" content="2">' in content and "1 of 3 done" in content
    assert "manage.py db_worker" in content  # queued: it says a worker must run
