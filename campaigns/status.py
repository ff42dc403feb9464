"""A campaign's status as plain data: what `manage.py campaign status --json` prints."""
from collections import defaultdict

from . import figures
from .models import Assignment


def status(campaign):
    """Per article its reviewers and their states, per reviewer load and done, alpha, disputes and rulings."""
    articles = defaultdict(list)
    for article_id, username, state, due in (
        Assignment.objects.filter(campaign=campaign).order_by("article_id", "reviewer__username")
        .values_list("article_id", "reviewer__username", "state", "due")
    ):
        articles[article_id].append({"reviewer": username, "state": state, "due": due.isoformat() if due else None})
    # The stored figures (figures.py), brought up to date first if a change is not yet in them.
    stored = figures.refresh(campaign.pk)
    reliability = figures.reliability(stored)
    return {
        "name": campaign.name,
        "state": campaign.state,
        "per_article": campaign.per_article,
        "reliability_share": campaign.reliability_share,
        "reliability_reviewers": campaign.reliability_reviewers,
        "seed": campaign.seed,
        "due": campaign.due.isoformat() if campaign.due else None,
        # The figures below (alpha, disputes) count each flag as this pinned version has it.
        "codebook_version": campaign.codebook_version.number,
        "live_codebook_version": campaign.live_codebook_number,
        "codebook_moved_on": campaign.codebook_moved_on,
        "articles": [
            {"id": article_id, "in_reliability_sample": in_sample, "assignments": articles.get(article_id, [])}
            for article_id, in_sample in campaign.article_links.order_by("article_id")
            .values_list("article_id", "in_sample")
        ],
        "reviewers": [
            {"username": row["reviewer__username"], "load": row["total"], "done": row["submitted"],
             "in_progress": row["started"], "overdue": row["overdue"]}
            for row in Assignment.objects.filter(campaign=campaign).per_reviewer()
        ],
        "alpha": reliability.alpha.value,
        "alpha_ci": list(reliability.interval) if reliability.interval else None,
        "alpha_missing": reliability.alpha.missing,
        "alpha_by_reviewer": {username: alpha.value for username, alpha, _ in reliability.by_reviewer},
        "disputed": stored.disputed,
        "ruled": stored.ruled,
    }
