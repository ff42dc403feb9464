"""Logins, lockout, sessions and error pages."""
import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import path, reverse

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")
PASSWORD = "correct horse battery"


def log_in(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_five_failed_logins_lock_the_username_with_a_message_that_does_not_reveal_the_account(client, reviewer):
    for _ in range(4):
        assert log_in(client, "rita", "wrong").status_code == 200
    assert log_in(client, "rita", "wrong").status_code == 429  # the fifth failure locks
    locked = log_in(client, "rita")  # even the right password now waits
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    for _ in range(5):
        log_in(client, "nobody-by-this-name", "wrong")
    unknown = log_in(client, "nobody-by-this-name", "wrong")
    assert unknown.status_code == 429
    assert unknown.content.decode() == locked.content.decode()


def test_a_successful_login_resets_the_failure_count(client, reviewer):
    for _ in range(4):
        log_in(client, "rita", "wrong")
    assert log_in(client, "rita").status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        log_in(client, "rita", "wrong")
    assert log_in(client, "rita").status_code == 302


def test_the_session_key_changes_at_login(client, reviewer):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    log_in(client, "rita")
    assert client.session.session_key != before and client.session["_auth_user_id"] == str(reviewer.pk)


def test_logout_ends_the_session_on_the_server(client, reviewer):
    log_in(client, "rita")
    stolen = Client()
    stolen.cookies["sessionid"] = client.cookies["sessionid"].value
    assert stolen.get(reverse("annotations:queue")).status_code == 200
    client.post(reverse("logout"))
    assert stolen.get(reverse("annotations:queue")).status_code == 302


def test_deactivating_a_user_ends_their_sessions_for_good(client, reviewer, editor):
    log_in(client, "rita")
    other = Client()
    log_in(other, "ed")
    reviewer.is_active = False
    reviewer.save()
    response = client.get(reverse("annotations:queue"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    reviewer.is_active = True
    reviewer.save()
    assert client.get(reverse("annotations:queue")).status_code == 302  # reactivating brings no old session back
    assert other.get(reverse("annotations:articles")).status_code == 200  # other users stay logged in


def test_behind_a_proxy_failures_count_per_client_so_an_attacker_cannot_lock_out_a_user(client, reviewer, settings):
    settings.TRUSTED_PROXIES = 1
    attacker = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    for _ in range(6):
        client.post(LOGIN, {"username": "rita", "password": "wrong"}, **attacker)
    assert client.post(LOGIN, {"username": "rita", "password": PASSWORD}, **attacker).status_code == 429
    victim = Client()
    # A forged left-hand entry is not believed: the proxy appended the real address.
    response = victim.post(LOGIN, {"username": "rita", "password": PASSWORD},
                           REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert response.status_code == 302


def test_password_validators_refuse_weak_passwords(reviewer):
    for weak in ("short", "password", "12345678901"):
        with pytest.raises(ValidationError):
            validate_password(weak, reviewer)
    validate_password("a long and unusual sentence", reviewer)


def explode(request):
    raise RuntimeError("secret detail from the database layer")


urlpatterns = [path("explode/", explode)]


def test_error_pages_never_show_a_traceback(client, reviewer, settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(reviewer)
    response = client.get("/explode/")
    content = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in content
    assert "Traceback" not in content and "secret detail" not in content


def test_not_found_and_forbidden_pages_explain_themselves(client, reviewer, outsider):
    client.force_login(reviewer)
    missing = client.get("/no/such/page/")
    assert missing.status_code == 404 and "There is nothing at this address" in missing.content.decode()
    client.force_login(outsider)
    forbidden = client.get(reverse("annotations:outlets"))
    assert forbidden.status_code == 403
    assert "Only editors and admins can see credibility scores." in forbidden.content.decode()


def test_admins_manage_roles_but_cannot_make_anyone_a_superuser_or_touch_a_superuser(client, admin, reviewer,
                                                                                       django_user_model):
    from django.contrib.auth.models import Group

    client.force_login(admin)
    url = reverse("admin:auth_user_change", args=[reviewer.pk])
    form = client.get(url).context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields
    assert "groups" in form.fields
    boss = django_user_model.objects.create_superuser("boss", password="x")
    assert client.get(reverse("admin:auth_user_change", args=[boss.pk])).context["has_change_permission"] is False
    assert client.post(reverse("admin:auth_user_delete", args=[boss.pk]), {"post": "yes"}).status_code == 403
    group = Group.objects.get(name="Admin")
    group_form = client.get(reverse("admin:auth_group_change", args=[group.pk])).context["adminform"].form
    assert "permissions" not in group_form.fields


def test_an_expired_form_gets_a_page_that_says_so(reviewer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode() and "<style" not in response.content.decode()
