import logging
import sys

from csp.constants import NONE
from csp.decorators import csp
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import defaults
from django.views.decorators.http import require_GET
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .models import Archive, Article, ArticleVersion, Job
from .roles import NO_ROLE, Role, RoleRequiredMixin, has_role, role_required


class FilteredTableView(RoleRequiredMixin, SingleTableMixin, FilterView):
    """A page of a filtered, sortable table for the roles in `roles`: set table_class and filterset_class."""

    table_pagination = {"per_page": 50}


class ArticleDetailView(RoleRequiredMixin, DetailView):
    """An article's text as imported; anyone with a role may read it."""

    template_name = "dossier/article_detail.html"
    queryset = Article.objects.select_related("outlet").prefetch_related("authors")
    context_object_name = "article"

    def get_context_data(self, **kwargs):
        article = self.object
        return super().get_context_data(
            **kwargs,
            versions=article.versions.only("article_id", "number", "title", "imported_at", "replaced_at"),
            archives=article.archives.defer("data"),
        )


class ArticleVersionView(RoleRequiredMixin, DetailView):
    """An earlier version of an article's text, with what the next version changed."""

    template_name = "dossier/article_version.html"
    context_object_name = "version"

    def get_object(self, queryset=None):
        return get_object_or_404(ArticleVersion.objects.select_related("article"),
                                 article_id=self.kwargs["pk"], number=self.kwargs["number"])


# The archived page is someone else's HTML: it may show, never run. No script, no form, no plugin, no
# request anywhere (its images and styles from other sites stay off too: opening it tells the outlet
# nothing), in a sandbox that makes it a unique origin without Dossier's cookies.
ARCHIVE_POLICY = {
    "default-src": [NONE], "script-src": [NONE], "object-src": [NONE], "base-uri": [NONE],
    "form-action": [NONE], "frame-ancestors": [NONE], "style-src": ["'unsafe-inline'"], "img-src": ["data:"],
    "sandbox": [""],
}


@require_GET
@role_required(Role.values, NO_ROLE)
@csp(ARCHIVE_POLICY)
def archive(request, pk):
    """The page an article was read from, byte for byte as fetched, under ARCHIVE_POLICY."""
    kept = get_object_or_404(Archive, pk=pk)
    response = HttpResponse(kept.content(), content_type=f"{kept.content_type or 'text/html'}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def job(request, pk):
    """A background job's progress, for whoever started it (or an admin); the page refreshes until it ends."""
    found = get_object_or_404(Job, pk=pk)
    if found.created_by_id != request.user.pk and not has_role(request.user, Role.ADMIN):
        raise PermissionDenied("Only who started this job, or an admin, may follow it.")
    return render(request, "dossier/job.html", {"job": found})


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
