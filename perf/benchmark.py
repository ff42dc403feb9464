"""Server-side latency of the pages and jobs that docs/performance.md holds to the brief's bars.

Pages are requested in-process through Django's test client (the whole middleware stack, no
network), with query logging off; each page's SQL queries are counted on one extra request.
It runs only on a database holding nothing but generated corpora, and undoes what it changes:
the reviews its reviewer started (with their audit history), the articles it imported (with
theirs, and the outlet and author they created), its export log entries and its sessions. Its
two accounts stay, without a usable password.
"""
import json
import multiprocessing
import os
import platform
import random
import resource
import statistics
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import django
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Count, F
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from dossier import pagination as keyset
from dossier.ingest import Metadata, import_file, import_paths, import_urls
from dossier.ingest.anchoring import Anchor, reanchor
from dossier.ingest.fetching import Fetcher
from dossier.ingest.segmenting import segment
from dossier.models import Article, Author, Outlet, Passage
from dossier.roles import Role
from dossier.tables import KeysetPaginator

from annotations import columns, summaries
from annotations.models import Annotation, ArticleSummary, Export, Flag, Review, ScoredArticle
from annotations.tables import CredibilityTable, QueueTable

from campaigns import figures
from campaigns.models import Campaign

from api import pagination
from api.models import Token

from . import corpus

EDITOR, REVIEWER = "benchmark-editor", "benchmark-reviewer"
WIRE, WRITER = "Benchmark Wire", "Benchmark Writer"  # the JSONL records' outlet and author
PER_PAGE = 50
IMPORT_ARTICLES = 1000
JSONL_RECORDS = 20000
CAMPAIGN_ARTICLES = 10_000
CAMPAIGN_REVIEWER = "benchmark-campaign-reviewer"
WEB_PAGES = 1000  # saved-page HTML (~800 words) served from a local server
REANCHOR_REVIEWS = 4
REANCHOR_ADDRESS = "https://benchmark.invalid/reanchor/"


@dataclass(frozen=True)
class Bar:
    """A bar from the brief, in milliseconds."""

    p50: float | None = None
    p95: float | None = None

    def met(self, result):
        return (self.p50 is None or result.p50 <= self.p50) and (self.p95 is None or result.p95 <= self.p95)

    def __str__(self):
        parts = [f"p50 ≤ {self.p50:g}" if self.p50 else "", f"p95 ≤ {self.p95:g}" if self.p95 else ""]
        return ", ".join(part for part in parts if part)


@dataclass
class Result:
    name: str
    target: str
    samples: list = field(repr=False)  # seconds
    queries: int | None = None
    bar: Bar | None = None
    detail: str = ""

    @property
    def p50(self):
        return statistics.median(self.samples) * 1000

    @property
    def p95(self):
        ordered = sorted(self.samples)
        # Nearest rank: the value 95% of the samples do not exceed (the largest of fewer than 20).
        return ordered[max(0, -(-95 * len(ordered) // 100) - 1)] * 1000

    @property
    def met(self):
        return None if self.bar is None else self.bar.met(self)

    def as_dict(self):
        return {
            "name": self.name, "target": self.target, "requests": len(self.samples),
            "p50_ms": round(self.p50, 2), "p95_ms": round(self.p95, 2), "max_ms": round(max(self.samples) * 1000, 2),
            "queries": self.queries, "bar": str(self.bar) if self.bar else None, "met": self.met,
            "detail": self.detail,
        }


class Benchmark:
    def __init__(self, requests=50, runs=5, progress=print):
        self.requests, self.runs, self.say = requests, runs, progress
        self.results = []

    # What run() measures, in order; `only` picks some of them.
    PARTS = ("pages", "toggles", "api", "refreshes", "export", "imports", "web_imports", "reanchoring", "campaigns")

    def run(self, only=None):
        imported = _not_generated()
        if imported.exists():
            raise ValueError(f"This database holds {imported.count()} articles that generate_corpus did not make: "
                             "the benchmark changes data as it measures, so run it on a database of its own "
                             "(DATABASE_URL) holding only a generated corpus.")
        self.editor = self._client(EDITOR, Role.EDITOR)
        self.reviewer_client = self._client(REVIEWER, Role.REVIEWER)
        reviewed = list(ArticleSummary.objects.reviewed().order_by("article_id").values_list("article_id", flat=True))
        if not reviewed:
            raise ValueError("No reviewed articles: generate a corpus first (manage.py generate_corpus).")
        step = max(1, len(reviewed) // self.requests)
        self.sample = [reviewed[(i * step) % len(reviewed)] for i in range(self.requests)]
        with override_settings(DEBUG=False):
            try:
                for part in self.PARTS:
                    if only is None or part in only:
                        getattr(self, part)()
            finally:
                self.clean_up()
        return self.results

    def pages(self):
        table = {"status": "reviewed", "sort": "-sourced_fact_share"}
        self.page("Articles table, reviewed, by sourced-fact share: first page",
                  lambda i: ("/", table), Bar(25, 50))
        # A cursor as the page's Next link carries one, after the row at 90% of the rows (or row 90,000).
        articles = ScoredArticle.objects.for_table().with_status(ArticleSummary.Status.REVIEWED)
        depth, cursor = _page_cursor(CredibilityTable, columns.sort(articles, [table["sort"]]), 0.9)
        self.page(f"Articles table, same filter and sort: a page after row {depth:,}",
                  lambda i: ("/", {**table, "cursor": cursor}), Bar(25, 50))
        queue = reverse("annotations:queue")
        reviewer = get_user_model().objects.get(username=REVIEWER)
        self.page("Reviewer queue: first page", lambda i: (queue, {}), Bar(25), client=self.reviewer_client)
        depth, cursor = _page_cursor(QueueTable, Article.objects.for_list().with_review_status(reviewer), 0.9)
        self.page(f"Reviewer queue: a page after row {depth:,}", lambda i: (queue, {"cursor": cursor}), Bar(25),
                  client=self.reviewer_client)
        # Through the search index: a word in no title costs what a common one does. "mugla" is Muğla, a
        # place in the corpus's Turkish titles, typed as a reader without a Turkish keyboard would.
        self.page("Articles table, title search with no match", lambda i: ("/", {"q": "qzxjv"}), Bar(25))
        self.page("Articles table, title search with a match", lambda i: ("/", {"q": "mugla"}), Bar(25))
        self.page(f"Article summary ({len(set(self.sample))} reviewed articles in turn)",
                  lambda i: (reverse("annotations:summary", args=[self.sample[i]]), {}))
        self.page(f"Reviewer workspace ({len(set(self.sample))} articles in turn)",
                  lambda i: (reverse("annotations:workspace", args=[self.sample[i]]), {}), Bar(None, 50),
                  client=self.reviewer_client)
        self.page("Outlets ranking", lambda i: (reverse("annotations:outlets"), {}), Bar(25))
        self.page("Authors ranking", lambda i: (reverse("annotations:authors"), {}), Bar(25))
        outlet = Outlet.objects.annotate(n=Count("articles")).order_by("-n", "pk").first()
        self.page(f"Outlet page (the largest outlet: {outlet.n} articles)",
                  lambda i: (reverse("annotations:outlet", args=[outlet.pk]), {}), Bar(30))
        author = Author.objects.annotate(n=Count("articles")).order_by("-n", "pk").first()
        self.page(f"Author page (the largest author: {author.n} articles)",
                  lambda i: (reverse("annotations:author", args=[author.pk]), {}), Bar(30))

    def page(self, name, request, bar=None, client=None):
        client = client or self.editor
        path, query = request(0)
        self._get(client, path, query)  # warm: templates compiled, connection open
        with CaptureQueriesContext(connection) as queries:
            self._get(client, path, query)
        count = len(queries)  # now: the next request empties the log
        samples = self._timed(lambda path, query: self._get(client, path, query), request)
        self._record(Result(name, _url(*request(0)), samples, count, bar))

    def toggles(self):
        flag = Flag.objects.active().order_by("order", "pk").first()
        passages = dict(
            Passage.objects.filter(article_id__in=self.sample, paragraph=0, sentence=0).values_list("article_id", "pk")
        )

        def toggle(i):
            article = self.sample[i // 2]  # on, then off again
            path = reverse("annotations:annotate", args=[article])
            return path, {"passage": passages[article], "flag": flag.pk, "on": "1" if i % 2 == 0 else "0"}

        client = self.reviewer_client
        path, data = toggle(0)
        self._post(client, path, data)
        with CaptureQueriesContext(connection) as queries:
            self._post(client, path, {**data, "on": "0"})
        count = len(queries)
        samples = self._timed(lambda path, data: self._post(client, path, data), toggle)
        self._record(Result("Flag toggle (on, then off; the first on an article starts the review)",
                            f"POST {path}", samples, count, Bar(None, 20)))

    def api(self):
        """The API's article list (first page, and a cursor page deep in the corpus) and its annotation write."""
        with override_settings(DOSSIER_API_RATE_LIMIT=0):
            editor = self._token_client(EDITOR, ["read"])
            query = {"status": "reviewed", "sort": "-sourced_fact_share", "limit": PER_PAGE}
            self.page("API article list (reviewed, by sourced-fact share, 50 rows)",
                      lambda i: ("/api/v1/articles", query), Bar(15), client=editor)
            # A cursor as the API gives one, after the row at 90% of the corpus in the default sort (newest first).
            ids = Article.objects.order_by("-id").values_list("id", flat=True)
            depth = int(Article.objects.count() * 0.9)
            deep = {"limit": PER_PAGE, "cursor": pagination.encode("-id", [ids[depth]])}
            self.page(f"API article list, a cursor page after row {depth:,}", lambda i: ("/api/v1/articles", deep),
                      Bar(15), client=editor)
            self._api_writes()

    def _api_writes(self):
        flag = Flag.objects.active().order_by("order", "pk").first()
        passages = dict(
            Passage.objects.filter(article_id__in=self.sample, paragraph=0, sentence=0).values_list("article_id", "pk")
        )
        client = self._token_client(REVIEWER, ["read", "annotate"])

        def write(i):
            article = self.sample[i // 2]  # on, then off again
            body = {"passage": passages[article], "flag": flag.pk, "on": i % 2 == 0}
            return f"/api/v1/articles/{article}/review/flags", body

        def put(path, body):
            _check(client.put(path, json.dumps(body), content_type="application/json"), f"PUT {path}")

        path, body = write(0)
        put(path, body)
        with CaptureQueriesContext(connection) as queries:
            put(path, {**body, "on": False})
        count = len(queries)
        samples = self._timed(put, write)
        self._record(Result("API annotation write (a flag on, then off)", f"PUT {path}", samples, count, Bar(10)))

    def _token_client(self, username, scopes):
        """A client sending a new token of the benchmark's user (deleted by clean_up())."""
        user = get_user_model().objects.get(username=username)
        _token, secret = Token.objects.issue(user, "benchmark", scopes)
        return Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {secret}")

    def refreshes(self):
        """A submit's summary refresh, bootstrap included, on the articles with the most submitted reviews."""
        most = list(
            ArticleSummary.objects.reviewed().order_by("-reviewers", "article_id")
            .values_list("article_id", "reviewers")[: self.requests]
        )
        ids = [article_id for article_id, _ in most]
        passages = Passage.objects.filter(article_id__in=ids).count() / len(ids)
        reviewers = statistics.mean(count for _, count in most)

        def refresh(article_id):
            with transaction.atomic():  # as inside a submit's transaction; it rewrites the same values
                summaries.refresh([article_id])

        refresh(ids[0])  # warm
        with CaptureQueriesContext(connection) as queries:
            refresh(ids[0])
        count = len(queries)
        samples, cpu = [], []
        for i in range(self.requests):
            began, began_cpu = time.perf_counter(), time.process_time()
            refresh(ids[i % len(ids)])
            samples.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
        # CPU time as well: on a shared machine it shows the refresh's own cost where wall time shows the queue.
        cpu_ms = Result("", "", cpu)
        self._record(Result(f"Summary refresh ({passages:.0f} passages, {reviewers:.1f} submitted reviews on average; "
                            "bootstrap included)", "summaries.refresh", samples, count, Bar(None, 20),
                            detail=f"CPU time p50 {cpu_ms.p50:.1f} ms, p95 {cpu_ms.p95:.1f} ms"))

    def campaigns(self):
        """Opening a campaign of up to CAMPAIGN_ARTICLES articles x 3 reviewers (a pool of 6): the assignment
        alone, each run planned afresh and rolled back, so nothing stays; then the refresh of its stored figures
        (the task's work). The last run's campaign page and adjudication queue are timed too, before its
        rollback: they read stored figures in a fixed number of queries, so they are held to a flat page's bar.
        """
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True)[:CAMPAIGN_ARTICLES])
        pool = [self._user(f"{CAMPAIGN_REVIEWER}-{n}", Role.REVIEWER) for n in range(6)]
        samples, refreshes, assigned = [], [], 0
        for run in range(self.runs):
            with transaction.atomic():
                campaign = Campaign.objects.plan(f"benchmark campaign {run}", ids, pool, per_article=3, seed=run)
                began = time.perf_counter()
                campaign.open()
                samples.append(time.perf_counter() - began)
                assigned = campaign.assignments.count()
                # The queued task's work (what each request of the two pages once did): it does not run
                # inside this transaction, so it is done and timed here.
                began = time.perf_counter()
                stored = figures.refresh(campaign.pk)
                refreshes.append(time.perf_counter() - began)
                if run == self.runs - 1:
                    self._campaign_pages(campaign, len(ids), assigned, stored.disputed)
                transaction.set_rollback(True)
        self._record(Result(f"Opening a campaign: {len(ids)} articles x 3 reviewers from a pool of 6",
                            "Campaign.open()", samples, None, Bar(None, 5000), f"{assigned} assignments"))
        self._record(Result(f"Campaign figures refresh, the task: {len(ids)} articles", "figures.refresh()",
                            refreshes, None, None, f"{stored.articles} reviewed articles counted, "
                            f"{stored.disputed} disputed passages stored"))

    def _campaign_pages(self, campaign, articles, assigned, disputed):
        """The two pages that read the campaign's stored figures (figures.py)."""
        self.page(f"Campaign page ({articles} articles, {assigned} assignments)",
                  lambda i: (campaign.get_absolute_url(), {}), Bar(25))
        self.page(f"Campaign adjudication queue ({disputed} disputed passages)",
                  lambda i: (reverse("campaigns:adjudication", args=[campaign.pk]), {}), Bar(25))

    def _timed(self, send, request):
        """Seconds each of the requests took: send(*request(i)), the request built before the clock starts."""
        samples = []
        for i in range(self.requests):
            arguments = request(i)
            began = time.perf_counter()
            send(*arguments)
            samples.append(time.perf_counter() - began)
        return samples

    # The streamed export, whatever the size: above DOSSIER_EXPORT_TASK_ROWS the page hands it to the worker.
    @override_settings(DOSSIER_EXPORT_TASK_ROWS=10**12)
    def export(self):
        rows = Article.objects.count()
        began = time.perf_counter()
        self._download()  # as the pages are warmed up; its time is reported apart
        first = time.perf_counter() - began
        samples = []
        for _ in range(self.runs):
            began = time.perf_counter()
            size = self._download()
            samples.append(time.perf_counter() - began)
        tracemalloc.start()
        self._download()
        _, heap = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the whole run's, not the export's alone
        self._record(Result(f"CSV export of all {rows} summaries (streamed, to the last byte)", "/?_export=csv",
                            samples, None, Bar(None, 5000),
                            f"{size / 1e6:.1f} MB; first run {first:.1f} s; Python heap peak {heap / 2**20:.1f} MiB; "
                            f"whole run's peak RSS {rss:.0f} MiB"))

    def _download(self):
        response = self.editor.get("/", {"_export": "csv"}, HTTP_HOST="localhost")
        _check(response, "/?_export=csv")
        return sum(len(chunk) for chunk in response.streaming_content)

    def imports(self):
        with tempfile.TemporaryDirectory(prefix="dossier-benchmark-") as folder:
            samples = []
            for run in range(self.runs):
                files = Path(folder) / f"plain-{run}"
                files.mkdir()
                _write_plain_text(files, IMPORT_ARTICLES, f"benchmark-plain-{run}")
                samples.append(self._import(files, IMPORT_ARTICLES))
            rate = IMPORT_ARTICLES / statistics.median(samples)
            self._record(Result(f"Import of {IMPORT_ARTICLES} plain-text articles (~800 words; cleaned, segmented)",
                                "import_paths(folder)", samples, None, Bar(IMPORT_ARTICLES / 200 * 1000),
                                f"{rate:.0f} articles/s at the median"))
            samples = []
            for run in range(self.runs):
                path = Path(folder) / f"records-{run}.jsonl"
                _write_jsonl(path, JSONL_RECORDS, f"benchmark-jsonl-{run}")
                samples.append(self._import(path, JSONL_RECORDS))
            self._record(Result(f"Import of one JSONL file of {JSONL_RECORDS} short records", "import_paths(file)",
                                samples, None, Bar(3000),
                                f"{JSONL_RECORDS / statistics.median(samples):.0f} records/s"))

    def web_imports(self):
        """Pages fetched from a local server: the import's own time, the fetch wait (network, pace) left out."""
        pages = {}
        for index in range(WEB_PAGES):
            rng = random.Random(f"benchmark-web:{index}")
            language = corpus.pick_language(rng)
            written = corpus.text(rng, language, index + 1)
            title = escape(written.title)
            paragraphs = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in written.body.split("\n\n"))
            pages[f"/{index:04d}"] = (
                f'<!doctype html><html lang="{language.code}"><head><meta charset="utf-8"><title>{title}'
                f"</title></head><body><nav>Home</nav><article><h1>{title}</h1>{paragraphs}</article>"
                "<footer>Benchmark</footer></body></html>"
            ).encode()
        samples, waits = [], []
        with _PageServer(pages) as server, override_settings(DOSSIER_FETCH_ALLOW_LOOPBACK=True):
            for _ in range(max(1, min(self.runs, 3))):
                fetcher = Fetcher()
                began = time.perf_counter()
                try:
                    report = import_urls([server.url(path) for path in pages], Metadata(), fetcher=fetcher)
                    elapsed = time.perf_counter() - began
                finally:
                    fetcher.close()
                    _delete_articles(_not_generated())
                if report.imported != WEB_PAGES:
                    raise RuntimeError(f"The benchmark's import of web pages went wrong: {report.summary()}.")
                samples.append(elapsed - fetcher.waited)
                waits.append(fetcher.waited)
        rate = WEB_PAGES / statistics.median(samples)
        self._record(Result(f"Import of {WEB_PAGES} saved pages by address from a local server (fetch wait excluded)",
                            "import_urls(addresses)", samples, None, Bar(WEB_PAGES / 200 * 1000),
                            f"{rate:.0f} articles/s at the median; fetch wait {statistics.median(waits):.1f} s"))

    def reanchoring(self):
        """A 60-passage article with 4 submitted reviews, imported again with one paragraph reworded."""
        source = (Passage.objects.filter(article__source_name__startswith=corpus.GENERATED)
                  .values("article_id").annotate(n=Count("id")).filter(n__gte=55, n__lte=70)
                  .order_by("article_id").values_list("article_id", flat=True).first())
        reviewers = list(get_user_model().objects.filter(username__startswith=corpus.REVIEWER_PREFIX)
                         .order_by("username")[:REANCHOR_REVIEWS])
        if source is None or len(reviewers) < REANCHOR_REVIEWS:
            self.say("Re-anchoring: skipped (no generated article of about 60 passages, or fewer than 4 reviewers)")
            return
        generated = Article.objects.values_list("body", flat=True).get(pk=source)
        flags = list(Flag.objects.order_by("id")[:3])
        samples, pure = [], []
        # Run 0 warms up and is not counted: the first version import of a process compiles its queries
        # and reads the tables into the cache, which made a one-run benchmark (CI's) measure only that.
        for run in range(self.runs + 1):
            url = f"{REANCHOR_ADDRESS}{run}"
            # Not the generated text itself, which is an article already (a duplicate).
            body = f"Re-anchoring run {run}. {generated}"
            edited = _reword_one_paragraph(body)
            import_file(f"reanchor-{run}.json", json.dumps({"title": f"Re-anchoring {run}", "body": body,
                                                            "url": url}).encode())
            article = Article.objects.get(url=url)
            try:
                passages = list(article.passages.all())
                for number, reviewer in enumerate(reviewers):
                    review = Review.objects.create(article=article, reviewer=reviewer)
                    Annotation.objects.bulk_create(
                        Annotation(review=review, passage=passage, flag=flags[(i + number) % len(flags)])
                        for i, passage in enumerate(passages))
                    review.submit()
                anchors = [Anchor(p.start, p.end) for p in passages]
                began = time.perf_counter()
                reanchor(body, [(p.start, p.end) for p in passages], edited,
                         [(s.start, s.end) for s in segment(edited)], anchors)
                placed = time.perf_counter() - began
                began = time.perf_counter()
                result = import_file(f"reanchor-{run}-v2.json", json.dumps({"title": f"Re-anchoring {run}",
                                                                            "body": edited, "url": url}).encode())
                if run:
                    samples.append(time.perf_counter() - began)
                    pure.append(placed)
                if result.failed or not result.imported:
                    raise RuntimeError(f"The benchmark's re-anchoring import went wrong: {result.summary()}.")
            finally:
                reviews = list(Review.objects.filter(article=article).values_list("pk", flat=True))
                _delete_articles(Article.objects.filter(pk=article.pk))
                Review.history.filter(id__in=reviews).delete()
                Annotation.history.filter(review_id__in=reviews).delete()
        self._record(Result(
            f"Re-anchoring: a {len(passages)}-passage article with {REANCHOR_REVIEWS} reviews imported again after a "
            "one-paragraph edit", "import_file(new version)", samples, None, Bar(50),
            f"{len(anchors) * REANCHOR_REVIEWS} annotations carried across, after a run not counted; placing alone "
            f"{statistics.median(pure) * 1000:.1f} ms at the median"))

    def _import(self, path, expected):
        began = time.perf_counter()
        try:
            report = import_paths([path], Metadata())
            elapsed = time.perf_counter() - began
        finally:
            _delete_articles(_not_generated())  # the run refused to start while there were any
        if report.imported != expected:
            raise RuntimeError(f"The benchmark's import of {path} went wrong: {report.summary()}.")
        return elapsed

    def clean_up(self):
        """Undo what measuring changed (the imports undo themselves)."""
        reviews = list(Review.objects.filter(reviewer__username=REVIEWER).values_list("pk", flat=True))
        Review.objects.filter(pk__in=reviews).delete()
        Review.history.filter(id__in=reviews).delete()
        Annotation.history.filter(review_id__in=reviews).delete()
        Export.objects.filter(username=EDITOR).delete()
        Token.objects.filter(user__username__in=[EDITOR, REVIEWER]).delete()
        for name, model in ((WIRE, Outlet), (WRITER, Author)):
            model.objects.filter(name=name, articles__isnull=True).delete()
            model.history.filter(name=name).delete()
        for client in (self.editor, self.reviewer_client):
            client.logout()

    def _user(self, username, role):
        user, _ = get_user_model().objects.get_or_create(username=username)
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
        return user

    def _client(self, username, role):
        user = self._user(username, role)
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        return client

    def _get(self, client, path, query):
        response = client.get(path, query)
        _check(response, _url(path, query))
        return response

    def _post(self, client, path, data):
        response = client.post(path, data)
        _check(response, f"POST {path}")

    def _record(self, result):
        self.results.append(result)
        self.say(f"{result.name}: p50 {result.p50:.1f} ms, p95 {result.p95:.1f} ms"
                 + (f", {result.queries} queries" if result.queries is not None else ""))


def _url(path, query):
    return f"{path}?{urlencode(query)}" if query else path


def _check(response, target):
    if response.status_code != 200:
        raise RuntimeError(f"{target} answered {response.status_code}, not 200.")


def _not_generated():
    return Article.objects.exclude(source_name__startswith=corpus.GENERATED)


def _delete_articles(articles):
    ids = list(articles.values_list("pk", flat=True))
    Article.objects.filter(pk__in=ids).delete()
    Article.history.filter(id__in=ids).delete()


def _reword_one_paragraph(body):
    """The body with its middle paragraph's sentences reworded a little (a word changed in each)."""
    paragraphs = body.split("\n\n")
    middle = len(paragraphs) // 2
    paragraphs[middle] = paragraphs[middle].replace(" the ", " this ").replace(" a ", " one ") + " Updated."
    return "\n\n".join(paragraphs)


class _PageServer:
    """A local HTTP server for the web-import row: {path: HTML bytes} on 127.0.0.1, in a process of its own
    so that serving takes no time from the import being measured."""

    def __init__(self, pages):
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive: the fetcher reuses its connection
            # Headers and body go out as two writes: with Nagle's algorithm the second waits for the
            # client's delayed ACK, 40 ms a page of wait that only made the row slow to run.
            disable_nagle_algorithm = True

            def do_GET(self):
                body = pages.get(self.path)
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True

    def url(self, path):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def __enter__(self):
        self.process = multiprocessing.get_context("fork").Process(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.process.start()
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.join(timeout=10)
        self.httpd.server_close()


def _write_plain_text(folder, count, seed):
    """Plain-text files as scraped: the title on the first line, then the text (~800 words)."""
    for index in range(count):
        rng = random.Random(f"{seed}:{index}")
        written = corpus.text(rng, corpus.pick_language(rng), index + 1)
        (folder / f"{index:04d}.txt").write_text(f"{written.title}\n\n{written.body}\n", encoding="utf-8")


def _write_jsonl(path, count, seed):
    """Short structured records, like the peers' 20,000-document import: a title and a few sentences."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for index in range(count):
            language = corpus.pick_language(rng)
            words = {"org": rng.choice(language.orgs), "place": rng.choice(language.places),
                     "thing": rng.choice(language.things)}
            body = f"{index + 1} — " + " ".join(
                corpus.sentence(rng, language, rng.choice(corpus.CATEGORIES), words) for _ in range(3)
            )
            record = {"title": f"{seed} {index + 1}", "body": body, "language": language.code,
                      "outlet": WIRE, "authors": [WRITER]}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def environment(results):
    """What the figures were measured on, for the JSON file and docs/performance.md."""
    counts = {
        "articles": Article.objects.count(),
        "passages": Passage.objects.count(),
        "reviews": Review.objects.count(),
        "annotations": Annotation.objects.count(),
        "outlets": Outlet.objects.count(),
    }
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "cpu": _cpu_model(), "platform": platform.platform(),
                    "python": platform.python_version(), "django": django.get_version()},
        "database": {"vendor": connection.vendor, "version": _database_version(),
                     "size_bytes": (size := _database_size()),
                     "bytes_per_article": round(size / counts["articles"]) if counts["articles"] else None},
        "corpus": counts,
        "results": [result.as_dict() for result in results],
    }


def _cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _database_size():
    """Bytes the database takes: SQLite's pages in use (the file less its free pages), PostgreSQL's
    pg_database_size."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA freelist_count")
            pages -= cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            return pages * cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def _database_version():
    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        return cursor.fetchone()[0]


def _page_cursor(table_class, queryset, share, most=90_000):
    """(depth, cursor): the cursor a keyset table's Next link gives after the row at `share` of the
    queryset's rows (row `most` at most), in its default order."""
    if not queryset.query.order_by:
        queryset = queryset.order_by(*queryset.model._meta.ordering)
    keys = keyset.order_keys(queryset, table_class.unique_keys)
    depth = max(1, min(int(queryset.count() * share), most))
    row = keyset.ordered(queryset, keys, keyset.nullable_keys(queryset, keys)).annotate(
        **{f"_cursor{index}": F(path) for index, (path, _) in enumerate(keys)})[depth - 1]
    sort = [[path, descending] for path, descending in keys]
    return depth, keyset.encode(sort, keyset.key_values(row, keys), KeysetPaginator.SALT)
