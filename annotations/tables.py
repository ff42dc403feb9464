import django_tables2 as tables
from django.db.models import F
from django.urls import reverse

from dossier.models import Article
from dossier.tables import ArticleTable, BoundedTable

from .filters import NOT_STARTED, filtered_articles
from .models import ArticleSummary, Review
from .templatetags.scores import alpha, percent

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
        score = F(self.accessor.replace(".", "__"))
        score = score.desc(nulls_last=True) if is_descending else score.asc(nulls_last=True)
        return queryset.order_by(score, "-id" if is_descending else "id"), True


class CredibilityTable(BoundedTable):
    """Articles with their stored scores, for summaries.with_summary(Article.objects.for_list())."""

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
    sourced_fact_share = ScoreColumn("Sourced-fact share")
    unsourced_share = ScoreColumn("Unsourced")
    opinion_share = ScoreColumn("Opinion")
    agreement = ScoreColumn("Agreement (α)", formatter=alpha)
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

    def render_status(self, value):
        return ArticleSummary.Status(value).label


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
