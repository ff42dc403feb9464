"""The benchmark command runs end to end on a tiny corpus, reports every measurement and undoes its changes.

It says nothing about speed: the figures are docs/performance.md's, measured on real corpus sizes.
"""
import json
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from factories import make_article

from dossier.models import Article, Outlet

from annotations.models import Export, Review

from perf import benchmark

pytestmark = pytest.mark.django_db

NAMES = ["first page", "a page after row", "Reviewer queue: first page", "Reviewer queue: a page after row",
         "Article summary", "workspace", "Outlet page", "Flag toggle", "Summary refresh",
         "CSV export", "plain-text articles", "JSONL", "by address", "Re-anchoring",
         "Opening a campaign", "Campaign page", "Campaign figures refresh", "Campaign adjudication queue"]


@pytest.fixture
def small_sizes(monkeypatch):
    # The command imports 1,000 articles and 20,000 records; a test needs only a few of each.
    monkeypatch.setattr(benchmark, "IMPORT_ARTICLES", 4)
    monkeypatch.setattr(benchmark, "JSONL_RECORDS", 6)
    monkeypatch.setattr(benchmark, "WEB_PAGES", 3)


def test_it_generates_measures_writes_json_and_leaves_the_data_as_it_was(tmp_path, small_sizes):
    out, err = StringIO(), StringIO()
    call_command("benchmark", "--articles", "20", "--requests", "3", "--runs", "2", "--json", tmp_path / "b.json",
                 stdout=out, stderr=err)
    report = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))

    assert report["corpus"]["articles"] == 20 and report["database"]["vendor"]
    assert report["database"]["bytes_per_article"] == round(report["database"]["size_bytes"] / 20) > 0
    results = report["results"]
    assert [any(name in row["name"] for row in results) for name in NAMES] == [True] * len(NAMES)
    for row in results:
        assert row["p50_ms"] > 0 and row["p95_ms"] >= row["p50_ms"] and row["max_ms"] >= row["p95_ms"]
        assert row["requests"] == (2 if row["queries"] is None else 3)
    pages = [row for row in results if row["queries"] is not None]
    # Session, user, roles and the page's own; an API request has no session: its token, roles and the page.
    assert all(row["queries"] >= (3 if row["name"].startswith("API") else 5) for row in pages)
    assert {"API article list", "API annotation write"} <= {row["name"].split(" (")[0].split(",")[0] for row in pages}
    assert "| Articles table, reviewed" in out.getvalue() and "Figures written to" in out.getvalue()
    assert "rough" in err.getvalue()  # fewer than 50 requests

    # Undone: the toggles, the imports (with their audit history) and the export log.
    assert Article.objects.count() == 20 and Article.history.count() == 0
    assert not Review.objects.filter(reviewer__username=benchmark.REVIEWER).exists()
    assert not Export.objects.exists()
    assert not Outlet.objects.filter(name=benchmark.WIRE).exists() and not Outlet.history.filter(name=benchmark.WIRE)
    assert not Review.history.filter(reviewer__username=benchmark.REVIEWER).exists()
    assert not Session.objects.exists()


def test_an_existing_corpus_of_another_size_is_refused(small_sizes):
    call_command("generate_corpus", "--articles", "3", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="holds 3 articles, not 5"):
        call_command("benchmark", "--articles", "5", stdout=StringIO(), stderr=StringIO())


def test_a_database_with_articles_it_did_not_generate_is_refused_and_left_alone(small_sizes):
    call_command("generate_corpus", "--articles", "3", stdout=StringIO(), stderr=StringIO())
    make_article(title="Someone's real work")
    with pytest.raises(CommandError, match="holds 1 articles that generate_corpus did not make"):
        call_command("benchmark", stdout=StringIO(), stderr=StringIO())
    assert Article.objects.filter(title="Someone's real work").exists() and not Review.objects.filter(
        reviewer__username=benchmark.REVIEWER).exists()


def test_a_database_without_reviews_is_refused_with_advice():
    with pytest.raises(CommandError, match="generate a corpus first"):
        call_command("benchmark", stdout=StringIO(), stderr=StringIO())


def test_percentiles_are_nearest_rank():
    result = benchmark.Result("x", "/", [i / 1000 for i in range(1, 101)])
    assert result.p50 == pytest.approx(50.5) and result.p95 == pytest.approx(95)
    assert benchmark.Result("x", "/", [0.001, 0.002, 0.010]).p95 == pytest.approx(10)
    assert benchmark.Bar(25, 50).met(result) is False and benchmark.Bar(None, 96).met(result) is True


def test_only_measures_the_parts_named(tmp_path):
    call_command("generate_corpus", "--articles", "5", stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command("benchmark", "--requests", "2", "--only", "toggles", "refreshes", stdout=out, stderr=StringIO())
    rows = [line for line in out.getvalue().splitlines() if line.startswith("| ") and "measured" not in line]
    assert [row.split(" (")[0] for row in rows] == ["| Flag toggle", "| Summary refresh"]
    assert not Review.objects.filter(reviewer__username=benchmark.REVIEWER).exists()
