"""Reviewers racing each other through real HTTP against a live server, on SQLite and PostgreSQL.

Each race starts its requests in threads released together by a barrier, each on a connection
opened beforehand, so that they reach the server at the same moment. The server answers every
request on its own thread with its own database connection, as gunicorn's workers do.

Django's live server (and pytest-django's `live_server`) cannot do that with the in-memory SQLite
test database: either every request thread shares the test's one connection (two requests'
transactions interleave on it: "no such savepoint") or, when the server starts before the test
database exists, each opens the shared-cache in-memory database ("database table is locked").
So on an in-memory test database the server here answers from a file copy of it, made when the
test starts, and the test itself reads and writes that copy until the server stops. With a file
test database (SQLITE_TEST_NAME) or PostgreSQL, everyone uses the test database itself.

After every race: no 500, every acknowledged change is in the database and no refused one is,
no duplicate rows, each review submitted exactly once, and `recompute_summaries --check` passes.
"""
import http.client
import io
import itertools
import json
import logging
import random
import re
import sqlite3
import threading
from collections import Counter
from contextlib import closing
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend
from django.test import Client
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler
from factories import make_article, make_review

from annotations.models import Annotation, ArticleSummary, Flag, Review

# Transactional: the server's threads see only what is committed. Serialized rollback puts back
# the role groups and default flags that data migrations made, which other tests' flushes remove.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HOST = "127.0.0.1"
BODY = (
    "The council approved the budget on Monday. Officials said taxes would not rise.\n\n"
    "Critics called the plan reckless. It is the worst budget in a decade.\n\n"
    "The mayor will speak on Friday. Residents can comment online."
)
ROUNDS = 8  # races per test: enough to meet both orders, few enough to stay quick
_articles = itertools.count(1)


# --- The server ---------------------------------------------------------------------------------


class _OwnConnectionServer(ThreadedWSGIServer):
    """A thread per request, each with its own connection (to `database` if given)."""

    database = None  # settings of the file copy of an in-memory SQLite test database

    def process_request_thread(self, request, client_address):
        if self.database is not None:
            connections[DEFAULT_DB_ALIAS] = _connect(self.database)
        super().process_request_thread(request, client_address)  # closes the connections at the end


class _ServerThread(LiveServerThread):
    def __init__(self, database):
        super().__init__(HOST, StaticFilesHandler)
        self.database = database

    def _create_server(self, connections_override=None):
        server = _OwnConnectionServer((self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False)
        server.database = self.database
        return server


def _connect(settings_dict):
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, DEFAULT_DB_ALIAS)


class _ErrorLog(logging.Handler):
    """Server errors logged by django.request, so that a failure shows the traceback."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(self.format(record))


class LiveServer:
    def __init__(self, port, errors):
        self.port = port
        self.errors = errors

    def explain(self, responses):
        """What to show when a response is not the expected one."""
        lines = [f"{response.status} {response.body[:300]!r}" for response in responses]
        return "\n".join(lines + ["Server errors:", *self.errors.messages])


@pytest.fixture(autouse=True)
def server(transactional_db, tmp_path, settings):
    """The live server; on an in-memory SQLite database, the test uses the server's file copy."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    test_connection = connections[DEFAULT_DB_ALIAS]
    database = None
    if test_connection.vendor == "sqlite" and test_connection.is_in_memory_db():
        database = {**test_connection.settings_dict, "NAME": str(tmp_path / "live.sqlite3")}
        test_connection.ensure_connection()
        with closing(sqlite3.connect(database["NAME"])) as copy:
            test_connection.connection.backup(copy)
        connections[DEFAULT_DB_ALIAS] = _connect(database)
    errors = _ErrorLog()
    logging.getLogger("django.request").addHandler(errors)
    thread = _ServerThread(database)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield LiveServer(thread.port, errors)
    finally:
        thread.terminate()
        logging.getLogger("django.request").removeHandler(errors)
        if database is not None:
            connections[DEFAULT_DB_ALIAS].close()
            connections[DEFAULT_DB_ALIAS] = test_connection


# --- Browsers and races -------------------------------------------------------------------------


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode()

    def json(self):
        return json.loads(self.body)


class Browser:
    """One reviewer's browser: a logged-in session, the CSRF cookie and token, plain HTTP/1.1."""

    def __init__(self, server, user):
        client = Client()
        client.force_login(user)
        self.port = server.port
        self.cookies = {"sessionid": client.cookies["sessionid"].value}
        self.csrf_token = None

    def connect(self):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        connection.connect()
        return connection

    def request(self, method, path, fields=None, connection=None):
        connection = connection or self.connect()
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        headers = {"Cookie": cookie, "Connection": "close"}
        body = None
        if method == "POST":
            body = urlencode(fields)
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": self.csrf_token})
        try:
            connection.request(method, path, body, headers)
            answer = connection.getresponse()
            response = Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.update({name: morsel.value for name, morsel in SimpleCookie(header).items()})
        return response

    def open_workspace(self, article):
        """GET the workspace, as the page does before any POST: sets the CSRF cookie and token."""
        response = self.request("GET", f"/articles/{article.pk}/review/")
        assert response.status == 200, response.status
        self.csrf_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)[1]
        assert "csrftoken" in self.cookies
        return response

    # Requests to race: (browser, path, fields).
    def flag(self, article, passage_id, flag_id, on):
        fields = {"passage": passage_id, "flag": flag_id, "on": "1" if on else "0"}
        return self, f"/articles/{article.pk}/review/annotations/", fields

    def submit(self, article):
        return self, f"/articles/{article.pk}/review/submit/", {}


def at_once(*posts):
    """Send the POSTs from threads released together; their responses, in the same order."""
    barrier = threading.Barrier(len(posts))
    results = [None] * len(posts)

    def send(index, browser, path, fields):
        try:
            connection = browser.connect()  # connected before the barrier: only the request is left
            barrier.wait(timeout=30)
            results[index] = browser.request("POST", path, fields, connection)
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
            barrier.abort()
            results[index] = error

    threads = [threading.Thread(target=send, args=(index, *post)) for index, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    assert None not in results, "a request did not finish"
    return results


# --- Checks -------------------------------------------------------------------------------------


def new_article():
    """An article of seven passages in three paragraphs (bodies differ: imports skip duplicates)."""
    return make_article(body=f"{BODY} Article {next(_articles)} ends here.")


def flag_ids(*shortcuts):
    return [Flag.objects.get(shortcut=shortcut).pk for shortcut in shortcuts]


def passage_ids(article):
    return list(article.passages.order_by("paragraph", "sentence").values_list("pk", flat=True))


def annotations_of(article, user):
    """The user's annotations on the article as a sorted list of (passage, flag): duplicates show."""
    mine = Annotation.objects.filter(review__article=article, review__reviewer=user)
    return sorted(mine.values_list("passage", "flag"))


def assert_submitted_once(article, user):
    """One review, submitted, whose history holds exactly one save as submitted, at its submitted_at."""
    review = Review.objects.get(article=article, reviewer=user)  # raises on a duplicate
    assert review.is_submitted
    submitted_saves = review.history.filter(status=Review.Status.SUBMITTED)
    assert [record.submitted_at for record in submitted_saves] == [review.submitted_at]
    return review


def assert_summaries_exact():
    call_command("recompute_summaries", "--check", verbosity=0, stdout=io.StringIO())


def assert_redirected_to_workspace(server, responses, article):
    for response in responses:
        assert response.status == 302, server.explain(responses)
        assert response.headers["Location"] == f"/articles/{article.pk}/review/"


# --- Races --------------------------------------------------------------------------------------


def test_two_reviewers_flagging_the_same_passage_at_the_same_moment_both_keep_every_acknowledged_flag(
    server, reviewer, other_reviewer
):
    article = new_article()
    passages = passage_ids(article)
    flags = flag_ids("u", "q", "o", "b")
    rita, rob = Browser(server, reviewer), Browser(server, other_reviewer)
    rita.open_workspace(article)
    rob.open_workspace(article)
    expected = {reviewer: {}, other_reviewer: {}}  # user: {(passage, flag): on} as last acknowledged
    choose = random.Random(7)
    for round_ in range(3 * len(passages)):
        passage = passages[round_ % len(passages)]
        rita_flag = choose.choice(flags)
        rob_flag = rita_flag if round_ % 2 else choose.choice([flag for flag in flags if flag != rita_flag])
        # First every passage gets both flags; later rounds take some off and put others on.
        rita_on = round_ < len(passages) or choose.random() < 0.5
        rob_on = round_ < len(passages) or choose.random() < 0.5
        responses = at_once(
            rita.flag(article, passage, rita_flag, rita_on), rob.flag(article, passage, rob_flag, rob_on)
        )
        for response, user, flag, on in zip(responses, expected, (rita_flag, rob_flag), (rita_on, rob_on)):
            assert response.status == 200, server.explain(responses)
            answer = response.json()
            assert answer["passage"] == passage
            assert (flag in answer["flags"]) is on
            expected[user][passage, flag] = on

    for user, states in expected.items():
        assert annotations_of(article, user) == sorted(key for key, on in states.items() if on)
    assert Review.objects.filter(article=article).count() == 2
    assert ArticleSummary.objects.get(article=article).reviews_in_progress == 2
    assert_summaries_exact()


def test_one_reviewer_flagging_one_passage_from_two_tabs_at_once_gets_one_review_and_no_duplicate_flag(
    server, reviewer
):
    unsourced, opinion = flag_ids("u", "o")
    rita = Browser(server, reviewer)
    for round_ in range(ROUNDS):
        article = new_article()  # no review yet: both requests race to start it
        if round_ == 0:
            rita.open_workspace(article)
        passage = passage_ids(article)[round_ % 3]
        second_flag = unsourced if round_ % 2 else opinion
        responses = at_once(
            rita.flag(article, passage, unsourced, True), rita.flag(article, passage, second_flag, True)
        )
        assert [response.status for response in responses] == [200, 200], server.explain(responses)
        assert Review.objects.filter(article=article, reviewer=reviewer).count() == 1
        assert annotations_of(article, reviewer) == sorted({(passage, unsourced), (passage, second_flag)})
    assert_summaries_exact()


def test_a_double_submit_submits_the_review_exactly_once(server, reviewer):
    unsourced, = flag_ids("u")
    rita = Browser(server, reviewer)
    for round_ in range(ROUNDS):
        article = new_article()
        if round_ == 0:
            rita.open_workspace(article)
        if round_ % 2:  # a review with a flag; otherwise the first submit starts the review
            make_review(article, reviewer, {0: "u"}, submit=False)
        responses = at_once(rita.submit(article), rita.submit(article))
        assert_redirected_to_workspace(server, responses, article)
        assert_submitted_once(article, reviewer)
        flagged = [(passage_ids(article)[0], unsourced)] if round_ % 2 else []
        assert annotations_of(article, reviewer) == flagged
        summary = ArticleSummary.objects.get(article=article)
        assert (summary.reviewers, summary.reviews_in_progress) == (1, 0)
    assert_summaries_exact()


def test_a_flag_toggle_racing_the_submit_is_saved_before_the_submit_or_refused(server, reviewer):
    unsourced, opinion = flag_ids("u", "o")
    rita = Browser(server, reviewer)
    outcomes = Counter()
    for round_ in range(2 * ROUNDS):
        article = new_article()
        if round_ == 0:
            rita.open_workspace(article)
        first, second = passage_ids(article)[:2]
        make_review(article, reviewer, {0: "u"}, submit=False)
        # Even rounds put a new flag on, odd rounds take the existing one off; either goes first.
        on = round_ % 2 == 0
        toggle = rita.flag(article, second, opinion, True) if on else rita.flag(article, first, unsourced, False)
        if round_ % 4 < 2:
            submitted, toggled = at_once(rita.submit(article), toggle)
        else:
            toggled, submitted = at_once(toggle, rita.submit(article))
        assert_redirected_to_workspace(server, [submitted], article)
        assert toggled.status in (200, 409), server.explain([toggled])
        review = assert_submitted_once(article, reviewer)
        outcomes[("on" if on else "off", toggled.status)] += 1

        if toggled.status == 409:  # refused: the submit came first and nothing changed
            assert "submitted" in toggled.json()["error"]
            assert annotations_of(article, reviewer) == [(first, unsourced)]
        elif on:  # saved, and before the submit
            assert annotations_of(article, reviewer) == sorted([(first, unsourced), (second, opinion)])
            added = Annotation.objects.get(review=review, passage=second, flag=opinion)
            assert added.created_at <= review.submitted_at
        else:  # taken off, and before the submit
            assert annotations_of(article, reviewer) == []
            removal = Annotation.history.get(review_id=review.pk, passage_id=first, flag_id=unsourced, history_type="-")
            assert removal.history_date <= review.submitted_at
    print("toggle outcomes:", dict(outcomes))
    assert_summaries_exact()


def test_two_reviewers_submitting_the_same_article_at_the_same_moment_are_both_counted(
    server, reviewer, other_reviewer
):
    rita, rob = Browser(server, reviewer), Browser(server, other_reviewer)
    for round_ in range(ROUNDS):
        article = new_article()
        if round_ == 0:
            rita.open_workspace(article)
            rob.open_workspace(article)
        # Disagreeing on the first passage, agreeing on the second: every score depends on both.
        make_review(article, reviewer, {0: "u", 1: "q"}, submit=False)
        make_review(article, other_reviewer, {0: "o", 1: "q"}, submit=False)
        responses = at_once(rita.submit(article), rob.submit(article))
        assert_redirected_to_workspace(server, responses, article)
        assert_submitted_once(article, reviewer)
        assert_submitted_once(article, other_reviewer)
        summary = ArticleSummary.objects.get(article=article)
        assert (summary.reviewers, summary.reviews_in_progress) == (2, 0)
        assert summary.disputed_chars > 0 and summary.sourced_chars > 0
    assert_summaries_exact()
