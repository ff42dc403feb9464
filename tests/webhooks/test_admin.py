"""The webhooks admin: admins only; the fetcher's address check at save time; a generated secret shown; each
hook's recent deliveries; the test button."""
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from webserver import Route

from dossier.roles import Role

from webhooks.models import Delivery, Webhook

pytestmark = pytest.mark.django_db
ADD = reverse("admin:webhooks_webhook_add")
LIST = reverse("admin:webhooks_webhook_changelist")


def form(url, **fields):
    return {"name": "Newsroom", "url": url, "secret": "", "events": ["article.imported", "review.submitted"],
            "active": "on", **fields}


def test_an_admin_adds_a_hook_and_is_shown_its_generated_secret(client, admin, receiver):
    client.force_login(admin)

    response = client.post(ADD, form(receiver.url("/hook")), follow=True)

    hook = Webhook.objects.get()
    assert response.redirect_chain == [(reverse("admin:webhooks_webhook_change", args=[hook.pk]), 302)]
    assert len(hook.secret) >= 40 and hook.created_by == admin
    assert hook.events == ["article.imported", "review.submitted"]
    content = response.content.decode()
    assert hook.secret in content and "give its secret, shown below, to the receiver" in content


def test_a_secret_typed_in_is_kept(client, admin, receiver):
    client.force_login(admin)
    client.post(ADD, form(receiver.url("/hook"), secret="chosen-by-the-receiver"))
    assert Webhook.objects.get().secret == "chosen-by-the-receiver"


@pytest.mark.parametrize(("url", "message"), [
    ("http://10.0.0.1/hook", "The fetcher refuses this address: refused address (10.0.0.1, private)."),
    ("http://169.254.169.254/latest/", "The fetcher refuses this address: refused address (169.254.169.254, "
                                       "link-local)."),
    ("http://127.0.0.1:8000/hook", "The fetcher refuses this address: refused address (127.0.0.1, loopback)."),
    ("ftp://example.org/hook", "Only web addresses (http:// or https://) are accepted."),
])
def test_an_address_the_fetcher_refuses_is_refused_at_save_time_with_its_reason(client, admin, url, message):
    client.force_login(admin)

    response = client.post(ADD, form(url))

    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors["url"][0]
    assert Webhook.objects.count() == 0


def test_a_secret_typed_in_must_be_long_enough_to_resist_guessing(client, admin, receiver):
    client.force_login(admin)
    response = client.post(ADD, form(receiver.url("/hook"), secret="short"))
    assert "at least 16 characters" in response.context["adminform"].form.errors["secret"][0]
    assert Webhook.objects.count() == 0


def test_a_hook_needs_at_least_one_known_event(client, admin, receiver):
    client.force_login(admin)
    for events in ([], ["article.deleted"]):
        response = client.post(ADD, form(receiver.url("/hook"), events=events))
        assert response.status_code == 200 and "events" in response.context["adminform"].form.errors
    assert Webhook.objects.count() == 0


def test_the_change_page_lists_recent_deliveries_with_their_state_and_reason(client, admin, make_hook, receiver):
    hook = make_hook(receiver.url("/hook"))
    Delivery.objects.create(webhook=hook, event="article.imported", payload={}, state="failed", attempts=5,
                            last_status=500, last_error="the receiver answered HTTP 500; gave up after 5 attempts")
    Delivery.objects.create(webhook=hook, event="review.submitted", payload={}, state="delivered", attempts=1,
                            last_status=204)
    client.force_login(admin)

    content = client.get(reverse("admin:webhooks_webhook_change", args=[hook.pk])).content.decode()

    table = content[content.index("<th>Created (UTC)</th>"):]
    assert table.count('class="delivery-row') == 2
    assert "gave up after 5 attempts" in table and "Delivered" in table and "Failed" in table
    assert table.index("review.submitted") < table.index("article.imported")  # newest first
    assert "Send a test event" in content


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # real commits: the view reads back the delivery
def test_the_test_button_sends_a_signed_test_event_and_says_how_it_went(client, admin, make_hook, receiver):
    hook = make_hook(receiver.url("/hook"))
    client.force_login(admin)
    test_url = reverse("admin:webhooks_webhook_test", args=[hook.pk])

    assert client.get(test_url).status_code == 405
    response = client.post(test_url)

    assert "Test event delivered." in client.get(response["Location"]).content.decode()
    (post,) = receiver.posts
    assert post.headers["X-Dossier-Event"] == "webhook.test"
    delivery = Delivery.objects.get()
    assert (delivery.event, delivery.state, delivery.payload["data"]["webhook"]) == (
        "webhook.test", "delivered", {"id": hook.pk, "name": "Newsroom"})

    receiver.routes["/hook"] = Route(b"", status=410)
    response = client.post(test_url)
    assert "Test event failed: the receiver answered HTTP 410." in client.get(response["Location"]).content.decode()


def test_the_send_test_events_action_sends_one_to_each_selected_hook(client, admin, make_hook, receiver, committed):
    hooks = [make_hook(receiver.url("/hook")), make_hook(receiver.url("/hook"), name="Second")]
    client.force_login(admin)

    with committed():
        response = client.post(LIST, {"action": "send_test_events", "_selected_action": [h.pk for h in hooks]})

    assert response.status_code == 302
    assert sorted(Delivery.objects.values_list("webhook_id", flat=True)) == sorted(h.pk for h in hooks)
    assert len(receiver.posts) == 2


def test_staff_who_are_not_admins_cannot_see_or_test_hooks_whatever_permissions_they_hold(
        client, editor, make_hook, receiver):
    from django.contrib.auth.models import Permission

    hook = make_hook(receiver.url("/hook"))
    editor.is_staff = True
    editor.save()
    editor.user_permissions.add(*Permission.objects.filter(content_type__app_label="webhooks"))
    client.force_login(editor)

    for url in (LIST, ADD, reverse("admin:webhooks_webhook_change", args=[hook.pk])):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("admin:webhooks_webhook_test", args=[hook.pk])).status_code == 403
    assert "webhooks" not in client.get(reverse("admin:index")).content.decode().lower()
    assert receiver.posts == [] and Delivery.objects.count() == 0


def test_a_non_staff_user_is_sent_to_the_admin_login(client, reviewer, make_hook, receiver):
    hook = make_hook(receiver.url("/hook"))
    client.force_login(reviewer)
    response = client.post(reverse("admin:webhooks_webhook_test", args=[hook.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert receiver.posts == []


def test_an_admin_by_role_needs_no_model_permission_to_manage_hooks(client, django_user_model, receiver):
    admin = django_user_model.objects.create_user("adm", password="x", is_staff=True)
    admin.groups.add(Group.objects.get(name=Role.ADMIN))
    client.force_login(admin)
    assert client.get(LIST).status_code == 200


def test_an_admin_deletes_a_hook_and_its_deliveries_go_with_it(client, admin, make_hook, receiver):
    hook = make_hook(receiver.url("/hook"))
    Delivery.objects.create(webhook=hook, event="article.imported", payload={}, state="delivered")
    client.force_login(admin)

    response = client.post(reverse("admin:webhooks_webhook_delete", args=[hook.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert (Webhook.objects.count(), Delivery.objects.count()) == (0, 0)


def test_the_change_page_costs_the_same_queries_with_one_delivery_or_many(client, admin, make_hook, receiver):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    hook = make_hook(receiver.url("/hook"))
    client.force_login(admin)
    url = reverse("admin:webhooks_webhook_change", args=[hook.pk])
    client.get(url)  # the first request fills per-process caches (content types)
    counts = []
    for total in (1, 40):
        Delivery.objects.bulk_create(Delivery(webhook=hook, event="article.imported", payload={}, state="failed")
                                     for _ in range(total - Delivery.objects.count()))
        with CaptureQueriesContext(connection) as queries:
            content = client.get(url).content.decode()
        counts.append(len(queries))
        assert content.count('class="delivery-row') == min(total, 25)
    assert counts[0] == counts[1]
