"""Stored scores: each article's summary, and articles seen with them and their reviews (ScoredArticle)."""
from django.db import models
from django.db.models.functions import Coalesce
from django.db.models.sql.constants import INNER

from dossier.models import Article, ArticleQuerySet

from annotations import scoring

from .reviews import Review


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


def directed(key, descending, nulls_last=True):
    """An order_by() term: the key in that direction, NULLs last (None: where the database puts them)."""
    key = models.F(key)
    return key.desc(nulls_last=nulls_last) if descending else key.asc(nulls_last=nulls_last)


class ScoredArticleQuerySet(ArticleQuerySet):
    """Articles with their stored scores: the articles table's rows, its filters and its sorts."""

    def for_table(self):
        """What the articles table and its exports read: for_list() with the stored scores."""
        return self.for_list().with_summary()

    def with_summary(self):
        """Annotate the stored scores and `status`: one LEFT JOIN on the summary.

        Scores are None, `reviewers` and `reviews_in_progress` 0, where nobody has started a review.
        """
        Status = ArticleSummary.Status
        return self.annotate(
            sourced_fact_share=models.F("summary__sourced_fact_share"),
            unsourced_share=models.F("summary__unsourced_share"),
            opinion_share=models.F("summary__opinion_share"),
            agreement=models.F("summary__agreement"),
            reviewers=Coalesce("summary__reviewers", 0),
            reviews_in_progress=Coalesce("summary__reviews_in_progress", 0),
            status=models.Case(
                models.When(ArticleSummary.status_is(Status.REVIEWED), then=models.Value(Status.REVIEWED)),
                models.When(ArticleSummary.status_is(Status.IN_REVIEW), then=models.Value(Status.IN_REVIEW)),
                default=models.Value(Status.NOT_STARTED),
            ),
        )

    def with_status(self, status):
        """On the stored counts rather than the `status` annotation: this makes the summary join inner,
        so that a score sort can walk the summary's score index."""
        return self.filter(ArticleSummary.status_is(status))

    def by_score(self, score, descending=False):
        """Sorted by a stored score with undefined scores last in either direction, walking the summary's
        (score, article) index so that a page costs the same at any corpus size.
        """
        # Once a filter makes the summary join inner, the summary's article is the article, and a
        # further key would make SQLite sort every matching row before it can skip to a page.
        join = self.query.alias_map.get(ArticleSummary._meta.db_table)
        if join is not None and join.join_type == INNER:
            ties = [("summary__article_id", None)]
        else:
            # Articles nobody reviewed have no summary: their ties fall to the article's own id.
            ties = [("summary__article_id", True), ("id", None)]
        return self.order_by(directed(score, descending), *(directed(key, descending, last) for key, last in ties))

    def next_for(self, reviewer):
        """The reviewer's next article: one in progress first, else the newest not started; None when done."""
        in_progress = Review.Status.IN_PROGRESS
        return (
            self.with_review_status(reviewer)
            .filter(models.Q(review_status__isnull=True) | models.Q(review_status=in_progress))
            .order_by(models.Case(models.When(review_status=in_progress, then=0), default=1,
                                  output_field=models.IntegerField()), "-imported_at", "-id")
            .only("id", "title")
            .first()
        )


class ScoredArticle(Article):
    """An article seen with its scores: a proxy, so `dossier` keeps its model and knows nothing of scores."""

    objects = ScoredArticleQuerySet.as_manager()

    class Meta:
        proxy = True
        # Permissions stay on Article: this is a way of reading articles, not something to grant.
        default_permissions = ()
