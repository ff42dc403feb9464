"""/v1/articles: the table's filters and sorts, cursor pages, one article, imports; blind review in lists."""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from factories import make_article, make_review
from webserver import Route

from dossier.models import Article, Job

pytestmark = pytest.mark.django_db


def titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def walk(client, **params):
    """Every page's titles, following next_cursor."""
    pages, cursor = [], None
    while True:
        response = client.get("articles", **params, **({"cursor": cursor} if cursor else {}))
        pages.append(titles(response))
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return pages


def test_cursor_pages_cover_every_article_once_in_the_sort(api, editor):
    for number in range(7):
        make_article(title=f"T{number}", body=f"Text {number}. More.")
    pages = walk(api(editor), sort="title", limit=3)
    assert pages == [["T0", "T1", "T2"], ["T3", "T4", "T5"], ["T6"]]
    assert sum(walk(api(editor), sort="-id", limit=2), []) == [f"T{n}" for n in reversed(range(7))]


def test_cursor_pages_are_stable_under_inserts(api, editor):
    for number in range(4):
        make_article(title=f"T{number}", body=f"Text {number}. More.")
    client = api(editor)
    first = client.get("articles", sort="-id", limit=2)
    assert titles(first) == ["T3", "T2"]
    make_article(title="Newer", body="A newer text. More.")  # lands before the cursor: shifts nothing after it
    second = client.get("articles", sort="-id", limit=2, cursor=first.json()["next_cursor"])
    assert titles(second) == ["T1", "T0"]


def test_a_score_sort_pages_with_unscored_articles_last(api, editor, reviewer):
    scored = make_article(title="Scored", body="One claim. Another claim.")
    make_review(scored, reviewer, {0: "u", 1: "q"})
    make_article(title="Unscored A", body="Plain text. More.")
    make_article(title="Unscored B", body="Other text. More.")
    pages = walk(api(editor), sort="-sourced_fact_share", limit=1)
    assert pages[0] == ["Scored"] and sorted(sum(pages[1:], [])) == ["Unscored A", "Unscored B"]


def test_a_cursor_is_tied_to_its_sort_and_cannot_be_forged(api, editor):
    for number in range(3):
        make_article(title=f"T{number}", body=f"Text {number}. More.")
    client = api(editor)
    cursor = client.get("articles", sort="title", limit=1).json()["next_cursor"]
    other = client.get("articles", sort="-title", cursor=cursor)
    assert (other.status_code, other.json()["code"], other.json()["field"]) == (400, "bad_cursor", "cursor")
    assert client.get("articles", cursor=cursor[:-2] + "xx", sort="title").status_code == 400


def test_the_list_uses_the_tables_filters(api, editor):
    make_article(title="Border report", body="Text one. More.", outlet="Dawn", language="en")
    make_article(title="Other", body="Text two. More.", outlet="Hurriyet", language="tr")
    client = api(editor)
    assert titles(client.get("articles", outlet="daw")) == ["Border report"]
    assert titles(client.get("articles", language="tr")) == ["Other"]
    assert titles(client.get("articles", q="border")) == ["Border report"]
    bad = client.get("articles", published_after="yesterday")
    assert (bad.status_code, bad.json()["field"]) == (422, "published")
    unknown = client.get("articles", sort="reviewer__password")
    assert (unknown.status_code, unknown.json()["field"]) == (422, "sort")


def test_a_reviewer_never_sees_a_score_nor_filters_or_sorts_on_one(api, reviewer, other_reviewer):
    article = make_article(title="Scored", body="One claim. Another claim.")
    make_review(article, other_reviewer, {0: "u"})
    make_review(article, reviewer, {1: "q"}, submit=False)
    client = api(reviewer)
    item = client.get("articles").json()["items"][0]
    assert item["scores"] is None and item["my_review"] == "in_progress"
    assert client.get("articles", sort="-sourced_fact_share").status_code == 422
    # A score filter is not one of the queue's: it filters nothing, so it tells nothing.
    assert titles(client.get("articles", sourced_fact_share_min="90")) == ["Scored"]


def test_the_list_costs_the_same_queries_whatever_the_page_size(api, editor, reviewer, django_assert_num_queries):
    for number in range(30):
        make_article(title=f"T{number}", body=f"Text {number}. More.", outlet=f"O{number % 3}",
                     authors=[f"A{number}"])
    for who in (editor, reviewer):
        client = api(who)
        client.get("me")  # the token's last use written: not part of what a page costs
        # token, roles, the page, the authors
        for limit in (1, 10, 30):
            with django_assert_num_queries(4):
                client.get("articles", limit=limit, sort="title")
        cursor = client.get("articles", limit=5, sort="title").json()["next_cursor"]
        with django_assert_num_queries(4):
            client.get("articles", limit=25, sort="title", cursor=cursor)


def test_the_outlet_and_author_lists_cost_the_same_queries_at_any_size(api, editor, django_assert_num_queries):
    for number in range(12):
        make_article(title=f"T{number}", body=f"Text {number}. More.", outlet=f"O{number}", authors=[f"A{number}"])
    client = api(editor)
    client.get("me")
    for path in ("outlets", "authors"):
        for limit in (1, 12):
            with django_assert_num_queries(3):  # token, roles, the page
                response = client.get(path, limit=limit)
            assert len(response.json()["items"]) == limit
    assert [item["name"] for item in client.get("outlets", sort="-name", limit=2).json()["items"]] == ["O9", "O8"]


def test_an_article_comes_with_its_passages_and_offsets(api, reviewer):
    article = make_article(title="Detail", body="First claim. Second one.\n\nA new paragraph.")
    data = api(reviewer).get(f"articles/{article.pk}").json()
    assert [(p["paragraph"], p["sentence"], p["text"]) for p in data["passages"]] == [
        (0, 0, "First claim."), (0, 1, "Second one."), (1, 0, "A new paragraph.")]
    assert all(data["body"][p["start"]:p["end"]] == p["text"] for p in data["passages"])
    assert api(reviewer).get("articles/999999").json()["code"] == "not_found"


def test_one_record_imports_at_once(api, admin):
    response = api(admin).post("articles", {"title": "Posted", "body": "A posted claim. Another.", "outlet": "Dawn"})
    assert response.status_code == 201
    assert response.json()["results"][0]["imported"] == ["Posted"]
    assert Article.objects.get(title="Posted").outlet.name == "Dawn"


def test_several_records_import_as_a_task_to_poll(api, admin):
    client = api(admin)
    response = client.post("articles", [{"title": "R1", "body": "One. Two."}, {"title": "R2", "body": "Three. Four."}])
    assert response.status_code == 202
    task = client.get(f"tasks/{response.json()['task']['id']}").json()
    assert task["status"] == "done" and "2 imported" in task["summary"]
    assert set(Article.objects.values_list("title", flat=True)) == {"R1", "R2"}


def test_a_bad_record_is_refused_and_nothing_is_saved(api, admin):
    client = api(admin)
    response = client.post("articles", {"title": "No body"})
    assert (response.status_code, response.json()["field"]) == (422, "body")
    response = client.post("articles", {"title": "   ", "body": "Text. More."})
    assert response.status_code == 400 and response.json()["code"] == "import_failed"
    assert not Article.objects.exists() and not Job.objects.exists()


def test_a_duplicate_record_is_reported_and_skipped(api, admin):
    client = api(admin)
    client.post("articles", {"title": "Once", "body": "Same text. Again."})
    response = client.post("articles", {"title": "Twice", "body": "Same text. Again."})
    assert response.status_code == 201 and response.json()["results"][0]["duplicates"] == ["Twice"]
    assert Article.objects.count() == 1


def test_an_upload_imports(api, admin, client):
    secret = api(admin).secret
    lines = b'{"title": "U1", "body": "One. Two."}\n{"title": "U2", "body": "X. Y."}\n'
    upload = SimpleUploadedFile("two.jsonl", lines)
    response = client.post("/api/v1/articles/upload", {"files": [upload]},
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 201, response.content
    assert set(Article.objects.values_list("title", flat=True)) == {"U1", "U2"}


def test_an_upload_over_the_form_limit_needs_an_import_token(api, admin, reviewer, client, settings):
    settings.DOSSIER_MAX_FORM_BYTES = 1000
    big = json.dumps({"title": "Big", "body": "A sentence here. " * 100}).encode()
    for who, scopes, status in ((admin, ["read"], 413), (admin, ["import"], 201)):
        upload = SimpleUploadedFile("big.json", big)
        secret = api(who, *scopes).secret
        response = client.post("/api/v1/articles/upload", {"files": [upload]},
                               headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == status, response.content
        assert response["Content-Type"].startswith("application/json")
    assert response.json()["results"][0]["imported"] == ["Big"]


def test_an_address_is_fetched_by_the_safe_fetcher(api, admin, web):
    web.routes["/story"] = Route(b"<html><head><title>Fetched story</title></head><body><article><p>"
                                 + b"A fetched claim goes here. " * 20 + b"</p></article></body></html>")
    response = api(admin).post("articles/fetch", {"urls": [f"http://127.0.0.1:{web.port}/story"]})
    assert response.status_code == 201, response.content
    assert Article.objects.get().url.endswith("/story")


def test_an_internal_address_is_refused(api, admin):
    response = api(admin).post("articles/fetch", {"urls": ["http://127.0.0.1:9/"]})
    assert response.status_code == 400 and "127.0.0.1" in response.json()["message"]
    assert not Article.objects.exists()
