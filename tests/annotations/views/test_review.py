
import json

import pytest
from django.test import Client
from django.urls import reverse
from factories import make_article

from annotations.models import Annotation, Flag, Review

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(title="Border talks", body="First claim here. Second claim there.\n\nThird one.")


def flag(shortcut):
    return Flag.objects.get(shortcut=shortcut)


def workspace_url(article):
    return reverse("annotations:workspace", args=[article.pk])


def annotate_url(article):
    return reverse("annotations:annotate", args=[article.pk])


def script_data(response):
    """The workspace's script data (its own marks and the flags), read as the page's script reads it."""
    content = response.content.decode()
    start = content.index('<script id="workspace-data" type="application/json">') + len(
        '<script id="workspace-data" type="application/json">'
    )
    return json.loads(content[start : content.index("</script>", start)])


def post_flag(client, article, passage, shortcut, on=True, **details):
    data = {"passage": passage.pk, "flag": flag(shortcut).pk, "on": "1" if on else "0", **details}
    return client.post(annotate_url(article), data)


# --- Workspace page -------------------------------------------------------------------------

def test_workspace_shows_passages_flags_and_progress(client, reviewer, article):
    client.force_login(reviewer)
    response = client.get(workspace_url(article))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('class="passage"') == 3
    assert "Unsourced claim" in content and "States a checkable fact without saying where it comes from." in content
    assert "0</strong> of 3 passages flagged" in content
    assert 'data-editable="true"' in content
    assert "js/workspace.js" in content and "<script>" not in content


def test_the_workspace_tells_reviewers_an_unflagged_passage_counts_as_neutral(client, reviewer, article):
    client.force_login(reviewer)
    content = client.get(workspace_url(article)).content.decode()
    assert "A passage you leave unflagged counts as neutral." in content
    assert "passages you left unflagged count as neutral" in content and "not reviewed" not in content


def test_workspace_query_count_does_not_grow_with_passages(client, reviewer, other_reviewer, django_assert_num_queries):
    short = make_article(body="One.")
    long = make_article(body="\n\n".join(f"Sentence {n}. Another {n}." for n in range(60)))
    for article in (short, long):
        mine = Review.objects.create(article=article, reviewer=reviewer)
        theirs = Review.objects.create(article=article, reviewer=other_reviewer)
        for passage in article.passages.all():
            mine.set_flag(passage, flag("u"), True, note="n")
            theirs.set_flag(passage, flag("o"), True)
        theirs.submit()
    client.force_login(reviewer)
    # session, user, roles, article, review, flags, annotations, passages
    with django_assert_num_queries(8):
        client.get(workspace_url(short))
    with django_assert_num_queries(8):
        response = client.get(workspace_url(long))
    assert sum(map(len, script_data(response)["marks"].values())) == 120  # own marks, drawn by the script
    assert 'class="mark other' not in response.content.decode()  # blind: rob's submitted flags stay hidden


def test_reviewer_sees_only_their_own_flags_before_submitting(client, reviewer, other_reviewer, article):
    passage = article.passages.first()
    theirs = Review.objects.create(article=article, reviewer=other_reviewer)
    theirs.set_flag(passage, flag("o"), True, note="their secret note")
    theirs.submit()
    Review.objects.create(article=article, reviewer=reviewer).set_flag(passage, flag("u"), True)
    client.force_login(reviewer)

    response = client.get(workspace_url(article))
    content = response.content.decode()
    assert "their secret note" not in content and "rob" not in content
    assert 'class="mark other' not in content and 'class="others"' not in content
    assert script_data(response)["marks"] == {
        str(passage.pk): [{"flag": flag("u").pk, "start": None, "end": None, "note": "", "evidence_url": ""}]
    }


def test_after_submitting_a_reviewer_sees_other_submitted_flags_but_not_drafts(
    client, reviewer, other_reviewer, editor, article
):
    passage = article.passages.first()
    submitted = Review.objects.create(article=article, reviewer=other_reviewer)
    submitted.set_flag(passage, flag("o"), True)
    submitted.submit()
    third = type(reviewer).objects.create_user("tess", password="x")
    Review.objects.create(article=article, reviewer=third).set_flag(passage, flag("v"), True)
    mine = Review.objects.create(article=article, reviewer=reviewer)
    mine.set_flag(passage, flag("u"), True)
    mine.submit()
    client.force_login(reviewer)

    content = client.get(workspace_url(article)).content.decode()
    assert "Opinion · rob" in content
    assert "tess" not in content
    assert 'data-editable="false"' in content and "Submit review" not in content


def test_after_submitting_the_workspace_offers_the_next_article_by_its_title(client, reviewer, article):
    later = make_article(title="Ceasefire <holds>", body="A claim.")
    Review.objects.create(article=article, reviewer=reviewer).submit()
    client.force_login(reviewer)

    content = client.get(workspace_url(article)).content.decode()
    assert f'<a href="{workspace_url(later)}" rel="next" dir="auto">Ceasefire &lt;holds&gt;</a>' in content

    Review.objects.create(article=later, reviewer=reviewer).submit()
    content = client.get(workspace_url(article)).content.decode()
    assert 'rel="next"' not in content and "That was the last article in your queue." in content


def test_editor_sees_every_reviewers_flags_read_only(client, editor, reviewer, other_reviewer, article):
    passage = article.passages.first()
    Review.objects.create(article=article, reviewer=reviewer).set_flag(passage, flag("u"), True, note="draft note")
    Review.objects.create(article=article, reviewer=other_reviewer).set_flag(passage, flag("o"), True)
    client.force_login(editor)

    content = client.get(workspace_url(article)).content.decode()
    assert "Unsourced claim · rita" in content and "Opinion · rob" in content and "draft note" in content
    assert 'data-editable="false"' in content
    assert post_flag(client, article, passage, "u").status_code == 403


def test_anonymous_users_are_sent_to_login(client, article):
    for url in (workspace_url(article), reverse("annotations:queue"), reverse("annotations:next")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    response = client.post(annotate_url(article), {})
    assert response.status_code == 302
    assert Review.objects.count() == 0


def test_users_without_a_role_are_refused(client, outsider, article):
    client.force_login(outsider)
    assert client.get(workspace_url(article)).status_code == 403
    assert post_flag(client, article, article.passages.first(), "u").status_code == 403
    assert client.get(reverse("annotations:queue")).status_code == 403
    assert Annotation.objects.count() == 0


def test_missing_article_is_a_404(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("annotations:workspace", args=[999999])).status_code == 404


# --- Flag endpoint ---------------------------------------------------------------------------

def test_flagging_saves_and_answers_with_the_passages_marks(client, reviewer, article):
    client.force_login(reviewer)
    passage = article.passages.first()
    response = post_flag(client, article, passage, "u")

    assert response.status_code == 200
    data = response.json()
    assert data["passage"] == passage.pk and data["flags"] == [flag("u").pk] and data["flagged"] == 1
    assert data["marks"] == [{"flag": flag("u").pk, "start": None, "end": None, "note": "", "evidence_url": ""}]
    annotation = Annotation.objects.get()
    assert (annotation.review.reviewer, annotation.passage, annotation.flag) == (reviewer, passage, flag("u"))


def test_the_same_request_sent_twice_is_idempotent(client, reviewer, article):
    client.force_login(reviewer)
    passage = article.passages.first()
    post_flag(client, article, passage, "u")
    post_flag(client, article, passage, "u")
    assert Annotation.objects.count() == 1 and Review.objects.count() == 1
    post_flag(client, article, passage, "u", on=False)
    assert post_flag(client, article, passage, "u", on=False).json()["flagged"] == 0
    assert Annotation.objects.count() == 0


def test_note_evidence_and_sub_range_are_saved(client, reviewer, article):
    client.force_login(reviewer)
    passage = article.passages.first()
    response = post_flag(client, article, passage, "u", note="Which claim?", evidence_url="example.org/src",
                         start=passage.start + 6, end=passage.start + 11)
    assert response.status_code == 200
    annotation = Annotation.objects.get()
    assert (annotation.note, annotation.evidence_url, annotation.quote) == (
        "Which claim?", "https://example.org/src", "claim"
    )
    # The words as offsets into the passage's own text, which the workspace script highlights.
    [mark] = response.json()["marks"]
    assert passage.text[mark["start"] : mark["end"]] == "claim"
    assert (mark["note"], mark["evidence_url"]) == ("Which claim?", "https://example.org/src")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"flag": 999999}, "flag:"),
        ({"on": "maybe"}, "on:"),
        ({"start": 0}, "both start and end"),
        ({"start": 5, "end": 500}, "inside the passage"),
        ({"evidence_url": "javascript:alert(1)"}, "evidence_url:"),
        ({"note": "x" * 2001}, "note:"),
    ],
)
def test_bad_requests_get_a_400_with_a_reason_and_change_nothing(client, reviewer, article, change, message):
    client.force_login(reviewer)
    passage = article.passages.first()
    data = {"passage": passage.pk, "flag": flag("u").pk, "on": "1", **change}
    response = client.post(annotate_url(article), data)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert Annotation.objects.count() == 0


def test_a_passage_of_another_article_is_refused(client, reviewer, article):
    other = make_article(body="Elsewhere entirely.")
    client.force_login(reviewer)
    response = post_flag(client, article, other.passages.first(), "u")
    assert response.status_code == 400 and "passage:" in response.json()["error"]
    assert Annotation.objects.count() == 0


def test_inactive_flags_cannot_be_added(client, reviewer, article):
    Flag.objects.filter(shortcut="u").update(active=False)
    client.force_login(reviewer)
    assert post_flag(client, article, article.passages.first(), "u").status_code == 400


def test_a_retired_flag_can_still_be_taken_off(client, reviewer, article):
    passage = article.passages.first()
    Review.objects.create(article=article, reviewer=reviewer).set_flag(passage, flag("u"), True)
    Flag.objects.filter(shortcut="u").update(active=False)
    client.force_login(reviewer)
    assert post_flag(client, article, passage, "u", on=False).status_code == 200
    assert Annotation.objects.count() == 0


def test_a_reviewer_cannot_change_another_reviewers_flag(client, reviewer, other_reviewer, article):
    passage = article.passages.first()
    Review.objects.create(article=article, reviewer=other_reviewer).set_flag(passage, flag("u"), True, note="keep")
    client.force_login(reviewer)

    post_flag(client, article, passage, "u", on=False)
    post_flag(client, article, passage, "u", note="overwritten?")

    theirs = Annotation.objects.get(review__reviewer=other_reviewer)
    assert theirs.note == "keep"
    assert Annotation.objects.filter(review__reviewer=reviewer).get().note == "overwritten?"


def test_flags_on_a_submitted_review_are_refused_with_409(client, reviewer, article):
    Review.objects.create(article=article, reviewer=reviewer).submit()
    client.force_login(reviewer)
    response = post_flag(client, article, article.passages.first(), "u")
    assert response.status_code == 409 and "submitted" in response.json()["error"]
    assert Annotation.objects.count() == 0


def test_flag_endpoint_refuses_get(client, reviewer, article):
    client.force_login(reviewer)
    assert client.get(annotate_url(article)).status_code == 405


def test_flag_endpoint_needs_a_csrf_token(reviewer, article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    assert post_flag(client, article, article.passages.first(), "u").status_code == 403
    assert Annotation.objects.count() == 0


def test_flag_endpoint_query_count_is_fixed(client, reviewer, other_reviewer, django_assert_num_queries):
    client.force_login(reviewer)
    long = make_article(body=" ".join(f"Sentence {n}." for n in range(80)))
    Review.objects.create(article=long, reviewer=other_reviewer)  # the article's summary row exists
    passages = list(long.passages.all())
    data = {"flag": flag("o").pk, "on": "1"}
    # The first flag: session, user, roles, article, whether an open campaign keeps the article to other
    # reviewers (campaigns.signals), passage, flag, the review looked up then started (get_or_create's
    # savepoint, insert, history row), counted in progress on the summary (lock, update, in a savepoint)
    # and on any assignment, the annotation and its history row; within the request's own savepoint.
    # No marks or progress to read back: a review started just now has only this flag.
    with django_assert_num_queries(21):
        response = client.post(annotate_url(long), {**data, "passage": passages[0].pk})
    assert response.json()["flagged"] == 1
    # Later flags: the review (locked) and the reviewer's marks on the passage, then the insert and its
    # history row, and the progress; on as off.
    for passage, on in ((passages[1], "1"), (passages[-1], "1"), (passages[1], "0")):
        with django_assert_num_queries(14):
            response = client.post(annotate_url(long), {**data, "passage": passage.pk, "on": on})
        assert response.status_code == 200
    assert response.json()["flagged"] == 2


def test_a_second_flag_on_a_passage_answers_both_marks_in_the_flag_bars_order(client, reviewer, article):
    client.force_login(reviewer)
    passage = article.passages.first()
    first, second = sorted([flag("u"), flag("o")], key=lambda f: (f.order, f.name), reverse=True)
    post_flag(client, article, passage, first.shortcut, note="kept")
    data = post_flag(client, article, passage, second.shortcut).json()
    assert data["flags"] == [second.pk, first.pk] and data["flagged"] == 1
    assert [mark["note"] for mark in data["marks"]] == ["", "kept"]
    data = post_flag(client, article, passage, first.shortcut, on=False).json()
    assert data["flags"] == [second.pk] and data["flagged"] == 1


def test_taking_a_flag_off_an_article_never_flagged_starts_the_review_and_answers_nothing(client, reviewer, article):
    client.force_login(reviewer)
    data = post_flag(client, article, article.passages.first(), "u", on=False).json()
    assert data["flags"] == [] and data["marks"] == [] and data["flagged"] == 0
    assert Review.objects.filter(reviewer=reviewer).count() == 1 and not Annotation.objects.exists()


# --- Submitting ------------------------------------------------------------------------------

def test_submit_marks_the_review_submitted_and_twice_is_harmless(client, reviewer, article):
    client.force_login(reviewer)
    post_flag(client, article, article.passages.first(), "u")
    url = reverse("annotations:submit", args=[article.pk])
    assert client.post(url).status_code == 302
    first = Review.objects.get().submitted_at
    client.post(url)
    review = Review.objects.get()
    assert review.is_submitted and review.submitted_at == first


def test_submit_refuses_get_and_outsiders(client, reviewer, outsider, article):
    url = reverse("annotations:submit", args=[article.pk])
    client.force_login(reviewer)
    assert client.get(url).status_code == 405
    client.force_login(outsider)
    assert client.post(url).status_code == 403
    assert Review.objects.count() == 0


# --- Queue -----------------------------------------------------------------------------------

def test_queue_shows_my_status_per_article_and_filters_by_it(client, reviewer, other_reviewer):
    untouched = make_article(title="Untouched")
    started = make_article(title="Started")
    done = make_article(title="Done")
    Review.objects.create(article=started, reviewer=reviewer)
    Review.objects.create(article=done, reviewer=reviewer).submit()
    Review.objects.create(article=untouched, reviewer=other_reviewer).submit()  # someone else's work
    client.force_login(reviewer)
    url = reverse("annotations:queue")

    content = client.get(url).content.decode()
    assert "Not started" in content and "In progress" in content and "Submitted" in content
    def only(status):
        return client.get(url, {"status": status}).content.decode()
    assert "Untouched" in only("not_started") and "Started" not in only("not_started")
    assert "Started" in only("in_progress") and "Done" not in only("in_progress")
    assert "Done" in only("submitted") and "Untouched" not in only("submitted")


def test_queue_query_count_is_fixed(client, reviewer, django_assert_num_queries):
    client.force_login(reviewer)
    make_article(outlet="O", authors=["A"])
    # session, user, roles, page, authors prefetch, the reviewer's assignments (campaigns.signals); no
    # count (the queue shows none), and its rows' cells cost none (BoundedTable.rows_html())
    with django_assert_num_queries(6):
        client.get(reverse("annotations:queue"))
    for n in range(20):
        article = make_article(outlet=f"O{n}", authors=[f"A{n}"])
        Review.objects.create(article=article, reviewer=reviewer)
    with django_assert_num_queries(6):
        client.get(reverse("annotations:queue"))


def test_next_article_prefers_one_in_progress_then_the_newest_not_started(client, reviewer):
    older = make_article(title="Older")
    newer = make_article(title="Newer")
    client.force_login(reviewer)
    url = reverse("annotations:next")

    assert client.get(url)["Location"] == reverse("annotations:workspace", args=[newer.pk])
    Review.objects.create(article=older, reviewer=reviewer)
    assert client.get(url)["Location"] == reverse("annotations:workspace", args=[older.pk])
    for review in Review.objects.all():
        review.submit()
    Review.objects.create(article=newer, reviewer=reviewer).submit()
    response = client.get(url, follow=True)
    assert "Your queue is empty" in response.content.decode()


# --- Inert text ------------------------------------------------------------------------------

def test_markup_in_titles_text_notes_and_flag_names_is_shown_as_text(client, reviewer, editor):
    article = make_article(title="<script>alert('t')</script>", body="<img src=x onerror=alert('b')> Body text.")
    Flag.objects.create(
        name="<b onmouseover=alert('f')>Bold</b>", category="neutral", guideline="<i>g</i>", shortcut="x"
    )
    passage = article.passages.first()
    Review.objects.create(article=article, reviewer=reviewer).set_flag(
        passage, Flag.objects.get(shortcut="x"), True, note="<script>alert('n')</script>"
    )
    for user in (reviewer, editor):
        client.force_login(user)
        content = client.get(workspace_url(article)).content.decode()
        for raw in ("<script>alert(", "<img src=x", "<b onmouseover", "<i>g</i>"):
            assert raw not in content
        assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in content
        assert "&lt;b onmouseover=alert(&#x27;f&#x27;)&gt;Bold&lt;/b&gt;" in content


def test_flag_styles_only_carry_valid_colours(client, reviewer):
    Flag.objects.create(name="Evil", category="neutral", guideline="g", colour="red}a{")
    client.force_login(reviewer)
    css = client.get(reverse("annotations:flag-styles")).content.decode()
    assert f".flag-{flag('u').pk} {{ --flag: {flag('u').colour}; }}" in css
    assert "red}" not in css
