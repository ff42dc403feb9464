"""Personal API tokens: stored as a SHA-256 digest only, shown once, scoped, expiring, revocable."""
import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

PREFIX = "dsr_"  # recognisable in logs and by secret scanners
LAST_USE_PRECISION = datetime.timedelta(minutes=1)  # last use is written at most once a minute per token


def digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


class TokenQuerySet(models.QuerySet):
    def issue(self, user, name, scopes, expires_at=None):
        """A new token and its secret, which is returned here only and never stored."""
        secret = PREFIX + secrets.token_urlsafe(32)
        token = self.create(user=user, name=name, scopes=sorted(set(scopes)), expires_at=expires_at,
                            key=secret[: len(PREFIX) + 6], digest=digest(secret))
        return token, secret

    def find(self, secret):
        """The token with this secret, whatever its state (the caller checks it), or None: one query."""
        if not secret.startswith(PREFIX) or len(secret) > 100:
            return None
        wanted = digest(secret)
        token = self.select_related("user").filter(digest=wanted).first()
        # The lookup is by digest, so timing tells nothing of the secret; compared again all the same.
        if token is None or not hmac.compare_digest(token.digest, wanted):
            return None
        return token

    def usable(self):
        """Neither revoked nor expired."""
        unexpired = models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now())
        return self.filter(unexpired, revoked_at__isnull=True)


class Token(models.Model):
    """A personal token: a script acts as its user, within the token's scopes."""

    class Scope(models.TextChoices):
        READ = "read", "Read articles, reviews and scores"
        ANNOTATE = "annotate", "Flag passages and submit reviews"
        IMPORT = "import", "Import articles"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, to tell it apart.")
    key = models.CharField(max_length=16, help_text="The token's first characters, to recognise it; not secret.")
    digest = models.CharField(max_length=64, unique=True, editable=False)  # SHA-256 of the secret, hex
    scopes = models.JSONField(default=list, help_text="What the token may do: read, annotate, import.")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Refused from then on; empty: never.")
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="Refused from then on.")

    objects = TokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        # The unique digest's index serves the lookup of every API request; this one the token page's list.
        indexes = [models.Index(fields=["user", "-created_at"], name="token_user_created")]

    def __str__(self):
        return f"{self.name} ({self.key}…)"

    @property
    def revoked(self):
        return self.revoked_at is not None

    def expired(self, now=None):
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def has_scope(self, scope):
        return scope in self.scopes

    def revoke(self):
        """Refuse the token from now on; revoking twice keeps the first time."""
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def record_use(self, now=None):
        """Note the use, at most one write a minute: an UPDATE per request would serialise readers on SQLite."""
        now = now or timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= LAST_USE_PRECISION:
            Token.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
