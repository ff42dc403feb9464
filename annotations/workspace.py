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
    workspace.paragraphs = article.paragraphs()
    passages = [passage for paragraph in workspace.paragraphs for passage in paragraph]
    attach_marks(passages, article, review, workspace.scope, {flag.pk: flag for flag in flags})
    return workspace


def attach_marks(passages, article, review, scope, flags_by_id=None):
    """Give each passage its visible `marks`, the reader's own first: one query. The one assembly of
    marks, for the page and for a toggle's reply (one passage, whose annotations alone are read).
    """
    annotations = Annotation.objects.visible_in(article, review, scope).select_related("review__reviewer")
    if flags_by_id is None:
        annotations = annotations.select_related("flag")
    if len(passages) == 1:
        annotations = annotations.filter(passage=passages[0])
    by_passage = defaultdict(list)
    for annotation in annotations:
        if flags_by_id is not None:
            annotation.flag = flags_by_id[annotation.flag_id]
        annotation.mine = review is not None and annotation.review_id == review.pk
        by_passage[annotation.passage_id].append(annotation)
    for passage in passages:
        passage.marks = sorted(
            by_passage[passage.pk],
            key=lambda mark: (not mark.mine, mark.flag.order, mark.flag.name, mark.review.reviewer.username),
        )
        for mark in passage.marks:
            mark.passage = passage
