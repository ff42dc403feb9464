"""Dossier settings, configured from the environment, and from the `.env` file beside manage.py under it.

The `.env` file (dossier/localenv.py: NAME=VALUE lines) holds the variables below for what runs from
this folder; a variable set in the environment wins over the file. `manage.py demo` writes a local
one (DEBUG=1 and a random SECRET_KEY, mode 0600) if there is none; so does the first run with DEBUG
on and no SECRET_KEY. A server keeps its own settings there (docs/operations.md).

DOSSIER_ENV_FILE  the file to read instead of .env; empty to read none (the tests do)
DATABASE_URL  database to use (default: SQLite file db.sqlite3 beside manage.py)
CONN_MAX_AGE  seconds a worker keeps its database connection for later requests, checked before each
              request's first query; 0 opens one per request (default: 600)
SECRET_KEY    required unless DEBUG is on
DEBUG         "1"/"true" to turn on debugging; off by default
ALLOWED_HOSTS comma-separated host names (default: localhost names)
HTTPS         served over TLS: secure cookies, HSTS, redirect to https (default: on unless DEBUG)
TRUST_X_FORWARDED_PROTO  the TLS proxy in front sets X-Forwarded-Proto (default: off)
TRUSTED_PROXIES  how many proxies in front append to X-Forwarded-For (default: 0)
SITE_URL      the address people open Dossier at, for links in exports made by commands
              (default: http://localhost:8000)
DOSSIER_MAX_IMPORT_BYTES  largest file one import accepts, in bytes (default: 20 MB)
DOSSIER_MAX_PASSAGES      most passages (sentences) one imported article may have (default: 20,000)
DOSSIER_MAX_WEB_IMPORT_RECORDS  most records one file imported from the admin page may hold;
              larger files go through `manage.py import_articles` (default: 2,000)
DOSSIER_FETCH_TIMEOUT     seconds one fetch of a page, feed or sitemap may take, redirects included (default: 20)
DOSSIER_FETCH_ALLOW_LOOPBACK  "1" lets the fetcher reach loopback addresses: for tests and closed networks
              only (default: off)
DOSSIER_POLL_MAX_ENTRIES  most new or changed entries one poll imports from one source (default: 100)
DOSSIER_EXPORT_TASK_ROWS  an export of the articles table with more rows than this runs as a background
              job, whose page offers the file when it is written (default: 20,000)
DOSSIER_TASK_BACKEND  the django-tasks backend of background jobs (default: django_tasks_db.DatabaseBackend,
              run by `manage.py db_worker`)
DOSSIER_PERF  "1" to install the measuring tools (perf/: generate_corpus, benchmark), which the
              wheel does not ship; CI and benchmark runs set it (default: off)
DOSSIER_MAX_FORM_BYTES    largest request body anywhere but an admin's POST to the import page, refused
              by its Content-Length before it is read (default: 1 MiB; dossier/limits.py). The import page
              takes DOSSIER_MAX_IMPORT_BYTES x DATA_UPLOAD_MAX_NUMBER_FILES. A proxy in front should refuse
              the same sizes first (docs/operations.md, Limits).
DOSSIER_API_RATE_LIMIT   requests one API token may make per DOSSIER_API_RATE_WINDOW seconds (defaults: 600
              per 60; 0: no limit); over it, 429 with Retry-After (api/ratelimit.py)
TRUSTED_PROXIES must match the proxies really in front, or login lockout counts the wrong address;
              `manage.py check` warns (dossier.W001) behind a TLS proxy with TRUSTED_PROXIES=0.
"""
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from dossier import localenv

BASE_DIR = Path(__file__).resolve().parent.parent
ENV_FILE = os.environ.get("DOSSIER_ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE:
    localenv.load(ENV_FILE)


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_flag("DEBUG")


def _secret_key():
    if key := os.environ.get("SECRET_KEY"):
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment or in .env beside manage.py; for local "
            "development, run `DEBUG=1 python manage.py demo` once, which writes a .env with DEBUG=1 and a key."
        )
    if not ENV_FILE:
        return localenv.new_secret_key()  # nowhere to keep one: this process only
    # Local development only: the local .env, written once, so that sessions survive runserver's
    # reloads and later commands need no DEBUG=1. An existing file is never changed.
    if not localenv.write_local(ENV_FILE):
        raise ImproperlyConfigured(f"SECRET_KEY is not set, and {ENV_FILE} has none: add a SECRET_KEY= line to it.")
    localenv.load(ENV_FILE)
    return os.environ["SECRET_KEY"]


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Pages build links from the request; a command has none.
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "django_tables2",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # its static files: Swagger UI for /api/docs, served locally
    "dossier",
    "annotations",
    "campaigns",
    "webhooks",
    "api",
]
if env_flag("DOSSIER_PERF"):  # measuring tools: CI and benchmarks only
    INSTALLED_APPS.append("perf")

MIDDLEWARE = [
    # First: a body over its limit is refused by its Content-Length before anything reads it.
    "dossier.limits.RequestBodyLimit",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A session whose user was deactivated by any means ends here, so reactivating does not revive it.
    "dossier.accounts.EndSessionsOfInactiveUsers",
    # Deny by default: every page needs a login unless its view says otherwise.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Who made each change, for the audit trail.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dossier.urls"
WSGI_APPLICATION = "dossier.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dossier.roles.roles",
            ],
        },
    },
]

# Each worker keeps its connection across requests on both databases (a new one costs a PostgreSQL
# handshake, or SQLite's file open and PRAGMAs, per request), checked before a request's first query
# and replaced if it went away (a database restart).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", 600)),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Concurrent reviewers: writers queue for the lock instead of failing,
        # and readers never block writers.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]  # `manage.py loaddata flags` restores the default flag set

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while locked out
    "django.contrib.auth.backends.ModelBackend",
]

# Lockout: after 5 failed logins for one username from one address, that pair waits 15 minutes.
# The same message shows whether or not the account exists.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "dossier.accounts.client_address"
# Proxies in front that each append to X-Forwarded-For; without them, every client of a
# proxy would share its address and one attacker could lock out any username.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dossier:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")  # where collectstatic writes
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# The audit trail is a record, not an undo button: the admin's history pages only show.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Over TLS (production): cookies only over https, HSTS, and plain http redirected.
HTTPS = env_flag("HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = HTTPS
if env_flag("TRUST_X_FORWARDED_PROTO"):
    # Only behind a proxy that sets this header itself: otherwise clients could forge it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_COOKIE_HTTPONLY = True  # pages read the token from the form, never from the cookie
SESSION_COOKIE_AGE = 60 * 60 * 12  # a working day
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: no inline script or style anywhere, nothing from other sites.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Importing: one file may be at most this many bytes (uploads and the command alike).
DOSSIER_MAX_IMPORT_BYTES = int(os.environ.get("DOSSIER_MAX_IMPORT_BYTES", 20 * 1024 * 1024))
# One article may have at most this many passages (sentences), from the command or the browser:
# a 19 MB text would otherwise become millions of rows.
DOSSIER_MAX_PASSAGES = int(os.environ.get("DOSSIER_MAX_PASSAGES", 20_000))
# The admin import page takes at most this many records per file, in the request or as a background
# job; larger files go through the command.
DOSSIER_MAX_WEB_IMPORT_RECORDS = int(os.environ.get("DOSSIER_MAX_WEB_IMPORT_RECORDS", 2_000))
DATA_UPLOAD_MAX_NUMBER_FILES = 200
# Fetching pages, feeds and sitemaps (dossier/ingest/fetching.py): the whole fetch, redirects included,
# must finish within this many seconds; the body is held to DOSSIER_MAX_IMPORT_BYTES.
DOSSIER_FETCH_TIMEOUT = float(os.environ.get("DOSSIER_FETCH_TIMEOUT", 20))
# For tests and closed networks only: lets the fetcher connect to loopback addresses (127.0.0.0/8, ::1).
# Private, link-local and other non-public addresses stay refused whatever this says.
DOSSIER_FETCH_ALLOW_LOOPBACK = env_flag("DOSSIER_FETCH_ALLOW_LOOPBACK")
# A poll imports at most this many new or changed entries of one source (at one request a second per
# host); the rest wait for the next poll.
DOSSIER_POLL_MAX_ENTRIES = int(os.environ.get("DOSSIER_POLL_MAX_ENTRIES", 100))
# An export of the articles table of more rows than this is written by a background job rather than in
# the request, which would otherwise hold a worker for as long as the download takes.
DOSSIER_EXPORT_TASK_ROWS = int(os.environ.get("DOSSIER_EXPORT_TASK_ROWS", 20_000))
# Imports of more than one file or address, feed polls and big exports run on this backend; a worker
# (`manage.py db_worker`) runs them. The tests run tasks at once in the request (ImmediateBackend).
TASKS = {"default": {"BACKEND": os.environ.get("DOSSIER_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Any request body, by its Content-Length, except an admin's POST to the import page, which may send
# DOSSIER_MAX_IMPORT_BYTES x DATA_UPLOAD_MAX_NUMBER_FILES (dossier/limits.py).
DOSSIER_MAX_FORM_BYTES = int(os.environ.get("DOSSIER_MAX_FORM_BYTES", 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = DOSSIER_MAX_FORM_BYTES  # a request's fields other than files
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # an uploaded file past this goes to a temporary file

# The API (api/ratelimit.py): each token (or signed-in user) may make DOSSIER_API_RATE_LIMIT requests per
# DOSSIER_API_RATE_WINDOW seconds, then gets 429 with Retry-After; 0 turns the limit off. Counted in the
# default cache: configure a shared one (CACHES) when serving with several processes.
DOSSIER_API_RATE_LIMIT = int(os.environ.get("DOSSIER_API_RATE_LIMIT", 600))
DOSSIER_API_RATE_WINDOW = int(os.environ.get("DOSSIER_API_RATE_WINDOW", 60))

# django-tables2's bootstrap5 markup in a box that scrolls sideways, sort state in words (templates/_table.html).
DJANGO_TABLES2_TEMPLATE = "_table.html"

# The reviewers' daily digests (manage.py send_digests): printed on the console unless a deployment
# names a real backend (e.g. django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST and friends).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "dossier@localhost")

# Everything at WARNING and above goes to stderr (gunicorn's, so the journal): explicitly so for a
# request's 500s (django.request, at ERROR) and refused requests (django.security: a wrong Host, a
# forbidden lookup), whatever DEBUG says.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},  # stderr
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
