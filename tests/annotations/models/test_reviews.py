import pytest
from django.db import IntegrityError, transaction
from factories import make_article

from annotations.models import Annotation, Flag, Review, ReviewClosed

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(body="First claim here. Second claim there.\n\nThird one.")


@pytest.fixture
def review(article, reviewer):
    return Review.objects.create(article=article, reviewer=reviewer)


def flag(shortcut):
    return Flag.objects.get(shortcut=shortcut)


def test_default_flag_set_covers_every_category_with_guidelines_and_shortcuts():
    flags = Flag.objects.active()
    assert {f.category for f in flags} == set(Flag.Category.values)
    assert {"Attributed to report", "Cites source", "Quotes named official or expert", "Unsourced claim",
            "Vague attribution", "Opinion", "Speculation or prediction", "Loaded language",
            "Background / common knowledge"} <= {f.name for f in flags}
    assert all(f.guideline and f.shortcut for f in flags)
    assert len({f.shortcut for f in flags}) == flags.count()


def test_setting_a_flag_twice_leaves_one_annotation(review, article):
    passage = article.passages.first()
    first = review.set_flag(passage, flag("u"), True)
    second = review.set_flag(passage, flag("u"), True)
    assert first.pk == second.pk
    assert Annotation.objects.count() == 1


def test_taking_a_flag_off_twice_is_harmless(review, article):
    passage = article.passages.first()
    review.set_flag(passage, flag("u"), True)
    review.set_flag(passage, flag("u"), False)
    review.set_flag(passage, flag("u"), False)
    assert Annotation.objects.count() == 0


def test_details_update_an_existing_annotation_and_a_plain_toggle_keeps_them(review, article):
    passage = article.passages.first()
    review.set_flag(passage, flag("o"), True, note="Writer's view", evidence_url="https://example.com/e")
    review.set_flag(passage, flag("o"), True)
    annotation = Annotation.objects.get()
    assert (annotation.note, annotation.evidence_url) == ("Writer's view", "https://example.com/e")
    review.set_flag(passage, flag("o"), True, note="Changed")
    annotation.refresh_from_db()
    assert annotation.note == "Changed"


def test_sub_range_quote_is_the_exact_words_of_the_body(review, article):
    passage = article.passages.first()
    annotation = review.set_flag(passage, flag("u"), True, start=passage.start + 6, end=passage.start + 11)
    assert annotation.quote == "claim"


def test_submitted_review_refuses_changes(review, article):
    passage = article.passages.first()
    review.set_flag(passage, flag("u"), True)
    review.submit()
    with pytest.raises(ReviewClosed):
        review.set_flag(passage, flag("o"), True)
    assert Annotation.objects.count() == 1


def test_submitting_twice_keeps_the_first_time(review):
    review.submit()
    first = Review.objects.get().submitted_at
    review.submit()
    assert Review.objects.get().submitted_at == first
    assert Review.objects.get().status == Review.Status.SUBMITTED


def test_database_refuses_a_second_review_by_the_same_reviewer(review, article, reviewer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(article=article, reviewer=reviewer)


def test_database_refuses_the_same_flag_twice_on_a_passage_by_one_reviewer(review, article):
    passage = article.passages.first()
    Annotation.objects.create(review=review, passage=passage, flag=flag("u"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Annotation.objects.create(review=review, passage=passage, flag=flag("u"))


def test_database_refuses_a_half_or_backwards_sub_range(review, article):
    passage = article.passages.first()
    for start, end in [(3, None), (None, 3), (5, 2)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Annotation.objects.create(review=review, passage=passage, flag=flag("u"), start=start, end=end)


def test_database_refuses_a_submitted_review_without_a_time(article, reviewer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(article=article, reviewer=reviewer, status=Review.Status.SUBMITTED)


def test_flag_shortcuts_are_unique_among_flags_that_have_one():
    Flag.objects.create(name="No key one", category="neutral", guideline="x")
    Flag.objects.create(name="No key two", category="neutral", guideline="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(name="Clash", category="neutral", guideline="x", shortcut="u")


def test_flag_fixture_loads_idempotently_by_natural_key():
    from django.core.management import call_command

    before = Flag.objects.count()
    call_command("loaddata", "flags", verbosity=0)
    assert Flag.objects.count() == before


def test_lock_for_starts_the_review_once_and_returns_it_after(article, reviewer, django_assert_num_queries):
    with transaction.atomic():
        started, new = Review.objects.lock_for(article, reviewer)
    with transaction.atomic(), django_assert_num_queries(1):
        again, new_again = Review.objects.lock_for(article, reviewer)
    assert again.pk == started.pk and Review.objects.count() == 1
    assert new and not new_again


def test_submitted_keeps_only_the_annotations_of_submitted_reviews(article, reviewer, other_reviewer):
    from factories import make_review

    make_review(article, reviewer, {0: "u"}, submit=False)
    counted = make_review(article, other_reviewer, {0: "q", 1: "o"})
    assert {a.review_id for a in Annotation.objects.submitted()} == {counted.pk}
    assert Annotation.objects.submitted().count() == 2


@pytest.mark.parametrize("scope, expected", [("own", {"rita"}), ("submitted", {"rob"}), ("all", {"rita", "rob"})])
def test_visible_in_shows_a_reader_what_the_blind_review_rule_allows(article, reviewer, other_reviewer, scope,
                                                                     expected):
    from factories import make_review

    mine = make_review(article, reviewer, {0: "u"}, submit=False)
    make_review(article, other_reviewer, {1: "o"})
    make_review(make_article(), other_reviewer, {0: "o"})  # another article's flags never show
    visible = Annotation.objects.visible_in(article, mine, scope).select_related("review__reviewer")
    assert {a.review.reviewer.username for a in visible} == expected


def test_visible_in_own_without_a_review_shows_nothing(article):
    assert not Annotation.objects.visible_in(article, None, "own").exists()
