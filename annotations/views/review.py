"""Reviewers' pages: the queue, the next article, the workspace, a flag toggle, submitting."""
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from dossier.models import Article
from dossier.views import FilteredTableView

from annotations import reviewing
from annotations.access import ONLY_REVIEWERS, REVIEWERS, reviewers_only, workspace_readers_only
from annotations.filters import QueueFilter
from annotations.models import HEX_COLOUR, Flag, ScoredArticle
from annotations.signals import closed_articles, first_answer, next_assignment, queue_sections
from annotations.tables import QueueTable
from annotations.workspace import build_workspace


class QueueView(FilteredTableView):
    """A reviewer's queue: every article with the reviewer's own review status."""

    roles, denied_message = REVIEWERS, ONLY_REVIEWERS
    table_class, filterset_class = QueueTable, QueueFilter
    template_name = "annotations/queue.html"

    def get_queryset(self):
        return Article.objects.for_list().with_review_status(self.request.user)

    def get_context_data(self, **kwargs):
        # Assigned work first (campaigns fills it in; nothing when no app does).
        sections = first_answer(queue_sections, reviewer=self.request.user) or {}
        return super().get_context_data(**kwargs, **sections)


@require_GET
@reviewers_only
def next_article(request):
    """Open the reviewer's next article: their oldest due assignment first, else one in progress, else the
    newest not started."""
    assigned = first_answer(next_assignment, reviewer=request.user)
    if assigned is not None:
        return redirect("annotations:workspace", assigned)
    article = ScoredArticle.objects.next_for(request.user, first_answer(closed_articles, reviewer=request.user))
    if article is None:
        messages.success(request, "Your queue is empty: you have submitted a review of every article.")
        return redirect("annotations:queue")
    return redirect("annotations:workspace", article.pk)


@require_GET
@workspace_readers_only
def workspace(request, pk):
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=pk)
    return render(
        request, "annotations/workspace.html", {"article": article, "ws": build_workspace(article, request.user)}
    )


@require_POST
@reviewers_only
@transaction.atomic
def annotate(request, pk):
    """Set one flag on or off for one passage; answers with the reviewer's marks on that passage, as the
    workspace script keeps them, so that it can confirm (or take back) what it drew."""
    article = get_object_or_404(Article.objects.only("id"), pk=pk)  # a toggle reads none of its text
    try:
        return JsonResponse(reviewing.set_flag(article, request.user, request.POST))
    except reviewing.Refused as refusal:
        return JsonResponse({"error": refusal.message}, status=refusal.status)


@require_POST
@reviewers_only
@transaction.atomic
def submit(request, pk):
    """Submit the reviewer's review of the article; submitting twice changes nothing."""
    article = get_object_or_404(Article.objects.only("id", "title"), pk=pk)
    try:
        reviewing.submit(article, request.user)
    except reviewing.Refused as refusal:  # a form's POST: the refusal is said on the page it came from
        messages.error(request, refusal.message)
        return redirect("annotations:workspace", article.pk)
    messages.success(request, f"Review of “{article.title}” submitted.")
    return redirect("annotations:workspace", article.pk)


@require_GET
def flag_styles(request):
    """One CSS rule per flag colour, so pages need no inline styles. Open to anyone signed in: it holds
    only flag ids and colours, and the pages of every role load it.
    """
    rules = [
        f".flag-{flag.pk} {{ --flag: {flag.colour}; }}"
        for flag in Flag.objects.only("colour")
        if HEX_COLOUR.match(flag.colour)  # validated on save too; never let other text into CSS
    ]
    return HttpResponse("\n".join(rules), content_type="text/css")
