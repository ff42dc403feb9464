"""The articles table's columns, once: header, value, page formatter, export value, sort keys.

The page (tables.CredibilityTable and its rows), the downloads (exports.rows) and the command
(export_summaries) all read CREDIBILITY, so that adding a column is one entry here.
"""
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from . import formatting
from .models import ArticleSummary

AUTHORS = "authors"  # not a values() path: the names are read for a chunk of articles at once


@dataclass(frozen=True)
class Column:
    name: str  # the ?sort= key and the table's column name
    header: str
    path: str  # what the row's value is read from: a values() path on ScoredArticle, or AUTHORS
    show: Callable = str  # the page's text for a value; None always shows as "—"
    export: Callable | None = None  # the exported value of a value that is not None; None: as read
    order_by: tuple = ()  # sort keys, ending on the id so equal values keep one order; () unsortable
    score: bool = False  # a stored score: sorted by ScoredArticleQuerySet.by_score (undefined last)
    css: str = ""  # the page's cell class
    on_page: bool = True  # False: in exports only
    links_to_summary: bool = False  # the page's cell links to the article's summary
    exports_summary_url: bool = False  # the value is an article id; exports give its summary page's address

    @property
    def export_header(self):
        return f"{self.header} (%)" if self.export is _percent else self.header

    def read(self, record):
        """The value on a ScoredArticle instance (AUTHORS: their names as the page lists them)."""
        if self.path == AUTHORS:
            return ", ".join(author.name for author in record.authors.all()) or None
        value = record
        for name in self.path.split("__"):
            value = getattr(value, name)
            if value is None:
                return None
        return value

    def cell(self, record):
        value = self.read(record)
        return formatting.UNDEFINED if value is None else self.show(value)


def _percent(share):
    return round(share * 100, 1)


def _status(status):
    return ArticleSummary.Status(status).label


def summary_path_around_id():
    """The summary URL's path before and after an article's id ("/articles", "summary/"): reversed once
    for a page or an export of rows, since reverse() per row would cost more than the row.
    """
    before, _, after = reverse("annotations:summary", args=[0]).rpartition("/0/")
    return before, after


def _score(name, header, show=formatting.percent, export=_percent):
    return Column(name, header, name, show=show, export=export, score=True, css="number")


CREDIBILITY = (
    Column("id", "ID", "id", order_by=("id",), on_page=False),
    Column("title", "Title", "title", order_by=("title", "id"), css="title", links_to_summary=True),
    Column("outlet", "Outlet", "outlet__name", order_by=("outlet__name", "id")),
    Column("authors", "Authors", AUTHORS),
    Column("published", "Published", "published", show=datetime.date.isoformat,
           export=datetime.date.isoformat, order_by=("published", "id")),
    Column("word_count", "Words", "word_count", order_by=("word_count", "id"), css="number"),
    Column("reviewers", "Reviewers", "reviewers", order_by=("reviewers", "id"), css="number"),
    _score("sourced_fact_share", "Sourced-fact share"),
    # The reviewers' consensus above, the same headline after editors' rulings on disputed passages here.
    _score("ruled_sourced_fact_share", "Sourced-fact share after rulings"),
    _score("unsourced_share", "Unsourced"),
    _score("opinion_share", "Opinion"),
    _score("fact_coverage", "Fact coverage"),
    _score("agreement", "Agreement (α)", show=formatting.alpha, export=lambda alpha: round(alpha, 3)),
    _score("alpha_reliable", "α reliable", show=formatting.reliable, export=formatting.reliable),
    Column("status", "Status", "status", show=_status, export=_status,
           order_by=("reviewers", "reviews_in_progress", "id")),
    Column("summary_url", "Summary URL", "id", exports_summary_url=True, order_by=("id",), on_page=False),
    Column("url", "Source URL", "url", export=lambda url: url or None, order_by=("url", "id"),
           on_page=False),
    # Which rules and which flag categories computed the row's scores (None: nobody started a review).
    Column("method_version", "Method version", "method_version", on_page=False),
    Column("codebook_version", "Codebook version", "codebook_version", on_page=False),
)
SORTABLE = {column.name: column for column in CREDIBILITY if column.order_by or column.score}


def sort(articles, names):
    """ScoredArticles in the order of ?sort= names ("-" first for descending), as the page sorts them.

    Names of no column are dropped ("?sort=reviewer__password"); with none left the order is unchanged.
    As on the page, a score's sort (which walks its index) takes over from any other key.
    """
    keys, score = [], None
    for name in names:
        column = SORTABLE.get(name.removeprefix("-"))
        if column is None:
            continue
        descending = name.startswith("-")
        if column.score:
            score = column, descending
        keys += [f"-{key}" if descending else key for key in column.order_by]
    if score is not None:
        return articles.by_score(score[0].path, score[1])
    return articles.order_by(*keys) if keys else articles
