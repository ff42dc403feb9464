from django.shortcuts import redirect
from django.views.decorators.http import require_GET
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .models import Article
from .roles import Role, RoleRequiredMixin, has_role


class FilteredTableView(RoleRequiredMixin, SingleTableMixin, FilterView):
    """A page of a filtered, sortable table for the roles in `roles`: set table_class and filterset_class."""

    table_pagination = {"per_page": 50}


class ArticleDetailView(RoleRequiredMixin, DetailView):
    """An article's text as imported; anyone with a role may read it."""

    template_name = "dossier/article_detail.html"
    queryset = Article.objects.select_related("outlet").prefetch_related("authors")
    context_object_name = "article"


@require_GET
def home(request):
    """Where login lands: reviewers on their queue, everyone else on the articles."""
    if has_role(request.user, Role.REVIEWER):
        return redirect("annotations:queue")
    return redirect("annotations:articles")
