"""The campaign pages: planning, progress, adjudication; and the reviewer's queue with assignments."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from factories import make_article, make_review

from annotations.models import Flag, Review, Ruling

from campaigns.models import Assignment, Campaign

pytestmark = pytest.mark.django_db


def disputed_article():
    """Two passages: the reviewers split on the first (sourced vs unsourced) and agree on the second."""
    disputed_article.made += 1
    return make_article(body=f"The minister said so {disputed_article.made} times. The sky is blue.")


disputed_article.made = 0


def opened(articles, reviewers, **options):
    campaign = Campaign.objects.plan("Audit", [a.pk for a in articles], reviewers, seed=1, **options)
    campaign.open()
    return campaign


# --- Planning and opening ---------------------------------------------------------------------

def test_an_editor_plans_a_campaign_from_the_articles_filter_and_opens_it(client, editor, reviewer, other_reviewer):
    make_article(language="tr")
    kept = make_article(language="en")
    client.force_login(editor)
    response = client.post(reverse("campaigns:create"), {
        "name": "English desk", "brief": "Read **everything**.", "per_article": 2, "reliability_share": 0,
        "reliability_reviewers": 3, "article_filter": "language=en", "reviewer_names": "rita, rob",
    })
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    assert list(campaign.articles.all()) == [kept]
    response = client.post(reverse("campaigns:open", args=[campaign.pk]))
    assert response.status_code == 302
    assert Assignment.objects.filter(article=kept).count() == 2
    assert client.get(reverse("campaigns:open", args=[campaign.pk])).status_code == 405


def test_a_plan_with_a_past_due_date_and_an_unknown_reviewer_is_refused_with_both_reasons(client, editor, reviewer):
    make_article()
    client.force_login(editor)
    response = client.post(reverse("campaigns:create"), {
        "name": "Late", "per_article": 1, "reliability_share": 0, "reliability_reviewers": 3,
        "article_filter": "q=", "reviewer_names": "rita ghost", "due": "2001-01-01",
    })
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "No user named “ghost”." in errors and "The due date 2001-01-01 is in the past." in errors
    assert not Campaign.objects.exists()


def test_the_brief_is_rendered_from_markdown_with_any_html_made_inert(client, editor, reviewer):
    campaign = Campaign.objects.plan("Brief", [make_article().pk], [reviewer], per_article=1, seed=1,
                                     brief="**Bold** <script>alert(1)</script> [x](javascript:alert(1))")
    client.force_login(editor)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "<strong>Bold</strong>" in page
    assert "<script>alert(1)" not in page and 'href="javascript' not in page


# --- Progress ---------------------------------------------------------------------------------

def test_the_campaign_page_costs_the_same_queries_whatever_the_campaigns_size(
    client, editor, reviewer, other_reviewer, django_assert_num_queries
):
    client.force_login(editor)
    small = opened([make_article()], [reviewer, other_reviewer], per_article=2)
    big = Campaign.objects.plan("Big", [make_article().pk for _ in range(12)], [reviewer, other_reviewer],
                                per_article=2, seed=2, due=timezone.localdate())
    big.open()
    for article in big.articles.all()[:5]:
        make_review(article, reviewer, {0: "q"})
        make_review(article, other_reviewer, {0: "u"})
    # session, user, roles, campaign+codebook+stored figures, per reviewer, per article and its titles, overdue
    for campaign in (small, big):
        with django_assert_num_queries(8):
            response = client.get(campaign.get_absolute_url())
        assert response.status_code == 200
    assert [row["submitted"] for row in response.context["per_reviewer"]] == [5, 5]


def test_the_campaign_page_shows_alpha_on_the_reliability_sample_and_each_reviewers_against_the_rest(
    client, editor, make_reviewer
):
    reviewers = [make_reviewer(f"c{n}") for n in range(3)]
    articles = [make_article(body=" ".join(f"Sentence number {n} of {a} is here." for n in range(12)))
                for a in range(2)]
    campaign = opened(articles, reviewers, per_article=3)
    for article in articles:
        for n, user in enumerate(reviewers):
            make_review(article, user, {0: "q", 1: "u" if n else "q", 2: "o", 3: "b", 4: "q", 5: "u"})
    client.force_login(editor)
    reliability = client.get(campaign.get_absolute_url()).context["reliability"]
    assert reliability.alpha.value is not None and reliability.interval is not None
    assert reliability.articles == 2
    assert [username for username, _, _ in reliability.by_reviewer] == ["c0", "c1", "c2"]


# --- Adjudication -----------------------------------------------------------------------------

@pytest.fixture
def dispute(reviewer, other_reviewer):
    article = disputed_article()
    campaign = opened([article], [reviewer, other_reviewer], per_article=2)
    make_review(article, reviewer, {0: "q"})
    make_review(article, other_reviewer, {0: "u"})
    return campaign, article, article.passages.first()


def test_the_adjudication_queue_lists_the_disputed_passages_at_a_fixed_query_cost(
    client, editor, dispute, reviewer, other_reviewer, django_assert_num_queries
):
    campaign, article, passage = dispute
    client.force_login(editor)
    url = reverse("campaigns:adjudication", args=[campaign.pk])
    # session, user, roles, campaign+stored figures, the listed disputes with their passages
    with django_assert_num_queries(5):
        response = client.get(url)
    assert [row[0].pk for row in response.context["rows"]] == [passage.pk]
    for _ in range(3):
        extra = disputed_article()
        campaign.add_articles([extra.pk])
        make_review(extra, reviewer, {0: "q"})
        make_review(extra, other_reviewer, {0: "o"})
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.context["total"] == 4


def test_an_editor_rules_a_disputed_passage_with_a_rationale_and_can_revise_it(client, editor, dispute):
    campaign, article, passage = dispute
    client.force_login(editor)
    url = reverse("campaigns:adjudicate", args=[campaign.pk, passage.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert [column["category"] for column in page.context["columns"]] == ["sourced", "unsourced"]
    refused = client.post(url, {"category": "sourced", "rationale": "  "})
    assert refused.status_code == 200 and "rationale" in refused.context["form"].errors
    assert not Ruling.objects.exists()
    client.post(url, {"category": "sourced", "rationale": "The ministry's statement is on record."})
    client.post(url, {"category": "unsourced", "rationale": "No statement found after all."})
    ruling = Ruling.objects.get()
    assert (ruling.category, ruling.editor) == ("unsourced", editor)
    assert [record.category for record in ruling.history.order_by("history_date")] == ["sourced", "unsourced"]


def test_ruling_on_a_passage_no_longer_disputed_says_so_and_saves_nothing(client, editor, dispute, make_reviewer):
    campaign, article, passage = dispute
    third = make_reviewer("third")
    make_review(article, third, {0: "q"})  # two of three now say sourced
    client.force_login(editor)
    url = reverse("campaigns:adjudicate", args=[campaign.pk, passage.pk])
    response = client.post(url, {"category": "sourced", "rationale": "Because."}, follow=True)
    assert "no longer disputed" in response.content.decode()
    assert not Ruling.objects.exists()


def test_the_report_json_carries_both_figure_sets_and_the_rulings(client, editor, dispute):
    campaign, article, passage = dispute
    client.force_login(editor)
    before = client.get(reverse("annotations:report-json", args=[article.pk])).json()
    assert before["after_rulings"]["rulings"] == []
    assert before["after_rulings"]["shares"] == before["shares"]
    client.post(reverse("campaigns:adjudicate", args=[campaign.pk, passage.pk]),
                {"category": "sourced", "rationale": "On record."})
    data = client.get(reverse("annotations:report-json", args=[article.pk])).json()
    assert data["shares"]["disputed"] > 0 and data["sourced_fact_share"] is None
    ruled = data["after_rulings"]
    assert ruled["shares"]["disputed"] == 0 and ruled["sourced_fact_share"] == 1.0
    assert ruled["alpha"] == data["alpha"]  # alpha is always the reviewers'
    assert set(ruled) >= {key for key in data if key not in ("article", "reviewers", "flags_used", "passages",
                                                             "after_rulings")}
    [entry] = ruled["rulings"]
    assert (entry["passage"], entry["category"], entry["rationale"], entry["editor"]) == (
        passage.pk, "sourced", "On record.", "ed")
    assert entry["time"]
    assert {p["id"]: p["consensus"] for p in ruled["passages"]}[passage.pk] == "sourced"
    summary = client.get(reverse("annotations:summary", args=[article.pk])).content.decode()
    assert "after rulings" in summary and "reviewer consensus" in summary


# --- The reviewer's queue ---------------------------------------------------------------------

def test_the_queue_shows_assignments_first_with_due_dates_and_overdue_marks_and_next_takes_the_oldest_due(
    client, reviewer
):
    soon, later = make_article(title="Soon"), make_article(title="Later")
    opened([later], [reviewer], per_article=1, due=timezone.localdate() + datetime.timedelta(days=9))
    early = Campaign.objects.plan("Early", [soon.pk], [reviewer], per_article=1, seed=1,
                                  due=timezone.localdate())
    early.open()
    Assignment.objects.filter(article=soon).update(due=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(reviewer)
    page = client.get(reverse("annotations:queue"))
    [section] = page.context["queue_sections"]
    assert [campaign.name for campaign, _ in section.groups] == ["Early", "Audit"]
    assert "overdue" in page.content.decode()
    response = client.get(reverse("annotations:next"))
    assert response["Location"] == reverse("annotations:workspace", args=[soon.pk])


def test_a_reviewer_may_not_flag_an_article_assigned_to_others_unless_the_campaign_allows_it(
    client, reviewer, other_reviewer
):
    article = make_article()
    campaign = opened([article], [other_reviewer], per_article=1)
    client.force_login(reviewer)
    data = {"passage": article.passages.first().pk, "flag": Flag.objects.get(shortcut="q").pk, "on": "1"}
    url = reverse("annotations:annotate", args=[article.pk])
    refused = client.post(url, data)
    assert refused.status_code == 403 and "Audit" in refused.json()["error"]
    assert not Review.objects.filter(reviewer=reviewer).exists()
    Campaign.objects.filter(pk=campaign.pk).update(allow_unassigned=True)
    assert client.post(url, data).status_code == 200


def test_a_reviewer_assigned_an_article_in_one_campaign_may_flag_it_though_another_keeps_it_to_others(
    client, reviewer, other_reviewer
):
    article = make_article()
    opened([article], [reviewer], per_article=1)
    strict = Campaign.objects.plan("Strict", [article.pk], [other_reviewer], per_article=1, seed=1)
    strict.open()
    client.force_login(reviewer)
    data = {"passage": article.passages.first().pk, "flag": Flag.objects.get(shortcut="q").pk, "on": "1"}

    assert client.post(reverse("annotations:annotate", args=[article.pk]), data).status_code == 200


def test_next_article_skips_articles_an_open_campaign_keeps_to_other_reviewers(client, reviewer, other_reviewer):
    free = make_article(title="Free to all")
    kept = make_article(title="Kept for others")  # newer: Next article would open it first
    opened([kept], [other_reviewer], per_article=1)
    client.force_login(reviewer)

    response = client.get(reverse("annotations:next"))

    assert response["Location"] == reverse("annotations:workspace", args=[free.pk])


def test_the_articles_table_and_its_csv_show_the_headline_after_rulings_labelled(client, editor, dispute):
    campaign, article, passage = dispute
    client.force_login(editor)
    client.post(reverse("campaigns:adjudicate", args=[campaign.pk, passage.pk]),
                {"category": "sourced", "rationale": "On record."})
    article.summary.refresh_from_db()
    assert (article.summary.sourced_fact_share, article.summary.ruled_sourced_fact_share) == (None, 1.0)
    page = client.get(reverse("annotations:articles")).content.decode()
    assert "Sourced-fact share after rulings" in page and "100.0%" in page
    csv = b"".join(client.get(reverse("annotations:articles"), {"_export": "csv"}).streaming_content).decode()
    header, row = csv.splitlines()[:2]
    assert "Sourced-fact share (%)" in header and "Sourced-fact share after rulings (%)" in header
    assert "100.0" in row
    Ruling.objects.get().delete()
    article.summary.refresh_from_db()
    assert article.summary.ruled_sourced_fact_share is None


# --- The pinned codebook ----------------------------------------------------------------------

def test_the_campaign_scores_with_its_pinned_codebook_and_says_so_when_the_live_one_moves_on(
    client, editor, dispute, django_assert_num_queries
):
    from campaigns.status import status

    campaign, article, passage = dispute
    pinned = campaign.codebook_version.number
    client.force_login(editor)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert f"scored with codebook version {pinned}" in page and "The codebook has changed" not in page
    # The unsourced flag becomes sourced: live, both reviewers now say sourced and nothing is disputed.
    flag = Flag.objects.get(shortcut="u")
    flag.category = "sourced"
    flag.save()
    article.summary.refresh_from_db()
    assert article.summary.disputed_chars == 0 and article.summary.codebook_version == pinned + 1
    with django_assert_num_queries(8):  # the live version is read in the campaign's own query
        page = client.get(campaign.get_absolute_url()).content.decode()
    assert (f"it pins codebook version {pinned}, and the live codebook is now version {pinned + 1}" in page)
    # The campaign still reads the flags as its version had them: the passage stays disputed there.
    queue = client.get(reverse("campaigns:adjudication", args=[campaign.pk]))
    assert queue.context["total"] == 1 and f"(the live codebook is now version {pinned + 1})" in queue.content.decode()
    data = status(Campaign.objects.with_codebooks().get(pk=campaign.pk))
    assert (data["codebook_version"], data["live_codebook_version"], data["codebook_moved_on"]) == (
        pinned, pinned + 1, True)
    assert data["disputed"] == 1
    # A ruling on it is still possible: disputed under the campaign's codebook.
    response = client.post(reverse("campaigns:adjudicate", args=[campaign.pk, passage.pk]),
                           {"category": "sourced", "rationale": "On record."})
    assert response.status_code == 302 and Ruling.objects.filter(passage=passage).exists()


# --- Adding articles from the articles table --------------------------------------------------

def test_the_articles_table_offers_a_checkbox_per_row_and_both_ways_to_add(client, editor, reviewer):
    make_article(title="Picked", language="en")
    client.force_login(editor)
    page = client.get(reverse("annotations:articles"), {"language": "en", "sort": "title"}).content.decode()
    assert 'form="article-selection" aria-label="Select Picked"' in page
    assert f'action="{reverse("campaigns:add-from-table")}"' in page
    assert 'name="filter" value="language=en"' in page  # the filter, without the sort
    assert "Add the selected rows to a campaign…" in page and "rows matching these filters to a campaign…" in page


def test_selected_rows_go_into_an_open_campaign_assigned_by_its_rules_and_the_message_says_what_happened(
    client, editor, reviewer, other_reviewer
):
    first, second, third = (make_article(title=f"Article {n}") for n in range(3))
    campaign = opened([first], [reviewer, other_reviewer], per_article=2)
    Campaign.objects.plan("Closed one", [first.pk], [reviewer], per_article=1, seed=1).open()
    Campaign.objects.get(name="Closed one").close()
    client.force_login(editor)
    url = reverse("campaigns:add-from-table")
    chosen = {"scope": "selected", "filter": "", "article": [first.pk, second.pk, third.pk]}
    page = client.get(url, chosen)
    assert page.status_code == 200 and page.context["articles"] == [first.pk, second.pk, third.pk]
    # Only draft and open campaigns are offered.
    assert [c.name for c in page.context["form"].fields["campaign"].queryset] == ["Audit"]
    response = client.post(url, {**chosen, "campaign": campaign.pk}, follow=True)
    assert response.redirect_chain[-1][0] == campaign.get_absolute_url()
    message = str(list(response.context["messages"])[0])
    assert message == ("Added 2 articles to “Audit”, assigned by the campaign's rules (4 new assignments); "
                       "skipped 1 article already in it.")
    assert set(campaign.articles.values_list("pk", flat=True)) == {first.pk, second.pk, third.pk}
    assert Assignment.objects.filter(campaign=campaign).count() == 6


def test_all_rows_matching_the_filters_go_into_a_draft_campaign(client, editor, reviewer):
    kept = [make_article(language="tr") for _ in range(3)]
    make_article(language="en")
    draft = Campaign.objects.plan("Draft desk", [kept[0].pk], [reviewer], per_article=1, seed=1)
    client.force_login(editor)
    response = client.post(reverse("campaigns:add-from-table"),
                           {"scope": "all", "filter": "language=tr", "campaign": draft.pk}, follow=True)
    assert str(list(response.context["messages"])[0]) == (
        "Added 2 articles to “Draft desk” (assigned when the campaign opens); skipped 1 article already in it.")
    assert sorted(draft.articles.values_list("pk", flat=True)) == sorted(a.pk for a in kept)
    assert not Assignment.objects.exists()


def test_adding_nothing_a_bad_filter_or_a_closed_campaign_is_refused_in_words_and_adds_nothing(
    client, editor, reviewer
):
    article = make_article()
    campaign = Campaign.objects.plan("Shut", [article.pk], [reviewer], per_article=1, seed=1)
    campaign.open()
    campaign.close()
    other = make_article()
    client.force_login(editor)
    url = reverse("campaigns:add-from-table")
    nothing = client.get(url, {"scope": "selected", "filter": ""})
    assert "No articles: select some rows" in nothing.content.decode()
    bad = client.get(url, {"scope": "all", "filter": "sourced_fact_share_min=lots"})
    assert "Fix the articles table&#x27;s filter first" in bad.content.decode()
    closed = client.post(url, {"scope": "selected", "article": [other.pk], "campaign": campaign.pk})
    assert closed.status_code == 400 and "campaign" in closed.context["form"].errors
    assert list(campaign.articles.all()) == [article]
    none_open = client.get(url, {"scope": "selected", "article": [other.pk]}).content.decode()
    assert "There is no draft or open campaign to add them to." in none_open


def test_rows_an_open_campaign_cannot_assign_are_refused_whole(client, editor, reviewer, other_reviewer):
    from campaigns.models import Conflict

    campaign = opened([make_article()], [reviewer, other_reviewer], per_article=2)
    rival = make_article(outlet="Rival Outlet")
    Conflict.objects.create(reviewer=reviewer, outlet=rival.outlet)
    client.force_login(editor)
    response = client.post(reverse("campaigns:add-from-table"),
                           {"scope": "selected", "article": [rival.pk], "campaign": campaign.pk})
    assert response.status_code == 400
    assert "Nothing was added: " in response.content.decode()
    assert not campaign.articles.filter(pk=rival.pk).exists()
