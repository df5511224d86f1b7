from django import template
from django.utils.safestring import mark_safe
from wagtail.templatetags.wagtailcore_tags import richtext

from ..sanitize import clean_html

register = template.Library()


@register.filter
def safe_richtext(value):
    """Wagtail's richtext expansion followed by a whitelist clean of the result."""
    return mark_safe(clean_html(str(richtext(value))))  # noqa: S308 - cleaned by bleach just above
