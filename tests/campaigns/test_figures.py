"""The campaign's stored figures: computed by the task after each change, equal to a direct computation, and
shown as pending while a change is not in them yet."""
import pytest
from django.urls import reverse
from factories import make_article, make_review

from annotations.models import Ruling

from campaigns import judgements, tasks
from campaigns.models import Campaign, CampaignDispute, CampaignFigures
from campaigns.status import status

pytestmark = pytest.mark.django_db


def article(n):
    return make_article(body=" ".join(f"Sentence {s} of article {n} is here." for s in range(8)))


@pytest.fixture
def campaign(make_reviewer):
    reviewers = [make_reviewer(f"c{n}") for n in range(3)]
    articles = [article(n) for n in range(4)]
    campaign = Campaign.objects.plan("Stored", [a.pk for a in articles], reviewers, per_article=2,
                                     reliability_share=0.5, reliability_reviewers=3, seed=7)
    campaign.open()
    return campaign, articles, reviewers


def direct(campaign):
    """What the pages computed per request before the figures were stored."""
    reliability = judgements.reliability(judgements.of_campaign(campaign, campaign.sample_article_ids()),
                                         campaign.seed)
    ids = campaign.article_links.values("article_id")
    rulings = dict(Ruling.objects.filter(passage__article__in=ids).values_list("passage_id", "category"))
    return reliability, judgements.disputed(judgements.of_campaign(campaign, ids), rulings)


def test_after_each_submit_the_stored_figures_equal_a_direct_computation(client, editor, campaign):
    campaign, articles, reviewers = campaign
    client.force_login(editor)
    patterns = [{0: "q", 1: "u", 2: "o", 3: "b", 5: "q"}, {0: "q", 1: "q", 2: "o", 4: "u"},
                {0: "u", 1: "u", 2: "o", 3: "b", 6: "q"}]
    for n, (made, user) in enumerate((a, u) for a in articles for u in reviewers):
        if not campaign.assignments.filter(article=made, reviewer=user).exists():
            continue
        make_review(made, user, patterns[n % 3])
        reliability, disputed = direct(campaign)
        page = client.get(campaign.get_absolute_url())
        assert page.context["reliability"] == reliability
        assert not page.context["figures"].pending and "recomputation is pending" not in page.content.decode()
        queue = client.get(reverse("campaigns:adjudication", args=[campaign.pk])).context
        assert [(row[0].article_id, row[0].pk) for row in queue["rows"]] == [(a, p) for a, p, _ in disputed]
        assert (queue["total"], queue["ruled"]) == (len(disputed), 0)
    assert reliability.alpha.value is not None and reliability.interval is not None and disputed
    data = status(Campaign.objects.with_codebooks().get(pk=campaign.pk))
    assert data["alpha"] == reliability.alpha.value and data["alpha_ci"] == list(reliability.interval)
    assert data["alpha_by_reviewer"] == {username: alpha.value for username, alpha, _ in reliability.by_reviewer}
    assert data["disputed"] == len(disputed)


def test_the_pages_say_a_recomputation_is_pending_until_the_task_runs(client, editor, campaign, monkeypatch):
    campaign, articles, reviewers = campaign
    client.force_login(editor)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Figures as of" in page and "pending" not in page
    queued = []
    monkeypatch.setattr(tasks, "refresh_figures", type("Held", (), {"enqueue": staticmethod(queued.append)}))
    user = campaign.assignments.filter(article=articles[0]).first().reviewer
    make_review(articles[0], user, {0: "q"})
    assert queued == [campaign.pk]
    for url in (campaign.get_absolute_url(), reverse("campaigns:adjudication", args=[campaign.pk])):
        response = client.get(url)
        assert response.context["figures"].pending
        assert "A recomputation is pending" in response.content.decode()
    assert response.context["figures"].articles == 0  # the stored figures, as they were
    monkeypatch.undo()
    tasks.refresh_figures.enqueue(campaign.pk)
    figures = client.get(campaign.get_absolute_url()).context["figures"]
    assert not figures.pending and figures.articles == 1


def test_a_disagreement_lists_the_passage_and_a_ruling_marks_it_ruled(client, editor, campaign):
    campaign, articles, reviewers = campaign
    client.force_login(editor)
    queue = reverse("campaigns:adjudication", args=[campaign.pk])
    first, second = campaign.assignments.filter(article=articles[1]).order_by("reviewer__username")[:2]
    make_review(articles[1], first.reviewer, {0: "q"})
    assert client.get(queue).context["total"] == 0  # one review: nothing to disagree with
    make_review(articles[1], second.reviewer, {0: "u"})
    passage = articles[1].passages.order_by("paragraph", "sentence").first()
    response = client.get(queue)
    assert [row[0].pk for row in response.context["rows"]] == [passage.pk]
    assert "not ruled" in response.content.decode()
    client.post(reverse("campaigns:adjudicate", args=[campaign.pk, passage.pk]),
                {"category": "sourced", "rationale": "On record."})
    response = client.get(queue)
    assert response.context["rows"] == [(passage, "sourced")] and response.context["ruled"] == 1
    Ruling.objects.get().delete()
    assert client.get(queue).context["ruled"] == 0
    assert CampaignDispute.objects.get().ruled == ""


def test_a_change_already_in_the_figures_is_not_computed_twice(campaign, django_assert_num_queries):
    campaign, articles, reviewers = campaign
    figures = CampaignFigures.objects.get(pk=campaign.pk)
    assert figures.computed_from == figures.changes and figures.computed_at is not None
    with django_assert_num_queries(1):
        tasks.refresh_figures.enqueue(campaign.pk)


def test_a_deleted_article_leaves_the_figures_and_the_queue(client, editor, campaign):
    campaign, articles, reviewers = campaign
    first, second = campaign.assignments.filter(article=articles[2]).order_by("reviewer__username")[:2]
    make_review(articles[2], first.reviewer, {0: "q"})
    make_review(articles[2], second.reviewer, {0: "u"})
    assert CampaignFigures.objects.get(pk=campaign.pk).disputed == 1
    articles[2].delete()
    figures = CampaignFigures.objects.get(pk=campaign.pk)
    assert (figures.disputed, figures.pending) == (0, False) and not CampaignDispute.objects.exists()
