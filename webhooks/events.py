"""Events: what Dossier tells webhooks, and the one door to telling them, emit().

Each event becomes one Delivery per active hook subscribed to it, made after the transaction that caused it
commits (never for one that rolls back) and sent by the task worker. When no hook subscribes, an event
costs one query, after the commit. The payload is {"id", "event", "time", "data"}; docs/webhooks.md
documents each event's data.
"""
import uuid
from datetime import UTC
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import tasks
from .models import EVENTS, TEST_EVENT, Delivery, Webhook


def emit(event, data):
    """Tell the hooks subscribed to `event` (a key of EVENTS) once the current transaction commits (at once
    outside one); `data` is the payload's JSON-able "data"."""
    emit_each(event, lambda: [data])


def emit_each(event, make_data):
    """One event per dict that make_data() returns; it is called after the commit, only if a hook subscribes,
    so an event nobody listens to builds nothing."""
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}; the events are {', '.join(EVENTS)}")
    # robust: a failure here is logged, and never undoes or breaks the work that caused the event.
    transaction.on_commit(partial(dispatch, event, make_data), robust=True)


def dispatch(event, make_data):
    """Make and queue the deliveries of an event that has happened; returns them. One query if no hook
    subscribes."""
    hooks = [hook for hook in Webhook.objects.filter(active=True).only("id", "events") if event in hook.events]
    if not hooks:
        return []
    return _deliver([(hook, payload(event, data)) for data in make_data() for hook in hooks])


def send_test(webhook):
    """A test event to this one hook: how an admin checks the receiver and its secret (an inactive hook's
    fails, saying so)."""
    data = {"webhook": {"id": webhook.pk, "name": webhook.name},
            "message": "A test event from Dossier's admin: the signature proves it came from Dossier."}
    return _deliver([(webhook, payload(TEST_EVENT, data))])[0]


def payload(event, data):
    return {"id": str(uuid.uuid4()), "event": event, "time": _timestamp(timezone.now()), "data": data}


def article_data(pk, title, url, version, language):
    """An article as events describe it, with the addresses of its page and its report.json."""
    return {"id": pk, "title": title, "url": url, "version": version, "language": language,
            "page": absolute(reverse("dossier:article-detail", args=[pk])),
            "report": absolute(reverse("annotations:report-json", args=[pk]))}


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def _deliver(pairs):
    now = timezone.now()
    deliveries = [Delivery(webhook=hook, event=data["event"], payload=data, next_attempt_at=now)
                  for hook, data in pairs]
    with transaction.atomic():
        Delivery.objects.bulk_create(deliveries, batch_size=500)
        for delivery in deliveries:
            tasks.enqueue(delivery)
    return deliveries


def _timestamp(moment):
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
