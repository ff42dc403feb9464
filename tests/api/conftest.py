"""Tokens for the fixed cast, and a client that sends one."""
import pytest
from django.core.cache import cache

from api.models import Token

ALL_SCOPES = list(Token.Scope.values)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # The rate limit counts in the cache, which outlives each test's database.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def token_for():
    """token_for(user, *scopes) -> the secret of a new token (every scope when none is given)."""

    def make(user, *scopes, **fields):
        return Token.objects.issue(user, "test", scopes or ALL_SCOPES, **fields)[1]

    return make


class Api:
    """The test client speaking to /api/v1/ with a bearer token (or none)."""

    def __init__(self, client, secret=None):
        self.client, self.secret = client, secret

    def headers(self):
        return {"Authorization": f"Bearer {self.secret}"} if self.secret else {}

    def get(self, path, **params):
        return self.client.get(f"/api/v1/{path}", params, headers=self.headers())

    def send(self, method, path, json=None, **kwargs):
        return getattr(self.client, method)(f"/api/v1/{path}", json, content_type="application/json",
                                            headers=self.headers(), **kwargs)

    def post(self, path, json=None):
        return self.send("post", path, json)

    def put(self, path, json=None):
        return self.send("put", path, json)


@pytest.fixture
def api(client, token_for):
    """api(user=None, *scopes): an Api client with a new token for the user (none: anonymous)."""

    def make(user=None, *scopes, **fields):
        return Api(client, token_for(user, *scopes, **fields) if user else None)

    return make


@pytest.fixture
def make_flaggable():
    """(article, its first passage, the "unsourced" flag)."""
    from factories import make_article

    from annotations.models import Flag

    article = make_article(title="Flaggable", body="One claim. Another claim. A third one.")
    return article, article.passages.first(), Flag.objects.get(shortcut="u")
