from django.conf import settings
from django.utils.functional import SimpleLazyObject


def _top_navigation(request):
    from wagtail.models import Site

    from . import listing_cache
    from .models import ColumnPage
    from .models.columns import with_live_content

    site = Site.find_for_request(request)
    if site is None:
        return []

    def read():
        columns = ColumnPage.objects.child_of(site.root_page).live().in_menu()
        return list(with_live_content(columns).order_by("path").only("id", "title", "url_path", "path", "depth"))

    # Every page shares it: read once per version of the listings (any page change replaces it).
    return listing_cache.cached("navigation", read, site.pk)


def portal(request):
    """Lazy: the admin shares these context processors and must not pay for the public navigation."""
    return {
        "portal_nav": SimpleLazyObject(lambda: _top_navigation(request)),
        "large_text": request.COOKIES.get("large_text") == "1",
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
