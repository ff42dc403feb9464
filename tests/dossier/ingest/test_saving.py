"""Tests for dossier.ingest.saving: validation, one transaction per file, duplicates, outlets and authors."""
import json

import pytest
from factories import assert_refused, jsonl, record, table_counts

from dossier.ingest import import_file
from dossier.models import Article, Author, Outlet

pytestmark = pytest.mark.django_db

TURKISH = "İstanbul’da ılık bir sabah. Şehir ağır ağır uyanıyor. Dr. Öztürk konuştu."
CYRILLIC = "Москва заявила о переговорах. Г. Иванов подтвердил это."
PERSIAN = "وزارت امور خارجه ایران اعلام کرد. آیا این درست است؟ می‌خواهیم بدانیم."


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


def test_outlet_and_authors_are_reused_across_imports():
    import_file("a.json", json.dumps(record(body="Alpha text.", outlet="Example", authors=["Jane Doe"])).encode())
    import_file("b.json", json.dumps(record(body="Beta text.", outlet="Example", authors=["Jane Doe"])).encode())

    assert Outlet.objects.count() == 1 and Author.objects.count() == 1
    assert Outlet.objects.get().articles.count() == 2


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


def test_a_bad_record_fails_its_whole_file_after_earlier_records_were_valid():
    data = jsonl(record(title="Good", body="Good text.", outlet="New Outlet", authors=["New Author"]),
                 record(title="Bad", body="Bad text.", url="not a url"))
    result = import_file("mixed.jsonl", data)

    assert "line 2: url" in result.error
    assert table_counts() == (0, 0, 0, 0)


def test_a_database_failure_midway_rolls_the_file_back(monkeypatch):
    from dossier.ingest import saving
    from dossier.ingest.segmenting import Segment

    # A passage that breaks the start < end constraint: the database refuses it after
    # the outlet, author and article rows were already written in this transaction.
    monkeypatch.setattr(saving, "segment", lambda body: [Segment(0, 0, 3, 3)])
    result = import_file("a.json", json.dumps(record(outlet="Rolled Back", authors=["Nobody"])).encode())

    assert result.error.startswith("could not be saved")
    assert table_counts() == (0, 0, 0, 0)


def test_an_article_saved_by_a_concurrent_import_is_reported_as_a_duplicate(monkeypatch):
    """The other import commits between our duplicate check and our insert: the retry sees it."""
    from dossier.ingest import saving

    data = jsonl(record(title="Raced", body="Raced text.", outlet="Race Outlet"))
    import_file("other.jsonl", data)
    real_existing = saving._existing_hashes
    checks = []

    def stale_then_real(hashes):
        checks.append(hashes)
        return set() if len(checks) == 1 else real_existing(hashes)

    monkeypatch.setattr(saving, "_existing_hashes", stale_then_real)
    result = import_file("feed.jsonl", data)

    assert len(checks) == 2
    assert not result.failed and result.duplicates == ["Raced"]
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("badurl.json", json.dumps(record(url="javascript:alert(1)")).encode(), "url:"),
        ("debris.txt", b"Title only\n\nLeave a Reply\n", "no article text left after cleaning"),
        (
            "surrogate.jsonl", b'{"title": "T", "body": "Bad \\ud800 text."}',
            "line 1: body: contains an unpaired surrogate",
        ),
        ("nul.json", b'{"title": "T\\u0000", "body": "Text."}', "title: contains a NUL character"),
        ("author.json", json.dumps(record(authors=["Ok", "x" * 201])).encode(), "author: longer than 200"),
    ],
)
def test_bad_file_is_reported_with_its_reason_and_leaves_nothing_behind(name, data, reason):
    assert_refused(name, data, reason)
