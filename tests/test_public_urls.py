"""The public URLconf (cms.public_urls): the full one without the admin's URLs, for anonymous visitors.

An anonymous request outside /admin/ is routed, and its links reversed, by it, so that a worker's first answer does
not load the admin's forty modules (issue 17, cold start). It must never reach more than the full URLconf, and
must reach everything of it but the admin.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from cms import public_urls
from cms.security import login as security_login

pytestmark = pytest.mark.one_database


def routes(patterns, prefix=""):
    """(route, name, view) of every endpoint below these patterns, in resolving order."""
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += routes(pattern.url_patterns, route)
        else:
            assert isinstance(pattern, URLPattern)
            found.append((route, pattern.name, pattern.lookup_str))
    return found


def test_the_public_urlconf_is_the_full_one_without_the_admin():
    full = routes(get_resolver("cms.urls").url_patterns)
    public = routes(get_resolver("cms.public_urls").url_patterns)
    # Same endpoints in the same order: a public route resolves to the same view either way.
    assert [route for route in full if route in public] == public
    left_out = [route for route in full if route not in public]
    assert left_out, "the admin's routes are in the full URLconf"
    assert [route for route, _name, _view in left_out if not route.startswith("admin/")] == []
    # Under admin/ the public one holds only the login steps (with lockout and two-factor), not Wagtail's own.
    admin_views = {view for route, _name, view in public if route.startswith("admin/")}
    assert admin_views and all(view.startswith(security_login.__name__ + ".") for view in admin_views)


def test_the_full_urlconf_keeps_the_portals_login_before_wagtails():
    assert resolve("/admin/login/", urlconf="cms.urls").func.view_class is security_login.LoginView


def _urlconf_for(path, user, method="get"):
    request = getattr(RequestFactory(), method)(path)
    request.user = user
    seen = {}

    def view(request):
        seen["urlconf"] = getattr(request, "urlconf", None)

    public_urls.PublicUrlconfMiddleware(view)(request)
    return seen["urlconf"]


@pytest.mark.parametrize("path", ["/", "/xwzx/", "/search/", "/documents/1/a.pdf", "/admin", "/administration/"])
def test_an_anonymous_request_outside_the_admin_is_routed_by_the_public_urlconf(path):
    assert _urlconf_for(path, AnonymousUser()) == "cms.public_urls"


def test_an_anonymous_head_request_is_routed_by_the_public_urlconf():
    assert _urlconf_for("/xwzx/", AnonymousUser(), "head") == "cms.public_urls"


@pytest.mark.parametrize("path", ["/admin/", "/admin/login/", "/admin/pages/3/edit/"])
def test_the_admin_is_routed_by_the_full_urlconf(path):
    assert _urlconf_for(path, AnonymousUser()) is None


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_a_form_a_visitor_sends_is_routed_by_the_full_urlconf(method):
    """A letter, a report or a request tells the offices by links into the admin (reversed on commit)."""
    assert _urlconf_for("/hdjl/xzxx/", AnonymousUser(), method) is None


@pytest.mark.django_db
def test_a_signed_in_user_is_routed_by_the_full_urlconf_everywhere(django_user_model):
    user = django_user_model.objects.create_user("reader", password="x" * 16)
    for path in ("/", "/search/", "/admin/"):
        assert _urlconf_for(path, user) is None


def test_the_middleware_runs_once_the_user_is_known():
    from django.conf import settings

    middleware = settings.MIDDLEWARE
    assert middleware.index("cms.public_urls.PublicUrlconfMiddleware") > middleware.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )


@pytest.mark.django_db
def test_an_anonymous_page_view_is_answered_through_the_public_urlconf(client, home):
    response = client.get(home.url)
    assert response.status_code == 200
    assert response.wsgi_request.urlconf == "cms.public_urls"
