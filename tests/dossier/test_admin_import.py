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
