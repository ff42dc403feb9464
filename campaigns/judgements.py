"""What a campaign's reviewers said, read once: its alpha on the reliability sample, each reviewer's alpha
against the rest, and its disputed passages (the adjudication queue). Three queries whatever the size.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np

from dossier.models import Passage

from annotations import scoring
from annotations.models import Annotation, Review
from annotations.summaries import flags_by_review


@dataclass
class Judgements:
    """Per article: passages [(id, length)], submitted reviews {review id: {passage: categories}}, reviewers."""

    passages: dict = field(default_factory=lambda: defaultdict(list))
    reviews: dict = field(default_factory=lambda: defaultdict(dict))
    reviewer_of: dict = field(default_factory=dict)  # review id -> (reviewer id, username)

    def scores(self, rulings=None):
        """{article id: scoring.Score} (no intervals) for every article with a submitted review."""
        return {
            article_id: scoring.score(self.passages[article_id], reviews, rulings=rulings)
            for article_id, reviews in self.reviews.items()
        }


def judgements(article_ids, codebook=None):
    """The submitted judgements on these articles (ids or a subquery of ids): three queries.

    With `codebook` (a CodebookVersion: the campaign's pinned one) each flag counts as the category that
    version gave it, whatever the flag's category is now; a flag added after that version counts as its
    own category (the version never knew it). Without, as the flags stand (the articles' summaries).
    """
    found = Judgements()
    for article_id, passage_id, start, end in (
        Passage.objects.filter(article_id__in=article_ids).order_by("article_id", "paragraph", "sentence")
        .values_list("article_id", "id", "start", "end")
    ):
        found.passages[article_id].append((passage_id, end - start))
    for review_id, article_id, reviewer_id, username in Review.objects.filter(
        article_id__in=article_ids, status=Review.Status.SUBMITTED
    ).values_list("id", "article_id", "reviewer_id", "reviewer__username"):
        found.reviews[article_id][review_id] = {}
        found.reviewer_of[review_id] = (reviewer_id, username)
    rows = Annotation.objects.submitted().filter(review__article_id__in=article_ids)
    if codebook is None:
        flags = flags_by_review(rows.values_list("review_id", "passage_id", "flag__category"))
    else:
        pinned = codebook.categories()
        flags = flags_by_review(
            (review_id, passage_id, pinned.get(flag_id, category))
            for review_id, passage_id, flag_id, category in rows.values_list(
                "review_id", "passage_id", "flag_id", "flag__category"
            )
        )
    for reviews in found.reviews.values():
        for review_id in reviews:
            reviews[review_id] = flags.get(review_id, {})
    return found


def of_campaign(campaign, article_ids):
    """What the campaign's reviewers said on these articles, each flag counted as its pinned codebook
    version had it."""
    return judgements(article_ids, codebook=campaign.codebook_version)


@dataclass(frozen=True)
class Reliability:
    alpha: scoring.Alpha  # four categories, over every passage of the sample's reviewed articles
    interval: tuple | None  # 95% bootstrap over the sample's articles (clusters of passages)
    articles: int
    by_reviewer: list  # (username, Alpha against the rest, passages compared), by username


def reliability(found, seed):
    """The campaign's agreement on these judgements (the reliability sample's) and each reviewer's against
    the rest: a two-coder alpha of the reviewer's category against the others' consensus, where they have one.
    """
    per_article_values, per_article_disagreement, all_counts, most_reviewers = [], [], [], 0
    pairs = defaultdict(list)  # username -> [(theirs, the rest's)]
    for article_id, reviews in found.reviews.items():
        score = scoring.score(found.passages[article_id], reviews)
        most_reviewers = max(most_reviewers, score.reviewers)
        counts = np.array([
            [Counter(review[passage_id] for review in score.by_review.values())[category]
             for category in scoring.FLAG_CATEGORIES]
            for passage_id, _ in found.passages[article_id]
        ], dtype=np.int64).reshape(-1, len(scoring.FLAG_CATEGORIES))
        units = scoring.Units(counts, score.reviewers)
        all_counts.append(counts)
        per_article_values.append(units.counts.sum(axis=0))
        per_article_disagreement.append(units.disagreement.sum())
        for review_id, categories in score.by_review.items():
            others = [review for key, review in score.by_review.items() if key != review_id]
            if not others:
                continue
            username = found.reviewer_of[review_id][1]
            for passage_id, _ in found.passages[article_id]:
                rest = scoring.consensus([review[passage_id] for review in others])
                if rest != scoring.DISPUTED:
                    pairs[username].append((categories[passage_id], rest))
    if all_counts:
        units = scoring.Units(np.concatenate(all_counts), most_reviewers)
        alpha = units.alpha()
    else:
        alpha = scoring.Alpha(None, scoring.TOO_FEW)
    interval = None
    if alpha.value is not None:
        interval = scoring.pooled_alpha_interval(per_article_values, per_article_disagreement, seed)
    by_reviewer = []
    for username in sorted(pairs):
        compared = pairs[username]
        if len(compared) < scoring.MIN_UNITS:
            by_reviewer.append((username, scoring.Alpha(None, scoring.TOO_FEW), len(compared)))
            continue
        value = scoring.nominal_alpha(compared)
        by_reviewer.append((username, scoring.Alpha(value, None if value is not None else scoring.UNDEFINED),
                            len(compared)))
    return Reliability(alpha, interval, len(found.reviews), by_reviewer)


def disputed(found, rulings):
    """[(article id, passage id, ruling category or None)] of the passages whose reviewers' consensus is
    disputed, in article then reading order; `rulings` is {passage id: category}.
    """
    result = []
    for article_id, score in sorted(found.scores().items()):
        for passage_id, _ in found.passages[article_id]:
            if score.consensus[passage_id] == scoring.DISPUTED:
                result.append((article_id, passage_id, rulings.get(passage_id)))
    return result
