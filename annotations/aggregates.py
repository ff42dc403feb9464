"""Outlets and authors scored from their reviewed articles' stored summaries, weighted by text length."""
import math
from dataclasses import dataclass

from . import scoring
from .models import ArticleSummary, Flag
from .models.totals import BANDS

# Outlets and authors with fewer reviewed articles are listed apart ("too few reviewed"), not ranked.
MIN_RANKED = 5
SOURCING = ("sourcing_units", "sourcing_sourced", "sourcing_unsourced", "sourcing_disagreement")


def ranked(queryset):
    """Outlets' or authors' stored totals with enough reviewed articles to rank."""
    return queryset.filter(reviewed_count__gte=MIN_RANKED)


def too_few_reviewed(queryset):
    """The rest, listed apart: most reviewed first."""
    return queryset.filter(reviewed_count__lt=MIN_RANKED).order_by("-reviewed_count", "name", "pk")


def pooled_sourcing_alpha(annotated):
    """The sourcing alpha pooled over the passages of an outlet's or author's reviewed articles
    (its stored totals): an Alpha, "too few" under scoring.MIN_UNITS passages.
    """
    if annotated.sourcing_units < scoring.MIN_UNITS:
        return scoring.Alpha(None, scoring.TOO_FEW)
    value = float(scoring.alpha_of_totals([annotated.sourcing_sourced, annotated.sourcing_unsourced],
                                          annotated.sourcing_disagreement))
    return scoring.Alpha(None, scoring.UNDEFINED) if math.isnan(value) else scoring.Alpha(value)


@dataclass
class Uncertainty:
    """An outlet's or author's intervals, resampling its reviewed articles."""

    sourced_fact_share: tuple | None
    sourcing_alpha: tuple | None


def uncertainty(articles, seed):
    """The 95% intervals over `articles` (a queryset) reviewed: one query. The seed is the outlet's or
    author's id. Costs about 5 ms a thousand articles: the resamples are articles x 1,000.
    """
    return uncertainty_of(
        ArticleSummary.objects.reviewed().filter(article__in=articles).order_by("article_id")
        .values_list(*UNCERTAINTY_FIELDS), seed
    )


UNCERTAINTY_FIELDS = ("sourced_chars", "unsourced_chars", *SOURCING)


def uncertainty_of(rows, seed):
    """The intervals from reviewed summaries' UNCERTAINTY_FIELDS rows, in article order."""
    rows = list(rows)
    if not rows:
        return Uncertainty(None, None)
    sourced, unsourced, units, first, second, disagreement = zip(*rows)
    alpha = None
    if sum(units) >= scoring.MIN_UNITS:
        alpha = scoring.pooled_alpha_interval(list(zip(first, second)), disagreement, seed)
    return Uncertainty(scoring.pooled_share_interval(sourced, unsourced, seed), alpha)


def stored_uncertainty(totals):
    """An outlet's or author's intervals as its stored totals hold them (as uncertainty() gave them)."""
    def pair(name):
        low = getattr(totals, f"{name}_ci_low")
        return None if low is None else (low, getattr(totals, f"{name}_ci_high"))

    return Uncertainty(pair("sourced_fact_share"), pair("sourcing_alpha"))


def shares_of(annotated):
    """The Shares of an outlet's or author's stored totals."""
    return scoring.Shares.of(
        {category: getattr(annotated, f"{category}_chars") for category in scoring.SHARE_CATEGORIES}
    )


@dataclass
class Band:
    low: int  # percent
    high: int
    count: int
    height: float  # count / the largest band's count, for the chart


@dataclass
class Distribution:
    bands: list
    without_facts: int  # reviewed articles with no sourced or unsourced passage

    @property
    def total(self):
        return sum(band.count for band in self.bands) + self.without_facts


def distribution(totals):
    """An outlet's or author's reviewed articles counted by sourced-fact share in ten bands, from its
    stored totals (annotations/totals.py): no query."""
    counts = list(totals.bands) or [0] * BANDS
    top = max(counts) or 1
    step = 100 // BANDS
    bands = [Band(i * step, (i + 1) * step, count, count / top) for i, count in enumerate(counts)]
    return Distribution(bands, totals.without_facts)


def most_used_flags(totals, limit=5):
    """[(flag name, category, uses)] in the submitted reviews of an outlet's or author's articles, most
    used first, from its stored totals: one query (the flags' names)."""
    uses = {int(flag_id): n for flag_id, n in totals.flag_uses.items() if n}
    flags = Flag.objects.filter(pk__in=uses).values_list("pk", "name", "category")
    return sorted(((name, category, uses[pk]) for pk, name, category in flags), key=lambda row: (-row[2], row[0]))[
        :limit
    ]
