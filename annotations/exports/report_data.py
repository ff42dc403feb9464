"""An article's report (reports.article_report) as plain data for JSON."""
from django.urls import reverse


def report_data(report, absolute):
    """An article's report (reports.article_report) as plain data for JSON; `absolute` makes a path a URL."""
    article = report.article
    shares = report.shares
    return {
        "article": {
            "id": article.pk,
            "title": article.title,
            "summary_url": absolute(reverse("annotations:summary", args=[article.pk])),
            "source_url": article.url or None,
            "outlet": {"id": article.outlet.pk, "name": article.outlet.name} if article.outlet else None,
            "authors": [{"id": author.pk, "name": author.name} for author in article.authors.all()],
            "published": article.published.isoformat() if article.published else None,
            "language": article.language or None,
            "words": article.word_count,
            "characters": shares.total,
        },
        "sourced_fact_share": shares.sourced_fact_share,
        "shares": {
            category: {"characters": chars, "share": share} for category, _label, chars, share in shares.rows()
        },
        "agreement": report.score.agreement,
        "reviewers": [
            {
                "username": review.reviewer.get_username(),
                "status": review.status,
                "counted": review.is_submitted,
                "submitted_at": review.submitted_at.isoformat() if review.submitted_at else None,
            }
            for review in report.reviews
        ],
        "flags_used": [
            {"flag": flag.name, "category": flag.category, "uses": uses} for flag, uses in report.flag_counts
        ],
        "passages": [
            {
                "id": passage.pk,
                "paragraph": passage.paragraph + 1,
                "sentence": passage.sentence + 1,
                "start": passage.start,
                "end": passage.end,
                "text": passage.text,
                "consensus": passage.category,
                "reviewers_differ": passage.disagreement,
                "flags": [
                    {
                        "flag": mark.flag.name,
                        "category": mark.flag.category,
                        "reviewer": mark.reviewer.get_username(),
                        "note": mark.note or None,
                        "evidence_url": mark.evidence_url or None,
                        "quote": mark.quote or None,
                    }
                    for mark in passage.flags
                ],
            }
            for passage in report.passages
        ],
    }
