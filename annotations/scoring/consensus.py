"""How flags become categories, consensus, shares, coverage and bounds: docs/methodology.md's rules
(method version 2). The categories here are the one vocabulary: Flag.Category is built from FLAG_CATEGORIES.
"""
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from . import agreement, uncertainty

# Stored with every summary: which rules computed it (docs/methodology.md's version).
METHOD_VERSION = 2

SOURCED, UNSOURCED, OPINION, NEUTRAL = "sourced", "unsourced", "opinion", "neutral"
DISPUTED, NOT_REVIEWED = "disputed", "not_reviewed"

# What a flag can count as (the flag set is data: admins give each flag one of these).
FLAG_CATEGORIES = (SOURCED, UNSOURCED, OPINION, NEUTRAL)
_CODE = {category: code for code, category in enumerate(FLAG_CATEGORIES)}  # columns of the counts matrix

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

# Below this fact coverage the headline is marked "few claims of fact".
FEW_FACTS = 0.10


def reviewer_category(categories):
    """One submitted reviewer's category for a passage from the categories of their flags on it.

    Unflagged is a judgement too: the reviewer read the passage and found nothing that needs a source.
    """
    present = set(categories)
    return next((category for category in PRECEDENCE if category in present), NEUTRAL)


def consensus(categories):
    """The passage's category from every submitted reviewer's category: the one chosen by more than
    half of them, else disputed; not reviewed when there is no submitted review.
    """
    if not categories:
        return NOT_REVIEWED
    category, votes = Counter(categories).most_common(1)[0]
    return category if votes * 2 > len(categories) else DISPUTED


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
    """An article scored from its submitted reviews (method version 2)."""

    consensus: dict  # passage id -> consensus category
    by_review: dict  # review key -> {passage id -> that reviewer's category}
    shares: Shares
    agreement: agreement.Alpha  # four categories
    alpha_fact: agreement.Alpha  # claim of fact or not
    alpha_sourcing: agreement.Alpha  # sourced or unsourced, where two reviewers chose one
    fact_coverage: float | None  # characters most reviewers took for a claim of fact / all characters
    bounds: tuple | None  # (low, high) of the headline over the disputed passages; None when they agree
    minority_unsourced: list  # passages whose consensus is not unsourced though a reviewer chose unsourced
    disagreements: set = field(default_factory=set)  # passages whose reviewers gave different categories
    sourcing_totals: agreement.Totals | None = None  # what the sourcing alpha pools over an outlet's articles
    intervals: uncertainty.Intervals | None = None  # the bootstrap's; None unless score() was given a seed

    @property
    def reviewers(self):
        return len(self.by_review)

    @property
    def few_facts(self):
        """Whether the headline rests on too little of the text to read much into it."""
        return self.fact_coverage is not None and self.fact_coverage < FEW_FACTS

    @property
    def alpha_reliable(self):
        """Whether the agreement's interval starts at 0.667 or more; None without an interval."""
        return uncertainty.reliable(self.intervals.agreement if self.intervals else None)


def score(passages, reviews, seed=None, rulings=None):
    """Score an article: passages as (id, length in characters) in reading order; reviews maps each
    submitted review's key to {passage id: categories of that reviewer's flags on it}.

    With a seed (the article's id), also the bootstrap intervals: about a millisecond for 60 passages.
    With rulings ({passage id: category}), the figures after rulings: each disputed passage that has a
    ruling counts as its ruled category; the alphas stay the reviewers'.
    """
    rulings = rulings or {}
    by_review = {
        key: {passage_id: reviewer_category(flags.get(passage_id, ())) for passage_id, _ in passages}
        for key, flags in reviews.items()
    }
    lengths = np.array([length for _, length in passages], dtype=np.int64)
    counts = np.zeros((len(passages), len(FLAG_CATEGORIES)), dtype=np.int64)  # passage x category -> reviewers
    categories, chars, disagreements, minority = {}, Counter(), set(), []
    for row, (passage_id, length) in enumerate(passages):
        given = [review[passage_id] for review in by_review.values()]
        for category in given:
            counts[row, _CODE[category]] += 1
        categories[passage_id] = consensus(given)
        if categories[passage_id] == DISPUTED and passage_id in rulings:
            categories[passage_id] = rulings[passage_id]
        chars[categories[passage_id]] += length
        if len(set(given)) > 1:
            disagreements.add(passage_id)
        if UNSOURCED in given and categories[passage_id] != UNSOURCED:
            minority.append(passage_id)
    shares = Shares.of(chars)
    units = agreement.Units(counts, len(by_review))
    result = Score(
        consensus=categories,
        by_review=by_review,
        shares=shares,
        agreement=units.alpha(),
        alpha_fact=units.fact().alpha(),
        alpha_sourcing=units.sourcing().alpha(),
        sourcing_totals=units.sourcing().totals(),
        fact_coverage=_fact_coverage(counts, lengths, len(by_review)),
        bounds=_bounds(shares, counts, lengths, [categories[passage_id] for passage_id, _ in passages]),
        minority_unsourced=minority,
        disagreements=disagreements,
    )
    if seed is not None:
        consensus_of = np.array([categories[passage_id] for passage_id, _ in passages], dtype=object)
        sourced, unsourced = (np.where(consensus_of == category, lengths, 0) for category in (SOURCED, UNSOURCED))
        result.intervals = uncertainty.intervals(result, units, sourced, unsourced, seed)
    return result


def _fact_coverage(counts, lengths, reviewers):
    total = int(lengths.sum())
    if not reviewers or not total:
        return None
    facts = (counts[:, _CODE[SOURCED]] + counts[:, _CODE[UNSOURCED]]) * 2 > reviewers
    return int(lengths[facts].sum()) / total


def _bounds(shares, counts, lengths, consensus_of):
    """(low, high): each disputed passage as unsourced if anyone chose unsourced (low), as sourced if
    anyone chose sourced (high), else left out of the facts; None when both equal the headline.
    """
    headline = shares.sourced_fact_share
    if headline is None:
        return None
    disputed = np.array([category == DISPUTED for category in consensus_of], dtype=bool)
    any_unsourced = int(lengths[disputed & (counts[:, _CODE[UNSOURCED]] > 0)].sum()) if len(lengths) else 0
    any_sourced = int(lengths[disputed & (counts[:, _CODE[SOURCED]] > 0)].sum()) if len(lengths) else 0
    sourced, facts = shares.chars[SOURCED], shares.chars[SOURCED] + shares.chars[UNSOURCED]
    low, high = sourced / (facts + any_unsourced), (sourced + any_sourced) / (facts + any_sourced)
    return None if low == high == headline else (low, high)
