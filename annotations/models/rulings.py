"""Editors' rulings: the category a disputed passage counts as after adjudication."""
from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from dossier.models import Passage

from .flags import Flag


class RulingQuerySet(models.QuerySet):
    def of_article(self, article):
        """{passage id: category} of the article's rulings: one query."""
        return dict(self.filter(passage__article=article).values_list("passage_id", "category"))

    def rule(self, passage, category, rationale, editor):
        """Rule (or revise the ruling on) a passage; the history keeps every earlier ruling."""
        return self.update_or_create(
            passage=passage, defaults={"category": category, "rationale": rationale, "editor": editor}
        )[0]


class Ruling(models.Model):
    """An editor's category for a passage the reviewers dispute; revised in place, audited by its history."""

    passage = models.OneToOneField(Passage, on_delete=models.CASCADE, related_name="ruling")
    category = models.CharField(max_length=12, choices=Flag.Category.choices,
                                help_text="What the passage counts as after the ruling.")
    rationale = models.TextField(max_length=4000, help_text="Why: required, and shown with the ruling.")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rulings",
                               help_text="Who ruled (last).")
    ruled_at = models.DateTimeField(auto_now=True, help_text="When it was ruled (last).")

    objects = RulingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(rationale=""), name="ruling_has_rationale"),
            models.CheckConstraint(condition=models.Q(category__in=Flag.Category.values),
                                   name="ruling_category_known"),
        ]

    def __str__(self):
        return f"{self.get_category_display()} for {self.passage_id}"
