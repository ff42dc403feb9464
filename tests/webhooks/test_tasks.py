"""Sending deliveries: signed, through the safe fetcher, retried with backoff, final when retrying cannot help."""
import json
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from webserver import Route

from webhooks import events, signing, tasks
from webhooks.models import Delivery

pytestmark = pytest.mark.django_db


def emit(committed, data=None, event="campaign.closed"):
    with committed():
        events.emit(event, data or {"campaign": {"id": 7}})


def test_a_delivery_is_signed_json_with_its_event_delivery_and_timestamp_headers(receiver, make_hook, committed):
    hook = make_hook(receiver.url("/hook"), events=["campaign.closed"])

    emit(committed, {"campaign": {"id": 7, "name": "Spring"}})

    (sent,) = receiver.posts
    delivery = Delivery.objects.get()
    headers = sent.headers
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Dossier-Event"] == "campaign.closed"
    assert headers["X-Dossier-Delivery"] == str(delivery.uuid)
    assert signing.verify(hook.secret, headers["X-Dossier-Timestamp"], sent.body, headers["X-Dossier-Signature"],
                          now=time.time())
    assert not signing.verify("another secret", headers["X-Dossier-Timestamp"], sent.body,
                              headers["X-Dossier-Signature"], now=time.time())
    body = json.loads(sent.body)
    assert body == delivery.payload
    assert body["event"] == "campaign.closed" and body["data"] == {"campaign": {"id": 7, "name": "Spring"}}
    assert body["time"].endswith("Z") and len(body["id"]) == 36
    assert (delivery.state, delivery.attempts, delivery.last_status, delivery.last_error) == ("delivered", 1, 204, "")
    assert delivery.delivered_at is not None and delivery.next_attempt_at is None


def test_a_failing_receiver_is_tried_again_after_the_backoff_and_its_success_ends_the_retries(
        receiver, make_hook, committed):
    make_hook(receiver.url("/hook"), events=["campaign.closed"])
    receiver.routes["/hook"] = Route(b"busy", status=503)

    emit(committed)

    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("pending", 1, 503)
    assert delivery.last_error == "the receiver answered HTTP 503"
    assert delivery.next_attempt_at == delivery.last_attempt_at + timedelta(seconds=60)
    assert tasks.send_due(now=delivery.next_attempt_at - timedelta(seconds=1)) == 0  # not due yet
    assert len(receiver.posts) == 1

    receiver.routes["/hook"] = Route(b"", status=200)
    assert tasks.send_due(now=delivery.next_attempt_at) == 1

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status, delivery.last_error) == ("delivered", 2, 200, "")
    first, second = receiver.posts
    assert first.body == second.body and first.headers["X-Dossier-Delivery"] == second.headers["X-Dossier-Delivery"]
    assert tasks.send_due(now=delivery.last_attempt_at + timedelta(days=1)) == 0


def test_a_receiver_that_keeps_failing_is_given_up_after_five_attempts_spaced_by_the_backoff(
        receiver, make_hook, committed):
    make_hook(receiver.url("/hook"), events=["campaign.closed"])
    receiver.routes["/hook"] = Route(b"", status=500)

    emit(committed)
    delivery = Delivery.objects.get()
    gaps = []
    while delivery.state == "pending":
        gaps.append((delivery.next_attempt_at - delivery.last_attempt_at).total_seconds())
        tasks.send_due(now=delivery.next_attempt_at)
        delivery.refresh_from_db()

    assert gaps == [60, 300, 1800, 7200]
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == ("failed", 5, None)
    assert delivery.last_error == "the receiver answered HTTP 500; gave up after 5 attempts"
    assert len(receiver.posts) == tasks.MAX_ATTEMPTS == 5


@pytest.mark.parametrize(("status", "state"), [
    (400, "failed"), (404, "failed"), (410, "failed"), (301, "failed"),
    (408, "pending"), (429, "pending"), (500, "pending"), (502, "pending"),
    (201, "delivered"), (202, "delivered"),
])
def test_a_2xx_is_delivered_a_4xx_other_than_408_and_429_is_final_and_the_rest_are_retried(
        receiver, make_hook, committed, status, state):
    make_hook(receiver.url("/hook"), events=["campaign.closed"])
    receiver.routes["/hook"] = Route(b"", status=status, headers={"Location": "/else"} if status == 301 else {})

    emit(committed)

    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == (state, 1)
    assert (delivery.next_attempt_at is not None) == (state == "pending")


def test_a_redirect_is_a_failed_delivery_that_says_so_and_is_not_followed(receiver, make_hook, committed):
    make_hook(receiver.url("/hook"), events=["campaign.closed"])
    receiver.routes["/hook"] = Route(status=302, headers={"Location": "http://10.0.0.1/"})

    emit(committed)

    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.last_status) == ("failed", None)
    assert delivery.last_error == "redirects are not followed (302 to http://10.0.0.1/)"
    assert len(receiver.posts) == 1 and receiver.requests == []


@pytest.mark.parametrize(("address", "reason"), [
    ("http://127.0.0.1:{port}/hook", "refused address (127.0.0.1, loopback)"),
    ("http://10.0.0.1/hook", "refused address (10.0.0.1, private)"),
    ("http://169.254.169.254/latest/meta-data/", "refused address (169.254.169.254, link-local)"),
    ("http://[::1]:{port}/hook", "refused address (::1, loopback)"),
])
def test_an_internal_address_is_refused_by_the_fetcher_and_recorded_as_a_failed_delivery(
        receiver, make_hook, committed, settings, address, reason):
    settings.DOSSIER_FETCH_ALLOW_LOOPBACK = False
    make_hook(address.format(port=receiver.port), events=["campaign.closed"])

    emit(committed)

    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status, delivery.last_error) == (
        "failed", 1, None, reason)
    assert receiver.posts == []


def test_with_a_backend_that_defers_each_retry_is_queued_to_run_at_its_next_attempt(
        receiver, make_hook, committed, settings):
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    make_hook(receiver.url("/hook"), events=["campaign.closed"])
    receiver.routes["/hook"] = Route(b"", status=503)

    emit(committed)
    delivery = Delivery.objects.get()
    (first,) = task_backends["default"].results
    assert (first.args, first.task.run_after) == ([delivery.pk], delivery.next_attempt_at)
    assert receiver.posts == []  # queued, not run

    with committed():
        tasks.deliver.call(delivery.pk)

    delivery.refresh_from_db()
    _, retry = task_backends["default"].results
    assert delivery.state == "pending" and len(receiver.posts) == 1
    assert (retry.args, retry.task.run_after) == ([delivery.pk], delivery.next_attempt_at)
    assert delivery.next_attempt_at == delivery.last_attempt_at + timedelta(seconds=60)


def test_an_attempt_runs_once_however_many_times_its_task_runs(receiver, make_hook, committed):
    make_hook(receiver.url("/hook"), events=["campaign.closed"])
    emit(committed)
    delivery = Delivery.objects.get()

    assert tasks.attempt(delivery.pk) is None  # delivered already: a second task run sends nothing
    assert len(receiver.posts) == 1


def test_an_inactive_hook_is_sent_nothing_and_a_hook_deactivated_meanwhile_fails_its_delivery(
        receiver, make_hook, committed):
    make_hook(receiver.url("/hook"), events=["campaign.closed"], active=False)
    emit(committed)
    assert Delivery.objects.count() == 0

    hook = make_hook(receiver.url("/hook"), events=["campaign.closed"])
    receiver.routes["/hook"] = Route(b"", status=503)
    emit(committed)
    hook.active = False
    hook.save()
    delivery = Delivery.objects.get()
    tasks.send_due(now=delivery.next_attempt_at)

    delivery.refresh_from_db()
    assert (delivery.state, delivery.last_error) == ("failed", "the webhook is inactive")
    assert len(receiver.posts) == 1


def test_the_send_webhooks_command_attempts_what_is_due(receiver, make_hook, committed, capsys):
    make_hook(receiver.url("/hook"), events=["campaign.closed"])
    receiver.routes["/hook"] = Route(b"", status=503)
    emit(committed)
    Delivery.objects.update(next_attempt_at=Delivery.objects.get().last_attempt_at)  # due now
    receiver.routes["/hook"] = Route(b"", status=200)

    call_command("send_webhooks")

    assert capsys.readouterr().out == "1 delivery attempted.\n"
    assert Delivery.objects.get().state == "delivered"
