from django.apps import AppConfig


class DossierConfig(AppConfig):
    name = "dossier"
    verbose_name = "Articles"

    def ready(self):
        from . import accounts, checks  # noqa: F401  (connects the session receiver, registers the checks)
