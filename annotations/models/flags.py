"""The flag set: what reviewers can say about a passage, each flag counting as one category."""
import re

from django.conf import settings
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


class CodebookVersionQuerySet(models.QuerySet):
    def get_by_natural_key(self, number):
        return self.get(number=number)

    def current(self):
        """The newest version, recorded from the flag set if there is none yet (a fresh or flushed database)."""
        return self.order_by("-number").first() or self.record(reason="The flag set as first found")

    def record(self, user=None, reason=""):
        """A new version if the flag set's categories or active flags differ from the newest one's, else
        the newest one: `user` and `reason` say who changed what.
        """
        flags = CodebookVersion.snapshot()
        newest = self.order_by("-number").first()
        if newest is not None and newest.flags == flags:
            return newest
        number = newest.number + 1 if newest else 1
        version = CodebookVersion(number=number, flags=flags, created_by=user, reason=reason[:200])
        version._change_reason = reason[:100] or None
        version.save()
        return version


class CodebookVersion(models.Model):
    """A snapshot of the coding scheme: every flag's category and whether it is active.

    Every stored summary names the version that scored it; a change of category, a new flag or a
    retired one makes a new version (annotations/codebook.py).
    """

    number = models.PositiveIntegerField(unique=True, help_text="Version number, counting up from 1.")
    flags = models.JSONField(help_text="Every flag as {id, name, category, active}, by id.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Who changed the flag set; empty for a migration or a command.",
    )
    reason = models.CharField(max_length=200, blank=True, help_text="What changed.")
    rescored_articles = models.PositiveIntegerField(
        default=0, help_text="Articles whose stored summary this version rescored."
    )

    objects = CodebookVersionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-number"]

    def __str__(self):
        return f"Codebook version {self.number}"

    def natural_key(self):
        return (self.number,)

    def categories(self):
        """{flag id: category} as this version had them: what a campaign pinned to it scores with."""
        return {entry["id"]: entry["category"] for entry in self.flags}

    @staticmethod
    def snapshot():
        """The flag set as a version stores it: one query."""
        return [
            {"id": pk, "name": name, "category": category, "active": active}
            for pk, name, category, active in Flag.objects.order_by("pk").values_list(
                "pk", "name", "category", "active"
            )
        ]
