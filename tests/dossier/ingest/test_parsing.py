"""Tests for dossier.ingest.parsing: one parser per suffix, read back through the real import."""
import json

import pytest
from factories import assert_refused, jsonl, record

from dossier.ingest import SUFFIXES, BadInput, import_file
from dossier.ingest.parsing import parse_date, parse_record, suffix_of
from dossier.models import Article

pytestmark = pytest.mark.django_db


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


def test_script_in_imported_text_is_stored_as_text():
    body = '<script>alert("x")</script> Hello <img src=x onerror=alert(1)>.'
    import_file("x.json", json.dumps(record(title="<b>Bold</b> title", body=body)).encode())

    article = Article.objects.get()
    assert article.title == "<b>Bold</b> title"
    assert article.body == body


def test_body_is_nfc_normalised_and_offsets_match_the_normalised_text():
    decomposed = "Cafe\u0301 owners protested. Nothing else."
    import_file("nfc.json", json.dumps(record(body=decomposed)).encode())

    article = Article.objects.get()
    assert article.body.startswith("Café owners")
    assert article.passages.first().text == "Café owners protested."


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("broken.json", b'{"title": "x", "body": ', "malformed JSON at line 1"),
        ("broken.jsonl", jsonl(record()) + b"\n{nope}", "line 2: malformed JSON"),
        ("untitled.json", json.dumps({"body": "Text."}).encode(), "missing title"),
        ("untitled.jsonl", jsonl(record(), {"title": "  ", "body": "x"}), "line 2: missing title"),
        ("nobody.json", json.dumps({"title": "T"}).encode(), "missing body"),
        ("list.json", json.dumps([record(), "oops"]).encode(), "record 2: expected a JSON object"),
        ("baddate.json", json.dumps(record(published="yesterday")).encode(), "published: 'yesterday' is not a date"),
        ("authors.json", json.dumps(record(authors=[1, 2])).encode(), "authors: expected a list of names"),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        ("deep.jsonl", b"[" * 100_000 + b"]" * 100_000, "line 1: the JSON is nested too deeply"),
        ("page.html", b"<html><head><title>Empty</title></head><body></body></html>", "no article text found"),
    ],
)
def test_bad_file_is_reported_with_its_reason_and_leaves_nothing_behind(name, data, reason):
    assert_refused(name, data, reason)


def test_each_supported_suffix_has_its_parser_and_case_does_not_matter():
    assert SUFFIXES == (".txt", ".html", ".htm", ".json", ".jsonl")
    assert [suffix_of(name) for name in ["a.TXT", "b.jsonl", "c.json", "d.htm", "e.pdf"]] == [
        ".txt", ".jsonl", ".json", ".htm", ""
    ]


def test_parse_date_reads_dates_and_date_times_and_names_the_field_otherwise():
    assert str(parse_date("2024-05-01", "published")) == "2024-05-01"
    assert str(parse_date("2024-01-29T10:00:00+00:00", "published")) == "2024-01-29"
    with pytest.raises(BadInput, match="line 2: published: 5 is not a date"):
        parse_date(5, "line 2: published")


def test_a_record_is_parsed_into_a_draft_without_touching_the_database():
    draft = parse_record({"title": " T ", "body": "Body.", "authors": "A; B", "language": " EN "}, "line 4")
    assert (draft.title, draft.body, draft.authors, draft.language, draft.where) == (
        "T", "Body.", ["A", "B"], "en", "line 4"
    )


def test_a_page_without_a_language_gets_the_detected_one_and_a_stated_one_wins():
    body = "Министры иностранных дел двух стран во вторник заявили об укреплении сотрудничества на границе."
    import_file("ru.json", json.dumps(record(title="Без языка", body=body)).encode())
    import_file("stated.json", json.dumps(record(title="Stated", body=body + " Ещё.", language="uk")).encode())

    assert Article.objects.get(title="Без языка").language == "ru"
    assert Article.objects.get(title="Stated").language == "uk"


def test_a_byline_in_a_pages_text_becomes_its_author():
    html = ("<html><head><title>Sınırda anlaşma</title></head><body><article><h1>Sınırda anlaşma</h1>"
            "<p>Yazar: Ahmet Yılmaz</p><p>İki ülkenin dışişleri bakanları Salı günü yaptıkları ortak açıklamada "
            "sınır güvenliğini vurguladı ve yeni bir komisyon kurulacağını duyurdu.</p></article></body></html>")
    result = import_file("page.html", html.encode())

    assert not result.failed, result.error
    article = Article.objects.get()
    assert [author.name for author in article.authors.all()] == ["Ahmet Yılmaz"]
    assert "Yazar" not in article.body
