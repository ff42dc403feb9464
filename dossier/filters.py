import django_filters
from django import forms

from .models import Article, Outlet


def longest(model, field):
    """The longest text a filter on this field accepts: a longer one cannot match a stored value."""
    return model._meta.get_field(field).max_length


# Every text filter is bounded: an unbounded one lets a URL send a LIKE pattern that
# SQLite refuses ("pattern too complex", over 50,000 bytes) and the page fails.
class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label="Title contains", max_length=longest(Article, "title"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Search titles", "accesskey": "f"}),
    )
    # Typed, not chosen from a list: a list of every outlet grows with the corpus, and so would each page.
    outlet = django_filters.CharFilter(
        field_name="outlet__name", lookup_expr="icontains", label="Outlet", max_length=longest(Outlet, "name"),
        widget=forms.TextInput(attrs={"placeholder": "Name contains"}),
    )
    language = django_filters.CharFilter(
        lookup_expr="iexact", label="Language", max_length=longest(Article, "language"),
        widget=forms.TextInput(attrs={"placeholder": "e.g. en", "size": 6}),
    )

    class Meta:
        model = Article
        fields = ["q", "outlet", "language"]
