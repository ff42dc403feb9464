"""Template filters for scores: thin wrappers of annotations.formatting, plus the SVG chart's geometry."""
from django import template

from annotations import formatting

register = template.Library()
register.filter("percent", formatting.percent)
register.filter("alpha", formatting.alpha)
register.filter("category_label", formatting.category_label)
register.filter("interval", formatting.interval)
register.filter("alpha_interval", formatting.alpha_interval)
register.filter("reliable", formatting.reliable)


@register.filter
def svg_percent(value):
    """A fraction as an SVG length: 0.25 -> "25.000%"."""
    return f"{(value or 0) * 100:.3f}%"


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
