"""Exports of the articles table (CSV, XLSX, JSON), the article report (page and JSON), and the export log."""
import csv
import io
import json

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import make_article, make_review

from dossier.models import Article

from annotations.exports import rows, writers
from annotations.models import ArticleSummary, CodebookVersion, Export, Flag

pytestmark = pytest.mark.django_db
LIST = reverse("annotations:articles")


@pytest.fixture
def corpus(reviewer, other_reviewer):
    """Five articles in several scripts, three scored, with names a spreadsheet or HTML could misread."""
    good = make_article(title="Well sourced", body="Tanks moved. Analysts say.\n\nIt is bad.", outlet="Good Times",
                        authors=["Ann O'Writer", "Zoë Ünal"], published="2024-05-01", url="https://example.com/a")
    make_review(good, reviewer, {0: "q", 1: "q", 2: "o"})
    make_review(good, other_reviewer, {0: "q", 1: "v", 2: "o"})
    bad = make_article(title="Sınır görüşmeleri <b>", body="İddia bir. İddia iki daha uzun.", outlet="Kötü Haber",
                       authors=["Bob Writer"], language="tr")
    make_review(bad, reviewer, {0: "u", 1: "u"})
    persian = make_article(title="گفت‌وگوهای مرزی", body="ادعای اول. ادعای دوم.", language="fa")
    make_review(persian, reviewer, {0: "q", 1: "u"})
    make_article(title="Граница: переговоры", body="Первое. Второе.", language="ru")
    make_article(title="Not started", body="Nothing yet.")
    return Article.objects.all()


def page_rows(client, query):
    """What the articles page shows for the query: one list of cell texts per row, and the row ids."""
    response = client.get(LIST, {**query, "per_page": 100})
    rows = response.context["table"].page.object_list
    return [row.record.pk for row in rows], [
        [row.record.title, str(row.get_cell("sourced_fact_share")), str(row.get_cell("agreement")),
         str(row.get_cell("status"))]
        for row in rows
    ]


def download(client, query, export_format):
    response = client.get(LIST, {**query, "_export": export_format})
    assert response.status_code == 200, response.content
    return response, b"".join(response.streaming_content)


def as_shown(share, alpha, status, title):
    """An exported row's figures written the way the page writes them."""
    return [title, "—" if share is None else f"{share:.1f}%", "—" if alpha is None else f"{alpha:.2f}", status]


def csv_records(content):
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_records(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(header, row)) for row in rows]


SHARE, ALPHA = "Sourced-fact share (%)", "Agreement (α)"


@pytest.mark.parametrize("query", [
    {},
    {"sort": "-sourced_fact_share"},
    {"sort": "sourced_fact_share"},
    {"status": "reviewed", "sort": "title"},
    {"q": "sınır"},
    {"author": "writer", "sort": "-agreement"},
])
def test_csv_xlsx_and_json_load_back_with_the_rows_the_table_shows(client, editor, corpus, query):
    client.force_login(editor)
    ids, shown = page_rows(client, query)
    assert ids, "the query should keep some rows"

    records = {
        "csv": csv_records(download(client, query, "csv")[1]),
        "xlsx": xlsx_records(download(client, query, "xlsx")[1]),
        "json": json.loads(download(client, query, "json")[1]),
    }
    for export_format, exported in records.items():
        assert [int(row["ID"]) for row in exported] == ids, export_format
        figures = [
            as_shown(*(None if row[key] in ("", None) else float(row[key]) for key in (SHARE, ALPHA)),
                     row["Status"], row["Title"])
            for row in exported
        ]
        assert figures == shown, export_format


def test_exports_carry_ids_urls_and_metadata_unmangled(client, editor, corpus):
    client.force_login(editor)
    good = corpus.get(title="Well sourced")
    [row] = csv_records(download(client, {"q": "Well"}, "csv")[1])
    assert row["Summary URL"] == f"http://testserver{reverse('annotations:summary', args=[good.pk])}"
    assert row["Source URL"] == "https://example.com/a"
    assert row["Authors"] == "Ann O'Writer; Zoë Ünal"  # not HTML-escaped
    assert row["Outlet"] == "Good Times" and row["Published"] == "2024-05-01" and row["Words"] == "7"
    assert row["Reviewers"] == "2" and row["Opinion (%)"] == "28.6"

    [row] = json.loads(download(client, {"language": "fa"}, "json")[1])
    assert row["Title"] == "گفت‌وگوهای مرزی"  # the zero-width non-joiner survives
    assert row["Outlet"] is None and row[SHARE] == 50.0
    [row] = xlsx_records(download(client, {"q": "<b>"}, "xlsx")[1])
    assert row["Title"] == "Sınır görüşmeleri <b>" and row["Outlet"] == "Kötü Haber"


FORMULAS = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "＝1+1"]
FORMULAS_FIRST = {formula[0] for formula in FORMULAS}


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(client, editor, reviewer):
    for number, formula in enumerate(FORMULAS):
        article = make_article(title=f"Title {number}", authors=[f"{formula} author"])
        Article.objects.filter(pk=article.pk).update(title=formula)
    client.force_login(editor)

    csv_rows = csv_records(download(client, {"sort": "title"}, "csv")[1])
    xlsx_content = download(client, {"sort": "title"}, "xlsx")[1]
    json_rows = json.loads(download(client, {"sort": "title"}, "json")[1])

    expected = sorted(FORMULAS)
    assert [row["Title"] for row in csv_rows] == ["'" + formula for formula in expected]
    # Import trims names, so the tab and CR ones lose their first character there.
    authors = [Article.objects.get(title=formula).authors.get().name for formula in expected]
    assert [row["Authors"] for row in csv_rows] == [
        f"'{name}" if name.startswith(tuple(FORMULAS_FIRST)) else name for name in authors]
    assert sum(row["Authors"].startswith("'") for row in csv_rows) == 5
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_content)).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in titles] == ["'" + formula for formula in expected]
    assert {cell.data_type for cell in titles} == {"s"}  # text, never "f" (formula)
    # JSON is no spreadsheet: its text is exactly the title.
    assert [row["Title"] for row in json_rows] == expected


def test_numbers_are_left_as_numbers_and_ordinary_text_alone():
    assert writers.neutralise(-3) == -3 and writers.neutralise(None) is None
    assert writers.neutralise("Iran – Pakistan") == "Iran – Pakistan"
    assert writers.neutralise("-") == "'-"


def test_xlsx_replaces_characters_xml_cannot_hold(client, editor):
    article = make_article(title="Clean")
    Article.objects.filter(pk=article.pk).update(title="Bell\x07 here")
    client.force_login(editor)
    [row] = xlsx_records(download(client, {}, "xlsx")[1])
    assert row["Title"] == "Bell\ufffd here"


def test_text_exports_stream_and_read_the_rows_in_chunks(client, editor, corpus, monkeypatch):
    monkeypatch.setattr(rows, "CHUNK", 2)
    monkeypatch.setattr(writers, "CHUNK", 2)
    client.force_login(editor)
    for export_format in ("csv", "json"):
        response = client.get(LIST, {"_export": export_format})
        assert isinstance(response, StreamingHttpResponse)
        with CaptureQueriesContext(connection) as queries:
            chunks = list(response.streaming_content)
        # Five rows two at a time: the authors are fetched once per chunk, never for all rows at once.
        author_fetches = [q for q in queries.captured_queries if "dossier_author" in q["sql"]]
        assert len(author_fetches) == 3
        assert len(chunks) >= 3
    response = client.get(LIST, {"_export": "xlsx"})
    assert isinstance(response, FileResponse)
    assert response["Content-Disposition"].startswith('attachment; filename="dossier-articles-')


def test_an_empty_result_exports_a_header_only(client, editor, corpus):
    client.force_login(editor)
    assert csv_records(download(client, {"q": "no such title"}, "csv")[1]) == []
    assert json.loads(download(client, {"q": "no such title"}, "json")[1]) == []
    assert xlsx_records(download(client, {"q": "no such title"}, "xlsx")[1]) == []


def test_unknown_formats_and_bad_filters_are_refused_and_not_logged(client, editor, corpus):
    client.force_login(editor)
    response = client.get(LIST, {"_export": "pdf"})
    assert response.status_code == 400 and "use csv, xlsx or json" in response.content.decode()
    response = client.get(LIST, {"_export": "csv", "sourced_fact_share_min": "500", "published_after": "soon"})
    message = response.content.decode()
    assert response.status_code == 400
    assert "sourced_fact_share" in message and "published" in message
    assert not Export.objects.exists()


def test_only_editors_and_admins_export_the_table(client, reviewer, outsider, admin, corpus):
    query = {"_export": "csv"}
    client.force_login(reviewer)
    assert client.get(LIST, query)["Location"] == reverse("annotations:queue")  # blind review: no scores
    client.force_login(outsider)
    assert client.get(LIST, query).status_code == 403
    client.logout()
    assert client.get(LIST, query)["Location"].startswith(reverse("login"))
    assert not Export.objects.exists()
    client.force_login(admin)
    assert len(csv_records(download(client, {}, "csv")[1])) == 5


def test_every_export_is_logged_with_who_what_filter_and_rows(client, editor, corpus):
    client.force_login(editor)
    download(client, {"status": "reviewed", "sort": "-sourced_fact_share", "page": "2"}, "csv")
    entry = Export.objects.get()
    assert (entry.user, entry.username, entry.via, entry.kind, entry.format, entry.rows) == (
        editor, "ed", "web", "table", "csv", 3)
    assert entry.parameters == {"status": "reviewed", "sort": "-sourced_fact_share"}


def test_an_export_broken_off_is_on_record_without_a_row_count(editor):
    entry = Export.objects.start(Export.Kind.TABLE, "csv", user=editor)
    rows = writers.logged(iter([["Title"], ["one"], ["two"], ["three"]]), entry)
    assert next(rows) == ["Title"] and next(rows) == ["one"]
    rows.close()  # what the server does to the response's iterator when the client goes away
    entry.refresh_from_db()
    assert entry.rows is None

    finished = writers.logged(iter([["Title"], ["one"], ["two"]]), entry)
    assert list(finished) == [["Title"], ["one"], ["two"]]
    entry.refresh_from_db()
    assert entry.rows == 2


def test_the_log_keeps_the_filter_and_sort_but_no_other_parameter(client, editor, corpus):
    client.force_login(editor)
    download(client, {"status": "reviewed", "junk": "<img src=x>", "page": "3", "per_page": "7",
                      "sourced_fact_share_min": "10"}, "csv")
    assert Export.objects.get().parameters == {"status": "reviewed", "sourced_fact_share_min": "10"}


def test_every_column_is_the_tables_own_and_every_field_quoted(client, editor, corpus):
    from annotations.tables import SELECT, CredibilityTable

    client.force_login(editor)
    content = download(client, {"q": "Well"}, "csv")[1].decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(content)))
    table = CredibilityTable([])
    percent = {"sourced_fact_share", "ruled_sourced_fact_share", "unsourced_share", "opinion_share", "fact_coverage"}
    # Every column but the page's row checkboxes (shown when campaigns take picked rows): never exported.
    assert header == [f"{column.header} (%)" if column.name in percent else column.header
                      for column in table.columns.iterall() if column.name != SELECT]
    assert header[-2:] == ["Method version", "Codebook version"]
    assert next(csv.reader(io.StringIO(content.splitlines()[1])))[-2:] == [
        "2", str(CodebookVersion.objects.current().number)]
    # A spreadsheet splitting on ";" (Turkish, German and French locales) must not cut a field.
    assert content.splitlines()[1].startswith('"') and content.count('"') == 2 * len(header) * 2


def test_the_articles_page_offers_exports_of_what_it_shows(client, editor, corpus):
    client.force_login(editor)
    content = client.get(LIST, {"status": "reviewed", "sort": "title", "page": "1"}).content.decode()
    assert "Export these 3" in content
    assert "?status=reviewed&amp;sort=title&amp;_export=csv" in content
    assert f'{reverse("annotations:annotation-collection")}?status=reviewed"' in content
    assert "Export" not in client.get(LIST, {"q": "nothing matches"}).content.decode().split("</form>")[1]


# The printable report and its JSON.

def report_url(article, name="report"):
    return reverse(f"annotations:{name}", args=[article.pk])


def test_report_json_holds_metadata_passages_flags_shares_agreement_and_reviewers(
    client, editor, corpus, reviewer, django_user_model
):
    article = corpus.get(title="Well sourced")
    late = django_user_model.objects.create_user("late")
    make_review(article, late, {0: "u"}, submit=False)
    client.force_login(editor)

    data = client.get(report_url(article, "report-json")).json()

    stored = ArticleSummary.objects.get(article=article)
    assert data["article"]["title"] == "Well sourced" and data["article"]["outlet"]["name"] == "Good Times"
    assert [author["name"] for author in data["article"]["authors"]] == ["Ann O'Writer", "Zoë Ünal"]
    assert data["article"]["source_url"] == "https://example.com/a" and data["article"]["published"] == "2024-05-01"
    assert data["sourced_fact_share"] == stored.sourced_fact_share == 1.0
    assert data["agreement"] == data["alpha"] == stored.agreement
    assert data["shares"]["opinion"] == pytest.approx(10 / 35) and data["characters"]["opinion"] == 10
    assert set(data["shares"]) == {"sourced", "unsourced", "opinion", "neutral", "disputed", "not_reviewed"}
    assert (data["method_version"], data["codebook_version"]) == (2, stored.codebook_version)
    # Three passages: too few for any alpha; no dispute touches sourced or unsourced on both sides.
    assert data["alpha"] is None and data["alpha_ci"] is None and data["alpha_reliable"] is None
    assert data["alpha_fact"] is None and data["alpha_sourcing"] is None
    assert data["sourced_fact_share_ci"] == [stored.sourced_fact_share_ci_low, stored.sourced_fact_share_ci_high]
    assert data["sourced_fact_share_bounds"] == [pytest.approx(12 / 25), 1.0]
    assert data["fact_coverage"] == pytest.approx(25 / 35)  # both took the disputed sentence for a claim of fact
    assert data["minority_unsourced"] == [article.passages.all()[1].pk]
    assert [(r["username"], r["counted"]) for r in data["reviewers"]] == [
        ("rita", True), ("rob", True), ("late", False)]
    passages = data["passages"]
    assert [(p["text"], p["consensus"], p["reviewers_differ"]) for p in passages] == [
        ("Tanks moved.", "sourced", False), ("Analysts say.", "disputed", True), ("It is bad.", "opinion", False)]
    assert [(f["flag"], f["reviewer"]) for f in passages[1]["flags"]] == [
        ("Quotes named official or expert", "rita"), ("Vague attribution", "rob")]
    # The unsubmitted review's flag is not in the report.
    assert all(f["reviewer"] != "late" for p in passages for f in p["flags"])
    assert Export.objects.get().kind == "report" and Export.objects.get().rows == 3


def test_report_page_is_printable_and_escapes_user_text(client, editor, reviewer):
    article = make_article(title="<script>x</script> report", body="First claim. Second claim.")
    review = make_review(article, reviewer, {}, submit=False)
    review.set_flag(article.passages.first(), Flag.objects.get(shortcut="u"), True, note="<img src=x onerror=1>")
    review.submit()
    client.force_login(editor)

    content = client.get(report_url(article)).content.decode()

    assert "&lt;script&gt;x&lt;/script&gt; report" in content and "<script>x</script>" not in content
    assert "&lt;img src=x onerror=1&gt;" in content
    assert "data-print" in content and "js/report.js" in content
    assert "Sentence by sentence" in content and "First claim." in content
    assert Export.objects.get().format == "html"


def test_the_stylesheet_lays_every_page_out_for_paper():
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/dossier.css"), encoding="utf-8").read()
    print_rules = css.split("@media print", 1)[1]
    assert "header.site" in print_rules and ".report-tools" in print_rules and "break-inside: avoid" in print_rules


def test_report_costs_the_same_queries_however_long_the_article(client, editor, reviewer, django_assert_num_queries):
    client.force_login(editor)
    counts = {}
    for sentences in (1, 120):
        article = make_article(body=" ".join(f"Sentence {n} here." for n in range(sentences)))
        make_review(article, reviewer, {n: "q" for n in range(sentences)})
        for name in ("report", "report-json"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(report_url(article, name)).status_code == 200
            counts.setdefault(name, set()).add(len(queries))
    assert all(len(seen) == 1 for seen in counts.values()), counts


def test_summary_links_to_the_report_and_its_exports(client, editor, corpus):
    article = corpus.get(title="Well sourced")
    client.force_login(editor)
    content = client.get(reverse("annotations:summary", args=[article.pk])).content.decode()
    for name in ("report", "report-json", "article-annotations"):
        assert report_url(article, name) in content


# The log, for admins.

def test_admins_read_the_export_log_and_nobody_can_change_it(client, admin, editor, corpus):
    client.force_login(editor)
    download(client, {"q": "Sınır"}, "json")
    changelist = reverse("admin:annotations_export_changelist")
    assert client.get(changelist).status_code in (302, 403)  # editors are not staff

    client.force_login(admin)
    content = client.get(changelist).content.decode()
    assert "ed" in content and "Sınır" in content
    entry = Export.objects.get()
    assert client.get(reverse("admin:annotations_export_add")).status_code == 403
    assert client.post(reverse("admin:annotations_export_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    client.post(reverse("admin:annotations_export_change", args=[entry.pk]), {"rows": 0})
    assert Export.objects.get().rows == entry.rows


@pytest.mark.parametrize("headers, expected", [
    ({}, ""),  # a script or a bookmark
    ({"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_REFERER": "http://testserver/"}, ""),
    ({"HTTP_SEC_FETCH_SITE": "none"}, ""),  # typed into the address bar
    ({"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_REFERER": "https://evil.example/page?x=1"}, "https://evil.example"),
    ({"HTTP_SEC_FETCH_SITE": "cross-site"}, "another site"),
    ({"HTTP_REFERER": "https://evil.example/page"}, "https://evil.example"),  # a browser without Sec-Fetch
])
def test_an_export_opened_by_another_sites_link_says_so_in_the_log(client, editor, corpus, headers, expected):
    client.force_login(editor)
    response = client.get(LIST, {"_export": "csv"}, **headers)
    b"".join(response.streaming_content)
    article = corpus.first()
    client.get(reverse("annotations:report-json", args=[article.pk]), **headers)
    assert [entry.linked_from for entry in Export.objects.order_by("id")] == [expected, expected]


def export_job(client, query, export_format):
    """Ask for a big export: the articles page comes back with its job, whose file is then fetched."""
    from dossier.models import Job

    response = client.get(LIST, {**query, "_export": export_format}, follow=True)
    job = Job.objects.latest("id")
    assert response.redirect_chain[-1][0].endswith(f"job={job.pk}")
    return job, response


@pytest.mark.parametrize("export_format", ["csv", "json", "xlsx"])
def test_an_export_over_the_threshold_runs_as_a_job_whose_file_is_the_same_download(
        client, editor, corpus, settings, export_format):
    client.force_login(editor)
    query = {"sort": "-sourced_fact_share"}
    settings.DOSSIER_EXPORT_TASK_ROWS = 5  # the corpus's five rows: not over it
    response, immediate = download(client, query, export_format)

    settings.DOSSIER_EXPORT_TASK_ROWS = 4
    job, page = export_job(client, query, export_format)

    assert (job.kind, job.status, job.total, job.done, job.created_by) == ("export", "done", 5, 5, editor)
    content = page.content.decode()
    assert "5 of 5 done" in content and "ready to download" in content
    assert 'http-equiv="refresh"' not in content  # finished: the page stops refreshing
    file = client.get(reverse("annotations:export-file", args=[job.pk]))
    assert file.status_code == 200 and file["Content-Type"] == response["Content-Type"]
    assert file["Content-Disposition"] == response["Content-Disposition"]
    written = b"".join(file.streaming_content)
    if export_format == "xlsx":  # a workbook records when it was written
        assert xlsx_records(written) == xlsx_records(immediate)
    else:
        assert written == immediate
    assert list(Export.objects.order_by("id").values_list("format", "rows", "username")) == [
        (export_format, 5, editor.username), (export_format, 5, editor.username)]


def test_the_articles_page_links_a_big_export_as_a_page_not_a_download(client, editor, corpus, settings):
    client.force_login(editor)
    assert '_export=csv" download>' in client.get(LIST).content.decode()
    settings.DOSSIER_EXPORT_TASK_ROWS = 4
    assert '_export=csv">' in client.get(LIST).content.decode()


def test_only_whoever_started_an_export_job_downloads_its_file(client, editor, admin, reviewer, corpus, settings,
                                                               django_user_model):
    from dossier.roles import Role

    settings.DOSSIER_EXPORT_TASK_ROWS = 1
    client.force_login(editor)
    job, _ = export_job(client, {}, "csv")
    url = reverse("annotations:export-file", args=[job.pk])
    assert client.get(url).status_code == 200

    other = django_user_model.objects.create_user("editor2", password="x")
    other.groups.add(Group.objects.get(name=Role.EDITOR))
    for user, status in ((other, 404), (admin, 404), (reviewer, 403)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
        assert "Download the export" not in client.get(f"{LIST}?job={job.pk}").content.decode()
    client.force_login(other)
    assert client.get(f"{LIST}?job={job.pk}").status_code == 403  # nor follow it
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_an_export_job_that_fails_says_so_on_its_page_and_leaves_no_file(client, editor, corpus, settings,
                                                                       monkeypatch):
    from dossier.models import JobFile

    def broken(*args):
        raise OSError("disk full")

    settings.DOSSIER_EXPORT_TASK_ROWS = 1
    monkeypatch.setattr(writers, "write_table", broken)
    client.force_login(editor)
    job, page = export_job(client, {}, "csv")

    assert job.status == "failed" and "stopped by an unexpected error (OSError)" in job.summary
    assert "Download the export" not in page.content.decode() and not JobFile.objects.exists()
    assert client.get(reverse("annotations:export-file", args=[job.pk])).status_code == 404


def test_an_import_job_is_not_shown_on_the_articles_page(client, editor):
    from dossier.models import Job

    job = Job.objects.create(kind=Job.Kind.IMPORT, created_by=editor)
    client.force_login(editor)
    assert client.get(f"{LIST}?job={job.pk}").status_code == 404
