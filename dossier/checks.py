"""System checks for settings whose mistakes fail silently (run by migrate, runserver and check --deploy)."""
from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def trusted_proxies(app_configs, **kwargs):
    """Login lockout counts failures per client address, which only TRUSTED_PROXIES makes right behind a proxy."""
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if not isinstance(proxies, int) or proxies < 0:
        return [checks.Error("TRUSTED_PROXIES must be a whole number of proxies, 0 or more.", id="dossier.E001")]
    if proxies == 0 and settings.SECURE_PROXY_SSL_HEADER:
        return [checks.Warning(
            "Dossier is behind a TLS proxy (TRUST_X_FORWARDED_PROTO is on) but TRUSTED_PROXIES is 0: every client "
            "then has the proxy's address, so login lockout counts all of them together and one attacker can lock "
            "out any username.",
            hint="Set TRUSTED_PROXIES to the number of proxies in front that append to X-Forwarded-For (usually 1); "
                 "see docs/operations.md, Limits.",
            id="dossier.W001",
        )]
    return []
