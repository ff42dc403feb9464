"""The permission matrix: every API operation (read from the API object) x anonymous, each role, a token
without the operation's scope, a revoked token and an expired one."""
import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factories import make_article, make_review
from webserver import Route

from dossier import tasks
from dossier.ingest import Metadata

from annotations.models import Annotation, Flag

from campaigns.models import Campaign

from api.auth import scope_of
from api.main import api
from api.models import Token

pytestmark = pytest.mark.django_db

ANYONE = {"outsider", "reviewer", "editor", "admin"}
ROLES = {"reviewer", "editor", "admin"}
SCORE_READERS = {"editor", "admin"}
# Who may call each operation (with a token of every scope). Every operation must be listed here.
ALLOWED = {
    "me": ANYONE,
    "list_articles": ROLES, "get_article": ROLES, "versions": ROLES, "version": ROLES,
    "flags": ROLES, "codebook": ROLES,
    "import_records": {"admin"}, "import_uploads": {"admin"}, "import_addresses": {"admin"},
    "my_review": {"reviewer"}, "set_flag": {"reviewer"}, "submit": {"reviewer"},
    "report": SCORE_READERS, "list_outlets": SCORE_READERS, "get_outlets": SCORE_READERS,
    "list_authors": SCORE_READERS, "get_authors": SCORE_READERS,
    "article_annotations": SCORE_READERS, "annotation_collection": SCORE_READERS, "annotation": SCORE_READERS,
    "list_campaigns": SCORE_READERS, "campaign_status": SCORE_READERS,
    "task": {"admin"},  # the task below is the admin's: only who started it, or an admin
}


def operations():
    """(operation id, method, path template, scope) of every operation the API object serves."""
    found = []
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    template = "/api/" + re.sub(r"{id:", "{", (bound.prefix + path).strip("/").replace("//", "/"))
                    found.append((api.get_openapi_operation_id(operation), method, template, scope_of(operation)))
    return found


OPERATIONS = operations()


def test_every_operation_is_in_the_matrix():
    assert {name for name, *_ in OPERATIONS} == set(ALLOWED)
    assert len(OPERATIONS) == len({(method, path) for _, method, path, _ in OPERATIONS})


@pytest.fixture
def world(admin, editor, reviewer, other_reviewer, outsider, web):
    """One of everything a path can name, and a way to call each operation with a valid request."""
    article = make_article(title="Matrix", body="One claim. Another claim.", outlet="Outlet", authors=["Writer"])
    make_review(article, other_reviewer, {0: "u"})
    web.routes["/page"] = Route(b"<html><head><title>Fetched</title></head><body><p>" + b"A fetched sentence. " * 20
                                + b"</p></body></html>")
    job = tasks.start_import([], [], Metadata(), admin)
    campaign = Campaign.objects.plan("Matrix campaign", [article.pk], [reviewer, other_reviewer], seed=1)
    return {
        "users": {"admin": admin, "editor": editor, "reviewer": reviewer, "outsider": outsider},
        "values": {"article_id": article.pk, "number": 1, "subject_id": article.outlet_id,
                   "annotation_id": Annotation.objects.get().pk, "task_id": job.pk,
                   "campaign_id": campaign.pk},
        "passage": article.passages.first().pk,
        "author": article.authors.get().pk,
        "url": f"http://127.0.0.1:{web.port}/page",
    }


def call(client, world, name, method, template, secret):
    values = dict(world["values"])
    if "/authors/" in template:
        values["subject_id"] = world["author"]
    if name == "version":
        from dossier.models import ArticleVersion

        ArticleVersion.objects.get_or_create(article_id=values["article_id"], number=1, defaults={
            "title": "Old", "body": "Old.", "passages": [], "content_hash": "0" * 64,
            "imported_at": timezone.now()})
    url = template.format(**values)
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    if name == "import_uploads":
        upload = SimpleUploadedFile("one.txt", f"Uploaded {secret}\n\nA sentence of it here.".encode())
        return client.post(url, {"files": [upload]}, headers=headers)
    body = {
        "import_records": {"title": f"Record {secret}", "body": "A record's sentence. Another."},
        "import_addresses": {"urls": [world["url"]]},
        "set_flag": {"passage": world["passage"], "flag": Flag.objects.get(shortcut="u").pk, "on": True},
    }.get(name)
    return getattr(client, method.lower())(url, body, content_type="application/json", headers=headers) \
        if method != "GET" else client.get(url, headers=headers)


@pytest.mark.parametrize("name,method,template,scope", OPERATIONS, ids=[op[0] for op in OPERATIONS])
def test_permission_matrix(client, world, token_for, name, method, template, scope):
    outcomes = {}
    outcomes["anonymous"] = call(client, world, name, method, template, None).status_code
    for role, user in world["users"].items():
        outcomes[role] = call(client, world, name, method, template, token_for(user)).status_code
        others = [other for other in Token.Scope.values if other != scope]
        outcomes[f"{role} without {scope}"] = call(client, world, name, method, template,
                                                   token_for(user, *others)).status_code
    admin = world["users"]["admin"]
    revoked = token_for(admin)
    Token.objects.filter(user=admin).order_by("-id").first().revoke()
    outcomes["revoked"] = call(client, world, name, method, template, revoked).status_code
    expired = token_for(admin, expires_at=timezone.now() - datetime.timedelta(seconds=1))
    outcomes["expired"] = call(client, world, name, method, template, expired).status_code

    expected = {"anonymous": 401, "revoked": 401, "expired": 401}
    for role in world["users"]:
        expected[role] = "ok" if role in ALLOWED[name] else 403
        expected[f"{role} without {scope}"] = 403
    shown = {who: "ok" if 200 <= status < 300 else status for who, status in outcomes.items()}
    assert shown == expected
