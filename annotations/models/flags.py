"""The flag set: what reviewers can say about a passage, each flag counting as one category."""
import re

from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from annotations import scoring

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}\Z")


class FlagQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def get_by_natural_key(self, name):
        return self.get(name=name)


class Flag(models.Model):
    # Built from the scoring vocabulary, so that categories are written once.
    Category = models.TextChoices(
        "Category", [(category.upper(), (category, scoring.LABELS[category])) for category in scoring.FLAG_CATEGORIES]
    )

    name = models.CharField(max_length=80, unique=True, help_text="Shown on the flag's button and in exports.")
    category = models.CharField(
        max_length=12, choices=Category.choices, help_text="What a passage carrying this flag counts as."
    )
    guideline = models.CharField(max_length=200, help_text="One line telling reviewers when to use the flag.")
    colour = models.CharField(
        max_length=7, default="#888888", help_text="Mark colour, as #rrggbb.",
        validators=[RegexValidator(HEX_COLOUR, "Use a colour like #1f77b4.")],
    )
    shortcut = models.CharField(
        max_length=1, blank=True, help_text="One lower-case letter or digit that toggles the flag (not j, k or n).",
        validators=[RegexValidator(r"^[a-z0-9]$", "Use one lower-case letter or digit."),
                    RegexValidator(r"^[jkn]$", "j, k and n move and edit notes.", inverse_match=True)],
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Position in the flag bar.")
    active = models.BooleanField(default=True, help_text="Inactive flags stay on old annotations but cannot be added.")

    objects = FlagQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["shortcut"], condition=~models.Q(shortcut=""), name="flag_unique_shortcut"
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)
