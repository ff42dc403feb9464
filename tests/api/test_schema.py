"""The API's schema: valid OpenAPI 3, served at /api/openapi.json, and true of every answer (schemathesis)."""
import json
import socket

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from factories import make_article, make_review
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.main import api
from api.models import Token

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_3(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate(schema)
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


def served_schema():
    """The schema as /api/openapi.json serves it (JSON: status codes as strings)."""
    return json.loads(json.dumps(api.get_openapi_schema()))


def test_every_operation_documents_the_errors_it_can_answer():
    for path, operations in served_schema()["paths"].items():
        for method, operation in operations.items():
            assert {"401", "403", "422", "429"} <= set(operation["responses"]), (method, path)


# No server error, and every answer as the schema says: its status, media type, headers and body. (Not
# schemathesis's check that every schema-valid request is accepted: a filter's date or a passage of
# another article is refused with a 400 or 422 that the schema documents.)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
schema = schemathesis.openapi.from_dict(served_schema())
schema.app = get_wsgi_application()


@pytest.fixture
def quick(settings, monkeypatch):
    settings.DOSSIER_API_RATE_LIMIT = 0  # thousands of requests, each counted otherwise
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # five users per example set
    # The made-up addresses the fetch operation gets never reach a name server: each is unresolvable.
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: (_ for _ in ()).throw(socket.gaierror("off")))
    # Schemathesis calls the WSGI application itself, which closes the database connection after each
    # request; the test's transaction must outlive them, as Django's test client arranges.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def corpus(quick, admin, editor, reviewer, other_reviewer, outsider):
    """Something to find behind the ids schemathesis will guess at (1, 2, …), and a token per role."""
    for number in range(3):
        article = make_article(title=f"Fuzzed {number}", body=f"One claim {number}. Another claim. A third.",
                               outlet="Outlet", authors=["Writer"])
        make_review(article, other_reviewer, {0: "u", 1: "q"})
        make_review(article, reviewer, {2: "o"}, submit=number == 0)
    return {role: Token.objects.issue(user, "fuzz", Token.Scope.values)[1]
            for role, user in {"admin": admin, "editor": editor, "reviewer": reviewer, "outsider": outsider}.items()}


@pytest.mark.parametrize("role", ["admin", "editor", "reviewer", "outsider"])
@schema.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_answer_is_a_server_error_or_breaks_the_schema(case, corpus, role):
    case.call_and_validate(headers={"Authorization": f"Bearer {corpus[role]}"}, app=schema.app, checks=CHECKS)
