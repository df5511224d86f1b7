from django import template
from django.db.models import Q
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from wagtail.models import Page, Site
from wagtail.templatetags.wagtailcore_tags import richtext

from .. import listing_cache
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
    """The live, public content next to `page` in its column's listing (newest first): 上一篇 is the newer one.

    Kept in the listing cache: a publication, move or unpublication anywhere renews it, and otherwise every
    article would read its parent, the view restrictions and its two neighbours on each page-cache miss."""
    if page.first_published_at is None:
        return {"newer": None, "older": None}
    return listing_cache.cached("neighbours", lambda: _neighbours(page), page.pk)


def _neighbours(page):
    from ..keyset import of_types
    from ..models.columns import content_models

    parent = page.get_parent()
    if parent is None:
        return {"newer": None, "older": None}
    published, pk = page.first_published_at, page.pk
    # Titles and URLs only: not the 文号 that public_content() adds for the listings.
    siblings = of_types(Page.objects.live().public(), *content_models()).child_of(parent)
    newer = siblings.filter(Q(first_published_at__gt=published) | Q(first_published_at=published, pk__gt=pk))
    older = siblings.filter(Q(first_published_at__lt=published) | Q(first_published_at=published, pk__lt=pk))
    return {
        "newer": newer.order_by("first_published_at", "pk").first(),
        "older": older.order_by("-first_published_at", "-pk").first(),
    }


@register.tag
def listing_fragment(parser, token):
    """{% listing_fragment "name" part ... %}...{% endlisting_fragment %}: the enclosed HTML, kept in the listing cache.

    For HTML that depends only on published content, the request's site (its links) and the parts named, never on
    the visitor: the home page's sections are the same for everyone until pages change."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a name")
    nodelist = parser.parse(("endlisting_fragment",))
    parser.delete_first_token()
    return ListingFragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])


class ListingFragmentNode(template.Node):
    def __init__(self, nodelist, parts):
        self.nodelist, self.parts = nodelist, parts

    def render(self, context):
        request = context.get("request")
        if getattr(request, "is_preview", False):  # a draft shares the page's id with its live version
            return self.nodelist.render(context)
        site = Site.find_for_request(request)
        parts = [part.resolve(context) for part in self.parts]
        return listing_cache.cached(
            "fragment", lambda: self.nodelist.render(context), getattr(site, "pk", None), *parts
        )
