"""A reviewer's own review through the API: the workspace's rules (annotations/reviewing.py), blind review,
CSRF for sessions, rate limits, JSON errors."""
import pytest
from django.middleware.csrf import get_token
from django.test import Client
from factories import make_review

from annotations.models import Annotation, Flag, Review

pytestmark = pytest.mark.django_db


def flag_on(client, article, passage, flag, on=True, **details):
    return client.put(f"articles/{article.pk}/review/flags", {"passage": passage.pk, "flag": flag.pk, "on": on,
                                                               **details})


def test_setting_a_flag_is_idempotent_and_unsetting_takes_it_off(api, reviewer, make_flaggable):
    article, passage, flag = make_flaggable
    client = api(reviewer)
    for _ in range(2):
        response = flag_on(client, article, passage, flag, note="No source given.")
        assert response.status_code == 200
        assert response.json()["flags"] == [flag.pk]
    annotation = Annotation.objects.get()
    assert (annotation.passage, annotation.flag, annotation.note) == (passage, flag, "No source given.")
    # A toggle without a note keeps the note, as the workspace's does.
    flag_on(client, article, passage, flag)
    assert Annotation.objects.get().note == "No source given."
    assert flag_on(client, article, passage, flag, on=False).json()["flags"] == []
    assert flag_on(client, article, passage, flag, on=False).status_code == 200
    assert not Annotation.objects.exists()


def test_a_flag_write_costs_the_workspace_toggles_queries(api, reviewer, other_reviewer, django_assert_num_queries):
    from factories import make_article

    article = make_article(body=" ".join(f"Sentence {n}." for n in range(40)))
    Review.objects.create(article=article, reviewer=other_reviewer)  # the article's summary row exists
    passages, flag = list(article.passages.all()), Flag.objects.get(shortcut="o")
    client = api(reviewer)
    client.get("me")  # the token's last use written: not part of what a write costs
    # The toggle's (tests/annotations/views/test_review.py) with the token in place of the session and user.
    with django_assert_num_queries(20):
        assert flag_on(client, article, passages[0], flag).json()["flagged"] == 1
    for passage, on in ((passages[1], True), (passages[-1], True), (passages[1], False)):
        with django_assert_num_queries(13):
            assert flag_on(client, article, passage, flag, on=on).status_code == 200
    assert flag_on(client, article, passages[2], flag, on=False).json()["flagged"] == 2


def test_the_reviews_rules_hold_as_in_the_workspace(api, reviewer, make_flaggable, django_user_model):
    article, passage, flag = make_flaggable
    client = api(reviewer)
    other = make_flaggable[0].__class__.objects.create(title="Other", body="x", original_text="x", content_hash="h")
    wrong = client.put(f"articles/{other.pk}/review/flags", {"passage": passage.pk, "flag": flag.pk, "on": True})
    assert (wrong.status_code, wrong.json()["field"]) == (400, "passage")
    outside = flag_on(client, article, passage, flag, start=0, end=500)
    assert outside.status_code == 400 and "inside the passage" in outside.json()["message"]
    Flag.objects.filter(pk=flag.pk).update(active=False)
    assert flag_on(client, article, passage, flag).status_code == 400
    assert not Annotation.objects.exists()


def test_submitting_closes_the_review_and_twice_changes_nothing(api, reviewer, make_flaggable):
    article, passage, flag = make_flaggable
    client = api(reviewer)
    flag_on(client, article, passage, flag)
    first = client.post(f"articles/{article.pk}/review/submit")
    assert first.status_code == 200 and first.json()["status"] == "submitted"
    second = client.post(f"articles/{article.pk}/review/submit")
    assert second.json()["submitted_at"] == first.json()["submitted_at"]
    closed = flag_on(client, article, passage, flag, on=False)
    assert (closed.status_code, closed.json()["code"]) == (409, "review_submitted")
    assert Annotation.objects.count() == 1


def test_a_reviewers_review_shows_only_their_own_flags(api, reviewer, other_reviewer, make_flaggable):
    article, passage, flag = make_flaggable
    make_review(article, other_reviewer, {1: "o"}, submit=False)
    make_review(article, other_reviewer.__class__.objects.create_user("sue"), {2: "q"})
    flag_on(api(reviewer), article, passage, flag)
    marks = api(reviewer).get(f"articles/{article.pk}/review").json()["marks"]
    assert [(mark["passage"], mark["flag"]) for mark in marks] == [(passage.pk, flag.pk)]


def test_a_reviewer_reads_no_score_and_no_one_elses_flags(api, reviewer, other_reviewer, make_flaggable):
    article = make_flaggable[0]
    make_review(article, other_reviewer, {0: "u"})
    client = api(reviewer)
    for path in (f"articles/{article.pk}/report", "outlets", "authors", f"articles/{article.pk}/annotations.jsonld",
                 "annotations.jsonld", f"annotations/{Annotation.objects.get().pk}.jsonld"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert b"rob" not in response.content


def test_an_editor_reads_the_report_as_report_json_has_it(api, editor, reviewer, make_flaggable, client):
    article = make_flaggable[0]
    make_review(article, reviewer, {0: "u", 1: "q"})
    data = api(editor).get(f"articles/{article.pk}/report").json()
    client.force_login(editor)
    page = client.get(f"/articles/{article.pk}/report.json").json()
    assert data == page
    assert data["reviewers"][0]["username"] == "rita"


def test_a_session_needs_csrf_for_writes_and_a_token_does_not(reviewer, make_flaggable):
    article, passage, flag = make_flaggable
    session = Client(enforce_csrf_checks=True)
    session.force_login(reviewer)
    body = {"passage": passage.pk, "flag": flag.pk, "on": True}
    url = f"/api/v1/articles/{article.pk}/review/flags"
    assert session.get("/api/v1/me").status_code == 200
    refused = session.put(url, body, content_type="application/json")
    assert (refused.status_code, refused.json()["code"]) == (403, "csrf_failed")
    assert not Review.objects.exists()
    page = session.get("/api/docs")  # any page sets the CSRF cookie and carries its token
    token = page.context["csrf_token"] if page.context else get_token(page.wsgi_request)
    allowed = session.put(url, body, content_type="application/json", headers={"X-CSRFToken": str(token)})
    assert allowed.status_code == 200, allowed.content


def test_over_the_rate_limit_the_answer_is_429_with_retry_after(api, reviewer, settings):
    settings.DOSSIER_API_RATE_LIMIT, settings.DOSSIER_API_RATE_WINDOW = 3, 60
    client = api(reviewer)
    assert [client.get("me").status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("me")
    assert (response.status_code, response.json()["code"]) == (429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert api(reviewer).get("me").status_code == 200  # another token counts apart


def test_a_body_over_the_limit_is_a_json_413(api, reviewer, make_flaggable, settings):
    settings.DOSSIER_MAX_FORM_BYTES = 100
    article, passage, flag = make_flaggable
    response = flag_on(api(reviewer), article, passage, flag, note="x" * 200)
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert not Annotation.objects.exists()


def test_malformed_json_is_a_json_error(api, reviewer, make_flaggable):
    article = make_flaggable[0]
    client = api(reviewer)
    response = client.client.put(f"/api/v1/articles/{article.pk}/review/flags", "{not json",
                                 content_type="application/json", headers=client.headers())
    assert response.status_code in (400, 422) and set(response.json()) == {"code", "message", "field"}


def test_a_method_an_address_does_not_take_is_a_json_405(api, reviewer):
    response = api(reviewer).post("flags")
    assert (response.status_code, response.json()["code"], response["Allow"]) == (405, "method_not_allowed", "GET")


def test_an_id_too_big_for_the_database_is_a_json_404(api, reviewer):
    response = api(reviewer).get("articles/" + "9" * 25)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
