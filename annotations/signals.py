"""Keep stored summaries exact: every change that can move a score refreshes its article's summary
in the same transaction.
"""
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from dossier.models import Article, Passage, article_revised

from . import revisions, summaries
from .models import Annotation, Flag, Review


def _deleting(origin, model):
    """Whether a delete() began on this model (an instance or a queryset of it)."""
    return isinstance(origin, model) or (isinstance(origin, QuerySet) and origin.model is model)


@receiver(post_save, sender=Review)
def review_saved(sender, instance, **kwargs):
    # Starting a review changes the article's status; submitting it changes every score.
    summaries.refresh([instance.article_id])


@receiver(post_delete, sender=Review)
def review_deleted(sender, instance, origin=None, **kwargs):
    if not _deleting(origin, Article):  # the article's summary goes with it
        summaries.refresh([instance.article_id])


@receiver(post_delete, sender=Passage)
def passage_deleted(sender, instance, origin=None, **kwargs):
    if not _deleting(origin, Article):
        summaries.refresh([instance.article_id])


@receiver(post_save, sender=Annotation)
@receiver(post_delete, sender=Annotation)
def annotation_changed(sender, instance, origin=None, **kwargs):
    # Only submitted reviews count. A delete that began elsewhere (a review, passage, article or
    # user) is handled once by that object's receiver, not once per annotation.
    if origin is not None and not _deleting(origin, Annotation):
        return
    review = instance.review  # cached when the change came through Review.set_flag; one query otherwise
    if review.is_submitted:
        summaries.refresh([review.article_id])


# Raw saves too: `loaddata flags` can put a default category back.
@receiver(pre_save, sender=Flag)
def remember_flag_category(sender, instance, **kwargs):
    instance._category_before = (
        None if instance.pk is None
        else Flag.objects.filter(pk=instance.pk).values_list("category", flat=True).first()
    )


@receiver(post_save, sender=Flag)
def flag_saved(sender, instance, created, **kwargs):
    before = getattr(instance, "_category_before", None)
    if created or before is None or before == instance.category:
        return
    summaries.refresh(
        Annotation.objects.submitted().filter(flag=instance)
        .values_list("review__article_id", flat=True)
        .distinct()
    )


@receiver(article_revised, sender=Article)
def article_revised_carry_across(sender, article, version, old_passages, new_passages, **kwargs):
    revisions.carry_across(article, version, old_passages, new_passages)
