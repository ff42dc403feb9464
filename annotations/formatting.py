"""How scores read as text, for pages and exports alike: shares as percentages, agreement as alpha,
"—" wherever a score is undefined. Plain functions; the template filters in templatetags/scores.py wrap them.
"""
from . import scoring

UNDEFINED = "—"


def percent(value, digits=1):
    """0.4213 -> "42.1%"; None -> "—"."""
    return UNDEFINED if value is None else f"{value * 100:.{digits}f}%"


def alpha(value):
    """Krippendorff's alpha to two places; None -> "—"."""
    return UNDEFINED if value is None else f"{value:.2f}"


def category_label(category):
    """A consensus or reviewer category's name; a reviewer's None is "Unflagged"."""
    return scoring.LABELS[category] if category else "Unflagged"
