"""Routing by url_path: the pages a URL names are read in one indexed query, whatever its depth (issue 17 §2).

Wagtail's Page.route reads each segment's child and then its specific page: two queries per URL segment. A page's
url_path is its parent's plus its slug, so the pages a URL can reach are those whose url_path is one of the URL's
prefixes. They are read together and walked segment by segment as Page.route and RoutablePageMixin.route walk
them: a routable page answers its own sub-routes first, a page with any other route of its own decides the rest of
the URL itself, drafts along the way are passed through and only a live page is served.
"""

import copy

from django.http import Http404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from . import listing_cache


def _as_path(components):
    return "".join(f"{component}/" for component in components)


def route_by_url_path(root, request, path_components):
    """What Page.route(root, request, path_components) returns, from the listing cache when the URL names a page
    served as itself (the usual case; any publication, move or unpublication renews it), else from the tree."""
    if not listing_cache.enabled():
        return _route(root, request, path_components)
    result = listing_cache.cached(
        "route",
        lambda: _route(root, request, path_components),
        root.pk,
        *path_components,
        keep=lambda result: _served_as_itself(root, result, path_components),
    )
    if result.args or result.kwargs:
        return result
    return RouteResult(_with_kept_view_restrictions(result.page))


def _with_kept_view_restrictions(page):
    """A copy of the page whose view restrictions, which Wagtail's before_serve_page check reads (two queries), come
    from the listing cache: any write to a restriction or its groups renews them. Only the served copy answers them
    so; the page itself (the site's root page, say) and the admin's pages keep Wagtail's queryset."""
    restrictions = listing_cache.cached(
        "view-restrictions", lambda: list(type(page).get_view_restrictions(page)), page.pk
    )
    served = copy.copy(page)
    served.get_view_restrictions = _Answer(restrictions)
    return served


class _Answer:
    """A method's stand-in that answers what it was given (picklable, unlike a lambda, should the page be kept)."""

    def __init__(self, value):
        self.value = value

    def __call__(self):
        return self.value


def _served_as_itself(root, result, path_components):
    """Whether the route found the page the URL names with no page on the way routing it (a sub-route, a route of
    its own): then it is the same for every request until pages change."""
    page = result.page
    if result.args or result.kwargs or page.url_path != root.url_path + _as_path(path_components):
        return False
    walked = page
    while walked is not root:
        if (walked.specific_class or Page).route not in (Page.route, RoutablePageMixin.route):
            return False
        walked = walked._cached_parent_obj
    return True


def _route(root, request, path_components):
    """What Page.route(root, request, path_components) returns, from one read of the tree."""
    prefixes = [root.url_path + _as_path(path_components[:n]) for n in range(1, len(path_components) + 1)]
    pages = {page.url_path: page for page in Page.objects.descendant_of(root).filter(url_path__in=prefixes)}
    page, depth = root, 0
    while True:
        remaining = path_components[depth:]
        if page is not root:
            model = page.specific_class or Page
            if issubclass(model, RoutablePageMixin) and model.route is RoutablePageMixin.route:
                if page.live:
                    try:
                        match = page.specific.resolve_subpage("/" + _as_path(remaining))
                    except Http404:
                        pass  # not a sub-route: the URL goes on to a child, as RoutablePageMixin.route does
                    else:
                        request.routable_resolver_match = match
                        view, args, kwargs = match
                        return RouteResult(page.specific, args=(view, args, kwargs))
            elif model.route is not Page.route:
                return page.specific.route(request, remaining)
        if not remaining:
            if page.live:
                return RouteResult(page.specific)
            raise Http404
        child = pages.get(prefixes[depth])
        if child is None:
            raise Http404
        # As Page.route does: the child's get_parent() is answered without a query.
        child._cached_parent_obj = page
        page, depth = child, depth + 1
