"""/v1/articles/{id}/review: a reviewer's own review of an article, a flag set or unset, submitting.

The writes go through annotations.reviewing, as the workspace's endpoints do: one set of rules.
"""
from datetime import datetime

from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from pydantic import Field

from dossier.models import Article
from dossier.roles import require_any_role

from annotations import reviewing
from annotations.access import ONLY_REVIEWERS, REVIEWERS
from annotations.models import Annotation, Review

from ..auth import auth
from ..errors import ApiError
from ..models import Token
from .common import Id, responses

router = Router(tags=["reviews"])


class MarkOut(Schema):
    passage: int
    flag: int
    note: str
    evidence_url: str
    start: int | None = Field(description="Start of the flagged words in the body; None: the whole passage.")
    end: int | None


class ReviewOut(Schema):
    article: int
    status: str = Field(description="not_started, in_progress or submitted.")
    submitted_at: datetime | None
    marks: list[MarkOut] = Field(description="This reviewer's own flags only.")


class FlagIn(Schema):
    passage: int = Field(ge=1, le=10**18 - 1)
    flag: int = Field(ge=1, le=10**18 - 1)
    on: bool = Field(description="True puts the flag on the passage, False takes it off; idempotent.")
    note: str | None = Field(None, max_length=2000)
    evidence_url: str | None = Field(None, max_length=2000)
    start: int | None = Field(None, ge=0, le=10**9)
    end: int | None = Field(None, ge=0, le=10**9)


class FlagOut(Schema):
    passage: int
    flags: list[int] = Field(description="The flags this reviewer now has on the passage.")
    marks: list[dict] = Field(description="As the workspace keeps them: offsets into the passage's own text.")
    flagged: int = Field(description="Passages this reviewer has flagged so far.")


def _refused(refusal):
    return ApiError(refusal.status, refusal.message, field=refusal.field,
                    code={409: "review_submitted", 403: "forbidden"}.get(refusal.status, "invalid"))


@router.get("articles/{id:article_id}/review", response=responses(ReviewOut), auth=auth(Token.Scope.READ),
            summary="My review of an article")
def my_review(request, article_id: int = Id("The article's id.")):
    require_any_role(request.user, REVIEWERS, ONLY_REVIEWERS)
    article = get_object_or_404(Article.objects.only("id"), pk=article_id)
    review = Review.objects.filter(article=article, reviewer=request.user).first()
    marks = Annotation.objects.visible_in(article, review, "own").order_by("passage_id", "flag_id").values(
        "passage_id", "flag_id", "note", "evidence_url", "start", "end")
    return {
        "article": article.pk,
        "status": review.status if review else "not_started",
        "submitted_at": review.submitted_at if review else None,
        "marks": [{"passage": mark["passage_id"], "flag": mark["flag_id"], **{
            name: mark[name] for name in ("note", "evidence_url", "start", "end")}} for mark in marks],
    }


@router.put("articles/{id:article_id}/review/flags", response=responses(FlagOut), auth=auth(Token.Scope.ANNOTATE),
            summary="Set or unset a flag on a passage")
def set_flag(request, body: FlagIn, article_id: int = Id("The article's id.")):
    """The workspace's toggle: 400 for a passage of another article or a retired flag, 409 once submitted."""
    require_any_role(request.user, REVIEWERS, ONLY_REVIEWERS)
    article = get_object_or_404(Article.objects.only("id"), pk=article_id)  # a toggle reads none of its text
    sent = body.model_dump(exclude_unset=True)
    data = {name: "" if value is None else str(value) for name, value in sent.items()}
    data["on"] = "1" if body.on else "0"
    with transaction.atomic():
        try:
            return reviewing.set_flag(article, request.user, data)
        except reviewing.Refused as refusal:
            raise _refused(refusal) from None


@router.post("articles/{id:article_id}/review/submit", response=responses(ReviewOut), auth=auth(Token.Scope.ANNOTATE),
             summary="Submit my review of an article")
def submit(request, article_id: int = Id("The article's id.")):
    """Submitting twice changes nothing."""
    require_any_role(request.user, REVIEWERS, ONLY_REVIEWERS)
    article = get_object_or_404(Article.objects.only("id", "title"), pk=article_id)
    with transaction.atomic():
        try:
            reviewing.submit(article, request.user)
        except reviewing.Refused as refusal:
            raise _refused(refusal) from None
    return my_review(request, article_id)
