"""Every page satisfies the Content Security Policy in a real Chromium: no inline script or style."""
import pytest
from django.urls import reverse
from factories import make_article, make_review

from annotations.models import Review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_no_page_breaks_the_content_security_policy(page, live_server, login, admin, reviewer, other_reviewer):
    article = make_article(title="Checked", body="One claim. Another.", outlet="Outlet", authors=["Writer"])
    make_review(article, reviewer, {0: "u", 1: "q"})
    make_review(article, other_reviewer, {0: "o"})
    review = Review.objects.filter(article=article).first()
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(page.url))
    page.on("pageerror", lambda error: violations.append(str(error)))

    login(page, live_server, "ada")
    urls = [
        reverse("annotations:articles"),
        reverse("annotations:summary", args=[article.pk]),
        reverse("annotations:compare", args=[article.pk]),
        reverse("annotations:history", args=[article.pk]),
        reverse("annotations:report", args=[article.pk]),
        reverse("annotations:outlets"),
        reverse("annotations:outlet", args=[article.outlet_id]),
        reverse("annotations:author", args=[article.authors.get().pk]),
        reverse("annotations:workspace", args=[article.pk]),
        article.get_absolute_url(),
        reverse("admin:index"),
        reverse("admin:dossier_article_changelist"),
        reverse("admin:dossier_article_change", args=[article.pk]),
        reverse("admin:dossier_article_history", args=[article.pk]),
        reverse("admin:dossier_article_import"),
        reverse("admin:annotations_flag_changelist"),
        reverse("admin:annotations_export_changelist"),
        reverse("admin:annotations_review_change", args=[review.pk]),
    ]
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        page.wait_for_load_state("load")
    assert violations == []
