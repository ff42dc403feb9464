import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from dossier.roles import Role, has_role, roles_of

pytestmark = pytest.mark.django_db


def test_migrations_create_the_three_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Reviewer", "Editor", "Admin"}


def test_admin_role_can_import_and_manage_articles_users_and_outlets():
    perms = set(Group.objects.get(name=Role.ADMIN).permissions.values_list("codename", flat=True))
    assert {"import_article", "change_article", "change_outlet", "add_user", "change_group"} <= perms


def test_editor_and_reviewer_roles_cannot_change_articles():
    for role in (Role.EDITOR, Role.REVIEWER):
        perms = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
        assert "view_article" in perms
        assert not perms & {"change_article", "delete_article", "import_article"}


def test_roles_of_reads_groups_once_and_superusers_hold_every_role(
    reviewer, django_user_model, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert roles_of(reviewer) == {Role.REVIEWER}
        assert has_role(reviewer, Role.REVIEWER) and not has_role(reviewer, Role.EDITOR)
    boss = django_user_model.objects.create_superuser("boss", password="x")
    assert roles_of(boss) == set(Role.values)


def test_navigation_shows_import_only_to_admins(client, admin, editor):
    import_url = reverse("admin:dossier_article_import")
    client.force_login(editor)
    assert import_url not in client.get(reverse("annotations:articles")).content.decode()
    client.force_login(admin)
    assert import_url in client.get(reverse("annotations:articles")).content.decode()


def test_login_page_logs_a_user_in_and_logout_needs_post(client, reviewer):
    response = client.post(reverse("login"), {"username": "rita", "password": "correct horse battery"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("annotations:queue")
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("annotations:articles")).status_code == 302


def test_login_with_a_wrong_password_says_so(client, reviewer):
    response = client.post(reverse("login"), {"username": "rita", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_editors_land_on_the_articles_after_login(client, editor):
    response = client.post(reverse("login"), {"username": "ed", "password": "correct horse battery"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("annotations:articles")
