"""Stored scores: each article's summary, and articles seen with them and their reviews (ScoredArticle)."""
from django.db import models

from dossier.models import Article, ArticleQuerySet

from annotations import scoring

from .reviews import Review

# The stored scores the articles table sorts by, each walking its own (score, article) index.
SORTED_SCORES = (
    "sourced_fact_share", "unsourced_share", "opinion_share", "agreement", "fact_coverage", "alpha_reliable",
    "ruled_sourced_fact_share",
)
INDEX_NAMES = {"ruled_sourced_fact_share": "summary_ruled_share_idx"}  # index names have 30 characters at most


class ArticleSummaryQuerySet(models.QuerySet):
    def reviewed(self):
        return self.filter(ArticleSummary.status_is(ArticleSummary.Status.REVIEWED, through=""))


class ArticleSummary(models.Model):
    """An article's scores, kept exact by summaries.refresh() in the transaction of every change.

    Every article has one from its import on: not_started() while nobody has started reviewing it.
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_REVIEW = "in_review", "In review"
        REVIEWED = "reviewed", "Reviewed"

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="summary")
    method_version = models.PositiveSmallIntegerField(
        default=scoring.METHOD_VERSION, help_text="The version of docs/methodology.md's rules that computed it."
    )
    codebook_version = models.PositiveIntegerField(
        null=True, help_text="The codebook version (flag categories) that computed it."
    )
    sourced_chars = models.PositiveIntegerField(default=0, help_text="Characters of text whose consensus is sourced.")
    unsourced_chars = models.PositiveIntegerField(default=0, help_text="Characters whose consensus is unsourced.")
    opinion_chars = models.PositiveIntegerField(default=0, help_text="Characters whose consensus is opinion.")
    neutral_chars = models.PositiveIntegerField(default=0, help_text="Characters whose consensus is neutral.")
    disputed_chars = models.PositiveIntegerField(default=0, help_text="Characters the reviewers disagree on.")
    not_reviewed_chars = models.PositiveIntegerField(
        default=0, help_text="All the characters while no review is submitted, else none."
    )
    sourced_fact_share = models.FloatField(null=True, help_text="Sourced / (sourced + unsourced); empty when neither.")
    ruled_sourced_fact_share = models.FloatField(
        null=True, help_text="The headline after editors' rulings on disputed passages (the headline itself "
        "when no ruling applies)."
    )
    sourced_fact_share_ci_low = models.FloatField(null=True, help_text="The headline's 95% interval, low end.")
    sourced_fact_share_ci_high = models.FloatField(null=True, help_text="The headline's 95% interval, high end.")
    sourced_fact_share_low = models.FloatField(
        null=True, help_text="The headline with every disputed passage that anyone called unsourced as unsourced."
    )
    sourced_fact_share_high = models.FloatField(
        null=True, help_text="The headline with every disputed passage that anyone called sourced as sourced."
    )
    fact_coverage = models.FloatField(
        null=True, help_text="Characters most reviewers took for a claim of fact / all characters."
    )
    unsourced_share = models.FloatField(null=True, help_text="Unsourced characters / all characters.")
    opinion_share = models.FloatField(null=True, help_text="Opinion characters / all characters.")
    agreement = models.FloatField(
        null=True, help_text="Krippendorff's alpha (nominal, four categories); empty when too few or undefined."
    )
    agreement_ci_low = models.FloatField(null=True, help_text="Alpha's 95% bootstrap interval, low end.")
    agreement_ci_high = models.FloatField(null=True, help_text="Alpha's 95% bootstrap interval, high end.")
    alpha_reliable = models.BooleanField(
        null=True, help_text="Alpha's interval starts at 0.667 or more; empty when too few or undefined."
    )
    alpha_fact = models.FloatField(null=True, help_text="Alpha of claim of fact against the rest.")
    alpha_fact_ci_low = models.FloatField(null=True, help_text="Its 95% interval, low end.")
    alpha_fact_ci_high = models.FloatField(null=True, help_text="Its 95% interval, high end.")
    alpha_sourcing = models.FloatField(null=True, help_text="Alpha of sourced against unsourced.")
    alpha_sourcing_ci_low = models.FloatField(null=True, help_text="Its 95% interval, low end.")
    alpha_sourcing_ci_high = models.FloatField(null=True, help_text="Its 95% interval, high end.")
    # What the sourcing alpha pools over an outlet's or author's articles (aggregates.py).
    sourcing_units = models.PositiveIntegerField(
        default=0, help_text="Passages where at least two reviewers chose sourced or unsourced."
    )
    sourcing_sourced = models.PositiveIntegerField(default=0, help_text="Sourced choices in those passages.")
    sourcing_unsourced = models.PositiveIntegerField(default=0, help_text="Unsourced choices in those passages.")
    sourcing_disagreement = models.FloatField(
        default=0, help_text="Their disagreeing pairs, each passage's divided by its choices less one."
    )
    bootstrap_seed = models.BigIntegerField(
        null=True, help_text="The seed of the bootstrap's resamples (the article's id)."
    )
    reviewers = models.PositiveSmallIntegerField(default=0, help_text="Submitted reviews.")
    reviews_in_progress = models.PositiveSmallIntegerField(default=0, help_text="Reviews started, not submitted.")

    objects = ArticleSummaryQuerySet.as_manager()

    # Compared field by field by `recompute_summaries --check`.
    SCORE_FIELDS = [
        "method_version", "codebook_version", "sourced_chars", "unsourced_chars", "opinion_chars", "neutral_chars",
        "disputed_chars", "not_reviewed_chars", "sourced_fact_share", "ruled_sourced_fact_share",
        "sourced_fact_share_ci_low",
        "sourced_fact_share_ci_high", "sourced_fact_share_low", "sourced_fact_share_high", "fact_coverage",
        "unsourced_share", "opinion_share", "agreement", "agreement_ci_low", "agreement_ci_high", "alpha_reliable",
        "alpha_fact", "alpha_fact_ci_low", "alpha_fact_ci_high", "alpha_sourcing", "alpha_sourcing_ci_low",
        "alpha_sourcing_ci_high", "sourcing_units", "sourcing_sourced", "sourcing_unsourced",
        "sourcing_disagreement", "bootstrap_seed", "reviewers", "reviews_in_progress",
    ]

    class Meta:
        verbose_name_plural = "article summaries"
        # The articles table sorted by a score reads its rows in this order and stops after one page
        # (both directions; SQLite walks NULLs last for ascending too), whatever the corpus size.
        indexes = [
            models.Index(fields=[score, "article"], name=INDEX_NAMES.get(score, f"summary_{score}_idx"))
            for score in SORTED_SCORES
        ]

    def __str__(self):
        return f"Summary of article {self.article_id}"

    @classmethod
    def of(cls, article_id, score, reviews_in_progress, codebook_version, ruled=None):
        """The summary an article's Score (computed with its bootstrap intervals) gives, unsaved; `ruled`
        is its Score after rulings when one applies."""
        shares, intervals = score.shares, score.intervals
        low, high = score.bounds or (None, None)
        sourcing = score.sourcing_totals
        return cls(
            article_id=article_id,
            method_version=scoring.METHOD_VERSION,
            codebook_version=codebook_version,
            **{f"{category}_chars": chars for category, chars in shares.chars.items()},
            sourced_fact_share=shares.sourced_fact_share,
            ruled_sourced_fact_share=(ruled or score).shares.sourced_fact_share,
            **_ends("sourced_fact_share_ci", intervals.sourced_fact_share),
            sourced_fact_share_low=low,
            sourced_fact_share_high=high,
            fact_coverage=score.fact_coverage,
            unsourced_share=shares.share(scoring.UNSOURCED),
            opinion_share=shares.share(scoring.OPINION),
            agreement=score.agreement.value,
            **_ends("agreement_ci", intervals.agreement),
            alpha_reliable=score.alpha_reliable,
            alpha_fact=score.alpha_fact.value,
            **_ends("alpha_fact_ci", intervals.alpha_fact),
            alpha_sourcing=score.alpha_sourcing.value,
            **_ends("alpha_sourcing_ci", intervals.alpha_sourcing),
            sourcing_units=sourcing.units,
            sourcing_sourced=sourcing.sourced,
            sourcing_unsourced=sourcing.unsourced,
            sourcing_disagreement=sourcing.disagreement,
            bootstrap_seed=article_id,
            reviewers=score.reviewers,
            reviews_in_progress=reviews_in_progress,
        )

    @classmethod
    def not_started(cls, article_id):
        """The summary of an article nobody has started reviewing, unsaved: no scores, no counts."""
        return cls(article_id=article_id, method_version=scoring.METHOD_VERSION)

    @classmethod
    def status_is(cls, status, through="summary__"):
        """The stored counts that give this status (as `status` reads them), as a Q on articles, or on
        summaries with through="" (or on anything that reaches them with another path).
        """
        if status == cls.Status.REVIEWED:
            return models.Q(**{f"{through}reviewers__gt": 0})
        if status == cls.Status.IN_REVIEW:
            return models.Q(**{f"{through}reviewers": 0, f"{through}reviews_in_progress__gt": 0})
        return models.Q(**{f"{through}reviewers": 0, f"{through}reviews_in_progress": 0})

    @property
    def status(self):
        if self.reviewers:
            return self.Status.REVIEWED
        return self.Status.IN_REVIEW if self.reviews_in_progress else self.Status.NOT_STARTED

    def scores(self):
        """The stored values, for comparing with a fresh computation."""
        return {name: getattr(self, name) for name in self.SCORE_FIELDS}

    def interval(self, name):
        """A stored interval as (low, high), or None: name is "sourced_fact_share_ci", "agreement_ci", ..."""
        low, high = getattr(self, f"{name}_low"), getattr(self, f"{name}_high")
        return None if low is None else (low, high)


def _ends(name, interval):
    """An interval as the two fields that store it."""
    low, high = interval or (None, None)
    return {f"{name}_low": low, f"{name}_high": high}


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
        """Annotate the stored scores and `status`: one LEFT JOIN on the summary (every article has one).

        Scores are None, `reviewers` and `reviews_in_progress` 0, where nobody has started a review. The
        join stays outer here: an inner one lets the database drive a page by id or date from the
        summary's side, reading every summary above the cursor first (by_score() makes it inner).
        """
        Status = ArticleSummary.Status
        return self.annotate(
            sourced_fact_share=models.F("summary__sourced_fact_share"),
            ruled_sourced_fact_share=models.F("summary__ruled_sourced_fact_share"),
            unsourced_share=models.F("summary__unsourced_share"),
            opinion_share=models.F("summary__opinion_share"),
            agreement=models.F("summary__agreement"),
            fact_coverage=models.F("summary__fact_coverage"),
            alpha_reliable=models.F("summary__alpha_reliable"),
            method_version=models.F("summary__method_version"),
            codebook_version=models.F("summary__codebook_version"),
            reviewers=models.F("summary__reviewers"),
            reviews_in_progress=models.F("summary__reviews_in_progress"),
            status=models.Case(
                models.When(ArticleSummary.status_is(Status.REVIEWED), then=models.Value(Status.REVIEWED)),
                models.When(ArticleSummary.status_is(Status.IN_REVIEW), then=models.Value(Status.IN_REVIEW)),
                default=models.Value(Status.NOT_STARTED),
            ),
        )

    def with_status(self, status):
        """On the stored counts rather than the `status` annotation, so that the database can use them."""
        return self.filter(ArticleSummary.status_is(status))

    def by_score(self, score, descending=False):
        """Sorted by a stored score with undefined scores last in either direction, walking the summary's
        (score, article) index so that a page costs the same at any corpus size.
        """
        # isnull=False lets both databases make the join inner (the condition always holds), so that
        # the page walks the summary's index; the summary's article is then the article, and a tie-break
        # on the article's own id would make SQLite sort every matching row before it can skip to a page.
        return self.filter(summary__isnull=False).order_by(
            directed(score, descending), directed("summary__article_id", descending, None))

    def next_for(self, reviewer, closed=None):
        """The reviewer's next article: one in progress first, else the newest not started; None when done.
        `closed`: ids of articles the reviewer may not review (a subquery), left out."""
        in_progress = Review.Status.IN_PROGRESS
        articles = self if closed is None else self.exclude(pk__in=closed)
        return (
            articles.with_review_status(reviewer)
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
