"""Downloads, for editors and machines: the articles table as CSV, XLSX or JSON, an article's report,
W3C Web Annotation collections. Each is logged as it starts: GET pages write the export log on purpose,
so that the record of who took what is complete, and an entry opened by another site's link says so.
"""
import io
import re
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from dossier.models import Article, Job, JobFile

from annotations import columns
from annotations.access import score_readers_only
from annotations.exports import absolute_url, web_annotations, writers
from annotations.exports.report_data import report_data
from annotations.exports.rows import table_rows
from annotations.filters import filtered_articles, logged_parameters
from annotations.models import Annotation, Export
from annotations.reports import article_report
from annotations.tasks import start_table_export

PAGE_NUMBER = re.compile(r"[0-9]{1,9}")  # ASCII digits only: str.isdigit() takes "²" and "١"


def linked_from(request):
    """The other site whose link (or form) made this request, as its origin; "" from Dossier's own pages,
    a bookmark or a script. Browsers say so in Sec-Fetch-Site; the Referer tells older ones apart.
    """
    referer = urlsplit(request.headers.get("Referer", ""))
    origin = f"{referer.scheme}://{referer.netloc}" if referer.netloc else ""
    site = request.headers.get("Sec-Fetch-Site")
    if site in ("cross-site", "same-site"):
        return origin or "another site"
    if site is None and referer.netloc and referer.netloc != request.get_host():
        return origin
    return ""


def table_download(request, export_format):
    """Every row the filter keeps, in the table's sort, as a download: the articles page's ?_export=, which
    has checked access already (CredibilityListView).
    """
    if export_format not in writers.TABLE_FORMATS:
        return _bad_request(f"Unknown export format “{export_format}”: use csv, xlsx or json.")
    try:
        articles = columns.sort(filtered_articles(request.GET), request.GET.getlist("sort"))
    except ValidationError as error:
        return _filter_error(error)
    filename = f"dossier-articles-{timezone.localdate():%Y-%m-%d}.{export_format}"
    if (rows := articles.count()) > settings.DOSSIER_EXPORT_TASK_ROWS:
        # Written by the task worker; the job's page shows the rows done, then offers the file.
        job = start_table_export(request.GET, export_format, rows, filename, request.user,
                                 request.build_absolute_uri("/"), linked_from(request))
        return redirect(f"{reverse('annotations:articles')}?{_with_job(request.GET, job)}")
    # Logged as it starts, so that a download broken off early is on record too (without a row count).
    entry = Export.objects.start(Export.Kind.TABLE, export_format, user=request.user,
                                 parameters=logged_parameters(request.GET), linked_from=linked_from(request))
    rows = table_rows(articles, columns.CREDIBILITY, partial(absolute_url, request=request))
    return writers.table_response(writers.logged(rows, entry), export_format, filename, "Articles")


@require_GET
@score_readers_only
def export_file(request, pk):
    """The file a big export's job wrote, for whoever started it: to anyone else it does not exist."""
    job = get_object_or_404(Job, pk=pk, kind=Job.Kind.EXPORT, status=Job.Status.DONE, created_by=request.user)
    file = get_object_or_404(JobFile.objects.filter(job=job))
    content_type = writers.TABLE_FORMATS.get(file.name.rpartition(".")[2], "application/octet-stream")
    return FileResponse(io.BytesIO(file.data), as_attachment=True, filename=file.name, content_type=content_type)


@require_GET
@score_readers_only
def report(request, pk, export_format="html"):
    """The article's credibility report, laid out for paper and "Save as PDF", or as JSON; logged."""
    article = get_object_or_404(Article.objects.select_related("outlet", "summary").prefetch_related("authors"), pk=pk)
    report = article_report(article)
    Export.objects.start(Export.Kind.REPORT, export_format, len(report.passages), user=request.user, article=article,
                         linked_from=linked_from(request))
    if export_format == "json":
        return JsonResponse(report_data(report, request.build_absolute_uri),
                            json_dumps_params={"ensure_ascii": False, "indent": 1})
    return render(request, "annotations/report.html", {
        "article": article, "report": report, "generated_at": timezone.now(),
    })


@require_GET
@score_readers_only
def article_annotations(request, pk):
    """The article's submitted annotations as a W3C Web Annotation collection (JSON-LD)."""
    article = get_object_or_404(Article.objects.only("id", "title"), pk=pk)
    annotations = web_annotations.submitted(Annotation.objects.filter(passage__article=article))
    return _annotation_collection(request, annotations, f"Annotations of “{article.title}”", article)


@require_GET
@score_readers_only
def annotation_collection(request):
    """The submitted annotations of every article the articles table's filter keeps (JSON-LD)."""
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
    Export.objects.start(Export.Kind.ANNOTATIONS, "jsonld", len(served), user=request.user, article=article,
                         parameters=logged_parameters(request.GET) | ({"page": page} if page else {}),
                         linked_from=linked_from(request))
    return _json_ld(document)


@require_GET
@score_readers_only
def annotation(request, pk):
    """One submitted annotation as a W3C Web Annotation: what a collection's annotation ids point at."""
    found = get_object_or_404(web_annotations.submitted(Annotation.objects.filter(pk=pk)))
    body = Article.objects.values_list("body", flat=True).get(pk=found.passage.article_id)
    document = {"@context": web_annotations.CONTEXT} | web_annotations.web_annotation(
        found, body, request.build_absolute_uri)
    Export.objects.start(Export.Kind.ANNOTATIONS, "jsonld", 1, user=request.user, parameters={"annotation": pk},
                         linked_from=linked_from(request))
    return _json_ld(document)


def _with_job(query, job):
    """The articles page's query as it was, less the export, plus the job it started."""
    query = query.copy()
    query.pop("_export", None)
    query["job"] = str(job.pk)
    return query.urlencode()


def _json_ld(document):
    return JsonResponse(document, content_type=web_annotations.CONTENT_TYPE,
                        json_dumps_params={"ensure_ascii": False, "indent": 1})


def _bad_request(message):
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _filter_error(error):
    """An export asked for with a filter the articles page would reject: say which parameters and why."""
    return _bad_request("Fix the filter before exporting: " + " ".join(error.messages))
