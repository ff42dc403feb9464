"""The export log: who exported what, when, with which filter, and how many rows."""
from django.conf import settings
from django.db import models

from dossier.models import Article


class ExportQuerySet(models.QuerySet):
    def start(self, kind, export_format, rows=None, *, user=None, username="", via=None, parameters=None,
              article=None, linked_from=""):
        """Record an export in the log admins read; one still streaming gets its rows from finish()."""
        return self.create(
            user=user if user is not None and user.is_authenticated else None,
            username=username or user.get_username(),
            via=via or self.model.Via.WEB,
            kind=kind,
            format=export_format,
            rows=rows,
            parameters=parameters or {},
            article=article,
            linked_from=linked_from[: self.model._meta.get_field("linked_from").max_length],
        )


class Export(models.Model):
    """One export an editor or a scheduled job made: who, when, what, with which filter, how many rows."""

    class Kind(models.TextChoices):
        TABLE = "table", "Articles table"
        REPORT = "report", "Article report"
        ANNOTATIONS = "annotations", "Web annotations"

    class Via(models.TextChoices):
        WEB = "web", "Web"
        COMMAND = "command", "Command"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="Who exported, when through the web.",
    )
    # Kept apart from `user` so the log still names them after their account is deleted.
    username = models.CharField(max_length=150, help_text="Login name, or the system account for a command.")
    via = models.CharField(max_length=10, choices=Via.choices)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    format = models.CharField(max_length=10)
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="The article, for a one-article export.",
    )
    parameters = models.JSONField(default=dict, blank=True, help_text="The filter and sort asked for.")
    rows = models.PositiveIntegerField(
        null=True, blank=True,
        help_text="Rows, passages or annotations exported; empty while it runs, or when it did not finish.",
    )
    # A GET page is logged: a link on another site can make an editor's browser export. Such an entry
    # says so rather than passing for the editor's own choice.
    linked_from = models.CharField(
        max_length=200, blank=True, help_text="The other site whose link opened this export; empty from Dossier."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} as {self.format} by {self.username}"

    def finish(self, rows):
        """Record that the export completed with this many rows."""
        self.rows = rows
        self.save(update_fields=["rows"])
