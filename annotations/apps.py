from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Annotations"

    def ready(self):
        from . import signals  # noqa: F401  (connects the summary receivers)
        from .upgrades import fill_totals, rescore_behind

        # Summaries an older scoring method stored are rescored with today's code once migrate is done
        # (annotations/upgrades.py): never by a migration mid-chain.
        post_migrate.connect(rescore_behind, sender=self, dispatch_uid="annotations.rescore_behind")
        post_migrate.connect(fill_totals, sender=self, dispatch_uid="annotations.fill_totals")
