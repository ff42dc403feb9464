"""What the reviewer workspace shows: passages with the flags this user may see."""
from collections import defaultdict
from dataclasses import dataclass, field

from .access import can_annotate, can_see_every_review
from .models import Annotation, Flag, Review


@dataclass
class Workspace:
    article: object
    review: Review | None
    flags: list[Flag]
    paragraphs: list = field(default_factory=list)  # lists of passages, each with .marks
    editable: bool = False
    scope: str = "own"  # whose marks are shown: "own", "submitted" or "all"

    @property
    def show_others(self):
        return self.scope != "own"

    @property
    def total(self):
        return sum(map(len, self.paragraphs))

    @property
    def flagged(self):
        """Passages this reviewer has flagged so far."""
        return sum(1 for paragraph in self.paragraphs for passage in paragraph if any(m.mine for m in passage.marks))

    @property
    def active_flags(self):
        return [flag for flag in self.flags if flag.active]


def build_workspace(article, user):
    """Passages in paragraphs with their visible marks: five queries whatever the article's length."""
    review = Review.objects.filter(article=article, reviewer=user).first() if can_annotate(user) else None
    flags = list(Flag.objects.all())
    submitted = bool(review and review.is_submitted)
    workspace = Workspace(
        article=article,
        review=review,
        flags=flags,
        editable=can_annotate(user) and not submitted,
        scope="all" if can_see_every_review(user) else "submitted" if submitted else "own",
    )
    marks = visible_marks(article, review, workspace.scope, {flag.pk: flag for flag in flags})
    workspace.paragraphs = article.paragraphs()
    for paragraph in workspace.paragraphs:
        for passage in paragraph:
            passage.marks = marks[passage.pk]
            for mark in passage.marks:
                mark.passage = passage
    return workspace


def visible_marks(article, review, scope, flags_by_id=None, passage=None):
    """Annotations by passage id, one query: the review's own ("own"), every submitted review's, or all."""
    annotations = Annotation.objects.filter(review__article=article).select_related("review__reviewer")
    if flags_by_id is None:
        annotations = annotations.select_related("flag")
    if passage is not None:
        annotations = annotations.filter(passage=passage)
    if scope == "own":
        annotations = annotations.filter(review=review) if review else annotations.none()
    elif scope == "submitted":
        annotations = annotations.filter(review__status=Review.Status.SUBMITTED)
    by_passage = defaultdict(list)
    for annotation in annotations:
        if flags_by_id is not None:
            annotation.flag = flags_by_id[annotation.flag_id]
        annotation.mine = review is not None and annotation.review_id == review.pk
        by_passage[annotation.passage_id].append(annotation)
    for marks in by_passage.values():
        marks.sort(key=lambda mark: (not mark.mine, mark.flag.order, mark.flag.name, mark.review.reviewer.username))
    return by_passage
