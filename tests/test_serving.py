"""Serving in production: gunicorn and WhiteNoise with the production settings, over real HTTP.

A gunicorn with two workers runs the project with DEBUG off, HTTPS on and a trusted
X-Forwarded-Proto, on a fresh SQLite database migrated and static files collected by
`manage.py` in subprocesses with the same environment. Requests say X-Forwarded-Proto: https
as the TLS proxy in front would, except the one that checks plain http is redirected.
"""
import gzip
import http.client
import os
import re
import secrets
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parent.parent
MANAGE = ROOT / "manage.py"
GUNICORN = Path(sys.executable).parent / "gunicorn"
HOST = "127.0.0.1"
ADMIN, ADMIN_PASSWORD = "ada", secrets.token_urlsafe(24)
HTTPS = {"X-Forwarded-Proto": "https"}
LISTENING = re.compile(rf"Listening at: http://{re.escape(HOST)}:(\d+)")
INHERITED = {"PATH", "HOME", "LANG", "TMPDIR", "TZ", "SYSTEMROOT"}


def production_env(tmp_path):
    """The environment of a production deployment, with its database and static files in tmp_path."""
    # Only what a process needs from the test run's environment: nothing of the tests' own
    # settings (HTTPS=0, a test SECRET_KEY, DJANGO_ALLOW_ASYNC_UNSAFE from the browser tests).
    env = {name: value for name, value in os.environ.items() if name in INHERITED or name.startswith("LC_")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "dossier.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),  # 86 characters, as `check --deploy` wants 50+
        "ALLOWED_HOSTS": HOST,
        "HTTPS": "1",
        "TRUST_X_FORWARDED_PROTO": "1",
        "TRUSTED_PROXIES": "1",  # one proxy in front, as docs/operations.md deploys it (else check dossier.W001)
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",  # an absolute path: four slashes
        "DOSSIER_ENV_FILE": "",  # this environment only: never a developer's .env beside manage.py
    })
    return env


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, str(MANAGE), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


class Gunicorn:
    def __init__(self, port):
        self.port = port

    def request(self, method, path, headers=None, body=None):
        """(status, headers, body) of one request on a new connection."""
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            connection.request(method, path, body, {"Connection": "close", **(headers or {})})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def get(self, path, headers=None):
        return self.request("GET", path, {**HTTPS, **(headers or {})})


def _gunicorn_options():
    """Options for this gunicorn: no control socket where it has one (shared otherwise: ~/.gunicorn)."""
    help_text = subprocess.run([str(GUNICORN), "--help"], capture_output=True, text=True, timeout=60).stdout
    return ["--no-control-socket"] if "--no-control-socket" in help_text else []


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    if not GUNICORN.exists():
        pytest.skip(f"gunicorn not found at {GUNICORN}: pip install -e . installs it")
    tmp_path = tmp_path_factory.mktemp("serving")
    env = production_env(tmp_path)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    superuser_env = {**env, "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD}
    manage(superuser_env, "createsuperuser", "--noinput", "--username", ADMIN, "--email", "ada@example.com")

    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "wb") as log:
        # Port 0: the system picks a free port, which gunicorn logs ("Listening at: ...").
        process = subprocess.Popen(
            [str(GUNICORN), "dossier.wsgi", "--bind", f"{HOST}:0", "--workers", "2", *_gunicorn_options()],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        server = Gunicorn(_wait_until_serving(process, log_path))
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_serving(process, log_path, seconds=60):
    """The port gunicorn listens on, once a worker answers."""
    deadline = time.monotonic() + seconds
    port = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}:\n{log_path.read_text()}")
        if port is None and (match := LISTENING.search(log_path.read_text())):
            port = int(match[1])
        if port is not None:
            try:
                Gunicorn(port).get("/accounts/login/")
                return port
            except (OSError, http.client.HTTPException):  # not accepting yet, or a worker still booting
                pass
        time.sleep(0.1)
    pytest.fail(f"gunicorn did not answer within {seconds} s:\n{log_path.read_text()}")


def cookies(headers):
    """{name: morsel} of the response's Set-Cookie headers."""
    jar = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return dict(jar)


def assert_secure_cookie(morsel):
    assert morsel["secure"], f"{morsel.key} is not Secure"
    assert morsel["httponly"], f"{morsel.key} is not HttpOnly"
    assert morsel["samesite"] == "Lax"


def assert_no_debug_output(body):
    for text in ("Traceback", "settings.py", "DEBUG", "SECRET_KEY", "URLconf", "Django tried these URL patterns"):
        assert text not in body, f"{text!r} shown"


def test_the_login_page_is_served_with_csp_hsts_no_framing_and_a_secure_csrf_cookie(gunicorn):
    status, headers, body = gunicorn.get("/accounts/login/")
    assert status == 200
    assert "Log in to Dossier" in body.decode()
    csp = {directive.split()[0]: directive.split()[1:] for directive in headers["Content-Security-Policy"].split("; ")}
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert_secure_cookie(cookies(headers)["csrftoken"])


def test_logging_in_through_gunicorn_sets_a_secure_session_cookie_that_opens_protected_pages(gunicorn):
    status, headers, body = gunicorn.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode())[1]
    csrf_cookie = cookies(headers)["csrftoken"].value
    origin = f"https://{HOST}:{gunicorn.port}"  # over https, Django's CSRF check wants the page's origin
    form = urlencode({"username": ADMIN, "password": ADMIN_PASSWORD, "csrfmiddlewaretoken": token, "next": "/review/"})
    status, headers, _ = gunicorn.request("POST", "/accounts/login/", {
        **HTTPS, "Origin": origin, "Cookie": f"csrftoken={csrf_cookie}",
        "Content-Type": "application/x-www-form-urlencoded",
    }, form)
    assert status == 302, "the login was refused"
    assert headers["Location"] == "/review/"
    session = cookies(headers)["sessionid"]
    assert_secure_cookie(session)

    # Either worker finds the session in the shared database.
    for _ in range(4):
        status, headers, body = gunicorn.get("/", {"Cookie": f"sessionid={session.value}"})
        assert status == 200
        assert ADMIN in body.decode()


def test_hashed_static_css_from_the_login_page_is_served_by_whitenoise_cached_for_long_and_gzipped(gunicorn):
    _, _, page = gunicorn.get("/accounts/login/")
    href = re.search(r'<link rel="stylesheet" href="(/static/css/dossier\.[0-9a-f]{12}\.css)"', page.decode())[1]

    status, headers, css = gunicorn.get(href)
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert headers.get("Content-Encoding") is None
    cache = {part.strip() for part in headers["Cache-Control"].split(",")}
    assert {"max-age=315360000", "public", "immutable"} <= cache  # WhiteNoise: ten years for hashed names
    assert css.strip()

    status, headers, compressed = gunicorn.get(href, {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    assert len(compressed) < len(css)
    assert gzip.decompress(compressed) == css


def test_a_protected_page_sends_an_anonymous_visitor_to_the_login_page(gunicorn):
    status, headers, _ = gunicorn.get("/review/")
    assert status == 302
    assert headers["Location"] == "/accounts/login/?next=/review/"


def test_a_missing_page_is_the_site_404_page_without_debug_output(gunicorn):
    status, headers, body = gunicorn.get("/no/such/page/")
    assert status == 404
    text = body.decode()
    assert "<h1>Not found</h1>" in text  # the site's own page, not Django's technical one
    assert_no_debug_output(text)
    assert "script-src 'self'" in headers["Content-Security-Policy"]


def test_plain_http_is_redirected_permanently_to_https(gunicorn):
    status, headers, _ = gunicorn.request("GET", "/accounts/login/?next=/review/")
    assert status == 301
    assert headers["Location"] == f"https://{HOST}:{gunicorn.port}/accounts/login/?next=/review/"


def test_check_deploy_passes_with_the_production_settings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert "System check identified no issues" in result.stdout
