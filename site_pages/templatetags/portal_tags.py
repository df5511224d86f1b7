from django import template
from django.db.models import Q
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


@register.simple_tag
def column_neighbours(page):
    """The live, public content next to `page` in its column's listing (newest first): 上一篇 is the newer one."""
    from ..models.columns import public_content

    parent = page.get_parent()
    if parent is None or page.first_published_at is None:
        return {"newer": None, "older": None}
    published, pk = page.first_published_at, page.pk
    siblings = public_content().child_of(parent)
    newer = siblings.filter(Q(first_published_at__gt=published) | Q(first_published_at=published, pk__gt=pk))
    older = siblings.filter(Q(first_published_at__lt=published) | Q(first_published_at=published, pk__lt=pk))
    return {
        "newer": newer.order_by("first_published_at", "pk").first(),
        "older": older.order_by("-first_published_at", "-pk").first(),
    }
