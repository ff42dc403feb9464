"""Limits on what one import may cost, and what it may make the admin show.

A number too long to read, an article of millions of sentences, a web upload of a hundred
thousand records, a change page of ten thousand passages, and direction overrides that
reorder how a name is shown: each is a clear failure of its own file (or a bounded page),
never a crash, a half-saved file or a request that runs for minutes.

Request bodies, too, are refused by their Content-Length before they are read (dossier/limits.py).

The test client lets a test give the WSGI environ its own CONTENT_LENGTH and wsgi.input, so a request
can claim 300 MiB while its input stream fails the test if anyone reads more than it allows.
"""
import json
import logging
import re
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import jsonl, make_article, record, table_counts

from dossier.ingest import Metadata, import_file, import_paths
from dossier.models import Article, Author, Outlet

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:dossier_article_import")
LONG_NUMBER = "9" * 5000  # over Python's 4,300-digit limit for reading an int


@pytest.fixture(autouse=True)
def errors_become_responses(client):
    """A crash shows as the 500 a visitor would get, so that the tests can assert it never happens."""
    client.raise_request_exception = False


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def long_number_record():
    return ('{"title": "t", "body": "b.", "x": ' + LONG_NUMBER + "}").encode()


# --- A number too long to read ---------------------------------------------------------------

def test_a_number_too_long_to_read_fails_its_json_file_with_a_reason():
    result = import_file("big.json", long_number_record())

    assert result.failed
    assert "a number longer than 4300 digits" in result.error
    assert table_counts() == (0, 0, 0, 0)


def test_a_number_too_long_to_read_in_a_jsonl_file_names_the_line():
    result = import_file("big.jsonl", jsonl(record()) + b"\n" + long_number_record())

    assert result.error.startswith("line 2: ")
    assert "a number longer than 4300 digits" in result.error
    assert table_counts() == (0, 0, 0, 0)


def test_the_command_reports_a_long_number_and_imports_the_later_files(tmp_path):
    (tmp_path / "a.json").write_bytes(long_number_record())
    (tmp_path / "b.jsonl").write_bytes(jsonl(record(title="Fine", body="Fine text.")) + b"\n" + long_number_record())
    (tmp_path / "c.txt").write_text("Later headline\n\nA later story.")

    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match=r"2 file\(s\) failed"):
        call_command("import_articles", str(tmp_path), stdout=out, stderr=err)

    assert f"{tmp_path / 'a.json'}: failed: a number longer than 4300 digits" in err.getvalue()
    assert f"{tmp_path / 'b.jsonl'}: failed: line 2: a number longer than 4300 digits" in err.getvalue()
    assert "Traceback" not in err.getvalue()
    assert "3 files: 1 imported, 0 duplicate, 2 failed." in out.getvalue()
    assert list(Article.objects.values_list("title", flat=True)) == ["Later headline"]


def test_the_admin_import_reports_a_long_number_beside_a_good_file_it_saved(client, admin):
    client.force_login(admin)
    files = [upload("good.txt", b"Headline\n\nBody text here."), upload("big.jsonl", long_number_record())]
    response = client.post(IMPORT, {"files": files}, follow=True)  # several files: a job, run at once in tests

    assert response.status_code == 200
    rows = response.context["report"].files
    assert [(r.name, r.failed) for r in rows] == [("good.txt", False), ("big.jsonl", True)]
    assert "line 1: a number longer than 4300 digits" in response.content.decode()
    assert "1 imported, 0 duplicate, 1 failed" in response.content.decode()
    assert Article.objects.get().title == "Headline"


def test_an_unexpected_error_in_one_upload_is_reported_and_logged_and_the_rest_import(
    client, admin, monkeypatch, caplog
):
    from dossier.ingest import saving

    real_segment = saving.segment

    def broken_on_purpose(body):
        if "Broken" in body:
            raise RuntimeError("a bug in a step")
        return real_segment(body)

    monkeypatch.setattr(saving, "segment", broken_on_purpose)
    client.force_login(admin)
    files = [upload("broken.txt", b"Headline\n\nBroken body."), upload("fine.txt", b"Other\n\nFine body.")]
    with caplog.at_level(logging.ERROR, logger="dossier.ingest"):
        response = client.post(IMPORT, {"files": files}, follow=True)  # several files: a job, run at once in tests

    assert response.status_code == 200
    rows = response.context["report"].files
    assert rows[0].error == "could not be imported: an unexpected error (RuntimeError), logged for the administrators"
    assert not rows[1].failed
    assert list(Article.objects.values_list("title", flat=True)) == ["Other"]
    logged = [entry for entry in caplog.records if entry.name == "dossier.ingest"]
    assert len(logged) == 1 and "broken.txt" in logged[0].getMessage() and logged[0].exc_info


# --- Passages per article --------------------------------------------------------------------

def test_an_article_over_the_passage_limit_is_refused_naming_the_file_and_the_limit(tmp_path, settings):
    settings.DOSSIER_MAX_PASSAGES = 5
    (tmp_path / "long.txt").write_text("Headline\n\n" + " ".join(f"Sentence {n} here." for n in range(6)))
    (tmp_path / "short.txt").write_text("Short one\n\n" + " ".join(f"Line {n} here." for n in range(5)))

    report = import_paths([tmp_path])

    long, short = report.files
    assert long.summary() == (
        f"{tmp_path / 'long.txt'}: failed: 6 passages, over the limit of 5 for one article (DOSSIER_MAX_PASSAGES)"
    )
    assert short.imported == ["Short one"]
    assert Article.objects.get().passages.count() == 5


def test_a_record_over_the_passage_limit_fails_its_whole_file_naming_the_line(settings):
    settings.DOSSIER_MAX_PASSAGES = 3
    data = jsonl(record(title="Fine", body="One. Two.", outlet="New Outlet", authors=["New Author"]),
                 record(title="Too long", body="One. Two. Three. Four."))

    result = import_file("feed.jsonl", data)

    assert result.error == "line 2: 4 passages, over the limit of 3 for one article (DOSSIER_MAX_PASSAGES)"
    assert table_counts() == (0, 0, 0, 0)


def test_the_passage_limit_comes_from_the_environment(monkeypatch):
    import importlib

    from dossier import settings as settings_module

    monkeypatch.setenv("DOSSIER_MAX_PASSAGES", "123")
    monkeypatch.setenv("DOSSIER_MAX_WEB_IMPORT_RECORDS", "45")
    try:
        reloaded = importlib.reload(settings_module)
        assert (reloaded.DOSSIER_MAX_PASSAGES, reloaded.DOSSIER_MAX_WEB_IMPORT_RECORDS) == (123, 45)
    finally:
        monkeypatch.undo()
        importlib.reload(settings_module)


# --- Big work inside a request ---------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "data"),
    [("many.jsonl", jsonl(*[record(title=f"T{n}", body=f"Body {n}.") for n in range(4)])),
     ("many.json", json.dumps([record(title=f"T{n}", body=f"Body {n}.") for n in range(4)]).encode())],
)
def test_the_admin_import_refuses_a_file_of_too_many_records_and_points_at_the_command(
    client, admin, settings, name, data
):
    settings.DOSSIER_MAX_WEB_IMPORT_RECORDS = 3
    client.force_login(admin)
    files = [
        upload(name, data), upload("three.jsonl", jsonl(*[record(title=f"S{n}", body=f"S {n}.") for n in range(3)]))
    ]
    response = client.post(IMPORT, {"files": files}, follow=True)  # several files: a job, run at once in tests

    assert response.status_code == 200
    refused, accepted = response.context["report"].files
    assert refused.error == (
        "4 records, over the limit of 3 for an import from the browser (DOSSIER_MAX_WEB_IMPORT_RECORDS); "
        "import this file with manage.py import_articles PATH"
    )
    assert "manage.py import_articles PATH" in response.content.decode()
    assert accepted.imported == ["S0", "S1", "S2"]
    assert Article.objects.count() == 3


def test_the_command_takes_a_file_the_browser_import_would_refuse(tmp_path, settings):
    settings.DOSSIER_MAX_WEB_IMPORT_RECORDS = 3
    (tmp_path / "many.jsonl").write_bytes(jsonl(*[record(title=f"T{n}", body=f"Body {n}.") for n in range(4)]))

    assert import_paths([tmp_path]).imported == 4


def change_page(client, article):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:dossier_article_change", args=[article.pk]))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_article_change_page_shows_a_bounded_number_of_passages_and_links_to_the_rest(client, admin):
    small = make_article(title="Small", body="First sentence. Second sentence.")
    big = make_article(title="Big", body="\n\n".join(f"Paragraph {n} reports one event." for n in range(500)))
    client.force_login(admin)

    change_page(client, small)  # the first page of a test also fills the content-type cache
    small_page, small_queries = change_page(client, small)
    big_page, big_queries = change_page(client, big)

    assert "First sentence." in small_page and "Second sentence." in small_page
    rows = re.findall(r'<tr class="passage-row">(?:<td>[^<]*</td>){3}<td>([^<]*)</td></tr>', big_page)
    assert rows == [f"Paragraph {n} reports one event." for n in range(50)]
    assert "500 passages; the first 50 are shown." in big_page
    assert f'href="/articles/{big.pk}/"' in big_page
    assert big_queries == small_queries


# --- Direction overrides in one-line metadata ------------------------------------------------

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_direction_overrides_are_stripped_from_titles_outlets_and_authors_but_not_bodies():
    body = "The \u202eflipped\u202c word stays. Persian text: می\u200cخواهیم."
    data = json.dumps(record(
        title="Invoice \u202egpj.exe\u202c paid",
        body=body,
        outlet="\u2067خبرگزاری\u2069 فارس",
        authors=["\u202bمحمد رضایی\u202c", "İsmail \u2066Yılmaz\u2069", "Алексей\u202d Иванов", "عبد\u200cالله"],
    ), ensure_ascii=False).encode()

    result = import_file("bidi.json", data)

    assert not result.failed, result.error
    article = Article.objects.get()
    assert article.title == "Invoice gpj.exe paid"
    assert article.outlet.name == "خبرگزاری فارس"
    assert sorted(Author.objects.values_list("name", flat=True)) == sorted(
        ["محمد رضایی", "İsmail Yılmaz", "Алексей Иванов", "عبد\u200cالله"]
    )
    assert article.body == body  # passages are exact slices of the body: it is never rewritten
    assert [p.text for p in article.passages.all()][0] == "The \u202eflipped\u202c word stays."


def test_direction_overrides_are_stripped_from_stated_metadata_and_plain_text_titles(tmp_path):
    (tmp_path / "a.txt").write_text("\u202eBaşlık\u202c: Türkçe\n\nGövde metni burada.")

    import_paths(
        [tmp_path / "a.txt"], Metadata.build(outlet="\u202eDaily\u202c Example", authors="Jane \u2068Doe\u2069")
    )

    article = Article.objects.get()
    assert (article.title, article.outlet.name) == ("Başlık: Türkçe", "Daily Example")
    assert [a.name for a in article.authors.all()] == ["Jane Doe"]
    assert Outlet.objects.get().name == "Daily Example"


def test_clean_name_strips_every_direction_override_and_nothing_else():
    from dossier.ingest.names import clean_name

    names = ["محمد‌رضا شجریان", "عبدالله بن عمر", "Ayşe Gül Işık", "Юрий Гагарин", "Dr. Öztürk", "李小龙"]
    for name in names:
        assert clean_name(BIDI[:4] + name + BIDI[4:]) == name
        assert clean_name(name) == name
    assert clean_name(f"a{BIDI}b") == "ab"
    assert clean_name("\u200fright-to-left mark\u200e kept") == "\u200fright-to-left mark\u200e kept"


# --- Request bodies (dossier/limits.py) ------------------------------------------------------------

MiB = 1024 * 1024
LOGIN = reverse("login")
BOUNDARY = "----dossier-limits-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
STORY = b"Border talks resume\n\nThe ministers met on Monday. They agreed to meet again."


class GuardedInput:
    """A wsgi.input that holds `data` and fails if more than `allowed` bytes are read from it."""

    def __init__(self, data=b"", allowed=0):
        self.data, self.allowed, self.taken = data, allowed, 0

    def _take(self, size):
        size = len(self.data) - self.taken if size is None or size < 0 else size
        chunk = self.data[self.taken:self.taken + size]
        self.taken += len(chunk)
        if self.taken > self.allowed:
            raise AssertionError(f"the body was read: {self.taken} bytes, more than {self.allowed}")
        return chunk

    def read(self, size=-1):
        return self._take(size)

    def readline(self, size=-1):
        end = self.data.find(b"\n", self.taken)
        length = (end + 1 - self.taken) if end >= 0 else None
        if size is not None and size >= 0:
            length = size if length is None else min(length, size)
        return self._take(length)


class CutOffInput(GuardedInput):
    """A client that disconnects after sending `after` bytes of its body."""

    def __init__(self, data, after):
        super().__init__(data, allowed=len(data))
        self.after = after

    def _take(self, size):
        if self.taken >= self.after:
            raise OSError("connection reset by peer")
        size = self.after - self.taken if size is None or size < 0 else min(size, self.after - self.taken)
        return super()._take(size)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]




def claim(client, path, length, stream=None, method="POST", content_type=MULTIPART, **extra):
    """A request whose environ says CONTENT_LENGTH=length, reading from `stream` (by default: nothing allowed)."""
    stream = stream or GuardedInput()
    response = client.generic(method, path, data=b"x", content_type=content_type,
                              CONTENT_LENGTH=str(length), **{"wsgi.input": stream}, **extra)
    return response, stream


def file_part(filename, data):
    return (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="{filename}"\r\n'
            "Content-Type: text/plain\r\n\r\n").encode() + data + b"\r\n"


def form_body(*files):
    fields = b"".join(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n\r\n'.encode()
                      for name in ("outlet", "author", "url", "language"))
    return fields + b"".join(files) + f"--{BOUNDARY}--\r\n".encode()


# --- Refused before reading ---------------------------------------------------------------------

def test_an_anonymous_300_mib_post_to_the_login_page_is_refused_unread(client):
    response, stream = claim(client, LOGIN, 300 * MiB)

    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        f"The request is too large: {300 * MiB} bytes, over the {MiB} bytes this page accepts.\n")
    assert stream.taken == 0


@pytest.mark.parametrize("path", [LOGIN, IMPORT, "/", "/admin/login/", "/no/such/page/", "/static/css/dossier.css"])
def test_a_body_over_the_form_limit_is_refused_unread_on_any_page_for_anyone_who_may_not_import(
        client, request, path):
    for user in (None, "reviewer", "editor"):
        if user:
            client.force_login(request.getfixturevalue(user))
        response, stream = claim(client, path, MiB + 1)
        assert (response.status_code, stream.taken) == (413, 0), (path, user)


def test_a_staff_user_without_the_import_permission_may_not_send_an_import_sized_body(
    client, editor, django_user_model
):
    django_user_model.objects.filter(pk=editor.pk).update(is_staff=True)
    client.force_login(editor)
    response, stream = claim(client, IMPORT, 50 * MiB)
    assert (response.status_code, stream.taken) == (413, 0)


def test_an_admin_may_send_up_to_the_import_limit_to_the_import_page_only(client, admin, settings):
    client.force_login(admin)
    limit = settings.DOSSIER_MAX_IMPORT_BYTES * settings.DATA_UPLOAD_MAX_NUMBER_FILES + settings.DOSSIER_MAX_FORM_BYTES
    response, stream = claim(client, IMPORT, limit + 1)
    assert (response.status_code, stream.taken) == (413, 0)
    assert f"over the {limit} bytes this page accepts" in response.content.decode()
    # Elsewhere, and with a GET, an admin gets the form limit like everyone.
    for method, path in (("POST", LOGIN), ("POST", reverse("admin:annotations_flag_changelist")), ("GET", IMPORT)):
        response, stream = claim(client, path, 2 * MiB, method=method)
        assert (response.status_code, stream.taken) == (413, 0), (method, path)


@pytest.mark.parametrize("length", ["abc", "-1", "1e9", " ", "99999999999999999999999"])
def test_a_malformed_content_length_is_a_bad_request(client, length):
    response, stream = claim(client, LOGIN, length)
    assert (response.status_code, stream.taken) == (400, 0)
    assert "Content-Length" in response.content.decode()


def test_a_chunked_body_without_a_content_length_is_refused_not_silently_dropped(client):
    # Django reads CONTENT_LENGTH bytes of a body, so none of a chunked one: say so instead.
    response = client.generic("POST", LOGIN, data=b"", HTTP_TRANSFER_ENCODING="chunked",
                              **{"wsgi.input": GuardedInput(b"5\r\nhello\r\n0\r\n\r\n")})
    assert response.status_code == 411
    assert "Content-Length" in response.content.decode()


# --- What still works ----------------------------------------------------------------------------

def test_a_normal_login_still_works(client, reviewer):
    response = client.post(LOGIN, {"username": "rita", "password": "correct horse battery"})
    assert response.status_code == 302 and response["Location"] == reverse("dossier:home")


def test_a_body_exactly_at_the_form_limit_is_read(client, settings):
    settings.DOSSIER_MAX_FORM_BYTES = 2_000
    body = b"username=rita&password=" + b"x" * (2_000 - 23)
    response, stream = claim(client, LOGIN, len(body), GuardedInput(body, allowed=len(body)),
                             content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200  # the login form again, with its error
    assert stream.taken == len(body)


def test_an_admin_import_larger_than_the_form_limit_still_works(client, admin, settings):
    settings.DOSSIER_MAX_FORM_BYTES = 1_000
    big = STORY + b"\n\n" + b"More words here. " * 200
    body = form_body(file_part("big.txt", big), file_part("small.txt", STORY))
    assert len(body) > 1_000
    client.force_login(admin)
    response = client.generic("POST", IMPORT, data=body, content_type=MULTIPART)
    response = client.get(response["Location"])  # two files: a job, run at once in tests

    assert response.status_code == 200
    assert [(row.name, row.error) for row in response.context["report"].files] == [("big.txt", ""), ("small.txt", "")]
    assert Article.objects.count() == 2


# --- Temporary files ---------------------------------------------------------------------------

def test_an_upload_cut_off_half_way_leaves_no_temporary_file(client, admin, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100  # to disk at once
    body = form_body(file_part("big.txt", STORY + b"\n\n" + b"More words here. " * 2_000))
    client.force_login(admin)
    response, _ = claim(client, IMPORT, len(body), CutOffInput(body, after=len(body) // 2))

    assert response.status_code == 400  # not a server error: the client went away
    assert "cut off" in response.content.decode()
    assert list(tmp_path.iterdir()) == []  # and no temporary file stays behind
    assert Article.objects.count() == 0


def test_with_csrf_checks_on_a_cut_off_upload_is_refused_by_the_csrf_check_and_leaves_no_file(
    admin, settings, tmp_path
):
    # As in production: CsrfViewMiddleware reads the form first, finds the body unreadable and refuses.
    from django.test import Client

    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    body = form_body(file_part("big.txt", STORY + b"\n\n" + b"More words here. " * 2_000))
    response, _ = claim(client, IMPORT, len(body), CutOffInput(body, after=len(body) // 2))

    assert response.status_code == 403
    assert list(tmp_path.iterdir()) == []
    assert Article.objects.count() == 0


def test_a_finished_upload_spooled_to_disk_is_deleted_after_the_response(client, admin, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100
    client.force_login(admin)
    response = client.generic("POST", IMPORT, data=form_body(file_part("a.txt", STORY + b" " + b"x" * 500)),
                              content_type=MULTIPART)
    assert response.status_code == 200 and Article.objects.count() == 1
    assert list(tmp_path.iterdir()) == []


# --- The proxy settings that login lockout depends on -------------------------------------------

def dossier_checks():
    from django.core.checks import run_checks

    return sorted(message.id for message in run_checks(tags=["security"]) if message.id.startswith("dossier."))


@pytest.mark.parametrize(
    ("proxy_ssl_header", "proxies", "expected"),
    [
        (("HTTP_X_FORWARDED_PROTO", "https"), 0, ["dossier.W001"]),  # behind a TLS proxy, counted as one client
        (("HTTP_X_FORWARDED_PROTO", "https"), 1, []),
        (None, 0, []),  # served directly
        (None, -1, ["dossier.E001"]),
    ],
)
def test_a_system_check_warns_when_trusted_proxies_cannot_match_the_proxy_in_front(
        settings, proxy_ssl_header, proxies, expected):
    settings.SECURE_PROXY_SSL_HEADER = proxy_ssl_header
    settings.TRUSTED_PROXIES = proxies
    assert dossier_checks() == expected


def test_a_login_without_the_forwarded_addresses_trusted_proxies_promises_is_logged_once(client, settings, reviewer):
    import logging

    from dossier import accounts

    settings.TRUSTED_PROXIES = 2
    accounts._warned.clear()
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("django.security.TrustedProxies")
    logger.addHandler(handler)
    try:
        for _ in range(2):
            client.post(LOGIN, {"username": "rita", "password": "wrong"}, HTTP_X_FORWARDED_FOR="203.0.113.9")
    finally:
        logger.removeHandler(handler)
    assert [record.getMessage()[:60] for record in records] == [
        "TRUSTED_PROXIES is 2 but a request came with 1 X-Forwarded-F"]
