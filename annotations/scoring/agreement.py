"""Krippendorff's alpha for nominal data: how far reviewers agree beyond what chance would give."""
from collections import Counter, defaultdict
from fractions import Fraction


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
