"""The review admin keeps the blind-review rule on history pages, also once a review is deleted."""
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from factories import make_article, make_review

pytestmark = pytest.mark.django_db


def history(review_id):
    return reverse("admin:annotations_review_history", args=[review_id])


@pytest.fixture
def staff_reviewer(reviewer):
    reviewer.is_staff = True
    reviewer.save()
    reviewer.user_permissions.add(Permission.objects.get(codename="view_review"))
    return reviewer


def test_an_admin_reads_the_history_of_a_deleted_review(client, admin, reviewer):
    admin.user_permissions.add(Permission.objects.get(codename="view_review"))
    review = make_review(make_article(), reviewer, {0: "q"})
    review_id = review.pk
    review.delete()
    client.force_login(admin)
    assert client.get(history(review_id)).status_code == 200


def test_a_reviewer_reads_only_her_own_deleted_reviews_history(client, staff_reviewer, other_reviewer):
    article = make_article()
    mine, theirs = make_review(article, staff_reviewer, {0: "q"}), make_review(article, other_reviewer, {0: "u"})
    ids = mine.pk, theirs.pk
    mine.delete()
    theirs.delete()
    client.force_login(staff_reviewer)
    assert client.get(history(ids[0])).status_code == 200
    assert client.get(history(ids[1])).status_code == 404
    assert client.get(history("not-a-number")).status_code == 404
