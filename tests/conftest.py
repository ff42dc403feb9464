"""The fixed cast of users and shared settings for every test."""
import pytest
from django.contrib.auth.models import Group

from dossier.roles import Role


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    # The manifest storage needs collectstatic first; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _user_with_role(django_user_model, username, role=None, **extra):
    user = django_user_model.objects.create_user(username=username, password="correct horse battery", **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def admin(django_user_model):
    return _user_with_role(django_user_model, "ada", Role.ADMIN, is_staff=True)


@pytest.fixture
def editor(django_user_model):
    return _user_with_role(django_user_model, "ed", Role.EDITOR)


@pytest.fixture
def reviewer(django_user_model):
    return _user_with_role(django_user_model, "rita", Role.REVIEWER)


@pytest.fixture
def other_reviewer(django_user_model):
    return _user_with_role(django_user_model, "rob", Role.REVIEWER)


@pytest.fixture
def outsider(django_user_model):
    return _user_with_role(django_user_model, "otto")


@pytest.fixture
def web(settings):
    """A local web server, with the fetcher allowed to reach loopback (as DOSSIER_FETCH_ALLOW_LOOPBACK does)."""
    from webserver import WebServer

    settings.DOSSIER_FETCH_ALLOW_LOOPBACK = True
    server = WebServer()
    yield server
    server.close()
