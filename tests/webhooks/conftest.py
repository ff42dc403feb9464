"""Webhook tests: a hook pointed at the local receiver, and what waits for a commit run as a commit would."""
import pytest
from webserver import Route

from webhooks.models import Webhook

SECRET = "a-shared-secret"


@pytest.fixture
def make_hook(db):
    """make_hook(url, events, **fields): a hook saved without the admin's address check (tests point some at
    refused addresses)."""
    def make(url, events=("article.imported",), **fields):
        return Webhook.objects.create(**{"name": "Newsroom", "url": url, "secret": SECRET, "events": list(events),
                                         **fields})

    return make


@pytest.fixture
def receiver(web):
    """The local web server answering 204 to POSTs on /hook; web.posts records them."""
    web.routes["/hook"] = Route(b"", status=204, content_type="")
    return web


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Use as `with committed():` around work whose on_commit callbacks (emitting, queueing) should run."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
