import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, IntegerField, Q, When
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin, SingleTableView

from dossier.models import Article, Author, Outlet

from . import aggregates, audit, exports, web_annotations
from .access import can_annotate, can_see_every_review, require_annotator, require_score_access, require_workspace_access
from .filters import CredibilityFilter, QueueFilter, filtered_articles
from .forms import AnnotationForm
from .models import HEX_COLOUR, Annotation, Export, Flag, Review, ReviewClosed
from .reports import article_report
from .summaries import with_summary
from .tables import CredibilityTable, QueueTable, RankingTable, credibility_table
from .workspace import build_workspace, visible_marks


class CredibilityListView(SingleTableMixin, FilterView):
    """The articles table with their scores, for editors and admins; reviewers land on their queue."""

    table_class = CredibilityTable
    filterset_class = CredibilityFilter
    template_name = "annotations/article_list.html"
    table_pagination = {"per_page": 50}

    def dispatch(self, request, *args, **kwargs):
        if not can_see_every_review(request.user) and can_annotate(request.user):
            return redirect("annotations:queue")
        require_score_access(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return with_summary(Article.objects.for_list())

    def get(self, request, *args, **kwargs):
        if "_export" in request.GET:
            return export_table(request, request.GET["_export"])
        return super().get(request, *args, **kwargs)


def export_table(request, export_format):
    """Every row the filter keeps, in the table's sort, as a download; logged."""
    if export_format not in exports.TABLE_FORMATS:
        return _bad_request(f"Unknown export format “{export_format}”: use csv, xlsx or json.")
    try:
        table = credibility_table(request.GET, request)
    except ValidationError as error:
        return _filter_error(error)
    # Logged as it starts, so that a download broken off early is on record too (without a row count).
    entry = exports.log(Export.Kind.TABLE, export_format, None, user=request.user,
                        parameters=exports.parameters(request.GET))
    filename = f"dossier-articles-{timezone.localdate():%Y-%m-%d}.{export_format}"
    return exports.table_response(exports.logged(exports.table_values(table), entry), export_format, filename,
                                  "Articles")


PAGE_NUMBER = re.compile(r"[0-9]{1,9}")  # ASCII digits only: str.isdigit() takes "²" and "١"


def _bad_request(message):
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _filter_error(error):
    """An export asked for with a filter the articles page would reject: say which parameters and why."""
    return _bad_request("Fix the filter before exporting: " + " ".join(error.messages))


@require_GET
def article_summary(request, pk):
    require_score_access(request.user)
    article = get_object_or_404(Article.objects.select_related("outlet").prefetch_related("authors"), pk=pk)
    return render(request, "annotations/summary.html", {"article": article, "report": article_report(article)})


@require_GET
def compare(request, pk):
    """Each submitted reviewer's category passage by passage, disagreements marked."""
    require_score_access(request.user)
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=pk)
    report = article_report(article)
    only_disagreements = request.GET.get("show") == "disagreements"
    rows = report.disagreements if only_disagreements else report.passages
    return render(request, "annotations/compare.html", {
        "article": article, "report": report, "rows": rows, "only_disagreements": only_disagreements,
    })


@require_GET
def report(request, pk, export_format="html"):
    """The article's credibility report, laid out for paper and "Save as PDF", or as JSON; logged."""
    require_score_access(request.user)
    article = get_object_or_404(Article.objects.select_related("outlet").prefetch_related("authors"), pk=pk)
    report = article_report(article)
    exports.log(Export.Kind.REPORT, export_format, len(report.passages), user=request.user, article=article)
    if export_format == "json":
        return JsonResponse(exports.report_data(report, request.build_absolute_uri),
                            json_dumps_params={"ensure_ascii": False, "indent": 1})
    return render(request, "annotations/report.html", {
        "article": article, "report": report, "generated_at": timezone.now(),
    })


@require_GET
def article_annotations(request, pk):
    """The article's submitted annotations as a W3C Web Annotation collection (JSON-LD)."""
    require_score_access(request.user)
    article = get_object_or_404(Article.objects.only("id", "title"), pk=pk)
    annotations = web_annotations.submitted(Annotation.objects.filter(passage__article=article))
    return _annotation_collection(request, annotations, f"Annotations of “{article.title}”", article)


@require_GET
def annotation_collection(request):
    """The submitted annotations of every article the articles table's filter keeps (JSON-LD)."""
    require_score_access(request.user)
    try:
        articles = filtered_articles(request.GET)
    except ValidationError as error:
        return _filter_error(error)
    return _annotation_collection(request, web_annotations.of_articles(articles), "Dossier annotations")


def _annotation_collection(request, annotations, label, article=None):
    query = request.GET.copy()
    page = query.pop("page", [None])[-1]
    if page is not None and not PAGE_NUMBER.fullmatch(page):
        return _bad_request("page must be a whole number from 1.")
    url = request.build_absolute_uri(request.path) + (f"?{query.urlencode()}" if query else "")
    collection = web_annotations.Collection(annotations, url, label, request.build_absolute_uri)
    document = collection.document() if page is None else collection.page(int(page))
    if document is None:
        raise Http404(f"This collection has {collection.pages} page(s).")
    served = document["items"] if page is not None else document.get("first", {}).get("items", [])
    exports.log(Export.Kind.ANNOTATIONS, "jsonld", len(served), user=request.user, article=article,
                parameters=exports.parameters(request.GET) | ({"page": page} if page else {}))
    return _json_ld(document)


@require_GET
def annotation(request, pk):
    """One submitted annotation as a W3C Web Annotation: what a collection's annotation ids point at."""
    require_score_access(request.user)
    found = get_object_or_404(web_annotations.submitted(Annotation.objects.filter(pk=pk)))
    body = Article.objects.values_list("body", flat=True).get(pk=found.passage.article_id)
    document = {"@context": web_annotations.CONTEXT} | web_annotations.web_annotation(
        found, body, request.build_absolute_uri)
    exports.log(Export.Kind.ANNOTATIONS, "jsonld", 1, user=request.user, parameters={"annotation": pk})
    return _json_ld(document)


def _json_ld(document):
    return JsonResponse(document, content_type=web_annotations.CONTENT_TYPE,
                        json_dumps_params={"ensure_ascii": False, "indent": 1})


class RankingView(SingleTableView):
    """Outlets or authors ranked by the sourced-fact share of their reviewed articles."""

    model = None
    table_class = RankingTable
    template_name = "annotations/ranking.html"
    table_pagination = {"per_page": 50}

    def dispatch(self, request, *args, **kwargs):
        require_score_access(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return aggregates.with_credibility(self.model.objects.all())

    def get_context_data(self, **kwargs):
        names = {"singular": self.model._meta.verbose_name, "plural": self.model._meta.verbose_name_plural}
        return super().get_context_data(**kwargs, **names)


@require_GET
def outlet_detail(request, pk):
    require_score_access(request.user)
    return _profile(request, get_object_or_404(Outlet, pk=pk), Article.objects.filter(outlet_id=pk))


@require_GET
def author_detail(request, pk):
    require_score_access(request.user)
    return _profile(request, get_object_or_404(Author, pk=pk), Article.objects.filter(authors=pk))


def _profile(request, subject, articles):
    """An outlet's or author's page: aggregate shares, their spread over articles, flags, the articles."""
    scored = aggregates.with_credibility(type(subject).objects.filter(pk=subject.pk)).get()
    table = CredibilityTable(with_summary(articles.for_list()), exclude=["outlet"] if isinstance(subject, Outlet) else [])
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "annotations/profile.html", {
        "subject": subject,
        "kind": subject._meta.verbose_name,
        "scored": scored,
        "shares": aggregates.shares_of(scored),
        "distribution": aggregates.distribution(articles),
        "flags": aggregates.most_used_flags(articles),
        "table": table,
    })


class QueueView(SingleTableMixin, FilterView):
    """A reviewer's queue: every article with the reviewer's own review status."""

    table_class = QueueTable
    filterset_class = QueueFilter
    template_name = "annotations/queue.html"
    table_pagination = {"per_page": 50}

    def dispatch(self, request, *args, **kwargs):
        require_annotator(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return Article.objects.for_list().with_review_status(self.request.user)


@require_GET
def next_article(request):
    """Open the reviewer's next article: one in progress first, else the newest not started."""
    require_annotator(request.user)
    article = (
        Article.objects.with_review_status(request.user)
        .filter(Q(review_status__isnull=True) | Q(review_status=Review.Status.IN_PROGRESS))
        .order_by(Case(When(review_status=Review.Status.IN_PROGRESS, then=0), default=1, output_field=IntegerField()),
                  "-imported_at", "-id")
        .only("id")
        .first()
    )
    if article is None:
        messages.success(request, "Your queue is empty: you have submitted a review of every article.")
        return redirect("annotations:queue")
    return redirect("annotations:workspace", article.pk)


@require_GET
def workspace(request, pk):
    require_workspace_access(request.user)
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=pk)
    return render(request, "annotations/workspace.html", {"article": article, "ws": build_workspace(article, request.user)})


@require_POST
@transaction.atomic
def annotate(request, pk):
    """Set one flag on or off for one passage; answers with that passage's marks as HTML."""
    require_annotator(request.user)
    article = get_object_or_404(Article, pk=pk)
    form = AnnotationForm(article, request.POST)
    if not form.is_valid():
        return JsonResponse({"error": form.error_text()}, status=400)
    # Locked, so a submit that arrives meanwhile waits and then sees this change (PostgreSQL;
    # SQLite's IMMEDIATE transactions already serialise writers).
    review, _ = Review.objects.select_for_update().get_or_create(article=article, reviewer=request.user)
    passage = form.cleaned_data["passage"]
    try:
        review.set_flag(passage, form.cleaned_data["flag"], form.cleaned_data["on"], **form.details())
    except ReviewClosed as error:
        return JsonResponse({"error": str(error)}, status=409)
    passage.article = article
    passage.marks = visible_marks(article, review, "own", passage=passage)[passage.pk]
    for mark in passage.marks:
        mark.passage = passage
    html = render_to_string("annotations/_marks.html", {"passage": passage, "editable": True}, request)
    return JsonResponse({
        "passage": passage.pk,
        "flags": [mark.flag_id for mark in passage.marks],
        "marks_html": html,
        "flagged": review.flagged_passages(),
    })


@require_POST
@transaction.atomic
def submit(request, pk):
    """Submit the reviewer's review of the article; submitting twice changes nothing."""
    require_annotator(request.user)
    article = get_object_or_404(Article.objects.only("id", "title"), pk=pk)
    review, _ = Review.objects.select_for_update().get_or_create(article=article, reviewer=request.user)
    review.submit()
    messages.success(request, f"Review of “{article.title}” submitted.")
    return redirect("annotations:workspace", article.pk)


@require_GET
def history(request, pk):
    """Who added, changed or removed which flag on the article, and when; deleted ones can be restored."""
    require_score_access(request.user)
    article = get_object_or_404(Article, pk=pk)
    page = Paginator(audit.annotation_history(article), 100).get_page(request.GET.get("page"))
    return render(request, "annotations/history.html", {"article": article, "page": page})


@require_POST
def restore(request, pk, history_id):
    require_score_access(request.user)
    record = get_object_or_404(Annotation.history.filter(passage__article_id=pk), history_id=history_id)
    try:
        annotation = audit.restore(record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Restored “{annotation.flag}” on ¶{annotation.passage.paragraph + 1}."
                                  f"{annotation.passage.sentence + 1} for {annotation.review.reviewer}.")
    return redirect("annotations:history", pk)


@require_GET
def flag_styles(request):
    """One CSS rule per flag colour, so pages need no inline styles."""
    rules = [
        f".flag-{flag.pk} {{ --flag: {flag.colour}; }}"
        for flag in Flag.objects.only("colour")
        if HEX_COLOUR.match(flag.colour)  # validated on save too; never let other text into CSS
    ]
    return HttpResponse("\n".join(rules), content_type="text/css")
