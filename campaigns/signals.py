"""Assignments follow their reviews; and the reviewer's pages (annotations) learn of assignments through
the extension points annotations.signals defines.
"""
import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse

from dossier.models import Article, article_revised

from annotations.models import Annotation, Flag, Review, Ruling, review_submitted
from annotations.signals import closed_articles, next_assignment, queue_sections, review_refusal, table_selection

from . import figures, tasks
from .models import Assignment, Campaign, CampaignArticle, CampaignError, CampaignReviewer, campaign_changed

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueueSection:
    template: str
    groups: list  # (campaign, [assignment]) in due order


@receiver(post_save, sender=Review, dispatch_uid="campaigns.assignment_state")
def follow_review(sender, instance, raw=False, **kwargs):
    if raw:
        return
    state = Assignment.State.for_review(instance.status)
    Assignment.objects.filter(article_id=instance.article_id, reviewer_id=instance.reviewer_id).exclude(
        state=state
    ).update(state=state)


@receiver(review_submitted, sender=Review, dispatch_uid="campaigns.figures_review_submitted")
def review_submitted_figures(sender, review, **kwargs):
    """The campaigns holding the article count the new judgements (and queue the refresh of their figures)."""
    tasks.articles_changed([review.article_id])


@receiver(post_delete, sender=Review, dispatch_uid="campaigns.figures_review_deleted")
def review_deleted_figures(sender, instance, origin=None, **kwargs):
    if instance.is_submitted and not _deleting(origin, Article):
        tasks.articles_changed([instance.article_id])


@receiver(post_save, sender=Annotation, dispatch_uid="campaigns.figures_annotation_saved")
@receiver(post_delete, sender=Annotation, dispatch_uid="campaigns.figures_annotation_deleted")
def annotation_changed_figures(sender, instance, raw=False, origin=None, **kwargs):
    """A submitted review's annotation changed (the admin): its campaigns' figures follow. A delete that
    began elsewhere (review, article) is counted once by that object's receiver."""
    if raw or (origin is not None and not _deleting(origin, Annotation)):
        return
    review = instance.review  # cached when the change came through Review.set_flag
    if review.is_submitted:
        tasks.articles_changed([review.article_id])


@receiver(article_revised, sender=Article, dispatch_uid="campaigns.figures_article_revised")
def article_revised_figures(sender, article, **kwargs):
    tasks.articles_changed([article.pk])


@receiver(post_save, sender=Flag, dispatch_uid="campaigns.figures_flag_saved")
def flag_saved_figures(sender, instance, created, raw=False, **kwargs):
    """A flag's category changed: a flag the pinned codebook never knew counts as its own, so every
    campaign's figures may move (rare, so all of them refresh)."""
    before = getattr(instance, "_coding_before", None)
    if raw or created or before is None or before[0] == instance.category:
        return
    tasks.changed(Campaign.objects.values_list("pk", flat=True))


@receiver(post_delete, sender=CampaignArticle, dispatch_uid="campaigns.figures_article_left")
def article_left_figures(sender, instance, origin=None, **kwargs):
    """A deleted article leaves its campaigns, and their figures (a deleted campaign takes its own along)."""
    if not _deleting(origin, Campaign):
        tasks.changed([instance.campaign_id])


@receiver(campaign_changed, sender=Campaign, dispatch_uid="campaigns.figures_campaign_changed")
def campaign_changed_figures(sender, campaign_id, **kwargs):
    tasks.changed([campaign_id])


@receiver(post_save, sender=Ruling, dispatch_uid="campaigns.figures_ruling_saved")
def ruling_saved_figures(sender, instance, raw=False, **kwargs):
    if not raw:
        figures.ruled(instance.passage_id, instance.category)


@receiver(post_delete, sender=Ruling, dispatch_uid="campaigns.figures_ruling_deleted")
def ruling_deleted_figures(sender, instance, origin=None, **kwargs):
    figures.ruled(instance.passage_id, None)


def _deleting(origin, model):
    return isinstance(origin, model) or (isinstance(origin, QuerySet) and origin.model is model)


@receiver(queue_sections, dispatch_uid="campaigns.queue_sections")
def assigned_work(sender, reviewer, **kwargs):
    """The reviewer's assignments in open campaigns, grouped by campaign: one query."""
    groups = {}
    for assignment in Assignment.objects.for_reviewer(reviewer):
        groups.setdefault(assignment.campaign, []).append(assignment)
    if not groups:
        return None
    return {"queue_sections": [QueueSection("campaigns/_assignments.html", list(groups.items()))]}


@receiver(table_selection, dispatch_uid="campaigns.table_selection")
def add_to_a_campaign(sender, user, **kwargs):
    """The articles table (editors and admins) takes rows into a campaign: no query."""
    return {"url": reverse("campaigns:add-from-table"), "label": "a campaign"}


@receiver(next_assignment, dispatch_uid="campaigns.next_assignment")
def oldest_due(sender, reviewer, **kwargs):
    """The article of the reviewer's oldest due unsubmitted assignment, or None."""
    return Assignment.objects.for_reviewer(reviewer).unfinished().values_list("article_id", flat=True).first()


def _closed_to(reviewer):
    """The campaign-article rows that keep an article from the reviewer: in an open campaign that keeps it to
    its assigned reviewers, while no open campaign assigns the reviewer that article."""
    mine = Assignment.objects.filter(reviewer=reviewer, campaign__state=Campaign.State.OPEN).values("article_id")
    return CampaignArticle.objects.filter(
        campaign__state=Campaign.State.OPEN, campaign__allow_unassigned=False
    ).exclude(article_id__in=mine)


@receiver(review_refusal, dispatch_uid="campaigns.review_refusal")
def assigned_to_others(sender, article, reviewer, **kwargs):
    """Refused where the article is closed to the reviewer (see _closed_to): one plain query for an article in
    no such campaign (every flag toggle asks), a second for one that is."""
    closing = CampaignArticle.objects.filter(
        article=article, campaign__state=Campaign.State.OPEN, campaign__allow_unassigned=False
    ).order_by("pk").values_list("campaign__name", flat=True).first()
    if closing is None or Assignment.objects.filter(
        reviewer=reviewer, article=article, campaign__state=Campaign.State.OPEN
    ).exists():
        return None
    return f"This article is assigned to other reviewers in the campaign “{closing}”."


@receiver(closed_articles, dispatch_uid="campaigns.closed_articles")
def closed_to_reviewer(sender, reviewer, **kwargs):
    """The articles the reviewer's Next article must skip: a subquery, no query of its own."""
    return _closed_to(reviewer).values("article_id")


@receiver(post_save, sender=get_user_model(), dispatch_uid="campaigns.reviewer_deactivated")
def hand_over_work(sender, instance, raw=False, **kwargs):
    """A deactivated reviewer leaves every open campaign's pool; their unstarted work goes to others."""
    if raw or instance.is_active:
        return
    for membership in CampaignReviewer.objects.filter(
        reviewer=instance, active=True, campaign__state=Campaign.State.OPEN
    ).select_related("campaign"):
        try:
            moved = membership.campaign.remove_reviewer(instance)
        except CampaignError as error:  # nobody eligible is left: the work stays put, and the log says why
            logger.warning("%s was deactivated; campaign “%s” keeps their work: %s", instance, membership.campaign,
                           error)
        else:
            logger.warning("%s was deactivated; campaign “%s” handed %d unstarted assignments to others.",
                           instance, membership.campaign, moved)
