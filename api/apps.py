from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        from dossier import limits

        from .bodies import json_refusal, may_send_large_body

        # The API's uploads are bounded as the import page's are, and its refusals are JSON.
        limits.register_prefix("/api/", allows_import_size=may_send_large_body, respond=json_refusal)
