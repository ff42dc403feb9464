"""The articles' filters: the reviewer's queue and the editors' articles table (and its exports)."""
from functools import cache

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django_filters.fields import RangeField

from dossier.filters import ArticleFilter, longest
from dossier.models import Author
from dossier.search import search

from .models import Annotation, ArticleSummary, Flag, Review, ScoredArticle

NOT_STARTED = ArticleSummary.Status.NOT_STARTED
RELIABLE_CHOICES = [("yes", "Reliable"), ("no", "Not reliable"), ("too_few", "Too few to tell")]


class QueueFilter(ArticleFilter):
    status = django_filters.ChoiceFilter(
        label="My review",
        empty_label="Any status",
        choices=[(NOT_STARTED.value, NOT_STARTED.label), *Review.Status.choices],
        method="filter_status",
    )

    class Meta(ArticleFilter.Meta):
        fields = [*ArticleFilter.Meta.fields, "status"]

    def filter_status(self, queryset, name, value):
        """Filter on the review_status that Article.objects.with_review_status() annotates."""
        if value == NOT_STARTED:
            return queryset.filter(review_status__isnull=True)
        return queryset.filter(review_status=value)


class PercentRangeField(RangeField):
    """Two numbers from 0 to 100: a huge one ("1e999999999") would overflow the division by 100."""

    def __init__(self, *args, **kwargs):
        percent = {"min_value": 0, "max_value": 100}
        super().__init__((forms.DecimalField(**percent), forms.DecimalField(**percent)), *args, **kwargs)


class PercentRangeFilter(django_filters.RangeFilter):
    """A share range typed in percent (0–100), compared with the stored fraction."""

    field_class = PercentRangeField

    def __init__(self, *args, **kwargs):
        number = {"type": "number", "min": 0, "max": 100, "step": "any", "size": 4}
        kwargs.setdefault("widget", django_filters.widgets.RangeWidget(attrs=number))
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if value is not None:
            value = slice(*(None if end is None else end / 100 for end in (value.start, value.stop)))
        return super().filter(queryset, value)


class CredibilityFilter(ArticleFilter):
    """The editors' article filters, over ScoredArticle.objects.for_table(): every parameter names one field."""

    author = django_filters.CharFilter(
        label="Author", method="filter_author", max_length=longest(Author, "name"),
        widget=forms.TextInput(attrs={"placeholder": "Author name"}),
    )
    published = django_filters.DateFromToRangeFilter(
        label="Published (from–to)", widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"})
    )
    flag = django_filters.ModelChoiceFilter(
        label="Flag present", queryset=Flag.objects.only("name"), empty_label="Any flag", method="filter_flag"
    )
    # On the stored columns, not the with_summary() annotations: a filter there makes the summary join
    # inner, and the table's score sort can then walk the summary's score index.
    sourced_fact_share = PercentRangeFilter(label="Sourced-fact share %", field_name="summary__sourced_fact_share")
    unsourced_share = PercentRangeFilter(label="Unsourced %", field_name="summary__unsourced_share")
    opinion_share = PercentRangeFilter(label="Opinion %", field_name="summary__opinion_share")
    fact_coverage = PercentRangeFilter(label="Fact coverage %", field_name="summary__fact_coverage")
    alpha_reliable = django_filters.ChoiceFilter(
        label="α reliable", empty_label="Any", choices=RELIABLE_CHOICES, method="filter_alpha_reliable"
    )
    status = django_filters.ChoiceFilter(
        label="Status", empty_label="Any status", choices=ArticleSummary.Status.choices, method="filter_status"
    )

    class Meta(ArticleFilter.Meta):
        fields = [
            "q", "outlet", "author", "language", "published", "flag", "sourced_fact_share", "unsourced_share",
            "opinion_share", "fact_coverage", "alpha_reliable", "status",
        ]

    def filter_author(self, queryset, name, value):
        """Articles whose authors' names hold every word typed, the last as a prefix (the search index)."""
        return search(queryset, value, "search_authors")

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value)

    def filter_alpha_reliable(self, queryset, name, value):
        """On the stored flag: "yes" and "no" where alpha's interval decides, "too_few" where there is none."""
        if value == "too_few":
            return queryset.filter(summary__alpha_reliable__isnull=True)
        return queryset.filter(summary__alpha_reliable=value == "yes")

    def filter_flag(self, queryset, name, value):
        """Articles where a submitted review used the flag."""
        uses = Annotation.objects.submitted().filter(flag=value, review__article=OuterRef("pk"))
        return queryset.filter(Exists(uses))


def filtered_articles(query):
    """The articles (with their scores) that the editors' filter in a query string keeps.

    Raises ValidationError naming each bad parameter, where the page would show the form's errors.
    """
    filterset = CredibilityFilter(query, queryset=ScoredArticle.objects.for_table())
    if not filterset.is_valid():
        raise ValidationError([f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()])
    return filterset.qs


@cache
def parameter_names(filterset_class):
    """Every query parameter the filter set reads (a range field reads two: name_min and name_max)."""
    names = set()
    for name, field in filterset_class().form.fields.items():
        suffixes = getattr(field.widget, "suffixes", None)
        names |= {f"{name}_{suffix}" for suffix in suffixes} if suffixes else {name}
    return frozenset(names)


def logged_parameters(query):
    """The articles table's filter and sort in a query string, as the export log keeps them."""
    kept = parameter_names(CredibilityFilter) | {"sort"}
    return {key: values[0] if len(values) == 1 else values for key, values in query.lists()
            if key in kept and any(values)}
