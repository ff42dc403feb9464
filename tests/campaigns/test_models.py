"""Planning, opening, adding to and leaving a campaign: the rules live on the models."""
import datetime
from collections import Counter

import pytest
from django.utils import timezone
from factories import make_article, make_review

from dossier.models import Article, Author, Outlet

from annotations.models import Review

from campaigns.models import Assignment, Campaign, CampaignArticle, CampaignError, Conflict

pytestmark = pytest.mark.django_db


def articles(count, **fields):
    return [make_article(**fields).pk for _ in range(count)]


def nothing_saved():
    return Campaign.objects.count() == 0 and CampaignArticle.objects.count() == 0


def test_opening_gives_each_article_exactly_n_distinct_reviewers_balanced(pool):
    campaign = Campaign.objects.plan("Spring", articles(6), pool, per_article=2, seed=7)
    assert campaign.open() is True
    per_article = Counter(Assignment.objects.values_list("article_id", flat=True))
    assert set(per_article.values()) == {2}
    loads = Counter(Assignment.objects.values_list("reviewer_id", flat=True))
    assert max(loads.values()) <= 12 / 4 + 1
    assert campaign.state == Campaign.State.OPEN
    assert campaign.open() is False  # a second open assigns nothing
    assert Assignment.objects.count() == 12


def test_the_reliability_sample_gets_m_reviewers_and_the_seed_is_recorded(pool):
    campaign = Campaign.objects.plan("Sample", articles(10), pool, per_article=2, reliability_share=0.2,
                                     reliability_reviewers=3, seed=99)
    sample = set(campaign.article_links.filter(in_sample=True).values_list("article_id", flat=True))
    assert len(sample) == 2 and campaign.seed == 99
    campaign.open()
    counts = Counter(Assignment.objects.values_list("article_id", flat=True))
    assert {article: count for article, count in counts.items() if article in sample} == dict.fromkeys(sample, 3)
    assert {count for article, count in counts.items() if article not in sample} == {2}


@pytest.mark.parametrize(("change", "message"), [
    ({"per_article": 5}, "Reviewers per article (5) is more than the pool of reviewers (4)."),
    ({"due": datetime.date(2000, 1, 1)}, "The due date 2000-01-01 is in the past."),
    ({"reviewers": ["r1", "zed"]}, "No user named “zed”."),
    ({"articles": []}, "The campaign has no articles"),
    ({"reliability_share": 0.2, "reliability_reviewers": 2}, "at least 3 reviewers"),
    ({"reliability_share": 0.2, "reliability_reviewers": 5}, "reliability sample's reviewers per article (5)"),
])
def test_a_bad_plan_is_refused_with_a_clear_message_and_saves_nothing(pool, change, message):
    plan = {"name": "Bad", "articles": articles(2), "reviewers": pool, "per_article": 2, **change}
    with pytest.raises(CampaignError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Campaign.objects.plan(**plan)
    assert nothing_saved()


def test_a_user_without_the_reviewer_role_is_refused(pool, editor):
    with pytest.raises(CampaignError, match="ed is not a reviewer"):
        Campaign.objects.plan("Roles", articles(1), [*pool, editor])
    assert nothing_saved()


def test_a_bylined_author_is_never_assigned_their_article_by_account_or_by_name(make_reviewer):
    linked, namesake, cleared, free = (make_reviewer("linked"), make_reviewer("namesake", "Nina", "Nasr"),
                                       make_reviewer("cleared", "Cem", "Kaya"), make_reviewer("free"))
    own = make_article(authors=["Lin Ked"])
    Author.objects.filter(name="Lin Ked").update(user=linked)
    by_name = make_article(authors=["NINA NASR"])
    overridden = make_article(authors=["Cem Kaya"])
    Author.objects.get(name="Cem Kaya").not_users.add(cleared)
    campaign = Campaign.objects.plan("Authors", [own.pk, by_name.pk, overridden.pk], [linked, namesake, cleared, free],
                                     per_article=3, seed=1)
    campaign.open()
    assigned = set(Assignment.objects.values_list("article_id", "reviewer__username"))
    assert (own.pk, "linked") not in assigned
    assert (by_name.pk, "namesake") not in assigned
    excluded = campaign.conflicts([own.pk, by_name.pk, overridden.pk], [linked.pk, namesake.pk, cleared.pk, free.pk])
    conflicted = {article: who for article, who in excluded.items() if who}
    assert conflicted == {own.pk: {linked.pk}, by_name.pk: {namesake.pk}}
    # an admin cleared the Cem Kaya namesake
    assert Counter(article for article, _ in assigned) == {own.pk: 3, by_name.pk: 3, overridden.pk: 3}


def test_an_outlet_conflict_keeps_the_reviewer_off_that_outlets_articles(pool):
    ids = articles(4, outlet="Daily Bugle")
    Conflict.objects.create(reviewer=pool[0], outlet=Outlet.objects.get(name="Daily Bugle"))
    campaign = Campaign.objects.plan("Bugle", ids, pool, per_article=3, seed=3)
    campaign.open()
    assert not Assignment.objects.filter(reviewer=pool[0]).exists()
    assert Assignment.objects.count() == 12


def test_opening_is_refused_and_assigns_nothing_when_conflicts_leave_too_few_reviewers(pool):
    ids = articles(2, outlet="Tiny Times")
    outlet = Outlet.objects.get(name="Tiny Times")
    for reviewer in pool[:3]:
        Conflict.objects.create(reviewer=reviewer, outlet=outlet)
    campaign = Campaign.objects.plan("Tiny", ids, pool, per_article=2, seed=3)
    with pytest.raises(CampaignError, match="needs 2 reviewers but only 1"):
        campaign.open()
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.DRAFT and not Assignment.objects.exists()


def test_articles_added_to_an_open_campaign_are_assigned_the_same_way(pool):
    campaign = Campaign.objects.plan("Grow", articles(4), pool, per_article=2, seed=5)
    campaign.open()
    added = campaign.add_articles(articles(2) + [campaign.article_links.first().article_id])
    assert (added.added, added.skipped, added.assignments) == (2, 1, 4)
    assert set(Counter(Assignment.objects.values_list("article_id", flat=True)).values()) == {2}
    assert Assignment.objects.count() == 12
    loads = Counter(Assignment.objects.values_list("reviewer_id", flat=True))
    assert max(loads.values()) - min(loads.values()) <= 1


def test_a_removed_reviewer_hands_their_unstarted_assignments_to_others_and_keeps_started_ones(pool):
    campaign = Campaign.objects.plan("Leave", articles(6), pool, per_article=2, seed=11)
    campaign.open()
    leaving = pool[0]
    mine = list(Assignment.objects.filter(reviewer=leaving).values_list("article_id", flat=True))
    started = mine[0]
    Review.objects.create(article_id=started, reviewer=leaving)
    moved = campaign.remove_reviewer(leaving)
    assert moved == len(mine) - 1
    assert list(Assignment.objects.filter(reviewer=leaving).values_list("article_id", "state")) == [
        (started, Assignment.State.IN_PROGRESS)]
    assert set(Counter(Assignment.objects.values_list("article_id", flat=True)).values()) == {2}


def test_reviewers_added_to_an_open_campaign_join_the_pool(pool, make_reviewer):
    campaign = Campaign.objects.plan("Join", articles(2), pool[:2], per_article=2, seed=1)
    campaign.open()
    assert campaign.add_reviewers([make_reviewer("late")]) == 1
    with pytest.raises(CampaignError, match="No user named “ghost”"):
        campaign.add_reviewers(["ghost"])
    assert campaign.memberships.filter(active=True).count() == 3


def test_an_assignment_follows_its_review_from_started_to_submitted(pool):
    campaign = Campaign.objects.plan("Follow", articles(1), pool[:2], per_article=2, seed=1)
    campaign.open()
    article = Article.objects.get()
    review = make_review(article, pool[0], {0: "q"}, submit=False)
    assert Assignment.objects.get(reviewer=pool[0]).state == Assignment.State.IN_PROGRESS
    review.submit()
    assert Assignment.objects.get(reviewer=pool[0]).state == Assignment.State.SUBMITTED
    assert Assignment.objects.get(reviewer=pool[1]).state == Assignment.State.ASSIGNED


def test_a_review_started_before_the_campaign_opened_shows_in_its_assignment(pool):
    article = make_article()
    make_review(article, pool[0], {0: "q"})
    campaign = Campaign.objects.plan("Before", [article.pk], pool[:1], per_article=1, seed=1)
    campaign.open()
    assert Assignment.objects.get().state == Assignment.State.SUBMITTED


def test_overdue_and_due_soon_read_the_due_date(pool):
    campaign = Campaign.objects.plan("Due", articles(1), pool[:1], per_article=1, seed=1,
                                     due=timezone.localdate() + datetime.timedelta(days=2))
    campaign.open()
    today = timezone.localdate()
    assert Assignment.objects.due_within(3, today).count() == 1
    assert Assignment.objects.due_within(1, today).count() == 0
    assert Assignment.objects.overdue(today + datetime.timedelta(days=3)).count() == 1
    assert not Assignment.objects.get().overdue


def test_a_deactivated_reviewer_hands_their_unstarted_work_to_others_and_the_log_says_so(pool, caplog):
    campaign = Campaign.objects.plan("Deactivate", articles(4), pool, per_article=2, seed=3)
    campaign.open()
    leaving = pool[1]
    assert Assignment.objects.filter(reviewer=leaving).exists()
    leaving.is_active = False
    leaving.save()
    assert not Assignment.objects.filter(reviewer=leaving).exists()
    assert set(Counter(Assignment.objects.values_list("article_id", flat=True)).values()) == {2}
    assert "handed 2 unstarted assignments to others" in caplog.text
