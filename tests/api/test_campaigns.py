"""/v1/campaigns: the same content as `campaign status --json`, cursor pages, editors and admins only."""
import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from factories import make_article, make_review

from dossier.roles import Role

from annotations.models import Flag

from campaigns.models import Campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(reviewer, other_reviewer):
    articles = [make_article(title=f"Campaign article {n}", body=f"Claim {n} here. Another claim.") for n in range(3)]
    campaign = Campaign.objects.plan("Dawn check", [a.pk for a in articles], [reviewer, other_reviewer], seed=4)
    campaign.open()
    make_review(articles[0], reviewer, {0: "u"})
    return campaign


def test_a_campaigns_status_is_what_the_command_prints(api, editor, opened):
    out = io.StringIO()
    call_command("campaign", "status", "Dawn check", "--json", stdout=out)

    response = api(editor, "read").get(f"campaigns/{opened.pk}")

    assert response.status_code == 200
    assert response.json() == json.loads(out.getvalue())


def test_campaigns_come_in_cursor_pages_and_an_unknown_sort_is_named(api, editor, reviewer, other_reviewer, opened):
    article = make_article(title="Another", body="A different claim.")
    for name in ("Beta", "Alpha"):
        Campaign.objects.plan(name, [article.pk], [reviewer, other_reviewer], seed=1)
    client = api(editor, "read")

    first = client.get("campaigns", limit=2).json()
    second = client.get("campaigns", limit=2, cursor=first["next_cursor"]).json()

    assert [c["name"] for c in first["items"]] == ["Alpha", "Beta"]
    assert [c["name"] for c in second["items"]] == ["Dawn check"] and second["next_cursor"] is None
    assert second["items"][0] == {"id": opened.pk, "name": "Dawn check", "state": "open", "per_article": 2,
                                  "due": None}
    refused = client.get("campaigns", sort="due")
    assert refused.status_code == 422 and refused.json()["field"] == "sort"


def test_a_reviewers_token_never_reads_a_campaigns_figures(api, reviewer, opened):
    response = api(reviewer, "read").get(f"campaigns/{opened.pk}")

    assert response.status_code == 403 and "alpha" not in response.content.decode()


def test_a_token_flags_a_campaigns_article_only_when_its_reviewer_is_assigned(api, django_user_model, opened):
    outsider = django_user_model.objects.create_user("third_reviewer", password="x")
    outsider.groups.add(Group.objects.get(name=Role.REVIEWER))
    article = opened.article_links.first().article
    body = {"passage": article.passages.first().pk, "flag": Flag.objects.get(shortcut="u").pk, "on": True}

    refused = api(outsider, "annotate").put(f"articles/{article.pk}/review/flags", body)
    assignee = opened.assignments.filter(article=article).first().reviewer
    allowed = api(assignee, "annotate").put(f"articles/{article.pk}/review/flags", body)

    assert refused.status_code == 403
    assert "assigned to other reviewers in the campaign “Dawn check”" in refused.json()["message"]
    assert allowed.status_code == 200
