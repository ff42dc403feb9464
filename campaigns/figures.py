"""The campaign's stored figures: its agreement (judgements.reliability) and its disputed passages, computed
by the task worker (tasks.py) rather than per request, so that its pages read a few rows at any size.

Every change to what the figures count (a submitted review of one of its articles, its articles, its
state, the flags' categories) bumps CampaignFigures.changes in the same transaction and queues a refresh
(tasks.changed); the pages show the stored figures "as of" their time, and say a refresh is pending while
the count they were computed from is behind.
"""
from django.db import models, transaction
from django.utils import timezone

from annotations import scoring
from annotations.models import Ruling

from . import judgements
from .models import Campaign, CampaignDispute, CampaignFigures


def refresh(campaign_id):
    """Compute the campaign's figures and disputes afresh and store them, unless they are already current.

    The count of changes is read before the judgements, so a change committed meanwhile leaves the
    figures pending (and queues its own refresh). Returns the figures, or None for a campaign now gone.
    """
    figures = CampaignFigures.objects.filter(pk=campaign_id).first()
    if figures is None:
        return None
    if figures.computed_from == figures.changes:
        return figures
    computed_from = figures.changes
    campaign = Campaign.objects.select_related("codebook_version").get(pk=campaign_id)
    reliability = judgements.reliability(judgements.of_campaign(campaign, campaign.sample_article_ids()),
                                         campaign.seed)
    ids = campaign.article_links.values("article_id")
    found = judgements.of_campaign(campaign, ids)
    positions = {passage_id: position for passages in found.passages.values()
                 for position, (passage_id, _) in enumerate(passages)}
    with transaction.atomic():
        # Locked, so that two refreshes at once (the worker, a status call) write one after the other, and
        # the later one does not store older figures over newer.
        stored = CampaignFigures.objects.select_for_update().filter(pk=campaign_id).values_list(
            "computed_from", flat=True).first()
        if stored is not None and stored >= computed_from:
            return CampaignFigures.objects.get(pk=campaign_id)
        rulings = dict(Ruling.objects.filter(passage__article__in=ids).values_list("passage_id", "category"))
        disputed = judgements.disputed(found, rulings)
        CampaignDispute.objects.filter(campaign_id=campaign_id).delete()
        CampaignDispute.objects.bulk_create([
            CampaignDispute(campaign_id=campaign_id, article_id=article_id, passage_id=passage_id,
                            position=positions[passage_id], ruled=ruled or "")
            for article_id, passage_id, ruled in disputed
        ], batch_size=2000)
        interval = reliability.interval or (None, None)
        CampaignFigures.objects.filter(pk=campaign_id).update(
            computed_from=computed_from, computed_at=timezone.now(),
            alpha=reliability.alpha.value, alpha_missing=reliability.alpha.missing or "",
            alpha_low=interval[0], alpha_high=interval[1], articles=reliability.articles,
            by_reviewer=[[username, alpha.value, alpha.missing, compared]
                         for username, alpha, compared in reliability.by_reviewer],
            disputed=len(disputed), ruled=sum(1 for _, _, ruled in disputed if ruled),
        )
    return CampaignFigures.objects.get(pk=campaign_id)


def ruled(passage_id, category):
    """A ruling on the passage was made, revised (category) or deleted (None): its disputes and the
    campaigns' ruled counts follow, in the ruling's transaction."""
    disputes = CampaignDispute.objects.filter(passage_id=passage_id)
    campaign_ids = list(disputes.values_list("campaign_id", flat=True))
    if not campaign_ids:
        return
    disputes.update(ruled=category or "")
    counted = (CampaignDispute.objects.filter(campaign=models.OuterRef("pk")).exclude(ruled="").order_by()
               .values("campaign").annotate(n=models.Count("pk")).values("n"))
    CampaignFigures.objects.filter(pk__in=campaign_ids).update(
        ruled=models.functions.Coalesce(models.Subquery(counted), 0))


def reliability(figures):
    """The stored figures as a judgements.Reliability, as the pages and status show it."""
    interval = (figures.alpha_low, figures.alpha_high) if figures.alpha_low is not None else None
    return judgements.Reliability(
        scoring.Alpha(figures.alpha, figures.alpha_missing or None), interval, figures.articles,
        [(username, scoring.Alpha(value, missing), compared) for username, value, missing, compared
         in figures.by_reviewer],
    )
