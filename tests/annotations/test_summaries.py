"""Stored summaries stay exact through every change, and recompute_summaries can prove it."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from factories import make_article, make_review
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier.models import Article

from annotations import summaries, totals
from annotations.models import ArticleSummary, CodebookVersion, Flag, Review

pytestmark = pytest.mark.django_db


def flag(shortcut):
    return Flag.objects.get(shortcut=shortcut)


def stored(article):
    summary = ArticleSummary.objects.filter(article=article).first()
    return summary.scores() if summary else None


def fresh(article):
    summary = summaries.fresh_summaries([article.pk])[article.pk]
    return summary.scores() if summary else None


@pytest.fixture
def article():
    # Passages of 12, 13 and 10 characters.
    return make_article(body="Tanks moved. Analysts say.\n\nIt is bad.")


NOT_STARTED = ArticleSummary.not_started(0).scores()


def test_an_article_nobody_started_has_a_not_started_summary_from_the_start(article):
    assert stored(article) == fresh(article) == NOT_STARTED
    assert ArticleSummary.objects.get(article=article).status == ArticleSummary.Status.NOT_STARTED


def test_starting_a_review_stores_an_in_review_summary(article, reviewer):
    Review.objects.create(article=article, reviewer=reviewer)
    summary = ArticleSummary.objects.get(article=article)
    assert summary.status == ArticleSummary.Status.IN_REVIEW
    assert (summary.reviewers, summary.reviews_in_progress) == (0, 1)
    assert summary.not_reviewed_chars == 35 and summary.sourced_fact_share is None


def test_flags_in_a_review_in_progress_do_not_count_until_it_is_submitted(article, reviewer):
    review = Review.objects.create(article=article, reviewer=reviewer)
    first, second, third = article.passages.all()
    review.set_flag(first, flag("q"), True)
    review.set_flag(second, flag("v"), True)
    review.set_flag(third, flag("o"), True)
    assert ArticleSummary.objects.get(article=article).sourced_chars == 0
    review.submit()
    summary = ArticleSummary.objects.get(article=article)
    assert (summary.sourced_chars, summary.unsourced_chars, summary.opinion_chars) == (12, 13, 10)
    assert summary.sourced_fact_share == 12 / 25
    assert summary.opinion_share == 10 / 35
    assert summary.status == ArticleSummary.Status.REVIEWED
    assert stored(article) == fresh(article)


def test_a_second_submitted_review_brings_disputes_but_three_passages_are_too_few_for_alpha(
    article, reviewer, other_reviewer
):
    first, second, third = article.passages.all()
    for user, flags in [(reviewer, "qvo"), (other_reviewer, "quq")]:
        review = Review.objects.create(article=article, reviewer=user)
        for passage, shortcut in zip([first, second, third], flags):
            review.set_flag(passage, flag(shortcut), True)
        review.submit()
    summary = ArticleSummary.objects.get(article=article)
    assert summary.reviewers == 2 and summary.disputed_chars == 10
    assert summary.agreement is None and summary.agreement_ci_low is None and summary.alpha_reliable is None
    assert stored(article) == fresh(article)


def test_a_submit_stores_alpha_with_its_interval_seeded_by_the_article_id(reviewer, other_reviewer):
    article = make_article(body=" ".join(f"Sentence number {n} here." for n in range(12)))
    make_review(article, reviewer, {n: "q" for n in range(6)} | {n: "o" for n in range(6, 10)})
    make_review(article, other_reviewer, {n: "q" for n in range(5)} | {n: "o" for n in range(6, 12)})
    summary = ArticleSummary.objects.get(article=article)
    assert (summary.method_version, summary.codebook_version) == (2, CodebookVersion.objects.current().number)
    assert summary.bootstrap_seed == article.pk
    assert summary.agreement is not None and summary.agreement_ci_low <= summary.agreement_ci_high
    assert summary.alpha_reliable == (summary.agreement_ci_low >= 0.667)
    lengths = [passage.end - passage.start for passage in article.passages.all()]
    assert summary.fact_coverage == pytest.approx(sum(lengths[:5]) / sum(lengths))
    assert stored(article) == fresh(article)


def test_an_empty_submitted_review_counts_the_whole_article_neutral(article, reviewer):
    Review.objects.create(article=article, reviewer=reviewer).submit()
    summary = ArticleSummary.objects.get(article=article)
    assert (summary.neutral_chars, summary.not_reviewed_chars) == (35, 0)


def test_changing_a_flags_category_makes_a_codebook_version_and_rescores_the_articles_that_use_it(
    article, reviewer
):
    before = CodebookVersion.objects.current()
    other = make_article(body="Nothing flagged here. At all.")
    make_review(article, reviewer, {0: "l"})
    make_review(other, reviewer, {})
    loaded = flag("l")
    loaded.category = Flag.Category.UNSOURCED
    loaded.save()
    version = CodebookVersion.objects.current()
    assert version.number == before.number + 1
    assert version.reason == "Flag “Loaded language”: category opinion → unsourced"
    assert {"id": loaded.pk, "name": loaded.name, "category": "unsourced", "active": True} in version.flags
    assert version.rescored_articles == 1
    summary = ArticleSummary.objects.get(article=article)
    assert (summary.opinion_chars, summary.unsourced_chars, summary.codebook_version) == (0, 12, version.number)
    # Not rescored, but computed the same under the new version: it says so.
    assert ArticleSummary.objects.get(article=other).codebook_version == version.number
    assert list(summaries.differences([article.pk, other.pk])) == []
    # The rescore is in the version's audit trail.
    assert version.history.first().history_change_reason == f"Rescored 1 articles from version {before.number}"


def test_adding_or_retiring_a_flag_makes_a_version_and_renaming_one_does_not(admin):
    start = CodebookVersion.objects.current().number
    new = Flag.objects.create(name="Satire", category=Flag.Category.OPINION, guideline="Meant as a joke.")
    assert CodebookVersion.objects.current().reason == "Flag “Satire” added as opinion"
    new.active = False
    new.save()
    assert CodebookVersion.objects.current().reason == "Flag “Satire”: retired"
    new.guideline = "A joke."
    new.save()
    new.delete()
    assert CodebookVersion.objects.current().reason == "Flag “Satire” deleted"
    assert CodebookVersion.objects.current().number == start + 3


def test_a_change_in_the_admin_records_who_made_the_version(client, admin):
    client.force_login(admin)
    loaded = flag("l")
    data = {"name": loaded.name, "category": "neutral", "guideline": loaded.guideline, "colour": loaded.colour,
            "shortcut": loaded.shortcut, "order": loaded.order, "active": "on"}
    response = client.post(f"/admin/annotations/flag/{loaded.pk}/change/", data)
    assert response.status_code == 302, response.content
    version = CodebookVersion.objects.current()
    assert version.created_by == admin and version.created_at is not None
    assert client.get("/admin/annotations/codebookversion/").status_code == 200


def test_deleting_a_submitted_review_or_its_reviewer_rescores_the_article(article, reviewer, other_reviewer):
    for user in (reviewer, other_reviewer):
        review = Review.objects.create(article=article, reviewer=user)
        review.set_flag(article.passages.first(), flag("u"), True)
        review.submit()
    Review.objects.get(reviewer=reviewer).delete()
    assert ArticleSummary.objects.get(article=article).reviewers == 1
    other_reviewer.delete()
    assert stored(article) == fresh(article) == NOT_STARTED  # kept, with nothing counted


def test_loading_the_default_flags_again_rescores_articles_whose_flag_category_it_restores(article, reviewer):
    review = Review.objects.create(article=article, reviewer=reviewer)
    review.set_flag(article.passages.first(), flag("l"), True)
    review.submit()
    Flag.objects.filter(shortcut="l").update(category=Flag.Category.UNSOURCED)
    summaries.refresh([article.pk])
    assert ArticleSummary.objects.get(article=article).unsourced_chars == 12
    call_command("loaddata", "flags", verbosity=0)
    assert ArticleSummary.objects.get(article=article).opinion_chars == 12
    assert stored(article) == fresh(article)


def test_deleting_a_passage_rescores_its_article(article, reviewer):
    review = Review.objects.create(article=article, reviewer=reviewer)
    review.set_flag(article.passages.first(), flag("u"), True)
    review.submit()
    article.passages.first().delete()
    assert ArticleSummary.objects.get(article=article).unsourced_chars == 0
    assert stored(article) == fresh(article)


def test_deleting_an_article_takes_its_summary_with_it(article, reviewer):
    Review.objects.create(article=article, reviewer=reviewer).submit()
    article.delete()
    assert not ArticleSummary.objects.exists()


def test_check_passes_on_exact_summaries_and_fails_naming_the_stale_ones(article, reviewer):
    review = Review.objects.create(article=article, reviewer=reviewer)
    review.set_flag(article.passages.first(), flag("u"), True)
    review.submit()
    out = StringIO()
    call_command("recompute_summaries", "--check", stdout=out)
    assert "All 1 stored summaries are exact." in out.getvalue()

    ArticleSummary.objects.update(unsourced_chars=0)  # bypasses the signals, as a bug would
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 1 stored summaries differ"):
        call_command("recompute_summaries", "--check", stdout=out)
    assert f"Article {article.pk}:" in out.getvalue()
    assert ArticleSummary.objects.get().unsourced_chars == 0  # --check changed nothing

    call_command("recompute_summaries", stdout=StringIO())
    assert ArticleSummary.objects.get().unsourced_chars == 12
    call_command("recompute_summaries", "--check", stdout=StringIO())


def test_rebuild_resets_a_summary_left_behind_and_adds_a_missing_one(article, reviewer):
    other = make_article(body="Another text. With two.")
    Review.objects.create(article=article, reviewer=reviewer).submit()
    ArticleSummary.objects.filter(article=article).delete()  # a missing row is a difference too
    ArticleSummary.objects.filter(article=other).update(reviewers=1, sourced_chars=5)
    with pytest.raises(CommandError, match="2 of 2"):
        call_command("recompute_summaries", "--check", stdout=StringIO())
    call_command("recompute_summaries", stdout=StringIO())
    assert stored(article) == fresh(article) and stored(other) == NOT_STARTED
    call_command("recompute_summaries", "--check", stdout=StringIO())


# Property: whatever reviewers, editors and admins do, in any order, stored equals fresh.
USERS = ["rita", "rob", "ruth"]
ACTIONS = st.one_of(
    st.tuples(st.just("flag"), st.sampled_from(USERS), st.integers(0, 1), st.integers(0, 3),
              st.sampled_from("acquvoslb"), st.booleans()),
    st.tuples(st.just("submit"), st.sampled_from(USERS), st.integers(0, 1)),
    st.tuples(st.just("delete_review"), st.sampled_from(USERS), st.integers(0, 1)),
    st.tuples(st.just("recategorise"), st.sampled_from("acquvoslb"), st.sampled_from(Flag.Category.values)),
    st.tuples(st.just("delete_user"), st.sampled_from(USERS)),
    st.tuples(st.just("delete_passage"), st.integers(0, 1), st.integers(0, 3)),
    st.tuples(st.just("delete_article"), st.integers(0, 1)),
    st.tuples(st.just("load_flags")),
)


class Rollback(Exception):
    pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ACTIONS, max_size=25))
def test_stored_summaries_equal_recomputed_ones_after_any_sequence_of_changes(django_user_model, actions):
    try:
        with transaction.atomic():
            articles = [
                make_article(body="One claim. Two claims here.\n\nThree. Four is longer than the rest.",
                             outlet="Wire", authors=["Ann"]),
                make_article(body="Short. Then a much longer sentence follows it.", outlet="Wire",
                             authors=["Ann", "Bo"]),
            ]
            users = {name: django_user_model.objects.create_user(name) for name in USERS}
            for action, *args in actions:
                apply(action, args, users, articles)
            ids = list(Article.objects.values_list("pk", flat=True))
            assert list(summaries.differences(ids)) == []
            # And so do the outlet's and authors' totals, which add them up.
            assert [list(totals.differences(model)) for model in totals.KINDS] == [[], []]
            raise Rollback
    except Rollback:
        pass


def apply(action, args, users, articles):
    if action == "load_flags":
        call_command("loaddata", "flags", verbosity=0)
        return
    if action in ("delete_passage", "delete_article"):
        article = articles[args[0]]
        if not Article.objects.filter(pk=article.pk).exists():
            return
        if action == "delete_article":
            article.delete()
        elif passages := list(article.passages.all()):
            passages[args[1] % len(passages)].delete()
        return
    if action == "recategorise":
        shortcut, category = args
        changed = flag(shortcut)
        changed.category = category
        changed.save()
        return
    name = args[0]
    user = users[name]
    if action == "delete_user":
        if user.pk:
            user.delete()
            user.pk = None
        return
    if user.pk is None:
        return
    article = articles[args[1]]
    if not Article.objects.filter(pk=article.pk).exists():
        return
    if action == "flag":
        _, _, position, shortcut, on = args
        review, _ = Review.objects.get_or_create(article=article, reviewer=user)
        passages = list(article.passages.all())
        if passages and not review.is_submitted:
            review.set_flag(passages[position % len(passages)], flag(shortcut), on)
    elif action == "submit":
        review, _ = Review.objects.get_or_create(article=article, reviewer=user)
        review.submit()
    elif action == "delete_review":
        Review.objects.filter(article=article, reviewer=user).delete()
