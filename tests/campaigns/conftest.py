import pytest
from django.contrib.auth.models import Group

from dossier.roles import Role


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_reviewer(django_user_model):
    """A reviewer with a username (and optionally a full name and e-mail)."""

    def make(username, first_name="", last_name="", email=""):
        user = django_user_model.objects.create_user(username=username, password="x", first_name=first_name,
                                                     last_name=last_name, email=email)
        user.groups.add(Group.objects.get(name=Role.REVIEWER))
        return user

    return make


@pytest.fixture
def pool(make_reviewer):
    return [make_reviewer(f"r{n}") for n in range(1, 5)]
