import django_tables2 as tables
from django.db.models import F
from django.db.models.sql.constants import INNER
from django.urls import reverse
from django.utils.html import format_html

from dossier.models import Article
from dossier.tables import ArticleTable, BoundedPaginator, BoundedTable

from .filters import NOT_STARTED, filtered_articles
from .models import ArticleSummary, Review
from .templatetags.scores import alpha, percent, summary_status

NUMBER = {"td": {"class": "number"}, "th": {"class": "number"}}


class QueueTable(BoundedTable):
    title = tables.Column(
        linkify=lambda record: reverse("annotations:workspace", args=[record.pk]), order_by=("title", "id")
    )
    outlet = ArticleTable.base_columns["outlet"]
    language = ArticleTable.base_columns["language"]
    word_count = ArticleTable.base_columns["word_count"]
    review_status = tables.Column(verbose_name="My review", default=NOT_STARTED[1], order_by=("review_status", "id"))

    class Meta:
        model = Article
        fields = ["title", "outlet", "language", "word_count", "review_status"]
        empty_text = "No articles match. Clear the filters to see your whole queue."
        attrs = {"class": "table"}

    def render_review_status(self, value):
        return Review.Status(value).label


class ScoreColumn(tables.Column):
    """A score: right-aligned, "—" when undefined, sorted with undefined scores last in either direction."""

    def __init__(self, verbose_name, formatter=percent, **kwargs):
        self.formatter = formatter
        super().__init__(verbose_name=verbose_name, default="—", attrs=NUMBER, **kwargs)

    def render(self, value):
        return self.formatter(value)

    def order(self, queryset, is_descending):
        def directed(key, nulls_last=True):  # None: the database default
            key = F(key)
            return key.desc(nulls_last=nulls_last) if is_descending else key.asc(nulls_last=nulls_last)

        score = directed(self.accessor.replace(".", "__"))
        return queryset.order_by(score, *(directed(*tie) for tie in self.ties(queryset))), True

    def ties(self, queryset):
        """(key, True for nulls last or None) pairs that order rows with equal scores."""
        return [("id", None)]


class SummaryScoreColumn(ScoreColumn):
    """A stored summary's score: its sort walks the summary's (score, article) index and stops after a page."""

    def ties(self, queryset):
        # Once a filter makes the summary join inner, the summary's article is the article, and a
        # further key would make SQLite sort every matching row before it can skip to a page.
        join = queryset.query.alias_map.get(ArticleSummary._meta.db_table)
        if join is not None and join.join_type == INNER:
            return [("summary__article_id", None)]
        # Articles nobody reviewed have no summary: their ties fall to the article's own id.
        return [("summary__article_id", True), ("id", None)]


class CredibilityTable(BoundedTable):
    """Articles with their stored scores, for summaries.with_summary(Article.objects.for_list())."""

    paginator_class = BoundedPaginator

    title = tables.Column(
        linkify=lambda record: reverse("annotations:summary", args=[record.pk]),
        order_by=("title", "id"),
        attrs={"td": {"class": "title"}},
    )
    outlet = ArticleTable.base_columns["outlet"]
    authors = ArticleTable.base_columns["authors"]
    published = ArticleTable.base_columns["published"]
    word_count = ArticleTable.base_columns["word_count"]
    reviewers = tables.Column(order_by=("reviewers", "id"), attrs=NUMBER)
    sourced_fact_share = SummaryScoreColumn("Sourced-fact share")
    unsourced_share = SummaryScoreColumn("Unsourced")
    opinion_share = SummaryScoreColumn("Opinion")
    agreement = SummaryScoreColumn("Agreement (α)", formatter=alpha)
    status = tables.Column(order_by=("reviewers", "reviews_in_progress", "id"))
    # In exports only.
    id = tables.Column(verbose_name="ID", visible=False)
    summary_url = tables.Column(verbose_name="Summary URL", accessor="pk", visible=False)
    url = tables.Column(verbose_name="Source URL", visible=False, order_by=("url", "id"))

    class Meta:
        model = Article
        fields = [
            "id", "title", "outlet", "authors", "published", "word_count", "reviewers", "sourced_fact_share",
            "unsourced_share", "opinion_share", "agreement", "status", "summary_url", "url",
        ]
        empty_text = "No articles match. Clear the filters, or import articles from the admin."
        attrs = {"class": "table"}
        # Its rows come from rows_html().
        template_name = "annotations/_credibility_table.html"

    def render_status(self, value):
        return summary_status(value)

    def rows_html(self):
        """The page's rows, one <tr> each: the columns of Meta.fields that are visible, in that order
        (tests check the header and the cells line up).

        Written here rather than cell by cell in a template: django-tables2's generic cells and
        template loops cost a fifth of a millisecond a row, and this page is held to 25 ms.
        """
        before, after = summary_path_around_id()
        outlet = "outlet" not in (self.exclude or ())
        for row in self.paginated_rows:
            article = row.record
            authors = ", ".join(author.name for author in article.authors.all()) or "—"
            yield format_html(
                '<tr><td class="title"><a href="{}/{}/{}">{}</a></td>{}<td>{}</td><td>{}</td>'
                + '<td class="number">{}</td>' * 6 + "<td>{}</td></tr>",
                before, article.pk, after, article.title,
                format_html("<td>{}</td>", article.outlet.name if article.outlet else "—") if outlet else "",
                authors, article.published.isoformat() if article.published else "—",
                article.word_count, article.reviewers, percent(article.sourced_fact_share),
                percent(article.unsourced_share), percent(article.opinion_share), alpha(article.agreement),
                summary_status(article.status),
            )


def summary_path_around_id():
    """The summary URL's path before and after an article's id ("/articles", "summary/"): reversed once
    for a page or an export of rows, since reverse() per row would cost more than the row.
    """
    before, _, after = reverse("annotations:summary", args=[0]).rpartition("/0/")
    return before, after


def credibility_table(query, request=None):
    """Every article the query string's filter keeps, sorted by its `sort`, unpaginated: for exports.

    Raises ValidationError naming the parameters when the filter is invalid.
    """
    table = CredibilityTable(filtered_articles(query), order_by=query.getlist("sort") or None)
    table.request = request
    return table


class RankingTable(BoundedTable):
    """Outlets or authors annotated by aggregates.with_credibility(), best sourced first."""

    name = tables.Column(
        linkify=lambda record: reverse(f"annotations:{record._meta.model_name}", args=[record.pk]),
        order_by=("name", "id"),
    )
    article_count = tables.Column(verbose_name="Articles", order_by=("article_count", "id"), attrs=NUMBER)
    reviewed_count = tables.Column(verbose_name="Reviewed", order_by=("reviewed_count", "id"), attrs=NUMBER)
    sourced_fact_share = ScoreColumn("Sourced-fact share")
    unsourced_share = ScoreColumn("Unsourced")
    opinion_share = ScoreColumn("Opinion")

    class Meta:
        fields = ["name", "article_count", "reviewed_count", "sourced_fact_share", "unsourced_share", "opinion_share"]
        order_by = "-sourced_fact_share"
        attrs = {"class": "table"}
