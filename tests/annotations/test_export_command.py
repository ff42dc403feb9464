"""`manage.py export_summaries`: the articles table's exports for scheduled jobs."""
import csv
import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from factories import make_article, make_review

from dossier.models import Article

from annotations.models import Export, Flag

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(reviewer, other_reviewer):
    good = make_article(title="Well sourced", body="Tanks moved. Analysts say.\n\nIt is bad.", outlet="Good Times")
    make_review(good, reviewer, {0: "q", 1: "q", 2: "o"})
    make_review(good, other_reviewer, {0: "q", 1: "v", 2: "o"})
    bad = make_article(title="=Sınır görüşmeleri", body="İddia bir. İddia iki daha uzun.", outlet="Kötü Haber")
    make_review(bad, reviewer, {0: "u", 1: "u"})
    make_article(title="Not started", body="Nothing yet.")


def export(*args, stderr=None):
    out = io.StringIO()
    call_command("export_summaries", *args, stdout=out, stderr=stderr or io.StringIO())
    return out.getvalue()


def test_csv_on_standard_output_matches_the_web_export(client, editor, corpus):
    client.force_login(editor)
    web = b"".join(client.get(reverse("annotations:articles"), {
        "_export": "csv", "status": "reviewed", "sort": "-sourced_fact_share"}).streaming_content)

    printed = export("--format", "csv", "--status", "reviewed", "--sort=-sourced_fact_share")

    # The same rows and columns; only the links' host differs (the command has no request: SITE_URL).
    assert printed.replace("http://localhost:8000", "http://testserver") == web.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(printed.removeprefix("\ufeff"))))
    assert [row["Title"] for row in rows] == ["Well sourced", "'=Sınır görüşmeleri"]


def test_filters_by_outlet_and_flag_name(corpus):
    rows = json.loads(export("--format", "json", "--outlet", "Kötü Haber"))
    assert [row["Title"] for row in rows] == ["=Sınır görüşmeleri"]
    rows = json.loads(export("--format", "json", "--flag", Flag.objects.get(shortcut="v").name))
    assert [row["Title"] for row in rows] == ["Well sourced"]


def test_writes_xlsx_to_a_file_and_logs_the_export(corpus, tmp_path):
    target = tmp_path / "summaries.xlsx"
    messages = io.StringIO()
    export("--format", "xlsx", "--output", str(target), "--sort", "title", stderr=messages)

    sheet = openpyxl.load_workbook(target).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "'=Sınır görüşmeleri", "Not started", "Well sourced"]
    assert "Exported 3 rows to" in messages.getvalue()
    entry = Export.objects.get()
    assert (entry.via, entry.kind, entry.format, entry.rows, entry.user) == ("command", "table", "xlsx", 3, None)
    assert entry.username and entry.parameters == {"sort": "title"}


def test_jsonld_writes_a_collection_of_the_filtered_articles_annotations(corpus, tmp_path):
    target = tmp_path / "annotations.jsonld"
    export("--format", "jsonld", "--output", str(target), "--outlet", "Good Times")

    collection = json.loads(target.read_text(encoding="utf-8"))
    items = collection["first"]["items"]
    assert collection["type"] == "AnnotationCollection" and collection["total"] == len(items) == 6
    assert collection["last"] == collection["first"]["id"]
    good = Article.objects.get(title="Well sourced")
    assert {item["target"]["source"] for item in items} == {
        "http://localhost:8000" + reverse("dossier:article-detail", args=[good.pk])}
    assert Export.objects.get().kind == "annotations"


def test_a_progress_bar_goes_to_a_terminals_stderr(corpus):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    export("--format", "csv", stderr=terminal)
    assert "3/3" in terminal.getvalue()
    quiet = Terminal()
    call_command("export_summaries", "--format", "csv", verbosity=0, stdout=io.StringIO(), stderr=quiet)
    assert quiet.getvalue() == ""


@pytest.mark.parametrize("args, message", [
    (["--format", "xlsx"], "needs --output"),
    (["--format", "csv", "--outlet", "x" * 300], "outlet: Ensure this value has at most 200 characters"),
    (["--format", "csv", "--flag", "Nonsense"], "No flag is named “Nonsense”"),
    (["--format", "csv", "--sort", "password"], "Unknown sort “password”"),
    (["--format", "csv", "--sourced-fact-share-min", "500"], "sourced_fact_share"),
    (["--format", "csv", "--published-from", "yesterday"], "published"),
])
def test_bad_options_get_a_clear_error_and_no_log(corpus, args, message):
    with pytest.raises(CommandError, match=message):
        export(*args)
    assert not Export.objects.exists()


def test_a_failed_export_leaves_an_existing_file_untouched(corpus, tmp_path, monkeypatch):
    target = tmp_path / "summaries.csv"
    target.write_text("yesterday's export")

    def broken(*args, **kwargs):
        yield "half a row"
        raise RuntimeError("disk trouble")

    monkeypatch.setattr("annotations.exports.writers.csv_chunks", broken)
    with pytest.raises(RuntimeError):
        export("--format", "csv", "--output", str(target))
    assert target.read_text() == "yesterday's export"
    assert [path.name for path in tmp_path.iterdir()] == ["summaries.csv"]  # no temporary file left
    # On record as begun, with no row count: it did not finish.
    assert Export.objects.get().rows is None


def test_an_output_folder_that_does_not_exist_is_reported(corpus, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        export("--format", "csv", "--output", str(tmp_path / "missing" / "out.csv"))


def test_an_output_that_is_a_folder_is_refused_before_anything_is_written(corpus, tmp_path):
    with pytest.raises(CommandError, match="is a folder"):
        export("--format", "csv", "--output", str(tmp_path))
    assert list(tmp_path.iterdir()) == [] and not Export.objects.exists()
