import django_tables2 as tables
from django.urls import reverse

from dossier.models import Article
from dossier.tables import ArticleTable, BoundedTable

from .filters import NOT_STARTED
from .models import Review


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
