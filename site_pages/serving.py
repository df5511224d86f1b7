"""Wagtail's page-serving URLs, with the request's site and portal settings taken from the listing cache.

Wagtail finds the site of every request (a query on the site table, then the root page and its specific page),
reads the sites' root paths from the default cache for the page URLs, and its settings context processor reads
PortalSettings (another query) on every page. All of them change only through a write that renews the listing
cache (site_pages.listing_cache), so on a page-cache miss they are read from it and left on the request where
Wagtail looks first (Site.find_for_request, Page._get_site_root_paths, BaseSiteSetting.for_request). With the
listing cache off this is Wagtail's own serve.
"""

from django.http.request import split_domain_port
from django.urls import re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.models import Site

from . import listing_cache


def _site_and_root(request):
    site = Site.find_for_request(request)
    if site is not None:
        site.root_page.specific  # noqa: B018 - kept with the site: route_for_request starts from it
    return site


def _portal_settings(site):
    from .models import PortalSettings

    return PortalSettings.for_site(site)


def prime(request):
    """Leaves the site and its PortalSettings on the request as Wagtail's lookups would (from the listing cache)."""
    from .models import PortalSettings

    hostname, port = split_domain_port(request._get_raw_host())[0], request.get_port()
    site = listing_cache.cached("site", lambda: _site_and_root(request), hostname, port)
    request._wagtail_site = site
    # Where Page.get_url(request) looks before asking the default cache (Wagtail renews both on the same writes).
    request._wagtail_cached_site_root_paths = listing_cache.cached("site-root-paths", Site.get_site_root_paths)
    if site is not None:
        portal = listing_cache.cached("portal-settings", lambda: _portal_settings(site), site.pk)
        portal._request = request  # as for_request leaves it
        setattr(request, PortalSettings.get_cache_attr_name(), portal)


def serve(request, path):
    if listing_cache.enabled():
        prime(request)
    return wagtail_views.serve(request, path)


urlpatterns = [
    *(pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, serve, name="wagtail_serve"),
]
