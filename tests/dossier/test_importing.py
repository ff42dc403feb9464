import json

import pytest

from dossier.importing import Metadata, find_files, import_file, import_paths, load_manifest
from dossier.formats import BadInput
from dossier.models import Article, Author, Outlet, Passage

pytestmark = pytest.mark.django_db

TURKISH = "İstanbul’da ılık bir sabah. Şehir ağır ağır uyanıyor. Dr. Öztürk konuştu."
CYRILLIC = "Москва заявила о переговорах. Г. Иванов подтвердил это."
PERSIAN = "وزارت امور خارجه ایران اعلام کرد. آیا این درست است؟ می‌خواهیم بدانیم."


def record(**fields):
    return {"title": "A title", "body": "One sentence here. Another one.", **fields}


def jsonl(*records):
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()


def table_counts():
    return (Article.objects.count(), Passage.objects.count(), Outlet.objects.count(), Author.objects.count())


def test_plain_text_file_becomes_an_article_with_passages():
    text = "The headline\n\nFirst paragraph. It has two sentences.\n\nSecond paragraph here.\n"
    result = import_file("story.txt", text.encode())

    assert not result.failed and result.imported == ["The headline"]
    article = Article.objects.get()
    assert article.title == "The headline"
    assert article.body == "First paragraph. It has two sentences.\n\nSecond paragraph here."
    assert article.original_text == text
    assert article.source_name == "story.txt"
    assert [(p.paragraph, p.sentence, p.text) for p in article.passages.all()] == [
        (0, 0, "First paragraph."),
        (0, 1, "It has two sentences."),
        (1, 0, "Second paragraph here."),
    ]


def test_every_passage_is_an_exact_slice_of_the_body_in_every_script():
    body = "\n\n".join([TURKISH, CYRILLIC, PERSIAN])
    import_file("scripts.json", json.dumps(record(body=body), ensure_ascii=False).encode())

    article = Article.objects.get()
    texts = [article.body[p.start : p.end] for p in article.passages.all()]
    assert texts == [
        "İstanbul’da ılık bir sabah.", "Şehir ağır ağır uyanıyor.", "Dr. Öztürk konuştu.",
        "Москва заявила о переговорах.", "Г. Иванов подтвердил это.",
        "وزارت امور خارجه ایران اعلام کرد.", "آیا این درست است؟", "می‌خواهیم بدانیم.",
    ]
    # Offsets count code points, not bytes: the Persian paragraph starts where Python says it does.
    persian = article.passages.get(paragraph=2, sentence=0)
    assert persian.start == article.body.index("وزارت")
    assert persian.start < len(article.body.encode("utf-8")) - len(PERSIAN.encode("utf-8"))
    assert "\u200c" in article.passages.get(paragraph=2, sentence=2).text


def test_body_is_nfc_normalised_and_offsets_match_the_normalised_text():
    decomposed = "Cafe\u0301 owners protested. Nothing else."
    import_file("nfc.json", json.dumps(record(body=decomposed)).encode())

    article = Article.objects.get()
    assert article.body.startswith("Café owners")
    assert article.passages.first().text == "Café owners protested."


def test_html_page_is_extracted_with_its_metadata():
    html = """<!doctype html><html lang="tr"><head><meta charset="utf-8">
    <title>Başlık | Örnek Haber</title><meta name="author" content="Ayşe Yılmaz">
    <meta property="og:site_name" content="Örnek Haber"><meta property="og:url" content="https://example.com/haber/1">
    <meta property="article:published_time" content="2024-01-29T10:00:00Z"></head>
    <body><nav>Ana sayfa | Hakkımızda</nav><article><h1>Sınır güvenliği görüşüldü</h1>
    <p>İki ülke sınırda işbirliğini artırmaya karar verdi. Bakanlar Pazartesi günü bir araya geldi.</p>
    <p>Uzmanlar anlaşmanın önemli olduğunu söylüyor <script>alert(1)</script> ve gelişmeleri izliyor.</p>
    </article><footer>Telif hakkı</footer></body></html>"""
    result = import_file("page.html", html.encode())

    assert not result.failed, result.error
    article = Article.objects.get()
    assert article.title == "Sınır güvenliği görüşüldü"
    assert article.outlet.name == "Örnek Haber"
    assert [a.name for a in article.authors.all()] == ["Ayşe Yılmaz"]
    assert article.url == "https://example.com/haber/1"
    assert str(article.published) == "2024-01-29"
    assert article.language == "tr"
    assert "alert(1)" not in article.body and "Ana sayfa" not in article.body
    assert article.body.startswith("İki ülke sınırda")


def test_html_in_a_legacy_charset_is_decoded_by_its_meta_declaration():
    html = '<html><head><meta charset="windows-1254"><title>T</title></head><body><article><h1>Başlık</h1><p>Şehirde ılık bir gün geçti ve herkes dışarıdaydı. İnsanlar parkta yürüdü.</p></article></body></html>'
    result = import_file("legacy.html", html.encode("cp1254"))

    assert not result.failed, result.error
    assert "Şehirde ılık" in Article.objects.get().body


def test_json_file_with_a_list_of_records_imports_each():
    records = [
        record(title="First", authors=["Jane Doe", "John Roe"], outlet="Daily Example", url="https://example.com/1",
               published="2024-05-01", language="EN"),
        record(title="Second", body="Different text. Really different."),
    ]
    result = import_file("batch.json", json.dumps(records).encode())

    assert result.imported == ["First", "Second"]
    first = Article.objects.get(title="First")
    assert [a.name for a in first.authors.order_by("name")] == ["Jane Doe", "John Roe"]
    assert first.outlet.name == "Daily Example"
    assert (str(first.published), first.language) == ("2024-05-01", "en")


def test_jsonl_file_imports_one_article_per_line_and_skips_blank_lines():
    data = jsonl(record(title="One", body="Text one."), record(title="Two", body="Text two.")) + b"\n\n"
    result = import_file("feed.jsonl", data)

    assert result.imported == ["One", "Two"]
    assert Article.objects.count() == 2


def test_outlet_and_authors_are_reused_across_imports():
    import_file("a.json", json.dumps(record(body="Alpha text.", outlet="Example", authors=["Jane Doe"])).encode())
    import_file("b.json", json.dumps(record(body="Beta text.", outlet="Example", authors=["Jane Doe"])).encode())

    assert Outlet.objects.count() == 1 and Author.objects.count() == 1
    assert Outlet.objects.get().articles.count() == 2


def test_stated_metadata_overrides_what_the_file_says():
    metadata = Metadata(outlet="Stated Outlet", authors=("Stated Author",), url="https://example.org/x", language="fa")
    import_file("a.json", json.dumps(record(outlet="Record Outlet", authors=["Someone"])).encode(), metadata)

    article = Article.objects.get()
    assert article.outlet.name == "Stated Outlet"
    assert [a.name for a in article.authors.all()] == ["Stated Author"]
    assert (article.url, article.language) == ("https://example.org/x", "fa")


def test_reimporting_the_same_file_changes_nothing_and_reports_duplicates():
    data = jsonl(record(title="One", body="Text one."), record(title="Two", body="Text two."))
    import_file("feed.jsonl", data)
    before = table_counts()

    again = import_file("feed.jsonl", data)

    assert again.imported == [] and again.duplicates == ["One", "Two"] and not again.failed
    assert table_counts() == before


def test_duplicate_records_inside_one_file_are_imported_once():
    data = jsonl(record(title="One", body="Same text."), record(title="One again", body="Same text."))
    result = import_file("feed.jsonl", data)

    assert result.imported == ["One"] and result.duplicates == ["One again"]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.txt", b"  \n\n \t\n", "the file is empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
        ("latin1.txt", "Ça coûte très cher.\n\nBody here.".encode("latin-1"), "not UTF-8"),
        ("broken.json", b'{"title": "x", "body": ', "malformed JSON at line 1"),
        ("broken.jsonl", jsonl(record()) + b"\n{nope}", "line 2: malformed JSON"),
        ("untitled.json", json.dumps({"body": "Text."}).encode(), "missing title"),
        ("untitled.jsonl", jsonl(record(), {"title": "  ", "body": "x"}), "line 2: missing title"),
        ("nobody.json", json.dumps({"title": "T"}).encode(), "missing body"),
        ("list.json", json.dumps([record(), "oops"]).encode(), "record 2: expected a JSON object"),
        ("badurl.json", json.dumps(record(url="javascript:alert(1)")).encode(), "url:"),
        ("baddate.json", json.dumps(record(published="yesterday")).encode(), "published: 'yesterday' is not a date"),
        ("authors.json", json.dumps(record(authors=[1, 2])).encode(), "authors: expected a list of names"),
        ("debris.txt", b"Title only\n\nLeave a Reply\n", "no article text left after cleaning"),
        ("notes.docx", b"PK\x03\x04", "unsupported file type"),
        ("surrogate.jsonl", b'{"title": "T", "body": "Bad \\ud800 text."}', "line 1: body: contains an unpaired surrogate"),
        ("nul.json", b'{"title": "T\\u0000", "body": "Text."}', "title: contains a NUL character"),
        ("author.json", json.dumps(record(authors=["Ok", "x" * 201])).encode(), "author: longer than 200"),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        ("deep.jsonl", b"[" * 100_000 + b"]" * 100_000, "line 1: the JSON is nested too deeply"),
        ("page.html", b"<html><head><title>Empty</title></head><body></body></html>", "no article text found"),
    ],
)
def test_bad_file_is_reported_with_its_reason_and_leaves_nothing_behind(name, data, reason):
    result = import_file(name, data)

    assert result.failed
    assert reason in result.error
    assert name in result.summary()
    assert table_counts() == (0, 0, 0, 0)


def test_a_bad_record_fails_its_whole_file_after_earlier_records_were_valid():
    data = jsonl(record(title="Good", body="Good text.", outlet="New Outlet", authors=["New Author"]),
                 record(title="Bad", body="Bad text.", url="not a url"))
    result = import_file("mixed.jsonl", data)

    assert "line 2: url" in result.error
    assert table_counts() == (0, 0, 0, 0)


def test_a_database_failure_midway_rolls_the_file_back(monkeypatch):
    from dossier import importing
    from dossier.segmenting import Segment

    # A passage that breaks the start < end constraint: the database refuses it after
    # the outlet, author and article rows were already written in this transaction.
    monkeypatch.setattr(importing, "segment", lambda body: [Segment(0, 0, 3, 3)])
    result = import_file("a.json", json.dumps(record(outlet="Rolled Back", authors=["Nobody"])).encode())

    assert result.error.startswith("could not be saved")
    assert table_counts() == (0, 0, 0, 0)


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
    manifest.write_text(json.dumps({"files": {"a.txt": {"outlet": "Manifest Outlet", "authors": ["M. Author"], "language": "en"}}}))

    import_paths([tmp_path / "a.txt"], manifest=load_manifest(manifest))

    article = Article.objects.get()
    assert (article.outlet.name, article.language) == ("Manifest Outlet", "en")
    assert [a.name for a in article.authors.all()] == ["M. Author"]


def test_manifest_authors_may_be_a_string_and_names_are_normalised(tmp_path):
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"files": {"a.txt": {"authors": " Jane  Doe ; Cafe\u0301 Owner ", "outlet": " X "}}}))
    entry = load_manifest(manifest)["a.txt"]
    assert entry.authors == ("Jane Doe", "Café Owner") and entry.outlet == "X"


@pytest.mark.parametrize("content", ["{not json", '{"nope": 1}', '{"files": []}', '{"files": {"a.txt": "oops"}}',
                                     '{"files": {"a.txt": {"url": 5}}}'])
def test_malformed_manifest_is_a_clear_error(tmp_path, content):
    manifest = tmp_path / "manifest.json"
    manifest.write_text(content)

    with pytest.raises(BadInput, match="manifest"):
        load_manifest(manifest)


def test_script_in_imported_text_is_stored_as_text():
    body = '<script>alert("x")</script> Hello <img src=x onerror=alert(1)>.'
    import_file("x.json", json.dumps(record(title="<b>Bold</b> title", body=body)).encode())

    article = Article.objects.get()
    assert article.title == "<b>Bold</b> title"
    assert article.body == body


def test_a_bio_is_matched_to_its_author_across_turkish_dotted_and_dotless_i(tmp_path):
    (tmp_path / "a.txt").write_text(
        "Sınır güvenliği\n\nUzun bir paragraf burada yazıyor ve konu anlatılıyor.\n\n"
        "İsmail YILMAZ\nİsmail YILMAZ, Ankara Üniversitesi'nde öğretim üyesidir."
    )
    import_paths([tmp_path / "a.txt"], Metadata.build(authors=["İsmail Yılmaz"]))

    author = Author.objects.get()
    assert author.name == "İsmail Yılmaz"
    assert author.bio.startswith("İsmail YILMAZ, Ankara")


def test_an_article_saved_by_a_concurrent_import_is_reported_as_a_duplicate(monkeypatch):
    """The other import commits between our duplicate check and our insert: the retry sees it."""
    from dossier import importing

    data = jsonl(record(title="Raced", body="Raced text.", outlet="Race Outlet"))
    import_file("other.jsonl", data)
    real_existing = importing._existing_hashes
    checks = []

    def stale_then_real(hashes):
        checks.append(hashes)
        return set() if len(checks) == 1 else real_existing(hashes)

    monkeypatch.setattr(importing, "_existing_hashes", stale_then_real)
    result = import_file("feed.jsonl", data)

    assert len(checks) == 2
    assert not result.failed and result.duplicates == ["Raced"]
    assert Article.objects.count() == 1
