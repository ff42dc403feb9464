"""Annotations a new version of their article's text left without a place: kept, listed for editors."""
from django.db import models

from dossier.models import Article

from .flags import Flag
from .reviews import Review


class OrphanQuerySet(models.QuerySet):
    def for_article(self, article):
        """The article's orphans with flag and reviewer: one query."""
        return self.filter(article=article).select_related("flag", "review__reviewer").order_by("version", "id")


class Orphan(models.Model):
    """An annotation whose words a new version of the text no longer has (at or above the anchoring threshold)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="orphans")
    version = models.PositiveIntegerField(help_text="The version of the text the annotation was made on.")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="orphans")
    flag = models.ForeignKey(Flag, on_delete=models.PROTECT, related_name="+")
    passage_text = models.TextField(help_text="The passage the flag was on, in that version.")
    quote = models.TextField(blank=True, help_text="The flagged words, if not the whole passage.")
    note = models.TextField(blank=True, help_text="The reviewer's note.")
    evidence_url = models.URLField(max_length=2000, blank=True, help_text="The reviewer's evidence.")
    reason = models.CharField(max_length=200, help_text="Why it could not be placed in the new text.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrphanQuerySet.as_manager()

    class Meta:
        indexes = [
            # An article's orphans, on its summary and reading pages.
            models.Index(fields=["article", "version"], name="orphan_article_idx"),
        ]

    def __str__(self):
        return f"{self.flag} by {self.review.reviewer} on version {self.version} of article {self.article_id}"
