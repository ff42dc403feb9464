"""Accounts: the client address that login lockout counts, and ending a deactivated user's sessions."""
import logging

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.db.models.signals import pre_save
from django.dispatch import receiver


def client_address(request):
    """The address the request came from (django-axes counts failed logins per address).

    Behind TRUSTED_PROXIES proxies, each appends the address it received from to
    X-Forwarded-For, so the client is that many entries from the right; anything further
    left was written by the client and is not believed.
    """
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
        _warn_once_about_proxies(len(forwarded), proxies)
    return request.META.get("REMOTE_ADDR")


_warned = []


def _warn_once_about_proxies(found, proxies):
    """A login without the X-Forwarded-For entries TRUSTED_PROXIES promises: the setting does not match the proxies."""
    if not _warned:
        _warned.append(True)
        logging.getLogger("django.security.TrustedProxies").warning(
            "TRUSTED_PROXIES is %s but a request came with %s X-Forwarded-For entries: login lockout falls back to "
            "the connection's address. Check TRUSTED_PROXIES against the proxies in front (docs/operations.md).",
            proxies, found,
        )


@receiver(pre_save, sender=get_user_model())
def end_sessions_of_deactivated_user(sender, instance, raw=False, **kwargs):
    """Deactivating a user logs them out everywhere, so reactivating does not bring old sessions back."""
    if raw or instance.pk is None or instance.is_active:
        return
    if not sender.objects.filter(pk=instance.pk, is_active=True).exists():
        return
    user_id = str(instance.pk)
    # Database sessions are opaque; decode each. Fine for a team's few hundred sessions.
    ended = [s.pk for s in Session.objects.iterator() if s.get_decoded().get("_auth_user_id") == user_id]
    Session.objects.filter(pk__in=ended).delete()


class EndSessionsOfInactiveUsers:
    """A session whose user can no longer be signed in (deactivated, deleted) is ended on its next request.

    The signal above ends sessions when the admin deactivates someone; a bulk update(is_active=False),
    loaddata or a manual SQL change do not send it. The authentication backend already treats such a
    session as anonymous, but the session itself would survive and come back to life on reactivation:
    here it is flushed, whatever deactivated the user. Placed right after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if SESSION_KEY in request.session and not request.user.is_authenticated:
            request.session.flush()
        return self.get_response(request)
