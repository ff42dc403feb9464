"""Scoring, ORM-free: plain data in, plain data out (the database side is annotations/summaries.py).

consensus.py turns flags into categories, a consensus, shares, coverage and bounds; agreement.py
measures how far reviewers agree (Krippendorff's alpha); uncertainty.py gives the bootstrap intervals.
The names below are the package's whole surface.
"""
from .agreement import MIN_UNITS, TOO_FEW, UNDEFINED, Alpha, Totals, Units, alpha_of_totals, nominal_alpha
from .consensus import (
    DISPUTED,
    FEW_FACTS,
    FLAG_CATEGORIES,
    LABELS,
    METHOD_VERSION,
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
from .uncertainty import RELIABLE, RESAMPLES, Intervals, pooled_alpha_interval, pooled_share_interval, reliable

__all__ = [
    "DISPUTED", "FEW_FACTS", "FLAG_CATEGORIES", "LABELS", "METHOD_VERSION", "MIN_UNITS", "NEUTRAL", "NOT_REVIEWED",
    "OPINION", "PRECEDENCE", "RELIABLE", "RESAMPLES", "SHARE_CATEGORIES", "SOURCED", "TOO_FEW", "UNDEFINED",
    "UNSOURCED", "Alpha", "BarSegment", "Intervals", "Score", "Shares", "Totals", "Units", "alpha_of_totals",
    "consensus", "nominal_alpha", "pooled_alpha_interval", "pooled_share_interval", "reliable", "reviewer_category",
    "score",
]
