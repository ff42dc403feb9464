"""/v1/articles/{id}/report, /v1/outlets, /v1/authors: scores, for editors and admins only (blind review)."""
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from dossier.models import Article, Author, Outlet
from dossier.roles import require_any_role

from annotations import aggregates, totals
from annotations.access import ONLY_SCORE_READERS, SCORE_READERS
from annotations.exports.report_data import report_data
from annotations.models import Export
from annotations.reports import article_report

from .. import pagination
from ..auth import auth
from ..models import Token
from .common import Id, responses

router = Router(tags=["scores"])
SORTS = pagination.NAME_SORTS


class FiguresOut(Schema):
    id: int
    name: str
    article_count: int
    reviewed_count: int
    ranked: bool = Field(description=f"Enough reviewed articles ({aggregates.MIN_RANKED}) to be ranked.")
    sourced_fact_share: float | None
    unsourced_share: float | None
    opinion_share: float | None
    sourcing_alpha: float | None = Field(description="Pooled over the reviewed articles' passages; None: too few.")


class FiguresPage(Schema):
    items: list[FiguresOut]
    next_cursor: str | None


def figures(subject):
    alpha = aggregates.pooled_sourcing_alpha(subject)
    return {
        "id": subject.pk, "name": subject.name, "article_count": subject.article_count,
        "reviewed_count": subject.reviewed_count, "ranked": subject.reviewed_count >= aggregates.MIN_RANKED,
        "sourced_fact_share": subject.sourced_fact_share, "unsourced_share": subject.unsourced_share,
        "opinion_share": subject.opinion_share,
        "sourcing_alpha": None if alpha.value is None else float(alpha.value),
    }


@router.get("articles/{id:article_id}/report", response=responses(dict), auth=auth(Token.Scope.READ),
            summary="An article's report (as report.json)")
def report(request, article_id: int = Id("The article's id.")):
    """The same content as the report page's report.json, logged in the export log as it is."""
    require_any_role(request.user, SCORE_READERS, ONLY_SCORE_READERS)
    articles = Article.objects.select_related("outlet", "summary").prefetch_related("authors")
    article = get_object_or_404(articles, pk=article_id)
    built = article_report(article)
    Export.objects.start(Export.Kind.REPORT, "json", len(built.passages), user=request.user, article=article)
    return report_data(built, request.build_absolute_uri)


def _listing(model):
    def listing(request, sort: str = Query("name", description=f"One of {', '.join(SORTS)}."),
                cursor: str | None = Query(None, max_length=2000), limit: int = Query(50, ge=1, le=100)):
        require_any_role(request.user, SCORE_READERS, ONLY_SCORE_READERS)
        rows, next_cursor = pagination.by_name(totals.KINDS[model].objects.listing(), sort, cursor, limit)
        return {"items": [figures(subject) for subject in rows], "next_cursor": next_cursor}

    def one(request, subject_id: int = Id()):
        require_any_role(request.user, SCORE_READERS, ONLY_SCORE_READERS)
        get_object_or_404(model, pk=subject_id)
        return figures(totals.of(model, subject_id))

    return listing, one


for _model, _path in ((Outlet, "outlets"), (Author, "authors")):
    _list, _one = _listing(_model)
    plural = _model._meta.verbose_name_plural
    router.get(_path, response=responses(FiguresPage), auth=auth(Token.Scope.READ), operation_id=f"list_{_path}",
               summary=f"{plural.capitalize()} with their figures")(_list)
    router.get(f"{_path}/{{id:subject_id}}", response=responses(FiguresOut), auth=auth(Token.Scope.READ),
               operation_id=f"get_{_path}", summary=f"One of the {plural} with its figures")(_one)
