"""Stored totals of outlets and authors, and the per-article flag uses they add up: kept exact by
totals.refresh() in the transaction that changes an article's summary, so that the rankings and the
profile pages read a few rows whatever the corpus size.
"""
from django.db import models

from dossier.models import Article, Author, Outlet

from annotations import scoring

from .flags import Flag

BANDS = 10  # the profile's distribution of sourced-fact shares: ten bands of 10%
# The ranking's sort columns, each with its own (column, subject) index.
# (Index names have 30 characters at most.)
SORTED = {"name": "name", "article_count": "articles", "reviewed_count": "reviewed",
          "sourced_fact_share": "sourced", "unsourced_share": "unsourced", "opinion_share": "opinion"}


class ArticleFlagUse(models.Model):
    """How many times a flag is used in an article's submitted reviews: what an outlet's or author's
    most-used flags add up, without rereading its annotations."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="flag_uses")
    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="+")
    uses = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "flag"], name="flag_use_article_flag_uniq")]

    def __str__(self):
        return f"Flag {self.flag_id} used {self.uses} times in article {self.article_id}"


class TotalsQuerySet(models.QuerySet):
    def listing(self):
        """With `id` (the outlet's or author's), so that the tables' and cursors' tie-break on "id" reads
        the primary key."""
        return self.annotate(id=models.F("pk"))


class Totals(models.Model):
    """What an outlet's or author's reviewed articles add up to (aggregates.py reads them)."""

    name = models.CharField(max_length=200, help_text="The outlet's or author's name, for sorting.")
    article_count = models.PositiveIntegerField(default=0)
    reviewed_count = models.PositiveIntegerField(default=0, help_text="Articles with a submitted review.")
    sourced_chars = models.PositiveBigIntegerField(default=0)
    unsourced_chars = models.PositiveBigIntegerField(default=0)
    opinion_chars = models.PositiveBigIntegerField(default=0)
    neutral_chars = models.PositiveBigIntegerField(default=0)
    disputed_chars = models.PositiveBigIntegerField(default=0)
    not_reviewed_chars = models.PositiveBigIntegerField(default=0)
    sourcing_units = models.PositiveBigIntegerField(default=0)
    sourcing_sourced = models.PositiveBigIntegerField(default=0)
    sourcing_unsourced = models.PositiveBigIntegerField(default=0)
    sourcing_disagreement = models.FloatField(default=0)
    sourced_fact_share = models.FloatField(null=True)
    unsourced_share = models.FloatField(null=True)
    opinion_share = models.FloatField(null=True)
    bands = models.JSONField(default=list, help_text="Reviewed articles per 10% band of sourced-fact share.")
    without_facts = models.PositiveIntegerField(default=0, help_text="Reviewed articles with no sourced or "
                                                "unsourced passage.")
    flag_uses = models.JSONField(default=dict, help_text="{flag id: uses in submitted reviews}.")
    # aggregates.uncertainty() over the reviewed articles: a bootstrap, too slow for a big outlet's page.
    sourced_fact_share_ci_low = models.FloatField(null=True, help_text="The share's 95% interval, low end.")
    sourced_fact_share_ci_high = models.FloatField(null=True, help_text="Its high end.")
    sourcing_alpha_ci_low = models.FloatField(null=True, help_text="The pooled sourcing alpha's 95% interval.")
    sourcing_alpha_ci_high = models.FloatField(null=True, help_text="Its high end.")
    # A change to the reviewed articles marks the intervals stale rather than resampling them in the
    # submit's transaction (tens of milliseconds for a big outlet); the profile page resamples them once.
    intervals_stale = models.BooleanField(default=True)

    objects = TotalsQuerySet.as_manager()

    # Compared field by field by `recompute_summaries --check`.
    FIELDS = [
        "name", "article_count", "reviewed_count", *(f"{category}_chars" for category in scoring.SHARE_CATEGORIES),
        "sourcing_units", "sourcing_sourced", "sourcing_unsourced", "sourcing_disagreement", "sourced_fact_share",
        "unsourced_share", "opinion_share", "bands", "without_facts", "flag_uses",
    ]
    INTERVALS = ["sourced_fact_share_ci_low", "sourced_fact_share_ci_high", "sourcing_alpha_ci_low",
                 "sourcing_alpha_ci_high"]

    class Meta:
        abstract = True

    def __str__(self):
        return f"Totals of {self.name}"

    def values(self):
        """The stored values, for comparing with a fresh computation."""
        return {name: getattr(self, name) for name in self.FIELDS + self.INTERVALS}


def _indexes(prefix, subject):
    return [models.Index(fields=[column, subject], name=f"{prefix}_{short}_idx") for column, short in SORTED.items()]


class OutletTotals(Totals):
    kind = "outlet"
    subject_model = Outlet
    outlet = models.OneToOneField(Outlet, on_delete=models.CASCADE, primary_key=True, related_name="totals")

    class Meta:
        verbose_name_plural = "outlet totals"
        indexes = _indexes("outlet_tot", "outlet")


class AuthorTotals(Totals):
    kind = "author"
    subject_model = Author
    author = models.OneToOneField(Author, on_delete=models.CASCADE, primary_key=True, related_name="totals")

    class Meta:
        verbose_name_plural = "author totals"
        indexes = _indexes("author_tot", "author")
