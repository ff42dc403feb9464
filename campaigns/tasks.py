"""The campaign's stored figures (figures.py), refreshed by the task worker after each change."""
from django.db import models
from django_tasks import task

from . import figures
from .models import CampaignArticle, CampaignFigures


def changed(campaign_ids):
    """Count a change to these campaigns' judgements and queue a refresh of their figures."""
    campaign_ids = sorted(set(campaign_ids))
    if not campaign_ids:
        return
    CampaignFigures.objects.filter(pk__in=campaign_ids).update(changes=models.F("changes") + 1)
    # Queued in the change's transaction (as dossier.tasks queues its jobs): the worker sees the task when
    # it sees the change. The tests' immediate backend runs it here, so their figures are exact at once.
    for campaign_id in campaign_ids:
        refresh_figures.enqueue(campaign_id)


def articles_changed(article_ids):
    """changed() for every campaign holding one of these articles: one query, and one update if any."""
    changed(CampaignArticle.objects.filter(article_id__in=article_ids).values_list("campaign_id", flat=True))


@task()
def refresh_figures(campaign_id):
    """Store the campaign's agreement and disputed passages; nothing if they are already current."""
    figures.refresh(campaign_id)
