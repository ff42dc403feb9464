"""The audit trail: every change recorded with who and when; editors restore removed annotations."""
import pytest
from django.urls import reverse
from factories import make_article

from dossier.models import Article

from annotations.models import Annotation, ArticleSummary, Flag, Review

pytestmark = pytest.mark.django_db


def flag(shortcut):
    return Flag.objects.get(shortcut=shortcut)


def annotate(client, article, passage, shortcut, on):
    url = reverse("annotations:annotate", args=[article.pk])
    return client.post(url, {"passage": passage.pk, "flag": flag(shortcut).pk, "on": "1" if on else "0"})


@pytest.fixture
def article():
    return make_article(title="Audited", body="Tanks moved. Analysts say.")


def test_flag_changes_through_the_workspace_are_recorded_with_who_and_when(client, reviewer, article):
    client.force_login(reviewer)
    passage = article.passages.first()
    annotate(client, article, passage, "u", True)
    annotate(client, article, passage, "u", False)
    records = list(Annotation.history.order_by("history_id"))
    assert [record.history_type for record in records] == ["+", "-"]
    assert {record.history_user for record in records} == {reviewer}
    assert Review.history.filter(history_type="+", history_user=reviewer).exists()


def test_metadata_changes_and_imports_are_recorded(admin, article):
    # Imported in bulk: no row copies the article as imported until it changes, and then it comes first.
    assert not article.history.exists()
    article.title = "Renamed"
    article.save()
    records = list(Article.history.filter(id=article.pk).order_by("history_id"))
    assert [(record.title, record.history_type) for record in records] == [("Audited", "+"), ("Renamed", "~")]
    assert records[0].history_date == article.imported_at
    article.title = "Renamed again"
    article.save()
    assert Article.history.filter(id=article.pk).count() == 3
    loaded = flag("l")
    loaded.category = Flag.Category.UNSOURCED
    loaded.save()
    assert Flag.history.filter(id=loaded.pk).latest("history_id").category == "unsourced"


def test_editors_see_an_articles_flag_history_and_reviewers_do_not(client, editor, reviewer, article):
    client.force_login(reviewer)
    passage = article.passages.first()
    annotate(client, article, passage, "v", True)
    assert client.get(reverse("annotations:history", args=[article.pk])).status_code == 403
    client.force_login(editor)
    content = client.get(reverse("annotations:history", args=[article.pk])).content.decode()
    assert "Vague attribution" in content and "rita" in content and "added" in content


def test_an_editor_restores_a_removed_annotation_and_it_counts_once_submitted(client, editor, reviewer, article):
    review = Review.objects.create(article=article, reviewer=reviewer)
    passage = article.passages.first()
    review.set_flag(passage, flag("u"), True, note="No source")
    review.set_flag(passage, flag("u"), False)
    removed = Annotation.history.get(history_type="-")

    client.force_login(editor)
    page = client.get(reverse("annotations:history", args=[article.pk])).content.decode()
    restore_url = reverse("annotations:restore", args=[article.pk, removed.history_id])
    assert restore_url in page
    response = client.post(restore_url, follow=True)
    assert "Restored “Unsourced claim”" in response.content.decode()
    annotation = Annotation.objects.get()
    assert annotation.note == "No source" and annotation.review == review
    assert Annotation.history.latest("history_id").history_user == editor
    review.submit()
    assert ArticleSummary.objects.get(article=article).unsourced_chars == 12

    response = client.post(restore_url, follow=True)  # twice: refused, nothing duplicated
    assert "Its review is submitted" in response.content.decode()
    assert Annotation.objects.count() == 1


def test_a_flag_removed_before_submitting_stays_removed_once_the_review_is_final(client, editor, reviewer, article):
    review = Review.objects.create(article=article, reviewer=reviewer)
    review.set_flag(article.passages.first(), flag("u"), True)
    review.set_flag(article.passages.first(), flag("u"), False)
    review.submit()
    removed = Annotation.history.get(history_type="-")
    client.force_login(editor)
    page = client.get(reverse("annotations:history", args=[article.pk])).content.decode()
    assert "Restore</button>" not in page
    client.post(reverse("annotations:restore", args=[article.pk, removed.history_id]))
    assert not Annotation.objects.exists()


def test_a_flag_put_back_by_the_reviewer_cannot_be_restored_twice(client, editor, reviewer, article):
    review = Review.objects.create(article=article, reviewer=reviewer)
    review.set_flag(article.passages.first(), flag("u"), True)
    review.set_flag(article.passages.first(), flag("u"), False)
    review.set_flag(article.passages.first(), flag("u"), True)
    removed = Annotation.history.get(history_type="-")
    client.force_login(editor)
    response = client.post(reverse("annotations:restore", args=[article.pk, removed.history_id]), follow=True)
    assert "put this flag on the passage again" in response.content.decode()
    assert Annotation.objects.count() == 1


def test_restoring_needs_an_editor_a_post_and_a_removal_record_of_this_article(client, editor, reviewer, article):
    review = Review.objects.create(article=article, reviewer=reviewer)
    review.set_flag(article.passages.first(), flag("o"), True)
    added = Annotation.history.get(history_type="+")
    url = reverse("annotations:restore", args=[article.pk, added.history_id])
    client.force_login(reviewer)
    assert client.post(url).status_code == 403
    client.force_login(editor)
    assert client.get(url).status_code == 405
    assert "Only a removed annotation can be restored." in client.post(url, follow=True).content.decode()
    other = make_article(body="Elsewhere entirely.")
    assert client.post(reverse("annotations:restore", args=[other.pk, added.history_id])).status_code == 404


def test_an_annotation_whose_review_was_deleted_cannot_be_restored(client, editor, reviewer, article):
    review = Review.objects.create(article=article, reviewer=reviewer)
    review.set_flag(article.passages.first(), flag("o"), True)
    review.delete()
    removed = Annotation.history.get(history_type="-")
    client.force_login(editor)
    page = client.get(reverse("annotations:history", args=[article.pk])).content.decode()
    assert "deleted review" in page and "Restore</button>" not in page
    response = client.post(reverse("annotations:restore", args=[article.pk, removed.history_id]), follow=True)
    assert "Its review has been deleted" in response.content.decode()
    assert not Annotation.objects.exists()


def test_history_survives_a_deleted_flag_and_a_retired_flag_is_not_restored(client, editor, reviewer, article):
    review = Review.objects.create(article=article, reviewer=reviewer)
    spare = Flag.objects.create(name="Spare", category=Flag.Category.OPINION, guideline="Temporary.")
    review.set_flag(article.passages.first(), spare, True)
    review.set_flag(article.passages.first(), spare, False)
    review.set_flag(article.passages.first(), flag("l"), True)
    review.set_flag(article.passages.first(), flag("l"), False)
    spare.delete()
    loaded = flag("l")
    loaded.active = False
    loaded.save()
    client.force_login(editor)
    page = client.get(reverse("annotations:history", args=[article.pk])).content.decode()
    assert "deleted flag" in page and "Restore</button>" not in page
    removed = Annotation.history.filter(history_type="-", flag_id=loaded.pk).get()
    response = client.post(reverse("annotations:restore", args=[article.pk, removed.history_id]), follow=True)
    assert "retired or deleted" in response.content.decode()
    assert not Annotation.objects.exists()
