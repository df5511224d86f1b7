"""Routing by url_path (site_pages/routing.py) answers every URL exactly as Wagtail's segment-by-segment routing,
computed or taken from the listing cache."""

from django.http import Http404
from django.test import RequestFactory
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site

from site_pages import listing_cache
from site_pages.models import ArticlePage
from tests.factories import make_column, make_content

# Every sub-route of the routable pages (letters, surveys, interviews, new media, bulletins, annual reports),
# with and without arguments, and one that no page has.
SUFFIXES = [
    "",
    "write/",
    "query/",
    "statistics/",
    "1/",
    "ask/",
    "ask/done/",
    "answer/",
    "results/",
    "qr/1/",
    "report/",
    "report/done/",
    "xlsx/",
    "pdf/",
    "no-such-page/",
]


def outcome(route, root, path):
    """(page, its class, the sub-route's view name and arguments), or 404."""
    request = RequestFactory().get(path)
    try:
        page, args, kwargs = route(root, request, [part for part in path.split("/") if part])
    except Http404:
        return "404"
    return page.pk, type(page), tuple(getattr(arg, "__name__", arg) for arg in args), kwargs


def site_paths(root):
    """Every page's path below the root, drafts included, followed by each suffix."""
    paths = []
    for page in Page.objects.descendant_of(root, inclusive=True):
        base = page.url_path[len(root.url_path) - 1 :]
        routable = issubclass(page.specific_class, RoutablePageMixin)
        paths += [base + suffix for suffix in (SUFFIXES if routable else ["", "no-such-page/"])]
    return paths


def assert_routes_like_wagtail(root, settings):
    """Wagtail's answer for every path, read once (it costs two queries per segment), against the portal's
    computed, then from the listing cache: the first walk fills the cache and the second reads it."""
    paths = site_paths(root)
    wagtails = {path: outcome(Page.route, root, path) for path in paths}
    for cached in (False, True):
        settings.LISTING_CACHE_ENABLED = cached
        listing_cache.bump()  # nothing cached by an earlier, rolled-back test is read
        for _walk in range(1 + cached):
            differences = [
                (path, mine, wagtails[path])
                for path in paths
                if (mine := outcome(type(root).route, root, path)) != wagtails[path]
            ]
            assert not differences, (f"listing cache {cached}", differences[:10])


def site_root():
    return Site.objects.get(is_default_site=True).root_page.specific


def test_every_demo_url_routes_as_wagtail_would(demo_county, settings):
    assert_routes_like_wagtail(site_root(), settings)


def test_drafts_restrictions_and_missing_pages(demo_county, client, settings):
    root = site_root()
    column = Page.objects.get(url_path=root.url_path + "zjay/").specific
    draft_column = make_column(column, "草稿栏目", column.owning_unit, slug="draft-column")
    draft_column.unpublish()
    live_below_draft = make_content(draft_column, ArticlePage, title="草稿栏目下的信息", slug="below-draft")
    make_content(column, ArticlePage, title="未发布的信息", slug="never-published", publish=False)
    restricted = make_content(column, ArticlePage, title="受限信息", slug="restricted")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    assert_routes_like_wagtail(root, settings)

    for cached in (False, True):
        settings.LISTING_CACHE_ENABLED = cached
        # Wagtail serves a live page below a draft; a draft, a missing page and a missing parent are not found.
        assert client.get(live_below_draft.url).status_code == 200
        assert client.get("/zjay/draft-column/").status_code == 404
        assert client.get("/zjay/never-published/").status_code == 404
        assert client.get("/zjay/no-such-page/").status_code == 404
        assert client.get("/no-such-column/county-profile/").status_code == 404
        # The view restriction still applies to the page found by its url_path.
        assert client.get("/zjay/restricted/").status_code == 302
        # Without the trailing slash the URL is redirected to the page's own.
        response = client.get("/zjay/county-profile")
        assert response.status_code == 301 and response["Location"] == "/zjay/county-profile/"
