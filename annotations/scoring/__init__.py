"""Scoring, ORM-free: plain data in, plain data out (the database side is annotations/summaries.py).

consensus.py turns flags into categories, a consensus and shares; agreement.py measures how far
reviewers agree (Krippendorff's alpha). The names below are the package's whole surface.
"""
from .agreement import nominal_alpha
from .consensus import (
    DISPUTED,
    FLAG_CATEGORIES,
    LABELS,
    NEUTRAL,
    NOT_REVIEWED,
    OPINION,
    PRECEDENCE,
    SHARE_CATEGORIES,
    SOURCED,
    UNSOURCED,
    BarSegment,
    Score,
    Shares,
    consensus,
    reviewer_category,
    score,
)

__all__ = [
    "DISPUTED", "FLAG_CATEGORIES", "LABELS", "NEUTRAL", "NOT_REVIEWED", "OPINION", "PRECEDENCE",
    "SHARE_CATEGORIES", "SOURCED", "UNSOURCED", "BarSegment", "Score", "Shares", "consensus",
    "nominal_alpha", "reviewer_category", "score",
]
