"""Hostile input on every list page, the admin import, the import command and the annotate endpoint.

Each case gets its clear error or simply works: never a 500, never half-saved rows, and no
sort or filter parameter ever reaches a related field (checked on the SQL itself).
Cases the ordinary import and view tests already cover are not repeated here.
"""
import json
import os
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import make_article, make_review

from dossier.folding import search_words
from dossier.models import Article, Author, Outlet, Passage
from dossier.tables import BoundedTable

from annotations.models import Annotation, Export, Flag, Review

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:dossier_article_import")
BOUNDARY = "----dossier-test-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
STORY = b"Border talks resume\n\nThe ministers met on Monday. They agreed to meet again."


@pytest.fixture(autouse=True)
def errors_become_responses(client):
    """A crash shows as the 500 a visitor would get, so every test can assert it never happens."""
    client.raise_request_exception = False


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Five users per test; the real hasher would make this file take minutes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def rank_every_outlet(monkeypatch):
    # The ranking pages' sorts and pages are tested on the ranked table; this small corpus has no outlet
    # or author with the five reviewed articles a rank needs, so rank them all.
    from annotations import aggregates

    monkeypatch.setattr(aggregates, "MIN_RANKED", 0)


def counts():
    return Article.objects.count(), Passage.objects.count(), Review.objects.count(), Annotation.objects.count()


# --- Sort and filter parameters on the list pages ----------------------------------------------

@pytest.fixture
def corpus(reviewer, other_reviewer):
    """Two scored articles from two outlets, one outlet with private notes; the outlets and an author."""
    first = make_article(title="Border talks", outlet="Daily Example", authors=["Jane Doe"], published="2024-01-02",
                         language="en", body="The ministers met. They agreed.")
    second = make_article(title="Harbour strike", outlet="Weekly Example", authors=["John Roe"], language="tr",
                          body="Workers walked out. The port closed.")
    Outlet.objects.filter(name="Daily Example").update(notes="secret ownership notes")
    make_review(first, reviewer, {0: "a", 1: "u"})
    make_review(first, other_reviewer, {0: "a", 1: "o"})
    make_review(second, reviewer, {0: "o"}, submit=False)
    return {"outlet": Outlet.objects.get(name="Daily Example"), "author": Author.objects.get(name="Jane Doe")}


# (url name, who opens it, the corpus object in the url)
PAGES = {
    "editors' articles": ("annotations:articles", "editor", None),
    "reviewer queue": ("annotations:queue", "reviewer", None),
    "outlets": ("annotations:outlets", "editor", None),
    "authors": ("annotations:authors", "editor", None),
    "outlet page": ("annotations:outlet", "editor", "outlet"),
    "author page": ("annotations:author", "editor", "author"),
}

REACHING = [
    {"sort": "reviewer__password"},
    {"sort": "summary__article__imported_by__password"},
    {"sort": "-imported_by__password"},
    {"sort": "imported_by"},
    {"sort": ["reviewer__password", "outlet__notes"]},
    {"outlet__notes__startswith": "secret"},
    {"outlet__notes": "secret ownership notes"},
    {"imported_by__password__startswith": "pbkdf2"},
    {"imported_by__username": "ada"},
    {"reviews__reviewer__password__isnull": "false"},
    {"q__regex": "(a+)+$", "title__iregex": ".*"},
    {"order_by": "imported_by__password", "ordering": "-password", "o": "1"},
    {"id__in": "1,2", "pk__gt": "0", "status__in": "reviewed"},
    {"name__startswith": "Weekly"},
]

# What a sort or filter reaching another table would leave in the SQL: that table, or a column
# of it in a join, WHERE or ORDER BY. (The outlets page groups by the outlet's own notes column.)
FOREIGN = ['"password"', '"auth_user"', '"username"', '"last_login"']
PRIVATE = ['"notes"', '"imported_by_id"']
GROUP_BY = re.compile(r' GROUP BY (?:"\w+"\."\w+"(?:, )?)+')


def open_page(client, request, page, params=None, **extra):
    name, who, subject = PAGES[page]
    client.force_login(request.getfixturevalue(who))
    args = [request.getfixturevalue("corpus")[subject].pk] if subject else []
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name, args=args), params or {}, **extra)
    return response, [query["sql"] for query in queries]


def is_own_user_load(sql):
    """The session's user, loaded by its id: the one query allowed to touch auth_user."""
    _, _, rest = sql.partition(" FROM ")
    return re.fullmatch(r'"auth_user" WHERE "auth_user"\."id" = \S+ LIMIT 21', rest) is not None


def assert_nothing_private_reached(queries, allowed=()):
    for sql in queries:
        if is_own_user_load(sql):
            continue
        for column in set(FOREIGN) - set(allowed):
            assert column not in sql, f"{column} reached by: {sql}"
        _, _, rest = sql.partition(" FROM ")  # joins, WHERE, ORDER BY (and every subquery)
        rest = GROUP_BY.sub(" ", rest)
        for column in PRIVATE:
            assert column not in rest, f"{column} reached by: {sql}"


def rows(response):
    return [row.record.pk for row in response.context["table"].paginated_rows]


def order(response):
    return tuple(response.context["table"].order_by or ())


def ids(params):
    return "&".join(f"{key}={value}"[:40] for key, value in params.items())


@pytest.mark.parametrize("page", PAGES)
def test_sort_and_filter_parameters_that_name_related_fields_change_nothing_and_reach_no_related_column(
    client, request, corpus, page
):
    plain, _ = open_page(client, request, page)
    assert rows(plain), "the page should list something, or the comparisons prove nothing"
    for params in REACHING:
        response, queries = open_page(client, request, page, params)

        assert response.status_code == 200, params
        assert (rows(response), order(response)) == (rows(plain), order(plain)), params
        assert_nothing_private_reached(queries)


@pytest.mark.parametrize("page", PAGES)
def test_a_sort_mixing_a_real_column_with_a_related_field_keeps_only_the_real_column(client, request, corpus, page):
    column = "name" if page in ("outlets", "authors") else "title"
    response, queries = open_page(client, request, page, {"sort": ["-reviewer__password", f"-{column}", "imported_by"]})

    assert response.status_code == 200
    assert order(response) == (f"-{column}",)
    assert_nothing_private_reached(queries)


@pytest.mark.parametrize("page", PAGES)
def test_the_plain_list_pages_touch_no_private_column_either(client, request, corpus, page):
    response, queries = open_page(client, request, page)
    assert response.status_code == 200
    assert_nothing_private_reached(queries)


PAGING = [
    {"page": "-1"}, {"page": "0"}, {"page": "NaN"}, {"page": "inf"}, {"page": "1e9"}, {"page": "9" * 30},
    {"page": "9" * 5000}, {"page": "1.5"}, {"page": ["1", "2", "99"]},
    {"per_page": "-5"}, {"per_page": "0"}, {"per_page": "NaN"}, {"per_page": "9" * 30}, {"per_page": "-" + "9" * 30},
    {"sort": "x" * 100_000}, {"sort": ""}, {"sort": "-"}, {"sort": "--title"}, {"sort": ","},
    {"sort": ["title", "-title", "title"]}, {"sort": "\x00"}, {"sort": "title,-title"},
    # Keyset pages: a cursor this site never gave out, however it is malformed, shows the first page.
    {"cursor": "x" * 100_000}, {"cursor": ""}, {"cursor": "\x00"}, {"cursor": "e30:forged"},
    {"cursor": ["a", "b"]}, {"few-cursor": "x" * 5000},
]


@pytest.mark.parametrize("page", PAGES)
def test_page_numbers_page_sizes_and_sorts_out_of_range_still_show_a_bounded_page(client, request, corpus, page):
    for params in PAGING:
        response, queries = open_page(client, request, page, params)

        assert response.status_code == 200, params
        table = response.context["table"]
        assert 1 <= table.paginator.per_page <= BoundedTable.MAX_PER_PAGE, params
        assert not table.page.has_previous(), params  # nothing here names another page: the first one
        assert rows(response), params  # never an empty page
        assert_nothing_private_reached(queries)


# The filters' own parameters with values no form should send.
FILTER_VALUES = [
    ({"q": "a" * 60_000}, "at most 500 characters"),
    ({"q": "%_" * 30_000}, "at most 500 characters"),
    ({"language": "c" * 60_000}, "at most 16 characters"),
    ({"author": "b" * 60_000}, "at most 200 characters"),
    ({"q": "\x00"}, "Null characters are not allowed"),
    ({"author": "Jane\x00"}, "Null characters are not allowed"),
    ({"outlet": "o" * 60_000}, "at most 200 characters"),
    ({"outlet": "Daily\x00"}, "Null characters are not allowed"),
    ({"flag": "9" * 5000}, "Select a valid choice"),
    ({"status": "bogus"}, "Select a valid choice"),
    ({"sourced_fact_share_min": "NaN"}, "Enter a number"),
    ({"sourced_fact_share_min": "inf"}, "Enter a number"),
    ({"unsourced_share_max": "-Infinity"}, "Enter a number"),
    ({"opinion_share_min": "1e999999999"}, "less than or equal to 100"),
    ({"opinion_share_max": "9" * 5000}, "less than or equal to 100"),
    ({"sourced_fact_share_min": "-1e999999999"}, "greater than or equal to 0"),
    ({"published_after": "99999-01-01"}, "Enter a valid date"),
]


def test_hostile_filter_values_on_the_editors_table_are_reported_and_match_nothing(client, request, corpus):
    for params, message in FILTER_VALUES:
        response, queries = open_page(client, request, "editors' articles", params)

        assert response.status_code == 200, params
        assert message in response.content.decode(), params
        assert rows(response) == [], params
        assert_nothing_private_reached(queries)


def exported(client, request, params, url_name="annotations:articles"):
    """Download an export (consuming the stream) and capture every query it made."""
    client.force_login(request.getfixturevalue("editor"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(url_name), params)
        content = b"".join(response.streaming_content) if response.streaming else response.content
    # The export log records the parameters as asked: its own insert is not a read of anything.
    return response, content, [query["sql"] for query in queries
                               if not query["sql"].startswith('INSERT INTO "annotations_export"')]


def test_exports_ignore_parameters_that_name_related_fields_and_reach_no_private_column(client, request, corpus):
    _, plain, _ = exported(client, request, {"_export": "csv"})
    _, plain_annotations, _ = exported(client, request, {}, "annotations:annotation-collection")
    for params in REACHING:
        response, content, queries = exported(client, request, {**params, "_export": "csv"})
        assert response.status_code == 200, params
        assert content == plain, params
        assert_nothing_private_reached(queries)
        response, content, queries = exported(client, request, params, "annotations:annotation-collection")
        assert response.status_code == 200, params
        assert json.loads(content)["total"] == json.loads(plain_annotations)["total"] == 4, params
        # Each annotation's creator is its reviewer's login name: only that column of the account.
        assert_nothing_private_reached(queries, allowed=['"auth_user"', '"username"'])
        assert all(column not in sql for sql in queries if not is_own_user_load(sql)
                   for column in ('"email"', '"is_superuser"'))


@pytest.mark.parametrize("export_format", ["CSV", "csv\x00", "x" * 100_000, "", "xls", "../csv"])
def test_an_unknown_export_format_is_a_bad_request_that_exports_and_logs_nothing(
    client, request, corpus, export_format
):
    response, content, _ = exported(client, request, {"_export": export_format})
    assert response.status_code == 400
    assert "use csv, xlsx or json" in content.decode()
    assert not Export.objects.exists()


def test_hostile_filter_values_make_exports_a_bad_request_naming_the_parameter(client, request, corpus):
    for params, _message in FILTER_VALUES:
        for url_name, extra in (
            ("annotations:articles", {"_export": "json"}), ("annotations:annotation-collection", {})
        ):
            response, content, queries = exported(client, request, {**params, **extra}, url_name)
            assert response.status_code == 400, params
            assert content.decode().startswith("Fix the filter before exporting:"), params
            assert_nothing_private_reached(queries)
    assert not Export.objects.exists()


@pytest.mark.parametrize("page", ["-1", "0", "1.5", "9" * 30, "x", "\x00", ["1", "x"]])
def test_annotation_pages_out_of_range_or_not_numbers_are_refused(client, request, corpus, page):
    response, _, _ = exported(client, request, {"page": page}, "annotations:annotation-collection")
    assert response.status_code in (400, 404)
    assert not Export.objects.exists()


def test_hostile_filter_values_on_the_reviewer_queue_match_nothing(client, request, corpus):
    for params in [{"q": "a" * 60_000}, {"q": "%_" * 30_000}, {"language": "c" * 60_000}, {"q": "\x00"},
                   {"outlet": "9" * 30}, {"status": "bogus"}, {"status": "\x00"}]:
        response, queries = open_page(client, request, "reviewer queue", params)

        assert response.status_code == 200, params
        assert rows(response) == [], params
        assert_nothing_private_reached(queries)


def test_the_widest_filter_values_still_work(client, request, corpus):
    params = {
        "published_after": "0001-01-01", "published_before": "9999-12-31", "sourced_fact_share_min": "0",
        "sourced_fact_share_max": "100", "q": "Border", "language": "EN", "author": "jane",
    }
    response, _ = open_page(client, request, "editors' articles", params)

    assert response.status_code == 200
    assert [row.record.title for row in response.context["table"].paginated_rows] == ["Border talks"]


@pytest.mark.parametrize("page", PAGES)
def test_repeated_filter_parameters_use_one_value(client, request, corpus, page):
    response, queries = open_page(client, request, page, {"q": ["Harbour", "Border"], "language": ["tr", "en"]})

    assert response.status_code == 200
    if page in ("editors' articles", "reviewer queue"):
        assert [row.record.title for row in response.context["table"].paginated_rows] == ["Border talks"]
    assert_nothing_private_reached(queries)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("query_string", "searched"),
    [
        ("q=%FF%FE%FD&sort=%C3%28&page=%E2%82", "\ufffd\ufffd\ufffd"),  # percent-encoded: replaced
        # Raw bytes (the WSGI server passes them on as latin-1): Django reads them as latin-1.
        ("q=\xff\xfe\xfd&sort=\xc3\x28&author=\xed\xa0\x80", "\xff\xfe\xfd"),
    ],
    ids=["percent-encoded", "raw bytes"],
)
def test_invalid_utf8_in_the_query_string_is_read_as_text_not_a_crash(
    client, request, corpus, page, query_string, searched
):
    response, queries = open_page(client, request, page, QUERY_STRING=query_string)

    assert response.status_code == 200
    if page in ("editors' articles", "reviewer queue"):
        assert f'value="{searched}"' in response.content.decode()  # the search box shows what came
        # U+FFFD is no letter, so that search has no word and filters nothing; "ÿþý" matches no article.
        assert bool(rows(response)) == (not search_words(searched))
    assert_nothing_private_reached(queries)


def test_a_query_string_with_thousands_of_parameters_is_refused(client, editor, corpus):
    client.force_login(editor)
    response = client.get(reverse("annotations:articles") + "?" + "&".join(f"p{n}=1" for n in range(2000)))
    assert response.status_code == 400


@pytest.mark.parametrize(
    "show",
    ["reviewer__password", "disagreements\x00", "x" * 100_000, "\xff", ["disagreements", "all"], "DISAGREEMENTS"],
    ids=["related", "nul", "huge", "latin-1", "repeated", "upper case"],
)
def test_compare_page_shows_every_passage_for_any_other_show_value(client, editor, corpus, show):
    article = Article.objects.get(title="Border talks")
    url = reverse("annotations:compare", args=[article.pk])
    client.force_login(editor)
    plain = client.get(url)
    with CaptureQueriesContext(connection) as hostile:
        response = client.get(url, {"show": show, "sort": "reviewer__password", "reviewer__password__gt": ""})
    with CaptureQueriesContext(connection) as clean:
        client.get(url)

    assert response.status_code == 200
    assert not response.context["only_disagreements"]
    assert len(response.context["rows"]) == len(plain.context["rows"]) == article.passages.count()
    # Whatever `show` says, the page asks the database exactly what a plain visit asks
    # (but for the session lookup, which carries the time).
    assert sql_without_session(hostile) == sql_without_session(clean)
    for query in hostile:
        _, _, rest = query["sql"].partition(" FROM ")
        assert '"password"' not in rest


def sql_without_session(queries):
    return [query["sql"] for query in queries if '"django_session"' not in query["sql"]]


def test_compare_page_with_disagreements_only_still_works(client, editor, corpus):
    article = Article.objects.get(title="Border talks")
    client.force_login(editor)
    response = client.get(reverse("annotations:compare", args=[article.pk]), {"show": "disagreements"})
    assert response.status_code == 200
    assert response.context["only_disagreements"]
    assert len(response.context["rows"]) == 1  # rita and rob disagree on the second passage only
    assert "They agreed." in response.content.decode()


# --- Multipart bodies, built by hand: the test client would clean up what a hostile client sends --

def field(name, value):
    return (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n")


def file_part(filename, data, name=b"files"):
    return (b"--" + BOUNDARY.encode() + b'\r\nContent-Disposition: form-data; name="' + name + b'"; filename="'
            + filename + b'"\r\nContent-Type: text/plain\r\n\r\n' + data + b"\r\n")


def form_body(*files, **fields):
    """What a browser sends from the import form: its text fields (empty unless given) and the files."""
    values = {"outlet": b"", "author": b"", "url": b"", "language": b"", **fields}
    return b"".join([*(field(name, value) for name, value in values.items()), *files]) + f"--{BOUNDARY}--\r\n".encode()


def post_import(client, body, content_type=MULTIPART):
    """The import page's answer; for several files, the page of the job they became (run at once in tests)."""
    response = client.generic("POST", IMPORT, data=body, content_type=content_type)
    if response.status_code == 302 and "?job=" in response["Location"]:
        return client.get(response["Location"])
    return response


def report(response):
    return [(row.name, row.error, row.imported) for row in response.context["report"].files]


@pytest.fixture
def importer(client, admin):
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    ("filename", "saved_as"),
    [
        (b"../../etc/passwd.txt", "passwd.txt"),
        (b"/etc/passwd.txt", "passwd.txt"),
        (b"..\\..\\Windows\\win.ini.txt", "win.ini.txt"),
        (b"C:\\Users\\ada\\story.txt", "story.txt"),
        (b"&#46;&#46;/&#46;&#46;/story.txt", "story.txt"),
        (b"story\x00.txt", "story.txt"),
        (b"\x1b[31mred\x07.txt", "[31mred.txt"),
        (b".txt", ".txt"),
    ],
    ids=["relative", "absolute", "windows", "drive", "html-escaped", "nul", "control characters", "only a suffix"],
)
def test_an_upload_is_named_by_its_bare_file_name_whatever_path_it_claims(importer, filename, saved_as):
    response = post_import(importer, form_body(file_part(filename, STORY)))

    assert response.status_code == 200
    assert report(response) == [(saved_as, "", ["Border talks resume"])]
    assert Article.objects.get().source_name == saved_as
    assert Passage.objects.count() == 2


def test_a_nul_byte_cannot_hide_the_real_suffix(importer):
    response = post_import(importer, form_body(file_part(b"story.txt\x00.exe", STORY)))

    assert response.status_code == 200
    assert report(response) == [
        ("story.txt.exe", "unsupported file type; expected one of .txt, .html, .htm, .json, .jsonl", [])
    ]
    assert counts() == (0, 0, 0, 0)


def test_a_name_that_is_only_a_json_suffix_is_read_as_json(importer):
    response = post_import(importer, form_body(file_part(b".json", b'{"title": "T", "body": "A sentence."}')))
    assert report(response) == [(".json", "", ["T"])]


def test_a_very_long_file_name_is_cut_to_fit_keeping_its_suffix(importer):
    response = post_import(importer, form_body(file_part("ş".encode() * 400 + b".txt", STORY)))

    assert response.status_code == 200
    (name, error, imported), = report(response)
    assert (error, imported) == ("", ["Border talks resume"])
    assert name.endswith("ş.txt") and len(name) <= 255
    assert Article.objects.get().source_name == name


def test_a_file_name_too_long_for_any_header_is_a_bad_request(importer):
    # Django reads at most 1,024 bytes of one part's headers.
    response = post_import(importer, form_body(file_part(b"a" * 2_000 + b".txt", STORY)))
    assert response.status_code == 400
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    "filename", [b"..", b"../", b"story.txt/", b"", b"\xff\xfe.txt"],
    ids=["dots", "dots slash", "slash", "empty", "bad utf-8"],
)
def test_a_file_whose_name_is_nothing_after_cleaning_is_a_missing_file(importer, filename):
    response = post_import(importer, form_body(file_part(filename, STORY)))

    assert response.status_code == 200
    assert response.context["form"].errors["files"] == ["This field is required."]
    assert counts() == (0, 0, 0, 0)


def test_invalid_utf8_in_a_form_field_is_replaced_and_the_import_works(importer):
    response = post_import(importer, form_body(file_part(b"story.txt", STORY), outlet=b"Daily \xff\xfe Example"))

    assert report(response) == [("story.txt", "", ["Border talks resume"])]
    assert Article.objects.get().outlet.name == "Daily \ufffd\ufffd Example"


def test_invalid_utf8_inside_an_uploaded_file_fails_that_file_alone(importer):
    bad = b'{"title": "T", "body": "caf\xe9 \xff"}'
    response = post_import(importer, form_body(file_part(b"bad.json", bad), file_part(b"good.txt", STORY)))

    assert report(response) == [
        ("bad.json", "the text is not UTF-8 (byte 0xe9 at offset 27) and its encoding is unknown; "
                     "save it as UTF-8 and import it again", []),
        ("good.txt", "", ["Border talks resume"]),
    ]
    assert Article.objects.get().source_name == "good.txt"


WHOLE = form_body(file_part(b"a.txt", STORY))
HEADLESS = f"--{BOUNDARY}\r\n\r\n{STORY.decode()}\r\n--{BOUNDARY}--\r\n".encode()


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        pytest.param(WHOLE, "multipart/form-data", 400, id="no boundary"),
        pytest.param(WHOLE, "multipart/form-data; boundary=", 400, id="empty boundary"),
        pytest.param(WHOLE, "multipart/form-data; boundary=" + "x" * 300, 400, id="boundary too long"),
        pytest.param(WHOLE[: -len(BOUNDARY) - 6], MULTIPART, 200, id="no closing boundary"),
        pytest.param(WHOLE[:-40], MULTIPART, 200, id="cut inside the file"),
        pytest.param(WHOLE[: -len(STORY) - 40], MULTIPART, 200, id="cut inside a header"),
        pytest.param(HEADLESS, MULTIPART, 200, id="part without headers"),
        pytest.param(b"\xff\xfe\x00garbage", MULTIPART, 200, id="not multipart at all"),
        pytest.param(b"", MULTIPART, 200, id="empty body"),
        pytest.param(WHOLE, "application/x-www-form-urlencoded", 200, id="multipart sent as urlencoded"),
        pytest.param(WHOLE, "application/json", 200, id="multipart sent as json"),
        pytest.param(WHOLE, "text/plain; charset=utf-8", 200, id="multipart sent as text"),
    ],
)
def test_a_malformed_upload_to_the_import_page_is_refused_and_saves_nothing(importer, body, content_type, status):
    response = post_import(importer, body, content_type)

    assert response.status_code == status
    assert counts() == (0, 0, 0, 0)
    if status == 200:
        assert response.context["report"] is None


def test_a_cut_off_upload_with_its_fields_says_which_field_is_missing(importer):
    response = post_import(importer, WHOLE[:-40])

    assert response.context["form"].errors["files"] == ["This field is required."]
    assert "This field is required." in response.content.decode()


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", MULTIPART])
def test_a_post_to_the_import_page_with_no_form_fields_says_the_files_are_missing(importer, content_type):
    response = post_import(importer, b'{"files": "../../etc/passwd.txt"}', content_type)
    assert response.context["form"].errors["files"] == ["This field is required."]


def test_more_files_than_allowed_is_a_bad_request_and_imports_none(importer, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = [file_part(f"{n}.txt".encode(), STORY + f" Number {n}.".encode()) for n in range(3)]
    response = post_import(importer, form_body(*files))

    assert response.status_code == 400
    assert counts() == (0, 0, 0, 0)


def test_an_oversized_form_field_is_a_bad_request_and_imports_nothing(importer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = post_import(importer, form_body(file_part(b"a.txt", STORY), outlet=b"x" * 20_000))

    assert response.status_code == 400
    assert counts() == (0, 0, 0, 0)


def test_an_oversized_upload_spooled_to_disk_is_refused_by_name_beside_a_good_one(importer, settings):
    settings.DOSSIER_MAX_IMPORT_BYTES = 1_000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100  # both uploads go to temporary files
    huge = STORY + b"\n\n" + b"More words here. " * 500
    response = post_import(importer, form_body(file_part(b"huge.txt", huge), file_part(b"small.txt", STORY)))

    assert response.status_code == 200
    (huge_name, huge_error, huge_imported), small = report(response)
    assert (huge_name, huge_imported) == ("huge.txt", [])
    assert "over the 1000\xa0bytes limit" in huge_error
    assert small == ("small.txt", "", ["Border talks resume"])
    assert (Article.objects.count(), Passage.objects.count()) == (1, 2)


def test_an_upload_exactly_at_the_limit_is_imported(importer, settings):
    settings.DOSSIER_MAX_IMPORT_BYTES = len(STORY)
    response = post_import(importer, form_body(file_part(b"exact.txt", STORY)))
    assert report(response) == [("exact.txt", "", ["Border talks resume"])]


def test_only_staff_with_the_import_permission_reach_the_multipart_parser(client, editor):
    client.force_login(editor)
    response = post_import(client, form_body(file_part(b"../../a.txt", STORY)))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert counts() == (0, 0, 0, 0)


# --- The annotate endpoint -------------------------------------------------------------------

@pytest.fixture
def annotating(client, reviewer):
    article = make_article(title="Border talks", body="The ministers met. They agreed.")
    client.force_login(reviewer)
    passage = article.passages.first()
    flag = Flag.objects.get(shortcut="a")
    body = (field("passage", str(passage.pk).encode()) + field("flag", str(flag.pk).encode()) + field("on", b"1")
            + f"--{BOUNDARY}--\r\n".encode())
    return reverse("annotations:annotate", args=[article.pk]), body, counts()


def with_fields(body, **fields):
    """The annotate body with more fields before its closing boundary."""
    end = f"--{BOUNDARY}--".encode()
    return body.replace(end, b"".join(field(name, value) for name, value in fields.items()) + end)


def test_a_well_formed_hand_built_annotation_is_saved(client, annotating):
    url, body, before = annotating
    response = client.generic("POST", url, data=body, content_type=MULTIPART)
    assert response.status_code == 200
    assert Annotation.objects.count() == before[3] + 1


@pytest.mark.parametrize(
    ("content_type", "cut"),
    [
        ("multipart/form-data", 0),
        ("multipart/form-data; boundary=", 0),
        ("multipart/form-data; boundary=" + "x" * 300, 0),
        (MULTIPART, 40),  # cut inside the last field
        (MULTIPART, 90),  # cut inside the second field's header
        ("application/json", 0),
        ("text/plain", 0),
        ("application/x-www-form-urlencoded", 0),
    ],
    ids=["no boundary", "empty boundary", "long boundary", "cut in a field", "cut in a header", "json", "text",
         "urlencoded"],
)
def test_a_malformed_body_to_the_annotate_endpoint_is_a_bad_request_and_saves_nothing(
    client, annotating, content_type, cut
):
    url, body, before = annotating
    response = client.generic("POST", url, data=body[:-cut] if cut else body, content_type=content_type)

    assert response.status_code == 400
    assert counts() == before  # not even an empty review


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ({"note": b"one\x00two"}, "note: Null characters are not allowed."),
        ({"start": b"NaN", "end": b"inf"}, "start: Enter a whole number.; end: Enter a whole number."),
        ({"start": b"9" * 30, "end": b"9" * 31}, "The selected words must lie inside the passage."),
        ({"start": b"-1", "end": b"3"}, "start: Ensure this value is greater than or equal to 0."),
        ({"evidence_url": b"javascript:alert(1)"}, "evidence_url: Enter a valid URL."),
        ({"note": b"x" * 100_000}, "note: Ensure this value has at most"),
    ],
    ids=["nul note", "nan offsets", "huge offsets", "negative offset", "script url", "huge note"],
)
def test_hostile_annotation_details_get_a_clear_error_and_save_nothing(client, annotating, extra, error):
    url, body, before = annotating
    response = client.generic("POST", url, data=with_fields(body, **extra), content_type=MULTIPART)

    assert response.status_code == 400
    assert response.json()["error"].startswith(error)
    assert counts() == before


@pytest.mark.parametrize("passage", [b"9" * 30, b"-1", b"1e3", b"NaN", b"\xff"])
def test_a_passage_id_that_is_not_one_of_the_articles_is_refused(client, annotating, passage):
    url, body, before = annotating
    body = re.sub(rb'(name="passage"\r\n\r\n)\d+', lambda match: match[1] + passage, body)
    response = client.generic("POST", url, data=body, content_type=MULTIPART)

    assert response.status_code == 400
    assert response.json()["error"].startswith("passage: Select a valid choice.")
    assert counts() == before


def test_invalid_utf8_in_a_note_is_replaced_and_saved(client, annotating):
    url, body, before = annotating
    response = client.generic("POST", url, data=with_fields(body, note=b"caf\xe9 \xff"), content_type=MULTIPART)

    assert response.status_code == 200
    assert Annotation.objects.get().note == "caf\ufffd \ufffd"


def test_repeated_annotation_fields_use_the_last_value(client, annotating):
    url, body, before = annotating
    response = client.generic("POST", url, data=with_fields(body, on=b"0"), content_type=MULTIPART)

    assert response.status_code == 200 and response.json()["flags"] == []
    assert Annotation.objects.count() == before[3]


# --- The import_articles command ------------------------------------------------------------

def run_import(*paths):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_articles", *map(str, paths), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue() + str(error)
    return out.getvalue(), err.getvalue()


def test_command_imports_a_file_whose_name_is_not_utf8_and_goes_on_with_the_rest(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/caf\xe9.txt", "wb") as file:  # a Latin-1 name on a Linux disk
        file.write(STORY)
    (folder / "later.txt").write_bytes(b"Another headline\n\nSomething else happened.")

    out, err = run_import(folder)

    assert err == ""
    assert f"{folder}/caf\ufffd.txt: 1 imported" in out
    assert "2 files: 2 imported, 0 duplicate, 0 failed." in out
    assert sorted(Article.objects.values_list("source_name", flat=True)) == ["caf\ufffd.txt", "later.txt"]


def test_command_reports_a_path_too_long_for_the_file_system_by_name(tmp_path):
    (tmp_path / "good.txt").write_bytes(STORY)
    too_long = tmp_path / ("x" * 300 + ".txt")

    out, err = run_import(too_long, tmp_path / "good.txt")

    assert f"{too_long}: failed: cannot be read (File name too long)" in err
    assert "2 files: 1 imported, 0 duplicate, 1 failed." in out
    assert Article.objects.get().source_name == "good.txt"


def test_command_reports_a_path_with_a_nul_byte_as_missing(tmp_path):
    out, err = run_import(f"{tmp_path}/story\x00.txt")
    assert "story\x00.txt: failed: no such file or folder" in err
    assert counts() == (0, 0, 0, 0)


def test_command_imports_a_file_named_only_by_its_suffix_and_a_255_character_name(tmp_path):
    (tmp_path / ".txt").write_bytes(STORY)
    long_name = "y" * 251 + ".txt"
    (tmp_path / long_name).write_bytes(b"Second headline\n\nA different story.")

    out, err = run_import(tmp_path)

    assert err == "" and "2 files: 2 imported, 0 duplicate, 0 failed." in out
    assert sorted(Article.objects.values_list("source_name", flat=True)) == [".txt", long_name]


def test_command_reads_a_path_that_climbs_out_and_back_in_by_its_own_name(tmp_path, monkeypatch):
    (tmp_path / "inside").mkdir()
    (tmp_path / "story.txt").write_bytes(STORY)
    monkeypatch.chdir(tmp_path / "inside")

    out, err = run_import("../inside/../story.txt")

    assert "../inside/../story.txt: 1 imported" in out
    assert Article.objects.get().source_name == "story.txt"


# --- Very long passages and very long articles ---------------------------------------------

def test_a_100kb_passage_without_punctuation_imports_as_one_passage_and_every_page_opens(
    client, tmp_path, reviewer, editor
):
    words = " ".join(f"word{n}" for n in range(15_000))
    assert len(words) > 100_000
    (tmp_path / "long.txt").write_text(f"One long breath\n\n{words}\n")

    out, err = run_import(tmp_path / "long.txt")

    assert err == "" and "1 imported" in out
    article = Article.objects.get()
    passage = article.passages.get()
    assert (passage.start, passage.end, passage.text) == (0, len(words), words)

    client.force_login(reviewer)
    workspace = client.get(reverse("annotations:workspace", args=[article.pk]))
    assert workspace.status_code == 200
    assert f'id="passage-{passage.pk}"' in workspace.content.decode()
    flagged = client.post(reverse("annotations:annotate", args=[article.pk]),
                          {"passage": passage.pk, "flag": Flag.objects.get(shortcut="u").pk, "on": "1",
                           "start": "100", "end": str(len(words) - 1)})
    assert flagged.status_code == 200
    assert client.post(reverse("annotations:submit", args=[article.pk])).status_code == 302

    client.force_login(editor)
    summary = client.get(reverse("annotations:summary", args=[article.pk]))
    assert summary.status_code == 200
    assert "word14999" in summary.content.decode()
    assert client.get(reverse("annotations:compare", args=[article.pk])).status_code == 200
    assert client.get(article.get_absolute_url()).status_code == 200
    assert counts() == (1, 1, 1, 1)


def test_a_10000_paragraph_article_imports_whole_and_its_pages_open(importer, reviewer, editor):
    paragraphs = [f"Paragraph {n} reports one event." for n in range(10_000)]
    text = "Ten thousand paragraphs\n\n" + "\n\n".join(paragraphs)

    response = post_import(importer, form_body(file_part(b"many.txt", text.encode())))

    assert report(response) == [("many.txt", "", ["Ten thousand paragraphs"])]
    article = Article.objects.get()
    assert article.passages.count() == 10_000
    last = article.passages.get(paragraph=9_999)
    assert last.text == "Paragraph 9999 reports one event."

    importer.force_login(editor)
    reading = importer.get(article.get_absolute_url())
    assert reading.status_code == 200 and f'id="p{last.pk}"' in reading.content.decode()
    summary = importer.get(reverse("annotations:summary", args=[article.pk]))
    assert summary.status_code == 200 and "Paragraph 9999 reports one event." in summary.content.decode()

    importer.force_login(reviewer)
    workspace = importer.get(reverse("annotations:workspace", args=[article.pk]))
    assert workspace.status_code == 200 and f'id="passage-{last.pk}"' in workspace.content.decode()
    assert counts() == (1, 10_000, 0, 0)


# --- The admin's own lists ------------------------------------------------------------------

@pytest.mark.parametrize(
    "params",
    [{"imported_by__password__startswith": "pbkdf2"}, {"outlet__notes__startswith": "secret"},
     {"imported_by__username": "ada"}],
    ids=ids,
)
def test_the_admin_article_list_refuses_lookups_it_does_not_offer(importer, corpus, params):
    with CaptureQueriesContext(connection) as queries:
        response = importer.get(reverse("admin:dossier_article_changelist"), params)

    assert response.status_code == 400
    assert_nothing_private_reached([query["sql"] for query in queries])


@pytest.mark.parametrize("model", ["article", "outlet"])
def test_a_huge_admin_search_term_is_refused_with_a_message(importer, corpus, model):
    response = importer.get(reverse(f"admin:dossier_{model}_changelist"), {"q": "a" * 60_000}, follow=True)
    assert response.status_code == 200
    assert "Search for at most 200 characters." in response.content.decode()


def test_an_out_of_range_year_in_the_admin_date_drilldown_is_not_a_crash(importer, corpus):
    response = importer.get(reverse("admin:dossier_article_changelist"), {"imported_at__year": "9" * 14})
    assert response.status_code < 500


# --- Every admin list against hostile query strings ------------------------------------------

HUGE = "9" * 25
HOSTILE_QUERIES = [
    # ids and numbers out of any column's range, or not numbers at all
    f"id={HUGE}", f"id__exact=-{HUGE}", f"id__in=1,{HUGE}", f"id__gt={HUGE}", "id=abc", "id=%00",
    "id__range=1,2", "x__range=1,2",
    # regular expressions and JSON lookups
    "title__regex=(", "name__regex=(", "username__regex=(", "ip_address__regex=(", "title__iregex=[",
    "parameters__contains={}", 'parameters__contains={"a":1}', "parameters__has_key=a", "parameters__a__b=1",
    # NUL bytes, which PostgreSQL refuses in any text
    "title=%00", "name=%00", "username__contains=%00", "path_info=%00", "kind__exact=%00", "status__exact=%00",
    # unknown fields and lookups
    "nosuchfield=1", "id__nosuchlookup=1", "title__foo=1", "__=1", "%00=1",
    # related fields, toward private columns
    "reviewer__password__startswith=p", "imported_by__password__startswith=p", "user__password__startswith=p",
    "groups__permissions__codename=x", "outlet__notes__startswith=s", "password__startswith=p",
    "authors__bio__contains=x",
    # date parts, in and out of range
    f"imported_at__year={HUGE}", f"attempt_time__year={HUGE}", "attempt_time__year=9999", "attempt_time__year=0",
    "attempt_time__year=2024&attempt_time__month=13",
    "attempt_time__year=2024&attempt_time__month=2&attempt_time__day=31",
    "attempt_time__year=x", "started_at__week=99999", "date_joined__iso_year=99999", "created_at__gte=99999-01-01",
    # sorting junk
    f"o={HUGE}", "o=-", "o=1.2.3", "o=abc", "o=%00", f"o=-{HUGE}", "o=1" + ".1" * 500,
    # searches
    "q=" + "a" * 60_000, "q=%25", "q=%5C", "q=%00", "q=%27%20OR%201%3D1%20--",
    # pages, the error flag and the admin's own parameters
    f"p={HUGE}", "p=-1", "p=abc", "p=%00", "e=1", "e=%00", "all=1&p=2",
    "_popup=1", "_to_field=password", "_facets=1&id=%00", f"_changelist_filters=id%3D{HUGE}",
]
ADMIN_FILTER_VALUES = [HUGE, "%00"]


def admin_changelists():
    from django.contrib import admin as admin_module

    return sorted(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
                  for model in admin_module.site._registry)


def filter_queries():
    """Hostile values for every parameter each admin's list filters take (and a few they do not)."""
    from django.contrib import admin as admin_module

    cases = []
    for model, model_admin in admin_module.site._registry.items():
        url_name = f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for item in model_admin.list_filter:
            if not isinstance(item, str):
                item = getattr(item, "parameter_name", None) or item[0]
            for suffix in ("__exact", "__isnull", "__gte", "__id__exact"):
                cases += [(url_name, f"{item}{suffix}={value}") for value in ADMIN_FILTER_VALUES]
    return cases


ADMIN_PROBES = [(name, query) for name in admin_changelists() for query in HOSTILE_QUERIES] + filter_queries()


@pytest.fixture(scope="class")
def admin_prober(django_db_setup, django_db_blocker):
    """One superuser's client and a few rows in every admin's table, made once for the whole class."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.test import Client

    from webhooks.models import Webhook

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            root = User.objects.create_superuser("root", password="x")
            article = make_article(title="Probe article", outlet="Probe Outlet", authors=["Pat Probe"],
                                   published="2024-01-02")
            make_review(article, root, {0: "q"})
            Export.objects.create(username="root", via="web", kind="table", format="csv", rows=1,
                                  parameters={"status": "reviewed"})
            common = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "someone", "http_accept": "*/*",
                      "path_info": "/accounts/login/"}
            AccessAttempt.objects.create(**common, get_data="", post_data="", failures_since_start=1)
            AccessLog.objects.create(**common)
            AccessFailureLog.objects.create(**common)
            Webhook.objects.create(name="Probe hook", url="https://hooks.example/", events=["review.submitted"],
                                   created_by=root)
            client = Client(raise_request_exception=False)
            client.force_login(root)
            yield client
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


class TestEveryAdminListAgainstHostileQueryStrings:
    def test_there_are_enough_probes(self):
        assert len(admin_changelists()) >= 11 and len(ADMIN_PROBES) >= 900

    @pytest.mark.parametrize(("url_name", "query"), ADMIN_PROBES, ids=[f"{n[6:]}?{q[:40]}" for n, q in ADMIN_PROBES])
    def test_no_query_string_makes_an_admin_list_fail(self, admin_prober, url_name, query):
        response = admin_prober.get(f"{reverse(url_name)}?{query}")
        assert response.status_code < 500, response.content[:300]
        if response.status_code in (301, 302):
            assert response["Location"].endswith("?e=1") or "e=1" in response["Location"], response["Location"]

    @pytest.mark.parametrize("url_name", admin_changelists())
    def test_every_parameter_a_list_filter_writes_is_one_the_rule_allows(self, admin_prober, url_name):
        from django.contrib import admin as admin_module

        response = admin_prober.get(reverse(url_name))
        changelist = response.context["cl"]
        model_admin = admin_module.site._registry[changelist.model]
        written = {name for spec in changelist.filter_specs for name in spec.expected_parameters()}
        assert written <= set(model_admin.filter_parameters(response.wsgi_request)), url_name
        for spec in changelist.filter_specs:  # and following each filter's own links works
            for choice in spec.choices(changelist):
                if choice.get("query_string", "?") != "?":
                    assert admin_prober.get(reverse(url_name) + choice["query_string"]).status_code == 200, choice


# --- A wrong Host header, and what reaches the log --------------------------------------------

class Records(list):
    """A logging handler that keeps what it is given."""

    level = 0

    def handle(self, record):
        self.append(record)

    def __call__(self, *names):
        import logging

        for name in names:
            logging.getLogger(name).addHandler(self)
        return self

    def detach(self, *names):
        import logging

        for name in names:
            logging.getLogger(name).removeHandler(self)


@pytest.fixture
def logged():
    records = Records()(*["django.request", "django.security"])
    yield records
    records.detach("django.request", "django.security")


@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/admin/", "/nowhere/"])
def test_a_host_not_in_allowed_hosts_is_a_bad_request_logged_as_suspicious(client, settings, logged, path):
    assert "evil.example" not in settings.ALLOWED_HOSTS
    response = client.get(path, HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert "Bad request" in response.content.decode()  # templates/400.html, rendered without a user
    assert [record.name for record in logged] == ["django.security.DisallowedHost"]


def probe_urlconf(**handlers):
    """A URL configuration with a view that crashes, and the project's own 500 page unless told otherwise."""
    import types

    from django.urls import path

    import dossier.urls

    def boom(request):
        raise RuntimeError("the view broke")

    module = types.ModuleType("probe_urls")
    module.urlpatterns = [path("boom/", boom), *dossier.urls.urlpatterns]
    module.handler500 = dossier.urls.handler500
    for name, view in handlers.items():
        setattr(module, name, view)
    return module


def test_a_crash_in_a_view_is_a_500_logged_once_at_error(client, reviewer, settings, logged):
    settings.ROOT_URLCONF = probe_urlconf()
    client.force_login(reviewer)
    response = client.get("/boom/")

    assert response.status_code == 500
    errors = [record for record in logged if record.levelname == "ERROR"]
    assert [(record.name, record.getMessage()) for record in errors] == [
        ("django.request", "Internal Server Error: /boom/")]
    assert errors[0].exc_info[0] is RuntimeError


def test_a_crash_in_an_error_page_is_a_500_logged_at_error_too(client, settings, logged):
    def broken_400_page(request, exception):
        raise RuntimeError("the 400 page broke")

    settings.ROOT_URLCONF = probe_urlconf(handler400=broken_400_page)
    response = client.get("/accounts/login/", HTTP_HOST="evil.example")

    assert response.status_code == 500
    errors = [record for record in logged if record.name == "django.request"]
    assert [(record.levelname, record.getMessage()) for record in errors] == [
        ("ERROR", "Internal Server Error: /accounts/login/")]
    assert errors[0].exc_info[0] is RuntimeError


def test_request_errors_and_security_warnings_are_configured_to_reach_stderr(settings):
    import logging

    console = settings.LOGGING["handlers"]["console"]
    assert console == {"class": "logging.StreamHandler"}  # no stream given: sys.stderr
    for name in ("django.request", "django.security"):
        config = settings.LOGGING["loggers"][name]
        assert config["handlers"] == ["console"]
        assert logging.getLevelName(config["level"]) <= logging.WARNING


# --- Web addresses: http and https only, everywhere --------------------------------------------

NOT_WEB = [b"ftp://example.com/report.pdf", b"ftps://example.com/a", b"file:///etc/passwd"]


@pytest.mark.parametrize("address", NOT_WEB)
def test_an_evidence_url_that_is_not_a_web_address_is_refused(client, annotating, address):
    url, body, before = annotating
    response = client.generic("POST", url, data=with_fields(body, evidence_url=address), content_type=MULTIPART)

    assert response.status_code == 400
    assert response.json()["error"].startswith("evidence_url: Enter a valid URL. Only web addresses")
    assert counts() == before


@pytest.mark.parametrize("address", NOT_WEB)
def test_the_admin_refuses_an_outlet_website_or_article_url_that_is_not_a_web_address(importer, corpus, address):
    outlet = corpus["outlet"]
    response = importer.post(reverse("admin:dossier_outlet_change", args=[outlet.pk]),
                             {"name": outlet.name, "website": address.decode(), "kind": "", "country": "",
                              "language": "", "notes": ""})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["website"][0].startswith("Enter a valid URL.")
    outlet.refresh_from_db()
    assert outlet.website == ""

    article = Article.objects.get(title="Border talks")
    response = importer.post(reverse("admin:dossier_article_change", args=[article.pk]),
                             {"title": article.title, "outlet": article.outlet_id,
                              "authors": [a.pk for a in article.authors.all()],
                              "url": address.decode(), "published": "", "language": "en",
                              "passages-TOTAL_FORMS": "0", "passages-INITIAL_FORMS": "0"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["url"][0].startswith("Enter a valid URL.")
    assert Article.objects.get(pk=article.pk).url == ""
    if address.startswith(b"ftp"):  # a well-formed address, refused for its scheme, says so
        assert "Only web addresses" in response.context["adminform"].form.errors["url"][0]


def test_the_admin_still_takes_http_and_https_and_reads_a_bare_host_as_https(importer, corpus):
    outlet = corpus["outlet"]
    for typed, stored in (("http://example.com/", "http://example.com/"), ("example.org", "https://example.org")):
        response = importer.post(reverse("admin:dossier_outlet_change", args=[outlet.pk]),
                                 {"name": outlet.name, "website": typed, "kind": "", "country": "", "language": "",
                                  "notes": ""})
        assert response.status_code == 302, response.context and response.context["adminform"].form.errors
        outlet.refresh_from_db()
        assert outlet.website == stored


@pytest.mark.parametrize("address", NOT_WEB)
def test_the_import_form_refuses_a_url_that_is_not_a_web_address(importer, address):
    response = post_import(importer, form_body(file_part(b"story.txt", STORY), url=address))

    assert response.status_code == 200
    assert "Only web addresses" in str(response.context["form"].errors["url"])
    assert counts() == (0, 0, 0, 0)
