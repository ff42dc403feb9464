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


def interval(value, show=percent):
    """(0.52, 0.71) -> "[52.0%, 71.0%]"; None -> "—". `show` formats each end."""
    return UNDEFINED if value is None else f"[{show(value[0])}, {show(value[1])}]"


def alpha_interval(value):
    """An alpha's interval to two places: "[0.41, 0.77]"; None -> "—"."""
    return interval(value, alpha)


def reliable(value):
    """Whether agreement is reliable (its interval starts at 0.667 or more): "yes", "no", or "—" when too few."""
    return UNDEFINED if value is None else ("yes" if value else "no")


def category_label(category):
    """A consensus or reviewer category's name; a reviewer's None is "Unflagged"."""
    return scoring.LABELS[category] if category else "Unflagged"
