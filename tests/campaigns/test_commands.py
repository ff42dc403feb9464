"""manage.py campaign create/open/close/status and send_digests."""
import datetime
import io
import json

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from factories import make_article, make_review

from campaigns.digests import send_digests
from campaigns.models import Assignment, Campaign

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("campaign", *args, stdout=out)
    return out.getvalue()


def test_create_open_and_status_json_from_the_command_line(pool):
    kept = [make_article(outlet="Dawn", language="en") for _ in range(5)]
    make_article(outlet="Other", language="en")
    due = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    out = run("create", "Dawn check", "--per-article", "2", "--reliability-share", "0.2", "--reliability-reviewers",
              "3", "--due", due, "--reviewers", "r1,r2,r3,r4", "--article-filter", "outlet=Dawn&language=en",
              "--seed", "42")
    assert "5 articles (1 in the reliability sample), 4 reviewers, seed 42" in out
    assert "11 assignments" in run("open", "Dawn check")
    make_review(kept[0], pool[0], {0: "q"})
    data = json.loads(run("status", "Dawn check", "--json"))
    assert (data["name"], data["state"], data["seed"], data["due"]) == ("Dawn check", "open", 42, due)
    assert sorted(article["id"] for article in data["articles"]) == sorted(a.pk for a in kept)
    first = next(article for article in data["articles"] if article["id"] == kept[0].pk)
    states = {entry["reviewer"]: entry["state"] for entry in first["assignments"]}
    if "r1" in states:
        assert states["r1"] == "submitted"
    assert sum(reviewer["load"] for reviewer in data["reviewers"]) == 11
    assert {"alpha", "alpha_ci", "disputed", "ruled"} <= set(data)
    assert (data["disputed"], data["ruled"]) == (0, 0)
    assert "closed" in run("close", "Dawn check")
    with pytest.raises(CommandError, match="not open"):
        run("close", "Dawn check")


def test_create_refuses_n_larger_than_the_pool_and_saves_nothing(pool):
    make_article()
    with pytest.raises(CommandError, match=r"Reviewers per article \(3\) is more than the pool of reviewers \(2\)"):
        run("create", "Too many", "--per-article", "3", "--reviewers", "r1,r2")
    with pytest.raises(CommandError, match="no articles"):
        run("create", "None", "--per-article", "1", "--reviewers", "r1", "--article-filter", "outlet=Nowhere")
    with pytest.raises(CommandError, match="not a date"):
        run("create", "Date", "--due", "tomorrow", "--reviewers", "r1")
    assert not Campaign.objects.exists()


def test_opening_twice_from_the_command_line_assigns_once(pool):
    make_article()
    run("create", "Once", "--per-article", "2", "--reviewers", "r1,r2")
    run("open", "Once")
    with pytest.raises(CommandError, match="is open, not a draft"):
        run("open", "Once")
    assert Assignment.objects.count() == 2


def test_the_digest_sends_each_reviewer_their_work_due_in_the_next_three_days(settings, make_reviewer):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    today = timezone.localdate()
    near, far = make_reviewer("near", email="near@example.org"), make_reviewer("far", email="far@example.org")
    silent = make_reviewer("silent")  # no address: nothing to send to
    soon = [make_article(title=f"Soon {n}") for n in range(2)]
    Campaign.objects.plan("Soon", [a.pk for a in soon], [near, silent], per_article=2, seed=1,
                          due=today + datetime.timedelta(days=3)).open()
    Campaign.objects.plan("Later", [make_article().pk], [far], per_article=1, seed=1,
                          due=today + datetime.timedelta(days=4)).open()
    done = Assignment.objects.get(reviewer=near, article=soon[1])
    make_review(done.article, near, {})  # submitted: no longer due
    assert send_digests(today) == 1
    [message] = mail.outbox
    assert message.to == ["near@example.org"]
    assert "Soon 0" in message.body and "Soon 1" not in message.body
    out = io.StringIO()
    call_command("send_digests", stdout=out)
    assert "1 digest e-mails sent." in out.getvalue()
