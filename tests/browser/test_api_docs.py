"""/api/docs renders Swagger UI from Dossier's own static files with no Content Security Policy violation."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_api_docs_render_within_the_content_security_policy(page, live_server, login, editor):
    violations, requests = [], []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    page.on("pageerror", lambda error: violations.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    login(page, live_server, "ed")
    response = page.goto(live_server.url + "/api/docs")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock-summary-path", timeout=15000)  # the operations, drawn from the schema
    assert "/api/v1/articles" in page.locator(".opblock-summary-path").all_inner_texts()
    assert violations == []
    assert all(url.startswith(live_server.url) for url in requests), requests  # nothing from a CDN
