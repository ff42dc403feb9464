"""Request bodies are refused by their Content-Length before they are read (dossier/limits.py).

The test client lets a test give the WSGI environ its own CONTENT_LENGTH and wsgi.input, so a request
can claim 300 MiB while its input stream fails the test if anyone reads more than it allows.
"""
import pytest
from django.urls import reverse

from dossier.models import Article

pytestmark = pytest.mark.django_db

MiB = 1024 * 1024
LOGIN = reverse("login")
IMPORT = reverse("admin:dossier_article_import")
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


@pytest.fixture(autouse=True)
def errors_become_responses(client):
    client.raise_request_exception = False


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
