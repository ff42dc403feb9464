"""Formatting for scores: shares as percentages, agreement as alpha, "—" where a score is undefined."""
from django import template

from annotations import scoring
from annotations.models import ArticleSummary

register = template.Library()


@register.filter
def percent(value, digits=1):
    """0.4213 -> "42.1%"; None -> "—"."""
    return "—" if value is None else f"{value * 100:.{digits}f}%"


@register.filter
def svg_percent(value):
    """A fraction as an SVG length: 0.25 -> "25.000%"."""
    return f"{(value or 0) * 100:.3f}%"


@register.filter
def alpha(value):
    return "—" if value is None else f"{value:.2f}"


@register.filter
def summary_status(value):
    """An article's stored status ("reviewed") as its label ("Reviewed")."""
    return ArticleSummary.Status(value).label


@register.filter
def category_label(category):
    """A consensus or reviewer category's name; a reviewer's None is "Unflagged"."""
    return scoring.LABELS[category] if category else "Unflagged"


# The distribution chart: bars stand on a baseline at y=128px and are at most 110px tall.
_BASELINE, _TALLEST = 128, 110


@register.filter
def svg_bar_height(height):
    return f"{height * _TALLEST:.1f}"


@register.filter
def svg_bar_top(height):
    return f"{_BASELINE - height * _TALLEST:.1f}"


@register.filter
def svg_label_top(height):
    return f"{_BASELINE - height * _TALLEST - 4:.1f}"
