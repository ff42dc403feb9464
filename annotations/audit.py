"""The audit trail of an article's annotations (django-simple-history), and restoring removed ones.

A removed flag comes back only into a review in progress: a submitted review is final.
"""
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Annotation, Flag, Review

CHANGES = {"+": "added", "~": "changed", "-": "removed"}


@dataclass
class Entry:
    record: object  # a HistoricalAnnotation
    change: str
    review: Review | None  # None once the review itself was deleted
    passage: object
    flag: Flag | None  # None once an admin deleted the flag
    restorable: bool


def annotation_history(article):
    """Every recorded change to the article's annotations, newest first: four queries."""
    passages = {passage.pk: passage for paragraph in article.paragraphs() for passage in paragraph}
    reviews = {review.pk: review for review in Review.objects.filter(article=article).select_related("reviewer")}
    flags = {flag.pk: flag for flag in Flag.objects.all()}
    current = set(
        Annotation.objects.filter(review__article=article).values_list("review_id", "passage_id", "flag_id")
    )
    records = (
        Annotation.history.filter(passage_id__in=list(passages))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    return [
        Entry(
            record=record,
            change=CHANGES[record.history_type],
            review=reviews.get(record.review_id),
            passage=passages[record.passage_id],
            flag=flags.get(record.flag_id),
            restorable=record.history_type == "-"
            and record.flag_id in flags
            and flags[record.flag_id].active
            and record.review_id in reviews
            and not reviews[record.review_id].is_submitted
            and (record.review_id, record.passage_id, record.flag_id) not in current,
        )
        for record in records
    ]


@transaction.atomic
def restore(record):
    """Bring back the annotation a deletion record describes; ValidationError says why it cannot be."""
    if record.history_type != "-":
        raise ValidationError("Only a removed annotation can be restored.")
    key = {"review_id": record.review_id, "passage_id": record.passage_id, "flag_id": record.flag_id}
    # Locked like a flag change, so a submit arriving meanwhile waits and then sees the restore.
    review = Review.objects.locked().filter(pk=record.review_id).first()
    if review is None:
        raise ValidationError("Its review has been deleted, so the annotation cannot come back.")
    if review.is_submitted:
        raise ValidationError("Its review is submitted: the reviewer's flags are final.")
    if not Flag.objects.filter(pk=record.flag_id, active=True).exists():
        raise ValidationError("Its flag has been retired or deleted, so it cannot be added again.")
    if Annotation.objects.filter(**key).exists():
        raise ValidationError("The reviewer has put this flag on the passage again since.")
    annotation = record.instance
    annotation._change_reason = "Restored from the audit trail"
    annotation.save(force_insert=True)
    return annotation
