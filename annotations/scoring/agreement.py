"""Krippendorff's alpha for nominal data: how far reviewers agree beyond what chance would give.

nominal_alpha() is the textbook computation on lists of values, in exact arithmetic; Units holds an
article's passages x categories counts once, so that the point estimate, the binary alphas and the
bootstrap's thousand resamples are all a few numpy operations on the same matrix.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

# An alpha over fewer units (passages that two reviewers judged) or fewer reviewers is "too few".
MIN_UNITS = 10
MIN_REVIEWERS = 2
TOO_FEW, UNDEFINED = "too few", "undefined"


def nominal_alpha(units):
    """Krippendorff's alpha (nominal) over units, each an iterable of the values its coders gave.

    Units with fewer than two values cannot be paired and are left out. None when alpha is
    undefined: no unit has two values, or every value is the same (no variation to agree on).
    """
    # Exact arithmetic, so the result does not depend on the order the values arrive in.
    disagreeing_pairs_by_size = defaultdict(int)  # unit size m -> ordered pairs of unequal values
    value_counts = Counter()  # n_c: how often each value occurs in pairable units
    for unit in units:
        counts = Counter(unit)
        size = counts.total()
        if size < 2:
            continue
        value_counts.update(counts)
        disagreeing_pairs_by_size[size] += size * size - sum(n * n for n in counts.values())
    n = value_counts.total()
    expected = n * n - sum(count * count for count in value_counts.values())  # n(n-1) * D_e
    if n < 2 or expected == 0:
        return None
    observed = sum(Fraction(pairs, size - 1) for size, pairs in disagreeing_pairs_by_size.items())  # n * D_o
    return float(1 - (n - 1) * observed / expected)


def alpha_of_totals(values, disagreement):
    """Alpha from pooled statistics: `values` the count of each value in pairable units (last axis),
    `disagreement` the sum over units of D_u / (m_u - 1). Arrays give one alpha each; NaN where undefined.
    """
    values = np.asarray(values, dtype=float)
    n = values.sum(axis=-1)
    expected = n * n - (values * values).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((expected > 0) & (n >= 2), 1 - (n - 1) * np.asarray(disagreement) / expected, np.nan)


@dataclass(frozen=True)
class Alpha:
    """An alpha, or why there is none: TOO_FEW (too few passages or reviewers) or UNDEFINED (no variation)."""

    value: float | None
    missing: str | None = None  # TOO_FEW, UNDEFINED, or None when there is a value


@dataclass(frozen=True)
class Totals:
    """Two-valued units summed: enough to pool an alpha over articles (alpha_of_totals)."""

    units: int
    sourced: int  # the first value's count (for the sourcing alpha: sourced)
    unsourced: int  # the second's
    disagreement: float


class Units:
    """Passages x values counts (how many reviewers gave each value to each passage), for alpha.

    With the four categories the columns are consensus.FLAG_CATEGORIES': sourced, unsourced, opinion, neutral.
    """

    def __init__(self, counts, reviewers):
        counts = np.asarray(counts, dtype=np.int64)
        sizes = counts.sum(axis=1)
        self.reviewers = reviewers
        self.pairable = sizes >= 2
        self.counts = counts * self.pairable[:, None]  # a passage with one value has nobody to pair with
        with np.errstate(divide="ignore", invalid="ignore"):
            pairs = sizes * sizes - (counts * counts).sum(axis=1)  # ordered pairs of unequal values
            self.disagreement = np.where(self.pairable, pairs / np.maximum(sizes - 1, 1), 0.0)

    @property
    def units(self):
        return int(self.pairable.sum())

    @property
    def too_few(self):
        return self.reviewers < MIN_REVIEWERS or self.units < MIN_UNITS

    def alpha(self):
        if self.too_few:
            return Alpha(None, TOO_FEW)
        value = float(alpha_of_totals(self.counts.sum(axis=0), self.disagreement.sum()))
        return Alpha(None, UNDEFINED) if np.isnan(value) else Alpha(value)

    def resampled(self, weights):
        """Alpha in each resample: weights is resamples x passages, how often each passage was drawn."""
        return alpha_of_totals(weights @ self.counts, weights @ self.disagreement)

    def totals(self):
        """This two-valued set of units summed (for pooling its alpha)."""
        first, second = (int(total) for total in self.counts.sum(axis=0))
        return Totals(self.units, first, second, float(self.disagreement.sum()))

    def fact(self):
        """Claim of fact (sourced or unsourced) against the rest (opinion or neutral)."""
        facts = self.counts[:, 0] + self.counts[:, 1]
        return Units(np.stack([facts, self.counts[:, 2] + self.counts[:, 3]], axis=1), self.reviewers)

    def sourcing(self):
        """Sourced against unsourced, over the passages where at least two reviewers chose one of them."""
        return Units(self.counts[:, :2], self.reviewers)
