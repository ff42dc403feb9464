"""/v1/articles: the list (the articles table's filters and sorts, cursor pages), one article with its
passages, its versions, and imports (a JSON record, an upload, an address).

Editors and admins get the articles table: its filters, sorts and stored scores. Reviewers get their
queue: the text filters and their own review's status, never a score, nor a filter or sort on one
(blind review, annotations/access.py).
"""
import json
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import BaseModel, Field, create_model

from dossier import tasks
from dossier.ingest import Fetcher, Metadata, import_file, import_url
from dossier.models import Article, ArticleVersion, Author
from dossier.roles import NO_ROLE, Role, require_any_role

from annotations import columns
from annotations.access import can_see_every_review
from annotations.filters import CredibilityFilter, QueueFilter, parameter_names
from annotations.models import ScoredArticle

from .. import pagination
from ..auth import auth
from ..models import Token
from .common import Id, bad, responses
from .tasks import TaskOut, task_data

router = Router(tags=["articles"])

# Sorts on what a reviewer may see: no score, no count of others' reviews.
REVIEWER_SORTS = frozenset(name for name, column in columns.SORTABLE.items()
                           if not column.score and name not in ("reviewers", "status"))
FILTERS = sorted(parameter_names(CredibilityFilter) | parameter_names(QueueFilter))
# The filter sets' parameters, documented and bounded; the filter set itself reads and checks them.
ArticleFilters = create_model("ArticleFilters", **{
    name: (str | None, Field(None, max_length=500, description="As the articles table's filter of this name."))
    for name in FILTERS
})


# The list's shapes are plain pydantic models: their rows are dicts already (article_data), and ninja's Schema
# would read each field through its ORM getter, a third of the list's time at 50 rows.
class Named(BaseModel):
    id: int
    name: str


class ScoresOut(BaseModel):
    sourced_fact_share: float | None = Field(description="Reviewer consensus.")
    ruled_sourced_fact_share: float | None = Field(
        description="After rulings: disputed passages replaced by editors' rulings (campaigns)."
    )
    unsourced_share: float | None
    opinion_share: float | None
    fact_coverage: float | None
    agreement: float | None
    alpha_reliable: bool | None
    reviewers: int
    reviews_in_progress: int
    status: str
    method_version: int | None
    codebook_version: int | None


class ArticleOut(BaseModel):
    id: int
    title: str
    outlet: Named | None
    authors: list[Named]
    published: date | None
    language: str
    word_count: int
    url: str
    version: int
    imported_at: datetime
    my_review: str | None = Field(None, description="A reviewer's own review status (None: not started).")
    scores: ScoresOut | None = Field(None, description="Editors and admins only.")


class ArticlePage(BaseModel):
    items: list[ArticleOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; None on the last page.")


class PassageOut(BaseModel):
    id: int
    paragraph: int
    sentence: int
    start: int = Field(description="Offset in the body, in Unicode code points.")
    end: int
    text: str


class ArticleDetailOut(ArticleOut):
    body: str
    passages: list[PassageOut]


class VersionOut(Schema):
    number: int
    title: str
    imported_at: datetime
    replaced_at: datetime


class VersionDetailOut(VersionOut):
    body: str


SCORE_FIELDS = list(ScoresOut.model_fields)


def article_data(article, scores=False):
    data = {
        "id": article.pk, "title": article.title,
        "outlet": {"id": article.outlet.pk, "name": article.outlet.name} if article.outlet else None,
        "authors": [{"id": author.pk, "name": author.name} for author in article.authors.all()],
        "published": article.published, "language": article.language, "word_count": article.word_count,
        "url": article.url, "version": article.version, "imported_at": article.imported_at,
        "my_review": getattr(article, "review_status", None),
    }
    if scores:
        data["scores"] = {name: getattr(article, name) for name in SCORE_FIELDS}
    return data


def listed(user, query):
    """The articles this user may list, filtered by the query string as the page would: (queryset, scores)."""
    scores = can_see_every_review(user)
    if scores:
        filterset = CredibilityFilter(query, queryset=ScoredArticle.objects.for_table())
        allowed = columns.SORTABLE
    else:
        filterset = QueueFilter(query, queryset=Article.objects.for_list().with_review_status(user))
        allowed = REVIEWER_SORTS
    if not filterset.is_valid():
        name, errors = next(iter(filterset.errors.items()))
        raise bad(f"{name}: {' '.join(errors)}", field=name)
    return filterset.qs, allowed, scores


@router.get("articles", response=responses(ArticlePage), auth=auth(Token.Scope.READ), summary="List articles")
def list_articles(
    request,
    filters: Query[ArticleFilters],
    sort: str = Query("-id", max_length=40, description="A column name, '-' first for descending (as ?sort=)."),
    cursor: str | None = Query(None, max_length=2000, description="next_cursor of the page before."),
    limit: int = Query(50, ge=1, le=100),
):
    """The articles table's rows: its filters, one sort, cursor pages. One query a page, and one for authors."""
    require_any_role(request.user, Role.values, NO_ROLE)
    articles, allowed, scores = listed(request.user, request.GET)
    if sort.removeprefix("-") not in allowed:
        raise bad(f"Unknown sort “{sort}”: use one of {', '.join(sorted(allowed))}.", field="sort")
    rows, next_cursor = pagination.page(columns.sort(articles, [sort]), sort, cursor, limit)
    return {"items": [article_data(article, scores) for article in rows], "next_cursor": next_cursor}


@router.get("articles/{id:article_id}", response=responses(ArticleDetailOut), auth=auth(Token.Scope.READ),
            summary="One article with its passages")
def get_article(request, article_id: int = Id("The article's id.")):
    require_any_role(request.user, Role.values, NO_ROLE)
    article = get_object_or_404(Article.objects.select_related("outlet").prefetch_related(
        Prefetch("authors", queryset=Author.objects.only("id", "name"))), pk=article_id)
    passages = [
        {"id": passage.pk, "paragraph": passage.paragraph, "sentence": passage.sentence, "start": passage.start,
         "end": passage.end, "text": article.body[passage.start:passage.end]}
        for passage in article.passages.all()
    ]
    return {**article_data(article), "body": article.body, "passages": passages}


@router.get("articles/{id:article_id}/versions", response=responses(list[VersionOut]), auth=auth(Token.Scope.READ),
            summary="An article's earlier versions")
def versions(request, article_id: int = Id("The article's id.")):
    require_any_role(request.user, Role.values, NO_ROLE)
    article = get_object_or_404(Article.objects.only("id"), pk=article_id)
    return list(article.versions.only("number", "title", "imported_at", "replaced_at").order_by("number"))


@router.get("articles/{id:article_id}/versions/{id:number}", response=responses(VersionDetailOut),
            auth=auth(Token.Scope.READ), summary="One earlier version's text")
def version(request, article_id: int = Id("The article's id."), number: int = Id("The version's number.")):
    require_any_role(request.user, Role.values, NO_ROLE)
    return get_object_or_404(ArticleVersion, article_id=article_id, number=number)


# Imports ---------------------------------------------------------------------------------------------

class Record(Schema):
    """One article as the JSON import format has it (docs/importing.md): title and body required."""

    title: str = Field(max_length=500)
    body: str = Field(max_length=settings.DOSSIER_MAX_FORM_BYTES)
    authors: list[str] | str | None = None
    outlet: str | None = Field(None, max_length=200)
    url: str | None = Field(None, max_length=2000)
    published: str | None = Field(None, max_length=40)
    language: str | None = Field(None, max_length=16)


class Addresses(Schema):
    urls: list[str] = Field(min_length=1, max_length=settings.DOSSIER_MAX_WEB_IMPORT_RECORDS)


class ImportOut(Schema):
    """What became of one item: titles imported, titles skipped as duplicates, or why it failed."""

    name: str
    imported: list[str]
    duplicates: list[str]
    error: str


class ImportedOut(Schema):
    task: TaskOut | None = Field(None, description="For more than one item: the background task to poll.")
    results: list[ImportOut] = Field(description="For one item: what became of it.")


def may_import(user):
    if not user.has_perm("dossier.import_article"):
        raise PermissionDenied("Only admins may import articles.")


def _one(result):
    if result.failed:
        raise bad(result.error, field=None, status=400, code="import_failed")
    return Status(201, {"task": None, "results": [result.as_line()]})


def _task(job):
    job.refresh_from_db()  # a backend that runs tasks at once has done the work already
    return Status(202, {"task": task_data(job), "results": []})


IMPORT_RESPONSES = {201: ImportedOut, 202: ImportedOut, **responses(ImportedOut, 201)}


@router.post("articles", response=IMPORT_RESPONSES, auth=auth(Token.Scope.IMPORT),
             summary="Import articles from JSON records")
def import_records(request, records: Record | list[Record]):
    """One record imports at once (201); a list of more runs as a background task (202)."""
    may_import(request.user)
    items = records if isinstance(records, list) else [records]
    if not items:
        raise bad("Send at least one record.", field="body")
    if len(items) > settings.DOSSIER_MAX_WEB_IMPORT_RECORDS:
        raise bad(f"At most {settings.DOSSIER_MAX_WEB_IMPORT_RECORDS} records a request; "
                  "larger imports go through `manage.py import_articles`.", field="body", status=413)
    data = json.dumps([item.model_dump(exclude_none=True) for item in items]).encode()
    if len(items) == 1:
        return _one(import_file("records.json", data, user=request.user))
    upload = SimpleUploadedFile("records.json", data, content_type="application/json")
    return _task(tasks.start_import([upload], [], Metadata(), request.user,
                                    max_records=settings.DOSSIER_MAX_WEB_IMPORT_RECORDS))


@router.post("articles/upload", response=IMPORT_RESPONSES, auth=auth(Token.Scope.IMPORT),
             summary="Import uploaded files")
def import_uploads(request, files: File[list[UploadedFile]]):
    """Files as the admin's import page takes them (.txt, .html, .json, .jsonl); one file imports at once."""
    may_import(request.user)
    if len(files) > settings.DATA_UPLOAD_MAX_NUMBER_FILES:
        raise bad(f"At most {settings.DATA_UPLOAD_MAX_NUMBER_FILES} files a request.", field="files", status=413)
    if len(files) == 1:
        upload = files[0]
        if upload.size > settings.DOSSIER_MAX_IMPORT_BYTES:
            raise bad(f"{upload.name}: over the {settings.DOSSIER_MAX_IMPORT_BYTES} bytes an import takes.",
                      field="files", status=413)
        return _one(import_file(upload.name, upload.read(), user=request.user,
                                max_records=settings.DOSSIER_MAX_WEB_IMPORT_RECORDS))
    return _task(tasks.start_import(files, [], Metadata(), request.user,
                                    max_records=settings.DOSSIER_MAX_WEB_IMPORT_RECORDS))


@router.post("articles/fetch", response=IMPORT_RESPONSES, auth=auth(Token.Scope.IMPORT),
             summary="Import pages by address")
def import_addresses(request, body: Addresses):
    """Pages fetched by the safe fetcher (no internal addresses); one address imports at once."""
    may_import(request.user)
    if len(body.urls) == 1:
        with Fetcher() as fetcher:
            return _one(import_url(body.urls[0], user=request.user, fetcher=fetcher))
    return _task(tasks.start_import([], body.urls, Metadata(), request.user))
