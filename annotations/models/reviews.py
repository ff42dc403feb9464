"""Reviews and annotations: one reviewer's work on one article, and their flags on its passages."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dossier.models import Article, Passage
from dossier.validators import web_url

from .flags import Flag

# Sent inside the transaction that submits a review, with `review`; receivers that reach outside the
# database wait for the commit.
review_submitted = Signal()


UNREAD = object()  # Review.set_flag's `existing` when the caller has not looked it up


class ReviewClosed(Exception):
    """A submitted review is final: its flags no longer change."""


class ReviewQuerySet(models.QuerySet):
    def locked(self):
        """Row-locked until the transaction ends (PostgreSQL; SQLite's IMMEDIATE transactions already
        serialise writers), so that a submit arriving meanwhile waits and then sees the change.
        """
        return self.select_for_update()

    def lock_for(self, article, reviewer):
        """(The reviewer's review of the article, locked (see locked()), whether it was started just now)."""
        return self.locked().get_or_create(article=article, reviewer=reviewer)


class Review(models.Model):
    """One reviewer's work on one article."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            # Also serves "this reviewer's review of this article" and the reviewer's queue.
            models.UniqueConstraint(fields=["reviewer", "article"], name="review_unique_reviewer_article"),
            models.CheckConstraint(
                condition=models.Q(status="in_progress") | models.Q(submitted_at__isnull=False),
                name="review_submitted_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.reviewer} on {self.article_id} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("annotations:workspace", args=[self.article_id])

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED

    def set_flag(self, passage, flag, on, existing=UNREAD, **details):
        """Put the flag on the passage (with any note, evidence_url, start, end given) or take it off.

        Idempotent: the same call twice leaves the same state. A change to a submitted review's
        annotation (admin, cascades) refreshes the article's summary: signals.py. `existing` is this
        flag's annotation on the passage (or None) when the caller has read it with the review locked,
        so that no other write can add it meanwhile (reviewing.py); it is looked up here otherwise.
        """
        if self.is_submitted:
            raise ReviewClosed("This review is submitted; its flags can no longer change.")
        # Through the related manager, so each annotation arrives knowing its review (the summary
        # signals ask whether it is submitted).
        key = {"passage": passage, "flag": flag}
        if existing is UNREAD:
            if not on:
                self.annotations.filter(**key).delete()
                return None
            annotation, created = self.annotations.get_or_create(**key, defaults=details)
        elif not on:
            if existing is not None:
                existing.delete()
            return None
        elif existing is None:
            # No savepoint as get_or_create takes: the locked review keeps a duplicate from racing in.
            return self.annotations.create(**key, **details)
        else:
            annotation, created = existing, False
        if details and not created:
            for name, value in details.items():
                setattr(annotation, name, value)
            annotation.save(update_fields=[*details, "modified_at"])
        return annotation

    def submit(self):
        """Mark the review submitted; submitting twice changes nothing."""
        if not self.is_submitted:
            self.status = self.Status.SUBMITTED
            self.submitted_at = timezone.now()
            self.save(update_fields=["status", "submitted_at", "updated_at"])
            review_submitted.send(sender=Review, review=self)

    def flagged_passages(self):
        return self.annotations.aggregate(passages=models.Count("passage", distinct=True))["passages"]


class AnnotationQuerySet(models.QuerySet):
    def submitted(self):
        """Annotations of submitted reviews: the only ones that count in scores and exports."""
        return self.filter(review__status=Review.Status.SUBMITTED)

    def visible_in(self, article, review, scope):
        """The article's annotations a reader may see: the review's own ("own"), every submitted
        review's ("submitted", once the reader has submitted), or all ("all", editors and admins).
        """
        annotations = self.filter(review__article=article)
        if scope == "own":
            return annotations.filter(review=review) if review else annotations.none()
        if scope == "submitted":
            return annotations.submitted()
        return annotations


class Annotation(models.Model):
    """A reviewer's flag on a passage, with an optional note, evidence and exact sub-range."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="annotations")
    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="annotations")
    flag = models.ForeignKey(Flag, on_delete=models.PROTECT, related_name="annotations")
    note = models.TextField(blank=True, max_length=2000, help_text="Why the flag applies.")
    evidence_url = models.URLField(
        max_length=2000, blank=True, validators=[web_url], help_text="A source that supports the note."
    )
    start = models.PositiveIntegerField(
        null=True, blank=True, help_text="Start of the flagged words in the article body, if not the whole passage."
    )
    end = models.PositiveIntegerField(null=True, blank=True, help_text="End of the flagged words (exclusive).")
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = AnnotationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            # A reviewer flags a passage once per flag (the review fixes the reviewer).
            models.UniqueConstraint(fields=["review", "passage", "flag"], name="annotation_unique_per_reviewer"),
            models.CheckConstraint(
                # Spelled out for NULLs: a CHECK that evaluates to NULL passes.
                condition=models.Q(start__isnull=True, end__isnull=True)
                | models.Q(start__isnull=False, end__isnull=False, start__lt=models.F("end")),
                name="annotation_subrange_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.flag} on {self.passage}"

    def clean(self):
        if self.start is not None and not self.passage.contains(self.start, self.end):
            raise ValidationError("The selected words must lie inside the passage.")

    @property
    def quote(self):
        """The exact flagged words, or "" for the whole passage; reads passage.article.body."""
        if self.start is None:
            return ""
        return self.passage.article.body[self.start : self.end]

    @property
    def passage_span(self):
        """The flagged words as (start, end) code-point offsets into the passage's own text, or None."""
        if self.start is None:
            return None
        return (self.start - self.passage.start, self.end - self.passage.start)
