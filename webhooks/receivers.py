"""The lower layers' signals, turned into webhook events: dossier and annotations never import webhooks.

Each receiver keeps only plain values inside the transaction (no query); the payload is built after the
commit, and only if a hook subscribes (events.emit_each).
"""
from django.dispatch import receiver

from dossier.models import Article, article_revised, articles_imported

from annotations.models import Review, review_submitted

from campaigns.models import Campaign, campaign_closed

from .events import absolute, article_data, emit_each


def _fields(article):
    return (article.pk, article.title, article.url, article.version, article.language)


@receiver(articles_imported, sender=Article, dispatch_uid="webhooks.article_imported")
def article_imported(sender, articles, **kwargs):
    rows = [_fields(article) for article in articles]
    emit_each("article.imported", lambda: [{"article": article_data(*row)} for row in rows])


@receiver(article_revised, sender=Article, dispatch_uid="webhooks.article_version_created")
def article_version_created(sender, article, version, **kwargs):
    row, previous = _fields(article), version.number
    emit_each("article.version_created", lambda: [{
        "article": article_data(*row), "previous_version": previous,
        "previous_version_page": absolute(version.get_absolute_url()),
    }])


@receiver(review_submitted, sender=Review, dispatch_uid="webhooks.review_submitted")
def review_was_submitted(sender, review, **kwargs):
    pk = review.pk

    def data():
        # One query, and only when a hook listens; the review as committed.
        review = Review.objects.select_related("article", "reviewer").get(pk=pk)
        article = review.article
        return [{
            "review": {"id": review.pk, "reviewer": review.reviewer.get_username(),
                       "submitted_at": review.submitted_at.isoformat().replace("+00:00", "Z")},
            "article": article_data(*_fields(article)),
        }]

    emit_each("review.submitted", data)


@receiver(campaign_closed, sender=Campaign, dispatch_uid="webhooks.campaign_closed")
def campaign_was_closed(sender, campaign, **kwargs):
    pk, name, closed_at = campaign.pk, str(campaign), campaign.closed_at
    page = absolute(campaign.get_absolute_url())
    emit_each("campaign.closed", lambda: [{"campaign": {
        "id": pk, "name": name, "closed_at": closed_at.isoformat().replace("+00:00", "Z") if closed_at else None,
        "page": page,
    }}])
