import django_tables2 as tables

from .models import Article


class ArticleTable(tables.Table):
    title = tables.Column(linkify=True, attrs={"td": {"class": "title"}})
    outlet = tables.Column(order_by=("outlet__name",), default="—")
    authors = tables.ManyToManyColumn(orderable=False, default="—", verbose_name="Authors")
    published = tables.DateColumn(default="—")
    language = tables.Column(default="—")
    word_count = tables.Column(verbose_name="Words", attrs={"td": {"class": "number"}, "th": {"class": "number"}})
    imported_at = tables.DateColumn(verbose_name="Imported")

    class Meta:
        model = Article
        fields = ["title", "outlet", "authors", "published", "language", "word_count", "imported_at"]
        order_by = "-imported_at"
        empty_text = "No articles match. Clear the filters, or import articles from the admin."
        attrs = {"class": "table"}
