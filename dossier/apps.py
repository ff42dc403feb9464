from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DossierConfig(AppConfig):
    name = "dossier"
    verbose_name = "Articles"

    def ready(self):
        from . import accounts, checks  # noqa: F401  (connects the session receiver, registers the checks)
        from .search import restore_triggers  # also connects the receivers that keep the search columns current

        # A later migration that rebuilds the article table on SQLite drops the search triggers with it.
        post_migrate.connect(restore_triggers, sender=self, dispatch_uid="dossier.restore_search_triggers")
