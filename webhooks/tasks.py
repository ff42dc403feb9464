"""Sending deliveries: one attempt per task run, through the safe fetcher, retried with backoff.

A failed attempt that may succeed later (no answer, a timeout, a 5xx, 408 or 429) sets next_attempt_at
and queues the task again to run then (django-tasks' run_after); one that cannot (a refused address, a
redirect, any other 4xx) or the last of MAX_ATTEMPTS is final. Backends that cannot defer a task (the
immediate backend) leave the retry to send_due(), which `manage.py send_webhooks` runs.
"""
import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from dossier.ingest.fetching import Fetcher, Refused

from . import signing
from .models import Delivery

# Seconds before the 2nd, 3rd, 4th and 5th attempts.
BACKOFF = (60, 5 * 60, 30 * 60, 2 * 60 * 60)
MAX_ATTEMPTS = len(BACKOFF) + 1
TIMEOUT = 10  # seconds for one attempt, answer included
MAX_RESPONSE_BYTES = 64 * 1024  # what a receiver may answer; the body is not kept
# A claimed attempt's lease: if its worker dies mid-send, send_due() tries again after this.
LEASE = timedelta(minutes=5)
RETRIED_STATUSES = {408, 429}
# Refusals that another attempt would meet again.
FINAL_REFUSALS = {"bad_address", "refused_address", "redirected"}


@task()
def deliver(delivery_id):
    """Make the delivery's next attempt, if it is due and still pending."""
    attempt(delivery_id)


def enqueue(delivery):
    """Queue the delivery's next attempt for its next_attempt_at, once the current transaction commits."""
    def queue():
        if deliver.get_backend().supports_defer:
            deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
        elif delivery.next_attempt_at <= timezone.now():
            deliver.enqueue(delivery.pk)
        # else send_due() sends it when it is due.

    transaction.on_commit(queue, robust=True)


def attempt(delivery_id, now=None):
    """One attempt of a due, pending delivery; returns the Delivery as it was left, None if it was not due
    or another worker took it."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(pk=delivery_id, state=Delivery.State.PENDING, next_attempt_at__lte=now)
    delivery = claimed.select_related("webhook").first()
    if delivery is None:
        return None
    # Claimed by moving next_attempt_at on (a lease): a second worker's UPDATE then matches nothing.
    taken = claimed.filter(attempts=delivery.attempts).update(
        attempts=delivery.attempts + 1, last_attempt_at=now, next_attempt_at=now + LEASE)
    if not taken:
        return None
    delivery.attempts += 1
    delivery.last_attempt_at, delivery.next_attempt_at = now, None
    if not delivery.webhook.active:
        return _finish(delivery, Delivery.State.FAILED, None, "the webhook is inactive")
    status, error, retry = send(delivery)
    if not error:
        delivery.delivered_at = timezone.now()
        return _finish(delivery, Delivery.State.DELIVERED, status, "")
    if retry and delivery.attempts < MAX_ATTEMPTS:
        delivery.next_attempt_at = now + timedelta(seconds=BACKOFF[delivery.attempts - 1])
        _finish(delivery, Delivery.State.PENDING, status, error)
        enqueue(delivery)
        return delivery
    if retry:
        error = f"{error}; gave up after {delivery.attempts} attempts"
    return _finish(delivery, Delivery.State.FAILED, status, error)


def send(delivery):
    """POST the delivery, signed; (status or None, error or "", whether another attempt may succeed)."""
    content = signing.body(delivery.payload)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        signing.EVENT_HEADER: delivery.event,
        signing.DELIVERY_HEADER: str(delivery.uuid),
        signing.TIMESTAMP_HEADER: timestamp,
        signing.SIGNATURE_HEADER: signing.signature(delivery.webhook.secret, timestamp, content),
    }
    try:
        with Fetcher(timeout=TIMEOUT, max_bytes=MAX_RESPONSE_BYTES) as fetcher:
            answer = fetcher.post(delivery.webhook.url, content, headers)
    except Refused as error:
        return None, error.why, error.reason not in FINAL_REFUSALS
    if 200 <= answer.status < 300:
        return answer.status, "", False
    retry = answer.status >= 500 or answer.status in RETRIED_STATUSES
    return answer.status, f"the receiver answered HTTP {answer.status}", retry


def send_due(now=None):
    """Attempt every pending delivery that is due: what a backend without deferred tasks needs run now and
    then; returns how many were attempted."""
    now = now or timezone.now()
    due = Delivery.objects.filter(state=Delivery.State.PENDING, next_attempt_at__lte=now)
    return sum(attempt(pk, now) is not None for pk in due.order_by("next_attempt_at").values_list("pk", flat=True))


def _finish(delivery, state, status, error):
    delivery.state, delivery.last_status, delivery.last_error = state, status, error[:500]
    delivery.save(update_fields=["state", "last_status", "last_error", "next_attempt_at", "delivered_at"])
    return delivery
