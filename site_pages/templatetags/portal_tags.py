from django import template
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from wagtail.templatetags.wagtailcore_tags import richtext

from ..sanitize import clean_html

register = template.Library()


@register.filter
def safe_richtext(value):
    """Wagtail's richtext expansion followed by a whitelist clean of the result."""
    return mark_safe(clean_html(str(richtext(value))))  # noqa: S308 - cleaned by bleach just above


@register.filter
def html_datetime(value):
    """A moment as HTML's valid global date and time string: whole seconds and the offset ("+08:00").

    The 'c' date format writes microseconds, which the datetime attribute does not accept."""
    if not value:
        return ""
    return localtime(value).replace(microsecond=0).isoformat()
