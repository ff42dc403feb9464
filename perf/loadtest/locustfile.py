"""Simulated reviewers for `perf/loadtest/run.py` (locust).

Each simulated user is its own reviewer account (PREFIX01, PREFIX02, …) and behaves like the
workspace page: it logs in through the login form, opens its queue, opens an article's
workspace, toggles flags on passages one at a time (POST …/review/annotations/ with the
X-CSRFToken header, as static/js/workspace.js does) and now and then submits the review (the
workspace's form, csrfmiddlewaretoken field). It never touches an article it has submitted, so
no request should ever be refused.

Every toggle and submit is written as one JSON line to $LOADTEST_ACKS as soon as its answer
arrives: acknowledged (HTTP 200 / 302) or not, so that run.py can compare the last acknowledged
state of every (reviewer, article, passage, flag) with the database afterwards.

Simulated editors (class Editor, run only when run.py is given --editors) are accounts EDITOR_PREFIX01,
… in the Editor group. Each logs in the same way, then reads: the articles table with filters and
sorts, an article's summary, the /outlets/ and /authors/ rankings, an outlet's page, and the API's
article list with its own token (following a cursor now and then). Now and then it exports the
table as CSV; with the task worker (LOADTEST_WORKER=1) that export is a job, followed through the
API's task until done, then downloaded, and an editor also imports three records through the API
with an admin's import token, a task the worker runs, followed until done. Each import the API
accepted (202) is written to $LOADTEST_ACKS too, so that run.py checks its articles exist afterwards.
A task's time from the request to "done" is reported as its own row ("TASK …").

Environment:
  LOADTEST_PASSWORD  password of every load account (required)
  LOADTEST_ACKS      file to append acknowledgements to (required)
  LOADTEST_USERS     number of accounts that exist (default 20)
  LOADTEST_PREFIX    account name prefix (default "load")
  LOADTEST_SEED      seed for each user's random choices (default 7)
  LOADTEST_WAIT      think time between steps, "min,max" seconds (default "0.1,0.5")
  LOADTEST_SUBMIT    chance of submitting at the end of a visit (default 0.25)
  LOADTEST_STATS     file to write the final statistics to as JSON, once every user has stopped (optional)
  LOADTEST_EDITORS   number of editor accounts that exist (default 0)
  LOADTEST_EDITOR_PREFIX  editor account name prefix (default "editor")
  LOADTEST_EDITOR_TOKENS  the editors' API tokens (scope read), comma-separated in account order
  LOADTEST_IMPORT_TOKEN   an admin's API token (scopes read and import), for the editors' imports
  LOADTEST_WORKER    "1" when a task worker runs: exports become jobs and editors import
"""
import itertools
import json
import os
import random
import re
import time
from urllib.parse import urlencode

import gevent
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "")
ACKS = os.environ.get("LOADTEST_ACKS", "")
ACCOUNTS = int(os.environ.get("LOADTEST_USERS", "20"))
PREFIX = os.environ.get("LOADTEST_PREFIX", "load")
SEED = os.environ.get("LOADTEST_SEED", "7")
WAIT = tuple(float(part) for part in os.environ.get("LOADTEST_WAIT", "0.1,0.5").split(","))
SUBMIT_CHANCE = float(os.environ.get("LOADTEST_SUBMIT", "0.25"))
STATS = os.environ.get("LOADTEST_STATS", "")
EDITORS = int(os.environ.get("LOADTEST_EDITORS", "0"))
EDITOR_PREFIX = os.environ.get("LOADTEST_EDITOR_PREFIX", "editor")
EDITOR_TOKENS = [token for token in os.environ.get("LOADTEST_EDITOR_TOKENS", "").split(",") if token]
IMPORT_TOKEN = os.environ.get("LOADTEST_IMPORT_TOKEN", "")
WORKER = os.environ.get("LOADTEST_WORKER") == "1"
PERCENTILES = {"p50_ms": 0.5, "p95_ms": 0.95, "p99_ms": 0.99}
TOGGLES_PER_VISIT = (4, 12)
TAKE_OFF_CHANCE = 0.3  # a toggle picks one of my flags on this article, so it comes off

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
QUEUE_LINK = re.compile(r'href="/articles/(\d+)/review/"')
FLAG_BUTTON = re.compile(r'class="flag-button[^"]*" data-flag="(\d+)"')
PASSAGE_START = '<span class="passage" id="passage-'
PASSAGE_ID = re.compile(r'^(\d+)"')
# The reviewer's own marks travel as the workspace script's JSON data (json_script), not as markup.
SCRIPT_DATA = re.compile(r'<script id="workspace-data" type="application/json">(.*?)</script>', re.S)
ASSETS = re.compile(r'(?:href|src)="(/static/[^"]+|/flags\.css)"')
SUMMARY_LINK = re.compile(r'href="/articles/(\d+)/summary/"')
OUTLET_LINK = re.compile(r'href="/outlets/(\d+)/"')
JOB_IN_LOCATION = re.compile(r"[?&]job=(\d+)")
# What an editor asks the articles table for: the sorts and filters of the page's own links and form.
TABLE_SORTS = ("-sourced_fact_share", "unsourced_share", "-opinion_share", "-agreement", "-published", "title",
               "outlet", "-word_count", "-reviewers", "status")
TABLE_FILTERS = ({}, {}, {"status": "reviewed"}, {"status": "in_review"}, {"status": "not_started"},
                 {"outlet": "wire"}, {"q": "question"}, {"language": "en"})
EXPORT_EVERY = 8  # an editor's every 8th step exports the table (and, with the worker, every 8th, offset 4, imports)
IMPORT_RECORDS = 3
TASK_TIMEOUT = 60  # seconds a job may take from the request to "done" before it counts as failed
TASK_POLL = 0.5

_numbers = itertools.count(1)
_editor_numbers = itertools.count(1)
_log = None
_environment = None
_stopping = False


def account_name(number):
    return f"{PREFIX}{number:02d}"


def record(entry):
    """Append one acknowledgement line; flushed at once (one process, one thread of greenlets)."""
    global _log
    if _log is None:
        _log = open(ACKS, "a", encoding="utf-8")
    _log.write(json.dumps(entry, separators=(",", ":")) + "\n")
    _log.flush()


@events.test_start.add_listener
def _check_environment(environment, **kwargs):
    if not PASSWORD or not ACKS:
        raise SystemExit("Set LOADTEST_PASSWORD and LOADTEST_ACKS (run perf/loadtest/run.py, which sets them).")


@events.init.add_listener
def _keep_environment(environment, **kwargs):
    global _environment
    _environment = environment


@events.test_stopping.add_listener
def _stop_starting_steps(environment, **kwargs):
    # Locust kills a waiting user asynchronously: the user may wake first and begin a step that is
    # then cut off mid-request, its outcome unknown. Once stopping begins, no step starts.
    global _stopping
    _stopping = True


@events.quitting.add_listener
def _close_log(environment, **kwargs):
    if _log is not None:
        _log.flush()


@events.quit.add_listener
def _write_stats(exit_code, **kwargs):
    """Final statistics, taken after the users stopped (locust's CSV files can miss the last second)."""
    if not STATS or _environment is None:
        return
    stats = _environment.stats
    total = stats.total
    duration = max((total.last_request_timestamp or total.start_time) - total.start_time, 1e-9)

    def summary(entry, name):
        return {
            "name": name,
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": round(entry.num_requests / duration, 2),
            **{key: entry.get_response_time_percentile(p) if entry.num_requests else None
               for key, p in PERCENTILES.items()},
            "max_ms": round(entry.max_response_time) if entry.num_requests else None,
        }

    entries = sorted(stats.entries.values(), key=lambda entry: (entry.name, entry.method))
    result = {
        "duration_s": round(duration, 2),
        "endpoints": [summary(entry, f"{entry.method} {entry.name}") for entry in entries],
        "total": summary(total, "overall"),
        "errors": [
            {"endpoint": f"{error.method} {error.name}", "error": str(error.error), "count": error.occurrences}
            for error in stats.errors.values()
        ],
        "exit_code": exit_code,
    }
    with open(STATS, "w", encoding="utf-8") as out:
        json.dump(result, out, indent=2)


def answer(response):
    """ "HTTP 409", or what went wrong when no answer came (status 0)."""
    if response.status_code:
        return f"HTTP {response.status_code}"
    return f"no answer: {getattr(response, 'error', None)!r}"


def parse_workspace(html):
    """(csrf token, editable?, [passage ids], [flag ids], {passage id: {own flag ids}}) from a workspace page."""
    token = CSRF_FIELD.search(html)
    editable = 'data-editable="true"' in html
    flags = [int(flag) for flag in FLAG_BUTTON.findall(html)]
    passages = [int(PASSAGE_ID.match(chunk).group(1)) for chunk in html.split(PASSAGE_START)[1:]]
    data = SCRIPT_DATA.search(html)
    marks = json.loads(data.group(1))["marks"] if data else {}
    own = {int(passage): {mark["flag"] for mark in listed} for passage, listed in marks.items() if listed}
    return (token.group(1) if token else None), editable, passages, flags, own


class Visitor(FastHttpUser):
    """What reviewers and editors share: the login form, and posting a form as the browser does."""

    abstract = True
    wait_time = between(*WAIT)
    network_timeout = connection_timeout = 60.0

    def log_in(self):
        with self.client.get("/accounts/login/", name="/accounts/login/", catch_response=True) as response:
            token = CSRF_FIELD.search(response.text or "")
            if response.status_code != 200 or not token:
                response.failure(f"no login form ({answer(response)})")
                raise StopUser()
        body = {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1), "next": ""}
        with self.post_form("/accounts/login/", body, "/accounts/login/") as response:
            location = response.headers.get("location", "") if response.headers else ""
            if response.status_code != 302 or "/accounts/login/" in location:
                # Never retried: django-axes locks the account after five failures.
                response.failure(f"login refused ({answer(response)}, location {location!r})")
                raise StopUser()
            response.success()

    def post_form(self, url, fields, name, headers=None):
        return self.client.post(
            url,
            data=urlencode(fields),
            headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})},
            name=name,
            allow_redirects=False,
            catch_response=True,
        )


class Reviewer(Visitor):
    """One reviewer. Each task call is one step of a visit, so stopping never cuts a visit's write short."""

    def on_start(self):
        number = next(_numbers)
        if number > ACCOUNTS:
            raise RuntimeError(f"only {ACCOUNTS} load accounts exist; start at most that many users")
        self.username = account_name(number)
        self.rng = random.Random(f"{SEED}:{self.username}")
        self.flags = {}  # my flags as the server acknowledged them: {(article, passage): {flag ids}}
        self.submitted = set()  # articles whose review I submitted
        self.assets_fetched = False
        self.article = None
        self.log_in()

    @task
    def step(self):
        if _stopping:
            return
        if self.article is None:
            self.open_article()
        elif self.toggles_left > 0:
            self.toggle()
        else:
            self.end_visit()

    def open_article(self):
        with self.client.get("/review/", name="/review/", catch_response=True) as response:
            if response.status_code != 200 or "My review queue" not in (response.text or ""):
                response.failure(f"no queue ({answer(response)})")
                return
            articles = sorted({int(pk) for pk in QUEUE_LINK.findall(response.text)} - self.submitted)
        if not articles:
            return  # everything submitted: nothing left to review, keep looking at the queue
        article = self.rng.choice(articles)
        with self.client.get(
            f"/articles/{article}/review/", name="/articles/[id]/review/", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"no workspace ({answer(response)})")
                return
            html = response.text
            token, editable, passages, flags, own = parse_workspace(html)
            if not (token and editable and passages and flags):
                response.failure("workspace not editable, or without passages, flags or CSRF token")
                return
            expected = {passage: marks for (pk, passage), marks in self.flags.items() if pk == article and marks}
            if own != expected:
                response.failure(f"workspace shows flags {own}, acknowledged {expected}")
                return
        if not self.assets_fetched:  # a browser fetches these once, then caches them
            self.assets_fetched = True
            for asset in sorted(set(ASSETS.findall(html))):
                name = "/flags.css" if asset == "/flags.css" else "/static/*"
                self.client.get(asset, name=name)
        self.article, self.token, self.passages, self.flag_ids = article, token, passages, flags
        self.toggles_left = self.rng.randint(*TOGGLES_PER_VISIT)

    def toggle(self):
        self.toggles_left -= 1
        article = self.article
        mine_here = sorted((passage, flag) for (pk, passage), flags in self.flags.items() if pk == article
                           for flag in flags)
        if mine_here and self.rng.random() < TAKE_OFF_CHANCE:
            passage, flag = self.rng.choice(mine_here)  # change of mind: a flag comes off again
        else:
            passage, flag = self.rng.choice(self.passages), self.rng.choice(self.flag_ids)
        mine = self.flags.setdefault((article, passage), set())
        on = flag not in mine  # like the workspace: the flag's key toggles it
        entry = {"type": "toggle", "user": self.username, "article": article, "passage": passage, "flag": flag,
                 "on": on, "t": round(time.time(), 3)}
        status = None
        try:
            with self.post_form(
                f"/articles/{article}/review/annotations/",
                {"passage": passage, "flag": flag, "on": "1" if on else "0"},
                "/articles/[id]/review/annotations/",
                headers={"X-CSRFToken": self.token},
            ) as response:
                status = response.status_code
                if status != 200:
                    response.failure(f"toggle refused ({answer(response)}): {(response.text or '')[:200]}")
                    return
                try:
                    answered = set(response.json()["flags"])
                except (ValueError, KeyError, TypeError):
                    response.failure("toggle answered 200 without a JSON flags list")
                    status = "bad-json"
                    return
                if on:
                    mine.add(flag)
                else:
                    mine.discard(flag)
                if answered != mine:
                    response.failure(f"passage {passage}: server has flags {sorted(answered)}, expected {sorted(mine)}")
        except BaseException as error:  # killed mid-request (GreenletExit) or a bug: the outcome is unknown
            entry["error"] = repr(error)
            raise
        finally:
            record({**entry, "status": status, "ack": status == 200})

    def end_visit(self):
        article, self.article = self.article, None
        if self.rng.random() >= SUBMIT_CHANCE:
            return
        entry = {"type": "submit", "user": self.username, "article": article, "t": round(time.time(), 3)}
        status = None
        try:
            with self.post_form(
                f"/articles/{article}/review/submit/",
                {"csrfmiddlewaretoken": self.token},
                "/articles/[id]/review/submit/",
            ) as response:
                status = response.status_code
                if status == 302:
                    self.submitted.add(article)  # final: never toggle here again
                location = response.headers.get("location", "") if response.headers else ""
                if status != 302 or not location.endswith(f"/articles/{article}/review/"):
                    response.failure(f"submit refused ({answer(response)}, location {location!r})")
                    return
                response.success()
        except BaseException as error:
            entry["error"] = repr(error)
            raise
        finally:
            record({**entry, "status": status, "ack": status == 302})
        # Where the browser lands: the workspace, now read-only, with every acknowledged flag kept.
        with self.client.get(
            f"/articles/{article}/review/", name="/articles/[id]/review/ (submitted)", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"no workspace ({answer(response)})")
                return
            _, editable, _, _, own = parse_workspace(response.text)
            expected = {passage: marks for (pk, passage), marks in self.flags.items() if pk == article and marks}
            if editable or own != expected:
                response.failure(f"submitted review: editable={editable}, flags {own}, acknowledged {expected}")


class Editor(Visitor):
    """One editor reading scores; each task is one page (or one export or import, followed to its end)."""

    fixed_count = EDITORS  # exactly this many editors; the other users are reviewers

    def on_start(self):
        number = next(_editor_numbers)
        if number > EDITORS or number > len(EDITOR_TOKENS):
            raise RuntimeError(f"only {EDITORS} editor accounts (with tokens) exist; start at most that many")
        self.username = f"{EDITOR_PREFIX}{number:02d}"
        self.token = EDITOR_TOKENS[number - 1]
        self.rng = random.Random(f"{SEED}:{self.username}")
        self.articles, self.outlets = [], []  # ids seen in the pages' links
        self.imports = itertools.count(1)
        self.steps = 0
        self.log_in()

    def table(self):
        query = {**self.rng.choice(TABLE_FILTERS), "sort": self.rng.choice(TABLE_SORTS)}
        if self.rng.random() < 0.2:
            query["page"] = 2
        with self.client.get(f"/?{urlencode(query)}", name="/ (articles table)", catch_response=True) as response:
            if response.status_code != 200 or "<table" not in (response.text or ""):
                response.failure(f"no articles table ({answer(response)})")
                return
            found = [int(pk) for pk in SUMMARY_LINK.findall(response.text)]
        self.articles = found or self.articles

    def summary(self):
        if not self.articles:
            return self.table()
        article = self.rng.choice(self.articles)
        with self.client.get(f"/articles/{article}/summary/", name="/articles/[id]/summary/",
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"no summary ({answer(response)})")

    def outlets_ranking(self):
        with self.client.get("/outlets/", name="/outlets/", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"no ranking ({answer(response)})")
                return
            self.outlets = [int(pk) for pk in OUTLET_LINK.findall(response.text or "")] or self.outlets

    def authors_ranking(self):
        with self.client.get("/authors/", name="/authors/", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"no ranking ({answer(response)})")

    def outlet(self):
        if not self.outlets:
            return self.outlets_ranking()
        outlet = self.rng.choice(self.outlets)
        with self.client.get(f"/outlets/{outlet}/", name="/outlets/[id]/", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"no outlet page ({answer(response)})")

    def api_list(self):
        query = {"status": "reviewed", "sort": self.rng.choice(("-sourced_fact_share", "-id", "title")),
                 "limit": 50}
        data = self.api_get(f"/api/v1/articles?{urlencode(query)}", "/api/v1/articles")
        if data and data.get("next_cursor") and self.rng.random() < 0.5:
            query["cursor"] = data["next_cursor"]
            self.api_get(f"/api/v1/articles?{urlencode(query)}", "/api/v1/articles (next page)")

    def api_get(self, url, name, token=None):
        """The JSON of a GET with a token (the editor's own unless given), or None after recording a failure."""
        headers = {"Authorization": f"Bearer {token or self.token}"}
        with self.client.get(url, headers=headers, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"API refused ({answer(response)}): {(response.text or '')[:200]}")
                return None
            try:
                return response.json()
            except ValueError:
                response.failure("API answered 200 without JSON")
                return None

    def export(self):
        query = {"_export": "csv", "sort": self.rng.choice(TABLE_SORTS)}
        with self.client.get(f"/?{urlencode(query)}", name="/?_export=csv", allow_redirects=False,
                             catch_response=True) as response:
            if WORKER:  # over DOSSIER_EXPORT_TASK_ROWS: the page starts a job and shows its progress
                job = JOB_IN_LOCATION.search(response.headers.get("location", "") if response.headers else "")
                if response.status_code != 302 or not job:
                    response.failure(f"export did not start a job ({answer(response)})")
                    return
                response.success()
            else:
                if response.status_code != 200 or "Title" not in (response.text or "")[:300]:
                    response.failure(f"no CSV ({answer(response)})")
                return
        started = time.monotonic()
        if self.follow_task(int(job.group(1)), self.token, "export", started):
            with self.client.get(f"/exports/{job.group(1)}/file/", name="/exports/[id]/file/",
                                 catch_response=True) as response:
                if response.status_code != 200 or "Title" not in (response.text or "")[:300]:
                    response.failure(f"no export file ({answer(response)})")

    def import_records(self):
        number = next(self.imports)
        records = []
        for index in range(IMPORT_RECORDS):
            words = self.rng.sample(TITLE_WORDS, 4)
            records.append({
                "title": f"Editor import {self.username}-{number}-{index}: {' '.join(words)}",
                "body": "\n".join(f"The {a} said the {b} would {c} by {self.rng.randint(2, 90)} percent."
                                  for a, b, c in (self.rng.sample(TITLE_WORDS, 3) for _ in range(4))),
                "outlet": "Load Test Wire 1",
                "authors": [f"Load Writer {index + 1}"],
                "language": "en",
            })
        entry = {"type": "import", "user": self.username, "titles": [record["title"] for record in records],
                 "t": round(time.time(), 3)}
        status, task_id = None, None
        try:
            with self.client.post("/api/v1/articles", data=json.dumps(records), name="/api/v1/articles (import)",
                                  headers={"Authorization": f"Bearer {IMPORT_TOKEN}",
                                           "Content-Type": "application/json"},
                                  catch_response=True) as response:
                status = response.status_code
                if status != 202:
                    response.failure(f"import not accepted ({answer(response)}): {(response.text or '')[:200]}")
                    return
                try:
                    task_id = response.json()["task"]["id"]
                except (ValueError, KeyError, TypeError):
                    response.failure("import answered 202 without its task")
                    status = "bad-json"
                    return
        finally:
            record({**entry, "status": status, "ack": status == 202, "task": task_id})
        self.follow_task(task_id, IMPORT_TOKEN, "import", time.monotonic())

    def follow_task(self, task_id, token, kind, started):
        """Poll the API's task until it ends; its time to "done" is reported as the row "TASK <kind>"."""
        while time.monotonic() - started < TASK_TIMEOUT:
            data = self.api_get(f"/api/v1/tasks/{task_id}", "/api/v1/tasks/[id] (poll)", token)
            if data is None:
                return False
            if data["status"] in ("done", "failed"):
                failed = None if data["status"] == "done" else RuntimeError(f"task failed: {data['summary'][:200]}")
                self.task_row(kind, started, failed)
                return failed is None
            gevent.sleep(TASK_POLL)
        self.task_row(kind, started, RuntimeError(f"not done within {TASK_TIMEOUT} s"))
        return False

    def task_row(self, kind, started, exception):
        self.environment.events.request.fire(
            request_type="TASK", name=f"{kind} (request to done)", response_time=(time.monotonic() - started) * 1000,
            response_length=0, exception=exception, context={},
        )

    @task
    def step(self):
        # One step picked by the editor's own seeded generator (locust's task weights draw from the shared,
        # unseeded one), so a run repeats with the same --seed as the reviewers' choices do.
        # Exports and imports come at a fixed pace, so that even a short or slow run has some.
        if _stopping:
            return
        self.steps += 1
        if self.steps % EXPORT_EVERY == 0:
            return self.export()
        if WORKER and IMPORT_TOKEN and self.steps % EXPORT_EVERY == EXPORT_EVERY // 2:
            return self.import_records()
        choices = [(self.table, 5), (self.summary, 4), (self.outlets_ranking, 1), (self.authors_ranking, 1),
                   (self.outlet, 1), (self.api_list, 3)]
        steps, weights = zip(*choices)
        self.rng.choices(steps, weights)[0]()


TITLE_WORDS = (
    "council minister report budget harbour election court river study survey border grain market "
    "hospital school pipeline treaty witness ministry committee province energy drought railway agency"
).split()
