"""Real headless Chromium (Playwright, sync API) against pytest-django's live_server.

One browser for the whole session, a fresh context and page for every test. Tests here
need `transactional_db` (the live server answers from another thread); each test module
marks its tests `django_db(transaction=True, serialized_rollback=True)` so that the role
groups and default flags made by data migrations are restored before each test.
"""
import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SKIP_REASON = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
HERE = Path(__file__).resolve().parent

# Playwright's sync API runs an event loop in the test thread; Django would otherwise
# refuse ORM calls from it ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # No network on the test machines: keep Chromium from trying to reach Google.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery"


def pytest_collection_modifyitems(config, items):
    """Skip every test in this folder, with the reason, when there is no browser to drive."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(SKIP_REASON)
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install playwright")
    from django.db import connections

    # Between its calls, Playwright's sync API leaves its event loop marked as running in
    # this thread. Django keeps connections in an asgiref Local that then switches from
    # thread-local to context-local storage, so the ORM would open a *second* connection
    # to the in-memory test database: one that the live server does not share, and that
    # lacks the serialized copy `serialized_rollback` restores from (the role groups and
    # flags would silently vanish after the first test). Keep using the same objects.
    thread_connections = {alias: connections[alias] for alias in connections}
    with sync_api.sync_playwright() as playwright:
        for alias, connection in thread_connections.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, started only once the test database exists.

    Otherwise (when these are the first database tests of the run) it would start before
    the in-memory test database is made, not see it as in-memory, and answer from
    connections of its own instead of sharing the test's.
    """
    return live_server


def _new_context(browser):
    context = browser.new_context(locale="en-GB", timezone_id="UTC")
    # Browsers ask for /favicon.ico on their own; answer here so that no stray request
    # reaches the live server (which shares its in-memory SQLite connection with the test).
    context.route(re.compile(r".*/favicon\.ico$"), lambda route: route.fulfill(status=204, body=""))
    return context


def _new_page(context):
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def page(browser):
    """A fresh page in a fresh context (no cookies) for each test."""
    context = _new_context(browser)
    yield _new_page(context)
    context.close()


@pytest.fixture
def new_page(browser):
    """`new_page()`: pages for a second (third, ...) user, each in its own context so logins don't mix."""
    contexts = []

    def make():
        contexts.append(_new_context(browser))
        return _new_page(contexts[-1])

    yield make
    for context in contexts:
        context.close()


def _login(page, live_server, username, password=PASSWORD):
    """Log in through the real login form; returns on the page the user lands on."""
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    # Reviewers land on their queue, others on the article list: wait for any page
    # that says who is logged in.
    expect(page.locator("header.site .account")).to_contain_text(username)
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


@pytest.fixture
def login():
    """The helper `login(page, live_server, username)` (a fixture: conftest modules can't be imported)."""
    return _login
