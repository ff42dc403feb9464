"""Tests for dossier.ingest.import_uploads: the admin page's door, one upload at a time."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossier.ingest import Metadata, import_uploads
from dossier.models import Article

pytestmark = pytest.mark.django_db


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_each_upload_gets_its_result_and_the_stated_metadata(admin):
    report = import_uploads(
        [upload("good.txt", b"Headline\n\nBody text here."), upload("bad.json", b"{oops")],
        Metadata.build(outlet="Example Times"), admin,
    )

    assert [(r.name, r.failed) for r in report.files] == [("good.txt", False), ("bad.json", True)]
    assert report.summary() == "1 imported, 0 duplicate, 1 failed"
    article = Article.objects.get()
    assert (article.outlet.name, article.imported_by, article.source_name) == ("Example Times", admin, "good.txt")


def test_an_oversized_upload_is_refused_unread_and_the_next_one_imports(settings):
    settings.DOSSIER_MAX_IMPORT_BYTES = 100

    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("an oversized upload must not be read")

    big = Unreadable("huge.txt", b"Title\n\n" + b"x" * 500)
    report = import_uploads([big, upload("small.txt", b"Title\n\nSmall body.")])

    assert report.files[0].error == "the file is 507\xa0bytes, over the 100\xa0bytes limit for one file"
    assert report.files[1].imported == ["Title"]
