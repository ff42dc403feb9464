import django_tables2 as tables

from .models import Article


class BoundedTable(tables.Table):
    """A table whose ?per_page= stays between 1 and MAX_PER_PAGE, whatever the URL says."""

    MAX_PER_PAGE = 100

    def paginate(self, paginator_class=tables.paginators.Paginator, per_page=None, page=1, *args, **kwargs):
        per_page = min(max(int(per_page or 50), 1), self.MAX_PER_PAGE)
        return super().paginate(paginator_class, per_page, page, *args, **kwargs)

    @property
    def order_by(self):
        return self._order_by

    @order_by.setter
    def order_by(self, value):
        """Sort by the named columns; names of no column are dropped ("?sort=reviewer__password").

        When nothing is left the table keeps its default sort, as if no sort was asked for.
        """
        tables.Table.order_by.fset(self, value)
        if value and not self._order_by and self._meta.order_by:
            tables.Table.order_by.fset(self, self._meta.order_by)


# Every sort ends on the id, so rows with equal values (a whole import shares one
# imported_at) keep one order across pages.
class ArticleTable(BoundedTable):
    title = tables.Column(linkify=True, order_by=("title", "id"), attrs={"td": {"class": "title"}})
    outlet = tables.Column(order_by=("outlet__name", "id"), default="—")
    authors = tables.ManyToManyColumn(orderable=False, default="—", verbose_name="Authors")
    published = tables.DateColumn(order_by=("published", "id"), default="—")
    language = tables.Column(order_by=("language", "id"), default="—")
    word_count = tables.Column(
        verbose_name="Words", order_by=("word_count", "id"), attrs={"td": {"class": "number"}, "th": {"class": "number"}}
    )
    imported_at = tables.DateColumn(verbose_name="Imported", order_by=("imported_at", "id"))

    class Meta:
        model = Article
        fields = ["title", "outlet", "authors", "published", "language", "word_count", "imported_at"]
        order_by = "-imported_at"
        empty_text = "No articles match. Clear the filters, or import articles from the admin."
        attrs = {"class": "table"}
