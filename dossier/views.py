import logging
import sys

from django.shortcuts import redirect
from django.views import defaults
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


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """The 500 page, logged at ERROR on django.request whatever went wrong.

    Django logs a view's crash after this page is made, but not a crash of another error page (the
    400 page for a wrong Host, say): logging here covers both, and marks the response so that
    Django does not log the first kind twice.
    """
    response = defaults.server_error(request, template_name)
    logging.getLogger("django.request").error(
        "Internal Server Error: %s", request.path, exc_info=sys.exc_info(),
        extra={"status_code": 500, "request": request},
    )
    response._has_been_logged = True
    return response
