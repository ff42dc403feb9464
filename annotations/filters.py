import django_filters

from dossier.filters import ArticleFilter

from .models import Review

NOT_STARTED = ("not_started", "Not started")


class QueueFilter(ArticleFilter):
    status = django_filters.ChoiceFilter(
        label="My review",
        empty_label="Any status",
        choices=[NOT_STARTED, *Review.Status.choices],
        method="filter_status",
    )

    class Meta(ArticleFilter.Meta):
        fields = [*ArticleFilter.Meta.fields, "status"]

    def filter_status(self, queryset, name, value):
        """Filter on the review_status that Article.objects.with_review_status() annotates."""
        if value == NOT_STARTED[0]:
            return queryset.filter(review_status__isnull=True)
        return queryset.filter(review_status=value)
