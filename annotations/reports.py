"""One article's credibility report: its passages with their consensus, its reviewers and scores."""
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist

from . import scoring
from .models import Annotation, Review, Ruling
from .summaries import flags_by_review


@dataclass
class Cell:
    """One reviewer's verdict on one passage: their category and the flags that gave it."""

    category: str | None
    flags: list


@dataclass
class ArticleReport:
    article: object
    paragraphs: list  # lists of passages, each with .category, .flags, .cells and .disagreement
    reviews: list  # every review of the article, submitted first
    submitted: list  # the submitted reviews, one column each in the comparison
    score: scoring.Score  # without intervals: those are the stored summary's, computed at its refresh
    summary: object  # the article's stored ArticleSummary, or None while nobody has started a review
    flag_counts: list  # (flag, annotations in submitted reviews), most used first
    rulings: list = None  # editors' rulings on the article's passages (Ruling, editor joined), in reading order
    ruled: scoring.Score = None  # the figures after rulings (with intervals); the score itself when none apply

    @property
    def passages(self):
        return [passage for paragraph in self.paragraphs for passage in paragraph]

    @property
    def shares(self):
        return self.score.shares

    @property
    def unsourced_claims(self):
        """Passages whose consensus is unsourced, in reading order."""
        return [passage for passage in self.passages if passage.category == scoring.UNSOURCED]

    @property
    def disagreements(self):
        return [passage for passage in self.passages if passage.disagreement]

    @property
    def minority_unsourced(self):
        """Passages a minority of the reviewers called unsourced, in reading order: for adjudication."""
        minority = set(self.score.minority_unsourced)
        return [passage for passage in self.passages if passage.pk in minority]

    @property
    def has_rulings(self):
        return bool(self.rulings)

    @property
    def ruled_shares(self):
        return self.ruled.shares

    @property
    def ruled_share_interval(self):
        """After rulings the headline's interval is computed at read time; without rulings it is the stored one."""
        return self.ruled.intervals.sourced_fact_share if self.ruled.intervals else self.share_interval

    @property
    def method_version(self):
        return self.summary.method_version if self.summary else scoring.METHOD_VERSION

    @property
    def codebook_version(self):
        return self.summary.codebook_version if self.summary else None

    def interval(self, name):
        """A stored 95% interval, (low, high) or None: "sourced_fact_share_ci", "agreement_ci", ..."""
        return self.summary.interval(name) if self.summary else None

    @property
    def share_interval(self):
        return self.interval("sourced_fact_share_ci")

    @property
    def alpha_interval(self):
        return self.interval("agreement_ci")

    @property
    def alpha_fact_interval(self):
        return self.interval("alpha_fact_ci")

    @property
    def alpha_sourcing_interval(self):
        return self.interval("alpha_sourcing_ci")

    @property
    def alpha_reliable(self):
        return self.summary.alpha_reliable if self.summary else None


def article_report(article):
    """Score the article from its submitted reviews and lay the result out by passage: four queries (the
    fourth its rulings), and one for the stored summary unless the article was read with select_related("summary").
    """
    paragraphs = article.paragraphs()
    reviews = sorted(
        # The reviewer's name, not their password hash or email.
        Review.objects.filter(article=article).select_related("reviewer").defer("reviewer__password",
                                                                                "reviewer__email"),
        key=lambda review: (not review.is_submitted, review.reviewer.get_username()),
    )
    submitted = [review for review in reviews if review.is_submitted]
    annotations = list(
        Annotation.objects.submitted().filter(review__article=article)
        .select_related("flag")
        .order_by("flag__order", "flag__name")
    )
    passages = [passage for paragraph in paragraphs for passage in paragraph]
    score = scoring.score(
        [(passage.pk, passage.end - passage.start) for passage in passages],
        {review.pk: {} for review in submitted}
        | flags_by_review((a.review_id, a.passage_id, a.flag.category) for a in annotations),
    )
    rulings = list(Ruling.objects.filter(passage__article=article).select_related("editor")
                   .only("passage_id", "category", "rationale", "ruled_at", "editor__username")
                   .order_by("passage__paragraph", "passage__sentence"))
    ruled = score
    if any(score.consensus.get(ruling.passage_id) == scoring.DISPUTED for ruling in rulings):
        ruled = scoring.score(
            [(passage.pk, passage.end - passage.start) for passage in passages],
            {review.pk: {} for review in submitted}
            | flags_by_review((a.review_id, a.passage_id, a.flag.category) for a in annotations),
            seed=article.pk, rulings={ruling.passage_id: ruling.category for ruling in rulings},
        )
    reviewers = {review.pk: review.reviewer for review in reviews}
    flags = defaultdict(lambda: defaultdict(list))  # passage -> review -> flags
    for annotation in annotations:
        annotation.reviewer = reviewers[annotation.review_id]
        flags[annotation.passage_id][annotation.review_id].append(annotation)
    for passage in passages:
        passage.category = score.consensus[passage.pk]
        passage.ruled_category = ruled.consensus[passage.pk]
        # Reviewers chose different categories (whether or not a majority still gave a consensus).
        passage.disagreement = passage.pk in score.disagreements
        passage.flags = [annotation for review in submitted for annotation in flags[passage.pk][review.pk]]
        for annotation in passage.flags:
            annotation.passage = passage  # knows the body, so `quote` needs no query
        passage.cells = [
            Cell(score.by_review[review.pk][passage.pk], flags[passage.pk][review.pk]) for review in submitted
        ]
    counts = Counter(annotation.flag for annotation in annotations)
    try:
        summary = article.summary
    except ObjectDoesNotExist:
        summary = None
    return ArticleReport(
        article=article,
        paragraphs=paragraphs,
        reviews=reviews,
        submitted=submitted,
        score=score,
        summary=summary,
        flag_counts=sorted(counts.items(), key=lambda item: (-item[1], item[0].order, item[0].name)),
        rulings=rulings,
        ruled=ruled,
    )
