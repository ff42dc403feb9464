"""Percentile bootstrap intervals: how far a figure could move had other sentences (or articles) been drawn.

Resampling is one matrix: `weights` (resamples x units) counts how often each unit was drawn, so every
figure of a resample is a matrix product with the per-unit statistics, and a thousand resamples of a
60-passage article cost about a millisecond.
"""
from dataclasses import dataclass

import numpy as np

from .agreement import alpha_of_totals

RESAMPLES = 1000
LEVEL = 0.95
# Krippendorff's lowest threshold for tentative conclusions: agreement is "reliable" when the
# interval's lower end reaches it.
RELIABLE = 0.667


@dataclass(frozen=True)
class Intervals:
    """95% intervals, each (low, high) or None where the figure itself is undefined or too few."""

    sourced_fact_share: tuple | None
    agreement: tuple | None
    alpha_fact: tuple | None
    alpha_sourcing: tuple | None


def weights(units, seed, resamples=RESAMPLES):
    """resamples x units: how often each unit is drawn in each resample (units drawn with replacement).

    The same seed gives the same resamples on any machine (numpy's PCG64 Generator).
    """
    rng = np.random.default_rng(seed)
    if not units:
        return np.zeros((resamples, 0))
    drawn = rng.integers(0, units, size=(resamples, units))
    drawn += (np.arange(resamples) * units)[:, None]  # each resample's draws counted in a row of its own
    return np.bincount(drawn.ravel(), minlength=resamples * units).reshape(resamples, units).astype(float)


def interval(values):
    """The central 95% of the resamples' values, leaving out resamples where the figure is undefined."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if not len(values):
        return None
    tail = (1 - LEVEL) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


def ratio(numerator, denominator):
    """numerator / denominator per resample; NaN where the denominator is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, numerator / denominator, np.nan)


def reliable(agreement_interval):
    """True when the interval's lower end is at least RELIABLE, False below, None without an interval."""
    return None if agreement_interval is None else agreement_interval[0] >= RELIABLE


def intervals(score, units, sourced, unsourced, seed):
    """The article's intervals, resampling its passages: `units` is its agreement.Units (4 categories),
    `sourced` and `unsourced` each passage's characters where that is its consensus (else 0).
    """
    drawn = weights(len(sourced), seed)

    def alpha(point, of_units):
        return None if point.value is None else interval(of_units.resampled(drawn))

    share = None
    if score.shares.sourced_fact_share is not None:
        share = interval(ratio(drawn @ sourced, drawn @ (sourced + unsourced)))
    return Intervals(
        sourced_fact_share=share,
        agreement=alpha(score.agreement, units),
        alpha_fact=alpha(score.alpha_fact, units.fact()),
        alpha_sourcing=alpha(score.alpha_sourcing, units.sourcing()),
    )


def pooled_share_interval(sourced, unsourced, seed):
    """An outlet's or author's sourced-fact share interval, resampling its articles' characters."""
    sourced, unsourced = np.asarray(sourced, dtype=float), np.asarray(unsourced, dtype=float)
    if not (sourced + unsourced).sum():
        return None
    drawn = weights(len(sourced), seed)
    return interval(ratio(drawn @ sourced, drawn @ (sourced + unsourced)))


def pooled_alpha_interval(values, disagreement, seed):
    """A pooled alpha's interval, resampling articles: values is articles x values (each article's counts
    in its pairable units), disagreement each article's sum of D_u / (m_u - 1).
    """
    values, disagreement = np.asarray(values, dtype=float), np.asarray(disagreement, dtype=float)
    drawn = weights(len(disagreement), seed)
    return interval(alpha_of_totals(drawn @ values, drawn @ disagreement))
