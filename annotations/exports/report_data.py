"""An article's report (reports.article_report) as plain data for JSON."""
from django.urls import reverse


def report_data(report, absolute):
    """An article's report (reports.article_report) as plain data for JSON; `absolute` makes a path a URL."""
    article, shares = report.article, report.shares
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
        **_figures(report, report.score, report.shares),
        "after_rulings": {
            **_figures(report, report.ruled, report.ruled_shares, ruled=True),
            "passages": [{"id": passage.pk, "consensus": passage.ruled_category} for passage in report.passages],
            "rulings": [
                {
                    "passage": ruling.passage_id,
                    "category": ruling.category,
                    "rationale": ruling.rationale,
                    "editor": ruling.editor.get_username(),
                    "time": ruling.ruled_at.isoformat(),
                }
                for ruling in report.rulings
            ],
        },
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


def _figures(report, score, shares, ruled=False):
    """The figures of one set, the reviewers' consensus or (ruled=True) after rulings: alpha is always the
    reviewers' own; intervals after rulings are the read-time bootstrap's (the same seed as the stored one).
    """
    minority = set(score.minority_unsourced)
    return {
        "method_version": report.method_version,
        "codebook_version": report.codebook_version,
        "sourced_fact_share": shares.sourced_fact_share,
        "sourced_fact_share_ci": _pair(report.ruled_share_interval if ruled else report.share_interval),
        "sourced_fact_share_bounds": _pair(score.bounds),
        "fact_coverage": score.fact_coverage,
        "few_claims_of_fact": score.few_facts,
        "shares": {category: share for category, _label, _chars, share in shares.rows()},
        "characters": {category: chars for category, _label, chars, _share in shares.rows()},
        "alpha": score.agreement.value,
        "alpha_ci": _pair(report.alpha_interval),
        "alpha_fact": score.alpha_fact.value,
        "alpha_fact_ci": _pair(report.alpha_fact_interval),
        "alpha_sourcing": score.alpha_sourcing.value,
        "alpha_sourcing_ci": _pair(report.alpha_sourcing_interval),
        "alpha_reliable": report.alpha_reliable,
        "agreement": score.agreement.value,  # method version 1's name for alpha, kept for existing readers
        "minority_unsourced": [passage.pk for passage in report.passages if passage.pk in minority],
    }


def _pair(interval):
    """(low, high) as a JSON list; None stays null."""
    return None if interval is None else list(interval)
