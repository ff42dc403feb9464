"""The pages' tables (django-tables2): the articles table built from columns.py, the queue, the rankings."""
import django_tables2 as tables
from django.utils.text import capfirst

from dossier.models import Article
from dossier.tables import ArticleColumns, BoundedTable, KeysetPaginator, LinkById

from . import aggregates, columns, formatting
from .models import ArticleSummary, Review
from .models.scores import directed

NUMBER = {"td": {"class": "number"}, "th": {"class": "number"}}
# Cells of names and titles people typed: each takes its direction from its own text (Persian reads right to left).
USER_TEXT = {"td": {"dir": "auto"}}


class QueueTable(ArticleColumns):
    label = "My review queue"
    paginator_class = KeysetPaginator
    title = tables.Column(
        linkify=LinkById("annotations:workspace"), order_by=("title", "id"),
        attrs=USER_TEXT,
    )
    review_status = tables.Column(
        verbose_name="My review", default=ArticleSummary.Status.NOT_STARTED.label, order_by=("review_status", "id")
    )

    class Meta:
        model = Article
        fields = ["title", "outlet", "language", "word_count", "review_status"]
        empty_text = "No articles match. Clear the filters to see your whole queue."
        attrs = {"class": "table"}

    def render_review_status(self, value):
        return Review.Status(value).label


class ScoreColumn(tables.Column):
    """A score: right-aligned, "—" when undefined, sorted with undefined scores last in either direction."""

    def __init__(self, verbose_name, **kwargs):
        super().__init__(verbose_name=verbose_name, default="—", attrs=NUMBER, **kwargs)

    def render(self, value):
        return formatting.percent(value)

    def order(self, queryset, is_descending):
        key = self.accessor.replace(".", "__")
        return queryset.order_by(directed(key, is_descending), directed("id", is_descending, None)), True


class ListedColumn(tables.Column):
    """A django-tables2 column for a columns.Column: its header, sort, cell class and cell text."""

    def __init__(self, column):
        self.column = column
        attrs = {"td": {"class": column.css}} if column.css else {}
        if column.css == "number":
            attrs["th"] = {"class": "number"}
        sort = {"order_by": column.order_by} if column.order_by else {"orderable": column.score}
        # No empty values: the column says itself how an undefined value reads.
        super().__init__(verbose_name=column.header, visible=column.on_page, attrs=attrs, empty_values=(), **sort)

    def render(self, record):
        return self.column.cell(record)

    def row_cell(self, bound_column):
        """The cell as BoundedTable.rows_html() shows it: the column's text, linked to the summary if it says so."""
        cell = self.column.cell
        if not self.column.links_to_summary:
            return _cell_template(self.column), lambda article: (cell(article),)
        before, after = columns.summary_path_around_id()
        return _cell_template(self.column), lambda article: (before, article.pk, after, cell(article))

    def order(self, queryset, is_descending):
        if not self.column.score:
            return queryset, False
        # A stored score's sort walks the summary's (score, article) index and stops after a page.
        return queryset.by_score(self.column.path, is_descending), True


SELECT = "select"  # the articles page's checkbox column, shown when another app takes picked rows
SELECTION_FORM = "article-selection"  # the id of the page's form the checkboxes belong to


class _ArticlesPage(BoundedTable):
    paginator_class = KeysetPaginator
    unique_keys = ("summary__article_id",)  # a score sort's last key once the summary join is inner
    label = "Articles"


class SelectColumn(tables.Column):
    """The articles page's checkboxes, for the form of another app that takes picked rows."""

    def __init__(self):
        super().__init__(verbose_name="Select", orderable=False, empty_values=(), visible=False,
                         attrs={"th": {"class": "select"}})

    def row_cell(self, bound_column):
        """A checkbox named after the article's title (BoundedTable.rows_html())."""
        return _SELECT_CELL, lambda article: (article.pk, article.title)


_SELECT_CELL = (
    f'<td class="select"><input type="checkbox" name="article" value="{{}}" form="{SELECTION_FORM}" '
    'aria-label="Select {}"></td>'
)


def _cell_template(column):
    """One cell's format_html() template; its class is the column's own (code, never user text).

    Every cell takes its direction from its own text (dir="auto"): titles, outlets and authors may be
    Persian or Arabic; numbers and dates, having no letters, stay left to right.
    """
    opening = f'<td class="{column.css}" dir="auto">' if column.css else '<td dir="auto">'
    return opening + ('<a href="{}/{}/{}">{}</a>' if column.links_to_summary else "{}") + "</td>"


class _CredibilityMeta:
    sequence = [SELECT, *(column.name for column in columns.CREDIBILITY)]
    empty_text = "No articles match. Clear the filters, or import articles from the admin."
    attrs = {"class": "table"}


# ScoredArticle.objects.for_table() as the articles page shows them: one column per columns.CREDIBILITY entry
# (built with type() because django-tables2 collects columns from the class body).
CredibilityTable = type("CredibilityTable", (_ArticlesPage,), {
    "__doc__": "The articles with their stored scores; its columns are columns.CREDIBILITY's.",
    "__module__": __name__,
    "Meta": _CredibilityMeta,
    SELECT: SelectColumn(),
    **{column.name: ListedColumn(column) for column in columns.CREDIBILITY},
})


class RankingTable(BoundedTable):
    """Outlets' or authors' stored totals (OutletTotals, AuthorTotals), best sourced first."""

    paginator_class = KeysetPaginator

    name = tables.Column(
        linkify=LinkById(lambda model: f"annotations:{model.kind}"),  # OutletTotals or AuthorTotals
        order_by=("name", "id"), attrs=USER_TEXT,
    )
    article_count = tables.Column(verbose_name="Articles", order_by=("article_count", "id"), attrs=NUMBER)
    reviewed_count = tables.Column(verbose_name="Reviewed", order_by=("reviewed_count", "id"), attrs=NUMBER)
    sourced_fact_share = ScoreColumn("Sourced-fact share")
    unsourced_share = ScoreColumn("Unsourced")
    opinion_share = ScoreColumn("Opinion")
    sourcing_alpha = tables.Column(verbose_name="α sourcing (pooled)", empty_values=(), orderable=False,
                                   attrs=NUMBER)

    class Meta:
        fields = ["name", "article_count", "reviewed_count", "sourced_fact_share", "unsourced_share", "opinion_share",
                  "sourcing_alpha"]
        order_by = "-sourced_fact_share"
        attrs = {"class": "table"}

    @property
    def label(self):
        return capfirst(self.data.model.subject_model._meta.verbose_name_plural)

    def render_sourcing_alpha(self, record):
        alpha = aggregates.pooled_sourcing_alpha(record)
        return formatting.alpha(alpha.value) if alpha.value is not None else alpha.missing
