import django_filters
from django import forms

from .models import Article, Outlet
from .search import search


def longest(model, field):
    """The longest text a filter on this field accepts: a longer one cannot match a stored value."""
    return model._meta.get_field(field).max_length


# Every text filter is bounded: an unbounded one lets a URL send a LIKE pattern that
# SQLite refuses ("pattern too complex", over 50,000 bytes) and the page fails.
class ArticleFilter(django_filters.FilterSet):
    # Full-text, through the search index (dossier.search): a query with no match costs what one with a match does.
    q = django_filters.CharFilter(
        label="Search title, outlet, author", method="filter_search", max_length=longest(Article, "title"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Title, outlet or author", "accesskey": "f"}),
    )
    # Typed, not chosen from a list: a list of every outlet grows with the corpus, and so would each page.
    outlet = django_filters.CharFilter(
        label="Outlet", method="filter_outlet", max_length=longest(Outlet, "name"),
        widget=forms.TextInput(attrs={"placeholder": "Outlet name"}),
    )
    language = django_filters.CharFilter(
        lookup_expr="iexact", label="Language", max_length=longest(Article, "language"),
        widget=forms.TextInput(attrs={"placeholder": "e.g. en", "size": 6}),
    )

    class Meta:
        model = Article
        fields = ["q", "outlet", "language"]

    def filter_search(self, queryset, name, value):
        """Articles whose title, outlet or authors hold every word typed, the last as a prefix."""
        return search(queryset, value)

    def filter_outlet(self, queryset, name, value):
        """Articles whose outlet's name holds every word typed, the last as a prefix."""
        return search(queryset, value, "search_outlet")
