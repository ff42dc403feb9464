from django import template
from django.utils.safestring import mark_safe

from annotations import formatting

from ..briefs import render_brief

register = template.Library()


@register.filter
def brief(text):
    # Safe: render_brief() turns raw HTML into text and nh3 keeps only formatting tags and http(s) links.
    return mark_safe(render_brief(text))


@register.filter
def alpha_or_reason(alpha):
    """An Alpha as text: its value, or why there is none ("too few", "undefined")."""
    return formatting.alpha(alpha.value) if alpha.value is not None else alpha.missing
