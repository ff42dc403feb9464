"""Assignments follow their reviews: started when the review starts, submitted when it is submitted."""
from django.db.models.signals import post_save
from django.dispatch import receiver

from annotations.models import Review

from .models import Assignment


@receiver(post_save, sender=Review, dispatch_uid="campaigns.assignment_state")
def follow_review(sender, instance, raw=False, **kwargs):
    if raw:
        return
    state = Assignment.State.for_review(instance.status)
    Assignment.objects.filter(article_id=instance.article_id, reviewer_id=instance.reviewer_id).exclude(
        state=state
    ).update(state=state)
