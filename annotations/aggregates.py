"""Outlets and authors scored from their reviewed articles' stored summaries, weighted by text length."""
from dataclasses import dataclass

from django.db.models import Case, Count, F, FloatField, Q, Sum, When
from django.db.models.functions import Cast, Coalesce, Floor, NullIf

from . import scoring
from .models import Annotation, ArticleSummary

BANDS = 10


def with_credibility(queryset):
    """Annotate outlets or authors (anything with `articles`) with their reviewed articles' characters per
    category, `articles`, `reviewed` and the shares: one grouped query, no per-row work.
    """
    reviewed = ArticleSummary.status_is(ArticleSummary.Status.REVIEWED, through="articles__summary__")
    chars = {
        f"{category}_chars": Coalesce(Sum(f"articles__summary__{category}_chars", filter=reviewed), 0)
        for category in scoring.SHARE_CATEGORIES
    }
    total = sum((F(name) for name in chars), start=0)
    return queryset.annotate(
        article_count=Count("articles"), reviewed_count=Count("articles", filter=reviewed), **chars
    ).annotate(
        sourced_fact_share=_ratio(F("sourced_chars"), F("sourced_chars") + F("unsourced_chars")),
        unsourced_share=_ratio(F("unsourced_chars"), total),
        opinion_share=_ratio(F("opinion_chars"), total),
    )


def _ratio(part, whole):
    return Case(When(Q(reviewed_count__gt=0), then=Cast(part, FloatField()) / NullIf(whole, 0)), default=None)


def shares_of(annotated):
    """The Shares of an outlet or author annotated by with_credibility()."""
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


def distribution(articles):
    """Reviewed articles among `articles` (a queryset) counted by sourced-fact share in ten bands: one query."""
    counts, without_facts = [0] * BANDS, 0
    rows = (
        ArticleSummary.objects.reviewed()
        .filter(article__in=articles)
        .annotate(band=Floor(F("sourced_fact_share") * BANDS))
        .values("band")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        if row["band"] is None:
            without_facts += row["n"]
        else:
            counts[min(int(row["band"]), BANDS - 1)] += row["n"]  # 100% joins the top band
    top = max(counts) or 1
    step = 100 // BANDS
    bands = [Band(i * step, (i + 1) * step, count, count / top) for i, count in enumerate(counts)]
    return Distribution(bands, without_facts)


def most_used_flags(articles, limit=5):
    """[(flag name, category, uses)] in submitted reviews of `articles`, most used first: one query."""
    return list(
        Annotation.objects.submitted().filter(review__article__in=articles)
        .values_list("flag__name", "flag__category")
        .annotate(uses=Count("pk"))
        .order_by("-uses", "flag__name")[:limit]
    )
