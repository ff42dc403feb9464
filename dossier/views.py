from django.shortcuts import redirect
from django.views.decorators.http import require_GET
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .filters import ArticleFilter
from .models import Article
from .roles import Role, has_role
from .tables import ArticleTable


class ArticleListView(SingleTableMixin, FilterView):
    table_class = ArticleTable
    filterset_class = ArticleFilter
    template_name = "dossier/article_list.html"
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return Article.objects.for_list()


class ArticleDetailView(DetailView):
    template_name = "dossier/article_detail.html"
    queryset = Article.objects.select_related("outlet").prefetch_related("authors")
    context_object_name = "article"


@require_GET
def home(request):
    """Where login lands: reviewers on their queue, everyone else on the articles."""
    if has_role(request.user, Role.REVIEWER):
        return redirect("annotations:queue")
    return redirect("dossier:article-list")
