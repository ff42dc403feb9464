"""Editors' audit pages: who added, changed or removed which flag, and restoring removed ones."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from dossier.models import Article

from annotations import audit
from annotations.access import score_readers_only
from annotations.models import Annotation


@require_GET
@score_readers_only
def history(request, pk):
    """Who added, changed or removed which flag on the article, and when; deleted ones can be restored."""
    article = get_object_or_404(Article, pk=pk)
    page = Paginator(audit.annotation_history(article), 100).get_page(request.GET.get("page"))
    return render(request, "annotations/history.html", {"article": article, "page": page})


@require_POST
@score_readers_only
def restore(request, pk, history_id):
    record = get_object_or_404(Annotation.history.filter(passage__article_id=pk), history_id=history_id)
    try:
        annotation = audit.restore(record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Restored “{annotation.flag}” on ¶{annotation.passage.paragraph + 1}."
                                  f"{annotation.passage.sentence + 1} for {annotation.review.reviewer}.")
    return redirect("annotations:history", pk)
