"""Webhooks: addresses admins register to be told of events, and each delivery made to them."""
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.db import models
from django.urls import reverse

from dossier.ingest.fetching import Refused, check_address, resolve
from dossier.validators import web_url

# The events a hook may subscribe to; each payload's `data` is documented in docs/webhooks.md.
EVENTS = {
    "article.imported": "An article was imported",
    "article.version_created": "An article got a new version",
    "review.submitted": "A review was submitted",
    "campaign.closed": "A review campaign was closed",
}
# Sent only by the admin's "Send a test event" button, to the one hook.
TEST_EVENT = "webhook.test"


def fetchable(url):
    """The safe fetcher's own address check (scheme, public address) at save time: a hook it would refuse
    to deliver to is refused here, with the fetcher's reason."""
    if not url.lower().startswith(("http://", "https://")):
        return  # web_url says why
    try:
        scheme, host, port = check_address(url)
        resolve(url, host, port)
    except Refused as error:
        raise ValidationError(f"The fetcher refuses this address: {error.why}.", code="refused") from None


def known_events(value):
    if not isinstance(value, list) or not value or not all(isinstance(event, str) for event in value):
        raise ValidationError("Choose at least one event.", code="no_events")
    if unknown := sorted(set(value) - EVENTS.keys()):
        raise ValidationError(f"Unknown events: {', '.join(unknown)}.", code="unknown_events")


def new_secret():
    return secrets.token_urlsafe(32)


class Webhook(models.Model):
    """An address told of the events it subscribes to, each delivery signed with its secret."""

    name = models.CharField(max_length=100, help_text="What receives these events, e.g. “Newsroom CMS”.")
    url = models.URLField(
        "address", max_length=2000, validators=[web_url, fetchable],
        help_text="Where deliveries are POSTed. It must be a public http(s) address: the safe fetcher sends them.",
    )
    secret = models.CharField(
        max_length=200, blank=True, validators=[MinLengthValidator(16)],
        help_text="Signs every delivery (HMAC-SHA256); give it to the receiver. Left blank, one is generated.",
    )
    events = models.JSONField(default=list, validators=[known_events], help_text="The events sent to this address.")
    active = models.BooleanField(default=True, help_text="Inactive hooks are sent nothing.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.secret:
            self.secret = new_secret()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:webhooks_webhook_change", args=[self.pk])


class Delivery(models.Model):
    """One event for one hook: its payload, and how its attempts went."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"  # waiting for its next attempt, at next_attempt_at
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"  # final: no more attempts

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False,
                            help_text="Sent as X-Dossier-Delivery; the same on every attempt.")
    event = models.CharField(max_length=50)
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The receiver's last HTTP status.")
    last_error = models.CharField(max_length=500, blank=True, help_text="Why the last attempt failed.")
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        indexes = [
            # A hook's recent deliveries, on its admin page.
            models.Index(fields=["webhook", "-created_at"], name="delivery_recent"),
            # The pending deliveries that are due (send_due()).
            models.Index(fields=["state", "next_attempt_at"], name="delivery_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "delivered", "failed"]), name="delivery_state_known"),
        ]

    def __str__(self):
        return f"{self.event} to {self.webhook_id} ({self.get_state_display()})"
