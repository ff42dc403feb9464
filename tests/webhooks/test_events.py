"""Events from the real paths: imports (one file, a JSONL file, a background job), new versions, submitted
reviews; after the commit only, and at no cost in queries inside the transaction."""
import io
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from factories import jsonl, make_article, make_review, record

from dossier.ingest import Metadata, import_file
from dossier.models import Article
from dossier.tasks import start_import

from annotations.models import Review

from campaigns.models import Campaign

from webhooks import events, receivers
from webhooks.models import Delivery

pytestmark = pytest.mark.django_db


def sent(receiver):
    """The bodies the receiver got, as JSON, in order."""
    return [json.loads(post.body) for post in receiver.posts]


def test_importing_a_jsonl_file_sends_article_imported_once_per_new_article(receiver, make_hook, committed):
    make_hook(receiver.url("/hook"))

    with committed():
        result = import_file("batch.jsonl", jsonl(record(title="One", body="First text here. Yes.", url="https://a.example/1"),
                                                  record(title="Two", body="Second text here. Yes."),
                                                  record(title="Three", body="Third text here. Yes.")))

    assert result.imported == ["One", "Two", "Three"]
    bodies = sent(receiver)
    assert [body["event"] for body in bodies] == ["article.imported"] * 3
    assert [post.headers["X-Dossier-Event"] for post in receiver.posts] == ["article.imported"] * 3
    one = Article.objects.get(title="One")
    assert bodies[0]["data"] == {"article": {
        "id": one.pk, "title": "One", "url": "https://a.example/1", "version": 1, "language": one.language,
        "page": f"http://localhost:8000/articles/{one.pk}/",
        "report": f"http://localhost:8000/articles/{one.pk}/report.json",
    }}
    assert len({body["id"] for body in bodies}) == 3 and all(uuid.UUID(body["id"]) for body in bodies)
    assert Delivery.objects.filter(state="delivered").count() == 3


def test_a_background_import_of_several_files_sends_one_event_per_article(receiver, make_hook, committed, admin):
    make_hook(receiver.url("/hook"))
    uploads = [SimpleUploadedFile("a.txt", b"Headline A\n\nA body sentence."),
               SimpleUploadedFile("b.txt", b"Headline B\n\nAnother body sentence.")]

    with committed():
        start_import(uploads, [], Metadata(), admin)

    assert sorted(body["data"]["article"]["title"] for body in sent(receiver)) == ["Headline A", "Headline B"]


def test_the_import_command_on_a_folder_sends_one_event_per_article_of_every_file(
        receiver, make_hook, committed, tmp_path):
    from django.core.management import call_command

    make_hook(receiver.url("/hook"))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Folder headline A\n\nA body sentence.", encoding="utf-8")
    (tmp_path / "in" / "b.jsonl").write_bytes(jsonl(record(title="Record B1", body="B one. Text."),
                                             record(title="Record B2", body="B two. Text.")))

    with committed():
        call_command("import_articles", str(tmp_path / "in"), stdout=io.StringIO())

    assert sorted(body["data"]["article"]["title"] for body in sent(receiver)) == [
        "Folder headline A", "Record B1", "Record B2"]


def test_a_duplicate_or_a_failed_file_sends_nothing(receiver, make_hook, committed):
    make_article(title="Kept", body="Kept text. Here.")
    make_hook(receiver.url("/hook"))

    with committed():
        import_file("again.json", json.dumps(record(title="Kept again", body="Kept text. Here.")).encode())
        import_file("broken.json", b"{not json")

    assert receiver.posts == [] and Delivery.objects.count() == 0


def test_a_new_version_sends_article_version_created_and_not_article_imported(receiver, make_hook, committed):
    article = make_article(title="Story", body="First wording. Here.", url="https://news.example/story")
    make_hook(receiver.url("/hook"), events=["article.imported", "article.version_created"])

    with committed():
        import_file("v2.json", json.dumps(record(title="Story", body="Second wording. Here.",
                                                 url="https://news.example/story")).encode())

    (body,) = sent(receiver)
    assert body["event"] == "article.version_created"
    assert body["data"]["article"]["id"] == article.pk and body["data"]["article"]["version"] == 2
    assert body["data"]["previous_version"] == 1
    assert body["data"]["previous_version_page"] == f"http://localhost:8000/articles/{article.pk}/versions/1/"


def test_submitting_a_review_sends_review_submitted_once(receiver, make_hook, committed, reviewer):
    article = make_article(title="Reviewed", body="A claim. Another.")
    make_hook(receiver.url("/hook"), events=["review.submitted"])

    with committed():
        review = make_review(article, reviewer, {0: "u"})
        review.submit()  # twice: nothing changes, nothing is sent

    (body,) = sent(receiver)
    review.refresh_from_db()
    assert body["event"] == "review.submitted"
    assert body["data"]["review"] == {"id": review.pk, "reviewer": "rita",
                                      "submitted_at": review.submitted_at.isoformat().replace("+00:00", "Z")}
    assert body["data"]["article"]["id"] == article.pk and body["data"]["article"]["title"] == "Reviewed"


def test_the_workspaces_submit_button_sends_review_submitted(receiver, make_hook, committed, reviewer, client):
    article = make_article(title="Via the page", body="A claim. Another.")
    make_hook(receiver.url("/hook"), events=["review.submitted"])
    client.force_login(reviewer)

    with committed():
        response = client.post(f"/articles/{article.pk}/review/submit/")

    assert response.status_code == 302
    assert [body["data"]["review"]["id"] for body in sent(receiver)] == [Review.objects.get().pk]


def test_a_hook_gets_only_the_events_it_subscribes_to(receiver, make_hook, committed, reviewer):
    make_hook(receiver.url("/hook"), events=["review.submitted"])

    with committed():
        make_article(title="Not for this hook", body="Some text. More.")

    assert receiver.posts == [] and Delivery.objects.count() == 0


def test_nothing_is_sent_when_the_transaction_rolls_back(receiver, make_hook, committed, reviewer):
    article = make_article(title="Rolled", body="A claim. Another.")
    make_hook(receiver.url("/hook"), events=["article.imported", "review.submitted"])

    with committed():
        with pytest.raises(RuntimeError), transaction.atomic():
            import_file("gone.json", json.dumps(record(title="Gone", body="Never kept. Really.")).encode())
            Review.objects.create(article=article, reviewer=reviewer).submit()
            raise RuntimeError("the import's caller failed")

    assert not Article.objects.filter(title="Gone").exists()
    assert receiver.posts == [] and Delivery.objects.count() == 0


def test_receivers_run_no_query_inside_the_transaction_and_an_event_without_hooks_costs_one(
        django_assert_num_queries, django_capture_on_commit_callbacks, reviewer):
    article = make_article(title="Cheap", body="A claim. Another.")
    review = Review.objects.create(article=article, reviewer=reviewer)

    with django_capture_on_commit_callbacks() as callbacks:
        with django_assert_num_queries(0):
            receivers.article_imported(Article, articles=[article])
            receivers.review_was_submitted(Review, review=review)
    with django_assert_num_queries(2):  # one per event: are there hooks for it?
        for callback in callbacks:
            callback()
    assert Delivery.objects.count() == 0


def test_emit_refuses_an_unknown_event_by_name():
    with pytest.raises(ValueError, match="unknown webhook event 'article.deleted'"):
        events.emit("article.deleted", {})


def test_closing_a_campaign_emits_campaign_closed_with_its_id_name_time_and_page(
    receiver, make_hook, committed, reviewer, other_reviewer
):
    article = make_article(title="Sampled")
    make_hook(receiver.url("/hook"), events=["campaign.closed"])
    with committed():
        campaign = Campaign.objects.plan("Spring sample", [article.pk], [reviewer, other_reviewer], seed=1)
        campaign.open()
    assert sent(receiver) == []  # opening is not an event

    with committed():
        assert campaign.close()

    (body,) = sent(receiver)
    assert body["event"] == "campaign.closed"
    assert body["data"] == {"campaign": {"id": campaign.pk, "name": "Spring sample",
                                         "closed_at": campaign.closed_at.isoformat().replace("+00:00", "Z"),
                                         "page": f"http://localhost:8000/campaigns/{campaign.pk}/"}}
