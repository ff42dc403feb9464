"""Personal tokens: stored hashed, shown once, scoped, revocable, expiring, their last use recorded."""
import datetime
import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from api.models import PREFIX, Token

pytestmark = pytest.mark.django_db


def test_only_a_hash_of_the_token_is_stored(reviewer):
    token, secret = Token.objects.issue(reviewer, "script", ["read"])
    assert secret.startswith(PREFIX) and len(secret) > 40
    token.refresh_from_db()
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {str(value) for value in Token.objects.values_list(flat=False).get(pk=token.pk)}
    assert Token.objects.find(secret) == token
    assert Token.objects.find(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None


def test_a_token_acts_for_its_user_within_its_scopes(api, reviewer):
    response = api(reviewer, "read").get("me")
    assert response.status_code == 200
    assert response.json() | {"expires_at": None} == {
        "username": "rita", "roles": ["Reviewer"], "scopes": ["read"], "token": "test", "expires_at": None}


def test_a_revoked_token_is_refused(api, reviewer):
    client = api(reviewer)
    Token.objects.get(user=reviewer).revoke()
    response = client.get("me")
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_is_refused(api, reviewer):
    client = api(reviewer, expires_at=timezone.now() + datetime.timedelta(hours=1))
    assert client.get("me").status_code == 200
    Token.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("me")
    assert (response.status_code, response.json()["code"]) == (401, "token_expired")


def test_an_unknown_or_malformed_token_is_refused(client):
    for header in ("Bearer dsr_nothing", "Bearer", "Basic abc", "Bearer " + "x" * 500):
        response = client.get("/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert set(response.json()) == {"code", "message", "field"}


def test_a_token_of_an_inactive_user_is_refused(api, reviewer):
    client = api(reviewer)
    reviewer.is_active = False
    reviewer.save()
    assert client.get("me").status_code == 401


def test_the_last_use_is_recorded_at_most_once_a_minute(api, reviewer, django_assert_num_queries):
    client = api(reviewer)
    assert Token.objects.get().last_used_at is None
    client.get("me")
    first = Token.objects.get().last_used_at
    assert first is not None
    client.get("me")
    assert Token.objects.get().last_used_at == first  # within the minute: not written again
    Token.objects.update(last_used_at=first - datetime.timedelta(minutes=2))
    client.get("me")
    assert Token.objects.get().last_used_at > first - datetime.timedelta(minutes=2)


def test_a_token_without_the_scope_is_refused_with_403(api, reviewer, make_flaggable):
    article, passage, flag = make_flaggable
    response = api(reviewer, "read").put(f"articles/{article.pk}/review/flags",
                                         {"passage": passage.pk, "flag": flag.pk, "on": True})
    assert (response.status_code, response.json()["code"]) == (403, "scope_missing")
    assert not article.reviews.exists()


def test_the_token_page_shows_a_new_token_once(client, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("tokens:list"), {"name": "loader", "scopes": ["read", "annotate"], "days": "30"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.encode() in response.content
    assert response["Cache-Control"] == "no-store"
    token = Token.objects.get()
    assert (token.user, token.name, token.scopes) == (reviewer, "loader", ["annotate", "read"])
    assert token.expires_at > timezone.now() + datetime.timedelta(days=29)
    again = client.get(reverse("tokens:list"))
    assert secret.encode() not in again.content and b"loader" in again.content


def test_the_token_page_refuses_a_bad_form_and_saves_nothing(client, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("tokens:list"), {"name": "", "scopes": ["everything"]})
    assert response.status_code == 200 and response.context["secret"] is None
    assert not Token.objects.exists()


def test_a_user_revokes_their_own_token_but_not_anothers(client, reviewer, other_reviewer):
    own, _ = Token.objects.issue(reviewer, "mine", ["read"])
    theirs, _ = Token.objects.issue(other_reviewer, "theirs", ["read"])
    client.force_login(reviewer)
    assert client.get(reverse("tokens:revoke", args=[own.pk])).status_code == 405
    assert client.post(reverse("tokens:revoke", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("tokens:revoke", args=[own.pk])).status_code == 302
    own.refresh_from_db()
    theirs.refresh_from_db()
    assert own.revoked and not theirs.revoked


def test_the_token_page_needs_a_login(client):
    response = client.get(reverse("tokens:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_admin_makes_a_token_for_anyone_in_the_admin(client, admin, reviewer):
    client.force_login(admin)
    admin.is_superuser = True
    admin.save()
    form = {"user": reviewer.pk, "name": "for rita", "scopes": ["read", "everything"], "expires_at_0": "",
            "expires_at_1": ""}
    refused = client.post(reverse("admin:api_token_add"), form)
    assert refused.status_code == 200 and "everything is not one of the available choices" in refused.content.decode()
    assert not Token.objects.exists()
    form["scopes"] = ["read"]
    response = client.post(reverse("admin:api_token_add"), form, follow=True)
    assert response.status_code == 200
    token = Token.objects.get()
    assert token.user == reviewer and token.scopes == ["read"]
    shown = [str(message) for message in response.context["messages"]]
    assert any(PREFIX in message for message in shown)


def test_the_command_prints_a_new_token(reviewer):
    out = StringIO()
    call_command("create_token", "rita", "--scope", "read", "--scope", "annotate", "--name", "nightly", stdout=out)
    secret = out.getvalue().strip()
    token = Token.objects.find(secret)
    assert (token.user, token.name, token.scopes) == (reviewer, "nightly", ["annotate", "read"])


def test_the_command_refuses_an_unknown_user():
    with pytest.raises(CommandError, match="No user"):
        call_command("create_token", "nobody", "--scope", "read", stdout=StringIO())
    assert not Token.objects.exists()
