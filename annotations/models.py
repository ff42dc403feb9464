"""Flags, reviews and annotations: what reviewers say about passages."""
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dossier.models import Article, Passage
from dossier.validators import web_url

from . import scoring


HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}\Z")


class FlagQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def get_by_natural_key(self, name):
        return self.get(name=name)


class Flag(models.Model):
    class Category(models.TextChoices):
        SOURCED = "sourced", "Sourced"
        UNSOURCED = "unsourced", "Unsourced"
        OPINION = "opinion", "Opinion"
        NEUTRAL = "neutral", "Neutral"

    name = models.CharField(max_length=80, unique=True, help_text="Shown on the flag's button and in exports.")
    category = models.CharField(
        max_length=12, choices=Category.choices, help_text="What a passage carrying this flag counts as."
    )
    guideline = models.CharField(max_length=200, help_text="One line telling reviewers when to use the flag.")
    colour = models.CharField(
        max_length=7, default="#888888", help_text="Mark colour, as #rrggbb.",
        validators=[RegexValidator(HEX_COLOUR, "Use a colour like #1f77b4.")],
    )
    shortcut = models.CharField(
        max_length=1, blank=True, help_text="One lower-case letter or digit that toggles the flag (not j, k or n).",
        validators=[RegexValidator(r"^[a-z0-9]$", "Use one lower-case letter or digit."),
                    RegexValidator(r"^[jkn]$", "j, k and n move and edit notes.", inverse_match=True)],
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Position in the flag bar.")
    active = models.BooleanField(default=True, help_text="Inactive flags stay on old annotations but cannot be added.")

    objects = FlagQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["shortcut"], condition=~models.Q(shortcut=""), name="flag_unique_shortcut"
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class ReviewClosed(Exception):
    """A submitted review is final: its flags no longer change."""


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

    def set_flag(self, passage, flag, on, **details):
        """Put the flag on the passage (with any note, evidence_url, start, end given) or take it off.

        Idempotent: the same call twice leaves the same state.
        """
        if self.is_submitted:
            raise ReviewClosed("This review is submitted; its flags can no longer change.")
        # Through the related manager, so each annotation arrives knowing its review (the summary
        # signals ask whether it is submitted).
        key = {"passage": passage, "flag": flag}
        if not on:
            self.annotations.filter(**key).delete()
            return None
        annotation, created = self.annotations.get_or_create(**key, defaults=details)
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

    def flagged_passages(self):
        return self.annotations.values("passage").distinct().count()


class Annotation(models.Model):
    """A reviewer's flag on a passage, with an optional note, evidence and exact sub-range."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="annotations")
    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="annotations")
    flag = models.ForeignKey(Flag, on_delete=models.PROTECT, related_name="annotations")
    note = models.TextField(blank=True, max_length=2000, help_text="Why the flag applies.")
    evidence_url = models.URLField(max_length=2000, blank=True, validators=[web_url], help_text="A source that supports the note.")
    start = models.PositiveIntegerField(
        null=True, blank=True, help_text="Start of the flagged words in the article body, if not the whole passage."
    )
    end = models.PositiveIntegerField(null=True, blank=True, help_text="End of the flagged words (exclusive).")
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

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


class ArticleSummaryQuerySet(models.QuerySet):
    def reviewed(self):
        return self.filter(ArticleSummary.status_is(ArticleSummary.Status.REVIEWED, through=""))


class ArticleSummary(models.Model):
    """An article's scores, kept exact by summaries.refresh() in the transaction of every change.

    An article nobody has started reviewing has no summary: all of its text is not reviewed.
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_REVIEW = "in_review", "In review"
        REVIEWED = "reviewed", "Reviewed"

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="summary")
    sourced_chars = models.PositiveIntegerField(default=0, help_text="Characters of text whose consensus is sourced.")
    unsourced_chars = models.PositiveIntegerField(default=0, help_text="Characters whose consensus is unsourced.")
    opinion_chars = models.PositiveIntegerField(default=0, help_text="Characters whose consensus is opinion.")
    neutral_chars = models.PositiveIntegerField(default=0, help_text="Characters whose consensus is neutral.")
    disputed_chars = models.PositiveIntegerField(default=0, help_text="Characters the reviewers disagree on.")
    not_reviewed_chars = models.PositiveIntegerField(default=0, help_text="Characters no submitted review flagged.")
    sourced_fact_share = models.FloatField(null=True, help_text="Sourced / (sourced + unsourced); empty when neither.")
    unsourced_share = models.FloatField(null=True, help_text="Unsourced characters / all characters.")
    opinion_share = models.FloatField(null=True, help_text="Opinion characters / all characters.")
    agreement = models.FloatField(null=True, help_text="Krippendorff's alpha (nominal); empty when undefined.")
    reviewers = models.PositiveSmallIntegerField(default=0, help_text="Submitted reviews.")
    reviews_in_progress = models.PositiveSmallIntegerField(default=0, help_text="Reviews started, not submitted.")

    objects = ArticleSummaryQuerySet.as_manager()

    # Compared field by field by `recompute_summaries --check`.
    SCORE_FIELDS = [
        "sourced_chars", "unsourced_chars", "opinion_chars", "neutral_chars", "disputed_chars",
        "not_reviewed_chars", "sourced_fact_share", "unsourced_share", "opinion_share", "agreement",
        "reviewers", "reviews_in_progress",
    ]

    class Meta:
        verbose_name_plural = "article summaries"
        # The articles table sorted by a score reads its rows in this order and stops after one page
        # (both directions; SQLite walks NULLs last for ascending too), whatever the corpus size.
        indexes = [
            models.Index(fields=[score, "article"], name=f"summary_{score}_idx")
            for score in ("sourced_fact_share", "unsourced_share", "opinion_share", "agreement")
        ]

    def __str__(self):
        return f"Summary of article {self.article_id}"

    @classmethod
    def of(cls, article_id, score, reviews_in_progress):
        """The summary an article's Score gives (unsaved)."""
        shares = score.shares
        return cls(
            article_id=article_id,
            **{f"{category}_chars": chars for category, chars in shares.chars.items()},
            sourced_fact_share=shares.sourced_fact_share,
            unsourced_share=shares.share(scoring.UNSOURCED),
            opinion_share=shares.share(scoring.OPINION),
            agreement=score.agreement,
            reviewers=score.reviewers,
            reviews_in_progress=reviews_in_progress,
        )

    @classmethod
    def status_is(cls, status, through="summary__"):
        """The stored counts that give this status (as `status` reads them), as a Q on articles, or on
        summaries with through="" (or on anything that reaches them with another path).
        """
        if status == cls.Status.REVIEWED:
            return models.Q(**{f"{through}reviewers__gt": 0})
        if status == cls.Status.IN_REVIEW:
            return models.Q(**{f"{through}reviewers": 0, f"{through}reviews_in_progress__gt": 0})
        started = cls.status_is(cls.Status.REVIEWED, through) | cls.status_is(cls.Status.IN_REVIEW, through)
        # Through articles, filter() joins the summary inner unless told that a missing one counts.
        return ~started if not through else models.Q(**{f"{through}isnull": True}) | ~started

    @property
    def status(self):
        if self.reviewers:
            return self.Status.REVIEWED
        return self.Status.IN_REVIEW if self.reviews_in_progress else self.Status.NOT_STARTED

    def scores(self):
        """The stored values, for comparing with a fresh computation."""
        return {name: getattr(self, name) for name in self.SCORE_FIELDS}


class Export(models.Model):
    """One export an editor or a scheduled job made: who, when, what, with which filter, how many rows."""

    class Kind(models.TextChoices):
        TABLE = "table", "Articles table"
        REPORT = "report", "Article report"
        ANNOTATIONS = "annotations", "Web annotations"

    class Via(models.TextChoices):
        WEB = "web", "Web"
        COMMAND = "command", "Command"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="Who exported, when through the web.",
    )
    # Kept apart from `user` so the log still names them after their account is deleted.
    username = models.CharField(max_length=150, help_text="Login name, or the system account for a command.")
    via = models.CharField(max_length=10, choices=Via.choices)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    format = models.CharField(max_length=10)
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="The article, for a one-article export.",
    )
    parameters = models.JSONField(default=dict, blank=True, help_text="The filter and sort asked for.")
    rows = models.PositiveIntegerField(
        null=True, blank=True,
        help_text="Rows, passages or annotations exported; empty while it runs, or when it did not finish.",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} as {self.format} by {self.username}"

    def finish(self, rows):
        """Record that the export completed with this many rows."""
        self.rows = rows
        self.save(update_fields=["rows"])
