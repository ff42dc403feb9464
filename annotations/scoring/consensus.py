"""How flags become categories, consensus and shares; the rules are docs/methodology.md's.

The categories here are the one vocabulary: Flag.Category is built from FLAG_CATEGORIES.
"""
from collections import Counter
from dataclasses import dataclass, field

from .agreement import nominal_alpha

SOURCED, UNSOURCED, OPINION, NEUTRAL = "sourced", "unsourced", "opinion", "neutral"
DISPUTED, NOT_REVIEWED = "disputed", "not_reviewed"

# What a flag can count as (the flag set is data: admins give each flag one of these).
FLAG_CATEGORIES = (SOURCED, UNSOURCED, OPINION, NEUTRAL)

# When one reviewer puts flags of several categories on a passage, the first here wins.
PRECEDENCE = (UNSOURCED, SOURCED, OPINION, NEUTRAL)

# Every passage's text counts towards exactly one of these.
SHARE_CATEGORIES = (SOURCED, UNSOURCED, OPINION, NEUTRAL, DISPUTED, NOT_REVIEWED)
LABELS = {
    SOURCED: "Sourced",
    UNSOURCED: "Unsourced",
    OPINION: "Opinion",
    NEUTRAL: "Neutral",
    DISPUTED: "Disputed",
    NOT_REVIEWED: "Not reviewed",
}


def reviewer_category(categories):
    """One reviewer's category for a passage from the categories of their flags on it; None if unflagged."""
    present = set(categories)
    return next((category for category in PRECEDENCE if category in present), None)


def consensus(categories):
    """The passage's category from its reviewers' categories (None: reviewer left it unflagged).

    A category chosen by more than half of the reviewers who flagged the passage wins; without
    such a majority the passage is disputed; when nobody flagged it, it is not reviewed.
    """
    given = [category for category in categories if category is not None]
    if not given:
        return NOT_REVIEWED
    category, votes = Counter(given).most_common(1)[0]
    return category if votes * 2 > len(given) else DISPUTED


@dataclass(frozen=True)
class Shares:
    """Characters of text in each category, and the shares they make."""

    chars: dict  # category -> characters, for every one of SHARE_CATEGORIES

    @classmethod
    def of(cls, chars):
        return cls({category: chars.get(category, 0) for category in SHARE_CATEGORIES})

    @property
    def total(self):
        return sum(self.chars.values())

    def share(self, category):
        """The category's fraction of the text; None when there is no text."""
        return self.chars[category] / self.total if self.total else None

    @property
    def sourced_fact_share(self):
        """Sourced / (sourced + unsourced): None when no passage is either."""
        facts = self.chars[SOURCED] + self.chars[UNSOURCED]
        return self.chars[SOURCED] / facts if facts else None

    def rows(self):
        """(category, label, characters, share) for every category, in a fixed order: a legend."""
        return [
            (category, LABELS[category], self.chars[category], self.share(category)) for category in SHARE_CATEGORIES
        ]

    def segments(self):
        """(category, label, share, offset) for each non-empty category, in a fixed order: a stacked bar."""
        offset, segments = 0.0, []
        for category in SHARE_CATEGORIES:
            share = self.share(category)
            if share:
                segments.append(BarSegment(category, LABELS[category], share, offset))
                offset += share
        return segments


@dataclass(frozen=True)
class BarSegment:
    """One category's part of a stacked bar (not a passage: those are ingest.segmenting's)."""

    category: str
    label: str
    share: float
    offset: float


@dataclass
class Score:
    """An article scored from its submitted reviews."""

    consensus: dict  # passage id -> consensus category
    by_review: dict  # review key -> {passage id -> that reviewer's category, or None}
    shares: Shares
    agreement: float | None
    disagreements: set = field(default_factory=set)  # passages whose reviewers gave different categories

    @property
    def reviewers(self):
        return len(self.by_review)


def score(passages, reviews):
    """Score an article: passages as (id, length in characters) in reading order; reviews maps each
    submitted review's key to {passage id: categories of that reviewer's flags on it}.
    """
    by_review = {
        key: {passage_id: reviewer_category(flags.get(passage_id, ())) for passage_id, _ in passages}
        for key, flags in reviews.items()
    }
    categories, chars, units, disagreements = {}, Counter(), [], set()
    for passage_id, length in passages:
        given = [review[passage_id] for review in by_review.values()]
        categories[passage_id] = consensus(given)
        chars[categories[passage_id]] += length
        flagged = [category for category in given if category is not None]
        units.append(flagged)
        if len(set(flagged)) > 1:
            disagreements.add(passage_id)
    return Score(
        consensus=categories,
        by_review=by_review,
        shares=Shares.of(chars),
        agreement=nominal_alpha(units),
        disagreements=disagreements,
    )
