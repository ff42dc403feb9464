"""Tests for dossier.ingest.reading: finding files, the size limit, the manifest, decoding."""
import json

import pytest
from factories import assert_refused, record

from dossier.ingest import BadInput, Metadata, import_file, import_paths, load_manifest
from dossier.ingest.reading import decode, find_files, readable_name
from dossier.models import Article

pytestmark = pytest.mark.django_db


def test_html_in_a_legacy_charset_is_decoded_by_its_meta_declaration():
    html = (
        '<html><head><meta charset="windows-1254"><title>T</title></head><body><article><h1>Başlık</h1>'
        '<p>Şehirde ılık bir gün geçti ve herkes dışarıdaydı. İnsanlar parkta yürüdü.</p></article></body></html>'
    )
    result = import_file("legacy.html", html.encode("cp1254"))

    assert not result.failed, result.error
    assert "Şehirde ılık" in Article.objects.get().body


def test_oversized_file_is_refused_before_reading(tmp_path, settings):
    settings.DOSSIER_MAX_IMPORT_BYTES = 1024
    big = tmp_path / "big.txt"
    big.write_bytes(b"Title\n\n" + b"x" * (5 * 1024 - 7))

    report = import_paths([big])

    assert report.failed == 1
    assert report.files[0].error == "the file is 5.0\xa0KB, over the 1.0\xa0KB limit for one file"
    assert str(big) in report.files[0].summary()
    assert Article.objects.count() == 0


def test_folder_import_goes_on_after_a_bad_file(tmp_path):
    (tmp_path / "a.txt").write_text("Good title\n\nGood body text.")
    (tmp_path / "b.txt").write_bytes(b"\xff\xfe\x00broken")
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "c.json").write_text(json.dumps(record(body="Nested body.")))
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")

    progress = []
    report = import_paths([tmp_path], progress=progress.append)

    assert [r.name.rsplit("/", 1)[-1] for r in progress] == ["a.txt", "b.txt", "c.json"]
    assert (report.imported, report.duplicates, report.failed) == (2, 0, 1)
    assert report.summary() == "2 imported, 0 duplicate, 1 failed"


def test_missing_path_is_reported():
    assert [(str(path), error) for path, error in find_files(["/no/such/place"])] == [
        ("/no/such/place", "no such file or folder")
    ]


def test_manifest_metadata_applies_by_file_name(tmp_path):
    (tmp_path / "a.txt").write_text("Title A\n\nBody of A.")
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps({"files": {"a.txt": {"outlet": "Manifest Outlet", "authors": ["M. Author"], "language": "en"}}})
    )

    import_paths([tmp_path / "a.txt"], manifest=load_manifest(manifest))

    article = Article.objects.get()
    assert (article.outlet.name, article.language) == ("Manifest Outlet", "en")
    assert [a.name for a in article.authors.all()] == ["M. Author"]


@pytest.mark.parametrize("content", ["{not json", '{"nope": 1}', '{"files": []}', '{"files": {"a.txt": "oops"}}',
                                     '{"files": {"a.txt": {"url": 5}}}'])
def test_malformed_manifest_is_a_clear_error(tmp_path, content):
    manifest = tmp_path / "manifest.json"
    manifest.write_text(content)

    with pytest.raises(BadInput, match="manifest"):
        load_manifest(manifest)


def test_stated_metadata_overrides_what_the_file_says():
    metadata = Metadata(outlet="Stated Outlet", authors=("Stated Author",), url="https://example.org/x", language="fa")
    import_file("a.json", json.dumps(record(outlet="Record Outlet", authors=["Someone"])).encode(), metadata)

    article = Article.objects.get()
    assert article.outlet.name == "Stated Outlet"
    assert [a.name for a in article.authors.all()] == ["Stated Author"]
    assert (article.url, article.language) == ("https://example.org/x", "fa")


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.txt", b"  \n\n \t\n", "the file is empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
        ("latin1.txt", "Ça coûte très cher.\n\nBody here.".encode("latin-1"), "not UTF-8"),
        ("notes.docx", b"PK\x03\x04", "unsupported file type"),
    ],
)
def test_bad_file_is_reported_with_its_reason_and_leaves_nothing_behind(name, data, reason):
    assert_refused(name, data, reason)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_a_byte_order_mark_decides_the_encoding(encoding):
    assert decode("Şehir ılık.".encode(encoding)) == "Şehir ılık."


def test_a_name_with_bytes_that_are_not_utf8_becomes_printable():
    assert readable_name("caf\udce9.txt") == "caf\ufffd.txt"
