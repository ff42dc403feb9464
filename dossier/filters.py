import django_filters
from django import forms

from .models import Article, Outlet


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label="Title contains",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Search titles", "accesskey": "f"}),
    )
    outlet = django_filters.ModelChoiceFilter(queryset=Outlet.objects.only("name"), empty_label="All outlets")
    language = django_filters.CharFilter(
        lookup_expr="iexact", label="Language", widget=forms.TextInput(attrs={"placeholder": "e.g. en", "size": 6}),
    )

    class Meta:
        model = Article
        fields = ["q", "outlet", "language"]
